"""Benchmark: the real report route vs the naive route, on Banten and on all 514 regions.

A script that prints figures, not a test. It builds the seeded synthetic national set
(514 kabupaten/kota, labelled SINTETIS), scores 2024 and 2025 into a temporary folder,
then times, with the project's real notebooks:

1. ours: ``antikorupsi.reporting.report_years`` (one reused kernel per worker,
   in-process HTML, one long-lived Chromium printing A4 PDFs), per-region reports for
   every region plus the annual report, HTML + PDF;
2. the naive route on a subset, in the same run: ``papermill`` CLI then
   ``jupyter nbconvert --to html`` CLI per region, two processes at a time (HTML only,
   so the naive route does less work than ours);
3. the bundled Banten sample (8 regions + annual), HTML + PDF.

Run::

    .venv/bin/python benchmarks/bench_reports.py [--regions 514] [--naive-subset 6]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed_report(processed: Path, out: Path, year: int, regions: list[str] | None,
                 formats=("html", "pdf"), annual: bool | None = None) -> tuple[float, object]:
    from antikorupsi.reporting import report_years

    t0 = time.perf_counter()
    summary = report_years([year], processed_dir=processed, out_dir=out, regions=regions,
                           annual=annual, formats=formats, workers=2, force=True,
                           progress=False)
    return time.perf_counter() - t0, summary


def naive(processed: Path, out: Path, year: int, codes: list[str]) -> float:
    """papermill CLI then nbconvert CLI per region, 2 at a time (what the docs suggest)."""
    out.mkdir(parents=True, exist_ok=True)
    nb = ROOT / "notebooks" / "laporan_wilayah.ipynb"

    def one(code: str) -> None:
        executed = out / f"{code}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-p", "year", str(year),
                        "-r", "region_code", code, "-p", "processed_dir", str(processed),
                        "--cwd", str(ROOT / "notebooks"), "--no-progress-bar"],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(executed)], check=True, capture_output=True)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, codes))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=int, default=514, help="national regions to report")
    ap.add_argument("--naive-subset", type=int, default=6)
    args = ap.parse_args()

    from antikorupsi.national import write_national
    from antikorupsi.pipeline import score_and_write
    from antikorupsi.regions import load_regions

    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        raw = tmp / "raw"
        write_national(raw, [2024, 2025])
        processed = tmp / "processed"
        regions = load_regions(raw / "wilayah.csv")
        for y in (2024, 2025):
            score_and_write(y, raw, processed, regions=regions)
        codes = sorted(regions["kode_wilayah"])[: args.regions]
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; synthetic national "
              f"set: {len(regions)} regions scored for 2024 and 2025\n")

        # Banten sample, the bundled data
        bp = tmp / "banten-processed"
        for y in (2024, 2025):
            score_and_write(y, ROOT / "data" / "raw", bp)
        dt, s = timed_report(bp, tmp / "banten-reports", 2025, None)
        print(f"Banten sample, 8 regions + annual, HTML+PDF: {dt:.1f} s "
              f"(done {len(s.done)}, failed {len(s.failed)}; target <= 10 s)")

        # ours, national
        n = len(codes)
        full = n == len(regions)
        dt, s = timed_report(processed, tmp / "reports", 2025, None if full else codes,
                             annual=True)
        per = dt / n
        print(f"ours, {n} regions + annual, HTML+PDF: {dt:.1f} s = {per:.3f} s per region "
              f"(done {len(s.done)}, failed {len(s.failed)}; target <= 0,45 s per region)")
        sub = codes[: args.naive_subset]
        if not sub:  # --naive-subset 0: ours only
            return
        dt_h, _ = timed_report(processed, tmp / "reports-html", 2025, sub, formats=("html",),
                               annual=False)
        dt_n = naive(processed, tmp / "naive", 2025, sub)
        print(f"ours, HTML only, {len(sub)} regions (includes kernel start): {dt_h:.1f} s = "
              f"{dt_h / len(sub):.2f} s per region")
        print(f"naive (papermill CLI + nbconvert CLI, HTML only), {len(sub)} regions, 2 at a "
              f"time: {dt_n:.1f} s = {dt_n / len(sub):.2f} s per region")
        print(f"ratio naive / ours (ours with PDF, at scale): {dt_n / len(sub) / per:.1f}x")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"max RSS: this process {rss:.0f} MiB, largest child (kernel/browser) {kids:.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
