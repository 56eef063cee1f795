"""Scores, ranks, categories, screening and designations: pure functions over frames.

Nothing here reads or writes files. :func:`score_year` turns validated inputs into an
:class:`Assessment`; :func:`rescore` reuses an assessment's indicator scores under other
weights or another aggregation (what-if) without touching the inputs again.
"""

from __future__ import annotations

import dataclasses
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


def aggregate_matrix(matrix: pd.DataFrame, framework: Framework,
                     aggregation: str | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Indicator scores (regions x indicators) -> component scores and totals."""
    method = aggregation or framework.aggregation
    iw = framework.indicator_weights()
    comp_of = framework.indicator_component()
    cols = {}
    for c in framework.component_codes:
        codes = [i for i in framework.indicator_codes if comp_of[i] == c]
        cols[c] = aggregate(matrix[codes].to_numpy(float), iw[codes].to_numpy(float), method,
                            framework.geometric_offset)
    comps = pd.DataFrame(cols, index=matrix.index)
    total = aggregate(comps.to_numpy(float), framework.component_weights().to_numpy(float),
                      method, framework.geometric_offset)
    return comps, pd.Series(total, index=matrix.index, name="skor_total")


def _indicator_table(fw: Framework, inputs: YearInputs, assessed: pd.DataFrame) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product([assessed["kode_wilayah"], fw.indicator_codes],
                                      names=["kode_wilayah", "kode_indikator"]).to_frame(index=False)
    t = grid.merge(inputs.indicators, on=["kode_wilayah", "kode_indikator"], how="left",
                   indicator="_m", validate="one_to_one")
    t["status"] = np.where(t["_m"] == "left_only", STATUS["norow"],
                           np.where(t["skor_masukan"].isna(), STATUS["empty"], STATUS["present"]))
    t = t.drop(columns="_m")
    for col in ("nilai", "bukti", "catatan", "asal"):
        t[col] = t[col].fillna("")
    t["sintetis"] = t["sintetis"].astype("boolean").fillna(False).astype(bool)
    t["kode_komponen"] = t["kode_indikator"].map(fw.indicator_component())
    t = t.merge(assessed[["kode_wilayah", "kode_provinsi"]], on="kode_wilayah", how="left")
    missing = t["skor_masukan"].isna()
    t["skor"] = t["skor_masukan"]
    policy = fw.missing_indicator
    if policy == "zero":
        t.loc[missing, "skor"] = 0.0
    elif policy == "province_mean":
        means = t.loc[~missing].groupby(["kode_provinsi", "kode_indikator"])["skor_masukan"].mean()
        key = pd.MultiIndex.from_frame(t.loc[missing, ["kode_provinsi", "kode_indikator"]])
        t.loc[missing, "skor"] = means.reindex(key).to_numpy()
    t["perlakuan"] = np.where(missing, TREATMENT[policy], "")
    if policy == "province_mean":  # nobody in the province to borrow from: left out
        t.loc[missing & t["skor"].isna(), "perlakuan"] = TREATMENT["renormalise"]
    eff = fw.effective_indicator_weights()
    t["bobot_efektif"] = t["kode_indikator"].map(eff)
    t["asumsi"] = t["kode_indikator"].map({i.code: i.assumption for i in fw.indicators})
    return t[["kode_wilayah", "kode_indikator", "kode_komponen", "nilai", "angka", "skor",
              "status", "perlakuan", "sintetis", "asumsi", "bobot_efektif", "bukti", "catatan",
              "asal"]]


def evaluate_screening(fw: Framework, screening: pd.DataFrame, codes: list[str],
                       year: int) -> pd.DataFrame:
    """One row per region and criterion: the value used, its year and source, the outcome."""
    rows = []
    by_key = {k: g for k, g in screening.groupby(["kode_wilayah", "kriteria"], sort=False)}
    for code in codes:
        for crit in fw.screening:
            g = by_key.get((code, crit.code))
            known = pd.DataFrame() if g is None else g[g["nilai"] != ""]
            known = known.sort_values("tahun_data", ascending=False, kind="stable")
            rule = crit.rule
            value, data_year, source, outcome = "", pd.NA, "", SCREEN["unknown"]
            note = "" if g is None else "; ".join(x for x in g["catatan"] if x)
            if not known.empty:
                latest = known.iloc[0]
                value, data_year, source = latest["nilai"], latest["tahun_data"], latest["sumber"]
                age_ok = (fw.max_data_age_years is None
                          or int(latest["tahun_data"]) >= year - fw.max_data_age_years)
                if rule is None:
                    outcome = SCREEN["none"]
                elif not age_ok:
                    outcome = SCREEN["stale"]
                elif rule.op == "consecutive":
                    vals = known.head(rule.years)
                    years = list(vals["tahun_data"].astype(int))
                    if (vals["angka"] != rule.value).any():
                        outcome = SCREEN["fail"]
                    elif len(vals) < rule.years or years != list(range(years[0], years[0]
                                                                       - rule.years, -1)):
                        outcome = SCREEN["unknown"]
                    else:
                        outcome = SCREEN["pass"]
                    value = ", ".join(f"{v} ({y})" for v, y in zip(vals["angka"], years))
                    source = "; ".join(dict.fromkeys(s for s in vals["sumber"] if s))
                else:
                    x, t = float(latest["angka"]), float(rule.value)
                    ok = {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t, "==": x == t}[rule.op]
                    outcome = SCREEN["pass"] if ok else SCREEN["fail"]
            elif rule is None:
                outcome = SCREEN["none"]
            rows.append({
                "kode_wilayah": code, "kriteria": crit.code, "nama_kriteria": crit.name,
                "nilai": value, "tahun_data": data_year,
                "ambang": rule.describe() if rule else "tidak dipublikasikan",
                "sumber_ambang": crit.source or "", "hasil": outcome, "sumber": source,
                "catatan": note,
            })
    out = pd.DataFrame(rows)
    out["tahun_data"] = out["tahun_data"].astype("Int64")
    return out


def _overall_screening(screen: pd.DataFrame, policy: str) -> pd.Series:
    def one(h: pd.Series) -> str:
        if (h == SCREEN["fail"]).any():
            return OVERALL["fail"]
        if h.isin([SCREEN["unknown"], SCREEN["stale"]]).any():
            return OVERALL["fail"] if policy == "fail" else OVERALL["incomplete"]
        return OVERALL["pass"]
    return screen.groupby("kode_wilayah", sort=False)["hasil"].agg(one)


def _finish(fw: Framework, year: int, assessed: pd.DataFrame, ind: pd.DataFrame,
            screen: pd.DataFrame, previous: "Assessment | None", files: dict) -> Assessment:
    matrix = ind.pivot(index="kode_wilayah", columns="kode_indikator", values="skor")
    matrix = matrix.reindex(index=assessed["kode_wilayah"], columns=fw.indicator_codes)
    comps, total = aggregate_matrix(matrix, fw)
    res = assessed.set_index("kode_wilayah").copy()
    res = res.join(comps)
    res["skor_total"] = total
    res["peringkat"] = competition_rank(total)
    res["peringkat_provinsi"] = competition_rank(total, res["kode_provinsi"])
    res["jumlah_wilayah"] = len(res)
    res["jumlah_wilayah_provinsi"] = res.groupby("kode_provinsi")["provinsi"].transform("size")
    res["kategori"] = [fw.category(x) for x in total]
    res["penyaringan"] = _overall_screening(screen, fw.missing_screening).reindex(res.index)
    high = res["skor_total"].round(9) >= fw.threshold
    res["penetapan"] = np.select(
        [high & (res["penyaringan"] == OVERALL["pass"]),
         high & (res["penyaringan"] == OVERALL["incomplete"])],
        [DESIGNATION["yes"], DESIGNATION["pending"]], DESIGNATION["no"])
    g = ind.groupby("kode_wilayah")
    res["kelengkapan"] = g["status"].agg(lambda s: (s == STATUS["present"]).mean())
    res["indikator_kosong"] = g["status"].agg(lambda s: int((s != STATUS["present"]).sum()))
    res["indikator_sintetis"] = g["sintetis"].sum().astype(int)
    if previous is not None:
        prev = previous.results.set_index("kode_wilayah")
        res["skor_total_sebelumnya"] = prev["skor_total"].reindex(res.index)
        res["peringkat_sebelumnya"] = prev["peringkat"].reindex(res.index).astype("Int64")
        res["kategori_sebelumnya"] = prev["kategori"].reindex(res.index)
    else:
        res["skor_total_sebelumnya"] = np.nan
        res["peringkat_sebelumnya"] = pd.array([pd.NA] * len(res), dtype="Int64")
        res["kategori_sebelumnya"] = None
    res["perubahan_skor"] = res["skor_total"] - res["skor_total_sebelumnya"]
    res["perubahan_peringkat"] = res["peringkat_sebelumnya"] - res["peringkat"]
    res = res.reset_index().sort_values(["peringkat", "kode_wilayah"], kind="stable")
    res = res.reset_index(drop=True)
    comps.index.name = "kode_wilayah"
    return Assessment(year, fw, res, ind.reset_index(drop=True), comps, screen, dict(files))


def score_year(framework: Framework, inputs: YearInputs, regions: pd.DataFrame,
               previous: Assessment | None = None) -> Assessment:
    """Score a validated year.

    The regions assessed are those that appear in the inputs; every indicator of each
    of them gets a row (missing ones flagged and treated by the framework's policy).
    """
    codes = set(inputs.indicators["kode_wilayah"]) | set(inputs.screening["kode_wilayah"])
    assessed = regions[regions["kode_wilayah"].isin(codes)].sort_values("kode_wilayah",
                                                                        kind="stable")
    assessed = assessed.reset_index(drop=True)
    ind = _indicator_table(framework, inputs, assessed)
    screen = evaluate_screening(framework, inputs.screening, list(assessed["kode_wilayah"]),
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


def with_previous(current: Assessment, previous: Assessment) -> Assessment:
    """Attach last year's totals and ranks to an assessment."""
    return dataclasses.replace(current, results=rescore(current, current.framework,
                                                        previous).results)
