"""Every reference solution, run as the notebook a learner downloads and graded: it must
still score 5/5, and what the site shows of it must be current.

Each slow test runs examples/<problem>/solution.py top to bottom as a notebook in a fresh
kernel of the wheel-only venv, as a learner's Jupyter does (tools/example_notebooks.py:
jupytext, nbclient; tests/learner_venv.py), which trains the model once and saves
mymodel.h5 in a temporary directory; it grades that file with the grader and fails below
5/5 with the grader's own message. It never writes the tree: what it measured (the
executed notebook, the grade, the training time, epochs, peak memory and curves) goes to
artifacts/measurements/<problem>/ (gitignored), from which `make measurements`
(tools/publish_measurements.py) renews the committed notebooks, score boxes and curves.
It also keeps the model for the in-browser grader's tests (tests/trained_models.py).

The fast tests check the committed copies: each executed notebook has exactly its
solution.py's cells, ran without error and names no machine path; each score box says
5/5 against the problem's current threshold.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from data_support import online_data_folder
from learner_venv import Learner, Prepared
from trained_models import keep_trained

import grader
from grader import explain

pytest_plugins = ["learner_venv"]
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/solution.py"))

if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))
import example_notebooks as notebooks  # noqa: E402
import solution_measurements as measurements  # noqa: E402


def executed_path(problem_id: str) -> Path:
    return ROOT / "examples" / problem_id / "solution.ipynb"


@pytest.mark.slow
@pytest.mark.parametrize("problem_id", EXAMPLES)
def test_solution_scores_five(
    problem_id: str,
    tmp_path: Path,
    learner: Learner,
    learner_kernel: Path,
    reader_home: Prepared,
) -> None:
    assert reader_home.proc.returncode == 0, "tfcert data prepare failed in the reader's home"
    extra: dict[str, str] = {}
    home = reader_home.home
    problem = grader.get_problem(problem_id)
    if problem.online_only:
        # Data tfcert may not ship: a copy on this machine (or a skip that says why), through
        # the documented setting, in a home of its own (the reader's home stays as `tfcert
        # data prepare` left it).
        extra["TFCERT_LOCAL_DATA"] = str(online_data_folder(problem.dataset))
        home = tmp_path / "home"
    measurements.forget(problem_id)  # an earlier run's record is never published for this one
    # The notebook runs where a learner runs it: a kernel of the wheel-only venv, in a home
    # where `tfcert data prepare` ran, with nothing of this repository on the path. Its own
    # cells train and save the model; tools/example_notebooks.py's hidden cells measure the
    # run into run.json as tools/run_solution.py does.
    executed = notebooks.execute(
        problem_id,
        tmp_path,
        timeout=900,
        python=learner.python,
        env=learner.env(home, **extra),
        kernel_packages=learner_kernel,
    )
    run = json.loads((tmp_path / "run.json").read_text())
    model = tmp_path / "mymodel.h5"
    result = grader.grade(model, problem)
    print(f"\n{result.summary()} in {run['train_seconds']:.1f} s of training")
    # What this run measured, for `make measurements` to publish (never the tree itself).
    measurements.record(problem_id, executed, result, run)
    keep_trained(model, problem_id)
    assert result.score == 5, f"{result.summary()}\n{explain(result)}"
    # The notebook printed the grade of the same file.
    last = [c for c in executed.cells if c.cell_type == "code"][-1]
    printed = "".join(o.get("text", "") for o in last.outputs)
    assert result.summary() in printed, printed
    # A reader's next step: open the file with Keras' defaults (compile=True), which
    # fails for an .h5 compiled with a short loss name such as loss="mse".
    import keras

    keras.models.load_model(model)


def test_every_offline_problem_has_a_solution() -> None:
    offline = {pid for pid, p in grader.PROBLEMS.items() if not p.online_only}
    assert sorted(offline - set(EXAMPLES)) == []
    # An online problem may have one too: its test runs where a copy of its data is here.
    assert set(EXAMPLES) <= set(grader.PROBLEMS)


@pytest.mark.parametrize("problem_id", EXAMPLES)
def test_each_example_starts_with_the_set_up_cell(problem_id: str) -> None:
    code = [c.source for c in notebooks.read(problem_id).cells if c.cell_type == "code"]
    assert code[0] == notebooks.setup_cell(problem_id), (
        f"examples/{problem_id}/solution.py does not start with the set-up cell: run "
        "python tools/example_notebooks.py setup"
    )


@pytest.mark.parametrize("problem_id", EXAMPLES)
def test_each_executed_notebook_is_its_example(problem_id: str) -> None:
    import nbformat

    path = executed_path(problem_id)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run make measurements"
    text = path.read_text(encoding="utf-8")
    saved = nbformat.reads(text, as_version=4)
    nbformat.validate(saved)
    assert notebooks.cells_of(saved) == notebooks.cells_of(notebooks.read(problem_id)), (
        f"{path.relative_to(ROOT)} differs from its solution.py: run "
        f"make measurements PROBLEMS={problem_id} to execute it again"
    )
    code = [c for c in saved.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert f"{problem_id}: " in "".join(o.get("text", "") for o in code[-1].outputs)
    # Fit to publish: no path of the machine that ran it, no flood of output.
    # Written in pieces so that this file does not name a machine's folder itself.
    machine_folders = ["/" + "work/", "/" + "tmp/", "/" + "home/", "/" + "Users/"]
    for folder in (*machine_folders, str(ROOT), str(Path.home())):
        assert folder not in text, f"{path.relative_to(ROOT)} names {folder}"
    for output in outputs:
        shown = output.get("text", "") or output.get("data", {}).get("text/plain", "")
        assert len(shown.splitlines()) <= notebooks.KEEP_LINES + 1, shown
    assert len(text) < 100_000


@pytest.mark.parametrize("problem_id", EXAMPLES)
def test_each_score_box_is_five_and_current(problem_id: str) -> None:
    """The committed score boxes (both languages) say 5/5 against the threshold the problem
    has now, and their curves exist: a changed threshold or a missing file sends you to
    `make measurements`."""
    problem = grader.get_problem(problem_id)
    for language in measurements.LANGUAGES:
        path = measurements.score_box_path(problem_id, language)
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run make measurements"
        text = path.read_text(encoding="utf-8")
        assert "**5/5**" in text, f"{path.relative_to(ROOT)} does not say 5/5"
        assert problem.scale.describe(5) in text, (
            f"{path.relative_to(ROOT)} gives an older threshold than "
            f"{problem.scale.describe(5)!r}: run make measurements PROBLEMS={problem_id}"
        )
        assert "make test" not in text and "tests/" not in text  # written for readers
        for image in measurements.IMAGE.findall(text):
            assert (path.parent / image).resolve().is_file(), f"{path.name} shows {image}"
