"""Facts the site states that have their home in code must agree with that home."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import grader
from grader.starters import STARTERS

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\| `([A-Z_]+)` \| ([^|]+?) \|", re.M)


def _constants() -> dict[str, object]:
    merged: dict[str, object] = {}
    for problem in grader.PROBLEMS.values():
        merged.update(problem.constants)
    return merged


@pytest.mark.parametrize(
    "page", sorted((ROOT / "docs" / "categories").glob("category*.md")), ids=lambda p: p.name
)
def test_constant_tables_match_the_problems(page: Path) -> None:
    constants = _constants()
    for name, shown in ROW.findall(page.read_text()):
        if name in constants:
            value = shown.strip().strip("`").strip('"')
            assert value == str(constants[name]), (
                f"{page.name}: {name} shows {shown!r}, is {constants[name]!r}"
            )


@pytest.mark.parametrize("problem_id", sorted(STARTERS))
def test_starter_constants_match_the_problem(problem_id: str) -> None:
    """The starters' "do not change" values are what the grader reproduces."""
    source = (ROOT / "grader" / "starters" / STARTERS[problem_id]).read_text()
    assigned = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.isupper()
        and isinstance(node.value, ast.Constant)
    }
    constants = grader.get_problem(problem_id).constants
    shared = set(assigned) & set(constants)
    for name in shared:
        assert assigned[name] == constants[name], (problem_id, name)
    if problem_id.startswith(("c4", "c5")):
        assert shared, f"{problem_id}: no constants shared with the problem definition"
