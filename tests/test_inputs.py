"""Malformed raw inputs through the real CLI: every problem located, nothing overwritten.

Each case copies the sample year into ``tmp_path``, scores it once (so that processed
outputs exist), breaks the copy, runs ``antikorupsi score`` again and checks that the
exit code is 2, that stderr names file, sheet, row, column and value of every problem,
and that the earlier outputs are byte-identical. Cases run on CSV files and on the same
tables as one workbook.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from antikorupsi.cli import main
from antikorupsi.framework import load_framework

YEAR = 2024  # the sample year given as one table of final values (2025 is split in stages)
SAMPLE_RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
FRAMEWORK = load_framework(f"kak-{YEAR}")


# -- tables the tests edit ----------------------------------------------------------------
@dataclass
class Table:
    """A raw table as text cells; rows are numbered as in a spreadsheet (header = 1)."""

    name: str
    header: list[str]
    rows: list[list[str]]

    @classmethod
    def read(cls, path: Path) -> "Table":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        return cls(path.stem, header, rows)

    def row_of(self, **match: str) -> int:
        """Spreadsheet row number of the first row whose columns equal ``match``."""
        idx = [self.header.index(c) for c in match]
        for k, r in enumerate(self.rows):
            if all(r[i] == v for i, v in zip(idx, match.values())):
                return k + 2
        raise LookupError(match)

    def set(self, row: int, column: str, value: str) -> None:
        self.rows[row - 2][self.header.index(column)] = value

    def get(self, row: int, column: str) -> str:
        return self.rows[row - 2][self.header.index(column)]

    def append_copy(self, row: int) -> int:
        self.rows.append(list(self.rows[row - 2]))
        return len(self.rows) + 1

    def drop(self, column: str) -> None:
        i = self.header.index(column)
        self.header.pop(i)
        for r in self.rows:
            r.pop(i)


def write_csv(table: Table, path: Path, delimiter: str = ",", encoding: str = "utf-8") -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerows(
            [table.header] + table.rows)


_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(column: str, text: str) -> object:
    """What an analyst's Excel would hold: numbers as numbers, codes and the rest as text."""
    if text == "":
        return None
    if column in ("tahun", "tahun_data", "nilai") and _PLAIN_NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


def write_xlsx(tables: list[Table], path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for t in tables:
        ws = wb.create_sheet(t.name)
        ws.append(t.header)
        for r in t.rows:
            ws.append([_cell(c, v) for c, v in zip(t.header, r)])
    wb.save(path)


@dataclass(frozen=True)
class Expect:
    """One problem the CLI must report."""

    table: str          # "indikator" or "penyaringan"
    row: int | None
    column: str | None
    value: str | None   # the offending cell as read (None: the cell is empty)
    message: str


# -- the scored copy, before anything is broken -------------------------------------------
@dataclass
class Scored:
    data: Path
    processed: Path
    digest: dict

    @property
    def year_dir(self) -> Path:
        return self.data / str(YEAR)

    def tables(self) -> tuple[Table, Table]:
        return (Table.read(self.year_dir / "indikator.csv"),
                Table.read(self.year_dir / "penyaringan.csv"))

    def score(self) -> int:
        return main(["score", "--year", str(YEAR), "--data", str(self.data),
                     "--processed", str(self.processed)])

    def save(self, fmt: str, ind: Table, scr: Table) -> dict[str, tuple[str, str | None]]:
        """Write the tables as CSV or as one workbook; return where each one lives."""
        if fmt == "csv":
            write_csv(ind, self.year_dir / "indikator.csv")
            write_csv(scr, self.year_dir / "penyaringan.csv")
            return {"indikator": (str(self.year_dir / "indikator.csv"), None),
                    "penyaringan": (str(self.year_dir / "penyaringan.csv"), None)}
        for name in ("indikator", "penyaringan"):
            (self.year_dir / f"{name}.csv").unlink()
        book = self.year_dir / "penilaian.xlsx"
        write_xlsx([ind, scr], book)
        return {"indikator": (str(book), "indikator"), "penyaringan": (str(book), "penyaringan")}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[Path, Path]:
    """The sample year and its processed outputs, scored once for the whole module."""
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(SAMPLE_RAW / str(YEAR), root / "data" / str(YEAR))
    assert main(["score", "--year", str(YEAR), "--data", str(root / "data"),
                 "--processed", str(root / "processed")]) == 0
    return root / "data", root / "processed"


@pytest.fixture
def scored(baseline, tmp_path, tree_digest, capsys) -> Scored:
    """A private copy of the scored sample year: raw data and earlier outputs."""
    capsys.readouterr()
    data, processed = tmp_path / "data", tmp_path / "processed"
    shutil.copytree(baseline[0], data)
    shutil.copytree(baseline[1], processed)
    s = Scored(data, processed, tree_digest(processed))
    assert any(k.endswith("manifest.json") for k in s.digest)
    return s


def problem_lines(stderr: str) -> list[str]:
    return [line[4:] for line in stderr.splitlines() if line.startswith("  - ")]


def assert_reported(stderr: str, where: dict, e: Expect) -> None:
    """The problem's line names file, sheet, row, column, value and the message."""
    file, sheet = where[e.table]
    location = file
    if sheet:
        location += f", sheet '{sheet}'"
    if e.row is not None:
        location += f", baris {e.row}"
    if e.column:
        location += f", kolom '{e.column}'"
    lines = [x for x in problem_lines(stderr) if x.startswith(location + ":")]
    lines = [x for x in lines if e.message in x]
    assert lines, f"no problem at {location!r} with {e.message!r} in:\n{stderr}"
    if e.value is not None:
        assert any(f"(nilai: {e.value!r})" in x for x in lines), stderr


def assert_rejected(scored: Scored, capsys, tree_digest, where, expects: list[Expect]) -> str:
    code = scored.score()
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    for e in expects:
        assert_reported(err, where, e)
    assert len(problem_lines(err)) == len(expects), err
    assert tree_digest(scored.processed) == scored.digest
    return err


# -- the cases: each edits the two tables and says what must be reported --------------------
def unknown_region(ind, scr):
    r = ind.row_of(kode_wilayah="3601", kode_indikator="I01")
    ind.set(r, "kode_wilayah", "3699")
    return [Expect("indikator", r, "kode_wilayah", "3699", "kode wilayah tidak dikenal")]


def unknown_indicator(ind, scr):
    r = ind.row_of(kode_wilayah="3602", kode_indikator="I03")
    ind.set(r, "kode_indikator", "I20")
    return [Expect("indikator", r, "kode_indikator", "I20", "kode indikator tidak dikenal")]


def duplicate_row(ind, scr):
    r = ind.append_copy(ind.row_of(kode_wilayah="3603", kode_indikator="I05"))
    return [Expect("indikator", r, "kode_indikator", "I05", "baris ganda untuk wilayah 3603")]


def text_for_number(ind, scr):
    r = ind.row_of(kode_wilayah="3604", kode_indikator="I01")
    ind.set(r, "nilai", "tinggi")
    return [Expect("indikator", r, "nilai", "tinggi", "bukan angka")]


def above_scale(ind, scr):
    r = ind.row_of(kode_wilayah="3671", kode_indikator="I17")
    ind.set(r, "nilai", "120")
    return [Expect("indikator", r, "nilai", "120", "nilai di luar rentang untuk I17")]


def lhkpn_above_100(ind, scr):
    r = ind.row_of(kode_wilayah="3672", kode_indikator="I05")
    ind.set(r, "nilai", "150")
    return [Expect("indikator", r, "nilai", "150", "nilai di luar rentang untuk I05")]


def rubric_level_unknown(ind, scr):
    r = ind.row_of(kode_wilayah="3673", kode_indikator="I02")
    ind.set(r, "nilai", "7")
    return [Expect("indikator", r, "nilai", "7", "tingkat tidak ada dalam rubrik 'tingkat5'")]


def empty_region_code(ind, scr):
    r = ind.row_of(kode_wilayah="3674", kode_indikator="I06")
    ind.set(r, "kode_wilayah", "")
    return [Expect("indikator", r, "kode_wilayah", None, "kode wilayah kosong")]


def empty_indicator_code(ind, scr):
    r = ind.row_of(kode_wilayah="3601", kode_indikator="I07")
    ind.set(r, "kode_indikator", "")
    return [Expect("indikator", r, "kode_indikator", None, "kode indikator kosong")]


def row_for_other_year(ind, scr):
    r = ind.row_of(kode_wilayah="3602", kode_indikator="I08")
    ind.set(r, "tahun", str(YEAR - 1))
    return [Expect("indikator", r, "tahun", str(YEAR - 1), "baris untuk tahun lain")]


def synthetic_flag_unknown(ind, scr):
    r = ind.row_of(kode_wilayah="3603", kode_indikator="I09")
    ind.set(r, "sintetis", "mungkin")
    return [Expect("indikator", r, "sintetis", "mungkin", "isian sintetis tidak dikenal")]


def missing_column(ind, scr):
    ind.drop("nilai")
    return [Expect("indikator", 1, None, None, "kolom wajib tidak ada: nilai")]


def unknown_criterion(ind, scr):
    r = scr.row_of(kode_wilayah="3601", kriteria="mcp")
    scr.set(r, "kriteria", "korupsi")
    return [Expect("penyaringan", r, "kriteria", "korupsi", "kriteria penyaringan tidak dikenal")]


def grade_not_in_list(ind, scr):
    r = scr.row_of(kode_wilayah="3602", kriteria="opini_bpk")
    scr.set(r, "nilai", "WTPP")
    scr.set(r, "tahun_data", str(YEAR - 1))
    return [Expect("penyaringan", r, "nilai", "WTPP", "nilai tidak dikenal untuk opini_bpk")]


def data_year_after_assessment(ind, scr):
    r = scr.row_of(kode_wilayah="3602", kriteria="spi")
    scr.set(r, "tahun_data", str(YEAR + 1))
    return [Expect("penyaringan", r, "tahun_data", str(YEAR + 1),
                   "tahun data sesudah tahun penilaian")]


def count_not_integer(ind, scr):
    r = scr.row_of(kode_wilayah="3603", kriteria="kasus")
    scr.set(r, "nilai", "1,5")
    scr.set(r, "tahun_data", str(YEAR))
    return [Expect("penyaringan", r, "nilai", "1,5", "harus bilangan bulat")]


def screening_value_without_year(ind, scr):
    r = scr.row_of(kode_wilayah="3604", kriteria="mcp")
    scr.set(r, "nilai", "80")
    return [Expect("penyaringan", r, "tahun_data", None, "nilai tanpa tahun data")]


CASES = [unknown_region, unknown_indicator, duplicate_row, text_for_number, above_scale,
         lhkpn_above_100, rubric_level_unknown, empty_region_code, empty_indicator_code,
         row_for_other_year, synthetic_flag_unknown, missing_column, unknown_criterion,
         grade_not_in_list, data_year_after_assessment, count_not_integer,
         screening_value_without_year]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", CASES, ids=lambda f: f.__name__)
def test_malformed_input_is_located_and_nothing_is_overwritten(scored, capsys, tree_digest,
                                                                case, fmt):
    ind, scr = scored.tables()
    expects = case(ind, scr)
    where = scored.save(fmt, ind, scr)
    assert_rejected(scored, capsys, tree_digest, where, expects)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_three_errors_in_one_file_are_all_reported(scored, capsys, tree_digest, fmt):
    ind, scr = scored.tables()
    expects = (unknown_region(ind, scr) + text_for_number(ind, scr)
               + rubric_level_unknown(ind, scr))
    assert len({e.message for e in expects}) == 3
    where = scored.save(fmt, ind, scr)
    err = assert_rejected(scored, capsys, tree_digest, where, expects)
    assert "3 masalah ditemukan" in err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_errors_in_both_tables_come_in_one_report(scored, capsys, tree_digest, fmt):
    ind, scr = scored.tables()
    expects = (duplicate_row(ind, scr) + empty_indicator_code(ind, scr)
               + grade_not_in_list(ind, scr) + count_not_integer(ind, scr))
    where = scored.save(fmt, ind, scr)
    err = assert_rejected(scored, capsys, tree_digest, where, expects)
    assert "4 masalah ditemukan" in err


# -- files that cannot be read as tables -----------------------------------------------------
def test_corrupt_workbook(scored, capsys, tree_digest):
    for name in ("indikator", "penyaringan"):
        (scored.year_dir / f"{name}.csv").unlink()
    book = scored.year_dir / "penilaian.xlsx"
    book.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 20)
    code = scored.score()
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    [line] = problem_lines(err)
    assert line.startswith(f"{book}: buku kerja tidak dapat dibaca"), err
    assert tree_digest(scored.processed) == scored.digest


def test_workbook_without_screening_sheet(scored, capsys, tree_digest):
    ind, _ = scored.tables()
    for name in ("indikator", "penyaringan"):
        (scored.year_dir / f"{name}.csv").unlink()
    book = scored.year_dir / "penilaian.xlsx"
    write_xlsx([ind], book)
    code = scored.score()
    err = capsys.readouterr().err
    assert code == 2
    [line] = problem_lines(err)
    assert line.startswith(f"{scored.year_dir}: tabel masukan tidak ditemukan: penyaringan")
    assert f"{book} (sheet: indikator)" in line  # the workbook that was looked at
    assert "'penyaringan'" in line  # what was expected
    assert tree_digest(scored.processed) == scored.digest


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n"], ids=["empty", "bom", "blank"])
def test_empty_csv_file(scored, capsys, tree_digest, content):
    path = scored.year_dir / "indikator.csv"
    path.write_bytes(content)
    code = scored.score()
    err = capsys.readouterr().err
    assert code == 2
    [line] = problem_lines(err)
    assert line.startswith(f"{path}: berkas kosong"), err
    assert tree_digest(scored.processed) == scored.digest


def test_data_folder_of_year_missing(tmp_path, capsys):
    code = main(["score", "--year", str(YEAR), "--data", str(tmp_path / "nothing"),
                 "--processed", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"folder data tahun {YEAR} tidak ditemukan" in err
    assert not (tmp_path / "p").exists()


# -- inputs that look odd but are valid -----------------------------------------------------
def _scored_indicators(processed: Path) -> pd.DataFrame:
    return pd.read_csv(processed / str(YEAR) / "skor_indikator.csv", dtype={"kode_wilayah": str},
                       keep_default_na=False, na_values=[""])


def _results(processed: Path) -> pd.DataFrame:
    return pd.read_csv(processed / str(YEAR) / "hasil_wilayah.csv", dtype={"kode_wilayah": str})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_decimal_comma_is_read_as_a_decimal(scored, capsys, fmt):
    ind, scr = scored.tables()
    r = ind.row_of(kode_wilayah="3601", kode_indikator="I01")
    ind.set(r, "nilai", "87,5")
    r5 = ind.row_of(kode_wilayah="3601", kode_indikator="I05")
    ind.set(r5, "nilai", "1.0")  # plain English decimal still accepted
    scored.save(fmt, ind, scr)
    assert scored.score() == 0, capsys.readouterr().err
    got = _scored_indicators(scored.processed).set_index(["kode_wilayah", "kode_indikator"])
    assert got.loc[("3601", "I01"), "skor"] == pytest.approx(87.5)
    assert got.loc[("3601", "I01"), "nilai"] == "87,5"
    assert got.loc[("3601", "I05"), "angka"] == pytest.approx(1.0)


def test_csv_with_bom_and_semicolons_reads_like_the_original(scored, capsys, tmp_path):
    before = _results(scored.processed)
    ind, scr = scored.tables()
    # Excel in an Indonesian locale saves ";"-separated CSV with a BOM and decimal commas.
    i = ind.header.index("nilai")
    for row in ind.rows:
        row[i] = row[i].replace(".", ",")
    write_csv(ind, scored.year_dir / "indikator.csv", delimiter=";", encoding="utf-8-sig")
    write_csv(scr, scored.year_dir / "penyaringan.csv", delimiter=";", encoding="utf-8-sig")
    assert (scored.year_dir / "indikator.csv").read_bytes().startswith(b"\xef\xbb\xbftahun;")
    assert scored.score() == 0, capsys.readouterr().err
    after = _results(scored.processed)
    pd.testing.assert_frame_equal(before, after)


def test_workbook_scores_like_the_csv_files(scored, capsys):
    before = _results(scored.processed)
    ind, scr = scored.tables()
    scored.save("xlsx", ind, scr)
    assert scored.score() == 0, capsys.readouterr().err
    pd.testing.assert_frame_equal(before, _results(scored.processed))


def test_missing_value_is_kept_flagged_and_treated_by_policy(scored, capsys):
    assert FRAMEWORK.missing_indicator == "zero"
    before = _results(scored.processed).set_index("kode_wilayah").loc["3674", "indikator_kosong"]
    ind, scr = scored.tables()
    r = ind.row_of(kode_wilayah="3674", kode_indikator="I02")
    ind.set(r, "nilai", "")
    n_rows = len(ind.rows)
    scored.save("csv", ind, scr)
    assert scored.score() == 0, capsys.readouterr().err

    got = _scored_indicators(scored.processed)
    assert len(got) == n_rows  # nothing dropped
    row = got[(got["kode_wilayah"] == "3674") & (got["kode_indikator"] == "I02")].iloc[0]
    assert row["status"] == "kosong"
    assert row["perlakuan"] == "diberi 0"
    assert row["skor"] == 0
    assert pd.isna(row["angka"])
    assert row["asal"] == f"indikator.csv:{r}"  # still traceable to its row
    res = _results(scored.processed).set_index("kode_wilayah")
    n = len(FRAMEWORK.indicators)
    assert res.loc["3674", "kelengkapan"] == pytest.approx((n - 1 - before) / n)
    assert res.loc["3674", "indikator_kosong"] == before + 1
    assert res.loc["3674", "kelengkapan"] < 1


def test_a_point_read_as_thousands_separator_says_how_to_write_a_decimal():
    """"89.995" is 89 995 the Indonesian way (and so out of range for a 0-100 score): the
    error says that a decimal is written with a comma."""
    from antikorupsi.inputs import validate_indicators
    from antikorupsi.regions import load_regions

    fw = load_framework("kak-2024")
    df = pd.DataFrame([{"tahun": "2024", "kode_wilayah": "3601", "kode_indikator": "I01",
                        "nilai": "89.995", "bukti": "", "catatan": "", "sintetis": "ya"}])
    _, problems = validate_indicators(df, fw, load_regions(), 2024, file="x.csv")
    assert len(problems) == 1
    assert "untuk desimal tulis 89,995" in str(problems[0])
    df.loc[0, "nilai"] = "89,995"
    assert validate_indicators(df, fw, load_regions(), 2024, file="x.csv")[1] == []
