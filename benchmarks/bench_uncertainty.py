"""Benchmark: vectorised rank uncertainty vs one rebuild per draw, and Sobol sensitivity.

A script that prints figures, not a test. Synthetic data (seeded): 514 regions x 19
indicators in 6 components of 1, 5, 5, 4, 3 and 1 indicators, the shape of the KAK
assessment over all kabupaten/kota.

Run::

    .venv/bin/python benchmarks/bench_uncertainty.py [--draws 10000] [--loop-draws 300]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from antikorupsi.uncertainty import (
    rank_change,
    rank_sensitivity,
    rank_uncertainty,
    rank_uncertainty_loop,
)

SIZES = (1, 5, 5, 4, 3, 1)
N_REGIONS = 514


def synthetic(seed: int = 20241209):
    """Scores with a regional level, component strengths/weaknesses and noise."""
    rng = np.random.default_rng(seed)
    comps = [f"K{c + 1}" for c in range(len(SIZES))]
    inds = [f"I{i + 1:02d}" for i in range(sum(SIZES))]
    ic = dict(zip(inds, [c for c, n in zip(comps, SIZES) for _ in range(n)]))
    level = rng.normal(75, 8, size=(N_REGIONS, 1))
    by_comp = np.repeat(rng.normal(0, 6, size=(N_REGIONS, len(SIZES))), SIZES, axis=1)
    x = np.clip(level + by_comp + rng.normal(0, 5, size=(N_REGIONS, len(inds))), 0, 100)
    x[rng.random(x.shape) < 0.01] = np.nan  # a few missing indicators, as in real data
    scores = pd.DataFrame(x.round(2), index=[f"{1101 + i}" for i in range(N_REGIONS)],
                          columns=inds)
    iw = {i: 1.0 for i in inds}
    cw = dict(zip(comps, (20.0, 25.0, 20.0, 15.0, 15.0, 5.0)))
    return scores, ic, iw, cw


def timed(fn, repeats: int) -> tuple[float, list[float], object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def peak_traced(fn) -> float:
    """Peak Python-traced allocation (numpy arrays included) of one call, in MiB."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def rebuild_per_draw(m: int, vec_per_draw: float) -> None:
    """The COINr way: per draw, copy the framework with new weights and rebuild the index.

    Runs the library's own public path (``Framework.with_weights`` then ``rescore``, which
    recomputes components, totals, ranks, categories, screening-based designations) on
    the synthetic national set, the same data size as above.
    """
    from antikorupsi.framework import load_framework
    from antikorupsi.national import national_year_inputs
    from antikorupsi.scoring import rescore, score_year

    fw = load_framework("kak-2025")
    regions, inputs = national_year_inputs(2025, fw)
    a = score_year(fw, inputs, regions)
    rng = np.random.default_rng(20241209)
    base = {c.code: c.weight for c in fw.components}
    t0 = time.perf_counter()
    ranks = []
    for _ in range(m):
        w = {k: v * rng.uniform(0.75, 1.25) for k, v in base.items()}
        agg = ("arithmetic", "geometric")[int(rng.integers(2))]
        ranks.append(rescore(a, fw.with_weights(w, aggregation=agg)).results["peringkat"])
    dt = time.perf_counter() - t0
    per_draw = dt / m
    print(f"{'library rebuild per draw (with_weights+rescore)':45s} {m:>6} draws: {dt:6.3f} s "
          f"({per_draw * 1000:6.4f} s per 1000 draws); {len(a.results)} regions")
    print(f"per-draw cost ratio rebuild / vectorised: {per_draw / vec_per_draw:.0f}x "
          f"(rebuild extrapolated to 10000 draws: {per_draw * 10_000:.0f} s)\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--loop-draws", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rebuild-draws", type=int, default=200,
                    help="draws for the COINr-style loop that rebuilds the index per draw")
    args = ap.parse_args()

    scores, ic, iw, cw = synthetic()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} cores")
    print(f"data: {scores.shape[0]} regions x {scores.shape[1]} indicators, components "
          f"{SIZES}, {int(scores.isna().sum().sum())} missing cells\n")

    n = args.draws
    vec_runs = {}
    for label, kw in [
        ("vectorised, uniform, arithmetic|geometric", {}),
        ("vectorised, dirichlet", {"sampling": "dirichlet"}),
        ("vectorised, + indicator weights perturbed", {"perturb_indicator_weights": True}),
    ]:
        med, times, res = timed(lambda kw=kw: rank_uncertainty(scores, ic, iw, cw, n_draws=n, **kw),
                                args.repeats)
        vec_runs[label] = (med, res)
        print(f"{label:45s} {n:>6} draws: median {med:6.3f} s  "
              f"({med / n * 1000:6.4f} s per 1000 draws)  runs "
              + " ".join(f"{t:.3f}" for t in times))

    peak = peak_traced(lambda: rank_uncertainty(scores, ic, iw, cw, n_draws=n))
    peak_ind = peak_traced(lambda: rank_uncertainty(scores, ic, iw, cw, n_draws=n,
                                                    perturb_indicator_weights=True))
    print(f"peak traced memory, {n} draws: {peak:.1f} MiB (default), "
          f"{peak_ind:.1f} MiB (indicator weights perturbed)")

    m = args.loop_draws
    loop_med, loop_times, loop_res = timed(
        lambda: rank_uncertainty_loop(scores, ic, iw, cw, n_draws=m), max(3, args.repeats // 2))
    print(f"{'loop (one rebuild per draw)':45s} {m:>6} draws: median {loop_med:6.3f} s  "
          f"({loop_med / m * 1000:6.4f} s per 1000 draws)  runs "
          + " ".join(f"{t:.3f}" for t in loop_times))
    vec_med = vec_runs["vectorised, uniform, arithmetic|geometric"][0]
    ratio = (loop_med / m) / (vec_med / n)
    print(f"per-draw cost ratio loop / vectorised: {ratio:.1f}x "
          f"(loop extrapolated to {n} draws: {loop_med / m * n:.1f} s)")
    same = rank_uncertainty(scores, ic, iw, cw, n_draws=m).table.equals(loop_res.table)
    print(f"vectorised table == loop table on {m} draws: {same}\n")

    rebuild_per_draw(args.rebuild_draws, vec_med / n)

    # year-over-year: both years scored under the same 10,000 weight draws
    drift = np.random.default_rng(7).normal(1.0, 3.0, size=scores.shape)
    previous = (scores - drift).clip(0, 100)
    med, times, res = timed(lambda: rank_change(scores, previous, ic, iw, cw, n_draws=n),
                            max(3, args.repeats // 2))
    counts = res.table["signifikan"].value_counts().to_dict()
    print(f"rank_change (two years, shared draws)      {n:>6} draws: median {med:6.3f} s  "
          f"runs {' '.join(f'{t:.3f}' for t in times)}; {counts}\n")

    t0 = time.perf_counter()
    import SALib.analyze.sobol  # noqa: F401  (import cost, paid once per process)
    import SALib.sample.sobol  # noqa: F401
    print(f"SALib import: {time.perf_counter() - t0:.2f} s")
    for kw in ({}, {"n_base": 512}, {"perturb_indicator_weights": True}):
        med, times, res = timed(lambda kw=kw: rank_sensitivity(scores, ic, iw, cw, **kw), 3)
        status = res.summary["status"].value_counts().to_dict()
        print(f"rank_sensitivity {kw or 'defaults (n_base=256)'}: {len(res.factors)} factors, "
              f"{res.n_evaluations} evaluations x {N_REGIONS} regions: median {med:.2f} s "
              f"(runs {' '.join(f'{t:.2f}' for t in times)}); status {status}; "
              f"median ST_conf {res.indices['ST_conf'].median():.3f}")
    print(f"example: {res.summary['sentence'].iloc[0]}")

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmax RSS of the whole benchmark process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
