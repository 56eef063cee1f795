"""Seeded synthetic indicator values, clearly labelled, for samples, tests and benchmarks.

The 19 assessed indicator values of real regions are not public. Every row made here
carries ``sintetis = ya`` and a note saying so; reports print that label wherever these
values show. Same seed, same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import Framework

__all__ = ["synthetic_indicators", "SYNTHETIC_NOTE"]

SYNTHETIC_NOTE = "DATA SINTETIS: dibuat acak untuk contoh, bukan hasil penilaian KPK"


def _value_for(ind, fw: Framework, q: float, rng: np.random.Generator) -> str:
    """A raw input value consistent with latent quality ``q`` (0-100)."""
    sc = ind.scoring
    noisy = float(np.clip(q + rng.normal(0, 7), 0, 100))
    if sc.method == "rubric":
        levels = fw.rubric(sc.rubric).levels
        top = len(levels) - 1
        idx = int(np.clip(round(noisy / 100 * top + rng.normal(0, 0.35)), 0, top))
        return str(levels[idx].level)
    if sc.method == "direct":
        return f"{noisy:.1f}"
    share = noisy / 100
    x = sc.low + share * (sc.high - sc.low) if sc.direction == 1 else sc.high - share * (
        sc.high - sc.low)
    if sc.valid is not None:
        x = float(np.clip(x, *sc.valid))
    return f"{x:.0f}" if sc.unit == "hari" else f"{x:.1f}"


def synthetic_indicators(regions: pd.DataFrame, framework: Framework, year: int, seed: int,
                         quality: dict[str, float] | None = None, missing_share: float = 0.01,
                         ) -> pd.DataFrame:
    """Raw indicator rows (the ``indikator`` table layout) for every region.

    Parameters
    ----------
    regions : registry frame (``kode_wilayah`` used).
    quality : optional latent quality per region code (0-100); drawn when absent.
    missing_share : share of values left empty (evidence not submitted), to exercise
        the missing-data policy.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for code in regions["kode_wilayah"]:
        q = (quality or {}).get(code)
        if q is None:
            q = float(np.clip(rng.normal(74, 10), 30, 98))
        for ind in framework.indicators:
            value = _value_for(ind, framework, q, rng)
            note = SYNTHETIC_NOTE
            if rng.random() < missing_share:
                value, note = "", SYNTHETIC_NOTE + "; bukti belum diserahkan"
            rows.append({"tahun": str(year), "kode_wilayah": code, "kode_indikator": ind.code,
                         "nilai": value, "bukti": f"sintetis/{year}/{code}/{ind.code}",
                         "catatan": note, "sintetis": "ya"})
    return pd.DataFrame(rows)
