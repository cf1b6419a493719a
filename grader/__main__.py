"""The `tfcert` command: a thin shell over the grader library.

Exit codes: 0 success; 1 graded but below --min-score (for `exam submit`: the submission
failed or was refused); 2 bad command-line arguments; 3 the model file was rejected
(unreadable, unsafe or the wrong shape); 4 data missing; 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_LOW_SCORE, EXIT_USAGE, EXIT_REJECTED, EXIT_DATA = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        self.exit(EXIT_USAGE, f"tfcert: {message} (see `{self.prog} --help`)\n")


def _cmd_problems(args: argparse.Namespace) -> int:
    from grader._problems import PROBLEMS

    if args.json:
        print(
            json.dumps(
                [
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
                ],
                indent=2,
                default=list,
            )
        )
        return EXIT_OK
    for p in PROBLEMS.values():
        print(f"{p.id}  (category {p.category})  {p.title}")
        print(f"    {p.contract()}")
        print(f"    scored on {p.scale.metric}; 5/5 needs {p.scale.describe(5)}; data: {p.dataset}")
    return EXIT_OK


def _cmd_grade(args: argparse.Namespace) -> int:
    from grader._data import DataError
    from grader._grade import grade
    from grader._inspect import Rejected
    from grader._problems import PROBLEMS

    if args.problem not in PROBLEMS:
        print(
            f"tfcert: unknown problem {args.problem!r}; choose one of: {', '.join(PROBLEMS)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        result = grade(args.path, args.problem)
    except Rejected as exc:
        if args.json:
            print(json.dumps({"problem": args.problem, "rejected": exc.code, "reason": exc.reason}))
        print(f"tfcert: {args.problem}: rejected: {exc.reason}", file=sys.stderr)
        return EXIT_REJECTED
    except DataError as exc:
        print(f"tfcert: {exc}", file=sys.stderr)
        return EXIT_DATA
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
            print(
                f"tfcert: score {result.score}/5 is below --min-score {args.min_score}",
                file=sys.stderr,
            )
        return EXIT_LOW_SCORE
    return EXIT_OK


def explain(result) -> str:  # type: ignore[no-untyped-def]
    """Human-readable diagnostics: what the score rests on and what the next point needs."""
    from grader._problems import get_problem

    problem = get_problem(result.problem)
    scale = problem.scale
    lines = [
        f"  metric: {result.metric} = {result.value:.4f} on {result.count} held-out {result.unit}"
    ]
    lines.append(
        f"  scale: {scale.metric} {'higher' if scale.higher_is_better else 'lower'} is better; "
        f"each {scale.step:g} is one point; raw {result.details.get('raw_score', 0):.2f}"
    )
    for s in range(1, 6):
        mark = "<-" if s == result.score else ""
        lines.append(f"    {s}/5 needs {scale.describe(s)} {mark}")
    if result.next_score:
        gap = abs(scale.bound(result.score + 1) - result.value)
        lines.append(f"  next point: {result.next_score} (a change of {gap:.4f})")
    d = result.details
    if "per_class_accuracy" in d:
        lines.append("  accuracy per class (worst first):")
        for name, acc in sorted(d["per_class_accuracy"].items(), key=lambda kv: kv[1]):
            lines.append(f"    {name:<14} {acc:.3f}")
        names = d["classes"]
        lines.append("  confusion (rows: true class, columns: predicted):")
        for name, row in zip(names, d["confusion"], strict=True):
            lines.append(f"    {name[:12]:<12} " + " ".join(f"{v:5d}" for v in row))
    if "mae_per_feature" in d:
        lines.append(
            "  MAE per feature: "
            + ", ".join(f"{k} {v:.4f}" for k, v in d["mae_per_feature"].items())
        )
    if "mae_per_step" in d:
        lines.append("  MAE per forecast step: " + ", ".join(f"{v:.4f}" for v in d["mae_per_step"]))
    if "predictions" in d:
        lines.append("  unseen input -> prediction (expected):")
        for x, (p, t) in d["predictions"].items():
            lines.append(f"    {x:>6} -> {p:9.3f} ({t:g})")
    return "\n".join(lines)


def _cmd_data(args: argparse.Namespace) -> int:
    from grader._data import DataError, prepare, source_of
    from grader._registry import DATASETS

    names = args.names or [n for n, d in DATASETS.items() if not d.online_only]
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        print(
            f"tfcert: unknown dataset {unknown[0]!r}; known: {', '.join(DATASETS)}", file=sys.stderr
        )
        return EXIT_USAGE
    if args.action == "show":
        for n in names:
            d = DATASETS[n]
            print(f"{n}: {d.title}")
            print(f"    licence: {d.licence}")
            for key, off in d.offline.items():
                print(f"    {key}: offline from {off.registry} {off.package} ({off.install})")
                print(f"        now: {source_of(d, key)}")
            for r in d.remote.values():
                print(f"    origin: {r.url}")
                print(f"        sha256 {r.sha256 or 'not published (tfcert does not download it)'}")
            if d.notes:
                print(f"    note: {d.notes}")
        return EXIT_OK
    failed = 0
    for n in names:
        try:
            where = prepare(n, progress=not args.quiet)
        except DataError as exc:
            print(f"tfcert: {exc}", file=sys.stderr)
            failed += 1
            continue
        if not args.quiet:
            print(f"{n}: ready ({where})")
    return EXIT_DATA if failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tfcert", description=__doc__.split("\n\n")[0].strip() if __doc__ else None
    )
    parser.add_argument("--version", action="version", version="tfcert 0.1.0")
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

    d = sub.add_parser(
        "data",
        help="show or prepare the datasets",
        description="Show where each dataset comes from, or prepare it for offline use.",
    )
    d.add_argument("action", choices=["show", "prepare"], help="show sources, or prepare the data")
    d.add_argument("names", nargs="*", help="dataset names (default: all offline datasets)")
    d.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    d.set_defaults(func=_cmd_data)

    try:
        from grader import _exam
    except ImportError:  # pragma: no cover - the mock exam arrives with its own module
        pass
    else:
        _exam.add_parser(sub)
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
        print("tfcert: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`tfcert problems | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def entrypoint() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entrypoint()
