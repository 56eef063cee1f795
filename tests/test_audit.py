"""The yearly statistical audit (antikorupsi.audit), its report blocks and its command.

Hand-worked examples for the correlation ratio and Cronbach's alpha, the JRC/COINr
outlier rule and winsorisation, the correlation flags, degenerate inputs (which must
neither crash nor warn: pytest turns warnings into errors), the uncertainty split on the
Banten sample, the notebook's shape, and the exit codes of ``antikorupsi audit``.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from antikorupsi import audit as A
from antikorupsi import report
from antikorupsi.cli import main
from antikorupsi.framework import load_framework
from antikorupsi.pipeline import score_and_write
from antikorupsi.scoring import STATUS, Assessment, aggregate_matrix, competition_rank

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"
NOTEBOOK = REPO / "notebooks" / "laporan_audit.ipynb"
FAST = A.AuditSettings(n_draws=400)  # small Monte Carlo for tests


# -- a scored year from a score matrix -----------------------------------------------------
def assessment(matrix: pd.DataFrame, *, missing: set[tuple[str, str]] = frozenset(),
               framework: str = "kak-2025") -> Assessment:
    """An Assessment whose indicator scores are ``matrix`` (regions x 19 indicators)."""
    fw = load_framework(framework)
    matrix = matrix[fw.indicator_codes].rename_axis(index="kode_wilayah",
                                                    columns="kode_indikator")
    comps, total = aggregate_matrix(matrix, fw)
    long = matrix.stack(future_stack=True).rename("skor").reset_index()
    long["status"] = [STATUS["empty"] if (r, i) in missing else STATUS["present"]
                      for r, i in zip(long["kode_wilayah"], long["kode_indikator"])]
    long["sintetis"] = True
    results = pd.DataFrame({"kode_wilayah": matrix.index,
                            "nama_wilayah": [f"Wilayah {c}" for c in matrix.index],
                            "skor_total": total.to_numpy(),
                            "peringkat": competition_rank(total).to_numpy()})
    results = results.sort_values(["peringkat", "kode_wilayah"]).reset_index(drop=True)
    return Assessment(2025, fw, results, long, comps, pd.DataFrame())


def random_matrix(n: int, seed: int = 1) -> pd.DataFrame:
    """Correlated scores: a region level plus noise, clipped to 0-100."""
    fw = load_framework("kak-2025")
    rng = np.random.default_rng(seed)
    level = rng.normal(70, 10, size=(n, 1))
    x = np.clip(level + rng.normal(0, 8, size=(n, len(fw.indicators))), 0, 100)
    return pd.DataFrame(x, index=[f"{1000 + i}" for i in range(n)],
                        columns=fw.indicator_codes)


# -- correlation ratio ---------------------------------------------------------------------
def test_correlation_ratio_hand_worked_two_valued_component():
    # E(Y|X=0) = 2, E(Y|X=1) = 6, E(Y) = 4: V[E(Y|X)] = 4, V(Y) = 5, S = 0.8
    r = A.correlation_ratio([0, 0, 1, 1], [1, 3, 5, 7])
    assert r.value == pytest.approx(0.8) and r.method == "linear" and r.n == 4


def test_correlation_ratio_linear_function_of_one_independent_of_the_other():
    rng = np.random.default_rng(7)
    x1, x2 = rng.uniform(0, 100, 500), rng.uniform(0, 100, 500)
    y = 3 * x1 + 5  # the total depends on x1 only
    s1 = A.correlation_ratio(x1, y)
    s2 = A.correlation_ratio(x2, y)
    assert s1.method == s2.method == "spline"
    assert s1.value == pytest.approx(1.0, abs=1e-6)
    assert s2.value < 0.03


def test_correlation_ratio_sees_what_a_correlation_misses():
    # Y = (X - 50)^2: Pearson r is ~0, but X explains all of Y
    x = np.linspace(0, 100, 201)
    y = (x - 50) ** 2
    assert abs(np.corrcoef(x, y)[0, 1]) < 1e-9
    s = A.correlation_ratio(x, y)
    assert s.method == "spline" and s.value > 0.99


def test_correlation_ratio_ties_and_few_regions():
    # ties are averaged (float noise too): still a proper share, never above 1
    x = np.repeat([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], 10) + np.tile([0, 1e-14], 30)
    y = x + np.random.default_rng(3).normal(0, 5, x.size)
    s = A.correlation_ratio(x, y)
    assert 0.8 < s.value <= 1.0 and s.method == "spline"
    # with 8 regions a straight line is used (a smoother would interpolate them)
    r = A.correlation_ratio(np.arange(8.0), np.arange(8.0) ** 2)
    assert r.method == "linear" and r.value == pytest.approx(
        np.corrcoef(np.arange(8.0), np.arange(8.0) ** 2)[0, 1] ** 2)


@pytest.mark.parametrize("x, y, why", [
    ([1, 2], [1, 2], "kurang dari 3 wilayah"),
    ([1, 2, 3, 4], [5, 5, 5, 5], "skor total sama"),
    ([7, 7, 7, 7], [1, 2, 3, 4], "skor komponen sama"),
    ([np.nan] * 4, [1, 2, 3, 4], "kurang dari 3 wilayah"),
])
def test_correlation_ratio_not_computable(x, y, why):
    r = A.correlation_ratio(x, y)
    assert math.isnan(r.value) and r.note.startswith(A.NOT_COMPUTABLE) and why in r.note


# -- Cronbach's alpha and PCA ----------------------------------------------------------------
def test_cronbach_alpha_hand_worked():
    # item variances 5/3, 4/3, 8/3 (sum 17/3); totals 4, 7, 10, 13 (variance 15)
    # alpha = 3/2 * (1 - (17/3)/15) = 14/15
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    alpha, note = A.cronbach_alpha(items)
    assert alpha == pytest.approx(14 / 15) and note == ""
    # listwise: a row with a missing item is left out
    with_gap = pd.concat([items, pd.DataFrame({"a": [9], "b": [np.nan], "c": [0]})])
    assert A.cronbach_alpha(with_gap)[0] == pytest.approx(14 / 15)


def test_cronbach_alpha_not_computable():
    assert "satu indikator" in A.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))[1]
    assert "kurang dari 3" in A.cronbach_alpha(pd.DataFrame({"a": [1, 2], "b": [2, 1]}))[1]
    flat = pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]})  # totals all 4
    alpha, note = A.cronbach_alpha(flat)
    assert math.isnan(alpha) and note.startswith(A.NOT_COMPUTABLE)


def test_first_component_share():
    assert A.first_component_share(pd.DataFrame({"a": [1, 2, 3], "b": [2, 4, 6]})) == \
        (1.0, 1, "")
    # uncorrelated items: two equal eigenvalues of 1, none above 1
    share, n_above, note = A.first_component_share(
        pd.DataFrame({"a": [1, -1, 1, -1], "b": [1, 1, -1, -1]}))
    assert share == pytest.approx(0.5) and n_above == 0 and note == ""
    share, _, note = A.first_component_share(pd.DataFrame({"a": [5, 5, 5], "b": [1, 2, 3]}))
    assert math.isnan(share) and "konstan pada a" in note


# -- skewness, kurtosis, the outlier rule, winsorisation --------------------------------
def e1071_type2(x):
    """Excel SKEW/KURT (e1071 type 2), written out as COINr does."""
    x = np.asarray(x, float)
    n, d = x.size, x - x.mean()
    skew = np.sqrt(n) * (d ** 3).sum() / (d ** 2).sum() ** 1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * (d ** 4).sum() / (d ** 2).sum() ** 2
    kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return skew, kurt


def test_skewness_and_excess_kurtosis_follow_coinr():
    x = list(range(1, 11)) + [30, 100]  # COINr's example
    s, k = A.skewness_kurtosis(x)
    assert (s, k) == pytest.approx(e1071_type2(x))
    assert s == pytest.approx(3.0632, abs=1e-4) and k == pytest.approx(9.7414, abs=1e-4)
    normalish = np.random.default_rng(0).normal(size=4000)
    assert abs(A.skewness_kurtosis(normalish)[1]) < 0.3  # excess: normal data near 0
    assert all(math.isnan(v) for v in A.skewness_kurtosis([5, 5, 5, 5]))
    assert math.isnan(A.skewness_kurtosis([1, 2, 4])[1])  # kurtosis needs 4 values


def test_jrc_outlier_rule_boundaries():
    assert A.needs_treatment(2.0, 3.5)       # COINr: fails when |skew| >= 2 and kurt >= 3.5
    assert A.needs_treatment(-2.4, 6.0)
    assert not A.needs_treatment(1.99, 10.0)
    assert not A.needs_treatment(3.0, 3.49)
    assert not A.needs_treatment(math.nan, 9.0)
    strict = A.AuditSettings(skew_threshold=3.5, kurtosis_threshold=12)
    assert not A.needs_treatment(3.06, 9.7, strict)


def test_winsorise_like_coinr():
    w = A.winsorise(list(range(1, 11)) + [30, 100])
    assert int(w.treated.sum()) == 1 and w.values[-1] == 30 and w.passes
    assert (w.skewness, w.kurtosis) == pytest.approx(e1071_type2(list(range(1, 11)) + [30, 30]))
    # a low outlier, NaN kept in place
    x = [np.nan] + [60.0 + i for i in range(20)] + [0.0]
    w = A.winsorise(x)
    assert np.isnan(w.values[0]) and w.values[-1] == 60.0 and w.treated.sum() == 1
    # four high outliers: four points treated; stopped at winsor_max = 2, it still fails
    heavy = list(range(1, 31)) + [200, 300, 400, 500]
    w = A.winsorise(heavy)
    assert int(w.treated.sum()) == 4 and w.passes and w.values.max() == 30
    w = A.winsorise(heavy, A.AuditSettings(winsor_max=2))
    assert int(w.treated.sum()) == 2 and not w.passes


# -- the audit on constructed data ----------------------------------------------------------
def test_audit_flags_redundant_negative_and_weak_indicators():
    m = random_matrix(60)
    m["I03"] = m["I02"]                    # redundant pair within K2
    m["I05"] = 100 - m["I04"]              # moves against its component K2
    rng = np.random.default_rng(5)
    m["I13"] = 70 + rng.uniform(-1, 1, len(m))  # small noise, unrelated to the rest of K4
    a = assessment(m)
    result = A.audit(a, FAST)
    f = result.correlation_flags
    red = f[f["kind"] == "redundan"]
    assert ((red["a"] == "I02") & (red["b"] == "I03") & red["same_component"]).any()
    assert red["pearson"].gt(FAST.redundant_correlation).all()
    assert ((f["kind"] == "negatif") & (f["a"] == "I05") & (f["b"] == "K2")).any()
    weak_or_neg = f[f["kind"].isin(["lemah", "negatif"])]
    assert "I13" in set(weak_or_neg["a"])
    assert not (f["a"].isin(["I01", "I19"]) & (f["kind"] != "redundan")).any()  # alone in K1/K6
    assert {fl.section for fl in result.flags} >= {"redundan", "korelasi"}
    text = " ".join(fl.text for fl in result.flags)
    assert "−" in text or "negatif" in text  # true minus sign, Indonesian wording
    # Pearson and Spearman both reported, from pandas (same as scipy.stats)
    from scipy import stats
    assert result.pearson.loc["I01", "K2"] == pytest.approx(
        stats.pearsonr(a.indicator_matrix()["I01"], a.components["K2"])[0])
    assert result.spearman.loc["I01", "K2"] == pytest.approx(
        stats.spearmanr(a.indicator_matrix()["I01"], a.components["K2"])[0])


def test_audit_outlier_winsorisation_and_rank_effect():
    m = random_matrix(40)
    m["I09"] = np.linspace(80, 95, len(m))
    m.iloc[:2, m.columns.get_loc("I09")] = [0.0, 5.0]  # two very low outliers
    result = A.audit(assessment(m), FAST)
    row = result.indicators.loc["I09"]
    assert row["outlier"] and row["skewness"] < -2 and row["kurtosis"] > 3.5
    assert row["winsor_points"] >= 1 and row["winsor_skewness"] > row["skewness"]
    assert row["rank_changed"] >= 1 and row["rank_max_shift"] >= 1
    assert result.winsorised_all["indicators"] == ["I09"]
    assert any(f.section == "pencilan" and f.subject == "I09" for f in result.flags)


def test_effective_importance_shows_a_weight_that_does_not_work():
    m = random_matrix(80)
    m["I19"] = 75.0  # K6 (weight 10%) constant: it cannot move anybody's total
    m.iloc[0, m.columns.get_loc("I19")] = 76.0
    imp = A.audit(assessment(m), FAST).importance
    assert imp["weight"].sum() == pytest.approx(1.0)
    assert imp["s_share"].sum() == pytest.approx(1.0)
    assert imp.loc["K6", "ratio"] < 0.3
    assert (imp["method"].drop("K6") == "spline").all()
    assert imp.loc["K6", "method"] == "linear"  # two distinct values: a line is exact


def test_missing_share_counts_regions_without_evidence():
    m = random_matrix(10)
    m.loc["1000", "I02"] = 0.0
    m.loc["1001", "I02"] = 0.0
    ind, _ = A.indicator_statistics(assessment(m, missing={("1000", "I02"), ("1001", "I02")}))
    assert ind.loc["I02", "missing_share"] == pytest.approx(0.2)
    assert ind.loc["I03", "missing_share"] == 0


def test_degenerate_inputs_say_not_computable_without_warnings():
    m = random_matrix(12)
    m["I07"] = 50.0          # constant indicator
    m["I12"] = np.nan        # no score at all (left out, weights renormalised)
    result = A.audit(assessment(m), FAST)
    ind = result.indicators
    assert ind.loc["I07", "note"].startswith(A.NOT_COMPUTABLE) and not ind.loc["I07", "outlier"]
    assert math.isnan(ind.loc["I07", "skewness"])
    assert "tidak ada skor" in ind.loc["I12", "note"] and ind.loc["I12", "n"] == 0
    rel = result.reliability
    assert rel.loc["K1", "note"].endswith("hanya satu indikator")
    assert "kurang dari 3" in rel.loc["K4", "note"]  # I12 missing everywhere: no complete row
    assert math.isnan(result.pearson.loc["I07", "K3"])
    # fewer than three regions: nothing computed, said once
    tiny = A.audit(assessment(random_matrix(2)), FAST)
    assert tiny.note.startswith(A.NOT_COMPUTABLE) and tiny.uncertainty is None
    assert tiny.indicators.empty and tiny.flags == ()


# -- uncertainty split -----------------------------------------------------------------------
def test_split_headline_says_which_source_dominates():
    m = random_matrix(30)
    split = A.uncertainty_split(assessment(m), FAST)
    t = split.table
    assert len(t) == 30 and (t["width_both"] >= 0).all()
    assert set(t["dominant"]) <= {"metode", "bobot", "seimbang", "stabil"}
    ww, wm = t["width_weights"].sum(), t["width_method"].sum()
    assert split.share_method == pytest.approx(wm / (ww + wm))
    if split.share_method > 0.5:
        assert split.headline.startswith("Sebagian besar ketidakpastian peringkat berasal "
                                         "dari pilihan metode agregasi")
    else:
        assert "dari bobot komponen" in split.headline or "sama besar" in split.headline
    # every indicator of a region equal: neither weights nor method can move a rank
    flat = pd.DataFrame(np.repeat(np.linspace(40, 90, 6)[:, None], 19, axis=1),
                        index=[str(i) for i in range(6)], columns=m.columns)
    still = A.uncertainty_split(assessment(flat), FAST)
    assert math.isnan(still.share_method) and (still.table["dominant"] == "stabil").all()
    assert still.headline.startswith("Peringkat tidak bergantung")


def test_framework_aggregation_is_read_in_one_place():
    fw = load_framework("kak-2025")
    assert A.framework_aggregation(fw) == fw.aggregation
    split = SimpleNamespace(id="x", aggregation={"within": "geometric", "between": "arithmetic"})
    assert A.framework_aggregation(split) == "arithmetic"
    assert A._level_methods(split) == ("geometric", "arithmetic")
    attrs = SimpleNamespace(id="y", aggregation="arithmetic", aggregation_within="geometric")
    assert A._level_methods(attrs) == ("geometric", "arithmetic")
    with pytest.raises(TypeError):
        A.framework_aggregation(SimpleNamespace(id="z", aggregation=None))


# -- on the Banten sample ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("olahan")
    for year in (2024, 2025):
        score_and_write(year, SAMPLE_RAW, root)
    return root


def test_sample_audit_both_run_is_the_published_interval(processed):
    from antikorupsi import audit_report

    data = audit_report.load(processed, 2025)
    view = audit_report.run(data)
    r = view.result
    assert r.n_regions == 8 and r.synthetic and not r.note
    assert set(r.timings) >= {"statistik_indikator", "pemisahan_ketidakpastian"}
    published = data.uncertainty.table  # what the annual report prints
    t = r.uncertainty.table
    assert (t["rank_p05_both"] == published["rank_p05"].reindex(t.index)).all()
    assert (t["rank_p95_both"] == published["rank_p95"].reindex(t.index)).all()
    # every block renders, in Indonesian number format, without a decimal point
    for block in (audit_report.header, audit_report.findings,
                  audit_report.indicator_statistics, audit_report.correlations,
                  audit_report.reliability, audit_report.importance,
                  audit_report.uncertainty, audit_report.notes):
        text = re.sub(r"<svg.*?</svg>|<style>.*?</style>", "", block(view).data, flags=re.S)
        assert not re.search(r"\bnan\b|\bNone\b", text, flags=re.I), block.__name__
        assert not re.search(r"\d\.\d\d(?!\d)", text.replace("2025.1", "")), block.__name__
    head = audit_report.header(view).data
    assert report.SYNTHETIC_BANNER in head and "Audit Statistik 2025" in head
    report.clear_cache()


def test_audit_notebook_is_thin():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1 and code[0] is params[0]
    tree = ast.parse("".join(params[0]["source"]))
    values = {s.targets[0].id: s.value.value for s in tree.body
              if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)}
    assert len(values) == len(tree.body)  # plain values only
    assert values == {"year": 2025, "processed_dir": "data/processed"}
    for cell in code[1:]:
        calls = [n for n in ast.walk(ast.parse("".join(cell["source"])))
                 if isinstance(n, ast.Call)]
        assert 1 <= len(calls) <= 2, "".join(cell["source"])
    assert not [c for c in nb["cells"] if c["cell_type"] == "markdown"]


# -- the command --------------------------------------------------------------------------------
def test_cli_audit_exit_codes(processed, tmp_path, capsys):
    out = tmp_path / "laporan"
    assert main(["audit", "--year", "2023", "--processed", str(processed),
                 "--out", str(out)]) == 2
    assert "jalankan dulu antikorupsi score --year 2023" in capsys.readouterr().err
    assert main(["audit", "--year", "2025", "--processed", str(processed),
                 "--framework", "kak-2025"]) == 2
    assert "hanya berlaku bersama --data" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["audit", "--year", "2025", "--format", "docx"])
    assert exc.value.code == 2
    capsys.readouterr()
    assert main(["audit", "--year", "2025", "--processed", str(processed), "--out", str(out),
                 "--no-report"]) == 0
    printed = capsys.readouterr().out
    assert "Audit statistik 2025: 8 wilayah" in printed and "DATA SINTETIS" in printed
    assert "Ketidakpastian peringkat:" in printed and "Hanya 8 wilayah" in printed
    assert not out.exists()


@pytest.mark.slow
def test_cli_audit_writes_the_report(processed, tmp_path, capsys):
    out = tmp_path / "laporan"
    assert main(["audit", "--year", "2024", "--processed", str(processed), "--out", str(out),
                 "--format", "html"]) == 0
    printed = capsys.readouterr().out
    html = (out / "2024" / "audit_2024.html").read_text(encoding="utf-8")
    assert "Audit Statistik 2024" in html and "DATA SINTETIS" in html
    assert "audit_2024.html" in printed
    manifest = json.loads((out / "2024" / "manifest.json").read_text(encoding="utf-8"))
    assert [e["jenis"] for e in manifest["laporan"]] == ["audit"]
    report.clear_cache()


def test_docstring_examples_hold():
    import doctest

    result = doctest.testmod(A, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8 and result.failed == 0
