"""Tests for antikorupsi.scoring: missing-data policies, screening, designation, change.

Frameworks are small YAML documents built here, inputs go through the real validation
(``validate_indicators``/``validate_screening``) so that the frames are what the
pipeline scores, and regions are Banten's registry (plus national ones where a second
province is needed).
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pandas as pd
import pandas.testing as tm
import pytest
import yaml

from antikorupsi.framework import load_framework, parse_framework
from antikorupsi.inputs import YearInputs, validate_indicators, validate_screening
from antikorupsi.regions import load_regions, national_regions
from antikorupsi.scoring import (
    DESIGNATION,
    OVERALL,
    SCREEN,
    STATUS,
    TREATMENT,
    aggregate_matrix,
    competition_rank,
    evaluate_screening,
    rescore,
    score_year,
)

YEAR = 2025
BANTEN = load_regions()
CODES = list(BANTEN["kode_wilayah"])

SCREENING = [
    {"code": "mcp", "name": "Skor MCP", "kind": "number", "range": [0, 100],
     "rule": {"op": ">=", "value": 75}},
    {"code": "opini_bpk", "name": "Opini BPK", "kind": "grade",
     "grades": ["WTP", "WDP", "TW", "TMP"],
     "rule": {"op": "consecutive", "value": "WTP", "years": 2}},
    {"code": "ombudsman", "name": "Ombudsman", "kind": "number", "range": [0, 100],
     "rule": None},
    {"code": "kasus", "name": "Kasus", "kind": "count", "range": [0, 1000],
     "rule": {"op": "<=", "value": 0}},
]


def framework_doc(indicators=None, components=None, screening=None, **top) -> dict:
    """A small valid framework document; keyword arguments replace top-level keys."""
    doc = {
        "id": "uji", "version": "1", "programme": "uji", "year": YEAR,
        "scale": {"min": 0, "max": 100},
        "aggregation": {"method": "arithmetic", "geometric_offset": 1.0},
        "designation": {"threshold": 90, "label": "Istimewa"},
        "bands": [{"min": 90, "label": "Istimewa", "asumsi": False},
                  {"min": 70, "label": "Baik"}, {"min": 0, "label": "Kurang"}],
        "missing_policy": {"indicator": "zero", "screening": "pending",
                           "max_data_age_years": 1},
        "rubrics": {"tingkat": {"levels": [
            {"level": k, "label": f"T{k}", "score": 25 * k} for k in range(5)]}},
        "components": components or [{"code": "A", "name": "A", "weight": 2},
                                     {"code": "B", "name": "B", "weight": 1}],
        "indicators": indicators or [
            {"code": "X1", "name": "x1", "component": "A", "weight": 1,
             "scoring": {"method": "direct"}},
            {"code": "X2", "name": "x2", "component": "A", "weight": 3,
             "scoring": {"method": "direct"}},
            {"code": "X3", "name": "x3", "component": "B", "weight": 1,
             "scoring": {"method": "direct"}},
        ],
        "screening": SCREENING if screening is None else screening,
    }
    doc.update(top)
    return doc


def framework(**kw):
    return parse_framework(yaml.safe_dump(framework_doc(**kw), sort_keys=False))


def single_indicator(**kw):
    """A framework whose total is the value of its one direct indicator."""
    return framework(components=[{"code": "A", "name": "A", "weight": 1}],
                     indicators=[{"code": "X1", "name": "x1", "component": "A", "weight": 1,
                                  "scoring": {"method": "direct"}}], **kw)


def indicator_rows(values: dict[str, dict[str, object]], year: int = YEAR) -> pd.DataFrame:
    """``{region: {indicator: value}}`` -> raw indicator table (None = empty cell)."""
    rows = [[str(year), code, ind, "" if v is None else str(v), "", "", "ya"]
            for code, by_ind in values.items() for ind, v in by_ind.items()]
    return pd.DataFrame(rows, columns=["tahun", "kode_wilayah", "kode_indikator", "nilai",
                                       "bukti", "catatan", "sintetis"])


def screening_rows(rows: list[tuple], year: int = YEAR) -> pd.DataFrame:
    """``(region, criterion, value, data year)`` tuples -> raw screening table."""
    out = [[str(year), code, crit, str(value), "" if dy is None else str(dy), "uji", ""]
           for code, crit, value, dy in rows]
    return pd.DataFrame(out, columns=["tahun", "kode_wilayah", "kriteria", "nilai",
                                      "tahun_data", "sumber", "catatan"])


def inputs(fw, values, screening=(), regions=BANTEN, year=YEAR) -> YearInputs:
    ind, p1 = validate_indicators(indicator_rows(values, year), fw, regions, year)
    scr, p2 = validate_screening(screening_rows(list(screening), year), fw, regions, year)
    assert not p1 + p2, [str(p) for p in p1 + p2]
    return YearInputs(year, ind, scr)


def passing(code: str, year: int = YEAR) -> list[tuple]:
    """Screening rows with which ``code`` passes every criterion of SCREENING."""
    return [(code, "mcp", 80, year - 1), (code, "opini_bpk", "WTP", year - 1),
            (code, "opini_bpk", "WTP", year - 2), (code, "kasus", 0, year - 1)]


def by_region(a, column: str) -> dict:
    return dict(zip(a.results["kode_wilayah"], a.results[column]))


# -- ranks --------------------------------------------------------------------------------
def test_competition_rank_gives_ties_the_same_rank_and_skips():
    r = competition_rank(pd.Series([70.0, 90.0, 80.0, 80.0]))
    assert r.tolist() == [4, 1, 2, 2]


def test_competition_rank_ties_within_nine_decimals_and_nan_last():
    r = competition_rank(pd.Series([80.0, np.nan, 80.0 + 1e-12, 79.0]))
    assert r.tolist() == [1, 4, 1, 3]


def test_competition_rank_by_group():
    v = pd.Series([90.0, 80.0, 85.0, 85.0])
    g = pd.Series(["36", "36", "32", "32"])
    assert competition_rank(v, g).tolist() == [1, 2, 1, 1]


# -- missing data -------------------------------------------------------------------------
def test_zero_policy_scores_missing_as_zero_and_flags_it():
    fw = framework()
    a = score_year(fw, inputs(fw, {"3601": {"X1": 80, "X2": None, "X3": 60}}), BANTEN)
    row = a.indicators.set_index("kode_indikator").loc["X2"]
    assert row["skor"] == 0.0
    assert row["status"] == STATUS["empty"]
    assert row["perlakuan"] == TREATMENT["zero"]
    # A = (1*80 + 3*0)/4 = 20; B = 60; total = (2*20 + 1*60)/3
    assert a.results["skor_total"].iloc[0] == pytest.approx((2 * 20 + 60) / 3)


def test_row_absent_and_value_empty_are_told_apart():
    fw = framework()
    a = score_year(fw, inputs(fw, {"3601": {"X1": 80, "X2": None}}), BANTEN)
    status = a.indicators.set_index("kode_indikator")["status"]
    assert status.to_dict() == {"X1": STATUS["present"], "X2": STATUS["empty"],
                                "X3": STATUS["norow"]}


def test_renormalise_equals_scoring_without_that_indicator():
    values = {"3601": {"X1": 80, "X2": None, "X3": 60},
              "3602": {"X1": 40, "X2": None, "X3": 90},
              "3603": {"X1": 70, "X2": 20, "X3": 50}}
    fw = dataclasses.replace(framework(), missing_indicator="renormalise")
    with_nan = score_year(fw, inputs(fw, values), BANTEN)
    # the same regions scored with X2 removed from the framework where it is missing
    doc = framework_doc()
    doc["indicators"] = [i for i in doc["indicators"] if i["code"] != "X2"]
    fw2 = parse_framework(yaml.safe_dump(doc))
    for code in ("3601", "3602"):
        alone = score_year(fw2, inputs(fw2, {code: {k: v for k, v in values[code].items()
                                                     if k != "X2"}}), BANTEN)
        assert by_region(with_nan, "skor_total")[code] == pytest.approx(
            alone.results["skor_total"].iloc[0], abs=1e-12)
        assert with_nan.components.loc[code, "A"] == pytest.approx(
            alone.components.loc[code, "A"], abs=1e-12)
    treated = with_nan.indicators.query("kode_wilayah == '3601' and kode_indikator == 'X2'")
    assert treated["perlakuan"].item() == TREATMENT["renormalise"]
    assert np.isnan(treated["skor"].item())


def test_province_mean_borrows_from_the_same_province_only():
    reg = national_regions()
    reg = reg[reg["kode_wilayah"].isin(["3601", "3602", "3603", "3201", "3202"])]
    reg = reg.reset_index(drop=True)
    fw = dataclasses.replace(framework(), missing_indicator="province_mean")
    values = {"3601": {"X1": 50, "X2": None, "X3": 50},
              "3602": {"X1": 50, "X2": 60, "X3": 50},
              "3603": {"X1": 50, "X2": 90, "X3": 50},
              "3201": {"X1": 50, "X2": 10, "X3": 50},
              "3202": {"X1": 50, "X2": None, "X3": 50}}
    reg_inputs = inputs(fw, values, regions=reg)
    a = score_year(fw, reg_inputs, reg)
    t = a.indicators.set_index(["kode_wilayah", "kode_indikator"])
    assert t.loc[("3601", "X2"), "skor"] == pytest.approx((60 + 90) / 2)  # Banten only
    assert t.loc[("3601", "X2"), "perlakuan"] == TREATMENT["province_mean"]
    assert t.loc[("3202", "X2"), "skor"] == pytest.approx(10)
    # a province with no other value for the indicator: left out (renormalised)
    values["3201"]["X2"] = None
    b = score_year(fw, inputs(fw, values, regions=reg), reg)
    t = b.indicators.set_index(["kode_wilayah", "kode_indikator"])
    assert np.isnan(t.loc[("3202", "X2"), "skor"])
    assert t.loc[("3202", "X2"), "perlakuan"] == TREATMENT["renormalise"]
    assert by_region(b, "skor_total")["3202"] == pytest.approx(50)


def test_completeness_counts_present_indicators():
    fw = framework()
    a = score_year(fw, inputs(fw, {"3601": {"X1": 80, "X2": None},
                                   "3602": {"X1": 1, "X2": 2, "X3": 3}}), BANTEN)
    assert by_region(a, "kelengkapan") == {"3601": pytest.approx(1 / 3), "3602": 1.0}
    assert by_region(a, "indikator_kosong") == {"3601": 2, "3602": 0}
    assert by_region(a, "indikator_sintetis") == {"3601": 2, "3602": 3}


# -- categories ---------------------------------------------------------------------------
@pytest.mark.parametrize("fid", ["kak-2024", "kak-2025"])
def test_category_bands_of_shipped_frameworks(fid):
    fw = load_framework(fid)
    bands = sorted(fw.bands, key=lambda b: b.min)
    assert fw.category(fw.threshold) == fw.designation_label
    assert fw.category(fw.scale[1]) == fw.designation_label
    for lower, upper in zip(bands, bands[1:]):
        assert fw.category(upper.min) == upper.label
        assert fw.category(upper.min - 0.01) == lower.label
        assert fw.category((lower.min + upper.min) / 2) == lower.label
    assert fw.category(fw.scale[0]) == bands[0].label
    assert fw.category(float("nan")) is None


def test_category_agrees_with_designation_at_the_threshold():
    """A total of 90 in exact arithmetic that floats compute as 89.99999999999999 is
    designated (totals are compared rounded to 9 decimals); its category must be the
    designation band too, not the one below."""
    fw = load_framework("kak-2025")
    raw = {"I01": "91,6", "I02": 3, "I03": 4, "I04": 3, "I05": 85, "I06": 4, "I07": 5,
           "I08": 4, "I09": "81,25", "I10": 3, "I11": 100, "I12": 4, "I13": 4, "I14": 4,
           "I15": 4, "I16": 4, "I17": "82,9", "I18": 4, "I19": 3}
    rows = passing("3601") + [("3601", "spi", 80, YEAR - 1)]
    a = score_year(fw, inputs(fw, {"3601": raw}, rows), BANTEN)
    r = a.results.iloc[0]
    assert r["skor_total"] < fw.threshold  # the float noise this test is about
    assert round(r["skor_total"], 9) == fw.threshold
    assert r["penetapan"] == DESIGNATION["yes"]
    assert r["kategori"] == fw.designation_label


# -- screening ----------------------------------------------------------------------------
SCREENING_CASES = [
    # (criterion, rows as (value, data year), expected outcome)
    ("mcp", [(80, 2024)], SCREEN["pass"]),
    ("mcp", [(75, 2024)], SCREEN["pass"]),
    ("mcp", [("74,99", 2024)], SCREEN["fail"]),
    ("mcp", [("", None)], SCREEN["unknown"]),
    ("mcp", [], SCREEN["unknown"]),
    ("mcp", [(80, 2022)], SCREEN["stale"]),
    ("mcp", [(70, 2023), (80, 2024)], SCREEN["pass"]),  # the latest year decides
    ("mcp", [(80, 2023), (70, 2024)], SCREEN["fail"]),
    ("ombudsman", [(85, 2024)], SCREEN["none"]),
    ("ombudsman", [], SCREEN["none"]),
    ("ombudsman", [(85, 2019)], SCREEN["none"]),
    ("opini_bpk", [("WTP", 2024), ("WTP", 2023)], SCREEN["pass"]),
    ("opini_bpk", [("WTP", 2023), ("WTP", 2024)], SCREEN["pass"]),  # order of rows
    ("opini_bpk", [("WTP", 2025), ("WTP", 2024), ("WDP", 2023)], SCREEN["pass"]),
    ("opini_bpk", [("WDP", 2024)], SCREEN["fail"]),
    ("opini_bpk", [("WDP", 2024), ("WTP", 2023)], SCREEN["fail"]),
    ("opini_bpk", [("WTP", 2024), ("TMP", 2023)], SCREEN["fail"]),
    ("opini_bpk", [("WTP", 2024)], SCREEN["unknown"]),  # a single year
    ("opini_bpk", [("WTP", 2024), ("WTP", 2022)], SCREEN["unknown"]),  # not consecutive
    ("opini_bpk", [("WTP", 2023), ("WTP", 2022)], SCREEN["stale"]),
    ("kasus", [(0, 2024)], SCREEN["pass"]),
    ("kasus", [(1, 2024)], SCREEN["fail"]),
]


@pytest.mark.parametrize("crit,rows,expected", SCREENING_CASES)
def test_screening_outcome(crit, rows, expected):
    fw = single_indicator()
    scr = [("3601", crit, v, y) for v, y in rows]
    a = score_year(fw, inputs(fw, {"3601": {"X1": 95}}, scr), BANTEN)
    s = a.screening.set_index("kriteria").loc[crit]
    assert s["hasil"] == expected
    years = [y for v, y in rows if v != ""]
    if years:  # the year shown is that of the latest figure
        assert s["tahun_data"] == max(years)
    else:
        assert pd.isna(s["tahun_data"]) and s["nilai"] == ""


def test_screening_shows_the_consecutive_values_and_the_threshold_text():
    fw = single_indicator()
    a = score_year(fw, inputs(fw, {"3601": {"X1": 95}}, passing("3601")), BANTEN)
    s = a.screening.set_index("kriteria")
    assert s.loc["opini_bpk", "nilai"] == "WTP (2024), WTP (2023)"
    assert s.loc["opini_bpk", "ambang"] == fw.criterion("opini_bpk").rule.describe()
    assert s.loc["ombudsman", "ambang"] == "tidak dipublikasikan"
    assert s.loc["mcp", "nilai"] == "80"
    assert s.loc["mcp", "sumber"] == "uji"


@pytest.mark.parametrize("policy", ["pending", "fail"])
def test_overall_screening(policy):
    fw = dataclasses.replace(single_indicator(), missing_screening=policy)
    values = {c: {"X1": 95} for c in ("3601", "3602", "3603", "3604")}
    rows = (passing("3601")
            + [r for r in passing("3602") if r[1] != "mcp"]  # MCP unknown
            + [r for r in passing("3603") if r[1] != "mcp"] + [("3603", "mcp", 50, 2024)]
            + [r for r in passing("3604") if r[1] != "mcp"] + [("3604", "mcp", 99, 2020)])
    a = score_year(fw, inputs(fw, values, rows), BANTEN)
    incomplete = OVERALL["incomplete"] if policy == "pending" else OVERALL["fail"]
    assert by_region(a, "penyaringan") == {"3601": OVERALL["pass"], "3602": incomplete,
                                           "3603": OVERALL["fail"], "3604": incomplete}


def test_framework_without_screening_criteria_passes_screening():
    fw = single_indicator(screening=[])
    a = score_year(fw, inputs(fw, {"3601": {"X1": 95}, "3602": {"X1": 50}}), BANTEN)
    assert len(a.screening) == 0
    assert by_region(a, "penyaringan") == {"3601": OVERALL["pass"], "3602": OVERALL["pass"]}
    assert by_region(a, "penetapan") == {"3601": DESIGNATION["yes"], "3602": DESIGNATION["no"]}


# -- designation --------------------------------------------------------------------------
def test_designation_states():
    fw = single_indicator()
    values = {"3601": {"X1": 95}, "3602": {"X1": 95}, "3603": {"X1": 95},
              "3604": {"X1": 89.99}, "3671": {"X1": 90}, "3672": {"X1": 89.99}}
    rows = (passing("3601") + passing("3604") + passing("3671")
            + [r for r in passing("3602") if r[1] != "mcp"]         # incomplete
            + passing("3603")[1:] + [("3603", "mcp", 60, 2024)]      # fails MCP
            + [r for r in passing("3672") if r[1] != "mcp"])         # incomplete, low
    a = score_year(fw, inputs(fw, values, rows), BANTEN)
    assert by_region(a, "penetapan") == {
        "3601": DESIGNATION["yes"],      # >= 90 and screening passed
        "3602": DESIGNATION["pending"],  # >= 90, screening incomplete
        "3603": DESIGNATION["no"],       # >= 90 but screening failed
        "3604": DESIGNATION["no"],       # screening passed but below 90
        "3671": DESIGNATION["yes"],      # exactly the threshold counts
        "3672": DESIGNATION["no"],       # below 90 and incomplete
    }
    assert by_region(a, "kategori")["3671"] == fw.designation_label


# -- change against the previous year -----------------------------------------------------
def test_change_against_previous_year():
    fw = single_indicator()
    prev = score_year(fw, inputs(fw, {"3601": {"X1": 80}, "3602": {"X1": 60},
                                      "3603": {"X1": 95}}, year=YEAR - 1), BANTEN)
    cur = score_year(fw, inputs(fw, {"3601": {"X1": 70}, "3602": {"X1": 92},
                                     "3603": {"X1": 95}, "3604": {"X1": 50}}), BANTEN,
                     previous=prev)
    r = cur.results.set_index("kode_wilayah")
    assert r.loc["3602", "perubahan_skor"] == pytest.approx(32)
    assert r.loc["3602", "peringkat_sebelumnya"] == 3
    assert r.loc["3602", "perubahan_peringkat"] == 3 - 2  # from 3rd to 2nd: +1
    assert r.loc["3601", "perubahan_peringkat"] == 2 - 3
    assert r.loc["3601", "kategori_sebelumnya"] == fw.category(80)
    assert r.loc["3603", "perubahan_skor"] == 0
    assert pd.isna(r.loc["3604", "skor_total_sebelumnya"])  # new this year
    assert pd.isna(r.loc["3604", "perubahan_peringkat"])
    assert cur.results["peringkat_sebelumnya"].dtype == "Int64"
    alone = score_year(fw, inputs(fw, {"3601": {"X1": 70}}), BANTEN)
    assert alone.results["skor_total_sebelumnya"].isna().all()
    assert alone.results["perubahan_peringkat"].isna().all()


# -- results layout -----------------------------------------------------------------------
def test_results_are_ranked_with_ties_in_code_order():
    fw = single_indicator()
    a = score_year(fw, inputs(fw, {"3604": {"X1": 80}, "3601": {"X1": 80},
                                   "3602": {"X1": 90}, "3603": {"X1": None}}), BANTEN)
    assert a.results["kode_wilayah"].tolist() == ["3602", "3601", "3604", "3603"]
    assert a.results["peringkat"].tolist() == [1, 2, 2, 4]
    assert (a.results["jumlah_wilayah"] == 4).all()
    assert a.indicator_matrix().shape == (4, 1)


def test_rescore_with_the_same_framework_reproduces_score_year():
    fw = framework()
    values = {c: {"X1": 10 * k, "X2": 90 - 7 * k, "X3": None if k == 2 else 5 * k}
              for k, c in enumerate(CODES)}
    a = score_year(fw, inputs(fw, values, passing("3601")), BANTEN)
    tm.assert_frame_equal(rescore(a, fw).results, a.results)
    fw2 = fw.with_weights(component_weights={"A": 1, "B": 4}, indicator_weights={"X1": 5})
    b = score_year(fw2, inputs(fw2, values, passing("3601")), BANTEN)
    tm.assert_frame_equal(rescore(a, fw2).results, b.results)


# -- inputs are never changed -------------------------------------------------------------
def _frames(yi: YearInputs):
    return yi.indicators, yi.screening


def test_no_function_mutates_its_inputs():
    fw = dataclasses.replace(framework(), missing_indicator="province_mean")
    raw_ind = indicator_rows({"3601": {"X1": 80, "X2": None, "X3": "60,5"},
                              "3602": {"X1": 20, "X2": 30}})
    raw_scr = screening_rows(passing("3601") + [("3602", "mcp", "", None)])
    ind_copy, scr_copy = raw_ind.copy(deep=True), raw_scr.copy(deep=True)
    regions_copy = BANTEN.copy(deep=True)
    ind, _ = validate_indicators(raw_ind, fw, BANTEN, YEAR)
    scr, _ = validate_screening(raw_scr, fw, BANTEN, YEAR)
    tm.assert_frame_equal(raw_ind, ind_copy)
    tm.assert_frame_equal(raw_scr, scr_copy)
    yi = YearInputs(YEAR, ind, scr, {"f": "0"})
    saved = [f.copy(deep=True) for f in _frames(yi)]
    fw_copy = copy.deepcopy(fw)
    prev = score_year(fw, yi, BANTEN)
    prev_results = prev.results.copy(deep=True)
    a = score_year(fw, yi, BANTEN, previous=prev)
    for before, after in zip(saved, _frames(yi)):
        tm.assert_frame_equal(before, after)
    tm.assert_frame_equal(BANTEN, regions_copy)
    tm.assert_frame_equal(prev.results, prev_results)
    assert yi.files == {"f": "0"}
    assert fw == fw_copy
    kept = {k: getattr(a, k).copy(deep=True) for k in ("results", "indicators",
                                                       "components", "screening")}
    rescore(a, fw.with_weights(component_weights={"A": 9}), previous=prev)
    for k, v in kept.items():
        tm.assert_frame_equal(getattr(a, k), v)
    m = a.indicator_matrix()
    m_copy = m.copy(deep=True)
    aggregate_matrix(m, fw, "geometric")
    tm.assert_frame_equal(m, m_copy)
    s_copy = scr.copy(deep=True)
    evaluate_screening(fw, scr, ["3601", "3602"], YEAR)
    tm.assert_frame_equal(scr, s_copy)
