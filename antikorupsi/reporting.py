"""The ``report`` command: every region's report and the annual report of a scored year.

:func:`plan_year` turns ``data/processed/<year>/`` into one :class:`~antikorupsi.render.RenderJob`
per region (``reports/<year>/<code>_<slug>``) plus the annual report
(``reports/<year>/laporan_tahunan_<year>``); :func:`report_years` renders them in one
:func:`~antikorupsi.render.render` call (one warm kernel per worker, one browser) and
writes ``reports/<year>/manifest.json``. The job key is the SHA-256 of everything that
decides a report's content: the processed manifest (which hashes every scored table),
the notebook, the package version, the parameters and the report library's source, so
an unchanged report is skipped and a re-scored year or an edited notebook re-renders.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import __version__
from .cli import positive_int
from .config import DATA_PROCESSED, NOTEBOOKS, REPORTS
from .errors import InputError, Problem
from .fmt import ascii_slug

__all__ = [
    "REGION_NOTEBOOK",
    "ANNUAL_NOTEBOOK",
    "YearPlan",
    "plan_year",
    "report_year",
    "report_years",
    "processed_years",
    "notebook_dir",
    "slug",
    "register",
]

REGION_NOTEBOOK = "laporan_wilayah.ipynb"
ANNUAL_NOTEBOOK = "laporan_tahunan.ipynb"
REPORTS_MANIFEST = "manifest.json"
FORMATS = ("html", "pdf")
_LIBRARY_FILES = ("report.py", "charts.py", "fmt.py", "actions.py", "maps.py",
                  "data/batas_wilayah.geojson")


def slug(text: str) -> str:
    """``"Kota Tangerang Selatan"`` -> ``"kota-tangerang-selatan"`` (ASCII, hyphens)."""
    return ascii_slug(text, "-") or "wilayah"


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


def _library_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _LIBRARY_FILES:
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
        Folder holding ``laporan_wilayah.ipynb`` and ``laporan_tahunan.ipynb``.
    province : str, optional
        Only this province (code such as ``"36"`` or name such as ``"Banten"``): its
        regions and an annual report of the province alone.
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
    nb_dir = Path(notebooks) if notebooks is not None else notebook_dir()
    region_nb = (nb_dir / REGION_NOTEBOOK).resolve()
    annual_nb = (nb_dir / ANNUAL_NOTEBOOK).resolve()
    for nb in (region_nb,) + ((annual_nb,) if annual else ()):
        if not nb.is_file():
            raise InputError(Problem(str(nb), "notebook laporan tidak ditemukan",
                                     expected="folder notebooks/ proyek (atau --notebooks)"))
    library = _library_digest()
    out = Path(out_dir) / str(year)
    tag = " · DATA SINTETIS" if synthetic else ""
    from .render import RenderJob

    jobs, entries = [], []
    region_bytes = region_nb.read_bytes()
    for code in wanted:
        params = {"year": year, "region_code": code, "processed_dir": str(processed.parent),
                  **extra}
        stem = out / f"{code}_{slug(names[code])}"
        jobs.append(RenderJob(region_nb, params, stem,
                              _job_key(manifest, region_bytes, params, library),
                              f"{code} {names[code]} · {year}{tag}"))
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_reports_manifest(plan: YearPlan, summary) -> Path:
    """Merge this run's reports into ``<out>/<year>/manifest.json`` (atomically)."""
    path = plan.out_dir / REPORTS_MANIFEST
    previous: dict[str, dict] = {}
    if path.is_file():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            previous = {e["stem"]: e for e in old.get("laporan", []) if "stem" in e}
        except (OSError, ValueError, KeyError, TypeError):
            previous = {}
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
            key = previous.get(entry["stem"], {}).get("kunci")  # outputs on disk are older
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

    Returns
    -------
    antikorupsi.render.RenderSummary
        ``summary.ok`` is False when any report failed.
    """
    from .render import render

    plans = [plan_year(y, processed_dir=processed_dir, out_dir=out_dir, regions=regions,
                       annual=annual, notebooks=notebooks, province=province,
                       annual_only=annual_only, issuing_unit=issuing_unit,
                       report_date=report_date, boundaries=boundaries) for y in years]
    jobs = [job for plan in plans for job in plan.jobs]
    summary = render(jobs, formats=formats, workers=workers, force=force, progress=progress,
                     cell_timeout=cell_timeout, browser=browser)
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
    p.add_argument("--format", type=_formats, default=FORMATS, metavar="html,pdf",
                   help="format keluaran dipisah koma (bawaan: html,pdf; notebook hasil "
                        "eksekusi selalu ditulis)")
    p.add_argument("--jobs", "-j", type=positive_int, default=2, metavar="N",
                   help="jumlah kernel yang bekerja paralel (bawaan: 2; lebih dari jumlah "
                        "inti CPU tidak mempercepat)")
    p.add_argument("--force", action="store_true",
                   help="buat ulang semua laporan, juga yang masukannya tidak berubah")
    p.add_argument("--processed", type=Path, default=DATA_PROCESSED,
                   help=f"folder data olahan berisi <tahun>/ (bawaan: {DATA_PROCESSED})")
    p.add_argument("--out", "-o", type=Path, default=REPORTS,
                   help=f"folder laporan; hasil di <folder>/<tahun>/ (bawaan: {REPORTS})")
    p.add_argument("--notebooks", type=Path, default=None,
                   help="folder notebook laporan sendiri (bawaan: notebooks/ proyek)")
    p.set_defaults(func=cmd_report)
