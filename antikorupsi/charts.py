"""Figures the report notebooks show, as inline SVG.

Every chart is built on a bare :class:`matplotlib.figure.Figure` (no pyplot, so no
global figure state survives between reports in a reused kernel) and serialised with
:func:`svg`. Choices, measured on the 2-core batch machine (see ``tests`` and the
commit that introduced this module):

* SVG with text kept as text (``svg.fonttype = "none"``): ~25 ms per chart, half the
  bytes of glyph outlines, sharp at any zoom, and the words stay searchable in the
  PDF. PNG at 110 dpi cost ~75 ms and prints soft.
* Fixed margins instead of ``tight_layout``: the layout pass draws the figure twice
  and costs ~100 ms per chart.
* Width 16 cm (A4 minus margins), text 8 pt at that size.
* Greyscale-readable: series differ by fill, hatching, marker and line style, never
  by colour alone; values are printed where they matter.

Axis tick labels and printed values use Indonesian number formats.
"""

from __future__ import annotations

import io
import re
import textwrap
import warnings
from collections.abc import Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .fmt import angka

__all__ = [
    "WIDTH_IN",
    "component_bars",
    "component_heatmap",
    "score_distribution",
    "rank_intervals",
    "trend_lines",
    "locator_map",
    "choropleth",
    "svg",
    "plain",
]

#: Figure width in inches: 16 cm, the text width of an A4 page with 15 mm margins.
WIDTH_IN = 16 / 2.54

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5,
    "axes.edgecolor": "#333333",
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "hatch.linewidth": 0.6,
    "svg.fonttype": "none",
    "svg.hashsalt": "antikorupsi",  # stable element ids: identical input, identical SVG
    "axes.unicode_minus": True,
}

DARK = "#3a3a3a"
MID = "#8a8a8a"
LIGHT = "#d9d9d9"


def _id_formatter(decimals: int = 0) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: angka(x, decimals))


def _figure(height_in: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(WIDTH_IN, height_in))


def svg(fig: Figure) -> str:
    """Serialise a figure to an inline ``<svg>`` element (no XML prolog, no date).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; it is not used afterwards and can be dropped.

    Returns
    -------
    str
        The ``<svg ...>...</svg>`` markup, sized in points, with a ``viewBox`` so it
        scales down to narrower containers.
    """
    buf = io.StringIO()
    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        # Text stays text in the SVG (svg.fonttype none) and the browser draws it with
        # its own fallback fonts; matplotlib's note that DejaVu lacks a glyph (a name
        # in another script) would otherwise be printed into the report.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    start = text.find("<svg")
    text = text[start:]
    # Comments carry nothing a reader needs; dropping them keeps the HTML small.
    return re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)


def _axes(fig: Figure, *, left: float, right: float, bottom: float, top: float):
    """Axes placed by margins in inches (no layout pass: it costs a full draw)."""
    w, h = fig.get_size_inches()
    return fig.add_axes((left / w, bottom / h, 1 - (left + right) / w, 1 - (bottom + top) / h))


#: Characters of a region name that fit the left margin of the charts' row labels.
LABEL_MAX = 32


def plain(text: object, max_chars: int | None = None) -> str:
    """Text shown exactly as written. Matplotlib reads ``$...$`` as mathematics (and
    raises on a name such as ``"Kota $^"``), so every ``$`` is escaped; apply this to
    any text that comes from data (names, labels, titles). With ``max_chars``, longer
    text is cut with an ellipsis instead of running off the figure's edge."""
    text = str(text)
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text.replace("$", r"\$")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)[:2])


def _style_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# -- region report --------------------------------------------------------------------
def component_bars(
    scores: pd.Series,
    comparison: pd.Series,
    labels: Mapping[str, str],
    *,
    threshold: float = 90.0,
    region_label: str = "Wilayah",
    comparison_label: str = "Rata-rata provinsi",
) -> Figure:
    """Horizontal bars: one region's component scores against a comparison.

    Parameters
    ----------
    scores : pandas.Series
        Component code -> score 0-100 of the region (framework order, top to bottom).
    comparison : pandas.Series
        Component code -> comparison score (e.g. the province average).
    labels : mapping of str to str
        Component code -> axis label (wrapped onto two lines when long).
    threshold : float, default 90.0
        Designation threshold, drawn as a dashed line.
    region_label, comparison_label : str
        Legend entries.

    Returns
    -------
    matplotlib.figure.Figure
    """
    codes = list(scores.index)
    n = len(codes)
    row = 0.31
    # Long names (e.g. "Kabupaten Kepulauan Tanimbar (Maluku Tenggara Barat)") would be
    # clipped in a one-row legend: put the entries on two rows, names wrapped.
    threshold_label = f"Ambang penetapan ({angka(threshold, 0)})"
    long = len(region_label) + len(comparison_label) + len(threshold_label) > 95
    region_label, comparison_label = _wrap(region_label, 60), _wrap(comparison_label, 60)
    extra = 0.3 if long else 0.0
    fig = _figure(row * n + 0.75 + extra)
    with matplotlib.rc_context(_RC):
        ax = _axes(fig, left=2.0, right=0.25, bottom=0.42, top=0.33 + extra)
        y = np.arange(n)
        h = 0.4
        ax.barh(y - h / 2, scores.reindex(codes).to_numpy(float), height=h, color=DARK,
                edgecolor=DARK, linewidth=0.6, label=plain(region_label, 24), zorder=2)
        ax.barh(y + h / 2, comparison.reindex(codes).to_numpy(float), height=h, color="white",
                edgecolor=DARK, hatch="////", linewidth=0.6, label=plain(comparison_label),
                zorder=2)
        for yi, v in zip(y, scores.reindex(codes)):
            if pd.isna(v):
                continue
            inside = v >= 15  # value printed inside the bar's end, clear of the threshold
            ax.text(v - 1 if inside else v + 1, yi - h / 2, angka(v, 1), va="center",
                    ha="right" if inside else "left", fontsize=7,
                    color="white" if inside else "black", zorder=4)
        line = ax.axvline(threshold, color="black", linestyle=(0, (4, 2)), linewidth=1,
                          zorder=1.5, label=threshold_label)
        ax.set_yticks(y, [plain(_wrap(str(labels.get(c, c)), 34)) for c in codes])
        ax.tick_params(axis="y", length=0)
        ax.invert_yaxis()
        ax.set_xlim(0, 108)
        ax.set_xticks(range(0, 101, 10))
        ax.xaxis.set_major_formatter(_id_formatter())
        ax.set_xlabel("Skor komponen (skala 0–100)", labelpad=2)
        ax.grid(axis="x", color=LIGHT, linewidth=0.5, zorder=0)
        _style_axes(ax)
        handles, names = ax.get_legend_handles_labels()
        order = [i for i, hd in enumerate(handles) if hd is not line] + [handles.index(line)]
        fig.legend([handles[i] for i in order], [names[i] for i in order],
                   loc="upper center", bbox_to_anchor=(0.5, 1.0), ncol=2 if long else 3,
                   frameon=False, handlelength=2.2, borderaxespad=0.2)
    return fig


# -- annual report --------------------------------------------------------------------
def component_heatmap(
    matrix: pd.DataFrame,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    *,
    threshold: float = 90.0,
    title: str | None = None,
    decimals: int = 1,
    fontsize: float = 7,
) -> Figure:
    """Regions (rows) x components (columns) in greys, each cell's value printed.

    Darker means higher; cells at or above the threshold are outlined, so the chart
    reads the same in greyscale and the numbers carry the exact values.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Scores 0-100, rows in display order.
    row_labels, column_labels : sequence of str
        Tick labels.
    threshold : float, default 90.0
        Cells >= threshold get a thick outline.
    title : str, optional
        Axes title.
    decimals : int, default 1
        Decimals of the printed values (0 for narrow cells, e.g. 19 indicators).
    fontsize : float, default 7
        Size of the printed values.

    Returns
    -------
    matplotlib.figure.Figure
    """
    values = matrix.to_numpy(float)
    n_rows, n_cols = values.shape
    row_h = 0.21 if n_rows <= 20 else 0.18  # long tables: fit one page with caption
    height = row_h * n_rows + 0.5 + (0.2 if title else 0)
    fig = _figure(height)
    with matplotlib.rc_context(_RC):
        ax = _axes(fig, left=1.9, right=0.25, bottom=0.05, top=0.45 + (0.2 if title else 0))
        masked = np.ma.masked_invalid(values)
        # Grey scale from just below the lowest value to 100: the full range of greys
        # is spent on the values present (province means sit within a few points).
        finite = values[np.isfinite(values)]
        vmin = float(np.floor(finite.min() / 5) * 5 - 5) if finite.size else 0.0
        vmin = min(max(vmin, 0.0), 80.0)
        vmax = 102.0
        ax.imshow(masked, cmap="Greys", vmin=vmin, vmax=vmax, aspect="auto",
                  interpolation="nearest")
        for i in range(n_rows):
            for j in range(n_cols):
                v = values[i, j]
                if np.isnan(v):
                    ax.text(j, i, "–", ha="center", va="center", fontsize=fontsize)
                    continue
                dark = (v - vmin) / (vmax - vmin) > 0.55
                ax.text(j, i, angka(v, decimals), ha="center", va="center", fontsize=fontsize,
                        color="white" if dark else "black",
                        fontweight="bold" if v >= threshold else "normal")
                if v >= threshold:
                    ax.add_patch(Rectangle(
                        (j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black",
                        linewidth=1.2))
        ax.set_xticks(range(n_cols), [plain(x) for x in column_labels])
        ax.xaxis.tick_top()
        ax.set_yticks(range(n_rows), [plain(x, LABEL_MAX) for x in row_labels])
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="minor", length=0)
        if title:
            ax.set_title(plain(title), loc="left", pad=22)
    return fig


def score_distribution(
    totals: pd.Series,
    *,
    threshold: float = 90.0,
    bands: Sequence[tuple[float, str]] = (),
    kinds: pd.Series | None = None,
    labels: pd.Series | None = None,
) -> Figure:
    """Distribution of total scores with the threshold and category bounds.

    Up to 40 regions: a dot plot, one row per region (best on top), marker shape by
    kind (kabupaten: circle, kota: square). More regions: a histogram with 2.5-point
    bins.

    Parameters
    ----------
    totals : pandas.Series
        Total scores (index: region codes).
    threshold : float, default 90.0
        Designation threshold (dashed line).
    bands : sequence of (float, str)
        Category lower bounds and labels, drawn as dotted lines (the threshold's own
        band is skipped).
    kinds : pandas.Series, optional
        Region code -> "kabupaten"/"kota", for the marker shapes.
    labels : pandas.Series, optional
        Region code -> name for the row labels of the dot plot.

    Returns
    -------
    matplotlib.figure.Figure
    """
    t = totals.dropna().sort_values(ascending=False, kind="stable")
    small = len(t) <= 40
    lo = min(float(t.min()) if len(t) else threshold, threshold) - 3
    lo = max(0.0, 5 * np.floor(lo / 5))
    if small:
        height = 0.2 * len(t) + 0.8
        fig = _figure(height)
        with matplotlib.rc_context(_RC):
            ax = _axes(fig, left=1.9, right=0.25, bottom=0.42, top=0.35)
            y = np.arange(len(t))
            ax.hlines(y, lo, t.to_numpy(), color=LIGHT, linewidth=0.8, zorder=1)
            marks = {"kabupaten": ("o", "white", "Kabupaten"), "kota": ("s", DARK, "Kota")}
            kind_of = [str(kinds.get(c, "")) if kinds is not None else "kabupaten"
                       for c in t.index]
            for key, (marker, face, name) in marks.items():
                sel = np.array([k == key for k in kind_of])
                if sel.any():
                    ax.scatter(t.to_numpy()[sel], y[sel], marker=marker, s=28, facecolor=face,
                               edgecolor=DARK, linewidth=0.9, zorder=3, label=name)
            for yi, v in zip(y, t):
                # just below the threshold the label would cross its line: put it left
                left = threshold - 4 < v < threshold
                ax.text(v - 0.6 if left else v + 0.6, yi, angka(v, 2), va="center",
                        ha="right" if left else "left", fontsize=6.5)
            names = [plain(labels.get(c, c) if labels is not None else c, LABEL_MAX)
                     for c in t.index]
            ax.set_yticks(y, names)
            ax.tick_params(axis="y", length=0)
            ax.set_ylim(len(t) - 0.4, -0.6)
            ax.spines["left"].set_visible(False)
    else:
        height = 2.4
        fig = _figure(height)
        with matplotlib.rc_context(_RC):
            ax = _axes(fig, left=0.55, right=0.2, bottom=0.42, top=0.35)
            bins = np.arange(lo, 102.5, 2.5)
            ax.hist(t, bins=bins, color=LIGHT, edgecolor=DARK, linewidth=0.5, zorder=2)
            ax.set_ylabel("Jumlah wilayah")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(_id_formatter())
            ax.grid(axis="y", color=LIGHT, linewidth=0.5, zorder=0)
    with matplotlib.rc_context(_RC):
        for bound, name in bands:
            if bound <= lo or bound >= threshold:
                continue
            ax.axvline(bound, color=MID, linestyle=":", linewidth=0.9, zorder=1)
            ax.annotate(plain(name), (bound, 1), xycoords=("data", "axes fraction"),
                        xytext=(2, 2), textcoords="offset points", fontsize=6.5,
                        color="#444", va="bottom")
        ax.axvline(threshold, color="black", linestyle=(0, (4, 2)), linewidth=1, zorder=1)
        ax.annotate(f"Ambang {angka(threshold, 0)}", (threshold, 1),
                    xycoords=("data", "axes fraction"), xytext=(2, 2),
                    textcoords="offset points", fontsize=6.5, va="bottom")
        ax.set_xlim(lo, 102)
        ax.xaxis.set_major_formatter(_id_formatter())
        ax.set_xlabel("Skor total (skala 0–100)", labelpad=2)
        _style_axes(ax)
        if small:
            fig.legend(*ax.get_legend_handles_labels(), loc="upper right",
                       bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False, borderaxespad=0.2,
                       handletextpad=0.3)
    return fig


def rank_intervals(
    table: pd.DataFrame,
    labels: pd.Series | None = None,
    *,
    n_regions: int | None = None,
) -> Figure:
    """Nominal rank with its 5-95% interval under perturbed weights, per region.

    Up to 40 regions: one row per region (best on top, names on the axis), a black
    diamond at the nominal rank, a hollow circle at the median and a bar for the
    interval. More regions: nominal rank on the x axis and the interval as a vertical
    line at that position, so 514 regions fit one page width.

    Parameters
    ----------
    table : pandas.DataFrame
        Per region: ``nominal_rank``, ``median_rank``, ``rank_p05``, ``rank_p95``
        (as in :class:`antikorupsi.uncertainty.UncertaintyResult`).
    labels : pandas.Series, optional
        Region code -> name for the small-set layout.
    n_regions : int, optional
        Number of regions ranked (axis limit); defaults to the largest rank seen.

    Returns
    -------
    matplotlib.figure.Figure
    """
    t = table.dropna(subset=["nominal_rank"]).sort_values("nominal_rank", kind="stable")
    nom = t["nominal_rank"].to_numpy(float)
    p05 = t["rank_p05"].to_numpy(float)
    p95 = t["rank_p95"].to_numpy(float)
    med = t["median_rank"].to_numpy(float)
    n_max = float(n_regions or (np.nanmax(p95) if len(p95) else 1))
    if len(t) <= 40:
        height = 0.2 * len(t) + 0.8
        fig = _figure(height)
        with matplotlib.rc_context(_RC):
            ax = _axes(fig, left=1.9, right=0.25, bottom=0.42, top=0.35)
            y = np.arange(len(t))
            ax.hlines(y, p05 - 0.08, p95 + 0.08, color=MID, linewidth=4.5, zorder=2,
                      label="Rentang peringkat 5–95%")
            ax.scatter(med, y, marker="o", s=30, facecolor="white", edgecolor="black",
                       linewidth=0.9, zorder=3, label="Median simulasi")
            ax.scatter(nom, y, marker="D", s=14, color="black", zorder=4,
                       label="Peringkat nominal")
            names = [plain(labels.get(c, c) if labels is not None else c, LABEL_MAX)
                     for c in t.index]
            ax.set_yticks(y, names)
            ax.tick_params(axis="y", length=0)
            ax.set_ylim(len(t) - 0.4, -0.6)
            ax.set_xlim(0.5, n_max + 0.5)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(int(n_max), 10)))
            ax.xaxis.set_major_formatter(_id_formatter())
            ax.set_xlabel("Peringkat (1 = terbaik)", labelpad=2)
            ax.grid(axis="x", color=LIGHT, linewidth=0.5, zorder=0)
            _style_axes(ax)
            ax.spines["left"].set_visible(False)
            fig.legend(*ax.get_legend_handles_labels(), loc="upper center",
                       bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, borderaxespad=0.2)
        return fig
    height = 3.0
    fig = _figure(height)
    with matplotlib.rc_context(_RC):
        ax = _axes(fig, left=0.6, right=0.2, bottom=0.42, top=0.35)
        ax.vlines(nom, p05, p95, color=MID, linewidth=0.6, zorder=2,
                  label="Rentang peringkat 5–95%")
        ax.scatter(nom, nom, marker=".", s=4, color="black", zorder=3,
                   label="Peringkat nominal")
        ax.set_xlim(0, n_max + 1)
        ax.set_ylim(n_max + 1, 0)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(_id_formatter())
        ax.set_xlabel("Peringkat nominal (1 = terbaik)", labelpad=2)
        ax.set_ylabel("Peringkat dalam simulasi")
        ax.grid(color=LIGHT, linewidth=0.5, zorder=0)
        _style_axes(ax)
        fig.legend(*ax.get_legend_handles_labels(), loc="upper center",
                   bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, borderaxespad=0.2)
    return fig


def trend_lines(history: pd.DataFrame, *, threshold: float = 90.0,
                labels: Mapping[str, str] | None = None) -> Figure:
    """Scores over the years: one line per column, the total in bold.

    Parameters
    ----------
    history : pandas.DataFrame
        Index: years (ascending); columns: series codes (``skor_total`` and the
        components), values 0-100.
    threshold : float, default 90.0
        Drawn as a dashed line.
    labels : mapping, optional
        Column -> legend entry.

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = dict(labels or {})
    years = [int(y) for y in history.index]
    fig = _figure(2.3)
    markers = ["o", "s", "^", "v", "D", "P", "X", "*"]
    styles = ["-", "--", ":", "-."]
    with matplotlib.rc_context(_RC):
        ax = _axes(fig, left=0.55, right=2.3, bottom=0.4, top=0.15)
        k = 0
        for col in history.columns:
            y = history[col].to_numpy(float)
            if col == "skor_total":
                ax.plot(years, y, color="black", linewidth=2.2, marker="o", markersize=5,
                        label=plain(labels.get(col, "Skor total")), zorder=4)
                for xi, yi in zip(years, y):
                    if not np.isnan(yi):
                        ax.annotate(angka(yi, 1), (xi, yi), xytext=(0, 5),
                                    textcoords="offset points", ha="center", fontsize=6.5)
                continue
            ax.plot(years, y, color=MID, linewidth=0.9, linestyle=styles[k % len(styles)],
                    marker=markers[k % len(markers)], markersize=3.5, markerfacecolor="white",
                    label=plain(labels.get(col, col)), zorder=3)
            k += 1
        ax.axhline(threshold, color="black", linestyle=(0, (4, 2)), linewidth=0.9, zorder=1)
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
        lo = float(np.nanmin(history.to_numpy(float))) if history.size else 0.0
        ax.set_ylim(max(0.0, 10 * np.floor((min(lo, threshold) - 5) / 10)), 102)
        ax.yaxis.set_major_formatter(_id_formatter())
        ax.set_ylabel("Skor (0–100)")
        ax.grid(axis="y", color=LIGHT, linewidth=0.5, zorder=0)
        _style_axes(ax)
        ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False,
                  fontsize=6.5, handlelength=2.4)
    return fig


def _map_axes(fig: Figure, boundaries: Mapping[str, Sequence[np.ndarray]], *, pad: float):
    """Axes filling the figure, limits around the outlines, equal-area-ish aspect."""
    xs = np.concatenate([r[:, 0] for rings in boundaries.values() for r in rings])
    ys = np.concatenate([r[:, 1] for rings in boundaries.values() for r in rings])
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(xs.min() - pad, xs.max() + pad)
    ax.set_ylim(ys.min() - pad, ys.max() + pad)
    # degrees of longitude shrink with latitude: keep shapes true near the equator
    ax.set_aspect(1 / max(np.cos(np.deg2rad(float(np.mean(ys)))), 0.2))
    ax.set_axis_off()
    return ax


def _map_size(boundaries, width_in: float) -> tuple[float, float]:
    xs = np.concatenate([r[:, 0] for rings in boundaries.values() for r in rings])
    ys = np.concatenate([r[:, 1] for rings in boundaries.values() for r in rings])
    w = float(xs.max() - xs.min()) * np.cos(np.deg2rad(float(ys.mean())))
    h = float(ys.max() - ys.min())
    return width_in, min(max(width_in * h / max(w, 1e-6), 0.8), width_in * 1.3)


def _label_point(rings: Sequence[np.ndarray]) -> tuple[float, float]:
    """A point well inside the largest ring, for a label: of a grid of points inside it,
    the one farthest from its outline (a cheap pole of inaccessibility; the vertex mean
    can fall outside a concave or wrapped-around outline)."""
    from matplotlib.path import Path as MPath

    ring = max(rings, key=lambda r: float(np.ptp(r[:, 0]) * np.ptp(r[:, 1])))
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 40), np.linspace(lo[1], hi[1], 40))
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    pts = pts[MPath(ring).contains_points(pts)]
    if len(pts) == 0:
        return float(ring[:, 0].mean()), float(ring[:, 1].mean())
    a, b = ring[:-1], ring[1:]
    ab = b - a
    t = np.clip(((pts[:, None, :] - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-18),
                0, 1)
    nearest = a + t[..., None] * ab
    dist = np.sqrt(((pts[:, None, :] - nearest) ** 2).sum(-1)).min(axis=1)
    x, y = pts[int(np.argmax(dist))]
    return float(x), float(y)


def locator_map(boundaries: Mapping[str, Sequence[np.ndarray]], highlight: str, *,
                width_cm: float = 4.5) -> Figure:
    """A small locator map: every outline light grey, ``highlight`` black.

    Parameters
    ----------
    boundaries : mapping of region code to outer rings
        As :func:`antikorupsi.maps.load_boundaries` gives, restricted to the province.
    highlight : str
        The region to mark.
    width_cm : float, default 4.5
        Figure width.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.patches import Polygon

    w, h = _map_size(boundaries, width_cm / 2.54)
    fig = _figure(h)
    fig.set_size_inches(w, h)
    with matplotlib.rc_context(_RC):
        ax = _map_axes(fig, boundaries, pad=0.02)
        for code, rings in sorted(boundaries.items()):
            mine = code == highlight
            for ring in rings:
                ax.add_patch(Polygon(ring, closed=True, facecolor=DARK if mine else "#ececec",
                                     edgecolor="black" if mine else MID,
                                     linewidth=0.9 if mine else 0.5, zorder=3 if mine else 2))
    return fig


def choropleth(boundaries: Mapping[str, Sequence[np.ndarray]], values: pd.Series,
               labels: Mapping[str, str], *, bands: Sequence[tuple[float, str]],
               width_cm: float = 16.0) -> Figure:
    """A province map, each region shaded by the band of its value, labelled.

    Greyscale-safe: bands differ by grey and by hatching, and each region carries a
    label (its number in the accompanying table), so the map reads printed in black.

    Parameters
    ----------
    boundaries : mapping of region code to outer rings
    values : pandas.Series
        Region code -> value (e.g. the total score); NaN drawn white with dots.
    labels : mapping
        Region code -> short label printed on the region.
    bands : sequence of (lower bound, name)
        Highest first, e.g. the framework's category bands.
    width_cm : float, default 16
        Figure width (the map keeps the outlines' proportions).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.patches import Patch, Polygon

    bands = sorted(bands, key=lambda b: -b[0])
    greys = ["#1f1f1f", "#5a5a5a", "#9a9a9a", "#cfcfcf", "#f4f4f4", "#ffffff"]
    hatches = ["", "", "", "", "....", "xxxx"]
    w, h = _map_size(boundaries, width_cm / 2.54)
    # the legend in as many columns as fit the map's width (never cut at the edge)
    n_entries = len(bands) + 1
    longest = max([len(f"{name} (≥ {angka(lo, 0)})") for lo, name in bands] + [10])
    ncol = max(1, min(4, n_entries, int(w // (0.055 * longest + 0.45))))
    legend_h = 0.15 + 0.2 * -(-n_entries // ncol)
    fig = _figure(h)
    fig.set_size_inches(w, h + legend_h)
    with matplotlib.rc_context(_RC):
        ax = _map_axes(fig, boundaries, pad=0.03)
        ax.set_position((0, legend_h / (h + legend_h), 1, h / (h + legend_h)))
        used = set()
        for code, rings in sorted(boundaries.items()):
            v = values.get(code, np.nan)
            k = len(bands) if pd.isna(v) else next(
                (i for i, (lo, _) in enumerate(bands) if float(v) >= lo),
                len(bands) - 1)
            used.add(k)
            for ring in rings:
                ax.add_patch(Polygon(ring, closed=True, facecolor=greys[min(k, 5)],
                                     hatch=hatches[min(k, 5)], edgecolor="black",
                                     linewidth=0.6, zorder=2))
            x, y = _label_point(rings)
            dark = k <= 1
            ax.text(x, y, plain(labels.get(code, code)), ha="center", va="center", fontsize=7,
                    fontweight="bold", color="white" if dark else "black", zorder=4,
                    bbox=None if dark else {"boxstyle": "round,pad=0.15", "fc": "white",
                                            "ec": "none", "alpha": 0.8})
        handles = [Patch(facecolor=greys[min(i, 5)], hatch=hatches[min(i, 5)],
                         edgecolor="black", linewidth=0.6,
                         label=plain(f"{name} (≥ {angka(lo, 0)})" if lo > 0 else name))
                   for i, (lo, name) in enumerate(bands) if i in used]
        if len(bands) in used:
            handles.append(Patch(facecolor="white", hatch="xxxx", edgecolor="black",
                                 linewidth=0.6, label="tanpa skor"))
        fig.legend(handles=handles, loc="lower center", frameon=False, fontsize=7,
                   handlelength=1.6, handleheight=1.1, borderaxespad=0.1,
                   ncol=min(ncol, len(handles)), columnspacing=1.0)
    return fig
