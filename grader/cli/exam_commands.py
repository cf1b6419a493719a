"""`tfcert exam start|submit|status|report|pycharm`: the mock exam's commands.

The rest of the `tfcert` command is grader.cli.main.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from grader.core.exit_codes import ExitCode, err
from grader.exam.board import PASS_PERCENT
from grader.exam.mock_exam import (
    ARCHIVE_DIR,
    Exam,
    existing_exam,
    find_exam,
    problem_sets,
    start_exam,
)
from grader.exam.pycharm import TOOLS_FILE
from grader.exam.state import (
    CATEGORIES,
    EXAM_HOURS,
    NOW_ENV,
    STARTER,
    ExamError,
    ExamState,
    SubmissionInterrupted,
    show_duration,
    show_time,
)

__all__ = ["add_exam_parser"]


def _can_ask() -> bool:
    if os.environ.get("CI"):
        return False
    try:
        return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _cmd_exam_start(args: argparse.Namespace) -> int:
    from grader.data.errors import DataError

    root = Path(args.dir).resolve()
    overwrite = bool(args.yes)
    found = existing_exam(root)
    if found is not None and not overwrite:
        if _can_ask():
            try:
                answer = input(
                    f"{found}.\nStart a new exam? The earlier one is moved to "
                    f"{root / ARCHIVE_DIR}/, not deleted. [y/N] "
                )
            except EOFError:
                answer = ""
            overwrite = answer.strip().lower() in ("y", "yes")
        if not overwrite:
            err(
                f"{found}; nothing was changed (run `tfcert exam start --yes` to start over: the "
                f"earlier exam is moved to {ARCHIVE_DIR}/)"
            )
            return ExitCode.FAILED
    try:
        exam = start_exam(
            root,
            problem_set=args.set,
            overwrite=overwrite,
            hours=args.hours,
            log=lambda line: print(line, flush=True),
            progress=True,
        )
    except DataError as exc:
        err(f"{exc}; the exam was not started")
        return ExitCode.DATA
    except ExamError as exc:
        err(str(exc))
        return ExitCode.FAILED
    board = exam.board()
    print()
    print(f"Mock exam started in {exam.root} (problem set: {board.problem_set})")
    for row in board.rows:
        print(f"  {row.folder}/{STARTER}  {row.problem}")
    print(f"Started {show_time(board.started)}.")
    print(f"Deadline {show_time(board.deadline)} ({show_duration(board.seconds_left)} from now).")
    print(
        "Complete solution_model() in each starter.py, then submit a category with "
        '`tfcert exam submit N` (or PyCharm\'s "Submit and Test" run configuration).'
    )
    if exam.root != Path.cwd().resolve():
        # The exam's commands look for the exam in the current folder and the ones above it.
        print(f"Next: cd {_shell_quoted(args.dir)}   (or add --dir {_shell_quoted(args.dir)})")
    return ExitCode.OK


def _shell_quoted(path: str) -> str:
    """A folder as the user typed it, quoted only where a shell would split it."""
    return f'"{path}"' if any(c.isspace() for c in path) else path


def _submit_target(args: argparse.Namespace) -> tuple[Exam, ExamState, int]:
    """The exam, its state (read once) and the category that `exam submit` names."""

    target = str(args.target)
    if "$FileDir$" in target or "$FilePath$" in target:
        raise ExamError(
            'PyCharm passed $FileDir$ unexpanded: use the "Submit and Test: Category N" run '
            "configuration, or `tfcert exam submit N`"
        )
    if not target.strip():
        raise ExamError(
            "no category given (PyCharm passes an empty $FileDir$ when no file is open): open "
            "a category's starter.py, or pass the category number"
        )
    name = target.strip().lower().removeprefix("category")
    if name.isdigit() and not Path(target).exists():
        n = int(name)
        if n not in CATEGORIES:
            raise ExamError(f"there is no category {n}: the categories are 1 to 5")
        exam = find_exam(args.dir)
        return exam, exam.load(), n
    path = Path(target)
    if not path.exists():
        raise ExamError(f"{target} is neither a category number (1-5) nor an existing folder")
    exam = find_exam(path)
    if path.resolve() == exam.root:
        raise ExamError(f"{target} is the exam's folder: say which category (1-5)")
    state = exam.load()
    return exam, state, exam.category_of(path, state)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops a submission as Ctrl-C does (recorded, then exit 130)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _cmd_exam_submit(args: argparse.Namespace) -> int:

    try:
        exam, state, n = _submit_target(args)
        exam.check_open(state)
        folder = exam.folder(n, state)
        print(f"Submit and Test: category {n} ({state.problem(n)}) in {folder}", flush=True)
        if not args.no_run:
            print(f"Running {args.python or sys.executable} {STARTER} ...", flush=True)
        with _sigterm_interrupts():
            sub = exam.submit(
                n,
                timeout=args.timeout,
                python=args.python,
                echo=sys.stdout,
                run=not args.no_run,
                state=state,
            )
    except SubmissionInterrupted as exc:
        err(exc.submission.describe() + " (recorded)")
        return ExitCode.INTERRUPTED
    except ExamError as exc:
        err(str(exc))
        return ExitCode.FAILED
    if not sub.ok:
        err(f"category {n}: the submission failed: {sub.describe()}")
        codes = {"rejected": ExitCode.REJECTED, "data-missing": ExitCode.DATA}
        return codes.get(sub.code, ExitCode.FAILED)
    board = exam.board()  # read again: other categories may have been submitted meanwhile
    row = board.rows[n - 1]
    print(sub.summary)
    # The board counts each category's submissions; say which of this category's it was.
    print(
        f"Category {n}: {sub.score}/5 (best so far {row.best}/5, this category's submission "
        f"{row.submissions}); {show_duration(board.seconds_left)} left"
    )
    return ExitCode.OK


def _cmd_exam_show(args: argparse.Namespace) -> int:
    """`exam status` and `exam report`: the board, or the weighted summary."""

    try:
        exam = find_exam(args.dir)
        shown = exam.report() if args.exam_command == "report" else exam.board()
    except ExamError as exc:
        err(str(exc))
        return ExitCode.FAILED
    print(json.dumps(shown.to_dict(), indent=2) if args.json else shown.render())
    return ExitCode.OK


def _cmd_exam_pycharm(args: argparse.Namespace) -> int:

    try:
        exam = find_exam(args.dir)
    except ExamError as exc:
        err(str(exc))
        return ExitCode.FAILED
    for path in exam.write_pycharm(args.python):
        print(f"wrote {path}")
    print(
        'Open the exam folder as a PyCharm project: "Submit and Test" (the category of the '
        'file you are in) and "Submit and Test: Category N" appear among the run '
        f"configurations. External Tools live in PyCharm's own settings folder: copy "
        f"{TOOLS_FILE} into its tools/ folder, or add the tool by hand (see the mock exam page)."
    )
    return ExitCode.OK


def _number(text: str, unit: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None
    if not (low < value <= high and math.isfinite(value)):
        raise argparse.ArgumentTypeError(
            f"{text!r} must be more than 0 {unit}"
            + (f" and at most {high:g}" if math.isfinite(high) else "")
        )
    return value


def _positive_seconds(text: str) -> float:
    return _number(text, "seconds", 0, math.inf)


def _positive_hours(text: str) -> float:
    return _number(text, "hours", 0, 24)


def add_exam_parser(sub: Any) -> None:
    """Add `tfcert exam ...` to the `tfcert` command's subparsers."""

    exam = sub.add_parser(
        "exam",
        help="the mock exam: start, submit, status, report",
        description=(
            "A 5-hour mock exam: five category folders with starters, Submit and Test for "
            f"each, a status board and a weighted report. ${NOW_ENV} (ISO 8601) overrides the "
            "exam's clock."
        ),
    )
    cmds = exam.add_subparsers(dest="exam_command", required=True, metavar="COMMAND")

    s = cmds.add_parser(
        "start",
        help="start an exam: Category1..Category5 with starters and data, 5 hours from now",
        description=(
            "Create Category1..Category5, each with starter.py and its data ready offline, "
            "PyCharm's Submit and Test configurations, and the exam's state file; the 5 hours "
            "start when all is ready. An earlier exam in DIR is moved to old-exams/, after "
            "asking (or with --yes), never deleted."
        ),
    )
    s.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the exam folder (default .)")
    s.add_argument(
        "--set",
        default="default",
        choices=sorted(problem_sets()),
        help="which problem for categories with several (default: the set closest to the exam)",
    )
    s.add_argument("--yes", "-y", action="store_true", help="start over without asking")
    s.add_argument(
        "--hours", type=_positive_hours, default=EXAM_HOURS, help="exam length (default 5)"
    )
    s.set_defaults(func=_cmd_exam_start)

    m = cmds.add_parser(
        "submit",
        help="Submit and Test: run a category's starter.py, grade mymodel.h5, record the score",
        description=(
            "Run CategoryN/starter.py as the exam's plugin did (python starter.py, in that "
            "folder, output shown live), grade the mymodel.h5 it saves and record the attempt. "
            "Exit 0 graded, 1 failed or refused, 3 model rejected, 4 data missing, 130 "
            "interrupted."
        ),
    )
    m.add_argument(
        "target",
        metavar="N|PATH",
        help="category number 1-5, or a category folder or a file in it (PyCharm's $FileDir$)",
    )
    m.add_argument("--dir", default=None, help="the exam folder for N (default: . or a parent)")
    m.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=None,
        metavar="S",
        help="stop starter.py after S seconds (default: when the exam's time runs out)",
    )
    m.add_argument(
        "--python", default=None, help="the interpreter that runs starter.py (default: this one)"
    )
    m.add_argument(
        "--no-run",
        action="store_true",
        help="grade the mymodel.h5 already in the folder (trained elsewhere) without running",
    )
    m.set_defaults(func=_cmd_exam_submit)

    shows = {
        "status": ("the board: best and last score per category, time left", None),
        "report": (
            "final summary: best per category, weighted total, pass or fail",
            "Best score per category, a weighted total (weights 1:2:3:4:5, ours) and pass or "
            f"fail against {PASS_PERCENT:g}% (see the mock exam page for where it comes from).",
        ),
    }
    for name, (summary, description) in shows.items():
        t = cmds.add_parser(name, help=summary, description=description or summary)
        t.add_argument(
            "dir", nargs="?", default=None, metavar="DIR", help="the exam (default: . up)"
        )
        t.add_argument("--json", action="store_true", help="print as JSON")
        t.set_defaults(func=_cmd_exam_show)

    p = cmds.add_parser(
        "pycharm",
        help="(re)write PyCharm's Submit and Test run configurations and External Tool",
        description=(
            "Write .idea/runConfigurations/Submit_and_Test*.xml and .idea/tools/External "
            "Tools.xml, which run `python -m grader exam submit` with this interpreter."
        ),
    )
    p.add_argument("dir", nargs="?", default=None, metavar="DIR", help="the exam (default: . up)")
    p.add_argument("--python", default=None, help="the interpreter to use (default: this one)")
    p.set_defaults(func=_cmd_exam_pycharm)
