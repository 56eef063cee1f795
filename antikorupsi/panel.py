"""Stages and several assessors: consolidation, gaps, disagreement and agreement (pure).

The real assessment is a multi-party process. Each indicator value carries its stage:

``mandiri``     the region's self-assessment (its returned workbook);
``verifikasi``  an assessor's score (KPK, Kemendagri, KemenPAN-RB, BPKP, Ombudsman, the
                provincial Inspektorat ...), one row per assessor (``penilai``);
``final``       the plenary's decision.

:func:`consolidate` turns these rows into one value per region and indicator, the
latest stage available winning (final > verifikasi > mandiri); several assessors'
values are combined by the framework's ``panel.consolidation`` rule:

* ``median`` (default). For a rubric, levels are ordered categories and a value between
  two levels is not in the rubric: the *lower* median is used, i.e. with an odd number
  of assessors the middle level, with an even number the lower of the two middle
  levels (assessors at 2 and 3 give 2). It is the highest level that at least half of
  the assessors awarded: evidence has to convince half the panel. For indicators
  scored as numbers (direct 0-100 scores, goalposts) the ordinary median (the mean of
  the two middle values when their number is even).
* ``mean``: the mean of the assessors' 0-100 scores (for a rubric an in-between score,
  with the mean level beside it).

An indicator that at least half of its assessors left empty (no evidence found) is
missing at the verifikasi stage: the framework's missing-data policy scores it. A
final (plenary) value overrides whatever the assessors gave.

The analyses for the plenary: :func:`stage_table` (per region and indicator: the
self-assessment, the assessors' spread and consolidated value, the plenary value, the
gap between what the region claimed and what was verified, disagreement flags),
:func:`agreement` (Krippendorff's alpha per indicator and pooled, ordinal for rubric
levels, interval for numbers, computed with the maintained ``krippendorff`` package)
and :func:`plenary_agenda` (what to discuss first, with each item's effect on the
total and whether it can move a region across the designation threshold).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .fmt import angka
from .framework import Framework

__all__ = ["consolidate", "stage_table", "agreement", "plenary_agenda", "panel_tables", "STAGE_RANK",
           "CONSOLIDATED_COLUMNS", "has_panel", "alpha_reading"]

STAGE_RANK = {"mandiri": 0, "verifikasi": 1, "final": 2}
CONSOLIDATED_COLUMNS = ["kode_wilayah", "kode_indikator", "nilai", "angka", "skor_masukan",
                        "bukti", "catatan", "sintetis", "asal", "tahap", "jumlah_penilai"]
#: Krippendorff (2004, Content Analysis, 2nd ed., p. 241): rely on data with alpha >=
#: 0.800; tentative conclusions for 0.667 <= alpha < 0.800.
ALPHA_RELIABLE, ALPHA_TENTATIVE = 0.800, 0.667


def _empty() -> pd.DataFrame:
    t = pd.Series(dtype=object)
    return pd.DataFrame({"kode_wilayah": t, "kode_indikator": t, "nilai": t,
                         "angka": pd.Series(dtype=float), "skor_masukan": pd.Series(dtype=float),
                         "bukti": t, "catatan": t, "sintetis": pd.Series(dtype=bool), "asal": t,
                         "tahap": t, "jumlah_penilai": pd.Series(dtype="int64")})


def has_panel(stages: pd.DataFrame | None) -> bool:
    """Whether a year's indicator rows have any stage other than final (a panel to show)."""
    return stages is not None and len(stages) > 0 and bool((stages["tahap"] != "final").any())


def _is_rubric(fw: Framework) -> dict[str, bool]:
    return {i.code: i.scoring.method == "rubric" for i in fw.indicators}


def _number_text(x: float) -> str:
    return f"{round(float(x), 4):g}"


def _join(values) -> str:
    seen = []
    for v in values:
        v = str(v)
        if v and v not in seen:
            seen.append(v)
    return "; ".join(seen)


def _combine(nilai: list, angka: list, skor: list, rubric: bool, method: str,
             ) -> tuple[str, float, float]:
    """Several assessors' values of one indicator (as given, in row order) ->
    (nilai, angka, skor_masukan)."""
    n = len(skor)
    given = [i for i in range(n) if skor[i] == skor[i]]  # a score (not NaN)
    m = len(given)
    if 2 * (n - m) >= n:  # at least half found no evidence
        return "", float("nan"), float("nan")
    if method == "mean":
        a = float(np.mean([angka[i] for i in given]))
        s = float(np.mean([skor[i] for i in given]))
        return _number_text(a), a, s
    order = sorted(given, key=lambda i: (skor[i], angka[i]))  # stable, as sort_values
    if rubric or m % 2 == 1:
        r = order[(m - 1) // 2]  # odd: the middle; rubric & even: the lower middle
        return str(nilai[r]), float(angka[r]), float(skor[r])
    mid = order[m // 2 - 1: m // 2 + 1]
    a = float(np.mean([angka[i] for i in mid]))
    s = float(np.mean([skor[i] for i in mid]))
    return _number_text(a), a, s


def _combine_all(sel: pd.DataFrame, rubric: dict[str, bool], method: str) -> pd.DataFrame:
    """:func:`_combine` for every (region, indicator) of ``sel``, on plain lists: a
    national year has ~10,000 such pairs, and pandas work per pair took seconds."""
    col = {c: sel[c].tolist() for c in ("kode_wilayah", "kode_indikator", "nilai", "angka",
                                         "skor_masukan", "bukti", "catatan", "sintetis",
                                         "asal")}
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(col["kode_wilayah"], col["kode_indikator"])):
        groups.setdefault(key, []).append(i)
    rows = []
    for (code, icode), idx in groups.items():
        nilai, angka, skor = _combine([col["nilai"][i] for i in idx],
                                      [col["angka"][i] for i in idx],
                                      [col["skor_masukan"][i] for i in idx],
                                      rubric.get(icode, False), method)
        rows.append({"kode_wilayah": code, "kode_indikator": icode, "nilai": nilai,
                     "angka": angka, "skor_masukan": skor,
                     "bukti": _join(col["bukti"][i] for i in idx),
                     "catatan": _join(col["catatan"][i] for i in idx),
                     "sintetis": any(bool(col["sintetis"][i]) for i in idx),
                     "asal": "; ".join(col["asal"][i] for i in idx), "tahap": "verifikasi",
                     "jumlah_penilai": len(idx)})
    return pd.DataFrame(rows)


def consolidate(stages: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """One row per region and indicator from validated stage rows (see module docstring).

    Parameters
    ----------
    stages : pandas.DataFrame
        Validated indicator rows (:func:`antikorupsi.inputs.validate_indicators`), one
        per region, indicator, stage and assessor; keys are unique (the reader merged
        the files).
    framework : Framework
        Its ``panel.consolidation`` rule and which indicators are rubrics.

    Returns
    -------
    pandas.DataFrame
        :data:`CONSOLIDATED_COLUMNS`, sorted by region code and framework indicator
        order: ``tahap`` is the stage the value comes from, ``jumlah_penilai`` the
        number of assessors who verified the indicator (whatever stage is used);
        ``bukti`` is the used stage's evidence reference, else that of the stage
        before (assessors rarely repeat the region's references); ``asal`` lists the
        rows used.
    """
    if stages is None or stages.empty:
        return _empty()
    s = stages.reset_index(drop=True)
    rank = s["tahap"].map(STAGE_RANK).to_numpy(dtype=int)
    pair = s["kode_wilayah"].astype(str) + "\x1f" + s["kode_indikator"].astype(str)
    codes, uniq = pd.factorize(pair)
    top = np.full(len(uniq), -1)
    np.maximum.at(top, codes, rank)
    n_ver = np.bincount(codes, weights=(rank == 1), minlength=len(uniq)).astype(np.int64)
    used = rank == top[codes]
    several = (top == 1) & (n_ver > 1)
    direct = used & ~several[codes]
    out = s.loc[direct, ["kode_wilayah", "kode_indikator", "nilai", "angka", "skor_masukan",
                         "bukti", "catatan", "sintetis", "asal", "tahap"]].copy()
    out["jumlah_penilai"] = n_ver[codes[direct]]
    if several.any():
        combined = _combine_all(s[used & several[codes]], _is_rubric(framework),
                                framework.panel.consolidation)
        out = pd.concat([out, combined], ignore_index=True)
    out = _evidence_fallback(out, s, rank)
    order = {c: k for k, c in enumerate(framework.indicator_codes)}
    out["_i"] = out["kode_indikator"].map(order).fillna(len(order))
    out = out.sort_values(["kode_wilayah", "_i"], kind="stable").drop(columns="_i")
    out["jumlah_penilai"] = out["jumlah_penilai"].astype(np.int64)
    out["sintetis"] = out["sintetis"].astype(bool)
    return out[CONSOLIDATED_COLUMNS].reset_index(drop=True)


def _evidence_fallback(out: pd.DataFrame, s: pd.DataFrame, rank: np.ndarray) -> pd.DataFrame:
    """An empty ``bukti`` of a verified or final value takes the references given at the
    stage before (the region's own references, usually)."""
    lacking = (out["bukti"] == "") & (out["tahap"] != "mandiri")
    if not lacking.any() or not (rank < 2).any():
        return out
    refs = s[(s["bukti"] != "")]
    best: dict[tuple[str, str, int], list[str]] = {}
    for r, k in zip(refs.itertuples(index=False), rank[refs.index.to_numpy()]):
        best.setdefault((r.kode_wilayah, r.kode_indikator, int(k)), []).append(r.bukti)
    out = out.copy()
    bukti = out["bukti"].tolist()
    for i, code, icode, stage in zip(np.flatnonzero(lacking.to_numpy()),
                                     out["kode_wilayah"].to_numpy()[lacking.to_numpy()],
                                     out["kode_indikator"].to_numpy()[lacking.to_numpy()],
                                     out["tahap"].to_numpy()[lacking.to_numpy()]):
        for k in range(STAGE_RANK[stage] - 1, -1, -1):
            found = best.get((code, icode, k))
            if found:
                bukti[i] = _join(found)
                break
    out["bukti"] = pd.Series(bukti, index=out.index, dtype=out["bukti"].dtype)
    return out


# -- analyses for the plenary -------------------------------------------------------------
def stage_table(stages: pd.DataFrame, scored: pd.DataFrame, framework: Framework,
                ) -> pd.DataFrame:
    """Per region and indicator: self-assessment, assessors, plenary, gap and flags.

    Parameters
    ----------
    stages : validated stage rows (``YearInputs.stages``).
    scored : the scored indicator table (``Assessment.indicators``): its ``skor`` (after
        the missing-data policy) is the verified score the self-assessment is compared
        with.
    framework : thresholds (``panel.disagreement_levels`` / ``disagreement_points``).

    Returns
    -------
    pandas.DataFrame
        One row per region and indicator with any stage row: ``metode`` (rubrik/angka),
        ``tahap`` (stage used), ``jumlah_penilai``, ``ada_mandiri`` (a self-assessment
        row exists), ``nilai_mandiri``/``skor_mandiri`` (NaN: no value claimed),
        ``nilai_verifikasi``/``skor_verifikasi`` (the assessors consolidated),
        ``tingkat_min``/``tingkat_max`` (rubric levels given), ``skor_min``/``skor_max``,
        ``rentang`` (levels for a rubric, points otherwise), ``penilai_kosong`` (assessors
        who gave no value), ``rincian_penilai`` (``"KPK-01: 3; BPKP-02: kosong"``),
        ``beda_pendapat`` and ``alasan_beda``, ``ada_final`` (the plenary decided; its
        value may be empty: no evidence), ``nilai_final``/``skor_final``, ``skor``
        (the score used), ``selisih_mandiri`` (self-assessed minus used score, points;
        positive = over-claimed), ``selisih_tingkat`` (levels, rubric only) and
        ``klaim_berlebih`` (over-claimed by at least the disagreement threshold, or
        claimed without the evidence being accepted).
    """
    rules = framework.panel
    rubric = _is_rubric(framework)
    if stages is None or stages.empty:
        return pd.DataFrame(columns=_STAGE_TABLE_COLUMNS)
    used = consolidate(stages, framework)
    ver = consolidate(stages[stages["tahap"] == "verifikasi"], framework)
    key = ["kode_wilayah", "kode_indikator"]
    t = used[key + ["tahap", "jumlah_penilai", "angka"]].rename(columns={"angka": "_nilai_pakai"})
    mand = stages[stages["tahap"] == "mandiri"].drop_duplicates(key)
    t = t.merge(mand[key + ["angka", "skor_masukan"]].rename(
        columns={"angka": "nilai_mandiri", "skor_masukan": "skor_mandiri"}).assign(
        ada_mandiri=True), on=key, how="left")
    t["ada_mandiri"] = t["ada_mandiri"].fillna(False).astype(bool)
    t = t.merge(ver[key + ["angka", "skor_masukan"]].rename(
        columns={"angka": "nilai_verifikasi", "skor_masukan": "skor_verifikasi"}),
        on=key, how="left")
    fin = stages[stages["tahap"] == "final"].drop_duplicates(key)
    t = t.merge(fin[key + ["angka", "skor_masukan"]].rename(
        columns={"angka": "nilai_final", "skor_masukan": "skor_final"}).assign(ada_final=True),
        on=key, how="left")
    t["ada_final"] = t["ada_final"].fillna(False).astype(bool)
    v = stages[stages["tahap"] == "verifikasi"]
    if len(v):
        agg = v.groupby(key, sort=False).agg(
            tingkat_min=("angka", "min"), tingkat_max=("angka", "max"),
            skor_min=("skor_masukan", "min"), skor_max=("skor_masukan", "max"),
            _n=("skor_masukan", "size"), _given=("skor_masukan", "count")).reset_index()
        agg["penilai_kosong"] = (agg["_n"] - agg["_given"]).astype(np.int64)
        detail = v.assign(_t=[f"{p}: {_level_text(x, rubric.get(c))}"
                              for p, x, c in zip(v["penilai"], v["angka"], v["kode_indikator"])])
        agg = agg.merge(detail.groupby(key, sort=False)["_t"].agg("; ".join)
                        .rename("rincian_penilai").reset_index(), on=key)
        t = t.merge(agg.drop(columns=["_n", "_given"]), on=key, how="left")
    else:
        for c in ("tingkat_min", "tingkat_max", "skor_min", "skor_max"):
            t[c] = np.nan
        t["penilai_kosong"], t["rincian_penilai"] = 0, ""
    t["penilai_kosong"] = t["penilai_kosong"].fillna(0).astype(np.int64)
    t["rincian_penilai"] = t["rincian_penilai"].fillna("")
    is_rub = t["kode_indikator"].map(rubric).fillna(False).to_numpy(bool)
    t.insert(2, "metode", np.where(is_rub, "rubrik", "angka"))
    for c in ("tingkat_min", "tingkat_max"):
        t[c] = t[c].where(is_rub)
    t["rentang"] = np.where(is_rub, t["tingkat_max"] - t["tingkat_min"],
                            t["skor_max"] - t["skor_min"])
    spread = np.where(is_rub, t["rentang"] >= rules.disagreement_levels,
                      t["rentang"] >= rules.disagreement_points - 1e-9)
    spread = spread & t["rentang"].notna().to_numpy()
    split = (t["penilai_kosong"] > 0) & (t["skor_max"].notna())
    t["beda_pendapat"] = spread | split.to_numpy()
    t["alasan_beda"] = [_reason(r, rub) for r, rub in zip(t.itertuples(index=False), is_rub)]
    score = scored.set_index(key)["skor"]
    t["skor"] = score.reindex(pd.MultiIndex.from_frame(t[key])).to_numpy(float)
    verified = t["tahap"] != "mandiri"
    t["selisih_mandiri"] = np.where(verified, t["skor_mandiri"] - t["skor"], np.nan)
    t["selisih_tingkat"] = np.where(verified & is_rub, t["nilai_mandiri"] - t["_nilai_pakai"],
                                    np.nan)
    claimed_unaccepted = verified & t["skor_mandiri"].notna() & t["_nilai_pakai"].isna()
    big = np.where(is_rub, t["selisih_tingkat"] >= rules.disagreement_levels,
                   t["selisih_mandiri"] >= rules.disagreement_points - 1e-9)
    t["klaim_berlebih"] = (big & verified.to_numpy()) | claimed_unaccepted.to_numpy()
    return t[_STAGE_TABLE_COLUMNS].reset_index(drop=True)


_STAGE_TABLE_COLUMNS = [
    "kode_wilayah", "kode_indikator", "metode", "tahap", "jumlah_penilai", "ada_mandiri",
    "nilai_mandiri", "skor_mandiri", "nilai_verifikasi", "skor_verifikasi", "tingkat_min", "tingkat_max",
    "skor_min", "skor_max", "rentang", "penilai_kosong", "rincian_penilai", "beda_pendapat",
    "alasan_beda", "ada_final", "nilai_final", "skor_final", "skor", "selisih_mandiri", "selisih_tingkat",
    "klaim_berlebih"]


def _level_text(x: float, rubric: bool | None) -> str:
    """A level ``"3"``, a number ``"68,3"`` (decimal comma), or ``"kosong"``."""
    if x != x:
        return "kosong"
    if rubric and float(x).is_integer():
        return str(int(x))
    from .fmt import ringkas

    return ringkas(round(float(x), 2))


def _reason(r, rubric: bool) -> str:
    parts = []
    if pd.notna(r.rentang) and r.rentang > 0:
        if rubric:
            parts.append(f"tingkat {int(r.tingkat_min)}–{int(r.tingkat_max)} "
                         f"(selisih {int(r.rentang)})")
        else:
            parts.append(f"skor {angka(r.skor_min, 1)}–{angka(r.skor_max, 1)} "
                         f"(selisih {angka(r.rentang, 1)})")
    if r.penilai_kosong > 0 and pd.notna(r.skor_max):
        parts.append(f"{int(r.penilai_kosong)} dari {int(r.jumlah_penilai)} penilai tanpa nilai")
    return "; ".join(parts)


def alpha_reading(alpha: float) -> str:
    """Krippendorff's reading of an alpha, in Indonesian."""
    if alpha != alpha:
        return "tidak dapat dihitung"
    if alpha >= ALPHA_RELIABLE:
        return "andal (≥ 0,800)"
    if alpha >= ALPHA_TENTATIVE:
        return "sementara (0,667–0,800)"
    return "rendah (< 0,667)"


def _alpha(matrix: np.ndarray, level: str, domain: list | None) -> tuple[float, str]:
    """Krippendorff's alpha of a coders x units matrix (NaN = no value); NaN + why when
    it is not defined."""
    import krippendorff

    pairable = (np.sum(~np.isnan(matrix), axis=0) >= 2)
    if matrix.shape[0] < 2 or pairable.sum() == 0:
        return float("nan"), "kurang dari dua penilai per wilayah"
    m = matrix[:, pairable]
    values = np.unique(m[~np.isnan(m)])
    if len(values) < 2:
        return float("nan"), "semua penilai memberi nilai yang sama (tanpa variasi)"
    kwargs = {"level_of_measurement": level}
    if domain is not None:
        kwargs["value_domain"] = domain
    return float(krippendorff.alpha(reliability_data=m, **kwargs)), ""


def agreement(stages: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Inter-rater agreement of the verifikasi stage: Krippendorff's alpha.

    Per indicator, units are regions and coders the assessors: ordinal level of
    measurement over the rubric's levels (``value_domain`` = all levels of the rubric,
    so the ordinal distances count every level, used or not), interval over the 0-100
    scores for indicators scored as numbers. Pooled: every rubric indicator sharing a
    rubric together, units = (region, indicator). An empty value (no evidence found)
    is a missing value, not a level. Alpha is NaN (with the reason) where fewer than two
    assessors scored the same region, or where every value is the same.

    Returns
    -------
    pandas.DataFrame
        ``kode_indikator`` (or ``"semua: rubrik <code>"``), ``nama``, ``ukuran``
        (ordinal/interval), ``alpha``, ``bacaan`` (Krippendorff's reading),
        ``jumlah_wilayah`` (units with at least two values), ``jumlah_penilai``,
        ``jumlah_nilai``, ``keterangan``.
    """
    cols = ["kode_indikator", "nama", "ukuran", "alpha", "bacaan", "jumlah_wilayah",
            "jumlah_penilai", "jumlah_nilai", "keterangan"]
    v = stages[stages["tahap"] == "verifikasi"] if stages is not None else None
    if v is None or v.empty:
        return pd.DataFrame(columns=cols)
    raters = sorted(v["penilai"].unique())
    rpos = {p: k for k, p in enumerate(raters)}
    rows = []
    pooled: dict[str, list[pd.DataFrame]] = {}
    for ind in framework.indicators:
        g = v[v["kode_indikator"] == ind.code]
        if g.empty:
            continue
        rub = ind.scoring.method == "rubric"
        col = "angka" if rub else "skor_masukan"
        units = sorted(g["kode_wilayah"].unique())
        upos = {u: k for k, u in enumerate(units)}
        m = np.full((len(raters), len(units)), np.nan)
        m[g["penilai"].map(rpos).to_numpy(), g["kode_wilayah"].map(upos).to_numpy()] = \
            g[col].to_numpy(float)
        domain = [lv.level for lv in framework.rubric(ind.scoring.rubric).levels] if rub else None
        a, why = _alpha(m, "ordinal" if rub else "interval", domain)
        rows.append([ind.code, ind.name, "ordinal" if rub else "interval", a, alpha_reading(a),
                     int((np.sum(~np.isnan(m), axis=0) >= 2).sum()),
                     int(g["penilai"].nunique()), int(g[col].notna().sum()), why])
        if rub:
            pooled.setdefault(ind.scoring.rubric, []).append(g)
    for code, parts in pooled.items():
        g = pd.concat(parts)
        unit = g["kode_wilayah"] + "/" + g["kode_indikator"]
        units = sorted(unit.unique())
        upos = {u: k for k, u in enumerate(units)}
        m = np.full((len(raters), len(units)), np.nan)
        m[g["penilai"].map(rpos).to_numpy(), unit.map(upos).to_numpy()] = g["angka"].to_numpy(float)
        domain = [lv.level for lv in framework.rubric(code).levels]
        a, why = _alpha(m, "ordinal", domain)
        rows.append([f"semua: rubrik {code}",
                     f"{len(parts)} indikator rubrik '{code}' digabung", "ordinal", a,
                     alpha_reading(a), int((np.sum(~np.isnan(m), axis=0) >= 2).sum()),
                     int(g["penilai"].nunique()), int(g["angka"].notna().sum()), why])
    out = pd.DataFrame(rows, columns=cols)
    out["alpha"] = out["alpha"].astype(float)
    return out


def plenary_agenda(table: pd.DataFrame, indicators: pd.DataFrame, results: pd.DataFrame,
                   framework: Framework, stages: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the plenary should discuss first.

    Every region and indicator the assessors disagree on (:func:`stage_table`
    ``beda_pendapat``) or that the region over-claimed (``klaim_berlebih``) is an item.
    For each, the region's total is recomputed (same aggregation and missing-data
    policy) with the indicator at the lowest assessor's score, the highest assessor's
    score and the self-assessed score: ``dampak_total`` is the spread of those totals
    (points), ``lintas_ambang`` says whether they fall on both sides of the designation
    threshold. Items are ordered: threshold at stake first, then disagreement (wider
    first), then effect on the total, then the over-claim, then code.

    Parameters
    ----------
    table : :func:`stage_table` of the year.
    indicators, results : ``Assessment.indicators`` and ``Assessment.results``.
    framework : the framework the year was scored with.
    """
    from .scoring import aggregate_matrix

    cols = ["urutan", "kode_wilayah", "nama_wilayah", "kode_indikator", "nama_indikator",
            "alasan", "rincian_penilai", "nilai_mandiri", "nilai_verifikasi", "ada_final",
            "nilai_final", "tahap", "selisih_mandiri", "skor_total", "total_min", "total_max",
            "dampak_total", "lintas_ambang", "beda_pendapat", "klaim_berlebih"]
    items = table[table["beda_pendapat"] | table["klaim_berlebih"]].reset_index(drop=True)
    if items.empty:
        return pd.DataFrame(columns=cols)
    matrix = indicators.pivot(index="kode_wilayah", columns="kode_indikator", values="skor")
    matrix = matrix.reindex(columns=framework.indicator_codes)
    policy = framework.missing_indicator
    province = results.set_index("kode_wilayah")["kode_provinsi"]
    given = indicators[indicators["status"] == "ada"].assign(
        _p=lambda d: d["kode_wilayah"].map(province))
    prov_mean = given.groupby(["_p", "kode_indikator"])["skor"].mean()

    def treated(code: str, icode: str, x: float) -> float:
        if x == x:
            return x
        if policy == "zero":
            return 0.0
        if policy == "province_mean":
            return float(prov_mean.get((province.get(code), icode), np.nan))
        return np.nan

    rows, owner = [], []
    for k, r in enumerate(items.itertuples(index=False)):
        if r.kode_wilayah not in matrix.index:
            continue
        base = matrix.loc[r.kode_wilayah].to_numpy(float)
        j = framework.indicator_codes.index(r.kode_indikator)
        candidates = [r.skor]
        if r.jumlah_penilai > 0:
            candidates += [r.skor_min, r.skor_max]
            if r.penilai_kosong > 0:
                candidates.append(np.nan)
        if r.ada_mandiri:
            candidates.append(r.skor_mandiri)
        for x in candidates:
            row = base.copy()
            row[j] = treated(r.kode_wilayah, r.kode_indikator, float(x))
            rows.append(row)
            owner.append(k)
    m = pd.DataFrame(np.array(rows), columns=framework.indicator_codes)
    _, totals = aggregate_matrix(m, framework)
    t = pd.DataFrame({"k": owner, "total": totals.to_numpy(float)})
    lo = t.groupby("k")["total"].min().reindex(range(len(items)))
    hi = t.groupby("k")["total"].max().reindex(range(len(items)))
    res = results.set_index("kode_wilayah")
    names = {i.code: i.name for i in framework.indicators}
    out = pd.DataFrame({
        "kode_wilayah": items["kode_wilayah"],
        "nama_wilayah": items["kode_wilayah"].map(res["nama_wilayah"]),
        "kode_indikator": items["kode_indikator"],
        "nama_indikator": items["kode_indikator"].map(names),
        "alasan": [_agenda_reason(r) for r in items.itertuples(index=False)],
        "rincian_penilai": items["rincian_penilai"],
        "nilai_mandiri": items["nilai_mandiri"], "nilai_verifikasi": items["nilai_verifikasi"],
        "ada_final": items["ada_final"].to_numpy(bool),
        "nilai_final": items["nilai_final"], "tahap": items["tahap"],
        "selisih_mandiri": items["selisih_mandiri"],
        "skor_total": items["kode_wilayah"].map(res["skor_total"]).to_numpy(float),
        "total_min": lo.to_numpy(float), "total_max": hi.to_numpy(float),
    })
    out["dampak_total"] = out["total_max"] - out["total_min"]
    out["lintas_ambang"] = ~framework.reaches_threshold(out["total_min"]) & \
        framework.reaches_threshold(out["total_max"])
    out["beda_pendapat"] = items["beda_pendapat"].to_numpy(bool)
    out["klaim_berlebih"] = items["klaim_berlebih"].to_numpy(bool)
    pos = {c: k for k, c in enumerate(framework.indicator_codes)}
    out = out.assign(_r=items["rentang"].fillna(0).to_numpy(float),
                     _i=out["kode_indikator"].map(pos),
                     _s=out["selisih_mandiri"].fillna(0))
    out = out.sort_values(["lintas_ambang", "beda_pendapat", "_r", "dampak_total", "_s",
                           "kode_wilayah", "_i"],
                          ascending=[False, False, False, False, False, True, True],
                          kind="stable").drop(columns=["_r", "_i", "_s"])
    out.insert(0, "urutan", np.arange(1, len(out) + 1))
    return out[cols].reset_index(drop=True)


def _agenda_reason(r) -> str:
    parts = []
    if r.beda_pendapat:
        parts.append("beda pendapat penilai: " + r.alasan_beda)
    if r.klaim_berlebih:
        accepted = r.nilai_final == r.nilai_final if r.ada_final \
            else r.nilai_verifikasi == r.nilai_verifikasi
        if not accepted:
            parts.append("diklaim dalam penilaian mandiri, bukti tidak diterima penilai")
        else:
            parts.append(f"penilaian mandiri lebih tinggi {angka(r.selisih_mandiri, 1)} poin")
    return "; ".join(parts)


_LOCATION = ["berkas", "sheet", "baris"]  # absolute or cwd-relative: not for outputs


def panel_tables(inputs, assessment) -> dict[str, pd.DataFrame]:
    """The panel tables of a scored year, for ``data/processed/<year>/``.

    ``tahapan``: :func:`stage_table`; ``penilaian``: every validated indicator row (all
    stages and assessors, ``asal`` locating it); ``kesepakatan``: :func:`agreement`;
    ``tindak_lanjut``: the follow-up rows of last year's recommendations. A year whose
    inputs have no stages gives ``tahapan`` with ``tahap = final`` and empty others.
    """
    from .inputs import _empty_followup, _empty_stages

    fw = assessment.framework
    stages = inputs.stages if inputs.stages is not None else _empty_stages()
    follow = inputs.followup if inputs.followup is not None else _empty_followup()
    return {
        "tahapan": stage_table(stages, assessment.indicators, fw),
        "penilaian": stages.drop(columns=_LOCATION, errors="ignore").reset_index(drop=True),
        "kesepakatan": agreement(stages, fw),
        "tindak_lanjut": follow.drop(columns=_LOCATION, errors="ignore").reset_index(drop=True),
    }
