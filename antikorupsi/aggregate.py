"""Weighted means used at every level of the index.

Tiny pure functions in the manner of COINr's ``a_amean``: they take a score array and a
weight array and return the aggregate. They broadcast over leading axes, so the same
code scores one assessment (``x`` of shape ``(regions, parts)``) and ten thousand Monte
Carlo draws at once (``w`` of shape ``(draws, 1, parts)``).

Missing scores (NaN) are left out and the remaining weights renormalised, so a policy
of "drop and renormalise" needs nothing special here. A row with no score at all gives
NaN, never 0.

An aggregation *reading* says which mean is used at each level of the index: inside a
component (indicators -> component score) and between components (component scores ->
total). It is written as one string, a *spec*: ``"arithmetic"`` or ``"geometric"`` for
the same mean at both levels, or ``"<within>/<between>"`` such as
``"geometric/arithmetic"`` (geometric inside components, arithmetic between them).
:func:`split_method` and :func:`join_method` convert, :data:`READINGS` lists all four.
"""

from __future__ import annotations

import numpy as np

__all__ = ["weighted_arithmetic", "weighted_geometric", "aggregate", "METHODS", "READINGS",
           "split_method", "join_method", "is_method"]

METHODS = ("arithmetic", "geometric")
#: Every aggregation reading as a spec: the same mean at both levels first, then mixed.
READINGS = ("arithmetic", "geometric", "geometric/arithmetic", "arithmetic/geometric")


def split_method(spec: str) -> tuple[str, str]:
    """``"geometric"`` -> ``("geometric", "geometric")``; ``"geometric/arithmetic"`` ->
    ``("geometric", "arithmetic")`` (within components, between components).

    Raises ``ValueError`` for anything else.
    """
    parts = str(spec).split("/") if isinstance(spec, str) else [spec]
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or any(p not in METHODS for p in parts):
        raise ValueError(f"unknown aggregation {spec!r}; expected one of {METHODS} or "
                         "'<within>/<between>', e.g. 'geometric/arithmetic'")
    return parts[0], parts[1]


def join_method(within: str, between: str) -> str:
    """The spec of a (within, between) pair: one name when both levels agree."""
    split_method(f"{within}/{between}")  # validates
    return within if within == between else f"{within}/{between}"


def is_method(spec: object) -> bool:
    """True when ``spec`` is a valid aggregation spec (see :func:`split_method`)."""
    try:
        split_method(spec)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def _effective_weights(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    present = ~np.isnan(x)
    w_eff = np.where(present, w, 0.0)
    total = w_eff.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        w_eff = w_eff / total
    return w_eff, present


def weighted_arithmetic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted arithmetic mean over the last axis; weights renormalised to sum to 1.

    Parameters
    ----------
    x : array of scores, NaN where missing.
    w : non-negative weights, broadcastable to ``x``.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    w_eff, present = _effective_weights(x, w)
    out = np.where(present, x, 0.0) * w_eff
    result = out.sum(axis=-1)
    return np.where(present.any(axis=-1) & np.isfinite(w_eff).all(axis=-1), result, np.nan)


def weighted_geometric(x: np.ndarray, w: np.ndarray, offset: float = 1.0) -> np.ndarray:
    """Weighted geometric mean that stays defined when a score is 0.

    Computed as ``exp(sum(w * log(x + offset))) - offset``: with ``offset > 0`` a zero
    score lowers the result sharply instead of making it 0 or undefined (COINr issues
    #47 and #65). Equal inputs give that same value back, like the arithmetic mean, and
    the result is never above the arithmetic mean of the same inputs.
    """
    if offset <= 0:
        raise ValueError(f"geometric offset must be > 0, got {offset!r}")
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    w_eff, present = _effective_weights(x, w)
    logs = np.log(np.where(present, x, 0.0) + offset)
    result = np.exp((logs * w_eff).sum(axis=-1)) - offset
    return np.where(present.any(axis=-1) & np.isfinite(w_eff).all(axis=-1), result, np.nan)


def aggregate(x: np.ndarray, w: np.ndarray, method: str = "arithmetic", offset: float = 1.0):
    """Dispatch on the aggregation method named in a framework or scenario."""
    if method == "arithmetic":
        return weighted_arithmetic(x, w)
    if method == "geometric":
        return weighted_geometric(x, w, offset)
    raise ValueError(f"unknown aggregation method {method!r}; expected one of {METHODS}")
