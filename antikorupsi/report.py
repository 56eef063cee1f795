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
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML

from . import actions as act
from . import charts
from .errors import InputError, Problem
from .fmt import agregasi, angka, peringkat, persen, ringkas, tanda, tanggal
from .framework import Framework
from .maps import load_boundaries
from .scoring import DESIGNATION, ORIGIN, OVERALL, SCREEN, STATUS, Assessment, aggregate_matrix
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
    "summary",
    "indicator_strip",
    "screening",
    "components",
    "actions",
    "region_actions",
    "indicators",
    "change",
    "uncertainty",
    "tahapan",
    # annual report
    "annual_header",
    "province_map",
    "designations",
    "near_threshold",
    "screening_gaps",
    "ranking",
    "ranking_appendix",
    "ranking_uncertainty",
    "heatmap",
    "indicator_heatmap",
    "distribution",
    "movers",
    "screening_summary",
    # both
    "methodology",
    "rules",
    "provenance",
    "screening_counts",
    "screening_count_text",
    "issuer_for",
]

SYNTHETIC_BANNER = (
    "DATA SINTETIS — nilai indikator dibuat acak untuk contoh, bukan hasil penilaian KPK"
)
PROGRAMME = "Percontohan Kabupaten/Kota Antikorupsi"
#: Who issues a report covering several provinces, unless told otherwise (a province's
#: reports default to its Inspektorat: :func:`issuer_for`).
DEFAULT_ISSUER = "Tim Penilai Percontohan Kabupaten/Kota Antikorupsi"
#: Monte Carlo settings of the rank-uncertainty section (uncertainty.rank_uncertainty).
UNCERTAINTY_DRAWS = 10_000
UNCERTAINTY_PERTURBATION = 0.25
UNCERTAINTY_SEED = 20241209
#: The region report's action plan shows this many actions (more when the shortest path
#: to the threshold needs more); the rest are named in one line.
ACTIONS_SHOWN = 8
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
    def kind_means(self) -> dict[str, pd.DataFrame]:
        """Peers of the same kind (kabupaten / kota): mean component scores and totals
        with their counts, per (province, kind) under ``"provinsi"`` and per kind
        nationally under ``"nasional"``."""
        r = self.assessment.results
        cols = self.framework.component_codes + ["skor_total"]
        out = {}
        for key, by in (("provinsi", ["kode_provinsi", "jenis"]), ("nasional", ["jenis"])):
            means = r.groupby(by)[cols].mean()
            means["jumlah"] = r.groupby(by).size()
            out[key] = means
        return out

    @cached_property
    def indicator_scores(self) -> pd.DataFrame:
        """Regions x indicators: the scores after the missing-data policy."""
        return self.assessment.indicator_matrix()

    @cached_property
    def previous(self) -> YearData | None:
        """The previous year, or None (cached: the lookup reads its manifest)."""
        return self.previous_year()

    def history(self, code: str, max_years: int = 10) -> pd.DataFrame:
        """Total and component scores of one region over the consecutive scored years
        ending with this one (index: year, ascending; years the region was not scored
        stop the series)."""
        rows, d = {}, self
        cols = self.framework.component_codes + ["skor_total"]
        while d is not None and len(rows) < max_years and code in d.results.index:
            rows[d.year] = d.results.loc[code].reindex(cols).astype(float)
            d = d.previous
        return pd.DataFrame(rows).T.sort_index()

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
    data.kind_means  # noqa: B018
    data.indicator_scores  # noqa: B018
    if data.previous is not None:
        data.previous.indicator_scores  # noqa: B018
    load_boundaries()
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

    @cached_property
    def actions(self) -> list:
        """Each indicator's next step, ranked (:func:`antikorupsi.actions.next_actions`)."""
        return act.next_actions(self.framework, self.indicators)

    @cached_property
    def path(self):
        """The fewest steps to the threshold (:func:`antikorupsi.actions.shortest_path`)."""
        return act.shortest_path(self.framework, self.indicators)

    @cached_property
    def previous_scores(self) -> pd.Series | None:
        """Last year's indicator scores of this region (None without a previous year)."""
        prev = self.data.previous
        if prev is None or self.code not in prev.indicator_scores.index:
            return None
        return prev.indicator_scores.loc[self.code]

    @cached_property
    def previous_row(self) -> pd.Series | None:
        """Last year's results row of this region (None without one)."""
        prev = self.data.previous
        if prev is None or self.code not in prev.results.index:
            return None
        return prev.results.loc[self.code]


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
.ak-kartu > div { flex: 1 1 6.5rem; border: 1px solid #9a9a9a; padding: 0.3rem 0.5rem; }
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
.ak .ak-nowrap, .ak td.ak-nowrap { white-space: nowrap; }
.ak .ak-kepala { display: flex; gap: 0.8rem; align-items: flex-start; }
.ak .ak-kepala > div:first-child { flex: 1 1 auto; }
.ak .ak-terbit { font-size: 0.8rem; margin: 0 0 0.3rem; }
.ak figure.ak-peta-kecil { flex: 0 0 4.6cm; margin: 0; }
.ak figure.ak-peta-kecil figcaption { font-size: 0.66rem; }
.ak .ak-status { font-size: 1.02rem; border: 1.5px solid #000; padding: 0.35rem 0.55rem;
  margin: 0.4rem 0; }
.ak .ak-awas { border-left: 4px solid #000; padding: 0.15rem 0.5rem; margin: 0.4rem 0;
  background: #f0f0f0; }
.ak h3 { margin: 0.6rem 0 0.2rem; }
.ak table.ak-strip { width: 100%; table-layout: fixed; border-collapse: collapse;
  margin: 0.2rem 0; font-size: 0.7rem; }
.ak table.ak-strip th, .ak table.ak-strip td { text-align: center; padding: 0.05rem 0;
  border: 1px solid #bbb; }
.ak table.ak-strip th { background: #e4e4e4; font-size: 0.7rem; }
.ak table.ak-strip tr.ak-s-kode td { font-weight: bold; }
.ak table.ak-strip tr.ak-s-nilai td { line-height: 1.15; font-size: 0.74rem; }
.ak table.ak-strip td.ak-s-tinggi { background: #3a3a3a; color: #fff; }
.ak table.ak-strip td.ak-s-sedang { background: #d0d0d0; }
.ak table.ak-strip td.ak-s-rendah { background: #fff; }
.ak table.ak-strip td.ak-s-kosong { background: #fff; font-style: italic; }
.ak table.ak-strip tr.ak-s-ubah td { font-size: 0.66rem; white-space: nowrap; }
.ak .ak-isian { display: block; border-bottom: 1px dotted #555; height: 1.1rem; }
.ak td.ak-sumber { overflow-wrap: break-word; }
.ak .ak-bungkus { white-space: normal; display: inline-block; text-align: right; }
.ak table.ak-tabel td.num.ak-bungkus-sel { white-space: normal; }
.ak .ak-peta { display: flex; gap: 0.6rem; align-items: flex-start; }
.ak .ak-peta > figure { flex: 0 0 58%; margin: 0; }
.ak .ak-peta > div { flex: 1 1 auto; }
.ak h2.ak-lampiran { break-before: page; page-break-before: always; }
@media print { .ak { font-size: 0.92rem; } }
</style>
"""


def _breakable(x: object) -> str:
    """Escaped text whose long paths and addresses may wrap after ``/``, ``_`` or ``.``
    rather than in the middle of a word."""
    return re.sub(r"([/_.])(?=\S)", r"\1<wbr>", _e(x))


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

#: Symbols of the indicator strip: score >= threshold, >= half the scale, below, no
#: evidence. Printed beside the score, so the strip reads without colour.
_STRIP = {"tinggi": "●", "sedang": "◐", "rendah": "○", "kosong": "✕"}
#: Screening outcomes that leave a criterion not (yet) assessable.
_OPEN = (SCREEN["unknown"], SCREEN["stale"], SCREEN["none"])

def _empty_components_reason(w: RegionView) -> str:
    """Why a region at the threshold is not designated: a component without evidence
    (framework rule ``missing_policy.empty_component: refuse_designation``); "" else."""
    empty = str(w.row.get("komponen_tanpa_bukti", "") or "")
    if not empty or w.framework.empty_component != "refuse_designation":
        return ""
    return (f"komponen {empty} tidak punya bukti sama sekali, dan menurut kerangka wilayah "
            "dengan komponen tanpa bukti tidak dapat ditetapkan")


def _criterion_indicator(fw: Framework, code: str) -> str | None:
    """The indicator that measures the same thing as a screening criterion.

    The framework may name it (``indicator: I01`` on the criterion); otherwise an
    indicator with exactly the criterion's name is taken (``Skor MCP``).
    """
    crit = next((c for c in fw.screening if c.code == code), None)
    if crit is None:
        return None
    named = getattr(crit, "indicator", None)
    if named:
        return str(named)
    same = [i.code for i in fw.indicators if i.name.casefold() == crit.name.casefold()]
    return same[0] if len(same) == 1 else None


def _synthetic_figure(x) -> bool:
    """A screening row flagged synthetic (a ``sintetis`` column, when the scoring writes
    one, e.g. for a figure taken from a synthetic indicator) or whose source or note says
    it is."""
    flag = getattr(x, "sintetis", False)
    return (bool(flag) and not pd.isna(flag)) or "sintetis" in f"{x.sumber} {x.catatan}".lower()


def _screening_origin(s: pd.DataFrame) -> str:
    """Whether the screening figures of ``s`` are published ones or synthetic."""
    has = s[s["nilai"].astype(str).str.strip() != ""]
    if has.empty:
        return "Belum ada angka penyaringan."
    said = (has["sumber"].astype(str) + " " + has["catatan"].astype(str)).str.lower()
    flagged = said.str.contains("sintetis")
    if "sintetis" in has.columns:  # a flag column, when the scoring writes one
        flagged |= has["sintetis"].fillna(False).astype(bool)
    n_syn = int(flagged.sum())
    if n_syn == len(has):
        return "Semua angka penyaringan di sini adalah DATA SINTETIS, bukan angka terbitan."
    if n_syn:
        return (f"{angka(n_syn, 0)} dari {angka(len(has), 0)} angka penyaringan adalah DATA "
                "SINTETIS (bertanda sintetis); yang lain angka terbitan dengan sumbernya.")
    return "Angka penyaringan adalah angka terbitan, masing-masing dengan sumbernya."


def _screening_number(fw: Framework, code: str, text: str) -> str:
    """A screening value as printed: numbers with a decimal comma, grades as given."""
    from .inputs import parse_number

    crit = next((c for c in fw.screening if c.code == code), None)
    if crit is not None and crit.kind != "grade":
        x = parse_number(str(text))
        if x is not None:
            return _plain_number(x)
    return str(text)


def _indicator_value_for(w: RegionView, code: str) -> tuple[str, float, bool] | None:
    """(indicator code, its score, synthetic) when the criterion has a counterpart
    indicator with a value in this region."""
    ind = _criterion_indicator(w.framework, code)
    if ind is None or ind not in w.indicators.index:
        return None
    x = w.indicators.loc[ind]
    if x["status"] != STATUS["present"] or pd.isna(x["skor"]):
        return None
    return ind, float(x["skor"]), bool(x["sintetis"])


def _screening_gap_text(w: RegionView, x) -> str:
    """Why a criterion without a figure has none, in one phrase (never "tidak ada data"
    when the same quantity has a value elsewhere in the report)."""
    other = _indicator_value_for(w, x.kriteria)
    if other is None:
        return "tidak ada data"
    ind, score, synthetic = other
    return (f"belum ada angka terbitan; skor {angka(score)} pada indikator {ind}"
            + (" adalah data sintetis dan" if synthetic else "")
            + " tidak dipakai untuk penyaringan")


def screening_counts(scr: pd.DataFrame) -> dict[str, int]:
    """Criteria per outcome of the rows ``scr``: ``lulus``, ``tidak lulus``, and the three
    kinds of not yet assessable (``tanpa data``, ``kedaluwarsa``, ``tanpa ambang``),
    counted by :func:`antikorupsi.scoring.screening_counts` (all rows as one group)."""
    from .scoring import screening_counts as count

    c = count(scr.assign(kode_wilayah=""))
    row = c.iloc[0] if len(c) else pd.Series(0, index=c.columns)
    return {label: int(row[column]) for label, column in (
        ("lulus", "lulus"), ("tidak lulus", "tidak_lulus"), ("tanpa data", "tidak_diketahui"),
        ("kedaluwarsa", "kedaluwarsa"), ("tanpa ambang", "tanpa_ambang"))}


def screening_count_text(scr: pd.DataFrame) -> str:
    """``"4 lulus, 4 belum dapat dinilai (4 tanpa ambang terbitan)"``: never "all
    criteria met" when some were not assessed."""
    c = screening_counts(scr)
    parts = [f"{c['lulus']} lulus"]
    if c["tidak lulus"]:
        parts.append(f"{c['tidak lulus']} tidak lulus")
    kinds = [(c["tanpa data"], "tanpa data"), (c["kedaluwarsa"], "datanya kedaluwarsa"),
             (c["tanpa ambang"], "ambangnya tidak dipublikasikan")]
    kinds = [(n, what) for n, what in kinds if n]
    open_ = sum(n for n, _ in kinds)
    if len(kinds) == 1:
        parts.append(f"{open_} belum dapat dinilai karena {kinds[0][1]}")
    elif kinds:
        parts.append(f"{open_} belum dapat dinilai: "
                     + ", ".join(f"{n} {what}" for n, what in kinds))
    return ", ".join(parts)


def _failed_text(w: RegionView) -> str:
    """The failed criteria with value, data year and threshold."""
    s = w.screening[w.screening["hasil"] == SCREEN["fail"]]
    out = []
    for x in s.itertuples(index=False):
        year = "" if pd.isna(x.tahun_data) else f" pada {int(x.tahun_data)}"
        origin = str(getattr(x, "asal_nilai", "") or "")
        if origin.startswith(ORIGIN["indicator"]):  # not a published figure: say so
            year += f", nilai {origin}" + (", sintetis" if _synthetic_figure(x) else "")
        out.append(f"{x.nama_kriteria} ({_screening_number(w.framework, x.kriteria, x.nilai)}"
                   f"{year}; ambang {_math(x.ambang)})")
    return "; ".join(out)


def _unknown_names(w: RegionView) -> list[str]:
    s = w.screening[w.screening["hasil"].isin([SCREEN["unknown"], SCREEN["stale"]])]
    return [f"{x.nama_kriteria}" + (" (kedaluwarsa)" if x.hasil == SCREEN["stale"] else "")
            for x in s.itertuples(index=False)]


def _status_sentence(w: RegionView) -> str:
    """Score, category, designation and the reason, in one sentence."""
    r, fw = w.row, w.framework
    thr = angka(fw.threshold, 0)
    total = float(r["skor_total"])
    head = (f"{_e(w.name)} memperoleh skor total <strong>{angka(total)}</strong> "
            f"(kategori {_e(r['kategori'])})")
    failed = _failed_text(w)
    unknown = _unknown_names(w)
    if r["penetapan"] == DESIGNATION["yes"]:
        return (f"{head} dan <strong>memenuhi syarat ditetapkan</strong> sebagai percontohan: "
                f"skor total ≥ {thr} dan lulus penyaringan "
                f"({_e(screening_count_text(w.screening))}).")
    if r["penetapan"] == DESIGNATION["pending"]:
        return (f"{head}, di atas ambang {thr}, tetapi <strong>penetapannya tertunda</strong>: "
                f"{len(unknown)} kriteria penyaringan yang punya ambang belum diketahui: "
                f"{_e('; '.join(unknown))}.")
    reasons = []
    if not fw.reaches_threshold(total):
        reasons.append(f"skor total {angka(fw.threshold - total)} poin di bawah ambang {thr}")
    if failed:
        reasons.append(f"tidak lulus penyaringan {_e(failed)}")
    empty = _empty_components_reason(w)
    if empty:
        reasons.append(_e(empty))
    return (f"{head} dan <strong>tidak ditetapkan</strong>: "
            + (", dan ".join(reasons) if reasons else "penyaringan tidak lulus") + ".")


def _gain_text(a) -> str:
    return ("hingga " if a.kind == "bukti" else "") + f"+{angka(a.gain)} poin"


def _evidence_reach(w: RegionView) -> float | None:
    """The total if every indicator without evidence got its best score (None when all
    have evidence)."""
    missing = [a for a in w.actions if a.kind == "bukti"]
    if not missing:
        return None
    m = w.indicators["skor"].astype(float).to_frame().T
    for a in missing:
        m[a.indicator] = a.to_score
    return float(aggregate_matrix(m[w.framework.indicator_codes], w.framework)[1].iloc[0])


def _blockers(w: RegionView) -> list[str]:
    """What stands between the region and designation, one item per kind."""
    r, fw = w.row, w.framework
    thr = angka(fw.threshold, 0)
    total = float(r["skor_total"])
    out = []
    if not fw.reaches_threshold(total):
        out.append(f"<strong>Skor total</strong> kurang {angka(fw.threshold - total)} poin "
                   f"dari ambang {thr}.")
    empty = _empty_components_reason(w)
    if empty:
        out.append(f"<strong>Komponen tanpa bukti:</strong> {_e(empty)}.")
    failed = _failed_text(w)
    if failed:
        out.append(f"<strong>Tidak lulus penyaringan:</strong> {_e(failed)}.")
    open_rows = w.screening[w.screening["hasil"].isin([SCREEN["unknown"], SCREEN["stale"]])]
    if len(open_rows):
        items = []
        for x in open_rows.itertuples(index=False):
            why = _screening_gap_text(w, x)
            if x.hasil == SCREEN["stale"]:
                year = "" if pd.isna(x.tahun_data) else f" {int(x.tahun_data)}"
                value = _screening_number(w.framework, x.kriteria, x.nilai)
                why = (f"angka terakhir ({value}, tahun{year}) kedaluwarsa"
                       + (why.partition(";")[1] + why.partition(";")[2]
                          if why != "tidak ada data" else ""))
            items.append(f"{x.nama_kriteria}: {why}")
        what = ("menunda penetapan" if fw.reaches_threshold(total)
                else "diperlukan sebelum penetapan")
        out.append(f"<strong>Data penyaringan belum ada</strong> ({what}):<br>"
                   + "<br>".join(f"– {_e(i)}" for i in items))
    missing = [a for a in w.actions if a.kind == "bukti"]
    if missing:
        names = "; ".join(f"{a.indicator} {fw.indicator(a.indicator).name} ({_gain_text(a)})"
                          for a in missing)
        reach = _evidence_reach(w)
        extra = ""
        if reach is not None and not fw.reaches_threshold(total) and fw.reaches_threshold(reach):
            extra = (f" Bila buktinya menunjukkan nilai terbaik, skor total dapat mencapai "
                     f"{angka(reach)}, di atas ambang {thr}.")
        out.append(f"<strong>Bukti belum diserahkan:</strong> {_e(names)}.{extra}")
    return out


def _steps_text(path, merged) -> str:
    """``"12 langkah pada 10 indikator"``; ``"3 langkah"`` when each indicator takes one."""
    n, k = len(merged), len(path.steps)
    return f"{k} langkah" + (f" pada {n} indikator" if k != n else "")


def _path_sentence(w: RegionView, detail: bool = False) -> str:
    """The shortest path in one sentence; ``detail`` lists the indicators."""
    fw, p = w.framework, w.path
    thr = angka(fw.threshold, 0)
    if not p.steps and p.reached:
        return (f"Skor total sudah ≥ {thr}. Langkah di atas memperlebar selisih dari ambang, "
                "sehingga status tidak mudah berubah bila bobot atau nilai bergeser.")
    merged = p.by_indicator()
    listed = ", ".join(f"{a.indicator} ke {a.target}" for a in merged)
    if not p.reached:
        return (f"Tidak ada jalur ke {thr}: semua langkah yang mungkin hanya membawa skor total "
                f"ke {angka(p.total)}.")
    evidence = (" Jalur ini menghitung bukti yang belum diserahkan pada nilai terbaiknya."
                if p.needs_evidence else "")
    where = (f" ({_e(listed)})" if len(merged) <= 3 else
             " (rinciannya di bagian Rekomendasi)" if not detail else "")
    return (f"<strong>Jalur terpendek ke {thr}:</strong> {_steps_text(p, merged)}{where} "
            f"membawa skor total dari "
            f"{angka(p.start)} ke {angka(p.total)}.{evidence}")


def _weight_caveat(w: RegionView) -> str:
    fw = w.framework
    u = w.data.uncertainty.table
    if w.code not in u.index or pd.isna(u.loc[w.code, "p_istimewa"]):
        return ""
    p = float(u.loc[w.code, "p_istimewa"])
    if not 0.05 < p < 0.95:
        return ""
    thr = angka(fw.threshold, 0)
    above = bool(fw.reaches_threshold(float(w.row["skor_total"])))
    return ('<p class="ak-awas"><strong>Perhatian:</strong> '
            + (f"kategori {_e(fw.designation_label)} ini" if above
               else f"jarak dari ambang {thr} ini")
            + f" bergantung pada bobot yang diasumsikan. Bila bobot komponen diubah dalam "
              f"batas yang masuk akal, skor total mencapai {thr} hanya pada {persen(p, 0)} "
              "simulasi (rincian di bagian Ketidakpastian peringkat).</p>")


def _strip_class(fw: Framework, x: pd.Series) -> str:
    if x["status"] != STATUS["present"]:
        return "kosong"
    s = float(x["skor"])
    return "tinggi" if fw.reaches_threshold(s) else "sedang" if s >= 50 else "rendah"


def _arrow(delta: float | None) -> str:
    if delta is None or pd.isna(delta):
        return '<span class="ak-kecil">baru</span>'
    d = round(float(delta), 1)
    if d > 0:
        return f"▲{angka(d, 0 if d.is_integer() else 1)}"
    if d < 0:
        return f"▼{angka(-d, 0 if d.is_integer() else 1)}"
    return "="


def indicator_strip(w: RegionView) -> str:
    """The 19 indicators in one row: symbol and score, and the change since last year."""
    fw = w.framework
    prev = w.previous_scores
    heads, marks, moves = [], [], []
    groups = []
    for c in fw.components:
        codes = [i.code for i in fw.indicators if i.component == c.code]
        groups.append(f'<th colspan="{len(codes)}">{_e(c.code)}</th>')
        for code in codes:
            x = w.indicators.loc[code]
            cls = _strip_class(fw, x)
            score = "–" if pd.isna(x["skor"]) else angka(x["skor"], 0)
            heads.append(f"<td>{_e(code[1:] if code[0] == 'I' else code)}</td>")
            marks.append(f'<td class="ak-s-{cls}">{_STRIP[cls]}<br>{score}</td>')
            delta = (None if prev is None or pd.isna(prev.get(code, np.nan))
                     or pd.isna(x["skor"]) else float(x["skor"]) - float(prev[code]))
            moves.append(f"<td>{_arrow(delta)}</td>" if prev is not None else "<td></td>")
    year = w.data.year
    legend = (f"Angka atas: nomor indikator (I01–I{len(fw.indicators):02d}); tengah: skor "
              f"0–100. {_STRIP['tinggi']} ≥ {angka(fw.threshold, 0)}, {_STRIP['sedang']} "
              f"50 sampai di bawah {angka(fw.threshold, 0)}, {_STRIP['rendah']} di bawah 50, "
              f"{_STRIP['kosong']} tanpa bukti. "
              + (f"Bawah: perubahan skor dari {year - 1} (▲ naik, ▼ turun, = tetap)."
                 if prev is not None else f"Tidak ada data {year - 1} untuk perbandingan."))
    rows = (f"<tr>{''.join(groups)}</tr><tr class=\"ak-s-kode\">{''.join(heads)}</tr>"
            f"<tr class=\"ak-s-nilai\">{''.join(marks)}</tr>"
            + (f"<tr class=\"ak-s-ubah\">{''.join(moves)}</tr>" if prev is not None else ""))
    return (f'<div class="ak-utuh"><h3>Sekilas {len(fw.indicators)} indikator</h3>'
            f'<table class="ak-strip">{rows}</table>'
            f'<p class="ak-kecil">{_e(legend)}</p></div>')


def _locator(w: RegionView, boundaries: str | None) -> str:
    """The locator map, or a line saying why there is none."""
    try:
        b = load_boundaries(boundaries or None)
    except InputError as exc:
        return f'<p class="ak-kecil">Peta lokasi tidak dibuat: {_e(exc.problems[0])}</p>'
    r = w.data.results
    province = r.index[r["kode_provinsi"] == w.row["kode_provinsi"]]
    if w.code not in b:
        return (f'<p class="ak-kecil">Peta lokasi tidak tersedia: batas wilayah Provinsi '
                f'{_e(w.row["provinsi"])} belum disertakan (berkas GeoJSON sendiri dapat '
                "diberikan dengan opsi --boundaries).</p>")
    fig = charts.locator_map(b.for_codes(list(province)), w.code)
    return (f'<figure class="ak-peta-kecil">{charts.svg(fig)}<figcaption>Lokasi '
            f'{_e(w.name)} (hitam) di Provinsi {_e(w.row["provinsi"])}.</figcaption></figure>')


def _issued(unit: str, day) -> str:
    return (f'<p class="ak-terbit">Diterbitkan oleh <strong>{_e(unit)}</strong> · '
            f"{_e(tanggal(day))}</p>")


def _report_date(text: str | None):
    """A ``YYYY-MM-DD`` parameter as a date; empty: today."""
    from datetime import date

    if not text:
        return date.today()
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(Problem("report_date", "tanggal laporan tidak dikenal", value=text,
                                 expected="format TTTT-BB-HH, mis. 2025-12-09")) from None


def issuer_for(province: str | None) -> str:
    """The default issuing unit: the province's Inspektorat (it sends the reports)."""
    return f"Inspektorat Provinsi {province}" if province else DEFAULT_ISSUER


def header(w: RegionView, issuing_unit: str = "", report_date: str = "",
           boundaries: str = "") -> HTML:
    """Title, issuing unit and date, synthetic-data banner, key figures and the locator
    map of one region.

    Parameters
    ----------
    w : RegionView
    issuing_unit : str, optional
        Who issues the report; default "Inspektorat Provinsi <provinsi>".
    report_date : str, optional
        ``YYYY-MM-DD``; default today.
    boundaries : str, optional
        A GeoJSON file of kabupaten/kota outlines; default the shipped ones (Banten).
    """
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
    ]
    if not same:
        cards.append(_card("Peringkat nasional",
                           _e(peringkat(r["peringkat"], r["jumlah_wilayah"]))))
    cards.append(_card("Bukti indikator", f"{present} dari {n_ind}",
                       f"{int(r['indikator_kosong'])} belum diserahkan"
                       if r["indikator_kosong"] else "semua diserahkan"))
    unit = issuing_unit.strip() if issuing_unit else issuer_for(str(r["provinsi"]))
    locator = _locator(w, boundaries)
    inner = (
        '<div class="ak-kepala"><div>'
        f'<p class="ak-judul-atas">Laporan penilaian {PROGRAMME} {d.year}</p>'
        f"<h1>{_e(w.name)}</h1>"
        f'<p class="ak-sub">{_e(str(r["jenis"]).capitalize())} di Provinsi '
        f'{_e(r["provinsi"])} · kode wilayah <span class="ak-nowrap">{_e(w.code)}</span> · '
        f'<span class="ak-nowrap">kerangka {_e(w.framework.id)} (versi '
        f'{_e(w.framework.version)})</span></p>'
        + _issued(unit, _report_date(report_date))
        + (locator + "</div>" if not locator.startswith("<figure") else
           "</div>" + locator) + "</div>"
        + _banner(d)
        + f'<div class="ak-kartu">{"".join(cards)}</div>'
    )
    return HTML(_CSS + f'<div class="ak">{inner}</div>')


def summary(w: RegionView, n: int = 3) -> HTML:
    """Page 1 for the regional head: status and reason, what blocks designation, the
    ``n`` priority actions with the points each adds, the shortest path to the
    threshold, a caveat when the result depends on the weights, and the indicator strip.
    """
    fw = w.framework
    top = w.actions[:n]
    rows = []
    for k, a in enumerate(top, start=1):
        ind = fw.indicator(a.indicator)
        what = (f"<strong>{_e(a.indicator)} {_e(ind.name)}</strong>: {_e(act.KIND[a.kind])}"
                f" ({_e(a.current)} → {_e(a.target)})")
        rows.append(_tr([(str(k), "num"), (what, ""), (_e(a.opd or "–"), "ak-kecil"),
                         (_gain_text(a), "num")]))
    blockers = _blockers(w)
    if rows:
        count = {1: "Satu", 2: "Dua", 3: "Tiga", 4: "Empat", 5: "Lima"}.get(len(rows),
                                                                        str(len(rows)))
        pending = w.row["penetapan"] == DESIGNATION["pending"]
        actions_html = (
            f"<h3>{count} langkah prioritas</h3>"
            + ("<p>Yang pertama: lengkapi data penyaringan di atas, karena itulah yang menunda "
               "penetapan. Langkah berikut menambah skor total dan memperlebar selisih dari "
               "ambang.</p>" if pending else "")
            + _table([("No.", "num"), ("Langkah", ""), ("Penanggung jawab", ""),
                      ("Tambahan skor total", "num")], rows, widths=(6, 56, 22, 16))
            + ('<p class="ak-kecil">Urutan: bukti yang belum diserahkan lebih dulu, lalu '
               "langkah dengan tambahan skor total terbesar (dihitung ulang dengan bobot "
               "kerangka). Rincian dan rencana aksi: bagian Rekomendasi.</p>"))
    else:
        actions_html = "<p>Semua indikator sudah pada nilai terbaiknya.</p>"
    inner = (
        "<h2>Ringkasan untuk Kepala Daerah</h2>"
        f'<p class="ak-status">{_status_sentence(w)}</p>'
        + _weight_caveat(w)
        + '<div class="ak-utuh"><h3>Yang menghalangi penetapan</h3>'
        + ("<ul>" + "".join(f"<li>{b}</li>" for b in blockers) + "</ul>" if blockers
           else "<p>Tidak ada: skor total dan penyaringan memenuhi syarat.</p>")
        + "</div>"
        + f'<div class="ak-utuh">{actions_html}<p>{_path_sentence(w)}</p></div>'
        + indicator_strip(w)
    )
    return _block(inner)


def screening(w: RegionView) -> HTML:
    """The eight screening criteria: value, data year, threshold, result and source."""
    rows = []
    fw = w.framework
    threshold_sources = {x for x in w.screening["sumber_ambang"] if x}
    # A note repeated on several rows is printed once, below the table, as [a], [b]...
    # the same note joined from several data rows (e.g. two years of BPK opinions) once
    scr = w.screening.assign(catatan=w.screening["catatan"].map(
        lambda n: "; ".join(dict.fromkeys(p.strip() for p in str(n).split(";") if p.strip()))))
    counts = scr["catatan"][scr["catatan"] != ""].value_counts()
    marks = {note: f"[{chr(97 + i)}]" for i, note in enumerate(n for n, k in counts.items()
                                                              if k > 1)}
    for x in scr.itertuples(index=False):
        has_value = str(x.nilai).strip() != ""
        tags = ""
        if has_value:
            value = _e(_screening_number(fw, x.kriteria, x.nilai))
            if _synthetic_figure(x):
                tags += '<span class="ak-tag">sintetis</span>'
            # the scoring's staleness flag (every criterion), not a second copy of the rule
            if getattr(x, "kedaluwarsa", False) or x.hasil == SCREEN["stale"]:
                tags += '<span class="ak-tag ak-kuat">kedaluwarsa</span>'
            value += ("<br>" + tags) if tags else ""
        else:
            gap = _screening_gap_text(w, x)
            head, _, rest = gap.partition("; ")
            value = f'<span class="ak-hasil-kosong ak-bungkus">{_e(head)}</span>'
            if rest:
                x = x._replace(catatan=(rest[0].upper() + rest[1:] + "."
                                        + (f" {x.catatan}" if x.catatan else "")))
        year = "–" if pd.isna(x.tahun_data) else str(int(x.tahun_data))
        threshold = _e(_math(x.ambang))
        if x.sumber_ambang and len(threshold_sources) > 1:
            threshold += f'<br><span class="ak-kecil">sumber: {_e(x.sumber_ambang)}</span>'
        source = _breakable(x.sumber) if x.sumber else ""
        origin_of = str(getattr(x, "asal_nilai", "") or "")
        if has_value and origin_of.startswith(ORIGIN["indicator"]):
            # the cells behind it are in the processed table; here: where it came from
            source = f"nilai {_e(origin_of)} tahun {year}, bukan angka terbitan"
        if x.catatan:
            note = f"catatan {marks[x.catatan]}" if x.catatan in marks else _e(x.catatan)
            source += ("<br>" if source else "") + f'<span class="ak-kecil">{note}</span>'
        rows.append(_tr([(_e(x.nama_kriteria), ""), (value, "num ak-bungkus-sel"),
                         (year, "tengah"), (threshold, ""), (_result_html(x.hasil), ""),
                         (source or "–", "ak-kecil ak-sumber")]))
    policy = ("kriteria tanpa data menunda penetapan" if fw.missing_screening == "pending"
              else "kriteria tanpa data dianggap tidak lulus")
    age = (f"; angka yang lebih tua dari {fw.max_data_age_years} tahun sebelum {w.data.year} "
           "kedaluwarsa" if fw.max_data_age_years is not None else "")
    origin = _screening_origin(w.screening)
    inner = (
        "<h2>Penyaringan awal</h2>"
        f"<p>Hasil penyaringan: <strong>{_e(w.row['penyaringan'])}</strong> "
        f"({_e(screening_count_text(w.screening))}). {origin} Kriteria tanpa angka dibiarkan "
        f"kosong ({policy}{age}).{_screening_origin_note(w.screening)}</p>"
        + _table([("Kriteria", ""), ("Nilai", "num"), ("Tahun data", "tengah"),
                  ("Ambang", ""), ("Hasil", ""), ("Sumber", "")], rows,
                 widths=(23, 15, 7, 15, 14, 26))
        + "".join(f'<p class="ak-kecil">{m} {_e(n)}</p>' for n, m in marks.items())
        + '<p class="ak-kecil">✓ lulus · ✗ tidak lulus · ? tidak diketahui (tanpa data) · '
        "– tanpa ambang (ambang tidak dipublikasikan, tidak dapat dinilai) · ! kedaluwarsa."
        + (f" Sumber ambang: {_e(next(iter(threshold_sources)))}."
           if len(threshold_sources) == 1 else "") + "</p>"
    )
    return _block(inner, keep=True)  # eight rows: keep heading, table and notes together


def _screening_origin_note(screen: pd.DataFrame) -> str:
    """The exception to "screening figures are published figures": values taken from the
    indicator of the same fact (the MCP score from I01), and synthetic ones; "" if none."""
    if "asal_nilai" not in screen:
        return ""
    taken = screen[screen["asal_nilai"].astype(str).str.startswith(ORIGIN["indicator"])]
    if taken.empty:
        return ""
    names = ", ".join(dict.fromkeys(f"{n} dari {o}" for n, o in
                                    zip(taken["nama_kriteria"], taken["asal_nilai"])))
    synthetic = bool(taken["sintetis"].any()) if "sintetis" in taken else False
    return (f" Tanpa angka terbitan tahun penilaian, nilai diambil dari indikator yang sama "
            f"({_e(names)})" + (", bertanda sintetis" if synthetic else "") + ".")


def _component_labels(fw: Framework) -> dict[str, str]:
    return {c.code: f"{c.code} {c.name}" for c in fw.components}


def _peers(w: RegionView) -> list[tuple[str, pd.Series]]:
    """Comparison columns: province average, same kind in the province, same kind
    nationally (when there is more than one province), each with its label."""
    d, r = w.data, w.row
    cols = w.framework.component_codes + ["skor_total"]
    out = []
    pm = d.province_means.loc[r["kode_provinsi"]]
    if int(pm["jumlah"]) > 1:
        out.append((f"Rata-rata Provinsi {r['provinsi']} ({int(pm['jumlah'])} wilayah)",
                    pm[cols]))
    kind = str(r["jenis"])
    kp = d.kind_means["provinsi"]
    key = (r["kode_provinsi"], r["jenis"])
    if key in kp.index and int(kp.loc[key, "jumlah"]) > 1:
        out.append((f"Rata-rata {kind} di {r['provinsi']} ({int(kp.loc[key, 'jumlah'])})",
                    kp.loc[key, cols]))
    multi = d.results["kode_provinsi"].nunique() > 1
    kn = d.kind_means["nasional"]
    if multi and r["jenis"] in kn.index:
        out.append((f"Rata-rata {kind} nasional ({angka(int(kn.loc[r['jenis'], 'jumlah']), 0)})",
                    kn.loc[r["jenis"], cols]))
    if not out:
        out.append((f"Rata-rata seluruh wilayah ({len(d.results)})", d.overall_means[cols]))
    return out


def components(w: RegionView) -> HTML:
    """Component scores, their change since last year, and peers: the province
    average, the same kind (kabupaten/kota) in the province and nationally."""
    fw, d, r = w.framework, w.data, w.row
    codes = fw.component_codes
    peers = _peers(w)
    comp_label, comp = peers[0]
    scores = r[codes].astype(float)
    fig = charts.component_bars(scores, comp[codes], _component_labels(fw),
                                threshold=fw.threshold, region_label=w.name,
                                comparison_label=comp_label)
    cw = fw.component_weights()
    prev = w.previous_row
    has_prev = prev is not None

    def cells(code: str, value: float) -> list[tuple[str, str]]:
        out = [(angka(value) + (_bar(value) if code != "skor_total" else ""), "num")]
        if has_prev:
            before = prev.get(code, np.nan)
            out.append((tanda(value - float(before)) if pd.notna(before) else "–", "num"))
        out += [(angka(p[code]), "num") for _, p in peers]
        return out

    rows = []
    for c in fw.components:
        rows.append(_tr([(_e(c.code), ""), (_e(c.name), ""), (persen(cw[c.code]), "num")]
                        + cells(c.code, float(scores[c.code]))))
    rows.append(_tr([("", ""), ("Skor total", ""), (persen(cw.sum()), "num")]
                    + cells("skor_total", float(r["skor_total"])), "ak-sorot"))
    headers = [("Kode", ""), ("Komponen", ""), ("Bobot", "num"), ("Skor", "num")]
    if has_prev:
        headers.append((f"Δ {d.year - 1}", "num"))
    letters = "ABC"
    headers += [(f"Pemb. {letters[k]}", "num") for k in range(len(peers))]
    legend = "; ".join(f"{letters[k]}: {label}" for k, (label, _) in enumerate(peers))
    widths = [5, 33, 8, 15] + ([9] if has_prev else []) + [11] * len(peers)
    widths = [round(100 * x / sum(widths), 1) for x in widths]
    caption = (f"Skor enam komponen {_e(w.name)} (batang gelap) dibandingkan "
               f"{_e(comp_label[0].lower() + comp_label[1:])} (batang berarsir); "
               "garis putus-putus: ambang "
               f"penetapan {angka(fw.threshold, 0)}.{_synthetic_note(d)}")
    inner = (
        '<div class="ak-utuh"><h2>Skor per komponen</h2>'
        + _figure(charts.svg(fig), caption) + "</div>"
        + '<div class="ak-utuh">'
        + _table(headers, rows, widths=widths)
        + f'<p class="ak-kecil">Pembanding (Pemb.) {_e(legend)}.'
        + (f" Δ: perubahan dari {d.year - 1}; skor {d.year - 1} dihitung dengan kerangka "
           "tahun itu." if has_prev else "") + "</p></div>"
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
    """The 19 indicator scores grouped by component, with their change since last year,
    flags and evidence."""
    fw, r = w.framework, w.row
    cw = fw.component_weights()
    prev = w.previous_scores
    ncol = 7 if prev is not None else 6
    rows = []
    for c in fw.components:
        rows.append(_tr([(f"{_e(c.code)} {_e(c.name)} — skor {angka(r[c.code])}, bobot "
                          f"{persen(cw[c.code])}", "")], "ak-grup").replace(
            "<td", f'<td colspan="{ncol}"', 1))
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
            cells = [(_e(ind.code), ""), (name, ""), (_value_text(fw, ind.code, x), "num"),
                     (angka(x["skor"]) + _bar(x["skor"]), "num")]
            if prev is not None:
                before = prev.get(ind.code, np.nan)
                cells.append((tanda(float(x["skor"]) - float(before))
                              if pd.notna(before) and pd.notna(x["skor"]) else "–", "num"))
            cells += [(persen(x["bobot_efektif"]), "num"), (_flags(x), "ak-tanda")]
            rows.append(_tr(cells))
    treatment = {"zero": "diberi skor 0", "renormalise": "dikeluarkan dan bobotnya dibagi ke "
                 "indikator lain dalam komponennya", "province_mean": "diisi rata-rata provinsi"}
    synthetic = "<em>sintetis</em> = nilai dibuat acak untuk contoh; " if bool(
        w.indicators["sintetis"].any()) else ""
    legend = (
        "Nilai: angka masukan (rubrik: tingkat dan labelnya). Skor: 0–100 setelah "
        "penskoran (aturannya di Lampiran). "
        + (f"Δ: perubahan skor dari {w.data.year - 1}. " if prev is not None else "")
        + f"Bobot: bagian indikator dalam skor total. Tanda: {synthetic}"
        "<em>asumsi</em> = bobot dan "
        "cara penskoran tidak dipublikasikan KPK; <em>kosong</em> = tanpa bukti, "
        f"{treatment.get(fw.missing_indicator, fw.missing_indicator)}. Bukti: rujukan dokumen "
        "pendukung nilai."
    )
    headers = [("Kode", ""), ("Indikator dan rujukan bukti", ""), ("Nilai", "num"),
               ("Skor", "num")]
    widths = [5, 44, 13, 13]
    if prev is not None:
        headers.append((f"Δ {w.data.year - 1}", "num"))
        widths = [5, 37, 13, 13, 8]
    headers += [("Bobot", "num"), ("Tanda", "")]
    widths += [7, 17]
    inner = (
        "<h2>Skor per indikator</h2>"
        + _table(headers, rows, widths=widths)
        + f'<p class="ak-kecil">{legend}</p>'
    )
    return _block(inner)


def actions(w: RegionView) -> HTML:
    """Recommendations ranked by the points they add, the shortest path to the
    threshold, and an action plan (indicator, responsible OPD, target, deadline)."""
    fw = w.framework
    thr = angka(fw.threshold, 0)
    path_steps = {a.indicator for a in w.path.steps}
    # The plan lists the steps that matter: the shortest path and the largest gains; the
    # many small ones are named in one line (all of them: region_actions / the
    # antikorupsi.actions table).
    keep = max(ACTIONS_SHOWN, sum(1 for a in w.actions if a.indicator in path_steps))
    shown, rest = w.actions[:keep], w.actions[keep:]
    if len(rest) <= 2:
        shown, rest = w.actions, []
    rows = []
    for k, a in enumerate(shown, start=1):
        ind = fw.indicator(a.indicator)
        opd = _e(a.opd or "–") + (' <span class="ak-tag">asumsi</span>'
                                  if a.opd and a.opd_assumption else "")
        mark = " ◆" if a.indicator in path_steps else ""
        rows.append(_tr([
            (f"{k}{mark}", "num"),
            (f"<strong>{_e(a.indicator)} {_e(ind.name)}</strong><br>"
             f'<span class="ak-kecil">{_e(act.KIND[a.kind])}: {_e(a.text)}</span>', ""),
            (f"{_e(a.current)}&nbsp;→<br>{_e(a.target)}", ""),
            (_gain_text(a), "num"),
            (opd, "ak-kecil"),
            ('<span class="ak-isian"></span>', ""),
        ]))
    path = w.path
    if path.steps:
        merged = path.by_indicator()
        plan = "".join(
            f"<li><strong>{_e(a.indicator)} {_e(fw.indicator(a.indicator).name)}</strong>: "
            f"{_e(a.current)} → {_e(a.target)} ({_gain_text(a)}; skor total menjadi "
            f"{angka(a.total_after)})</li>" for a in merged)
        path_html = (f"<h3>Jalur terpendek ke {thr}</h3>"
                     f"<p>{_steps_text(path, merged)} membawa skor total dari "
                     f"{angka(path.start)} ke {angka(path.total)}, dalam urutan yang disarankan "
                     "(setiap langkah berikutnya memberi tambahan terbesar saat itu; kenaikan "
                     "beberapa tingkat pada satu indikator digabung dalam satu baris)"
                     + (" (bukti yang belum diserahkan dihitung pada nilai terbaiknya)"
                        if path.needs_evidence else "") + f":</p><ol>{plan}</ol>")
    else:
        path_html = f"<p>{_path_sentence(w)}</p>"
    note = (f"Tambahan skor: kenaikan skor total bila langkah itu saja dilakukan, dihitung "
            f"ulang dengan aturan dan bobot kerangka {_e(fw.id)}"
            + (" (agregasi geometrik: tambahan tidak dapat dijumlahkan begitu saja)"
               if fw.aggregation == "geometric" else "")
            + ". Untuk bukti yang belum diserahkan: tambahan terbesar, bila buktinya "
              "menunjukkan nilai terbaik. Rubrik: langkah menuju tingkat berikutnya dari "
              "tingkat sekarang. ◆: bagian dari jalur terpendek ke "
            + f"{thr}. Penanggung jawab (OPD) dan isi langkah adalah usulan dalam kerangka "
              "(asumsi), sesuaikan dengan organisasi daerah. Target: nilai yang dituju; "
              "tenggat diisi bersama OPD penanggung jawab.")
    if rows:
        table = _table([("No.", "num"), ("Indikator dan langkah", ""), ("Sekarang → target", ""),
                        ("Tambahan skor", "num"), ("Penanggung jawab", ""), ("Tenggat", "")],
                       rows, widths=(6, 40, 14, 11, 18, 11))
    else:
        table = "<p>Semua indikator sudah pada nilai terbaiknya.</p>"
    more = ""
    if rest:
        more = (f"<p class=\"ak-kecil\">{len(rest)} langkah lain, masing-masing menambah "
                f"paling banyak {angka(max(a.gain for a in rest))} poin: "
                + _e(", ".join(f"{a.indicator} ({_gain_text(a)})" for a in rest)) + ".</p>")
    inner = (
        "<h2>Rekomendasi dan rencana aksi</h2>"
        "<p>Langkah diurutkan menurut tambahan skor total yang dihasilkannya, bukti yang "
        "belum diserahkan lebih dulu.</p>"
        + table + more
        + f'<p class="ak-kecil">{note}</p>'
        + f'<div class="ak-utuh">{path_html}</div>'
    )
    return _block(inner)


def region_actions(w: RegionView) -> pd.DataFrame:
    """The region's recommended actions as a table
    (:func:`antikorupsi.actions.recommended_actions`)."""
    return act.recommended_actions(w.data.assessment, w.code)


def change(w: RegionView) -> HTML:
    """Total score, rank and category against the previous year, and the scores over
    the years when three or more were scored."""
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
    hist = w.data.history(w.code)
    trend = ""
    if len(hist) >= 3:
        labels = {c.code: f"{c.code} {c.name}" for c in w.framework.components}
        fig = charts.trend_lines(hist[["skor_total"] + w.framework.component_codes],
                                 threshold=w.framework.threshold,
                                 labels={**{k: _wrap_label(v) for k, v in labels.items()},
                                         "skor_total": "Skor total"})
        trend = _figure(charts.svg(fig), f"Skor total (garis tebal) dan skor komponen "
                        f"{_e(w.name)}, {hist.index[0]}–{hist.index[-1]}; garis putus-putus: "
                        f"ambang {angka(w.framework.threshold, 0)}. Setiap tahun dihitung "
                        f"dengan kerangka tahunnya.{_synthetic_note(w.data)}")
    inner = (
        head
        + (f"<p>Skor total {verb} {angka(abs(delta))} poin, dari "
           f"{angka(r['skor_total_sebelumnya'])} ({y - 1}) menjadi {angka(r['skor_total'])} "
           f"({y}). " if verb != "tetap" else
           f"<p>Skor total tetap {angka(r['skor_total'])} ({y - 1} dan {y}). ")
        + f"{rank_text}. {_e(comparison_sentence(w.data))} Perubahan per komponen ada di "
          "tabel Skor per komponen, per indikator di tabel Skor per indikator.</p>"
        + _table([("", ""), (str(y - 1), "num"), (str(y), "num"), ("Perubahan", "num")], rows)
        + _change_certainty(w)
        + trend
    )
    return _block(inner, keep=not trend)


def _wrap_label(text: str, width: int = 28) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)[:2])


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
        text = (f"Peluang peringkat memburuk {how}: {persen(t['p_turun'])}. Penurunan ini "
                "bertahan pada hampir semua bobot yang dicoba.")
    elif t["signifikan"] == "naik":
        text = (f"Peluang peringkat membaik {how}: {persen(t['p_naik'])}. Kenaikan ini "
                "bertahan pada hampir semua bobot yang dicoba.")
    elif 1 - t["p_naik"] - t["p_turun"] >= rc.level:
        text = (f"Peringkat tetap pada {persen(1 - t['p_naik'] - t['p_turun'])} simulasi "
                f"{how}. Peringkat ini tidak bergantung pada bobot.")
    else:
        text = (f"Peluang peringkat membaik {how}: {persen(t['p_naik'])}, memburuk: "
                f"{persen(t['p_turun'])}, tetap: {persen(1 - t['p_naik'] - t['p_turun'])}. "
                "Arah perubahan peringkat bergantung pada bobot.")
    note = (f"Kedua tahun dihitung ulang dengan kerangka tahun {w.data.year} dan metode "
            "agregasinya; peringkat di "
            f"antara {angka(len(rc.table), 0)} wilayah yang dinilai pada kedua tahun. "
            f"Perubahan disebut bertahan bila peluangnya ≥ {persen(rc.level, 0)}; peringkat "
            "yang sama tidak dihitung naik maupun turun.")
    return f'<p>{_e(text)}</p><p class="ak-kecil">{_e(note)}</p>'


def _factor_name(fw: Framework, factor: str) -> str:
    if factor == "agregasi":
        return "pilihan metode agregasi"
    if factor in fw.component_codes:
        return f"bobot komponen {factor} ({fw.component(factor).name})"
    if factor in fw.indicator_codes:
        return f"bobot indikator {factor} ({fw.indicator(factor).name})"
    return str(factor)


def _sensitivity_sentence(w: RegionView) -> str:
    """Which weight moves the rank most, without a second simulation count and with the
    Sobol' index inside its stated range 0-1."""
    summary = w.data.sensitivity.summary
    if w.code not in summary.index:
        return ""
    s = summary.loc[w.code]
    status = s.get("status")
    if status in ("constant", "too_rare"):
        return ("Peringkat ini hampir tidak berubah oleh bobot yang dicoba, sehingga tidak ada "
                "bobot yang menonjol pengaruhnya.")
    if status != "varies" or pd.isna(s.get("top_factor_st")):
        return ""
    fw = w.framework
    st = min(max(float(s["top_factor_st"]), 0.0), 1.0)
    text = (f"Yang paling menggerakkan peringkat: {_factor_name(fw, s['top_factor'])}, "
            f"indeks Sobol total {angka(st)}")
    if s.get("top_component") and s["top_component"] != s["top_factor"]:
        stc = min(max(float(s["top_component_st"]), 0.0), 1.0)
        text += (f"; di antara bobot komponen: {_factor_name(fw, s['top_component'])} "
                 f"({angka(stc)})")
    return text + "."


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
        reading = (f"Apakah skor total mencapai {thr} bergantung pada bobot yang diasumsikan "
                   f"(tercapai pada {persen(p, 0)} simulasi): hasil ini perlu dibaca dengan "
                   "hati-hati.")
    n = int(w.row["jumlah_wilayah"])
    sentence = _sensitivity_sentence(w)
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
        + f'<p class="ak-kecil">{_e(u.describe())} Indeks Sobol total (0 sampai 1): bagian '
          "keragaman peringkat yang ditimbulkan satu bobot (0 = tidak berpengaruh, "
          "1 = seluruhnya).</p>"
    )
    return _block(inner, keep=True)


def _goalpost_formula(sc, x: float | None = None) -> str:
    """How a goalpost score is computed, with the region's own value when given."""
    lo, hi = ringkas(sc.low), ringkas(sc.high)
    if sc.direction == 1:
        formula = f"(x − {lo}) / ({hi} − {lo}) × 100"
        worked = (f"({ringkas(x)} − {lo}) / ({hi} − {lo}) × 100" if x is not None else "")
    else:
        formula = f"({hi} − x) / ({hi} − {lo}) × 100"
        worked = (f"({hi} − {ringkas(x)}) / ({hi} − {lo}) × 100" if x is not None else "")
    if x is None:
        return formula
    share = (x - sc.low) / (sc.high - sc.low)
    if sc.direction == -1:
        share = 1 - share
    clipped = min(max(share, 0.0), 1.0) * 100
    note = "" if 0 <= share <= 1 else " (dibatasi 0–100)"
    return f"{worked} = {angka(clipped)}{note}"


def rules(x: YearData | RegionView | AnnualView) -> HTML:
    """Annex: the scoring rules actually used, so every score can be checked by hand:
    the aggregation, each goalpost and direct indicator's rule (in a region report with
    the region's own computation, e.g. 21 hari -> 70,91), the rubric levels and scores,
    and where the weights are listed."""
    d = _data_of(x)
    fw = d.framework
    w = x if isinstance(x, RegionView) else None
    rows, rubric_users = [], {}
    for ind in fw.indicators:
        sc = ind.scoring
        if sc.method == "rubric":
            rubric_users.setdefault(sc.rubric, []).append(ind.code)
            continue
        if sc.method == "goalposts":
            unit = "" if not sc.unit else sc.unit if sc.unit == "%" else f" {sc.unit}"
            better = "makin tinggi makin baik" if sc.direction == 1 else "makin rendah makin baik"
            how = (f"batas {ringkas(sc.low)}–{ringkas(sc.high)}{unit}, {better}: skor = "
                   f"{_goalpost_formula(sc)}, dibatasi 0–100")
        else:
            unit, how = "", "skor langsung 0–100: nilai = skor"
        cells = [(_e(ind.code), ""), (_e(ind.name), ""), (_e(how), "")]
        if w is not None:
            v = w.indicators.loc[ind.code]
            example = "tanpa bukti"
            if v["status"] == STATUS["present"] and pd.notna(v["angka"]):
                value = ringkas(round(float(v["angka"]), 2)) + unit
                example = (f"{value} → {_goalpost_formula(sc, float(v['angka']))}"
                           if sc.method == "goalposts" else f"{value} → {angka(v['skor'])}")
            cells.append((_e(example), ""))
        rows.append(_tr(cells))
    headers = [("Kode", ""), ("Indikator", ""), ("Aturan", "")]
    widths = (6, 30, 64)
    if w is not None:
        headers.append((_e(w.name), ""))
        widths = (6, 24, 40, 30)
    rubric_rows = []
    for rub in fw.rubrics:
        if rub.code not in rubric_users:
            continue
        for lv in rub.levels:
            rubric_rows.append(_tr([(str(lv.level), "num"), (_e(lv.label), ""),
                                    (angka(lv.score, 0), "num"),
                                    (_e(lv.description), "ak-kecil")]))
    rubric_text = "; ".join(f"rubrik {code}: {', '.join(codes)}"
                            for code, codes in rubric_users.items())
    if fw.aggregation == "geometric":
        agg = (f"rata-rata geometrik tertimbang exp(Σ w·ln(x + {ringkas(fw.geometric_offset)}))"
               f" − {ringkas(fw.geometric_offset)}")
    else:
        agg = "rata-rata aritmetika tertimbang Σ w·x"
    age = (f" Angka penyaringan yang lebih tua dari {fw.max_data_age_years} tahun sebelum "
           "tahun penilaian kedaluwarsa." if fw.max_data_age_years is not None else "")
    inner = (
        "<h2>Lampiran: aturan penskoran</h2>"
        f"<p>Aturan kerangka {_e(fw.id)} (versi {_e(fw.version)}) yang dipakai untuk setiap "
        f"angka laporan ini. Skor komponen dan skor total: {_e(agg)}, dengan w bobot yang "
        "dijumlahkan menjadi 1 (bobot komponen dan bobot indikator dalam komponennya: tabel "
        "Metodologi; bagian tiap indikator dalam skor total: kolom Bobot tabel Skor per "
        f"indikator).{_e(age)}</p>"
        + _table(headers, rows, widths=widths, cls="ak-rapat")
        + '<div class="ak-utuh">'
        + (f"<p>Indikator rubrik ({_e(rubric_text)}): skor menurut tingkat.</p>"
           + _table([("Tingkat", "num"), ("Label", ""), ("Skor", "num"), ("Arti", "")],
                    rubric_rows, widths=(10, 17, 9, 64), cls="ak-rapat")
           if rubric_rows else "")
        + "</div>"
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
          f"<ul>{assumptions}</ul></div>"
        + _sources_html(fw) + "</div>"
    )
    return _block(inner)


def _sources_html(fw: Framework) -> str:
    """The source codes the framework cites (A3, A6...) with where they were published."""
    cited = fw.cited_sources()
    if not cited:
        return ""
    return ('<p class="ak-kecil"><strong>Kode sumber</strong> (ambang dan aturan yang '
            "dipublikasikan): " + "; ".join(f"{_e(c)} {_breakable(s)}" for c, s in cited)
            + ". Sumber angka penyaringan tertulis pada tiap angka.</p>")


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
                "ditandai kedaluwarsa (bagi setiap kriteria, termasuk yang tanpa ambang) dan tidak "
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
           "SINTETIS</strong> (dibuat acak untuk contoh, bukan hasil penilaian KPK). "
           f"{_screening_origin(d.assessment.screening)}</p>" if d.synthetic else "")
    )
    return _block(inner, keep=True)


# --------------------------------------------------------------------------------------
# Annual report
# --------------------------------------------------------------------------------------

#: Annual report: regions within this many points below the threshold are "close".
NEAR_WINDOW = 5.0
#: Above this many regions the ranking in the body stops here; the full list is in the
#: appendix (ranking_appendix).
RANKING_BODY_ROWS = 25
_LARGE = 40


def _designation_short(w: RegionView) -> str:
    """The reason in a few words, for the annual table."""
    r, s = w.row, w.screening
    if r["penetapan"] == DESIGNATION["yes"]:
        c = screening_counts(s)
        open_ = c["tanpa data"] + c["kedaluwarsa"] + c["tanpa ambang"]
        return (f"lulus penyaringan: {c['lulus']} kriteria lulus"
                + (f", {open_} belum dapat dinilai" if open_ else ""))
    if _empty_components_reason(w):
        return f"komponen tanpa bukti: {_e(r['komponen_tanpa_bukti'])}"
    if r["penyaringan"] == OVERALL["incomplete"]:
        return "menunggu data penyaringan: " + _e(", ".join(_unknown_names(w)))
    return "tidak lulus penyaringan: " + _e(_failed_text(w))


def _total_texts(r: pd.DataFrame) -> tuple[dict[str, str], bool]:
    """Each region's total as printed, and whether any needed more decimals.

    Two totals that print the same with 2 decimals but carry different ranks would
    contradict each other: those are printed with as many decimals as it takes to tell
    them apart (up to 6), which is what the ranks were computed from.
    """
    out, widened = {}, False
    t = r["skor_total"].astype(float)
    printed = t.map(lambda v: angka(v))
    for text, group in r.groupby(printed, sort=False):
        codes = list(group["kode_wilayah"])
        if group["peringkat"].nunique() <= 1:
            out.update({c: text for c in codes})
            continue
        for dec in range(3, 7):
            shown = group["skor_total"].map(lambda v, dec=dec: angka(v, dec))
            if shown.groupby(group["peringkat"]).first().nunique() == group["peringkat"].nunique():
                break
        out.update({c: angka(v, dec) for c, v in zip(codes, group["skor_total"])})
        widened = True
    return out, widened


def annual_header(t: AnnualView, issuing_unit: str = "", report_date: str = "") -> HTML:
    """Title, issuing unit and date, synthetic-data banner and the year's key counts."""
    d, fw, r = t.data, t.framework, t.results
    where = f"Provinsi {t.province}" if t.province else (
        f"{r['kode_provinsi'].nunique()} provinsi" if t.multi_province
        else f"Provinsi {r['provinsi'].iloc[0]}")
    n = len(r)
    reached = fw.reaches_threshold(r["skor_total"].to_numpy(float))
    high = int(reached.sum())
    near = int((~reached & (r["skor_total"].to_numpy(float)
                            >= fw.threshold - NEAR_WINDOW)).sum())
    cards = [
        _card("Wilayah dinilai", angka(n, 0), _e(where)),
        _card(f"Skor total ≥ {angka(fw.threshold, 0)}", angka(high, 0),
              _e(fw.designation_label)),
        _card("Ditetapkan", angka(int((r["penetapan"] == DESIGNATION["yes"]).sum()), 0)),
        _card("Tertunda", angka(int((r["penetapan"] == DESIGNATION["pending"]).sum()), 0),
              "menunggu data penyaringan"),
        _card("Mendekati ambang", angka(near, 0),
              f"{angka(fw.threshold - NEAR_WINDOW, 0)} sampai di bawah "
              f"{angka(fw.threshold, 0)}"),
        _card("Median skor total", angka(r["skor_total"].median()),
              f"rentang {angka(r['skor_total'].min())}–{angka(r['skor_total'].max())}"),
    ]
    title = f"Laporan Tahunan {d.year}" + (f": Provinsi {t.province}" if t.province else "")
    single = None if t.multi_province else str(r["provinsi"].iloc[0])
    unit = issuing_unit.strip() if issuing_unit else issuer_for(t.province or single)
    inner = (
        f'<p class="ak-judul-atas">{PROGRAMME}</p>'
        f"<h1>{_e(title)}</h1>"
        f'<p class="ak-sub">{_e(where)} · kerangka {_e(fw.id)} (versi {_e(fw.version)})</p>'
        + _issued(unit, _report_date(report_date))
        + _banner(d)
        + f'<div class="ak-kartu">{"".join(cards)}</div>'
    )
    return HTML(_CSS + f'<div class="ak">{inner}</div>')


def province_map(t: AnnualView, boundaries: str = "") -> HTML:
    """A choropleth of the regions' total scores by category band, when every region of
    the report has an outline (shipped for Banten, or a GeoJSON file); otherwise a line
    saying why there is no map."""
    fw, r = t.framework, t.results
    head = "<h2>Peta skor total</h2>"
    try:
        b = load_boundaries(boundaries or None)
    except InputError as exc:
        return _block(head + f"<p>Peta tidak dibuat: {_e(exc.problems[0])}</p>", keep=True)
    missing = [c for c in r.index if c not in b]
    if missing:
        have = sorted({str(p) for c, p in zip(r.index, r["provinsi"]) if c in b})
        shipped = (f" Batas wilayah yang tersedia: {', '.join(have)}." if have else "")
        return _block(head + f"<p>Peta tidak tersedia: batas wilayah {angka(len(missing), 0)} "
                      f"dari {angka(len(r), 0)} wilayah dalam laporan ini belum disertakan."
                      f"{_e(shipped)} Berkas GeoJSON kabupaten/kota sendiri dapat diberikan "
                      "dengan opsi --boundaries.</p>", keep=True)
    numbers = {c: str(k) for k, c in enumerate(r.sort_values("kode_wilayah").index, start=1)}
    bands = [(band.min, band.label) for band in fw.bands]
    # shaded by the total as ranked and categorised (the framework's precision)
    fig = charts.choropleth(b.for_codes(list(r.index)), fw.round_total(r["skor_total"]),
                            numbers, bands=bands, width_cm=9.5)
    rows = [_tr([(numbers[c], "num"), (_e(x["nama_wilayah"]), ""),
                 (angka(x["skor_total"]), "num"), (_e(x["kategori"]), "")])
            for c, x in r.sort_values("kode_wilayah").iterrows()]
    inner = (
        '<div class="ak-utuh">' + head + '<div class="ak-peta">'
        + _figure(charts.svg(fig), f"Kategori skor total tiap wilayah (nomor: lihat tabel). "
                  f"{_e(b.note)}{_synthetic_note(t.data)}")
        + "<div>" + _table([("No.", "num"), ("Wilayah", ""), ("Skor", "num"),
                            ("Kategori", "")], rows) + "</div>"
        + "</div></div>"
    )
    return _block(inner, keep=True)


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
                       ("Keterangan", "")], rows, widths=(24, 17, 8, 16, 35),
                      cls="ak-rapat" if len(rows) > 15 else "")
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


def near_threshold(t: AnnualView, window: float = NEAR_WINDOW) -> HTML:
    """Regions within ``window`` points below the threshold: the gap, the fewest steps
    that close it and the biggest single step."""
    fw, r = t.framework, t.results
    thr = angka(fw.threshold, 0)
    lo = fw.threshold - window
    near = r[~fw.reaches_threshold(r["skor_total"]) & (r["skor_total"] >= lo)]
    head = f"<h2>Wilayah mendekati ambang {thr}</h2>"
    if near.empty:
        return _block(head + f"<p>Tidak ada wilayah dengan skor total {angka(lo, 0)} sampai "
                             f"di bawah {thr}.</p>", keep=True)
    rows = []
    texts, _ = _total_texts(r)
    for code, x in near.iterrows():
        w = region(t.data, code)
        p = w.path
        best = w.actions[0] if w.actions else None
        merged = len(p.by_indicator())
        steps = (f"{len(p.steps)} langkah"
                 + (f", {merged} indikator" if merged != len(p.steps) else "")
                 + (" (termasuk menyerahkan bukti)" if p.needs_evidence else "")
                 ) if p.reached else "–"
        biggest = (f"{_e(best.indicator)} {_e(act.KIND[best.kind])}, {_gain_text(best)}"
                   if best else "–")
        cells = [(_e(x["nama_wilayah"]), "")]
        if t.multi_province:
            cells.append((_e(x["provinsi"]), ""))
        cells += [(texts[code], "num"), (angka(fw.threshold - x["skor_total"]), "num"),
                  (_e(steps), ""), (biggest, "ak-kecil"), (_e(x["penyaringan"]), "")]
        rows.append(_tr(cells))
    headers = [("Wilayah", "")] + ([("Provinsi", "")] if t.multi_province else []) + [
        ("Skor", "num"), ("Kurang", "num"), ("Jalur terpendek", ""),
        ("Langkah prioritas", ""), ("Penyaringan", "")]
    widths = ([21] + ([14] if t.multi_province else [])
              + [7, 7, 14 if t.multi_province else 19, 26, 12])
    inner = (
        head
        + f"<p>{angka(len(near), 0)} wilayah berskor total {angka(lo, 0)} sampai di bawah "
          f"{thr}. Jalur terpendek: langkah paling sedikit (naik satu tingkat rubrik atau "
          "mencapai target satu indikator) yang membawa skor total ke ambang, dihitung ulang "
          "dengan bobot kerangka; langkah prioritas: urutan pertama rekomendasi wilayah itu "
          "(bukti yang belum diserahkan lebih dulu).</p>"
        + _table(headers, rows, widths=[round(100 * x / sum(widths), 1) for x in widths],
                 cls="ak-rapat" if len(rows) > 15 else "")
    )
    return _block(inner, keep=len(rows) <= 10)


def screening_gaps(t: AnnualView) -> HTML:
    """Regions whose screening data is missing or out of date, those that matter first:
    at or near the threshold, where the data decides the designation."""
    fw, r = t.framework, t.results
    thr = angka(fw.threshold, 0)
    s = t.data.assessment.screening
    s = s[s["kode_wilayah"].isin(r.index) & s["hasil"].isin([SCREEN["unknown"], SCREEN["stale"]])]
    head = "<h2>Data penyaringan yang belum lengkap</h2>"
    if s.empty:
        return _block(head + "<p>Setiap kriteria penyaringan yang punya ambang sudah punya "
                             "angka yang berlaku untuk semua wilayah.</p>", keep=True)
    by_region = s.groupby("kode_wilayah", sort=False)
    lo = fw.threshold - NEAR_WINDOW
    large = len(r) > _LARGE
    listed = r[r.index.isin(by_region.groups)]
    if large:
        listed = listed[listed["skor_total"] >= lo]
    rows = []
    for code, x in listed.iterrows():
        g = by_region.get_group(code)
        names = ", ".join(n + (" (kedaluwarsa)" if h == SCREEN["stale"] else "")
                          for n, h in zip(g["nama_kriteria"], g["hasil"]))
        cells = [(_e(x["nama_wilayah"]), "")]
        if t.multi_province:
            cells.append((_e(x["provinsi"]), ""))
        cells += [(angka(x["skor_total"]), "num"), (_designation_html(x["penetapan"]), ""),
                  (_e(names), "ak-kecil")]
        rows.append(_tr(cells, "ak-sorot" if fw.reaches_threshold(x["skor_total"])
                        else ""))
    n_all = by_region.ngroups
    headers = [("Wilayah", "")] + ([("Provinsi", "")] if t.multi_province else []) + [
        ("Skor", "num"), ("Penetapan", ""), ("Kriteria tanpa angka yang berlaku", "")]
    widths = [24] + ([16] if t.multi_province else []) + [8, 14, 40]
    intro = (f"{angka(n_all, 0)} wilayah belum punya angka yang berlaku untuk satu atau lebih "
             "kriteria penyaringan yang punya ambang (tanpa data atau kedaluwarsa). ")
    if large:
        intro += (f"Di bawah: {angka(len(listed), 0)} wilayah berskor total ≥ {angka(lo, 0)}, "
                  "yang penetapannya bergantung pada data ini; daftar lengkap per kriteria di "
                  "Ringkasan penyaringan dan kolom Penyaringan di Lampiran peringkat.")
    else:
        intro += "Baris tebal: skor total ≥ " + thr + ", penetapan menunggu data ini."
    inner = (head + f"<p>{intro}</p>"
             + (_table(headers, rows, widths=[round(100 * x / sum(widths), 1) for x in widths])
                if rows else ""))
    return _block(inner)


def _ranking_table(t: AnnualView, r: pd.DataFrame) -> tuple[str, str]:
    """The ranking table of the rows ``r`` and its note."""
    filtered = t.province is not None
    has_prev = t.results["skor_total_sebelumnya"].notna().any()
    show_prov = t.multi_province
    two_ranks = filtered and int(t.results["jumlah_wilayah"].iloc[0]) != len(t.results)
    headers = ([("Per. prov.", "num"), ("Per. nas.", "num")] if two_ranks
               else [("Per.", "num")])
    headers += [("Kode", ""), ("Wilayah", "")]
    if show_prov:
        headers.append(("Provinsi", ""))
    headers += [("Skor", "num"), ("Kategori", ""), ("Penyaringan", ""), ("Penetapan", "")]
    if has_prev:
        headers += [("Δ skor", "num"), ("Δ per.", "num")]
    fw = t.framework
    thr = fw.threshold
    texts, widened = _total_texts(t.results)
    rows = []
    for x in r.itertuples(index=False):
        cells = ([(str(x.peringkat_provinsi), "num"), (str(x.peringkat), "num")] if two_ranks
                 else [(str(x.peringkat), "num")])
        cells += [(_e(x.kode_wilayah), "ak-nowrap"), (_e(x.nama_wilayah), "")]
        if show_prov:
            cells.append((_e(x.provinsi), ""))
        # Most regions are not designated: "–" lets the designated ones stand out.
        designation = ("–" if x.penetapan == DESIGNATION["no"]
                       else _designation_html(x.penetapan))
        cells += [(texts[x.kode_wilayah], "num"), (_e(x.kategori), ""),
                  (_e(x.penyaringan), ""), (designation, "")]
        if has_prev:
            cells += [(tanda(x.perubahan_skor), "num"), (_rank_change(x.perubahan_peringkat),
                                                         "num")]
        rows.append(_tr(cells, "ak-sorot" if fw.reaches_threshold(x.skor_total) else ""))
    note = (f"Baris tebal: skor total ≥ {angka(thr, 0)}. Penetapan “–”: tidak ditetapkan. "
            + (f"Δ: perubahan dari {t.data.year - 1} (▲ naik, ▼ turun peringkat)."
               if has_prev else "Tidak ada data tahun sebelumnya untuk perbandingan.")
            + (" Skor dengan lebih dari dua desimal: skor yang sama bila dibulatkan ke dua "
               "desimal tetapi berbeda peringkat; peringkat dihitung dari skor yang tidak "
               "dibulatkan, sehingga desimal berikutnya yang membedakannya." if widened else ""))
    share = {"Per.": 4.5, "Per. prov.": 5.5, "Per. nas.": 5.5, "Kode": 5.5, "Wilayah": 21,
             "Provinsi": 14, "Skor": 7, "Kategori": 10, "Penyaringan": 11,
             "Penetapan": 12, "Δ skor": 7, "Δ per.": 6.5}
    total = sum(share[h] for h, _ in headers)
    widths = [round(100 * share[h] / total, 1) for h, _ in headers]
    table = _table(headers, rows, widths=widths,
                   cls="ak-rapat" if len(rows) > 40 or show_prov else "")
    return table, note


def ranking(t: AnnualView) -> HTML:
    """Every region ranked (up to 40 regions); for larger sets the top
    ``RANKING_BODY_ROWS``, the full list being in :func:`ranking_appendix`."""
    r = t.results
    large = len(r) > _LARGE
    shown = r.head(RANKING_BODY_ROWS) if large else r
    table, note = _ranking_table(t, shown)
    head = "<h2>Peringkat</h2>" if not large else (
        f"<h2>Peringkat: {RANKING_BODY_ROWS} teratas</h2>"
        f"<p>Peringkat lengkap {angka(len(r), 0)} wilayah ada di Lampiran peringkat di akhir "
        "laporan.</p>")
    inner = head + table + f'<p class="ak-kecil">{note}{_synthetic_note(t.data)}</p>'
    return _block(inner)


def ranking_appendix(t: AnnualView) -> HTML:
    """The full ranking as an appendix, for sets of more than 40 regions (nothing for
    smaller ones: the body has it)."""
    r = t.results
    if len(r) <= _LARGE:
        return HTML("")
    table, note = _ranking_table(t, r)
    inner = ('<h2 class="ak-lampiran">Lampiran: peringkat lengkap</h2>' + table
             + f'<p class="ak-kecil">{note}{_synthetic_note(t.data)}</p>')
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


def _heat_rows(t: AnnualView, matrix: pd.DataFrame) -> tuple[pd.DataFrame, list[str], str]:
    """Rows of a heat map: regions in rank order, or province means for large sets."""
    d, r = t.data, t.results
    if len(r) <= HEATMAP_MAX_ROWS:
        labels = [f"{int(p)}. {n}" for p, n in zip(r["peringkat"], r["nama_wilayah"])]
        return matrix.loc[r.index], labels, "tiap wilayah, urut peringkat"
    prov = r["kode_provinsi"]
    means = matrix.loc[r.index].groupby(prov.to_numpy()).mean()
    pm = d.province_means
    order = pm[pm.index.isin(prov)].sort_values("skor_total", ascending=False).index
    names = r.drop_duplicates("kode_provinsi").set_index("kode_provinsi")["provinsi"]
    labels = [f"{names[c]} ({int(pm.loc[c, 'jumlah'])})" for c in order]
    return (means.loc[order], labels,
            "rata-rata per provinsi (jumlah wilayah dalam kurung), urut rata-rata skor total")


def heatmap(t: AnnualView) -> HTML:
    """Component scores per region (or per province, for large sets) as a grey heat map."""
    d, fw, r = t.data, t.framework, t.results
    codes = fw.component_codes
    matrix, labels, what = _heat_rows(t, r[codes])
    col_labels = [f"{c.code}\n{persen(w, 0)}" for c, w in
                  zip(fw.components, fw.component_weights())]
    fig = charts.component_heatmap(matrix, labels, col_labels, threshold=fw.threshold)
    caption = (f"Skor komponen {what}. Makin gelap makin tinggi; angka tebal dalam kotak "
               f"bergaris: skor ≥ {angka(fw.threshold, 0)}. Di bawah kode komponen: bobotnya."
               f"{_synthetic_note(d)}")
    legend = "; ".join(f"{c.code} {c.name}" for c in fw.components)
    return _heat_block("Skor komponen", fig, caption, legend)


def _heat_block(title: str, fig, caption: str, legend: str) -> HTML:
    return _block(f'<div class="ak-utuh"><h2>{_e(title)}</h2>'
                  + _figure(charts.svg(fig), caption)
                  + f'<p class="ak-kecil">{_e(legend)}.</p></div>')


def indicator_heatmap(t: AnnualView) -> HTML:
    """The 19 indicator scores per region (or per province, for large sets)."""
    d, fw = t.data, t.framework
    matrix, labels, what = _heat_rows(t, d.indicator_scores)
    col_labels = [f"{i.code[1:] if i.code[0] == 'I' else i.code}\n{i.component}"
                  for i in fw.indicators]
    fig = charts.component_heatmap(matrix[fw.indicator_codes], labels, col_labels,
                                   threshold=fw.threshold, decimals=0, fontsize=6)
    caption = (f"Skor ke-{len(fw.indicators)} indikator {what}, dibulatkan ke bilangan "
               f"bulat. Makin gelap makin tinggi; angka tebal dalam kotak bergaris: skor ≥ "
               f"{angka(fw.threshold, 0)}. Di atas: nomor indikator dan komponennya."
               f"{_synthetic_note(d)}")
    legend = "; ".join(f"{i.code} {i.name}" for i in fw.indicators)
    return _heat_block("Skor indikator", fig, caption, legend)


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
    by_kind = r.groupby("jenis")["skor_total"].agg(["mean", "size"])
    if len(by_kind) > 1:
        text += " " + "; ".join(f"{k} rata-rata {angka(x['mean'])} ({angka(int(x['size']), 0)} "
                                "wilayah)" for k, x in by_kind.iterrows()).capitalize() + "."
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
           f"(kerangka {y}); ≥ {persen(rc.level, 0)}: kenaikan bertahan pada hampir semua "
           f"bobot yang dicoba; ≤ {persen(1 - rc.level, 0)}: peringkat hampir tidak pernah "
           "membaik.</p>" if rc is not None else "")
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
    origin = _screening_origin(s)
    inner = (
        "<h2>Ringkasan penyaringan</h2>"
        f"<p>Jumlah wilayah per kriteria dan hasil. Hasil penyaringan keseluruhan: "
        f"{overall_text}. {origin} Kriteria tanpa angka dibiarkan kosong dan dihitung sebagai "
        "tidak diketahui; kriteria tanpa ambang terbitan tidak dapat dinilai."
        f"{_screening_origin_note(s)}</p>"
        + _table([("Kriteria", ""), ("Ambang", "")]
                 + [(f"{_SYMBOL[o]} {o}", "num") for o in outcomes], rows, cls="ak-utuh",
                 widths=(23, 16, 10, 11, 12, 12, 16))
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
        year = int(f["tahun_rekomendasi"].max())
        prev = w.previous_scores if year == w.data.year - 1 else None
        unmoved = 0
        rows = []
        for r in f.sort_values(["tahun_rekomendasi", "no"]).itertuples(index=False):
            code = r.kode_indikator or ""
            delta = (float(w.indicators.loc[code, "skor"]) - float(prev[code])
                     if prev is not None and code in prev.index and code in w.indicators.index
                     and pd.notna(prev[code]) and pd.notna(w.indicators.loc[code, "skor"])
                     else None)
            status = _e(r.status or "belum diisi")
            if r.status == "selesai" and delta is not None and delta <= 1e-9:
                unmoved += 1  # reported done, yet the indicator did not improve
                status += '<br><span class="ak-tag ak-kuat">skor belum naik</span>'
            rows.append(_tr([(str(int(r.no)), "num"), (_e(code or "–"), ""),
                             (_e(r.rekomendasi), ""), (status, ""),
                             ("–" if delta is None else tanda(delta), "num"),
                             (_breakable(r.bukti or "–"), "ak-kode ak-sumber")]))
        counts = ", ".join(f"{int(done.get(s, 0))} {s}" for s in ("selesai", "dalam proses",
                                                                   "belum dimulai")
                           if done.get(s, 0))
        parts.append(
            f"<h2>Tindak lanjut rekomendasi {year}</h2>"
            f"<p>{len(f)} rekomendasi hasil penilaian {year}: {_e(counts or 'belum diisi')}, "
            "menurut laporan wilayah dalam buku kerja penilaian mandirinya."
            + (f" {unmoved} rekomendasi dilaporkan selesai, tetapi skor indikatornya tidak "
               f"naik sejak {year}: perlu diperiksa bersama buktinya." if unmoved else "")
            + "</p>"
            + _table([("No", "num"), ("Indikator", ""), ("Rekomendasi", ""), ("Status", ""),
                      (f"Δ skor sejak {year}", "num"), ("Bukti", "")], rows,
                     widths=(5, 9, 44, 13, 9, 20)))
    return _block("".join(parts))
