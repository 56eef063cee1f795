"""Tests for antikorupsi.aggregate: weighted arithmetic and zero-safe geometric means."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from antikorupsi.aggregate import METHODS, aggregate, weighted_arithmetic, weighted_geometric

SETTINGS = settings(max_examples=80, deadline=None)
score = st.floats(0, 100, allow_nan=False)
weight = st.floats(0.01, 50, allow_nan=False)


@st.composite
def scores_and_weights(draw, min_parts=1, max_parts=6):
    n = draw(st.integers(min_parts, max_parts))
    x = draw(hnp.arrays(float, n, elements=score))
    w = draw(hnp.arrays(float, n, elements=weight))
    return x, w


# -- examples -----------------------------------------------------------------------------
def test_arithmetic_is_the_weighted_mean():
    # (1*60 + 3*100) / 4 = 90
    assert weighted_arithmetic(np.array([60.0, 100.0]), np.array([1.0, 3.0])) == 90.0


def test_geometric_of_equal_inputs_is_that_value():
    x = np.full(4, 73.0)
    assert weighted_geometric(x, np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(73.0)


def test_geometric_is_defined_at_zero():
    # exp(0.5 ln(0 + 1) + 0.5 ln(99 + 1)) - 1 = sqrt(100) - 1 = 9
    g = weighted_geometric(np.array([0.0, 99.0]), np.array([1.0, 1.0]))
    assert np.isfinite(g)
    assert g == pytest.approx(9.0)
    assert weighted_geometric(np.zeros(3), np.ones(3)) == pytest.approx(0.0)


def test_geometric_offset_changes_the_zero_penalty():
    x, w = np.array([0.0, 100.0]), np.array([1.0, 1.0])
    # offset 10: sqrt(10 * 110) - 10
    assert weighted_geometric(x, w, offset=10.0) == pytest.approx(np.sqrt(10 * 110) - 10)


@pytest.mark.parametrize("offset", [0.0, -1.0])
def test_geometric_offset_must_be_positive(offset):
    with pytest.raises(ValueError, match="offset"):
        weighted_geometric(np.ones(2), np.ones(2), offset=offset)


def test_missing_scores_are_left_out_and_weights_renormalised():
    x = np.array([80.0, np.nan, 40.0])
    w = np.array([1.0, 5.0, 3.0])
    # (1*80 + 3*40) / 4 = 50
    assert weighted_arithmetic(x, w) == pytest.approx(50.0)
    assert weighted_geometric(x, w) == pytest.approx(
        weighted_geometric(np.array([80.0, 40.0]), np.array([1.0, 3.0])))


@pytest.mark.parametrize("method", METHODS)
def test_a_row_without_any_score_is_nan_not_zero(method):
    out = aggregate(np.array([[np.nan, np.nan], [10.0, 20.0]]), np.array([1.0, 1.0]), method)
    assert np.isnan(out[0]) and np.isfinite(out[1])


@pytest.mark.parametrize("method", METHODS)
def test_present_scores_with_zero_weight_only_give_nan(method):
    out = aggregate(np.array([[np.nan, 50.0]]), np.array([1.0, 0.0]), method)
    assert np.isnan(out[0])


def test_unknown_method_is_an_error():
    with pytest.raises(ValueError, match="harmonic"):
        aggregate(np.ones(2), np.ones(2), "harmonic")


@pytest.mark.parametrize("method", METHODS)
def test_broadcasts_over_draws_of_weights(method):
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, size=(7, 4))
    w = rng.uniform(0.1, 2, size=(5, 1, 4))
    out = aggregate(x, w, method)
    assert out.shape == (5, 7)
    for d in range(5):
        np.testing.assert_allclose(out[d], aggregate(x, w[d, 0], method), rtol=1e-12)


# -- properties ---------------------------------------------------------------------------
@SETTINGS
@given(scores_and_weights(), st.floats(0.01, 1000))
def test_scaling_all_weights_changes_nothing(xw, c):
    x, w = xw
    for f in (weighted_arithmetic, weighted_geometric):
        assert f(x, w * c) == pytest.approx(f(x, w), rel=1e-9, abs=1e-9)


@SETTINGS
@given(scores_and_weights())
def test_geometric_never_above_arithmetic_and_both_within_range(xw):
    x, w = xw
    a, g = weighted_arithmetic(x, w), weighted_geometric(x, w)
    assert g <= a + 1e-9
    assert x.min() - 1e-9 <= g and a <= x.max() + 1e-9


@SETTINGS
@given(scores_and_weights(), st.data())
def test_raising_one_score_never_lowers_either_mean(xw, data):
    x, w = xw
    k = data.draw(st.integers(0, len(x) - 1))
    higher = x.copy()
    higher[k] = data.draw(st.floats(x[k], 100))
    for f in (weighted_arithmetic, weighted_geometric):
        assert f(higher, w) >= f(x, w) - 1e-9


@SETTINGS
@given(scores_and_weights(min_parts=2))
def test_inputs_are_not_mutated(xw):
    x, w = xw
    x = x.copy()
    x[0] = np.nan
    x0, w0 = x.copy(), w.copy()
    for method in METHODS:
        aggregate(x, w, method)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(w, w0)
