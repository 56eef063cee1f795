"""What the report notebooks show: loading a scored year and building each HTML block.

The notebooks in ``notebooks/`` are thin: their parameters cell holds plain values and
every other cell is one or two calls into this module, each returning an
:class:`IPython.display.HTML` block (heading, text, table or chart together, so a
heading is never printed apart from what it introduces). Everything the reader sees is
in Bahasa Indonesia with Indonesian number formats (:mod:`antikorupsi.fmt`).

Loading is cached per kernel: :func:`load` keys the loaded year by its folder and the
SHA-256 of its ``manifest.json`` (which records the hash of every output table), so a
kernel reused for 514 region reports reads the data, computes province averages and
runs the rank-uncertainty simulation once, and a re-scored year is picked up at once.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import html
import json
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML

from . import charts
from .errors import InputError, Problem
from .fmt import agregasi, angka, peringkat, persen, tanda
from .framework import Framework
from .scoring import DESIGNATION, OVERALL, SCREEN, STATUS, Assessment, aggregate_matrix
from .store import read_assessment

__all__ = [
    "SYNTHETIC_BANNER",
    "YearData",
    "RegionView",
    "AnnualView",
    "load",
    "clear_cache",
    "region",
    "annual",
    "unknown_region_error",
    "suggestion",
    "style",
    # region report
    "header",
    "screening",
    "components",
    "indicators",
    "change",
    "uncertainty",
    "strengths",
    "tahapan",
    # annual report
    "annual_header",
    "designations",
    "ranking",
    "ranking_uncertainty",
    "heatmap",
    "distribution",
    "movers",
    "screening_summary",
    # both
    "methodology",
    "provenance",
]

SYNTHETIC_BANNER = (
    "DATA SINTETIS — nilai indikator dibuat acak untuk contoh, bukan hasil penilaian KPK"
)
PROGRAMME = "Percontohan Kabupaten/Kota Antikorupsi"
#: Monte Carlo settings of the rank-uncertainty section (uncertainty.rank_uncertainty).
UNCERTAINTY_DRAWS = 10_000
UNCERTAINTY_PERTURBATION = 0.25
UNCERTAINTY_SEED = 20241209
#: Above this many regions the annual heat map shows province averages.
HEATMAP_MAX_ROWS = 60
_CACHE_SIZE = 4
#: Freeze the garbage collector's view after loading a year (see :func:`_warm`).
FREEZE_GC = True
_SYMBOL = {  # screening outcome -> symbol, so the checklist reads without colour
    SCREEN["pass"]: "✓", SCREEN["fail"]: "✗", SCREEN["unknown"]: "?",
    SCREEN["none"]: "–", SCREEN["stale"]: "!",
}

# --------------------------------------------------------------------------------------
# Loading (cached per kernel)
# --------------------------------------------------------------------------------------


class YearData:
    """A scored year as the reports need it; derived values are computed once.

    Attributes
    ----------
    path : Path
        The processed folder ``<processed_dir>/<year>``.
    year : int
    assessment : Assessment
    manifest : dict
        The parsed ``manifest.json`` of the processed year.
    manifest_sha256 : str
        SHA-256 of the manifest bytes (the cache key and the provenance of the reports).
    """

    def __init__(self, path: Path, assessment: Assessment, manifest: dict, manifest_sha256: str):
        self.path = path
        self.year = assessment.year
        self.assessment = assessment
        self.manifest = manifest
        self.manifest_sha256 = manifest_sha256
        self._rank_change: dict[str, object] = {}  # previous manifest sha256 -> result
        self.warmed = False

    @property
    def framework(self) -> Framework:
        return self.assessment.framework

    @cached_property
    def results(self) -> pd.DataFrame:
        """Results indexed by region code (rank order)."""
        return self.assessment.results.set_index("kode_wilayah", drop=False).rename_axis(None)

    @cached_property
    def codes(self) -> list[str]:
        return sorted(self.assessment.results["kode_wilayah"])

    @cached_property
    def indicators_by_region(self) -> dict[str, pd.DataFrame]:
        return {c: g for c, g in self.assessment.indicators.groupby("kode_wilayah", sort=False)}

    @cached_property
    def screening_by_region(self) -> dict[str, pd.DataFrame]:
        return {c: g for c, g in self.assessment.screening.groupby("kode_wilayah", sort=False)}

    @cached_property
    def province_means(self) -> pd.DataFrame:
        """Province -> mean component scores, total and number of regions."""
        r = self.assessment.results
        cols = self.framework.component_codes + ["skor_total"]
        means = r.groupby("kode_provinsi")[cols].mean()
        means["jumlah"] = r.groupby("kode_provinsi").size()
        return means

    @cached_property
    def overall_means(self) -> pd.Series:
        return self.assessment.results[self.framework.component_codes + ["skor_total"]].mean()

    @cached_property
    def uncertainty(self):
        """Rank uncertainty of every region under perturbed weights (computed once)."""
        from .uncertainty import rank_uncertainty

        fw = self.framework
        return rank_uncertainty(
            self.assessment.indicator_matrix(), fw.indicator_component(),
            fw.indicator_weights(), fw.component_weights(), threshold=fw.threshold,
            n_draws=UNCERTAINTY_DRAWS, perturbation=UNCERTAINTY_PERTURBATION,
            nominal_aggregation=fw.aggregation, geometric_offset=fw.geometric_offset,
            seed=UNCERTAINTY_SEED, decimals=fw.precision,
        )

    @cached_property
    def sensitivity(self):
        """Sobol' sensitivity of every region's rank: which weight moves it most."""
        from .uncertainty import rank_sensitivity

        fw, a = self.framework, self.assessment
        return rank_sensitivity(
            a.indicator_matrix(), fw.indicator_component(), fw.indicator_weights(),
            fw.component_weights(), perturbation=UNCERTAINTY_PERTURBATION,
            geometric_offset=fw.geometric_offset, seed=UNCERTAINTY_SEED, decimals=fw.precision,
            component_names={c.code: c.name for c in fw.components},
            region_names=dict(zip(a.results["kode_wilayah"], a.results["nama_wilayah"])),
        )

    def previous_year(self) -> YearData | None:
        """The previous year from the same processed folder (cached by :func:`load`),
        or None when it was not scored."""
        base = self.path.parent
        if not (base / str(self.year - 1) / "manifest.json").is_file():
            return None
        return _load(base, self.year - 1, warm=False)

    @property
    def rank_change(self):
        """Year-over-year rank change under shared weight draws
        (:func:`antikorupsi.uncertainty.rank_change`), or None without a comparable
        previous year. Computed once per (this year, previous manifest hash)."""
        prev = self.previous_year()
        if prev is None:
            return None
        key = prev.manifest_sha256
        if key not in self._rank_change:
            from .uncertainty import rank_change

            fw = self.framework
            cur_m, prev_m = self.assessment.indicator_matrix(), prev.assessment.indicator_matrix()
            result = None
            if set(prev_m.columns) == set(cur_m.columns):  # else: not comparable, no figure
                result = rank_change(
                    cur_m, prev_m, fw.indicator_component(), fw.indicator_weights(),
                    fw.component_weights(), n_draws=UNCERTAINTY_DRAWS,
                    perturbation=UNCERTAINTY_PERTURBATION, nominal_aggregation=fw.aggregation,
                    # the framework's own aggregation only: the question is whether the
                    # change survives other weights, not another aggregation method
                    aggregations=(fw.aggregation,),
                    geometric_offset=fw.geometric_offset, seed=UNCERTAINTY_SEED,
                    decimals=fw.precision,
                )
            self._rank_change[key] = result
        return self._rank_change[key]

    @property
    def synthetic(self) -> bool:
        return self.assessment.synthetic

    @cached_property
    def readings(self) -> pd.DataFrame:
        """Each reading of the aggregation rule against the framework's (methodology)."""
        from .readings import aggregation_readings

        return aggregation_readings(self.assessment)

    @cached_property
    def geometric_readings(self) -> dict:
        """"Geometric" read as between components only vs at both levels."""
        from .readings import compare_readings

        return compare_readings(self.assessment, "arithmetic/geometric", "geometric")

    @cached_property
    def missing_penalty(self):
        """The geometric mean's penalty on evidence scored 0 (methodology)."""
        from .readings import geometric_missing_penalty

        return geometric_missing_penalty(self.assessment)


_CACHE: OrderedDict[tuple[str, str], YearData] = OrderedDict()


def _resolve_processed(processed_dir: str | Path, year: int) -> Path:
    """``processed_dir/year``; a relative path not found here is looked up in parents.

    Reports run with the notebook folder as working directory, so the default
    ``"data/processed"`` is also found from ``notebooks/``.
    """
    base = Path(processed_dir)
    candidate = base / str(year)
    if candidate.is_dir() or base.is_absolute():
        return candidate
    for parent in Path.cwd().resolve().parents:
        alt = parent / base / str(year)
        if (alt / "manifest.json").is_file():
            return alt
    return candidate


def load(processed_dir: str | Path, year: int) -> YearData:
    """Load a scored year, cached by folder and manifest hash.

    Parameters
    ----------
    processed_dir : str or Path
        Folder holding ``<year>/`` as written by ``antikorupsi score``.
    year : int
        Assessment year.

    Returns
    -------
    YearData

    Raises
    ------
    InputError
        If the year was not scored yet (no ``manifest.json``).
    """
    return _load(processed_dir, year, warm=True)


def _load(processed_dir: str | Path, year: int, *, warm: bool) -> YearData:
    """:func:`load`; ``warm=False`` for a year read only for comparison (no simulations
    up front, no garbage-collector freeze)."""
    year = int(year)
    d = _resolve_processed(processed_dir, year)
    manifest_path = d / "manifest.json"
    if not manifest_path.is_file():
        raise InputError(Problem(str(d), f"hasil skor tahun {year} belum ada",
                                 expected=f"jalankan dulu antikorupsi score --year {year}"))
    raw = manifest_path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    key = (str(d.resolve()), sha)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        if warm and not hit.warmed:
            _warm(hit)
        return hit
    data = YearData(d, read_assessment(d), json.loads(raw), sha)
    _CACHE[key] = data
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    if warm:
        _warm(data)
    return data


def _warm(data: YearData) -> None:
    """Compute what every report needs, then take it out of the garbage collector's view.

    The render engine resets the kernel namespace between reports with ``%reset -f``,
    which runs two full garbage collections. After pandas, matplotlib (with its font
    caches, filled by the first chart) and a loaded year, the kernel tracks ~170,000
    objects and each reset cost ~0.16 s, more than executing the report itself.
    :func:`gc.freeze` moves everything alive now to the permanent generation, so later
    collections only scan what the reports create (reset: ~1 ms). Objects frozen here
    stay alive anyway (imported modules, the cached year).
    """
    data.warmed = True
    if not FREEZE_GC:
        return
    data.uncertainty  # noqa: B018 - computed once, before freezing
    data.sensitivity  # noqa: B018
    data.rank_change  # noqa: B018
    data.province_means  # noqa: B018
    charts.svg(charts.component_bars(pd.Series({"K1": 50.0}), pd.Series({"K1": 40.0}),
                                     {"K1": "K1"}))
    gc.collect()
    gc.freeze()


def clear_cache() -> None:
    """Forget every loaded year (tests; a long-lived kernel never needs it)."""
    _CACHE.clear()


# --------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionView:
    """One region of a scored year: its results row, indicators and screening rows."""

    data: YearData
    code: str
    row: pd.Series
    indicators: pd.DataFrame
    screening: pd.DataFrame

    @property
    def name(self) -> str:
        return str(self.row["nama_wilayah"])

    @property
    def framework(self) -> Framework:
        return self.data.framework


def _valid_codes_text(data: YearData) -> str:
    r = data.results.sort_values("kode_wilayah")
    if len(r) <= 40:
        return ", ".join(f"{c} ({n})" for c, n in zip(r["kode_wilayah"], r["nama_wilayah"]))
    return ", ".join(r["kode_wilayah"]) + " (nama: antikorupsi regions)"


def unknown_region_error(data: YearData, codes: Iterable[str], where: str = "region_code"
                         ) -> InputError:
    """The error for region codes not in a scored year, listing the valid codes."""
    bad = sorted(str(c) for c in codes)
    return InputError(Problem(
        where, f"kode wilayah tidak dikenal untuk tahun {data.year}: {', '.join(bad)}"
               + suggestion(bad, data.codes),
        expected=f"salah satu kode yang dinilai: {_valid_codes_text(data)}"))


def suggestion(bad: Iterable[str], valid: Sequence[str]) -> str:
    """``" (mungkin maksudnya: 3674)"`` for codes close to a mistyped one, else ``""``."""
    close = []
    for code in bad:
        close += [c for c in difflib.get_close_matches(code, valid, n=3, cutoff=0.7)
                  if c not in close]
    return f" (mungkin maksudnya: {', '.join(close)})" if close else ""


def region(data: YearData, code: str | int) -> RegionView:
    """Select one region of a loaded year.

    Parameters
    ----------
    data : YearData
        From :func:`load`.
    code : str
        Kemendagri region code, e.g. ``"3674"`` (an int is accepted and converted).

    Raises
    ------
    InputError
        If the code is not among the regions scored that year; the message lists the
        valid codes.
    """
    code = str(code).strip()
    if code not in data.results.index:
        raise unknown_region_error(data, [code])
    fw = data.framework
    ind = data.indicators_by_region[code].set_index("kode_indikator").reindex(
        fw.indicator_codes)
    scr = data.screening_by_region.get(code, data.assessment.screening.iloc[:0])
    return RegionView(data, code, data.results.loc[code], ind, scr)


@dataclass(frozen=True)
class AnnualView:
    """A scored year, optionally restricted to one province."""

    data: YearData
    province: str | None        # province name when filtered
    province_code: str | None
    results: pd.DataFrame       # rank order, index region codes

    @property
    def framework(self) -> Framework:
        return self.data.framework

    @property
    def multi_province(self) -> bool:
        return self.results["kode_provinsi"].nunique() > 1


def annual(data: YearData, province: str | int | None = None) -> AnnualView:
    """The annual view of a loaded year, optionally for one province.

    Parameters
    ----------
    data : YearData
    province : str, optional
        Province code (``"36"``) or name (``"Banten"``, case-insensitive, with or
        without "Provinsi").

    Raises
    ------
    InputError
        If no assessed region lies in that province.
    """
    r = data.results
    if province is None or str(province).strip() == "":
        return AnnualView(data, None, None, r)
    want = str(province).strip().lower().removeprefix("provinsi ").strip()
    names = r.drop_duplicates("kode_provinsi").set_index("kode_provinsi")["provinsi"]
    match = [c for c, n in names.items() if want in (str(c).lower(), str(n).lower())]
    if not match:
        raise InputError(Problem(
            "province", f"provinsi tidak dikenal untuk tahun {data.year}: {province!s}",
            expected="salah satu: " + ", ".join(f"{c} ({n})" for c, n in names.items())))
    code = match[0]
    return AnnualView(data, str(names[code]), str(code), r[r["kode_provinsi"] == code])


# --------------------------------------------------------------------------------------
# HTML helpers
# --------------------------------------------------------------------------------------

_CSS = """
<style>
/* antikorupsi report blocks (ak-*). The engine's stylesheet keeps every output in one
   piece; long tables must be allowed to break between rows instead. */
.jp-OutputArea .jp-OutputArea-output { break-inside: auto; page-break-inside: auto; }
.ak { font-size: 0.95rem; }
.ak-utuh, .ak figure { break-inside: avoid; page-break-inside: avoid; }
.ak h1 { margin: 0 0 0.2rem; }
.ak h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.1rem; }
.ak .ak-judul-atas { font-size: 0.85rem; letter-spacing: 0.04em; text-transform: uppercase;
  color: #3a3a3a; margin: 0; }
.ak .ak-sub { color: #3a3a3a; margin: 0 0 0.6rem; }
.ak-banner { border: 2px solid #000; background: #ececec; padding: 0.35rem 0.6rem;
  font-weight: bold; margin: 0.5rem 0; text-align: center; }
.ak-kartu { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.5rem 0; }
.ak-kartu > div { flex: 1 1 8.5rem; border: 1px solid #9a9a9a; padding: 0.3rem 0.5rem; }
.ak-kartu .ak-label { font-size: 0.75rem; color: #3a3a3a; display: block; }
.ak-kartu .ak-nilai { font-size: 1.15rem; font-weight: bold; display: block; }
.ak-kartu .ak-ket { font-size: 0.75rem; display: block; }
.ak table.ak-tabel { width: 100%; margin: 0.4rem 0; font-size: 0.8rem; }
.ak table.ak-tabel th, .ak table.ak-tabel td { padding: 0.15rem 0.35rem; text-align: left; }
.ak table.ak-tabel.ak-tetap { table-layout: fixed; }
.ak table.ak-tabel.ak-rapat { font-size: 0.72rem; }
.ak table.ak-tabel.ak-rapat td { padding: 0.08rem 0.3rem; }
.ak table.ak-tabel.ak-tetap td { overflow-wrap: anywhere; }
.ak table.ak-tabel.ak-tetap th, .ak table.ak-tabel.ak-tetap th.num { white-space: normal; }
.ak table.ak-tabel td.num, .ak table.ak-tabel th.num { text-align: right; white-space: nowrap; }
.ak table.ak-tabel td.tengah, .ak table.ak-tabel th.tengah { text-align: center; }
.ak table.ak-tabel tr.ak-grup td { background: #e4e4e4; font-weight: bold; }
.ak table.ak-tabel tbody tr.ak-sorot td { font-weight: bold; }
.ak .ak-kecil { font-size: 0.72rem; color: #3a3a3a; }
.ak .ak-kode { font-family: "DejaVu Sans Mono", monospace; font-size: 0.7rem; }
.ak .ak-tag { display: inline-block; border: 1px solid #6a6a6a; border-radius: 2px;
  padding: 0 0.2rem; font-size: 0.66rem; margin: 0 0.1rem 0.05rem 0; white-space: nowrap; }
.ak .ak-tag.ak-kuat { border-width: 1.5px; border-color: #000; font-weight: bold; }
.ak .ak-hasil { white-space: nowrap; }
.ak .ak-hasil-lulus { font-weight: bold; }
.ak .ak-hasil-gagal { font-weight: bold; text-decoration: underline; }
.ak .ak-hasil-kosong { font-style: italic; }
.ak .ak-batang { display: inline-block; width: 3.2rem; height: 0.55rem; border: 1px solid #555;
  vertical-align: middle; margin-left: 0.3rem; background: #fff; }
.ak .ak-batang > span { display: block; height: 100%; background: #4a4a4a; }
.ak figure { margin: 0.4rem 0; text-align: center; }
.ak figcaption { font-size: 0.75rem; color: #3a3a3a; text-align: left; }
.ak .ak-kotak { border-left: 3px solid #6a6a6a; padding: 0.1rem 0 0.1rem 0.7rem;
  margin: 0.4rem 0; }
.ak ul { margin: 0.2rem 0 0.4rem 1.1rem; padding: 0; }
.ak li { margin: 0.1rem 0; }
.ak .ak-dua { display: flex; gap: 1rem; }
.ak .ak-dua > div { flex: 1 1 0; }
@media print { .ak { font-size: 0.92rem; } }
</style>
"""


def _e(x: object) -> str:
    return html.escape("" if x is None else str(x))


def _block(inner: str, *, keep: bool = False) -> HTML:
    cls = "ak ak-utuh" if keep else "ak"
    return HTML(f'<div class="{cls}">{inner}</div>')


def _table(headers: Sequence[tuple[str, str]], rows: Iterable[str], *, caption: str = "",
           cls: str = "", widths: Sequence[int] | None = None) -> str:
    """A table from ``(label, css class)`` headers and pre-rendered ``<tr>`` rows.

    ``widths`` (percentages, one per column) fix the layout, so one long cell cannot
    squeeze a neighbouring column into a tall, narrow one.
    """
    head = "".join(f'<th class="{c}">{_e(h)}</th>' for h, c in headers)
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    cols = ""
    if widths:
        cls += " ak-tetap"
        cols = "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"
    return (f'<table class="ak-tabel {cls}">{cap}{cols}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _tr(cells: Sequence[tuple[str, str]], cls: str = "") -> str:
    """A row from ``(already-escaped html, css class)`` cells."""
    c = f' class="{cls}"' if cls else ""
    return f"<tr{c}>" + "".join(f'<td class="{k}">{v}</td>' for v, k in cells) + "</tr>"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


def _banner(data: YearData) -> str:
    return f'<div class="ak-banner">{_e(SYNTHETIC_BANNER)}</div>' if data.synthetic else ""


def _synthetic_note(data: YearData) -> str:
    return " Nilai indikator yang mendasarinya adalah DATA SINTETIS." if data.synthetic else ""


def _card(label: str, value: str, note: str = "") -> str:
    n = f'<span class="ak-ket">{note}</span>' if note else ""
    return (f'<div><span class="ak-label">{_e(label)}</span>'
            f'<span class="ak-nilai">{value}</span>{n}</div>')


def _bar(score: float) -> str:
    if pd.isna(score):
        return ""
    w = max(0.0, min(100.0, float(score)))
    return f'<span class="ak-batang"><span style="width:{w:.0f}%"></span></span>'


def _rank_change(x) -> str:
    if pd.isna(x):
        return "–"
    x = int(x)
    if x > 0:
        return f"▲ {x}"
    if x < 0:
        return f"▼ {-x}"
    return "= 0"


def _designation_html(label: str) -> str:
    if label == DESIGNATION["yes"]:
        return f"<strong>{_e(label)}</strong>"
    if label == DESIGNATION["pending"]:
        return f"<em>{_e(label)}</em>"
    return _e(label)


def _result_html(outcome: str) -> str:
    cls = {SCREEN["pass"]: "ak-hasil-lulus", SCREEN["fail"]: "ak-hasil-gagal",
           SCREEN["unknown"]: "ak-hasil-kosong", SCREEN["stale"]: "ak-hasil-kosong"}.get(
        outcome, "")
    return f'<span class="ak-hasil {cls}">{_SYMBOL.get(outcome, "")} {_e(outcome)}</span>'


def style() -> HTML:
    """The stylesheet of the report blocks (also included by the two header blocks)."""
    return HTML(_CSS)


def _math(text: str) -> str:
    """Comparison operators as printed symbols: ``>= 75`` -> ``≥ 75``."""
    return str(text).replace(">=", "≥").replace("<=", "≤")


def _plain_number(x: float) -> str:
    """A raw value with as many decimals as it has (up to 2): 19 -> '19', 67.7 -> '67,7'."""
    x = float(x)
    if x.is_integer():
        return angka(x, 0)
    return angka(x, 1) if round(x, 1) == round(x, 6) else angka(x, 2)


# --------------------------------------------------------------------------------------
# Region report
# --------------------------------------------------------------------------------------


def _empty_components_reason(w: RegionView) -> str:
    """Why a region at the threshold is not designated: a component without evidence
    (framework rule ``missing_policy.empty_component: refuse_designation``); "" else."""
    empty = str(w.row.get("komponen_tanpa_bukti", "") or "")
    if not empty or w.framework.empty_component != "refuse_designation":
        return ""
    return (f"komponen {empty} tidak punya bukti sama sekali, dan menurut kerangka wilayah "
            "dengan komponen tanpa bukti tidak dapat ditetapkan")


def _designation_reason(w: RegionView) -> str:
    r, fw = w.row, w.framework
    thr = angka(fw.threshold, 0)
    total = float(r["skor_total"])
    s = w.screening
    if r["penetapan"] == DESIGNATION["yes"]:
        return (f"Skor total ≥ {thr} dan semua kriteria penyaringan terpenuhi: memenuhi "
                f"syarat ditetapkan sebagai percontohan ({_e(fw.designation_label)}).")
    empty = _empty_components_reason(w)
    if empty and fw.reaches_threshold(total):
        return f"Skor total ≥ {thr}, tetapi {_e(empty)}."
    if fw.reaches_threshold(total):
        if r["penyaringan"] == OVERALL["incomplete"]:
            open_ = s[s["hasil"].isin([SCREEN["unknown"], SCREEN["stale"]])]
            return (f"Skor total ≥ {thr}, tetapi penyaringan belum lengkap: "
                    f"{len(open_)} kriteria tanpa data atau datanya kedaluwarsa "
                    f"({_e(', '.join(open_['nama_kriteria']))}). Penetapan menunggu data "
                    "tersebut.")
        failed = s[s["hasil"] == SCREEN["fail"]]
        return (f"Skor total ≥ {thr}, tetapi tidak lulus penyaringan "
                f"({_e(', '.join(failed['nama_kriteria']))}).")
    return (f"Skor total di bawah ambang penetapan {thr} (kurang "
            f"{angka(fw.threshold - total, 2)} poin).")


def _designation_short(w: RegionView) -> str:
    """The reason in a few words, for the annual table."""
    r, s = w.row, w.screening
    if r["penetapan"] == DESIGNATION["yes"]:
        return "semua kriteria penyaringan lulus"
    if _empty_components_reason(w):
        return f"komponen tanpa bukti: {_e(r['komponen_tanpa_bukti'])}"
    if r["penyaringan"] == OVERALL["incomplete"]:
        open_ = s[s["hasil"].isin([SCREEN["unknown"], SCREEN["stale"]])]
        return "menunggu data penyaringan: " + _e(", ".join(open_["nama_kriteria"]))
    failed = s[s["hasil"] == SCREEN["fail"]]
    return "tidak lulus penyaringan: " + _e(", ".join(failed["nama_kriteria"]))


def header(w: RegionView) -> HTML:
    """Title, synthetic-data banner and the key figures of one region."""
    r, d = w.row, w.data
    n_ind = len(w.framework.indicators)
    present = int(round(float(r["kelengkapan"]) * n_ind))
    same = int(r["jumlah_wilayah"]) == int(r["jumlah_wilayah_provinsi"])
    cards = [
        _card("Skor total", angka(r["skor_total"]), f"kategori {_e(r['kategori'])}"),
        _card("Penetapan", _designation_html(r["penetapan"]),
              f"penyaringan {_e(r['penyaringan'])}"),
        _card(f"Peringkat di {r['provinsi']}",
              _e(peringkat(r["peringkat_provinsi"], r["jumlah_wilayah_provinsi"]))),
        _card("Peringkat keseluruhan", _e(peringkat(r["peringkat"], r["jumlah_wilayah"])),
              "semua wilayah di satu provinsi" if same else ""),
        _card("Kelengkapan indikator", f"{present} dari {n_ind}",
              f"{int(r['indikator_kosong'])} tanpa bukti" if r["indikator_kosong"] else
              "semua berbukti"),
    ]
    inner = (
        f'<p class="ak-judul-atas">Laporan penilaian {PROGRAMME} {d.year}</p>'
        f"<h1>{_e(w.name)}</h1>"
        f'<p class="ak-sub">{_e(str(r["jenis"]).capitalize())} di Provinsi '
        f'{_e(r["provinsi"])} · kode wilayah {_e(w.code)} · kerangka '
        f'{_e(w.framework.id)} (versi {_e(w.framework.version)})</p>'
        + _banner(d)
        + f'<div class="ak-kartu">{"".join(cards)}</div>'
        + f"<p>{_designation_reason(w)}</p>"
    )
    return HTML(_CSS + f'<div class="ak">{inner}</div>')


def screening(w: RegionView) -> HTML:
    """The eight screening criteria: value, data year, threshold, result and source."""
    rows = []
    threshold_sources = {x for x in w.screening["sumber_ambang"] if x}
    # A note repeated on several rows is printed once, below the table, as [a], [b]...
    counts = w.screening["catatan"][w.screening["catatan"] != ""].value_counts()
    marks = {note: f"[{chr(97 + i)}]" for i, note in enumerate(n for n, k in counts.items()
                                                              if k > 1)}
    for x in w.screening.itertuples(index=False):
        has_value = str(x.nilai).strip() != ""
        value = _e(x.nilai) if has_value else '<span class="ak-hasil-kosong">tidak ada data</span>'
        year = "–" if pd.isna(x.tahun_data) else str(int(x.tahun_data))
        if getattr(x, "sintetis", False):  # e.g. the MCP score taken from synthetic I01
            value += '<br><span class="ak-tag">sintetis</span>'
        if getattr(x, "kedaluwarsa", False) and x.hasil != SCREEN["stale"]:
            year += f" {_SYMBOL[SCREEN['stale']]}"  # too old, threshold or not ("!" legend)
        threshold = _e(_math(x.ambang))
        if x.sumber_ambang and len(threshold_sources) > 1:
            threshold += f'<br><span class="ak-kecil">sumber: {_e(x.sumber_ambang)}</span>'
        source = _e(x.sumber) if x.sumber else ""
        if x.catatan:
            note = f"catatan {marks[x.catatan]}" if x.catatan in marks else _e(x.catatan)
            source += ("<br>" if source else "") + f'<span class="ak-kecil">{note}</span>'
        rows.append(_tr([(_e(x.nama_kriteria), ""), (value, "num"), (year, "tengah"),
                         (threshold, ""), (_result_html(x.hasil), ""),
                         (source or "–", "ak-kecil")]))
    counts = w.screening["hasil"].value_counts()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    fw = w.framework
    policy = ("kriteria tanpa data menunda penetapan" if fw.missing_screening == "pending"
              else "kriteria tanpa data dianggap tidak lulus")
    age = (f"; angka yang lebih tua dari {fw.max_data_age_years} tahun sebelum {w.data.year} "
           "dianggap kedaluwarsa" if fw.max_data_age_years is not None else "")
    inner = (
        "<h2>Penyaringan awal</h2>"
        f"<p>Hasil penyaringan: <strong>{_e(w.row['penyaringan'])}</strong> ({summary}). "
        f"Angka penyaringan adalah angka yang dipublikasikan beserta sumbernya; yang tidak "
        f"ditemukan dibiarkan kosong ({policy}{age}).{_screening_origin_note(w.screening)}</p>"
        + _table([("Kriteria", ""), ("Nilai", "num"), ("Tahun data", "tengah"),
                  ("Ambang", ""), ("Hasil", ""), ("Sumber", "")], rows,
                 widths=(25, 10, 7, 17, 15, 26))
        + "".join(f'<p class="ak-kecil">{m} {_e(n)}</p>' for n, m in marks.items())
        + '<p class="ak-kecil">✓ lulus · ✗ tidak lulus · ? tidak diketahui (tanpa data) · '
        "– tanpa ambang (ambang tidak dipublikasikan) · ! kedaluwarsa."
        + (f" Sumber ambang: {_e(next(iter(threshold_sources)))}."
           if len(threshold_sources) == 1 else "") + "</p>"
    )
    return _block(inner, keep=True)  # eight rows: keep heading, table and notes together


def _screening_origin_note(screen: pd.DataFrame) -> str:
    """The exception to "screening figures are published figures": values taken from the
    indicator of the same fact (the MCP score from I01), and synthetic ones; "" if none."""
    if "asal_nilai" not in screen:
        return ""
    from .scoring import ORIGIN

    taken = screen[screen["asal_nilai"].astype(str).str.startswith(ORIGIN["indicator"])]
    if taken.empty:
        return ""
    names = ", ".join(dict.fromkeys(f"{n} dari {o}" for n, o in
                                    zip(taken["nama_kriteria"], taken["asal_nilai"])))
    synthetic = bool(taken["sintetis"].any()) if "sintetis" in taken else False
    return (f" Kecuali: tanpa angka tahun penilaian, nilai diambil dari indikator yang sama "
            f"({_e(names)})" + ("; nilai bertanda sintetis adalah DATA SINTETIS, bukan angka "
                                "yang dipublikasikan" if synthetic else "") + ".")


def _component_labels(fw: Framework) -> dict[str, str]:
    return {c.code: f"{c.code} {c.name}" for c in fw.components}


def components(w: RegionView) -> HTML:
    """Component scores against the province average, chart and table."""
    fw, d, r = w.framework, w.data, w.row
    codes = fw.component_codes
    pm = d.province_means.loc[r["kode_provinsi"]]
    if int(pm["jumlah"]) > 1:
        comp = pm[codes]
        comp_label = f"Rata-rata Provinsi {r['provinsi']} ({int(pm['jumlah'])} wilayah)"
    else:
        comp = d.overall_means[codes]
        comp_label = f"Rata-rata seluruh wilayah ({len(d.results)})"
    scores = r[codes].astype(float)
    fig = charts.component_bars(scores, comp, _component_labels(fw), threshold=fw.threshold,
                                region_label=w.name, comparison_label=comp_label)
    cw = fw.component_weights()
    rows = []
    for c in fw.components:
        diff = float(scores[c.code]) - float(comp[c.code])
        rows.append(_tr([(_e(c.code), ""), (_e(c.name), ""), (persen(cw[c.code]), "num"),
                         (angka(scores[c.code]) + _bar(scores[c.code]), "num"),
                         (angka(comp[c.code]), "num"), (tanda(diff), "num")]))
    rows.append(_tr([("", ""), ("Skor total", ""), (persen(cw.sum()), "num"),
                     (angka(r["skor_total"]), "num"),
                     (angka(pm["skor_total"] if int(pm["jumlah"]) > 1
                            else d.overall_means["skor_total"]), "num"),
                     (tanda(float(r["skor_total"]) - float(
                         pm["skor_total"] if int(pm["jumlah"]) > 1
                         else d.overall_means["skor_total"])), "num")], "ak-sorot"))
    caption = (f"Skor enam komponen {_e(w.name)} (batang gelap) dibandingkan "
               f"{_e(comp_label[0].lower() + comp_label[1:])} (batang berarsir); "
               "garis putus-putus: ambang "
               f"penetapan {angka(fw.threshold, 0)}.{_synthetic_note(d)}")
    inner = (
        '<div class="ak-utuh"><h2>Skor per komponen</h2>'
        + _figure(charts.svg(fig), caption) + "</div>"
        + _table([("Kode", ""), ("Komponen", ""), ("Bobot", "num"), ("Skor", "num"),
                  ("Pembanding", "num"), ("Selisih", "num")], rows, cls="ak-utuh")
    )
    return _block(inner)


def _value_text(fw: Framework, code: str, x: pd.Series) -> str:
    if x["status"] != STATUS["present"] or pd.isna(x["angka"]):
        return '<span class="ak-hasil-kosong">kosong</span>'
    sc = fw.indicator(code).scoring
    v = float(x["angka"])
    if sc.method == "rubric" and sc.rubric:
        try:
            level = next(lv for lv in fw.rubric(sc.rubric).levels if lv.level == int(v))
            return f"{int(v)}: {_e(level.label)}"
        except (StopIteration, ValueError):
            return _plain_number(v)
    unit = sc.unit or ""
    if unit == "%":
        return _plain_number(v) + "%"
    return _plain_number(v) + (f" {_e(unit)}" if unit else "")


def _flags(x: pd.Series) -> str:
    tags = []
    if x["status"] != STATUS["present"]:
        what = x["status"] + (f", {x['perlakuan']}" if x["perlakuan"] else "")
        tags.append(f'<span class="ak-tag ak-kuat">{_e(what)}</span>')
    if bool(x["sintetis"]):
        tags.append('<span class="ak-tag">sintetis</span>')
    if bool(x["asumsi"]):
        tags.append('<span class="ak-tag">asumsi</span>')
    return "".join(tags)


def _note_text(note: str) -> str:
    """An indicator's note without the synthetic-data sentence (the banner says it)."""
    parts = [p.strip() for p in str(note or "").split(";")]
    return "; ".join(p for p in parts if p and not p.upper().startswith("DATA SINTETIS")
                     and not p.lower().startswith("bukan hasil penilaian"))


def indicators(w: RegionView) -> HTML:
    """The 19 indicator scores grouped by component, with flags and evidence."""
    fw, r = w.framework, w.row
    cw = fw.component_weights()
    rows = []
    for c in fw.components:
        rows.append(_tr([(f"{_e(c.code)} {_e(c.name)} — skor {angka(r[c.code])}, bobot "
                          f"{persen(cw[c.code])}", "")], "ak-grup").replace(
            "<td", '<td colspan="6"', 1))
        for ind in fw.indicators:
            if ind.component != c.code:
                continue
            x = w.indicators.loc[ind.code]
            name = _e(ind.name)
            evidence = (f'bukti: <span class="ak-kode">{_e(x["bukti"])}</span>' if x["bukti"]
                        else "bukti: –")
            note = _note_text(x["catatan"])
            name += (f'<br><span class="ak-kecil">{evidence}'
                     + (f"; {_e(note)}" if note else "") + "</span>")
            rows.append(_tr([
                (_e(ind.code), ""), (name, ""), (_value_text(fw, ind.code, x), "num"),
                (angka(x["skor"]) + _bar(x["skor"]), "num"),
                (persen(x["bobot_efektif"]), "num"), (_flags(x), "ak-tanda"),
            ]))
    treatment = {"zero": "diberi skor 0", "renormalise": "dikeluarkan dan bobotnya dibagi ke "
                 "indikator lain dalam komponennya", "province_mean": "diisi rata-rata provinsi"}
    synthetic = "<em>sintetis</em> = nilai dibuat acak untuk contoh; " if bool(
        w.indicators["sintetis"].any()) else ""
    legend = (
        "Nilai: angka masukan (rubrik: tingkat dan labelnya). Skor: 0–100 setelah "
        f"penskoran. Bobot: bagian indikator dalam skor total. Tanda: {synthetic}"
        "<em>asumsi</em> = bobot dan "
        "cara penskoran tidak dipublikasikan KPK; <em>kosong</em> = tanpa bukti, "
        f"{treatment.get(fw.missing_indicator, fw.missing_indicator)}. Bukti: rujukan dokumen "
        "pendukung nilai."
    )
    inner = (
        "<h2>Skor per indikator</h2>"
        + _table([("Kode", ""), ("Indikator dan rujukan bukti", ""), ("Nilai", "num"),
                  ("Skor", "num"), ("Bobot", "num"), ("Tanda", "")], rows,
                 widths=(5, 46, 13, 13, 7, 16))
        + f'<p class="ak-kecil">{legend}</p>'
    )
    return _block(inner)


def change(w: RegionView) -> HTML:
    """Total score, rank and category against the previous year."""
    r, y = w.row, w.data.year
    head = f"<h2>Perubahan dari tahun {y - 1}</h2>"
    if pd.isna(r["skor_total_sebelumnya"]):
        return _block(head + f"<p>Tidak ada data tahun sebelumnya ({y - 1}) untuk wilayah "
                             "ini.</p>", keep=True)
    delta = float(r["perubahan_skor"])
    verb = "naik" if round(delta, 2) > 0 else "turun" if round(delta, 2) < 0 else "tetap"
    dr = r["perubahan_peringkat"]
    if pd.isna(dr) or int(dr) == 0:
        rank_text = f"Peringkat tetap {int(r['peringkat'])}"
    else:
        rank_text = (f"Peringkat {'naik' if int(dr) > 0 else 'turun'} {abs(int(dr))} "
                     f"tingkat, dari {int(r['peringkat_sebelumnya'])} ke {int(r['peringkat'])}")
    rows = [
        _tr([("Skor total", ""), (angka(r["skor_total_sebelumnya"]), "num"),
             (angka(r["skor_total"]), "num"), (tanda(delta), "num")]),
        _tr([("Peringkat keseluruhan", ""), (_e(peringkat(r["peringkat_sebelumnya"])), "num"),
             (_e(peringkat(r["peringkat"])), "num"), (_rank_change(dr), "num")]),
        _tr([("Kategori", ""), (_e(r["kategori_sebelumnya"] or "–"), "num"),
             (_e(r["kategori"]), "num"), ("", "")]),
    ]
    inner = (
        head
        + (f"<p>Skor total {verb} {angka(abs(delta))} poin, dari "
           f"{angka(r['skor_total_sebelumnya'])} ({y - 1}) menjadi {angka(r['skor_total'])} "
           f"({y}). " if verb != "tetap" else
           f"<p>Skor total tetap {angka(r['skor_total'])} ({y - 1} dan {y}). ")
        + f"{rank_text}. {_e(comparison_sentence(w.data))}</p>"
        + _table([("", ""), (str(y - 1), "num"), (str(y), "num"), ("Perubahan", "num")], rows)
        + _change_certainty(w)
    )
    return _block(inner, keep=True)


def comparison_sentence(d: YearData) -> str:
    """Which framework last year's figures of the change section were scored with (from
    :attr:`Assessment.comparison`, recorded in the manifest)."""
    from .scoring import COMPARISON

    c = d.assessment.comparison
    if not c:
        return ("Skor tahun sebelumnya dihitung dengan kerangka penilaian tahun itu "
                "(cara perhitungannya tidak tercatat dalam data olahan).")
    fw = f"kerangka {c.get('kerangka')} versi {c.get('versi')}"
    if c.get("cara") == COMPARISON["like_for_like"]:
        return (f"Skor {c.get('tahun')} dihitung ulang dengan kerangka tahun ini ({fw}) agar "
                "setara; angka resmi tahun itu dapat berbeda.")
    return (f"Skor {c.get('tahun')} dihitung dengan kerangka penilaian tahun itu sendiri "
            f"({fw}), seperti hasil resmi tahun itu; perubahan ini memuat juga perubahan "
            "kerangka, bila ada.")


def _change_certainty(w: RegionView) -> str:
    """One line: how likely the rank improved when the weights are drawn again, with the
    same weights for both years; empty when the previous year is not comparable."""
    rc = w.data.rank_change
    if rc is None or w.code not in rc.table.index:
        return ""
    t = rc.table.loc[w.code]
    if t["signifikan"] == "tanpa skor":
        return ""
    how = (f"bila bobot komponen diundi ulang (bobot sama untuk kedua tahun, "
           f"{angka(rc.n_draws, 0)} simulasi)")
    if t["signifikan"] == "turun":
        text = f"Peluang peringkat memburuk {how}: {persen(t['p_turun'])} — penurunan ini pasti."
    elif t["signifikan"] == "naik":
        text = f"Peluang peringkat membaik {how}: {persen(t['p_naik'])} — kenaikan ini pasti."
    elif 1 - t["p_naik"] - t["p_turun"] >= rc.level:
        text = (f"Peringkat tetap pada {persen(1 - t['p_naik'] - t['p_turun'])} simulasi "
                f"{how} — peringkat ini tidak bergantung pada bobot.")
    else:
        text = (f"Peluang peringkat membaik {how}: {persen(t['p_naik'])}, memburuk: "
                f"{persen(t['p_turun'])}, tetap: {persen(1 - t['p_naik'] - t['p_turun'])}"
                " — perubahan peringkat belum pasti.")
    note = (f"Kedua tahun dihitung ulang dengan kerangka tahun {w.data.year} dan metode "
            "agregasinya; peringkat di "
            f"antara {angka(len(rc.table), 0)} wilayah yang dinilai pada kedua tahun. "
            f"Pasti: peluang ≥ {persen(rc.level, 0)}; peringkat sama tidak dihitung naik "
            "maupun turun.")
    return f'<p>{_e(text)}</p><p class="ak-kecil">{_e(note)}</p>'



def uncertainty(w: RegionView) -> HTML:
    """Rank interval (5-95%) and P(total >= threshold) under perturbed weights."""
    fw = w.framework
    u = w.data.uncertainty
    t = u.table.loc[w.code]
    thr = angka(fw.threshold, 0)
    head = "<h2>Ketidakpastian peringkat</h2>"
    if pd.isna(t["nominal_rank"]):
        return _block(head + "<p>Tidak dapat dihitung: wilayah ini tidak punya skor "
                             "indikator.</p>", keep=True)
    lo, hi = int(t["rank_p05"]), int(t["rank_p95"])
    interval = f"selalu {lo}" if lo == hi else f"{lo}–{hi}"
    p = float(t["p_istimewa"])
    if p >= 0.95:
        reading = (f"Skor total tetap ≥ {thr} pada hampir semua bobot yang dicoba: kategori "
                   f"{_e(fw.designation_label)} tidak bergantung pada bobot yang diasumsikan.")
    elif p <= 0.05:
        reading = (f"Skor total hampir tidak pernah mencapai {thr} pada bobot yang dicoba: "
                   f"hasil ini tidak bergantung pada bobot yang diasumsikan.")
    else:
        reading = (f"Apakah skor total mencapai {thr} bergantung pada bobot yang diasumsikan: "
                   "hasil ini perlu dibaca dengan hati-hati.")
    n = int(w.row["jumlah_wilayah"])
    summary = w.data.sensitivity.summary
    sentence = str(summary.loc[w.code, "sentence"]) if w.code in summary.index else ""
    rows = [
        _tr([("Peringkat nominal (bobot kerangka)", ""),
             (_e(peringkat(t["nominal_rank"], n)), "num")]),
        _tr([("Rentang peringkat 5–95%", ""), (interval, "num")]),
        _tr([("Median peringkat", ""), (str(int(t["median_rank"])), "num")]),
        _tr([("Rentang skor total 5–95%", ""),
             (f"{angka(t['total_p05'])}–{angka(t['total_p95'])}", "num")]),
        _tr([(f"Peluang skor total ≥ {thr} ({_e(fw.designation_label)})", ""),
             (persen(p), "num")], "ak-sorot"),
    ]
    inner = (
        head
        + "<p>Bobot komponen tidak dipublikasikan KPK. Untuk melihat seberapa peringkat "
          "bergantung pada bobot yang diasumsikan, skor dihitung ulang dengan banyak bobot "
          "lain yang masuk akal.</p>"
        + _table([("Ukuran", ""), ("Nilai", "num")], rows)
        + f"<p>{reading}</p>"
        + (f"<p>{_e(sentence)}</p>" if sentence else "")
        + f'<p class="ak-kecil">{_e(u.describe())} Indeks Sobol total: bagian keragaman '
          "peringkat yang ditimbulkan satu bobot (0 = tidak berpengaruh, 1 = seluruhnya).</p>"
    )
    return _block(inner, keep=True)


def _impact(w: RegionView, code: str) -> float:
    """How much the total would rise if this indicator scored 100 (others unchanged)."""
    fw = w.framework
    m = w.indicators["skor"].astype(float).to_frame().T
    m.index = [w.code]
    base = float(w.row["skor_total"])
    m[code] = 100.0
    _, total = aggregate_matrix(m[fw.indicator_codes], fw)
    return float(total.iloc[0]) - base


def strengths(w: RegionView, n: int = 3) -> HTML:
    """Top and bottom ``n`` indicators, with framework recommendations for the weakest."""
    fw = w.framework
    t = w.indicators.assign(kode=w.indicators.index)
    t = t[t["skor"].notna()]
    top = t.sort_values(["skor", "bobot_efektif", "kode"], ascending=[False, False, True],
                        kind="stable").head(n)
    low = t.sort_values(["skor", "bobot_efektif", "kode"], ascending=[True, False, True],
                        kind="stable").head(n)

    def item(code: str, x: pd.Series) -> str:
        ind = fw.indicator(code)
        return (f"<li><strong>{_e(code)} {_e(ind.name)}</strong> — skor {angka(x['skor'])} "
                f"({_e(fw.component(ind.component).code)})</li>")

    recs = []
    for code, x in low.iterrows():
        ind = fw.indicator(code)
        gain = _impact(w, code)
        recs.append(
            f"<li><strong>{_e(code)} {_e(ind.name)}</strong> (skor {angka(x['skor'])}; "
            f"jika mencapai 100, skor total naik {angka(gain)} poin): "
            f"{_e(ind.recommendation or 'belum ada rekomendasi dalam kerangka.')}</li>")
    inner = (
        "<h2>Kekuatan, kelemahan, dan rekomendasi</h2>"
        '<div class="ak-dua ak-utuh">'
        f"<div><h3>Kekuatan ({n} indikator tertinggi)</h3><ul>"
        + "".join(item(c, x) for c, x in top.iterrows()) + "</ul></div>"
        f"<div><h3>Kelemahan ({n} indikator terendah)</h3><ul>"
        + "".join(item(c, x) for c, x in low.iterrows()) + "</ul></div></div>"
        '<div class="ak-utuh"><h3>Rekomendasi</h3><ul>' + "".join(recs) + "</ul>"
        '<p class="ak-kecil">Rekomendasi diambil dari kerangka penilaian untuk indikator '
        "terendah; kenaikan skor total dihitung dengan bobot yang diasumsikan. Skor yang "
        "sama diurutkan menurut bobotnya.</p></div>"
    )
    return _block(inner)


# --------------------------------------------------------------------------------------
# Methodology and provenance (both reports)
# --------------------------------------------------------------------------------------


def _data_of(x: YearData | RegionView | AnnualView) -> YearData:
    return x if isinstance(x, YearData) else x.data


def _indicator_share_text(fw: Framework, comp: str) -> str:
    iw = fw.indicator_weights()
    codes = [i.code for i in fw.indicators if i.component == comp]
    shares = iw[codes]
    if len(codes) == 1:
        return f"{codes[0]}: 100%"
    if np.allclose(shares, shares.iloc[0]):
        return f"{codes[0]}–{codes[-1]}: masing-masing {persen(shares.iloc[0])}"
    return "; ".join(f"{c} {persen(s)}" for c, s in shares.items())


def methodology(x: YearData | RegionView | AnnualView) -> HTML:
    """Weights, aggregation per level, precision, threshold, categories, missing-data
    rules, screening rules and assumptions, with what the unpublished rules do to this
    year's data (figures from :mod:`antikorupsi.readings`)."""
    d = _data_of(x)
    fw = d.framework
    cw = fw.component_weights()
    rows = []
    for c in fw.components:
        assumed = c.assumption or any(i.assumption for i in fw.indicators
                                      if i.component == c.code)
        rows.append(_tr([(_e(c.code), ""), (_e(c.name), ""), (persen(cw[c.code]), "num"),
                         (_e(_indicator_share_text(fw, c.code)), ""),
                         ('<span class="ak-tag">asumsi</span>' if assumed else "publikasi",
                          "")]))
    bands = ", ".join(f"{_e(b.label)} ≥ {angka(b.min, 0)}" + (" (asumsi)" if b.assumption
                                                              else "")
                      for b in sorted(fw.bands, key=lambda b: -b.min))
    assumptions = "".join(f"<li>{_e(s)}</li>" for s in fw.assumptions())
    eps = 10.0 ** -fw.precision
    up, down = fw.threshold - 0.4 * eps, fw.threshold - 0.6 * eps

    def reach(v: float) -> str:
        return "mencapai" if fw.reaches_threshold(v) else "tidak mencapai"

    precision = (f"Skor total dibulatkan ke {fw.precision} desimal"
                 + (f" ({_e(fw.precision_source)})" if fw.precision_source else "")
                 + "; peringkat, kategori dan penetapan memakai angka yang dicetak itu, "
                 "sehingga skor yang tercetak sama selalu berperingkat sama (mis. "
                 f"{angka(up, fw.precision + 1)} tercetak {angka(up, fw.precision)} dan "
                 f"{reach(up)} ambang {angka(fw.threshold, 0)}, sedangkan "
                 f"{angka(down, fw.precision + 1)} tercetak {angka(down, fw.precision)} dan "
                 f"{reach(down)} ambang itu).")
    inner = (
        "<h2>Metodologi dan asumsi</h2>"
        '<div class="ak-kotak">'
        f"<p>Skor indikator (0–100) → skor komponen dengan rata-rata "
        f"{agregasi(fw.aggregation_within)} tertimbang → skor total dengan rata-rata "
        f"{agregasi(fw.aggregation_between)} tertimbang. {precision} Skor total ≥ "
        f"{angka(fw.threshold, 0)}: <strong>{_e(fw.designation_label)}</strong>, "
        f"ditetapkan sebagai percontohan bila lulus penyaringan (sumber: "
        f"{_e(_math(fw.designation_source))}). Kategori: {bands}.</p>"
        + _table([("Kode", ""), ("Komponen", ""), ("Bobot", "num"),
                  ("Indikator dan bobotnya dalam komponen", ""), ("Status", "")], rows,
                 cls="ak-utuh")
        + _readings_html(d)
        + _rules_html(d)
        + f'<div class="ak-utuh"><p><strong>Asumsi yang dipakai</strong> (nilai yang tidak '
          f"dipublikasikan KPK; kerangka {_e(fw.id)} versi {_e(fw.version)}):</p>"
          f"<ul>{assumptions}</ul></div></div>"
    )
    return _block(inner)


def _inputs_text(files: dict, most: int = 12) -> str:
    """The input files with their hash; a collection of many files (one workbook per
    region) is counted per folder instead: the full list is in the processed manifest."""
    if len(files) <= most:
        return "Berkas masukan (sha256, 12 karakter pertama): " + "; ".join(
            f'{_e(path)} <span class="ak-kode">{_e(str(h)[:12])}</span>'
            for path, h in files.items())
    groups: dict[str, int] = {}
    for path in files:
        parts = str(path).split("/")
        key = "/".join(parts[:-1]) + "/" if len(parts) > 2 else str(path)
        groups[key] = groups.get(key, 0) + 1
    return (f"Berkas masukan: {len(files)} berkas (" + ", ".join(
        f"{_e(k)} {v} berkas" if k.endswith("/") else _e(k) for k, v in groups.items())
        + "); daftar lengkap dengan sha256 di manifest.json data olahan")


def _reading_label(spec: str) -> str:
    from .aggregate import split_method

    within, between = split_method(spec)
    if within == between:
        return f"{agregasi(within)} di kedua tingkat"
    return f"{agregasi(within)} di dalam komponen, {agregasi(between)} antarkomponen"


def _readings_html(d: YearData) -> str:
    """What the other readings of the aggregation rule would do to this year's ranks and
    designations, and the geometric penalty on missing evidence (from the data)."""
    fw = d.framework
    r = d.readings
    n = int(r["jumlah_wilayah"].iloc[0]) if len(r) else 0
    rows = []
    for spec, x in r.iterrows():
        who = f" ({_e(x['wilayah_penetapan'])})" if x["penetapan_berubah"] and \
            x["penetapan_berubah"] <= 5 else ""
        rows.append(_tr([(_e(_reading_label(spec)) + (" — <strong>kerangka</strong>"
                                                    if x["resmi"] else ""), ""),
                         ("–" if x["resmi"] else f"{x['peringkat_berubah']} dari {n}", "num"),
                         ("–" if x["resmi"] else f"{x['penetapan_berubah']}{who}", "num")],
                        "ak-sorot" if x["resmi"] else ""))
    two = d.geometric_readings
    pair = (f" Dua cara membaca \"agregasi geometrik\" saling berbeda: hanya antarkomponen "
            f"atau di kedua tingkat mengubah {two['peringkat_berubah']} dari "
            f"{two['jumlah_wilayah']} peringkat dan {two['penetapan_berubah']} penetapan"
            + (f" ({_e(two['wilayah_penetapan'])})" if 0 < two["penetapan_berubah"] <= 5
               else "") + ".")
    p = d.missing_penalty
    if p.n_missing:
        penalty = (
            f"Pada data tahun ini, rata-rata geometrik di kedua tingkat memberi skor total "
            f"{angka(p.median_missing)} poin (median) di bawah rata-rata aritmetika bagi "
            f"{p.n_missing} wilayah yang punya indikator tanpa bukti (diberi 0), tetapi hanya "
            f"{angka(p.median_complete)} poin bagi {p.n_complete} wilayah dengan bukti "
            "lengkap: metode geometrik terutama menghukum bukti yang kosong.")
    else:
        penalty = ("Tahun ini tidak ada indikator tanpa bukti yang diberi 0, sehingga "
                   "dampak itu tidak dapat diukur pada data ini.")
    return (
        '<div class="ak-utuh"><p><strong>Tingkat agregasi.</strong> KPK tidak '
        "mempublikasikan metode agregasinya; kerangka menyatakannya per tingkat (di dalam "
        "komponen dan antarkomponen). Cara lain membaca aturan itu mengubah hasil tahun "
        f"ini sebagai berikut (skor indikator, bobot dan penyaringan sama).{pair}</p>"
        + _table([("Agregasi", ""), ("Peringkat berubah", "num"),
                  ("Penetapan berubah", "num")], rows, widths=(56, 22, 22)) + "</div>"
        + f"<p><strong>Offset geometrik.</strong> Rata-rata geometrik dihitung sebagai "
          f"exp(Σ bobot × ln(skor + offset)) − offset dengan offset {_e(fw.offset_text())}, "
          f"agar skor 0 tetap terdefinisi. {penalty}</p>"
    )


def _rules_html(d: YearData) -> str:
    """The screening rules in force and this year's regions with a component without
    evidence (the rules themselves are in the assumptions list below)."""
    fw = d.framework
    age = fw.max_data_age_years
    parts = ["Kriteria penyaringan tanpa data "
             + ("menunda penetapan" if fw.missing_screening == "pending"
                else "dianggap tidak lulus")
             + (f"; angka penyaringan yang lebih tua dari {age} tahun sebelum tahun penilaian "
                "ditandai kedaluwarsa (untuk semua kriteria, juga yang tanpa ambang) dan tidak "
                "dipakai untuk lulus/tidak lulus" if age is not None else "") + "."]
    empty = d.results[d.results["komponen_tanpa_bukti"] != ""] \
        if "komponen_tanpa_bukti" in d.results else d.results.iloc[:0]
    if len(empty):
        parts.append(f"Tahun ini {len(empty)} wilayah punya komponen tanpa bukti sama sekali"
                     + (f" ({', '.join(empty['kode_wilayah'])})" if len(empty) <= 5 else "")
                     + ".")
    return "<p><strong>Penyaringan.</strong> " + _e(" ".join(parts)) + "</p>"


def provenance(x: YearData | RegionView | AnnualView) -> HTML:
    """Input file hashes, framework id/version/hash and package version (from the manifest)."""
    d = _data_of(x)
    m = d.manifest
    k = m.get("kerangka", {})
    inputs = _inputs_text(m.get("masukan", {}))
    method = agregasi(k.get("agregasi"))
    inner = (
        "<h2>Asal data</h2>"
        '<p class="ak-kecil">'
        f"Data olahan tahun {d.year}: manifest "
        f'<span class="ak-kode">{d.manifest_sha256[:12]}</span>, paket antikorupsi versi '
        f"{_e(m.get('versi_paket', '?'))}, kerangka {_e(k.get('id'))} versi "
        f"{_e(k.get('versi'))} ({_e(k.get('sumber'))}, sha256 "
        f'<span class="ak-kode">{_e(str(k.get("sha256", ""))[:12])}</span>), agregasi '
        f"{_e(method)}. {inputs}.</p>"
        + ('<p class="ak-kecil"><strong>Nilai indikator dalam data ini adalah DATA '
           "SINTETIS</strong> (dibuat acak untuk contoh, bukan hasil penilaian KPK). Angka "
           "penyaringan adalah angka yang dipublikasikan, dengan sumbernya; yang tidak "
           "ditemukan tetap kosong.</p>" if d.synthetic else "")
    )
    return _block(inner, keep=True)


# --------------------------------------------------------------------------------------
# Annual report
# --------------------------------------------------------------------------------------


def annual_header(t: AnnualView) -> HTML:
    """Title, synthetic-data banner and the year's key counts."""
    d, fw, r = t.data, t.framework, t.results
    where = f"Provinsi {t.province}" if t.province else (
        f"{r['kode_provinsi'].nunique()} provinsi" if t.multi_province
        else f"Provinsi {r['provinsi'].iloc[0]}")
    n = len(r)
    high = int(fw.reaches_threshold(r["skor_total"].to_numpy(float)).sum())
    cards = [
        _card("Wilayah dinilai", angka(n, 0), _e(where)),
        _card(f"Skor total ≥ {angka(fw.threshold, 0)}", angka(high, 0),
              _e(fw.designation_label)),
        _card("Ditetapkan", angka(int((r["penetapan"] == DESIGNATION["yes"]).sum()), 0)),
        _card("Tertunda", angka(int((r["penetapan"] == DESIGNATION["pending"]).sum()), 0),
              "menunggu data penyaringan"),
        _card("Median skor total", angka(r["skor_total"].median()),
              f"rentang {angka(r['skor_total'].min())}–{angka(r['skor_total'].max())}"),
    ]
    title = f"Laporan Tahunan {d.year}" + (f": Provinsi {t.province}" if t.province else "")
    inner = (
        f'<p class="ak-judul-atas">{PROGRAMME}</p>'
        f"<h1>{_e(title)}</h1>"
        f'<p class="ak-sub">{_e(where)} · kerangka {_e(fw.id)} (versi {_e(fw.version)})</p>'
        + _banner(d)
        + f'<div class="ak-kartu">{"".join(cards)}</div>'
    )
    return HTML(_CSS + f'<div class="ak">{inner}</div>')


def designations(t: AnnualView) -> HTML:
    """Regions at or above the threshold and why each is (not yet) designated."""
    fw, r = t.framework, t.results
    thr = angka(fw.threshold, 0)
    high = r[fw.reaches_threshold(r["skor_total"].to_numpy(float))]
    if high.empty:
        body = f"<p>Tidak ada wilayah dengan skor total ≥ {thr} tahun ini.</p>"
    else:
        rows = []
        for code, x in high.iterrows():
            w = region(t.data, code)
            rows.append(_tr([(_e(x["nama_wilayah"]), ""), (_e(x["provinsi"]), ""),
                             (angka(x["skor_total"]), "num"),
                             (_designation_html(x["penetapan"]), ""),
                             (_designation_short(w), "ak-kecil")]))
        body = _table([("Wilayah", ""), ("Provinsi", ""), ("Skor", "num"), ("Penetapan", ""),
                       ("Keterangan", "")], rows, widths=(26, 17, 8, 14, 35))
    cats = [b.label for b in sorted(fw.bands, key=lambda b: -b.min)]
    counts = r["kategori"].value_counts()
    cat_rows = [_tr([(_e(c), ""), (angka(int(counts.get(c, 0)), 0), "num")]) for c in cats]
    dcounts = r["penetapan"].value_counts()
    des_rows = [_tr([(_designation_html(v), ""), (angka(int(dcounts.get(v, 0)), 0), "num")])
                for v in DESIGNATION.values()]
    inner = (
        f"<h2>Penetapan ({_e(fw.designation_label)}, skor total ≥ {thr})</h2>"
        + body
        + '<div class="ak-dua ak-utuh"><div>'
        + _table([("Kategori", ""), ("Jumlah wilayah", "num")], cat_rows)
        + "</div><div>"
        + _table([("Penetapan", ""), ("Jumlah wilayah", "num")], des_rows)
        + "</div></div>"
    )
    return _block(inner, keep=len(high) <= 10)


def ranking(t: AnnualView) -> HTML:
    """Every region ranked: score, category, screening, designation and change."""
    r = t.results
    filtered = t.province is not None
    has_prev = r["skor_total_sebelumnya"].notna().any()
    show_prov = t.multi_province
    headers = [("Per.", "num")]
    if filtered and int(r["jumlah_wilayah"].iloc[0]) != len(r):
        headers = [("Per. prov.", "num"), ("Per. nas.", "num")]
    headers += [("Kode", ""), ("Wilayah", "")]
    if show_prov:
        headers.append(("Provinsi", ""))
    headers += [("Skor", "num"), ("Kategori", ""), ("Penyaringan", ""), ("Penetapan", "")]
    if has_prev:
        headers += [("Δ skor", "num"), ("Δ per.", "num")]
    fw = t.framework
    thr = fw.threshold
    rows = []
    two_ranks = len(headers) > 1 and headers[1][0] == "Per. nas."
    for x in r.itertuples(index=False):
        cells = ([(str(x.peringkat_provinsi), "num"), (str(x.peringkat), "num")] if two_ranks
                 else [(str(x.peringkat), "num")])
        cells += [(_e(x.kode_wilayah), ""), (_e(x.nama_wilayah), "")]
        if show_prov:
            cells.append((_e(x.provinsi), ""))
        # Most regions are not designated: "–" lets the designated ones stand out.
        designation = ("–" if x.penetapan == DESIGNATION["no"]
                       else _designation_html(x.penetapan))
        cells += [(angka(x.skor_total), "num"), (_e(x.kategori), ""), (_e(x.penyaringan), ""),
                  (designation, "")]
        if has_prev:
            cells += [(tanda(x.perubahan_skor), "num"), (_rank_change(x.perubahan_peringkat),
                                                         "num")]
        rows.append(_tr(cells, "ak-sorot" if fw.reaches_threshold(x.skor_total) else ""))
    note = (f"Baris tebal: skor total ≥ {angka(thr, 0)}. Penetapan “–”: tidak ditetapkan. "
            + (f"Δ: perubahan dari {t.data.year - 1} (▲ naik, ▼ turun peringkat)."
               if has_prev else "Tidak ada data tahun sebelumnya untuk perbandingan."))
    share = {"Per.": 4, "Per. prov.": 5, "Per. nas.": 5, "Kode": 5, "Wilayah": 24,
             "Provinsi": 18, "Skor": 6, "Kategori": 10.5, "Penyaringan": 12,
             "Penetapan": 10.5, "Δ skor": 6.5, "Δ per.": 6}
    total = sum(share[h] for h, _ in headers)
    widths = [round(100 * share[h] / total, 1) for h, _ in headers]
    inner = (
        "<h2>Peringkat</h2>"
        + _table(headers, rows, widths=widths, cls="ak-rapat" if len(rows) > 40 else "")
        + f'<p class="ak-kecil">{note}{_synthetic_note(t.data)}</p>'
    )
    return _block(inner)


def ranking_uncertainty(t: AnnualView) -> HTML:
    """Chart of each region's rank interval (5-95%) under perturbed weights."""
    d, fw = t.data, t.framework
    u = d.uncertainty
    table = u.table.loc[t.results.index]
    names = t.results["nama_wilayah"]
    fig = charts.rank_intervals(table, names, n_regions=len(d.results))
    thr = angka(fw.threshold, 0)
    unsure = table[(table["p_istimewa"] > 0.05) & (table["p_istimewa"] < 0.95)]
    if unsure.empty:
        verdict = (f"Tidak ada wilayah yang status ≥ {thr}-nya bergantung pada bobot: setiap "
                   f"wilayah hampir selalu (≥ 95%) atau hampir tidak pernah (≤ 5%) mencapai "
                   f"{thr} pada bobot yang dicoba.")
        extra = ""
    else:
        verdict = (f"{len(unsure)} wilayah mencapai skor total ≥ {thr} hanya pada sebagian "
                   "bobot yang dicoba: statusnya bergantung pada bobot yang diasumsikan.")
        rows = [_tr([(_e(names[c]), ""), (angka(x["nominal_total"]), "num"),
                     (f"{int(x['rank_p05'])}–{int(x['rank_p95'])}", "num"),
                     (persen(x["p_istimewa"]), "num")])
                for c, x in unsure.sort_values("p_istimewa", ascending=False).iterrows()]
        extra = _table([("Wilayah", ""), ("Skor", "num"), ("Peringkat 5–95%", "num"),
                        (f"Peluang ≥ {thr}", "num")], rows)
    caption = ("Peringkat nominal (belah ketupat hitam), median simulasi (lingkaran) dan "
               "rentang peringkat 5–95% (batang) saat bobot komponen dan metode agregasi "
               f"diubah.{_synthetic_note(d)}")
    if len(t.results) > 40:
        caption = ("Setiap garis tegak: rentang peringkat 5–95% satu wilayah saat bobot "
                   "komponen dan metode agregasi diubah, pada posisi peringkat nominalnya. "
                   f"Garis pendek: peringkat stabil.{_synthetic_note(d)}")
    inner = (
        '<div class="ak-utuh"><h2>Ketidakpastian peringkat</h2>'
        + _figure(charts.svg(fig), caption) + "</div>"
        + f"<p>{verdict}</p>" + extra
        + f'<p class="ak-kecil">{_e(u.describe())}</p>'
    )
    return _block(inner)


def heatmap(t: AnnualView) -> HTML:
    """Component scores per region (or per province, for large sets) as a grey heat map."""
    d, fw, r = t.data, t.framework, t.results
    codes = fw.component_codes
    if len(r) <= HEATMAP_MAX_ROWS:
        matrix = r[codes]
        labels = [f"{int(p)}. {n}" for p, n in zip(r["peringkat"], r["nama_wilayah"])]
        what = "Skor komponen tiap wilayah, urut peringkat"
    else:
        pm = d.province_means
        pm = pm[pm.index.isin(r["kode_provinsi"])].sort_values("skor_total", ascending=False)
        names = r.drop_duplicates("kode_provinsi").set_index("kode_provinsi")["provinsi"]
        matrix = pm[codes]
        labels = [f"{names[c]} ({int(pm.loc[c, 'jumlah'])})" for c in pm.index]
        what = ("Rata-rata skor komponen per provinsi (jumlah wilayah dalam kurung), urut "
                "rata-rata skor total")
    col_labels = [f"{c.code}\n{persen(w, 0)}" for c, w in
                  zip(fw.components, fw.component_weights())]
    fig = charts.component_heatmap(matrix, labels, col_labels, threshold=fw.threshold)
    caption = (f"{what}. Makin gelap makin tinggi; angka tebal dalam kotak bergaris: skor ≥ "
               f"{angka(fw.threshold, 0)}. Di bawah kode komponen: bobotnya."
               f"{_synthetic_note(d)}")
    legend = "; ".join(f"{c.code} {c.name}" for c in fw.components)
    inner = (
        '<div class="ak-utuh"><h2>Skor komponen</h2>'
        + _figure(charts.svg(fig), caption)
        + f'<p class="ak-kecil">{_e(legend)}.</p></div>'
    )
    return _block(inner)


def distribution(t: AnnualView) -> HTML:
    """Distribution of total scores with the threshold and category bounds."""
    d, fw, r = t.data, t.framework, t.results
    bands = [(b.min, b.label) for b in fw.bands]
    fig = charts.score_distribution(r["skor_total"], threshold=fw.threshold, bands=bands,
                                    kinds=r["jenis"], labels=r["nama_wilayah"])
    caption = (f"Skor total {len(r)} wilayah"
               + (", urut dari yang tertinggi (lingkaran: kabupaten, kotak: kota)"
                  if len(r) <= 40 else " (histogram, lebar kelas 2,5 poin)")
               + f"; garis putus-putus: ambang {angka(fw.threshold, 0)}, garis titik-titik: "
                 f"batas kategori.{_synthetic_note(d)}")
    q = r["skor_total"].quantile([0.25, 0.5, 0.75])
    text = (f"Rata-rata {angka(r['skor_total'].mean())}, median {angka(q[0.5])}, kuartil "
            f"{angka(q[0.25])}–{angka(q[0.75])}.")
    inner = ('<h2>Sebaran skor total</h2>' + _figure(charts.svg(fig), caption)
             + f"<p>{text}</p>")
    return _block(inner, keep=True)


def movers(t: AnnualView, n: int = 5) -> HTML:
    """The largest rises and falls of the total score since the previous year."""
    r, y = t.results, t.data.year
    head = f"<h2>Perubahan terbesar dari {y - 1}</h2>"
    p = r[r["perubahan_skor"].notna()]
    if p.empty:
        return _block(head + "<p>Tidak ada data tahun sebelumnya untuk perbandingan.</p>",
                      keep=True)

    rc = t.data.rank_change
    p_naik = rc.table["p_naik"] if rc is not None else pd.Series(dtype=float)

    def table(part: pd.DataFrame) -> str:
        rows = [_tr([(_e(x.nama_wilayah), ""), (angka(x.skor_total_sebelumnya), "num"),
                     (angka(x.skor_total), "num"), (tanda(x.perubahan_skor), "num"),
                     (f"{peringkat(x.peringkat_sebelumnya)} → {int(x.peringkat)}", "num")]
                    + ([(persen(p_naik.get(x.kode_wilayah)), "num")] if rc is not None else []))
                for x in part.itertuples(index=False)]
        if not rows:
            return '<p class="ak-kecil">Tidak ada.</p>'
        return _table([("Wilayah", ""), (str(y - 1), "num"), (str(y), "num"),
                       ("Δ skor", "num"), ("Peringkat", "num")]
                      + ([("P(naik)", "num")] if rc is not None else []), rows)

    up = p[p["perubahan_skor"].round(2) > 0].sort_values("perubahan_skor", ascending=False,
                                                         kind="stable").head(n)
    down = p[p["perubahan_skor"].round(2) < 0].sort_values("perubahan_skor",
                                                           kind="stable").head(n)
    inner = (
        head
        + f"<p>{len(p)} wilayah punya skor tahun {y - 1}: "
          f"{int((p['perubahan_skor'].round(2) > 0).sum())} "
          f"naik, {int((p['perubahan_skor'].round(2) < 0).sum())} turun. Rata-rata perubahan "
          f"{tanda(p['perubahan_skor'].mean())} poin.</p>"
        + f'<div class="ak-utuh"><h3>Kenaikan terbesar</h3>{table(up)}</div>'
        + f'<div class="ak-utuh"><h3>Penurunan terbesar</h3>{table(down)}</div>'
        + ('<p class="ak-kecil">P(naik): peluang peringkat membaik bila bobot diundi ulang '
           f"({angka(rc.n_draws, 0)} simulasi), dengan bobot yang sama untuk kedua tahun "
           f"(kerangka {y}); ≥ {persen(rc.level, 0)} berarti kenaikan pasti, ≤ "
           f"{persen(1 - rc.level, 0)} berarti peringkat hampir pasti tidak membaik.</p>"
           if rc is not None else "")
    )
    return _block(inner)


def screening_summary(t: AnnualView) -> HTML:
    """Screening criteria x outcomes: how many regions passed, failed or lack data."""
    fw = t.framework
    s = t.data.assessment.screening
    s = s[s["kode_wilayah"].isin(t.results.index)]
    outcomes = list(SCREEN.values())
    counts = pd.crosstab(s["kriteria"], s["hasil"]).reindex(
        index=[c.code for c in fw.screening], columns=outcomes, fill_value=0)
    rows = []
    for crit in fw.screening:
        c = counts.loc[crit.code]
        rows.append(_tr([(_e(crit.name), ""),
                         (_e(_math(crit.rule.describe()) if crit.rule
                             else "tidak dipublikasikan"), "")]
                        + [(angka(int(c[o]), 0) if c[o] else "·", "num") for o in outcomes]))
    overall = t.results["penyaringan"].value_counts()
    overall_text = ", ".join(f"{_e(k)} {angka(int(overall.get(k, 0)), 0)}"
                             for k in OVERALL.values())
    inner = (
        "<h2>Ringkasan penyaringan</h2>"
        f"<p>Jumlah wilayah per kriteria dan hasil. Hasil penyaringan keseluruhan: "
        f"{overall_text}. Angka penyaringan adalah angka yang dipublikasikan beserta "
        "sumbernya; yang tidak ditemukan tetap kosong dan dihitung sebagai tidak "
        f"diketahui.{_screening_origin_note(t.data.assessment.screening)}</p>"
        + _table([("Kriteria", ""), ("Ambang", "")]
                 + [(f"{_SYMBOL[o]} {o}", "num") for o in outcomes], rows, cls="ak-utuh",
                 widths=(24, 16, 12, 12, 12, 12, 12))
    )
    return _block(inner, keep=True)


# --------------------------------------------------------------------------------------
# Stages, assessors and follow-up (issue 8: the collection and panel workflow)
# --------------------------------------------------------------------------------------


def _panel_frames(path: Path) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The processed ``tahapan`` and ``tindak_lanjut`` tables of a year (None if absent)."""
    out = []
    for name in ("tahapan", "tindak_lanjut"):
        f = Path(path) / f"{name}.parquet"
        out.append(pd.read_parquet(f) if f.is_file() else None)
    return out[0], out[1]


def _stage_value(fw: Framework, code: str, x: float) -> str:
    if x is None or pd.isna(x):
        return "kosong"
    sc = fw.indicator(code).scoring
    if sc.method == "rubric" and float(x).is_integer():
        return str(int(x))
    return _plain_number(float(x)) + ("%" if sc.unit == "%" else "")


def tahapan(w: RegionView) -> HTML:
    """Where each score comes from (self-assessment, assessors, plenary), the gap between
    what the region claimed and what was verified, and what it did about last year's
    recommendations. Empty for a year given as final values only."""
    fw = w.framework
    stages, follow = _panel_frames(w.data.path)
    t = stages[stages["kode_wilayah"] == w.code] if stages is not None else None
    f = follow[follow["kode_wilayah"] == w.code] if follow is not None else None
    staged = t is not None and len(t) and bool((t["tahap"] != "final").any()
                                               or (t["jumlah_penilai"] > 0).any())
    if not staged and (f is None or f.empty):
        return HTML("")
    parts = []
    if staged:
        n = t["tahap"].value_counts()
        k = int(t["jumlah_penilai"].max())
        rule = "median" if fw.panel.consolidation == "median" else "rata-rata"
        said = [f"{int(n.get('final', 0))} dari keputusan pleno (final)",
                f"{int(n.get('verifikasi', 0))} dari hasil verifikasi ({rule} {k} penilai)"]
        if n.get("mandiri", 0):
            said.append(f"{int(n['mandiri'])} dari penilaian mandiri yang BELUM diverifikasi")
        over = t[t["klaim_berlebih"]]
        diff = t[(t["selisih_mandiri"].abs() > 1e-9) | t["beda_pendapat"]
                 | (t["tahap"] == "final")]
        higher = int((t["selisih_mandiri"] > 1e-9).sum())
        lower = int((t["selisih_mandiri"] < -1e-9).sum())
        rows = []
        for r in diff.itertuples(index=False):
            tags = []
            if r.beda_pendapat:
                tags.append('<span class="ak-tag ak-kuat">beda pendapat</span>')
            if r.klaim_berlebih:
                tags.append('<span class="ak-tag ak-kuat">klaim berlebih</span>')
            used = _stage_value(fw, r.kode_indikator, r.nilai_final if r.tahap == "final"
                                else r.nilai_verifikasi if r.tahap == "verifikasi"
                                else r.nilai_mandiri)
            rows.append(_tr([
                (_e(r.kode_indikator), ""), (_e(fw.indicator(r.kode_indikator).name), ""),
                (_e(_stage_value(fw, r.kode_indikator, r.nilai_mandiri)
                    if r.ada_mandiri else "–"), "num"),
                (_e(r.rincian_penilai.replace("; ", ", ") or "–"), ""),
                (f"{_e(used)} ({_e(r.tahap)})", "num"),
                (tanda(r.selisih_mandiri, 1), "num"), ("".join(tags), "ak-tanda")]))
        parts.append(
            "<h2>Tahap penilaian dan penilaian mandiri</h2>"
            f"<p>Skor {len(t)} indikator berasal dari: {_e('; '.join(said))}. Dibanding hasil "
            f"yang dipakai, penilaian mandiri lebih tinggi pada {higher} indikator dan lebih "
            f"rendah pada {lower}; {len(over)} indikator diklaim jauh lebih tinggi "
            f"(≥ {fw.panel.disagreement_levels} tingkat) atau tanpa bukti yang diterima.</p>"
            + (_table([("Kode", ""), ("Indikator", ""), ("Mandiri", "num"),
                       ("Nilai para penilai", ""), ("Dipakai", "num"), ("Selisih", "num"),
                       ("Tanda", "")], rows, widths=(5, 27, 8, 22, 14, 8, 16))
               if rows else "")
            + '<p class="ak-kecil">Hanya indikator yang berbeda antartahap, diperdebatkan '
              "penilai, atau diputuskan pleno yang ditampilkan. Selisih: skor penilaian "
              "mandiri dikurangi skor yang dipakai (poin 0–100; positif = klaim lebih tinggi). "
              f"{_e(fw.panel.describe())}</p>")
    if f is not None and len(f):
        done = f["status"].value_counts()
        rows = [_tr([(str(int(r.no)), "num"), (_e(r.kode_indikator or "–"), ""),
                     (_e(r.rekomendasi), ""), (_e(r.status or "belum diisi"), ""),
                     (_e(r.bukti or "–"), "ak-kode")])
                for r in f.sort_values(["tahun_rekomendasi", "no"]).itertuples(index=False)]
        year = int(f["tahun_rekomendasi"].max())
        counts = ", ".join(f"{int(done.get(s, 0))} {s}" for s in ("selesai", "dalam proses",
                                                                   "belum dimulai")
                           if done.get(s, 0))
        parts.append(
            f"<h2>Tindak lanjut rekomendasi {year}</h2>"
            f"<p>{len(f)} rekomendasi hasil penilaian {year}: {_e(counts or 'belum diisi')}, "
            "menurut laporan wilayah dalam buku kerja penilaian mandirinya.</p>"
            + _table([("No", "num"), ("Indikator", ""), ("Rekomendasi", ""), ("Status", ""),
                      ("Bukti", "")], rows, widths=(5, 10, 50, 13, 22)))
    return _block("".join(parts))
