"""The one door for every spreadsheet the project writes (xlsx and CSV).

Region names, evidence, notes and scenario names are user text. Text that begins with
``=``, ``+``, ``-`` or ``@`` (also after leading spaces, and a leading tab or carriage
return) is run as a formula by Excel or LibreOffice when the file is opened: a
"CSV/formula injection" (OWASP). Every writer goes through this module, which applies
OWASP's rule while keeping the real value visible:

- **xlsx** (:func:`save_workbook`): every text cell is written as an explicit string
  cell, so Excel shows exactly the text and never evaluates it; a formula-like text
  also gets Excel's own quote prefix (the cell style flag an analyst gets by typing
  ``'=...``), so it stays text even after the cell is edited. Characters the xlsx format
  cannot hold (control characters) are shown as their visible symbols (U+2400 block),
  and text longer than Excel's 32,767 characters per cell is cut with a note.
  The workbook is saved atomically (temporary file, then rename).
- **CSV** (:func:`write_csv`): a formula-like text cell gets a leading single quote
  (``'=1+1``), which spreadsheets show as the text itself; numbers (``-5``, ``+3,5``,
  ``1e3``, ``-5%``) are never touched, nor is any non-text cell. Written atomically.
  :func:`unquote` undoes the quote when the project reads such a CSV back.

The project writes no formulas into cells (dropdown lists are data validations, not
cells), so every cell that openpyxl would store as a formula is user text.

API (keep it this small): :func:`is_formula_like`, :func:`csv_text`, :func:`unquote`,
:func:`xlsx_value`, :func:`neutralise_workbook`, :func:`save_workbook`, :func:`write_csv`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .safeio import atomic_path

__all__ = ["is_formula_like", "csv_text", "unquote", "xlsx_value", "neutralise_workbook", "csv_frame",
           "save_workbook", "write_csv", "XLSX_MAX_TEXT"]

#: First characters that make a spreadsheet evaluate a cell (ASCII and full-width forms).
_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
#: Leading characters spreadsheets skip before looking at the first one.
_SPACES = " \u00a0\u3000\n\x0b\x0c"
#: A plain number (sign, digits, decimal point or comma, exponent, percent): harmless.
_NUMBER = re.compile(r"^[+\-\uff0b\uff0d]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")
#: Characters an xlsx file cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Excel's limit on the characters of one cell.
XLSX_MAX_TEXT = 32_767
_CUT = " … [dipotong: teks lebih dari 32.767 karakter]"


def is_formula_like(text: object) -> bool:
    """True when a spreadsheet would evaluate ``text`` as a formula (and it is not a
    plain number such as ``-5``)."""
    if not isinstance(text, str):
        return False
    s = text.lstrip(_SPACES)
    return bool(s) and s[0] in _TRIGGERS and not _NUMBER.match(s.strip())


def csv_text(value: Any) -> Any:
    """The CSV form of one cell: a formula-like text gets a leading ``'`` (so does a
    text that already starts with quotes before one, so that :func:`unquote` gives
    back exactly the original); anything else is returned unchanged."""
    if isinstance(value, str) and is_formula_like(value.lstrip("'")):
        return "'" + value
    return value


def unquote(text: Any) -> Any:
    """Undo :func:`csv_text`: ``"'=1+1"`` -> ``"=1+1"``, ``"''=1"`` -> ``"'=1"``;
    anything else unchanged."""
    if isinstance(text, str) and text.startswith("'") and is_formula_like(text.lstrip("'")):
        return text[1:]
    return text


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def xlsx_value(v: Any) -> Any:
    """A value openpyxl can store and Excel can open: numpy scalars as Python numbers,
    NaN/NA as an empty cell, infinity as text, control characters as visible symbols,
    text cut at Excel's 32,767 characters."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isnan(v):
            return None
        return v if math.isfinite(v) else ("∞" if v > 0 else "-∞")
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, str):
        if _ILLEGAL.search(v):
            v = _ILLEGAL.sub(_visible, v)
        if len(v) > XLSX_MAX_TEXT:
            v = v[: XLSX_MAX_TEXT - len(_CUT)] + _CUT
    return v


def neutralise_workbook(wb) -> None:
    """Make every text cell of ``wb`` an explicit string cell; formula-like ones also
    get the quote prefix. Call it on a finished workbook (``save_workbook`` does)."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # the cells that exist (iter_rows would add some)
            v = cell.value
            if not isinstance(v, str):
                continue
            # openpyxl guesses "f" for text starting with "=" and "e" for "#N/A"-like text
            cell.data_type = "s"
            if is_formula_like(v):
                cell.quotePrefix = True


def save_workbook(wb, path: str | Path) -> Path:
    """Neutralise ``wb`` (:func:`neutralise_workbook`) and save it to ``path`` atomically
    and byte-identically for identical content (every zip timestamp and the document's
    created/modified dates fixed): an existing file is replaced only by a complete new
    one; on any error (disk full, read-only folder) it stays as it was and no temporary
    file is left."""
    import io
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    path = Path(path)
    neutralise_workbook(wb)
    with atomic_path(path) as tmp:  # an OSError anywhere in here names ``path``
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).write_data()
        tmp.write_bytes(_fixed_package(buffer.getvalue()))
    return path


_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_W3C = b"1980-01-01T00:00:00Z"
_W3C_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fixed_package(data: bytes) -> bytes:
    """The same xlsx package with every zip timestamp and document date fixed."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _W3C_TIME.sub(rb"\g<1>" + _FIXED_W3C + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, body)
    return out.getvalue()


def _text_column(s: pd.Series) -> bool:
    return (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype))


#: First characters worth a closer look (a trigger, a leading space or quote).
_FIRST = frozenset(_TRIGGERS | set(_SPACES) | {"'"})


def _needs_quoting(values) -> bool:
    """Does any text in ``values`` need :func:`csv_text`? (One cheap test per cell.)"""
    return any(type(v) is str and v[:1] in _FIRST and csv_text(v) is not v
               for v in values)


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every formula-like text cell (and column name) quoted for CSV; the
    frame itself is not changed. Returns ``df`` itself when nothing needs quoting."""
    out = None
    for col in df.columns:
        s = df[col]
        if not _text_column(s):
            continue
        values = s.cat.categories if isinstance(s.dtype, pd.CategoricalDtype) else s
        if not _needs_quoting(values.tolist()):
            continue
        if out is None:
            out = df.copy()
        if isinstance(s.dtype, pd.CategoricalDtype):
            out[col] = s.cat.rename_categories([csv_text(c) for c in s.cat.categories])
        else:
            out[col] = s.map(csv_text, na_action="ignore")
    if any(is_formula_like(c) for c in df.columns):
        out = (df if out is None else out).rename(columns=csv_text)
    return df if out is None else out


def write_csv(df: pd.DataFrame, path: str | Path, **to_csv: Any) -> Path:
    """Write ``df`` as CSV to ``path`` atomically, formula-like text quoted
    (:func:`csv_frame`). Keyword arguments go to :meth:`pandas.DataFrame.to_csv`
    (the project's defaults: ``index=False, lineterminator="\\n"``)."""
    path = Path(path)
    to_csv.setdefault("index", False)
    to_csv.setdefault("lineterminator", "\n")
    frame = csv_frame(df)
    if to_csv["index"] and _text_column(frame.index.to_series()):
        frame = frame.set_axis(frame.index.map(csv_text), axis=0)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, **to_csv)
    return path
