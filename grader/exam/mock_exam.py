"""The mock exam: five categories, five hours, and "Submit and Test" for each, as the exam ran.

`start_exam(DIR)` lays out Category1..Category5 (a `starter.py` each, its data ready
offline) and the exam's state file; `Exam.submit(n)` runs that category's `starter.py` the
way the exam's PyCharm plugin did (`python starter.py` in the category folder, see
grader.exam.starter_run), grades the `mymodel.h5` it saves and records the attempt;
`Exam.board()` and `Exam.report()` give the status board and the weighted result
(grader.exam.board). The state file and the clock are described in grader.exam.state.

Only the exam's own times follow its clock; a starter's timeout and the check that
`mymodel.h5` was just written use real time. Each exam keeps everything in its own folder,
so two exams never touch each other; a lock per category refuses a second submission of a
category that is still running.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TextIO

from grader.core.atomic_files import FileSig, lock, write_json_atomic
from grader.core.version import __version__
from grader.exam.board import Board, Report, statuses
from grader.exam.problem_sets import PROBLEM_SETS, problem_sets
from grader.exam.pycharm import write_pycharm
from grader.exam.starter_run import StarterRun, crash_reason, run_starter
from grader.exam.state import (
    CATEGORIES,
    EXAM_HOURS,
    MODEL,
    STARTER,
    STATE_FILE,
    CategoryEntry,
    Clock,
    ExamBusy,
    ExamError,
    ExamExists,
    ExamNotFound,
    ExamOver,
    ExamState,
    Submission,
    SubmissionInterrupted,
    category_folder,
    iso,
    parse_time,
    show_time,
    system_clock,
)
from grader.problems.catalog import prepare_problem_data

__all__ = [
    "ARCHIVE_DIR",
    "PROBLEM_SETS",
    "Exam",
    "existing_exam",
    "find_exam",
    "prepare_problem_data",
    "problem_sets",
    "start_exam",
]

PRIVATE_DIR = ".tfcert"  # lock files
ARCHIVE_DIR = "old-exams"  # where `start --yes` moves an earlier exam
HISTORY_TAIL = 20  # output lines stored with a failed submission
# File systems stamp mtimes from a coarse clock (a kernel tick behind time.time(); 2 s on
# FAT): a model written just after a moment can carry an mtime just before it.
MTIME_SLACK = 2.0


class Exam:
    """A mock exam in a folder: its state file, its five category folders and its clock."""

    def __init__(self, root: str | os.PathLike[str], *, clock: Clock | None = None) -> None:
        self.root = Path(root).resolve()
        self.clock: Clock = clock or system_clock
        self.state_path = self.root / STATE_FILE

    def __repr__(self) -> str:
        return f"Exam({str(self.root)!r})"

    # ---- state

    def load(self) -> ExamState:
        """The state file, read fresh and checked; `ExamError` says what is wrong with it."""
        try:
            text = self.state_path.read_text("utf-8")
        except FileNotFoundError:
            raise ExamNotFound(
                f"no mock exam in {self.root}: start one with `tfcert exam start {self.root}`"
            ) from None
        return ExamState.parse(text, self.state_path)

    def _lock_path(self, name: str) -> Path:
        return self.root / PRIVATE_DIR / f"{name}.lock"

    def _record(self, submission: Submission) -> Submission:
        """Append one submission to the history, numbered, under the state lock.

        The state is read again under the lock: another submission may have been recorded
        since this one started.
        """
        with lock(self._lock_path("state")):
            state, numbered = self.load().with_submission(submission)
            write_json_atomic(self.state_path, state.to_dict())
        return numbered

    # ---- facts

    @property
    def started(self) -> datetime:
        return self.load().started

    @property
    def deadline(self) -> datetime:
        return self.load().deadline

    def now(self) -> datetime:
        return self.clock()

    def problem(self, category: int) -> str:
        return self.load().problem(category)

    def folder(self, category: int, state: ExamState | None = None) -> Path:
        return self.root / (state or self.load()).categories[category].folder

    def submissions(self) -> list[Submission]:
        return list(self.load().submissions)

    def board(self, state: ExamState | None = None) -> Board:
        state = state or self.load()
        return Board(
            root=str(self.root),
            problem_set=state.problem_set,
            started=state.started,
            deadline=state.deadline,
            now=self.now(),
            rows=tuple(statuses(state)),
        )

    def report(self, state: ExamState | None = None) -> Report:
        return Report(self.board(state))

    # ---- submitting

    def check_open(self, state: ExamState | None = None) -> datetime:
        """Now, if the exam still takes submissions; `ExamOver` once its time is up."""
        state = state or self.load()
        now = self.now()
        if now >= state.deadline:
            raise ExamOver(
                f"the exam ended at {show_time(state.deadline)} ({state.hours} after the "
                "start): submissions are closed, as the real exam submitted itself at 5 hours; "
                "see `tfcert exam report`"
            )
        return now

    def category_of(self, target: str | os.PathLike[str], state: ExamState | None = None) -> int:
        """The category a path (its folder, or a file in it) belongs to, in this exam."""
        state = state or self.load()
        path = Path(target).resolve()
        for n in CATEGORIES:
            folder = self.folder(n, state)
            if path == folder or folder in path.parents:
                return n
        raise ExamError(f"{path} is not inside a category folder of the exam in {self.root}")

    def submit(
        self,
        category: int,
        *,
        timeout: float | None = None,
        python: str | None = None,
        echo: TextIO | None = None,
        run: bool = True,
        state: ExamState | None = None,
    ) -> Submission:
        """Submit and Test one category: run its starter.py, grade mymodel.h5, record it.

        Returns the recorded `Submission` (failed ones too: check `.ok`). Raises `ExamOver`
        after the deadline, `ExamBusy` while the same category is being submitted elsewhere,
        `ExamError` when the category folder or its starter.py is missing, and
        `SubmissionInterrupted` (a KeyboardInterrupt) on Ctrl-C, after recording the attempt.
        With `run=False` the starter is not run: the mymodel.h5 already in the folder is graded
        (it must have been saved after the exam started), for models trained elsewhere.
        `state`, when given, is the state this command already read.
        """
        if category not in CATEGORIES:
            raise ExamError(f"there is no category {category}: the categories are 1 to 5")
        state = state or self.load()
        problem_id = state.problem(category)
        folder = self.folder(category, state)
        now = self.check_open(state)
        if not folder.is_dir():
            raise ExamError(f"the category folder {folder} is missing")
        if run and not (folder / STARTER).is_file():
            raise ExamError(f"{folder / STARTER} is missing: put your solution there as starter.py")
        seconds_left = (state.deadline - now).total_seconds()
        with lock(self._lock_path(f"submit-{category}"), wait=False) as free:
            if not free:
                raise ExamBusy(
                    f"category {category} is already being submitted by another tfcert: wait "
                    "for it to finish, or stop it first"
                )
            base = Submission(
                number=0, time=iso(now), category=category, problem=problem_id, ok=False, code=""
            )
            try:
                attempt = _Attempt(base, folder, state, timeout, python, echo).run(
                    seconds_left, run=run
                )
            except KeyboardInterrupt:  # while grading: the starter has already finished
                attempt = replace(
                    base,
                    code="interrupted",
                    reason="interrupted (Ctrl-C) while grading; nothing was graded",
                )
            recorded = self._record(attempt)
        if recorded.code == "interrupted":
            raise SubmissionInterrupted(recorded)
        return recorded

    # ---- PyCharm

    def write_pycharm(self, python: str | None = None) -> list[Path]:
        """Write the "Submit and Test" run configurations and an External Tool definition."""
        return write_pycharm(self.root, python or sys.executable)


class _Attempt:
    """One submission's work: run the starter (or not), check the model file, grade it."""

    def __init__(
        self,
        base: Submission,
        folder: Path,
        state: ExamState,
        timeout: float | None,
        python: str | None,
        echo: TextIO | None,
    ) -> None:
        self.base, self.folder, self.state = base, folder, state
        self.timeout, self.python, self.echo = timeout, python, echo
        self.model = folder / MODEL
        self.started = time.monotonic()

    def failed(self, code: str, reason: str, result: StarterRun | None = None) -> Submission:
        tail = result.tail[-HISTORY_TAIL:] if result else ()
        return replace(
            self.base,
            code=code,
            reason=reason,
            exit_code=result.exit_code if result else None,
            output_tail=tuple(line[:300] for line in tail),
            duration_seconds=round(time.monotonic() - self.started, 2),
        )

    def run(self, seconds_left: float, *, run: bool) -> Submission:
        if run:
            result = self._run_starter(seconds_left)
            if isinstance(result, Submission):
                return result
        else:
            result = None
            sig = FileSig.of(self.model)
            if sig is None:
                return self.failed(
                    "no-model", f"there is no {MODEL} in {self.folder.name} to grade"
                )
            if sig.mtime_ns < (self.state.started_epoch - MTIME_SLACK) * 1e9:
                return self.failed(
                    "stale-model",
                    f"{self.folder.name}/{MODEL} was saved before this exam started: save a "
                    "model trained during the exam",
                )
        return self._grade(result)

    def _run_starter(self, seconds_left: float) -> StarterRun | Submission:
        """The starter's run, or the failed submission it ended in."""
        wall_start = time.time()
        before = FileSig.of(self.model)
        timeout = self.timeout
        limit = seconds_left if timeout is None else min(timeout, seconds_left)
        try:
            result = run_starter(self.folder, python=self.python, timeout=limit, echo=self.echo)
        except OSError as exc:
            interpreter = self.python or sys.executable
            return self.failed(
                "could-not-start", f"could not start {interpreter}: {exc.strerror or exc}"
            )
        if result.stopped == "interrupted":
            return self.failed(
                "interrupted",
                "interrupted (Ctrl-C): starter.py and everything it started were stopped; "
                "nothing was graded",
                result,
            )
        if result.stopped == "timeout":
            if timeout is not None and timeout < seconds_left:
                return self.failed(
                    "timed-out",
                    f"starter.py was still running after {timeout:g} s (--timeout): it was "
                    "stopped and nothing was graded; train for less time or raise --timeout",
                    result,
                )
            return self.failed(
                "exam-ended",
                "the exam's time ran out while starter.py was running: it was stopped and "
                "nothing was graded (the real exam submitted itself at 5 hours)",
                result,
            )
        if result.exit_code != 0:
            return self.failed("crashed", crash_reason(result), result)
        after = FileSig.of(self.model)
        if after is None:
            return self.failed(
                "no-model",
                f"starter.py finished but saved no {MODEL} in {self.folder.name}: keep the "
                f'`model.save("{MODEL}")` line of its __main__ block',
                result,
            )
        if after == before or after.mtime_ns < (wall_start - MTIME_SLACK) * 1e9:
            return self.failed(
                "stale-model",
                f"starter.py finished but did not write {MODEL}: the one in "
                f"{self.folder.name} is older than this submission; keep "
                f'`model.save("{MODEL}")` in __main__',
                result,
            )
        return result

    def _grade(self, result: StarterRun | None) -> Submission:
        from grader.data.errors import DataError
        from grader.modelfile.inspection import Rejected
        from grader.problems.grading import grade

        try:
            graded = grade(self.model, self.base.problem)
        except Rejected as exc:
            return self.failed("rejected", f"the grader rejected {MODEL}: {exc.reason}", result)
        except DataError as exc:
            return self.failed("data-missing", str(exc), result)
        return replace(
            self.base,
            ok=True,
            code="graded",
            score=graded.score,
            metric=graded.metric,
            value=graded.value,
            needed_for_five=graded.needed_for_five,
            summary=graded.summary(),
            file_sha256=graded.file_sha256,
            exit_code=result.exit_code if result else None,
            duration_seconds=round(time.monotonic() - self.started, 2),
        )


def find_exam(start: str | os.PathLike[str] | None = None, *, clock: Clock | None = None) -> Exam:
    """The exam whose folder is `start` (default: the current directory) or one of its parents."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / STATE_FILE).is_file():
            return Exam(folder, clock=clock)
    raise ExamNotFound(
        f"no mock exam in {here} or any folder above it: start one with `tfcert exam start DIR`,"
        " or pass the exam's folder"
    )


def existing_exam(root: str | os.PathLike[str]) -> str | None:
    """What of an earlier exam is in `root` (None when nothing), in words."""
    root = Path(root)
    found = []
    if (root / STATE_FILE).exists():
        found.append(STATE_FILE)
    found += [category_folder(n) for n in CATEGORIES if (root / category_folder(n)).exists()]
    if not found:
        return None
    detail = ""
    with contextlib.suppress(Exception):
        state = json.loads((root / STATE_FILE).read_text("utf-8"))
        detail = (
            f" (started {show_time(parse_time(state['started'], 'start'))}, "
            f"{len(state['submissions'])} submissions)"
        )
    return f"{root} already holds an exam{detail}: {', '.join(found)}"


def _archive(root: Path, clock: Clock) -> Path:
    """Move an earlier exam's state and category folders to old-exams/<time>/ (never delete)."""
    stamp = clock().astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")
    with contextlib.suppress(Exception):
        state = json.loads((root / STATE_FILE).read_text("utf-8"))
        stamp = parse_time(state["started"], "start").strftime("%Y%m%d-%H%M%S")
    dest = root / ARCHIVE_DIR / f"exam-{stamp}"
    n = 1
    while dest.exists():
        n += 1
        dest = root / ARCHIVE_DIR / f"exam-{stamp}-{n}"
    dest.mkdir(parents=True)
    for name in (STATE_FILE, *(category_folder(c) for c in CATEGORIES)):
        if (root / name).exists():
            shutil.move(str(root / name), str(dest / name))
    return dest


def start_exam(
    root: str | os.PathLike[str],
    *,
    problem_set: str = "default",
    overwrite: bool = False,
    prepare_data: bool = True,
    hours: float = EXAM_HOURS,
    clock: Clock | None = None,
    python: str | None = None,
    log: Callable[[str], None] | None = None,
    progress: bool = False,
) -> Exam:
    """Start a mock exam in `root`: five category folders with their starters, the clock running.

    The data of every problem is made ready first (`DataError` if it cannot be), so the
    5 hours start only when everything is in place. An earlier exam in `root` raises
    `ExamExists`, unless `overwrite`: then it is moved to `root/old-exams/exam-<start>/`.
    `progress` draws the downloads' progress bars (on a terminal), as `tfcert data prepare`.
    """
    from grader.problems.catalog import get_problem

    sets = problem_sets()
    if problem_set not in sets:
        raise ExamError(f"unknown problem set {problem_set!r}; choose one of: {', '.join(sets)}")
    if not hours > 0:
        raise ExamError("the exam must last more than 0 hours")
    chosen = sets[problem_set]
    clock = clock or system_clock
    say = log or (lambda _: None)
    root = Path(root).resolve()
    if root.exists() and not root.is_dir():
        raise ExamError(f"{root} is a file, not a folder")
    if (found := existing_exam(root)) is not None and not overwrite:
        raise ExamExists(found)
    clock()  # a bad $TFCERT_EXAM_NOW fails here, before anything is written
    if prepare_data:
        for n in CATEGORIES:
            say(f"Category {n}: preparing the data of {chosen[n]} ...")
            prepare_problem_data(chosen[n], progress=progress)
            say(f"Category {n}: {get_problem(chosen[n]).title}: data ready")
    root.mkdir(parents=True, exist_ok=True)
    if found is not None:
        dest = _archive(root, clock)
        say(f"The earlier exam was moved to {dest}")
    categories = {}
    for n in CATEGORIES:
        folder = root / category_folder(n)
        folder.mkdir()
        (folder / STARTER).write_text(get_problem(chosen[n]).starter_text(), "utf-8")
        categories[n] = CategoryEntry(chosen[n], folder.name)
    write_pycharm(root, python or sys.executable)
    began = clock()
    state = ExamState(
        problem_set=problem_set,
        started=began,
        deadline=began + timedelta(hours=hours),
        categories=categories,
        duration_seconds=round(hours * 3600),
        started_epoch=time.time(),  # real time, for the age of model files
        tool=f"tfcert {__version__}",
    )
    write_json_atomic(root / STATE_FILE, state.to_dict())
    return Exam(root, clock=clock)
