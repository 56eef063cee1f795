"""A year's raw inputs -> tidy, validated frames, reporting every problem at once.

Everything under ``data/raw/<year>/`` is looked at, recursively (``mandiri/``,
``verifikasi/``, ``final/`` ... are just folders: the stage is a column, not a place):

* every workbook (``.xlsx``/``.xlsm``): its sheets are identified by name:
  ``indikator``, ``penyaringan``, ``tindak_lanjut``; the sheets our own templates and
  plenary workbooks add (``petunjuk``, the hidden ``pilihan`` lists, the plenary's
  analysis sheets) are known and skipped; any other sheet is named in a warning;
* every CSV file: identified by its name (``indikator*.csv``, ``penyaringan*.csv``,
  ``tindak_lanjut*.csv``), else by its columns (``kode_indikator``; ``kriteria``;
  ``rekomendasi`` and ``status``); an unrecognised CSV is named in a warning;
* every other file (a PDF of evidence, a README, an Office lock file ``~$...``) is
  named in a warning as not used; ``.xls``/``.ods`` workbooks are refused (they cannot
  be checked for uncalculated formulas: save them as ``.xlsx``).

The tables:

``indikator``     ``tahun, kode_wilayah, kode_indikator, nilai, bukti, catatan, sintetis``
                  and optionally ``tahap`` (``mandiri`` self-assessment by the region,
                  ``verifikasi`` an assessor's score, ``final`` the plenary's decision),
                  ``penilai`` (assessor id, required for ``verifikasi``) and
                  ``instansi`` (the assessor's institution). A table without a ``tahap``
                  column holds final values (the layout before stages existed).
``penyaringan``   ``tahun, kode_wilayah, kriteria, nilai, tahun_data, sumber, catatan``
``tindak_lanjut`` last year's recommendations and what the region did about them:
                  ``tahun, kode_wilayah, tahun_rekomendasi, no, kode_indikator,
                  rekomendasi, status, bukti, catatan``

Rows from all files are merged. The same (region, indicator, stage, assessor) given in
two files with different values is an error naming both files and cells; given twice
with the same value it is a warning and the second copy is not used (within one table a
repeated key is an error, as before). Several assessors' values of one indicator are
then consolidated by :func:`antikorupsi.panel.consolidate` (the latest stage wins:
final > verifikasi > mandiri), so :attr:`YearInputs.indicators` keeps its meaning: one
row per region and indicator, ready for :func:`antikorupsi.scoring.score_year`.

An empty ``nilai`` is allowed and stays visible as missing: the framework's policy
decides what it scores. Everything else that is wrong is an error naming the file,
sheet, row, column, value and what was expected. What is odd but usable (a file that
contributes nothing, a duplicate with the same value, a region scored from its
self-assessment only) is a *warning*: carried in :attr:`YearInputs.warnings`, printed
by the CLI and recorded in ``data/processed/<year>/manifest.json``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, Problem
from .fmt import ringkas
from .framework import Framework
from .limits import check_input_file, check_rows
from .regions import normalise_code

__all__ = ["YearInputs", "read_year", "read_table", "validate_indicators",
           "validate_screening", "validate_followup", "parse_number", "find_inputs",
           "gather", "Gathered", "InputFile", "SourceTable", "INDICATOR_COLUMNS",
           "SCREENING_COLUMNS", "FOLLOWUP_COLUMNS", "STAGES", "FOLLOWUP_STATUS",
           "KNOWN_SHEETS", "TABLE_NAMES", "format_warnings"]

INDICATOR_COLUMNS = ["tahun", "kode_wilayah", "kode_indikator", "nilai", "bukti", "catatan",
                     "sintetis"]
STAGE_INPUT_COLUMNS = ["tahap", "penilai", "instansi"]
SCREENING_COLUMNS = ["tahun", "kode_wilayah", "kriteria", "nilai", "tahun_data", "sumber",
                     "catatan"]
FOLLOWUP_COLUMNS = ["tahun", "kode_wilayah", "tahun_rekomendasi", "no", "kode_indikator",
                    "rekomendasi", "status", "bukti", "catatan"]
REQUIRED_INDICATOR = ["tahun", "kode_wilayah", "kode_indikator", "nilai"]
REQUIRED_SCREENING = ["tahun", "kode_wilayah", "kriteria", "nilai"]
REQUIRED_FOLLOWUP = ["tahun", "kode_wilayah", "no", "rekomendasi", "status"]
TRUE = {"ya", "y", "true", "1", "benar"}
FALSE = {"tidak", "t", "false", "0", "salah", ""}

#: Assessment stages, earliest first: a later stage's value replaces an earlier one.
STAGES = ("mandiri", "verifikasi", "final")
#: The stage of a table without a ``tahap`` column (the layout before stages existed).
LEGACY_STAGE = "final"
#: What a region may report about last year's recommendation (empty: not reported yet).
FOLLOWUP_STATUS = ("belum dimulai", "dalam proses", "selesai")
TABLE_NAMES = ("indikator", "penyaringan", "tindak_lanjut")
#: Sheets of our templates and plenary workbooks that hold no input rows.
KNOWN_SHEETS = frozenset({"petunjuk", "pilihan", "ringkasan_pleno", "agenda_pleno",
                          "kesepakatan", "selisih_mandiri"})

_ID_NUMBER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234,5
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class YearInputs:
    """Validated inputs of one assessment year (plain frames, no I/O).

    ``indicators`` has one row per region and indicator (several stages and assessors
    already consolidated, see :func:`antikorupsi.panel.consolidate`), with ``tahap``
    (the stage the value comes from) and ``jumlah_penilai``. ``stages`` keeps every
    validated indicator row as given (one per region, indicator, stage and assessor);
    ``followup`` the ``tindak_lanjut`` rows; ``warnings`` what is odd but usable
    (located, in Bahasa Indonesia).
    """

    year: int
    indicators: pd.DataFrame
    screening: pd.DataFrame
    files: dict = field(default_factory=dict)  # path -> sha256 of every file read
    warnings: tuple = ()  # of Problem
    stages: pd.DataFrame | None = None
    followup: pd.DataFrame | None = None


def format_warnings(warnings, limit: int = 40) -> str:
    """Warnings as the CLI prints them (stderr): a heading and one located line each.

    At most ``limit`` lines; the rest are counted (all are in the processed manifest).
    """
    warnings = list(warnings)
    if not warnings:
        return ""
    lines = [f"Peringatan: {len(warnings)}" if len(warnings) != 1 else "Peringatan: 1"]
    lines += [f"  - {w}" for w in warnings[:limit]]
    if len(warnings) > limit:
        lines.append(f"  ... dan {len(warnings) - limit} peringatan lain (semua tercatat di "
                     f"manifest.json data olahan)")
    return "\n".join(lines)


def parse_number(text: str) -> float | None:
    """Parse a number written the Indonesian or the English way; None if not a number.

    ``"87,5"`` and ``"87.5"`` give 87.5; ``"1.234,5"`` gives 1234.5.
    """
    t = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if t.endswith("%"):
        t = t[:-1]
    if _ID_NUMBER.match(t):
        t = t.replace(".", "").replace(",", ".")
    elif _PLAIN.match(t):
        t = t.replace(",", ".")
    else:
        return None
    try:
        return float(t)
    except ValueError:
        return None


# -- reading (the I/O edge) -------------------------------------------------------------
def read_table(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV or one sheet of a workbook (the first when ``sheet`` is None), every
    cell as text, nothing dropped; raise :class:`InputError` for what cannot be read
    (including formulas without a cached value, Excel error cells, control characters)."""
    from . import rawfiles

    path = Path(path)
    check_input_file(path, sheet)  # size caps before anything is read (antikorupsi.limits)
    try:
        if path.suffix.lower() in rawfiles.WORKBOOK_SUFFIXES:
            book = rawfiles.read_workbook(path, wanted=lambda n: False)
            name = sheet if sheet is not None else (book.sheet_names or ("",))[0]
            if name not in book.sheet_names:
                raise InputError(Problem(str(path), "sheet tidak ada", sheet=sheet,
                                         value=list(book.sheet_names)))
            got = book.sheet(name)
            if got.problems:
                raise InputError(list(got.problems))
            check_rows(len(got.frame), path, name)
            return got.frame
        df = rawfiles.read_csv_text(path)
    except InputError:
        raise
    except ValueError as exc:  # an empty CSV, a missing sheet, not a workbook
        if str(exc) == "berkas kosong":
            raise InputError(Problem(str(path), "berkas kosong", sheet=sheet,
                                     expected="baris judul kolom lalu satu baris per data")
                             ) from None
        raise InputError(Problem(str(path), f"tidak dapat dibaca: {exc}", sheet=sheet)) from None
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a located problem
        raise InputError(Problem(str(path), f"tidak dapat dibaca: {exc}", sheet=sheet)) from None
    check_rows(len(df), path, sheet)
    problems = rawfiles.control_problems(df, str(path), sheet)
    if problems:
        raise InputError(problems)
    return df


@dataclass(frozen=True)
class InputFile:
    """One file under the year folder and what kind of file it is."""

    path: Path
    rel: str   # relative to the year folder, with '/'
    kind: str  # "workbook", "csv", "unsupported", "lock" or "other"


@dataclass(frozen=True)
class SourceTable:
    """One table read from one file (a CSV, or one sheet of a workbook)."""

    table: str  # "indikator", "penyaringan" or "tindak_lanjut"
    file: InputFile
    sheet: str | None
    frame: object  # rawfiles.TextTable: text cells, lower-case columns

    @property
    def label(self) -> str:
        return self.file.rel + (f":{self.sheet}" if self.sheet else "")


def _kind(path: Path) -> str:
    from .rawfiles import UNSUPPORTED_SPREADSHEETS, WORKBOOK_SUFFIXES

    name, suffix = path.name, path.suffix.lower()
    if name.startswith("~$") or name.startswith(".~lock."):
        return "lock"
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    if suffix == ".csv":
        return "csv"
    if suffix in UNSUPPORTED_SPREADSHEETS:
        return "unsupported"
    return "other"


def find_inputs(data_dir: str | Path, year: int) -> list[InputFile]:
    """Every file under ``data_dir/<year>/`` (recursively, sorted by relative path)."""
    d = Path(data_dir) / str(year)
    if not d.is_dir():
        raise InputError(Problem(str(d), f"folder data tahun {year} tidak ditemukan",
                                 expected=f"{d}/indikator.csv dan penyaringan.csv, "
                                          f"atau buku kerja .xlsx"))
    files = [p for p in d.rglob("*") if p.is_file()]
    out = [InputFile(p, p.relative_to(d).as_posix(), _kind(p)) for p in files]
    return sorted(out, key=lambda f: f.rel)


def _csv_table(name: str, columns: list[str]) -> str | None:
    """Which table a CSV file holds: by its name, else by its columns."""
    stem = name.lower().replace("-", "_")
    for table in ("tindak_lanjut", "penyaringan", "indikator"):
        if table in stem or (table == "tindak_lanjut" and "tindaklanjut" in stem):
            return table
    cols = set(columns)
    if "kode_indikator" in cols:
        return "indikator"
    if "kriteria" in cols:
        return "penyaringan"
    if {"rekomendasi", "status"} <= cols:
        return "tindak_lanjut"
    return None


def _read_file(f: InputFile) -> tuple[list[SourceTable], list[Problem], list[Problem], str | None]:
    """Read one file: its tables, problems, warnings and SHA-256 (None if not read)."""
    from . import rawfiles

    file = str(f.path)
    if f.kind == "lock":
        return [], [], [Problem(file, "berkas kunci Office (buku kerja sedang dibuka?), "
                                      "tidak dipakai")], None
    if f.kind == "other":
        return [], [], [Problem(file, "bukan buku kerja .xlsx atau berkas .csv, tidak dipakai")
                        ], None
    if f.kind == "unsupported":
        return [], [Problem(file, f"format {f.path.suffix} tidak didukung",
                            expected="simpan ulang sebagai buku kerja Excel .xlsx")], [], None
    try:
        check_input_file(f.path)  # size caps before anything is read (antikorupsi.limits)
    except InputError as exc:
        return [], list(exc.problems), [], None
    try:
        data = f.path.read_bytes()
    except OSError as exc:
        return [], [Problem(file, f"tidak dapat dibaca: {exc}")], [], None
    sha = hashlib.sha256(data).hexdigest()
    tables: list[SourceTable] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if f.kind == "csv":
        try:
            df = rawfiles.read_csv_text(f.path, data)
        except ValueError as exc:
            if str(exc) == "berkas kosong":
                return [], [Problem(file, "berkas kosong",
                                    expected="baris judul kolom lalu satu baris per data")], [], sha
            return [], [Problem(file, f"tidak dapat dibaca: {exc}")], [], sha
        except Exception as exc:  # noqa: BLE001 - unreadable CSV: a located problem
            return [], [Problem(file, f"tidak dapat dibaca: {exc}")], [], sha
        try:
            check_rows(len(df), f.path)
        except InputError as exc:
            return [], list(exc.problems), [], sha
        df = rawfiles.TextTable.from_frame(df)
        problems += rawfiles.control_problems(df, file, None)
        table = _csv_table(f.path.stem, list(df.columns))
        if table is None:
            warnings.append(Problem(file, "tabel tidak dikenali, tidak dipakai",
                                    value=list(df.columns),
                                    expected="kolom tabel indikator (kode_indikator), "
                                             "penyaringan (kriteria) atau tindak_lanjut "
                                             "(rekomendasi, status)"))
            return [], problems, warnings, None
        tables.append(SourceTable(table, f, None, df))
        return tables, problems, warnings, sha
    try:
        book = rawfiles.read_workbook(f.path, data,
                                      wanted=lambda n: n.strip().lower() in TABLE_NAMES)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported
        return [], [Problem(file, f"buku kerja tidak dapat dibaca: {exc}")], [], sha
    for name in book.sheet_names:
        key = name.strip().lower()
        if key in KNOWN_SHEETS:
            continue
        if key not in TABLE_NAMES:
            warnings.append(Problem(file, "sheet tidak dikenali, tidak dipakai", sheet=name,
                                    expected="sheet " + ", ".join(TABLE_NAMES)))
            continue
        sheet = book.sheets[name]
        try:
            check_rows(len(sheet.table), f.path, name)
        except InputError as exc:
            problems += exc.problems
            continue
        problems += sheet.problems
        if sheet.ignored_columns:
            warnings.append(Problem(file, "kolom tanpa judul (atau judul ganda) berisi data, "
                                          "tidak dipakai", sheet=name, row=1,
                                    value=list(sheet.ignored_columns),
                                    expected="setiap kolom data punya satu judul"))
        tables.append(SourceTable(key, f, name, sheet.table))
    if not tables:
        warnings.append(Problem(file, "buku kerja tanpa sheet indikator, penyaringan atau "
                                      "tindak_lanjut: tidak ada yang dipakai",
                                value=list(book.sheet_names)))
        return [], problems, warnings, None
    return tables, problems, warnings, sha


@dataclass(frozen=True)
class Gathered:
    """Everything read from a year folder, validated and merged, problems not raised.

    :func:`read_year` raises when ``problems`` is not empty; ``antikorupsi status``
    reports what arrived even then.
    """

    year: int
    folder: Path
    files: tuple  # of InputFile: every file in the folder
    used: dict  # str(path) -> sha256 of every file whose tables were read
    tables: tuple  # of SourceTable
    stages: pd.DataFrame  # validated indicator rows (every stage and assessor)
    screening: pd.DataFrame
    followup: pd.DataFrame
    problems: tuple  # of Problem
    warnings: tuple  # of Problem
    unreadable: bool  # a file could not be read at all (its tables may be missing)


def gather(data_dir: str | Path, year: int, framework: Framework, regions: pd.DataFrame,
           workers: int = 1) -> Gathered:
    """Read every file of ``data_dir/<year>/``, validate and merge its tables.

    Nothing is raised for bad data (only for a missing year folder): problems and
    warnings are returned with the rows that passed validation. ``workers``: processes
    reading files. One is the default: a workbook takes about 1.5 ms, so 514 take under
    a second; a pool of two saved 0.2 s on a quiet machine and cost as much on a busy one
    (``benchmarks/bench_collection.py``).
    """
    files = find_inputs(data_dir, year)
    folder = Path(data_dir) / str(year)
    readable = list(files)
    workers = max(1, int(workers))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_read_file, readable, chunksize=16))
    else:
        results = [_read_file(f) for f in readable]
    problems: list[Problem] = []
    warnings: list[Problem] = []
    used: dict[str, str] = {}
    tables: list[SourceTable] = []
    unreadable = False
    for f, (tabs, probs, warns, sha) in zip(readable, results):
        if probs and not tabs:
            unreadable = True
        problems += probs
        warnings += warns
        if tabs and sha is not None:
            used[str(f.path)] = sha
            tables += tabs
            if not any(t.frame.has_data() for t in tabs):
                warnings.append(Problem(str(f.path), "berkas tidak menyumbang data: tabelnya "
                                                     "tanpa baris isian",
                                        value=[t.sheet or t.table for t in tabs]))
    validators = {"indikator": _indicator_rows, "penyaringan": _screening_rows,
                  "tindak_lanjut": _followup_rows}
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    codes = _region_set(regions)
    for t in tables:
        got, probs = validators[t.table](t.frame, framework, codes, year,
                                         file=str(t.file.path), sheet=t.sheet, label=t.label)
        rows[t.table] += got
        problems += probs
    # per table: its frame, key, compared value, description and what is expected
    rules = {
        "indikator": (_stage_frame, _empty_stages, _indicator_key, _indicator_value,
                      _indicator_what, "satu nilai per wilayah, indikator, tahap dan penilai",
                      "nilai"),
        "penyaringan": (_screening_frame, _empty_screening, _screening_key, _screening_value,
                        _screening_what, "satu nilai per wilayah, kriteria dan tahun data",
                        "nilai"),
        "tindak_lanjut": (_followup_frame, _empty_followup, _followup_key, _followup_value,
                          _followup_what, "satu isian per wilayah dan rekomendasi", "status"),
    }
    merged = {}
    for name, (frame, empty, key, value, what, one, column) in rules.items():
        merged[name], p, w = _merge([frame(rows[name])], empty(), key, value, what,
                                    f"{one}: hapus atau perbaiki salah satunya", column)
        problems += p
        warnings += w
    stages, screening, followup = (merged[n] for n in TABLE_NAMES)
    done = followup[(followup["status"] == "selesai") & (followup["bukti"] == "")]
    for r in done.itertuples(index=False):
        warnings.append(Problem(r.berkas, "tindak lanjut 'selesai' tanpa bukti",
                                sheet=r.sheet or None, row=int(r.baris), column="bukti",
                                expected="rujukan dokumen yang menunjukkan rekomendasi "
                                         "sudah dilaksanakan"))
    return Gathered(year, folder, tuple(files), used, tuple(tables), stages, screening,
                    followup, tuple(problems), tuple(warnings), unreadable)


def _year_problems(g: Gathered) -> list[Problem]:
    """A year needs indicator and screening rows; say which tables were looked at."""
    if g.unreadable:
        return []  # the missing table may be in the file that could not be read
    out = []
    by_table = {name: [t for t in g.tables if t.table == name] for name in TABLE_NAMES}
    missing = [n for n in ("indikator", "penyaringan") if not by_table[n]]
    if missing:
        seen = {}
        for t in g.tables:
            seen.setdefault(str(t.file.path), []).append(t.sheet or t.table)
        books = [f for f in g.files if f.kind == "workbook" and str(f.path) not in seen]
        text = "; ".join([f"{p} (sheet: {', '.join(s)})" for p, s in seen.items()]
                         + [f"{f.path} (tanpa sheet data)" for f in books])
        out.append(Problem(str(g.folder), "tabel masukan tidak ditemukan: " + ", ".join(missing),
                           value=text or None,
                           expected="indikator.csv dan penyaringan.csv, atau buku kerja "
                                    "dengan sheet 'indikator' dan 'penyaringan'"))
    for name, frame, what in (("indikator", g.stages, "satu baris per wilayah dan indikator"),
                              ("penyaringan", g.screening,
                               "satu baris per wilayah dan kriteria (nilai kosong = belum "
                               "diketahui)")):
        tabs = by_table[name]
        if tabs and frame.empty and not any(t.frame.has_data() for t in tabs):
            first = tabs[0]
            out.append(Problem(str(first.file.path), f"tabel {name} tidak berisi baris data"
                               + (f" (juga {len(tabs) - 1} tabel {name} lain)"
                                  if len(tabs) > 1 else ""),
                               sheet=first.sheet, row=2, expected=what))
    return out


def _listing(items: list[str], limit: int = 10) -> str:
    head = ", ".join(items[:limit])
    return head + (f", dan {len(items) - limit} lainnya" if len(items) > limit else "")


def _coverage_warnings(g: Gathered, consolidated: pd.DataFrame, regions: pd.DataFrame,
                       framework: Framework) -> list[Problem]:
    """Regions scored without indicator rows, registry regions without data, regions
    scored (partly) from unverified self-assessments."""
    folder = str(g.folder)
    names = dict(zip(regions["kode_wilayah"], regions["nama_wilayah"]))
    out = []
    with_ind = set(g.stages["kode_wilayah"])
    with_scr = set(g.screening["kode_wilayah"])
    only_scr = sorted(with_scr - with_ind)
    if only_scr:
        out.append(Problem(folder, f"{len(only_scr)} wilayah hanya punya baris penyaringan, "
                                   "tanpa satu pun nilai indikator: semua indikatornya dinilai "
                                   "tanpa bukti menurut kebijakan data kosong",
                           value=_listing([f"{c} {names.get(c, '')}".strip() for c in only_scr]),
                           expected="buku kerja penilaian mandiri atau nilai penilai untuk "
                                    "wilayah itu"))
    present = with_ind | with_scr | set(g.followup["kode_wilayah"])
    provinces = set(regions.loc[regions["kode_wilayah"].isin(present), "kode_provinsi"])
    absent = regions[regions["kode_provinsi"].isin(provinces)
                     & ~regions["kode_wilayah"].isin(present)]
    if len(absent):
        out.append(Problem(folder, f"{len(absent)} wilayah dalam daftar wilayah belum punya "
                                   "data sama sekali dan tidak dinilai",
                           value=_listing([f"{c} {n}" for c, n in
                                           zip(absent["kode_wilayah"], absent["nama_wilayah"])]),
                           expected="buku kerja wilayah itu (lihat antikorupsi status)"))
    mandiri = consolidated[consolidated["tahap"] == "mandiri"]
    if len(mandiri):
        counts = mandiri.groupby("kode_wilayah", sort=True).size()
        n = len(framework.indicators)
        out.append(Problem(folder, f"{len(counts)} wilayah dinilai (sebagian) dari penilaian "
                                   "mandiri yang belum diverifikasi penilai",
                           value=_listing([f"{c} ({k} dari {n} indikator)"
                                           for c, k in counts.items()]),
                           expected="nilai tahap verifikasi atau final"))
    return out


def read_year(data_dir: str | Path, year: int, framework: Framework,
              regions: pd.DataFrame) -> YearInputs:
    """Read, validate, merge and consolidate a year's inputs.

    Raises :class:`InputError` listing every problem; what is odd but usable is in
    :attr:`YearInputs.warnings`.
    """
    from .panel import consolidate

    g = gather(data_dir, year, framework, regions)
    problems = list(g.problems) + _year_problems(g)
    if problems:
        raise InputError(problems)
    indicators = consolidate(g.stages, framework)
    warnings = list(g.warnings) + _coverage_warnings(g, indicators, regions, framework)
    return YearInputs(year, indicators, g.screening, dict(sorted(g.used.items())),
                      tuple(warnings), g.stages, g.followup)


# -- merging several files (pure) ----------------------------------------------------------
def _where(r) -> str:
    sheet = f", sheet '{r.sheet}'" if r.sheet else ""
    return f"{r.berkas}{sheet}, baris {int(r.baris)}"


def _indicator_key(df: pd.DataFrame) -> pd.DataFrame:
    who = df["penilai"].where(df["tahap"] == "verifikasi", "")
    return pd.DataFrame({"w": df["kode_wilayah"], "i": df["kode_indikator"],
                         "t": df["tahap"], "p": who})


def _indicator_value(r) -> object:
    return None if pd.isna(r.angka) else float(r.angka)


def _indicator_what(r) -> str:
    who = f", penilai {r.penilai}" if r.tahap == "verifikasi" else ""
    return f"wilayah {r.kode_wilayah}, indikator {r.kode_indikator}, tahap {r.tahap}{who}"


def _screening_key(df: pd.DataFrame) -> pd.DataFrame:
    # rows without a value are notes ("not found"): they never collide
    blank = df["nilai"] == ""
    return pd.DataFrame({"w": df["kode_wilayah"], "k": df["kriteria"],
                         "t": df["tahun_data"].astype(str),
                         "b": np.where(blank, df["asal"], "")})


def _screening_value(r) -> object:
    v = r.angka
    return v if isinstance(v, str) else float(v)


def _screening_what(r) -> str:
    td = "" if pd.isna(r.tahun_data) else f", tahun data {int(r.tahun_data)}"
    return f"wilayah {r.kode_wilayah}, kriteria {r.kriteria}{td}"


def _followup_key(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"w": df["kode_wilayah"], "y": df["tahun_rekomendasi"].astype(str),
                         "n": df["no"].astype(str)})


def _followup_value(r) -> object:
    return (r.status, r.bukti)


def _followup_what(r) -> str:
    return f"wilayah {r.kode_wilayah}, rekomendasi no. {r.no} tahun {r.tahun_rekomendasi}"


def _merge(frames: list[pd.DataFrame], empty: pd.DataFrame, key, value, what, expected: str,
           column: str = "nilai") -> tuple[pd.DataFrame, list[Problem], list[Problem]]:
    """Concatenate validated tables; a key given twice: same value -> warning (the
    later copy is dropped), different value -> error naming both places."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty, [], []
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(
        drop=True)
    keys = key(df)
    dup = keys.duplicated(keep=False).to_numpy()
    if not dup.any():
        return df, [], []
    problems, warnings, drop = [], [], []
    k = keys[dup]
    for _, idx in k.groupby(list(k.columns), sort=False).groups.items():
        idx = list(idx)
        rows = list(df.loc[idx].itertuples(index=False))
        first = rows[0]
        for i, r in zip(idx[1:], rows[1:]):
            if value(first) == value(r):
                warnings.append(Problem(r.berkas, f"nilai sama juga diberikan di {_where(first)} "
                                                  f"untuk {what(r)}: salinan ini tidak dipakai",
                                        sheet=r.sheet or None, row=int(r.baris),
                                        column=column, value=getattr(r, column)))
            else:
                problems.append(Problem(first.berkas, f"nilai berbeda untuk {what(first)}: di "
                                                      f"{_where(r)} tertulis "
                                                      f"{getattr(r, column)!r}",
                                        sheet=first.sheet or None, row=int(first.baris),
                                        column=column, value=getattr(first, column),
                                        expected=expected))
            drop.append(i)
    return df.drop(index=drop).reset_index(drop=True), problems, warnings


# -- validation (pure) ---------------------------------------------------------------------
def _columns(df, required, optional, file, sheet, problems) -> bool:
    missing = [c for c in required if c not in df.columns]
    if missing:
        problems.append(Problem(file, "kolom wajib tidak ada: " + ", ".join(missing), sheet=sheet,
                                row=1, value=list(df.columns),
                                expected="kolom " + ", ".join(required + optional)))
        return False
    return True


def _common(r, row, year, regions_set, file, sheet, problems) -> tuple[str, bool]:
    ok = True
    tahun = r.get("tahun", "")
    if tahun == "":
        problems.append(Problem(file, "tahun kosong", sheet=sheet, row=row, column="tahun",
                                expected=str(year)))
        ok = False
    else:
        t = parse_number(tahun)
        if t != year:
            problems.append(Problem(file, "baris untuk tahun lain", sheet=sheet, row=row,
                                    column="tahun", value=tahun, expected=str(year)))
            ok = False
    code = normalise_code(r.get("kode_wilayah", ""))
    if code == "":
        problems.append(Problem(file, "kode wilayah kosong", sheet=sheet, row=row,
                                column="kode_wilayah", expected="kode Kemendagri, mis. 3601"))
        ok = False
    elif code not in regions_set:
        problems.append(Problem(file, "kode wilayah tidak dikenal", sheet=sheet, row=row,
                                column="kode_wilayah", value=r.get("kode_wilayah"),
                                expected=_codes_example(frozenset(regions_set))))
        ok = False
    return code, ok


@functools.lru_cache(maxsize=8)
def _codes_example(regions_set: frozenset) -> str:
    """``"kode dari daftar wilayah (--regions), mis. 3601, 3602, 3603, ..."``: the
    registry's own codes, whatever the province."""
    codes = sorted(regions_set)
    shown = ", ".join(codes[:4]) + (", ..." if len(codes) > 4 else "")
    return f"kode dari daftar wilayah (--regions), mis. {shown}"


def _region_set(regions) -> frozenset:
    """The registry's codes (a set given by the caller is used as it is)."""
    if isinstance(regions, (set, frozenset)):
        return regions
    return frozenset(regions["kode_wilayah"].tolist())


def _origin(file: str, sheet: str | None, label: str | None) -> str:
    return label if label is not None else f"{Path(file).name}{':' + sheet if sheet else ''}"


def _stage(r, row, has_stage, file, sheet, problems) -> tuple[str, str, str, bool]:
    """``tahap``, ``penilai``, ``instansi`` of one indicator row (legacy: final)."""
    penilai, instansi = r.get("penilai", ""), r.get("instansi", "")
    if not has_stage:
        return LEGACY_STAGE, penilai, instansi, True
    tahap = r.get("tahap", "").lower()
    ok = True
    if tahap not in STAGES:
        problems.append(Problem(file, "tahap kosong" if tahap == "" else "tahap tidak dikenal",
                                sheet=sheet, row=row, column="tahap",
                                value=r.get("tahap") or None,
                                expected="mandiri, verifikasi atau final (tanpa kolom tahap "
                                         "seluruh tabel berarti nilai final)"))
        ok = False
    elif tahap == "verifikasi" and penilai == "":
        problems.append(Problem(file, "penilai wajib diisi untuk tahap verifikasi", sheet=sheet,
                                row=row, column="penilai",
                                expected="kode atau nama penilai, mis. KPK-01"))
        ok = False
    return tahap, penilai, instansi, ok


def validate_indicators(df: pd.DataFrame, framework: Framework, regions: pd.DataFrame, year: int,
                        file: str = "<indikator>", sheet: str | None = None,
                        label: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one indicator table; return its rows (stage rows, not consolidated) and
    the list of problems.

    Output columns: ``kode_wilayah, kode_indikator, tahap, penilai, instansi, nilai``
    (text as given), ``angka`` (the parsed number or rubric level, NaN when missing),
    ``skor_masukan`` (the 0-100 score the value maps to, NaN when missing), ``bukti,
    catatan, sintetis, asal`` (``label`` or the file name, sheet and row of the value)
    and ``berkas, sheet, baris`` (where the row is, for messages). A table without a
    ``tahap`` column gives ``tahap = final``.
    """
    rows, problems = _indicator_rows(df, framework, regions, year, file, sheet, label)
    return _stage_frame(rows), problems


def _indicator_rows(df, framework: Framework, regions: pd.DataFrame, year: int,
                    file: str = "<indikator>", sheet: str | None = None,
                    label: str | None = None) -> tuple[list[dict], list[Problem]]:
    """:func:`validate_indicators` as a list of row dicts (a frame per small table costs
    more than reading it)."""
    problems: list[Problem] = []
    if not _columns(df, REQUIRED_INDICATOR, ["bukti", "catatan", "sintetis"]
                    + STAGE_INPUT_COLUMNS, file, sheet, problems):
        return [], problems
    has_stage = "tahap" in df.columns
    origin = _origin(file, sheet, label)
    regions_set = _region_set(regions)
    indicators = {i.code: i for i in framework.indicators}
    rows, seen = [], {}
    lo, hi = framework.scale
    for i, r in enumerate(df.to_dict("records")):
        row = i + 2
        if all(v == "" for v in r.values()):
            continue  # a blank spacer line carries nothing
        code, ok = _common(r, row, year, regions_set, file, sheet, problems)
        icode = r["kode_indikator"].upper()
        ind = indicators.get(icode)
        if icode == "":
            problems.append(Problem(file, "kode indikator kosong", sheet=sheet, row=row,
                                    column="kode_indikator", expected="I01-I19"))
            ok = False
        elif ind is None:
            problems.append(Problem(file, "kode indikator tidak dikenal", sheet=sheet, row=row,
                                    column="kode_indikator", value=r["kode_indikator"],
                                    expected=f"salah satu dari {framework.indicator_codes[0]}-"
                                             f"{framework.indicator_codes[-1]}"))
            ok = False
        tahap, penilai, instansi, stage_ok = _stage(r, row, has_stage, file, sheet, problems)
        ok = ok and stage_ok
        key = (code, icode, tahap, penilai if tahap == "verifikasi" else "")
        if ok and key in seen:
            who = f", penilai {penilai}" if tahap == "verifikasi" else ""
            stage = f", tahap {tahap}" if has_stage else ""
            problems.append(Problem(file, f"baris ganda untuk wilayah {code} dan indikator "
                                          f"{icode}{stage}{who} (pertama di baris {seen[key]})",
                                    sheet=sheet, row=row, column="kode_indikator", value=icode,
                                    expected="satu baris per wilayah dan indikator"
                                             + (", tahap dan penilai" if has_stage else "")))
            ok = False
        seen.setdefault(key, row)
        sint = r.get("sintetis", "").lower()
        if sint not in TRUE | FALSE:
            problems.append(Problem(file, "isian sintetis tidak dikenal", sheet=sheet, row=row,
                                    column="sintetis", value=r.get("sintetis"),
                                    expected="ya atau tidak"))
        nilai = r["nilai"]
        number = score = float("nan")
        if ind is not None and nilai != "":
            sc = ind.scoring
            if sc.method == "rubric":
                rub = framework.rubric(sc.rubric)
                level = _parse_level(nilai, rub)
                if level is None:
                    problems.append(Problem(file, _level_problem(nilai, rub),
                                            sheet=sheet, row=row, column="nilai", value=nilai,
                                            expected="; ".join(rub.choices())))
                    ok = False
                else:
                    number, score = float(level), rub.score_of(level)
            else:
                x = parse_number(nilai)
                valid = (lo, hi) if sc.method == "direct" else sc.valid
                if x is None:
                    problems.append(Problem(file, "bukan angka", sheet=sheet, row=row,
                                            column="nilai", value=nilai,
                                            expected="angka, mis. 87,5 atau 87.5"))
                    ok = False
                elif valid is not None and not valid[0] <= x <= valid[1]:
                    unit = f" {sc.unit}" if sc.unit else ""
                    problems.append(Problem(file, f"nilai di luar rentang untuk {icode}",
                                            sheet=sheet, row=row, column="nilai", value=nilai,
                                            expected=f"antara {ringkas(valid[0])} dan "
                                                     f"{ringkas(valid[1])}{unit}"
                                                     + _thousands_hint(nilai, valid)))
                    ok = False
                else:
                    number = x
                    score = _goalpost_score(x, sc) if sc.method == "goalposts" else x
        if ok:
            rows.append({
                "kode_wilayah": code, "kode_indikator": icode, "tahap": tahap,
                "penilai": penilai, "instansi": instansi, "nilai": nilai,
                "angka": number, "skor_masukan": score, "bukti": r.get("bukti", ""),
                "catatan": r.get("catatan", ""), "sintetis": sint in TRUE,
                "asal": f"{origin}:{row}", "berkas": file, "sheet": sheet or "", "baris": row,
            })
    return rows, problems


STAGE_COLUMNS = ["kode_wilayah", "kode_indikator", "tahap", "penilai", "instansi", "nilai",
                 "angka", "skor_masukan", "bukti", "catatan", "sintetis", "asal", "berkas",
                 "sheet", "baris"]


def _stage_frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return _empty_stages()
    out = pd.DataFrame(rows, columns=STAGE_COLUMNS)
    out["angka"] = out["angka"].astype(float)
    out["skor_masukan"] = out["skor_masukan"].astype(float)
    return out


def _empty_stages() -> pd.DataFrame:
    text = pd.Series(dtype=object)
    return pd.DataFrame({
        "kode_wilayah": text, "kode_indikator": text, "tahap": text, "penilai": text,
        "instansi": text, "nilai": text, "angka": pd.Series(dtype=float),
        "skor_masukan": pd.Series(dtype=float), "bukti": text, "catatan": text,
        "sintetis": pd.Series(dtype=bool), "asal": text, "berkas": text, "sheet": text,
        "baris": pd.Series(dtype="int64"),
    })


def _goalpost_score(x: float, sc) -> float:
    share = (x - sc.low) / (sc.high - sc.low)
    if sc.direction == -1:
        share = 1.0 - share
    return float(min(max(share, 0.0), 1.0) * 100.0)


_LEVEL = re.compile(r"^(\d+)(?:[.,]0+)?\s*(?::\s*(.*?))?\s*$", re.S)


def _same_label(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def _parse_level(text: str, rubric) -> int | None:
    """``"3"``, ``"3: Terlaksana"`` or ``"Terlaksana"`` -> 3; None when the level is not in
    the rubric, or when a level and a label are both given and disagree (``"4:
    Terlaksana"``: level 4 is "Optimal"), so the value is an error, never silently 4."""
    t = text.strip()
    m = _LEVEL.match(t)
    if m:
        level = int(m.group(1))
        found = next((lv for lv in rubric.levels if lv.level == level), None)
        if found is None or (m.group(2) and not _same_label(m.group(2), found.label)):
            return None
        return level
    for lv in rubric.levels:
        if _same_label(lv.label, t):
            return lv.level
    return None


_SCREENING_OUT = ["kode_wilayah", "kriteria", "nilai", "angka", "tahun_data", "sumber",
                  "catatan", "asal", "berkas", "sheet", "baris"]


def _empty_screening() -> pd.DataFrame:
    out = pd.DataFrame(columns=_SCREENING_OUT)
    out["tahun_data"] = out["tahun_data"].astype("Int64")
    out["angka"] = out["angka"].astype(object)
    out["baris"] = out["baris"].astype("int64")
    return out


def _level_problem(text: str, rubric) -> str:
    """The message for a rubric value :func:`_parse_level` rejects."""
    m = _LEVEL.match(text.strip())
    if m and m.group(2):
        found = next((lv for lv in rubric.levels if lv.level == int(m.group(1))), None)
        if found is not None:
            return (f"tingkat dan label rubrik '{rubric.code}' tidak cocok: tingkat "
                    f"{found.level} adalah '{found.label}', bukan '{m.group(2)}'")
    return f"tingkat tidak ada dalam rubrik '{rubric.code}'"


def _thousands_hint(text: str, valid: tuple[float, float]) -> str:
    """For ``"89.995"``, read the Indonesian way as 89 995 and so out of range: say so,
    when reading the point as a decimal point would have been in range."""
    t = str(text).strip()
    if "," in t or not _ID_NUMBER.match(t):
        return ""
    try:
        as_decimal = float(t)
    except ValueError:
        return ""
    if not valid[0] <= as_decimal <= valid[1]:
        return ""
    return (f" (titik dibaca sebagai pemisah ribuan; untuk desimal tulis "
            f"{t.replace('.', ',')})")


def validate_screening(df: pd.DataFrame, framework: Framework, regions: pd.DataFrame, year: int,
                       file: str = "<penyaringan>", sheet: str | None = None,
                       label: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one screening table; return the tidy frame and the list of problems."""
    rows, problems = _screening_rows(df, framework, regions, year, file, sheet, label)
    return _screening_frame(rows), problems


def _screening_rows(df, framework: Framework, regions: pd.DataFrame, year: int,
                    file: str = "<penyaringan>", sheet: str | None = None,
                    label: str | None = None) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    if not _columns(df, REQUIRED_SCREENING, ["tahun_data", "sumber", "catatan"], file, sheet,
                    problems):
        return [], problems
    origin = _origin(file, sheet, label)
    regions_set = _region_set(regions)
    criteria = {c.code: c for c in framework.screening}
    rows, seen = [], {}
    for i, r in enumerate(df.to_dict("records")):
        row = i + 2
        if all(v == "" for v in r.values()):
            continue
        code, ok = _common(r, row, year, regions_set, file, sheet, problems)
        ccode = r["kriteria"].lower()
        crit = criteria.get(ccode)
        if crit is None:
            problems.append(Problem(file, "kriteria penyaringan tidak dikenal" if ccode else
                                    "kriteria kosong", sheet=sheet, row=row, column="kriteria",
                                    value=r["kriteria"] or None,
                                    expected=", ".join(criteria)))
            ok = False
        nilai, tahun_data = r["nilai"], r.get("tahun_data", "")
        td = parse_number(tahun_data) if tahun_data else None
        if tahun_data and (td is None or td != int(td)):
            problems.append(Problem(file, "tahun data bukan tahun", sheet=sheet, row=row,
                                    column="tahun_data", value=tahun_data, expected="mis. 2024"))
            ok = False
        elif td is not None and td > year:
            problems.append(Problem(file, "tahun data sesudah tahun penilaian", sheet=sheet,
                                    row=row, column="tahun_data", value=tahun_data,
                                    expected=f"<= {year}"))
            ok = False
        elif nilai != "" and td is None:
            problems.append(Problem(file, "nilai tanpa tahun data", sheet=sheet, row=row,
                                    column="tahun_data", expected="tahun asal angka, mis. 2024"))
            ok = False
        key = (code, ccode, td)
        if ok and key in seen:
            problems.append(Problem(file, f"baris ganda untuk wilayah {code}, kriteria {ccode} "
                                          f"(pertama di baris {seen[key]})", sheet=sheet, row=row,
                                    column="kriteria", value=ccode,
                                    expected="satu baris per wilayah, kriteria dan tahun data"))
            ok = False
        seen.setdefault(key, row)
        value: object = float("nan")
        if crit is not None and nilai != "":
            if crit.kind == "grade":
                g = nilai.upper()
                if g not in crit.grades:
                    problems.append(Problem(file, f"nilai tidak dikenal untuk {ccode}", sheet=sheet,
                                            row=row, column="nilai", value=nilai,
                                            expected=", ".join(crit.grades)))
                    ok = False
                else:
                    value = g
            else:
                x = parse_number(nilai)
                if x is None or (crit.kind == "count" and x != int(x)):
                    problems.append(Problem(file, "bukan angka" if x is None else
                                            "harus bilangan bulat", sheet=sheet, row=row,
                                            column="nilai", value=nilai,
                                            expected="bilangan bulat >= 0" if crit.kind == "count"
                                            else "angka, mis. 87,5"))
                    ok = False
                elif crit.range is not None and not crit.range[0] <= x <= crit.range[1]:
                    problems.append(Problem(file, f"nilai di luar rentang untuk {ccode}",
                                            sheet=sheet, row=row, column="nilai", value=nilai,
                                            expected=f"antara {ringkas(crit.range[0])} dan "
                                                     f"{ringkas(crit.range[1])}"
                                                     + _thousands_hint(nilai, crit.range)))
                    ok = False
                else:
                    value = x
        if ok:
            rows.append({"kode_wilayah": code, "kriteria": ccode, "nilai": nilai, "angka": value,
                         "tahun_data": int(td) if td is not None else pd.NA,
                         "sumber": r.get("sumber", ""), "catatan": r.get("catatan", ""),
                         "asal": f"{origin}:{row}", "berkas": file, "sheet": sheet or "",
                         "baris": row})
    return rows, problems


def _screening_frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return _empty_screening()
    out = pd.DataFrame(rows, columns=_SCREENING_OUT)
    out["tahun_data"] = out["tahun_data"].astype("Int64")
    out["angka"] = out["angka"].astype(object)
    return out


_FOLLOWUP_OUT = ["kode_wilayah", "tahun_rekomendasi", "no", "kode_indikator", "rekomendasi",
                 "status", "bukti", "catatan", "asal", "berkas", "sheet", "baris"]


def _empty_followup() -> pd.DataFrame:
    out = pd.DataFrame(columns=_FOLLOWUP_OUT)
    for c in ("tahun_rekomendasi", "no", "baris"):
        out[c] = out[c].astype("int64")
    return out


def validate_followup(df: pd.DataFrame, framework: Framework, regions: pd.DataFrame, year: int,
                      file: str = "<tindak_lanjut>", sheet: str | None = None,
                      label: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one ``tindak_lanjut`` table (last year's recommendations and what the
    region did about them); return the tidy frame and the list of problems.

    ``status`` is one of :data:`FOLLOWUP_STATUS` or empty (not reported yet);
    ``tahun_rekomendasi`` defaults to the year before; ``no`` numbers the
    recommendations of a region (a whole number >= 1).
    """
    rows, problems = _followup_rows(df, framework, regions, year, file, sheet, label)
    return _followup_frame(rows), problems


def _followup_rows(df, framework: Framework, regions: pd.DataFrame, year: int,
                   file: str = "<tindak_lanjut>", sheet: str | None = None,
                   label: str | None = None) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    if not _columns(df, REQUIRED_FOLLOWUP, ["tahun_rekomendasi", "kode_indikator", "bukti",
                                            "catatan"], file, sheet, problems):
        return [], problems
    origin = _origin(file, sheet, label)
    regions_set = _region_set(regions)
    codes = set(framework.indicator_codes)
    rows, seen = [], {}
    for i, r in enumerate(df.to_dict("records")):
        row = i + 2
        if all(v == "" for v in r.values()):
            continue
        code, ok = _common(r, row, year, regions_set, file, sheet, problems)
        ty = r.get("tahun_rekomendasi", "")
        t = parse_number(ty) if ty else float(year - 1)
        if t is None or t != int(t) or not t < year:
            problems.append(Problem(file, "tahun rekomendasi tidak sah", sheet=sheet, row=row,
                                    column="tahun_rekomendasi", value=ty,
                                    expected=f"tahun sebelum {year}, mis. {year - 1}"))
            ok, t = False, float(year - 1)
        no = parse_number(r["no"]) if r["no"] else None
        if no is None or no != int(no) or no < 1:
            problems.append(Problem(file, "nomor rekomendasi tidak sah", sheet=sheet, row=row,
                                    column="no", value=r["no"] or None,
                                    expected="bilangan bulat >= 1"))
            ok, no = False, 0
        icode = r.get("kode_indikator", "").upper()
        if icode and icode not in codes:
            problems.append(Problem(file, "kode indikator tidak dikenal", sheet=sheet, row=row,
                                    column="kode_indikator", value=r.get("kode_indikator"),
                                    expected="kode indikator kerangka, atau kosong"))
            ok = False
        status = r["status"].lower()
        if status not in FOLLOWUP_STATUS and status != "":
            problems.append(Problem(file, "status tindak lanjut tidak dikenal", sheet=sheet,
                                    row=row, column="status", value=r["status"],
                                    expected=", ".join(FOLLOWUP_STATUS) + " (atau kosong)"))
            ok = False
        if r["rekomendasi"] == "":
            problems.append(Problem(file, "rekomendasi kosong", sheet=sheet, row=row,
                                    column="rekomendasi", expected="teks rekomendasi"))
            ok = False
        key = (code, int(t), int(no))
        if ok and key in seen:
            problems.append(Problem(file, f"baris ganda untuk wilayah {code}, rekomendasi no. "
                                          f"{int(no)} (pertama di baris {seen[key]})",
                                    sheet=sheet, row=row, column="no", value=r["no"],
                                    expected="satu baris per wilayah dan rekomendasi"))
            ok = False
        seen.setdefault(key, row)
        if ok:
            rows.append({"kode_wilayah": code, "tahun_rekomendasi": int(t), "no": int(no),
                         "kode_indikator": icode, "rekomendasi": r["rekomendasi"],
                         "status": status, "bukti": r.get("bukti", ""),
                         "catatan": r.get("catatan", ""), "asal": f"{origin}:{row}",
                         "berkas": file, "sheet": sheet or "", "baris": row})
    return rows, problems


def _followup_frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return _empty_followup()
    return pd.DataFrame(rows, columns=_FOLLOWUP_OUT)
