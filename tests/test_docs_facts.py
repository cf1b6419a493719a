"""Facts the site states that have their home in code must agree with that home.

Two homes are checked here: each problem's fixed constants (`Problem.constants`, the values
the grader reproduces) against

- the exam-style starters in grader/starters/, whose "DO NOT CHANGE" values a learner keeps,
  and whose `Input(shape=...)` is the contract's input; and
- the category pages (English and Korean), which state those values in tables
  (`| \\`VOCAB_SIZE\\` | 5000 |`) or inline (`` `N_PAST = 14` ``).

Both checks are plain functions, so the last tests of this module feed them broken copies
and require them to fail: a check that finds nothing to compare fails instead of passing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

import grader

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
STARTER_DIR = ROOT / "grader" / "starters"

# Problem constants that no starter holds as a constant of its own, and what checks them.
NOT_STARTER_CONSTANTS = {
    "INPUT_SHAPE": "the starter's keras Input(shape=...), compared with the contract below",
    "CLASSES": "class names come from the data (folder names, label order), not the starter",
    "RELATION": "c1's ys, compared with the grader's training data below",
}


class _Unknown:
    """An expression the evaluator does not handle (a call, an attribute, ...)."""

    def __repr__(self) -> str:
        return "<not a constant>"


UNKNOWN = _Unknown()
_NUMPY_ARRAY = {"np.array", "numpy.array", "np.asarray", "numpy.asarray"}
_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
}


def evaluate(node: ast.AST, names: dict[str, Any]) -> Any:
    """The value of a constant expression: literals, tuples and lists, arithmetic, names
    assigned earlier, and `np.array(<literal>, dtype=...)` (as a list). UNKNOWN otherwise."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple | ast.List):
        items = [evaluate(e, names) for e in node.elts]
        if any(i is UNKNOWN for i in items):
            return UNKNOWN
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = evaluate(node.operand, names)
        if isinstance(value, int | float):
            return -value if isinstance(node.op, ast.USub) else value
        return UNKNOWN
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = evaluate(node.left, names), evaluate(node.right, names)
        if isinstance(left, int | float) and isinstance(right, int | float):
            return _BINARY[type(node.op)](left, right)
        return UNKNOWN
    if isinstance(node, ast.Name):
        return names.get(node.id, UNKNOWN)
    if isinstance(node, ast.Call) and ast.unparse(node.func) in _NUMPY_ARRAY and node.args:
        value = evaluate(node.args[0], names)
        return list(value) if isinstance(value, list | tuple) else UNKNOWN
    return UNKNOWN


def starter_constants(source: str) -> dict[str, Any]:
    """The module-level UPPER_CASE assignments of a starter, evaluated in order."""
    names: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id.isupper()
        ):
            names[node.targets[0].id] = evaluate(node.value, names)
    return names


def starter_input_shapes(source: str, names: dict[str, Any]) -> list[Any]:
    """The `shape=` of every `Input(...)` / `keras.Input(...)` call in the starter."""
    shapes = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "Input":
            for keyword in node.keywords:
                if keyword.arg == "shape":
                    shapes.append(evaluate(keyword.value, names))
    return shapes


def same(a: Any, b: Any) -> bool:
    """Equal values, with lists and tuples treated alike (a page shows either)."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is not _Unknown and a == b


def check_starter(source: str, problem: grader.Problem) -> list[str]:
    """What is wrong with a starter's fixed values and input shape, in words (empty: sound)."""
    found = starter_constants(source)
    wrong = []
    for name, value in problem.constants.items():
        if name in NOT_STARTER_CONSTANTS:
            continue
        if name not in found:
            wrong.append(
                f"{problem.id}: the starter does not define {name} (the grader's {value!r})"
            )
        elif found[name] is UNKNOWN:
            wrong.append(f"{problem.id}: the starter's {name} is not a value this test can read")
        elif not same(found[name], value):
            wrong.append(
                f"{problem.id}: the starter's {name} is {found[name]!r}, the grader's {value!r}"
            )
    shapes = starter_input_shapes(source, found)
    if len(shapes) != 1:
        wrong.append(f"{problem.id}: expected one Input(shape=...) in the starter, found {shapes}")
    elif not any(same(shapes[0], accepted) for accepted in problem.input_shapes):
        wrong.append(
            f"{problem.id}: the starter's Input(shape={shapes[0]!r}) is not the contract's "
            f"input {problem.input_shapes}"
        )
    return wrong


# --------------------------------------------------------------------------- pages

_NAME = r"[A-Z][A-Z0-9_]*"
# A table row whose first cell is one or more `NAMES`: | `VOCAB_SIZE` | 5000 | ... |
_TABLE_ROW = re.compile(rf"^\|\s*((?:`{_NAME}`\s*,?\s*)+)\|\s*([^|\n]*?)\s*\|", re.M)
# An inline code span with an assignment: `N_PAST = 14`
_INLINE = re.compile(rf"`({_NAME}) = ([^`\n]+)`")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _shown_value(text: str) -> Any:
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return text.strip()


def stated_constants(text: str) -> list[tuple[str, Any]]:
    """Every (NAME, value) a page states, from constant tables and inline assignments."""
    stated = []
    for names, cell in _TABLE_ROW.findall(text):
        span = _CODE_SPAN.search(cell)
        value = _shown_value(span.group(1) if span else cell)
        stated += [(name, value) for name in re.findall(rf"`({_NAME})`", names)]
    stated += [(name, _shown_value(value)) for name, value in _INLINE.findall(text)]
    return stated


def expected_constants(problems: list[grader.Problem]) -> list[tuple[str, str, Any]]:
    """(problem, NAME, value) that a page about these problems must state."""
    return [
        (p.id, name, value)
        for p in problems
        for name, value in p.constants.items()
        if name not in NOT_STARTER_CONSTANTS
    ]


def check_page(text: str, problems: list[grader.Problem]) -> list[str]:
    """What a category page gets wrong or leaves out about its problems' constants."""
    known: dict[str, list[Any]] = {}
    for p in problems:
        for name, value in p.constants.items():
            known.setdefault(name, []).append(value)
    stated = [(name, value) for name, value in stated_constants(text) if name in known]
    wrong = [
        f"shows {name} = {value!r}; the grader has {' or '.join(map(repr, known[name]))}"
        for name, value in stated
        if not any(same(value, k) for k in known[name])
    ]
    wrong += [
        f"does not state {name} = {value!r} ({problem_id})"
        for problem_id, name, value in expected_constants(problems)
        if not any(n == name and same(v, value) for n, v in stated)
    ]
    return wrong


def _category_pages() -> list[Path]:
    pages = []
    for n in sorted({p.category for p in grader.PROBLEMS.values()}):
        for page in (
            DOCS / "categories" / f"category{n}.md",
            DOCS / "categories" / f"category{n}.ko.md",
        ):
            pages.append(page)
    return pages


def _problems_of(page: Path) -> list[grader.Problem]:
    n = int(re.match(r"category(\d+)", page.name).group(1))
    return [p for p in grader.PROBLEMS.values() if p.category == n]


def _starters() -> dict[str, Path]:
    """Every starter file, by its problem (c1_basic_regression.py is c1-basic-regression)."""
    return {path.stem.replace("_", "-"): path for path in sorted(STARTER_DIR.glob("c*.py"))}


# --------------------------------------------------------------------------- the checks


@pytest.mark.parametrize("page", _category_pages(), ids=lambda p: p.name)
def test_constant_tables_match_the_problems(page: Path) -> None:
    assert page.exists(), f"{page.relative_to(ROOT)} is missing"
    problems = _problems_of(page)
    if not expected_constants(problems):
        pytest.skip(
            f"{', '.join(p.id for p in problems)}: no fixed constants to state (the contract's "
            "shapes are checked by tests/test_docs_guard.py::test_pages_state_the_current_contract)"
        )
    wrong = check_page(page.read_text(encoding="utf-8"), problems)
    assert not wrong, f"{page.relative_to(ROOT)}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("problem_id", sorted(_starters()))
def test_starter_constants_match_the_problem(problem_id: str) -> None:
    """The starters' "do not change" values and input shape are what the grader uses."""
    assert problem_id in grader.PROBLEMS, f"{_starters()[problem_id].name} has no problem"
    source = _starters()[problem_id].read_text(encoding="utf-8")
    wrong = check_starter(source, grader.get_problem(problem_id))
    assert not wrong, "\n".join(wrong)


def test_c1_starter_data_is_the_graders_training_data() -> None:
    found = starter_constants((STARTER_DIR / "c1_basic_regression.py").read_text(encoding="utf-8"))
    xs, ys = grader.load_training_data("c1-basic-regression")
    assert same(found["XS"], xs.tolist())
    assert same(found["YS"], ys.tolist())


# --------------------------------------------------------------------------- the checks can fail


def _page(name: str) -> str:
    return (DOCS / "categories" / name).read_text(encoding="utf-8")


def _starter(problem_id: str) -> str:
    return _starters()[problem_id].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "old", "new", "finding"),
    [
        (
            "category4.md",
            "| `VOCAB_SIZE` | 5000 |",
            "| `VOCAB_SIZE` | 4000 |",
            "shows VOCAB_SIZE = 4000",
        ),
        (
            "category4.md",
            '| `OOV_TOKEN` | `"<OOV>"` |',
            "| OOV token | `<UNK>` |",
            "does not state OOV_TOKEN",
        ),
        (
            "category4.ko.md",
            "| `MAX_LENGTH` | 32 |",
            "| `MAX_LENGTH` | 64 |",
            "shows MAX_LENGTH = 64",
        ),
        ("category5.md", "`N_PAST = 14`", "`N_PAST = 15`", "shows N_PAST = 15"),
        ("category5.md", "`N_FUTURE = 12`, ", "", "does not state N_FUTURE = 12 (c5-sunspots)"),
        ("category1.md", "`XS = [-1.0,", "`XS = [-2.0,", "shows XS = [-2.0"),
        (
            "category3.ko.md",
            "`IMAGE_SIZE = (150, 150)`",
            "`IMAGE_SIZE = (224, 224)`",
            "shows IMAGE_SIZE",
        ),
    ],
)
def test_page_check_fails_on_a_broken_page(page: str, old: str, new: str, finding: str) -> None:
    text = _page(page)
    assert old in text, f"{page} no longer contains {old!r}: update this test"
    problems = _problems_of(DOCS / "categories" / page)
    assert not check_page(text, problems)
    wrong = check_page(text.replace(old, new), problems)
    assert any(finding in w for w in wrong), wrong


def test_page_check_fails_on_a_page_without_its_table() -> None:
    problems = _problems_of(DOCS / "categories" / "category4.md")
    wrong = check_page("# Category 4\n\nNo constants here.\n", problems)
    assert len(wrong) == len(expected_constants(problems)) > 0, wrong


@pytest.mark.parametrize(
    ("problem_id", "old", "new", "finding"),
    [
        ("c1-basic-regression", "XS = np.array([-1.0,", "XS = np.array([-2.0,", "the starter's XS"),
        (
            "c2-fashion-mnist",
            "tf.keras.Input(shape=(28, 28))",
            "tf.keras.Input(shape=(28, 28, 1))",
            "Input(shape=(28, 28, 1))",
        ),
        (
            "c3-clipart",
            "IMAGE_SIZE = (150, 150)",
            "IMAGE_SIZE = (300, 300)",
            "the starter's IMAGE_SIZE",
        ),
        (
            "c3-clipart",
            "IMAGE_SIZE = (150, 150)",
            "IMAGE_SIZE = image_size()",
            "not a value this test can read",
        ),
        (
            "c4-rotten-tomatoes",
            "VOCAB_SIZE = 5000",
            "VOCAB_SIZE = 1000",
            "the starter's VOCAB_SIZE",
        ),
        ("c4-rotten-tomatoes", 'OOV_TOKEN = "<OOV>"\n', "", "does not define OOV_TOKEN"),
        ("c5-seattle-weather", "N_PAST = 14", "N_PAST = 2 * 12", "the starter's N_PAST is 24"),
        ("c5-sunspots", "WINDOW_SIZE = 60", "WINDOW_SIZE = 30", "Input(shape=(30, 1))"),
    ],
)
def test_starter_check_fails_on_a_broken_starter(
    problem_id: str, old: str, new: str, finding: str
) -> None:
    source = _starter(problem_id)
    assert old in source, f"the {problem_id} starter no longer contains {old!r}: update this test"
    problem = grader.get_problem(problem_id)
    assert not check_starter(source, problem)
    wrong = check_starter(source.replace(old, new), problem)
    assert any(finding in w for w in wrong), wrong


def test_evaluator_reads_arithmetic_and_earlier_names() -> None:
    found = starter_constants(
        "A = 7\nB = (A * 2, A + 1)\nC = -A // 2\nD = np.array([1.0, 2.0])\nE = f()\n"
    )
    assert found["B"] == (14, 8) and found["C"] == -4 and found["D"] == [1.0, 2.0]
    assert found["E"] is UNKNOWN
