"""Benchmark: scoring the synthetic national set (514 regions x 19 indicators) in process.

A script that prints figures, not a test. It times, each as the median of ``--repeats``
runs after a warm-up run:

1. ``score_year`` from validated inputs (target: <= 30 ms),
2. validation of the raw tables (``validate_indicators`` + ``validate_screening``), and
   the methodology figures of the reports (``readings.aggregation_readings``: three
   other aggregation readings rescored; ``geometric_missing_penalty``),
3. the full CLI path, ``antikorupsi score`` on files written by
   ``scripts/make_national.py`` (read, validate, score this year and the previous one,
   write Parquet/CSV/manifest), run in this process with its output discarded.

Wall-clock times suffer when other processes compete for the CPU; CPU times of this
process are printed beside them, and the load average before and after.

Run::

    .venv/bin/python benchmarks/bench_scoring.py [--repeats 9] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from antikorupsi import __version__, cli
from antikorupsi.framework import load_framework
from antikorupsi.inputs import YearInputs, validate_indicators, validate_screening
from antikorupsi.national import DEFAULT_SEED, national_inputs, write_national
from antikorupsi.readings import aggregation_readings, geometric_missing_penalty
from antikorupsi.scoring import score_year

YEAR = 2025
TARGET_MS = 30.0


def timed(fn, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``repeats`` calls of ``fn`` after one warm-up call."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return wall, cpu


def line(label: str, wall: list[float], cpu: list[float], unit: float = 1e3,
         suffix: str = "ms") -> str:
    return (f"  {label:<34} median {statistics.median(wall) * unit:8.1f} {suffix}"
            f"  (min {min(wall) * unit:.1f}, max {max(wall) * unit:.1f};"
            f" CPU median {statistics.median(cpu) * unit:.1f})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=9, help="timed runs per figure (>= 7)")
    p.add_argument("--cli-repeats", type=int, default=7, help="timed runs of the CLI path")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--profile", action="store_true",
                   help="also print a cProfile of score_year (top 15 by own time)")
    args = p.parse_args(argv)
    repeats = max(7, args.repeats)

    fw = load_framework(f"kak-{YEAR}")
    regions, frames = national_inputs(YEAR, fw, args.seed)
    ind, p1 = validate_indicators(frames["indikator"], fw, regions, YEAR)
    scr, p2 = validate_screening(frames["penyaringan"], fw, regions, YEAR)
    if p1 or p2:
        print("synthetic set does not validate:", *(p1 + p2)[:5], sep="\n", file=sys.stderr)
        return 1
    inputs = YearInputs(YEAR, ind, scr)

    print(f"antikorupsi {__version__} | Python {platform.python_version()} | "
          f"pandas {pd.__version__} | {platform.machine()} x{os.cpu_count()} | "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"Synthetic national set {YEAR}: {len(regions)} regions x {len(fw.indicators)} "
          f"indicators = {len(ind)} indicator rows, {len(scr)} screening rows "
          f"(seed {args.seed}); median of {repeats} runs after a warm-up\n")

    score_wall, score_cpu = timed(lambda: score_year(fw, inputs, regions), repeats)
    print(line("score_year (validated inputs)", score_wall, score_cpu))
    geo = fw.with_weights(aggregation="geometric")
    w, c = timed(lambda: score_year(geo, inputs, regions), repeats)
    print(line("score_year, geometric", w, c))
    mixed = fw.with_weights(aggregation="geometric/arithmetic")
    w, c = timed(lambda: score_year(mixed, inputs, regions), repeats)
    print(line("score_year, geometric within only", w, c))
    a = score_year(fw, inputs, regions)

    def readings():
        aggregation_readings(a)
        geometric_missing_penalty(a)

    w, c = timed(readings, repeats)
    print(line("methodology figures (readings, penalty)", w, c))

    def validate():
        validate_indicators(frames["indikator"], fw, regions, YEAR)
        validate_screening(frames["penyaringan"], fw, regions, YEAR)

    w, c = timed(validate, repeats)
    print(line("validate_indicators + _screening", w, c))

    with tempfile.TemporaryDirectory(prefix="bench-scoring-") as tmp:
        data = Path(tmp) / "synthetic"
        write_national(data, [YEAR - 1, YEAR], seed=args.seed)
        argv_cli = ["score", "--year", str(YEAR), "--data", str(data),
                    "--regions", str(data / "wilayah.csv"),
                    "--processed", str(Path(tmp) / "processed")]

        def run_cli():
            with contextlib.redirect_stdout(io.StringIO()):
                assert cli.main(argv_cli) == 0

        w, c = timed(run_cli, max(7, args.cli_repeats))
        print(line("CLI score (2 years, write outputs)", w, c))

    median = statistics.median(score_wall) * 1e3
    verdict = "within" if median <= TARGET_MS else "ABOVE"
    print(f"\nscore_year median {median:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target "
          f"(load now {os.getloadavg()[0]:.2f})")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            score_year(fw, inputs, regions)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
