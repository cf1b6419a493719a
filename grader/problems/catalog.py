"""Every problem, by id: the categories' modules assembled, and getting a problem's data ready.

A problem says what the model receives and must return, which data it is trained on (the
training loader never returns the held-out evaluation split), the one metric it is scored
on, and the thresholds of its 0-5 scale. The thresholds are this project's own calibration
(see `make benchmark`, tools/benchmark.py, and the grader page of the site), not Google's.
Each category's problems live in a module of their own (`category1` .. `category5`); a new
problem goes into its category's module and its `PROBLEMS`, and appears here.
"""

from __future__ import annotations

from typing import Any

from grader.data.preparers import prepare
from grader.data.registry import DATASETS
from grader.problems import category1, category2, category3, category4, category5
from grader.problems.category3 import C3_HORSES
from grader.problems.category4 import C4, C4_SARCASM, c4_encoder, sarcasm_encoder
from grader.problems.category5 import C5_SUNSPOTS, C5_WEATHER
from grader.problems.definition import Evaluation, Problem, Scale

__all__ = [
    "C3_HORSES",
    "C4",
    "C4_SARCASM",
    "C5_SUNSPOTS",
    "C5_WEATHER",
    "PROBLEMS",
    "Evaluation",
    "Problem",
    "Scale",
    "c4_encoder",
    "get_problem",
    "load_training_data",
    "prepare_problem_data",
    "sarcasm_encoder",
]

PROBLEMS: dict[str, Problem] = {
    p.id: p
    for module in (category1, category2, category3, category4, category5)
    for p in module.PROBLEMS
}


def get_problem(problem_id: str) -> Problem:
    try:
        return PROBLEMS[problem_id]
    except KeyError:
        known = ", ".join(PROBLEMS)
        raise KeyError(f"unknown problem {problem_id!r}; the problems are: {known}") from None


def load_training_data(problem_id: str) -> Any:
    """The training data of a problem, as its starter uses it (never the evaluation split,
    except the exam's own c5 problems, whose starters read the whole file as the exam did)."""
    return get_problem(problem_id).load_training()


def prepare_problem_data(problem_id: str, *, progress: bool = False) -> None:
    """Make a problem's training and held-out data ready offline (raises `DataError`).

    The same call the starter makes first, so its first run reads local files instead of
    downloading; Fashion-MNIST is also copied where `keras.datasets` looks for it.
    """
    problem = get_problem(problem_id)
    if problem.dataset in DATASETS:
        prepare(problem.dataset, progress=progress)
    problem.load_training()
