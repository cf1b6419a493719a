"""Repository hygiene as tests: lint, formatting, workflow files, the two README commands."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600
    )


def git(*args: str) -> str:
    """git's output; a checkout owned by another user is named safe (config on the command
    line is trusted), and a failing git fails the test instead of returning nothing."""
    proc = run("git", "-c", f"safe.directory={ROOT}", *args)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr.strip()}"
    return proc.stdout


def test_ruff_check() -> None:
    proc = run(str(BIN / "ruff"), "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format() -> None:
    proc = run(str(BIN / "ruff"), "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_on_the_grader() -> None:
    """The grader's type hints are checked (pyproject.toml [tool.mypy]: strict on grader/)."""
    proc = run(sys.executable, "-m", "mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr


# The grader's layers, lowest first: a module may import only modules listed before it, so
# no import runs back up and there are no loops. A new module must be placed here.
LAYERS = (
    "_version _files _quiet _text _exit_codes",  # no grader imports
    "_registry _download _cache _unpack _sources _images _data _data_status",  # data
    "_keras2 _inspect",  # reading a model file without running it
    "_problem _problems_series _problems _grade",  # problems and scoring
    "_exam_state _problem_sets _starter_run _pycharm _exam_board _exam",  # the mock exam
    "_cli_exam _cli __main__ __init__",  # the command line and the public API
)


def _grader_imports(path: Path) -> set[str]:
    """Every grader module that `path` imports, at the top or inside a function."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "grader":
                found |= {f"{a.name}" for a in node.names}
            elif node.module.startswith("grader."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("grader.")}
    return found


def test_grader_imports_only_run_down_the_layers() -> None:
    order = [name for layer in LAYERS for name in layer.split()]
    modules = {p.stem: p for p in (ROOT / "grader").glob("*.py")}
    assert sorted(set(modules) - set(order)) == [], "place each new module in LAYERS"
    wrong = []
    for name, path in modules.items():
        for target in _grader_imports(path):
            if target == "starters":
                wrong.append(f"{name} imports grader.starters (use Problem.starter_text())")
            elif target in modules and order.index(target) >= order.index(name):
                wrong.append(f"{name} imports {target}, which is not below it")
    assert wrong == []


def test_the_layer_check_finds_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "_files.py"
    bad.write_text("def f():\n    from grader._exam import Exam\n")
    assert _grader_imports(bad) == {"_exam"}
    order = [name for layer in LAYERS for name in layer.split()]
    assert order.index("_exam") > order.index("_files")


def test_workflows_pass_actionlint() -> None:
    actionlint = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    assert actionlint, "actionlint is missing: it comes with the test extra (make test installs it)"
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    proc = run(actionlint, "-shellcheck=", "-pyflakes=", *workflows)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    actionlint = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    assert actionlint
    bad = tmp_path / "bad.yml"
    steps = "      - uses: actions/checkout@v4\n        run: echo both\n"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n" + steps)
    proc = subprocess.run(
        [actionlint, "-shellcheck=", "-pyflakes=", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode != 0


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^make (\w+)$", readme, flags=re.M)
    assert commands[:2] == ["serve", "test"], commands
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert "make test" in ci


def test_no_absolute_machine_paths_in_tracked_files() -> None:
    files = git("ls-files").split()
    # Built from pieces so that this file does not match itself.
    pattern = re.compile(
        "("
        + "|".join(["/" + "root/", "/" + r"home/\w+/", "/" + "work/", "/" + r"Users/\w+/"])
        + ")"
    )
    offenders = []
    for name in files:
        path = ROOT / name
        if path.suffix in {".png", ".h5", ".ico"} or not path.is_file():
            continue
        text = path.read_text(errors="ignore")
        if pattern.search(text):
            offenders.append(name)
    assert not offenders, offenders


@pytest.mark.parametrize(
    "name", ["pyproject.toml", "requirements/constraints.txt", "Makefile", ".gitignore"]
)
def test_foundation_files_exist(name: str) -> None:
    assert (ROOT / name).is_file()
