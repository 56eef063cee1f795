"""The ``report`` command: every region's report and the annual report of a scored year.

:func:`plan_year` turns ``data/processed/<year>/`` into one :class:`~antikorupsi.render.RenderJob`
per region (``reports/<year>/<code>_<slug>``) plus the annual report
(``reports/<year>/laporan_tahunan_<year>``) and the statistical audit
(``reports/<year>/audit_<year>``); :func:`report_years` renders them in one
:func:`~antikorupsi.render.render` call (one warm kernel per worker, one browser) and
writes ``reports/<year>/manifest.json``. The job key is the SHA-256 of everything that
decides a report's content: the processed manifest (which hashes every scored table),
the notebook, the package version, the parameters and the report library's source, so
an unchanged report is skipped and a re-scored year or an edited notebook re-renders.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import __version__
from .cli import positive_int
from .config import DATA_PROCESSED, NOTEBOOKS, REPORTS
from .errors import InputError, Problem
from .fmt import ascii_slug
from .safeio import atomic_path, output_lock, remove_stale_temps

__all__ = [
    "REGION_NOTEBOOK",
    "ANNUAL_NOTEBOOK",
    "AUDIT_NOTEBOOK",
    "YearPlan",
    "plan_year",
    "report_year",
    "report_years",
    "plan_audit",
    "render_plans",
    "processed_years",
    "notebook_dir",
    "slug",
    "register",
]

REGION_NOTEBOOK = "laporan_wilayah.ipynb"
ANNUAL_NOTEBOOK = "laporan_tahunan.ipynb"
AUDIT_NOTEBOOK = "laporan_audit.ipynb"
REPORTS_MANIFEST = "manifest.json"
PREVIOUS_MANIFEST = ".manifest.json.prev"  # set aside while a run replaces reports
FORMATS = ("html", "pdf")
_LIBRARY_FILES = ("report.py", "charts.py", "fmt.py", "actions.py", "maps.py",
                  "data/batas_wilayah.geojson")
# The audit report also depends on the audit itself and its HTML blocks.
_AUDIT_LIBRARY_FILES = _LIBRARY_FILES + ("audit.py", "audit_report.py", "uncertainty.py")


#: Longest slug in a report file name (the region code comes first: ``3674_<slug>``).
SLUG_MAX = 60


def slug(text: str) -> str:
    """``"Kota Tangerang Selatan"`` -> ``"kota-tangerang-selatan"`` (ASCII, hyphens).

    Safe for any text: ``/``, ``$``, control characters and non-Latin letters never reach
    a file name, and a long name is cut to :data:`SLUG_MAX` characters ending in a short
    hash of the whole name (two long names never share a file)."""
    return ascii_slug(text, "-", max_len=SLUG_MAX) or "wilayah"


def _short(name: str, limit: int = 60) -> str:
    """A name short enough for the one-line PDF footer and progress label."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def notebook_dir() -> Path:
    """The report notebooks: ``notebooks/`` under the working directory, else the repo's."""
    if (NOTEBOOKS / REGION_NOTEBOOK).is_file():
        return NOTEBOOKS
    return Path(__file__).resolve().parent.parent / "notebooks"


def processed_years(processed_dir: str | Path = DATA_PROCESSED) -> list[int]:
    """Years with a scored ``<processed_dir>/<year>/manifest.json``, ascending."""
    d = Path(processed_dir)
    if not d.is_dir():
        return []
    return sorted(int(p.name) for p in d.iterdir()
                  if p.name.isdigit() and (p / "manifest.json").is_file())


def _library_digest(files: tuple[str, ...] = _LIBRARY_FILES) -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in files:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _job_key(manifest: bytes, notebook: bytes, parameters: dict, library: str) -> str:
    h = hashlib.sha256()
    for part in (manifest, notebook, __version__.encode(),
                 json.dumps(parameters, sort_keys=True).encode(), library.encode()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


@dataclass(frozen=True)
class YearPlan:
    """The render jobs of one year and what the reports manifest needs about them."""

    year: int
    processed: Path  # absolute: the kernels run in the notebook folder
    processed_display: str
    out_dir: Path
    manifest_sha256: str
    jobs: tuple  # of RenderJob
    entries: tuple  # of dict, one per job: kind, code, name, stem


def _not_scored(year: int, processed: Path) -> InputError:
    return InputError(Problem(str(processed), f"tahun {year} belum dinilai (hasil skor tidak ada)",
                              expected=f"jalankan dulu antikorupsi score --year {year}"))


def plan_year(
    year: int,
    *,
    processed_dir: str | Path = DATA_PROCESSED,
    out_dir: str | Path = REPORTS,
    regions: list[str] | None = None,
    annual: bool | None = None,
    notebooks: str | Path | None = None,
    province: str | None = None,
    audit: bool | None = None,
    region_reports: bool = True,
    annual_only: bool = False,
    issuing_unit: str | None = None,
    report_date: str | None = None,
    boundaries: str | Path | None = None,
) -> YearPlan:
    """Build the render jobs of one scored year (nothing is executed).

    Parameters
    ----------
    year : int
        Assessment year; ``<processed_dir>/<year>/manifest.json`` must exist.
    processed_dir : str or Path, default ``data/processed``
    out_dir : str or Path, default ``reports``
        Reports go to ``<out_dir>/<year>/``.
    regions : list of str, optional
        Only these region codes (validated). Default: every region scored that year.
    annual : bool, optional
        Include the annual report. Default: yes when ``regions`` is not given.
    notebooks : str or Path, optional
        Folder holding ``laporan_wilayah.ipynb``, ``laporan_tahunan.ipynb`` and
        ``laporan_audit.ipynb``.
    province : str, optional
        Only this province (code such as ``"36"`` or name such as ``"Banten"``): its
        regions and an annual report of the province alone.
    audit : bool, optional
        Include the statistical audit of the year (``audit_<year>``). Default: with the
        annual report of all regions (not for one province or chosen regions).
    region_reports : bool, default True
        Include the per-region reports (False: only the annual report and/or audit).
    annual_only : bool, default False
        Only the annual report (no region reports).
    issuing_unit, report_date, boundaries : str, optional
        Passed to the notebooks when given (``report_date`` as ``YYYY-MM-DD``,
        ``boundaries`` a GeoJSON file): who issues the reports (default: the province's
        Inspektorat), their date (default: the day they are rendered), the outlines of
        the maps (default: the shipped Banten outlines). Reports whose other inputs are
        unchanged are not rendered again just because the day changed.

    Returns
    -------
    YearPlan

    Raises
    ------
    InputError
        If the year was not scored, or a region code is not among its regions (the
        message lists the valid codes).
    """
    year = int(year)
    processed = Path(processed_dir).resolve() / str(year)
    manifest_path = processed / "manifest.json"
    results_path = processed / "hasil_wilayah.parquet"
    if not manifest_path.is_file() or not results_path.is_file():
        raise _not_scored(year, Path(processed_dir) / str(year))
    manifest = manifest_path.read_bytes()
    results = pd.read_parquet(results_path, columns=["kode_wilayah", "nama_wilayah",
                                                     "indikator_sintetis", "kode_provinsi",
                                                     "provinsi"])
    results = results.sort_values("kode_wilayah", kind="stable")
    province_name = None
    if province is not None:
        key = str(province).strip().lower()
        match = results[(results["kode_provinsi"].str.lower() == key)
                        | (results["provinsi"].str.lower() == key)]
        if match.empty:
            known = sorted(set(zip(results["kode_provinsi"], results["provinsi"])))
            raise InputError(Problem("--province", f"provinsi tidak dikenal untuk tahun {year}",
                                     value=province,
                                     expected=", ".join(f"{c} ({n})" for c, n in known)))
        province_name = str(match["provinsi"].iloc[0])
        results = match
    names = dict(zip(results["kode_wilayah"], results["nama_wilayah"]))
    synthetic = bool((results["indikator_sintetis"] > 0).any())
    if annual_only and regions:
        raise InputError(Problem("--annual-only", "tidak dapat digabung dengan --region",
                                 expected="--annual-only saja, atau --region tanpa "
                                          "--annual-only"))
    extra = _extra_parameters(issuing_unit, report_date, boundaries)
    if annual_only:
        wanted = []
        annual = True
    elif regions:
        wanted = list(dict.fromkeys(str(c).strip() for c in regions))
        unknown = [c for c in wanted if c not in names]
        if unknown:
            valid = (", ".join(f"{c} ({n})" for c, n in names.items()) if len(names) <= 40
                     else ", ".join(names) + " (nama: antikorupsi regions)")
            from .report import suggestion

            raise InputError(Problem(
                "--region", f"kode wilayah tidak dikenal untuk tahun {year}: "
                            f"{', '.join(unknown)}{suggestion(unknown, list(names))}",
                expected=f"salah satu kode yang dinilai: {valid}"))
    else:
        wanted = list(names)
    if annual is None:
        annual = not regions
    if audit is None:
        audit = bool(annual) and province is None
    if not region_reports:
        wanted = []
    nb_dir = Path(notebooks) if notebooks is not None else notebook_dir()
    region_nb = (nb_dir / REGION_NOTEBOOK).resolve()
    annual_nb = (nb_dir / ANNUAL_NOTEBOOK).resolve()
    audit_nb = (nb_dir / AUDIT_NOTEBOOK).resolve()
    for nb in (((region_nb,) if wanted else ()) + ((annual_nb,) if annual else ())
               + ((audit_nb,) if audit else ())):
        if not nb.is_file():
            raise InputError(Problem(str(nb), "notebook laporan tidak ditemukan",
                                     expected="folder notebooks/ proyek (atau --notebooks)"))
    library = _library_digest()
    out = Path(out_dir) / str(year)
    tag = " · DATA SINTETIS" if synthetic else ""
    from .render import RenderJob

    jobs, entries = [], []
    region_bytes = region_nb.read_bytes() if wanted else b""
    for code in wanted:
        params = {"year": year, "region_code": code, "processed_dir": str(processed.parent),
                  **extra}
        stem = out / f"{code}_{slug(names[code])}"
        jobs.append(RenderJob(region_nb, params, stem,
                              _job_key(manifest, region_bytes, params, library),
                              f"{code} {_short(names[code])} · {year}{tag}"))
        entries.append({"jenis": "wilayah", "kode_wilayah": code, "nama_wilayah": names[code],
                        "stem": stem.name})
    if annual:
        params = {"year": year, "processed_dir": str(processed.parent),
                  "province": province_name, **extra}
        provinces = sorted(set(results["provinsi"]))
        where = (f" · Provinsi {province_name}" if province_name is not None
                 else f" · Provinsi {provinces[0]}" if len(provinces) == 1 else "")
        stem = out / (f"laporan_tahunan_{year}" if province_name is None
                      else f"laporan_tahunan_{year}_{slug(province_name)}")
        jobs.append(RenderJob(annual_nb, params, stem,
                              _job_key(manifest, annual_nb.read_bytes(), params, library),
                              f"Laporan tahunan {year}{where}{tag}"))
        entries.append({"jenis": "tahunan", "kode_wilayah": None, "nama_wilayah": None,
                        "stem": stem.name})
    if audit:
        params = {"year": year, "processed_dir": str(processed.parent)}
        stem = out / f"audit_{year}"
        jobs.append(RenderJob(audit_nb, params, stem,
                              _job_key(manifest, audit_nb.read_bytes(), params,
                                       _library_digest(_AUDIT_LIBRARY_FILES)),
                              f"Audit statistik {year}{tag}"))
        entries.append({"jenis": "audit", "kode_wilayah": None, "nama_wilayah": None,
                        "stem": stem.name})
    return YearPlan(year, processed, str(Path(processed_dir) / str(year)), out,
                    hashlib.sha256(manifest).hexdigest(), tuple(jobs), tuple(entries))


def _extra_parameters(issuing_unit: str | None, report_date: str | None,
                      boundaries: str | Path | None) -> dict:
    """The optional notebook parameters that were given, checked before any rendering."""
    extra: dict[str, str] = {}
    if issuing_unit is not None and issuing_unit.strip():
        extra["issuing_unit"] = issuing_unit.strip()
    if report_date is not None and str(report_date).strip():
        from datetime import date

        try:
            extra["report_date"] = date.fromisoformat(str(report_date).strip()).isoformat()
        except ValueError:
            raise InputError(Problem("--date", "tanggal laporan tidak dikenal",
                                     value=report_date,
                                     expected="format TTTT-BB-HH, mis. 2025-12-09")) from None
    if boundaries is not None and str(boundaries).strip():
        from .maps import load_boundaries

        path = Path(boundaries).resolve()  # the kernels run in the notebook folder
        load_boundaries(path)  # a bad file stops here, before anything is rendered
        extra["boundaries"] = str(path)
    return extra


def _write_json_atomic(path: Path, doc: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _set_manifest_aside(out_dir: Path) -> None:
    """Move ``manifest.json`` out of the way before the first report is replaced.

    From then until the run writes the new manifest (last), the folder has no manifest
    naming files that may no longer be the ones it describes; a run killed in between
    leaves none, and the next run merges from the set-aside copy."""
    path = out_dir / REPORTS_MANIFEST
    if path.is_file():
        os.replace(path, out_dir / PREVIOUS_MANIFEST)


def _on_disk(out_dir: Path, stem: str) -> tuple[str | None, dict]:
    """The key recorded beside a report (None when it has no complete outputs) and the
    files of it that exist."""
    files = {fmt: f"{stem}.{fmt}" for fmt in ("ipynb", "html", "pdf")
             if (out_dir / f"{stem}.{fmt}").is_file()}
    try:
        record = json.loads((out_dir / f"{stem}.render.json").read_text(encoding="utf-8"))
        key = record.get("key") if all(f in files for f in record.get("outputs", ())) else None
    except (OSError, ValueError, AttributeError, TypeError):
        key = None
    return key, files


def _write_reports_manifest(plan: YearPlan, summary) -> Path:
    """Merge this run's reports into ``<out>/<year>/manifest.json`` (atomically, last)."""
    path = plan.out_dir / REPORTS_MANIFEST
    aside = plan.out_dir / PREVIOUS_MANIFEST
    previous: dict[str, dict] = {}
    source = path if path.is_file() else aside
    if source.is_file():
        try:
            old = json.loads(source.read_text(encoding="utf-8"))
            previous = {e["stem"]: e for e in old.get("laporan", []) if "stem" in e}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            previous = {}
    # Reports of earlier runs are described by what is on disk now (an interrupted run
    # may have replaced some of them since the manifest they come from was written).
    for stem, item in list(previous.items()):
        key, files = _on_disk(plan.out_dir, str(stem))
        if key is None and item.get("status") != "gagal":
            item = dict(item, status="tidak lengkap")
        previous[stem] = dict(item, berkas=files, kunci=key)
    done = {id(j) for j in summary.done}
    skipped = {id(j) for j in summary.skipped}
    failed = {id(f.job): f for f in summary.failed}
    for job, entry in zip(plan.jobs, plan.entries):
        files = {fmt: job.output_path(fmt).name for fmt in ("ipynb", "html", "pdf")
                 if job.output_path(fmt).is_file()}
        if id(job) in failed:
            f = failed[id(job)]
            status = "gagal"
            note = f"{f.error_name}: {f.error_message}"
            key = _on_disk(plan.out_dir, entry["stem"])[0]  # outputs on disk are older
        else:
            status = "selesai" if id(job) in done else "dilewati" if id(job) in skipped else "?"
            note, key = None, job.key
        item = dict(entry, berkas=files, kunci=key, status=status)
        if note:
            item["galat"] = note
        previous[entry["stem"]] = item
    reports = sorted(previous.values(), key=lambda e: (e.get("jenis") != "tahunan",
                                                        str(e.get("stem"))))
    doc = {
        "paket": "antikorupsi",
        "versi_paket": __version__,
        "tahun": plan.year,
        "data_olahan": {"folder": plan.processed_display, "manifest_sha256": plan.manifest_sha256},
        "jumlah_laporan": len(reports),
        "laporan": reports,
    }
    _write_json_atomic(path, doc)
    aside.unlink(missing_ok=True)
    return path


def report_years(
    years: list[int],
    *,
    processed_dir: str | Path = DATA_PROCESSED,
    out_dir: str | Path = REPORTS,
    regions: list[str] | None = None,
    annual: bool | None = None,
    formats: tuple[str, ...] = FORMATS,
    workers: int = 2,
    force: bool = False,
    progress: bool = True,
    notebooks: str | Path | None = None,
    cell_timeout: float = 300,
    browser: str | os.PathLike | None = None,
    province: str | None = None,
    annual_only: bool = False,
    issuing_unit: str | None = None,
    report_date: str | None = None,
    boundaries: str | Path | None = None,
):
    """Render the reports of several years in one render run; write each year's manifest.

    Every year is planned (and validated) before anything is rendered, so a bad region
    code or an unscored year changes nothing on disk.

    One run per year at a time: the run holds the lock of ``<out_dir>/<year>/`` and of
    the scored ``<processed_dir>/<year>/`` it reads (another ``report`` or ``score`` of
    that year stops at once, naming this one), removes the temporary files a killed
    run left, and writes ``manifest.json`` last.

    Returns
    -------
    antikorupsi.render.RenderSummary
        ``summary.ok`` is False when any report failed.

    Raises
    ------
    InputError
        Nothing to render (unscored year, unknown region or province).
    BusyError
        Another process is writing the same reports or scores.
    OutputError
        The reports cannot be written (disk full, read-only folder); earlier reports
        are left as they were.
    """
    years = list(dict.fromkeys(int(y) for y in years))

    def plans_() -> list[YearPlan]:
        return [plan_year(y, processed_dir=processed_dir, out_dir=out_dir, regions=regions,
                          annual=annual, notebooks=notebooks, province=province,
                          annual_only=annual_only, issuing_unit=issuing_unit,
                          report_date=report_date, boundaries=boundaries)
                for y in years]

    return render_plans(plans_, formats=formats, workers=workers, force=force,
                        progress=progress, cell_timeout=cell_timeout, browser=browser)


def plan_audit(year: int, *, processed_dir: str | Path = DATA_PROCESSED,
               out_dir: str | Path = REPORTS, notebooks: str | Path | None = None) -> YearPlan:
    """The render job of one year's statistical audit alone (``antikorupsi audit``)."""
    return plan_year(year, processed_dir=processed_dir, out_dir=out_dir, annual=False,
                     audit=True, region_reports=False, notebooks=notebooks)


def render_plans(plans, *, formats: tuple[str, ...] = FORMATS,
                 workers: int = 2, force: bool = False, progress: bool = True,
                 cell_timeout: float = 300, browser: str | os.PathLike | None = None):
    """Render planned jobs in one run and merge them into each year's reports manifest.

    ``plans``: a list of :class:`YearPlan`, or a function returning one; a function is
    called once before anything is written (bad arguments are reported before a lock file
    exists) and again under the locks, so the scores cannot change between planning and
    rendering. Each year's reports folder and scores are locked for the whole run.
    """
    from .render import render
    from .store import recover, year_lock

    make = plans if callable(plans) else (lambda: list(plans))
    first = make()
    with contextlib.ExitStack() as locks:
        seen = set()
        for plan in first:
            if plan.out_dir in seen:
                continue
            seen.add(plan.out_dir)
            locks.enter_context(output_lock(plan.out_dir.parent, plan.out_dir.name,
                                            f"laporan {plan.year}"))
            locks.enter_context(year_lock(plan.processed, required=False))
            with contextlib.suppress(OSError):  # a read-only data folder is fine to read
                recover(plan.processed)
            remove_stale_temps(plan.out_dir)
        plans = make()  # again, under the locks: the scores cannot change any more
        jobs = [job for plan in plans for job in plan.jobs]

        def before_first_commit() -> None:
            for plan in plans:
                _set_manifest_aside(plan.out_dir)

        summary = render(jobs, formats=formats, workers=workers, force=force,
                         progress=progress, cell_timeout=cell_timeout, browser=browser,
                         before_first_commit=before_first_commit)
        for plan in plans:
            _write_reports_manifest(plan, summary)
    return summary


def report_year(year: int, **kwargs):
    """Render one year's reports (see :func:`report_years` for the keyword arguments).

    This is what ``antikorupsi report --year Y`` and the full ``run`` pipeline call.
    """
    return report_years([year], **kwargs)


# -- command line ----------------------------------------------------------------------
def _formats(text: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(x.strip().lower() for x in text.split(",") if x.strip()))
    bad = [x for x in items if x not in FORMATS]
    if bad or not items:
        raise argparse.ArgumentTypeError(
            f"format tidak dikenal: {', '.join(bad) or '(kosong)'}; pilih dari html,pdf")
    return items


def cmd_report(args) -> int:
    from .render import format_summary

    years = args.year or processed_years(args.processed)
    if not years:
        raise InputError(Problem(str(args.processed), "belum ada tahun yang dinilai",
                                 expected="jalankan dulu antikorupsi score --year <tahun>"))
    years = list(dict.fromkeys(years))
    summary = report_years(years, processed_dir=args.processed, out_dir=args.out,
                           regions=args.region, province=args.province,
                           formats=args.format, workers=args.jobs,
                           force=args.force, progress=sys.stderr.isatty(),
                           notebooks=args.notebooks, annual_only=args.annual_only,
                           issuing_unit=args.issuer, report_date=args.date,
                           boundaries=args.boundaries)
    print(format_summary(summary))
    where = [f"{Path(args.out) / str(y)}/" for y in years]
    print("Laporan di " + (", ".join(where[:-1]) + " dan " if len(where) > 1 else "")
          + where[-1])
    return 0 if summary.ok else 1


def register(subparsers) -> None:
    """Add ``antikorupsi report`` to the CLI."""
    p = subparsers.add_parser(
        "report", help="buat laporan per wilayah dan laporan tahunan (HTML, PDF)",
        description="Jalankan notebook laporan untuk setiap wilayah yang dinilai dan laporan "
                    "tahunan, lalu tulis reports/<tahun>/ (ipynb, HTML, PDF A4) dan "
                    "manifest.json. Laporan yang masukannya tidak berubah dilewati.",
        epilog="Contoh: antikorupsi report --year 2025   |   "
               "antikorupsi report --year 2025 --region 3674 --format html   |   "
               "antikorupsi report --year 2025 --annual-only")
    p.add_argument("--year", "-y", type=int, action="append", default=None,
                   help="tahun penilaian; boleh diulang (bawaan: semua tahun yang sudah "
                        "dinilai di folder data olahan)")
    p.add_argument("--region", "-r", nargs="+", action="extend", default=None, metavar="KODE",
                   help="hanya wilayah ini, kode Kemendagri (mis. 3674); tanpa laporan "
                        "tahunan. Bawaan: semua wilayah dan laporan tahunan")
    p.add_argument("--province", "-p", default=None, metavar="PROVINSI",
                   help="hanya provinsi ini (kode, mis. 36, atau nama, mis. Banten): laporan "
                        "wilayahnya dan laporan tahunan provinsi itu")
    p.add_argument("--annual-only", action="store_true",
                   help="hanya laporan tahunan (tanpa laporan per wilayah); boleh digabung "
                        "dengan --province")
    p.add_argument("--issuer", default=None, metavar="TEKS",
                   help="unit penerbit yang dicetak di laporan (bawaan: Inspektorat Provinsi "
                        "<provinsi>; laporan beberapa provinsi: tim penilai)")
    p.add_argument("--date", default=None, metavar="TTTT-BB-HH",
                   help="tanggal laporan (bawaan: hari dibuat; laporan yang masukannya tidak "
                        "berubah tidak dibuat ulang hanya karena tanggal berganti)")
    p.add_argument("--boundaries", type=Path, default=None, metavar="GEOJSON",
                   help="berkas GeoJSON batas kabupaten/kota untuk peta (properti "
                        "kode_wilayah atau KDPKAB); bawaan: batas Banten yang disertakan")
    p.add_argument("--jobs", "-j", type=positive_int, default=2, metavar="N",
                   help="jumlah kernel yang bekerja paralel (bawaan: 2; lebih dari jumlah "
                        "inti CPU tidak mempercepat)")
    add_render_options(p)
    p.set_defaults(func=cmd_report)


def add_render_options(p) -> None:
    """The options of every command that renders reports (``report``, ``audit``):
    ``--format``, ``--force``, ``--processed``, ``--out``, ``--notebooks``."""
    p.add_argument("--format", type=_formats, default=FORMATS, metavar="html,pdf",
                   help="format keluaran dipisah koma (bawaan: html,pdf; notebook hasil "
                        "eksekusi selalu ditulis)")
    p.add_argument("--force", action="store_true",
                   help="buat ulang semua laporan, juga yang masukannya tidak berubah")
    p.add_argument("--processed", type=Path, default=DATA_PROCESSED,
                   help=f"folder data olahan berisi <tahun>/ (bawaan: {DATA_PROCESSED})")
    p.add_argument("--out", "-o", type=Path, default=REPORTS,
                   help=f"folder laporan; hasil di <folder>/<tahun>/ (bawaan: {REPORTS})")
    p.add_argument("--notebooks", type=Path, default=None,
                   help="folder notebook laporan sendiri (bawaan: notebooks/ proyek)")
