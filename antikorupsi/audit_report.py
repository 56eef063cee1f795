"""What the audit notebook shows: the yearly statistical audit as HTML blocks.

``notebooks/laporan_audit.ipynb`` is thin: it loads a scored year (:func:`load`), runs
the audit once (:func:`run`, pure functions of :mod:`antikorupsi.audit`) and shows one
block per cell. Everything the reader sees is in Bahasa Indonesia with Indonesian
number formats. The page style, banner, table builders and the methodology and
provenance sections come from :mod:`antikorupsi.report` and the chart set-up from
:mod:`antikorupsi.charts`; the names borrowed from them are imported in one place
below, so a rename there is a one-line change here.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from IPython.display import HTML
from matplotlib.patches import Polygon, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from . import audit as _audit
from . import charts, report
from .audit import NOT_COMPUTABLE, SECTIONS, TOTAL, Audit, AuditSettings
from .audit import number as _num
from .fmt import agregasi, angka, persen
from .uncertainty import uniform_weights_text

# Borrowed helpers (report.py and charts.py own them).
from .charts import DARK, LIGHT, MID
from .report import (
    _CSS,
    PROGRAMME,
    YearData,
    _banner,
    _block,
    _card,
    _e,
    _figure,
    _synthetic_note,
    _table,
    _tr,
)

_chart_figure = charts._figure  # a bare Figure with the report's rc settings
_chart_axes = charts._axes      # axes placed by margins in inches
_RC = charts._RC

__all__ = [
    "AuditView",
    "load",
    "run",
    "settings",
    "header",
    "findings",
    "indicator_statistics",
    "correlations",
    "reliability",
    "importance",
    "uncertainty",
    "notes",
    "methodology",
    "provenance",
    "TABLE_MAX_REGIONS",
]

#: Up to this many regions every region gets a row in the uncertainty table and chart.
TABLE_MAX_REGIONS = 40
#: Above TABLE_MAX_REGIONS, the uncertainty table lists this many widest intervals.
TOP_REGIONS = 15


@dataclass(frozen=True)
class AuditView:
    """A loaded year and its audit."""

    data: YearData
    result: Audit

    @property
    def framework(self):
        return self.data.framework


def load(processed_dir: str | Path, year: int) -> YearData:
    """A scored year from ``<processed_dir>/<year>`` (cached per kernel, as the reports).

    Unlike :func:`antikorupsi.report.load` nothing is computed up front (the audit
    needs none of the region reports' simulations).

    Raises
    ------
    InputError
        If the year was not scored yet.
    """
    return report._load(processed_dir, year, warm=False)


def settings() -> AuditSettings:
    """The audit settings, with the Monte Carlo of the annual report's rank intervals."""
    return AuditSettings(n_draws=report.UNCERTAINTY_DRAWS,
                         perturbation=report.UNCERTAINTY_PERTURBATION,
                         seed=report.UNCERTAINTY_SEED)


def run(data: YearData, audit_settings: AuditSettings | None = None) -> AuditView:
    """Run the audit on a loaded year (a few seconds for 514 regions)."""
    return AuditView(data, _audit.audit(data.assessment, audit_settings or settings()))


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------
def _names(v: AuditView) -> dict[str, str]:
    fw = v.framework
    out = {c.code: c.name for c in fw.components}
    out.update({i.code: i.name for i in fw.indicators})
    return out


def _not_computed(v: AuditView, head: str) -> HTML | None:
    if v.result.note:
        return _block(head + f"<p>{_e(v.result.note.capitalize())}.</p>", keep=True)
    return None


def _small_sample_note(v: AuditView) -> str:
    n, small = v.result.n_regions, v.result.settings.small_sample
    if n >= small:
        return ""
    return (f'<p class="ak-kecil"><strong>Hanya {angka(n, 0)} wilayah.</strong> Korelasi, '
            "alfa Cronbach, PCA dan rasio korelasi dari data sekecil ini sangat kasar "
            f"(di bawah {angka(small, 0)} wilayah rasio korelasi dihitung dengan garis "
            "lurus): baca sebagai petunjuk, bukan kesimpulan.</p>")


# --------------------------------------------------------------------------------------
# Header and findings
# --------------------------------------------------------------------------------------


def header(v: AuditView) -> HTML:
    """Title, synthetic-data banner, the counts of findings and what the audit is."""
    d, r, fw = v.data, v.result, v.framework
    count = {k: sum(1 for f in r.flags if f.section == k) for k in SECTIONS}
    split = r.uncertainty
    if split is None or math.isnan(split.share_method):
        source, source_note = "–", "tidak ada"
    elif split.share_method > 0.5:
        source = "metode agregasi"
        source_note = f"{persen(split.share_method, 0)} dari lebar rentang"
    elif split.share_method < 0.5:
        source = "bobot"
        source_note = f"{persen(1 - split.share_method, 0)} dari lebar rentang"
    else:
        source, source_note = "seimbang", "bobot = metode"
    cards = [
        _card("Wilayah", angka(r.n_regions, 0), f"{len(fw.indicators)} indikator, "
              f"{len(fw.components)} komponen"),
        _card("Pencilan", angka(count["pencilan"], 0), "indikator melewati aturan JRC"),
        _card("Korelasi lemah/negatif", angka(count["korelasi"], 0),
              "indikator dengan komponennya"),
        _card("Pasangan redundan", angka(count["redundan"], 0),
              f"korelasi > {angka(r.settings.redundant_correlation, 2)}"),
        _card("Sumber utama ketidakpastian", _e(source), _e(source_note)),
    ]
    intro = (
        "<p>Audit statistik tahunan atas kerangka penilaian, mengikuti praktik audit "
        "indeks komposit JRC (Komisi Eropa) dan COINr: sebaran setiap indikator dan "
        "pencilannya, korelasi indikator–komponen–skor total, konsistensi internal tiap "
        "komponen, pengaruh efektif tiap komponen dibandingkan dengan bobotnya, dan dari "
        "mana ketidakpastian peringkat berasal. Audit ini tidak mengubah skor resmi: "
        "yang ditunjukkan adalah apa yang <em>akan</em> berubah.</p>")
    inner = (
        f'<p class="ak-judul-atas">{PROGRAMME}</p>'
        f"<h1>Audit Statistik {r.year}</h1>"
        f'<p class="ak-sub">Kerangka {_e(fw.id)} (versi {_e(fw.version)}) · '
        f"{angka(r.n_regions, 0)} wilayah · agregasi rata-rata "
        f"{_e(agregasi(fw.aggregation))} tertimbang</p>"
        + _banner(d)
        + f'<div class="ak-kartu">{"".join(cards)}</div>'
        + intro + _small_sample_note(v)
    )
    return HTML(_CSS + f'<div class="ak">{inner}</div>')


def findings(v: AuditView) -> HTML:
    """Every finding of the audit, grouped by kind."""
    head = "<h2>Ringkasan temuan</h2>"
    blocked = _not_computed(v, head)
    if blocked is not None:
        return blocked
    parts = []
    for key, title in SECTIONS.items():
        items = [f for f in v.result.flags if f.section == key]
        if not items:
            continue
        parts.append(f"<h3>{_e(title)}</h3><ul>"
                     + "".join(f"<li>{_e(f.text)}</li>" for f in items) + "</ul>")
    if not parts:
        body = "<p>Tidak ada temuan: semua pemeriksaan di bawah berada dalam ambang.</p>"
    else:
        body = "".join(parts)
    return _block(head + body)


# --------------------------------------------------------------------------------------
# Indicator statistics
# --------------------------------------------------------------------------------------
def indicator_statistics(v: AuditView) -> HTML:
    """Per indicator: missing share, moments, the JRC rule; winsorisation where it fails."""
    head = "<h2>Statistik indikator</h2>"
    blocked = _not_computed(v, head)
    if blocked is not None:
        return blocked
    r, s = v.result, v.result.settings
    t = r.indicators
    names = _names(v)
    rows = []
    for code, x in t.iterrows():
        if x["outlier"]:
            rule = "<strong>ya</strong>"
        elif str(x["note"]).startswith(NOT_COMPUTABLE):
            rule = '<span class="ak-kecil">tidak dapat dihitung</span>'
        else:
            rule = "–"
        name = (f'{_e(code)} <span class="ak-kecil">{_e(names.get(code, ""))}</span>')
        rows.append(_tr([
            (name, ""), (_e(x["component"]), ""), (persen(x["missing_share"], 0), "num"),
            (_num(x["mean"], 1), "num"), (_num(x["sd"], 1), "num"),
            (f"{_num(x['min'], 0)}–{_num(x['max'], 0)}", "num"),
            (_num(x["skewness"]), "num"), (_num(x["kurtosis"]), "num"), (rule, "tengah"),
        ], "ak-sorot" if x["outlier"] else ""))
    table = _table([("Indikator", ""), ("Komp.", ""), ("Tanpa bukti", "num"),
                    ("Rata-rata", "num"), ("SD", "num"), ("Min–maks", "num"),
                    ("Kemen­cengan", "num"), ("Kurtosis", "num"), ("Pencilan", "tengah")],
                   rows, widths=(37, 6, 8, 8, 6, 9, 9, 8, 9), cls="ak-rapat")
    notes = [f"{_e(c)}: {_e(x['note'])}" for c, x in t.iterrows() if x["note"]]
    flagged = t[t["outlier"]]
    policy = {"zero": "diberi skor 0", "renormalise": "dikeluarkan dari perhitungan",
              "province_mean": "diisi rata-rata provinsi"}.get(
        v.framework.missing_indicator, v.framework.missing_indicator)
    legend = (
        f"Statistik atas skor 0–100 yang masuk ke agregasi: indikator tanpa bukti "
        f"{policy} (kebijakan kerangka). Tanpa bukti: bagian wilayah yang indikatornya "
        "tidak berbukti. Kemencengan: koefisien kemencengan sampel (G1); kurtosis: "
        "kurtosis berlebih sampel (G2, distribusi normal = 0), definisi SKEW/KURT Excel "
        f"yang dipakai COINr. Pencilan (aturan JRC/COINr): |kemencengan| ≥ "
        f"{_num(s.skew_threshold, 0)} dan kurtosis ≥ {_num(s.kurtosis_threshold, 1)}."
        + _synthetic_note(v.data))
    if flagged.empty:
        treat = ("<p>Tidak ada indikator yang melewati aturan pencilan JRC: tidak ada yang "
                 "perlu winsorisasi.</p>")
    else:
        wrows = []
        for code, x in flagged.iterrows():
            passes = "ya" if x["winsor_passes"] else "tidak (JRC: transformasi log)"
            wrows.append(_tr([
                (_e(code), ""), (angka(x["winsor_points"], 0), "num"),
                (f"{_num(x['skewness'])} → {_num(x['winsor_skewness'])}", "num"),
                (f"{_num(x['kurtosis'])} → {_num(x['winsor_kurtosis'])}", "num"),
                (passes, ""),
                (f"{angka(x['rank_changed'], 0)} (maks. {angka(x['rank_max_shift'], 0)})",
                 "num"),
            ]))
        every = r.winsorised_all
        treat = (
            "<h3>Bila diwinsorisasi</h3>"
            "<p>Winsorisasi cara COINr: nilai paling ekstrem (ke arah kemencengan) diganti "
            "dengan nilai berikutnya, berulang sampai aturan terpenuhi atau "
            f"{angka(s.winsor_max, 0)} titik tercapai (nilai kembar bergeser bersama). "
            "Skor resmi tidak diubah; tabel ini hanya menunjukkan akibatnya.</p>"
            + _table([("Indikator", ""), ("Titik", "num"), ("Kemencengan", "num"),
                      ("Kurtosis", "num"), ("Lolos aturan", ""),
                      ("Wilayah berubah peringkat", "num")], wrows,
                     widths=(12, 8, 20, 20, 20, 20))
            + (f"<p>Bila semua {angka(len(every['indicators']), 0)} indikator itu "
               f"diwinsorisasi bersama, {angka(every['rank_changed'], 0)} wilayah berubah "
               f"peringkat (paling jauh {angka(every['rank_max_shift'], 0)} "
               "peringkat).</p>" if len(every.get("indicators", [])) > 1 else "")
        )
    inner = (head + table + f'<p class="ak-kecil">{legend}</p>'
             + (f'<p class="ak-kecil">{"; ".join(notes)}.</p>' if notes else "")
             + f'<div class="ak-utuh">{treat}</div>')
    return _block(inner)


# --------------------------------------------------------------------------------------
# Correlations
# --------------------------------------------------------------------------------------
def _heat(ax, r: np.ndarray, show: np.ndarray, *, fontsize: float = 5.8) -> None:
    """Correlation cells: one grey image (darker = higher), negative cells hatched, the
    value printed in every shown cell (one image instead of a patch per cell keeps the
    chart cheap to draw)."""
    shade = np.where(show & (np.nan_to_num(r) > 0), np.clip(np.nan_to_num(r), 0, 1) * 0.85,
                     0.0)
    ax.imshow(shade, cmap="Greys", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    for i, j in zip(*np.nonzero(show)):
        v = float(r[i, j])
        if np.isnan(v):
            ax.text(j, i, "–", ha="center", va="center", fontsize=fontsize)
            continue
        if v < 0:  # hatching takes the edge colour: light grey lines on white
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=LIGHT,
                                   hatch="//////", linewidth=0))
        ax.text(j, i, _num(v), ha="center", va="center", fontsize=fontsize,
                color="white" if shade[i, j] > 0.5 else "black",
                bbox=dict(facecolor="white", edgecolor="none", pad=0.3) if v < 0 else None)
    # white cell borders as two line collections (a minor-tick grid costs 0.2 s a chart)
    n_rows, n_cols = r.shape
    ax.hlines(np.arange(0.5, n_rows - 1), -0.5, n_cols - 0.5, color="white", linewidth=0.8)
    ax.vlines(np.arange(0.5, n_cols - 1), -0.5, n_rows - 0.5, color="white", linewidth=0.8)
    ax.tick_params(which="both", length=0)
    for side in ax.spines.values():
        side.set_visible(False)


def _family_heatmap(v: AuditView) -> str:
    """Indicators (rows) x components and total (columns), own component outlined."""
    fw, r = v.framework, v.result.pearson
    rows = fw.indicator_codes
    cols = fw.component_codes + [TOTAL]
    comp_of = {i.code: i.component for i in fw.indicators}
    height = 0.2 * len(rows) + 0.5
    fig = _chart_figure(height)
    col_w = 0.5
    left = (fig.get_size_inches()[0] - col_w * len(cols)) / 2 + 0.3
    with matplotlib.rc_context(_RC):
        ax = _chart_axes(fig, left=left, right=fig.get_size_inches()[0] - left
                         - col_w * len(cols), bottom=0.05, top=0.4)
        values = r.loc[rows, cols].to_numpy(float)
        _heat(ax, values, np.ones(values.shape, dtype=bool), fontsize=6.5)
        for i, code in enumerate(rows):  # the indicator's own component
            j = cols.index(comp_of[code])
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black",
                                   linewidth=1.3, zorder=3))
        ax.set_xlim(-0.5, len(cols) - 0.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xticks(range(len(cols)), fw.component_codes + ["Total"])
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(rows)), [f"{c} ({comp_of[c]})" for c in rows])
    return charts.svg(fig)


def _pair_heatmap(v: AuditView) -> str:
    """Indicator x indicator correlations (lower triangle), components boxed."""
    fw, r = v.framework, v.result.pearson
    codes = fw.indicator_codes
    n = len(codes)
    # the first row and the last column are empty (no pairs): n - 1 cells each way
    cell = 0.235
    height = cell * (n - 1) + 0.45
    fig = _chart_figure(height)
    w = fig.get_size_inches()[0]
    side = (w - cell * (n - 1)) / 2
    with matplotlib.rc_context(_RC):
        ax = _chart_axes(fig, left=side, right=side, bottom=0.05, top=0.4)
        values = r.loc[codes, codes].to_numpy(float)
        _heat(ax, values, np.tril(np.ones((n, n), dtype=bool), k=-1), fontsize=5.2)
        comps = [i.component for i in fw.indicators]
        start = 0
        for k in range(1, n + 1):
            if k == n or comps[k] != comps[start]:
                if k - start > 1:  # the pairs within one component: a staircase outline
                    pts = [(start - 0.5, start + 0.5)]
                    for i in range(start + 1, k):
                        pts += [(i - 0.5, i - 0.5), (i - 0.5, i + 0.5)]
                    pts.append((start - 0.5, k - 0.5))
                    ax.add_patch(Polygon(pts, closed=True, fill=False, edgecolor="black",
                                         linewidth=1.1, zorder=4))
                start = k
        ax.set_xlim(-0.5, n - 1.5)
        ax.set_ylim(n - 0.5, 0.5)
        ax.set_xticks(range(n - 1), codes[:-1], rotation=90)
        ax.xaxis.tick_top()
        ax.set_yticks(range(1, n), codes[1:])
    return charts.svg(fig)


def correlations(v: AuditView) -> HTML:
    """Correlation heat maps and the flagged correlations (Pearson and Spearman)."""
    head = "<h2>Korelasi</h2>"
    blocked = _not_computed(v, head)
    if blocked is not None:
        return blocked
    r, s = v.result, v.result.settings
    method = "Pearson" if s.flag_method == "pearson" else "Spearman"
    f = r.correlation_flags
    if f.empty:
        flags = (f"<p>Tidak ada indikator yang berkorelasi negatif atau lemah (≤ "
                 f"{_num(s.weak_correlation)}) dengan komponennya, dan tidak ada pasangan "
                 f"dengan korelasi > {_num(s.redundant_correlation)}.</p>")
    else:
        comp_of = {i.code: i.component for i in v.framework.indicators}

        def where(a: str, b: str) -> str:
            if a not in comp_of:
                return "antarkomponen"
            if b not in comp_of:
                return f"{a} dalam {b}"
            if comp_of[a] == comp_of[b]:
                return f"dalam {comp_of[a]}"
            return f"{comp_of[a]} dan {comp_of[b]}"

        rows = [_tr([(_e(x.kind), ""), (_e(x.a), ""), (_e(x.b), ""),
                     (_num(x.pearson), "num"), (_num(x.spearman), "num"),
                     (_e(where(x.a, x.b)), "")])
                for x in f.itertuples(index=False)]
        flags = _table([("Temuan", ""), ("A", ""), ("B", ""), ("Pearson", "num"),
                        ("Spearman", "num"), ("Letak", "")], rows,
                       widths=(16, 12, 12, 16, 16, 28))
    single = [c.code for c in v.framework.components
              if sum(i.component == c.code for i in v.framework.indicators) == 1]
    cap1 = (f"Korelasi {method} setiap indikator dengan keenam komponen dan skor total; "
            "kotak tebal: komponen indikator itu sendiri. Makin gelap makin tinggi; "
            "korelasi negatif diarsir."
            + (f" {', '.join(single)} hanya berisi satu indikator (korelasinya dengan "
               "komponennya selalu 1)." if single else "") + _synthetic_note(v.data))
    cap2 = (f"Korelasi {method} antarindikator (segitiga bawah); kotak tebal: pasangan di "
            "dalam satu komponen.")
    fw, p_, s_ = v.framework, r.pearson, r.spearman
    both_rows = [_tr([
        (_e(i.code), ""), (_e(i.component), ""),
        (_num(p_.loc[i.code, i.component]), "num"), (_num(s_.loc[i.code, i.component]), "num"),
        (_num(p_.loc[i.code, TOTAL]), "num"), (_num(s_.loc[i.code, TOTAL]), "num"),
    ]) for i in fw.indicators]
    both_rows += [_tr([
        (_e(c), ""), ("–", ""), ("", "num"), ("", "num"),
        (_num(p_.loc[c, TOTAL]), "num"), (_num(s_.loc[c, TOTAL]), "num"),
    ], "ak-sorot") for c in fw.component_codes]
    both = ('<div class="ak-utuh"><h3>Pearson dan Spearman</h3>'
            + _table([("Indikator/komponen", ""), ("Komponen", ""),
                      ("Komponen: Pearson", "num"), ("Komponen: Spearman", "num"),
                      ("Skor total: Pearson", "num"), ("Skor total: Spearman", "num")],
                     both_rows, widths=(20, 12, 17, 17, 17, 17), cls="ak-rapat")
            + '<p class="ak-kecil">Spearman memakai peringkat, jadi tidak terpengaruh nilai '
              "ekstrem; selisih besar antara keduanya menandakan hubungan yang ditarik oleh "
              "beberapa wilayah saja. Baris tebal: komponen dengan skor total.</p></div>")
    inner = (
        head
        + f"<p>Indikator seharusnya berkorelasi positif dengan komponennya. Korelasi "
          f"negatif atau lemah (≤ {_num(s.weak_correlation)}, ambang “lemah” COINr) "
          "berarti indikator itu tidak bergerak bersama komponennya; korelasi di atas "
          f"{_num(s.redundant_correlation)} antara dua indikator atau dua komponen "
          "berarti keduanya hampir mengukur hal yang sama. Tanda memakai koefisien "
          f"{method}; keduanya (Pearson dan Spearman) ditampilkan.</p>"
        + flags
        + '<div class="ak-utuh">' + _figure(_family_heatmap(v), cap1) + "</div>"
        + both
        + '<div class="ak-utuh">' + _figure(_pair_heatmap(v), cap2) + "</div>"
        + _small_sample_note(v)
    )
    return _block(inner)


# --------------------------------------------------------------------------------------
# Internal consistency
# --------------------------------------------------------------------------------------
def reliability(v: AuditView) -> HTML:
    """Cronbach's alpha and the first principal component, per component."""
    head = "<h2>Konsistensi internal komponen</h2>"
    blocked = _not_computed(v, head)
    if blocked is not None:
        return blocked
    r, s = v.result, v.result.settings
    rows = []
    names = _names(v)
    for comp, x in r.reliability.iterrows():
        low = not pd.isna(x["alpha"]) and x["alpha"] < s.alpha_threshold
        many = x["n_eigen_above_1"] > 1
        note = x["note"].replace(f"{NOT_COMPUTABLE}: ", "tidak dapat dihitung: ") \
            if x["note"] else ("; ".join(
                (["alfa di bawah " + _num(s.alpha_threshold, 1)] if low else [])
                + (["lebih dari satu dimensi"] if many else [])) or "–")
        rows.append(_tr([
            (f'{_e(comp)} <span class="ak-kecil">{_e(names.get(comp, ""))}</span>', ""),
            (angka(x["n_indicators"], 0), "num"), (angka(x["n_complete"], 0), "num"),
            (_num(x["alpha"]), "num"), (persen(x["pc1_share"], 0), "num"),
            (angka(x["n_eigen_above_1"], 0) if pd.notna(x["pc1_share"]) else "–", "num"),
            (_e(note), "ak-kecil"),
        ], "ak-sorot" if (low or many) else ""))
    inner = (
        head
        + "<p>Alfa Cronbach mengukur seberapa searah indikator-indikator satu komponen "
          f"(≥ {_num(s.alpha_threshold, 1)} lazim dianggap memadai). PCA pada indikator "
          "yang distandarkan: bagian keragaman yang dijelaskan komponen utama pertama "
          "(PC1) dan banyaknya nilai eigen di atas 1 (lebih dari satu berarti komponen itu "
          "mungkin mengukur lebih dari satu dimensi).</p>"
        + _table([("Komponen", ""), ("Indikator", "num"), ("Wilayah lengkap", "num"),
                  ("Alfa Cronbach", "num"), ("Varians PC1", "num"), ("Eigen > 1", "num"),
                  ("Catatan", "")], rows, widths=(30, 9, 10, 10, 9, 8, 24))
        + '<p class="ak-kecil">Dihitung pada wilayah yang semua indikator komponennya '
          "berskor (skor 0–100 setelah kebijakan data kosong).</p>"
    )
    return _block(inner, keep=True)


# --------------------------------------------------------------------------------------
# Effective importance
# --------------------------------------------------------------------------------------
def _importance_chart(v: AuditView) -> str:
    t = v.result.importance
    fw = v.framework
    codes = list(t.index)
    n = len(codes)
    height = 0.42 * n + 0.7
    fig = _chart_figure(height)
    with matplotlib.rc_context(_RC):
        ax = _chart_axes(fig, left=2.6, right=0.5, bottom=0.4, top=0.35)
        y = np.arange(n)
        weight = t["weight"].to_numpy(float)
        share = t["s_share"].to_numpy(float)
        ax.barh(y - 0.19, weight, height=0.36, facecolor="white", edgecolor="black",
                hatch="////", linewidth=0.7, label="Bobot nominal")
        ax.barh(y + 0.19, np.nan_to_num(share), height=0.36, color=DARK,
                label="Pengaruh efektif (S ternormalisasi)")
        top = float(np.nanmax(np.r_[weight, share, 0.01]))
        for i in range(n):
            ax.text(weight[i] + top * 0.015, y[i] - 0.19, persen(weight[i], 0), va="center",
                    fontsize=7)
            label = persen(share[i], 0) if not np.isnan(share[i]) else "tidak dapat dihitung"
            ax.text((0 if np.isnan(share[i]) else share[i]) + top * 0.015, y[i] + 0.19,
                    label, va="center", fontsize=7)
        names = {c.code: c.name for c in fw.components}
        labels = ["\n".join(textwrap.wrap(f"{c} {names.get(c, '')}", 34)[:2]) for c in codes]
        ax.set_yticks(y, labels)
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(0, top * 1.18)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: persen(x, 0)))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.grid(axis="x", color=LIGHT, linewidth=0.5, zorder=0)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        charts._style_axes(ax)
        fig.legend(*ax.get_legend_handles_labels(), loc="upper center",
                   bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, borderaxespad=0.2)
    return charts.svg(fig)


def importance(v: AuditView) -> HTML:
    """Nominal weight against the correlation ratio of each component."""
    head = "<h2>Pengaruh efektif komponen</h2>"
    blocked = _not_computed(v, head)
    if blocked is not None:
        return blocked
    r, s = v.result, v.result.settings
    t = r.importance
    names = _names(v)
    how = {"spline": "spline penghalus", "linear": "garis lurus"}
    rows = []
    for comp, x in t.iterrows():
        off = pd.notna(x["ratio"]) and (x["ratio"] > s.importance_ratio
                                        or x["ratio"] < 1 / s.importance_ratio)
        rows.append(_tr([
            (f'{_e(comp)} <span class="ak-kecil">{_e(names.get(comp, ""))}</span>', ""),
            (persen(x["weight"]), "num"), (_num(x["s"]), "num"), (persen(x["s_share"]), "num"),
            (_num(x["ratio"]), "num"),
            (_e(x["note"] or how.get(x["method"], "")), "ak-kecil"),
        ], "ak-sorot" if off else ""))
    lo, hi = _num(1 / s.importance_ratio), _num(s.importance_ratio)
    off = t[(t["ratio"] > s.importance_ratio) | (t["ratio"] < 1 / s.importance_ratio)]
    if off.empty:
        verdict = (f"Pengaruh efektif setiap komponen sejalan dengan bobotnya (rasio antara "
                   f"{lo} dan {hi}).")
    else:
        parts = []
        for comp, x in off.iterrows():
            parts.append(f"{comp} berbobot {persen(x['weight'], 0)} tetapi pengaruh "
                         f"efektifnya {persen(x['s_share'], 0)}")
        verdict = ("Bobot tidak selalu bekerja sesuai besarnya: " + "; ".join(parts)
                   + f" (rasio di luar {lo}–{hi}).")
    inner = (
        head
        + "<p>Bobot nominal belum tentu sama dengan pengaruh sebenarnya pada skor total: "
          "komponen yang berkorelasi dengan komponen lain, atau yang skornya hampir sama "
          "di semua wilayah, bisa berpengaruh jauh lebih besar atau lebih kecil daripada "
          "bobotnya. Pengaruh efektif diukur dengan rasio korelasi S (indeks sensitivitas "
          "orde pertama: bagian keragaman skor total yang dijelaskan oleh satu komponen; "
          "Paruolo, Saisana dan Saltelli 2013), lalu dinormalkan agar berjumlah 100% "
          "seperti bobot.</p>"
        + f"<p>{_e(verdict)}</p>"
        + '<div class="ak-utuh">' + _figure(
            _importance_chart(v),
            "Bobot nominal (arsir) dan pengaruh efektif (gelap) tiap komponen, dalam persen "
            "dari jumlahnya." + _synthetic_note(v.data)) + "</div>"
        + _table([("Komponen", ""), ("Bobot", "num"), ("S", "num"), ("S ternormalisasi", "num"),
                  ("Rasio", "num"), ("Penaksir", "")], rows,
                 widths=(38, 10, 9, 14, 9, 20), cls="ak-utuh")
        + '<p class="ak-kecil">S = V[E(skor total | komponen)] / V(skor total), ditaksir '
          "dari data dengan spline kubik penghalus (penalti dipilih dengan validasi silang "
          f"umum); di bawah {angka(s.small_sample, 0)} wilayah atau kurang dari 5 nilai "
          "berbeda dengan garis lurus (S = r²). Rasio = S ternormalisasi / bobot; di luar "
          f"{lo}–{hi} ditandai (ambang ini asumsi audit).</p>"
        + _small_sample_note(v)
    )
    return _block(inner)


# --------------------------------------------------------------------------------------
# Uncertainty split
# --------------------------------------------------------------------------------------
_SCENARIOS = (("weights", "hanya bobot"), ("method", "hanya metode"), ("both", "keduanya"))


def _interval(x: pd.Series, key: str) -> str:
    lo, hi = x[f"rank_p05_{key}"], x[f"rank_p95_{key}"]
    if pd.isna(lo):
        return "–"
    return f"{int(lo)}" if lo == hi else f"{int(lo)}–{int(hi)}"


def _split_chart_small(v: AuditView, t: pd.DataFrame, n_regions: int) -> str:
    n = len(t)
    height = 0.34 * n + 0.8
    fig = _chart_figure(height)
    styles = {"weights": dict(color=MID, linewidth=3.2),
              "method": dict(color="black", linewidth=1.4, linestyle=(0, (3, 1.2))),
              "both": dict(color=DARK, linewidth=1.0)}
    offsets = {"weights": -0.22, "method": 0.0, "both": 0.22}
    with matplotlib.rc_context(_RC):
        ax = _chart_axes(fig, left=1.9, right=0.25, bottom=0.42, top=0.35)
        y = np.arange(n)
        for key, label in _SCENARIOS:
            lo = t[f"rank_p05_{key}"].to_numpy(float)
            hi = t[f"rank_p95_{key}"].to_numpy(float)
            ax.hlines(y + offsets[key], lo - 0.12, hi + 0.12, label=label, **styles[key])
            if key == "both":
                ax.scatter(lo, y + offsets[key], marker="|", s=18, color=DARK)
                ax.scatter(hi, y + offsets[key], marker="|", s=18, color=DARK)
        ax.scatter(t["nominal_rank"].to_numpy(float), y, marker="D", s=14, color="white",
                   edgecolor="black", linewidth=0.8, zorder=4, label="peringkat nominal")
        ax.set_yticks(y, [str(s) for s in t["nama_wilayah"]])
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(0.5, n_regions + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(n_regions, 10)))
        ax.xaxis.set_major_formatter(charts._id_formatter())
        ax.set_xlabel("Peringkat (1 = terbaik): rentang 5–95%", labelpad=2)
        ax.grid(axis="x", color=LIGHT, linewidth=0.5, zorder=0)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        fig.legend(*ax.get_legend_handles_labels(), loc="upper center",
                   bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False, borderaxespad=0.2)
    return charts.svg(fig)


def _signed_sqrt(x):
    x = np.asarray(x, dtype=float)
    return np.sign(x) * np.sqrt(np.abs(x))


def _signed_square(x):
    x = np.asarray(x, dtype=float)
    return np.sign(x) * x * x


def _split_chart_large(t: pd.DataFrame) -> str:
    """Width from the weights (x) against width from the method (y), one bubble per
    distinct pair sized by the number of regions; the diagonal divides who dominates."""
    t = t.dropna(subset=["width_weights", "width_method"])
    counts = t.groupby(["width_weights", "width_method"]).size().reset_index(name="n")
    fig = _chart_figure(3.2)
    with matplotlib.rc_context(_RC):
        ax = _chart_axes(fig, left=0.75, right=2.6, bottom=0.45, top=0.15)
        top = float(max(counts["width_weights"].max(), counts["width_method"].max(), 1))
        ax.plot([0, top * 1.05], [0, top * 1.05], color=MID, linewidth=0.8,
                linestyle=(0, (4, 2)), zorder=1)
        size = 6 + 10 * counts["n"].to_numpy(float)
        ax.scatter(counts["width_weights"], counts["width_method"], s=size, facecolor="none",
                   edgecolor="black", linewidth=0.6, zorder=3)
        # square-root axes: most widths are small, a few are in the hundreds
        ticks = [t for t in (0, 10, 20, 50, 100, 200, 500, 1000, 2000)
                 if t <= top * 1.05]
        for axis, scale in ((ax.xaxis, ax.set_xscale), (ax.yaxis, ax.set_yscale)):
            scale("function", functions=(_signed_sqrt, _signed_square))
            axis.set_major_locator(FixedLocator(ticks))
            axis.set_major_formatter(charts._id_formatter())
        ax.set_xlim(-0.3, top * 1.05)
        ax.set_ylim(-0.3, top * 1.05)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("Lebar rentang: hanya bobot (peringkat, skala akar)")
        ax.set_ylabel("Lebar rentang: hanya metode\n(peringkat, skala akar)")
        ax.grid(color=LIGHT, linewidth=0.5, zorder=0)
        charts._style_axes(ax)
        ax.text(1.04, 0.98, "di atas garis:\nmetode agregasi\nlebih berpengaruh",
                transform=ax.transAxes, va="top", fontsize=7)
        ax.text(1.04, 0.25, "di bawah garis:\nbobot lebih\nberpengaruh",
                transform=ax.transAxes, va="top", fontsize=7)
        for k, yy in ((1, 0.62), (5, 0.52), (20, 0.42)):
            ax.scatter([1.1], [yy], s=6 + 10 * k, facecolor="none", edgecolor="black",
                       linewidth=0.6, transform=ax.transAxes, clip_on=False)
            ax.text(1.2, yy, f"{k} wilayah", transform=ax.transAxes, va="center",
                    fontsize=7)
    return charts.svg(fig)


def uncertainty(v: AuditView) -> HTML:
    """How much of each region's rank interval comes from the weights and the method."""
    head = "<h2>Dari mana ketidakpastian peringkat berasal</h2>"
    blocked = _not_computed(v, head)
    if blocked is not None:
        return blocked
    split = v.result.uncertainty
    t = split.table[split.table["nominal_rank"].notna()]
    n = len(t)
    dominant = {"metode": "metode", "bobot": "bobot", "seimbang": "seimbang",
                "stabil": "stabil"}
    if n <= TABLE_MAX_REGIONS:
        shown, what = t, ""
        chart = _split_chart_small(v, t, int(v.result.n_regions))
        caption = ("Rentang peringkat 5–95% tiap wilayah: hanya bobot komponen diubah "
                   "(garis abu-abu tebal), hanya metode agregasi diundi (garis putus-putus), "
                   "keduanya bersama (garis tipis bertanda ujung); belah ketupat: peringkat "
                   "nominal." + _synthetic_note(v.data))
    else:
        shown = t.sort_values(["width_both", "nominal_rank"], ascending=[False, True],
                              kind="stable").head(TOP_REGIONS)
        what = (f"<p>{angka(TOP_REGIONS, 0)} wilayah dengan rentang peringkat terlebar "
                "(keduanya diubah bersama):</p>")
        chart = _split_chart_large(t)
        caption = ("Setiap lingkaran: wilayah dengan lebar rentang peringkat 5–95% yang sama "
                   "bila hanya bobot diubah (sumbu datar) dan bila hanya metode agregasi "
                   "diundi (sumbu tegak), pada skala akar; besar lingkaran: banyaknya "
                   "wilayah. Garis putus-putus: kedua sumber sama besar."
                   + _synthetic_note(v.data))
    rows = [_tr([
        (angka(x["nominal_rank"], 0), "num"), (_e(x["nama_wilayah"]), ""),
        (_interval(x, "weights"), "num"), (_interval(x, "method"), "num"),
        (_interval(x, "both"), "num"), (persen(x["share_method"], 0), "num"),
        (_e(dominant.get(x["dominant"], "–")), ""),
    ]) for _, x in shown.iterrows()]
    table = _table([("Per.", "num"), ("Wilayah", ""), ("Hanya bobot", "num"),
                    ("Hanya metode", "num"), ("Keduanya", "num"), ("Bagian metode", "num"),
                    ("Lebih berpengaruh", "")], rows, widths=(6, 34, 12, 12, 11, 11, 14),
                   cls="ak-rapat" if len(rows) > 20 else "")
    method_note = (
        f"Tiga simulasi Monte Carlo ({angka(split.n_draws, 0)} undian masing-masing, seed "
        f"{split.seed}): hanya bobot ({uniform_weights_text(split.perturbation)}, metode "
        f"kerangka: {agregasi(split.nominal_aggregation)}), "
        "hanya metode (bobot nominal, rata-rata "
        + " atau ".join(agregasi(m) for m in split.aggregations)
        + " diundi di kedua tingkat), dan keduanya. Bagian metode = lebar rentang (hanya "
          "metode) / (lebar (hanya bobot) + lebar (hanya metode)); lebar = peringkat 95% − "
          "peringkat 5%. Stabil: peringkat tidak bergeser pada kedua simulasi.")
    inner = (
        head
        + f"<p><strong>{_e(split.headline)}</strong></p>"
        + (f"<p>{_e(split.sentence[len(split.headline):].strip())}</p>"
           if split.sentence != split.headline else "")
        + (f'<p class="ak-kecil">{_e(split.note)}</p>' if split.note else "")
        + '<div class="ak-utuh">' + _figure(chart, caption) + "</div>"
        + what + table
        + f'<p class="ak-kecil">{_e(method_note)}</p>'
    )
    return _block(inner)


# --------------------------------------------------------------------------------------
# How to read the audit, its own assumptions
# --------------------------------------------------------------------------------------
def notes(v: AuditView) -> HTML:
    """The audit's thresholds, where they come from, and the libraries that compute it."""
    s = v.result.settings
    items = [
        f"Aturan pencilan: |kemencengan| ≥ {_num(s.skew_threshold, 0)} dan kurtosis berlebih "
        f"≥ {_num(s.kurtosis_threshold, 1)} (aturan JRC, COINr <code>check_SkewKurt</code>); "
        f"winsorisasi sampai {angka(s.winsor_max, 0)} titik (COINr "
        "<code>winsorise</code>).",
        f"Korelasi lemah ≤ {_num(s.weak_correlation)} (pita “lemah” COINr "
        f"<code>plot_corr</code>); redundan > {_num(s.redundant_correlation)} (isu 9; "
        "bawaan COINr <code>get_corr_flags</code> 0,90).",
        f"Alfa Cronbach ≥ {_num(s.alpha_threshold, 1)} dianggap memadai (Nunnally 1978; "
        "Handbook OECD/JRC 2008).",
        "Rasio korelasi S: Paruolo, Saisana dan Saltelli (2013), “Ratings and rankings: "
        "voodoo or science?”, Journal of the Royal Statistical Society A 176(3).",
        f"<strong>Asumsi audit</strong>: rasio pengaruh efektif terhadap bobot di luar "
        f"{_num(1 / s.importance_ratio)}–{_num(s.importance_ratio)} ditandai; di bawah "
        f"{angka(s.small_sample, 0)} wilayah statistik disebut kasar dan S ditaksir dengan "
        "garis lurus. Kedua ambang ini pilihan proyek, bukan aturan yang dipublikasikan.",
        "Perhitungan: scipy (kemencengan, kurtosis, spline penghalus), numpy (PCA), pandas "
        "(korelasi Pearson dan Spearman), simulasi Monte Carlo antikorupsi.uncertainty.",
    ]
    inner = ("<h2>Ambang dan sumber audit</h2>"
             '<div class="ak-kotak"><ul>' + "".join(f"<li>{x}</li>" for x in items)
             + "</ul></div>")
    return _block(inner, keep=True)


def methodology(v: AuditView) -> HTML:
    """The framework's weights, rules and assumptions (the annual report's section)."""
    return report.methodology(v.data)


def provenance(v: AuditView) -> HTML:
    """Input hashes, framework and package version (the annual report's section)."""
    return report.provenance(v.data)
