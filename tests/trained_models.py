"""Where the reference solutions' trained models are kept between test modules and runs.

tests/test_solutions.py trains every examples/<problem>/solution.py (minutes each) and
grades its mymodel.h5; `keep_trained()` copies that file here, as <problem>.h5, so that other
tests (the in-browser grader's, tests/test_browser_grader.py) grade the very same models
without training them again. The folder is artifacts/trained-models/ (gitignored). A test
module loads the fixture with `pytest_plugins = ["trained_models"]`:

- `trained_models_dir`: that folder, whatever it holds. A model is there once
  test_solutions.py has trained it in this checkout (in this run or an earlier one); a test
  that needs one skips, saying so, when it is missing. When test_solutions.py is collected
  too, the tests that use this fixture are moved after it, so they see this run's models.

Test modules import `keep_trained` and `trained_model` before pytest registers this module
as a plugin, so it opts out of assertion rewriting (PYTEST_DONT_REWRITE).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRAINED = ROOT / "artifacts" / "trained-models"


def keep_trained(model: Path, problem_id: str) -> Path:
    """Copy a reference solution's freshly trained model to TRAINED/<problem_id>.h5."""
    TRAINED.mkdir(parents=True, exist_ok=True)
    target = TRAINED / f"{problem_id}.h5"
    partial = target.with_suffix(".h5.part")
    shutil.copyfile(model, partial)
    partial.replace(target)  # a reader never sees half a file
    return target


def trained_model(folder: Path, problem_id: str) -> Path | None:
    """The kept model of a problem's reference solution, or None."""
    path = folder / f"{problem_id}.h5"
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def trained_models_dir() -> Path:
    return TRAINED


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that use `trained_models_dir` after tests/test_solutions.py, which fills
    it, when both are collected (as in `make test`): they then grade this run's models."""
    users = [i for i in items if "trained_models_dir" in getattr(i, "fixturenames", ())]
    if not users:
        return
    chosen = {id(i) for i in users}
    rest = [i for i in items if id(i) not in chosen]
    solutions = [k for k, i in enumerate(rest) if i.path.name == "test_solutions.py"]
    if solutions:
        items[:] = rest[: solutions[-1] + 1] + users + rest[solutions[-1] + 1 :]
