"""What the stated rules do to a year's results: figures for the methodology section.

A framework states its aggregation per level (inside components, between components).
Another careful reader could choose another reading; :func:`aggregation_readings` says
how much that would move the ranks and the designations of *this* year's data, and
:func:`geometric_missing_penalty` measures what the zero-safe geometric mean does to a
region whose missing evidence was scored 0. Pure functions over an
:class:`~antikorupsi.scoring.Assessment`: the numbers in the reports come from the data,
never typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .aggregate import READINGS, join_method, split_method
from .scoring import STATUS, TREATMENT, Assessment, rescore

__all__ = ["aggregation_readings", "compare_readings", "geometric_missing_penalty",
           "MissingPenalty"]


def aggregation_readings(assessment: Assessment) -> pd.DataFrame:
    """Each reading of the aggregation rule against the framework's own.

    Returns one row per reading (:data:`antikorupsi.aggregate.READINGS`, the
    framework's first), index ``agregasi`` (the spec), with columns ``resmi`` (True for
    the framework's reading), ``dalam_komponen``, ``antar_komponen``,
    ``peringkat_berubah`` (regions whose rank differs from the official one),
    ``penetapan_berubah`` (regions whose designation differs), ``wilayah_penetapan``
    (their codes, comma-separated), ``ambang_berubah`` (regions on the other side of
    the designation threshold) and ``jumlah_wilayah``. Screening and missing evidence
    are as scored: only the aggregation changes.
    """
    fw = assessment.framework
    official = join_method(*split_method(fw.aggregation))
    res = assessment.results.set_index("kode_wilayah")
    reach = fw.reaches_threshold(res["skor_total"].to_numpy(float))
    rows = []
    for spec in (official, *[m for m in READINGS if m != official]):
        if spec == official:
            other = res
        else:
            other = rescore(assessment, fw.with_weights(aggregation=spec)).results
            other = other.set_index("kode_wilayah").reindex(res.index)
        flips = res.index[(other["penetapan"] != res["penetapan"]).to_numpy(bool)]
        within, between = split_method(spec)
        rows.append({
            "agregasi": spec, "resmi": spec == official, "dalam_komponen": within,
            "antar_komponen": between,
            "peringkat_berubah": int((other["peringkat"] != res["peringkat"]).sum()),
            "penetapan_berubah": int(len(flips)),
            "wilayah_penetapan": ", ".join(flips),
            "ambang_berubah": int((fw.reaches_threshold(other["skor_total"].to_numpy(float))
                                   != reach).sum()),
            "jumlah_wilayah": int(len(res)),
        })
    return pd.DataFrame(rows).set_index("agregasi")


def compare_readings(assessment: Assessment, first: str, second: str) -> dict:
    """Two readings of the aggregation rule against each other (e.g. "geometric" read as
    between components only, ``"arithmetic/geometric"``, or at both levels,
    ``"geometric"``): ``peringkat_berubah`` (regions ranked differently),
    ``penetapan_berubah`` and ``wilayah_penetapan`` (designations that differ) and
    ``jumlah_wilayah``."""
    fw = assessment.framework
    a, b = (rescore(assessment, fw.with_weights(aggregation=m)).results
            .set_index("kode_wilayah").sort_index() for m in (first, second))
    flips = a.index[(a["penetapan"] != b["penetapan"]).to_numpy(bool)]
    return {"peringkat_berubah": int((a["peringkat"] != b["peringkat"]).sum()),
            "penetapan_berubah": int(len(flips)), "wilayah_penetapan": ", ".join(flips),
            "jumlah_wilayah": int(len(a))}


@dataclass(frozen=True)
class MissingPenalty:
    """How much lower a geometric total is than the arithmetic one, in points (median),
    for regions with an indicator scored 0 for lack of evidence and for the others.

    ``n_missing`` / ``n_complete``: regions in each group; medians NaN for an empty
    group. ``offset``: the geometric offset used (scale points).
    """

    n_missing: int
    median_missing: float
    n_complete: int
    median_complete: float
    offset: float


def geometric_missing_penalty(assessment: Assessment) -> MissingPenalty:
    """The zero-safe geometric mean's penalty on missing evidence, from the data.

    For every region: the total with the arithmetic mean at both levels minus the total
    with the geometric mean at both levels (same weights, same indicator scores, the
    framework's offset). Regions are split by whether at least one indicator without
    evidence was scored 0 (``perlakuan`` "diberi 0", by the zero policy or for an empty
    component). Geometric totals are never above arithmetic ones; the gap is small for
    complete evidence and large where a 0 sits among good scores, which is why
    geometric aggregation mostly punishes missing evidence.
    """
    fw = assessment.framework
    m = assessment.indicator_matrix()
    arith = rescore(assessment, fw.with_weights(aggregation="arithmetic")).results
    geo = rescore(assessment, fw.with_weights(aggregation="geometric")).results
    gap = (arith.set_index("kode_wilayah")["skor_total"]
           - geo.set_index("kode_wilayah")["skor_total"]).reindex(m.index)
    ind = assessment.indicators
    zeroed = ind[(ind["status"] != STATUS["present"])
                 & ind["perlakuan"].isin([TREATMENT["zero"], TREATMENT["empty_component"]])]
    missing = m.index.isin(pd.unique(zeroed["kode_wilayah"]))

    def median(x: pd.Series) -> float:
        x = x.dropna()
        return float(np.median(x)) if len(x) else float("nan")

    return MissingPenalty(int(missing.sum()), median(gap[missing]), int((~missing).sum()),
                          median(gap[~missing]), float(fw.geometric_offset))
