"""The in-browser grader's own unit tests (tests/js/*.test.mjs), run with Node's built-in
test runner: `node --test tests/js/*.test.mjs`. They check the page's pure modules
(docs/javascripts/browser-grader/: number formatting, decoding the published arrays, the
measures, the score and its explanation, layer shapes, refusals) against the Python grader
and the site's export, which tests/js/oracle.py runs with this Python.

Skipped where Node.js is missing, except under CI=true, where that fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))


def test_there_are_javascript_tests() -> None:
    assert JS_TESTS, "tests/js/ holds no *.test.mjs"


def test_the_browser_grader_modules() -> None:
    node = shutil.which("node")
    if node is None:
        reason = "Node.js is not installed: the in-browser grader's unit tests need `node`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: they must run in CI)", pytrace=False)
        pytest.skip(reason)
    files = [str(p.relative_to(ROOT)) for p in JS_TESTS]
    proc = subprocess.run(
        [node, "--test", "--test-reporter=spec", *files],
        cwd=ROOT,
        env={**os.environ, "TFCERT_PYTHON": sys.executable, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"node --test failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}",
            pytrace=False,
        )
