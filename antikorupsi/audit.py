"""The yearly statistical audit of a scored year (JRC practice, beyond COINr).

Pure functions over a scored :class:`~antikorupsi.scoring.Assessment`; nothing here
reads or writes files. :func:`audit` runs every part and returns an :class:`Audit`;
each part is also a function of its own:

- :func:`indicator_statistics`: per indicator the missing share, mean, sd, min, max,
  skewness and kurtosis, the JRC/COINr outlier rule, and what winsorisation would
  change (points treated, new skewness and kurtosis, regions whose rank moves).
- :func:`correlation_matrix` and :func:`correlation_flags`: indicator, component and
  total correlations (Pearson and Spearman); negative or weak correlation of an
  indicator with its own component; redundant pairs.
- :func:`component_reliability`: Cronbach's alpha and the share of variance of the
  first principal component, per component.
- :func:`effective_importance`: the correlation ratio (first-order sensitivity index)
  of the total with respect to each component, beside the nominal weight.
- :func:`uncertainty_split`: how much of each region's rank interval comes from the
  weights and how much from the aggregation method.

Conventions and where they come from
------------------------------------
Skewness and kurtosis
    The *sample* (bias-corrected) skewness G1 and *excess* kurtosis G2: normal data
    give 0 for both. These are Excel's ``SKEW``/``KURT`` and ``e1071::skewness`` /
    ``kurtosis`` with ``type = 2``, the definitions COINr uses (``skew()``/``kurt()``
    in ``R/treat.R`` of bluefoxr/COINr); computed with ``scipy.stats.skew(x,
    bias=False)`` and ``scipy.stats.kurtosis(x, fisher=True, bias=False)``. Skewness
    needs 3 values, kurtosis 4.
Outlier rule
    An indicator needs treatment when ``|skewness| >= 2`` *and* ``kurtosis >= 3.5``
    (COINr ``check_SkewKurt``: it passes when ``|skew| < 2`` or ``kurt < 3.5``; the JRC
    rule of thumb). The 3.5 applies to the *excess* kurtosis above.
Winsorisation
    COINr's ``winsorise()``: while the rule fails and fewer than ``winsor_max`` (5)
    points were treated, the highest value(s) (skewness >= 0) or the lowest (skewness
    < 0) are set to the next value. Tied extremes move together, so one step may treat
    several points and the total may pass 5, as in COINr; unlike COINr we count every
    point treated over all steps (COINr counts the last step only). The audit only
    reports what winsorisation *would* do: the official scores are never treated.
Correlation thresholds
    Weak: ``r <= 0.3`` and negative: ``r < 0``, of an indicator with its own component
    (0.3 is COINr's "weak" band in ``plot_corr``); redundant: ``r > 0.92`` for a pair
    of indicators or components (the value issue 9 asks for; COINr's
    ``get_corr_flags`` defaults to 0.9). Flags use Pearson unless ``flag_method``
    says otherwise; both coefficients are always shown. Correlations use pairwise
    complete observations (pandas ``DataFrame.corr``, the same coefficients as
    ``scipy.stats.pearsonr``/``spearmanr``, without their warnings on constant input).
Cronbach's alpha and PCA
    Alpha in its covariance form on the indicator scores of a component, regions with
    every indicator present (listwise); ``alpha >= 0.7`` is the customary bar
    (Nunnally 1978, as in the OECD/JRC Handbook 2008). PCA on standardised indicators:
    the eigenvalues of their correlation matrix (``numpy.linalg.eigvalsh``); the share
    of the first is reported with the number of eigenvalues above 1 (Kaiser).
Correlation ratio
    ``S_i = V[E(Y | X_i)] / V(Y)``, Y the total and X_i a component score (Paruolo,
    Saisana and Saltelli 2013, "Ratings and rankings: voodoo or science?", JRSS A 176).
    ``E(Y | X_i)`` is estimated by a penalised cubic smoothing spline whose penalty is
    chosen by generalised cross-validation (``scipy.interpolate.make_smoothing_spline``;
    the paper uses local linear and penalised spline regression). Tied X values are
    averaged and weighted by their count (the same fit). With fewer than
    ``small_sample`` (30) regions, or fewer than 5 distinct X values, a straight line is
    used instead (then ``S_i = r^2``, exact when X takes two values): with the 8
    regions of a province GCV interpolates the points and every S_i would be near 1.
    Shown normalised (``S_i / sum S_j``) beside the normalised nominal weight; a ratio
    outside ``[1/1.5, 1.5]`` is flagged (our choice, ``importance_ratio``).
Uncertainty split
    :func:`antikorupsi.uncertainty.rank_uncertainty` run three times with the same seed:
    weights only (component weights +-25%, the framework's own method), method only
    (nominal weights, arithmetic or geometric drawn per draw) and both (what the annual
    report publishes). A region's share from the method is ``W_method / (W_weights +
    W_method)``, W the width of its 5-95% rank interval; overall, the same with the
    widths summed over regions.
Degenerate input
    Fewer than ``min_regions`` (3) regions, a constant or all-missing indicator, a
    component with one indicator: the value is NaN and the note says "tidak dapat
    dihitung" and why. Nothing here warns or raises on such data.

Library choices (measured on the 2-core machine, Python 3.11): scipy is already
installed through SALib (0 MB added; ``scipy.stats`` + ``scipy.interpolate`` import in
~0.6 s). pingouin (which has ``cronbach_alpha``) would add 15 packages and 151 MB
(scikit-learn, statsmodels, seaborn, xarray...) and ~0.5 s of import for a formula of
three lines, so alpha is written out here and checked against a hand-worked example
(pingouin 0.7.0 gives the same 0.9333 on it). statsmodels (its ``lowess`` is the local
linear smoother of the paper) would add 6 packages and 75 MB (~0.26 s import of
``statsmodels.api``); scipy's smoothing spline with GCV is the paper's other estimator
and needs nothing new. PCA is one ``eigvalsh`` call (no scikit-learn).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .aggregate import METHODS
from .fmt import agregasi, angka, persen
from .scoring import STATUS, Assessment, aggregate_matrix, competition_rank

__all__ = [
    "AuditSettings",
    "Audit",
    "Flag",
    "UncertaintySplit",
    "CorrelationRatio",
    "audit",
    "indicator_statistics",
    "winsorise",
    "skewness_kurtosis",
    "needs_treatment",
    "correlation_matrix",
    "correlation_flags",
    "cronbach_alpha",
    "first_component_share",
    "component_reliability",
    "correlation_ratio",
    "effective_importance",
    "uncertainty_split",
    "framework_aggregation",
    "number",
    "TOTAL",
    "NOT_COMPUTABLE",
    "SECTIONS",
]

#: Column name of the total score in the correlation matrix.
TOTAL = "skor_total"
#: The words every "cannot be computed" note starts with.
NOT_COMPUTABLE = "tidak dapat dihitung"
#: The sections of the findings (``Flag.section``) and their titles, in report order.
SECTIONS = {
    "pencilan": "Pencilan (aturan JRC)",
    "korelasi": "Korelasi lemah atau negatif dengan komponennya",
    "redundan": "Pasangan yang hampir redundan",
    "konsistensi": "Konsistensi internal komponen",
    "pengaruh": "Pengaruh efektif berbeda dari bobot",
    "ketidakpastian": "Sumber ketidakpastian peringkat",
}


@dataclass(frozen=True)
class AuditSettings:
    """Thresholds and Monte Carlo settings of the audit (see the module docstring)."""

    skew_threshold: float = 2.0          # COINr check_SkewKurt, JRC rule of thumb
    kurtosis_threshold: float = 3.5      # on the excess kurtosis (Excel KURT)
    winsor_max: int = 5                  # COINr winsorise(winmax = 5)
    weak_correlation: float = 0.3        # COINr plot_corr: "weak" at or below 0.3
    redundant_correlation: float = 0.92  # issue 9 (COINr get_corr_flags default: 0.9)
    flag_method: str = "pearson"         # coefficient the correlation flags use
    alpha_threshold: float = 0.7         # Nunnally (1978); OECD/JRC Handbook (2008)
    importance_ratio: float = 1.5        # our choice: normalised S_i vs weight
    min_regions: int = 3                 # below this nothing is computed
    small_sample: int = 30               # below: S_i by a straight line; report warns
    n_draws: int = 10_000                # as the annual report's rank intervals
    perturbation: float = 0.25           # component weights +-25%, as there
    seed: int = 20241209                 # as there

    def __post_init__(self) -> None:
        if self.flag_method not in ("pearson", "spearman"):
            raise ValueError(f"flag_method must be 'pearson' or 'spearman', "
                             f"got {self.flag_method!r}")
        if self.min_regions < 3:
            raise ValueError("min_regions must be at least 3")
        if self.importance_ratio <= 1:
            raise ValueError("importance_ratio must be > 1")


@dataclass(frozen=True)
class Flag:
    """One finding: which part of the audit, about what, and a sentence in Indonesian."""

    section: str   # "pencilan", "korelasi", "redundan", "konsistensi", "pengaruh",
    #                "ketidakpastian"
    subject: str   # indicator, component or pair codes, e.g. "I05" or "I02 & I03"
    text: str


@dataclass(frozen=True)
class CorrelationRatio:
    """``S = V[E(Y|X)] / V(Y)``, how it was estimated, and a note when not computable."""

    value: float
    method: str    # "spline", "linear" or "" (not computed)
    n: int
    note: str = ""


@dataclass(frozen=True)
class UncertaintySplit:
    """Rank intervals under weights only, method only and both, per region and overall.

    ``table`` (index: region codes, rank order) has ``nama_wilayah``, ``nominal_rank``,
    ``rank_p05_*``/``rank_p95_*`` and ``width_*`` for ``weights``, ``method`` and
    ``both``, ``share_method`` (NaN when neither moves the rank) and ``dominant``
    (``"metode"``, ``"bobot"``, ``"seimbang"`` or ``"stabil"``).
    """

    table: pd.DataFrame
    n_draws: int
    perturbation: float
    seed: int
    aggregations: tuple[str, ...]
    nominal_aggregation: str
    share_method: float          # overall, from the widths summed over regions
    mean_width_weights: float
    mean_width_method: float
    mean_width_both: float
    n_method_dominant: int
    n_weights_dominant: int
    headline: str                # which source dominates, one sentence
    sentence: str                # the headline and the figures behind it
    note: str = ""


@dataclass(frozen=True)
class Audit:
    """Everything the audit found for one scored year."""

    year: int
    framework_id: str
    framework_version: str
    n_regions: int
    synthetic: bool
    settings: AuditSettings
    indicators: pd.DataFrame       # indicator_statistics
    pearson: pd.DataFrame          # correlation_matrix(method="pearson")
    spearman: pd.DataFrame         # correlation_matrix(method="spearman")
    correlation_flags: pd.DataFrame
    reliability: pd.DataFrame      # component_reliability
    importance: pd.DataFrame       # effective_importance
    uncertainty: UncertaintySplit | None
    winsorised_all: dict           # rank effect of treating every flagged indicator
    flags: tuple[Flag, ...]
    note: str = ""                 # why nothing could be computed, if so
    timings: dict = field(default_factory=dict, compare=False)


def number(x, decimals: int = 2) -> str:
    """``-0.71`` -> ``'−0,71'``: :func:`antikorupsi.fmt.angka` (decimal comma, true minus
    sign, the project's one rounding rule); ``'–'`` if missing."""
    return angka(x, decimals)


# --------------------------------------------------------------------------------------
# Framework access (one place; issue 9 may split the aggregation by level)
# --------------------------------------------------------------------------------------
def _level_methods(fw) -> tuple[str, str]:
    """(within components, between components) aggregation methods of a framework.

    Today ``Framework.aggregation`` is one method name used at both levels. A framework
    that states the two levels separately is read from ``aggregation_within`` /
    ``aggregation_between`` attributes, or from an ``aggregation`` value with
    ``within``/``between`` fields or keys.
    """
    agg = getattr(fw, "aggregation", None)
    if isinstance(agg, str):
        within = getattr(fw, "aggregation_within", None) or agg
        between = getattr(fw, "aggregation_between", None) or agg
        return str(within), str(between)

    def part(name: str):
        if isinstance(agg, Mapping):
            return agg.get(name)
        return getattr(agg, name, None)

    within, between = part("within"), part("between")
    if isinstance(within, str) and isinstance(between, str):
        return within, between
    raise TypeError(f"cannot read the aggregation method of framework {fw.id!r}: {agg!r}")


def framework_aggregation(fw) -> str:
    """The framework's aggregation method as the Monte Carlo needs it: one name.

    The method between components (for frameworks that state the two levels apart);
    :func:`uncertainty_split` itself passes the framework's per-level reading, which
    the Monte Carlo takes as it is.
    """
    return _level_methods(fw)[1]


# --------------------------------------------------------------------------------------
# Indicator statistics, outlier rule, winsorisation
# --------------------------------------------------------------------------------------
def skewness_kurtosis(values) -> tuple[float, float]:
    """Sample skewness G1 and excess kurtosis G2 (Excel SKEW/KURT, COINr ``skew``/``kurt``).

    NaN values are dropped. Skewness needs 3 values and kurtosis 4, and neither is
    defined for constant data (NaN then, never a warning).

    Examples
    --------
    COINr's own example, ``x <- c(1:10, 30, 100)``:

    >>> s, k = skewness_kurtosis(list(range(1, 11)) + [30, 100])
    >>> round(s, 3), round(k, 3)
    (3.063, 9.741)
    """
    from scipy import stats

    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 3 or np.ptp(x) == 0:
        return math.nan, math.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = float(stats.skew(x, bias=False))
        k = float(stats.kurtosis(x, fisher=True, bias=False)) if x.size >= 4 else math.nan
    if caught:  # precision loss: values nearly identical
        return math.nan, math.nan
    return s, k


def needs_treatment(skewness: float, kurtosis: float,
                    settings: AuditSettings = AuditSettings()) -> bool:
    """The JRC/COINr outlier rule: ``|skewness| >= 2`` and excess ``kurtosis >= 3.5``.

    False when either is NaN (not computable).
    """
    if math.isnan(skewness) or math.isnan(kurtosis):
        return False
    return abs(skewness) >= settings.skew_threshold and kurtosis >= settings.kurtosis_threshold


@dataclass(frozen=True)
class Winsorised:
    values: np.ndarray    # same shape as the input, NaN kept
    treated: np.ndarray   # bool, the points changed
    skewness: float
    kurtosis: float
    passes: bool          # the rule no longer fails


def winsorise(values, settings: AuditSettings = AuditSettings()) -> Winsorised:
    """COINr's winsorisation of one indicator (see the module docstring).

    Examples
    --------
    COINr's example, two high outliers (skewness 3,06, kurtosis 9,74): moving 100 to
    the next value, 30, is enough (skewness 1,71, kurtosis 1,82).

    >>> w = winsorise(list(range(1, 11)) + [30, 100])
    >>> int(w.treated.sum()), w.values[-2:].tolist(), w.passes
    (1, [30.0, 30.0], True)
    """
    x = np.array(values, dtype=float)
    treated = np.zeros(x.shape, dtype=bool)
    present = ~np.isnan(x)
    s, k = skewness_kurtosis(x)
    while (needs_treatment(s, k, settings) and treated.sum() < settings.winsor_max):
        v = x[present]
        end = v.max() if s >= 0 else v.min()
        at = present & (x == end)
        rest = x[present & ~at]
        if rest.size == 0:
            break
        x[at] = rest.max() if s >= 0 else rest.min()
        treated |= at
        s, k = skewness_kurtosis(x)
    return Winsorised(x, treated, s, k, not needs_treatment(s, k, settings))


def _rank_effect(matrix: pd.DataFrame, changed: pd.DataFrame, fw) -> tuple[int, int]:
    """Regions whose rank moves, and the largest move, when ``matrix`` becomes ``changed``.

    Both are scored with the framework's own aggregation (``aggregate_matrix``).
    """
    _, before = aggregate_matrix(matrix, fw)
    _, after = aggregate_matrix(changed, fw)
    ok = before.notna() & after.notna()
    # ranked as the official ranks are: on the total at the framework's precision
    r0 = competition_rank(fw.round_total(before[ok]))
    r1 = competition_rank(fw.round_total(after[ok]))
    moved = (r0 != r1)
    return int(moved.sum()), int((r0 - r1).abs().max()) if len(r0) else 0


def indicator_statistics(a: Assessment, settings: AuditSettings = AuditSettings()
                         ) -> tuple[pd.DataFrame, dict]:
    """Per indicator: missing share, moments, the outlier rule and winsorisation.

    Statistics are of the scores that enter the aggregation (after the framework's
    missing-data policy: with ``zero`` a missing indicator counts as 0). The missing
    share counts regions whose indicator had no evidence (status not "ada").

    Returns
    -------
    (pandas.DataFrame, dict)
        The table (index: indicator codes, framework order) with ``component``, ``n``,
        ``missing_share``, ``mean``, ``sd``, ``min``, ``max``, ``skewness``,
        ``kurtosis``, ``outlier`` (bool), ``winsor_points``, ``winsor_skewness``,
        ``winsor_kurtosis``, ``winsor_passes`` (bool or None), ``rank_changed``,
        ``rank_max_shift``, ``note``; and the rank effect of winsorising every flagged
        indicator at once (``{"indicators": [...], "rank_changed": n,
        "rank_max_shift": n}``).
    """
    fw = a.framework
    m = a.indicator_matrix()
    status = a.indicators.pivot(index="kode_wilayah", columns="kode_indikator",
                                values="status").reindex(index=m.index, columns=m.columns)
    n_regions = len(m)
    rows = []
    treated_all = m.copy()
    flagged: list[str] = []
    for code in m.columns:
        x = m[code].to_numpy(float)
        ok = ~np.isnan(x)
        n = int(ok.sum())
        missing = float((status[code] != STATUS["present"]).mean()) if n_regions else math.nan
        row = {"component": fw.indicator(code).component, "n": n, "missing_share": missing,
               "mean": math.nan, "sd": math.nan, "min": math.nan, "max": math.nan,
               "skewness": math.nan, "kurtosis": math.nan, "outlier": False,
               "winsor_points": 0, "winsor_skewness": math.nan, "winsor_kurtosis": math.nan,
               "winsor_passes": None, "rank_changed": 0, "rank_max_shift": 0, "note": ""}
        if n == 0:
            row["note"] = f"{NOT_COMPUTABLE}: tidak ada skor sama sekali"
            rows.append(row)
            continue
        v = x[ok]
        row.update(mean=float(v.mean()), min=float(v.min()), max=float(v.max()),
                   sd=float(v.std(ddof=1)) if n > 1 else math.nan)
        if n < settings.min_regions:
            row["note"] = f"{NOT_COMPUTABLE}: hanya {n} wilayah bernilai"
        elif np.ptp(v) == 0:
            row["note"] = f"{NOT_COMPUTABLE}: skor sama untuk semua wilayah ({angka(v[0])})"
        else:
            s, k = skewness_kurtosis(v)
            row.update(skewness=s, kurtosis=k)
            if math.isnan(k):
                row["note"] = f"{NOT_COMPUTABLE}: kurtosis perlu minimal 4 wilayah"
            elif needs_treatment(s, k, settings):
                w = winsorise(x, settings)
                changed = m.copy()
                changed[code] = w.values
                moved, shift = _rank_effect(m, changed, fw)
                if np.ptp(w.values[ok]) == 0:
                    row["note"] = "setelah winsorisasi semua skor sama"
                row.update(outlier=True, winsor_points=int(w.treated.sum()),
                           winsor_skewness=w.skewness, winsor_kurtosis=w.kurtosis,
                           winsor_passes=bool(w.passes), rank_changed=moved,
                           rank_max_shift=shift)
                treated_all[code] = w.values
                flagged.append(code)
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index(list(m.columns), name="kode_indikator"))
    overall = {"indicators": flagged, "rank_changed": 0, "rank_max_shift": 0}
    if flagged:
        moved, shift = _rank_effect(m, treated_all, fw)
        overall.update(rank_changed=moved, rank_max_shift=shift)
    return table, overall


# --------------------------------------------------------------------------------------
# Correlations
# --------------------------------------------------------------------------------------
def _scores(a: Assessment) -> pd.DataFrame:
    """Indicators, components and the total side by side (regions with a total)."""
    m = a.indicator_matrix()
    total = a.results.set_index("kode_wilayah")["skor_total"].reindex(m.index)
    frame = pd.concat([m, a.components.reindex(m.index)[a.framework.component_codes],
                       total.rename(TOTAL)], axis=1)
    return frame[frame[TOTAL].notna()]


def correlation_matrix(a: Assessment, method: str = "pearson",
                       settings: AuditSettings = AuditSettings()) -> pd.DataFrame:
    """Correlations between all indicators, components and the total.

    Rows and columns: indicator codes, component codes, then ``skor_total``. Pairwise
    complete observations; NaN where a column is constant or fewer than
    ``min_regions`` pairs exist.
    """
    return _scores(a).corr(method=method, min_periods=settings.min_regions)


def correlation_flags(a: Assessment, pearson: pd.DataFrame, spearman: pd.DataFrame,
                      settings: AuditSettings = AuditSettings()) -> pd.DataFrame:
    """Negative or weak indicator-component correlations and redundant pairs.

    Returns one row per flag: ``kind`` (``"negatif"``, ``"lemah"``, ``"redundan"``),
    ``a``, ``b``, ``pearson``, ``spearman``, ``same_component`` and ``text``
    (Indonesian). An indicator alone in its component is not checked against it (the
    correlation is 1 by construction).
    """
    fw = a.framework
    r = pearson if settings.flag_method == "pearson" else spearman
    name = "Pearson" if settings.flag_method == "pearson" else "Spearman"
    comp_of = {i.code: i.component for i in fw.indicators}
    sizes = pd.Series(comp_of).value_counts()
    rows = []
    weak = angka(settings.weak_correlation, 2)
    for code, comp in comp_of.items():
        if sizes[comp] < 2 or code not in r.index:
            continue
        v = r.loc[code, comp]
        if pd.isna(v):
            continue
        if v < 0:
            kind, what = "negatif", "negatif"
        elif v <= settings.weak_correlation:
            kind, what = "lemah", f"lemah (≤ {weak})"
        else:
            continue
        rows.append({"kind": kind, "a": code, "b": comp, "pearson": pearson.loc[code, comp],
                     "spearman": spearman.loc[code, comp], "same_component": True,
                     "text": f"Korelasi {code} dengan komponennya {comp} {what}: "
                             f"{name} {number(v)}. Indikator ini tidak bergerak bersama "
                             "indikator lain dalam komponennya."})
    codes = fw.indicator_codes
    thr = angka(settings.redundant_correlation, 2)
    for group, label in ((codes, "indikator"), (fw.component_codes, "komponen")):
        for i, x in enumerate(group):
            for y in group[i + 1:]:
                if x not in r.index or y not in r.index:
                    continue
                v = r.loc[x, y]
                if pd.isna(v) or v <= settings.redundant_correlation:
                    continue
                same = label == "komponen" or comp_of[x] == comp_of[y]
                where = ("" if label == "komponen" else
                         f" (sama-sama di {comp_of[x]})" if same else
                         f" ({comp_of[x]} dan {comp_of[y]})")
                rows.append({"kind": "redundan", "a": x, "b": y, "pearson": pearson.loc[x, y],
                             "spearman": spearman.loc[x, y], "same_component": same,
                             "text": f"Pasangan {label} {x} dan {y}{where} hampir "
                                     f"redundan: {name} {number(v)} > {thr}. Keduanya "
                                     "mungkin mengukur hal yang sama (terhitung ganda)."})
    return pd.DataFrame(rows, columns=["kind", "a", "b", "pearson", "spearman",
                                       "same_component", "text"])


# --------------------------------------------------------------------------------------
# Cronbach's alpha and PCA per component
# --------------------------------------------------------------------------------------
def cronbach_alpha(items: pd.DataFrame) -> tuple[float, str]:
    """Cronbach's alpha of the columns of ``items`` (regions x indicators).

    ``alpha = k / (k - 1) * (1 - sum(var_i) / var(sum_i))`` with sample variances
    (ddof 1), on the rows where every item is present (listwise). Returns ``(alpha,
    note)``; alpha is NaN and the note says why when it cannot be computed (fewer than
    2 items or 3 complete rows, or a total without variance).

    Examples
    --------
    Three items a = (1, 2, 3, 4), b = (2, 2, 4, 4), c = (1, 3, 3, 5) over four regions.
    Item variances 5/3, 4/3 and 8/3 (sum 17/3); row totals 4, 7, 10, 13 with variance
    15; alpha = 3/2 * (1 - (17/3) / 15) = 3/2 * 28/45 = 14/15 = 0.9333...

    >>> alpha, note = cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4],
    ...                                            "c": [1, 3, 3, 5]}))
    >>> round(alpha, 4), note
    (0.9333, '')
    """
    k = items.shape[1]
    if k < 2:
        return math.nan, f"{NOT_COMPUTABLE}: hanya satu indikator"
    x = items.dropna().to_numpy(float)
    if x.shape[0] < 3:
        return math.nan, f"{NOT_COMPUTABLE}: kurang dari 3 wilayah berskor lengkap"
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return math.nan, f"{NOT_COMPUTABLE}: jumlah skor sama untuk semua wilayah"
    return float(k / (k - 1) * (1 - item_var / total_var)), ""


def first_component_share(items: pd.DataFrame) -> tuple[float, int, str]:
    """Share of variance of the first principal component of the standardised items.

    Returns ``(share, eigenvalues above 1, note)``: the largest eigenvalue of the
    correlation matrix over the number of items (listwise complete rows).

    Examples
    --------
    Two perfectly correlated items: one component carries everything.

    >>> first_component_share(pd.DataFrame({"a": [1, 2, 3], "b": [2, 4, 6]}))
    (1.0, 1, '')
    """
    k = items.shape[1]
    if k < 2:
        return math.nan, 0, f"{NOT_COMPUTABLE}: hanya satu indikator"
    x = items.dropna().to_numpy(float)
    if x.shape[0] < 3:
        return math.nan, 0, f"{NOT_COMPUTABLE}: kurang dari 3 wilayah berskor lengkap"
    constant = [c for c, sd in zip(items.columns, x.std(axis=0)) if sd == 0]
    if constant:
        return (math.nan, 0, f"{NOT_COMPUTABLE}: skor konstan pada "
                + ", ".join(map(str, constant)))
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    corr = z.T @ z / (x.shape[0] - 1)
    eig = np.linalg.eigvalsh(corr)
    return round(float(eig[-1] / k), 12), int((eig > 1 + 1e-12).sum()), ""


def component_reliability(a: Assessment, settings: AuditSettings = AuditSettings()
                          ) -> pd.DataFrame:
    """Per component: number of indicators, complete regions, alpha, PC1 share, note."""
    fw = a.framework
    m = a.indicator_matrix()
    rows = []
    for c in fw.components:
        codes = [i.code for i in fw.indicators if i.component == c.code]
        items = m[codes]
        alpha, note_a = cronbach_alpha(items)
        share, n_eig, note_p = first_component_share(items)
        note = note_a or note_p
        rows.append({"component": c.code, "n_indicators": len(codes),
                     "n_complete": int(items.notna().all(axis=1).sum()),
                     "alpha": alpha, "pc1_share": share, "n_eigen_above_1": n_eig,
                     "note": note})
    return pd.DataFrame(rows).set_index("component")


# --------------------------------------------------------------------------------------
# Effective importance: the correlation ratio
# --------------------------------------------------------------------------------------
def correlation_ratio(x, y, min_n: int = 3, spline_min: int = 30) -> CorrelationRatio:
    """First-order sensitivity index ``S = V[E(Y|X)] / V(Y)`` estimated from data.

    ``E(Y|X)`` is a cubic smoothing spline with the penalty chosen by generalised
    cross-validation (X rounded to 9 decimals, tied X averaged and weighted by their
    count). A least-squares line is used instead (then ``S = r^2``) with fewer than
    ``spline_min`` regions (a smoother follows the noise of so few points: with 8
    regions GCV interpolates and S becomes 1), fewer than 5 distinct X values, or when
    the spline fit is ill-posed or explains more than the whole variance. The result
    is clipped to [0, 1].

    Examples
    --------
    A component X taking two values, total Y: ``E(Y|X=0) = 2``, ``E(Y|X=1) = 6``,
    ``E(Y) = 4``, so ``V[E(Y|X)] = ((2-4)^2 + (6-4)^2) / 2 = 4``; ``V(Y) = (9 + 1 + 1
    + 9) / 4 = 5``; ``S = 4 / 5 = 0.8``. (Two X values: the line through the two group
    means is E(Y|X) itself, so the linear estimate is exact.)

    >>> r = correlation_ratio([0, 0, 1, 1], [1, 3, 5, 7])
    >>> round(r.value, 6), r.method
    (0.8, 'linear')
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    n = int(x.size)
    if n < min_n:
        return CorrelationRatio(math.nan, "", n, f"{NOT_COMPUTABLE}: kurang dari {min_n} wilayah")
    if np.ptp(y) == 0:
        return CorrelationRatio(math.nan, "", n,
                                f"{NOT_COMPUTABLE}: skor total sama untuk semua wilayah")
    if np.ptp(x) == 0:
        return CorrelationRatio(math.nan, "", n,
                                f"{NOT_COMPUTABLE}: skor komponen sama untuk semua wilayah")
    vy = y.var()
    ux, inv, counts = np.unique(np.round(x, 9), return_inverse=True, return_counts=True)
    fitted = None
    method = "linear"
    if n >= spline_min and ux.size >= 5:
        means = np.bincount(inv, weights=y) / counts
        from scipy.interpolate import make_smoothing_spline

        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                spline = make_smoothing_spline(ux, means, w=counts.astype(float))
                fit = spline(ux)[inv]
            if not caught and np.all(np.isfinite(fit)) and fit.var() <= vy * (1 + 1e-9):
                fitted, method = fit, "spline"
        except (ValueError, np.linalg.LinAlgError):
            fitted = None
    if fitted is None:
        slope, intercept = np.polyfit(x, y, 1)
        fitted = intercept + slope * x
    s = float(np.clip(fitted.var() / vy, 0.0, 1.0))
    return CorrelationRatio(s, method, n)


def effective_importance(a: Assessment, settings: AuditSettings = AuditSettings()
                         ) -> pd.DataFrame:
    """Per component: nominal weight share, ``S_i``, ``S_i`` normalised, their ratio.

    Columns ``weight`` (share of the total), ``s`` (correlation ratio of the total with
    respect to the component), ``s_share`` (``s / sum(s)`` over the components where it
    was computed), ``ratio`` (``s_share / weight``), ``method``, ``n``, ``note``.
    """
    fw = a.framework
    frame = _scores(a)
    weights = fw.component_weights()
    rows = []
    for c in fw.component_codes:
        cr = correlation_ratio(frame[c], frame[TOTAL], settings.min_regions,
                               settings.small_sample)
        rows.append({"component": c, "weight": float(weights[c]), "s": cr.value,
                     "method": cr.method, "n": cr.n, "note": cr.note})
    t = pd.DataFrame(rows).set_index("component")
    total = t["s"].sum(min_count=1)
    t["s_share"] = t["s"] / total if total and total > 0 else math.nan
    t["ratio"] = np.where(t["weight"] > 0, t["s_share"] / t["weight"].where(t["weight"] > 0),
                          math.nan)
    return t[["weight", "s", "s_share", "ratio", "method", "n", "note"]]


# --------------------------------------------------------------------------------------
# Uncertainty split
# --------------------------------------------------------------------------------------
def _width(table: pd.DataFrame) -> pd.Series:
    return (table["rank_p95"].astype("float64") - table["rank_p05"].astype("float64"))


def uncertainty_split(a: Assessment, settings: AuditSettings = AuditSettings()
                      ) -> UncertaintySplit:
    """Each region's 5-95% rank interval under weights only, method only and both.

    See the module docstring. The "both" run uses the settings of the annual report's
    rank intervals (by default), so its intervals are the published ones.
    """
    from .uncertainty import rank_uncertainty

    fw = a.framework
    # the framework's own reading (per level) and precision, as the annual report's
    # intervals (report.YearData.uncertainty) have them
    nominal = fw.aggregation
    methods = tuple(METHODS)
    args = (a.indicator_matrix(), fw.indicator_component(), fw.indicator_weights(),
            fw.component_weights())
    common = {"threshold": fw.threshold, "n_draws": settings.n_draws, "seed": settings.seed,
              "nominal_aggregation": nominal, "geometric_offset": fw.geometric_offset,
              "decimals": fw.precision}
    runs = {
        "weights": rank_uncertainty(*args, perturbation=settings.perturbation,
                                    aggregations=(nominal,), **common),
        "method": rank_uncertainty(*args, perturbation=0.0, aggregations=methods, **common),
        "both": rank_uncertainty(*args, perturbation=settings.perturbation,
                                 aggregations=methods, **common),
    }
    results = a.results.set_index("kode_wilayah")
    order = results.index  # rank order
    table = pd.DataFrame({"nama_wilayah": results["nama_wilayah"]}, index=order)
    table["nominal_rank"] = runs["both"].table["nominal_rank"].reindex(order)
    for key, run in runs.items():
        t = run.table.reindex(order)
        table[f"rank_p05_{key}"] = t["rank_p05"]
        table[f"rank_p95_{key}"] = t["rank_p95"]
        table[f"width_{key}"] = _width(t)
    ww, wm = table["width_weights"], table["width_method"]
    both = ww + wm
    table["share_method"] = (wm / both).where(both > 0)
    table["dominant"] = np.select(
        [ww.isna() | wm.isna(), both == 0, wm > ww, ww > wm],
        [None, "stabil", "metode", "bobot"], "seimbang")
    scored = table[table["nominal_rank"].notna()]
    sw, sm = float(scored["width_weights"].sum()), float(scored["width_method"].sum())
    share = sm / (sw + sm) if sw + sm > 0 else math.nan
    n_m = int((scored["dominant"] == "metode").sum())
    n_w = int((scored["dominant"] == "bobot").sum())
    pct = angka(settings.perturbation * 100, 0)
    mean = {k: float(scored[f"width_{k}"].mean()) if len(scored) else math.nan
            for k in ("weights", "method", "both")}
    methods_text = " dan ".join(f"rata-rata {agregasi(m)}" for m in methods)
    detail = (f"Rata-rata lebar rentang peringkat 5–95%: {angka(mean['method'], 1)} "
              f"peringkat bila hanya metode agregasi yang diundi ({methods_text}, bobot "
              f"nominal), {angka(mean['weights'], 1)} bila hanya bobot komponen yang "
              f"diubah (±{pct}%, metode kerangka: {agregasi(nominal)}), dan "
              f"{angka(mean['both'], 1)} bila keduanya diubah bersama (rentang yang "
              f"dilaporkan di laporan tahunan). Metode agregasi menggeser peringkat lebih "
              f"jauh daripada bobot pada {angka(n_m, 0)} wilayah, bobot lebih jauh daripada "
              f"metode pada {angka(n_w, 0)} wilayah (dari {angka(len(scored), 0)}).")
    if math.isnan(share):
        headline = ("Peringkat tidak bergantung pada bobot maupun metode agregasi: rentang "
                    "peringkat 5–95% setiap wilayah hanya satu peringkat.")
        detail = ""
    elif share > 0.5:
        headline = (f"Sebagian besar ketidakpastian peringkat berasal dari pilihan metode "
                    f"agregasi, bukan dari bobot: {persen(share, 0)} dari lebar rentang "
                    f"peringkat seluruh wilayah ditimbulkan oleh metode agregasi, "
                    f"{persen(1 - share, 0)} oleh bobot.")
    elif share < 0.5:
        headline = (f"Sebagian besar ketidakpastian peringkat berasal dari bobot komponen, "
                    f"bukan dari metode agregasi: {persen(1 - share, 0)} dari lebar "
                    f"rentang peringkat seluruh wilayah ditimbulkan oleh bobot, "
                    f"{persen(share, 0)} oleh metode agregasi.")
    else:
        headline = ("Bobot komponen dan metode agregasi sama besar pengaruhnya pada lebar "
                    "rentang peringkat (masing-masing 50%).")
    sentence = f"{headline} {detail}".strip()
    note = ""
    return UncertaintySplit(
        table=table, n_draws=settings.n_draws, perturbation=settings.perturbation,
        seed=settings.seed, aggregations=methods, nominal_aggregation=nominal,
        share_method=share, mean_width_weights=mean["weights"],
        mean_width_method=mean["method"], mean_width_both=mean["both"],
        n_method_dominant=n_m, n_weights_dominant=n_w, headline=headline,
        sentence=sentence, note=note)


# --------------------------------------------------------------------------------------
# The whole audit
# --------------------------------------------------------------------------------------
def _flags(a: Assessment, ind: pd.DataFrame, overall: dict, corr_flags: pd.DataFrame,
           rel: pd.DataFrame, imp: pd.DataFrame, split: UncertaintySplit | None,
           settings: AuditSettings) -> tuple[Flag, ...]:
    out: list[Flag] = []
    for code, x in ind[ind["outlier"]].iterrows():
        after = ("lolos aturan setelah winsorisasi" if x["winsor_passes"] else
                 "masih melewati ambang setelah winsorisasi (JRC: transformasi log)")
        out.append(Flag("pencilan", code,
                        f"{code}: kemencengan {number(x['skewness'])}, kurtosis "
                        f"{number(x['kurtosis'])} (aturan JRC: |kemencengan| ≥ "
                        f"{angka(settings.skew_threshold, 0)} dan kurtosis ≥ "
                        f"{angka(settings.kurtosis_threshold, 1)}); winsorisasi "
                        f"{angka(x['winsor_points'], 0)} titik, {after}; "
                        f"{angka(x['rank_changed'], 0)} wilayah berubah peringkat."))
    for x in corr_flags.itertuples(index=False):
        section = "redundan" if x.kind == "redundan" else "korelasi"
        out.append(Flag(section, f"{x.a} & {x.b}", x.text))
    for comp, x in rel.iterrows():
        if not pd.isna(x["alpha"]) and x["alpha"] < settings.alpha_threshold:
            out.append(Flag("konsistensi", comp,
                            f"{comp}: alfa Cronbach {number(x['alpha'])} < "
                            f"{angka(settings.alpha_threshold, 1)}: indikatornya kurang "
                            "konsisten satu sama lain."))
        if x["n_eigen_above_1"] > 1:
            out.append(Flag("konsistensi", comp,
                            f"{comp}: {int(x['n_eigen_above_1'])} nilai eigen di atas 1: "
                            "indikatornya mungkin mengukur lebih dari satu dimensi."))
    for comp, x in imp.iterrows():
        r = x["ratio"]
        if pd.isna(r):
            continue
        if r > settings.importance_ratio or r < 1 / settings.importance_ratio:
            how = "lebih besar" if r > 1 else "lebih kecil"
            out.append(Flag("pengaruh", comp,
                            f"{comp}: bobot nominal {persen(x['weight'])}, pengaruh "
                            f"efektif {persen(x['s_share'])} (rasio {number(r)}): "
                            f"pengaruhnya pada skor total jauh {how} daripada "
                            "bobotnya."))
    if split is not None and not math.isnan(split.share_method):
        out.append(Flag("ketidakpastian", "peringkat", split.headline))
    return tuple(out)


def audit(a: Assessment, settings: AuditSettings = AuditSettings()) -> Audit:
    """Run every part of the audit on a scored year.

    With fewer than ``settings.min_regions`` regions that have a total, nothing is
    computed: the frames are empty and ``note`` says "tidak dapat dihitung".
    """
    fw = a.framework
    timings: dict[str, float] = {}
    n = int(a.results["skor_total"].notna().sum())
    base = {"year": a.year, "framework_id": fw.id, "framework_version": fw.version,
            "n_regions": n, "synthetic": a.synthetic, "settings": settings}
    if n < settings.min_regions:
        empty = pd.DataFrame()
        return Audit(**base, indicators=empty, pearson=empty, spearman=empty,
                     correlation_flags=empty, reliability=empty, importance=empty,
                     uncertainty=None, winsorised_all={}, flags=(),
                     note=f"{NOT_COMPUTABLE}: hanya {n} wilayah berskor (minimal "
                          f"{settings.min_regions})")

    def timed(name, fn, *args):
        start = time.perf_counter()
        out = fn(*args)
        timings[name] = time.perf_counter() - start
        return out

    ind, overall = timed("statistik_indikator", indicator_statistics, a, settings)
    pearson = timed("korelasi_pearson", correlation_matrix, a, "pearson", settings)
    spearman = timed("korelasi_spearman", correlation_matrix, a, "spearman", settings)
    cflags = timed("tanda_korelasi", correlation_flags, a, pearson, spearman, settings)
    rel = timed("alfa_pca", component_reliability, a, settings)
    imp = timed("rasio_korelasi", effective_importance, a, settings)
    split = timed("pemisahan_ketidakpastian", uncertainty_split, a, settings)
    flags = _flags(a, ind, overall, cflags, rel, imp, split, settings)
    return Audit(**base, indicators=ind, pearson=pearson, spearman=spearman,
                 correlation_flags=cflags, reliability=rel, importance=imp,
                 uncertainty=split, winsorised_all=overall, flags=flags, timings=timings)
