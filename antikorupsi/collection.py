"""The collection: last year's recommendations, and what has arrived (``antikorupsi status``).

* :func:`recommendations`: THE one function that says what a region was recommended in
  a scored year. The per-region template carries its output into next year's
  ``tindak_lanjut`` sheet (:func:`previous_recommendations`). Today it lists each
  region's lowest-scored indicators with the framework's recommendation text, as the
  region report does; a ranked list of actions can replace its body without touching
  the template or the reader.
* :func:`collection_status`: per region, which files arrived, completeness per stage
  (self-assessment n/19, each assessor n/19, plenary decisions), missing evidence,
  screening rows and follow-up; the registry's regions that sent nothing (whom to
  chase); every problem and warning of the inputs. It never raises for bad data, so
  it works while the collection is under way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .framework import Framework

__all__ = ["recommendations", "previous_recommendations", "CollectionStatus",
           "collection_status", "format_status"]

RECOMMENDATION_COLUMNS = ["kode_wilayah", "tahun_rekomendasi", "no", "kode_indikator",
                          "rekomendasi"]


def recommendations(assessment, n: int = 3) -> pd.DataFrame:
    """What each region of a scored year is recommended to do, numbered per region.

    Parameters
    ----------
    assessment : antikorupsi.scoring.Assessment
        A scored year.
    n : int
        Recommendations per region.

    Returns
    -------
    pandas.DataFrame
        ``kode_wilayah, tahun_rekomendasi, no, kode_indikator, rekomendasi``: per region
        its ``n`` priority actions, the ones page 1 of its report lists
        (:func:`antikorupsi.actions.recommended_actions`: missing evidence first, then by
        the points each adds to the total), as "what: step (current -> target;
        responsible OPD)".
    """
    from .actions import KIND, next_actions

    fw = assessment.framework
    rows = []
    # the ranked next steps only: the first rows of recommended_actions, without the
    # shortest path to the threshold that table also works out
    for code, ind in assessment.indicators.groupby("kode_wilayah", sort=True):
        for k, a in enumerate(next_actions(fw, ind)[:n], start=1):
            who = f"; {a.opd}" if a.opd else ""
            rows.append({"kode_wilayah": str(code), "tahun_rekomendasi": assessment.year,
                         "no": k, "kode_indikator": a.indicator,
                         "rekomendasi": f"{KIND[a.kind].capitalize()}: {a.text} "
                                        f"({a.current} → {a.target}{who})"})
    out = pd.DataFrame(rows, columns=RECOMMENDATION_COLUMNS)
    return out.astype({"tahun_rekomendasi": "int64", "no": "int64"})


def previous_recommendations(processed_dir: str | Path, year: int) -> pd.DataFrame | None:
    """:func:`recommendations` of ``year - 1`` from ``processed_dir``, or None when that
    year was not scored there."""
    from .store import read_assessment

    d = Path(processed_dir) / str(year - 1)
    if not (d / "manifest.json").is_file():
        return None
    return recommendations(read_assessment(d))


# -- status ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CollectionStatus:
    """What has arrived for one year; see :func:`collection_status`."""

    year: int
    folder: Path
    n_indicators: int
    regions: pd.DataFrame      # one row per region with any data
    missing: pd.DataFrame      # registry regions without any data (provinces with data)
    missing_elsewhere: int     # registry regions without data in other provinces
    files: pd.DataFrame        # one row per file in the folder
    assessors: pd.DataFrame    # one row per assessor
    problems: tuple
    warnings: tuple
    synthetic: bool = False    # some indicator values are labelled sintetis

    @property
    def complete(self) -> bool:
        """Every region with data has a value for every indicator, nobody is missing,
        and there is no problem."""
        return (not self.problems and self.missing.empty and len(self.regions) > 0
                and bool(self.regions["lengkap"].all()))


def collection_status(data_dir: str | Path, year: int, framework: Framework,
                      regions: pd.DataFrame) -> CollectionStatus:
    """Read everything in ``data_dir/<year>/`` (problems collected, not raised).

    Per region (``regions`` table): ``berkas`` its own files (files holding rows of
    this region only), ``mandiri`` self-assessed values given, ``verifikasi`` per
    assessor (``"KPK-01 19; BPKP-02 18"``), ``final`` plenary values, ``kosong``
    indicators without a value at the latest stage, ``tanpa_bukti`` indicators whose
    evidence reference is empty, ``penyaringan`` screening rows with a value / rows,
    ``tindak_lanjut`` follow-up rows with a status / rows, ``tahap`` the stage most of
    its scores would come from, ``lengkap`` every indicator has a value.
    """
    from .inputs import gather
    from .panel import consolidate

    g = gather(data_dir, year, framework, regions)
    n = len(framework.indicators)
    st = g.stages
    cons = consolidate(st, framework)
    names = dict(zip(regions["kode_wilayah"], regions["nama_wilayah"]))
    # which regions each file covers
    cover: dict[str, set] = {}
    for df in (st, g.screening, g.followup):
        for f, c in zip(df["berkas"], df["kode_wilayah"]):
            cover.setdefault(f, set()).add(c)
    own: dict[str, list[str]] = {}
    folder = Path(g.folder)
    for f, codes in cover.items():
        if len(codes) == 1:
            own.setdefault(next(iter(codes)), []).append(_rel(f, folder))
    present = sorted(set(st["kode_wilayah"]) | set(g.screening["kode_wilayah"])
                     | set(g.followup["kode_wilayah"]))
    empty_st, empty_c = st.iloc[:0], cons.iloc[:0]
    by_st = dict(tuple(st.groupby("kode_wilayah", sort=False)))
    by_c = dict(tuple(cons.groupby("kode_wilayah", sort=False)))
    by_scr = dict(tuple(g.screening.groupby("kode_wilayah", sort=False)))
    by_fol = dict(tuple(g.followup.groupby("kode_wilayah", sort=False)))
    rows = []
    for code in present:
        s = by_st.get(code, empty_st)
        c = by_c.get(code, empty_c)
        given = s["skor_masukan"].notna()
        is_mand = (s["tahap"] == "mandiri").to_numpy()
        ver = s[(s["tahap"] == "verifikasi")]
        per = (ver.assign(_g=ver["skor_masukan"].notna()).groupby("penilai", sort=True)["_g"]
               .sum())
        scr = by_scr.get(code, g.screening.iloc[:0])
        fol = by_fol.get(code, g.followup.iloc[:0])
        stage = c["tahap"].value_counts()
        rows.append({
            "kode_wilayah": code, "nama_wilayah": names.get(code, ""),
            "berkas": ", ".join(sorted(own.get(code, []))),
            "mandiri": int((given.to_numpy() & is_mand).sum()) if is_mand.any() else None,
            "verifikasi": _per_assessor(per, n),
            "jumlah_penilai": int(len(per)),
            "final": int((s["tahap"] == "final").sum()),
            "kosong": int(n - c["skor_masukan"].notna().sum()),
            "tanpa_bukti": int(n - (c["bukti"] != "").sum()),
            "penyaringan": f"{int((scr['nilai'] != '').sum())}/{len(scr)}",
            "tindak_lanjut": f"{int((fol['status'] != '').sum())}/{len(fol)}" if len(fol)
            else "",
            "tahap": str(stage.index[0]) if len(stage) else "",
            "lengkap": bool(c["skor_masukan"].notna().sum() == n),
        })
    table = pd.DataFrame(rows, columns=["kode_wilayah", "nama_wilayah", "berkas", "mandiri",
                                        "verifikasi", "jumlah_penilai", "final", "kosong",
                                        "tanpa_bukti", "penyaringan", "tindak_lanjut", "tahap",
                                        "lengkap"])
    provinces = set(regions.loc[regions["kode_wilayah"].isin(present), "kode_provinsi"])
    none = regions[~regions["kode_wilayah"].isin(present)]
    missing = none[none["kode_provinsi"].isin(provinces) | (not provinces)]
    stages_of = st.groupby("berkas")["tahap"].agg(lambda x: ", ".join(sorted(set(x))))
    vst = st[st["tahap"] == "verifikasi"]
    who_of = vst.groupby("berkas")["penilai"].agg(lambda x: ", ".join(sorted(set(x))))
    tables_of: dict[str, set] = {}
    for t in g.tables:
        tables_of.setdefault(str(t.file.path), set()).add(t.table)
    files = []
    for f in g.files:
        key = str(f.path)
        files.append({"berkas": f.rel, "dipakai": key in g.used,
                      "tabel": ", ".join(sorted(tables_of.get(key, ()))),
                      "wilayah": len(cover.get(key, ())),
                      "tahap": stages_of.get(key, ""), "penilai": who_of.get(key, "")})
    ver = st[st["tahap"] == "verifikasi"]
    assessors = (ver.assign(_g=ver["skor_masukan"].notna())
                 .groupby("penilai", sort=True)
                 .agg(instansi=("instansi", lambda x: ", ".join(sorted(set(x) - {""}))),
                      wilayah=("kode_wilayah", "nunique"), nilai=("_g", "sum"),
                      baris=("_g", "size")).reset_index())
    return CollectionStatus(year, folder, n, table, missing[["kode_wilayah", "nama_wilayah"]]
                            .reset_index(drop=True), int(len(none) - len(missing)),
                            pd.DataFrame(files), assessors, g.problems, g.warnings,
                            bool(st["sintetis"].any()))


def _per_assessor(per: pd.Series, n: int) -> str:
    """``"3 penilai: 19/19"``, or each assessor's count when they differ."""
    if per.empty:
        return ""
    counts = per.astype(int)
    if counts.nunique() == 1:
        return f"{len(counts)} penilai: {int(counts.iloc[0])}/{n}"
    return f"{len(counts)} penilai: " + ", ".join(f"{p} {k}" for p, k in counts.items())


def _rel(path: str, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def format_status(s: CollectionStatus) -> str:
    """The status as ``antikorupsi status`` prints it (Indonesian, fixed-width)."""
    n = s.n_indicators
    used = int(s.files["dipakai"].sum()) if len(s.files) else 0
    lines = [f"Status pengumpulan data {s.year} ({s.folder}): {used} "
             f"dari {len(s.files)} berkas dipakai, {len(s.regions)} wilayah dengan data."]
    if s.synthetic:
        lines.append("PERHATIAN: nilai indikator bertanda sintetis adalah DATA SINTETIS "
                     "(contoh), bukan hasil penilaian KPK.")
    if len(s.regions):
        lines.append("")
        head = (f"{'Kode':<5} {'Wilayah':<26} {'Mandiri':>7} {'Verifikasi':<22} "
                f"{'Final':>5} {'Kosong':>6} {'Tnp bukti':>9} {'Penyr.':>6} {'Tindak lanjut':>13}")
        lines += [head, "-" * len(head)]
        for r in s.regions.itertuples(index=False):
            mand = "–" if r.mandiri is None or pd.isna(r.mandiri) else f"{int(r.mandiri)}/{n}"
            ver = r.verifikasi or "–"
            lines.append(f"{r.kode_wilayah:<5} {str(r.nama_wilayah)[:26]:<26} {mand:>7} "
                         f"{ver:<22} {r.final:>5} {r.kosong:>6} {r.tanpa_bukti:>9} "
                         f"{r.penyaringan:>6} {r.tindak_lanjut or '–':>13}")
        lines.append("")
        lines.append("Mandiri: nilai penilaian mandiri yang diisi; Verifikasi: jumlah penilai "
                     f"dan nilai yang diisi tiap penilai (dari {n}); Final: keputusan pleno; Kosong: indikator tanpa "
                     "nilai pada tahap terakhir; Tnp bukti: indikator tanpa rujukan bukti; "
                     "Penyr.: baris penyaringan berisi nilai/semua baris; Tindak lanjut: "
                     "rekomendasi tahun lalu yang statusnya diisi/semua.")
        own = s.regions[s.regions["berkas"] != ""]
        if len(own):
            lines.append("")
            lines.append("Buku kerja per wilayah yang sudah masuk:")
            lines += [f"  {r.kode_wilayah} {r.nama_wilayah}: {r.berkas}"
                      for r in own.itertuples(index=False)]
    shared = s.files[(s.files["wilayah"] != 1)] if len(s.files) else s.files
    if len(shared):
        lines.append("")
        lines.append("Berkas lain:")
        for f in shared.itertuples(index=False):
            what = (f"{f.tabel}, {f.wilayah} wilayah" + (f", tahap {f.tahap}" if f.tahap else "")
                    + (f", penilai {f.penilai}" if f.penilai else "")) if f.dipakai \
                else "tidak dipakai"
            lines.append(f"  {f.berkas}: {what}")
    if len(s.assessors):
        lines.append("")
        lines.append("Penilai (tahap verifikasi):")
        for a in s.assessors.itertuples(index=False):
            inst = f" ({a.instansi})" if a.instansi else ""
            lines.append(f"  {a.penilai}{inst}: {a.wilayah} wilayah, {int(a.nilai)} dari "
                         f"{int(a.baris)} indikator bernilai")
    lines.append("")
    if len(s.missing):
        lines.append(f"Belum ada data sama sekali ({len(s.missing)} wilayah, perlu dihubungi):")
        lines += [f"  {r.kode_wilayah} {r.nama_wilayah}" for r in s.missing.itertuples(index=False)]
    else:
        lines.append("Semua wilayah dalam daftar di provinsi ini sudah mengirim data.")
    if s.missing_elsewhere:
        lines.append(f"({s.missing_elsewhere} wilayah daftar di provinsi lain tanpa data, "
                     "tidak dirinci.)")
    incomplete = s.regions[~s.regions["lengkap"]] if len(s.regions) else s.regions
    if len(incomplete):
        lines.append(f"Belum lengkap ({len(incomplete)} wilayah): "
                     + ", ".join(f"{r.kode_wilayah} ({r.kosong} indikator kosong)"
                                 for r in incomplete.itertuples(index=False)))
    return "\n".join(lines)
