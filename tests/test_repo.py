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


# The grader's layers, lowest first, one folder each: a module may import only modules
# listed before it (in its own folder or a lower one), so no import runs back up and there
# are no loops. A new module must be placed here, and CONTRIBUTING.md's table says the same.
LAYERS = (
    ("core", "version atomic_files quiet exit_codes"),  # no grader imports
    (
        "data",
        "errors settings download_cache dataset datasets_images datasets_text datasets_series "
        "registry download unpack sources images readers readers_text readers_series "
        "preparers status",
    ),
    ("modelfile", "keras2 model_file inspection"),  # reading a model file without running it
    (
        "problems",
        "text_encoder definition category1 category2 category3 category4 category5_testers "
        "category5_variants category5 catalog contract grading",
    ),  # problems and scoring
    ("exam", "state problem_sets starter_run pycharm board mock_exam"),  # the mock exam
    ("cli", "exam_commands main"),  # the command line
    ("", "__main__ __init__"),  # `python -m grader` and the public API
)
ORDER = [
    f"{folder}.{name}" if folder else name for folder, names in LAYERS for name in names.split()
]
GRADER = ROOT / "grader"


def _grader_modules() -> dict[str, Path]:
    """Every module of the grader (the starters aside) by dotted name below `grader`; a
    layer's own __init__.py is its docstring only and is checked on its own."""
    found = {}
    for path in GRADER.rglob("*.py"):
        parts = path.relative_to(GRADER).with_suffix("").parts
        if parts[0] == "starters" or (len(parts) > 1 and parts[-1] == "__init__"):
            continue
        found[".".join(parts)] = path
    return found


def _grader_imports(path: Path) -> set[str]:
    """Every grader module that `path` imports, at the top or inside a function, by dotted
    name below `grader` ("data.registry"; "data" for a layer's package itself)."""
    import ast

    def named(module: str, names: list[str]) -> set[str]:
        if (GRADER / module.replace(".", "/")).is_dir():  # a package: its names are modules
            return {f"{module}.{n}" if module else n for n in names}
        return {module}

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "grader" or node.module.startswith("grader."):
                module = node.module.removeprefix("grader").removeprefix(".")
                found |= named(module, [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".", 1)[1] for a in node.names if a.name.startswith("grader.")}
    return found


def test_grader_imports_only_run_down_the_layers() -> None:
    modules = _grader_modules()
    assert sorted(set(modules) - set(ORDER)) == [], "place each new module in LAYERS"
    assert sorted(set(ORDER) - set(modules)) == [], "LAYERS names a module that is gone"
    wrong = []
    for name, path in modules.items():
        for target in _grader_imports(path):
            if target == "starters" or target.startswith("starters."):
                wrong.append(f"{name} imports grader.starters (use Problem.starter_text())")
            elif target not in ORDER:
                wrong.append(f"{name} imports grader.{target}, which is not a module of LAYERS")
            elif ORDER.index(target) >= ORDER.index(name):
                wrong.append(f"{name} imports {target}, which is not below it")
    assert wrong == []


def test_each_layer_is_a_folder_with_a_docstring_and_no_imports() -> None:
    """grader/<layer>/__init__.py says what the layer is and imports nothing, so importing
    one module of a layer never pulls in the rest of it."""
    import ast

    folders = sorted(p.parent.name for p in GRADER.glob("*/__init__.py"))
    assert folders == sorted([folder for folder, _ in LAYERS if folder] + ["starters"])
    for folder, _ in LAYERS:
        if not folder:
            continue
        tree = ast.parse((GRADER / folder / "__init__.py").read_text("utf-8"))
        assert ast.get_docstring(tree), f"grader/{folder}/__init__.py needs its docstring"
        assert len(tree.body) == 1, f"grader/{folder}/__init__.py: a docstring, nothing else"


def test_the_layer_check_finds_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "atomic_files.py"
    bad.write_text("def f():\n    from grader.exam.mock_exam import Exam\n")
    assert _grader_imports(bad) == {"exam.mock_exam"}
    assert ORDER.index("exam.mock_exam") > ORDER.index("core.atomic_files")
    bad.write_text("from grader.data import registry, sources\n")
    assert _grader_imports(bad) == {"data.registry", "data.sources"}


def test_contributing_architecture_table_matches_the_layers() -> None:
    """CONTRIBUTING.md's architecture table names each layer's folder and its modules in
    the order of LAYERS."""
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    section = text.split("## Architecture", 1)[1].split("Around it:", 1)[0]
    rows = re.findall(r"^\| `grader/(\w*)/?` \| ([^|]+) \|", section, flags=re.M)
    table = [(folder, " ".join(re.findall(r"`(\w+)`", modules))) for folder, modules in rows]
    assert table == list(LAYERS)


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


def test_workflow_cache_keys_name_files_that_exist() -> None:
    """hashFiles() of a missing path hashes nothing, silently: a cache key that names a moved
    file never changes again (it happened when the grader's modules became folders)."""
    missing = []
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for args in re.findall(r"hashFiles\(([^)]*)\)", workflow.read_text(encoding="utf-8")):
            for pattern in re.findall(r"'([^']+)'", args):
                if not list(ROOT.glob(pattern)):
                    missing.append(f"{workflow.name}: {pattern}")
    assert not missing, missing
