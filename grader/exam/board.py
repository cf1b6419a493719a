"""The mock exam's board and report: best and last score per category, the weighted total.

The weights and the pass mark are this project's choices (see WEIGHTS_NOTE and PASS_NOTE,
which every report prints); docs/mock-exam.md#pass-rule states the rule once for readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from grader.exam.state import (
    CATEGORIES,
    ExamState,
    Submission,
    iso,
    show_duration,
    show_time,
)

__all__ = ["PASS_PERCENT", "WEIGHTS", "Board", "CategoryStatus", "Report", "statuses"]

# Ours: the handbook says only that questions are weighted by difficulty and that category 1
# counts "significantly less" than category 5. 1:2:3:4:5 is the simplest rule with that shape.
WEIGHTS: dict[int, int] = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
# The early Candidate Handbook said candidates "must achieve a score of 90%" (quoted by a
# candidate's write-up); later handbooks dropped the sentence, so it is unconfirmed.
PASS_PERCENT = 90.0
WEIGHTS_NOTE = (
    "weights 1:2:3:4:5 are this project's: the handbook says only that questions are weighted "
    'by difficulty and that category 1 counts "significantly less" than category 5'
)
PASS_NOTE = (
    f"the pass mark of {PASS_PERCENT:g}% follows the early Candidate Handbook, which later "
    "editions dropped (unconfirmed); the safe target is 5/5 in every category"
)


@dataclass(frozen=True)
class CategoryStatus:
    category: int
    problem: str
    folder: str
    best: int | None  # best graded score, None when nothing was graded
    last: Submission | None
    submissions: int
    graded: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "problem": self.problem,
            "folder": self.folder,
            "best_score": self.best,
            "last": self.last.to_dict() if self.last else None,
            "submissions": self.submissions,
            "graded": self.graded,
        }


def statuses(state: ExamState) -> list[CategoryStatus]:
    """One row per category: its best and last submission."""
    rows = []
    for n in CATEGORIES:
        mine = [s for s in state.submissions if s.category == n]
        scores = [s.score for s in mine if s.ok and s.score is not None]
        entry = state.categories[n]
        rows.append(
            CategoryStatus(
                category=n,
                problem=entry.problem,
                folder=entry.folder,
                best=max(scores) if scores else None,
                last=mine[-1] if mine else None,
                submissions=len(mine),
                graded=len(scores),
            )
        )
    return rows


@dataclass(frozen=True)
class Board:
    """The status board: one row per category, and the time left."""

    root: str
    problem_set: str
    started: datetime
    deadline: datetime
    now: datetime
    rows: tuple[CategoryStatus, ...]

    @property
    def over(self) -> bool:
        return self.now >= self.deadline

    @property
    def seconds_left(self) -> float:
        return max(0.0, (self.deadline - self.now).total_seconds())

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam": self.root,
            "problem_set": self.problem_set,
            "started": iso(self.started),
            "deadline": iso(self.deadline),
            "now": iso(self.now),
            "over": self.over,
            "seconds_left": round(self.seconds_left),
            "categories": [r.to_dict() for r in self.rows],
        }

    def render(self) -> str:
        lines = [f"Mock exam: {self.root} (problem set: {self.problem_set})"]
        when = f"Started {show_time(self.started)}; ends {show_time(self.deadline)}"
        if self.over:
            lines.append(f"{when}; the exam is over: submissions are closed")
        else:
            lines.append(f"{when}; {show_duration(self.seconds_left)} left")
        lines.append("")
        width = max(len(r.problem) for r in self.rows)
        lines.append(f"Category  {'Problem':<{width}}  Best  {'Last':<22}  Submissions")
        for r in self.rows:
            best = f"{r.best}/5" if r.best is not None else "-"
            if r.last is None:
                last = "-"
            elif r.last.ok:
                last = f"{r.last.score}/5"
            else:
                last = f"failed ({r.last.code})"
            lines.append(
                f"{r.category:<8}  {r.problem:<{width}}  {best:<4}  {last:<22}  {r.submissions}"
            )
        missing = [str(r.category) for r in self.rows if r.best is None]
        if missing:
            lines.append("")
            lines.append(
                f"Not graded yet: {'category' if len(missing) == 1 else 'categories'} "
                f"{', '.join(missing)} (a category never submitted scores 0, as in the exam)"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class Report:
    """The final summary: best score per category, the weighted total and pass or fail."""

    board: Board
    weights: dict[int, int] = field(default_factory=lambda: dict(WEIGHTS))
    pass_percent: float = PASS_PERCENT

    @property
    def best(self) -> dict[int, int]:
        return {r.category: (r.best or 0) for r in self.board.rows}

    @property
    def total_percent(self) -> float:
        total = sum(self.weights.values())
        points = sum(self.weights[n] * self.best[n] / 5 for n in CATEGORIES)
        return 100.0 * points / total

    @property
    def passed(self) -> bool:
        # Rounded so that a total shown as 90.0% never reads as a fail on float noise.
        return round(self.total_percent, 6) >= self.pass_percent

    @property
    def all_submitted(self) -> bool:
        return all(r.best is not None for r in self.board.rows)

    @property
    def all_five(self) -> bool:
        return all(r.best == 5 for r in self.board.rows)

    def to_dict(self) -> dict[str, Any]:
        total = sum(self.weights.values())
        return {
            "exam": self.board.root,
            "problem_set": self.board.problem_set,
            "started": iso(self.board.started),
            "deadline": iso(self.board.deadline),
            "over": self.board.over,
            "seconds_left": round(self.board.seconds_left),
            "categories": [
                {
                    "category": r.category,
                    "problem": r.problem,
                    "best_score": self.best[r.category],
                    "submitted": r.best is not None,
                    "submissions": r.submissions,
                    "graded": r.graded,
                    "weight": self.weights[r.category],
                    "percent": round(
                        100 * self.weights[r.category] * self.best[r.category] / 5 / total, 2
                    ),
                }
                for r in self.board.rows
            ],
            "weights": [self.weights[n] for n in CATEGORIES],
            "weights_note": WEIGHTS_NOTE,
            "total_percent": round(self.total_percent, 2),
            "pass_percent": self.pass_percent,
            "pass_note": PASS_NOTE,
            "passed": self.passed,
            "all_submitted": self.all_submitted,
            "all_five": self.all_five,
        }

    def render(self) -> str:
        b = self.board
        total = sum(self.weights.values())
        lines = [f"Mock exam report: {b.root} (problem set: {b.problem_set})"]
        if b.over:
            lines.append(f"The exam ended {show_time(b.deadline)}.")
        else:
            lines.append(
                f"The exam is still running: {show_duration(b.seconds_left)} left "
                f"(ends {show_time(b.deadline)})."
            )
        lines.append("")
        width = max(len(r.problem) for r in b.rows)
        lines.append(f"Category  {'Problem':<{width}}  Best  Weight  Submissions")
        for r in b.rows:
            weight = f"{self.weights[r.category]}/{total}"
            line = (
                f"{r.category:<8}  {r.problem:<{width}}  {self.best[r.category]}/5   "
                f"{weight:<6}  {r.submissions}"
            )
            if r.best is None:
                line += "  (never graded: scores 0)"
            lines.append(line)
        lines.append("")
        verdict = "PASS" if self.passed else "FAIL"
        lines.append(
            f"Weighted total: {self.total_percent:.1f}% ({verdict}; pass mark "
            f"{self.pass_percent:g}%)"
        )
        if self.all_five:
            lines.append("5/5 in every category: the safe target is met.")
        lines.append(f"Note: {WEIGHTS_NOTE}.")
        lines.append(f"Note: {PASS_NOTE}.")
        return "\n".join(lines)
