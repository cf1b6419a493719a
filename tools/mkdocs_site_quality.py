"""MkDocs hooks for the built site's accessibility, SEO and weight (what Lighthouse checks).

Beside tools/mkdocs_hooks.py (which makes the notebook pages); tests/test_browser.py,
tests/test_links.py and tests/test_lighthouse.py check what these hooks produce.

- `TFCERT_SITE_URL` in the environment replaces `site_url` for one build. The local test
  builds use it: hreflang links are absolute URLs of `site_url`, and Material fetches the
  `sitemap.xml` of every hreflang link, so a local build must name the local server.
  (`mkdocs serve` sets its own address as `site_url` and needs nothing.)
- Meta descriptions: a page without `description:` front matter gets its first paragraph
  (the home page keeps `site_description`, per language).
- Languages: the hreflang `<link>`s in `<head>` are absolute URLs of the language roots
  (Material resolves `sitemap.xml` against them to keep the reader on the same page), the
  language selector links to the same page in the other language (notebook pages included,
  which mkdocs-static-i18n does not know and left with the last page's links), and the
  per-page hreflang pairs are in the sitemaps.
- Sitemaps: `sitemap.xml` (both languages) and `ko/sitemap.xml` (Korean pages), both with
  the notebook pages and their hreflang alternates.
- Material's script loads with `defer` (defer_bundle), so that the page paints before it runs.
- `404.html` at the root stays English (the Korean build wrote over it); `ko/404.html` has
  the Korean one.
- Notebook pages: mkdocs-jupyter inlines about 590 KB of JupyterLab CSS in every notebook
  page. It goes into one stylesheet per distinct set of classes, linked from `<head>` and
  cached by the browser, keeping only the rules whose classes occur on the page (and the
  custom properties those read): about 14 KB. The scripts a page needs move to the end of
  `<body>` (the Mermaid loader and the inert MathJax settings go), and its code cells take
  keyboard focus (to scroll long lines), as Material's code blocks do.

The pages are read with an HTML parser (tools/html_edit.py), which finds elements whatever
their attributes, and only the elements changed are rewritten: the rest of each page stays
as MkDocs wrote it. The notebook CSS is cut down by tools/notebook_css.py; the site's
address and its override: tools/site_address.py.
"""

from __future__ import annotations

import gzip
import html
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from html_edit import Document, iter_elements, text_of
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url
from notebook_css import prune_css, sha256_text
from site_address import build_url_override, with_slash

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

DESCRIPTION_MAX = 160
JUPYTER_CSS_DIR = "assets/stylesheets"

# Pages seen per language in this build: {lang: {language-neutral url: page title}}.
_pages: dict[str, dict[str, str]] = {}
_default_404: str | None = None


def _i18n(config: MkDocsConfig) -> tuple[str | None, str | None, list[str]]:
    """(current language, default language, all built languages) or Nones without i18n."""
    plugin = config["plugins"].get("i18n")
    if plugin is None:
        return None, None, []
    languages = list(getattr(plugin, "build_languages", []))
    return plugin.current_language, plugin.default_language, languages


def _prefix(lang: str | None, default: str | None) -> str:
    return "" if lang in (None, default) else f"{lang}/"


def _neutral(url: str, lang: str | None, default: str | None) -> str:
    """A page's URL without its language prefix ('ko/exam/' -> 'exam/')."""
    prefix = _prefix(lang, default)
    return url[len(prefix) :] if prefix and url.startswith(prefix) else url


def _site_url(config: MkDocsConfig) -> str:
    return with_slash(config.get("site_url") or "")


# ------------------------------------------------------------------------------- site_url


@event_priority(100)  # before mkdocs-static-i18n computes its language links from site_url
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _default_404
    lang, default, _ = _i18n(config)
    if lang is None or lang == default:
        # The first build of a run; mkdocs-static-i18n's builds of the other languages run
        # on_config again, and must not forget the pages and the 404 page seen so far.
        _pages.clear()
        _default_404 = None
    override = build_url_override()
    if override:
        config["site_url"] = override
    return config


# --------------------------------------------------------------------------- descriptions


def first_paragraph(content: str, limit: int = DESCRIPTION_MAX) -> str:
    """Plain text of the first real paragraph of a page's HTML, cut at a word near limit."""
    for element in iter_elements(content):  # parsed only up to the paragraph it returns
        if element.tag != "p":
            continue
        text = " ".join(text_of(content[element.open_end : element.close_start]).split())
        if len(text) < 40:  # a caption or a one-word line, not a summary
            continue
        if len(text) > limit:
            cut = text[: limit - 1]
            text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…"
        return text
    return ""


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lang, default, _ = _i18n(config)
    # MkDocs' is_homepage is False for the other languages' home pages ('ko/').
    home = page.is_homepage or _neutral(page.url, lang, default) in ("", "./")
    if not page.meta.get("description") and not home:
        text = first_paragraph(content)
        if text:
            # Material writes page.meta.description into the attribute as it is (no escaping).
            page.meta["description"] = html.escape(text, quote=True)
    return content


# ----------------------------------------------------------------------------- languages


@event_priority(-100)  # after mkdocs-static-i18n rewrote config.extra.alternate for the page
def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    lang, default, languages = _i18n(config)
    if not languages or lang is None:
        return context
    # mkdocs-static-i18n sets `config.extra.alternate` as an attribute, which is not the
    # same as the item `config.extra["alternate"]` (a LegacyConfig, which declares no such
    # attribute); Jinja reads the attribute.
    extra: Any = config.extra
    current = getattr(extra, "alternate", None) or extra.get("alternate") or []
    names = {alt["lang"]: alt["name"] for alt in current}
    neutral = _neutral(page.url, lang, default)
    _pages.setdefault(lang, {})[neutral] = page.title or ""
    base = _site_url(config)
    # <head>: the language roots, absolute (Material fetches <root>/sitemap.xml from them).
    roots = [
        {"name": names.get(code, code), "link": base + _prefix(code, default), "lang": code}
        for code in languages
    ]
    extra.alternate = roots
    extra["alternate"] = roots
    # The language selector: this page in each language (overrides/partials/alternate.html).
    context["page_alternates"] = [
        {"name": names.get(code, code), "link": _prefix(code, default) + neutral, "lang": code}
        for code in languages
    ]
    return context


# ------------------------------------------------------------------------------ 404 page


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    global _default_404
    if template_name != "404.html":
        return output
    output = post_process(output, "404.html", config["site_dir"])
    lang, default, _ = _i18n(config)
    if lang in (None, default):
        _default_404 = output
        return output
    target = Path(config["site_dir"]) / _prefix(lang, default) / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return _default_404 if _default_404 is not None else output


# ----------------------------------------------------------------------- notebook styles

# Classes that the notebook's own scripts add after load (mermaid diagrams).
_SCRIPT_CLASSES = frozenset({"jp-RenderedMermaid", "jp-mod-warning"})


def page_classes(document: Document) -> set[str]:
    """The classes of a page's elements, and those its notebook scripts add later."""
    found: set[str] = set(_SCRIPT_CLASSES)
    for element in document.elements:
        found.update(element.classes)
    return found


def needed_scripts(scripts: list[str], has_diagram: bool) -> list[str]:
    """The notebook scripts (each a whole <script> element) that a page needs.

    mkdocs-jupyter writes the same scripts into every notebook page: the <clipboard-copy>
    element (its cells' copy buttons), MathJax settings with a `<script src="">` (no MathJax
    address is configured, so MathJax never loads and the settings do nothing), and an
    11 KB module that imports Mermaid from a CDN when the page has a diagram. A page keeps
    the Mermaid loader only with a diagram (an element of class jp-Mermaid), and the MathJax
    settings only when MathJax itself is loaded; the empty `src` goes always. Less script to
    parse on a phone, and no code on the page that could reach for a CDN.
    """
    parsed = []
    for script in scripts:
        document = Document(script)
        element = document.find("script")
        if element is None:
            raise ValueError(f"not a <script> element: {script[:80]!r}")
        parsed.append((script, element, document.inner(element)))
    has_mathjax = any("mathjax" in e.attrs.get("src", "").lower() for _, e, _ in parsed)
    kept = []
    for script, element, code in parsed:
        if "src" in element.attrs and not element.attrs["src"].strip():
            continue
        if element.attrs.get("type", "").lower() == "text/x-mathjax-config" and not has_mathjax:
            continue
        if ".jp-Mermaid" in code and not has_diagram:
            continue
        kept.append(script)
    return kept


def tidy_notebook_page(document: Document, page_url: str, site_dir: str) -> None:
    """Move the <style> elements of a notebook page's content into a linked file, and the
    <script> elements it needs (needed_scripts) to the end of <body>.

    The scripts (a clipboard element, MathJax settings, a Mermaid loader) sat before the
    first cell: Chromium painted the page up to them, without the notebook, then laid it
    out again (a layout shift of 0.16 in one Lighthouse run out of two).
    """
    article = document.find("article")
    if article is None or document.find(cls="jupyter-wrapper", within=article) is None:
        return
    styles = list(document.find_all("style", within=article))
    scripts = list(document.find_all("script", within=article))
    for element in styles + scripts:
        document.remove(element)
    has_diagram = document.find(cls="jp-Mermaid", within=article) is not None
    kept = needed_scripts([document.outer(e) for e in scripts], has_diagram)
    # A code cell wider than the page scrolls: keyboard users reach it with Tab (as
    # Material's own code blocks), or they could not scroll it (axe: scrollable-region).
    for cell in document.find_all("div", within=article, cls="highlight-ipynb"):
        document.set_attribute(cell, "tabindex", "0")
    body = document.find("body")
    if kept and body is not None:
        document.insert(body.close_start, "\n".join(kept) + "\n")
    head = document.find("head")
    if not styles or head is None:
        return
    # The page as it will be, without the styles: what it reads with var() counts.
    css = prune_css(
        "\n".join(document.inner(e) for e in styles), page_classes(document), document.result()
    )
    name = f"{JUPYTER_CSS_DIR}/jupyter.{sha256_text(css)[:10]}.css"
    target = Path(site_dir) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
    link = f'<link rel="stylesheet" href="{get_relative_url(name, page_url)}">\n'
    document.insert(head.close_start, link)


BUNDLE_SRC = re.compile(r"(^|/)assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")


def defer_bundle(document: Document) -> None:
    """Material's script, loaded with `defer`: the browser paints the page before it runs.

    Material puts it, parser-blocking, at the end of <body>. Served fast, it had run before
    the first paint, so a phone showed the page only after it (Lighthouse counted it as
    render-blocking). Deferred, it still runs before DOMContentLoaded, which it waits for.
    """
    for script in document.find_all("script"):
        if BUNDLE_SRC.search(script.attrs.get("src", "")):
            document.set_attribute(script, "defer", "")
            return


def post_process(output: str, page_url: str, site_dir: str) -> str:
    """A built page with Material's script deferred and, on a notebook page, the styles and
    scripts tidied (one parse of the page; the rest of it stays as it was written)."""
    document = Document(output)
    defer_bundle(document)
    tidy_notebook_page(document, page_url, site_dir)
    return document.result()


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return post_process(output, page.url, config["site_dir"])


# ------------------------------------------------------------------------------ sitemaps


def sitemap_xml(
    pages: dict[str, dict[str, str]], site_url: str, only: str | None, default: str | None
) -> str:
    """A sitemap of every page (or only those of one language), with hreflang pairs."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    languages = list(pages)
    for lang in languages:
        if only is not None and lang != only:
            continue
        for neutral in sorted(pages[lang]):
            lines.append("  <url>")
            lines.append(
                f"    <loc>{xml_escape(site_url + _prefix(lang, default) + neutral)}</loc>"
            )
            for alt in languages:
                if neutral in pages[alt]:
                    href = xml_escape(site_url + _prefix(alt, default) + neutral)
                    lines.append(
                        f'    <xhtml:link rel="alternate" hreflang="{alt}" href="{href}"/>'
                    )
            if default in pages and neutral in pages[default]:
                href = xml_escape(site_url + neutral)
                lines.append(
                    f'    <xhtml:link rel="alternate" hreflang="x-default" href="{href}"/>'
                )
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


@event_priority(-200)  # after mkdocs-static-i18n has built the other languages
def on_post_build(config: MkDocsConfig) -> None:
    _, default, languages = _i18n(config)
    site_url = _site_url(config)
    if not languages or not site_url:
        return
    site_dir = Path(config["site_dir"])
    for only in [None, *(code for code in _pages if code != default)]:
        xml = sitemap_xml(_pages, site_url, only, default)
        folder = site_dir if only is None else site_dir / posixpath.normpath(only)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sitemap.xml").write_text(xml, encoding="utf-8")
        with gzip.GzipFile(folder / "sitemap.xml.gz", "wb", mtime=0) as f:
            f.write(xml.encode("utf-8"))
