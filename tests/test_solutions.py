"""Every reference solution, run as the notebook a learner downloads and graded: it must
still score 5/5.

Each test runs examples/<problem>/solution.py top to bottom as a notebook in a fresh
kernel of the wheel-only venv, as a learner's Jupyter does (tools/example_notebooks.py:
jupytext, nbclient; tests/learner_venv.py), which trains the model once and
saves mymodel.h5 in a temporary directory; it grades that file with the grader and fails
below 5/5 with the grader's own message. The same run writes what the site shows: the
executed notebook with its outputs (examples/<problem>/solution.ipynb, rendered on the
notebook page and offered for download and Colab; and its Korean twin solution.ko.ipynb,
tools/notebook_translations.py), the training curves and the measured
score that the category pages include; and it keeps the model for the in-browser grader's
tests (tests/trained_models.py).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import pytest
from learner_venv import Learner, Prepared
from trained_models import keep_trained

import grader
from grader import explain

pytest_plugins = ["learner_venv"]
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/solution.py"))
CURVES = ROOT / "docs" / "assets" / "curves"
INCLUDES = ROOT / "docs" / "includes"

if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))
import example_notebooks as notebooks  # noqa: E402
import notebook_translations as translations  # noqa: E402


def executed_path(problem_id: str) -> Path:
    return ROOT / "examples" / problem_id / "solution.ipynb"


def plot_curves(problem: grader.Problem, history: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metric = "accuracy" if problem.scale.higher_is_better else "mae"
    panels = [("loss", "loss")] + ([(metric, problem.scale.metric)] if metric in history else [])
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.0), dpi=100)
    axes = [axes] if len(panels) == 1 else list(axes)
    for ax, (key, label) in zip(axes, panels, strict=True):
        epochs = range(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f"{problem.id}: training curves")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def write_score_include(result: grader.Result, run: dict, curves: bool) -> None:
    """The measured score (and curves) that the category pages include, from this run."""
    text = (
        f"Measured by `make test` (tests/test_solutions.py): **{result.score}/5**, "
        f"{result.metric} {result.value:.4f} on {result.count} held-out {result.unit} "
        f"(5/5 needs {result.needed_for_five}); trained in {run['train_seconds']:.0f} s, "
        f"{run['epochs']} epochs, peak memory {run['peak_memory_mb']:.0f} MB.\n"
    )
    if curves:
        text += (
            f"\n![Training curves of {result.problem}, per epoch]"
            f"(../assets/curves/{result.problem}.png)\n"
        )
    (INCLUDES / f"{result.problem}-score.md").write_text(text)


# Solutions whose data tfcert may not ship, and the fixture (tests/conftest.py) that finds a
# copy for the tests or skips, saying why.
DATA_FIXTURES = {"c5-sunspots-exam": "shared_sunspots"}


@pytest.mark.slow
@pytest.mark.parametrize("problem_id", EXAMPLES)
def test_solution_scores_five(
    problem_id: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    learner: Learner,
    learner_kernel: Path,
    reader_home: Prepared,
) -> None:
    assert reader_home.proc.returncode == 0, "tfcert data prepare failed in the reader's home"
    extra: dict[str, str] = {}
    home = reader_home.home
    if problem_id in DATA_FIXTURES:
        # Data tfcert may not ship: the tests' own copy, through the documented setting, in
        # a home of its own (the reader's home stays as `tfcert data prepare` left it).
        found = request.getfixturevalue(DATA_FIXTURES[problem_id])
        extra["TFCERT_LOCAL_DATA"] = str(found.parent)
        home = tmp_path / "home"
    problem = grader.get_problem(problem_id)
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
    notebooks.save(executed, executed_path(problem_id))
    # The same notebook with the Korean prose (solution.ko.ipynb); where that prose is not
    # current, tests/test_notebook_translations.py names what to update.
    with contextlib.suppress(translations.TranslationError):
        translations.write(problem_id)
    if run["history"]:
        plot_curves(problem, run["history"], CURVES / f"{problem_id}.png")
    write_score_include(result, run, curves=bool(run["history"]))
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
    # An online problem may have one too when the tests can reach its data (DATA_FIXTURES).
    extra = set(EXAMPLES) - offline
    assert sorted(extra - set(DATA_FIXTURES)) == []


@pytest.mark.parametrize("problem_id", EXAMPLES)
def test_each_example_starts_with_the_set_up_cell(problem_id: str) -> None:
    code = [c.source for c in notebooks.read(problem_id).cells if c.cell_type == "code"]
    assert code[0] == notebooks.setup_cell(problem_id), (
        f"examples/{problem_id}/solution.py does not start with the set-up cell: run "
        "python tools/example_notebooks.py setup"
    )


# After the training tests in this module, which rewrite the executed notebooks.
@pytest.mark.parametrize("problem_id", EXAMPLES)
def test_each_executed_notebook_is_its_example(problem_id: str) -> None:
    import nbformat

    path = executed_path(problem_id)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run this module's slow tests"
    text = path.read_text(encoding="utf-8")
    saved = nbformat.reads(text, as_version=4)
    nbformat.validate(saved)
    assert notebooks.cells_of(saved) == notebooks.cells_of(notebooks.read(problem_id)), (
        f"{path.relative_to(ROOT)} differs from its solution.py: run "
        f"pytest tests/test_solutions.py -k {problem_id} to execute it again"
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
