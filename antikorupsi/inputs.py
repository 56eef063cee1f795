"""A year's raw inputs -> tidy, validated frames, reporting every problem at once.

Two tables per year, as CSV files or as sheets of one Excel workbook in
``data/raw/<year>/``:

``indikator``   one row per region and indicator: ``tahun, kode_wilayah, kode_indikator,
                nilai, bukti, catatan, sintetis`` (extra columns such as names are ignored)
``penyaringan`` one row per region, screening criterion and data year: ``tahun,
                kode_wilayah, kriteria, nilai, tahun_data, sumber, catatan``

An empty ``nilai`` is allowed and stays visible as missing: the framework's policy
decides what it scores. Everything else that is wrong is an error naming the file,
sheet, row, column, value and what was expected.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError, Problem
from .fmt import ringkas
from .framework import Framework
from .regions import normalise_code

__all__ = ["YearInputs", "read_year", "read_table", "validate_indicators",
           "validate_screening", "parse_number", "find_inputs", "INDICATOR_COLUMNS",
           "SCREENING_COLUMNS"]

INDICATOR_COLUMNS = ["tahun", "kode_wilayah", "kode_indikator", "nilai", "bukti", "catatan",
                     "sintetis"]
SCREENING_COLUMNS = ["tahun", "kode_wilayah", "kriteria", "nilai", "tahun_data", "sumber",
                     "catatan"]
REQUIRED_INDICATOR = ["tahun", "kode_wilayah", "kode_indikator", "nilai"]
REQUIRED_SCREENING = ["tahun", "kode_wilayah", "kriteria", "nilai"]
TRUE = {"ya", "y", "true", "1", "benar"}
FALSE = {"tidak", "t", "false", "0", "salah", ""}

_ID_NUMBER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234,5
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class YearInputs:
    """Validated inputs of one assessment year (plain frames, no I/O)."""

    year: int
    indicators: pd.DataFrame
    screening: pd.DataFrame
    files: dict = field(default_factory=dict)  # path -> sha256 of every file read


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
    """Read a CSV or one sheet of a workbook, every cell as text, nothing dropped."""
    path = Path(path)
    try:
        if path.suffix.lower() not in (".xlsx", ".xlsm") and not path.read_bytes().strip(
                b"\xef\xbb\xbf \t\r\n"):
            raise InputError(Problem(str(path), "berkas kosong", sheet=sheet,
                                     expected="baris judul kolom lalu satu baris per data"))
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False,
                               engine="openpyxl")
        else:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                             sep=None, engine="python")
    except ValueError as exc:  # e.g. missing sheet
        raise InputError(Problem(str(path), f"tidak dapat dibaca: {exc}", sheet=sheet)) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, csv.Error) as exc:
        raise InputError(Problem(str(path), f"tidak dapat dibaca: {exc}", sheet=sheet)) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df.map(lambda v: "" if v is None else str(v).strip())


def find_inputs(data_dir: Path, year: int) -> dict[str, tuple[Path, str | None]]:
    """Locate the two tables of ``year``: CSV files first, else one workbook with both sheets."""
    d = Path(data_dir) / str(year)
    if not d.is_dir():
        raise InputError(Problem(str(d), f"folder data tahun {year} tidak ditemukan",
                                 expected=f"{d}/indikator.csv dan penyaringan.csv, "
                                          f"atau satu berkas .xlsx"))
    found: dict[str, tuple[Path, str | None]] = {}
    for name in ("indikator", "penyaringan"):
        csv = d / f"{name}.csv"
        if csv.exists():
            found[name] = (csv, None)
    books = sorted(p for p in d.glob("*.xlsx") if not p.name.startswith("~$"))
    book_sheets: dict[str, list[str]] = {}
    for book in books:
        try:
            with pd.ExcelFile(book, engine="openpyxl") as xf:
                sheets = xf.sheet_names
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported
            raise InputError(Problem(str(book), f"buku kerja tidak dapat dibaca: {exc}")) from None
        book_sheets[str(book)] = sheets
        for name in ("indikator", "penyaringan"):
            if name in sheets and name not in found:
                found[name] = (book, name)
    missing = [n for n in ("indikator", "penyaringan") if n not in found]
    if missing:
        # Name the workbooks that were looked at, so a misnamed sheet is easy to spot.
        seen = "; ".join(f"{b} (sheet: {', '.join(s)})" for b, s in book_sheets.items())
        raise InputError(Problem(str(d), "tabel masukan tidak ditemukan: " + ", ".join(missing),
                                 value=seen or None,
                                 expected="indikator.csv dan penyaringan.csv, atau buku kerja "
                                          "dengan sheet 'indikator' dan 'penyaringan'"))
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_year(data_dir: str | Path, year: int, framework: Framework,
              regions: pd.DataFrame) -> YearInputs:
    """Read and validate a year's inputs; raise :class:`InputError` listing every problem."""
    found = find_inputs(Path(data_dir), year)
    problems: list[Problem] = []
    frames = {}
    for name, validate in (("indikator", validate_indicators), ("penyaringan", validate_screening)):
        path, sheet = found[name]
        try:
            raw = read_table(path, sheet)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        frame, probs = validate(raw, framework, regions, year, file=str(path), sheet=sheet)
        frames[name] = frame
        problems.extend(probs)
    if problems:
        raise InputError(problems)
    files = {str(p): _sha256(p) for p, _ in sorted(set(found.values()))}
    return YearInputs(year, frames["indikator"], frames["penyaringan"], files)


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
                                expected="kode dari daftar wilayah (mis. 3601-3604, 3671-3674)"))
        ok = False
    return code, ok


def validate_indicators(df: pd.DataFrame, framework: Framework, regions: pd.DataFrame, year: int,
                        file: str = "<indikator>", sheet: str | None = None,
                        ) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate the indicator table; return the tidy frame and the list of problems.

    Output columns: ``kode_wilayah, kode_indikator, nilai`` (text as given), ``angka``
    (the parsed number or rubric level, NaN when missing), ``skor_masukan`` (the 0-100
    score the value maps to, NaN when missing), ``bukti, catatan, sintetis, asal``
    (file, sheet and row of the value).
    """
    problems: list[Problem] = []
    if not _columns(df, REQUIRED_INDICATOR, ["bukti", "catatan", "sintetis"], file, sheet,
                    problems):
        return _empty_indicators(), problems
    regions_set = set(regions["kode_wilayah"])
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
        key = (code, icode)
        if ok and key in seen:
            problems.append(Problem(file, f"baris ganda untuk wilayah {code} dan indikator "
                                          f"{icode} (pertama di baris {seen[key]})",
                                    sheet=sheet, row=row, column="kode_indikator", value=icode,
                                    expected="satu baris per wilayah dan indikator"))
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
                                                     f"{ringkas(valid[1])}{unit}"))
                    ok = False
                else:
                    number = x
                    score = _goalpost_score(x, sc) if sc.method == "goalposts" else x
        if ok:
            rows.append({
                "kode_wilayah": code, "kode_indikator": icode, "nilai": nilai,
                "angka": number, "skor_masukan": score, "bukti": r.get("bukti", ""),
                "catatan": r.get("catatan", ""), "sintetis": sint in TRUE,
                "asal": f"{Path(file).name}{':' + sheet if sheet else ''}:{row}",
            })
    if not any(any(v != "" for v in r.values()) for r in df.to_dict("records")):
        problems.append(Problem(file, "tabel indikator tidak berisi baris data", sheet=sheet,
                                row=2, expected="satu baris per wilayah dan indikator"))
    out = pd.DataFrame(rows, columns=_empty_indicators().columns) if rows else _empty_indicators()
    return out, problems


def _empty_indicators() -> pd.DataFrame:
    return pd.DataFrame({
        "kode_wilayah": pd.Series(dtype=str), "kode_indikator": pd.Series(dtype=str),
        "nilai": pd.Series(dtype=str), "angka": pd.Series(dtype=float),
        "skor_masukan": pd.Series(dtype=float), "bukti": pd.Series(dtype=str),
        "catatan": pd.Series(dtype=str), "sintetis": pd.Series(dtype=bool),
        "asal": pd.Series(dtype=str),
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


def _level_problem(text: str, rubric) -> str:
    """The message for a rubric value :func:`_parse_level` rejects."""
    m = _LEVEL.match(text.strip())
    if m and m.group(2):
        found = next((lv for lv in rubric.levels if lv.level == int(m.group(1))), None)
        if found is not None:
            return (f"tingkat dan label rubrik '{rubric.code}' tidak cocok: tingkat "
                    f"{found.level} adalah '{found.label}', bukan '{m.group(2)}'")
    return f"tingkat tidak ada dalam rubrik '{rubric.code}'"


def validate_screening(df: pd.DataFrame, framework: Framework, regions: pd.DataFrame, year: int,
                       file: str = "<penyaringan>", sheet: str | None = None,
                       ) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate the screening table; return the tidy frame and the list of problems."""
    problems: list[Problem] = []
    cols = ["kode_wilayah", "kriteria", "nilai", "angka", "tahun_data", "sumber", "catatan", "asal"]
    if not _columns(df, REQUIRED_SCREENING, ["tahun_data", "sumber", "catatan"], file, sheet,
                    problems):
        return pd.DataFrame(columns=cols), problems
    regions_set = set(regions["kode_wilayah"])
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
                                                     f"{ringkas(crit.range[1])}"))
                    ok = False
                else:
                    value = x
        if ok:
            rows.append({"kode_wilayah": code, "kriteria": ccode, "nilai": nilai, "angka": value,
                         "tahun_data": int(td) if td is not None else pd.NA,
                         "sumber": r.get("sumber", ""), "catatan": r.get("catatan", ""),
                         "asal": f"{Path(file).name}{':' + sheet if sheet else ''}:{row}"})
    out = pd.DataFrame(rows, columns=cols)
    out["tahun_data"] = out["tahun_data"].astype("Int64")
    out["angka"] = out["angka"].astype(object)
    return out, problems
