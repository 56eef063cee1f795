"""A year's run at the edges: read raw inputs, score, write processed outputs."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .config import DATA_PROCESSED, DATA_RAW
from .errors import AntikorupsiError, InputError, Problem
from .aggregate import join_method
from .framework import Framework, framework_bytes, framework_for_year, parse_framework
from .inputs import YearInputs, read_year
from .regions import load_regions
from .scoring import COMPARISON, Assessment, score_year
from .store import write_assessment

__all__ = ["ScoreRun", "score_and_write", "assess", "available_years", "with_aggregation",
           "coverage_warnings"]


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


def with_aggregation(fw: Framework, aggregation: str | tuple | None) -> Framework:
    """``fw`` with its aggregation overridden: a spec (``"geometric"``,
    ``"geometric/arithmetic"``) or a pair ``(within, between)`` where None keeps the
    framework's level (the CLI's ``--aggregation-within`` / ``--aggregation-between``)."""
    if not aggregation:
        return fw
    if isinstance(aggregation, tuple):
        within, between = aggregation
        if within is None and between is None:
            return fw
        aggregation = join_method(within or fw.aggregation_within,
                                  between or fw.aggregation_between)
    return fw.with_weights(aggregation=aggregation)


def coverage_warnings(fw: Framework, data_dir: str | Path, year: int,
                      regions: str | Path | pd.DataFrame | None = None) -> list[str]:
    """Regions of the registry with no row at all in ``year``'s inputs (they will not be
    assessed), as warnings for ``framework check``. Raises :class:`InputError` when the
    inputs do not validate against ``fw``."""
    reg = regions if isinstance(regions, pd.DataFrame) else load_regions(regions)
    inputs = read_year(data_dir, year, fw, reg)
    seen = set(inputs.indicators["kode_wilayah"]) | set(inputs.screening["kode_wilayah"])
    missing = [c for c in reg["kode_wilayah"] if c not in seen]
    if not missing:
        return []
    shown = ", ".join(missing[:12]) + (f", ... ({len(missing) - 12} lainnya)"
                                       if len(missing) > 12 else "")
    return [f"{len(missing)} dari {len(reg)} wilayah dalam daftar wilayah tidak punya baris "
            f"data {year} di {Path(data_dir) / str(year)} (tidak akan dinilai): {shown}"]


def _previous_framework(year: int, fw: Framework, raw: bytes, comparison: str
                        ) -> tuple[Framework, bytes]:
    """The framework last year is scored with: its own (``kak-<year-1>``, the shipped
    framework of that year) or, like for like, this year's (with any override)."""
    if comparison == COMPARISON["like_for_like"]:
        return fw, raw
    return _framework(year - 1, None)


def _check_comparison(comparison: str) -> None:
    if comparison not in COMPARISON.values():
        raise InputError(Problem("--comparison", "cara perbandingan tidak dikenal",
                                 value=comparison, expected=" atau ".join(COMPARISON.values())))


def assess(year: int, data_dir: str | Path = DATA_RAW, framework: str | Path | None = None,
           regions: str | Path | pd.DataFrame | None = None, aggregation: str | tuple | None = None,
           with_previous: bool = True, previous: Assessment | None = None,
           comparison: str = COMPARISON["own"],
           ) -> tuple[Assessment, bytes, str | None]:
    """Validate and score ``year`` (and the year before, for the change, when present).

    ``comparison`` says how the year before is scored: ``"kerangka_sendiri"`` (default)
    with its own framework, the shipped ``kak-<year-1>``, whatever this year uses; or
    ``"setara"`` (like for like) with this year's framework, including the
    ``aggregation`` override. The choice and the framework used are recorded in
    :attr:`Assessment.comparison` (and so in the manifest and the reports).
    ``previous``: the year before, already scored (as ``run`` has it after its previous
    iteration); it is used instead of scoring that year again when it was scored with
    the framework the comparison needs (same SHA-256 and aggregation), else ignored.
    """
    a, raw, note, _ = _assess(year, data_dir, framework, regions, aggregation, with_previous,
                              previous, comparison)
    return a, raw, note


def _assess(year, data_dir, framework, regions, aggregation, with_previous, previous,
            comparison=COMPARISON["own"]):
    """:func:`assess`, also returning the validated inputs (stages, warnings)."""
    _check_comparison(comparison)
    reg = regions if isinstance(regions, pd.DataFrame) else load_regions(regions)
    fw, raw = _framework(year, framework)
    fw = with_aggregation(fw, aggregation)
    inputs = read_year(data_dir, year, fw, reg)
    note = None
    if not with_previous:
        previous = None
    elif (Path(data_dir) / str(year - 1)).is_dir():
        try:
            pfw, _ = _previous_framework(year, fw, raw, comparison)
            if previous is not None and (previous.framework.sha256, previous.aggregation) != (
                    pfw.sha256, pfw.aggregation):
                previous = None  # scored another way than this comparison needs
            if previous is None:
                previous = score_year(pfw, read_year(data_dir, year - 1, pfw, reg), reg)
        except AntikorupsiError as exc:
            previous = None
            note = (f"Perbandingan dengan {year - 1} dilewati karena data {year - 1} "
                    f"bermasalah:\n{exc}")
    else:
        previous = None
    a = score_year(fw, inputs, reg, previous=previous, comparison=comparison)
    return a, raw, note, inputs


def score_and_write(year: int, data_dir: str | Path = DATA_RAW,
                    processed_dir: str | Path = DATA_PROCESSED,
                    framework: str | Path | None = None,
                    regions: str | Path | pd.DataFrame | None = None,
                    aggregation: str | tuple | None = None,
                    previous: Assessment | None = None,
                    comparison: str = COMPARISON["own"]) -> ScoreRun:
    """Validate, score and write ``processed_dir/<year>/``; nothing is written on error.

    Besides the scored tables, the panel tables (stages, assessors' agreement,
    follow-up of last year's recommendations: :func:`antikorupsi.panel.panel_tables`)
    and the inputs' warnings are written.
    """
    from .panel import panel_tables

    a, raw, note, inputs = _assess(year, data_dir, framework, regions, aggregation, True,
                                   previous, comparison)
    if note:
        print(note, file=sys.stderr)
    out = write_assessment(a, Path(processed_dir) / str(year), raw, input_root=data_dir,
                           extra=panel_tables(inputs, a), warnings=inputs.warnings)
    return ScoreRun(a, out, raw, note, inputs)
