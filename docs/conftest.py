"""pytest set-up for the site's code blocks (run by pytest-markdown-docs).

Every ```python fence in docs/ is a test. Three things make them behave like the site:

- The Markdown parser understands admonitions (`!!! note`, `??? tip`), so a fence indented
  inside one is a fence, as Material renders it, and runs; without this it would silently be
  an indented code block and never run. Content tabs (`=== "Tab"`) have no such parser: keep
  Python fences out of tabs (tests/test_docs_guard.py fails when one is there).
- Each block runs in a fresh temporary directory, so blocks that save `mymodel.h5` leave
  nothing in the repository and never see each other's files.
- TensorFlow's start-up log lines are silenced and Keras' random seed is fixed per block.

Blocks get no injected globals: each one imports what it uses, so a reader can copy it.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# pytest-markdown-docs would otherwise import this file as a module of docstring tests.
collect_ignore = ["conftest.py"]


def pytest_markdown_docs_markdown_it():
    """The parser for fences: CommonMark plus Python-Markdown style admonitions."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin

    return MarkdownIt("commonmark").use(admon_plugin)


@pytest.fixture(autouse=True)
def _doc_block_sandbox(request: pytest.FixtureRequest, tmp_path, monkeypatch):
    """Run each doc block in its own empty directory, with Keras seeded."""
    if request.node.get_closest_marker("markdown-docs") is None:
        yield
        return
    monkeypatch.chdir(tmp_path)
    import keras

    keras.utils.set_random_seed(0)
    yield
