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

import datetime as _dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from .errors import Problem

__all__ = ["Sheet", "Workbook", "read_workbook", "read_csv_text", "frame_from_rows",
           "control_problems", "WORKBOOK_SUFFIXES", "UNSUPPORTED_SPREADSHEETS"]

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


@dataclass(frozen=True)
class Sheet:
    """One sheet: its text table, and the problems found while reading its cells."""

    name: str
    frame: pd.DataFrame
    problems: tuple[Problem, ...] = ()
    ignored_columns: tuple[str, ...] = ()  # letters of headerless columns holding data


@dataclass(frozen=True)
class Workbook:
    """A workbook's sheet names (in order, with visibility) and a reader for its sheets."""

    path: Path
    sheet_names: tuple[str, ...]
    hidden: frozenset = field(default_factory=frozenset)
    _data: bytes = b""

    def sheet(self, name: str) -> Sheet:
        """Read sheet ``name`` (text cells; formulas, errors and control chars located)."""
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        finally:
            book.close()
        text = [[_text(v) for v in r] for r in rows]
        frame, ignored = frame_from_rows(text)
        file = str(self.path)
        header = {_letter(k): h.strip().lower() for k, h in enumerate(text[0])} if text else {}
        problems = list(_bad_cells(self._data, name, header, file))
        problems += control_problems(frame, file, name)
        return Sheet(name, frame, tuple(problems), ignored)


def read_workbook(path: str | Path, data: bytes | None = None) -> Workbook:
    """Open a workbook (``data``: its bytes, when already read). Raises ``ValueError``
    (or another calamine/zip error) when it is not a readable workbook."""
    import python_calamine

    path = Path(path)
    data = path.read_bytes() if data is None else data
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        names, hidden = [], set()
        for meta in book.sheets_metadata:
            if str(meta.typ).endswith("WorkSheet"):
                names.append(meta.name)
                if not str(meta.visible).endswith(".Visible"):
                    hidden.add(meta.name)
    finally:
        book.close()
    return Workbook(path, tuple(names), frozenset(hidden), data)


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


def frame_from_rows(rows: list[list[str]]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Header row + data rows (text) -> a frame with lower-case column names.

    Columns without a header are left out of the frame; the letters of those that hold
    data are returned, so the caller can say they were not used. Duplicate headers keep
    their first column; the second is reported the same way (as ignored).
    """
    if not rows:
        return pd.DataFrame(), ()
    width = max(len(r) for r in rows)
    header = [str(h).strip().lower() for h in rows[0]] + [""] * (width - len(rows[0]))
    body = [list(r) + [""] * (width - len(r)) for r in rows[1:]]
    keep, names, ignored, seen = [], [], [], set()
    for k, name in enumerate(header):
        has_data = any(r[k] != "" for r in body)
        if name == "" or name in seen:
            if has_data or name:
                ignored.append(_letter(k) + (f" ('{name}', ganda)" if name else ""))
            continue
        seen.add(name)
        keep.append(k)
        names.append(name)
    frame = pd.DataFrame([[r[k] for k in keep] for r in body], columns=names, dtype=object)
    if not body:
        frame = pd.DataFrame({n: pd.Series(dtype=object) for n in names})
    return frame, tuple(ignored)


def _letter(k: int) -> str:
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


def control_problems(frame: pd.DataFrame, file: str, sheet: str | None) -> list[Problem]:
    """Every cell (and header) holding a control character, located."""
    out = []
    for name in frame.columns:
        if _CONTROL.search(name):
            out.append(Problem(file, "karakter kendali dalam judul kolom", sheet=sheet, row=1,
                               value=name, expected="teks tanpa karakter kendali (mis. NUL)"))
    for name in frame.columns:
        col = frame[name]
        hits = col.str.contains(_CONTROL, regex=True, na=False) if len(col) else col
        for pos in hits.to_numpy().nonzero()[0] if len(col) else ():
            out.append(Problem(file, "karakter kendali tidak diizinkan", sheet=sheet,
                               row=int(pos) + 2, column=name, value=col.iloc[pos],
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


def _bad_cells(data: bytes, sheet: str, header: dict[str, str], file: str):
    """Located problems for formulas without a cached value and for Excel error cells."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            part = _sheet_paths(zf).get(sheet)
            if part is None:
                return
            xml = zf.read(part)
    except (KeyError, zipfile.BadZipFile, ET.ParseError):
        return
    if b"<f" not in xml and b't="e"' not in xml:
        return
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
        column = header.get(letters) or letters
        v = _VALUE.search(inner)
        value = v.group(1).decode("utf-8", "replace") if v else ""
        formula = "=" + (f.group(1) or b"").decode("utf-8", "replace") if f else None
        if is_error:
            yield Problem(file, "sel berisi galat Excel", sheet=sheet, row=row, column=column,
                          value=value or formula,
                          expected="nilai yang diketik, atau rumus yang hasilnya bukan galat")
        elif not value:
            yield Problem(file, "sel berisi rumus tanpa nilai tersimpan", sheet=sheet, row=row,
                          column=column, value=formula,
                          expected="ketik nilainya, atau buka dan simpan ulang buku kerja di "
                                   "Excel/LibreOffice agar hasil rumus tersimpan")


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

