"""Property tests (hypothesis) of the scoring core: weights, monotonicity, directions,
missing data, ranks, screening against a plain reference, and immutability."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as tm
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from antikorupsi.aggregate import weighted_arithmetic
from antikorupsi.framework import load_framework, parse_framework
from antikorupsi.inputs import YearInputs, validate_indicators, validate_screening
from antikorupsi.regions import load_regions
from antikorupsi.scoring import (
    SCREEN,
    aggregate_matrix,
    competition_rank,
    evaluate_screening,
    rescore,
    score_year,
)

SETTINGS = settings(max_examples=60, deadline=None)
HEAVY = settings(max_examples=40, deadline=None)  # several full score_year runs per example
YEAR = 2025
GOLDEN = Path(__file__).parent / "fixtures" / "golden"
GFW = load_framework(GOLDEN / "kerangka.yaml")  # G1 direct, G2 rubric, G3 up, G4 down
GREG = load_regions(GOLDEN / "wilayah.csv")
GCODES = list(GREG["kode_wilayah"])
KAK = load_framework("kak-2025")
BANTEN = load_regions()
AGGREGATIONS = ("arithmetic", "geometric")

# -- strategies ---------------------------------------------------------------------------
direct = st.integers(0, 1000).map(lambda k: k / 10)
level = st.integers(0, 4)
share = st.integers(0, 100).map(float)
days = st.integers(0, 365).map(float)
RAW = {"G1": direct, "G2": level, "G3": share, "G4": days}
weight = st.floats(0.05, 20, allow_nan=False)


@st.composite
def golden_values(draw, allow_missing=True):
    """Raw values for the golden framework's three regions (None = empty cell)."""
    out = {}
    for code in GCODES:
        out[code] = {}
        for ind, strat in RAW.items():
            missing = allow_missing and draw(st.integers(0, 9)) == 0
            out[code][ind] = None if missing else draw(strat)
    return out


def raw_table(values: dict) -> pd.DataFrame:
    rows = [[str(YEAR), code, ind, "" if v is None else f"{v:g}".replace(".", ","), "", "",
             "tidak"] for code, by in values.items() for ind, v in by.items()]
    return pd.DataFrame(rows, columns=["tahun", "kode_wilayah", "kode_indikator", "nilai",
                                       "bukti", "catatan", "sintetis"])


def year_inputs(fw, values, regions=GREG, screening=None) -> YearInputs:
    ind, p1 = validate_indicators(raw_table(values), fw, regions, YEAR)
    scr_raw = screening if screening is not None else pd.DataFrame(
        columns=["tahun", "kode_wilayah", "kriteria", "nilai", "tahun_data", "sumber",
                 "catatan"])
    scr, p2 = validate_screening(scr_raw, fw, regions, YEAR)
    assert not p1 + p2, [str(p) for p in p1 + p2]
    return YearInputs(YEAR, ind, scr)


def totals(fw, values, aggregation) -> dict:
    fw = fw.with_weights(aggregation=aggregation)
    a = score_year(fw, year_inputs(fw, values), GREG)
    return dict(zip(a.results["kode_wilayah"], a.results["skor_total"]))


def random_matrix(draw, fw, n_regions=5, nan=False):
    elements = st.one_of(share, st.just(np.nan)) if nan else share
    x = draw(hnp.arrays(float, (n_regions, len(fw.indicators)), elements=elements))
    return pd.DataFrame(x, columns=fw.indicator_codes,
                        index=[f"36{k:02d}" for k in range(n_regions)])


# -- weights ------------------------------------------------------------------------------
@SETTINGS
@given(st.lists(weight, min_size=6, max_size=6), st.lists(weight, min_size=19, max_size=19))
def test_weights_renormalise_within_their_parent(cw, iw):
    fw = KAK.with_weights(component_weights=dict(zip(KAK.component_codes, cw)),
                          indicator_weights=dict(zip(KAK.indicator_codes, iw)))
    assert fw.component_weights().sum() == pytest.approx(1)
    sums = fw.indicator_weights().groupby(fw.indicator_component()).sum()
    assert sums.tolist() == pytest.approx([1.0] * len(fw.components))
    assert fw.effective_indicator_weights().sum() == pytest.approx(1)
    for c, w in zip(fw.components, fw.component_weights()):
        assert w == pytest.approx(c.weight / sum(cw))


@SETTINGS
@given(st.data(), st.sampled_from(KAK.component_codes), st.floats(0.01, 1000),
       st.sampled_from(AGGREGATIONS))
def test_scaling_the_weights_of_one_component_changes_nothing(data, comp, c, aggregation):
    m = random_matrix(data.draw, KAK)
    scaled = {i.code: i.weight * c for i in KAK.indicators if i.component == comp}
    fw2 = KAK.with_weights(indicator_weights=scaled)
    assert fw2.indicator_weights().tolist() == pytest.approx(KAK.indicator_weights().tolist())
    comps1, t1 = aggregate_matrix(m, KAK, aggregation)
    comps2, t2 = aggregate_matrix(m, fw2, aggregation)
    np.testing.assert_allclose(t2, t1, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(comps2, comps1, rtol=1e-12, atol=1e-9)
    fw3 = KAK.with_weights(component_weights={k.code: k.weight * c for k in KAK.components})
    np.testing.assert_allclose(aggregate_matrix(m, fw3, aggregation)[1], t1, rtol=1e-12,
                               atol=1e-9)


# -- monotonicity -------------------------------------------------------------------------
def better(draw, ind: str, old):
    """A raw value at least as good as ``old`` for indicator ``ind`` of the golden set."""
    if ind == "G1":
        return draw(st.integers(int(round(old * 10)), 1000)) / 10
    if ind == "G2":
        return draw(st.integers(old, 4))
    if ind == "G3":
        return float(draw(st.integers(int(old), 100)))
    return float(draw(st.integers(0, int(old))))  # G4: fewer days is better


@HEAVY
@given(golden_values(), st.data())
def test_improving_an_input_never_lowers_the_total(values, data):
    code = data.draw(st.sampled_from(GCODES))
    present = [i for i, v in values[code].items() if v is not None]
    assume(present)
    ind = data.draw(st.sampled_from(present))
    improved = {c: dict(v) for c, v in values.items()}
    improved[code][ind] = better(data.draw, ind, values[code][ind])
    for policy in ("zero", "renormalise"):
        fw = dataclasses.replace(GFW, missing_indicator=policy)
        for aggregation in AGGREGATIONS:
            before, after = totals(fw, values, aggregation), totals(fw, improved, aggregation)
            assert after[code] >= before[code] - 1e-9, (policy, aggregation, ind)
            for other in GCODES:
                if other != code:
                    assert after[other] == before[other] or np.isnan([after[other],
                                                                      before[other]]).all()


@HEAVY
@given(golden_values(allow_missing=False), st.data())
def test_filling_a_missing_value_never_lowers_the_total_under_the_zero_policy(values, data):
    code = data.draw(st.sampled_from(GCODES))
    ind = data.draw(st.sampled_from(sorted(RAW)))
    empty = {c: dict(v) for c, v in values.items()}
    empty[code][ind] = None
    for aggregation in AGGREGATIONS:
        assert (totals(GFW, values, aggregation)[code]
                >= totals(GFW, empty, aggregation)[code] - 1e-9)


# -- direction ----------------------------------------------------------------------------
def goalposts_framework(direction: int, extra: bool = False):
    doc = yaml.safe_load((GOLDEN / "kerangka.yaml").read_text(encoding="utf-8"))
    ind = {"code": "D1", "name": "d1", "component": "A", "weight": 1,
           "scoring": {"method": "goalposts", "low": 0, "high": 100,
                       "direction": direction, "valid": [0, 100]}}
    doc["components"] = [{"code": "A", "name": "A", "weight": 1}]
    doc["indicators"] = [ind]
    if extra:
        doc["indicators"].append({"code": "D2", "name": "d2", "component": "A", "weight": 2,
                                  "scoring": {"method": "direct"}})
    return parse_framework(yaml.safe_dump(doc))


@HEAVY
@given(st.lists(st.integers(0, 100), min_size=2, max_size=8, unique=True), st.data())
def test_flipping_a_direction_inverts_the_order(raw, data):
    codes = list(BANTEN["kode_wilayah"])[:len(raw)]
    others = data.draw(st.lists(share, min_size=len(raw), max_size=len(raw)))
    for extra in (False, True):
        scored = {}
        for direction in (1, -1):
            fw = goalposts_framework(direction, extra)
            values = {c: {"D1": float(v)} | ({"D2": o} if extra else {})
                      for c, v, o in zip(codes, raw, others)}
            scored[direction] = score_year(fw, year_inputs(fw, values, BANTEN), BANTEN)
        up, down = (scored[d].indicator_matrix()["D1"] for d in (1, -1))
        np.testing.assert_allclose(up + down, 100.0)  # x and 100 - x
        rank_up = competition_rank(up).to_numpy()
        rank_down = competition_rank(down).to_numpy()
        assert (rank_up + rank_down == len(raw) + 1).all()  # distinct values: reversed
        if not extra:  # the only indicator: the total order inverts too
            r_up, r_down = (s.results.set_index("kode_wilayah")["peringkat"]
                            for s in (scored[1], scored[-1]))
            assert ((r_up + r_down.reindex(r_up.index)) == len(raw) + 1).all()


# -- missing data -------------------------------------------------------------------------
@SETTINGS
@given(st.data())
def test_renormalising_nan_equals_dropping_the_indicator(data):
    m = random_matrix(data.draw, KAK, nan=True)
    comps, total = aggregate_matrix(m, KAK, "arithmetic")
    iw, cw = KAK.indicator_weights(), KAK.component_weights()
    comp_of = KAK.indicator_component()
    for region, row in m.iterrows():
        expected = {}
        for c in KAK.component_codes:  # plain Python: keep what is there, reweight
            kept = [(row[i], iw[i]) for i in KAK.indicator_codes
                    if comp_of[i] == c and not np.isnan(row[i])]
            expected[c] = (sum(x * w for x, w in kept) / sum(w for _, w in kept)
                           if kept else np.nan)
            if np.isnan(expected[c]):
                assert np.isnan(comps.loc[region, c])
            else:
                assert comps.loc[region, c] == pytest.approx(expected[c], abs=1e-9)
        kept = [(expected[c], cw[c]) for c in KAK.component_codes if not np.isnan(expected[c])]
        if kept:
            assert total[region] == pytest.approx(
                sum(x * w for x, w in kept) / sum(w for _, w in kept), abs=1e-9)
        else:
            assert np.isnan(total[region])


@HEAVY
@given(golden_values(allow_missing=False), st.data())
def test_an_empty_value_under_renormalise_is_scoring_without_it(values, data):
    code = data.draw(st.sampled_from(GCODES))
    ind = data.draw(st.sampled_from(["G1", "G2", "G3"]))  # G4 alone would empty B
    comp = GFW.indicator(ind).component
    empty = {c: dict(v) for c, v in values.items()}
    empty[code][ind] = None
    fw = dataclasses.replace(GFW, missing_indicator="renormalise")
    for aggregation in AGGREGATIONS:
        f = fw.with_weights(aggregation=aggregation)
        got = score_year(f, year_inputs(f, empty), GREG).components.loc[code, comp]
        mates = [i for i in GFW.indicators if i.component == comp and i.code != ind]
        m = score_year(f, year_inputs(f, values), GREG).indicator_matrix()
        w = np.array([i.weight for i in mates])
        x = m.loc[code, [i.code for i in mates]].to_numpy(float)
        expected = (weighted_arithmetic(x, w) if aggregation == "arithmetic"
                    else np.exp((w / w.sum() * np.log(x + GFW.geometric_offset)).sum())
                    - GFW.geometric_offset)
        assert got == pytest.approx(expected, abs=1e-9)


# -- geometric vs arithmetic --------------------------------------------------------------
@SETTINGS
@given(st.data())
def test_geometric_is_defined_at_zero_and_never_above_arithmetic(data):
    m = random_matrix(data.draw, KAK)
    m.iloc[0, data.draw(st.integers(0, 18))] = 0.0
    ca, ta = aggregate_matrix(m, KAK, "arithmetic")
    cg, tg = aggregate_matrix(m, KAK, "geometric")
    assert np.isfinite(tg).all() and np.isfinite(cg.to_numpy()).all()
    assert (cg.to_numpy() <= ca.to_numpy() + 1e-9).all()
    assert (tg <= ta + 1e-9).all()
    assert ((tg >= 0) & (ta <= 100 + 1e-9)).all()


# -- ranks --------------------------------------------------------------------------------
@SETTINGS
@given(st.lists(st.one_of(st.integers(0, 20).map(float), st.just(np.nan)), min_size=1,
                max_size=30))
def test_competition_rank_is_one_plus_the_number_strictly_better(values):
    s = pd.Series(values)
    r = competition_rank(s)
    for v, rank in zip(values, r):
        if np.isnan(v):
            assert rank == 1 + sum(not np.isnan(x) for x in values)
        else:
            assert rank == 1 + sum(x > v for x in values if not np.isnan(x))


# -- screening against a plain reference --------------------------------------------------
CRITERIA = {"mcp": lambda d: d(st.integers(0, 10000)).__truediv__(100),
            "opini_bpk": lambda d: d(st.sampled_from(["WTP", "WTP", "WDP", "TMP"])),
            "ombudsman": lambda d: d(st.integers(0, 100)),
            "kasus": lambda d: d(st.integers(0, 2))}
SCREEN_DOC = yaml.safe_load((GOLDEN / "kerangka.yaml").read_text(encoding="utf-8"))
SCREEN_DOC["screening"].append({"code": "kasus", "name": "Kasus", "kind": "count",
                                "range": [0, 1000], "rule": {"op": "<=", "value": 0}})


WITHOUT_ROWS = "3674"  # a region that never gets screening rows
WITH_ROWS = [c for c in BANTEN["kode_wilayah"] if c != WITHOUT_ROWS]


@st.composite
def screening_table(draw):
    rows = []
    for code in draw(st.lists(st.sampled_from(WITH_ROWS), min_size=1, max_size=4,
                              unique=True)):
        for crit, value in CRITERIA.items():
            for year in draw(st.lists(st.integers(2019, YEAR), max_size=3, unique=True)):
                empty = draw(st.integers(0, 6)) == 0
                rows.append([str(YEAR), code, crit, "" if empty else str(value(draw)),
                             str(year), draw(st.sampled_from(["s1", "s2", ""])),
                             draw(st.sampled_from(["", "c1", "c2"]))])
            if draw(st.booleans()):  # a row saying the figure was not found
                rows.append([str(YEAR), code, crit, "", "", "", "tidak ditemukan"])
    order = draw(st.permutations(range(len(rows))))
    return pd.DataFrame([rows[k] for k in order],
                        columns=["tahun", "kode_wilayah", "kriteria", "nilai", "tahun_data",
                                 "sumber", "catatan"])


def reference_screening(fw, frame: pd.DataFrame, codes, year) -> dict:
    """The rules of evaluate_screening written the plain way, one cell at a time."""
    records = frame.to_dict("records")
    out = {}
    for code in codes:
        for crit in fw.screening:
            rows = [r for r in records if r["kode_wilayah"] == code
                    and r["kriteria"] == crit.code]
            known = sorted((r for r in rows if r["nilai"] != ""),
                           key=lambda r: -int(r["tahun_data"]))
            note = "; ".join(r["catatan"] for r in rows if r["catatan"])
            rule = crit.rule
            if not known:
                out[(code, crit.code)] = (SCREEN["none"] if rule is None else SCREEN["unknown"],
                                          "", None, "", note, False)
                continue
            latest = known[0]
            value, source = latest["nilai"], latest["sumber"]
            data_year = int(latest["tahun_data"])
            old = fw.max_data_age_years is not None and \
                data_year < year - fw.max_data_age_years  # marked for every criterion
            if rule is None:
                outcome = SCREEN["none"]
            elif old:
                outcome = SCREEN["stale"]
            elif rule.op == "consecutive":
                vals = known[:rule.years]
                ys = [int(r["tahun_data"]) for r in vals]
                if any(r["angka"] != rule.value for r in vals):
                    outcome = SCREEN["fail"]
                elif len(vals) < rule.years or any(b != a - 1 for a, b in zip(ys, ys[1:])):
                    outcome = SCREEN["unknown"]
                else:
                    outcome = SCREEN["pass"]
                value = ", ".join(f"{r['angka']} ({y})" for r, y in zip(vals, ys))
                source = "; ".join(dict.fromkeys(r["sumber"] for r in vals if r["sumber"]))
            else:
                x, t = float(latest["angka"]), float(rule.value)
                ok = {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t, "==": x == t}[rule.op]
                outcome = SCREEN["pass"] if ok else SCREEN["fail"]
            out[(code, crit.code)] = (outcome, value, data_year, source, note, old)
    return out


@settings(max_examples=100, deadline=None)
@given(screening_table(), st.sampled_from([None, 0, 1, 3]))
def test_evaluate_screening_matches_the_plain_reference(raw, max_age):
    fw = dataclasses.replace(parse_framework(yaml.safe_dump(SCREEN_DOC)),
                             max_data_age_years=max_age)
    frame, problems = validate_screening(raw, fw, BANTEN, YEAR)
    assert not problems, [str(p) for p in problems]
    codes = sorted(set(raw["kode_wilayah"])) + [WITHOUT_ROWS]
    got = evaluate_screening(fw, frame, codes, YEAR)
    assert list(zip(got["kode_wilayah"], got["kriteria"])) == [
        (c, k.code) for c in codes for k in fw.screening]
    expected = reference_screening(fw, frame, codes, YEAR)
    for row in got.itertuples(index=False):
        outcome, value, data_year, source, note, old = expected[(row.kode_wilayah,
                                                                 row.kriteria)]
        assert row.kedaluwarsa == old
        assert row.hasil == outcome
        assert row.nilai == value
        assert (pd.isna(row.tahun_data) if data_year is None else row.tahun_data == data_year)
        assert row.sumber == source
        assert row.catatan == note


# -- immutability -------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(golden_values(), screening_table(), st.sampled_from(["zero", "renormalise",
                                                            "province_mean"]))
def test_nothing_mutates_its_inputs(values, scr_raw, policy):
    fw = dataclasses.replace(parse_framework(yaml.safe_dump(SCREEN_DOC)),
                             missing_indicator=policy)
    regions = pd.concat([GREG, BANTEN], ignore_index=True)
    ind_raw = raw_table(values)
    raw_copies = ind_raw.copy(deep=True), scr_raw.copy(deep=True), regions.copy(deep=True)
    ind, p1 = validate_indicators(ind_raw, fw, regions, YEAR)
    scr, p2 = validate_screening(scr_raw, fw, regions, YEAR)
    assert not p1 + p2
    for before, after in zip(raw_copies, (ind_raw, scr_raw, regions)):
        tm.assert_frame_equal(before, after)
    yi = YearInputs(YEAR, ind, scr)
    kept = ind.copy(deep=True), scr.copy(deep=True)
    a = score_year(fw, yi, regions)
    tm.assert_frame_equal(yi.indicators, kept[0])
    tm.assert_frame_equal(yi.screening, kept[1])
    tm.assert_frame_equal(regions, raw_copies[2])
    frames = {k: getattr(a, k).copy(deep=True) for k in ("results", "indicators",
                                                         "components", "screening")}
    b = rescore(a, fw.with_weights(aggregation="geometric"), previous=a)
    m = a.indicator_matrix()
    m_copy = m.copy(deep=True)
    aggregate_matrix(m, fw, "geometric")
    tm.assert_frame_equal(m, m_copy)
    for k, v in frames.items():
        tm.assert_frame_equal(getattr(a, k), v)
    assert b.results is not a.results
