"""A year's run at the edges: read raw inputs, score, write processed outputs."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .config import DATA_PROCESSED, DATA_RAW
from .errors import AntikorupsiError
from .framework import Framework, framework_bytes, framework_for_year, parse_framework
from .inputs import YearInputs, read_year
from .regions import load_regions
from .scoring import Assessment, score_year
from .store import write_assessment

__all__ = ["ScoreRun", "score_and_write", "assess", "available_years"]


@dataclass(frozen=True)
class ScoreRun:
    assessment: Assessment
    out_dir: Path
    framework_bytes: bytes
    previous_note: str | None
    inputs: YearInputs | None = None  # the validated inputs (stages, warnings)


def available_years(data_dir: str | Path = DATA_RAW) -> list[int]:
    d = Path(data_dir)
    return sorted(int(p.name) for p in d.iterdir() if p.is_dir() and p.name.isdigit()) \
        if d.is_dir() else []


def _framework(year: int, framework: str | Path | None) -> tuple[Framework, bytes]:
    data, source = framework_bytes(framework or framework_for_year(year))
    return parse_framework(data, source=source), data


def assess(year: int, data_dir: str | Path = DATA_RAW, framework: str | Path | None = None,
           regions: str | Path | pd.DataFrame | None = None, aggregation: str | None = None,
           with_previous: bool = True, previous: Assessment | None = None,
           ) -> tuple[Assessment, bytes, str | None]:
    """Validate and score ``year`` (and the year before, for the change, when present).

    ``previous``: the year before, already scored the same way (as ``run`` has it after
    its previous iteration); given, it is used instead of scoring that year again.
    """
    a, raw, note, _ = _assess(year, data_dir, framework, regions, aggregation, with_previous,
                              previous)
    return a, raw, note


def _assess(year, data_dir, framework, regions, aggregation, with_previous, previous):
    """:func:`assess`, also returning the validated inputs (stages, warnings)."""
    reg = regions if isinstance(regions, pd.DataFrame) else load_regions(regions)
    fw, raw = _framework(year, framework)
    if aggregation:
        fw = fw.with_weights(aggregation=aggregation)
    inputs = read_year(data_dir, year, fw, reg)
    note = None
    if not with_previous:
        previous = None
    elif previous is None and (Path(data_dir) / str(year - 1)).is_dir():
        try:
            pfw, _ = _framework(year - 1, None if framework is None else framework)
            if aggregation:
                pfw = pfw.with_weights(aggregation=aggregation)
            previous = score_year(pfw, read_year(data_dir, year - 1, pfw, reg), reg)
        except AntikorupsiError as exc:
            note = (f"Perbandingan dengan {year - 1} dilewati karena data {year - 1} "
                    f"bermasalah:\n{exc}")
    return score_year(fw, inputs, reg, previous=previous), raw, note, inputs


def score_and_write(year: int, data_dir: str | Path = DATA_RAW,
                    processed_dir: str | Path = DATA_PROCESSED,
                    framework: str | Path | None = None,
                    regions: str | Path | pd.DataFrame | None = None,
                    aggregation: str | None = None,
                    previous: Assessment | None = None) -> ScoreRun:
    """Validate, score and write ``processed_dir/<year>/``; nothing is written on error.

    Besides the scored tables, the panel tables (stages, assessors' agreement,
    follow-up of last year's recommendations: :func:`antikorupsi.panel.panel_tables`)
    and the inputs' warnings are written.
    """
    from .panel import panel_tables

    a, raw, note, inputs = _assess(year, data_dir, framework, regions, aggregation, True,
                                   previous)
    if note:
        print(note, file=sys.stderr)
    out = write_assessment(a, Path(processed_dir) / str(year), raw, input_root=data_dir,
                           extra=panel_tables(inputs, a), warnings=inputs.warnings)
    return ScoreRun(a, out, raw, note, inputs)
