"""The site as the Pages job publishes it, and a model graded on its published page.

.github/workflows/pages.yml checks out the repository, sets up as tools/setup.sh does (the
venv, `npm ci` for the in-browser grader's libraries, `tfcert data prepare` for its data)
and builds with `tools/build_site.py --complete`. Here the same command builds a clean
checkout (the files a fresh clone of this working tree has, copied into a temporary folder,
with this machine's npm packages and prepared data, which the job makes the same way),
with the published site_url (no local override): the `published` fixture of
tests/browser_support.py, which the snippets test reads its blocks from too. The result is
served under its path, as GitHub Pages serves it, and Chromium grades a model on its
"Grade in the browser" page at its published address.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from browser_support import ROOT, Published, grade_on_page, load_tool, skip_or_fail

import grader

pytest_plugins = ["browser_support"]

PAGE = "grade-in-browser/"


def require_complete(published: Published) -> None:
    if not published.complete:
        skip_or_fail("node_modules/ is missing: tools/setup.sh runs npm ci where npm exists")


def test_the_pages_build_is_strict_and_complete(published: Published) -> None:
    """Strict: links, anchors, snippet includes and nav (MkDocs 1.6 counts warnings only
    without -q, which tools/build_site.py does not pass). Complete: the grader's libraries
    and every publishable problem's data are in the published folder."""
    require_complete(published)
    warnings = [ln for ln in published.log.splitlines() if "WARNING" in ln or "ERROR" in ln]
    assert not warnings, "\n".join(warnings)
    out = published.site.site_dir / "assets" / "browser-grader"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["libraries"] is not None
    assert not [p["id"] for p in manifest["problems"] if p.get("why_not") == "data"]
    for problem in manifest["problems"]:
        if problem["available"]:
            assert (out / "data" / problem["x"]["file"]).is_file(), problem["id"]
    assert (published.site.site_dir / "ko" / PAGE / "index.html").is_file()


def test_the_pages_workflow_builds_with_the_same_command() -> None:
    """What pages.yml runs is what this module builds: the set-up, then `make build`, which
    is tools/build_site.py --complete."""
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "run: make setup" in workflow and "run: make build" in workflow
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    build = makefile.split("\nbuild:", 1)[1].split("\n\n", 1)[0]
    assert "tools/build_site.py --complete site" in build, build


@pytest.mark.browser
def test_the_published_page_grades_a_model(published: Published, browser: Any, models: Any) -> None:
    """The page at its published address: every request to site_url is answered from the
    built folder (as GitHub Pages would answer it; Material's language selector, for one,
    fetches the sitemap from there), any other host is refused and recorded."""
    require_complete(published)
    address = load_tool("site_address").published_url()
    local = published.site.url()
    context = browser.new_context()
    outside: list[str] = []
    problems: list[str] = []

    def answer(route: Any) -> None:
        url = route.request.url
        if url.startswith(address):
            route.fulfill(response=route.fetch(url=local + url[len(address) :]))
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", answer)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        response = page.goto(address + PAGE, wait_until="load")
        assert response is not None and response.ok, response and response.status
        assert page.locator(".tfcert-grader__missing").count() == 0, "the page lacks parts"
        path = models.get("c1-good.h5")
        outcome = grade_on_page(page, path, "c1-basic-regression")
        assert outcome["status"] == "graded", outcome
        expected = grader.grade(path, "c1-basic-regression")
        assert outcome["result"]["score"] == expected.score
        assert abs(outcome["result"]["value"] - expected.value) <= 1e-5
        assert not outside, f"requests to other hosts: {outside}"
        assert not problems, f"console errors: {problems}"
    finally:
        context.close()


@pytest.mark.data  # the export it starts from reads every problem's evaluation data
def test_a_degraded_page_fails_the_complete_build() -> None:
    """The check the Pages job relies on: missing libraries or data are named, with the
    command that supplies them."""
    hook = load_tool("mkdocs_browser_grader")
    export = load_tool("browser_grader_export")
    whole = export.build_export()
    assert hook.degraded(whole) == [] or not (ROOT / "node_modules").is_dir()
    manifest = {
        **whole.manifest,
        "libraries": None,
        "libraries_missing": "node_modules/h5wasm is missing",
        "problems": [
            {**p, "why_not": "data", "available": False} if p["id"] == "c2-fashion-mnist" else p
            for p in whole.manifest["problems"]
        ],
    }
    lacks = hook.degraded(export.Export(manifest, {}))
    assert any("npm ci" in line for line in lacks), lacks
    assert any("tfcert data prepare fashion-mnist" in line for line in lacks), lacks
