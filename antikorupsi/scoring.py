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

from .aggregate import aggregate
from .framework import Framework
from .inputs import YearInputs

__all__ = ["Assessment", "score_year", "rescore", "aggregate_matrix", "competition_rank",
           "evaluate_screening", "STATUS", "SCREEN"]

# Screening outcomes and designation labels (shown in reports as they are).
SCREEN = {"pass": "lulus", "fail": "tidak lulus", "unknown": "tidak diketahui",
          "none": "tanpa ambang", "stale": "kedaluwarsa"}
OVERALL = {"pass": "lulus", "fail": "tidak lulus", "incomplete": "belum lengkap"}
DESIGNATION = {"yes": "Ditetapkan", "pending": "Tertunda", "no": "Tidak ditetapkan"}
STATUS = {"present": "ada", "empty": "kosong", "norow": "tanpa baris"}
TREATMENT = {"zero": "diberi 0", "renormalise": "dikeluarkan", "province_mean": "rata-rata provinsi"}


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
    """Descending competition rank (1, 2, 2, 4); NaN ranks last. Ties on 9 decimals."""
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
    arrays = (fw.indicator_weights().reindex(codes).to_numpy(float, copy=True),
              fw.component_weights().to_numpy(float, copy=True),
              fw.effective_indicator_weights().reindex(codes).to_numpy(float, copy=True),
              np.array([i.component for i in fw.indicators], dtype=object))
    for a in arrays:
        a.setflags(write=False)
    return _Weights(*arrays)


def aggregate_matrix(matrix: pd.DataFrame, framework: Framework,
                     aggregation: str | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Indicator scores (regions x indicators) -> component scores and totals.

    ``matrix`` needs a column for every indicator of the framework (extra columns are
    ignored); NaN scores are left out and their weight shared within the component.
    """
    method = aggregation or framework.aggregation
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
        cols[c] = aggregate(x[:, part], w.indicator[part], method, framework.geometric_offset)
    comps = pd.DataFrame(cols, index=matrix.index)
    total = aggregate(comps.to_numpy(float), w.component, method, framework.geometric_offset)
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
    region = np.repeat(np.arange(n_r), n_i)
    indicator = np.tile(np.arange(n_i), n_r)
    w = _weights(fw)
    return pd.DataFrame({
        "kode_wilayah": assessed["kode_wilayah"].array.take(region),
        "kode_indikator": _text(icodes, indicator),
        "kode_komponen": _text(w.component_of.tolist(), indicator),
        "nilai": text("nilai"),
        "angka": number("angka", np.nan, float),
        "skor": skor,
        "status": _text([STATUS["norow"], STATUS["empty"], STATUS["present"]], status),
        "perlakuan": _text(["", TREATMENT[policy], TREATMENT["renormalise"]], treatment),
        "sintetis": number("sintetis", False, bool),
        "asumsi": np.array([i.assumption for i in fw.indicators], dtype=bool)[indicator],
        "bobot_efektif": w.effective[indicator],
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
                       year: int) -> pd.DataFrame:
    """One row per region and criterion: the value used, its year and source, the outcome.

    The latest figure (by ``tahun_data``; rows without a year after those with one,
    ties in input order) decides, unless it is older than the framework's
    ``max_data_age_years`` ("kedaluwarsa"; a figure without a year counts as too old).
    A ``consecutive`` rule needs that many consecutive data years, all with the
    required grade: a different grade fails, fewer or non-consecutive years are "tidak
    diketahui". A criterion without a published threshold is "tanpa ambang" whatever
    its value. ``catatan`` joins every note of the region's rows for the criterion.
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
    lr = latest[has]

    out_nilai = np.full(n, "", dtype=object)
    out_nilai[has] = nilai[lr]
    out_year = np.full(n, np.nan)
    out_year[has] = years[lr]
    out_src = np.full(n, "", dtype=object)
    out_src[has] = sumber[lr]
    crit_of = np.tile(np.arange(n_c), len(codes))
    ruled = np.array([x.rule is not None for x in crits], dtype=bool)
    outcome = np.where(ruled[crit_of], _UNKNOWN, _NONE)
    age = fw.max_data_age_years
    stale = has & ruled[crit_of] & (False if age is None else ~(out_year >= year - age))
    outcome[stale] = _STALE
    for j, crit in enumerate(crits):
        rule = crit.rule
        sel = np.flatnonzero(has & ~stale & (crit_of == j))
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
    })


def _overall_screening(screen: pd.DataFrame, policy: str) -> pd.Series:
    """Per region: any fail -> tidak lulus; else any unknown/stale -> policy; else lulus."""
    hasil = screen["hasil"]
    k, regions = pd.factorize(screen["kode_wilayah"].to_numpy(dtype=object))

    def any_of(flags: pd.Series) -> np.ndarray:
        return np.bincount(k, weights=flags.to_numpy(bool), minlength=len(regions)) > 0

    incomplete = OVERALL["fail"] if policy == "fail" else OVERALL["incomplete"]
    out = np.select([any_of(hasil == SCREEN["fail"]),
                     any_of(hasil.isin([SCREEN["unknown"], SCREEN["stale"]]))],
                    [OVERALL["fail"], incomplete], OVERALL["pass"])
    return pd.Series(out, index=pd.Index(regions, dtype=object), name="hasil", dtype=object)


def _categories(fw: Framework, total: np.ndarray) -> np.ndarray:
    """``fw.category`` of every total, vectorised (same rounding, bands, NaN -> None)."""
    total = np.round(total, 9)
    bands = sorted(fw.bands, key=lambda b: -b.min)
    out = np.full(len(total), fw.bands[-1].label, dtype=object)
    done = np.zeros(len(total), dtype=bool)
    for band in bands:
        hit = ~done & (total >= band.min)
        out[hit] = band.label
        done |= hit
    out[np.isnan(total)] = None
    return out


def _finish(fw: Framework, year: int, assessed: pd.DataFrame, ind: pd.DataFrame,
            screen: pd.DataFrame, previous: "Assessment | None", files: dict) -> Assessment:
    index = pd.Index(assessed["kode_wilayah"], name="kode_wilayah")
    n = len(index)
    # indicator rows -> regions x indicators, by position (what pivot + reindex did)
    r = _positions(ind["kode_wilayah"], index)
    c = _positions(ind["kode_indikator"], pd.Index(fw.indicator_codes))
    ok = (r >= 0) & (c >= 0)
    if ok.any() and np.bincount(r[ok] * len(fw.indicator_codes) + c[ok]).max() > 1:
        raise ValueError("more than one score for a region and indicator")
    values = np.full((n, len(fw.indicator_codes)), np.nan)
    values[r[ok], c[ok]] = ind["skor"].to_numpy(float)[ok]
    matrix = pd.DataFrame(values, index=index, columns=fw.indicator_codes)
    comps, total = aggregate_matrix(matrix, fw)
    t = total.to_numpy(float)
    prov = assessed["kode_provinsi"]
    res: dict[str, object] = {col: assessed[col].array for col in assessed.columns}
    res.update({col: comps[col].to_numpy() for col in comps.columns})
    res["skor_total"] = t
    res["peringkat"] = competition_rank(total).to_numpy()
    res["peringkat_provinsi"] = competition_rank(
        total, pd.Series(prov.to_numpy(), index=total.index)).to_numpy()
    res["jumlah_wilayah"] = np.full(n, n, dtype=np.int64)
    pk, _ = pd.factorize(prov.to_numpy(dtype=object))
    res["jumlah_wilayah_provinsi"] = np.bincount(pk)[pk].astype(np.int64)
    res["kategori"] = _categories(fw, t)
    overall = _overall_screening(screen, fw.missing_screening)
    screening = overall.reindex(index).to_numpy(dtype=object, copy=True)
    if not fw.screening:  # no criterion to meet: nothing can fail or be missing
        screening[:] = OVERALL["pass"]
    res["penyaringan"] = screening
    high = np.round(t, 9) >= fw.threshold
    res["penetapan"] = np.select(
        [high & (screening == OVERALL["pass"]), high & (screening == OVERALL["incomplete"])],
        [DESIGNATION["yes"], DESIGNATION["pending"]], DESIGNATION["no"])
    rk = np.where(r >= 0, r, n)  # rows of regions not assessed go to a spare bin
    present = (ind["status"] == STATUS["present"]).to_numpy(bool)
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
    return Assessment(year, fw, out, ind.reset_index(drop=True), comps, screen, dict(files))


def score_year(framework: Framework, inputs: YearInputs, regions: pd.DataFrame,
               previous: Assessment | None = None) -> Assessment:
    """Score a validated year.

    The regions assessed are those that appear in the inputs; every indicator of each
    of them gets a row (missing ones flagged and treated by the framework's policy).
    """
    listed: set = set()
    for table in (inputs.indicators, inputs.screening):
        # unique() first: element-wise work on a long Arrow-backed column is slow
        listed.update(np.asarray(table["kode_wilayah"].unique(), dtype=object).tolist())
    known = [code in listed for code in regions["kode_wilayah"].to_numpy(dtype=object)]
    assessed = regions[np.array(known, dtype=bool)].sort_values("kode_wilayah", kind="stable")
    assessed = assessed.reset_index(drop=True)
    ind = _indicator_table(framework, inputs, assessed)
    screen = evaluate_screening(framework, inputs.screening,
                                assessed["kode_wilayah"].to_numpy(dtype=object).tolist(),
                                inputs.year)
    return _finish(framework, inputs.year, assessed, ind, screen, previous, inputs.files)


def rescore(assessment: Assessment, framework: Framework,
            previous: Assessment | None = None) -> Assessment:
    """The same indicator scores under another framework variant (weights, aggregation)."""
    ind = assessment.indicators.copy()
    eff = framework.effective_indicator_weights()
    ind["bobot_efektif"] = ind["kode_indikator"].map(eff)
    assessed = assessment.results[["kode_wilayah", "nama_wilayah", "jenis", "kode_provinsi",
                                   "provinsi"]].sort_values("kode_wilayah", kind="stable")
    return _finish(framework, assessment.year, assessed.reset_index(drop=True), ind,
                   assessment.screening.copy(), previous, assessment.input_files)
