"""Benchmark: how fast hostile inputs are refused, and what the guards cost on good ones.

A script that prints figures, not a test. It times (median of ``--repeats`` runs):

1. refusing hostile YAML through ``load_framework``: an alias bomb (9^9 nodes once
   expanded), a self-referencing alias, 200-deep nesting, a 50 MB (sparse) file
   (target: each well under 1 s);
2. loading the shipped framework through the safe loader against plain
   ``yaml.safe_load`` (the guard's cost on every good file);
3. ``antikorupsi validate`` on a 200,000-row indicator table (refused by the row cap)
   and on a 45,600-row table with ~52,000 problems (the message is summarised):
   wall time and the size of the message;
4. the CSV neutralisation on the national ``skor_indikator`` table (9,766 rows).

Run::

    .venv/bin/python benchmarks/bench_hostile.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from antikorupsi import cli, sheets
from antikorupsi.errors import FrameworkError
from antikorupsi.framework import framework_bytes, load_framework
from antikorupsi.safeyaml import load_yaml

REPO = Path(__file__).resolve().parents[1]


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _bomb() -> str:
    text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for k in range(1, 9):
        prev, cur = chr(ord("a") + k - 1), chr(ord("a") + k)
        text += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


def _refuse(path: Path) -> None:
    try:
        load_framework(path)
    except FrameworkError:
        return
    raise AssertionError(f"{path.name} was accepted")


def _validate(data: Path) -> tuple[float, int]:
    err = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["validate", "--year", "2024", "--data", str(data)])
    assert code == 2
    return time.perf_counter() - t, len(err.getvalue().encode("utf-8"))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} (other processes compete for the CPU)\n")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = {"alias bomb (9^9 nodes)": _bomb(), "self-referencing alias": "a: &a [1, *a]\n",
                 "200-deep nesting": "a: " + "[" * 200 + "]" * 200 + "\n"}
        print("1. hostile YAML refused by load_framework (median ms)")
        for name, text in cases.items():
            path = tmp / "x.yaml"
            path.write_text(text, encoding="utf-8")
            print(f"   {name:<28} {_median_ms(lambda: _refuse(path), args.repeats):8.2f} ms")
        big = tmp / "besar.yaml"
        with big.open("wb") as fh:
            fh.write(b"id: x\n")
            fh.truncate(50 * 2**20)
        print(f"   {'50 MB file':<28} {_median_ms(lambda: _refuse(big), args.repeats):8.2f} ms")

        raw = framework_bytes("kak-2025")[0]
        safe = _median_ms(lambda: load_yaml(raw, "kak-2025", FrameworkError), args.repeats * 4)
        plain = _median_ms(lambda: yaml.safe_load(raw), args.repeats * 4)
        print(f"\n2. shipped framework ({len(raw):,} bytes): safe loader {safe:.2f} ms, "
              f"yaml.safe_load {plain:.2f} ms")

        print("\n3. antikorupsi validate on oversized inputs")
        # 2024: the sample year kept as one table (2025 is split into stage workbooks)
        sample = pd.read_csv(REPO / "data" / "raw" / "2024" / "indikator.csv", dtype=str,
                             keep_default_na=False)
        screening = REPO / "data" / "raw" / "2024" / "penyaringan.csv"
        for name, df in (("212,800 rows (row cap)", pd.concat([sample] * 1400)),
                         ("45,600 rows, ~52,000 problems", pd.concat([sample] * 300))):
            data = tmp / name.split()[0].replace(",", "")
            (data / "2024").mkdir(parents=True)
            df = df.reset_index(drop=True)
            if "problems" in name:
                df.loc[::7, "nilai"] = "abc"
            df.to_csv(data / "2024" / "indikator.csv", index=False)
            (data / "2024" / "penyaringan.csv").write_bytes(screening.read_bytes())
            seconds, size = _validate(data)
            print(f"   {name:<32} {seconds:6.2f} s, message {size:,} bytes")

        from antikorupsi.inputs import read_year
        from antikorupsi.national import national_inputs, write_national
        from antikorupsi.scoring import score_year

        fw = load_framework("kak-2025")
        regions, _ = national_inputs(2025, fw, 20251209)
        nat = tmp / "nasional"
        write_national(nat, [2025])
        a = score_year(fw, read_year(nat, 2025, fw, regions), regions)
        table = a.indicators
        ms = _median_ms(lambda: sheets.csv_frame(table), args.repeats * 4)
        print(f"\n4. CSV neutralisation of skor_indikator ({len(table):,} rows x "
              f"{table.shape[1]} columns): {ms:.1f} ms")


if __name__ == "__main__":
    main()
