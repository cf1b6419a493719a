"""The mock exam's state: its errors, its clock, its submissions and its state file.

`DIR/tfcert-exam.json` holds the start, the deadline, the problem of each category and every
submission (failed ones too, with their reason). `ExamState.parse` reads and checks it once;
the exam replaces it atomically under a lock (grader.core.atomic_files), so an interrupted or killed
`tfcert` never leaves it half written and two submissions never lose each other's records.

Time. The exam reads "now" from a clock, a callable returning an aware datetime. The default,
`system_clock`, is the system's time unless the environment variable `TFCERT_EXAM_NOW` holds
an ISO 8601 time (`2024-05-31T14:00:00+00:00`; no offset means UTC): tests and rehearsals
set it to move the exam's "now", e.g. past the deadline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = [
    "CATEGORIES",
    "EXAM_HOURS",
    "MODEL",
    "NOW_ENV",
    "STARTER",
    "STATE_FILE",
    "Clock",
    "ExamBusy",
    "ExamError",
    "ExamExists",
    "ExamNotFound",
    "ExamOver",
    "ExamState",
    "Submission",
    "SubmissionInterrupted",
    "category_folder",
    "iso",
    "parse_time",
    "show_duration",
    "show_time",
    "system_clock",
]

EXAM_HOURS = 5.0  # the handbook: 5 hours, one sitting
CATEGORIES = (1, 2, 3, 4, 5)
STATE_FILE = "tfcert-exam.json"
STATE_FORMAT = 1
STARTER = "starter.py"
MODEL = "mymodel.h5"
NOW_ENV = "TFCERT_EXAM_NOW"

Clock = Callable[[], datetime]


# --------------------------------------------------------------------------- errors


class ExamError(Exception):
    """The exam cannot do what was asked; the message (one line) says why and what to do."""


class ExamNotFound(ExamError):
    """No exam state file in the folder or any of its parents."""


class ExamExists(ExamError):
    """`start_exam` found an earlier exam in the folder and was not told to start over."""


class ExamOver(ExamError):
    """The 5 hours are up: submissions are closed."""


class ExamBusy(ExamError):
    """Another `tfcert` is submitting the same category right now."""


class SubmissionInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) during a submission; the attempt is recorded in `.submission`."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(submission.reason)
        self.submission = submission


# --------------------------------------------------------------------------- time


def parse_time(text: str, what: str) -> datetime:
    """An ISO 8601 time (UTC when it has no offset); `ExamError` naming `what` otherwise."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise ExamError(
            f"{what} is {text!r}, not an ISO 8601 time such as 2024-05-31T14:00:00+00:00"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def system_clock() -> datetime:
    """Now, in UTC; `$TFCERT_EXAM_NOW` (ISO 8601) overrides it, for tests and rehearsals."""
    if text := os.environ.get(NOW_ENV, "").strip():
        return parse_time(text, f"${NOW_ENV}")
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def show_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def show_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def category_folder(n: int) -> str:
    return f"Category{n}"


# --------------------------------------------------------------------------- submissions


@dataclass(frozen=True)
class Submission:
    """One "Submit and Test": graded (`ok`, with a score) or failed (with `code` and `reason`).

    `code` is "graded" or what went wrong: "crashed", "timed-out", "exam-ended",
    "interrupted", "no-model", "stale-model", "rejected", "data-missing", "could-not-start".
    """

    number: int
    time: str  # ISO 8601, UTC, on the exam's clock
    category: int
    problem: str
    ok: bool
    code: str
    reason: str = ""
    score: int | None = None
    metric: str | None = None
    value: float | None = None
    needed_for_five: str | None = None
    summary: str = ""
    file_sha256: str | None = None
    duration_seconds: float = 0.0
    exit_code: int | None = None
    output_tail: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["output_tail"] = list(self.output_tail)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Submission:
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        values["output_tail"] = tuple(values.get("output_tail") or ())
        return cls(**values)

    def describe(self) -> str:
        """One line: the score, or why there is none."""
        where = f"category {self.category} ({self.problem})"
        if self.ok:
            line = f"{where}: {self.score}/5 ({self.metric} {self.value:.4f})"
            if self.score is not None and self.score < 5:
                line += f"; 5/5 needs {self.needed_for_five}"
            return line
        return f"{where}: {self.reason}"


# --------------------------------------------------------------------------- the state file


@dataclass(frozen=True)
class CategoryEntry:
    problem: str
    folder: str


@dataclass(frozen=True)
class ExamState:
    """The state file, parsed and checked once: what every exam command reads."""

    problem_set: str
    started: datetime
    deadline: datetime
    categories: dict[int, CategoryEntry]
    submissions: tuple[Submission, ...] = ()
    duration_seconds: float = EXAM_HOURS * 3600
    started_epoch: float = 0.0  # real time, for the age of model files
    tool: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # keys of a newer tfcert, kept

    @classmethod
    def parse(cls, text: str, path: Path) -> ExamState:
        """Check and read a state file's text; `ExamError` says what is wrong and what to do."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
                raise ValueError("not a tfcert exam state (format 1)")
            categories = {}
            for n in CATEGORIES:
                entry = data["categories"][str(n)]
                if not isinstance(entry["problem"], str) or not isinstance(entry["folder"], str):
                    raise ValueError(f"category {n} is malformed")
                categories[n] = CategoryEntry(entry["problem"], entry["folder"])
            if not isinstance(data["submissions"], list):
                raise ValueError("its submissions are not a list")
            known = {"format", "tool", "problem_set", "started", "deadline", "duration_seconds"}
            known |= {"started_epoch", "categories", "submissions"}
            return cls(
                problem_set=str(data.get("problem_set", "?")),
                started=parse_time(data["started"], "its start"),
                deadline=parse_time(data["deadline"], "its deadline"),
                categories=categories,
                submissions=tuple(Submission.from_dict(s) for s in data["submissions"]),
                duration_seconds=float(data.get("duration_seconds", EXAM_HOURS * 3600)),
                started_epoch=float(data.get("started_epoch", 0.0)),
                tool=str(data.get("tool", "")),
                extra={k: v for k, v in data.items() if k not in known},
            )
        except (ValueError, KeyError, TypeError, AttributeError, ExamError) as exc:
            raise ExamError(
                f"the exam state file {path} is damaged ({exc}); put back a copy, "
                "or start a new exam with `tfcert exam start --yes` (the old one is kept)"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT,
            "tool": self.tool,
            "problem_set": self.problem_set,
            "started": iso(self.started),
            "deadline": iso(self.deadline),
            "duration_seconds": self.duration_seconds,
            "started_epoch": self.started_epoch,
            "categories": {
                str(n): {"problem": c.problem, "folder": c.folder}
                for n, c in self.categories.items()
            },
            "submissions": [s.to_dict() for s in self.submissions],
            **self.extra,
        }

    def with_submission(self, submission: Submission) -> tuple[ExamState, Submission]:
        """This state with `submission` appended, numbered after the last one."""
        numbered = replace(submission, number=len(self.submissions) + 1)
        return replace(self, submissions=(*self.submissions, numbered)), numbered

    def problem(self, category: int) -> str:
        return self.categories[category].problem

    @property
    def hours(self) -> str:
        return f"{self.duration_seconds / 3600:g} hours"
