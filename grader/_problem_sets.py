"""The mock exam's problem sets (one problem per category) and getting a problem's data ready."""

from __future__ import annotations

__all__ = ["PROBLEM_SETS", "prepare_problem_data", "problem_sets"]

# One problem per category. "default" is the set closest to the exam that runs offline: its
# category 5 is the exam's own household-power problem (the exam's data since July 2021).
PROBLEM_SETS: dict[str, dict[int, str]] = {
    "default": {
        1: "c1-basic-regression",
        2: "c2-fashion-mnist",
        3: "c3-clipart",
        4: "c4-rotten-tomatoes",
        5: "c5-household-power",
    },
    "seattle-weather": {
        1: "c1-basic-regression",
        2: "c2-fashion-mnist",
        3: "c3-clipart",
        4: "c4-rotten-tomatoes",
        5: "c5-seattle-weather",
    },
    "sunspots": {
        1: "c1-basic-regression",
        2: "c2-fashion-mnist",
        3: "c3-clipart",
        4: "c4-rotten-tomatoes",
        5: "c5-sunspots",
    },
    "horses-or-humans": {  # needs the internet once, for the horses-or-humans images
        1: "c1-basic-regression",
        2: "c2-fashion-mnist",
        3: "c3-horses-or-humans",
        4: "c4-rotten-tomatoes",
        5: "c5-seattle-weather",
    },
}


def problem_sets() -> dict[str, dict[int, str]]:
    """The problem sets whose five problems all exist and have a starter."""
    from grader._problems import PROBLEMS

    return {
        name: chosen
        for name, chosen in PROBLEM_SETS.items()
        if all(pid in PROBLEMS and PROBLEMS[pid].starter for pid in chosen.values())
    }


def prepare_problem_data(problem_id: str, *, progress: bool = False) -> None:
    """Make a problem's training and held-out data ready offline (raises `DataError`).

    The same call the starter makes first, so its first run reads local files instead of
    downloading; Fashion-MNIST is also copied where `keras.datasets` looks for it.
    """
    from grader._data import prepare
    from grader._problems import get_problem
    from grader._registry import DATASETS

    problem = get_problem(problem_id)
    if problem.dataset in DATASETS:
        prepare(problem.dataset, progress=progress)
    problem.load_training()
