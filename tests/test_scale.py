"""The 0-5 scale: the exam's sunspots formula, monotonic, clamped, exact on its bounds."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from grader import PROBLEMS, Scale

EXAM = Scale("MAE", five=0.13, step=0.01, higher_is_better=False)


def _exam_formula(mae: str) -> int:
    """min(5, ceil(17 - 100 * MAE)), clamped at 0, in exact arithmetic."""
    return max(0, min(5, math.ceil(17 - 100 * Fraction(mae))))


def test_exam_formula_on_a_grid_of_decimals():
    # Every MAE 0.0000 ... 0.3000 in steps of 0.0001, bounds (0.12, 0.13, ...) included.
    for k in range(3001):
        mae = f"{k / 10000:.4f}"
        assert EXAM.score(float(mae)) == _exam_formula(mae), mae


def test_exam_formula_on_random_values():
    rng = random.Random(17)
    checked = 0
    while checked < 5000:
        m = rng.uniform(-0.05, 0.4)
        exact = 17 - 100 * Fraction(m)
        if abs(exact - round(exact)) < Fraction(1, 10**6):
            continue  # float noise decides values this close to a bound
        assert EXAM.score(m) == max(0, min(5, math.ceil(exact))), m
        checked += 1


def test_exam_scale_landmarks():
    assert EXAM.score(0.0) == 5
    assert EXAM.score(0.1299) == 5
    assert EXAM.score(0.13) == 4  # 5/5 needs MAE strictly below 0.13
    assert EXAM.score(0.135) == 4
    assert EXAM.score(0.14) == 3
    assert EXAM.score(0.17) == 0
    assert EXAM.score(5.0) == 0
    assert EXAM.score(-1.0) == 5
    assert EXAM.describe(5) == "MAE < 0.13"
    assert EXAM.describe(1) == "MAE < 0.17"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_scores_zero(value):
    assert EXAM.score(value) == 0
    assert Scale("accuracy", 0.9, 0.02, True).score(value) == 0


SCALES = {pid: p.scale for pid, p in PROBLEMS.items()}
SCALES["exam-sunspots"] = EXAM
SCALES["accuracy-example"] = Scale("accuracy", five=0.89, step=0.02, higher_is_better=True)


@pytest.mark.parametrize("name", list(SCALES))
def test_monotonic_and_bounded(name):
    scale = SCALES[name]
    lo = scale.five - 8 * scale.step
    hi = scale.five + 8 * scale.step
    values = [lo + (hi - lo) * i / 4000 for i in range(4001)]
    scores = [scale.score(v) for v in values]
    assert all(0 <= s <= 5 for s in scores)
    assert set(scores) == {0, 1, 2, 3, 4, 5}  # every score is reachable
    if scale.higher_is_better:
        assert scores == sorted(scores)
    else:
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("name", list(SCALES))
def test_bounds_are_strict(name):
    scale = SCALES[name]
    nudge = scale.step / 1000
    better = nudge if scale.higher_is_better else -nudge
    for s in range(1, 6):
        edge = scale.bound(s)
        assert scale.score(edge) == s - 1, (s, edge)  # on the bound is not enough
        assert scale.score(edge + better) == s, (s, edge)
        assert scale.describe(s).startswith(
            scale.metric + (" > " if scale.higher_is_better else " < ")
        )
    assert scale.bound(5) == scale.five
    assert scale.raw(scale.five) == pytest.approx(4.0)
    assert scale.raw(scale.bound(1)) == pytest.approx(0.0)


def test_mirrored_for_higher_is_better():
    acc = Scale("accuracy", five=0.89, step=0.02, higher_is_better=True)
    assert acc.score(0.95) == 5
    assert acc.score(0.8901) == 5
    assert acc.score(0.89) == 4
    assert acc.score(0.87) == 3
    assert acc.score(0.81) == 0
    assert acc.score(0.1) == 0
    assert acc.describe(5) == "accuracy > 0.89"
    assert acc.describe(4) == "accuracy > 0.87"


def test_every_problem_has_a_usable_scale():
    for pid, p in PROBLEMS.items():
        scale = p.scale
        assert scale.step > 0, pid
        if scale.higher_is_better:
            assert 0 < scale.bound(1) < scale.five <= 1, pid  # accuracies
        else:
            assert 0 < scale.five < scale.bound(1), pid  # errors
