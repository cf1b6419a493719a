"""Fixtures for the tests of the built site (test_browser.py, test_links.py, test_lighthouse.py).

A test module loads them with `pytest_plugins = ["browser_support"]`, so that the site is
built once per session however many modules use it:

- `site`: the site built with `mkdocs build --strict` into a temporary folder and served on
  127.0.0.1 (a free port, a thread, shut down at the end), under the path of `site_url` as
  GitHub Pages serves it: tools/serve_site.py.
- `chromium`: the path of Debian's Chromium; a test that needs it is skipped when it is
  missing, or fails when the environment says CI=true (CI must run the browser tests).
- `browser`: Playwright (sync API) driving that Chromium, once per session.
- `tab`: a fresh browser context and page for one test, recording every request, console
  error, page error and failed response; `tab.assert_clean()` checks them.

Test modules also import helpers from here before pytest registers it as a plugin, so it
opts out of assertion rewriting (PYTEST_DONT_REWRITE); its asserts carry their messages.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = frozenset({"127.0.0.1"})


def load_tool(stem: str) -> ModuleType:
    """tools/<stem>.py as a module. tools/ is a folder of scripts, not a package: they import
    each other by name (`from serve_site import ...`), as they do when run, and MkDocs lets
    its hooks do, with tools/ on sys.path."""
    tools = str(ROOT / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    module = importlib.import_module(stem)
    assert Path(module.__file__ or "").parent == ROOT / "tools", module
    return module


# The build and the server; Chromium and the Lighthouse runner.
serve_site = load_tool("serve_site")
lighthouse = load_tool("lighthouse")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip, except under CI=true, where a missing browser must fail the run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


# ----------------------------------------------------------------------------- the site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The site, built once (strict) and served on 127.0.0.1 for the whole session."""
    with serve_site.served_site(tmp_path_factory.mktemp("site")) as built:
        yield built


@dataclass
class Published:
    """The site as the Pages job builds it (see `published`)."""

    site: Any  # serve_site.Site: the built folder, served on 127.0.0.1 under its path
    log: str  # what the build printed
    complete: bool  # built with --complete (the browser grader's libraries were there)


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """The site built as .github/workflows/pages.yml builds it, once per session: a clean
    checkout (the files a fresh clone of this working tree has, copied), with this
    machine's npm packages and prepared data (the job makes them with npm ci and tfcert data
    prepare), `tools/build_site.py --complete site` with the published site_url. Without
    node_modules/ it is built without --complete, and says so (`complete`)."""
    from learner_venv import copy_of_the_tree

    build_site = load_tool("build_site")
    checkout = copy_of_the_tree(tmp_path_factory.mktemp("checkout"))
    complete = (ROOT / "node_modules").is_dir()
    if complete:
        (checkout / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    env = dict(os.environ)
    env.pop(build_site.COMPLETE_ENV, None)
    env.pop(load_tool("site_address").SITE_URL_ENV, None)
    env["PYTHONPATH"] = str(checkout)  # the checkout's grader, not this tree's
    cmd = [sys.executable, "tools/build_site.py", *(["--complete"] if complete else []), "site"]
    proc = subprocess.run(cmd, cwd=checkout, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"the Pages build failed:\n{proc.stdout}\n{proc.stderr}"
    site_dir = checkout / "site"
    with serve_site.SiteServer(site_dir) as server:
        site = serve_site.Site(site_dir, server.base_url)
        yield Published(site, proc.stdout + proc.stderr, complete)


# ------------------------------------------------------------------------------ browser


def grade_on_page(page: Any, path: Path, problem: str) -> Any:
    """Grade `path` for `problem` on the grader page open in `page` (Playwright), as a reader
    does: pick the problem, choose the file, wait until it is done; its outcome (grade.js)."""
    page.select_option("#tfcert-grader-problem", problem)
    page.set_input_files("#tfcert-grader-file", str(path))
    done = "() => !['working', 'ready'].includes(document.getElementById('tfcert-grader')"
    page.wait_for_function(done + ".dataset.state)", timeout=300_000)
    return page.evaluate("globalThis.tfcertGraderOutcome")


def require_chromium() -> str:
    """The Chromium to drive; skips the test without one (fails it under CI=true)."""
    path = lighthouse.find_chromium()
    if path is None:
        skip_or_fail(
            "Chromium not found at /usr/bin/chromium (or CHROME_PATH): tools/setup.sh installs "
            "Debian's `chromium` when run as root"
        )
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    return require_chromium()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright is not installed (it comes with the test extra)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    """One browser context and page, with what they did on the network and the console."""

    context: Any
    page: Any
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def goto(self, url: str) -> Any:
        self.visited.append(url)
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        return response

    def outside(self) -> list[str]:
        """Requests to any host but the local server."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob", "about")
            and urlsplit(u).hostname not in LOCAL_HOSTS
        ]

    def assert_clean(self) -> None:
        """No console errors, no failed requests, nothing asked of another host."""
        self.page.wait_for_load_state("load")
        where = f" (pages visited: {', '.join(self.visited)})"
        assert not self.console_errors, (
            "console errors" + where + ":\n" + "\n".join(self.console_errors)
        )
        assert not self.failed, "failed requests" + where + ":\n" + "\n".join(self.failed)
        assert not self.outside(), (
            "requests left 127.0.0.1" + where + ":\n" + "\n".join(self.outside())
        )


def open_tab(browser: Any, **context_options: Any) -> Tab:
    options = {"viewport": {"width": 1280, "height": 900}, **context_options}
    context = browser.new_context(**options)
    page = context.new_page()
    tab = Tab(context, page)

    def on_route(route: Any) -> None:
        # Nothing may leave the machine: other hosts are recorded, then refused.
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", on_route)
    context.on("request", lambda r: tab.requests.append(r.url))
    # ERR_ABORTED: the page navigated away while a request was in flight (Material's search
    # worker loading lunr, say); that is the test moving on, not the site failing.
    context.on(
        "requestfailed",
        lambda r: (
            tab.failed.append(f"{r.url}: {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "")
            else None
        ),
    )
    context.on(
        "response",
        lambda r: tab.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None,
    )
    page.on(
        "console",
        lambda m: tab.console_errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: tab.console_errors.append(f"{page.url}: {e}"))
    return tab


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    tab = open_tab(browser)
    yield tab
    tab.context.close()
