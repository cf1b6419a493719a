"""The site's code blocks run once: as copied from the built site, where that test runs.

Every ```python fence in docs/ is a pytest-markdown-docs test that runs in this process
(docs/conftest.py). tests/test_snippets_as_copied.py runs the same blocks again as a reader
copies them from the built site: in the wheel-only venv, each twice, in both languages.
Where that test is selected, the in-process doc tests give way to it: they are deselected
(shown as such in pytest's summary) and recorded, and the snippets test asserts that each of
them is among the blocks it ran (the same program, comments aside), so a block never goes
untested. Where it is not selected (`pytest docs/keras3.md`, `-m "not slow"`), the doc
tests run as before.

Loaded by tests/test_snippets_as_copied.py (`pytest_plugins`). The module opts out of
assertion rewriting (PYTEST_DONT_REWRITE): that module imports it before pytest registers it.
"""

from __future__ import annotations

import pytest

SNIPPETS_TEST = "tests/test_snippets_as_copied.py::test_every_python_block_runs_as_copied"
# nodeid -> code of each doc test that gave way
GAVE_WAY = pytest.StashKey[dict[str, str]]()


def _is_site_block(item: pytest.Item) -> bool:
    return (
        item.get_closest_marker("markdown-docs") is not None
        and item.path.suffix == ".md"
        and item.path.is_relative_to(item.config.rootpath / "docs")
        and isinstance(getattr(item, "code", None), str)
    )


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected what they deselect
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not any(item.nodeid == SNIPPETS_TEST for item in items):
        return
    gave_way = [item for item in items if _is_site_block(item)]
    config.stash[GAVE_WAY] = {item.nodeid: str(getattr(item, "code", "")) for item in gave_way}
    if gave_way:
        items[:] = [item for item in items if not _is_site_block(item)]
        config.hook.pytest_deselected(items=gave_way)


def pytest_report_collectionfinish(config: pytest.Config) -> str | None:
    count = len(config.stash.get(GAVE_WAY, {}))
    if count:
        return f"{count} doc blocks give way to {SNIPPETS_TEST} (the same code, run as copied)"
    return None
