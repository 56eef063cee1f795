"""The data-collection workbook: layout, validations, instructions, and the round trip
template -> filled by an analyst -> :func:`antikorupsi.inputs.read_year` -> scores."""

from __future__ import annotations

import math
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from openpyxl.utils import get_column_letter, range_boundaries

from antikorupsi.cli import main
from antikorupsi.framework import framework_bytes, load_framework, parse_framework
from antikorupsi.inputs import read_year
from antikorupsi.regions import load_regions
from antikorupsi.scoring import score_year
from antikorupsi.template import (
    TEMPLATE_INDICATOR_COLUMNS,
    TEMPLATE_SCREENING_COLUMNS,
    write_template,
)

YEAR = 2025
FW = load_framework(f"kak-{YEAR}")
REGIONS = load_regions()


@pytest.fixture(scope="module")
def book_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "templat.xlsx"
    assert write_template(path, FW, REGIONS, YEAR) == path
    return path


@pytest.fixture(scope="module")
def book(book_path):
    return openpyxl.load_workbook(book_path)


def rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def column(ws, name: str) -> str:
    return get_column_letter([c.value for c in ws[1]].index(name) + 1)


def validations(ws) -> dict[str, object]:
    """Cell coordinate -> the data validation covering it (each cell at most one)."""
    out: dict[str, object] = {}
    for dv in ws.data_validations.dataValidation:
        for cr in dv.sqref.ranges:
            for r, c in cr.cells:
                coord = f"{get_column_letter(c)}{r}"
                assert coord not in out, f"{coord} has two validations"
                out[coord] = dv
    return out


def list_items(book, formula: str) -> list[str]:
    """The entries of a list validation: inline ``"a,b"`` or a range on another sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, ref = formula.rsplit("!", 1)
    ws = book[sheet.strip("'")]
    c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
    return [ws.cell(row=r, column=c1).value for r in range(r1, r2 + 1)]


def assert_messages(dv) -> None:
    """Error and prompt texts present, in Indonesian, within Excel's limits."""
    assert dv.showErrorMessage and dv.errorStyle == "stop"
    assert dv.allow_blank  # an empty nilai is allowed: evidence may be missing
    assert dv.error and dv.errorTitle and dv.prompt and dv.promptTitle
    assert len(dv.errorTitle) <= 32 and len(dv.promptTitle) <= 32
    assert len(dv.error) <= 225 and len(dv.prompt) <= 255
    assert re.search(r"\b(isi|pilih|kosongkan|tahun|angka)\b", dv.error, re.IGNORECASE)


# -- layout ------------------------------------------------------------------------------------
def test_sheets_headers_and_layout(book):
    assert book.sheetnames == ["petunjuk", "indikator", "penyaringan", "pilihan"]
    assert book.active.title == "petunjuk"
    assert book["pilihan"].sheet_state == "hidden"
    for name, cols in (("indikator", TEMPLATE_INDICATOR_COLUMNS),
                       ("penyaringan", TEMPLATE_SCREENING_COLUMNS)):
        ws = book[name]
        assert [c.value for c in ws[1]] == cols
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        assert all(ws.column_dimensions[get_column_letter(k)].width >= 8
                   for k in range(1, len(cols) + 1))
        assert ws.auto_filter.ref == f"A1:{get_column_letter(len(cols))}{ws.max_row}"
        for code_col in ("kode_wilayah", "kode_indikator", "kriteria"):
            if code_col in cols:
                cells = ws[column(ws, code_col)][1:]
                assert all(c.number_format == "@" and isinstance(c.value, str) for c in cells)
    assert TEMPLATE_INDICATOR_COLUMNS == ["tahun", "kode_wilayah", "nama_wilayah",
                                          "kode_indikator", "nama_indikator", "nilai", "bukti",
                                          "catatan", "sintetis"]


def test_one_indicator_row_per_region_and_indicator(book):
    got = rows(book["indikator"])
    expected = [(r.kode_wilayah, r.nama_wilayah, i.code, i.name)
                for r in REGIONS.itertuples() for i in FW.indicators]
    assert [(x["kode_wilayah"], x["nama_wilayah"], x["kode_indikator"], x["nama_indikator"])
            for x in got] == expected
    assert {x["tahun"] for x in got} == {YEAR}
    assert all(x["nilai"] is None and x["bukti"] is None for x in got)
    assert {x["sintetis"] for x in got} == {"tidak"}


def test_one_screening_row_per_region_and_criterion_and_required_year(book):
    got = rows(book["penyaringan"])
    per_region = {}
    for x in got:
        per_region.setdefault(x["kode_wilayah"], []).append((x["kriteria"], x["tahun_data"]))
    assert list(per_region) == list(REGIONS["kode_wilayah"])
    consecutive = {c.code: c.rule.years for c in FW.screening
                   if c.rule is not None and c.rule.op == "consecutive"}
    assert consecutive == {"opini_bpk": 2}
    expected = []
    for c in FW.screening:
        if c.code in consecutive:
            expected += [(c.code, YEAR - k) for k in range(1, consecutive[c.code] + 1)]
        else:
            expected.append((c.code, None))
    assert all(v == expected for v in per_region.values())
    assert all(x["nilai"] is None and x["tahun"] == YEAR for x in got)
    names = {c.code: c.name for c in FW.screening}
    assert all(x["nama_kriteria"] == names[x["kriteria"]] for x in got)


# -- validations -------------------------------------------------------------------------------
def test_indicator_values_have_dropdowns_or_ranges(book):
    ws = book["indikator"]
    dvs = validations(ws)
    nilai = column(ws, "nilai")
    for k, x in enumerate(rows(ws), start=2):
        ind = FW.indicator(x["kode_indikator"])
        cell = f"{nilai}{k}"
        sc = ind.scoring
        if sc.method == "rubric":
            dv = dvs[cell]
            assert dv.type == "list"
            assert list_items(book, dv.formula1) == FW.rubric(sc.rubric).choices()
            assert ws[cell].number_format == "@"  # a chosen "2: Berkembang" stays text
        else:
            lo, hi = FW.scale if sc.method == "direct" else sc.valid
            dv = dvs[cell]
            assert (dv.type, dv.operator) == ("decimal", "between")
            assert (float(dv.formula1), float(dv.formula2)) == (lo, hi)
            assert ind.code in dv.error
        assert_messages(dv)
        assert ind.code in dv.promptTitle
    sint = column(ws, "sintetis")
    dv = dvs[f"{sint}2"]
    assert list_items(book, dv.formula1) == ["ya", "tidak"]
    assert dvs[f"{sint}{ws.max_row}"] is dv


def test_lhkpn_range_and_its_message(book):
    ws = book["indikator"]
    row = next(k for k, x in enumerate(rows(ws), start=2) if x["kode_indikator"] == "I05")
    dv = validations(ws)[f"{column(ws, 'nilai')}{row}"]
    assert (float(dv.formula1), float(dv.formula2)) == FW.indicator("I05").scoring.valid
    assert "antara 0 dan 100 %" in dv.error


def test_screening_values_have_dropdowns_or_ranges(book):
    ws = book["penyaringan"]
    dvs = validations(ws)
    nilai, tahun_data = column(ws, "nilai"), column(ws, "tahun_data")
    for k, x in enumerate(rows(ws), start=2):
        crit = FW.criterion(x["kriteria"])
        dv = dvs[f"{nilai}{k}"]
        if crit.kind == "grade":
            assert dv.type == "list"
            assert list_items(book, dv.formula1) == list(crit.grades)
        else:
            assert dv.type == ("whole" if crit.kind == "count" else "decimal")
            assert (float(dv.formula1), float(dv.formula2)) == crit.range
        assert_messages(dv)
        year_dv = dvs[f"{tahun_data}{k}"]
        assert (year_dv.type, year_dv.operator, year_dv.formula1) == (
            "whole", "lessThanOrEqual", str(YEAR))
        assert_messages(year_dv)


# -- instructions ------------------------------------------------------------------------------
def test_instructions_explain_columns_rubrics_and_screening(book):
    text = "\n".join(" | ".join("" if v is None else str(v) for v in r)
                     for r in book["petunjuk"].iter_rows(values_only=True))
    for col in TEMPLATE_INDICATOR_COLUMNS + TEMPLATE_SCREENING_COLUMNS:
        assert f"\n{col} | " in text, col
    for rubric in FW.rubrics:
        for lv, choice in zip(rubric.levels, rubric.choices()):
            assert f"{lv.level} | {lv.label} | " in text
            assert lv.description in text  # full text, commas included
            assert choice in text
    for crit in FW.screening:
        line = next(x for x in text.splitlines() if x.startswith(f"{crit.code} | {crit.name}"))
        if crit.rule is None:
            assert "tidak dipublikasikan" in line
        elif crit.rule.op == "consecutive":
            assert f"{crit.rule.value} {crit.rule.years} tahun berturut-turut" in line
        else:
            assert f"{crit.rule.op} {crit.rule.value:g}" in line
    for ind in FW.indicators:
        assert f"{ind.code} | {ind.name} | " in text
    assert "87,5" in text  # the decimal comma is accepted
    assert "KOSONGKAN" in text and "status 'kosong'" in text
    assert "indikator tanpa bukti diberi skor 0" in text  # the framework's missing policy
    assert f"tahun penilaian {YEAR}" in text
    assert f"antikorupsi validate --year {YEAR}" in text


# -- round trip --------------------------------------------------------------------------------
def test_blank_template_reads_back_as_all_missing(tmp_path):
    write_template(tmp_path / str(YEAR) / "templat.xlsx", FW, REGIONS, YEAR)
    inputs = read_year(tmp_path, YEAR, FW, REGIONS)
    assert len(inputs.indicators) == len(REGIONS) * len(FW.indicators)
    assert inputs.indicators["skor_masukan"].isna().all()
    assert not inputs.indicators["sintetis"].any()
    assert (inputs.screening["nilai"] == "").all()
    a = score_year(FW, inputs, REGIONS)
    assert set(a.indicators["status"]) == {"kosong"}
    assert (a.results["kelengkapan"] == 0).all()


def _fill(path: Path, framework, values: dict[tuple[str, str], object],
          screening: dict[tuple[str, str, int | None], tuple[object, int]]) -> None:
    """Fill a saved template as an analyst would, keeping everything else as it is."""
    wb = openpyxl.load_workbook(path)
    ws = wb["indikator"]
    for k, x in enumerate(rows(ws), start=2):
        key = (x["kode_wilayah"], x["kode_indikator"])
        if key in values:
            ws[f"{column(ws, 'nilai')}{k}"] = values[key]
            ws[f"{column(ws, 'bukti')}{k}"] = f"bukti/{key[0]}/{key[1]}.pdf"
    ws = wb["penyaringan"]
    for k, x in enumerate(rows(ws), start=2):
        key = (x["kode_wilayah"], x["kriteria"], x["tahun_data"])
        if key in screening:
            value, data_year = screening[key]
            ws[f"{column(ws, 'nilai')}{k}"] = value
            ws[f"{column(ws, 'tahun_data')}{k}"] = data_year
            ws[f"{column(ws, 'sumber')}{k}"] = "laporan resmi"
    wb.save(path)


def _analyst_values(framework, regions) -> dict[tuple[str, str], object]:
    """A value for every cell, the way Excel would store each: rubric levels as the
    dropdown's text, numbers as numbers, one decimal comma typed as text."""
    values = {}
    for n, code in enumerate(regions["kode_wilayah"]):
        for m, ind in enumerate(framework.indicators):
            sc = ind.scoring
            if sc.method == "rubric":
                choices = framework.rubric(sc.rubric).choices()
                values[(code, ind.code)] = choices[(n + m) % len(choices)]
            else:
                lo, hi = framework.scale if sc.method == "direct" else (sc.valid or (0, 100))
                values[(code, ind.code)] = round(lo + (hi - lo) * ((n + m) % 7) / 8, 1)
    first = regions["kode_wilayah"].iloc[0]
    values[(first, "I01")] = "87,5"
    return values


def test_filled_template_reads_back_and_scores(tmp_path):
    path = write_template(tmp_path / str(YEAR) / "templat.xlsx", FW, REGIONS, YEAR)
    values = _analyst_values(FW, REGIONS)
    a, b = REGIONS["kode_wilayah"].iloc[:2]
    # the MCP figure of the year equals indicator I01 ("87,5"): one fact, one value
    screening = {(a, "mcp", None): (87.5, YEAR), (a, "opini_bpk", YEAR - 1): ("WTP", YEAR - 1),
                 (a, "opini_bpk", YEAR - 2): ("WTP", YEAR - 2), (a, "kasus", None): (0, YEAR),
                 (b, "sakip", None): ("BB", YEAR - 1), (b, "spip", None): ("3,5", YEAR)}
    _fill(path, FW, values, screening)

    inputs = read_year(tmp_path, YEAR, FW, REGIONS)
    got = inputs.indicators.set_index(["kode_wilayah", "kode_indikator"])
    assert len(got) == len(values)
    for (code, icode), value in values.items():
        ind = FW.indicator(icode)
        row = got.loc[(code, icode)]
        if ind.scoring.method == "rubric":
            level = int(str(value).split(":")[0])
            assert row["angka"] == level
            assert row["skor_masukan"] == FW.rubric(ind.scoring.rubric).score_of(level)
        else:
            expected = 87.5 if value == "87,5" else value
            assert row["angka"] == pytest.approx(expected)
        assert row["bukti"] == f"bukti/{code}/{icode}.pdf"
    assert got["skor_masukan"].notna().all()

    scr = inputs.screening[inputs.screening["nilai"] != ""].set_index(
        ["kode_wilayah", "kriteria", "tahun_data"])
    assert scr.loc[(a, "mcp", YEAR), "angka"] == pytest.approx(87.5)
    assert scr.loc[(a, "opini_bpk", YEAR - 2), "angka"] == "WTP"
    assert scr.loc[(a, "kasus", YEAR), "angka"] == 0
    assert scr.loc[(b, "sakip", YEAR - 1), "angka"] == "BB"
    assert scr.loc[(b, "spip", YEAR), "angka"] == pytest.approx(3.5)

    result = score_year(FW, inputs, REGIONS)
    assert (result.results["kelengkapan"] == 1).all()
    outcome = result.screening.set_index(["kode_wilayah", "kriteria"])["hasil"]
    assert outcome[(a, "mcp")] == "lulus"
    assert outcome[(a, "opini_bpk")] == "lulus"
    assert outcome[(a, "kasus")] == "lulus"


def _variant_framework(tmp_path: Path):
    """kak-2025 with a rubric whose labels hold commas, goalposts without a valid range,
    three consecutive BPK opinions and a one-decimal scale bound."""
    doc = yaml.safe_load(framework_bytes("kak-2025")[0])
    doc["rubrics"]["tiga"] = {"description": "Tiga tingkat", "levels": [
        {"level": 1, "label": "Belum, sama sekali", "score": 0},
        {"level": 2, "label": "Sebagian, belum rutin", "score": 50},
        {"level": 3, "label": "Penuh", "score": 100}]}
    for ind in doc["indicators"]:
        if ind["code"] == "I02":
            ind["scoring"] = {"method": "rubric", "rubric": "tiga"}
            ind.pop("steps")  # written for the five-level rubric (validated against it)
        if ind["code"] == "I09":
            ind["scoring"].pop("valid")
    for crit in doc["screening"]:
        if crit["code"] == "opini_bpk":
            crit["rule"]["years"] = 3
        if crit["code"] == "spip":
            crit["range"] = [0, 5.5]
    path = tmp_path / "varian.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return parse_framework(path.read_bytes(), source=str(path))


def test_template_follows_the_framework(tmp_path):
    fw = _variant_framework(tmp_path)
    regions = REGIONS.iloc[:3]
    path = write_template(tmp_path / str(YEAR) / "templat.xlsx", fw, regions, YEAR)
    wb = openpyxl.load_workbook(path)
    ind_ws, scr_ws = wb["indikator"], wb["penyaringan"]
    dvs = validations(ind_ws)
    nilai = column(ind_ws, "nilai")
    by_code = {x["kode_indikator"]: k for k, x in enumerate(rows(ind_ws), start=2)}
    dv = dvs[f"{nilai}{by_code['I02']}"]
    assert list_items(wb, dv.formula1) == ["1: Belum, sama sekali", "2: Sebagian, belum rutin",
                                           "3: Penuh"]
    assert f"{nilai}{by_code['I09']}" not in dvs  # goalposts without a valid range
    opini = [x["tahun_data"] for x in rows(scr_ws) if x["kriteria"] == "opini_bpk"]
    assert opini == [YEAR - 1, YEAR - 2, YEAR - 3] * len(regions)
    spip_row = next(k for k, x in enumerate(rows(scr_ws), start=2) if x["kriteria"] == "spip")
    dv = validations(scr_ws)[f"{column(scr_ws, 'nilai')}{spip_row}"]
    assert float(dv.formula2) == 5.5
    assert "5,5" in dv.error  # Indonesian number for people, "5.5" in the formula

    values = _analyst_values(fw, regions)
    values[(regions["kode_wilayah"].iloc[1], "I09")] = 250.0  # any number: no valid range
    _fill(path, fw, values, {})
    inputs = read_year(tmp_path, YEAR, fw, regions)
    got = inputs.indicators.set_index(["kode_wilayah", "kode_indikator"])
    scores = {1: 0, 2: 50, 3: 100}
    for code in regions["kode_wilayah"]:
        level = int(values[(code, "I02")].split(":")[0])
        assert got.loc[(code, "I02"), "angka"] == level
        assert got.loc[(code, "I02"), "skor_masukan"] == scores[level]
    assert got.loc[(regions["kode_wilayah"].iloc[1], "I09"), "angka"] == 250
    assert len(inputs.screening) == len(regions) * (len(fw.screening) + 2)


# -- writing -----------------------------------------------------------------------------------
def test_write_replaces_atomically_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "out" / "templat.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"previous workbook")

    from openpyxl.writer.excel import ExcelWriter

    from antikorupsi.errors import OutputError

    def broken_write(self):
        self._archive.writestr("half", b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ExcelWriter, "write_data", broken_write)
    with pytest.raises(OutputError, match="ruang disk penuh"):
        write_template(path, FW, REGIONS, YEAR)
    assert path.read_bytes() == b"previous workbook"
    assert [p.name for p in path.parent.iterdir()] == ["templat.xlsx"]

    monkeypatch.undo()
    write_template(path, FW, REGIONS, YEAR)
    assert [p.name for p in path.parent.iterdir()] == ["templat.xlsx"]
    assert openpyxl.load_workbook(path).sheetnames[:3] == ["petunjuk", "indikator", "penyaringan"]


def test_cli_template_then_score(tmp_path, capsys):
    data = tmp_path / "data"
    out = data / str(YEAR) / "templat.xlsx"
    codes = ["3601", "3674"]
    assert main(["template", "--year", str(YEAR), "--region", *codes, "--out", str(out)]) == 0
    assert f"untuk {len(codes)} wilayah" in capsys.readouterr().out
    regions = REGIONS[REGIONS["kode_wilayah"].isin(codes)]
    values = _analyst_values(FW, regions)
    del values[("3674", "I19")]  # no evidence: left empty
    _fill(out, FW, values, {})
    processed = tmp_path / "processed"
    assert main(["score", "--year", str(YEAR), "--data", str(data),
                 "--processed", str(processed)]) == 0, capsys.readouterr().err
    res = pd.read_csv(processed / str(YEAR) / "hasil_wilayah.csv", dtype={"kode_wilayah": str})
    assert sorted(res["kode_wilayah"]) == codes
    n = len(FW.indicators)
    completeness = res.set_index("kode_wilayah")["kelengkapan"]
    assert completeness["3601"] == 1
    assert math.isclose(completeness["3674"], (n - 1) / n)
    assert "DATA SINTETIS" not in capsys.readouterr().out  # sintetis 'tidak' throughout
