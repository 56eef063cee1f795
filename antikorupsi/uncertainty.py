"""Rank uncertainty and sensitivity: how far do ranks move when the weights move?

The official weights of the assessment are not published (DOMAIN.md), so every rank we
print rests on assumed weights. This module says, per region, how much that matters:

- :func:`rank_uncertainty` draws many plausible weightings (and aggregation methods),
  scores every region under each, and summarises the rank and total per region:
  nominal, median, 5-95% interval, and the probability of reaching the designation
  threshold ("Istimewa", total >= 90).
- :func:`rank_sensitivity` splits the variance of each region's rank over the inputs
  (the six component weights and the aggregation choice) with Sobol' indices, and
  says in one Indonesian sentence which weight moves that region's rank most.
- :func:`rank_change` compares two years under the *same* weights and the *same* draws
  and says, per region, how likely its rank improved (``p_naik``), and flags the change
  only where that probability reaches the chosen level.
- :func:`rank_uncertainty_loop` is the naive reference: one full rebuild per draw,
  the way COINr does it. It exists to check and benchmark the vectorised version.

Why it is fast: the draws only change weights and the aggregation method, not the
indicator scores. So component scores are computed once per method, and all draws of a
chunk are scored together by broadcasting the weights, ``(draws, 1, components)``,
against the component scores, ``(regions, components)``, with the primitives of
:mod:`antikorupsi.aggregate`. Ranks per draw come from one ``argsort`` over the chunk,
and rank quantiles from a per-region histogram of ranks (exact), so memory stays bounded
by the chunk size plus one ``draws x regions`` array of totals for their quantiles (for
more than 4,096 regions the ranks are stored instead of the ``regions**2`` histogram).

Conventions (shared by both implementations):

- A component score is the weighted mean of its indicators, the total the weighted
  mean of the component scores. An aggregation is a spec (:mod:`antikorupsi.aggregate`):
  ``"arithmetic"`` or ``"geometric"`` at both levels, or ``"<within>/<between>"``
  (e.g. ``"geometric/arithmetic"``, a framework stating geometric inside components
  only); each drawn spec is applied level by level. NaN indicator scores are left out
  and weights renormalised (see ``aggregate``).
- Ranks are competition ranks (1, 2, 2, 4), descending by total, computed on totals
  rounded to ``decimals`` with :func:`antikorupsi.fmt.bulat`, the rounding of scoring
  and of every printed figure (pass the framework's ``precision``, so that totals
  printed alike share a rank; the default 9 only absorbs floating-point noise). A
  region whose total is NaN (no indicator at all) gets no rank and does not take a
  place.
- ``p_istimewa`` is the share of draws with the rounded total >= threshold.
- All draws are made up front from one ``numpy.random.default_rng(seed)`` in a fixed
  order, so results do not depend on the chunk size and the loop reference sees the
  very same draws.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import aggregate, join_method, split_method
from .errors import InputError, Problem
from .fmt import agregasi, angka, bulat, metode_agregasi

__all__ = [
    "UncertaintyResult",
    "SensitivityResult",
    "rank_uncertainty",
    "rank_uncertainty_loop",
    "rank_sensitivity",
    "RankChangeResult",
    "rank_change",
    "RANK_DECIMALS",
    "QUANTILE_METHOD",
]

#: Totals are rounded to this many decimals before ranking and thresholding.
RANK_DECIMALS = 9
#: numpy quantile method for rank quantiles: the smallest observed rank whose
#: empirical CDF reaches the level (Hyndman & Fan definition 1), so always an integer
#: rank that actually occurred in some draw. Totals use numpy's default ("linear").
QUANTILE_METHOD = "inverted_cdf"
_SAMPLINGS = ("uniform", "dirichlet")
# Target size of the largest temporary (draws x regions x parts) array per chunk:
# 2**22 float64 = 32 MiB, a few of which are alive at once inside ``aggregate``.
_CHUNK_ELEMENTS = 2**22
# Rank quantiles come from a regions x regions histogram up to this many regions
# (2 MiB at 514); above it (villages: ~75,000) ranks are stored, draws x regions int32.
_HISTOGRAM_MAX_REGIONS = 4096


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UncertaintyResult:
    """Per-region summary of a Monte Carlo run over weights and aggregation methods.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per region (index: region codes, in input order) with columns

        ``nominal_total`` (float)
            total with the nominal weights and ``nominal_aggregation``.
        ``nominal_rank`` (Int64)
            competition rank of the nominal total among all regions.
        ``median_rank``, ``rank_p05``, ``rank_p95`` (Int64)
            50%, 5% and 95% quantiles of the rank over draws, by
            :data:`QUANTILE_METHOD` (always a rank that occurred). ``rank_p05`` is the
            *better* end (smaller number).
        ``mean_total``, ``total_p05``, ``total_p95`` (float)
            mean and 5%/95% quantiles of the total over draws (numpy "linear").
        ``p_istimewa`` (float)
            share of draws with total >= ``threshold``.

        Regions without any indicator score have NaN / <NA> throughout.
    n_draws, seed, perturbation, sampling, aggregations, nominal_aggregation,
    perturb_indicator_weights, dirichlet_concentration, geometric_offset, threshold
        The settings used, for printing in reports. ``dirichlet_concentration`` is the
        effective value (derived from ``perturbation`` when not given; None for
        uniform sampling).
    """

    table: pd.DataFrame
    n_draws: int
    seed: int
    perturbation: float
    sampling: str
    aggregations: tuple[str, ...]
    nominal_aggregation: str
    perturb_indicator_weights: bool
    dirichlet_concentration: float | None
    geometric_offset: float
    threshold: float
    quantile_method: str = QUANTILE_METHOD
    decimals: int = RANK_DECIMALS

    @property
    def settings(self) -> dict[str, Any]:
        """The settings as a plain dict (everything but ``table``)."""
        return {
            "n_draws": self.n_draws,
            "seed": self.seed,
            "perturbation": self.perturbation,
            "sampling": self.sampling,
            "aggregations": self.aggregations,
            "nominal_aggregation": self.nominal_aggregation,
            "perturb_indicator_weights": self.perturb_indicator_weights,
            "dirichlet_concentration": self.dirichlet_concentration,
            "geometric_offset": self.geometric_offset,
            "threshold": self.threshold,
            "quantile_method": self.quantile_method,
            "decimals": self.decimals,
        }

    def describe(self) -> str:
        """One paragraph in Bahasa Indonesia stating how the draws were made."""
        conc = self.dirichlet_concentration
        if self.perturbation == 0 and (conc is None or math.isinf(conc)):
            how = "bobot tetap pada nilai nominal"
        elif self.sampling == "uniform":
            how = uniform_weights_text(self.perturbation)
        else:
            how = (
                "bobot komponen diundi dari sebaran Dirichlet yang berpusat pada bobot "
                f"nominal (konsentrasi {angka(conc or 0, 1)})"
            )
        if self.perturb_indicator_weights:
            how += ", demikian pula bobot indikator dalam komponennya"
        agg = _aggregation_text(self.aggregations)
        return (
            f"{angka(self.n_draws, 0)} simulasi Monte Carlo: {how}; {agg}. "
            f"Peringkat 5-95% adalah kuantil "
            f"peringkat antarsimulasi; P(Istimewa) adalah peluang skor total \u2265 "
            f"{angka(self.threshold, 0)}. Seed {self.seed}."
        )


@dataclass(frozen=True)
class SensitivityResult:
    """Sobol' indices of each region's rank (or total) over the weight factors.

    Attributes
    ----------
    indices : pandas.DataFrame
        Long table, one row per (region, factor): ``region``, ``factor`` (component
        code, ``"agregasi"``, or indicator code), ``kind`` (``"component_weight"``,
        ``"aggregation"``, ``"indicator_weight"``), ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf`` (``*_conf``: half-width of the bootstrap confidence interval at
        ``conf_level``). NaN where the output never or too rarely varies.
    summary : pandas.DataFrame
        One row per region (index: region codes): ``status`` (``"varies"``,
        ``"constant"``, ``"too_rare"``), ``n_changed`` (evaluations whose output
        differs from the most frequent one), ``top_factor``, ``top_factor_st``,
        ``top_component``, ``top_component_st``, ``sentence`` (Bahasa Indonesia).
    output, n_base, n_evaluations, seed, perturbation, aggregations,
    perturb_indicator_weights, geometric_offset, num_resamples, conf_level, factors
        The settings used.
    """

    indices: pd.DataFrame
    summary: pd.DataFrame
    output: str
    n_base: int
    n_evaluations: int
    seed: int
    perturbation: float
    aggregations: tuple[str, ...]
    perturb_indicator_weights: bool
    geometric_offset: float
    num_resamples: int
    conf_level: float
    factors: tuple[str, ...]


# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Model:
    regions: pd.Index
    indicators: tuple[str, ...]
    components: tuple[str, ...]
    x: np.ndarray  # (regions, indicators), a private copy
    members: tuple[np.ndarray, ...]  # indicator column positions of each component
    wi: np.ndarray  # (indicators,) nominal indicator weights
    wc: np.ndarray  # (components,) nominal component weights


@dataclass(frozen=True)
class _Draws:
    wc: np.ndarray  # (n, components)
    method: np.ndarray  # (n,) index into ``aggregations``
    wi: np.ndarray | None  # (n, indicators) or None when indicator weights are fixed


def _as_dict(m: Mapping[str, Any] | pd.Series, what: str) -> dict[str, Any]:
    if not hasattr(m, "items"):
        raise TypeError(f"{what} must be a mapping (dict or pandas Series), got {type(m)!r}")
    return dict(m.items())


def _weight_ok(w: Any) -> bool:
    try:
        v = float(w)
    except (TypeError, ValueError):
        return False
    return math.isfinite(v) and v >= 0 and not isinstance(w, bool)


def _prepare(
    indicator_scores: pd.DataFrame,
    indicator_component: Mapping[str, str],
    indicator_weights: Mapping[str, float],
    component_weights: Mapping[str, float],
) -> _Model:
    """Validate the inputs (reporting every problem at once) and copy them to arrays."""
    if not isinstance(indicator_scores, pd.DataFrame):
        raise TypeError("indicator_scores must be a pandas DataFrame")
    ic = _as_dict(indicator_component, "indicator_component")
    iw = _as_dict(indicator_weights, "indicator_weights")
    cw = _as_dict(component_weights, "component_weights")
    problems: list[Problem] = []

    def bad(what: str, message: str, column: str | None = None, value: Any = None,
            expected: str | None = None) -> None:
        problems.append(Problem(what, message, column=column, value=value, expected=expected))

    columns = [str(c) for c in indicator_scores.columns]
    if len(set(columns)) != len(columns):
        bad("indicator_scores", "kode indikator ganda", expected="setiap kolom sekali")
    if indicator_scores.index.has_duplicates:
        dup = sorted({str(r) for r in indicator_scores.index[indicator_scores.index.duplicated()]})
        bad("indicator_scores", "kode wilayah ganda", value=", ".join(dup[:10]))
    if len(indicator_scores.index) == 0 or not columns:
        bad("indicator_scores", "tabel kosong", expected="minimal satu wilayah dan indikator")
    for col in columns:
        if col not in ic:
            bad("indicator_component", "indikator tanpa komponen", column=col)
        elif ic[col] not in cw:
            bad("component_weights", "komponen tanpa bobot", column=str(ic[col]))
        if col not in iw:
            bad("indicator_weights", "indikator tanpa bobot", column=col)
        elif not _weight_ok(iw[col]):
            bad("indicator_weights", "bobot harus angka >= 0", column=col, value=iw[col])
    for code in ic:
        if code not in columns:
            bad("indicator_scores", "indikator kerangka tidak ada di data", column=str(code),
                expected="kolom (boleh berisi NaN)")
    for code, w in cw.items():
        if not _weight_ok(w):
            bad("component_weights", "bobot harus angka >= 0", column=str(code), value=w)
    try:
        x = indicator_scores.to_numpy(dtype=float, copy=True)
    except (TypeError, ValueError):
        bad("indicator_scores", "skor harus angka", expected="angka 0-100 atau kosong")
        x = None
    if x is not None:
        finite = x[~np.isnan(x)]
        if finite.size and (np.any(~np.isfinite(finite)) or finite.min() < 0
                            or finite.max() > 100):
            rows, cols = np.nonzero(~np.isnan(x) & ((x < 0) | (x > 100) | ~np.isfinite(x)))
            for r, c in list(zip(rows, cols))[:20]:
                problems.append(Problem("indicator_scores", "skor di luar 0-100",
                                        column=columns[c],
                                        value=f"{indicator_scores.index[r]}: {x[r, c]}",
                                        expected="0-100 atau kosong"))
    if problems:
        raise InputError(problems)

    used = {ic[c] for c in columns}
    components = tuple(str(c) for c in cw if c in used)
    unused = [str(c) for c in cw if c not in used]
    problems += [Problem("component_weights", "komponen tanpa indikator di data", column=c)
                 for c in unused if float(cw[c]) > 0]
    wc = np.array([float(cw[c]) for c in components])
    wi = np.array([float(iw[c]) for c in columns])
    members = tuple(np.array([j for j, col in enumerate(columns) if ic[col] == comp])
                    for comp in components)
    if wc.sum() <= 0:
        problems.append(Problem("component_weights", "semua bobot komponen nol",
                                expected="total > 0"))
    for comp, idx in zip(components, members):
        if wi[idx].sum() <= 0:
            problems.append(Problem("indicator_weights",
                                    f"semua bobot indikator komponen {comp} nol",
                                    expected="total > 0"))
    if problems:
        raise InputError(problems)
    regions = pd.Index([str(r) for r in indicator_scores.index],
                       name=indicator_scores.index.name or "region")
    return _Model(regions, tuple(columns), components, x, members, wi, wc)


def uniform_weights_text(perturbation: float) -> str:
    """How the uniform draws change the weights, in words (one text for every report)."""
    return (f"setiap bobot komponen diubah acak hingga \u00b1{angka(perturbation * 100, 0)}% "
            f"(dikalikan faktor seragam antara {angka(1 - perturbation, 2)} dan "
            f"{angka(1 + perturbation, 2)})")


def _aggregation_text(aggregations: tuple[str, ...]) -> str:
    """How the aggregation was chosen, for :meth:`describe` (Bahasa Indonesia)."""
    if len(aggregations) == 1:
        return f"agregasi {metode_agregasi(aggregations[0])}"
    if all("/" not in m for m in aggregations):  # the same method at both levels
        methods = " atau ".join(agregasi(m) for m in aggregations)
        return f"metode agregasi diundi dari rata-rata {methods} tertimbang"
    return ("metode agregasi diundi dari: "
            + "; ".join(metode_agregasi(m, levels=True) for m in aggregations))


def _check_options(n_draws: int, perturbation: float, sampling: str,
                   aggregations: Sequence[str], nominal_aggregation: str,
                   geometric_offset: float, dirichlet_concentration: float | None,
                   decimals: int = 9) -> tuple:
    if isinstance(aggregations, str):
        aggregations = (aggregations,)
    aggregations = tuple(aggregations)
    if not aggregations:
        raise ValueError("aggregations must name at least one method")
    for m in (*aggregations, nominal_aggregation):
        split_method(m)  # raises ValueError naming the accepted forms
    aggregations = tuple(join_method(*split_method(m)) for m in aggregations)
    if int(decimals) != decimals or not 0 <= decimals <= 12:
        raise ValueError(f"decimals must be an integer 0-12, got {decimals!r}")
    if len(set(aggregations)) != len(aggregations):
        raise ValueError(f"aggregations has duplicates: {aggregations}")
    if int(n_draws) != n_draws or n_draws < 1:
        raise ValueError(f"n_draws must be a positive integer, got {n_draws!r}")
    if not (0 <= perturbation < 1):
        raise ValueError(f"perturbation must be in [0, 1), got {perturbation!r}")
    if sampling not in _SAMPLINGS:
        raise ValueError(f"sampling must be one of {_SAMPLINGS}, got {sampling!r}")
    if not geometric_offset > 0:
        raise ValueError(f"geometric_offset must be > 0, got {geometric_offset!r}")
    if dirichlet_concentration is not None and not dirichlet_concentration > 0:
        raise ValueError(f"dirichlet_concentration must be > 0, got {dirichlet_concentration!r}")
    return aggregations


# --------------------------------------------------------------------------------------
# Draws
# --------------------------------------------------------------------------------------
def _concentration(n_parts: int, perturbation: float, given: float | None) -> float:
    """Dirichlet concentration matching the spread of the uniform scheme.

    Under uniform sampling a weight factor has coefficient of variation ``p / sqrt(3)``.
    A Dirichlet share ``s`` with concentration ``a`` has variance ``s(1-s)/(a+1)``;
    for an average share ``s = 1/k`` the same coefficient of variation needs
    ``a = 3 (k - 1) / p**2 - 1``. Infinite (no spread) when ``p == 0`` or ``k == 1``.
    """
    if given is not None:
        return float(given)
    if perturbation == 0 or n_parts <= 1:
        return math.inf
    return 3.0 * (n_parts - 1) / perturbation**2 - 1.0


def _perturb(rng: np.random.Generator, w: np.ndarray, n: int, perturbation: float,
             sampling: str, concentration: float) -> np.ndarray:
    """``n`` perturbed copies of the weight vector ``w``, shape ``(n, len(w))``."""
    if sampling == "uniform":
        return w * rng.uniform(1.0 - perturbation, 1.0 + perturbation, size=(n, w.size))
    out = np.zeros((n, w.size))
    pos = w > 0
    shares = w[pos] / w[pos].sum()
    if math.isinf(concentration) or pos.sum() == 1:
        out[:, pos] = shares
    else:
        out[:, pos] = rng.dirichlet(concentration * shares, size=n)
    return out


def _draw(model: _Model, n: int, *, perturbation: float, sampling: str, n_methods: int,
          perturb_indicator_weights: bool, concentration: float | None, seed: int) -> _Draws:
    """All random inputs of a run, drawn up front in a fixed order."""
    rng = np.random.default_rng(seed)
    a = _concentration(model.wc.size, perturbation, concentration)
    wc = _perturb(rng, model.wc, n, perturbation, sampling, a)
    method = rng.integers(0, n_methods, size=n)
    wi = None
    if perturb_indicator_weights:
        wi = np.empty((n, model.wi.size))
        for idx in model.members:  # per component, so Dirichlet shares stay within it
            a_c = _concentration(idx.size, perturbation, concentration)
            wi[:, idx] = _perturb(rng, model.wi[idx], n, perturbation, sampling, a_c)
    return _Draws(wc, method, wi)


# --------------------------------------------------------------------------------------
# Vectorised scoring and ranking
# --------------------------------------------------------------------------------------
def _component_scores(model: _Model, wi: np.ndarray, method: str, offset: float) -> np.ndarray:
    """Component scores: ``(regions, components)`` for ``wi`` of shape ``(indicators,)``,
    ``(n, regions, components)`` for ``wi`` of shape ``(n, indicators)``. ``method`` is
    a spec; its within-component level is used."""
    method = split_method(method)[0]
    if wi.ndim == 1:
        cols = [aggregate(model.x[:, idx], wi[idx], method, offset) for idx in model.members]
    else:
        cols = [aggregate(model.x[:, idx], wi[:, None, idx], method, offset)
                for idx in model.members]
    return np.stack(cols, axis=-1)


def _totals(model: _Model, draws: _Draws, start: int, stop: int,
            aggregations: tuple[str, ...], offset: float,
            fixed: list[np.ndarray] | None) -> np.ndarray:
    """Totals ``(stop - start, regions)`` of draws ``start:stop``, all at once per method.

    ``fixed[m]`` holds the component scores under method ``m`` when indicator weights
    are not perturbed (then they are the same in every draw).
    """
    out = np.empty((stop - start, model.regions.size))
    method = draws.method[start:stop]
    for m, name in enumerate(aggregations):
        sel = np.flatnonzero(method == m)
        if sel.size == 0:
            continue
        rows = start + sel
        if fixed is not None:
            comp = fixed[m]
        else:
            comp = _component_scores(model, draws.wi[rows], name, offset)
        out[sel] = aggregate(comp, draws.wc[rows][:, None, :], split_method(name)[1], offset)
    return out


def _competition_ranks(totals: np.ndarray) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) per row, descending; 0 where the total is NaN.

    ``totals`` must already be rounded. One ``argsort`` per chunk: after sorting, the
    rank at a sorted position is one plus the position where its run of equal values
    starts, carried forward with ``maximum.accumulate``. NaN sorts last, so it never
    takes a place from a region with a score.
    """
    n, r = totals.shape
    neg = -totals
    order = np.argsort(neg, axis=1)  # order among ties is irrelevant: they share a rank
    s = np.take_along_axis(neg, order, axis=1)
    start = np.empty((n, r), dtype=np.int32)
    start[:, 0] = 0
    pos = np.arange(1, r, dtype=np.int32)
    np.copyto(start[:, 1:], np.where(s[:, 1:] != s[:, :-1], pos, 0))
    np.maximum.accumulate(start, axis=1, out=start)
    start += 1
    ranks = np.empty((n, r), dtype=np.int32)
    np.put_along_axis(ranks, order, start, axis=1)
    ranks[np.isnan(totals)] = 0
    return ranks


def _quantile_from_counts(counts: np.ndarray, q: float) -> np.ndarray:
    """Per-row ``inverted_cdf`` quantile of ranks 1..R from a ``(rows, R)`` histogram.

    Same rule as ``numpy.quantile(..., method="inverted_cdf")``: the smallest rank whose
    cumulative count reaches ``n * q`` (the first observed rank when ``q == 0``).
    """
    cum = np.cumsum(counts, axis=1)
    n = cum[:, -1:]
    target = np.maximum(n * q, 1)
    idx = (cum < target).sum(axis=1)
    out = (idx + 1).astype(float)
    out[n[:, 0] == 0] = np.nan
    return out


def _nominal(model: _Model, method: str, offset: float,
             decimals: int = RANK_DECIMALS) -> tuple[np.ndarray, np.ndarray]:
    comp = _component_scores(model, model.wi, method, offset)
    total = aggregate(comp, model.wc, split_method(method)[1], offset)
    rank = _competition_ranks(bulat(total, decimals)[None, :])[0]
    return total, rank


def _chunk_size(model: _Model, perturb_indicator_weights: bool, chunk_size: int | None) -> int:
    if chunk_size is not None:
        if int(chunk_size) != chunk_size or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
        return int(chunk_size)
    parts = model.x.shape[1] if perturb_indicator_weights else len(model.components)
    return max(1, _CHUNK_ELEMENTS // (model.regions.size * parts))


def _fixed_components(model: _Model, aggregations: tuple[str, ...], offset: float
                      ) -> list[np.ndarray]:
    """Component scores under each spec's within-level method (computed once per method)."""
    cache: dict[str, np.ndarray] = {}
    out = []
    for m in aggregations:
        within = split_method(m)[0]
        if within not in cache:
            cache[within] = _component_scores(model, model.wi, within, offset)
        out.append(cache[within])
    return out


def _simulate(model: _Model, draws: _Draws, aggregations: tuple[str, ...], offset: float,
              chunk: int, on_chunk, decimals: int = RANK_DECIMALS) -> None:
    """Score all draws chunk by chunk; call ``on_chunk(start, totals, rounded, ranks)``."""
    fixed = None
    if draws.wi is None:
        fixed = _fixed_components(model, aggregations, offset)
    n = draws.method.size
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        totals = _totals(model, draws, start, stop, aggregations, offset, fixed)
        rounded = bulat(totals, decimals)
        on_chunk(start, totals, rounded, _competition_ranks(rounded))


def _int_column(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers as a nullable ``Int64`` column, <NA> where NaN."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def _table(model: _Model, nominal_total: np.ndarray, nominal_rank: np.ndarray,
           median: np.ndarray, p05: np.ndarray, p95: np.ndarray, totals: np.ndarray,
           p_istimewa: np.ndarray) -> pd.DataFrame:
    nominal_rank = np.where(nominal_rank == 0, np.nan, nominal_rank)
    t05, t95 = np.quantile(totals, [0.05, 0.95], axis=0)
    return pd.DataFrame(
        {
            "nominal_total": nominal_total,
            "nominal_rank": _int_column(nominal_rank),
            "median_rank": _int_column(median),
            "rank_p05": _int_column(p05),
            "rank_p95": _int_column(p95),
            "mean_total": totals.mean(axis=0),
            "total_p05": t05,
            "total_p95": t95,
            "p_istimewa": np.where(np.isnan(nominal_total), np.nan, p_istimewa),
        },
        index=model.regions.copy(),
    )


def _setup(indicator_scores, indicator_component, indicator_weights, component_weights,
           n_draws, perturbation, sampling, aggregations, nominal_aggregation,
           perturb_indicator_weights, dirichlet_concentration, geometric_offset,
           seed, decimals=RANK_DECIMALS) -> tuple[tuple[str, ...], _Model, _Draws]:
    """Checked options, the prepared model and all draws of one Monte Carlo run."""
    aggregations = _check_options(n_draws, perturbation, sampling, aggregations,
                                  nominal_aggregation, geometric_offset,
                                  dirichlet_concentration, decimals)
    model = _prepare(indicator_scores, indicator_component, indicator_weights,
                     component_weights)
    draws = _draw(model, int(n_draws), perturbation=perturbation, sampling=sampling,
                  n_methods=len(aggregations),
                  perturb_indicator_weights=perturb_indicator_weights,
                  concentration=dirichlet_concentration, seed=seed)
    return aggregations, model, draws


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------
def rank_uncertainty(
    indicator_scores: pd.DataFrame,
    indicator_component: Mapping[str, str],
    indicator_weights: Mapping[str, float],
    component_weights: Mapping[str, float],
    *,
    threshold: float = 90.0,
    n_draws: int = 10_000,
    perturbation: float = 0.25,
    sampling: str = "uniform",
    aggregations: Sequence[str] = ("arithmetic", "geometric"),
    nominal_aggregation: str = "arithmetic",
    perturb_indicator_weights: bool = False,
    dirichlet_concentration: float | None = None,
    geometric_offset: float = 1.0,
    seed: int = 20241209,
    chunk_size: int | None = None,
    decimals: int = RANK_DECIMALS,
) -> UncertaintyResult:
    """Monte Carlo rank uncertainty per region, vectorised over draws and regions.

    Each draw perturbs the component weights (and optionally the indicator weights) and
    picks an aggregation method uniformly from ``aggregations``; every region is scored
    and ranked under each draw.

    Parameters
    ----------
    indicator_scores : pandas.DataFrame
        Index: region codes; columns: indicator codes; values 0-100, NaN where an
        indicator is excluded (its weight is renormalised over the others present).
    indicator_component : mapping of str to str
        Indicator code -> component code (a dict or a pandas Series). Every column must
        be mapped and every mapped indicator must be a column.
    indicator_weights : mapping of str to float
        Indicator code -> weight (relative within its component; >= 0).
    component_weights : mapping of str to float
        Component code -> weight (relative; >= 0). Its order is the component order.
    threshold : float, default 90.0
        Designation threshold for ``p_istimewa`` (total >= threshold).
    n_draws : int, default 10_000
        Number of Monte Carlo draws.
    perturbation : float, default 0.25
        ``p`` in ``[0, 1)``. Uniform sampling multiplies each weight by an independent
        ``U(1 - p, 1 + p)`` factor; Dirichlet sampling uses a spread that matches it
        (see ``dirichlet_concentration``).
    sampling : {"uniform", "dirichlet"}, default "uniform"
        ``"dirichlet"`` draws weight *shares* from ``Dirichlet(a * nominal_shares)``,
        centred on the nominal shares.
    aggregations : sequence of str, default ("arithmetic", "geometric")
        Aggregation specs drawn uniformly per draw: ``"arithmetic"``/``"geometric"``
        (both levels) or ``"<within>/<between>"``, e.g. ``"geometric/arithmetic"``;
        :data:`antikorupsi.aggregate.READINGS` lists all four.
    nominal_aggregation : str, default "arithmetic"
        Spec of the nominal (reference) scores (the framework's ``aggregation``).
    perturb_indicator_weights : bool, default False
        Also perturb indicator weights the same way (Dirichlet: within each component).
    dirichlet_concentration : float, optional
        Dirichlet concentration ``a``. Default: ``3 (k - 1) / p**2 - 1`` for ``k``
        weights, which gives an average share the same coefficient of variation as a
        uniform factor (``p / sqrt(3)``); no spread when ``p == 0``.
    geometric_offset : float, default 1.0
        Offset of the zero-safe geometric mean (see ``aggregate.weighted_geometric``).
    seed : int, default 20241209
        Seed of ``numpy.random.default_rng``; the same seed gives identical results.
    chunk_size : int, optional
        Draws scored at once. Default: about 4 million array elements per chunk
        (~1,300 draws for 514 regions and 6 components). Results do not depend on it.
    decimals : int, default 9
        Totals are rounded to this many decimals before ranking and thresholding; pass
        the framework's ``precision`` so that ranks agree with the printed totals.

    Returns
    -------
    UncertaintyResult
        ``.table`` per region and the settings used; see :class:`UncertaintyResult`.

    Notes
    -----
    Memory: one ``n_draws x regions`` float64 array of totals is kept for the total
    quantiles (41 MB for 10,000 x 514); everything else is bounded by the chunk.
    With ``perturbation=0`` and ``aggregations=(nominal_aggregation,)`` every draw
    equals the nominal case: all rank quantiles equal the nominal rank and
    ``p_istimewa`` is 0 or 1.
    """
    aggregations, model, draws = _setup(
        indicator_scores, indicator_component, indicator_weights, component_weights,
        n_draws, perturbation, sampling, aggregations, nominal_aggregation,
        perturb_indicator_weights, dirichlet_concentration, geometric_offset, seed,
        decimals)
    n_draws = int(n_draws)
    r = model.regions.size
    totals = np.empty((n_draws, r))
    above = np.zeros(r, dtype=np.int64)
    histogram = r <= _HISTOGRAM_MAX_REGIONS
    if histogram:
        counts = np.zeros(r * r, dtype=np.int64)
        offsets = np.arange(r, dtype=np.int64) * r - 1  # region i, rank k -> i * r + k - 1
    else:
        all_ranks = np.empty((n_draws, r), dtype=np.int32)

    def on_chunk(start: int, t: np.ndarray, rounded: np.ndarray, ranks: np.ndarray) -> None:
        totals[start:start + t.shape[0]] = t
        above[:] += (rounded >= threshold).sum(axis=0)
        if histogram:
            counts[:] += np.bincount((ranks + offsets)[ranks > 0], minlength=r * r)
        else:
            all_ranks[start:start + t.shape[0]] = ranks

    _simulate(model, draws, aggregations, geometric_offset,
              _chunk_size(model, perturb_indicator_weights, chunk_size), on_chunk, decimals)
    if histogram:
        counts2 = counts.reshape(r, r)
        median, p05, p95 = (_quantile_from_counts(counts2, q) for q in (0.5, 0.05, 0.95))
    else:
        median, p05, p95 = np.quantile(all_ranks, [0.5, 0.05, 0.95], axis=0,
                                       method=QUANTILE_METHOD).astype(float)
        median[all_ranks[0] == 0] = p05[all_ranks[0] == 0] = p95[all_ranks[0] == 0] = np.nan
    nominal_total, nominal_rank = _nominal(model, nominal_aggregation, geometric_offset,
                                           decimals)
    table = _table(model, nominal_total, nominal_rank, median, p05, p95, totals,
                   above / n_draws)
    return _result(table, n_draws, seed, perturbation, sampling, aggregations,
                   nominal_aggregation, perturb_indicator_weights, dirichlet_concentration,
                   geometric_offset, threshold, len(model.components), decimals)


def _result(table, n_draws, seed, perturbation, sampling, aggregations, nominal_aggregation,
            perturb_indicator_weights, dirichlet_concentration, geometric_offset, threshold,
            n_components, decimals=RANK_DECIMALS) -> UncertaintyResult:
    conc = None
    if sampling == "dirichlet":
        conc = _concentration(n_components, perturbation, dirichlet_concentration)
    return UncertaintyResult(
        table=table, n_draws=n_draws, seed=seed, perturbation=float(perturbation),
        sampling=sampling, aggregations=aggregations,
        nominal_aggregation=join_method(*split_method(nominal_aggregation)),
        perturb_indicator_weights=bool(perturb_indicator_weights),
        dirichlet_concentration=conc, geometric_offset=float(geometric_offset),
        threshold=float(threshold), decimals=int(decimals),
    )


def rank_uncertainty_loop(
    indicator_scores: pd.DataFrame,
    indicator_component: Mapping[str, str],
    indicator_weights: Mapping[str, float],
    component_weights: Mapping[str, float],
    *,
    threshold: float = 90.0,
    n_draws: int = 10_000,
    perturbation: float = 0.25,
    sampling: str = "uniform",
    aggregations: Sequence[str] = ("arithmetic", "geometric"),
    nominal_aggregation: str = "arithmetic",
    perturb_indicator_weights: bool = False,
    dirichlet_concentration: float | None = None,
    geometric_offset: float = 1.0,
    seed: int = 20241209,
    decimals: int = RANK_DECIMALS,
) -> UncertaintyResult:
    """Naive reference for :func:`rank_uncertainty`: one full rebuild per draw.

    Same parameters, same draws (same seed), same conventions, but each draw rebuilds
    component scores and totals for all regions in a Python loop, ranks them with
    ``pandas.Series.rank(method="min")`` and the summary uses ``numpy.quantile`` on
    the stored ranks. Results equal those of :func:`rank_uncertainty`. Meant for tests
    and the benchmark, not for use: it is tens of times slower.
    """
    aggregations, model, draws = _setup(
        indicator_scores, indicator_component, indicator_weights, component_weights,
        n_draws, perturbation, sampling, aggregations, nominal_aggregation,
        perturb_indicator_weights, dirichlet_concentration, geometric_offset, seed,
        decimals)
    n_draws = int(n_draws)
    r = model.regions.size
    totals = np.empty((n_draws, r))
    ranks = np.empty((n_draws, r))
    for d in range(n_draws):
        within, between = split_method(aggregations[draws.method[d]])
        wi = model.wi if draws.wi is None else draws.wi[d]
        comp = np.empty((r, len(model.components)))
        for c, idx in enumerate(model.members):
            comp[:, c] = aggregate(model.x[:, idx], wi[idx], within, geometric_offset)
        total = aggregate(comp, draws.wc[d], between, geometric_offset)
        totals[d] = total
        ranks[d] = pd.Series(bulat(total, decimals)).rank(
            method="min", ascending=False).to_numpy()

    def q(level: float) -> np.ndarray:
        return np.array([np.nan if np.isnan(ranks[:, i]).all() else
                         np.quantile(ranks[:, i], level, method=QUANTILE_METHOD)
                         for i in range(r)])

    nominal_total, nominal_rank = _nominal(model, nominal_aggregation, geometric_offset,
                                           decimals)
    p = (bulat(totals, decimals) >= threshold).mean(axis=0)
    table = _table(model, nominal_total, nominal_rank, q(0.5), q(0.05), q(0.95), totals, p)
    return _result(table, n_draws, seed, perturbation, sampling, aggregations,
                   nominal_aggregation, perturb_indicator_weights, dirichlet_concentration,
                   geometric_offset, threshold, len(model.components), decimals)


# --------------------------------------------------------------------------------------
# Year-over-year change
# --------------------------------------------------------------------------------------
#: Values of the ``signifikan`` column of :class:`RankChangeResult`.
SIGNIFIKAN = ("naik", "turun", "tidak pasti")


@dataclass(frozen=True)
class RankChangeResult:
    """Per-region change of rank and total between two years under shared weight draws.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per region present in *both* years (index: region codes, in the order
        of the current year), with columns

        ``nominal_total_previous``, ``nominal_total`` (float)
            totals of the previous and current year with the nominal weights.
        ``nominal_rank_previous``, ``nominal_rank`` (Int64)
            competition ranks of those totals among the common regions.
        ``p_naik``, ``p_turun`` (float)
            share of draws in which the rank this year is better (smaller) / worse
            (larger) than last year; equal ranks count as neither.
        ``p_skor_naik`` (float)
            share of draws in which the total rose (compared at 9 decimals).
        ``delta_total_median``, ``delta_total_p05``, ``delta_total_p95`` (float)
            median and 5%/95% quantiles over draws of ``total - total_previous``.
        ``signifikan`` (str)
            ``"naik"`` if ``p_naik >= level``, ``"turun"`` if ``p_turun >= level``,
            else ``"tidak pasti"``; ``"tanpa skor"`` where a year has no indicator.
    excluded_current, excluded_previous : tuple of str
        Regions scored only this year / only last year, left out of the comparison.
    n_draws, seed, perturbation, sampling, aggregations, nominal_aggregation,
    geometric_offset, level
        The settings used.
    """

    table: pd.DataFrame
    excluded_current: tuple[str, ...]
    excluded_previous: tuple[str, ...]
    n_draws: int
    seed: int
    perturbation: float
    sampling: str
    aggregations: tuple[str, ...]
    nominal_aggregation: str
    geometric_offset: float
    level: float
    decimals: int = RANK_DECIMALS

    @property
    def settings(self) -> dict[str, Any]:
        """The settings as a plain dict (everything but ``table`` and the exclusions)."""
        return {
            "n_draws": self.n_draws, "seed": self.seed, "perturbation": self.perturbation,
            "sampling": self.sampling, "aggregations": self.aggregations,
            "nominal_aggregation": self.nominal_aggregation,
            "geometric_offset": self.geometric_offset, "level": self.level,
            "decimals": self.decimals,
        }

    def describe(self) -> str:
        """One paragraph in Bahasa Indonesia stating what was compared and how."""
        if self.perturbation == 0:
            how = "bobot tetap pada nilai nominal"
        elif self.sampling == "uniform":
            how = uniform_weights_text(self.perturbation)
        else:
            how = "bobot komponen diundi dari sebaran Dirichlet yang berpusat pada bobot nominal"
        agg = _aggregation_text(self.aggregations)
        n = len(self.table)
        out = [(
            f"{angka(self.n_draws, 0)} simulasi Monte Carlo: {how}; {agg}. Kedua tahun "
            "dihitung dengan kerangka tahun ini dan bobot yang sama di setiap simulasi; "
            f"peringkat dihitung di antara {angka(n, 0)} wilayah yang dinilai pada "
            "kedua tahun."
        )]
        if self.excluded_current or self.excluded_previous:
            out.append(f"Tidak dibandingkan: {angka(len(self.excluded_current), 0)} "
                       f"wilayah hanya ada tahun ini, "
                       f"{angka(len(self.excluded_previous), 0)} hanya tahun lalu.")
        out.append(f"Perubahan disebut pasti bila peluangnya \u2265 "
                   f"{angka(self.level * 100, 0)}%. Seed {self.seed}.")
        return " ".join(out)


def _subset(model: _Model, rows: np.ndarray, cols: np.ndarray, regions: pd.Index) -> _Model:
    return dataclasses.replace(model, regions=regions, x=model.x[np.ix_(rows, cols)])


def rank_change(
    current_scores: pd.DataFrame,
    previous_scores: pd.DataFrame,
    indicator_component: Mapping[str, str],
    indicator_weights: Mapping[str, float],
    component_weights: Mapping[str, float],
    *,
    n_draws: int = 10_000,
    perturbation: float = 0.25,
    sampling: str = "uniform",
    aggregations: Sequence[str] = ("arithmetic", "geometric"),
    nominal_aggregation: str = "arithmetic",
    geometric_offset: float = 1.0,
    seed: int = 20241209,
    level: float = 0.95,
    chunk_size: int | None = None,
    decimals: int = RANK_DECIMALS,
) -> RankChangeResult:
    """Year-over-year change of rank and total, with the weights drawn once for both years.

    Both years are scored with the *same* framework (the weights given here, normally
    the current year's) and, in every Monte Carlo draw, the *same* drawn weights and
    aggregation method (one set of draws, as in :func:`rank_uncertainty`). So a region's
    change in a draw is due to its indicator scores, not to the weights moving between
    years. Ranks are computed per draw and per year among the regions present in *both*
    years; regions of only one year are left out (listed in ``excluded_current`` and
    ``excluded_previous``).

    Parameters
    ----------
    current_scores, previous_scores : pandas.DataFrame
        Regions x indicators of this year and of last year, values 0-100 or NaN; both
        must hold exactly the indicators of ``indicator_component`` (in any order).
    indicator_component, indicator_weights, component_weights
        As in :func:`rank_uncertainty`.
    n_draws, perturbation, sampling, aggregations, nominal_aggregation,
    geometric_offset, seed, chunk_size, decimals
        As in :func:`rank_uncertainty` (indicator weights are not perturbed).
    level : float, default 0.95
        A change is flagged (``signifikan``) when its probability is >= ``level``;
        ``0.5 < level <= 1``, so a region cannot be flagged both ways.

    Returns
    -------
    RankChangeResult
        ``.table`` per common region and the settings; see :class:`RankChangeResult`.

    Notes
    -----
    Memory: one ``n_draws x regions`` float64 array of total changes is kept for their
    quantiles; everything else is bounded by the chunk (two years scored per chunk).
    """
    aggregations = _check_options(n_draws, perturbation, sampling, aggregations,
                                  nominal_aggregation, geometric_offset, None, decimals)
    if not (0.5 < level <= 1):
        raise ValueError(f"level must be in (0.5, 1], got {level!r}")
    cur = _prepare(current_scores, indicator_component, indicator_weights, component_weights)
    prev = _prepare(previous_scores, indicator_component, indicator_weights,
                    component_weights)
    in_prev = set(prev.regions)
    in_cur = set(cur.regions)
    common = [r for r in cur.regions if r in in_prev]
    if not common:
        raise InputError(Problem("previous_scores",
                                 "tidak ada wilayah yang dinilai pada kedua tahun",
                                 expected="kode wilayah yang sama"))
    regions = pd.Index(common, name=cur.regions.name)
    prev_pos = {r: i for i, r in enumerate(prev.regions)}
    cur_pos = {r: i for i, r in enumerate(cur.regions)}
    col_of = {c: j for j, c in enumerate(prev.indicators)}
    all_cols = np.arange(len(cur.indicators))
    mc = _subset(cur, np.array([cur_pos[r] for r in common]), all_cols, regions)
    # previous year's columns in the current year's order, weights of the current year
    mp = dataclasses.replace(mc, x=prev.x[np.ix_(np.array([prev_pos[r] for r in common]),
                                                 np.array([col_of[c] for c in cur.indicators]))])
    n_draws = int(n_draws)
    draws = _draw(mc, n_draws, perturbation=perturbation, sampling=sampling,
                  n_methods=len(aggregations), perturb_indicator_weights=False,
                  concentration=None, seed=seed)
    r = regions.size
    chunk = _chunk_size(mc, False, chunk_size)
    fixed_c = _fixed_components(mc, aggregations, geometric_offset)
    fixed_p = _fixed_components(mp, aggregations, geometric_offset)
    delta = np.empty((n_draws, r))
    up = np.zeros(r, dtype=np.int64)
    down = np.zeros(r, dtype=np.int64)
    score_up = np.zeros(r, dtype=np.int64)
    for start in range(0, n_draws, chunk):  # chunks of draws, both years per chunk
        stop = min(n_draws, start + chunk)
        tc = _totals(mc, draws, start, stop, aggregations, geometric_offset, fixed_c)
        tp = _totals(mp, draws, start, stop, aggregations, geometric_offset, fixed_p)
        rc, rp = bulat(tc, decimals), bulat(tp, decimals)
        kc, kp = _competition_ranks(rc), _competition_ranks(rp)
        both = (kc > 0) & (kp > 0)
        up += (both & (kc < kp)).sum(axis=0)
        down += (both & (kc > kp)).sum(axis=0)
        score_up += (rc > rp).sum(axis=0)  # False where either is NaN
        delta[start:stop] = tc - tp

    total_c, rank_c = _nominal(mc, nominal_aggregation, geometric_offset, decimals)
    total_p, rank_p = _nominal(mp, nominal_aggregation, geometric_offset, decimals)
    missing = np.isnan(total_c) | np.isnan(total_p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        d05, d50, d95 = np.nanquantile(delta, [0.05, 0.5, 0.95], axis=0)

    def share(count: np.ndarray) -> np.ndarray:
        return np.where(missing, np.nan, count / n_draws)

    p_up, p_down = share(up), share(down)
    flag = np.where(missing, "tanpa skor",
                    np.where(p_up >= level, "naik",
                             np.where(p_down >= level, "turun", "tidak pasti")))
    table = pd.DataFrame(
        {
            "nominal_total_previous": total_p,
            "nominal_total": total_c,
            "nominal_rank_previous": _int_column(np.where(rank_p == 0, np.nan, rank_p)),
            "nominal_rank": _int_column(np.where(rank_c == 0, np.nan, rank_c)),
            "p_naik": p_up,
            "p_turun": p_down,
            "p_skor_naik": share(score_up),
            "delta_total_median": np.where(missing, np.nan, d50),
            "delta_total_p05": np.where(missing, np.nan, d05),
            "delta_total_p95": np.where(missing, np.nan, d95),
            "signifikan": flag.astype(object),
        },
        index=regions.copy(),
    )
    return RankChangeResult(
        table=table,
        excluded_current=tuple(r for r in cur.regions if r not in in_prev),
        excluded_previous=tuple(r for r in prev.regions if r not in in_cur),
        n_draws=n_draws, seed=seed, perturbation=float(perturbation), sampling=sampling,
        aggregations=aggregations,
        nominal_aggregation=join_method(*split_method(nominal_aggregation)),
        geometric_offset=float(geometric_offset), level=float(level), decimals=int(decimals),
    )


# --------------------------------------------------------------------------------------
# Sobol' sensitivity
# --------------------------------------------------------------------------------------
def rank_sensitivity(
    indicator_scores: pd.DataFrame,
    indicator_component: Mapping[str, str],
    indicator_weights: Mapping[str, float],
    component_weights: Mapping[str, float],
    *,
    perturbation: float = 0.25,
    aggregations: Sequence[str] = ("arithmetic", "geometric"),
    perturb_indicator_weights: bool = False,
    geometric_offset: float = 1.0,
    output: str = "rank",
    n_base: int = 256,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    seed: int = 20241209,
    component_names: Mapping[str, str] | None = None,
    region_names: Mapping[str, str] | None = None,
    decimals: int = RANK_DECIMALS,
) -> SensitivityResult:
    """Sobol' first-order and total indices of each region's rank over the weights.

    Factors: one multiplicative factor ``U(1 - p, 1 + p)`` per component weight, the
    aggregation choice when ``aggregations`` has more than one method (a ``U(0, 1)``
    variable cut into equal intervals, one per method: a legitimate discrete factor,
    since Sobol' indices only need independent inputs), and one factor per indicator
    weight when ``perturb_indicator_weights``. The factors are independent, which is why
    there is no Dirichlet option here (Dirichlet shares are dependent).

    The model is evaluated once for all regions: SALib's Sobol' design (``n_base * (k +
    2)`` rows for ``k`` factors, no second-order terms) gives one weights matrix, every
    region is scored and ranked under every row (vectorised, as in
    :func:`rank_uncertainty`), and ``SALib.analyze.sobol.analyze`` is then run on each
    region's column. Measured on 2 cores, 514 regions, 7 factors, defaults: about 2 s in
    all (plus ~1 s to import SALib once), almost all of it in SALib's bootstrap; the
    cost grows linearly with ``n_base``, ``num_resamples`` and the number of factors
    (26 factors with indicator weights: ~9 s). ``n_base`` must be a power of 2.

    Parameters
    ----------
    indicator_scores, indicator_component, indicator_weights, component_weights
        As in :func:`rank_uncertainty`.
    perturbation : float, default 0.25
        Half-width ``p`` of the weight factors, ``0 <= p < 1``.
    aggregations : sequence of str, default ("arithmetic", "geometric")
        Aggregation methods the aggregation factor chooses from.
    perturb_indicator_weights : bool, default False
        Add one factor per indicator weight.
    geometric_offset : float, default 1.0
        Offset of the zero-safe geometric mean.
    output : {"rank", "total"}, default "rank"
        The model output analysed per region: its competition rank among all regions
        (what the reports are about), or its total score.
    n_base : int, default 256
        Base sample size ``N`` of the Sobol' design (median bootstrap half-width of ST
        about 0.02 on synthetic data of 514 regions; 512 gives ~0.017 at twice the cost).
    num_resamples : int, default 100
        Bootstrap resamples for the confidence intervals.
    conf_level : float, default 0.95
        Level of the confidence intervals.
    seed : int, default 20241209
        Seed of the Sobol' sequence scrambling and of the bootstrap.
    component_names : mapping of str to str, optional
        Component code -> display name for the sentences ("K2 (Kualitas pengawasan)").
    region_names : mapping of str to str, optional
        Region code -> display name for the sentences ("Kota Serang").
    decimals : int, default 9
        Rounding of the totals before ranking (the framework's ``precision``).

    Returns
    -------
    SensitivityResult
        ``.indices`` (long: region, factor, kind, S1, S1_conf, ST, ST_conf) and
        ``.summary`` (per region: top factor, top component weight, sentence).

    Notes
    -----
    A region whose output is the same in every evaluation has no variance to split:
    its indices are NaN and its sentence says the rank is not affected by the weights.
    When the output changes only in the cross-sampled rows and never in SALib's base
    matrices A and B, the estimators are undefined at this ``n_base``: also NaN, status
    ``"too_rare"``. Estimates carry sampling error (see ``*_conf``); S1 may be slightly
    negative and S1 of a step-like rank output is often small next to ST.
    """
    from SALib.analyze import sobol as sobol_analyze  # heavy import (~0.7 s): lazily
    from SALib.sample import sobol as sobol_sample

    aggregations = _check_options(1, perturbation, "uniform", aggregations, "arithmetic",
                                  geometric_offset, None, decimals)
    if output not in ("rank", "total"):
        raise ValueError(f"output must be 'rank' or 'total', got {output!r}")
    if int(n_base) != n_base or n_base < 2 or (n_base & (n_base - 1)):
        raise ValueError(f"n_base must be a power of 2 >= 2, got {n_base!r}")
    if not (0 < conf_level < 1):
        raise ValueError(f"conf_level must be in (0, 1), got {conf_level!r}")
    model = _prepare(indicator_scores, indicator_component, indicator_weights,
                     component_weights)
    names = dict(component_names.items()) if component_names is not None else {}
    rnames = dict(region_names.items()) if region_names is not None else {}

    n_comp, n_meth = len(model.components), len(aggregations)
    factors = list(model.components)
    kinds = ["component_weight"] * n_comp
    if n_meth > 1:
        factors.append("agregasi")
        kinds.append("aggregation")
    if perturb_indicator_weights:
        factors += list(model.indicators)
        kinds += ["indicator_weight"] * len(model.indicators)
    k = len(factors)
    # Distinct internal names: an indicator code may equal a component code.
    problem = {"num_vars": k, "names": [f"f{i}" for i in range(k)], "bounds": [[0.0, 1.0]] * k}
    u = sobol_sample.sample(problem, int(n_base), calc_second_order=False, seed=seed)
    factor = (1.0 - perturbation) + 2.0 * perturbation * u  # unit cube -> [1-p, 1+p]
    col = n_comp
    if n_meth > 1:
        method = np.minimum((u[:, col] * n_meth).astype(np.int64), n_meth - 1)
        col += 1
    else:
        method = np.zeros(u.shape[0], dtype=np.int64)
    wi = model.wi * factor[:, col:] if perturb_indicator_weights else None
    draws = _Draws(model.wc * factor[:, :n_comp], method, wi)

    n_eval = u.shape[0]
    y = np.empty((n_eval, model.regions.size))

    def on_chunk(start: int, t: np.ndarray, rounded: np.ndarray, ranks: np.ndarray) -> None:
        y[start:start + t.shape[0]] = ranks if output == "rank" else t

    _simulate(model, draws, aggregations, geometric_offset,
              _chunk_size(model, perturb_indicator_weights, None), on_chunk, decimals)
    if output == "rank":
        y[y == 0] = np.nan  # regions without any score
    y = np.ascontiguousarray(y.T)  # one contiguous row per region for SALib

    step = k + 2  # SALib's row layout without second order: A, AB_1..AB_k, B
    base_rows = np.r_[np.arange(0, n_eval, step), np.arange(step - 1, n_eval, step)]
    analyse_seed = int(np.random.default_rng(seed).integers(1, 2**31 - 1))  # SALib: 0 = unseeded
    rows, summary = [], []
    for i, region in enumerate(model.regions):
        yi = y[i]
        label = rnames.get(region, region)
        s1 = st = s1c = stc = np.full(k, np.nan)
        if np.isnan(yi).any():
            status, changed = "no_score", 0
        else:
            _, counts = np.unique(yi, return_counts=True)
            changed = int(yi.size - counts.max())  # evaluations away from the modal output
            if np.ptp(yi) == 0:
                status = "constant"
            elif np.ptp(yi[base_rows]) == 0:
                status = "too_rare"
            else:
                status = "varies"
                with warnings.catch_warnings():
                    # bootstrap resamples can be constant when changes are rare
                    warnings.filterwarnings("ignore", message="Constant values encountered")
                    res = sobol_analyze.analyze(problem, yi, calc_second_order=False,
                                                num_resamples=int(num_resamples),
                                                conf_level=conf_level,
                                                print_to_console=False, seed=analyse_seed)
                s1, s1c = np.asarray(res["S1"]), np.asarray(res["S1_conf"])
                st, stc = np.asarray(res["ST"]), np.asarray(res["ST_conf"])
        for j in range(k):
            rows.append((region, factors[j], kinds[j], s1[j], s1c[j], st[j], stc[j]))
        summary.append(_sentence_row(region, label, status, changed, n_eval, yi, factors,
                                     kinds, st, names, output, aggregations))
    indices = pd.DataFrame(rows, columns=["region", "factor", "kind", "S1", "S1_conf", "ST",
                                          "ST_conf"])
    summary_df = pd.DataFrame(summary).set_index("region")
    summary_df.index.name = model.regions.name
    return SensitivityResult(
        indices=indices, summary=summary_df, output=output, n_base=int(n_base),
        n_evaluations=n_eval, seed=seed, perturbation=float(perturbation),
        aggregations=aggregations, perturb_indicator_weights=bool(perturb_indicator_weights),
        geometric_offset=float(geometric_offset), num_resamples=int(num_resamples),
        conf_level=float(conf_level), factors=tuple(factors),
    )


def _factor_label(factor: str, kind: str, names: Mapping[str, str],
                  aggregations: tuple[str, ...]) -> str:
    if kind == "component_weight":
        return f"bobot {factor} ({names[factor]})" if factor in names else f"bobot {factor}"
    if kind == "aggregation":
        return ("pilihan metode agregasi ("
                + ("; " if any("/" in m for m in aggregations) else " atau ").join(
                    agregasi(m) for m in aggregations) + ")")
    return f"bobot indikator {factor}"


def _sentence_row(region, label, status, changed, n_eval, yi, factors, kinds, st, names,
                  output, aggregations) -> dict[str, Any]:
    what = "Peringkat" if output == "rank" else "Skor total"
    row: dict[str, Any] = {"region": region, "status": status, "n_changed": changed,
                           "top_factor": None, "top_factor_st": np.nan,
                           "top_component": None, "top_component_st": np.nan}
    sources = "bobot maupun metode agregasi" if len(aggregations) > 1 else "bobot"
    if status == "no_score":
        row["sentence"] = f"{label} tidak punya skor indikator sama sekali."
    elif status == "constant":
        value = angka(yi[0], 0) if output == "rank" else angka(yi[0], 2)
        row["sentence"] = (f"{what} {label} tidak terpengaruh {sources}: tetap {value} di "
                           f"semua {angka(n_eval, 0)} simulasi.")
    elif status == "too_rare":
        row["sentence"] = (f"{what} {label} hampir tidak terpengaruh {sources}: berubah hanya "
                           f"di {angka(changed, 0)} dari {angka(n_eval, 0)} "
                           "simulasi, terlalu jarang untuk indeks Sobol.")
    else:
        top = int(np.nanargmax(st))
        comp = [j for j, kd in enumerate(kinds) if kd == "component_weight"]
        top_c = comp[int(np.nanargmax(st[comp]))]
        row.update(top_factor=factors[top], top_factor_st=float(st[top]),
                   top_component=factors[top_c], top_component_st=float(st[top_c]))
        lead = f"{what} {label} paling dipengaruhi oleh "
        if changed < 0.10 * n_eval:  # keep the sentence in line with a collapsed interval
            lead = (f"{what} {label} jarang berubah (di {angka(changed, 0)} dari "
                    f"{angka(n_eval, 0)} simulasi); perubahan yang jarang itu paling "
                    "dipengaruhi oleh ")
        text = (lead + f"{_factor_label(factors[top], kinds[top], names, aggregations)}: "
                f"indeks Sobol total {angka(st[top], 2)}")
        if top != top_c:
            text += (f"; di antara bobot komponen, yang paling berpengaruh adalah "
                     f"{_factor_label(factors[top_c], 'component_weight', names, aggregations)}"
                     f" ({angka(st[top_c], 2)})")
        row["sentence"] = text + "."
    return row
