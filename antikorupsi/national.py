"""A seeded synthetic national data set: all 514 kabupaten/kota, every table labelled.

Used for benchmarks, scale tests and demonstrations of a national run. Nothing here is
real: the 19 indicator values come from :func:`antikorupsi.synthetic.synthetic_indicators`
and the screening figures are drawn here, each row saying ``SINTETIS`` in ``sumber`` and
``catatan``. The frames have the raw-table layout (every cell text), so they go through
the same validation as the files analysts fill in. Same ``(year, framework, seed)``,
same frames.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .framework import Framework, ScreeningCriterion, framework_for_year, load_framework
from .inputs import SCREENING_COLUMNS, YearInputs, validate_indicators, validate_screening
from .regions import national_regions
from .sheets import write_csv
from .synthetic import SYNTHETIC_NOTE, synthetic_indicators

__all__ = ["national_inputs", "national_year_inputs", "write_national", "SYNTHETIC_SOURCE",
           "DEFAULT_SEED"]

SYNTHETIC_SOURCE = "SINTETIS: angka acak untuk uji skala, bukan data resmi"
DEFAULT_SEED = 20251209  # Hakordia 2025

#: Share of screening figures left empty (not found), to exercise "tidak diketahui".
SCREENING_MISSING_SHARE = 0.05


def _latent_quality(codes: list[str], year: int, seed: int) -> dict[str, float]:
    """Latent quality per region: a stable base (seed only) plus a yearly drift."""
    base = np.random.default_rng(seed).normal(74, 10, size=len(codes))
    drift = np.random.default_rng([seed, year]).normal(1.0, 3.0, size=len(codes))
    q = np.clip(base + drift, 30, 98)
    return {c: float(x) for c, x in zip(codes, q)}


def _screening_value(crit: ScreeningCriterion, q: float, rng: np.random.Generator) -> str:
    """One screening figure consistent with latent quality ``q`` (0-100), as text."""
    noisy = float(np.clip(q + rng.normal(0, 8), 0, 100)) / 100
    if crit.kind == "grade":
        # grades are listed best first: better quality, earlier grade
        n = len(crit.grades)
        return crit.grades[int(np.clip(np.floor((0.9 - noisy) / 0.9 * n), 0, n - 1))]
    if crit.kind == "count":
        return "1" if rng.random() < 0.03 else "0"
    lo, hi = crit.range if crit.range is not None else (0.0, 100.0)
    x = lo + noisy * (hi - lo)
    return f"{x:.2f}"


def synthetic_screening(regions: pd.DataFrame, framework: Framework, year: int, seed: int,
                        quality: dict[str, float]) -> pd.DataFrame:
    """Raw screening rows (``penyaringan`` layout) for every region and criterion.

    Figures are dated the year before the assessment; a criterion with a
    ``consecutive`` rule gets one row per required year. About
    ``SCREENING_MISSING_SHARE`` of the criteria are left empty (figure not found).
    """
    rng = np.random.default_rng([seed, year, 1])
    rows = []
    for code in regions["kode_wilayah"]:
        q = quality[code]
        for crit in framework.screening:
            consecutive = crit.rule is not None and crit.rule.op == "consecutive"
            years = int(crit.rule.years) if consecutive else 1
            if rng.random() < SCREENING_MISSING_SHARE:
                rows.append([str(year), code, crit.code, "", "", "",
                             SYNTHETIC_NOTE + "; angka tidak ditemukan"])
                continue
            for back in range(1, years + 1):
                rows.append([str(year), code, crit.code, _screening_value(crit, q, rng),
                             str(year - back), SYNTHETIC_SOURCE, SYNTHETIC_NOTE])
    return pd.DataFrame(rows, columns=SCREENING_COLUMNS)


def national_inputs(year: int, framework: Framework, seed: int = DEFAULT_SEED,
                    ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The synthetic national set of ``year``: the registry and the raw tables.

    Parameters
    ----------
    year : assessment year written in every row.
    framework : framework whose indicators and screening criteria are filled.
    seed : the same seed gives the same frames; a region's latent quality depends on
        the seed only (plus a small yearly drift), so consecutive years are comparable.

    Returns
    -------
    regions : the 514 kabupaten/kota (``regions.national_regions()``).
    frames : ``{"indikator": ..., "penyaringan": ...}``, text cells in the raw layout
        that :func:`antikorupsi.inputs.validate_indicators` and
        :func:`~antikorupsi.inputs.validate_screening` take (what ``read_year`` reads
        from ``<year>/indikator.csv`` and ``penyaringan.csv``).
    """
    regions = national_regions()
    quality = _latent_quality(list(regions["kode_wilayah"]), year, seed)
    indikator = synthetic_indicators(regions, framework, year, seed=seed + year,
                                     quality=quality, missing_share=0.01)
    penyaringan = synthetic_screening(regions, framework, year, seed, quality)
    return regions, {"indikator": indikator, "penyaringan": penyaringan}


def national_year_inputs(year: int, framework: Framework, seed: int = DEFAULT_SEED,
                         ) -> tuple[pd.DataFrame, YearInputs]:
    """:func:`national_inputs` validated into :class:`YearInputs` (raises nothing; asserts)."""
    regions, frames = national_inputs(year, framework, seed)
    ind, p1 = validate_indicators(frames["indikator"], framework, regions, year,
                                  file="indikator.csv")
    scr, p2 = validate_screening(frames["penyaringan"], framework, regions, year,
                                 file="penyaringan.csv")
    if p1 or p2:  # a bug in this module, not a data problem
        raise AssertionError("synthetic national set does not validate:\n"
                             + "\n".join(str(p) for p in (p1 + p2)[:20]))
    return regions, YearInputs(year, ind, scr)


def write_national(out_dir: str | Path, years: list[int], seed: int = DEFAULT_SEED,
                   framework: str | Path | None = None) -> list[Path]:
    """Write ``out_dir/wilayah.csv`` and ``out_dir/<year>/{indikator,penyaringan}.csv``.

    Each year uses ``framework`` or the shipped framework of that year. Files are
    byte-identical for identical arguments. Returns the paths written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    regions = None
    for year in years:
        fw = load_framework(framework or framework_for_year(year))
        regions, frames = national_inputs(year, fw, seed)
        d = out / str(year)
        d.mkdir(parents=True, exist_ok=True)
        for name, df in frames.items():
            path = d / f"{name}.csv"
            write_csv(df, path)
            written.append(path)
    if regions is None:
        regions = national_regions()
    path = out / "wilayah.csv"
    write_csv(regions, path)
    written.append(path)
    return written
