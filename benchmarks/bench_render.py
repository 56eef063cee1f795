"""Time antikorupsi.render against the naive papermill + nbconvert CLI route.

Prints figures; it is not a test. By default it builds a synthetic data set (514 regions x
50 indicators) and renders the fixture notebook that imitates a region report (reads the
CSV, computes a score and rank, two matplotlib charts, a styled pandas table) plus one
annual report, then runs the naive route (``papermill`` CLI, then ``jupyter nbconvert
--to html`` CLI, one pair of processes per region) on a subset, and prints seconds per
region for each and their ratio.

Examples
--------
    python benchmarks/bench_render.py --regions 8 --naive-subset 4
    python benchmarks/bench_render.py --regions 100 --naive-subset 6
    python benchmarks/bench_render.py --notebook notebooks/region.ipynb \\
        --param-name region_code --codes-file data/processed/2025/scores.csv \\
        --param year=2025 --regions 50

With ``--notebook`` the codes come from the first column of ``--codes-file`` (or the
column named by ``--code-column``); every job gets ``{param_name: code}`` plus the
``--param KEY=VALUE`` constants (values are passed as strings).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from antikorupsi import render as render_module  # noqa: E402
from antikorupsi.render import RenderJob, find_browser, format_summary, render  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "render"
BIN = Path(sys.executable).parent


def synthetic_data(path: Path, n: int = 514, seed: int = 1) -> list[str]:
    """Write a region x indicator CSV like the processed inputs; return the codes."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    codes = [f"{1101 + i}" for i in range(n)]
    frame = pd.DataFrame(rng.uniform(20, 100, (n, 50)), columns=[f"i{j:02d}" for j in range(50)])
    frame.insert(0, "nama_wilayah", [f"Kabupaten Contoh {i + 1}" for i in range(n)])
    frame.insert(0, "kode_wilayah", codes)
    frame.to_csv(path, index=False)
    return codes


def read_codes(path: Path, column: str | None) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise SystemExit(f"{path}: no rows")
    key = column or next(iter(rows[0]))
    return [row[key] for row in rows]


def build_jobs(args: argparse.Namespace, work: Path, out: Path) -> list[RenderJob]:
    stamp = str(time.time())  # fresh keys: always render
    if args.notebook:
        codes = read_codes(Path(args.codes_file), args.code_column)[: args.regions]
        constants = dict(p.split("=", 1) for p in args.param)
        return [
            RenderJob(
                Path(args.notebook).resolve(),
                {**constants, args.param_name: code},
                out / f"{code}",
                f"{stamp}-{code}",
                code,
            )
            for code in codes
        ]
    data = work / "indikator.csv"
    codes = synthetic_data(data)[: args.regions]
    jobs = [
        RenderJob(
            FIXTURES / "region_report.ipynb",
            {"region_code": code, "data_path": str(data), "year": 2025},
            out / f"{code}_contoh",
            f"{stamp}-{code}",
            f"{code} Kabupaten Contoh",
        )
        for code in codes
    ]
    jobs.append(
        RenderJob(
            FIXTURES / "annual_report.ipynb",
            {"data_path": str(data), "year": 2025},
            out / "laporan-tahunan",
            f"{stamp}-annual",
            "Laporan tahunan 2025",
        )
    )
    return jobs


def naive_one(job: RenderJob, out: Path) -> float:
    """papermill CLI then nbconvert CLI for one job; return seconds."""
    started = time.perf_counter()
    executed = out / f"{job.out_stem.name}.ipynb"
    cmd = [str(BIN / "papermill"), "--log-level", "ERROR", str(job.notebook), str(executed)]
    for name, value in job.parameters.items():
        cmd += ["-r" if isinstance(value, str) else "-p", name, str(value)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=job.notebook.parent)
    subprocess.run(
        [str(BIN / "jupyter-nbconvert"), "--to", "html", "--no-input", str(executed)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=8, help="region reports (default 8)")
    parser.add_argument("--naive-subset", type=int, default=4, help="regions for the naive route")
    parser.add_argument("--naive-workers", type=int, default=2, help="naive processes at once")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--formats", default="html,pdf", help="comma-separated (default html,pdf)")
    parser.add_argument("--html-only-too", action="store_true", help="also time without PDF")
    parser.add_argument(
        "--pdf-pages", type=int, default=None, help="browser pages printing at once (internal)"
    )
    parser.add_argument("--notebook", help="a real report notebook instead of the fixture")
    parser.add_argument("--param-name", default="region_code")
    parser.add_argument("--codes-file", help="CSV; codes in the first or --code-column column")
    parser.add_argument("--code-column")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--keep", type=Path, help="write outputs here and keep them")
    args = parser.parse_args(argv)
    if args.notebook and not args.codes_file:
        parser.error("--notebook needs --codes-file")
    if args.pdf_pages:
        render_module._PDF_PAGES = args.pdf_pages

    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        out = args.keep or work / "reports"
        out.mkdir(parents=True, exist_ok=True)
        jobs = build_jobs(args, work, out)
        n_regions = args.regions if not args.notebook else len(jobs)
        formats = tuple(f for f in args.formats.split(",") if f)
        print(f"{os.cpu_count()} CPUs; browser: {find_browser()}; {len(jobs)} jobs; {formats}")

        results = {}
        if args.html_only_too and "pdf" in formats:
            html_jobs = [
                RenderJob(j.notebook, j.parameters, j.out_stem, j.key + "-h", j.label) for j in jobs
            ]
            summary = render(
                html_jobs,
                formats=("html",),
                workers=args.workers,
                progress=False,
            )
            results["ours, html"] = summary
        summary = render(jobs, formats=formats, workers=args.workers, progress=False)
        results[f"ours, {'+'.join(formats)}"] = summary

        for name, summary in results.items():
            print(f"\n[{name}]\n{format_summary(summary)}")
            print(
                f"  {summary.elapsed:.2f} s total = {summary.elapsed / n_regions:.3f} s per region "
                f"({summary.elapsed / len(jobs):.3f} s per report)"
            )

        if args.naive_subset > 0:
            subset = jobs[: min(args.naive_subset, n_regions)]
            naive_out = work / "naive"
            naive_out.mkdir()
            started = time.perf_counter()
            with ThreadPoolExecutor(args.naive_workers) as pool:
                list(pool.map(lambda j: naive_one(j, naive_out), subset))
            naive = (time.perf_counter() - started) / len(subset)
            print(
                f"\n[naive: papermill CLI + nbconvert --to html CLI, "
                f"{args.naive_workers} at once, {len(subset)} regions]"
            )
            print(f"  {naive:.3f} s per region (HTML only, no PDF)")
            for name, summary in results.items():
                ours = summary.elapsed / n_regions
                print(f"  naive / ours ({name}): {naive / ours:.1f}x")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
