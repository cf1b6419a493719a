"""The built site in a real browser: Debian's Chromium driven by Playwright.

The site is built once (`mkdocs build --strict`) and served from 127.0.0.1
(tests/browser_support.py). Every test ends with `tab.assert_clean()`: no console error, no
failed request, and no request to any host but 127.0.0.1 on any page it visited (requests
elsewhere are also refused, so nothing leaves the machine). Screenshots of the key pages
go to artifacts/screenshots/ (gitignored); their paths are printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import browser_support
import pytest
from browser_support import ROOT, SCREENSHOTS, Tab, open_tab

pytest_plugins = ["browser_support"]
pytestmark = pytest.mark.browser

DOCS = ROOT / "docs"
CATEGORIES = [f"categories/category{n}/" for n in range(1, 6)]
NOTEBOOK = "examples/c2-fashion-mnist/solution/"
NOTEBOOK_SOURCE = ROOT / "examples" / "c2-fashion-mnist" / "solution.py"
CURVE = DOCS / "assets" / "curves" / "c2-fashion-mnist.png"


def first_heading(markdown: Path) -> str:
    for line in markdown.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{markdown} has no level-1 heading")


def path_of(url: str) -> str:
    return urlsplit(url).path


def h1(tab: Tab) -> str:
    """The page's heading, without the permalink sign after it."""
    text = tab.page.locator("article h1").first.evaluate(
        "e => { const c = e.cloneNode(true);"
        " c.querySelectorAll('.headerlink').forEach(x => x.remove()); return c.textContent; }"
    )
    return " ".join(text.split())


# ------------------------------------------------------------------------ no browser


@pytest.mark.parametrize(("ci", "outcome"), [("", "skip"), ("true", "fail")])
def test_missing_chromium_skips_except_in_ci(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: str
) -> None:
    monkeypatch.setattr(browser_support.lighthouse, "find_chromium", lambda: None)
    monkeypatch.setenv("CI", ci)
    expected = pytest.skip.Exception if outcome == "skip" else pytest.fail.Exception
    with pytest.raises(expected, match="Chromium not found"):
        browser_support.require_chromium()


# ------------------------------------------------------------------------------ pages


def test_home_renders(site: Any, tab: Tab) -> None:
    tab.goto(site.url())
    assert tab.page.title() == "tfcert"
    assert h1(tab) == first_heading(DOCS / "index.md")
    assert tab.page.locator("html").get_attribute("lang") == "en"
    description = tab.page.locator('meta[name="description"]').get_attribute("content")
    assert description and len(description) > 40
    assert tab.page.locator("nav.md-nav--primary").first.is_visible()
    tab.assert_clean()


def test_navigation_reaches_every_category_page(site: Any, tab: Tab) -> None:
    tab.goto(site.url())
    for page in CATEGORIES:
        # Relative links: "categories/category1/" from home, "../category2/" from there.
        name = page.split("/")[-2] + "/"
        link = tab.page.locator(f'.md-sidebar--primary a.md-nav__link[href$="{name}"]').first
        title = " ".join(link.inner_text().split())
        link.click()
        tab.page.wait_for_url(site.url(page))
        tab.visited.append(tab.page.url)
        assert path_of(tab.page.url) == path_of(site.url(page))
        assert h1(tab) == title, f"{page}: the nav says {title!r}, the page {h1(tab)!r}"
        source = DOCS / (page.rstrip("/") + ".md")
        assert title == first_heading(source)
    tab.assert_clean()


@pytest.mark.parametrize(
    ("start", "query", "expected"),
    [
        ("", "virtual environment", "environments/"),
        ("ko/", "가상 환경", "ko/environments/"),
    ],
    ids=["english", "korean"],
)
def test_search_finds_the_page(site: Any, tab: Tab, start: str, query: str, expected: str) -> None:
    tab.goto(site.url(start))
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    tab.page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    want = path_of(site.url(expected))
    found = tab.page.locator(".md-search-result__item a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    paths = [path_of(u) for u in found]
    assert want in paths, f"{query!r}: {want} not among the results {paths}"
    tab.assert_clean()


@pytest.mark.parametrize("page", ["environments/", NOTEBOOK], ids=["page", "notebook"])
def test_language_switch_keeps_the_page(site: Any, tab: Tab, page: str) -> None:
    tab.goto(site.url(page))

    def switch(to: str, expected: str) -> None:
        tab.page.locator(".md-select button[aria-label]").first.hover()
        tab.page.locator(f'a.md-select__link[hreflang="{to}"]').first.click()
        tab.page.wait_for_url(site.url(expected))
        tab.visited.append(tab.page.url)
        assert tab.page.locator("html").get_attribute("lang") == to

    switch("ko", "ko/" + page)
    assert path_of(tab.page.url) == path_of(site.url("ko/" + page))
    switch("en", page)
    assert path_of(tab.page.url) == path_of(site.url(page))
    tab.assert_clean()


def test_copy_button_copies_the_code(site: Any, browser: Any) -> None:
    tab = open_tab(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        tab.goto(site.url("keras3/"))
        block = tab.page.locator("article div.highlight").first
        block.hover()
        button = block.locator("button[data-clipboard-target]")
        target = button.get_attribute("data-clipboard-target")
        assert target, "Material gave the copy button no target"
        code = tab.page.locator(target).evaluate("e => e.textContent").rstrip()
        assert "\n" in code and len(code) > 20
        button.click()
        copied = tab.page.evaluate("navigator.clipboard.readText()")
        assert copied == code

        # The notebook pages have their own copy buttons (mkdocs-jupyter's <clipboard-copy>).
        tab.goto(site.url(NOTEBOOK))
        copy = tab.page.locator(".jp-Notebook > .jp-CodeCell clipboard-copy").first
        source = tab.page.locator("#" + copy.get_attribute("for"))  # a hidden copy of the code
        tab.page.locator(".jp-Notebook > .jp-CodeCell").first.hover()
        copy.click()
        copied = tab.page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == source.evaluate("e => e.textContent").strip()
        assert "import" in copied
        tab.assert_clean()
    finally:
        tab.context.close()


def _notebook_cells() -> tuple[int, int]:
    """(code cells, markdown cells) of the jupytext source."""
    text = NOTEBOOK_SOURCE.read_text(encoding="utf-8")
    code = len(re.findall(r"^# %%\s*$", text, flags=re.M))
    markdown = len(re.findall(r"^# %% \[markdown\]\s*$", text, flags=re.M))
    return code, markdown


def test_notebook_page_renders_its_cells(site: Any, tab: Tab) -> None:
    tab.goto(site.url(NOTEBOOK))
    page = tab.page
    code, markdown = _notebook_cells()
    assert code > 0 and markdown > 0
    assert page.locator(".jupyter-wrapper .jp-Notebook > .jp-CodeCell").count() == code
    assert page.locator(".jupyter-wrapper .jp-Notebook > .jp-MarkdownCell").count() == markdown
    first_code = page.locator(".jupyter-wrapper .jp-CodeCell .highlight-ipynb").first
    assert first_code.is_visible() and "import" in first_code.inner_text()
    # The Jupyter styles come from the one stylesheet the site links, and apply.
    sheets = page.evaluate(
        "[...document.styleSheets].filter(s => /jupyter\\.[0-9a-f]+\\.css$/.test(s.href || ''))"
        ".map(s => s.cssRules.length)"
    )
    assert len(sheets) == 1 and sheets[0] > 20, sheets
    assert page.locator("style").count() == 0, "inline <style> left on the notebook page"
    prompt = page.locator(".jupyter-wrapper .jp-InputPrompt").first
    assert prompt.evaluate("e => getComputedStyle(e).display") != "inline"
    # Download buttons (overrides/main.html): the notebook and its source.
    for name in ("solution.ipynb", "solution.py"):
        link = page.locator(f'a.md-content__button[href$="{name}"][download]')
        assert link.count() == 1, name
        # Saved under the problem's name, so that two downloads do not collide.
        suffix = name.split(".")[-1]
        assert link.get_attribute("download") == f"c2-fashion-mnist.{suffix}", name
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.ok, f"{name}: HTTP {response.status}"
    tab.assert_clean()


def test_training_curve_images_load(site: Any, tab: Tab) -> None:
    """Every training curve shown loads; the Fashion-MNIST one is shown once it exists."""
    shown: dict[str, list[str]] = {}
    for page in [NOTEBOOK, "categories/category2/", *CATEGORIES]:
        if page in shown:
            continue
        tab.goto(site.url(page))
        images = tab.page.locator('article img[src*="assets/curves/"]')
        shown[page] = []
        for i in range(images.count()):
            img = images.nth(i)
            img.scroll_into_view_if_needed()
            img.evaluate("i => i.complete || new Promise(r => { i.onload = i.onerror = r; })")
            width = img.evaluate("i => i.naturalWidth")
            src = img.get_attribute("src")
            assert width > 0, f"{page}: {src} did not load"
            assert img.get_attribute("alt"), f"{page}: {src} has no alt text"
            shown[page].append(src)
    tab.assert_clean()
    if not CURVE.exists():
        pytest.skip(
            f"{CURVE.relative_to(ROOT)} does not exist yet (the slow solution tests draw it: "
            "TFCERT_TRAIN=1 pytest tests/test_solutions.py); the other curves shown loaded"
        )
    c2 = [s for p in (NOTEBOOK, "categories/category2/") for s in shown[p] if CURVE.name in s]
    assert c2, (
        f"{CURVE.relative_to(ROOT)} exists, but neither categories/category2/ nor {NOTEBOOK} "
        f"shows it (curves shown: {shown})"
    )


def test_dark_mode_toggles(site: Any, tab: Tab) -> None:
    tab.goto(site.url())
    body = tab.page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    tab.page.locator('label.md-header__button[title="Switch to dark mode"]').click()
    tab.page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    # The choice is kept from page to page.
    tab.goto(site.url("exam/"))
    assert body.get_attribute("data-md-color-scheme") == "slate"
    tab.page.locator('label.md-header__button[title="Switch to light mode"]').click()
    tab.page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    tab.assert_clean()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # comes with Lighthouse (npm ci)


def test_dark_scheme_is_accessible(site: Any, browser: Any) -> None:
    """axe-core's WCAG A/AA rules on the dark scheme (Lighthouse checks the light one)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (tools/setup.sh does)")
    tab = open_tab(browser, color_scheme="dark")
    try:
        found = {}
        for page in ["", "categories/category2/", NOTEBOOK, "ko/", "keras3/"]:
            tab.goto(site.url(page))
            assert tab.page.locator("body").get_attribute("data-md-color-scheme") == "slate"
            tab.page.add_script_tag(path=str(AXE))
            violations = tab.page.evaluate(
                "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}))"
                ".violations.map(v => `${v.id}: ${v.nodes.length} x, e.g. `"
                " + v.nodes[0].target.join(' ') + ' ' + (v.nodes[0].any[0] || {}).message)"
            )
            if violations:
                found[page or "/"] = violations
        assert not found, found
        tab.assert_clean()
    finally:
        tab.context.close()


def test_every_page_loads_cleanly(site: Any, browser: Any) -> None:
    """Every page of the sitemaps, both languages: loads, no console error, nothing external."""
    sitemap = (site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(urls) >= 40, urls
    assert any("/ko/" in u for u in urls)
    tab = open_tab(browser)
    try:
        for url in urls:
            tab.goto(url)
        tab.assert_clean()
    finally:
        tab.context.close()


# ------------------------------------------------------------------------- screenshots

SHOTS = {"home": "", "category": "categories/category2/", "notebook": NOTEBOOK}


def test_screenshots(site: Any, browser: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """Key pages, light and dark, English and Korean, as PNG files in artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for scheme, expected in (("light", "default"), ("dark", "slate")):
        tab = open_tab(browser, color_scheme=scheme)
        try:
            for lang in ("en", "ko"):
                for name, page in SHOTS.items():
                    tab.goto(site.url(("" if lang == "en" else "ko/") + page))
                    actual = tab.page.locator("body").get_attribute("data-md-color-scheme")
                    assert actual == expected, f"{scheme}: the page chose {actual}"
                    path = SCREENSHOTS / f"{name}-{lang}-{scheme}.png"
                    tab.page.screenshot(path=str(path))
                    assert path.stat().st_size > 10_000
                    written.append(path)
            tab.assert_clean()
        finally:
            tab.context.close()
    with capsys.disabled():
        print("\nscreenshots:\n" + "\n".join(f"  {p.relative_to(ROOT)}" for p in written))
