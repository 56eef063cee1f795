"""Scores, ranks, categories, screening and designations: pure functions over frames.

Nothing here reads or writes files. :func:`score_year` turns validated inputs into an
:class:`Assessment`; :func:`rescore` reuses an assessment's indicator scores under other
weights or another aggregation (what-if) without touching the inputs again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .aggregate import aggregate, split_method
from .errors import InputError, Problem
from .fmt import ringkas
from .framework import Framework
from .inputs import YearInputs

__all__ = ["Assessment", "score_year", "rescore", "aggregate_matrix", "competition_rank",
           "evaluate_screening", "effective_weights", "shared_value_problems",
           "screening_counts", "screening_count_text", "STATUS", "SCREEN", "ORIGIN",
           "COMPARISON"]

# Screening outcomes and designation labels (shown in reports as they are).
SCREEN = {"pass": "lulus", "fail": "tidak lulus", "unknown": "tidak diketahui",
          "none": "tanpa ambang", "stale": "kedaluwarsa"}
OVERALL = {"pass": "lulus", "fail": "tidak lulus", "incomplete": "belum lengkap"}
DESIGNATION = {"yes": "Ditetapkan", "pending": "Tertunda", "no": "Tidak ditetapkan"}
STATUS = {"present": "ada", "empty": "kosong", "norow": "tanpa baris"}
TREATMENT = {"zero": "diberi 0", "renormalise": "dikeluarkan",
             "province_mean": "rata-rata provinsi",
             "empty_component": "diberi 0 (komponen tanpa bukti)"}
#: Where a screening figure came from (column ``asal_nilai`` of the screening table).
ORIGIN = {"table": "tabel penyaringan", "indicator": "indikator"}
#: How last year's total was scored (``Assessment.comparison["cara"]``): with the
#: previous year's own framework, or like for like with this year's framework.
COMPARISON = {"own": "kerangka_sendiri", "like_for_like": "setara"}


@dataclass(frozen=True)
class Assessment:
    """A scored year. Every frame is a fresh copy owned by this value."""

    year: int
    framework: Framework
    results: pd.DataFrame      # one row per region, ranked
    indicators: pd.DataFrame   # one row per region and indicator, with flags
    components: pd.DataFrame   # regions x components (index kode_wilayah)
    screening: pd.DataFrame    # one row per region and criterion
    input_files: dict = field(default_factory=dict)
    #: How last year's figures were scored (None without a previous year): ``tahun``,
    #: ``cara`` (a value of :data:`COMPARISON`), ``kerangka``, ``versi``, ``sha256``,
    #: ``agregasi``. Recorded in the manifest so reports can say which was used.
    comparison: dict | None = None

    @property
    def aggregation(self) -> str:
        return self.framework.aggregation

    def indicator_matrix(self) -> pd.DataFrame:
        """Regions x indicators after the missing-data policy (NaN = left out)."""
        m = self.indicators.pivot(index="kode_wilayah", columns="kode_indikator", values="skor")
        return m.reindex(index=self.components.index, columns=self.framework.indicator_codes)

    def region(self, code: str) -> pd.Series:
        return self.results.set_index("kode_wilayah").loc[code]

    @property
    def synthetic(self) -> bool:
        return bool(self.indicators["sintetis"].any())


def competition_rank(values: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Descending competition rank (1, 2, 2, 4); NaN ranks last. Ties on 9 decimals.

    Scoring ranks totals already rounded to the framework's precision
    (:meth:`Framework.round_total`), so totals that print alike share a rank; the 9
    decimals here only absorb floating-point noise for other callers.
    """
    v = values.round(9)
    if groups is None:
        r = v.rank(method="min", ascending=False, na_option="bottom")
    else:
        r = v.groupby(groups).rank(method="min", ascending=False, na_option="bottom")
    return r.astype(int)


@dataclass(frozen=True)
class _Weights:
    """A framework's weights as read-only arrays in framework order."""

    indicator: np.ndarray   # share within the component
    component: np.ndarray   # share of the total, in component order
    effective: np.ndarray   # share of the total
    component_of: np.ndarray
    member: np.ndarray      # (indicators, components) 0/1: indicator j in component k


def _weights(fw: Framework) -> _Weights:
    # Frameworks are immutable (and hashable), so their weights are computed once; the
    # Series arithmetic behind them costs more than scoring 514 regions.
    try:
        return _cached_weights(fw)
    except TypeError:  # an unhashable value somewhere in a hand-built framework
        return _cached_weights.__wrapped__(fw)


@functools.lru_cache(maxsize=64)
def _cached_weights(fw: Framework) -> _Weights:
    codes = fw.indicator_codes
    component_of = np.array([i.component for i in fw.indicators], dtype=object)
    member = (component_of[:, None] == np.array(fw.component_codes, dtype=object)[None, :])
    arrays = (fw.indicator_weights().reindex(codes).to_numpy(float, copy=True),
              fw.component_weights().to_numpy(float, copy=True),
              fw.effective_indicator_weights().reindex(codes).to_numpy(float, copy=True),
              component_of, member.astype(float))
    for a in arrays:
        a.setflags(write=False)
    return _Weights(*arrays)


def aggregate_matrix(matrix: pd.DataFrame, framework: Framework,
                     aggregation: str | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Indicator scores (regions x indicators) -> component scores and totals.

    ``matrix`` needs a column for every indicator of the framework (extra columns are
    ignored); NaN scores are left out and their weight shared within the component.
    ``aggregation`` (default: the framework's) is a spec: one method for both levels or
    ``"<within>/<between>"`` (:func:`antikorupsi.aggregate.split_method`).
    """
    within, between = split_method(aggregation or framework.aggregation)
    codes = framework.indicator_codes
    pos = matrix.columns.get_indexer(codes)
    if (pos < 0).any():
        raise KeyError(f"indicators missing from the matrix: "
                       f"{[c for c, p in zip(codes, pos) if p < 0]}")
    x = matrix.to_numpy(float)[:, pos]
    w = _weights(framework)
    cols = {}
    for c in framework.component_codes:
        part = np.flatnonzero(w.component_of == c)
        cols[c] = aggregate(x[:, part], w.indicator[part], within, framework.geometric_offset)
    comps = pd.DataFrame(cols, index=matrix.index)
    total = aggregate(comps.to_numpy(float), w.component, between, framework.geometric_offset)
    return comps, pd.Series(total, index=matrix.index, name="skor_total")


_TEXT = pd.Series(["teks"]).dtype  # the dtype pandas infers for text (str in pandas 3)


def _text(values: list[str], codes: np.ndarray):
    """A text column holding ``values[codes]``, built without a per-row conversion."""
    return pd.array(list(values), dtype=_TEXT).take(codes)


def _positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each value in ``index`` (-1 where absent or missing).

    Factorising first keeps the hash lookups to the distinct values, which matters for
    long Arrow-backed text columns.
    """
    codes, uniques = pd.factorize(values)
    where = np.append(index.get_indexer(uniques), -1)  # code -1 (missing) -> -1
    return where[codes]


def _indicator_table(fw: Framework, inputs: YearInputs, assessed: pd.DataFrame) -> pd.DataFrame:
    """One row per assessed region and framework indicator (region-major), with flags.

    Input rows are placed by their position in the regions x indicators grid rather
    than merged, and text columns are gathered with ``take``: the same table, an order
    of magnitude faster at national scale.
    """
    icodes = fw.indicator_codes
    n_r, n_i = len(assessed), len(icodes)
    n = n_r * n_i
    src = inputs.indicators
    r_pos = _positions(src["kode_wilayah"], pd.Index(assessed["kode_wilayah"]))
    i_pos = _positions(src["kode_indikator"], pd.Index(icodes))
    keep = np.flatnonzero((r_pos >= 0) & (i_pos >= 0))
    cell = r_pos[keep] * n_i + i_pos[keep]
    if len(cell) and np.bincount(cell).max() > 1:
        raise ValueError("more than one indicator row for a region and indicator")
    take = np.full(n, -1)
    take[cell] = keep
    has_row = take >= 0

    def number(name: str, fill: object, dtype: type) -> np.ndarray:
        out = np.full(n, fill, dtype=dtype)
        out[has_row] = src[name].to_numpy(dtype=dtype)[take[has_row]]
        return out

    def text(name: str):
        return src[name].array.take(take, allow_fill=True, fill_value="")

    given = number("skor_masukan", np.nan, float)
    missing = np.isnan(given)
    skor = given.copy()
    policy = fw.missing_indicator
    treatment = np.where(missing, 1, 0)  # codes into ["", TREATMENT[policy], ...]
    if policy == "zero":
        skor[missing] = 0.0
    elif policy == "province_mean":
        wide = pd.DataFrame(given.reshape(n_r, n_i))
        means = wide.groupby(assessed["kode_provinsi"].to_numpy(dtype=object)).transform("mean")
        skor = np.where(missing, means.to_numpy(float).ravel(), given)
        treatment[missing & np.isnan(skor)] = 2  # nobody in the province to borrow from
    status = np.where(~has_row, 0, np.where(missing, 1, 2))
    w = _weights(fw)
    if fw.empty_component == "zero":
        # a component with no score at all (every indicator left out) scores 0: its
        # weight stays, nothing moves to the other components
        grid = skor.reshape(n_r, n_i)
        scored = ~np.isnan(grid)
        empty = (scored.astype(float) @ w.member) == 0        # (regions, components)
        fill = (empty @ w.member.T > 0) & ~scored            # indicators of those
        grid[fill] = 0.0
        treatment[fill.ravel()] = 3
    region = np.repeat(np.arange(n_r), n_i)
    indicator = np.tile(np.arange(n_i), n_r)
    return pd.DataFrame({
        "kode_wilayah": assessed["kode_wilayah"].array.take(region),
        "kode_indikator": _text(icodes, indicator),
        "kode_komponen": _text(w.component_of.tolist(), indicator),
        "nilai": text("nilai"),
        "angka": number("angka", np.nan, float),
        "skor": skor,
        "status": _text([STATUS["norow"], STATUS["empty"], STATUS["present"]], status),
        "perlakuan": _text(["", TREATMENT[policy], TREATMENT["renormalise"],
                            TREATMENT["empty_component"]], treatment),
        "sintetis": number("sintetis", False, bool),
        "asumsi": np.array([i.assumption for i in fw.indicators], dtype=bool)[indicator],
        "bobot_efektif": effective_weights(fw, skor.reshape(n_r, n_i)).ravel(),
        "bukti": text("bukti"),
        "catatan": text("catatan"),
        "asal": text("asal"),
        # the stage each value comes from (panel.consolidate); a frame without it
        # holds final values, the layout before stages existed
        "tahap": text("tahap") if "tahap" in src.columns else _text(
            ["", "final"], has_row.astype(int)),
        "jumlah_penilai": number("jumlah_penilai", 0, np.int64)
        if "jumlah_penilai" in src.columns else np.zeros(n, dtype=np.int64),
    })


def effective_weights(fw: Framework, scores: np.ndarray) -> np.ndarray:
    """Each indicator's share of each region's total as actually used.

    ``scores`` is regions x indicators (framework order) after the missing-data policy;
    a NaN score is left out, so its weight goes to the scored indicators of its
    component, and a component with no score at all gives its weight to the other
    components (both as :mod:`antikorupsi.aggregate` renormalises). Rows sum to 1 (0
    for a region without any score). The same shares are the exponents of the
    geometric mean, so they hold for either aggregation.
    """
    w = _weights(fw)
    scored = ~np.isnan(np.asarray(scores, dtype=float))
    wi = np.where(scored, w.indicator, 0.0)                  # (regions, indicators)
    per_comp = wi @ w.member                                 # (regions, components)
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.nan_to_num(wi / (per_comp @ w.member.T))
        wc = np.where(per_comp > 0, w.component, 0.0)
        wc = np.nan_to_num(wc / wc.sum(axis=1, keepdims=True))
    return within * (wc @ w.member.T)


_OPS = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less,
        "==": np.equal}
_OUTCOMES = [SCREEN["pass"], SCREEN["fail"], SCREEN["unknown"], SCREEN["none"], SCREEN["stale"]]
_PASS, _FAIL, _UNKNOWN, _NONE, _STALE = range(5)


def _group_starts(cells: np.ndarray) -> np.ndarray:
    """Positions where a run of equal values starts in a sorted array."""
    if len(cells) == 0:
        return np.zeros(0, dtype=int)
    return np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])


def _joined(cells: np.ndarray, texts: np.ndarray, n: int, sep: str) -> np.ndarray:
    """Per cell (0..n-1), its texts joined by ``sep`` in the given order ("" if none)."""
    out = np.full(n, "", dtype=object)
    order = np.argsort(cells, kind="stable")
    cells, texts = cells[order], texts[order]
    starts = _group_starts(cells)
    ends = np.r_[starts[1:], len(cells)].astype(int)
    single = ends - starts == 1
    out[cells[starts[single]]] = texts[starts[single]]
    for a, b in zip(starts[~single], ends[~single]):  # few: several notes for one figure
        out[cells[a]] = sep.join(texts[a:b])
    return out


def evaluate_screening(fw: Framework, screening: pd.DataFrame, codes: list[str],
                       year: int, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per region and criterion: the value used, its year and source, the outcome.

    The latest figure (by ``tahun_data``; rows without a year after those with one,
    ties in input order) decides, unless it is older than the framework's
    ``max_data_age_years`` ("kedaluwarsa"; a figure without a year counts as too old).
    A ``consecutive`` rule needs that many consecutive data years, all with the
    required grade: a different grade fails, fewer or non-consecutive years are "tidak
    diketahui". A criterion without a published threshold is "tanpa ambang" whatever
    its value. ``catatan`` joins every note of the region's rows for the criterion.

    Rules stated per criterion in the framework:

    - ``indicator: I01`` (one fact, one value): when the table holds no figure of the
      assessment year for a region, that region's indicator value of the year (from
      ``indicators``, the indicator table of the assessment, rows with a value) is the
      figure, dated the assessment year, with ``asal_nilai`` "indikator I01" and the
      indicator's synthetic flag. (When both exist and differ,
      :func:`shared_value_problems` reports it; :func:`score_year` stops.)
    - ``window_years: N`` (the case criterion): any figure of the last ``N`` data years
      up to the assessment year that breaks the rule fails the criterion, even when a
      later figure passes or it is older than ``max_data_age_years`` (a case stays a
      case); a passing figure must be recent, as for other criteria.

    Extra columns: ``kedaluwarsa`` (the figure shown is older than
    ``max_data_age_years``, for every criterion, with or without a threshold; a
    criterion with a threshold is then "kedaluwarsa"), ``asal_nilai`` ("tabel
    penyaringan", "indikator <kode>", or "" without a figure) and ``sintetis`` (the
    figure is synthetic: from a synthetic indicator value, or its source says
    SINTETIS).
    """
    # Vectorised over (region, criterion) cells: Python loops run over the criteria and
    # the years of a consecutive rule only. (Grouping with pandas, the first version
    # took 2 s for 514 regions, 99% of score_year.)
    crits = fw.screening
    codes = list(codes)
    n_c = len(crits)
    n = len(codes) * n_c
    r = _positions(screening["kode_wilayah"], pd.Index(codes))
    c = _positions(screening["kriteria"], pd.Index([x.code for x in crits]))
    cell = np.where((r >= 0) & (c >= 0), r * n_c + c, -1)
    nilai = screening["nilai"].to_numpy(dtype=object)
    angka = screening["angka"].to_numpy(dtype=object)
    sumber = screening["sumber"].to_numpy(dtype=object)
    catatan = screening["catatan"].to_numpy(dtype=object)
    has_year = screening["tahun_data"].notna().to_numpy(bool)
    years = screening["tahun_data"].to_numpy(dtype=float, na_value=np.nan)
    origin = np.full(len(cell), ORIGIN["table"], dtype=object)
    synth = screening["sumber"].str.contains("SINTETIS", regex=False).to_numpy(
        dtype=bool, na_value=False)
    if indicators is not None and any(x.indicator for x in crits):
        extra = _indicator_figures(fw, indicators, codes, year, cell,
                                   (nilai != "") & (years == year))
        if extra is not None:
            m = len(extra["cell"])
            cat = np.concatenate
            cell, nilai, angka = (cat([cell, extra["cell"]]), cat([nilai, extra["nilai"]]),
                                  cat([angka, extra["angka"]]))
            sumber = cat([sumber, extra["sumber"]])
            catatan = cat([catatan, np.full(m, "", dtype=object)])
            has_year = cat([has_year, np.ones(m, dtype=bool)])
            years = cat([years, np.full(m, float(year))])
            origin, synth = cat([origin, extra["origin"]]), cat([synth, extra["sintetis"]])

    noted = np.flatnonzero((cell >= 0) & (catatan != ""))
    notes = _joined(cell[noted], catatan[noted], n, "; ")

    # rows with a value, each cell's rows latest first
    kr = np.flatnonzero((cell >= 0) & (nilai != ""))
    kr = kr[np.lexsort((kr, -np.nan_to_num(years[kr]), ~has_year[kr], cell[kr]))]
    kc = cell[kr]
    starts = _group_starts(kc)
    ends = np.r_[starts[1:], len(kc)].astype(int)
    latest = np.full(n, -1)
    latest[kc[starts]] = kr[starts]
    first = np.full(n, -1)
    first[kc[starts]] = starts
    size = np.zeros(n, dtype=int)
    size[kc[starts]] = ends - starts
    has = latest >= 0
    crit_of = np.tile(np.arange(n_c), len(codes))
    ruled = np.array([x.rule is not None for x in crits], dtype=bool)

    # window rules: a breach in the window decides (the latest one is shown)
    breach = np.zeros(n, dtype=bool)
    for j, crit in enumerate(crits):
        rule = crit.rule
        if crit.window_years is None or rule is None or rule.op == "consecutive":
            continue
        lo, _ = crit.window(year)
        rows = kr[(kc % n_c == j) & (years[kr] >= lo)]  # still latest first per cell
        broken = rows[~_OPS[rule.op](angka[rows].astype(float), float(rule.value))]
        if len(broken):
            bc = cell[broken]
            keep = _group_starts(bc)
            latest[bc[keep]] = broken[keep]
            breach[bc[keep]] = True
    lr = latest[has]

    out_nilai = np.full(n, "", dtype=object)
    out_nilai[has] = nilai[lr]
    out_year = np.full(n, np.nan)
    out_year[has] = years[lr]
    out_src = np.full(n, "", dtype=object)
    out_src[has] = sumber[lr]
    out_origin = np.full(n, "", dtype=object)
    out_origin[has] = origin[lr]
    out_synth = np.zeros(n, dtype=bool)
    out_synth[has] = synth[lr]
    age = fw.max_data_age_years
    old = has & ~breach & (False if age is None else ~(out_year >= year - age))
    outcome = np.where(ruled[crit_of], _UNKNOWN, _NONE)
    stale = old & ruled[crit_of]
    outcome[stale] = _STALE
    outcome[breach] = _FAIL
    for j, crit in enumerate(crits):
        rule = crit.rule
        sel = np.flatnonzero(has & ~stale & ~breach & (crit_of == j))
        if rule is None or len(sel) == 0:
            continue
        if rule.op != "consecutive":
            x = angka[latest[sel]].astype(float)
            outcome[sel] = np.where(_OPS[rule.op](x, float(rule.value)), _PASS, _FAIL)
            continue
        # the rule's number of latest rows per cell, as a (cells, years) grid
        span = np.arange(rule.years)
        valid = span < np.minimum(size[sel], rule.years)[:, None]
        rows = kr[np.where(valid, first[sel][:, None] + span, first[sel][:, None])]
        grade, ys = angka[rows], years[rows]
        wrong = (valid & (grade != rule.value)).any(axis=1)
        run = valid.all(axis=1) & (ys == ys[:, :1] - span).all(axis=1)
        outcome[sel] = np.where(wrong, _FAIL, np.where(run, _PASS, _UNKNOWN))
        # shown value "WTP (2024), WTP (2023)" and the distinct sources, built column by
        # column on object arrays (the first row of every cell is valid)
        label = (grade.astype(str).astype(object) + " ("
                 + np.nan_to_num(ys).astype(int).astype(str).astype(object) + ")")
        src = np.where(valid, sumber[rows], "")
        shown, sources = label[:, 0], src[:, 0]
        for k in range(1, rule.years):
            shown = np.where(valid[:, k], shown + ", " + label[:, k], shown)
            new = src[:, k]
            repeated = (new == "") | (src[:, :k] == new[:, None]).any(axis=1)
            sources = np.where(repeated, sources,
                               np.where(sources == "", new, sources + "; " + new))
        out_nilai[sel] = shown
        out_src[sel] = sources

    region = np.repeat(np.arange(len(codes)), n_c)
    return pd.DataFrame({
        "kode_wilayah": _text(codes, region),
        "kriteria": _text([x.code for x in crits], crit_of),
        "nama_kriteria": _text([x.name for x in crits], crit_of),
        "nilai": out_nilai,
        "tahun_data": pd.Series(out_year).astype("Int64").array,
        "ambang": _text([x.rule.describe() if x.rule else "tidak dipublikasikan"
                         for x in crits], crit_of),
        "sumber_ambang": _text([x.source or "" for x in crits], crit_of),
        "hasil": _text(_OUTCOMES, outcome),
        "sumber": out_src,
        "catatan": notes,
        "kedaluwarsa": old,
        "asal_nilai": out_origin,
        "sintetis": out_synth,
    })


def _indicator_figures(fw: Framework, indicators: pd.DataFrame, codes: list[str], year: int,
                       cell: np.ndarray, dated_this_year: np.ndarray) -> dict | None:
    """Figures taken from indicators for criteria that name one (``indicator: I01``):
    one per region with an indicator value and no table figure of the assessment year.
    Arrays aligned with each other (``cell`` indexes the (region, criterion) grid)."""
    n_c = len(fw.screening)
    region_pos = pd.Index(codes)
    taken = np.zeros(len(codes) * n_c, dtype=bool)
    taken[cell[(cell >= 0) & dated_this_year]] = True
    present = (indicators["status"] == STATUS["present"]).to_numpy(dtype=bool)
    parts = []
    for j, crit in enumerate(fw.screening):
        if crit.indicator is None:
            continue
        rows = np.flatnonzero(present & (indicators["kode_indikator"] == crit.indicator)
                              .to_numpy(dtype=bool))
        r = _positions(indicators["kode_wilayah"].take(rows), region_pos)
        rows, cells = rows[r >= 0], r[r >= 0] * n_c + j
        use = ~taken[cells]
        rows, cells = rows[use], cells[use]
        if not len(rows):
            continue
        values = indicators["angka"].to_numpy(dtype=float)[rows]
        parts.append({
            "cell": cells,
            # the number in Indonesian notation ("98,3"), as screening figures are written
            "nilai": np.array([ringkas(x) for x in values.tolist()], dtype=object),
            "angka": values.astype(object),
            "sumber": np.array([f"indikator {crit.indicator} ({a})"
                                for a in indicators["asal"].take(rows).tolist()], dtype=object),
            "origin": np.full(len(rows), f"{ORIGIN['indicator']} {crit.indicator}",
                              dtype=object),
            "sintetis": indicators["sintetis"].to_numpy(dtype=bool)[rows],
        })
    if not parts:
        return None
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _overall_screening(counts: pd.DataFrame, policy: str) -> np.ndarray:
    """Per region (rows of :func:`screening_counts`): any fail -> tidak lulus; else any
    unknown/stale -> the policy's outcome; else lulus."""
    incomplete = OVERALL["fail"] if policy == "fail" else OVERALL["incomplete"]
    return np.select([counts["tidak_lulus"].to_numpy() > 0,
                      (counts["tidak_diketahui"] + counts["kedaluwarsa"]).to_numpy() > 0],
                     [OVERALL["fail"], incomplete], OVERALL["pass"]).astype(object)


def screening_counts(screen: pd.DataFrame) -> pd.DataFrame:
    """Per region (index ``kode_wilayah``, in first-appearance order), how many criteria:

    ``lulus``, ``tidak_lulus``, ``tidak_diketahui`` (no figure), ``kedaluwarsa`` (figure
    too old), ``tanpa_ambang`` (no published threshold), ``belum_dinilai`` (the last
    three together: criteria that could not be assessed) and ``jumlah``. What a report
    needs to say "4 lulus, 4 belum dapat dinilai" instead of claiming every criterion
    was met (:func:`screening_count_text`).
    """
    # factorised as they are (Arrow-backed text): converting 4,000 cells to objects first
    # costs more than all the counting
    k, regions = pd.factorize(screen["kode_wilayah"])
    hk, found = pd.factorize(screen["hasil"])
    h = np.append(pd.Index(_OUTCOMES).get_indexer(list(found)), -1)[hk]
    ok = h >= 0
    grid = np.bincount(k[ok] * len(_OUTCOMES) + h[ok],
                       minlength=len(regions) * len(_OUTCOMES)).reshape(len(regions),
                                                                        len(_OUTCOMES))
    out = pd.DataFrame(grid[:, [_PASS, _FAIL, _UNKNOWN, _STALE, _NONE]].astype(np.int64),
                       columns=["lulus", "tidak_lulus", "tidak_diketahui", "kedaluwarsa",
                                "tanpa_ambang"],
                       index=pd.Index(np.asarray(regions, dtype=object), dtype=object,
                                      name="kode_wilayah"))
    out["belum_dinilai"] = out["tidak_diketahui"] + out["kedaluwarsa"] + out["tanpa_ambang"]
    out["jumlah"] = out["lulus"] + out["tidak_lulus"] + out["belum_dinilai"]
    return out


def screening_count_text(counts: pd.Series | dict) -> str:
    """``'4 lulus, 4 belum dapat dinilai (2 tanpa data, 1 kedaluwarsa, 1 tanpa ambang)'``
    from one row of :func:`screening_counts` (parts that are zero are left out)."""
    c = {key: int(counts[key]) for key in ("lulus", "tidak_lulus", "tidak_diketahui",
                                            "kedaluwarsa", "tanpa_ambang")}
    parts = [f"{c['lulus']} lulus"]
    if c["tidak_lulus"]:
        parts.append(f"{c['tidak_lulus']} tidak lulus")
    open_ = c["tidak_diketahui"] + c["kedaluwarsa"] + c["tanpa_ambang"]
    if open_:
        why = [f"{n} {label}" for n, label in ((c["tidak_diketahui"], "tanpa data"),
                                               (c["kedaluwarsa"], "kedaluwarsa"),
                                               (c["tanpa_ambang"], "tanpa ambang"))
               if n]
        parts.append(f"{open_} belum dapat dinilai ({', '.join(why)})")
    return ", ".join(parts)


def _categories(fw: Framework, total: np.ndarray) -> np.ndarray:
    """``fw.category`` of every total, vectorised (same rounding, bands, NaN -> None)."""
    total = fw.round_total(total)
    bands = sorted(fw.bands, key=lambda b: -b.min)
    out = np.full(len(total), fw.bands[-1].label, dtype=object)
    done = np.zeros(len(total), dtype=bool)
    for band in bands:
        hit = ~done & (total >= band.min)
        out[hit] = band.label
        done |= hit
    out[np.isnan(total)] = None
    return out


def _score_grid(ind: pd.DataFrame, regions: pd.Index, codes: list[str]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Indicator rows -> a regions x indicators array of ``skor`` by position (what pivot
    + reindex did), with each row's region and indicator position and whether it has
    both (rows of other regions or indicators are left out)."""
    r = _positions(ind["kode_wilayah"], regions)
    c = _positions(ind["kode_indikator"], pd.Index(codes))
    ok = (r >= 0) & (c >= 0)
    values = np.full((len(regions), len(codes)), np.nan)
    values[r[ok], c[ok]] = ind["skor"].to_numpy(float)[ok]
    return values, r, c, ok


def _finish(fw: Framework, year: int, assessed: pd.DataFrame, ind: pd.DataFrame,
            screen: pd.DataFrame, previous: "Assessment | None", files: dict,
            comparison: dict | None = None) -> Assessment:
    index = pd.Index(assessed["kode_wilayah"], name="kode_wilayah")
    n = len(index)
    values, r, c, ok = _score_grid(ind, index, fw.indicator_codes)
    if ok.any() and np.bincount(r[ok] * len(fw.indicator_codes) + c[ok]).max() > 1:
        raise ValueError("more than one score for a region and indicator")
    matrix = pd.DataFrame(values, index=index, columns=fw.indicator_codes)
    comps, total = aggregate_matrix(matrix, fw)
    t = total.to_numpy(float)
    shown = fw.round_total(total)  # ranks, category, designation: the printed total
    prov = assessed["kode_provinsi"]
    res: dict[str, object] = {col: assessed[col].array for col in assessed.columns}
    res.update({col: comps[col].to_numpy() for col in comps.columns})
    res["skor_total"] = t
    res["peringkat"] = competition_rank(shown).to_numpy()
    res["peringkat_provinsi"] = competition_rank(
        shown, pd.Series(prov.to_numpy(), index=total.index)).to_numpy()
    res["jumlah_wilayah"] = np.full(n, n, dtype=np.int64)
    pk, _ = pd.factorize(prov.to_numpy(dtype=object))
    res["jumlah_wilayah_provinsi"] = np.bincount(pk)[pk].astype(np.int64)
    res["kategori"] = _categories(fw, t)
    counts = screening_counts(screen).reindex(index, fill_value=0)
    screening = _overall_screening(counts, fw.missing_screening)
    if not fw.screening:  # no criterion to meet: nothing can fail or be missing
        screening[:] = OVERALL["pass"]
    res["penyaringan"] = screening
    res["kriteria_lulus"] = counts["lulus"].to_numpy(np.int64)
    res["kriteria_tidak_lulus"] = counts["tidak_lulus"].to_numpy(np.int64)
    res["kriteria_belum_dinilai"] = counts["belum_dinilai"].to_numpy(np.int64)
    present = (ind["status"] == STATUS["present"]).to_numpy(bool)
    evidence = np.zeros(values.shape, dtype=bool)
    evidence[r[ok], c[ok]] = present[ok]
    empty = (evidence.astype(float) @ _weights(fw).member) == 0  # (regions, components)
    labels = np.array(fw.component_codes, dtype=object)
    res["komponen_tanpa_bukti"] = np.full(n, "", dtype=object)
    for i in np.flatnonzero(empty.any(axis=1)):  # few regions
        res["komponen_tanpa_bukti"][i] = ", ".join(labels[empty[i]])
    refused = empty.any(axis=1) if fw.empty_component == "refuse_designation" else \
        np.zeros(n, dtype=bool)
    high = fw.reaches_threshold(t) & ~refused
    res["penetapan"] = np.select(
        [high & (screening == OVERALL["pass"]), high & (screening == OVERALL["incomplete"])],
        [DESIGNATION["yes"], DESIGNATION["pending"]], DESIGNATION["no"])
    rk = np.where(r >= 0, r, n)  # rows of regions not assessed go to a spare bin
    rows = np.bincount(rk, minlength=n + 1)[:n]
    n_present = np.bincount(rk, weights=present, minlength=n + 1)[:n]
    res["kelengkapan"] = n_present / rows
    res["indikator_kosong"] = (rows - n_present).astype(np.int64)
    res["indikator_sintetis"] = np.bincount(rk, weights=ind["sintetis"].to_numpy(bool),
                                            minlength=n + 1)[:n].astype(np.int64)
    if previous is not None:
        prev = previous.results.set_index("kode_wilayah")
        before = prev["skor_total"].reindex(index).to_numpy(float)
        before_rank = prev["peringkat"].reindex(index).astype("Int64").array
        before_category = prev["kategori"].reindex(index).array
    else:
        before = np.full(n, np.nan)
        before_rank = pd.array([pd.NA] * n, dtype="Int64")
        before_category = np.full(n, None, dtype=object)
    res["skor_total_sebelumnya"] = before
    res["peringkat_sebelumnya"] = before_rank
    res["kategori_sebelumnya"] = before_category
    res["perubahan_skor"] = t - before
    res["perubahan_peringkat"] = before_rank - res["peringkat"]
    out = pd.DataFrame(res)
    # ranked; ties in code order
    code_rank = np.argsort(np.argsort(index.to_numpy(dtype=object), kind="stable"),
                           kind="stable")
    out = out.take(np.lexsort((code_rank, res["peringkat"]))).reset_index(drop=True)
    return Assessment(year, fw, out, ind.reset_index(drop=True), comps, screen, dict(files),
                      comparison=comparison)


def score_year(framework: Framework, inputs: YearInputs, regions: pd.DataFrame,
               previous: Assessment | None = None, comparison: str | None = None
               ) -> Assessment:
    """Score a validated year.

    The regions assessed are those that appear in the inputs; every indicator of each
    of them gets a row (missing ones flagged and treated by the framework's policy).
    ``previous`` is last year's assessment (for the change columns) and ``comparison``
    how it was scored (a value of :data:`COMPARISON`), recorded in
    :attr:`Assessment.comparison`. Raises :class:`InputError` when a screening figure
    and the indicator of the same fact disagree (:func:`shared_value_problems`).
    """
    listed: set = set()
    for table in (inputs.indicators, inputs.screening):
        # unique() first: element-wise work on a long Arrow-backed column is slow
        listed.update(np.asarray(table["kode_wilayah"].unique(), dtype=object).tolist())
    known = [code in listed for code in regions["kode_wilayah"].to_numpy(dtype=object)]
    assessed = regions[np.array(known, dtype=bool)].sort_values("kode_wilayah", kind="stable")
    assessed = assessed.reset_index(drop=True)
    problems = shared_value_problems(framework, inputs)
    if problems:
        raise InputError(problems)
    ind = _indicator_table(framework, inputs, assessed)
    screen = evaluate_screening(framework, inputs.screening,
                                assessed["kode_wilayah"].to_numpy(dtype=object).tolist(),
                                inputs.year, indicators=ind)
    return _finish(framework, inputs.year, assessed, ind, screen, previous, inputs.files,
                   comparison=_comparison_of(previous, comparison))


def _comparison_of(previous: Assessment | None, how: str | None = None) -> dict | None:
    """What :attr:`Assessment.comparison` records about the previous year's scoring."""
    if previous is None:
        return None
    fw = previous.framework
    return {"tahun": int(previous.year), "cara": how, "kerangka": fw.id, "versi": fw.version,
            "sha256": fw.sha256, "agregasi": fw.aggregation}


def _place(asal: str) -> tuple[str, str | None, int | None]:
    """``'indikator.csv:12'`` / ``'data.xlsx:indikator:12'`` -> file, sheet, row."""
    parts = str(asal).split(":")
    row = int(parts[-1]) if parts and parts[-1].isdigit() else None
    if row is not None:
        parts = parts[:-1]
    return parts[0] if parts else "?", (parts[1] if len(parts) > 1 else None), row


def shared_value_problems(fw: Framework, inputs: YearInputs) -> list[Problem]:
    """Located problems where a screening figure of the assessment year and the indicator
    that measures the same fact (``indicator:`` of the criterion) disagree.

    One value per fact: the MCP score of 2025 cannot be 98,3 as indicator I01 and 83 in
    the screening table. Equal values (compared as numbers, to 1e-9) are fine; so is a
    screening figure of another year (it is simply older than the indicator's).
    """
    out: list[Problem] = []
    scr, ind = inputs.screening, inputs.indicators
    for crit in fw.screening:
        if crit.indicator is None or scr.empty or ind.empty:
            continue
        s = scr[(scr["kriteria"] == crit.code) & (scr["nilai"] != "")
                & (scr["tahun_data"] == inputs.year).fillna(False)]
        if s.empty:
            continue
        i = ind[(ind["kode_indikator"] == crit.indicator) & ind["angka"].notna()]
        both = s.merge(i, on="kode_wilayah", suffixes=("_s", "_i"))
        for x in both.itertuples(index=False):
            if abs(float(x.angka_s) - float(x.angka_i)) <= 1e-9:
                continue
            file, sheet, row = _place(x.asal_s)
            out.append(Problem(
                file, f"nilai {crit.name} {inputs.year} wilayah {x.kode_wilayah} berbeda "
                      f"dengan indikator {crit.indicator} ({x.nilai_i}, {x.asal_i})",
                sheet=sheet, row=row, column="nilai", value=x.nilai_s,
                expected=f"nilai yang sama dengan indikator {crit.indicator}, atau "
                         "kosongkan salah satu (satu fakta, satu nilai)"))
    return out


def rescore(assessment: Assessment, framework: Framework,
            previous: Assessment | None = None) -> Assessment:
    """The same indicator scores under another framework variant (weights, aggregation).

    ``bobot_efektif`` is recomputed from the variant's weights (per region, after the
    scores left out); screening is kept as scored.
    """
    ind = assessment.indicators.copy()
    grid, r, c, ok = _score_grid(ind, pd.Index(pd.unique(ind["kode_wilayah"])),
                                 framework.indicator_codes)
    eff = np.full(len(ind), np.nan)
    eff[ok] = effective_weights(framework, grid)[r[ok], c[ok]]
    ind["bobot_efektif"] = eff
    assessed = assessment.results[["kode_wilayah", "nama_wilayah", "jenis", "kode_provinsi",
                                   "provinsi"]].sort_values("kode_wilayah", kind="stable")
    return _finish(framework, assessment.year, assessed.reset_index(drop=True), ind,
                   assessment.screening.copy(), previous, assessment.input_files,
                   comparison=_comparison_of(previous) if previous is not None
                   else assessment.comparison)
