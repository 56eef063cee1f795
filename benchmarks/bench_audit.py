"""Benchmark: the yearly statistical audit of the synthetic national set (514 x 19).

A script that prints figures, not a test. It scores the seeded national set in process
(``antikorupsi.national.national_inputs``, as ``scripts/make_national.py`` writes it)
and times :func:`antikorupsi.audit.audit` with the report's settings (three Monte Carlo
runs of 10,000 draws each), as the median of ``--repeats`` runs after a warm-up (which
also pays the one-off scipy import), then prints the split of that time over the parts
of the audit. Target: <= 5 s. The rendering of the audit report (notebook, HTML, PDF)
is timed separately with ``--render``.

Wall-clock times suffer when other processes compete for the CPU; CPU times of this
process are printed beside them, and the load average before and after.

Run::

    .venv/bin/python benchmarks/bench_audit.py [--repeats 5] [--render]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from antikorupsi import __version__
from antikorupsi.audit import AuditSettings, audit
from antikorupsi.framework import load_framework
from antikorupsi.national import DEFAULT_SEED, national_year_inputs
from antikorupsi.scoring import score_year

YEAR = 2025
TARGET_S = 5.0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=5, help="timed runs (>= 3)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--render", action="store_true",
                   help="also render the audit report (HTML + PDF) once and time it")
    args = p.parse_args(argv)
    repeats = max(3, args.repeats)

    fw = load_framework(f"kak-{YEAR}")
    regions, inputs = national_year_inputs(YEAR, fw, args.seed)
    a = score_year(fw, inputs, regions)
    settings = AuditSettings()  # the report's: 10,000 draws, +-25%, seed 20241209

    print(f"antikorupsi {__version__} | Python {platform.python_version()} | "
          f"numpy {np.__version__} | {platform.machine()} x{os.cpu_count()} | "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"Audit of the synthetic national set {YEAR}: {len(a.results)} regions x "
          f"{len(fw.indicators)} indicators, {settings.n_draws:,} draws per Monte Carlo run "
          f"(3 runs); median of {repeats} runs after a warm-up\n")

    start = time.perf_counter()
    audit(a, settings)
    first = time.perf_counter() - start
    walls, cpus, parts = [], [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        result = audit(a, settings)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        parts.append(result.timings)
    median = statistics.median(walls)
    print(f"  first run (imports scipy)          {first:6.2f} s")
    print(f"  audit 514 x 19                     median {median:6.2f} s  (min {min(walls):.2f}, "
          f"max {max(walls):.2f}; CPU median {statistics.median(cpus):.2f})")
    print("  split of the time (median per part):")
    for name in parts[0]:
        t = statistics.median(x[name] for x in parts)
        print(f"    {name:<28} {t * 1e3:8.1f} ms  ({t / median:5.1%})")
    flags = {}
    for f in result.flags:
        flags[f.section] = flags.get(f.section, 0) + 1
    print(f"  findings: {flags}; uncertainty from the method: "
          f"{result.uncertainty.share_method:.0%}")
    verdict = "within" if median <= TARGET_S else "ABOVE"
    print(f"\naudit median {median:.2f} s: {verdict} the {TARGET_S:.0f} s target "
          f"(load now {os.getloadavg()[0]:.2f})")

    if args.render:
        from antikorupsi.national import write_national
        from antikorupsi.pipeline import score_and_write
        from antikorupsi.reporting import plan_audit, render_plans

        with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
            data = Path(tmp) / "synthetic"
            write_national(data, [YEAR], seed=args.seed)
            processed = Path(tmp) / "processed"
            score_and_write(YEAR, data, processed, regions=data / "wilayah.csv")
            plan = plan_audit(YEAR, processed_dir=processed, out_dir=Path(tmp) / "reports")
            start = time.perf_counter()
            summary = render_plans([plan], workers=1, progress=False)
            took = time.perf_counter() - start
            pdf = plan.jobs[0].output_path("pdf")
            size = pdf.stat().st_size / 1024 if pdf.is_file() else float("nan")
            print(f"render audit report (kernel start, notebook, HTML, PDF): {took:.1f} s, "
                  f"ok={summary.ok}, PDF {size:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
