"""Raw input files -> tables of text cells, with every unreadable cell located.

The I/O edge under :mod:`antikorupsi.inputs`: it reads CSV files and Excel workbooks
(``.xlsx``/``.xlsm``) into :class:`pandas.DataFrame` objects whose cells are all text
(stripped; an empty cell is ``""``), column names lower-cased, spreadsheet row ``k``
at position ``k - 2`` (row 1 is the header). Nothing is dropped: blank lines stay as
rows of empty text, so row numbers in messages are those the analyst sees.

Workbooks are read with ``python-calamine`` (Rust, about ten times faster than
openpyxl per workbook, which matters for 514 per-region workbooks). Calamine, like
openpyxl with ``data_only=True``, returns a formula's *cached* value and an empty cell
when a formula was never calculated (a workbook written by a script and never opened in
Excel), and an empty cell for an Excel error (``#N/A``, ``#DIV/0!``). Both would pass as
"no evidence"; so each sheet that is read is also scanned in its XML for ``<f>`` cells
without a ``<v>`` value and for error cells (``t="e"``), each a located problem.

Control characters (NUL and the other C0/C1 codes except tab, line feed and carriage
return, which Excel keeps in multi-line notes) are rejected in every cell and header.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from .errors import Problem

__all__ = ["TextTable", "Sheet", "Workbook", "read_workbook", "read_csv_text",
           "table_from_rows", "control_problems", "WORKBOOK_SUFFIXES",
           "UNSUPPORTED_SPREADSHEETS"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet formats we cannot check for uncalculated formulas: refused, not guessed.
UNSUPPORTED_SPREADSHEETS = (".xls", ".xlsb", ".ods", ".numbers")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]*)</v>")
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")
_ANY_FORMULA = re.compile(rb"<f[\s>/]")


class TextTable:
    """A table of text cells: lower-case ``columns`` and ``rows`` (lists of str).

    Lighter than a DataFrame for the many small tables of a collection (a DataFrame per
    sheet cost more than reading the workbook); it offers what the validators use:
    ``columns``, ``to_dict("records")``, ``len``.
    """

    __slots__ = ("columns", "rows")

    def __init__(self, columns: list[str], rows: list[list[str]]):
        self.columns = list(columns)
        self.rows = rows

    def to_dict(self, orient: str = "records") -> list[dict]:
        cols = self.columns
        return [dict(zip(cols, r)) for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def empty(self) -> bool:
        return not self.rows

    def has_data(self) -> bool:
        return any(v != "" for r in self.rows for v in r)

    def to_frame(self) -> pd.DataFrame:
        if not self.rows:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in self.columns})
        return pd.DataFrame(self.rows, columns=self.columns, dtype=object)

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> "TextTable":
        return cls([str(c) for c in df.columns], df.astype(object).values.tolist())


@dataclass(frozen=True)
class Sheet:
    """One sheet: its text table, and the problems found while reading its cells."""

    name: str
    table: TextTable
    problems: tuple[Problem, ...] = ()
    ignored_columns: tuple[str, ...] = ()  # letters of headerless columns holding data

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.to_frame()


@dataclass(frozen=True)
class Workbook:
    """A workbook: its worksheet names (in order) and the sheets that were read."""

    path: Path
    sheet_names: tuple[str, ...]
    sheets: dict = field(default_factory=dict)  # name -> Sheet

    def sheet(self, name: str) -> Sheet:
        if name not in self.sheets:
            self.sheets.update(read_workbook(self.path, wanted=lambda n: n == name).sheets)
        return self.sheets[name]


def read_workbook(path: str | Path, data: bytes | None = None, wanted=None) -> Workbook:
    """Open a workbook once and read the sheets ``wanted(name)`` accepts (all when None).

    ``data``: the file's bytes, when already read. Each sheet read is checked for
    formulas without a cached value, Excel error cells and control characters (located
    problems in :attr:`Sheet.problems`). Raises (a calamine, zip or ``ValueError``)
    when the file is not a readable workbook.
    """
    import python_calamine

    path = Path(path)
    data = path.read_bytes() if data is None else data
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    file = str(path)
    sheets = {}
    try:
        names = [m.name for m in book.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        chosen = [n for n in names if wanted is None or wanted(n)]
        texts = {n: [[_text(v) for v in r]
                     for r in book.get_sheet_by_name(n).to_python(skip_empty_area=False)]
                 for n in chosen}
    finally:
        book.close()
    bad = _bad_cells(data, chosen, file) if chosen else {}
    for n, text in texts.items():
        table, ignored = table_from_rows(text)
        header = {_letter(k): h.strip().lower() for k, h in enumerate(text[0])} if text else {}
        problems = [dataclasses.replace(p, column=header.get(p.column) or p.column)
                    for p in bad.get(n, [])]
        problems += control_problems(table, file, n)
        sheets[n] = Sheet(n, table, tuple(problems), ignored)
    return Workbook(path, tuple(names), sheets)


def _text(v: object) -> str:
    """A cell value as the text an analyst typed: ``3.0`` -> ``"3"``, ``87.5`` -> ``"87.5"``."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        return str(v)
    return str(v).strip()


def table_from_rows(rows: list[list[str]]) -> tuple[TextTable, tuple[str, ...]]:
    """Header row + data rows (text) -> a :class:`TextTable` with lower-case columns.

    Columns without a header are left out; the letters of those that hold data are
    returned, so the caller can say they were not used. Duplicate headers keep their
    first column; the second is reported the same way (as ignored).
    """
    if not rows:
        return TextTable([], []), ()
    width = max(len(r) for r in rows)
    header = [str(h).strip().lower() for h in rows[0]] + [""] * (width - len(rows[0]))
    body = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows[1:]]
    keep, names, ignored, seen = [], [], [], set()
    for k, name in enumerate(header):
        if name == "" or name in seen:
            if name or any(r[k] != "" for r in body):
                ignored.append(_letter(k) + (f" ('{name}', ganda)" if name else ""))
            continue
        seen.add(name)
        keep.append(k)
        names.append(name)
    if len(keep) != width:
        body = [[r[k] for k in keep] for r in body]
    return TextTable(names, body), tuple(ignored)


def _letter(k: int) -> str:
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


def control_problems(table, file: str, sheet: str | None) -> list[Problem]:
    """Every cell (and header) of ``table`` (TextTable or DataFrame) holding a control
    character, located."""
    if isinstance(table, pd.DataFrame):
        table = TextTable.from_frame(table)
    out = []
    search = _CONTROL.search
    for name in table.columns:
        if search(name):
            out.append(Problem(file, "karakter kendali dalam judul kolom", sheet=sheet, row=1,
                               value=name, expected="teks tanpa karakter kendali (mis. NUL)"))
    for i, r in enumerate(table.rows):
        for name, v in zip(table.columns, r):
            if v and search(v):
                out.append(Problem(file, "karakter kendali tidak diizinkan", sheet=sheet,
                                   row=i + 2, column=name, value=v,
                                   expected="teks tanpa karakter kendali (mis. NUL, ESC); "
                                            "hapus karakter itu"))
    return out


# -- formulas without a cached value, error cells ----------------------------------------
def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part inside the package."""
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = {}
    for s in book.iter(f"{_NS_MAIN}sheet"):
        t = target.get(s.get(f"{_NS_REL}id"))
        if t is None:
            continue
        path = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        out[s.get("name")] = path
    return out


def _bad_cells(data: bytes, sheets: list[str], file: str) -> dict[str, list[Problem]]:
    """Per sheet, located problems for formulas without a cached value and for Excel
    error cells (``column`` holds the cell's column letters; the caller names it)."""
    out: dict[str, list[Problem]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            paths = _sheet_paths(zf)
            parts = {n: zf.read(paths[n]) for n in sheets if n in paths}
    except (KeyError, zipfile.BadZipFile, ET.ParseError):
        return out
    for sheet, xml in parts.items():
        # "<f " / "<f>" / "<f/>" is a formula; "<formula1>" (a data validation, as in our
        # templates) is not, and must not send every workbook through the cell scan
        if not _ANY_FORMULA.search(xml) and b't="e"' not in xml:
            continue
        for m in _CELL.finditer(xml):
            attrs, inner = m.group(1), m.group(2) or b""
            is_error = bool(_ERROR_TYPE.search(attrs))
            f = _FORMULA.search(inner)
            if not is_error and f is None:
                continue
            ref = _REF.search(attrs)
            if ref is None:
                continue
            letters, row = ref.group(1).decode(), int(ref.group(2))
            v = _VALUE.search(inner)
            value = v.group(1).decode("utf-8", "replace") if v else ""
            formula = "=" + (f.group(1) or b"").decode("utf-8", "replace") if f else None
            if is_error:
                out.setdefault(sheet, []).append(Problem(
                    file, "sel berisi galat Excel", sheet=sheet, row=row, column=letters,
                    value=value or formula,
                    expected="nilai yang diketik, atau rumus yang hasilnya bukan galat"))
            elif not value:
                out.setdefault(sheet, []).append(Problem(
                    file, "sel berisi rumus tanpa nilai tersimpan", sheet=sheet, row=row,
                    column=letters, value=formula,
                    expected="ketik nilainya, atau buka dan simpan ulang buku kerja di "
                             "Excel/LibreOffice agar hasil rumus tersimpan"))
    return out


# -- CSV --------------------------------------------------------------------------------
def read_csv_text(path: str | Path, data: bytes | None = None) -> pd.DataFrame:
    """A CSV file as text cells (``,`` or ``;``, UTF-8 with or without BOM).

    Raises ``ValueError`` (empty file), ``UnicodeDecodeError``, ``csv.Error`` or
    ``pandas.errors.ParserError`` for what cannot be read as a table.
    """
    path = Path(path)
    data = path.read_bytes() if data is None else data
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ValueError("berkas kosong")
    text = data.decode("utf-8-sig")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None,
                     engine="python", skip_blank_lines=False)
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df.map(lambda v: "" if v is None else str(v).strip())

