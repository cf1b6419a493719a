"""The `tfcert` command: a thin shell over the grader library (exam: grader.cli.exam_commands).

    tfcert problems | grade | starter | data [show|prepare]
    tfcert exam start|submit|status|report|pycharm

Exit codes (`ExitCode`): 0 success; 1 graded but below --min-score (for `exam submit`: the
submission failed or was refused); 2 bad command-line arguments; 3 the model file was
rejected (unreadable, unsafe or the wrong shape); 4 data missing; 130 interrupted.
TensorFlow's own start-up lines (written by its C++ code straight to the terminal) are
hidden unless --verbose.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from grader.cli.exam_commands import add_exam_parser
from grader.core.exit_codes import ExitCode, err
from grader.core.quiet import native_stderr_hidden
from grader.core.version import __version__

if TYPE_CHECKING:  # the command imports the grader's layers only when a command needs them
    from grader.problems.definition import Problem

__all__ = ["ExitCode", "build_parser", "entrypoint", "err", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        self.exit(ExitCode.USAGE, f"tfcert: {message} (see `{self.prog} --help`)\n")


# --------------------------------------------------------------------------- problems, grade


def _problem_named(name: str) -> Problem | None:
    """The problem called `name`; None, after saying which exist, when there is none."""
    from grader.problems.catalog import PROBLEMS

    problem = PROBLEMS.get(name)
    if problem is None:
        err(f"unknown problem {name!r}; choose one of: {', '.join(PROBLEMS)}")
    return problem


def _cmd_problems(args: argparse.Namespace) -> int:
    from grader.problems.catalog import PROBLEMS

    if args.json:
        rows = [
            {
                "id": p.id,
                "category": p.category,
                "title": p.title,
                "dataset": p.dataset,
                "contract": p.contract(),
                "metric": p.scale.metric,
                "five_needs": p.scale.describe(5),
                "constants": p.constants,
                "online_only": p.online_only,
            }
            for p in PROBLEMS.values()
        ]
        print(json.dumps(rows, indent=2, default=list))
        return ExitCode.OK
    for p in PROBLEMS.values():
        print(f"{p.id}  (category {p.category})  {p.title}")
        print(f"    {p.contract()}")
        print(f"    scored on {p.scale.metric}; 5/5 needs {p.scale.describe(5)}; data: {p.dataset}")
    return ExitCode.OK


def _cmd_grade(args: argparse.Namespace) -> int:
    from grader.data.errors import DataError
    from grader.modelfile.inspection import Rejected
    from grader.problems.grading import explain, grade

    if _problem_named(args.problem) is None:
        return ExitCode.USAGE
    try:
        result = grade(args.path, args.problem)
    except Rejected as exc:
        if args.json:
            print(json.dumps({"problem": args.problem, "rejected": exc.code, "reason": exc.reason}))
        err(f"{args.problem}: rejected: {exc.reason}")
        return ExitCode.REJECTED
    except DataError as exc:
        err(str(exc))
        return ExitCode.DATA
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(result.summary())
        if args.explain:
            print(explain(result))
        for note in result.notes:
            print(f"note: {note}")
    if args.min_score is not None and result.score < args.min_score:
        if not args.json:
            err(f"score {result.score}/5 is below --min-score {args.min_score}")
        return ExitCode.FAILED
    return ExitCode.OK


# --------------------------------------------------------------------------- starter


def _cmd_starter(args: argparse.Namespace) -> int:
    from pathlib import Path

    from grader.core.atomic_files import write_text_atomic
    from grader.exam.state import STARTER
    from grader.problems.catalog import PROBLEMS

    problem = _problem_named(args.problem)
    if problem is None:
        return ExitCode.USAGE
    if problem.starter is None:
        with_one = [p.id for p in PROBLEMS.values() if p.starter is not None]
        err(f"{problem.id} has no starter; problems with one: {', '.join(with_one)}")
        return ExitCode.USAGE
    folder = Path(args.dir)
    target = folder / STARTER
    if folder.exists() and not folder.is_dir():
        err(f"{folder} is a file, not a folder: name a folder for {STARTER}")
        return ExitCode.USAGE
    if target.exists() and not args.force:
        err(f"{target} already exists; nothing was changed (add --force to replace it)")
        return ExitCode.FAILED
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, problem.starter_text())
    except OSError as exc:
        err(f"could not write {target}: {exc.strerror or exc}")
        return ExitCode.FAILED
    print(f"wrote {target} ({problem.id}: {problem.title})")
    print(f"Complete solution_model(), run `python {STARTER}` in {folder}, then:")
    print(f"  tfcert grade {folder / 'mymodel.h5'} --problem {problem.id} --explain")
    return ExitCode.OK


# --------------------------------------------------------------------------- data


def _cmd_data(args: argparse.Namespace) -> int:
    from grader.data.errors import DataError
    from grader.data.preparers import prepare
    from grader.data.registry import DATASETS
    from grader.data.status import describe, format_status, status

    names = args.names or [n for n, d in DATASETS.items() if not d.online_only]
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        err(f"unknown dataset {unknown[0]!r}; known: {', '.join(DATASETS)}")
        return ExitCode.USAGE
    try:
        if args.action in (None, "status"):
            shown = format_status(status(args.names or None))
        elif args.action == "show":
            shown = "\n".join(line for name in names for line in describe(DATASETS[name]))
        else:
            shown = ""
    except DataError as exc:  # a bad setting, such as TFCERT_OFFLINE=maybe
        err(str(exc))
        return ExitCode.DATA
    if args.action in (None, "status"):
        print(shown)
        if args.action is None:
            print("`tfcert data prepare` makes every offline dataset ready; `tfcert data show`")
            print("lists each dataset's sources, checksums and licence.")
        return ExitCode.OK
    if args.action == "show":
        print(shown)
        return ExitCode.OK
    failed = 0
    for name in names:
        try:
            where = prepare(name, progress=not args.quiet)
        except DataError as exc:
            err(str(exc))
            failed += 1
            continue
        if not args.quiet:
            print(f"{name}: ready ({where})")
    return ExitCode.DATA if failed else ExitCode.OK


# --------------------------------------------------------------------------- the parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tfcert", description="Grade saved Keras models x/5 and take a mock exam, offline."
    )
    parser.add_argument("--version", action="version", version=f"tfcert {__version__}")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="show TensorFlow's own start-up log lines"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    g = sub.add_parser(
        "grade",
        help="score a saved model x/5 for a problem",
        description="Score a saved model (.h5 or .keras) x/5 for a problem, offline.",
    )
    g.add_argument("path", help="the model file, e.g. mymodel.h5")
    g.add_argument("--problem", "-p", required=True, help="problem id (see `tfcert problems`)")
    g.add_argument("--json", action="store_true", help="print the result as JSON")
    g.add_argument("--explain", action="store_true", help="show what the score rests on")
    g.add_argument(
        "--min-score",
        type=int,
        choices=range(6),
        metavar="N",
        help="exit 1 when the score is below N (0-5)",
    )
    g.set_defaults(func=_cmd_grade)

    p = sub.add_parser(
        "problems",
        help="list the problems and their contracts",
        description="List the problems, their input/output contracts and thresholds.",
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_cmd_problems)

    st = sub.add_parser(
        "starter",
        help="write one problem's exam-style starter.py into a folder",
        description=(
            "Write a problem's starter.py (fixed settings and data loading, an empty "
            "solution_model(), the block that saves mymodel.h5) into DIR, to practise one "
            "problem without starting a whole mock exam."
        ),
    )
    st.add_argument("problem", help="problem id (see `tfcert problems`)")
    st.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the folder (default .)")
    st.add_argument("--force", action="store_true", help="replace an existing starter.py")
    st.set_defaults(func=_cmd_starter)

    d = sub.add_parser(
        "data",
        help="what data is ready, its sources, or prepare it",
        description=(
            "With no action: what each dataset is ready from, and where. `show`: its sources "
            "and licence. `prepare`: make it ready for offline use."
        ),
    )
    d.add_argument(
        "action",
        nargs="?",
        choices=["status", "show", "prepare"],
        help="status (the default), show, or prepare",
    )
    d.add_argument("names", nargs="*", help="dataset names (default: all offline datasets)")
    d.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    d.epilog = (
        "settings (environment variables): TFCERT_DATA_HOME where prepared data lives; "
        "TFCERT_DOWNLOAD_CACHE the verified download cache; TFCERT_OFFLINE=1 never download; "
        "TFCERT_IGNORE_INSTALLED_DATA=1 ignore installed Debian and pip dataset packages; "
        "TFCERT_LOCAL_DATA a folder of already downloaded files"
    )
    d.set_defaults(func=_cmd_data)

    add_exam_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows up here, inside the handler below
        return code
    except KeyboardInterrupt:
        err("interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`tfcert problems | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK


def entrypoint() -> None:
    argv = sys.argv[1:]
    if "--verbose" in argv or "-v" in argv:
        sys.exit(main(argv))
    with native_stderr_hidden():
        code = main(argv)
    sys.exit(code)
