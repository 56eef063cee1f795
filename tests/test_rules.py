"""The rules the framework states (issue 9) and the scoring-core rules of issue 7, one
section per rule: aggregation level, geometric offset, empty components, effective
weights, rubric level/label, the case criterion, last year's comparison, framework
warnings, precision, staleness, one value per fact, screening counts.

Small frameworks are built here as YAML documents; inputs go through the real
validation, so the frames are what the pipeline scores.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest
import yaml

from antikorupsi.aggregate import READINGS, aggregate, join_method, split_method
from antikorupsi.cli import main
from antikorupsi.errors import FrameworkError, InputError
from antikorupsi.fmt import agregasi, angka, bulat, metode_agregasi
from antikorupsi.framework import (
    diff_frameworks,
    framework_bytes,
    load_framework,
    parse_framework,
)
from antikorupsi.inputs import YearInputs, validate_indicators, validate_screening
from antikorupsi.pipeline import assess
from antikorupsi.readings import (
    aggregation_readings,
    compare_readings,
    geometric_missing_penalty,
)
from antikorupsi.regions import load_regions
from antikorupsi.scoring import (
    COMPARISON,
    DESIGNATION,
    ORIGIN,
    SCREEN,
    TREATMENT,
    aggregate_matrix,
    evaluate_screening,
    rescore,
    score_year,
    screening_count_text,
    screening_counts,
)
from antikorupsi.uncertainty import rank_uncertainty, rank_uncertainty_loop

YEAR = 2025
BANTEN = load_regions()


def doc(**top) -> dict:
    """A small valid framework: A (weight 2: X1, X2 weights 1, 3), B (weight 1: X3)."""
    d = {
        "id": "uji", "version": "1", "programme": "uji", "year": YEAR,
        "scale": {"min": 0, "max": 100},
        "aggregation": {"within_components": "arithmetic",
                        "between_components": "arithmetic", "geometric_offset": 1.0},
        "designation": {"threshold": 90, "label": "Istimewa"},
        "bands": [{"min": 90, "label": "Istimewa", "asumsi": False},
                  {"min": 70, "label": "Baik"}, {"min": 0, "label": "Kurang"}],
        "missing_policy": {"indicator": "zero", "screening": "pending",
                           "max_data_age_years": 1},
        "rubrics": {"tingkat": {"levels": [
            {"level": k, "label": lab, "score": 25 * k}
            for k, lab in enumerate(["Belum ada", "Rintisan", "Berkembang", "Terlaksana",
                                     "Optimal"])]}},
        "components": [{"code": "A", "name": "A", "weight": 2},
                       {"code": "B", "name": "B", "weight": 1}],
        "indicators": [
            {"code": "X1", "name": "x1", "component": "A", "weight": 1,
             "scoring": {"method": "direct"}},
            {"code": "X2", "name": "x2", "component": "A", "weight": 3,
             "scoring": {"method": "direct"}},
            {"code": "X3", "name": "x3", "component": "B", "weight": 1,
             "scoring": {"method": "direct"}},
        ],
        "screening": [
            {"code": "mcp", "name": "Skor MCP", "kind": "number", "range": [0, 100],
             "rule": {"op": ">=", "value": 75}, "indicator": "X1"},
            {"code": "ombudsman", "name": "Ombudsman", "kind": "number", "range": [0, 100],
             "rule": None},
            {"code": "kasus", "name": "Kepala daerah berperkara korupsi (3 tahun terakhir)",
             "kind": "count", "range": [0, 1000], "rule": {"op": "<=", "value": 0},
             "scope": "kepala_daerah", "window_years": 3},
        ],
    }
    d.update(top)
    return d


def parse(d: dict):
    return parse_framework(yaml.safe_dump(d, sort_keys=False), source="uji.yaml")


def problems_of(d: dict) -> list:
    with pytest.raises(FrameworkError) as exc:
        parse(d)
    return exc.value.problems


def has(problems, column: str, text: str) -> bool:
    return any(p.column == column and text in p.message for p in problems)


def inputs(fw, values: dict, screening=(), year=YEAR) -> YearInputs:
    """``{region: {indicator: value}}`` and ``(region, criterion, value, data year)``."""
    ind = pd.DataFrame([[str(year), c, i, "" if v is None else str(v), "", "", "ya"]
                        for c, by in values.items() for i, v in by.items()],
                       columns=["tahun", "kode_wilayah", "kode_indikator", "nilai", "bukti",
                                "catatan", "sintetis"])
    scr = pd.DataFrame([[str(year), c, k, str(v), "" if dy is None else str(dy), "uji", ""]
                        for c, k, v, dy in screening],
                       columns=["tahun", "kode_wilayah", "kriteria", "nilai", "tahun_data",
                                "sumber", "catatan"])
    i, p1 = validate_indicators(ind, fw, BANTEN, year)
    s, p2 = validate_screening(scr, fw, BANTEN, year)
    assert not p1 + p2, [str(p) for p in p1 + p2]
    return YearInputs(year, i, s)


def passing(code: str) -> list[tuple]:
    return [(code, "mcp", 80, YEAR - 1), (code, "ombudsman", 80, YEAR),
            (code, "kasus", 0, YEAR)]


def row(a, code: str) -> pd.Series:
    return a.results.set_index("kode_wilayah").loc[code]


# == 1. Aggregation level ==================================================================
def test_levels_are_read_and_the_old_method_is_shorthand_for_both():
    fw = parse(doc(aggregation={"within_components": "geometric",
                                "between_components": "arithmetic",
                                "geometric_offset": 1.0}))
    assert fw.aggregation == "geometric/arithmetic"
    assert (fw.aggregation_within, fw.aggregation_between) == ("geometric", "arithmetic")
    old = parse(doc(aggregation={"method": "geometric", "geometric_offset": 1.0}))
    assert old.aggregation == "geometric"
    assert (old.aggregation_within, old.aggregation_between) == ("geometric", "geometric")


@pytest.mark.parametrize("agg, column, text", [
    ({"method": "arithmetic", "within_components": "geometric",
      "between_components": "arithmetic", "geometric_offset": 1}, "aggregation.method",
     "bukan keduanya"),
    ({"within_components": "geometric", "geometric_offset": 1},
     "aggregation.between_components", "wajib diisi"),
    ({"within_components": "median", "between_components": "arithmetic"},
     "aggregation.within_components", "metode agregasi tidak dikenal"),
    ({"within_components": "geometric", "between_components": "arithmetic"},
     "aggregation.geometric_offset", "wajib diisi"),
    ({"method": "geometric", "geometric_offset": 150}, "aggregation.geometric_offset",
     "lebih besar dari rentang skala"),
    ({"method": "geometric", "geometric_offset": 0}, "aggregation.geometric_offset", "> 0"),
])
def test_aggregation_problems_are_located(agg, column, text):
    assert has(problems_of(doc(aggregation=agg)), column, text)


def test_scoring_applies_each_level():
    fw = parse(doc(aggregation={"within_components": "geometric",
                                "between_components": "arithmetic",
                                "geometric_offset": 1.0}))
    a = score_year(fw, inputs(fw, {"3601": {"X1": 100, "X2": 0, "X3": 64}}), BANTEN)
    # A = exp(1/4 ln 101 + 3/4 ln 1) - 1 = 101**0.25 - 1; B = 64; total arithmetic 2:1
    comp_a = 101 ** 0.25 - 1
    assert row(a, "3601")["A"] == pytest.approx(comp_a)
    assert row(a, "3601")["skor_total"] == pytest.approx((2 * comp_a + 64) / 3)


@pytest.mark.parametrize("spec", READINGS)
def test_aggregate_matrix_equals_the_two_levels_by_hand(spec):
    fw = parse(doc())
    m = pd.DataFrame({"X1": [90.0, 10.0], "X2": [70.0, 0.0], "X3": [50.0, 100.0]},
                     index=["a", "b"])
    within, between = split_method(spec)
    comps, total = aggregate_matrix(m, fw, spec)
    a = aggregate(m[["X1", "X2"]].to_numpy(), np.array([0.25, 0.75]), within)
    b = m["X3"].to_numpy()
    assert comps["A"].to_numpy() == pytest.approx(a)
    t = aggregate(np.c_[a, b], np.array([2 / 3, 1 / 3]), between)
    assert total.to_numpy() == pytest.approx(t)


def test_spec_helpers_and_texts():
    assert split_method("geometric") == ("geometric", "geometric")
    assert join_method("geometric", "geometric") == "geometric"
    assert join_method("geometric", "arithmetic") == "geometric/arithmetic"
    with pytest.raises(ValueError):
        split_method("geometric/median")
    assert agregasi("geometric") == "geometrik"
    assert metode_agregasi("arithmetic") == "rata-rata aritmetika tertimbang"
    assert metode_agregasi("geometric/arithmetic") == (
        "rata-rata geometrik tertimbang di dalam komponen dan rata-rata aritmetika "
        "tertimbang antarkomponen")


@pytest.mark.parametrize("spec", ["geometric/arithmetic", "arithmetic/geometric"])
def test_monte_carlo_follows_the_levels(spec):
    fw = parse(doc())
    rng = np.random.default_rng(3)
    m = pd.DataFrame(rng.uniform(0, 100, (12, 3)), columns=["X1", "X2", "X3"],
                     index=[f"r{k}" for k in range(12)])
    args = (m, fw.indicator_component(), fw.indicator_weights(), fw.component_weights())
    still = rank_uncertainty(*args, n_draws=5, perturbation=0.0, aggregations=(spec,),
                             nominal_aggregation=spec)
    _, total = aggregate_matrix(m, fw, spec)
    assert still.table["nominal_total"].to_numpy() == pytest.approx(total.to_numpy())
    assert still.table["mean_total"].to_numpy() == pytest.approx(total.to_numpy())
    kw = dict(n_draws=200, aggregations=("arithmetic", spec), nominal_aggregation=spec,
              seed=5)
    pd.testing.assert_frame_equal(rank_uncertainty(*args, **kw).table,
                                  rank_uncertainty_loop(*args, **kw).table)
    assert "di dalam komponen" in rank_uncertainty(*args, **kw).describe()


def test_what_if_scenario_sets_the_levels(tmp_path):
    from antikorupsi.whatif import Scenario, load_scenario, parse_scenario, save_scenario

    s = parse_scenario("nama: Geometrik di dalam\nagregasi: {dalam_komponen: geometrik, "
                       "antar_komponen: aritmetika}\n")
    assert s.aggregation == "geometric/arithmetic"
    back = load_scenario(save_scenario(tmp_path / "s.yaml", s))
    assert back.aggregation == "geometric/arithmetic"
    assert Scenario("x", aggregation="geometrik").aggregation == "geometric"
    with pytest.raises(Exception) as exc:
        parse_scenario("nama: x\nagregasi: {dalam_komponen: geometric}\n", source="s.yaml")
    assert any(p.column == "agregasi" for p in exc.value.problems)


def test_explorer_offers_every_reading():
    from antikorupsi.explorer import aggregation_options

    assert [v for _, v in aggregation_options()] == list(READINGS)


def test_cli_sets_one_level(sample_data, tmp_path, capsys):
    data = sample_data(YEAR)
    out = tmp_path / "p"
    assert main(["score", "-y", str(YEAR), "--data", str(data), "--processed", str(out),
                 "--aggregation-within", "geometric"]) == 0
    m = json.loads((out / str(YEAR) / "manifest.json").read_text("utf-8"))
    assert m["kerangka"]["agregasi"] == "geometric/arithmetic"
    assert "rata-rata geometrik tertimbang di dalam komponen" in capsys.readouterr().out
    assert main(["score", "-y", str(YEAR), "--data", str(data), "--processed", str(out),
                 "--aggregation", "geometric", "--aggregation-between", "geometric"]) == 2


def test_readings_reproduce_the_banten_2024_finding():
    """Issue 9: reading "geometric" between components only or at both levels changes 7
    of 8 Banten ranks in 2024 and a designation (Kota Tangerang Selatan)."""
    a, _, _ = assess(2024, with_previous=False)
    two = compare_readings(a, "arithmetic/geometric", "geometric")
    assert (two["peringkat_berubah"], two["jumlah_wilayah"]) == (7, 8)
    assert two["wilayah_penetapan"] == "3674"
    r = aggregation_readings(a)
    assert r.index[0] == "arithmetic" and bool(r["resmi"].iloc[0])
    assert r.loc["geometric", "peringkat_berubah"] == 7
    assert r.loc["geometric", "penetapan_berubah"] == 1


# == 2. Zero-safe geometric offset =========================================================
def test_offset_is_tied_to_the_scale():
    fw = load_framework("kak-2025")
    assert fw.geometric_offset == 1.0 and fw.geometric_offset_share == pytest.approx(0.01)
    assert fw.offset_text() == "1 poin (1% rentang skala 0–100)"


def test_missing_penalty_is_measured_from_the_data():
    """X2 missing (scored 0) in 3601; 3602 complete.

    3601: X1 80, X2 0, X3 80. Arithmetic: A = (80 + 0)/4 = 20, total (2*20 + 80)/3 = 40.
    Geometric (offset 1): A = exp(1/4 ln 81 + 3/4 ln 1) - 1 = 81**0.25 - 1 = 2;
    total = exp(2/3 ln 3 + 1/3 ln 81) - 1 = 3**(2/3) * 81**(1/3) - 1 = 3**2 - 1 = 8.
    Gap 40 - 8 = 32.
    3602: all 50: both means give 50, gap 0.
    """
    fw = parse(doc())
    a = score_year(fw, inputs(fw, {"3601": {"X1": 80, "X2": None, "X3": 80},
                                   "3602": {"X1": 50, "X2": 50, "X3": 50}}), BANTEN)
    p = geometric_missing_penalty(a)
    assert (p.n_missing, p.n_complete) == (1, 1)
    assert p.median_missing == pytest.approx(32.0)
    assert p.median_complete == pytest.approx(0.0, abs=1e-9)
    assert p.offset == 1.0


# == 3. A component with no evidence =======================================================
def test_empty_component_refuses_designation_instead_of_moving_its_weight():
    fw = parse(doc(missing_policy={"indicator": "renormalise", "screening": "pending",
                                   "max_data_age_years": 1,
                                   "empty_component": "refuse_designation"}))
    a = score_year(fw, inputs(fw, {"3601": {"X1": 95, "X2": 95, "X3": None},
                                   "3602": {"X1": 95, "X2": 95, "X3": 95}},
                              passing("3601") + passing("3602")), BANTEN)
    r1, r2 = row(a, "3601"), row(a, "3602")
    assert r1["komponen_tanpa_bukti"] == "B" and r2["komponen_tanpa_bukti"] == ""
    assert r1["skor_total"] == pytest.approx(95.0)  # over the evidenced component A
    assert r1["penetapan"] == DESIGNATION["no"]
    assert r2["penetapan"] == DESIGNATION["yes"]
    # the weight actually used: A's indicators carry everything
    eff = a.indicators[a.indicators["kode_wilayah"] == "3601"].set_index(
        "kode_indikator")["bobot_efektif"]
    assert eff.to_dict() == pytest.approx({"X1": 0.25, "X2": 0.75, "X3": 0.0})


def test_empty_component_can_score_zero():
    fw = parse(doc(missing_policy={"indicator": "renormalise", "screening": "pending",
                                   "max_data_age_years": 1, "empty_component": "zero"}))
    a = score_year(fw, inputs(fw, {"3601": {"X1": 95, "X2": 95, "X3": None}},
                              passing("3601")), BANTEN)
    r = row(a, "3601")
    assert r["B"] == 0.0 and r["skor_total"] == pytest.approx(2 * 95 / 3)
    assert r["komponen_tanpa_bukti"] == "B"
    x3 = a.indicators.set_index("kode_indikator").loc["X3"]
    assert x3["skor"] == 0.0 and x3["perlakuan"] == TREATMENT["empty_component"]
    assert x3["bobot_efektif"] == pytest.approx(1 / 3)  # the nominal weight stays


def test_empty_component_policy_is_validated_and_listed():
    assert has(problems_of(doc(missing_policy={"indicator": "zero",
                                               "empty_component": "pindahkan"})),
               "missing_policy.empty_component", "kebijakan tidak dikenal")
    text = " ".join(load_framework("kak-2025").assumptions())
    assert "tidak dapat ditetapkan" in text


# == 4. Effective weights ==================================================================
def test_effective_weights_follow_the_region_and_the_variant():
    fw = parse(doc(missing_policy={"indicator": "renormalise", "screening": "pending"}))
    a = score_year(fw, inputs(fw, {"3601": {"X1": 80, "X2": None, "X3": 60},
                                   "3602": {"X1": 80, "X2": 70, "X3": 60}}), BANTEN)
    eff = a.indicators.set_index(["kode_wilayah", "kode_indikator"])["bobot_efektif"]
    # 3601: X2 left out -> X1 carries all of A (2/3); 3602 nominal 2/3*(1/4, 3/4), 1/3
    assert eff.xs("3601").to_dict() == pytest.approx({"X1": 2 / 3, "X2": 0, "X3": 1 / 3})
    assert eff.xs("3602").to_dict() == pytest.approx({"X1": 1 / 6, "X2": 1 / 2, "X3": 1 / 3})
    b = rescore(a, fw.with_weights(component_weights={"A": 1, "B": 1}))
    eff = b.indicators.set_index(["kode_wilayah", "kode_indikator"])["bobot_efektif"]
    assert eff.xs("3601").to_dict() == pytest.approx({"X1": 0.5, "X2": 0, "X3": 0.5})
    assert a.indicators.groupby("kode_wilayah")["bobot_efektif"].sum().tolist() == \
        pytest.approx([1.0, 1.0])


# == 5. Rubric level and label =============================================================
@pytest.mark.parametrize("value, ok", [("3", True), ("3: Terlaksana", True),
                                       ("3:terlaksana ", True), ("Terlaksana", True),
                                       ("4: Terlaksana", False), ("9: Optimal", False)])
def test_rubric_level_and_label_must_agree(value, ok):
    d = doc()
    d["indicators"][2]["scoring"] = {"method": "rubric", "rubric": "tingkat"}
    fw = parse(d)
    raw = pd.DataFrame([[str(YEAR), "3601", "X3", value, "", "", "ya"]],
                       columns=["tahun", "kode_wilayah", "kode_indikator", "nilai", "bukti",
                                "catatan", "sintetis"])
    frame, problems = validate_indicators(raw, fw, BANTEN, YEAR, file="indikator.csv")
    if ok:
        assert not problems and frame["angka"].tolist() == [3.0]
        return
    [p] = problems
    assert (p.file, p.row, p.column, p.value) == ("indikator.csv", 2, "nilai", value)
    if value.startswith("4"):
        assert "tidak cocok" in p.message and "'Optimal'" in p.message
    assert frame.empty  # the row is not silently scored as level 4


# == 6. The case criterion =================================================================
def test_case_scope_and_window_are_stated_and_named():
    fw = load_framework("kak-2025")
    k = fw.criterion("kasus")
    assert (k.scope, k.window_years, k.assumption) == ("kepala_daerah", 3, True)
    assert "OPD" not in k.name and "3 tahun" in k.name
    assert k.window(2025) == (2023, 2025)
    assert any("kepala daerah" in x and "jendela 3 tahun" in x for x in fw.assumptions())


@pytest.mark.parametrize("change, column, text", [
    ({"scope": "bupati"}, "screening[2].scope", "cakupan tidak dikenal"),
    ({"scope": "kepala_daerah_dan_opd"}, "screening[2].name", "tidak sesuai cakupannya"),
    ({"window_years": 5}, "screening[2].name", "tidak menyebut jendela"),
    ({"window_years": 0}, "screening[2].window_years", "bilangan bulat >= 1"),
    ({"kind": "number"}, "screening[2].scope", "hanya untuk kriteria berjenis count"),
])
def test_case_criterion_problems_are_located(change, column, text):
    d = doc()
    d["screening"][2].update(change)
    assert has(problems_of(d), column, text)


@pytest.mark.parametrize("rows, outcome, shown", [
    ([(1, 2023), (0, 2025)], SCREEN["fail"], ("1", 2023)),   # a case in the window fails
    ([(1, 2022), (0, 2025)], SCREEN["pass"], ("0", 2025)),   # 2022 is outside 2023-2025
    ([(0, 2023)], SCREEN["stale"], ("0", 2023)),             # "none" needs a recent row
    ([(2, 2024), (1, 2023)], SCREEN["fail"], ("2", 2024)),   # the latest breach is shown
])
def test_case_window_against_the_rows(rows, outcome, shown):
    fw = parse(doc())
    scr = [("3601", "kasus", v, y) for v, y in rows]
    s = evaluate_screening(fw, inputs(fw, {"3601": {"X1": 1}}, scr).screening, ["3601"],
                           YEAR).set_index("kriteria").loc["kasus"]
    assert s["hasil"] == outcome
    assert (s["nilai"], int(s["tahun_data"])) == shown
    assert bool(s["kedaluwarsa"]) == (outcome == SCREEN["stale"])


# == 7. Last year's comparison =============================================================
def test_previous_year_uses_its_own_framework_by_default(sample_data, tmp_path):
    data = sample_data(YEAR - 1, YEAR)
    custom = tmp_path / "kerangka.yaml"
    raw, _ = framework_bytes("kak-2025")
    custom.write_bytes(raw.replace(b"id: kak-2025", b"id: kerangka-saya"))
    own, _, _ = assess(YEAR, data, framework=custom)
    assert own.comparison["cara"] == COMPARISON["own"]
    assert own.comparison["kerangka"] == "kak-2024" and own.comparison["tahun"] == YEAR - 1
    same, _, _ = assess(YEAR, data, framework=custom, comparison=COMPARISON["like_for_like"])
    assert same.comparison["cara"] == COMPARISON["like_for_like"]
    assert same.comparison["kerangka"] == "kerangka-saya"
    with pytest.raises(InputError):
        assess(YEAR, data, comparison="kira-kira")


def test_comparison_is_recorded_and_said(sample_data, tmp_path, capsys):
    from antikorupsi import report

    data = sample_data(YEAR - 1, YEAR)
    out = tmp_path / "p"
    assert main(["score", "-y", str(YEAR), "--data", str(data), "--processed", str(out),
                 "--like-for-like"]) == 0
    assert "dihitung dengan kerangka tahun ini (setara)" in capsys.readouterr().out
    m = json.loads((out / str(YEAR) / "manifest.json").read_text("utf-8"))
    assert m["perbandingan"]["cara"] == "setara" and m["perbandingan"]["kerangka"] == "kak-2025"
    report.clear_cache()
    d = report._load(out, YEAR, warm=False)
    assert d.assessment.comparison == m["perbandingan"]
    assert "dihitung ulang dengan kerangka tahun ini" in report.comparison_sentence(d)
    assert main(["score", "-y", str(YEAR), "--data", str(data), "--processed", str(out)]) == 0
    report.clear_cache()
    d = report._load(out, YEAR, warm=False)
    assert "kerangka penilaian tahun itu sendiri (kerangka kak-2024" in \
        report.comparison_sentence(d)


# == 8. framework check warnings ===========================================================
def test_threshold_and_top_band_warning(tmp_path, capsys):
    d = doc(designation={"threshold": 85, "label": "Istimewa"})
    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    assert main(["framework", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Peringatan: ambang penetapan 85 berbeda dari batas bawah kategori tertinggi" in out
    assert load_framework("kak-2025").warnings() == []


def test_registry_regions_without_rows_are_warned(sample_data, tmp_path, capsys):
    data = sample_data(YEAR)
    reg = tmp_path / "wilayah.csv"
    extra = pd.DataFrame([["3201", "Kabupaten Bogor", "kabupaten", "32", "Jawa Barat"]],
                         columns=BANTEN.columns)
    pd.concat([BANTEN, extra]).to_csv(reg, index=False)
    assert main(["framework", "check", "kak-2025", "--year", str(YEAR), "--data", str(data),
                 "--regions", str(reg)]) == 0
    out = capsys.readouterr().out
    assert "1 dari 9 wilayah dalam daftar wilayah tidak punya baris data 2025" in out
    assert "3201" in out
    assert main(["framework", "check", "kak-2025", "--year", str(YEAR), "--data",
                 str(data)]) == 0
    assert "Peringatan" not in capsys.readouterr().out


# == 9. Precision: printed, ranked and designated alike ====================================
def test_precision_is_stated_and_validated():
    fw = load_framework("kak-2025")
    assert fw.precision == 2 and fw.precision_assumption
    assert has(problems_of(doc(precision={"decimals": 12})), "precision.decimals",
               "bilangan bulat 0-9")
    assert parse(doc(precision=1)).precision == 1


def test_printed_rank_category_and_designation_agree():
    """89,995 is printed 90,00 (half away from zero, as written), ranked with the other
    90,00 and designated; 89,994 prints 89,99 and is not; 89,99 and 89,991 print alike
    and share a rank."""
    fw = parse(doc(components=[{"code": "A", "name": "A", "weight": 1}],
                   indicators=[{"code": "X1", "name": "x1", "component": "A", "weight": 1,
                                "scoring": {"method": "direct"}}]))
    values = {"3601": 89.995, "3602": 90.0, "3603": 89.994, "3604": 89.99, "3671": 89.991}
    # written the Indonesian way ("89.995" would read as 89 995, out of range)
    a = score_year(fw, inputs(fw, {c: {"X1": str(v).replace(".", ",")}
                                   for c, v in values.items()},
                              [x for c in values for x in passing(c)]), BANTEN)
    r = a.results.set_index("kode_wilayah")
    shown = {c: angka(r.loc[c, "skor_total"]) for c in values}
    assert shown == {"3601": "90,00", "3602": "90,00", "3603": "89,99", "3604": "89,99",
                     "3671": "89,99"}
    assert r["peringkat"].to_dict() == {"3601": 1, "3602": 1, "3603": 3, "3604": 3,
                                        "3671": 3}
    for code in values:
        reached = shown[code] == "90,00"
        assert (r.loc[code, "kategori"] == "Istimewa") == reached
        assert (r.loc[code, "penetapan"] == DESIGNATION["yes"]) == reached
    # the nominal rank of the uncertainty analysis is the same rank
    u = rank_uncertainty(a.indicator_matrix(), fw.indicator_component(),
                         fw.indicator_weights(), fw.component_weights(), n_draws=4,
                         perturbation=0.0, aggregations=("arithmetic",),
                         decimals=fw.precision, threshold=fw.threshold)
    assert u.table["nominal_rank"].to_dict() == r["peringkat"].to_dict()
    assert u.table["p_istimewa"].to_dict() == {c: float(shown[c] == "90,00") for c in values}


def test_bulat_rounds_half_away_from_zero():
    assert bulat(89.995) == 90.0 and bulat(76.125) == 76.13 and bulat(-1.505) == -1.51
    assert bulat(89.994) == 89.99 and bulat(0.0) == 0.0
    assert angka(-0.004) == "0,00" and np.isnan(bulat(float("nan")))
    assert bulat(np.array([89.995, 1.005]), 2).tolist() == [90.0, 1.01]


# == 10. Staleness for every figure ========================================================
def test_stale_figures_are_marked_for_every_criterion():
    fw = parse(doc())
    scr = [("3601", "ombudsman", 75.87, 2019), ("3601", "mcp", 90, 2020),
           ("3602", "ombudsman", 80, 2024)]
    s = evaluate_screening(fw, inputs(fw, {"3601": {"X1": 1}}, scr).screening,
                           ["3601", "3602"], YEAR).set_index(["kode_wilayah", "kriteria"])
    assert bool(s.loc[("3601", "ombudsman"), "kedaluwarsa"])      # no threshold, still marked
    assert s.loc[("3601", "ombudsman"), "hasil"] == SCREEN["none"]  # and still no threshold
    assert bool(s.loc[("3601", "mcp"), "kedaluwarsa"])
    assert not bool(s.loc[("3602", "ombudsman"), "kedaluwarsa"])
    assert not bool(s.loc[("3602", "kasus"), "kedaluwarsa"])      # no figure: not stale


def test_sample_2019_ombudsman_figure_is_marked():
    a, _, _ = assess(YEAR, with_previous=False)
    s = a.screening.set_index(["kode_wilayah", "kriteria"])
    assert s.loc[("3601", "ombudsman"), "nilai"] == "75,87"
    assert bool(s.loc[("3601", "ombudsman"), "kedaluwarsa"])


# == 11. One value per fact ================================================================
def test_screening_takes_the_indicator_value_and_marks_it():
    fw = parse(doc())
    a = score_year(fw, inputs(fw, {"3601": {"X1": 98.3, "X2": 90, "X3": 90},
                                   "3602": {"X1": None, "X2": 90, "X3": 90}},
                              [("3602", "mcp", 83, YEAR - 1)]), BANTEN)
    s = a.screening.set_index(["kode_wilayah", "kriteria"])
    m1 = s.loc[("3601", "mcp")]
    # shown in Indonesian notation, like the screening figures around it
    assert (m1["nilai"], int(m1["tahun_data"]), m1["hasil"]) == ("98,3", YEAR, SCREEN["pass"])
    assert m1["asal_nilai"] == f"{ORIGIN['indicator']} X1" and bool(m1["sintetis"])
    assert m1["sumber"].startswith("indikator X1 (")
    m2 = s.loc[("3602", "mcp")]  # no indicator value: the table's (older) figure
    assert (m2["nilai"], m2["asal_nilai"], bool(m2["sintetis"])) == (
        "83", ORIGIN["table"], False)


def test_sample_report_value_of_mcp_is_one_value():
    """Report 3674 2025 showed "Skor MCP 98,3" beside "MCP tidak ada data"."""
    a, _, _ = assess(YEAR, with_previous=False)
    s = a.screening.set_index(["kode_wilayah", "kriteria"]).loc[("3674", "mcp")]
    i01 = a.indicators.set_index(["kode_wilayah", "kode_indikator"]).loc[("3674", "I01")]
    assert float(i01["angka"]) == 98.3 and s["nilai"] == "98,3"
    assert s["asal_nilai"] == f"{ORIGIN['indicator']} I01"
    assert bool(s["sintetis"]) == bool(i01["sintetis"]) is True


def test_disagreeing_values_of_one_fact_are_a_located_error(sample_data, capsys):
    fw = parse(doc())
    yi = inputs(fw, {"3601": {"X1": 98.3}, "3602": {"X1": 80}},
                [("3601", "mcp", 83, YEAR), ("3602", "mcp", 80, YEAR)])
    with pytest.raises(InputError) as exc:
        score_year(fw, yi, BANTEN)
    [p] = exc.value.problems
    assert p.row is not None and p.column == "nilai" and p.value == "83"
    assert "berbeda dengan indikator X1" in p.message
    data = sample_data(YEAR)
    path = data / str(YEAR) / "penyaringan.csv"
    path.write_text(path.read_text("utf-8") + "2025,3674,mcp,90,2025,uji,\n", "utf-8")
    assert main(["validate", "-y", str(YEAR), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "penyaringan.csv" in err and "Skor MCP 2025 wilayah 3674" in err


@pytest.mark.parametrize("change, text", [
    ({"indicator": "X9"}, "indikator tidak dikenal"),
    ({"kind": "grade", "grades": ["A"], "rule": None}, "hanya untuk kriteria berjenis number"),
])
def test_shared_indicator_is_validated(change, text):
    d = doc()
    d["screening"][0].update(change)
    assert has(problems_of(d), "screening[0].indicator", text)


def test_rubric_indicator_cannot_be_shared():
    d = doc()
    d["indicators"][0]["scoring"] = {"method": "rubric", "rubric": "tingkat"}
    assert has(problems_of(d), "screening[0].indicator", "indikator berubrik")


# == 12. Screening counts ==================================================================
def test_screening_counts_and_text():
    fw = parse(doc())
    a = score_year(fw, inputs(fw, {"3601": {"X1": 80}, "3602": {"X1": 60}},
                              [("3601", "ombudsman", 70, 2019), ("3602", "kasus", 0, 2020)]),
                   BANTEN)
    c = screening_counts(a.screening)
    assert c.loc["3601"].to_dict() == {"lulus": 1, "tidak_lulus": 0, "tidak_diketahui": 1,
                                       "kedaluwarsa": 0, "tanpa_ambang": 1,
                                       "belum_dinilai": 2, "jumlah": 3}
    assert screening_count_text(c.loc["3601"]) == (
        "1 lulus, 2 belum dapat dinilai (1 tanpa data, 1 tanpa ambang)")
    assert screening_count_text(c.loc["3602"]) == (
        "0 lulus, 1 tidak lulus, 2 belum dapat dinilai (1 kedaluwarsa, 1 tanpa ambang)")
    r = a.results.set_index("kode_wilayah")
    assert r.loc["3602", ["kriteria_lulus", "kriteria_tidak_lulus",
                          "kriteria_belum_dinilai"]].tolist() == [0, 1, 2]


# == framework diff shows every rule =======================================================
def test_diff_shows_the_rules():
    a = load_framework("kak-2025")
    d = copy.deepcopy(yaml.safe_load(framework_bytes("kak-2025")[0]))
    d["aggregation"]["within_components"] = "geometric"
    d["precision"]["decimals"] = 1
    d["missing_policy"]["empty_component"] = "zero"
    d["screening"][-1]["window_years"] = 5
    d["screening"][-1]["name"] = "Kepala daerah berperkara korupsi (5 tahun terakhir)"
    d["screening"][0].pop("indicator")
    lines = diff_frameworks(a, parse(d))
    for text in ("agregasi dalam komponen: arithmetic -> geometric",
                 "presisi skor total (desimal): 2 -> 1",
                 "kebijakan komponen tanpa bukti: refuse_designation -> zero",
                 "jendela tahun kriteria kasus: 3 -> 5",
                 "indikator bersama kriteria mcp: I01 -> -"):
        assert text in lines, lines


def test_uncertainty_cli_draws_the_readings(sample_data, tmp_path, capsys):
    data = sample_data(YEAR)
    out = tmp_path / "p"
    assert main(["score", "-y", str(YEAR), "--data", str(data), "--processed", str(out)]) == 0
    capsys.readouterr()
    assert main(["uncertainty", "-y", str(YEAR), "--processed", str(out), "--draws", "200",
                 "--no-sensitivity", "--aggregations", "semua"]) == 0
    text = capsys.readouterr().out
    assert "metode agregasi diundi dari:" in text and "di dalam komponen" in text
    with pytest.raises(SystemExit):
        main(["uncertainty", "-y", str(YEAR), "--processed", str(out), "--aggregations",
              "median"])
