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
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def test_ruff_check() -> None:
    proc = run(str(BIN / "ruff"), "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format() -> None:
    proc = run(str(BIN / "ruff"), "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


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
    files = run("git", "ls-files").stdout.split()
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
