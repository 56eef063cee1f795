"""Caps that keep hostile or accidental inputs from exhausting memory, time or the screen.

One place for every limit, so that each reader applies the same numbers and the README
can state them. The defaults sit far above anything real: the shipped frameworks are
~11 KB with ~2,000 YAML nodes; a national year (514 regions x 19 indicators) is ~9,800
indicator rows.

Readers call:

- :func:`check_input_file` before opening an input table (CSV or workbook): refuses a
  file larger than ``input_bytes`` and a workbook whose unpacked size exceeds
  ``xlsx_unpacked_bytes`` (a zip bomb), with a located :class:`~antikorupsi.errors.InputError`.
- :func:`check_rows` after reading at most ``input_rows + 1`` rows (``pd.read_csv(...,
  nrows=current().input_rows + 1)``): refuses a table with more rows than ``input_rows``.
- :func:`antikorupsi.safeyaml.load_yaml` applies the ``yaml_*`` caps itself.
- :meth:`antikorupsi.errors.AntikorupsiError.render` shows at most ``problems_per_kind``
  problems of each kind (plus a count of the rest); ``ANTIKORUPSI_MAX_PROBLEMS`` in the
  environment changes that number (``0``: show every problem).
"""

from __future__ import annotations

import dataclasses
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "LIMITS", "MAX_PROBLEMS_ENV", "current", "check_input_file",
           "check_rows"]

#: Environment variable: problems shown per kind in an error message (0 = all).
MAX_PROBLEMS_ENV = "ANTIKORUPSI_MAX_PROBLEMS"

_MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Every cap in one immutable value (see the module docstring for who applies what)."""

    #: Size of one framework or scenario YAML file.
    yaml_bytes: int = 1 * _MIB
    #: YAML nodes after alias expansion (a "billion laughs" file expands to 10^9).
    yaml_nodes: int = 200_000
    #: Nesting depth of a YAML document.
    yaml_depth: int = 64
    #: Largest absolute number in a framework or scenario (weights, thresholds, goalposts);
    #: above it sums of weights overflow and totals become NaN.
    yaml_number: float = 1e15
    #: Size of one input table file (CSV or workbook).
    input_bytes: int = 64 * _MIB
    #: Unpacked size of one workbook (an .xlsx is a zip archive).
    xlsx_unpacked_bytes: int = 512 * _MIB
    #: Rows of one input table (indicators or screening, one year).
    input_rows: int = 100_000
    #: Problems of one kind shown in an error message before the rest are counted.
    problems_per_kind: int = 10
    #: Kinds of problem listed before the rest are summed up in one line.
    kinds_shown: int = 20
    #: Characters of an offending value quoted in a message.
    value_chars: int = 200


#: The defaults.
LIMITS = Limits()


def current() -> Limits:
    """The limits in force: the defaults, with ``ANTIKORUPSI_MAX_PROBLEMS`` applied."""
    text = os.environ.get(MAX_PROBLEMS_ENV, "").strip()
    if text.isdigit():
        return dataclasses.replace(LIMITS, problems_per_kind=int(text))
    return LIMITS


def _size(n: int) -> str:
    from .fmt import angka

    return f"{angka(n / _MIB, 1)} MB" if n >= _MIB else f"{angka(n, 0)} bita"


def check_input_file(path: str | Path, sheet: str | None = None) -> None:
    """Refuse an input table that is too large to read safely.

    Raises
    ------
    InputError
        Naming the file, its size and the cap. A workbook is also refused when its
        unpacked content exceeds ``xlsx_unpacked_bytes``. A missing file is left to the
        reader (it has its own message).
    """
    from .errors import InputError, Problem

    path = Path(path)
    lim = current()
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size > lim.input_bytes:
        raise InputError(Problem(str(path), "berkas masukan terlalu besar", sheet=sheet,
                                 value=_size(size),
                                 expected=f"paling besar {_size(lim.input_bytes)}; pisahkan "
                                          "data per provinsi bila perlu"))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as zf:
                unpacked = sum(info.file_size for info in zf.infolist())
        except (OSError, zipfile.BadZipFile, ValueError):
            return  # not a zip: the reader says the workbook cannot be read
        if unpacked > lim.xlsx_unpacked_bytes:
            raise InputError(Problem(str(path), "isi buku kerja terlalu besar setelah "
                                     "dibuka (kemungkinan berkas rusak atau bom zip)",
                                     sheet=sheet, value=_size(unpacked),
                                     expected=f"paling besar {_size(lim.xlsx_unpacked_bytes)}"))


def check_rows(n_rows: int, path: str | Path, sheet: str | None = None) -> None:
    """Refuse a table with more than ``input_rows`` data rows (read ``input_rows + 1``)."""
    from .errors import InputError, Problem
    from .fmt import angka

    lim = current()
    if n_rows > lim.input_rows:
        raise InputError(Problem(str(path), "terlalu banyak baris data", sheet=sheet,
                                 value=f"lebih dari {angka(lim.input_rows, 0)}",
                                 expected=f"paling banyak {angka(lim.input_rows, 0)} baris "
                                          "per tabel (514 wilayah x 19 indikator = 9.766)"))
