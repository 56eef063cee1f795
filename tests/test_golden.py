"""Golden results on a tiny hand-made fixture, worked out by hand below.

Fixture ``tests/fixtures/golden/``: ``kerangka.yaml`` (2 components, 4 indicators, one
per scoring method), ``wilayah.csv`` (three regions of DI Yogyakarta, Kemendagri codes
3401, 3402, 3471) and ``2025/indikator.csv`` + ``2025/penyaringan.csv`` (made-up values).

Framework
---------
Components: A weight 3, B weight 1            -> shares A 3/4, B 1/4.
A: G1 direct (weight 2), G2 rubric (weight 1) -> shares 2/3, 1/3.
B: G3 goalposts 20..80, higher is better (weight 1), G4 goalposts 10..50 days, lower is
better (weight 3)                             -> shares 1/4, 3/4.
Rubric 'tingkat': level k scores 25k. Threshold 80; bands Istimewa >= 80, Baik >= 60,
Kurang below. Missing policy: zero. Screening: mcp >= 75; opini_bpk WTP two
consecutive years; ombudsman without a threshold; figures older than one year before
the assessment year (2025 - 1 = 2024) are stale.

Indicator scores
----------------
3401 Kulon Progo: G1 = 90; G2 level 3 -> 75; G3 "65,0" -> (65-20)/(80-20) = 0.75 -> 75;
                  G4 20 days -> 1 - (20-10)/(50-10) = 0.75 -> 75
3402 Bantul:      G1 = 60; G2 "4: Optimal" -> 100; G3 80 -> (80-20)/60 = 1 -> 100;
                  G4 10 days -> 1 - 0/40 = 1 -> 100
3471 Kota Yogya:  G1 = 96; G2 level 4 -> 100; G3 50 -> (50-20)/60 = 0.5 -> 50;
                  G4 empty -> zero policy -> 0 (status "kosong", treatment "diberi 0")

Arithmetic aggregation
----------------------
3401: A = 2/3*90 + 1/3*75 = 60 + 25 = 85;        B = 1/4*75 + 3/4*75 = 75
      total = 3/4*85 + 1/4*75 = 63.75 + 18.75 = 82.5
3402: A = 2/3*60 + 1/3*100 = 40 + 33.333333 = 73.333333;  B = 1/4*100 + 3/4*100 = 100
      total = 3/4*73.333333 + 1/4*100 = 55 + 25 = 80
3471: A = 2/3*96 + 1/3*100 = 64 + 33.333333 = 97.333333;  B = 1/4*50 + 3/4*0 = 12.5
      total = 3/4*97.333333 + 1/4*12.5 = 73 + 3.125 = 76.125
Ranks: 3401 (82.5) 1, 3402 (80) 2, 3471 (76.125) 3.
Categories: 82.5 and 80 (exactly the threshold) Istimewa; 76.125 Baik.

Screening (assessment year 2025)
--------------------------------
3401: mcp 80 (2024) >= 75 lulus; opini WTP 2024 + WTP 2023 lulus; ombudsman 85 tanpa
      ambang -> overall lulus -> 82.5 >= 80: Ditetapkan.
3402: mcp 88 but from 2022 < 2024: kedaluwarsa; opini WTP 2023 + WTP 2024 (rows in the
      other order) lulus; ombudsman empty: tanpa ambang -> overall belum lengkap ->
      80 >= 80: Tertunda.
3471: mcp 70 < 75 tidak lulus; opini WDP 2024 tidak lulus; ombudsman 90 (2022) tanpa
      ambang (no threshold wins over staleness) -> overall tidak lulus -> 76.125 < 80:
      Tidak ditetapkan.

Geometric aggregation (offset 1: exp(sum w*ln(x+1)) - 1)
---------------------------------------------------------
3401: A = exp(2/3*ln 91 + 1/3*ln 76) - 1 = exp(2/3*4.510860 + 1/3*4.330733) - 1
        = exp(4.450817) - 1 = 85.696968 - 1 = 84.696968
      B = exp(1/4*ln 76 + 3/4*ln 76) - 1 = 76 - 1 = 75
      total = exp(3/4*ln 85.696968 + 1/4*ln 76) - 1 = exp(3/4*4.450817 + 1/4*4.330733) - 1
            = exp(4.420796) - 1 = 83.162492 - 1 = 82.162492
3402: A = exp(2/3*ln 61 + 1/3*ln 101) - 1 = exp(2/3*4.110874 + 1/3*4.615121) - 1
        = exp(4.278956) - 1 = 71.165066
      B = exp(ln 101) - 1 = 100
      total = exp(3/4*4.278956 + 1/4*4.615121) - 1 = exp(4.362997) - 1 = 77.492038
3471: A = exp(2/3*ln 97 + 1/3*ln 101) - 1 = exp(2/3*4.574711 + 1/3*4.615121) - 1
        = exp(4.588181) - 1 = 97.315414
      B = exp(1/4*ln 51 + 3/4*ln 1) - 1 = exp(1/4*3.931826 + 0) - 1 = 2.672345 - 1
        = 1.672345          (the zero is punished hard, but stays defined)
      total = exp(3/4*4.588181 + 1/4*ln 2.672345) - 1 = exp(3/4*4.588181 + 1/4*0.982956) - 1
            = exp(3.686875) - 1 = 38.919891
Ranks unchanged (1, 2, 3); 3402 now 77.49 < 80: Tidak ditetapkan (was Tertunda);
categories Istimewa, Baik, Kurang (38.92 < 60).

Renormalise instead of zero (arithmetic)
----------------------------------------
3471: G4 is left out, B = G3 alone = 50; total = 3/4*97.333333 + 1/4*50 = 73 + 12.5 = 85.5
-> 3471 first (85.5), 3401 second (82.5), 3402 third (80). 3471 is above the threshold
but failed screening: Tidak ditetapkan.
Effective weights of 3471 (the weights actually used): G4's weight goes to G3, so
G1 3/4*2/3 = 1/2, G2 3/4*1/3 = 1/4, G3 1/4*1 = 1/4, G4 0 (nominal G3 1/16, G4 3/16).

Aggregation per level (the framework states each level)
-------------------------------------------------------
Geometric inside components, arithmetic between (spec "geometric/arithmetic"): the
component scores of the geometric case above, the total of the arithmetic case:
3401: 3/4*84.696968 + 1/4*75       = 63.522726 + 18.75     = 82.272726
3402: 3/4*71.165066 + 1/4*100      = 53.373800 + 25        = 78.373800
3471: 3/4*97.315414 + 1/4*1.672345 = 72.986561 + 0.418086  = 73.404647
Ranks 1, 2, 3; 3402 now 78.37 < 80: Tidak ditetapkan; categories Istimewa, Baik, Baik.
Arithmetic inside, geometric between ("arithmetic/geometric"): the arithmetic component
scores, then exp(3/4 ln(A+1) + 1/4 ln(B+1)) - 1:
3401: ln 86 = 4.454347, ln 76 = 4.330733 -> exp(3.340760 + 1.082683) - 1
      = exp(4.423444) - 1 = 82.382946
3402: ln 74.333333 = 4.308559, ln 101 = 4.615121 -> exp(3.231420 + 1.153780) - 1
      = exp(4.385200) - 1 = 79.254252
3471: ln 98.333333 = 4.588363, ln 13.5 = 2.602690 -> exp(3.441272 + 0.650672) - 1
      = exp(4.091945) - 1 = 58.856182
Ranks 1, 2, 3; 3402 79.25 < 80: Tidak ditetapkan; 3471 58.86 < 60: Kurang.

A component without any evidence (renormalise; G3 and G4 of 3401 blanked)
-----------------------------------------------------------------------------
B has no score: its weight would move to A, total = A = 85 >= 80 with screening
passed, i.e. Ditetapkan. The framework says otherwise (empty_component):
refuse_designation -> total 85, rank 2 (3471 first with 85.5, as above),
  komponen_tanpa_bukti "B", Tidak ditetapkan;
  effective weights G1 2/3, G2 1/3, G3 0, G4 0.
zero -> B = 0, total = 3/4*85 = 63.75 (Baik, rank 3), Tidak ditetapkan; weights nominal
  (1/2, 1/4, 1/16, 3/16).

Precision, staleness and counts
-------------------------------
Totals are compared at 2 decimals (the default precision): 76.125 prints 76,13 (half
away from zero) and ranks as 76.13. Staleness is marked on every figure: 3471's
ombudsman 90 (2022) stays "tanpa ambang" but is flagged kedaluwarsa, as is 3402's mcp.
Counts (lulus / tidak lulus / belum dinilai): 3401 2/0/1, 3402 1/0/2, 3471 0/2/1.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from antikorupsi.fmt import angka
from antikorupsi.framework import load_framework
from antikorupsi.inputs import read_year
from antikorupsi.pipeline import score_and_write
from antikorupsi.regions import load_regions
from antikorupsi.scoring import DESIGNATION, OVERALL, SCREEN, STATUS, TREATMENT, score_year

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
YEAR = 2025
TOL = 1e-6

IND_SCORES = {  # region -> G1..G4 indicator scores (zero policy)
    "3401": [90, 75, 75, 75],
    "3402": [60, 100, 100, 100],
    "3471": [96, 100, 50, 0],
}
ARITHMETIC = {  # region -> (A, B, total, rank, category, screening, designation)
    "3401": (85.0, 75.0, 82.5, 1, "Istimewa", OVERALL["pass"], DESIGNATION["yes"]),
    "3402": (73.333333, 100.0, 80.0, 2, "Istimewa", OVERALL["incomplete"],
             DESIGNATION["pending"]),
    "3471": (97.333333, 12.5, 76.125, 3, "Baik", OVERALL["fail"], DESIGNATION["no"]),
}
GEOMETRIC = {
    "3401": (84.696968, 75.0, 82.162492, 1, "Istimewa", OVERALL["pass"], DESIGNATION["yes"]),
    "3402": (71.165066, 100.0, 77.492038, 2, "Baik", OVERALL["incomplete"],
             DESIGNATION["no"]),
    "3471": (97.315414, 1.672345, 38.919891, 3, "Kurang", OVERALL["fail"], DESIGNATION["no"]),
}
RENORMALISE = {
    "3471": (97.333333, 50.0, 85.5, 1, "Istimewa", OVERALL["fail"], DESIGNATION["no"]),
    "3401": (85.0, 75.0, 82.5, 2, "Istimewa", OVERALL["pass"], DESIGNATION["yes"]),
    "3402": (73.333333, 100.0, 80.0, 3, "Istimewa", OVERALL["incomplete"],
             DESIGNATION["pending"]),
}
GEOMETRIC_WITHIN = {
    "3401": (84.696968, 75.0, 82.272726, 1, "Istimewa", OVERALL["pass"], DESIGNATION["yes"]),
    "3402": (71.165066, 100.0, 78.373800, 2, "Baik", OVERALL["incomplete"],
             DESIGNATION["no"]),
    "3471": (97.315414, 1.672345, 73.404647, 3, "Baik", OVERALL["fail"], DESIGNATION["no"]),
}
GEOMETRIC_BETWEEN = {
    "3401": (85.0, 75.0, 82.382946, 1, "Istimewa", OVERALL["pass"], DESIGNATION["yes"]),
    "3402": (73.333333, 100.0, 79.254252, 2, "Baik", OVERALL["incomplete"],
             DESIGNATION["no"]),
    "3471": (97.333333, 12.5, 58.856182, 3, "Kurang", OVERALL["fail"], DESIGNATION["no"]),
}
SCREENING = {  # (region, criterion) -> (outcome, value shown, data year)
    ("3401", "mcp"): (SCREEN["pass"], "80", 2024),
    ("3401", "opini_bpk"): (SCREEN["pass"], "WTP (2024), WTP (2023)", 2024),
    ("3401", "ombudsman"): (SCREEN["none"], "85", 2024),
    ("3402", "mcp"): (SCREEN["stale"], "88", 2022),
    ("3402", "opini_bpk"): (SCREEN["pass"], "WTP (2024), WTP (2023)", 2024),
    ("3402", "ombudsman"): (SCREEN["none"], "", None),
    ("3471", "mcp"): (SCREEN["fail"], "70", 2024),
    ("3471", "opini_bpk"): (SCREEN["fail"], "WDP (2024), WTP (2023)", 2024),
    ("3471", "ombudsman"): (SCREEN["none"], "90", 2022),
}


@pytest.fixture(scope="module")
def golden():
    fw = load_framework(GOLDEN / "kerangka.yaml")
    regions = load_regions(GOLDEN / "wilayah.csv")
    return fw, regions, read_year(GOLDEN, YEAR, fw, regions)


def check(a, expected: dict):
    r = a.results
    assert r["kode_wilayah"].tolist() == list(expected)  # ranked order
    for code, (comp_a, comp_b, total, rank, cat, screen, designation) in expected.items():
        row = r.set_index("kode_wilayah").loc[code]
        assert row["A"] == pytest.approx(comp_a, abs=TOL), code
        assert row["B"] == pytest.approx(comp_b, abs=TOL), code
        assert row["skor_total"] == pytest.approx(total, abs=TOL), code
        assert a.components.loc[code].tolist() == pytest.approx([comp_a, comp_b], abs=TOL)
        assert row["peringkat"] == rank, code
        assert row["peringkat_provinsi"] == rank, code  # one province
        assert row["kategori"] == cat, code
        assert row["penyaringan"] == screen, code
        assert row["penetapan"] == designation, code


def test_regions_come_from_the_fixture_registry(golden):
    _, regions, _ = golden
    assert regions["kode_wilayah"].tolist() == ["3401", "3402", "3471"]
    assert set(regions["kode_provinsi"]) == {"34"}


def test_indicator_scores(golden):
    fw, regions, inputs = golden
    a = score_year(fw, inputs, regions)
    m = a.indicator_matrix()
    for code, scores in IND_SCORES.items():
        assert m.loc[code].tolist() == pytest.approx(scores, abs=1e-9), code
    t = a.indicators.set_index(["kode_wilayah", "kode_indikator"])
    assert t.loc[("3471", "G4"), "status"] == STATUS["empty"]
    assert t.loc[("3471", "G4"), "perlakuan"] == TREATMENT["zero"]
    assert t.loc[("3401", "G3"), "nilai"] == "65,0" and t.loc[("3401", "G3"), "angka"] == 65
    assert t.loc[("3402", "G2"), "angka"] == 4
    # effective weights: A 3/4 x (2/3, 1/3) = 1/2, 1/4; B 1/4 x (1/4, 3/4) = 1/16, 3/16
    eff = t.xs("3401")["bobot_efektif"]
    assert eff.tolist() == pytest.approx([1 / 2, 1 / 4, 1 / 16, 3 / 16])
    assert a.results.set_index("kode_wilayah")["kelengkapan"].to_dict() == pytest.approx(
        {"3401": 1.0, "3402": 1.0, "3471": 0.75})


def test_arithmetic_with_zero_policy(golden):
    fw, regions, inputs = golden
    check(score_year(fw, inputs, regions), ARITHMETIC)


def test_geometric_with_zero_policy(golden):
    fw, regions, inputs = golden
    check(score_year(fw.with_weights(aggregation="geometric"), inputs, regions), GEOMETRIC)


def test_arithmetic_with_renormalise_policy(golden):
    fw, regions, inputs = golden
    fw = dataclasses.replace(fw, missing_indicator="renormalise")
    check(score_year(fw, inputs, regions), RENORMALISE)


def test_effective_weights_are_those_used(golden):
    fw, regions, inputs = golden
    fw = dataclasses.replace(fw, missing_indicator="renormalise")
    t = score_year(fw, inputs, regions).indicators.set_index(["kode_wilayah", "kode_indikator"])
    assert t.xs("3471")["bobot_efektif"].tolist() == pytest.approx([1 / 2, 1 / 4, 1 / 4, 0])
    assert t.xs("3401")["bobot_efektif"].tolist() == pytest.approx([1 / 2, 1 / 4, 1 / 16,
                                                                    3 / 16])


def test_geometric_inside_components_only(golden):
    fw, regions, inputs = golden
    check(score_year(fw.with_weights(aggregation="geometric/arithmetic"), inputs, regions),
          GEOMETRIC_WITHIN)


def test_geometric_between_components_only(golden):
    fw, regions, inputs = golden
    check(score_year(fw.with_weights(aggregation="arithmetic/geometric"), inputs, regions),
          GEOMETRIC_BETWEEN)


def _without_b(inputs):
    ind = inputs.indicators.copy()
    blank = (ind["kode_wilayah"] == "3401") & ind["kode_indikator"].isin(["G3", "G4"])
    ind.loc[blank, ["nilai"]] = ""
    ind.loc[blank, ["angka", "skor_masukan"]] = float("nan")
    return dataclasses.replace(inputs, indicators=ind)


@pytest.mark.parametrize("policy", ["refuse_designation", "zero"])
def test_component_without_evidence(golden, policy):
    fw, regions, inputs = golden
    fw = dataclasses.replace(fw, missing_indicator="renormalise", empty_component=policy)
    a = score_year(fw, _without_b(inputs), regions)
    row = a.results.set_index("kode_wilayah").loc["3401"]
    eff = a.indicators.set_index(["kode_wilayah", "kode_indikator"]).xs("3401")
    assert row["komponen_tanpa_bukti"] == "B"
    assert row["penetapan"] == DESIGNATION["no"]
    if policy == "refuse_designation":
        assert row["skor_total"] == pytest.approx(85.0) and row["peringkat"] == 2
        assert eff["bobot_efektif"].tolist() == pytest.approx([2 / 3, 1 / 3, 0, 0])
    else:
        assert row["skor_total"] == pytest.approx(63.75) and row["kategori"] == "Baik"
        assert row["peringkat"] == 3
        assert eff["bobot_efektif"].tolist() == pytest.approx([1 / 2, 1 / 4, 1 / 16, 3 / 16])


def test_precision_staleness_and_counts(golden):
    fw, regions, inputs = golden
    a = score_year(fw, inputs, regions)
    r = a.results.set_index("kode_wilayah")
    assert fw.round_total(r.loc["3471", "skor_total"]) == 76.13
    assert angka(r.loc["3471", "skor_total"]) == "76,13"
    s = a.screening.set_index(["kode_wilayah", "kriteria"])
    stale = {k for k, v in s["kedaluwarsa"].items() if v}
    assert stale == {("3402", "mcp"), ("3471", "ombudsman")}
    assert s.loc[("3471", "ombudsman"), "hasil"] == SCREEN["none"]
    counts = r[["kriteria_lulus", "kriteria_tidak_lulus", "kriteria_belum_dinilai"]]
    assert counts.to_dict("index") == {
        "3401": {"kriteria_lulus": 2, "kriteria_tidak_lulus": 0, "kriteria_belum_dinilai": 1},
        "3402": {"kriteria_lulus": 1, "kriteria_tidak_lulus": 0, "kriteria_belum_dinilai": 2},
        "3471": {"kriteria_lulus": 0, "kriteria_tidak_lulus": 2, "kriteria_belum_dinilai": 1}}


def test_screening(golden):
    fw, regions, inputs = golden
    s = score_year(fw, inputs, regions).screening.set_index(["kode_wilayah", "kriteria"])
    assert len(s) == len(SCREENING)
    for key, (outcome, value, year) in SCREENING.items():
        assert s.loc[key, "hasil"] == outcome, key
        assert s.loc[key, "nilai"] == value, key
        if year is None:
            assert pd.isna(s.loc[key, "tahun_data"]), key
        else:
            assert s.loc[key, "tahun_data"] == year, key
    assert s.loc[("3402", "mcp"), "catatan"] == "terlalu lama"


def test_pipeline_writes_the_golden_numbers(tmp_path):
    run = score_and_write(YEAR, GOLDEN, tmp_path / "processed", GOLDEN / "kerangka.yaml",
                          GOLDEN / "wilayah.csv")
    out = pd.read_csv(run.out_dir / "hasil_wilayah.csv", dtype={"kode_wilayah": str})
    assert out["kode_wilayah"].tolist() == list(ARITHMETIC)
    for code, expected in ARITHMETIC.items():
        row = out.set_index("kode_wilayah").loc[code]
        assert row["skor_total"] == pytest.approx(expected[2], abs=TOL)
        assert row["penetapan"] == expected[6]
    assert not (tmp_path / "processed" / "2024").exists()
