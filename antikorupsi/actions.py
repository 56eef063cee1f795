"""Recommended actions: what a region can do next, ranked by the points each adds.

Pure functions over a framework and one region's indicator rows (as in
``Assessment.indicators``). A candidate action changes one indicator's score:

* ``bukti``: the indicator has no evidence; submitting it can add up to the points of
  the indicator's best score (the evidence decides how many);
* ``tingkat``: a rubric indicator moves to its next level (from the level it is at, so
  a region at "Terlaksana" is not told to start from scratch); the framework's
  ``steps`` text says what that level takes;
* ``target``: a goalpost indicator reaches its goalpost (e.g. LHKPN 100%, complaints
  followed up within 5 days), a direct score reaches the top of the scale.

Every gain is the change of the region's total when that score is replaced and the
total recomputed by the framework's own aggregation
(:func:`antikorupsi.scoring.aggregate_matrix`), so gains are right under geometric
aggregation too, where they are not additive. Actions are ranked missing evidence
first, then by gain, not by the lowest score: the biggest lever is often a heavily
weighted indicator that is already fair (MCP at 20% of the total).

:func:`shortest_path` finds the fewest steps that bring the total to the threshold:
it takes the step with the largest gain, recomputes, and repeats. With arithmetic
aggregation the total is linear in the scores and each indicator's steps gain the same
or less as it climbs (equal rubric spacing), so taking the largest step first gives the
smallest number of steps; with geometric aggregation it is the greedy approximation.

:func:`recommended_actions` gives one region's actions as a table (the function other
modules call, e.g. to carry last year's recommendations into a workbook).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .fmt import ringkas
from .framework import Framework, Indicator
from .scoring import STATUS, aggregate_matrix

__all__ = ["KIND", "Action", "Path", "next_actions", "shortest_path", "recommended_actions",
           "ACTION_COLUMNS"]

#: Kind of action -> how reports name it.
KIND = {"bukti": "serahkan bukti", "tingkat": "naik tingkat", "target": "capai target"}

#: Columns of :func:`recommended_actions`, in order.
ACTION_COLUMNS = [
    "urutan", "tahun", "kode_wilayah", "kode_indikator", "nama_indikator", "kode_komponen",
    "jenis", "kondisi", "target", "langkah", "opd", "opd_asumsi", "skor_indikator",
    "skor_indikator_target", "tambahan_skor", "skor_total", "skor_total_sesudah",
    "jalur_ambang", "tenggat",
]

_EPS = 1e-9


@dataclass(frozen=True)
class Action:
    """One step on one indicator and what it adds to the total.

    Attributes
    ----------
    indicator : str
        Indicator code.
    kind : str
        ``"bukti"``, ``"tingkat"`` or ``"target"`` (see :data:`KIND`).
    from_score, to_score : float
        The indicator's score (0-100) now and after the step (``from_score`` is the
        score after the missing-data policy, NaN when that policy leaves it out).
    gain : float
        Points the total gains (for ``bukti``: at most, if the evidence shows the best
        level or value).
    total_after : float
        The total after this step (with every earlier step of a path taken).
    current, target : str
        The indicator's value now and the value to reach, as the reports print them
        (``"2: Berkembang"`` -> ``"3: Terlaksana"``, ``"21 hari"`` -> ``"≤ 5 hari"``).
    text : str
        What to do: the framework's step text for the level, else the indicator's
        recommendation.
    opd : str
        The responsible agency named in the framework ("" when none).
    opd_assumption : bool
        True when the agency is our proposal, not a published assignment.
    level : int or None
        Rubric level reached by the step (rubric indicators).
    """

    indicator: str
    kind: str
    from_score: float
    to_score: float
    gain: float
    total_after: float
    current: str
    target: str
    text: str
    opd: str
    opd_assumption: bool
    level: int | None = None


@dataclass(frozen=True)
class Path:
    """The fewest steps that bring a region's total to the threshold.

    Attributes
    ----------
    start : float
        The total before any step.
    threshold : float
    steps : tuple of Action
        In the order taken; one indicator can appear more than once (two rubric levels).
    total : float
        The total after every step.
    reached : bool
        True when the total reaches the threshold (also when it already did: no steps).
    """

    start: float
    threshold: float
    steps: tuple[Action, ...]
    total: float
    reached: bool

    @property
    def needs_evidence(self) -> bool:
        """True when the path counts on evidence not yet submitted (its best value)."""
        return any(a.kind == "bukti" for a in self.steps)

    def by_indicator(self) -> list[Action]:
        """The steps merged per indicator (first appearance order): one action from the
        indicator's current value to the last target, with the summed gain."""
        merged: dict[str, Action] = {}
        for a in self.steps:
            if a.indicator in merged:
                m = merged[a.indicator]
                merged[a.indicator] = replace(m, to_score=a.to_score, gain=m.gain + a.gain,
                                              total_after=a.total_after, target=a.target,
                                              level=a.level, text=a.text)
            else:
                merged[a.indicator] = a
        return list(merged.values())


# -- state ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _State:
    """One region's indicator scores in framework order, and what each one is."""

    score: np.ndarray       # after the missing-data policy (NaN: left out)
    value: np.ndarray       # input value (rubric level, raw figure), NaN when missing
    present: np.ndarray     # evidence given


def _state(fw: Framework, indicators: pd.DataFrame) -> _State:
    t = indicators
    if "kode_indikator" in t.columns:
        t = t.set_index("kode_indikator")
    t = t.reindex(fw.indicator_codes)
    present = (t["status"] == STATUS["present"]).to_numpy(bool)
    value = t["angka"].to_numpy(float, na_value=np.nan)
    return _State(t["skor"].to_numpy(float, na_value=np.nan), np.where(present, value, np.nan),
                  present)


def _totals(fw: Framework, rows: np.ndarray) -> np.ndarray:
    """Totals of score rows (regions x indicators, framework order)."""
    matrix = pd.DataFrame(rows, columns=fw.indicator_codes)
    return aggregate_matrix(matrix, fw)[1].to_numpy(float)


def _unit(ind: Indicator) -> str:
    unit = ind.scoring.unit or ""
    return unit if unit in ("", "%") else " " + unit


def _value_text(fw: Framework, ind: Indicator, value: float) -> str:
    sc = ind.scoring
    if sc.method == "rubric" and sc.rubric:
        level = next((lv for lv in fw.rubric(sc.rubric).levels if lv.level == int(value)), None)
        return f"{int(value)}: {level.label}" if level else ringkas(float(value))
    return ringkas(round(float(value), 2)) + _unit(ind)


def _best(fw: Framework, ind: Indicator) -> tuple[float, str, int | None]:
    """The indicator's best score, how its target reads, and the rubric level."""
    sc = ind.scoring
    top = fw.scale[1]
    if sc.method == "rubric" and sc.rubric:
        lv = max(fw.rubric(sc.rubric).levels, key=lambda x: (x.score, x.level))
        return lv.score, f"{lv.level}: {lv.label}", lv.level
    if sc.method == "goalposts":
        goal = sc.high if sc.direction == 1 else sc.low
        # "≥ 100%" when values can go beyond the goalpost, plain "100%" when they cannot
        edge = None if sc.valid is None else (sc.valid[1] if sc.direction == 1 else sc.valid[0])
        sign = "" if edge is not None and edge == goal else (
            "≥ " if sc.direction == 1 else "≤ ")
        return top, f"{sign}{ringkas(goal)}{_unit(ind)}", None
    return top, ringkas(top), None


def _candidate(fw: Framework, ind: Indicator, k: int, s: _State
               ) -> tuple[str, float, str, str, int | None] | None:
    """The next step of indicator ``k``: (kind, score after, target, text, level)."""
    score = s.score[k]
    best, best_text, best_level = _best(fw, ind)
    if not s.present[k]:
        return "bukti", best, best_text, ind.recommendation, best_level
    sc = ind.scoring
    if sc.method == "rubric" and sc.rubric:
        level = int(s.value[k])
        higher = [lv for lv in fw.rubric(sc.rubric).levels
                  if lv.level > level and lv.score > score + _EPS]
        if not higher:
            return None
        nxt = min(higher, key=lambda x: x.level)
        return ("tingkat", nxt.score, f"{nxt.level}: {nxt.label}",
                ind.step_to(nxt.level) or ind.recommendation, nxt.level)
    if score >= best - _EPS:
        return None
    return "target", best, best_text, ind.recommendation, None


def _next(fw: Framework, s: _State) -> tuple[list[Action], float]:
    """Every indicator's next step with its gain on the current total, and that total."""
    cands = []
    for k, ind in enumerate(fw.indicators):
        c = _candidate(fw, ind, k, s)
        if c is not None:
            cands.append((k, ind, c))
    rows = np.repeat(s.score[None, :], len(cands) + 1, axis=0)
    for j, (k, _, c) in enumerate(cands, start=1):
        rows[j, k] = c[1]
    totals = _totals(fw, rows)
    base = float(totals[0])
    out = []
    for j, (k, ind, (kind, to, target, text, level)) in enumerate(cands, start=1):
        gain = float(totals[j]) - (0.0 if np.isnan(base) else base)
        if not gain > _EPS:
            continue
        current = "tanpa bukti" if not s.present[k] else _value_text(fw, ind, s.value[k])
        out.append(Action(ind.code, kind, float(s.score[k]), float(to), gain,
                          float(totals[j]), current, target, text, ind.opd,
                          ind.opd_assumption, level))
    return out, base


def _rank(fw: Framework, actions: list[Action]) -> list[Action]:
    eff = fw.effective_indicator_weights()
    return sorted(actions, key=lambda a: (a.kind != "bukti", -round(a.gain, 9),
                                          -float(eff[a.indicator]), a.indicator))


def next_actions(fw: Framework, indicators: pd.DataFrame) -> list[Action]:
    """Each indicator's next step, ranked: missing evidence first, then by points gained.

    Parameters
    ----------
    fw : Framework
        The framework the region was scored with.
    indicators : pandas.DataFrame
        The region's rows of ``Assessment.indicators`` (columns ``kode_indikator`` or
        that as the index, ``skor``, ``angka``, ``status``).

    Returns
    -------
    list of Action
        One per indicator that can still gain (none for an indicator at its best).
    """
    actions, _ = _next(fw, _state(fw, indicators))
    return _rank(fw, actions)


def shortest_path(fw: Framework, indicators: pd.DataFrame, threshold: float | None = None,
                  max_steps: int = 200) -> Path:
    """The fewest steps that bring the total to ``threshold`` (default: the
    framework's designation threshold).

    Each step is the one with the largest gain on the total reached so far (missing
    evidence counted at its best value). ``reached`` is False when even every step
    does not get there (possible with a zero weight or a threshold above the scale).
    """
    thr = fw.threshold if threshold is None else float(threshold)
    s = _state(fw, indicators)
    score, value, present = s.score.copy(), s.value.copy(), s.present.copy()
    steps: list[Action] = []
    start = total = float(_totals(fw, score[None, :])[0])
    eff = fw.effective_indicator_weights()
    codes = fw.indicator_codes
    while not (fw.round_total(total) >= thr) and len(steps) < max_steps:
        actions, _ = _next(fw, _State(score, value, present))
        if not actions:
            break
        best = min(actions, key=lambda a: (-round(a.gain, 9), -float(eff[a.indicator]),
                                           a.indicator))
        k = codes.index(best.indicator)
        score[k] = best.to_score
        present[k] = True
        sc = fw.indicators[k].scoring
        if best.level is not None:
            value[k] = best.level
        elif sc.method == "goalposts":
            value[k] = sc.high if sc.direction == 1 else sc.low
        else:
            value[k] = best.to_score
        steps.append(best)
        total = best.total_after
    return Path(start, thr, tuple(steps), total, bool(fw.round_total(total) >= thr))


def recommended_actions(assessment, code: str, threshold: float | None = None) -> pd.DataFrame:
    """A region's recommended actions as a table, ranked (missing evidence first, then
    by the points each adds to the total).

    Parameters
    ----------
    assessment : antikorupsi.scoring.Assessment
        A scored year (``score_year`` or ``store.read_assessment``).
    code : str
        Kemendagri region code.
    threshold : float, optional
        For ``jalur_ambang``; default the framework's designation threshold.

    Returns
    -------
    pandas.DataFrame
        One row per indicator that can still gain, columns :data:`ACTION_COLUMNS`:
        ``jenis`` (serahkan bukti / naik tingkat / capai target), ``kondisi`` and
        ``target`` (as printed), ``langkah`` (what to do), ``opd`` and ``opd_asumsi``,
        ``tambahan_skor`` (points added to the total), ``skor_total_sesudah``,
        ``jalur_ambang`` (True when the step is part of the shortest path to the
        threshold) and ``tenggat`` (a deadline to fill, empty).

    Raises
    ------
    KeyError
        If the region was not scored that year.
    """
    fw = assessment.framework
    code = str(code)
    ind = assessment.indicators
    rows = ind[ind["kode_wilayah"] == code]
    if rows.empty:
        raise KeyError(f"region {code!r} not in the {assessment.year} assessment")
    actions = next_actions(fw, rows)
    path = shortest_path(fw, rows, threshold)
    on_path = {a.indicator for a in path.steps}
    total = path.start
    out = pd.DataFrame([{
        "urutan": i,
        "tahun": int(assessment.year),
        "kode_wilayah": code,
        "kode_indikator": a.indicator,
        "nama_indikator": fw.indicator(a.indicator).name,
        "kode_komponen": fw.indicator(a.indicator).component,
        "jenis": KIND[a.kind],
        "kondisi": a.current,
        "target": a.target,
        "langkah": a.text,
        "opd": a.opd,
        "opd_asumsi": bool(a.opd_assumption),
        "skor_indikator": a.from_score,
        "skor_indikator_target": a.to_score,
        "tambahan_skor": a.gain,
        "skor_total": total,
        "skor_total_sesudah": a.total_after,
        "jalur_ambang": a.indicator in on_path,
        "tenggat": "",
    } for i, a in enumerate(actions, start=1)], columns=ACTION_COLUMNS)
    return out.astype({"urutan": "int64", "tahun": "int64", "opd_asumsi": bool,
                       "jalur_ambang": bool})
