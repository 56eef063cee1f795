"""Hostile text and oversized or malformed inputs (issue 10, classes 1-4).

1. Formula injection: every spreadsheet the project writes (CSV, xlsx) shows user text
   exactly and never as a live formula.
2. Resource exhaustion: YAML bombs, huge files, huge inputs and huge problem lists are
   refused quickly with a short, located message.
3. Names that break paths or rendering: slugs are safe and bounded, chart text is never
   mathtext, control characters are refused at the registry.
4. Silent acceptance: inf/huge weights and duplicate YAML keys are located errors.
"""

from __future__ import annotations

import csv
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from antikorupsi import charts, limits, sheets
from antikorupsi.cli import main
from antikorupsi.errors import (AntikorupsiError, FrameworkError, InputError, Problem,
                                ScenarioError)
from antikorupsi.fmt import ascii_slug
from antikorupsi.framework import framework_bytes, load_framework, parse_framework
from antikorupsi.regions import load_regions, validate_regions
from antikorupsi.reporting import slug
from antikorupsi.safeyaml import load_yaml
from antikorupsi.whatif import Scenario, load_scenario, parse_scenario
from antikorupsi.whatif import slug as scenario_slug

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "antikorupsi"
YEAR = 2024  # the year kept as one table of final values (2025 is split by stage)

# ======================================================================================
# 1. Formula injection
# ======================================================================================
#: Text a spreadsheet would evaluate: every trigger, after spaces, tab/CR, full-width.
FORMULAS = ["=1+1", '=HYPERLINK("http://contoh.invalid","klik")', "+1+cmd|/C calc!A0",
            "-2+3+cmd|/C calc!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", " =1+1", "  @x",
            "\u00a0=1+1", "\n-1+1", "\uff1d1+1", "-", "+", "=", "- daftar", "@"]
#: Text that is safe as it is: numbers (never touched), ordinary words, inner triggers.
HARMLESS = ["-5", "+3,5", "-0.25", "1e3", "-1.5e-3", "-5%", " -5 ", "Kota Serang", "a=b",
            "", "3601", "'kutip", "DATA SINTETIS: contoh"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_detected_and_quoted_for_csv(text):
    assert sheets.is_formula_like(text)
    quoted = sheets.csv_text(text)
    assert quoted == "'" + text and not sheets.is_formula_like(quoted)
    assert sheets.unquote(quoted) == text  # the real value comes back when read


@pytest.mark.parametrize("text", HARMLESS)
def test_numbers_and_ordinary_text_are_never_touched(text):
    assert not sheets.is_formula_like(text)
    assert sheets.csv_text(text) == text and sheets.unquote(text) == text


@pytest.mark.parametrize("text", ["'=1+1", "''@x", "' -1+1"])
def test_text_already_starting_with_a_quote_round_trips(text):
    quoted = sheets.csv_text(text)
    assert quoted == "'" + text and sheets.unquote(quoted) == text


@pytest.mark.parametrize("value", [-5, -5.5, 3, float("nan"), None, True])
def test_non_text_cells_are_never_touched(value):
    assert sheets.csv_text(value) is value


def test_csv_frame_quotes_text_cells_categories_and_headers_only():
    df = pd.DataFrame({"nama": ["=1+1", "Kota", None], "angka": [-5.0, 2.0, 3.0],
                       "kategori": pd.Categorical(["@x", "Baik", "@x"]), "=kolom": [1, 2, 3]})
    out = sheets.csv_frame(df)
    assert list(out["nama"][:2]) == ["'=1+1", "Kota"] and pd.isna(out["nama"][2])
    assert list(out["angka"]) == [-5.0, 2.0, 3.0]
    assert list(out["kategori"].astype(str)) == ["'@x", "Baik", "'@x"]
    assert list(out.columns) == ["nama", "angka", "kategori", "'=kolom"]
    assert df["nama"][0] == "=1+1"  # the caller's frame is not changed
    clean = pd.DataFrame({"a": ["x"], "b": [-1]})
    assert sheets.csv_frame(clean) is clean


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_text_is_a_string_cell_with_the_quote_prefix(tmp_path, text):
    wb = openpyxl.Workbook()
    wb.active.append([sheets.xlsx_value(text), -5, "biasa"])
    path = sheets.save_workbook(wb, tmp_path / "x.xlsx")
    cell = openpyxl.load_workbook(path).active["A1"]
    # exactly the text (an XML reader turns a bare CR into a line feed)
    assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")
    assert cell.quotePrefix
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula element anywhere
    other = openpyxl.load_workbook(path).active
    assert other["B1"].value == -5 and other["B1"].data_type == "n"
    assert not other["C1"].quotePrefix


@pytest.mark.parametrize("text, shown", [("a\x00b", "a\u2400b"), ("\x07bel", "\u2407bel"),
                                         ("x\x1by", "x\u241by"), ("del\x7f", "del\u2421")])
def test_xlsx_control_characters_become_visible_symbols(tmp_path, text, shown):
    wb = openpyxl.Workbook()
    wb.active.append([sheets.xlsx_value(text)])
    path = sheets.save_workbook(wb, tmp_path / "x.xlsx")
    assert openpyxl.load_workbook(path).active["A1"].value == shown


def test_xlsx_values_numbers_infinity_and_long_text(tmp_path):
    import numpy as np

    assert sheets.xlsx_value(np.int64(3)) == 3 and sheets.xlsx_value(np.float64(2.5)) == 2.5
    assert sheets.xlsx_value(float("nan")) is None and sheets.xlsx_value(pd.NA) is None
    assert sheets.xlsx_value(float("inf")) == "∞" and sheets.xlsx_value(-np.inf) == "-∞"
    long = sheets.xlsx_value("x" * 40_000)
    assert len(long) == sheets.XLSX_MAX_TEXT and long.endswith("karakter]")


# -- every writer of the project -----------------------------------------------------------
#: Patterns that write a spreadsheet without going through antikorupsi/sheets.py.
_RAW_WRITERS = re.compile(r"\.to_csv\(|\.to_excel\(|\bwb\.save\(|csv\.writer\(|DictWriter\(")


def test_every_spreadsheet_writer_goes_through_sheets():
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name == "sheets.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group()}" for m in _RAW_WRITERS.finditer(text)]
        if "Workbook()" in text:
            assert "save_workbook(" in text, f"{path.name} builds a workbook: save_workbook"
    assert offenders == [], "write spreadsheets with antikorupsi.sheets: " + ", ".join(offenders)


#: Region names for the eight Banten regions: each form of formula text once (the
#: registry trims spaces, so leading-space/tab forms are covered in the unit tests above).
HOSTILE_NAMES = ['=HYPERLINK("http://contoh.invalid","klik")', "+1+cmd|/C calc!A0",
                 "-2+3+cmd|/C calc!A0", "@SUM(A1:A9)", "\uff1dSUM(1)", "Kota $x^$ / A",
                 "-", "Kabupaten " + "Sangat Panjang " * 5 + "Sekali"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The Banten 2025 sample with formula-like region names, notes and evidence,
    scored; a scenario whose name is a formula."""
    root = tmp_path_factory.mktemp("hostile")
    regions = load_regions()
    regions["nama_wilayah"] = HOSTILE_NAMES
    reg_path = root / "wilayah.csv"
    regions.to_csv(reg_path, index=False)  # a hostile file as a user would have it
    data = root / "data"
    (data / str(YEAR)).mkdir(parents=True)
    for name in ("indikator", "penyaringan"):
        df = pd.read_csv(REPO / "data" / "raw" / str(YEAR) / f"{name}.csv", dtype=str,
                         keep_default_na=False)
        df.loc[0, "catatan"] = "=1+1"
        df.loc[1, "catatan"] = "@cmd"
        if "bukti" in df:
            df.loc[2, "bukti"] = "+bukti"
        df.to_csv(data / str(YEAR) / f"{name}.csv", index=False)
    scen = root / "skenario"
    scen.mkdir()
    (scen / "jahat.yaml").write_text('nama: "=1+1 jahat"\nbobot_komponen: {K2: 35}\n',
                                     encoding="utf-8")
    processed = root / "olahan"
    assert main(["score", "--year", str(YEAR), "--data", str(data), "--regions",
                 str(reg_path), "--processed", str(processed)]) == 0
    return {"root": root, "regions": reg_path, "data": data, "processed": processed,
            "scenarios": scen}


def _check_csv(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for row in csv.reader(text.splitlines()):
        for field in row:
            assert not sheets.is_formula_like(field), f"{path.name}: {field!r}"
    return text


def _check_xlsx(path: Path) -> set[str]:
    texts = set()
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{path.name} {ws.title}!{c.coordinate}"
                if isinstance(c.value, str):
                    texts.add(c.value)
                    if sheets.is_formula_like(c.value):
                        assert c.quotePrefix, f"{path.name} {ws.title}!{c.coordinate}"
    for name in zipfile.ZipFile(path).namelist():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in zipfile.ZipFile(path).read(name).decode()
    return texts


def test_scored_csv_outputs_quote_formula_text(hostile):
    d = hostile["processed"] / str(YEAR)
    texts = {p.name: _check_csv(p) for p in sorted(d.glob("*.csv"))}
    assert "'=HYPERLINK" in texts["hasil_wilayah.csv"]
    assert "'@SUM(A1:A9)" in texts["hasil_wilayah.csv"]
    assert "'=1+1" in texts["skor_indikator.csv"] and "'+bukti" in texts["skor_indikator.csv"]
    assert "'=1+1" in texts["penyaringan.csv"] and "'@cmd" in texts["penyaringan.csv"]
    # the Parquet files keep the real value; only the CSV view is quoted
    names = pd.read_parquet(d / "hasil_wilayah.parquet")["nama_wilayah"]
    assert set(names) == set(HOSTILE_NAMES)


def test_regions_export_quotes_and_reads_back_the_real_names(hostile, tmp_path, capsys):
    out = tmp_path / "wilayah.csv"
    assert main(["regions", "--regions", str(hostile["regions"]), "-o", str(out)]) == 0
    _check_csv(out)
    assert list(load_regions(out)["nama_wilayah"]) == HOSTILE_NAMES  # round trip


def test_template_shows_formula_names_as_text(hostile, tmp_path, capsys):
    out = tmp_path / "templat.xlsx"
    assert main(["template", "--year", str(YEAR), "--regions", str(hostile["regions"]),
                 "-o", str(out)]) == 0
    assert set(HOSTILE_NAMES) <= _check_xlsx(out)


@pytest.mark.parametrize("command", ["whatif", "uncertainty"])
def test_excel_exports_show_formula_names_as_text(hostile, tmp_path, capsys, command):
    out = tmp_path / f"{command}.xlsx"
    extra = ["--draws", "64", "--no-sensitivity"] if command == "uncertainty" else []
    assert main([command, "--year", str(YEAR), "--processed", str(hostile["processed"]),
                 "--scenarios", str(hostile["scenarios"]), "--scenario", "jahat",
                 "--excel", str(out), *extra]) == 0
    texts = _check_xlsx(out)
    assert set(HOSTILE_NAMES) <= texts
    assert any("=1+1 jahat" in t for t in texts)  # the scenario's name, as written


# ======================================================================================
# 2. Resource exhaustion
# ======================================================================================
def _bomb(levels: int = 9) -> str:
    text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for k in range(1, levels):
        prev, cur = chr(ord("a") + k - 1), chr(ord("a") + k)
        text += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


#: Hostile YAML documents: (name, text, line of the problem or None, words of the message)
YAML_BOMBS = [
    ("alias bomb", _bomb(), 6, "bom alias"),
    ("alias bomb in a mapping", "a: &a {x: 1, y: 2, z: 3}\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} " + "{" + ", ".join(
            f"k{j}: *{chr(97 + k)}" for j in range(10)) + "}\n" for k in range(8)),
     None, "bom alias"),
    ("self reference", "a: &a [1, *a]\n", 1, "merujuk ke dirinya"),
    ("deep flow nesting", "a: " + "[" * 200 + "]" * 200 + "\n", 1, "terlalu dalam"),
    ("deep block nesting", "a:\n" + "".join("  " * k + f"k{k}:\n" for k in range(1, 90))
     + "  " * 90 + "x: 1\n", None, "terlalu dalam"),
    ("unclosed flow", "a: [1, 2\n", None, "YAML tidak dapat dibaca"),
    ("not UTF-8", b"nama: \xff\xfe\n", 1, "bukan teks UTF-8"),
]


@pytest.mark.parametrize("name, text, line, words", YAML_BOMBS, ids=[b[0] for b in YAML_BOMBS])
@pytest.mark.parametrize("kind", ["framework", "scenario"])
def test_hostile_yaml_is_refused_quickly_with_a_line(tmp_path, name, text, line, words, kind):
    path = tmp_path / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    start = time.perf_counter()
    with pytest.raises(FrameworkError if kind == "framework" else ScenarioError) as err:
        load_framework(path) if kind == "framework" else load_scenario(path)
    assert time.perf_counter() - start < 1.0
    [p] = err.value.problems
    assert words in p.message and p.file == str(path)
    if line is not None:
        assert p.row == line
    assert len(err.value.render()) < 1000


@pytest.mark.parametrize("kind", ["framework", "scenario"])
def test_a_50_mb_yaml_file_is_refused_before_it_is_read(hostile, tmp_path, kind, capsys):
    path = tmp_path / "besar.yaml"
    with path.open("wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.write(b"nama: x\n")
        fh.truncate(50 * 2**20)
    start = time.perf_counter()
    if kind == "framework":
        code = main(["framework", "check", str(path)])
    else:
        code = main(["whatif", "--year", str(YEAR), "--scenario", str(path),
                     "--processed", str(hostile["processed"])])
    assert time.perf_counter() - start < 1.0
    assert code == 2
    err = capsys.readouterr().err
    assert "berkas YAML terlalu besar" in err and "52.428.800 bita" in err


def test_yaml_node_cap_counts_aliases(monkeypatch):
    import dataclasses

    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, yaml_nodes=50))
    load_yaml("a: &a [1, 2, 3]\nb: [*a, *a]\n", "x.yaml", FrameworkError)  # 13 nodes
    with pytest.raises(FrameworkError, match="bom alias"):
        load_yaml("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a, *a, *a]\n", "x.yaml",
                  FrameworkError)


def test_the_shipped_frameworks_pass_the_safe_loader_unchanged():
    for fid in ("kak-2024", "kak-2025"):
        raw = framework_bytes(fid)[0]
        assert load_yaml(raw, fid, FrameworkError) == yaml.safe_load(raw)


def _many_problems(n: int) -> InputError:
    probs = []
    for i in range(n):
        kind = i % 3
        probs.append(Problem("indikator.csv", ["bukan angka", f"baris ganda (pertama di baris {i})",
                                               "kode wilayah tidak dikenal"][kind],
                             row=i + 2, column=["nilai", "kode_indikator", "kode_wilayah"][kind],
                             value="x" * 50_000 if i == 0 else str(i), expected="angka"))
    return InputError(probs)


def test_a_huge_problem_list_stays_short_and_counts_every_kind(monkeypatch):
    monkeypatch.delenv(limits.MAX_PROBLEMS_ENV, raising=False)
    err = _many_problems(200_000)
    text = err.render()
    assert len(text) < 8_000  # a 49 MB message before
    lines = text.splitlines()
    assert lines[0] == "Data masukan tidak valid: 200.000 masalah ditemukan"
    assert sum(1 for x in lines if x.startswith("  - ")) == 30  # 10 of each of 3 kinds
    assert "66.657 lagi di indikator.csv, kolom 'nilai'" in text  # 66.667 - 10
    assert "66.657 lagi di indikator.csv, kolom 'kode_indikator'" in text
    assert "66.656 lagi di indikator.csv, kolom 'kode_wilayah'" in text
    assert "--problems-csv" in text
    assert "…" in lines[1] and len(lines[1]) < 1_000  # a 50,000-character value is cut


def test_the_problem_limit_is_configurable(monkeypatch):
    err = _many_problems(100)
    assert sum(1 for x in err.render(per_kind=2).splitlines() if x.startswith("  - ")) == 6
    monkeypatch.setenv(limits.MAX_PROBLEMS_ENV, "0")
    assert sum(1 for x in err.render().splitlines() if x.startswith("  - ")) == 100


def test_many_kinds_are_summed_up(monkeypatch):
    monkeypatch.delenv(limits.MAX_PROBLEMS_ENV, raising=False)
    probs = [Problem(f"f{i}.csv", "bukan angka", row=2) for i in range(100) for _ in range(11)]
    text = AntikorupsiError(probs).render()
    assert "... dan 80 jenis lain (880 masalah)" in text
    assert len(text.splitlines()) < 260


def test_validate_writes_every_problem_to_a_csv(sample_data, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(limits.MAX_PROBLEMS_ENV, raising=False)
    data = sample_data(YEAR)
    path = data / str(YEAR) / "indikator.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["nilai"] = "=bukan angka"
    df.to_csv(path, index=False)
    out = tmp_path / "masalah.csv"
    assert main(["validate", "--year", str(YEAR), "--data", str(data),
                 "--problems-csv", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n  - ") <= 20 and f"masalah ditulis ke {out}" in err
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(table) == len(df) and set(table["nilai"]) == {"'=bukan angka"}
    assert list(table.columns) == ["berkas", "sheet", "baris", "kolom", "nilai", "masalah",
                                   "diharapkan"]


@pytest.mark.parametrize("cap, make, words", [
    ("input_rows", lambda p: pd.DataFrame({"a": range(60)}).to_csv(p, index=False),
     "terlalu banyak baris"),
    ("input_bytes", lambda p: p.write_bytes(b"a\n" + b"1\n" * 5000), "terlalu besar"),
])
def test_input_tables_over_a_cap_are_refused(tmp_path, monkeypatch, cap, make, words):
    import dataclasses

    from antikorupsi.inputs import read_table

    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(
        limits.LIMITS, input_rows=50, input_bytes=4096))
    path = tmp_path / "indikator.csv"
    make(path)
    with pytest.raises(InputError) as err:
        read_table(path)
    [p] = err.value.problems
    assert words in p.message and p.file == str(path)


def test_a_workbook_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    import dataclasses

    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(
        limits.LIMITS, xlsx_unpacked_bytes=1_000_000))
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<a/>" + b" " * 5_000_000)  # zips to ~5 KB
    assert path.stat().st_size < 50_000
    with pytest.raises(InputError, match="bom zip"):
        limits.check_input_file(path)


# ======================================================================================
# 3. Names that break paths or rendering
# ======================================================================================
NAMES = ["Kota Tangerang Selatan", "a/b/../../etc/passwd", "Kota $x^$", "nul\x00di\x07sini",
         "日本語だけ", "", "..", "-" * 10, "Kabupaten " + "Sangat Panjang " * 40,
         "x" * 5000, "CON", "Kota Ähnlich Ōsaka"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("make, limit", [(slug, 60), (scenario_slug, 60)])
def test_file_name_slugs_are_safe_and_bounded(name, make, limit):
    s = make(name)
    assert len(s) <= limit
    assert re.fullmatch(r"[a-z0-9_-]*", s), s
    assert s not in (".", "..")
    if make is slug:
        assert s  # a report always has a file name ("wilayah" at worst)


def test_long_names_that_share_their_start_get_different_slugs():
    a = "Kabupaten " + "Sangat Panjang " * 10 + "Utara"
    b = "Kabupaten " + "Sangat Panjang " * 10 + "Selatan"
    assert slug(a) != slug(b) and len(slug(a)) <= 60
    assert slug("Kota Tangerang Selatan") == "kota-tangerang-selatan"  # short names unchanged
    assert ascii_slug("x" * 100, "-", max_len=20).startswith("x" * 11)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\t", "\n", "\r", "\x1b", "\x7f", "\x85",
                                  "\u2028"])
@pytest.mark.parametrize("column", ["nama_wilayah", "provinsi"])
def test_control_characters_in_the_registry_are_located_errors(char, column):
    df = load_regions()
    df.loc[3, column] = f"Kota{char}Serang"
    with pytest.raises(InputError) as err:
        validate_regions(df, "wilayah.csv")
    [p] = [x for x in err.value.problems if "karakter kontrol" in x.message]
    assert (p.file, p.row, p.column) == ("wilayah.csv", 5, column)
    assert f"U+{ord(char):04X}" in p.message


def test_an_overlong_region_name_is_a_located_error():
    df = load_regions()
    df.loc[0, "nama_wilayah"] = "Kabupaten " + "x" * 200
    with pytest.raises(InputError) as err:
        validate_regions(df, "wilayah.csv")
    [p] = err.value.problems
    assert (p.row, p.column, p.message) == (2, "nama_wilayah", "nama terlalu panjang")


LABELS = ["Kota $x^$", "$", "a$b$c", r"\$\frac{1}{0}$", "$^$", "50$ dan 60$", "日本語 ＝SUM",
          "Kabupaten " + "Sangat Panjang " * 8]


@pytest.mark.parametrize("label", LABELS)
def test_chart_text_is_never_mathtext(label):
    codes = ["3601", "3602"]
    names = pd.Series({"3601": label, "3602": "Kota Serang"})
    figs = [
        charts.component_bars(pd.Series({"K1": 80.0}), pd.Series({"K1": 70.0}),
                              {"K1": label}, threshold=90, region_label=label,
                              comparison_label=label),
        charts.component_heatmap(pd.DataFrame([[80.0], [95.0]], index=codes, columns=["K1"]),
                                 [label, "Kota Serang"], [label], threshold=90, title=label),
        charts.score_distribution(pd.Series({"3601": 80.0, "3602": 92.0}), threshold=90,
                                  bands=[(70, label)], labels=names),
    ]
    for fig in figs:
        svg = charts.svg(fig)  # raised ValueError on a bad "$...$" before
        assert "<svg" in svg
    visible = charts.plain(label, charts.LABEL_MAX).replace("\\$", "$")
    assert "$" not in label or "$" in visible


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # the full-width name
def test_rank_change_chart_of_the_what_if_notebook_takes_any_name(hostile):
    from antikorupsi.explorer import _png, rank_change_figure
    from antikorupsi.store import read_assessment
    from antikorupsi.whatif import compare

    a = read_assessment(hostile["processed"] / str(YEAR))
    c = compare(a, Scenario("$^$ skenario", component_weights={"K2": 35}))
    assert _png(rank_change_figure(c)).startswith(b"\x89PNG")


# ======================================================================================
# 4. Silent acceptance: inf/huge weights, duplicate keys
# ======================================================================================
def _framework_text(edit) -> str:
    text = framework_bytes("kak-2025")[0].decode("utf-8")
    return edit(text)


def _first(pattern: str, repl: str):
    return lambda t: re.sub(pattern, repl, t, count=1, flags=re.M)


WEIGHT_FORMS = [".inf", "-.inf", ".nan", ".NaN", "1.0e+308", "1.5e+16",
                "1" + "0" * 40, "9" * 5000]


@pytest.mark.parametrize("value", WEIGHT_FORMS)
def test_infinite_or_huge_framework_weights_are_located_errors(value):
    text = _framework_text(_first(r"^(\s+weight:)\s*\S+", rf"\1 {value}"))
    line = next(i for i, x in enumerate(text.splitlines(), 1) if value[:20] in x)
    with pytest.raises(FrameworkError) as err:
        parse_framework(text, source="kerangka.yaml")
    [p] = err.value.problems
    assert p.row == line and p.column.endswith(".weight")
    assert "tidak terhingga" in p.message or "terlalu besar" in p.message


@pytest.mark.parametrize("value", WEIGHT_FORMS)
def test_infinite_or_huge_scenario_weights_are_located_errors(value):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(f"nama: X\nbobot_komponen:\n  K1: 1\n  K2: {value}\n", source="s.yaml")
    [p] = err.value.problems
    assert (p.row, p.column) == (4, "bobot_komponen.K2")


@pytest.mark.parametrize("weight", [float("inf"), 1e308, 1e16])
def test_weights_given_in_code_are_bounded_too(weight):
    fw = load_framework("kak-2025")
    with pytest.raises(FrameworkError, match="bobot"):
        fw.with_weights({"K1": weight})
    from antikorupsi.whatif import validate_scenario

    problems = validate_scenario(Scenario("X", component_weights={"K1": weight}), fw)
    assert [p.column for p in problems] == ["bobot_komponen.K1"]


DUPLICATES = [
    ("top level", _first(r"^(version:.*)$", r"\1\nversion: '9'"), "version"),
    ("nested", _first(r"^(\s+)(weight: .*)$", r"\1\2\n\1\2"), ".weight"),
    ("quoted twin", _first(r"^(version:.*)$", r"\1\n'version': '9'"), "version"),
]


@pytest.mark.parametrize("name, edit, column", DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_duplicate_framework_keys_are_located_errors(name, edit, column):
    text = _framework_text(edit)
    with pytest.raises(FrameworkError) as err:
        parse_framework(text, source="kerangka.yaml")
    [p] = err.value.problems
    assert "kunci ditulis dua kali" in p.message and p.column.endswith(column)
    first = int(re.search(r"juga di baris (\d+)", p.message).group(1))
    assert p.row == first + 1


@pytest.mark.parametrize("text, row, column", [
    ("nama: A\nnama: B\n", 2, "nama"),
    ("nama: A\nbobot_komponen:\n  K1: 1\n  K1: 2\n", 4, "bobot_komponen.K1"),
    ("nama: A\nbobot_komponen: {K1: 1, K1: 2}\n", 2, "bobot_komponen.K1"),
])
def test_duplicate_scenario_keys_are_located_errors(text, row, column):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="s.yaml")
    [p] = err.value.problems
    assert (p.row, p.column) == (row, column) and "dua kali" in p.message


def test_yaml_merge_keys_are_not_duplicates():
    doc = load_yaml("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  x: 3\n", "x.yaml", FrameworkError)
    assert doc["d"] == {"x": 3, "y": 2}


@pytest.mark.parametrize("text", ['nama: "a\\0b"\n', 'nama: "bel\\a"\n', 'nama: "esc\\e"\n',
                                  'deskripsi: "x\\x7fy"\nnama: A\n', 'nama: "c1\\x85"\n'])
def test_control_characters_in_yaml_text_are_located_errors(text):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="s.yaml")
    [p] = err.value.problems
    assert "karakter kontrol" in p.message and p.row is not None


def test_excel_error_words_in_user_text_stay_text():
    """"#N/A" as a name or note is text, not an Excel error cell (openpyxl guesses "e" for
    it, as it guesses "f" for "=..."): every text cell is saved as a string cell."""
    wb = openpyxl.Workbook()
    wb.active.append(["#N/A", "#DIV/0!", "=1+1", "biasa", 5])
    sheets.neutralise_workbook(wb)
    types = [c.data_type for c in wb.active[1]]
    assert types == ["s", "s", "s", "s", "n"]
