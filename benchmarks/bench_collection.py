"""Benchmark: reading 514 per-region workbooks (one per kabupaten/kota) for one year.

A script that prints figures, not a test. It builds, once, a year folder the way a
national collection arrives: ``mandiri/<code>_<name>.xlsx`` for all 514 regions, written
by ``antikorupsi.template.write_region_templates`` (locked, petunjuk sheet, dropdowns,
``tindak_lanjut`` sheet) and filled with the synthetic national values
(``antikorupsi.national``, labelled SINTETIS), plus the national ``penyaringan.csv``.
Then it times (median of ``--repeats`` runs after a warm-up):

1. ``read_year`` end to end (find, read, formula/error/control-character checks,
   validate, merge, consolidate), in one process, the default (target <= 20 s);
2. ``gather`` with 1 process and with a pool of 2 (why the default is one process);
3. for comparison, the engines considered, per workbook, on ``--sample`` workbooks:
   calamine (chosen; values) + the XML scan for uncalculated formulas and error cells,
   and openpyxl ``read_only=True, data_only=True`` reading both data sheets in one
   open (which cannot tell an uncalculated formula from an empty cell), extrapolated
   to 514;
4. the panel analysis of a national year with three assessors per indicator (in memory,
   no workbooks): ``panel.consolidate`` (the scores used), ``panel.stage_table`` (the
   gaps and disagreements of the plenary sheet) and ``panel.agreement`` (Krippendorff's
   alpha).

Wall-clock times suffer when other processes compete for the CPU; the load average
before and after is printed.

Run::

    .venv/bin/python benchmarks/bench_collection.py [--repeats 3] [--dir /tmp/kumpul514]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from antikorupsi import __version__
from antikorupsi.framework import load_framework
from antikorupsi.inputs import find_inputs, gather, read_year
from antikorupsi.national import DEFAULT_SEED, national_inputs
from antikorupsi.rawfiles import read_workbook
from antikorupsi.template import save_workbook, write_region_templates

YEAR = 2025
TARGET_S = 20.0


def build(folder: Path) -> tuple[object, object]:
    """Write the 514 filled per-region workbooks and the screening CSV (once)."""
    fw = load_framework(f"kak-{YEAR}")
    regions, frames = national_inputs(YEAR, fw, DEFAULT_SEED)
    year_dir = folder / str(YEAR)
    done = folder / f".selesai_{YEAR}"  # outside the year folder: not an input
    if done.is_file():
        return fw, regions
    shutil.rmtree(year_dir, ignore_errors=True)
    year_dir.mkdir(parents=True)
    t = time.perf_counter()
    paths = write_region_templates(year_dir / "mandiri", fw, regions, YEAR)
    t_write = time.perf_counter() - t
    values = frames["indikator"].set_index(["kode_wilayah", "kode_indikator"])
    t = time.perf_counter()
    for path, code in zip(paths, regions["kode_wilayah"]):
        wb = openpyxl.load_workbook(path)
        ws = wb["indikator"]
        col = {c.value: k + 1 for k, c in enumerate(ws[1])}
        for row in range(2, ws.max_row + 1):
            x = values.loc[(code, ws.cell(row, col["kode_indikator"]).value)]
            for name in ("nilai", "bukti", "catatan", "sintetis"):
                cell = ws.cell(row, col[name])
                cell.value = x[name] or None
                cell.data_type = "s"
        save_workbook(wb, path)
    t_fill = time.perf_counter() - t
    frames["penyaringan"].to_csv(year_dir / "penyaringan.csv", index=False, lineterminator="\n")
    done.write_text("ok\n")
    print(f"built {len(paths)} workbooks: templates {t_write:.1f} s "
          f"({t_write / len(paths) * 1e3:.0f} ms each), filled {t_fill:.1f} s")
    return fw, regions


def national_stages(fw, regions, seed: int = 1):
    """The national values as a self-assessment plus three assessors (10% left empty by
    each assessor, half of their evidence references missing), validated."""
    import numpy as np
    import pandas as pd

    from antikorupsi.inputs import validate_indicators

    _, frames = national_inputs(YEAR, fw, DEFAULT_SEED)
    rng = np.random.default_rng(seed)
    parts = []
    for stage, who in (("mandiri", ""), ("verifikasi", "KPK-01"), ("verifikasi", "BPKP-02"),
                       ("verifikasi", "INSP-03")):
        d = frames["indikator"].copy()
        d["tahap"], d["penilai"], d["instansi"] = stage, who, who[:-3]
        if stage == "verifikasi":
            d.loc[rng.random(len(d)) < 0.1, "nilai"] = ""
            d["bukti"] = np.where(rng.random(len(d)) < 0.5, "", d["bukti"])
        parts.append(d)
    stages, problems = validate_indicators(pd.concat(parts, ignore_index=True), fw, regions,
                                           YEAR, file="tahapan.csv")
    assert not problems, problems[:3]
    return stages


def timed(fn, repeats: int) -> list[float]:
    fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def calamine_one(path: Path) -> None:
    book = read_workbook(path)
    for name in ("indikator", "tindak_lanjut"):
        book.sheet(name)


def openpyxl_one(path: Path) -> None:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for name in ("indikator", "tindak_lanjut"):
            list(wb[name].iter_rows(values_only=True))
    finally:
        wb.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--sample", type=int, default=60, help="workbooks for the engine comparison")
    p.add_argument("--dir", type=Path, default=None,
                   help="keep the generated folder here and reuse it (default: a temp folder)")
    args = p.parse_args(argv)
    print(f"antikorupsi {__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPU, load {os.getloadavg()[0]:.2f}")
    tmp = None
    if args.dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_kumpul_")
        folder = Path(tmp.name)
    else:
        folder = args.dir
    try:
        fw, regions = build(folder)
        files = [f for f in find_inputs(folder, YEAR) if f.kind == "workbook"]
        print(f"{len(files)} workbooks, {sum(f.path.stat().st_size for f in files) / 2**20:.1f} "
              "MiB")

        def end_to_end():
            inputs = read_year(folder, YEAR, fw, regions)
            assert len(inputs.indicators) == 514 * 19 and not inputs.screening.empty

        wall = timed(end_to_end, args.repeats)
        med = statistics.median(wall)
        print(f"read_year, 514 workbooks + screening CSV: median {med:.2f} s "
              f"(min {min(wall):.2f}, {med / len(files) * 1e3:.1f} ms per workbook; "
              f"target <= {TARGET_S:.0f} s: {'met' if med <= TARGET_S else 'NOT met'})")
        for workers in (1, 2):
            w = timed(lambda: gather(folder, YEAR, fw, regions, workers=workers),
                      max(1, args.repeats - 1))
            print(f"gather, {workers} process{'es' if workers > 1 else ''}: median "
                  f"{statistics.median(w):.2f} s")
        sample = [f.path for f in files[: args.sample]]
        for label, fn in (("calamine + XML scan (chosen)", calamine_one),
                          ("openpyxl read_only, both sheets, one open", openpyxl_one)):
            w = timed(lambda: [fn(x) for x in sample], 1)
            per = statistics.median(w) / len(sample)
            print(f"{label}: {per * 1e3:.1f} ms per workbook -> {per * 514:.1f} s for 514 "
                  f"(1 process)")
        from antikorupsi import panel

        stages = national_stages(fw, regions)
        used = panel.consolidate(stages, fw)
        scored = used.assign(skor=used["skor_masukan"].fillna(0.0))
        print(f"panel, 514 regions x 19 indicators, self-assessment + 3 assessors "
              f"({len(stages):,} rows):")
        for label, fn in (("consolidate", lambda: panel.consolidate(stages, fw)),
                          ("stage_table", lambda: panel.stage_table(stages, scored, fw)),
                          ("agreement (Krippendorff)", lambda: panel.agreement(stages, fw))):
            w = timed(fn, args.repeats)
            print(f"  {label:<26} median {statistics.median(w):.2f} s")
    finally:
        print(f"load after: {os.getloadavg()[0]:.2f}")
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
