"""Every reference solution, trained from scratch and graded: it must still score 5/5.

Each test trains examples/<problem>/solution.py in a subprocess (as the exam's plugin ran
a starter), saves mymodel.h5 in a temporary directory, grades it with the grader and
fails below 5/5 with the grader's own message. The same run writes the training curves
and the measured score that the site's category pages include.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import grader
from grader import explain

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/solution.py"))
CURVES = ROOT / "docs" / "assets" / "curves"
INCLUDES = ROOT / "docs" / "includes"


def train(solution: Path, out: Path, timeout: float = 900) -> dict:
    # tools/run_solution.py itself pins TensorFlow's oneDNN setting for every training run.
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_solution.py"), str(solution), str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=out,
    )
    assert proc.returncode == 0, f"training {solution} failed:\n{proc.stderr[-3000:]}"
    return json.loads((out / "run.json").read_text())


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
    problem_id: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if problem_id in DATA_FIXTURES:
        request.getfixturevalue(DATA_FIXTURES[problem_id])
    problem = grader.get_problem(problem_id)
    run = train(ROOT / "examples" / problem_id / "solution.py", tmp_path)
    model = tmp_path / "mymodel.h5"
    result = grader.grade(model, problem)
    print(f"\n{result.summary()} in {run['train_seconds']:.1f} s of training")
    if run["history"]:
        plot_curves(problem, run["history"], CURVES / f"{problem_id}.png")
    write_score_include(result, run, curves=bool(run["history"]))
    assert result.score == 5, f"{result.summary()}\n{explain(result)}"
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
