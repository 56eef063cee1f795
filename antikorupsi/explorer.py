"""The what-if explorer of ``notebooks/what_if.ipynb``: sliders, live table and chart.

Six sliders for the component weights (shares shown beside, always summing to 100%, the
official share beside each), a choice of aggregation, the ranking table and the
rank-change chart beside the official result, and "Simpan skenario" to save the current
weights as a scenario file. The scenario logic it drives lives in :mod:`antikorupsi.whatif`;
the pure helpers here (:func:`weights_to_shares`, :func:`explorer_table`, ...) are what
the tests and the printable snapshot use.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import SCENARIOS
from .errors import AntikorupsiError, Problem, ScenarioError
from .aggregate import READINGS
from .fmt import angka, metode_agregasi, tanda
from .scoring import Assessment
from .whatif import (
    _SYNTHETIC,
    Comparison,
    Scenario,
    _is_number,
    _scenario_files,
    compare,
    load_scenario,
    save_scenario,
    scenario_path,
    validate_scenario,
)

__all__ = ["WhatIfExplorer", "build_explorer", "aggregation_options", "weights_to_shares",
           "share_labels",
           "explorer_table", "flips_text", "rank_change_figure"]


def aggregation_options() -> list[tuple[str, str]]:
    """The explorer's aggregation choices: every reading of the rule (the same mean at
    both levels, or a different one inside and between components), as (label, spec)."""
    return [(metode_agregasi(m, levels=True).capitalize(), m) for m in READINGS]


def weights_to_shares(weights: Mapping[str, float]) -> pd.Series:
    """Relative weights -> shares summing to 1, in the order given.

    Raises :class:`ScenarioError` when a weight is negative or not a number, or when all
    are zero.
    """
    problems = [Problem("<bobot>", "bobot harus angka >= 0", column=str(k), value=v,
                        expected="angka >= 0")
                for k, v in weights.items()
                if not _is_number(v) or not math.isfinite(float(v)) or float(v) < 0]
    if problems:
        raise ScenarioError(problems)
    w = pd.Series({str(k): float(v) for k, v in weights.items()}, name="bagian", dtype=float)
    if w.sum() <= 0:
        raise ScenarioError(Problem("<bobot>", "semua bobot nol", expected="minimal satu > 0"))
    return w / w.sum()


def share_labels(shares: pd.Series, decimals: int = 1) -> dict[str, str]:
    """Shares as Indonesian percentages that add up to exactly 100%.

    Rounded by largest remainder, so six shares of 1/6 show as 16,7% x4 and 16,6% x2
    rather than six times 16,7% (= 100,2%).
    """
    scale = 100 * 10**decimals
    raw = shares.to_numpy(float) * scale
    floor = np.floor(raw + 1e-9)
    short = int(round(scale - floor.sum()))
    order = np.argsort(-(raw - floor), kind="stable")
    floor[order[:max(short, 0)]] += 1
    return {k: angka(v / 10**decimals, decimals) + "%" for k, v in zip(shares.index, floor)}


def _selected_rows(t: pd.DataFrame, max_rows: int | None) -> pd.DataFrame:
    """All rows, or the ``max_rows`` best by scenario rank plus every designation flip."""
    if max_rows is None or len(t) <= max_rows:
        return t
    keep = t.index[:max_rows].union(t.index[t["penetapan_berubah"]])
    return t.loc[keep]


def explorer_table(comparison: Comparison, max_rows: int | None = None) -> pd.DataFrame:
    """The ranking table the explorer shows: Indonesian headers, Indonesian formats.

    One row per region by scenario rank (the ``max_rows`` best plus every region whose
    designation flips, when ``max_rows`` is given). Values are text, ready to display.
    """
    t = _selected_rows(comparison.table, max_rows)
    out = pd.DataFrame({
        "Per. skenario": t["peringkat_skenario"].astype(str),
        "Per. resmi": t["peringkat_resmi"].astype(str),
        "Δ per.": [tanda(x, 0) for x in t["perubahan_peringkat"]],
        "Kode": t["kode_wilayah"],
        "Wilayah": t["nama_wilayah"],
        "Skor resmi": [angka(x) for x in t["skor_resmi"]],
        "Skor skenario": [angka(x) for x in t["skor_skenario"]],
        "Δ skor": [tanda(x) for x in t["perubahan_skor"]],
        "Penetapan resmi": t["penetapan_resmi"],
        "Penetapan skenario": [f"{b} (berubah)" if f else b for b, f in
                               zip(t["penetapan_skenario"], t["penetapan_berubah"])],
    })
    return out.reset_index(drop=True)


def flips_text(comparison: Comparison) -> list[str]:
    """One Indonesian line per designation flip, or the single line saying there is none."""
    f = comparison.flips
    if f.empty:
        return ["Tidak ada penetapan yang berubah."]
    return [f"{r.nama_wilayah} ({r.kode_wilayah}): {r.penetapan_resmi} → {r.penetapan_skenario} "
            f"(skor {angka(r.skor_resmi)} → {angka(r.skor_skenario)}, peringkat "
            f"{r.peringkat_resmi} → {r.peringkat_skenario})" for r in f.itertuples()]


def rank_change_figure(comparison: Comparison, max_rows: int = 30):
    """Dumbbell chart of official vs scenario rank per region (matplotlib ``Figure``).

    Readable in greyscale: hollow circle = official weights, filled diamond = scenario,
    a grey line between them, the rank change written beside each row, and an asterisk
    on regions whose designation flips. With more than ``max_rows`` regions it shows the
    ``max_rows`` largest rank changes plus every flip.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from .charts import plain

    t = comparison.table
    n_all = len(t)
    if n_all > max_rows:
        big = t["perubahan_peringkat"].abs().sort_values(ascending=False, kind="stable")
        keep = big.index[:max_rows].union(t.index[t["penetapan_berubah"]])
        t = t.loc[keep].sort_values(["peringkat_skenario", "kode_wilayah"], kind="stable")
    n = len(t)
    fig = Figure(figsize=(8.0, 1.2 + 0.32 * max(n, 3)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(n)
    off, new = t["peringkat_resmi"].to_numpy(float), t["peringkat_skenario"].to_numpy(float)
    ax.hlines(y, np.minimum(off, new), np.maximum(off, new), color="0.6", lw=2.5, zorder=1)
    ax.scatter(off, y, s=46, facecolor="white", edgecolor="black", lw=1.2, zorder=3,
               label="Bobot resmi")
    ax.scatter(new, y, s=40, marker="D", color="black", zorder=4,
               label=plain(f"Skenario: {comparison.scenario.name}"))
    labels = [plain(f"{'* ' if f else ''}{name}") for name, f in
              zip(t["nama_wilayah"], t["penetapan_berubah"])]
    ax.set_yticks(y, labels=labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    hi = max(float(np.nanmax(np.r_[off, new])), 2.0)
    ax.set_xlim(0.5, hi + max(1.0, 0.12 * hi))
    for yi, d, x in zip(y, t["perubahan_peringkat"], np.maximum(off, new)):
        if d:
            ax.annotate(tanda(d, 0), (x, yi), xytext=(7, 0), textcoords="offset points",
                        va="center", fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Peringkat (1 = terbaik)")
    ax.set_ylabel("Wilayah (urut peringkat skenario)")
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    shown = f"{n} dari {n_all} wilayah (perubahan terbesar)" if n < n_all else \
        f"{n_all} wilayah"
    ax.set_title(f"Perubahan peringkat {comparison.year}: bobot resmi → skenario ({shown})",
                 fontsize=10)
    fig.legend(loc="outside upper center", ncols=2, fontsize=8, frameon=False)
    notes = ["* penetapan berubah", "angka: perubahan peringkat (+ naik)"]
    if comparison.synthetic:
        notes.append("DATA SINTETIS (contoh), bukan hasil penilaian KPK")
    fig.supxlabel("; ".join(notes), fontsize=7, x=0.01, ha="left")
    return fig


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buf = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buf)
    return buf.getvalue()


_EXPLORER_NAME = "penjelajah bobot (belum disimpan)"


class WhatIfExplorer:
    """Interactive what-if on one assessment: sliders -> scenario -> comparison.

    The state is the six component weights (sliders), the aggregation (dropdown) and
    the indicator weights of the scenario it was started from. Everything it shows comes
    from :func:`compare`, :func:`explorer_table` and :func:`rank_change_figure`; saving
    goes through :func:`save_scenario`. Displaying the explorer displays its widget box
    (``.box``); it needs ``ipywidgets``.

    Parameters
    ----------
    assessment : Assessment
        The scored year (``store.read_assessment``); never modified.
    scenario_dir : path
        Folder of saved scenarios (the analysts' ``skenario/``).
    max_rows : int, default 30
        Rows of the live table and chart when there are more regions (every
        designation flip is always shown).
    """

    def __init__(self, assessment: Assessment, scenario_dir: str | Path = SCENARIOS, *,
                 max_rows: int = 30):
        import ipywidgets as w

        self.assessment = assessment
        self.scenario_dir = Path(scenario_dir)
        self.max_rows = max_rows
        fw = assessment.framework
        self._official = {c.code: float(c.weight) for c in fw.components}
        self._official_shares = share_labels(fw.component_weights())
        self._indicator_weights: dict[str, float] = {}
        self._hold = False
        self.comparison: Comparison | None = None
        top = max(50.0, 2 * max(self._official.values()))
        names = {c.code: c.name for c in fw.components}
        self.sliders = {
            code: w.FloatSlider(value=wt, min=0.0, max=top, step=0.5, description=code,
                                readout=False, continuous_update=False,
                                tooltip=names[code], layout=w.Layout(width="340px"))
            for code, wt in self._official.items()}
        self.share_html = {code: w.HTML() for code in self.sliders}
        self.total_html = w.HTML()
        self.aggregation = w.Dropdown(options=aggregation_options(), value=fw.aggregation,
                                      description="Agregasi", layout=w.Layout(width="620px"))
        self.start = w.Dropdown(options=self._start_options(), value=None,
                                description="Mulai dari", layout=w.Layout(width="420px"))
        self.reset_button = w.Button(description="Kembali ke bobot resmi", icon="undo")
        self.name = w.Text(description="Nama", placeholder="mis. Pengawasan lebih berat")
        self.description = w.Text(description="Deskripsi", placeholder="opsional",
                                  layout=w.Layout(width="420px"))
        self.overwrite = w.Checkbox(value=False, description="Timpa bila sudah ada", indent=False)
        self.save_button = w.Button(description="Simpan skenario", icon="save",
                                    button_style="primary")
        self.message = w.HTML()
        self.output = w.Output()

        for s in self.sliders.values():
            s.observe(self._changed, names="value")
        self.aggregation.observe(self._changed, names="value")
        self.start.observe(self._start_from, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.save_button.on_click(self._save_clicked)

        head = (f"<b>Simulasi bobot {assessment.year}</b> — kerangka {fw.id} versi "
                f"{fw.version}. Bobot resmi KPK tidak dipublikasikan; 'resmi' di sini berarti "
                "bobot kerangka (asumsi), selalu ditampilkan di samping skenario.")
        if assessment.synthetic:
            head += f"<br><b>{_SYNTHETIC}</b>"
        rows = [w.HBox([self.sliders[c], self.share_html[c],
                        w.HTML(f"<span style='color:#555'>{names[c]}</span>")])
                for c in self.sliders]
        self.box = w.VBox([
            w.HTML(head),
            w.HBox([self.start, self.reset_button]),
            *rows, self.total_html, self.aggregation,
            w.HBox([self.name, self.description]),
            w.HBox([self.overwrite, self.save_button]),
            self.message, self.output,
        ])
        self._refresh()

    # -- state -------------------------------------------------------------------------
    def weights(self) -> dict[str, float]:
        """The current component weights (slider values), in framework order."""
        return {code: float(s.value) for code, s in self.sliders.items()}

    def set_weights(self, weights: Mapping[str, float] | None = None,
                    aggregation: str | None = None) -> None:
        """Move sliders (codes not named keep their position) and refresh once."""
        self._hold = True
        try:
            for code, value in (weights or {}).items():
                if code not in self.sliders:
                    raise ScenarioError(Problem("<penjelajah>", "kode komponen tidak dikenal",
                                                value=code, expected=", ".join(self.sliders)))
                s = self.sliders[code]
                s.max = max(s.max, float(value))
                s.value = float(value)
            if aggregation is not None:
                self.aggregation.value = Scenario("-", aggregation=aggregation).aggregation
        finally:
            self._hold = False
        self._refresh()

    def reset(self) -> None:
        """Back to the official weights and aggregation."""
        self._indicator_weights = {}
        self.start.value = None
        self.set_weights(self._official, self.assessment.framework.aggregation)

    def current_scenario(self, name: str = _EXPLORER_NAME, description: str = "") -> Scenario:
        """The current settings as a :class:`Scenario` (all six component weights)."""
        return Scenario(name=name, description=description,
                        component_weights=self.weights(),
                        indicator_weights=dict(self._indicator_weights),
                        aggregation=self.aggregation.value)

    def save(self, name: str, description: str = "", overwrite: bool = False) -> Path:
        """Save the current settings as scenario ``name`` in the scenario folder."""
        scenario = self.current_scenario(name.strip(), description.strip())
        problems = validate_scenario(scenario, self.assessment.framework)
        if problems:
            raise ScenarioError(problems)
        path = save_scenario(scenario_path(self.scenario_dir, scenario.name), scenario,
                             overwrite=overwrite)
        self.start.options = self._start_options()
        return path

    def table(self) -> pd.DataFrame:
        """The ranking table for the current settings (every region)."""
        return explorer_table(self._compare())

    def snapshot(self):
        """A static view of the current settings (for printing and headless runs): the
        shares, the designation flips, the full ranking table and the chart."""
        from IPython.display import HTML, Image, display

        c = self._compare()
        display(HTML(self._summary_html(c)))
        display(explorer_table(c).style.hide(axis="index"))
        display(Image(data=_png(rank_change_figure(c, self.max_rows))))
        notes = ([_SYNTHETIC] if c.synthetic else []) + c.assumptions()
        display(HTML("<b>Asumsi:</b><ul>" + "".join(f"<li>{x}</li>" for x in notes) + "</ul>"))

    # -- widget plumbing ---------------------------------------------------------------
    def _compare(self) -> Comparison:
        return compare(self.assessment, self.current_scenario())

    def _start_options(self) -> list[tuple[str, Any]]:
        opts: list[tuple[str, Any]] = [("Bobot resmi (kerangka)", None)]
        for path in _scenario_files(self.scenario_dir):
            try:
                s = load_scenario(path, self.assessment.framework)
            except ScenarioError:
                opts.append((f"{path.name} (tidak valid)", f"!{path}"))
                continue
            opts.append((f"{s.name} ({path.name})", str(path)))
        return opts

    def _start_from(self, change) -> None:
        value = change["new"]
        if value is None:
            return
        try:
            if str(value).startswith("!"):
                load_scenario(value[1:], self.assessment.framework)  # raises with located problems
            s = load_scenario(value, self.assessment.framework)
        except AntikorupsiError as exc:
            self.message.value = _html_problems(exc)
            return
        self._indicator_weights = s.indicator_weight_map
        weights = {**self._official, **s.component_weight_map}
        self.set_weights(weights, s.aggregation or self.assessment.framework.aggregation)
        self.name.value, self.description.value = s.name, s.description
        self.message.value = f"Skenario '{s.name}' dimuat dari {value}."

    def _changed(self, _change=None) -> None:
        if not self._hold:
            self._refresh()

    def _save_clicked(self, _button) -> None:
        try:
            path = self.save(self.name.value, self.description.value, self.overwrite.value)
        except AntikorupsiError as exc:
            self.message.value = _html_problems(exc)
            return
        self.message.value = f"Skenario disimpan ke <code>{path}</code>."

    def _summary_html(self, c: Comparison) -> str:
        flips = flips_text(c)
        agg = metode_agregasi(c.variant.aggregation, levels=True)
        extra = ""
        if self._indicator_weights:
            extra = ("<br>Bobot indikator dari skenario awal: "
                     + ", ".join(f"{k} {angka(v, 1)}" for k, v in self._indicator_weights.items()))
        return (f"<b>Agregasi:</b> {agg}{extra}<br><b>Penetapan yang berubah:</b><ul>"
                + "".join(f"<li>{x}</li>" for x in flips) + "</ul>")

    def _refresh(self) -> None:
        from IPython.display import HTML, Image, display

        weights = self.weights()
        try:
            shares = share_labels(weights_to_shares(weights))
        except ScenarioError:
            shares = None
        for code in self.sliders:
            now = shares[code] if shares else "–"
            self.share_html[code].value = (
                f"<span style='font-family:monospace'>bobot {angka(weights[code], 1)} → "
                f"<b>{now}</b> (resmi {self._official_shares[code]})</span>")
        self.total_html.value = ("Jumlah bagian: <b>100,0%</b>" if shares else
                                 "<b>Semua bobot nol: naikkan minimal satu bobot.</b>")
        with self.output:
            self.output.clear_output(wait=True)
            if shares is None:
                self.comparison = None
                display(HTML("<b>Semua bobot komponen nol: tidak ada skor yang dapat "
                             "dihitung.</b>"))
                return
            try:
                c = self.comparison = self._compare()
            except AntikorupsiError as exc:
                self.comparison = None
                display(HTML(_html_problems(exc)))
                return
            display(HTML(self._summary_html(c)))
            display(explorer_table(c, self.max_rows).style.hide(axis="index"))
            if len(c.table) > self.max_rows:
                display(HTML(f"<i>{self.max_rows} peringkat teratas skenario dan semua "
                             f"penetapan yang berubah, dari {len(c.table)} wilayah.</i>"))
            display(Image(data=_png(rank_change_figure(c, self.max_rows))))

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def _html_problems(exc: AntikorupsiError) -> str:
    from html import escape

    return ("<span style='color:#a00'><b>" + escape(exc.render().splitlines()[0]) + "</b><ul>"
            + "".join(f"<li>{escape(str(p))}</li>" for p in exc.problems) + "</ul></span>")


def build_explorer(assessment: Assessment, scenario_dir: str | Path = SCENARIOS, *,
                   max_rows: int = 30) -> WhatIfExplorer:
    """The what-if explorer of the notebook (displaying it shows its widgets)."""
    return WhatIfExplorer(assessment, scenario_dir, max_rows=max_rows)
