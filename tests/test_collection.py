"""The collection and panel workflow: several files per year, stages, several assessors,
the plenary, follow-up of last year's recommendations, and the input-side hardening
(formulas without cached values, Excel error cells, control characters, empty tables,
files that are not used).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from antikorupsi.cli import main
from antikorupsi.collection import collection_status, recommendations
from antikorupsi.errors import FrameworkError, InputError
from antikorupsi.framework import framework_bytes, load_framework, parse_framework
from antikorupsi.inputs import gather, read_year
from antikorupsi.panel import agreement, consolidate
from antikorupsi.regions import load_regions
from antikorupsi.scoring import score_year
from antikorupsi.template import write_region_templates, write_template

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "raw"
FW = load_framework("kak-2024")
REGIONS = load_regions()
STAGE_HEADER = ["tahun", "kode_wilayah", "kode_indikator", "tahap", "penilai", "instansi",
                "nilai", "bukti", "catatan", "sintetis"]


def _csv(path: Path, rows: list[list[object]], header: list[str] = STAGE_HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=header).astype(str).to_csv(path, index=False, lineterminator="\n")
    return path


def _year(tmp_path: Path, year: int = 2024, screening: bool = True) -> Path:
    """A data folder with the sample screening table of ``year`` only."""
    d = tmp_path / "data" / str(year)
    d.mkdir(parents=True)
    if screening:
        shutil.copy(SAMPLE / str(year) / "penyaringan.csv", d / "penyaringan.csv")
    return tmp_path / "data"


def _problems(exc: InputError) -> list[str]:
    return [str(p) for p in exc.problems]


# -- reading several files --------------------------------------------------------------------
def _fill_region_book(path: Path, values: pd.DataFrame) -> None:
    """Fill a per-region workbook's nilai/bukti/catatan/sintetis as the region would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["indikator"]
    header = [c.value for c in ws[1]]
    col = {h: k + 1 for k, h in enumerate(header)}
    v = values.set_index("kode_indikator")
    for row in range(2, ws.max_row + 1):
        x = v.loc[ws.cell(row, col["kode_indikator"]).value]
        for name in ("nilai", "bukti", "catatan", "sintetis"):
            text = x[name]
            ws.cell(row, col[name]).value = (float(text) if name == "nilai" and text not in ("",)
                                             else text or None)
    wb.save(path)


def test_per_region_workbooks_merge_to_the_single_table_result(tmp_path):
    """Eight per-region workbooks (tahap mandiri) score exactly like the one table of
    final values they were filled from, and like that table given as tahap mandiri."""
    single = _year(tmp_path / "a")
    shutil.copy(SAMPLE / "2024" / "indikator.csv", single / "2024" / "indikator.csv")
    values = pd.read_csv(SAMPLE / "2024" / "indikator.csv", dtype=str, keep_default_na=False)
    split = _year(tmp_path / "b")
    paths = write_region_templates(split / "2024" / "mandiri", FW, REGIONS, 2024)
    assert len(paths) == 8
    for path, code in zip(paths, REGIONS["kode_wilayah"]):
        assert path.name.startswith(f"{code}_")
        _fill_region_book(path, values[values["kode_wilayah"] == code])
    staged = _year(tmp_path / "c")
    _csv(staged / "2024" / "indikator.csv",
         [[r.tahun, r.kode_wilayah, r.kode_indikator, "mandiri", "", "", r.nilai, r.bukti,
           r.catatan, r.sintetis] for r in values.itertuples(index=False)])

    a, b, c = (score_year(FW, read_year(d, 2024, FW, REGIONS), REGIONS)
               for d in (single, split, staged))
    num = ["skor_total", "peringkat", "kategori", "penetapan", "kelengkapan", "K1", "K6"]
    for other in (b, c):
        pd.testing.assert_frame_equal(a.results[num], other.results[num])
        cols = ["kode_wilayah", "kode_indikator", "nilai", "skor", "status", "bukti", "catatan"]
        got = other.indicators[cols].copy()
        got["nilai"] = got["nilai"].str.replace(r"\.0$", "", regex=True)
        want = a.indicators[cols].copy()
        want["nilai"] = want["nilai"].str.replace(r"\.0$", "", regex=True)
        pd.testing.assert_frame_equal(want, got)
    assert set(a.indicators["tahap"]) == {"final"}
    assert set(b.indicators["tahap"]) == {"mandiri"} == set(c.indicators["tahap"])
    inputs = read_year(split, 2024, FW, REGIONS)
    assert len(inputs.files) == 9  # 8 workbooks + penyaringan.csv, each hashed
    # every region scored from its unverified self-assessment: said, once
    [w] = [w for w in inputs.warnings if "penilaian mandiri" in w.message]
    assert w.message.startswith("8 wilayah dinilai (sebagian) dari penilaian mandiri")


def test_same_key_twice_different_values_names_both_files_and_cells(tmp_path):
    data = _year(tmp_path)
    row = ["2024", "3601", "I02", "verifikasi", "KPK-01", "KPK", "3", "", "", "ya"]
    _csv(data / "2024" / "verifikasi" / "kpk.csv", [row])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "indikator"
    ws.append(STAGE_HEADER)
    ws.append(["2024", "3602", "I02", "verifikasi", "KPK-01", "KPK", "2", "", "", "ya"])
    ws.append(["2024", "3601", "I02", "verifikasi", "KPK-01", "KPK", "1", "", "", "ya"])
    book = data / "2024" / "verifikasi" / "kpk_revisi.xlsx"
    wb.save(book)
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    first = data / "2024" / "verifikasi" / "kpk.csv"
    assert p.startswith(f"{first}, baris 2, kolom 'nilai': nilai berbeda untuk wilayah 3601, "
                        "indikator I02, tahap verifikasi, penilai KPK-01")
    assert f"di {book}, sheet 'indikator', baris 3 tertulis '1'" in p
    assert "(nilai: '3')" in p


def test_same_key_twice_same_value_is_a_warning_and_used_once(tmp_path):
    data = _year(tmp_path)
    rows = [["2024", "3601", i.code, "verifikasi", "KPK-01", "KPK", "", "", "", "ya"]
            for i in FW.indicators]
    rows[1][6] = "3"
    _csv(data / "2024" / "a.csv", rows)
    _csv(data / "2024" / "salinan" / "a.csv", rows[1:2])
    inputs = read_year(data, 2024, FW, REGIONS)
    [w] = [w for w in inputs.warnings if "nilai sama" in w.message]
    assert w.file == str(data / "2024" / "salinan" / "a.csv") and w.row == 2
    assert f"{data / '2024' / 'a.csv'}, baris 3" in w.message
    assert len(inputs.stages) == len(FW.indicators)


def test_other_files_lock_files_unknown_sheets_and_empty_books_are_named(tmp_path):
    data = _year(tmp_path)
    shutil.copy(SAMPLE / "2024" / "indikator.csv", data / "2024" / "indikator.csv")
    d = data / "2024"
    (d / "bukti").mkdir()
    (d / "bukti" / "sk_bupati.pdf").write_bytes(b"%PDF-1.4")
    (d / "~$penilaian.xlsx").write_bytes(b"lock")
    (d / "catatan.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.title = "rekap"
    wb.save(d / "rekap.xlsx")
    wb = openpyxl.Workbook()
    wb.active.title = "indikator"
    wb.active.append(STAGE_HEADER)
    wb.create_sheet("lampiran").append(["apa saja"])
    wb.save(d / "kosong.xlsx")
    inputs = read_year(data, 2024, FW, REGIONS)
    said = {(Path(w.file).name, w.sheet, w.message.split(":")[0].split(",")[0])
            for w in inputs.warnings}
    assert ("sk_bupati.pdf", None, "bukan buku kerja .xlsx atau berkas .csv") in said
    assert ("~$penilaian.xlsx", None, "berkas kunci Office (buku kerja sedang dibuka?)") in said
    assert ("catatan.csv", None, "tabel tidak dikenali") in said
    assert ("rekap.xlsx", None, "buku kerja tanpa sheet indikator") in said
    assert ("kosong.xlsx", "lampiran", "sheet tidak dikenali") in said
    assert ("kosong.xlsx", None, "berkas tidak menyumbang data") in said
    assert set(inputs.files) == {str(d / "indikator.csv"), str(d / "penyaringan.csv"),
                                 str(d / "kosong.xlsx")}


# -- the input-side hardening (issue 10's input classes) -----------------------------------------
def _book_with(path: Path, cell_value, column: str = "nilai") -> None:
    values = pd.read_csv(SAMPLE / "2024" / "indikator.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "indikator"
    ws.append(list(values.columns))
    for r in values.head(3).itertuples(index=False):
        ws.append(list(r))
    ws.cell(3, list(values.columns).index(column) + 1).value = cell_value
    wb.save(path)


def _patch_sheet(book: Path, old: bytes, new: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old in parts[sheet]
    parts[sheet] = parts[sheet].replace(old, new)
    with zipfile.ZipFile(book, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)


@pytest.mark.parametrize("formula", ["=1+1", "=SUM(A1:A2)", "=VLOOKUP(B2,'x'!A:B,2,0)"])
def test_formula_without_cached_value_is_a_located_error(tmp_path, formula):
    data = _year(tmp_path)
    book = data / "2024" / "nilai.xlsx"
    _book_with(book, formula)  # openpyxl stores the formula and no value
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    assert p.startswith(f"{book}, sheet 'indikator', baris 3, kolom 'nilai': sel berisi rumus "
                        f"tanpa nilai tersimpan (nilai: {formula!r})")


def test_formula_with_its_cached_value_is_read_as_that_value(tmp_path):
    data = _year(tmp_path)
    book = data / "2024" / "nilai.xlsx"
    _book_with(book, "=2+1")
    _patch_sheet(book, b"<f>2+1</f><v />", b"<f>2+1</f><v>3</v>")  # what Excel saves
    inputs = read_year(data, 2024, FW, REGIONS)
    assert inputs.indicators.set_index("kode_indikator").loc["I02", "angka"] == 3


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#REF!"])
def test_excel_error_cell_is_a_located_error(tmp_path, error):
    data = _year(tmp_path)
    book = data / "2024" / "nilai.xlsx"
    _book_with(book, error)  # openpyxl stores it as an error cell (t="e")
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    assert p.startswith(f"{book}, sheet 'indikator', baris 3, kolom 'nilai': sel berisi galat "
                        f"Excel (nilai: {error!r})")


@pytest.mark.parametrize("text", ["bukti\x00.pdf", "catatan \x1b[31m", "a\x07b", "x\x85y"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_control_characters_are_rejected_with_their_place(tmp_path, text, fmt):
    data = _year(tmp_path)
    values = pd.read_csv(SAMPLE / "2024" / "indikator.csv", dtype=str, keep_default_na=False)
    values.loc[1, "catatan"] = text
    if fmt == "csv":
        path = data / "2024" / "indikator.csv"
        path.write_bytes(values.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        where = f"{path}, baris 3, kolom 'catatan'"
    else:
        # Excel stores a control character escaped in the XML (_x0007_); openpyxl refuses
        # to write one, so the escape is put in place by hand.
        path = data / "2024" / "indikator.xlsx"
        _book_with(path, "PENANDA", column="catatan")
        escaped = "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch
                          for ch in text)
        _patch_sheet(path, b"PENANDA", escaped.encode())
        where = f"{path}, sheet 'indikator', baris 3, kolom 'catatan'"
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    assert p.startswith(f"{where}: karakter kendali tidak diizinkan (nilai: {text!r})")


def test_line_breaks_and_tabs_in_notes_are_kept(tmp_path):
    data = _year(tmp_path)
    values = pd.read_csv(SAMPLE / "2024" / "indikator.csv", dtype=str, keep_default_na=False)
    values.loc[1, "catatan"] = "baris satu\nbaris\tdua"
    values.to_csv(data / "2024" / "indikator.csv", index=False, lineterminator="\n")
    inputs = read_year(data, 2024, FW, REGIONS)
    assert "baris satu\nbaris\tdua" in set(inputs.indicators["catatan"])


def test_empty_screening_table_is_a_located_error(tmp_path):
    data = _year(tmp_path, screening=False)
    shutil.copy(SAMPLE / "2024" / "indikator.csv", data / "2024" / "indikator.csv")
    path = data / "2024" / "penyaringan.csv"
    path.write_text("tahun,kode_wilayah,kriteria,nilai,tahun_data,sumber,catatan\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    assert p.startswith(f"{path}, baris 2: tabel penyaringan tidak berisi baris data")
    path.unlink()
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    assert p.startswith(f"{data / '2024'}: tabel masukan tidak ditemukan: penyaringan")


def test_old_binary_spreadsheets_are_refused(tmp_path):
    data = _year(tmp_path)
    shutil.copy(SAMPLE / "2024" / "indikator.csv", data / "2024" / "indikator.csv")
    (data / "2024" / "lama.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    assert _problems(e.value) == [f"{data / '2024' / 'lama.xls'}: format .xls tidak didukung; "
                                  "diharapkan: simpan ulang sebagai buku kerja Excel .xlsx"]


# -- stages and consolidation ---------------------------------------------------------------------
def _stage_rows(code: str, icode: str, *rows: tuple[str, str, str]) -> list[list[str]]:
    return [["2024", code, icode, tahap, who, inst, nilai, "", "", "ya"]
            for tahap, who, nilai, inst in ((r[0], r[1], r[2], "") for r in rows)]


def _consolidated(tmp_path, rows, framework=FW) -> pd.DataFrame:
    data = _year(tmp_path)
    _csv(data / "2024" / "indikator.csv", rows)
    inputs = read_year(data, 2024, framework, REGIONS)
    return inputs.indicators.set_index(["kode_wilayah", "kode_indikator"])


def test_latest_stage_wins_final_over_verifikasi_over_mandiri(tmp_path):
    rows = (_stage_rows("3601", "I02", ("mandiri", "", "4"), ("verifikasi", "A", "2"),
                        ("verifikasi", "B", "2"), ("final", "pleno", "3"))
            + _stage_rows("3601", "I03", ("mandiri", "", "4"), ("verifikasi", "A", "1"))
            + _stage_rows("3601", "I04", ("mandiri", "", "4")))
    got = _consolidated(tmp_path, rows)
    assert got.loc[("3601", "I02"), ["tahap", "angka", "jumlah_penilai"]].tolist() == \
        ["final", 3.0, 2]
    assert got.loc[("3601", "I03"), ["tahap", "angka", "jumlah_penilai"]].tolist() == \
        ["verifikasi", 1.0, 1]
    assert got.loc[("3601", "I04"), ["tahap", "angka", "jumlah_penilai"]].tolist() == \
        ["mandiri", 4.0, 0]


@pytest.mark.parametrize("levels, expected", [
    (["1", "2", "4"], 2.0),            # odd: the middle level
    (["2", "3"], 2.0),                 # even: the lower of the two middle levels
    (["1", "3", "3", "4"], 3.0),       # lower middle of 1 3 | 3 4
    (["0", "4"], 0.0),                 # the plenary is flagged for this one
    (["3", "", "4"], 3.0),             # one of three without evidence: the others decide
    (["3", ""], None),                 # half without evidence: missing
    (["", "", "4"], None),
])
def test_median_of_rubric_levels(tmp_path, levels, expected):
    rows = _stage_rows("3601", "I02", *[("verifikasi", f"P{k}", v) for k, v in enumerate(levels)])
    got = _consolidated(tmp_path, rows).loc[("3601", "I02")]
    assert got["tahap"] == "verifikasi" and got["jumlah_penilai"] == len(levels)
    if expected is None:
        assert np.isnan(got["angka"]) and np.isnan(got["skor_masukan"])
    else:
        assert got["angka"] == expected
        assert got["skor_masukan"] == FW.rubric("tingkat5").score_of(int(expected))


def test_median_of_numbers_is_the_ordinary_median(tmp_path):
    rows = (_stage_rows("3601", "I05", ("verifikasi", "A", "80"), ("verifikasi", "B", "90"))
            + _stage_rows("3601", "I07", ("verifikasi", "A", "10"), ("verifikasi", "B", "30"),
                          ("verifikasi", "C", "20")))
    got = _consolidated(tmp_path, rows)
    assert got.loc[("3601", "I05"), "angka"] == 85.0  # LHKPN %: mean of the two middle
    assert got.loc[("3601", "I05"), "skor_masukan"] == pytest.approx(85.0)
    assert got.loc[("3601", "I07"), "angka"] == 20.0  # days: the middle one


def test_mean_rule_from_the_framework(tmp_path):
    doc = framework_bytes("kak-2024")[0].decode().replace("consolidation: median",
                                                          "consolidation: mean")
    fw = parse_framework(doc)
    rows = _stage_rows("3601", "I02", ("verifikasi", "A", "2"), ("verifikasi", "B", "3"),
                       ("verifikasi", "C", "3"))
    got = _consolidated(tmp_path, rows, fw).loc[("3601", "I02")]
    assert got["skor_masukan"] == pytest.approx((50 + 75 + 75) / 3)
    assert got["angka"] == pytest.approx(8 / 3)
    assert "rata-rata skor 0-100" in fw.panel.describe()


def test_evidence_reference_falls_back_to_the_self_assessment(tmp_path):
    rows = [["2024", "3601", "I02", "mandiri", "", "", "3", "sk/I02.pdf", "", "ya"],
            ["2024", "3601", "I02", "verifikasi", "A", "KPK", "3", "", "diperiksa", "ya"]]
    got = _consolidated(tmp_path, rows).loc[("3601", "I02")]
    assert got["bukti"] == "sk/I02.pdf" and got["catatan"] == "diperiksa"


@pytest.mark.parametrize("bad, message", [
    (("verifikasi", "", "3"), "penilai wajib diisi untak tahap verifikasi".replace("untak",
                                                                                   "untuk")),
    (("pleno", "", "3"), "tahap tidak dikenal"),
    (("", "", "3"), "tahap kosong"),
])
def test_stage_columns_are_validated(tmp_path, bad, message):
    data = _year(tmp_path)
    path = _csv(data / "2024" / "indikator.csv", _stage_rows("3601", "I02", bad))
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    column = "penilai" if "penilai" in message else "tahap"
    assert p.startswith(f"{path}, baris 2, kolom '{column}': {message}")


def test_consolidate_is_identity_for_final_values():
    inputs = read_year(SAMPLE, 2024, FW, REGIONS)
    again = consolidate(inputs.stages, FW)
    pd.testing.assert_frame_equal(again, inputs.indicators)
    assert (inputs.indicators["tahap"] == "final").all()
    assert (inputs.indicators["jumlah_penilai"] == 0).all()


# -- agreement ----------------------------------------------------------------------------------
def test_krippendorff_alpha_matches_a_hand_worked_ordinal_example(tmp_path):
    """Two assessors, four regions, rubric levels (A, B): (1, 1), (1, 2), (2, 2), (3, 3).

    Coincidence matrix (each region pairs its two values both ways, weight 1/(2-1)):
    o11 = 2, o12 = o21 = 1, o22 = 2, o33 = 2; n1 = 3, n2 = 3, n3 = 2, n = 8.
    Ordinal distance d(c, k) = (sum of n_g for g from c to k - (n_c + n_k)/2)^2:
    d(1,2) = (6 - 3)^2 = 9, d(1,3) = (8 - 2.5)^2 = 30.25, d(2,3) = (5 - 2.5)^2 = 6.25
    (levels 0 and 4 of the rubric, never given, add nothing between 1 and 3).
    Observed D_o = (o12 d12 + o21 d21) / n = 18 / 8 = 2.25.
    Expected D_e = 2 (n1 n2 d12 + n1 n3 d13 + n2 n3 d23) / (n (n - 1))
                 = 2 (81 + 181.5 + 37.5) / 56 = 600 / 56.
    alpha = 1 - D_o / D_e = 1 - 2.25 * 56 / 600 = 1 - 0.21 = 0.79.
    """
    pairs = {"3601": ("1", "1"), "3602": ("1", "2"), "3603": ("2", "2"), "3604": ("3", "3")}
    rows = []
    for code, (a, b) in pairs.items():
        rows += _stage_rows(code, "I02", ("verifikasi", "A", a), ("verifikasi", "B", b))
    data = _year(tmp_path)
    _csv(data / "2024" / "indikator.csv", rows)
    stages = read_year(data, 2024, FW, REGIONS).stages
    table = agreement(stages, FW).set_index("kode_indikator")
    assert table.loc["I02", "alpha"] == pytest.approx(0.79, abs=1e-12)
    assert table.loc["I02", "ukuran"] == "ordinal"
    assert table.loc["I02", "jumlah_wilayah"] == 4 and table.loc["I02", "jumlah_penilai"] == 2
    assert table.loc["I02", "bacaan"].startswith("sementara")
    pooled = table.loc["semua: rubrik tingkat5"]
    assert pooled["alpha"] == pytest.approx(0.79, abs=1e-12)  # one rubric indicator only


def test_alpha_is_undefined_without_two_assessors_or_without_variation(tmp_path):
    rows = (_stage_rows("3601", "I02", ("verifikasi", "A", "3"))
            + _stage_rows("3601", "I03", ("verifikasi", "A", "2"), ("verifikasi", "B", "2")))
    data = _year(tmp_path)
    _csv(data / "2024" / "indikator.csv", rows)
    t = agreement(read_year(data, 2024, FW, REGIONS).stages, FW).set_index("kode_indikator")
    assert np.isnan(t.loc["I02", "alpha"]) and "kurang dari dua penilai" in t.loc["I02",
                                                                                    "keterangan"]
    assert np.isnan(t.loc["I03", "alpha"]) and "nilai yang sama" in t.loc["I03", "keterangan"]


# -- the sample: stages, plenary, follow-up -------------------------------------------------------
@pytest.fixture(scope="module")
def sample_2025(tmp_path_factory):
    """The sample 2025 (and 2024) scored into a temporary folder, with the plenary sheet."""
    root = tmp_path_factory.mktemp("kumpul")
    shutil.copytree(SAMPLE / "2024", root / "data" / "2024")
    shutil.copytree(SAMPLE / "2025", root / "data" / "2025")
    for y in (2024, 2025):
        assert main(["score", "--year", str(y), "--data", str(root / "data"),
                     "--processed", str(root / "processed")]) == 0
    return root


def test_sample_scores_say_where_each_value_comes_from(sample_2025):
    p = sample_2025 / "processed" / "2025"
    ind = pd.read_parquet(p / "skor_indikator.parquet")
    assert set(ind["tahap"]) == {"verifikasi", "final"}
    assert (ind.loc[ind["tahap"] == "verifikasi", "jumlah_penilai"] == 3).all()
    stages = pd.read_parquet(p / "tahapan.parquet")
    assert len(stages) == 8 * 19
    assert stages["klaim_berlebih"].any() and stages["beda_pendapat"].any()
    # self-assessments over-claim: more indicators above than below the verified value
    assert (stages["selisih_mandiri"] > 0).sum() > 3 * (stages["selisih_mandiri"] < 0).sum()
    alpha = pd.read_parquet(p / "kesepakatan.parquet")
    assert len(alpha) == 19 + 1 and alpha["alpha"].notna().sum() >= 15
    follow = pd.read_parquet(p / "tindak_lanjut.parquet")
    assert len(follow) == 8 * 3 and set(follow["status"]) <= {"selesai", "dalam proses",
                                                              "belum dimulai"}
    manifest = json.loads((p / "manifest.json").read_text(encoding="utf-8"))
    assert any("tahapan.parquet" == k for k in manifest["keluaran"])
    assert manifest["peringatan"] == [
        "2025/mandiri/3673_kota-serang.xlsx, sheet 'tindak_lanjut', baris 2, kolom 'bukti': "
        "tindak lanjut 'selesai' tanpa bukti; diharapkan: rujukan dokumen yang menunjukkan "
        "rekomendasi sudah dilaksanakan"]
    assert "mandiri/3601_kabupaten-pandeglang.xlsx" in "".join(manifest["masukan"])


def test_pleno_command_writes_the_sheet_and_its_decisions_read_back(sample_2025, tmp_path,
                                                                      capsys):
    out = tmp_path / "laporan"
    assert main(["pleno", "--year", "2025", "--data", str(sample_2025 / "data"),
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "butir agenda (DATA SINTETIS)" in printed and "melewati ambang" in printed
    book = out / "2025" / "pleno_2025.xlsx"
    page = (out / "2025" / "pleno_2025.html").read_text(encoding="utf-8")
    assert "DATA SINTETIS" in page and "Krippendorff" in page and "http" not in page
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["ringkasan_pleno", "agenda_pleno", "selisih_mandiri",
                             "kesepakatan", "indikator", "pilihan"]
    agenda = pd.read_excel(book, sheet_name="agenda_pleno", dtype=str, engine="calamine")
    assert agenda.iloc[0]["Melewati ambang"] == "ya"  # the threshold at stake comes first
    # the decision sheet, saved in the year folder, is read as final values
    data = tmp_path / "data"
    shutil.copytree(sample_2025 / "data" / "2025", data / "2025")
    shutil.rmtree(data / "2025" / "final")
    (data / "2025" / "final").mkdir()
    shutil.copy(book, data / "2025" / "final" / "pleno.xlsx")
    fw = load_framework("kak-2025")
    inputs = read_year(data, 2025, fw, REGIONS)
    finals = inputs.stages[inputs.stages["tahap"] == "final"]
    assert len(finals) == len(agenda.drop_duplicates(["Kode", "Indikator"]))
    assert not [w for w in inputs.warnings if "sheet" in w.message]  # its sheets are known


def test_pleno_on_a_year_of_final_values_writes_nothing(tmp_path, capsys):
    assert main(["pleno", "--year", "2024", "--out", str(tmp_path)]) == 0
    assert "lembar pleno tidak dibuat" in capsys.readouterr().out
    assert not any(tmp_path.iterdir())


def test_status_of_the_sample_and_a_region_that_sent_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE / "2025", data / "2025")
    assert main(["status", "--year", "2025", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "13 dari 13 berkas dipakai, 8 wilayah dengan data" in out
    assert "3601  Kabupaten Pandeglang         19/19 3 penilai: 19/19" in out
    assert "verifikasi/KPK-01.xlsx: indikator, 8 wilayah, tahap verifikasi, penilai KPK-01" in out
    assert "Semua wilayah dalam daftar di provinsi ini sudah mengirim data." in out
    assert main(["status", "--year", "2025", "--data", str(data), "--check"]) == 1  # I11 empty

    # Kabupaten Serang's workbook never arrived and no assessor scored it
    (data / "2025" / "mandiri" / "3604_kabupaten-serang.xlsx").unlink()
    shutil.rmtree(data / "2025" / "verifikasi")
    shutil.rmtree(data / "2025" / "final")
    scr = pd.read_csv(data / "2025" / "penyaringan.csv", dtype=str, keep_default_na=False)
    scr[scr["kode_wilayah"] != "3604"].to_csv(data / "2025" / "penyaringan.csv", index=False)
    assert main(["status", "--year", "2025", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "Belum ada data sama sekali (1 wilayah, perlu dihubungi):\n  3604 Kabupaten Serang" in out
    s = collection_status(data, 2025, load_framework("kak-2025"), REGIONS)
    assert list(s.missing["kode_wilayah"]) == ["3604"] and not s.complete
    # ... and is not scored as zeros: it is left out, with a warning
    inputs = read_year(data, 2025, load_framework("kak-2025"), REGIONS)
    [w] = [w for w in inputs.warnings if "belum punya data" in w.message]
    assert "3604 Kabupaten Serang" in str(w.value)
    a = score_year(load_framework("kak-2025"), inputs, REGIONS)
    assert "3604" not in set(a.results["kode_wilayah"])
    [w] = [w for w in inputs.warnings if "penilaian mandiri" in w.message]
    assert w.message.startswith("7 wilayah dinilai (sebagian) dari penilaian mandiri")


def test_region_with_screening_rows_only_is_scored_with_a_warning(tmp_path):
    data = _year(tmp_path)
    values = pd.read_csv(SAMPLE / "2024" / "indikator.csv", dtype=str, keep_default_na=False)
    values[values["kode_wilayah"] != "3604"].to_csv(data / "2024" / "indikator.csv",
                                                   index=False)
    inputs = read_year(data, 2024, FW, REGIONS)
    [w] = [w for w in inputs.warnings if "hanya punya baris penyaringan" in w.message]
    assert "3604 Kabupaten Serang" in str(w.value) and "tanpa bukti" in w.message


def test_status_exit_code_2_lists_problems_and_still_shows_what_arrived(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE / "2025", data / "2025")
    _csv(data / "2025" / "verifikasi" / "rusak.csv",
         [["2025", "3601", "I02", "verifikasi", "", "", "3", "", "", "ya"]])
    assert main(["status", "--year", "2025", "--data", str(data)]) == 2
    cap = capsys.readouterr()
    assert "8 wilayah dengan data" in cap.out
    assert "rusak.csv, baris 2, kolom 'penilai': penilai wajib diisi" in cap.err
    assert "Traceback" not in cap.err


# -- templates per region -----------------------------------------------------------------------
def test_region_template_is_locked_prefilled_and_carries_last_years_recommendations(tmp_path):
    fw = load_framework("kak-2025")
    previous = score_year(FW, read_year(SAMPLE, 2024, FW, REGIONS), REGIONS)
    recs = recommendations(previous)
    assert len(recs) == 8 * 3 and list(recs.columns) == ["kode_wilayah", "tahun_rekomendasi",
                                                         "no", "kode_indikator", "rekomendasi"]
    one = REGIONS[REGIONS["kode_wilayah"] == "3674"]
    [path] = write_region_templates(tmp_path / "2025", fw, one, 2025, recs)
    assert path.name == "3674_kota-tangerang-selatan.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["petunjuk", "indikator", "tindak_lanjut", "pilihan"]
    ws = wb["indikator"]
    header = [c.value for c in ws[1]]
    assert header == ["tahun", "kode_wilayah", "nama_wilayah", "kode_indikator",
                      "nama_indikator", "tahap", "penilai", "instansi", "nilai", "bukti",
                      "catatan", "sintetis"]
    assert ws.protection.sheet and wb["tindak_lanjut"].protection.sheet
    col = {h: k + 1 for k, h in enumerate(header)}
    for row in range(2, ws.max_row + 1):
        assert ws.cell(row, col["kode_wilayah"]).value == "3674"
        assert ws.cell(row, col["tahap"]).value == "mandiri"
        for name in ("kode_wilayah", "nama_wilayah", "kode_indikator", "tahap"):
            assert ws.cell(row, col[name]).protection.locked, name
        for name in ("nilai", "bukti", "catatan", "penilai"):
            assert not ws.cell(row, col[name]).protection.locked, name
    assert ws.max_row == 1 + 19
    tl = wb["tindak_lanjut"]
    rows = list(tl.iter_rows(min_row=2, values_only=True))
    mine = recs[recs["kode_wilayah"] == "3674"]
    assert [r[7] for r in rows] == list(mine["rekomendasi"])
    assert [r[3] for r in rows] == [2024] * 3
    # fill it as the region would, save it in the year folder, read it back
    ws.cell(2, col["nilai"]).value = 91.5
    tcol = {c.value: k + 1 for k, c in enumerate(tl[1])}
    tl.cell(2, tcol["status"]).value = "selesai"
    tl.cell(2, tcol["bukti"]).value = "=HYPERLINK(\"x\")"
    tl.cell(3, tcol["status"]).value = "dalam proses"
    wb.save(path)
    shutil.copy(SAMPLE / "2025" / "penyaringan.csv", tmp_path / "2025" / "penyaringan.csv")
    with pytest.raises(InputError) as e:  # the analyst typed a formula: located
        read_year(tmp_path, 2025, fw, REGIONS)
    assert "sheet 'tindak_lanjut', baris 2, kolom 'bukti': sel berisi rumus" in str(e.value)
    wb = openpyxl.load_workbook(path)
    wb["tindak_lanjut"].cell(2, tcol["bukti"]).value = "sk/2025/12.pdf"
    wb.save(path)
    inputs = read_year(tmp_path, 2025, fw, REGIONS)
    f = inputs.followup.set_index("no")
    assert f.loc[1, "status"] == "selesai" and f.loc[1, "bukti"] == "sk/2025/12.pdf"
    assert f.loc[2, "status"] == "dalam proses" and f.loc[3, "status"] == ""
    got = inputs.indicators.set_index("kode_indikator")
    assert got.loc["I01", "angka"] == 91.5 and got.loc["I01", "tahap"] == "mandiri"
    assert got["skor_masukan"].isna().sum() == 18


def test_followup_status_is_validated(tmp_path):
    data = _year(tmp_path)
    shutil.copy(SAMPLE / "2024" / "indikator.csv", data / "2024" / "indikator.csv")
    path = _csv(data / "2024" / "tindak_lanjut.csv",
                [["2024", "3601", "2023", "1", "I02", "Susun rencana", "sudah", "", ""]],
                header=["tahun", "kode_wilayah", "tahun_rekomendasi", "no", "kode_indikator",
                        "rekomendasi", "status", "bukti", "catatan"])
    with pytest.raises(InputError) as e:
        read_year(data, 2024, FW, REGIONS)
    [p] = _problems(e.value)
    assert p.startswith(f"{path}, baris 2, kolom 'status': status tindak lanjut tidak dikenal "
                        "(nilai: 'sudah')")


def test_text_cells_are_written_as_text_never_as_formulas(tmp_path):
    regions = REGIONS.copy()
    regions.loc[0, "nama_wilayah"] = "=cmd|' /C calc'!A0"
    path = write_template(tmp_path / "t.xlsx", FW, regions.head(1), 2024, stage="mandiri")
    import zipfile
    xml = b"".join(zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()
                   if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml
    ws = openpyxl.load_workbook(path)["indikator"]
    assert ws.cell(2, 3).value == "=cmd|' /C calc'!A0" and ws.cell(2, 3).data_type == "s"


def test_templates_are_byte_identical_for_identical_inputs(tmp_path):
    a = write_template(tmp_path / "a.xlsx", FW, REGIONS.head(2), 2024, stage="verifikasi",
                       assessor="KPK-01", institution="KPK")
    b = write_template(tmp_path / "b.xlsx", FW, REGIONS.head(2), 2024, stage="verifikasi",
                       assessor="KPK-01", institution="KPK")
    assert a.read_bytes() == b.read_bytes()


def test_cli_template_per_region(tmp_path, capsys):
    out = tmp_path / "templat"
    assert main(["template", "--year", "2026", "--per-region", "--region", "3601", "3672",
                 "-o", str(out), "--processed", str(tmp_path / "belum")]) == 0
    printed = capsys.readouterr().out
    assert "2 buku kerja (satu per wilayah)" in printed
    assert "Sheet tindak_lanjut kosong: hasil 2025 belum ada" in printed
    assert sorted(p.name for p in out.iterdir()) == ["3601_kabupaten-pandeglang.xlsx",
                                                    "3672_kota-cilegon.xlsx"]


# -- the framework section -------------------------------------------------------------------------
def test_panel_section_is_validated_and_optional():
    text = framework_bytes("kak-2025")[0].decode()
    bad = text.replace("consolidation: median", "consolidation: modus").replace(
        "disagreement_levels: 2", "disagreement_levels: 0")
    with pytest.raises(FrameworkError) as e:
        parse_framework(bad)
    where = {p.column for p in e.value.problems}
    assert where == {"panel.consolidation", "panel.disagreement_levels"}
    start = text.index("panel:")
    end = text.index("rubrics:")
    fw = parse_framework(text[:start] + text[end:])
    assert fw.panel.consolidation == "median" and fw.panel.disagreement_levels == 2
    assert any("median" in a for a in fw.assumptions())


def test_gather_never_raises_for_bad_rows(tmp_path):
    data = _year(tmp_path)
    _csv(data / "2024" / "indikator.csv", _stage_rows("3601", "I02", ("verifikasi", "", "9")))
    g = gather(data, 2024, FW, REGIONS)
    assert len(g.problems) == 2 and g.stages.empty
