"""Tests for antikorupsi.uncertainty: Monte Carlo rank uncertainty and Sobol sensitivity."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from antikorupsi.errors import InputError
from antikorupsi.uncertainty import (
    QUANTILE_METHOD,
    RankChangeResult,
    UncertaintyResult,
    _competition_ranks,
    rank_change,
    rank_sensitivity,
    rank_uncertainty,
    rank_uncertainty_loop,
)

SIZES = (1, 5, 5, 4, 3, 1)
COMPONENTS = tuple(f"K{c + 1}" for c in range(len(SIZES)))
INDICATORS = tuple(f"I{i + 1:02d}" for i in range(sum(SIZES)))
IC = {ind: comp for ind, comp in zip(INDICATORS, (c for c, n in zip(COMPONENTS, SIZES)
                                                  for _ in range(n)))}
IW = {ind: 1.0 + (i % 3) for i, ind in enumerate(INDICATORS)}
CW = dict(zip(COMPONENTS, (20.0, 25.0, 20.0, 15.0, 15.0, 5.0)))


def make_scores(n: int = 40, seed: int = 7, centre: float = 88.0) -> pd.DataFrame:
    """Synthetic scores around ``centre`` with strengths and weaknesses per component, so
    that ranks and designations move when the weights do."""
    rng = np.random.default_rng(seed)
    by_component = np.repeat(rng.normal(0, 8, size=(n, len(SIZES))), SIZES, axis=1)
    x = centre + rng.normal(0, 2, size=(n, 1)) + by_component + rng.normal(0, 3, size=(n, 19))
    return pd.DataFrame(np.clip(x, 0, 100).round(2), index=[f"36{i:02d}" for i in range(n)],
                        columns=list(INDICATORS))


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return make_scores()


def run(scores, **kw) -> UncertaintyResult:
    return rank_uncertainty(scores, IC, IW, CW, **kw)


RANK_COLS = ["median_rank", "rank_p05", "rank_p95"]


# -- collapsing to the nominal case --------------------------------------------------------
@pytest.mark.parametrize("sampling", ["uniform", "dirichlet"])
@pytest.mark.parametrize("method", ["arithmetic", "geometric"])
def test_zero_perturbation_collapses_to_nominal(scores, sampling, method):
    res = run(scores, n_draws=300, perturbation=0.0, sampling=sampling,
              aggregations=(method,), nominal_aggregation=method)
    t = res.table
    for col in RANK_COLS:
        assert (t[col] == t["nominal_rank"]).all(), col
    np.testing.assert_allclose(t["mean_total"], t["nominal_total"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(t["total_p05"], t["nominal_total"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(t["total_p95"], t["nominal_total"], rtol=0, atol=1e-9)
    assert set(t["p_istimewa"].unique()) <= {0.0, 1.0}
    assert ((t["p_istimewa"] == 1.0) == (t["nominal_total"].round(9) >= 90)).all()
    assert t["p_istimewa"].between(0, 1).all() and (t["p_istimewa"] == 1).any()


def test_nominal_rank_is_competition_rank_of_nominal_total(scores):
    t = run(scores, n_draws=10).table
    expected = t["nominal_total"].round(9).rank(method="min", ascending=False)
    assert (t["nominal_rank"].astype(float) == expected).all()
    assert list(t.index) == list(scores.index)


# -- reproducibility -----------------------------------------------------------------------
def test_same_seed_gives_identical_results(scores):
    a = run(scores, n_draws=500, seed=11, perturb_indicator_weights=True)
    b = run(scores, n_draws=500, seed=11, perturb_indicator_weights=True)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    assert a.settings == b.settings


def test_results_do_not_depend_on_chunk_size(scores):
    a = run(scores, n_draws=450, chunk_size=1000)
    b = run(scores, n_draws=450, chunk_size=37)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)


def test_stored_ranks_path_equals_histogram_path(scores, monkeypatch):
    s = scores.copy()
    s.iloc[4, :] = np.nan
    kw = dict(n_draws=300, perturb_indicator_weights=True)
    hist = run(s, **kw)
    monkeypatch.setattr("antikorupsi.uncertainty._HISTOGRAM_MAX_REGIONS", 3)
    stored = run(s, **kw)
    pd.testing.assert_frame_equal(hist.table, stored.table, check_exact=True)


def test_different_seed_moves_figures_only_within_sampling_error(scores):
    n = 4000
    a = run(scores, n_draws=n, seed=1).table
    b = run(scores, n_draws=n, seed=2).table
    assert a["p_istimewa"].between(0.05, 0.95).sum() >= 3  # the check below has teeth
    p = (a["p_istimewa"] + b["p_istimewa"]) / 2
    se = np.sqrt(2 * p * (1 - p) / n)  # of the difference of two independent estimates
    assert ((a["p_istimewa"] - b["p_istimewa"]).abs() <= 3 * se + 1e-12).all()
    assert ((a["median_rank"] - b["median_rank"]).abs() <= 1).all()
    assert ((a["mean_total"] - b["mean_total"]).abs() < 0.1).all()
    assert not a.equals(b)


# -- dominance, ties, thresholds -----------------------------------------------------------
@pytest.mark.parametrize("sampling", ["uniform", "dirichlet"])
def test_dominant_region_keeps_rank_one_in_every_draw(scores, sampling):
    s = scores.copy()
    s.loc["9999"] = 100.0  # best on every indicator
    s.loc["0000"] = 0.0  # worst on every indicator
    t = run(s, n_draws=1000, perturbation=0.5, sampling=sampling,
            perturb_indicator_weights=True).table
    assert t.loc["9999", RANK_COLS].tolist() == [1, 1, 1]
    assert t.loc["9999", "p_istimewa"] == 1.0
    assert t.loc["0000", RANK_COLS].tolist() == [len(s)] * 3
    assert t.loc["0000", "p_istimewa"] == 0.0


def test_tied_regions_share_ranks_in_every_draw(scores):
    s = scores.copy()
    s.loc["TWIN"] = s.iloc[3]
    s.loc["TOP1"] = 100.0
    s.loc["TOP2"] = 100.0
    t = run(s, n_draws=800, perturb_indicator_weights=True).table
    pd.testing.assert_series_equal(t.loc["TWIN"], t.iloc[3], check_names=False)
    assert t.loc["TOP1", RANK_COLS + ["nominal_rank"]].tolist() == [1, 1, 1, 1]
    assert t.loc["TOP2", RANK_COLS + ["nominal_rank"]].tolist() == [1, 1, 1, 1]
    assert (t.drop(["TOP1", "TOP2"])["rank_p05"] >= 3).all()  # competition: no rank 2


def test_exactly_on_threshold_counts_as_istimewa(scores):
    s = scores.copy()
    s.loc["NINETY"] = 90.0  # any weights, either mean: 90 up to floating-point noise
    t = run(s, n_draws=500, perturb_indicator_weights=True).table
    assert t.loc["NINETY", "p_istimewa"] == 1.0


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
                  elements=st.one_of(st.sampled_from([50.0, 50.0, 90.0, np.nan]),
                                     st.floats(0, 100))))
@settings(max_examples=200, deadline=None)
def test_competition_ranks_match_pandas_min_rank(x):
    got = _competition_ranks(x)
    for row, ranks in zip(x, got):
        expected = pd.Series(row).rank(method="min", ascending=False).fillna(0).to_numpy()
        np.testing.assert_array_equal(ranks, expected)


# -- missing data --------------------------------------------------------------------------
def test_nan_indicators_are_dropped_and_weights_renormalised(scores):
    s = scores.copy()
    s.loc["GAP"] = 80.0
    s.loc["GAP", "I19"] = np.nan  # K6's only indicator: the whole component drops out
    s.loc["GAP", "I02"] = np.nan  # one of K2's five
    s.loc["NONE"] = np.nan  # no score at all
    res = run(s, n_draws=300)
    t = res.table
    assert t.loc["GAP", "nominal_total"] == pytest.approx(80.0, abs=1e-9)
    assert t.loc["GAP", "p_istimewa"] == 0.0
    assert t.loc["NONE"].drop(["p_istimewa"] + RANK_COLS + ["nominal_rank"]).isna().all()
    assert t.loc["NONE", RANK_COLS + ["nominal_rank"]].isna().all()
    assert np.isnan(t.loc["NONE", "p_istimewa"])
    # a region without scores takes no place: ranks of the others are as without it
    t0 = run(s.drop(index="NONE"), n_draws=300).table
    pd.testing.assert_frame_equal(t.drop(index="NONE"), t0, check_exact=True)
    # a region missing one indicator is scored on the others, nominally and per draw
    s2 = scores.copy()
    s2.loc[s2.index[0], "I06"] = np.nan  # one of K3's five
    row = s2.iloc[0]
    comp = [np.average(row[idx].dropna(), weights=[IW[i] for i in row[idx].dropna().index])
            for idx in ([i for i in INDICATORS if IC[i] == c] for c in COMPONENTS)]
    manual = np.average(comp, weights=list(CW.values()))
    t2 = run(s2, n_draws=50).table
    assert t2.iloc[0]["nominal_total"] == pytest.approx(manual, rel=1e-12)
    assert t2.iloc[0].notna().all()


def test_nan_and_ties_equal_the_loop_reference(scores):
    s = scores.copy()
    s.iloc[2, 4] = np.nan
    s.iloc[5, :] = np.nan
    s.loc["TWIN"] = s.iloc[7]
    kw = dict(n_draws=200, seed=5, perturb_indicator_weights=True)
    pd.testing.assert_frame_equal(rank_uncertainty(s, IC, IW, CW, **kw).table,
                                  rank_uncertainty_loop(s, IC, IW, CW, **kw).table,
                                  check_exact=True)


# -- vectorised == loop --------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(sampling="dirichlet"),
        dict(perturb_indicator_weights=True, aggregations=("geometric",)),
        dict(sampling="dirichlet", perturb_indicator_weights=True, perturbation=0.4,
             nominal_aggregation="geometric", geometric_offset=0.5),
        dict(perturbation=0.0, aggregations=("arithmetic",)),
    ],
)
def test_vectorised_equals_loop(scores, kw):
    kw = dict(n_draws=250, seed=3, **kw)
    vec = rank_uncertainty(scores, IC, IW, CW, **kw)
    loop = rank_uncertainty_loop(scores, IC, IW, CW, **kw)
    pd.testing.assert_frame_equal(vec.table, loop.table, check_exact=True)
    assert vec.settings == loop.settings


# -- purity and validation -----------------------------------------------------------------
def test_inputs_are_not_mutated(scores):
    s = scores.copy()
    s.iloc[1, 1] = np.nan
    ic, iw, cw = pd.Series(IC), dict(IW), pd.Series(CW)
    before = (s.copy(deep=True), ic.copy(), copy.deepcopy(iw), cw.copy())
    rank_uncertainty(s, ic, iw, cw, n_draws=100, perturb_indicator_weights=True)
    rank_uncertainty_loop(s, ic, iw, cw, n_draws=5)
    rank_sensitivity(s, ic, iw, cw, n_base=16, num_resamples=10)
    pd.testing.assert_frame_equal(s, before[0], check_exact=True)
    pd.testing.assert_series_equal(ic, before[1])
    assert iw == before[2]
    pd.testing.assert_series_equal(cw, before[3])


def test_invalid_inputs_report_every_problem_at_once(scores):
    s = scores.copy()
    s["EXTRA"] = 50.0
    s.iloc[0, 0] = 120.0
    ic = dict(IC)
    del ic["I03"]
    with pytest.raises(InputError) as err:
        rank_uncertainty(s, ic, IW, CW, n_draws=10)
    text = str(err.value)
    assert "EXTRA" in text and "I03" in text
    with pytest.raises(InputError, match="di luar 0-100"):
        bad = scores.copy()
        bad.iloc[0, 0] = 120.0
        rank_uncertainty(bad, IC, IW, CW, n_draws=10)


@pytest.mark.parametrize(
    "kw",
    [dict(perturbation=1.0), dict(perturbation=-0.1), dict(n_draws=0), dict(sampling="normal"),
     dict(aggregations=("harmonic",)), dict(aggregations=()), dict(geometric_offset=0.0),
     dict(nominal_aggregation="median"), dict(dirichlet_concentration=-1.0)],
)
def test_invalid_options_raise(scores, kw):
    with pytest.raises(ValueError):
        run(scores, **kw)


def test_settings_and_description(scores):
    res = run(scores, n_draws=1000, sampling="dirichlet")
    assert res.settings["n_draws"] == 1000 and res.settings["seed"] == 20241209
    assert res.settings["aggregations"] == ("arithmetic", "geometric")
    assert res.quantile_method == QUANTILE_METHOD
    assert res.dirichlet_concentration == pytest.approx(3 * 5 / 0.25**2 - 1)
    text = res.describe()
    assert "1.000 simulasi" in text and "Dirichlet" in text and "239,0" in text


def test_zero_weight_component_stays_out_under_dirichlet(scores):
    s = scores.copy()
    s.loc["A"] = s.iloc[0]
    s.loc["B"] = s.iloc[0]
    s.loc["B", "I19"] = 0.0 if s.loc["A", "I19"] > 0 else 100.0  # differ only in K6
    t = rank_uncertainty(s, IC, IW, {**CW, "K6": 0.0}, n_draws=300, sampling="dirichlet").table
    pd.testing.assert_series_equal(t.loc["A"], t.loc["B"], check_names=False)


# -- Sobol sensitivity ---------------------------------------------------------------------
def k2_driven_scores() -> pd.DataFrame:
    """Two contenders whose order is decided mostly by the K2 weight.

    Total difference (arithmetic) A - B is proportional to ``40 w2 - 10 (w1 + w3 + w4 + w5 +
    w6)``: K2 carries four times the leverage of any other weight, and the nominal weights
    below sit on the switch point, so the rank flips within +-25%.
    """
    a = {ind: (100.0 if IC[ind] == "K2" else 80.0) for ind in INDICATORS}
    b = {ind: (60.0 if IC[ind] == "K2" else 90.0) for ind in INDICATORS}
    low = {ind: 10.0 for ind in INDICATORS}
    return pd.DataFrame([a, b, low], index=["3673", "3604", "3601"])


K2_CW = {"K1": 1.0, "K2": 1.25, "K3": 1.0, "K4": 1.0, "K5": 1.0, "K6": 1.0}


def test_sobol_picks_the_component_that_decides_the_rank():
    res = rank_sensitivity(
        k2_driven_scores(), IC, IW, K2_CW, aggregations=("arithmetic",), n_base=256,
        component_names={"K2": "Kualitas pengawasan"},
        region_names={"3673": "Kota Serang", "3604": "Kabupaten Serang"},
    )
    idx = res.indices.set_index(["region", "factor"])
    for region in ("3673", "3604"):
        st_ = idx.loc[region, "ST"]
        assert st_.idxmax() == "K2", st_
        assert st_["K2"] > 2 * st_.drop("K2").max()
    summary = res.summary
    assert summary.loc["3673", "top_factor"] == "K2"
    assert summary.loc["3673", "status"] == "varies"
    sentence = summary.loc["3673", "sentence"]
    assert sentence.startswith("Peringkat Kota Serang paling dipengaruhi oleh bobot K2 "
                               "(Kualitas pengawasan): indeks Sobol total 0,")
    assert "." not in sentence[:-1].split("total ")[1]  # decimal comma, not point
    # the region that is always last: no variance, NaN indices, plain sentence
    assert summary.loc["3601", "status"] == "constant"
    assert idx.loc["3601", ["S1", "ST", "S1_conf", "ST_conf"]].isna().all().all()
    assert "tidak terpengaruh bobot" in summary.loc["3601", "sentence"]
    assert res.factors == COMPONENTS
    assert res.n_evaluations == 256 * (6 + 2)
    assert list(res.indices.columns) == ["region", "factor", "kind", "S1", "S1_conf", "ST",
                                         "ST_conf"]


def test_sobol_aggregation_factor_and_reproducibility(scores):
    kw = dict(n_base=64, num_resamples=20, seed=9, perturb_indicator_weights=True)
    a = rank_sensitivity(scores, IC, IW, CW, **kw)
    b = rank_sensitivity(scores, IC, IW, CW, **kw)
    pd.testing.assert_frame_equal(a.indices, b.indices, check_exact=True)
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    assert a.factors == COMPONENTS + ("agregasi",) + INDICATORS
    assert set(a.indices["kind"]) == {"component_weight", "aggregation", "indicator_weight"}
    varies = a.summary["status"] == "varies"
    assert varies.sum() > len(scores) // 2
    assert a.summary.loc[varies, "top_component"].isin(COMPONENTS).all()
    assert a.summary["sentence"].str.len().gt(20).all()


def test_sobol_on_total_and_aggregation_only():
    # with zero weight perturbation, only the aggregation choice can move anything
    s = pd.DataFrame([{i: (100.0 if n % 2 else 40.0) for n, i in enumerate(INDICATORS)},
                      {i: 70.0 for i in INDICATORS}], index=["A", "B"])
    res = rank_sensitivity(s, IC, IW, CW, perturbation=0.0, output="total", n_base=32,
                           num_resamples=10)
    st_ = res.indices.set_index(["region", "factor"])["ST"]
    assert st_.loc[("A", "agregasi")] == pytest.approx(1.0, abs=0.05)
    assert res.summary.loc["B", "status"] == "constant"
    assert "Skor total B tidak terpengaruh" in res.summary.loc["B", "sentence"]


def test_sobol_rejects_bad_options(scores):
    with pytest.raises(ValueError):
        rank_sensitivity(scores, IC, IW, CW, n_base=100)
    with pytest.raises(ValueError):
        rank_sensitivity(scores, IC, IW, CW, output="score")


# --------------------------------------------------------------------------------------
# Year-over-year change (rank_change)
# --------------------------------------------------------------------------------------
def change(cur, prev, **kw) -> RankChangeResult:
    kw.setdefault("n_draws", 500)
    return rank_change(cur, prev, IC, IW, CW, **kw)


def test_change_identical_years_is_never_significant(scores):
    res = change(scores, scores.copy())
    t = res.table
    assert (t["p_naik"] == 0).all() and (t["p_turun"] == 0).all()
    assert (t["p_skor_naik"] == 0).all()
    assert (t["signifikan"] == "tidak pasti").all()
    assert (t["delta_total_median"] == 0).all()
    assert (t["nominal_rank"] == t["nominal_rank_previous"]).all()


def test_change_large_improvement_is_certain(scores):
    prev, cur = scores.copy(), scores.copy()
    prev.iloc[3] = 20.0  # last year: far below everyone on every indicator,
    cur.iloc[3] = 100.0  # this year: far above everyone
    res = change(cur, prev)
    t = res.table.loc[scores.index[3]]
    assert t["p_naik"] == 1.0 and t["p_turun"] == 0.0 and t["p_skor_naik"] == 1.0
    assert t["signifikan"] == "naik"
    assert t["delta_total_p05"] > 50
    # the others only lose one place when it overtakes them, never gain
    others = res.table.drop(scores.index[3])
    assert (others["p_naik"] == 0).all()


def test_change_same_seed_identical_and_inputs_not_mutated(scores):
    prev = scores.sample(frac=1.0, random_state=1)  # other row order
    prev = prev[list(reversed(prev.columns))] - 1.5  # other column order, a small drift
    prev = prev.clip(0, 100)
    before_c, before_p = scores.copy(), prev.copy()
    ic, iw, cw = copy.deepcopy(IC), copy.deepcopy(IW), copy.deepcopy(CW)
    a = rank_change(scores, prev, ic, iw, cw, n_draws=300, seed=5)
    b = rank_change(scores, prev, ic, iw, cw, n_draws=300, seed=5, chunk_size=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(scores, before_c)
    pd.testing.assert_frame_equal(prev, before_p)
    assert (ic, iw, cw) == (IC, IW, CW)
    assert list(a.table.index) == list(scores.index)  # current year's order


def test_change_uses_shared_draws_and_nominal_ranks(scores):
    # with no spread and one method every draw is the nominal case: p is 0 or 1
    prev = (scores + np.random.default_rng(3).normal(0, 3, scores.shape)).clip(0, 100)
    res = change(scores, prev, perturbation=0.0, aggregations=("arithmetic",))
    t = res.table
    better = (t["nominal_rank"] < t["nominal_rank_previous"]).astype(float)
    worse = (t["nominal_rank"] > t["nominal_rank_previous"]).astype(float)
    np.testing.assert_array_equal(t["p_naik"], better)
    np.testing.assert_array_equal(t["p_turun"], worse)
    assert set(t.loc[better == 1, "signifikan"]) <= {"naik"}
    ref_c = rank_uncertainty(scores, IC, IW, CW, n_draws=1).table
    np.testing.assert_allclose(t["nominal_total"], ref_c["nominal_total"])


def test_change_only_common_regions(scores):
    cur = scores.iloc[:30]
    prev = scores.iloc[5:].copy()
    res = change(cur, prev)
    assert list(res.table.index) == list(scores.index[5:30])
    assert res.excluded_current == tuple(scores.index[:5])
    assert res.excluded_previous == tuple(scores.index[30:])
    assert res.table["nominal_rank"].max() <= 25
    assert "25 wilayah yang dinilai pada kedua tahun" in res.describe()
    assert "5 wilayah hanya ada tahun ini" in res.describe()
    with pytest.raises(InputError):
        change(scores.iloc[:3], scores.iloc[3:])


def test_change_region_without_scores_and_bad_level(scores):
    prev = scores.copy()
    prev.iloc[0] = np.nan
    t = change(scores, prev).table
    assert t.iloc[0]["signifikan"] == "tanpa skor" and np.isnan(t.iloc[0]["p_naik"])
    assert t.iloc[1:]["p_naik"].notna().all()
    with pytest.raises(ValueError):
        change(scores, scores, level=0.5)
