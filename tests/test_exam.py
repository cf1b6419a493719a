"""The mock exam (`tfcert exam`): start, Submit and Test, status, report, PyCharm files.

Most tests use tiny stand-in starters (plain Python that crashes, hangs, floods or saves
nothing, and one that builds a two-weight model) so they run in seconds; the exam's clock is
moved with $TFCERT_EXAM_NOW. `test_full_exam_with_reference_solutions` (slow) trains the five
reference solutions through the exam, as a candidate would, and expects 5/5 each.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from trained_models import trained_model

from grader.cli import exam_commands
from grader.core import atomic_files
from grader.exam import mock_exam
from grader.exam.board import PASS_PERCENT, WEIGHTS
from grader.exam.mock_exam import PROBLEM_SETS, Exam, find_exam, problem_sets, start_exam
from grader.exam.starter_run import KEEP_LINES, LIVE_LINES
from grader.exam.state import (
    NOW_ENV,
    STATE_FILE,
    ExamBusy,
    ExamExists,
    ExamNotFound,
    ExamOver,
    Submission,
)
from grader.problems.catalog import PROBLEMS

pytest_plugins = ["trained_models"]

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2024, 5, 31, 9, 0, tzinfo=timezone.utc)

# ------------------------------------------------------------------ stand-in starters

CRASH = """\
print("building the model", flush=True)
raise ValueError("my bug in solution_model")
"""

NOTHING = """\
print("trained, but forgot to save")
"""

# Writes its own pid and its child's, then waits: a training run that never ends.
HANG = """\
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open("pids.txt", "w") as f:
    f.write(f"{os.getpid()} {child.pid}")
print("training forever", flush=True)
time.sleep(600)
"""

FLOOD = """\
for i in range(50_000):
    print("line", i)
print("x" * 100_000)
raise RuntimeError("after the flood")
"""

# y = 3x + 1 written into the weights: a 5/5 model for category 1 in about a second of Keras.
GOOD_C1 = """\
import numpy as np
import keras

model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
model.set_weights([np.array([[3.0]], "float32"), np.array([1.0], "float32")])

if __name__ == "__main__":
    print("tiny model ready", flush=True)
    model.save("mymodel.h5")
"""


def _iso(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture(autouse=True)
def _exam_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts at T0 on the exam's clock, and nothing asks questions."""
    monkeypatch.setenv(NOW_ENV, _iso(T0))
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def no_data(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Skip data preparation in `tfcert exam start` (the slow test prepares it for real)."""
    prepared: list[str] = []

    def prepare(problem_id: str, *, progress: bool = False) -> None:
        # `tfcert exam start` downloads with progress bars, as `tfcert data prepare` does.
        assert progress, "tfcert exam start prepares data without progress bars"
        prepared.append(problem_id)

    monkeypatch.setattr(mock_exam, "prepare_problem_data", prepare)
    return prepared


def new_exam(root: Path, **kwargs: object) -> Exam:
    return start_exam(root, prepare_data=False, **kwargs)


@pytest.fixture
def exam(tmp_path: Path) -> Exam:
    return new_exam(tmp_path / "exam")


def put(exam: Exam, category: int, code: str) -> Path:
    path = exam.folder(category) / "starter.py"
    path.write_text(code)
    return path


def state_of(exam: Exam) -> dict:
    return json.loads(exam.state_path.read_text())  # must always be valid JSON


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, killed but not yet reaped, counts as gone)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc").is_dir():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except (FileNotFoundError, ProcessLookupError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


# ------------------------------------------------------------------ start


def test_start_lays_out_the_exam(exam: Exam) -> None:
    state = state_of(exam)
    assert state["format"] == 1
    assert state["problem_set"] == "default"
    started = datetime.fromisoformat(state["started"])
    assert started == T0
    assert datetime.fromisoformat(state["deadline"]) - started == timedelta(hours=5)
    assert state["submissions"] == []
    for n in range(1, 6):
        problem = PROBLEM_SETS["default"][n]
        assert state["categories"][str(n)] == {"problem": problem, "folder": f"Category{n}"}
        starter = exam.root / f"Category{n}" / "starter.py"
        shipped = ROOT / "grader" / "starters" / str(PROBLEMS[problem].starter)
        assert starter.read_text() == shipped.read_text()
        assert PROBLEMS[problem].category == n
    assert state["categories"]["5"]["problem"] == "c5-household-power"


def test_start_prepares_every_category_data_first(cli, tmp_path, no_data) -> None:
    run = cli(["exam", "start", str(tmp_path / "exam")])
    assert run.code == 0, run
    assert no_data == list(PROBLEM_SETS["default"].values())
    assert "Deadline " in run.out and "(5 h 0 min from now)" in run.out
    for n in range(1, 6):
        assert f"Category{n}/starter.py  {PROBLEM_SETS['default'][n]}" in run.out
    # The exam's commands find the exam from the current folder: say how to get there.
    assert f"Next: cd {tmp_path / 'exam'}" in run.out


def test_start_in_the_current_folder_needs_no_cd(cli, tmp_path, no_data, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli(["exam", "start"])
    assert run.code == 0, run
    assert "Next: cd" not in run.out


def test_start_with_the_sunspots_set(cli, tmp_path, no_data) -> None:
    run = cli(["exam", "start", str(tmp_path / "exam"), "--set", "sunspots"])
    assert run.code == 0, run
    exam = find_exam(tmp_path / "exam")
    assert exam.problem(5) == "c5-sunspots"
    shipped = (ROOT / "grader" / "starters" / "c5_sunspots.py").read_text()
    assert (exam.folder(5) / "starter.py").read_text() == shipped


def test_problem_sets_cover_five_categories() -> None:
    sets = problem_sets()
    assert "default" in sets and "sunspots" in sets
    for chosen in sets.values():
        assert sorted(chosen) == [1, 2, 3, 4, 5]
        for n, pid in chosen.items():
            assert PROBLEMS[pid].category == n
            assert PROBLEMS[pid].starter is not None


# The sets whose category 5 is one of the exam's own problems on the exam's lenient scale.
EXAM_SCALE_SETS = {"default", "diesel", "exam-own"}


@pytest.mark.data
def test_category_5_can_fail_in_every_set_but_the_exam_scale_ones() -> None:
    """The default set's category 5 is the exam's own household power, on the exam's lenient
    scale: the persistence forecast (repeat the last minute) scores 5/5 there, as --explain
    and the mock-exam page say; so does the exam's weekly diesel problem. In every other set,
    repeating the last value scores below 5/5 (the page's table gives these numbers). A set
    whose category 5 data is not on this machine (downloaded once) is left out, said below."""
    from grader.data.errors import DataError
    from grader.problems.category5 import persistence_mae

    checked, absent = [], []
    for name, chosen in PROBLEM_SETS.items():
        problem = PROBLEMS[chosen[5]]
        try:
            score = problem.scale.score(persistence_mae(problem))
        except DataError:
            absent.append(name)
            continue
        checked.append(name)
        if name in EXAM_SCALE_SETS:
            assert score == 5, name
        else:
            assert score < 5, (name, problem.id, score)
    assert "default" in checked and "sunspots" in checked, (checked, absent)
    print(f"checked {checked}; data not here for {absent}")


def test_data_error_leaves_nothing_behind(tmp_path, monkeypatch) -> None:
    from grader.data.errors import DataError

    def missing(pid: str, *, progress: bool = False) -> None:
        raise DataError(f"dataset for {pid} is not available: install it")

    monkeypatch.setattr(mock_exam, "prepare_problem_data", missing)
    with pytest.raises(DataError):
        start_exam(tmp_path / "exam")
    assert not (tmp_path / "exam").exists()


def test_start_refuses_an_existing_exam_and_keeps_files(cli, exam, no_data, one_line) -> None:
    mine = put(exam, 1, "# my work on category 1\n")
    before = exam.state_path.read_bytes()
    with pytest.raises(ExamExists):
        new_exam(exam.root)
    run = cli(["exam", "start", str(exam.root)])  # no TTY under pytest: it cannot ask
    assert run.code == 1, run
    one_line(run.err)
    assert "already holds an exam" in run.err and "--yes" in run.err
    assert mine.read_text() == "# my work on category 1\n"
    assert exam.state_path.read_bytes() == before
    assert not (exam.root / "old-exams").exists()


def test_start_refuses_in_ci_even_when_it_could_ask(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert exam_commands._can_ask() is False


def test_start_yes_moves_the_old_exam_aside(cli, exam, no_data) -> None:
    put(exam, 1, "# my work on category 1\n")
    exam.submit(1, run=False)  # a (failed) submission in the old history
    run = cli(["exam", "start", str(exam.root), "--yes"])
    assert run.code == 0, run
    (old,) = (exam.root / "old-exams").iterdir()
    assert (old / "Category1" / "starter.py").read_text() == "# my work on category 1\n"
    assert len(json.loads((old / STATE_FILE).read_text())["submissions"]) == 1
    assert state_of(exam)["submissions"] == []
    assert "YOUR CODE HERE" in (exam.folder(1) / "starter.py").read_text()


@pytest.mark.parametrize(("answer", "started"), [("y", True), ("", False), ("no", False)])
def test_start_asks_on_a_terminal(cli, exam, no_data, monkeypatch, answer, started) -> None:
    put(exam, 2, "# keep me\n")
    monkeypatch.setattr(exam_commands, "_can_ask", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    run = cli(["exam", "start", str(exam.root)])
    assert (run.code == 0) is started, run
    assert (exam.root / "old-exams").exists() is started
    kept = (
        next((exam.root / "old-exams").iterdir()) / "Category2" / "starter.py"
        if started
        else exam.folder(2) / "starter.py"
    )
    assert kept.read_text() == "# keep me\n"


# ------------------------------------------------------------------ submit: failures


def test_crashing_starter(cli, exam, one_line) -> None:
    put(exam, 2, CRASH)
    exam.submit(2, run=False)  # an earlier (failed) entry that must survive
    run = cli(["exam", "submit", "2", "--dir", str(exam.root)])
    assert run.code == 1, run
    one_line(run.err)
    assert "exit code 1" in run.err and "ValueError: my bug in solution_model" in run.err
    assert "building the model" in run.out  # the user's own output, shown live
    assert "Traceback" in run.out  # ... including the traceback, as PyCharm would show it
    subs = state_of(exam)["submissions"]
    assert [s["code"] for s in subs] == ["no-model", "crashed"]
    assert subs[1]["number"] == 2 and subs[1]["exit_code"] == 1 and subs[1]["ok"] is False
    assert subs[1]["output_tail"][-1] == "ValueError: my bug in solution_model"


def test_hanging_starter_is_killed_with_its_children(cli, exam, one_line) -> None:
    put(exam, 3, HANG)
    began = time.monotonic()
    # 5 s: the starter must start Python and a child before it writes pids.txt, which a busy
    # machine or a cold disk can make slow.
    run = cli(["exam", "submit", "3", "--dir", str(exam.root), "--timeout", "5"])
    took = time.monotonic() - began
    assert run.code == 1, run
    one_line(run.err)
    assert "still running after 5 s" in run.err
    assert took < 5 + 30
    pids_file = exam.folder(3) / "pids.txt"
    assert pids_file.exists(), "the starter was stopped before it started its child"
    pids = [int(p) for p in pids_file.read_text().split()]
    assert wait_gone(pids) == []
    (sub,) = exam.submissions()
    assert sub.code == "timed-out" and not sub.ok
    assert "training forever" in sub.output_tail


def test_starter_that_saves_nothing(cli, exam, one_line) -> None:
    put(exam, 4, NOTHING)
    run = cli(["exam", "submit", "4", "--dir", str(exam.root)])
    assert run.code == 1
    one_line(run.err)
    assert "saved no mymodel.h5" in run.err and 'model.save("mymodel.h5")' in run.err
    assert exam.submissions()[0].code == "no-model"


def test_stale_model_is_not_graded(cli, exam, models, one_line) -> None:
    put(exam, 1, NOTHING)
    old = models.copy("c1-good.h5", exam.folder(1) / "mymodel.h5")  # would score 5/5
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    run = cli(["exam", "submit", "1", "--dir", str(exam.root)])
    assert run.code == 1, run
    one_line(run.err)
    assert "did not write mymodel.h5" in run.err
    assert exam.submissions()[0].code == "stale-model"


def test_output_flood_is_capped(cli, exam, one_line) -> None:
    put(exam, 5, FLOOD)
    run = cli(["exam", "submit", "5", "--dir", str(exam.root)])
    assert run.code == 1
    one_line(run.err)
    assert "RuntimeError: after the flood" in run.err
    lines = run.out.splitlines()
    assert len(lines) < LIVE_LINES + KEEP_LINES + 20
    assert "line 0" in lines and "line 999" in lines  # the start, live
    assert "line 1000" not in lines
    assert "line 49999" in lines  # the end, after the flood
    assert any(line.startswith("[tfcert] more than 1000 lines") for line in lines)
    assert any("lines not shown" in line for line in lines)
    long = next(line for line in lines if line.startswith("xxxx"))
    assert len(long) < 2100 and "more characters]" in long
    (sub,) = exam.submissions()
    assert len(sub.output_tail) <= 20 and all(len(t) <= 300 for t in sub.output_tail)
    assert len(exam.state_path.read_bytes()) < 20_000


def test_rejected_model(cli, exam, models, one_line) -> None:
    models.copy("c1-wide-input.h5", exam.folder(1) / "mymodel.h5")
    run = cli(["exam", "submit", "1", "--dir", str(exam.root), "--no-run"])
    assert run.code == 3, run
    one_line(run.err)
    assert "rejected" in run.err and "input shape" in run.err
    assert exam.submissions()[0].code == "rejected"


# ------------------------------------------------------------------ submit: graded


def test_graded_submission_through_a_real_starter(cli, exam) -> None:
    put(exam, 1, GOOD_C1)
    run = cli(["exam", "submit", "1", "--dir", str(exam.root)])
    assert run.code == 0, run
    assert "tiny model ready" in run.out
    assert "c1-basic-regression: 5/5" in run.out
    assert "Category 1: 5/5 (best so far 5/5, this category's submission 1)" in run.out
    (sub,) = exam.submissions()
    assert sub.ok and sub.score == 5 and sub.code == "graded" and sub.metric == "MAE"
    assert sub.value is not None and sub.value < 1e-3
    model = exam.folder(1) / "mymodel.h5"
    assert sub.file_sha256 == hashlib.sha256(model.read_bytes()).hexdigest()
    assert sub.duration_seconds > 0 and sub.exit_code == 0
    assert sub.time == "2024-05-31T09:00:00+00:00"


def test_no_run_grades_the_model_in_the_folder(cli, exam, models) -> None:
    models.copy("c1-weak.h5", exam.folder(1) / "mymodel.h5")
    run = cli(["exam", "submit", "1", "--dir", str(exam.root), "--no-run"])
    assert run.code == 0, run
    assert "5/5 needs MAE <" in run.out
    weak = exam.submissions()[0]
    assert weak.ok and weak.score is not None and weak.score < 5

    models.copy("c1-good.h5", exam.folder(1) / "mymodel.h5")
    assert exam.submit(1, run=False).score == 5
    put(exam, 1, CRASH)
    assert exam.submit(1).code == "crashed"
    row = exam.board().rows[0]
    assert (row.best, row.submissions, row.graded) == (5, 3, 2)
    assert row.last is not None and row.last.code == "crashed"


def test_no_run_refuses_a_model_from_before_the_exam(exam, models) -> None:
    old = models.copy("c1-good.h5", exam.folder(1) / "mymodel.h5")
    os.utime(old, (time.time() - 86400, time.time() - 86400))
    sub = exam.submit(1, run=False)
    assert sub.code == "stale-model" and "before this exam started" in sub.reason


# ------------------------------------------------------------------ time


def test_submission_after_the_deadline_is_refused(cli, exam, monkeypatch, one_line) -> None:
    put(exam, 1, CRASH)
    exam.submit(1)
    before = exam.state_path.read_bytes()
    monkeypatch.setenv(NOW_ENV, _iso(T0 + timedelta(hours=5)))
    with pytest.raises(ExamOver):
        exam.submit(1)
    run = cli(["exam", "submit", "1", "--dir", str(exam.root)])
    assert run.code == 1
    one_line(run.err)
    assert "submissions are closed" in run.err and "5 hours" in run.err
    assert run.out == ""  # refused before anything runs
    assert exam.state_path.read_bytes() == before
    board = cli(["exam", "status", str(exam.root)])
    assert board.code == 0 and "the exam is over" in board.out
    report = cli(["exam", "report", str(exam.root), "--json"])
    assert json.loads(report.out)["over"] is True


def test_time_running_out_stops_the_starter(exam, monkeypatch) -> None:
    put(exam, 2, HANG)
    monkeypatch.setenv(NOW_ENV, _iso(T0 + timedelta(hours=5) - timedelta(seconds=5)))
    assert exam.board().seconds_left == 5
    sub = exam.submit(2, timeout=60)  # the deadline comes first
    assert sub.code == "exam-ended" and "time ran out" in sub.reason
    pids_file = exam.folder(2) / "pids.txt"
    assert pids_file.exists(), "the starter was stopped before it started its child"
    pids = [int(p) for p in pids_file.read_text().split()]
    assert wait_gone(pids) == []


def test_status_shows_time_left(cli, exam, monkeypatch) -> None:
    monkeypatch.setenv(NOW_ENV, _iso(T0 + timedelta(hours=1, minutes=30)))
    run = cli(["exam", "status", str(exam.root)])
    assert run.code == 0
    assert "3 h 30 min left" in run.out
    for n in range(1, 6):
        assert f"\n{n}         {PROBLEM_SETS['default'][n]}" in run.out
    data = json.loads(cli(["exam", "status", str(exam.root), "--json"]).out)
    assert data["seconds_left"] == 3.5 * 3600 and data["over"] is False
    assert [c["best_score"] for c in data["categories"]] == [None] * 5


def test_bad_clock_value(cli, exam, monkeypatch, one_line) -> None:
    monkeypatch.setenv(NOW_ENV, "tomorrow")
    run = cli(["exam", "status", str(exam.root)])
    assert run.code == 1
    one_line(run.err)
    assert NOW_ENV in run.err and "ISO 8601" in run.err


def test_clock_can_be_injected(tmp_path) -> None:
    now = [T0]
    exam = start_exam(tmp_path / "exam", prepare_data=False, hours=1, clock=lambda: now[0])
    assert exam.board().seconds_left == 3600
    now[0] = T0 + timedelta(hours=2)
    assert exam.board().over
    with pytest.raises(ExamOver):
        exam.submit(1)


# ------------------------------------------------------------------ state safety


def test_interrupted_write_keeps_the_state(exam, monkeypatch) -> None:
    put(exam, 1, CRASH)
    exam.submit(1)
    before = exam.state_path.read_bytes()

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_files, "_replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        exam.submit(1)
    monkeypatch.undo()
    assert exam.state_path.read_bytes() == before
    assert [p.name for p in exam.root.iterdir() if p.name.endswith(".tmp")] == []


def _submit_process(exam: Exam, category: int) -> subprocess.Popen[str]:
    argv = ["exam", "submit", str(category), "--dir", str(exam.root)]
    return subprocess.Popen(
        [sys.executable, "-c", _DEFAULT_SIGNALS_THEN_CLI, *argv],
        cwd=exam.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )


# A test command started in the background inherits SIGINT ignored, and Python then keeps it
# ignored: the child sets the dispositions an interactive terminal gives, then runs tfcert
# (set in the child itself: preexec_fn is unsafe once this process has threads).
_DEFAULT_SIGNALS_THEN_CLI = (
    "import runpy, signal, sys; "
    "signal.signal(signal.SIGINT, signal.default_int_handler); "
    "signal.signal(signal.SIGTERM, signal.SIG_DFL); "
    "sys.argv[0] = 'tfcert'; runpy.run_module('grader', run_name='__main__')"
)


def _wait_for_line(proc: subprocess.Popen[str], text: str, seconds: float = 60) -> None:
    found = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if text in line:
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    assert found.wait(seconds), f"{text!r} never appeared"


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: signal.Signals(s).name
)
def test_interrupted_submission(exam, sig) -> None:
    put(exam, 1, CRASH)
    exam.submit(1)  # history before the interruption
    put(exam, 1, HANG)
    proc = _submit_process(exam, 1)
    try:
        _wait_for_line(proc, "training forever")
        proc.send_signal(sig)
        code = proc.wait(timeout=30)
        err = proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    pids = [int(p) for p in (exam.folder(1) / "pids.txt").read_text().split()]
    subs = state_of(exam)["submissions"]  # valid JSON whatever happened
    assert subs[0]["code"] == "crashed"
    if sig == signal.SIGKILL:
        # Nothing could be recorded; the starter, in its own process group, is left running.
        assert code == -signal.SIGKILL
        assert len(subs) == 1
        os.killpg(pids[0], signal.SIGKILL)
    else:
        assert code == 130, err
        assert err.count("\n") == 1 and "interrupted" in err and "Traceback" not in err
        assert [s["code"] for s in subs] == ["crashed", "interrupted"]
    assert wait_gone(pids) == []
    put(exam, 1, CRASH)
    assert exam.submit(1).code == "crashed"  # no lock was left behind


def test_same_category_twice_at_once_is_refused(cli, exam, one_line) -> None:
    with atomic_files.lock(exam._lock_path("submit-2")):
        with pytest.raises(ExamBusy):
            exam.submit(2)
        run = cli(["exam", "submit", "2", "--dir", str(exam.root)])
        assert run.code == 1
        one_line(run.err)
        assert "already being submitted" in run.err
        exam.submit(3, run=False)  # another category is not blocked
    assert exam.submit(2, run=False).code == "no-model"


def test_parallel_submissions_keep_every_record(exam) -> None:
    slow_crash = "import time\ntime.sleep(0.5)\nraise SystemExit(3)\n"
    for n in (1, 2, 3, 4):
        put(exam, n, slow_crash)
    results: list[Submission] = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(exam.submit(n))) for n in (1, 2, 3, 4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    subs = exam.submissions()
    assert sorted(s.category for s in subs) == [1, 2, 3, 4]
    assert sorted(s.number for s in subs) == [1, 2, 3, 4]
    assert all(s.code == "crashed" and s.exit_code == 3 for s in subs)


def test_damaged_state_file(cli, exam, one_line) -> None:
    exam.state_path.write_text('{"format": 1, "started": ')
    for argv in (["status"], ["report"], ["submit", "1", "--dir", str(exam.root)]):
        run = cli(["exam", *argv] + ([str(exam.root)] if argv[0] != "submit" else []))
        assert run.code == 1, run
        one_line(run.err)
        assert "damaged" in run.err


# ------------------------------------------------------------------ finding the exam


def test_no_run_accepts_a_model_stamped_just_before_the_start(exam, models) -> None:
    """File systems stamp mtimes from a coarse clock (a kernel tick; 2 s on FAT): a model
    copied right after the start may carry an mtime a little before it."""
    path = models.copy("c1-good.h5", exam.folder(1) / "mymodel.h5")
    stamp = int((state_of(exam)["started_epoch"] - 0.004) * 1e9)
    os.utime(path, ns=(stamp, stamp))
    assert exam.submit(1, run=False).code == "graded"


def test_two_exams_are_independent(tmp_path, cli) -> None:
    a = new_exam(tmp_path / "a")
    b = new_exam(tmp_path / "b", problem_set="sunspots")
    put(a, 1, CRASH)
    a.submit(1)
    assert len(a.submissions()) == 1 and b.submissions() == []
    assert find_exam(a.folder(3)).root == a.root
    assert find_exam(b.folder(3) / "starter.py").root == b.root
    assert b.problem(5) == "c5-sunspots" and a.problem(5) == "c5-household-power"


def test_commands_find_the_exam_from_inside(cli, exam, monkeypatch) -> None:
    put(exam, 2, CRASH)
    monkeypatch.chdir(exam.folder(3))
    assert cli(["exam", "submit", "2"]).code == 1
    status = cli(["exam", "status"])
    assert status.code == 0 and str(exam.root) in status.out
    assert "failed (crashed)" in status.out
    assert exam.submissions()[0].category == 2


@pytest.mark.parametrize("form", ["folder", "file", "name"])
def test_submit_by_path_as_pycharm_passes_it(cli, exam, tmp_path, monkeypatch, form) -> None:
    put(exam, 4, NOTHING)
    target = {
        "folder": str(exam.folder(4)),  # $FileDir$
        "file": str(exam.folder(4) / "starter.py"),  # $FilePath$
        "name": "Category4",
    }[form]
    monkeypatch.chdir(exam.root if form == "name" else tmp_path)
    run = cli(["exam", "submit", target])
    assert run.code == 1 and "saved no mymodel.h5" in run.err, run
    assert exam.submissions()[0].category == 4


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("$FileDir$", "unexpanded"),
        ("", "no category given"),
        ("7", "no category 7"),
        ("no-such-folder", "neither a category number"),
    ],
)
def test_submit_target_errors(cli, exam, monkeypatch, one_line, target, message) -> None:
    monkeypatch.chdir(exam.root)
    run = cli(["exam", "submit", target])
    assert run.code == 1, run
    one_line(run.err)
    assert message in run.err
    assert exam.submissions() == []


def test_no_exam_here(cli, tmp_path, monkeypatch, one_line) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExamNotFound):
        find_exam()
    for argv in (["status"], ["report"], ["submit", "1"], ["pycharm"]):
        run = cli(["exam", *argv])
        assert run.code == 1, run
        one_line(run.err)
        assert "no mock exam" in run.err and "tfcert exam start" in run.err


# ------------------------------------------------------------------ report


def _graded(exam: Exam, category: int, score: int) -> None:
    exam._record(
        Submission(
            number=0,
            time="2024-05-31T10:00:00+00:00",
            category=category,
            problem=exam.problem(category),
            ok=True,
            code="graded",
            score=score,
            metric="accuracy",
            value=0.9,
        )
    )


@pytest.mark.parametrize(
    ("scores", "total", "passed"),
    [
        ({1: 5, 2: 5, 3: 5, 4: 5, 5: 5}, 100.0, True),
        ({1: 5, 2: 5, 3: 5, 4: 5, 5: 4}, 93.33, True),  # 14/15
        ({1: 5, 2: 5, 3: 5, 4: 5, 5: 3}, 86.67, False),  # 13/15
        ({2: 5, 3: 5, 4: 5, 5: 5}, 93.33, True),  # category 1 never submitted: 0
        ({1: 5, 2: 5, 3: 4, 4: 5, 5: 5}, 96.0, True),
        ({1: 4, 2: 4, 3: 4, 4: 4, 5: 4}, 80.0, False),
        ({}, 0.0, False),
    ],
)
def test_report_weights_and_pass_mark(exam, scores, total, passed) -> None:
    for category, score in scores.items():
        _graded(exam, category, max(0, score - 1))  # an earlier, lower score
        _graded(exam, category, score)
    report = exam.report().to_dict()
    assert report["total_percent"] == total
    assert report["passed"] is passed
    assert report["all_submitted"] is (len(scores) == 5)
    assert report["all_five"] is (len(scores) == 5 and set(scores.values()) == {5})
    assert report["weights"] == [1, 2, 3, 4, 5] and report["pass_percent"] == PASS_PERCENT
    assert "this project's" in report["weights_note"]
    assert "unconfirmed" in report["pass_note"]
    assert sum(c["percent"] for c in report["categories"]) == pytest.approx(total, abs=0.02)


def test_weights_rise_with_difficulty() -> None:
    assert [WEIGHTS[n] for n in range(1, 6)] == sorted(WEIGHTS.values())
    assert WEIGHTS[1] < WEIGHTS[5]
    assert PASS_PERCENT == 90.0


def test_report_cli(cli, exam) -> None:
    for n in range(1, 6):
        _graded(exam, n, 5)
    run = cli(["exam", "report", str(exam.root)])
    assert run.code == 0
    assert "Weighted total: 100.0% (PASS; pass mark 90%)" in run.out
    assert "unconfirmed" in run.out and "weighted by difficulty" in run.out
    data = json.loads(cli(["exam", "report", str(exam.root), "--json"]).out)
    assert data["passed"] is True and [c["best_score"] for c in data["categories"]] == [5] * 5


# ------------------------------------------------------------------ PyCharm


def _options(path: Path) -> dict[str, str]:
    return {o.get("name", ""): o.get("value", "") for o in ET.parse(path).iter("option")}


def test_pycharm_files(cli, exam, tmp_path) -> None:
    configs = exam.root / ".idea" / "runConfigurations"
    main = _options(configs / "Submit_and_Test.xml")
    assert ET.parse(configs / "Submit_and_Test.xml").find("configuration").get("name") == (
        "Submit and Test"
    )
    assert main["SCRIPT_NAME"] == "grader" and main["MODULE_MODE"] == "true"
    assert main["PARAMETERS"] == 'exam submit "$FileDir$"'
    assert main["SDK_HOME"] == sys.executable and main["WORKING_DIRECTORY"] == "$PROJECT_DIR$"
    for n in range(1, 6):
        assert _options(configs / f"Submit_and_Test_Category_{n}.xml")["PARAMETERS"] == (
            f"exam submit {n}"
        )
    tool = exam.root / ".idea" / "tools" / "External Tools.xml"
    opts = _options(tool)
    assert opts["COMMAND"] == sys.executable
    assert opts["PARAMETERS"] == '-m grader exam submit "$FileDir$"'
    assert ET.parse(tool).find("tool").get("name") == "Submit and Test"

    other = str(tmp_path / "venv with space" / "bin" / "python")
    run = cli(["exam", "pycharm", str(exam.root), "--python", other])
    assert run.code == 0 and "External Tools.xml" in run.out
    assert _options(configs / "Submit_and_Test.xml")["SDK_HOME"] == other
    assert _options(tool)["COMMAND"] == other


def test_what_pycharm_runs(exam) -> None:
    """The run configuration's command line, with $FileDir$ expanded, run from the project."""
    put(exam, 5, NOTHING)
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "exam", "submit", str(exam.folder(5))],
        cwd=exam.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "saved no mymodel.h5" in proc.stderr
    assert "trained, but forgot to save" in proc.stdout


# ------------------------------------------------------------------ usage


@pytest.mark.parametrize("command", ["start", "submit", "status", "report", "pycharm"])
def test_help(cli, command) -> None:
    run = cli(["exam", command, "--help"])
    assert run.code == 0 and run.out.startswith(f"usage: tfcert exam {command}")


@pytest.mark.parametrize(
    "argv",
    [
        ["exam"],
        ["exam", "nonsense"],
        ["exam", "submit"],
        ["exam", "submit", "1", "--timeout", "0"],
        ["exam", "submit", "1", "--timeout", "soon"],
        ["exam", "start", "--set", "nope"],
        ["exam", "start", "--hours", "-1"],
        ["exam", "status", "--bogus"],
    ],
    ids=" ".join,
)
def test_usage_errors(cli, one_line, argv) -> None:
    run = cli(argv)
    assert run.code == 2, run
    one_line(run.err)


# ------------------------------------------------------------------ the whole exam


SOLUTIONS = {
    1: "c1-basic-regression",
    2: "c2-fashion-mnist",
    3: "c3-clipart",
    4: "c4-rotten-tomatoes",
    5: "c5-household-power",
}


@pytest.mark.slow
def test_full_exam_with_reference_solutions(cli, tmp_path, trained_models_dir) -> None:
    """A whole mock exam of the default set, each category submitted with the model its
    reference solution trained (tests/test_solutions.py ran each solution as a learner's
    notebook and kept its mymodel.h5: trained once, not again here): 5/5 each, a report
    that passes at 100%. Running a real starter through `exam submit` is covered by
    test_graded_submission_through_a_real_starter and tests/test_learner_path.py."""
    root = tmp_path / "exam"
    run = cli(["exam", "start", str(root)])
    assert run.code == 0, run
    exam = find_exam(root)
    for n, problem in SOLUTIONS.items():
        assert exam.problem(n) == problem
        kept = trained_model(trained_models_dir, problem)
        if kept is None:
            pytest.skip(f"no trained model of {problem}: run tests/test_solutions.py first")
        shutil.copyfile(kept, exam.folder(n) / "mymodel.h5")  # newer than the exam's start
    for n in SOLUTIONS:
        run = cli(["exam", "submit", str(n), "--dir", str(root), "--no-run"])
        assert run.code == 0, f"category {n}: {run.err}\n{run.out[-3000:]}"
    subs = exam.submissions()
    assert [s.category for s in subs] == list(SOLUTIONS)
    below = [s.summary for s in subs if s.score != 5]
    assert not below, "reference solutions below 5/5 in the exam:\n" + "\n".join(below)
    report = json.loads(cli(["exam", "report", str(root), "--json"]).out)
    assert report["passed"] is True and report["all_five"] is True
    assert report["total_percent"] == 100.0


def test_output_just_over_the_cap_shows_every_line_once(tmp_path) -> None:
    """A 500-epoch fit prints a little more than the live cap: the notice must not promise
    more lines than follow, and no line is lost or shown twice."""
    import io

    from grader.exam.starter_run import run_starter

    (tmp_path / "starter.py").write_text(
        f"for i in range({LIVE_LINES + 3}):\n    print(f'line {{i}}')\n", "utf-8"
    )
    shown = io.StringIO()
    run = run_starter(tmp_path, python=sys.executable, echo=shown, timeout=60)
    assert run.exit_code == 0, run
    lines = shown.getvalue().splitlines()
    for i in range(LIVE_LINES + 3):
        assert lines.count(f"line {i}") == 1, i
    (notice,) = [line for line in lines if line.startswith("[tfcert] more than")]
    assert f"at most {KEEP_LINES}" in notice
