"""The built pages' post-processing (tools/mkdocs_site_quality.py), read with an HTML parser
(tools/html_edit.py): descriptions, Material's deferred script, the notebook pages' styles
and scripts.

Made-up pages hold what regular expressions read wrong (a `<p>` with attributes, tags in
comments and in script strings, attributes in another order or quoting); the pages of a real
build (the `site` fixture) check the parser where it stands in each page, that every page's
description is its first paragraph, and that post-processing a built page changes nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from browser_support import load_tool

pytest_plugins = ["browser_support"]

hooks = load_tool("mkdocs_site_quality")
html_edit = load_tool("html_edit")
Document = html_edit.Document

LONG = "Keras saves a model in one file, and the grader loads it again without the code."
CLIPBOARD = "<script>customElements.define('clipboard-copy', class {});</script>"
EMPTY_SRC = '<script src=""> </script>'
MATHJAX_CONFIG = '<script type="text/x-mathjax-config">init_mathjax = function() {}</script>'
MATHJAX = '<script src="https://example.org/mathjax/MathJax.js"></script>'
MERMAID = (
    '<script type="module">document.querySelectorAll(".jp-Mermaid > pre.mermaid");'
    'import("https://cdn.example.org/mermaid.esm.min.mjs")</script>'
)
SCRIPTS = [CLIPBOARD, EMPTY_SRC, MATHJAX_CONFIG, MERMAID]
BUNDLE = '<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
BUNDLE_DEFERRED = '<script defer src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>'


# ----------------------------------------------------------------------- descriptions


@pytest.mark.parametrize(
    "paragraph",
    [
        f'<p class="lead">{LONG}</p>',
        f"<p id='intro' data-x=\"1\">{LONG}</p>",
        f"<P>{LONG}</P>",
        f'<p\n   class="note">{LONG}</p>',
        f'<p title="</p> is not its end">{LONG}</p>',
        # No </p>: the list closes the paragraph, as in a browser.
        f"<p>{LONG}<ul><li>not part of it</li></ul>",
    ],
    ids=["class", "id-and-data", "upper-case", "newline", "end-tag-in-attribute", "implied-end"],
)
def test_first_paragraph_whatever_its_tag_looks_like(paragraph: str) -> None:
    content = (
        '<h1 id="t">Title</h1>'
        "<!-- <p>A paragraph in a comment is not on the page, whatever its length.</p> -->"
        "<pre><code>&lt;p&gt;Code that shows a paragraph tag is not a paragraph.&lt;/p&gt;"
        "</code></pre>"
        '<p class="caption">A short caption</p>'
        f"{paragraph}"
        "<p>A second paragraph, long enough to describe the page too, but second.</p>"
    )
    assert hooks.first_paragraph(content) == LONG


def test_first_paragraph_text_entities_and_cut() -> None:
    content = (
        '<p>Keras&nbsp;3 <a href="x/">saves</a> &amp; <code>loads</code> models '
        "in <em>one</em> file&#8230;</p>"
    )
    assert hooks.first_paragraph(content) == "Keras 3 saves & loads models in one file…"
    words = " ".join(["word"] * 100)
    cut = hooks.first_paragraph(f"<p>{words}</p>")
    assert len(cut) <= hooks.DESCRIPTION_MAX and cut.endswith("word…")
    assert hooks.first_paragraph("<p>too short</p><div>no paragraph</div>") == ""


# ---------------------------------------------------------------------- notebook pages


def notebook_page(cells: str, scripts: list[str] = SCRIPTS) -> str:
    """A page as mkdocs-jupyter writes it, with tags where regular expressions misread."""
    return (
        "<!doctype html>\n<html><head><title>t</title>\n"
        "<!-- Material's layout: <article> ... </article> -->\n"
        '<script>window.marks = "</head></body>";</script>\n'
        '</head><body><article class="md-content__inner md-typeset">\n'
        '<div class="jupyter-wrapper jp-Notebook">\n'
        '<style type="text/css">.jp-Cell{color:red}.jp-Unused{color:blue}</style>\n'
        + "\n".join(scripts)
        + '\n<div class="jp-Cell">'
        "<div id=\"c1\" class='highlight-ipynb hl-python'><pre>x = 1</pre></div>"
        f"{cells}</div></div>\n</article>\n"
        '<script type="text/javascript" src="../../assets/javascripts/bundle.a5f9d56c.min.js">'
        "</script>\n</body></html>\n"
    )


def only(document: Any, tag: str, **attrs: str) -> Any:
    found = [
        e
        for e in document.find_all(tag)
        if all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
    ]
    assert len(found) == 1, (tag, attrs, found)
    return found[0]


def test_a_notebook_page_is_tidied(tmp_path: Path) -> None:
    source = notebook_page("cell")
    out = hooks.post_process(source, "examples/x/solution/", str(tmp_path))
    doc = Document(out)
    article, head, body = doc.find("article"), doc.find("head"), doc.find("body")
    assert not list(doc.find_all("style", within=article))
    assert not list(doc.find_all("script", within=article))
    # The needed script (the clipboard) is the last thing in <body>; the others are gone.
    assert doc.source[article.end : body.close_start].strip().endswith(CLIPBOARD)
    for dropped in (EMPTY_SRC, MATHJAX_CONFIG, MERMAID):
        assert dropped not in out
    # The stylesheet is linked at the end of <head>, not inside the script's string.
    link = only(doc, "link", rel="stylesheet")
    assert head.start < link.start < head.close_start
    assert 'window.marks = "</head></body>";' in out
    href = link.attrs["href"]
    assert re.fullmatch(r"(\.\./)+assets/stylesheets/jupyter\.[0-9a-f]{10}\.css", href), href
    css = (tmp_path / "assets" / "stylesheets" / href.split("/")[-1]).read_text()
    assert ".jp-Cell" in css and ".jp-Unused" not in css
    # The code cell takes keyboard focus, whatever the order and quoting of its attributes.
    assert only(doc, "div", id="c1").attrs["tabindex"] == "0"
    assert only(doc, "script", type="text/javascript").attrs.get("defer") == ""
    assert "<!-- Material's layout: <article> ... </article> -->" in out


def test_a_diagram_keeps_its_loader_and_a_mention_does_not(tmp_path: Path) -> None:
    diagram = '<div class="jp-Mermaid"><pre class="mermaid">graph LR</pre></div>'
    doc = Document(hooks.post_process(notebook_page(diagram), "examples/x/", str(tmp_path)))
    assert MERMAID in doc.source[doc.find("article").end :]
    mention = "<pre>document.querySelector('.jp-Mermaid')</pre>"  # text, not a diagram
    out = hooks.post_process(notebook_page(mention), "examples/x/solution/", str(tmp_path))
    assert MERMAID not in out


def test_needed_scripts() -> None:
    assert hooks.needed_scripts(SCRIPTS, has_diagram=False) == [CLIPBOARD]
    assert hooks.needed_scripts(SCRIPTS, has_diagram=True) == [CLIPBOARD, MERMAID]
    assert hooks.needed_scripts([MATHJAX_CONFIG, MATHJAX], False) == [MATHJAX_CONFIG, MATHJAX]
    other_spelling = "<script SRC = '  ' async></script>"
    assert hooks.needed_scripts([other_spelling, CLIPBOARD], False) == [CLIPBOARD]
    with pytest.raises(ValueError, match="not a <script>"):
        hooks.needed_scripts(["<style></style>"], False)


def test_a_page_that_is_not_a_notebook_changes_only_its_bundle(tmp_path: Path) -> None:
    # Nothing else is rewritten: entities, quoting, void tags and SVG's camel case stay.
    rest = (
        '<html lang="en"><head><meta charset="utf-8"><meta name="description" '
        "content=\"The exam&#x27;s five problems\"></head><body><article class='md-typeset'>"
        '<svg viewBox="0 0 24 24"><path d="M1 1"/></svg><br><p>a&nbsp;b</p></article>'
        '<script src="../js/extra.js"></script>'
    )
    out = hooks.post_process(f"{rest}{BUNDLE}</body></html>", "exam/", str(tmp_path))
    assert out == f"{rest}{BUNDLE_DEFERRED}</body></html>"
    assert not (tmp_path / "assets").exists()


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="../assets/javascripts/bundle.a5f9d56c.min.js" defer></script>',
        '<script type="module" src="assets/javascripts/bundle.0f.min.js"></script>',
        '<!-- <script src="assets/javascripts/bundle.0f.min.js"></script> -->',
    ],
    ids=["already-deferred", "other-attributes", "in-a-comment"],
)
def test_defer_bundle_cases(tag: str, tmp_path: Path) -> None:
    out = hooks.post_process(f"<body>{tag}</body>", "", str(tmp_path))
    if "<!--" in tag or " defer" in tag:
        assert out == f"<body>{tag}</body>"
    else:
        assert out == f"<body>{tag.replace('<script ', '<script defer ', 1)}</body>"


# ------------------------------------------------------------------ the parser itself


def spans(source: str, chunk: int = html_edit.CHUNK) -> list[tuple[Any, ...]]:
    return [
        (e.tag, e.start, e.open_end, e.close_start, e.end) for e in Document(source, chunk).elements
    ]


def test_elements_stand_where_the_tags_are() -> None:
    source = (
        '<div title="a > b"><p>one<p>two</div><br><img src=x alt=""/><span>open'
        "<script>if (a < b) { s = '</div>'; }</script>"
    )
    doc = Document(source)
    div, p1, p2, br, img, span, script = doc.elements
    assert doc.outer(div) == source[: source.index("<br>")]
    assert doc.inner(p1) == "one" and doc.inner(p2) == "two"  # <p> ends at the next <p>
    assert doc.outer(br) == "<br>" and doc.outer(img) == '<img src=x alt=""/>'
    assert doc.inner(script) == "if (a < b) { s = '</div>'; }"
    assert span.end == len(source) and doc.text(span) == "open"  # left open: ends at the end
    assert [e.tag for e in doc.find_all(within=div)] == ["p", "p"]
    # Fed in chunks of any size, the parser finds the same elements.
    assert all(spans(source, n) == spans(source) for n in (1, 2, 3, 5, 8))


def test_edits_apply_once_and_may_not_overlap() -> None:
    doc = Document("<p class=x>a</p><p>b</p>")
    first, second = doc.elements
    doc.set_attribute(first, "class", "y")  # it has one: left alone
    doc.set_attribute(second, "title", 'say "b"')
    doc.remove(first)
    assert doc.result() == '<p title="say &quot;b&quot;">b</p>'
    doc.replace(0, 5, "")
    with pytest.raises(ValueError, match="overlapping"):
        doc.result()


# ------------------------------------------------------------------- the built pages


def built_pages(site: Any) -> list[Path]:
    pages = sorted(site.site_dir.glob("**/*.html"))
    assert len(pages) >= 40, pages
    return pages


def test_the_parser_finds_every_tag_of_the_built_pages(site: Any) -> None:
    for path in built_pages(site):
        source = path.read_text(encoding="utf-8")
        doc = Document(source)
        assert len(doc.elements) > 100, path
        for e in doc.elements:
            assert source[e.start + 1 : e.start + 1 + len(e.tag)].lower() == e.tag, (path, e)
            assert source[e.open_end - 1] == ">", (path, e)
            if e.end > e.close_start:  # closed by its own end tag
                end_tag = source[e.close_start : e.end]
                assert re.fullmatch(rf"</{e.tag}\s*>", end_tag, flags=re.I), (path, end_tag)
        assert spans(source, 1 << 8) == spans(source), path


def test_post_processing_a_built_page_changes_nothing(site: Any, tmp_path: Path) -> None:
    for path in built_pages(site):
        source = path.read_text(encoding="utf-8")
        url = path.relative_to(site.site_dir).parent.as_posix() + "/"
        assert hooks.post_process(source, url, str(tmp_path)) == source, path
    assert not (tmp_path / "assets").exists()


def site_descriptions() -> dict[str, str]:
    """mkdocs.yml's site_description of each language: {'': English, 'ko/': Korean}."""
    config = load_tool("site_address").mkdocs_config()
    found = {"": config["site_description"]}
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"]["languages"]:
                if language.get("site_description"):
                    found[language["locale"] + "/"] = language["site_description"]
    return found


def test_every_description_is_the_first_paragraph(site: Any) -> None:
    homes = site_descriptions()
    assert set(homes) == {"", "ko/"}, homes
    checked = 0
    for path in built_pages(site):
        rel = path.relative_to(site.site_dir).as_posix()
        doc = Document(path.read_text(encoding="utf-8"))
        meta = only(doc, "meta", name="description").attrs["content"]
        folder = rel.removesuffix("index.html").removesuffix("404.html")
        if folder in homes:  # a home page or a 404 page: site_description, per language
            assert meta == homes[folder], rel
            continue
        article = doc.inner(doc.find("article"))
        assert meta == hooks.first_paragraph(article), rel
        assert 40 <= len(meta) <= hooks.DESCRIPTION_MAX and meta == html.unescape(meta), rel
        checked += 1
    assert checked >= 35


def test_built_notebook_pages_carry_no_unused_scripts(site: Any) -> None:
    pages = sorted(site.site_dir.glob("**/examples/*/solution/index.html"))
    assert len(pages) >= 10, pages  # six notebooks, two languages
    for path in pages:
        doc = Document(path.read_text(encoding="utf-8"))
        where = path.relative_to(site.site_dir)
        article = doc.find("article")
        assert not list(doc.find_all("script", within=article)), where
        assert not list(doc.find_all("style", within=article)), where
        scripts = [s for s in doc.find_all("script") if s.start > article.end]
        assert any("clipboard-copy" in doc.inner(s) for s in scripts), where
        assert not any("src" in s.attrs and not s.attrs["src"].strip() for s in scripts), where
        assert "x-mathjax-config" not in doc.source, where
        if doc.find(cls="jp-Mermaid", within=article) is None:
            loaders = [s for s in scripts if "mermaid" in doc.outer(s).lower()]
            assert not loaders, f"{where}: a Mermaid loader without a diagram"
        cells = list(doc.find_all("div", within=article, cls="highlight-ipynb"))
        assert cells and all(c.attrs.get("tabindex") == "0" for c in cells), where


def test_every_built_page_defers_materials_script(site: Any) -> None:
    for path in built_pages(site):
        doc = Document(path.read_text(encoding="utf-8"))
        bundles = [
            s for s in doc.find_all("script") if hooks.BUNDLE_SRC.search(s.attrs.get("src", ""))
        ]
        assert len(bundles) == 1 and "defer" in bundles[0].attrs, path.relative_to(site.site_dir)


def test_built_notebook_pages_show_their_outputs_and_open_in_colab(site: Any) -> None:
    """Each notebook page renders the executed examples/<problem>/solution.ipynb (the outputs
    of the last solution test run: the training log, the grade) where it is current, offers
    both files for download and opens the committed notebook in Colab."""
    import jupytext

    mkdocs_hooks = load_tool("mkdocs_hooks")
    translations = load_tool("notebook_translations")
    repo = load_tool("site_address").mkdocs_config()["repo_url"].removeprefix("https://github.com/")
    pages = sorted(site.site_dir.glob("**/examples/*/solution/index.html"))
    assert len(pages) >= 10, pages
    shown = 0
    for path in pages:
        problem = path.parent.parent.name
        src_uri = f"examples/{problem}/solution.py"
        where = path.relative_to(site.site_dir)
        doc = Document(path.read_text(encoding="utf-8"))
        article = doc.find("article")
        colab = [
            a
            for a in doc.find_all("a", within=article)
            if a.attrs.get("href", "").startswith("https://colab.research.google.com/")
        ]
        korean = where.parts[0] == "ko"
        in_repo = f"examples/{problem}/solution{'.ko' if korean else ''}.ipynb"
        assert (mkdocs_hooks.ROOT / in_repo).is_file(), f"{where}: {in_repo} is not committed"
        assert [a.attrs["href"] for a in colab] == [
            f"https://colab.research.google.com/github/{repo}/blob/main/{in_repo}"
        ], where
        source = jupytext.read(mkdocs_hooks.ROOT / src_uri)
        for name in ("solution.ipynb", "solution.py"):
            assert (path.parent / name).is_file(), f"{where}: {name} is not beside the page"
            downloaded = jupytext.read(path.parent / name)
            # The code is written once; the prose is the page's language.
            code = [(c.cell_type, c.source) for c in downloaded.cells if c.cell_type == "code"]
            assert code == [(c.cell_type, c.source) for c in source.cells if c.cell_type == "code"]
            prose = [c.source for c in downloaded.cells if c.cell_type == "markdown"]
            english = [c.source for c in source.cells if c.cell_type == "markdown"]
            if korean:
                assert len(prose) == len(english), where
                assert all(map(translations.HANGUL.search, prose)), where
            else:
                assert prose == english, where
        if korean:  # the page itself reads in Korean, in the notebook's prose too
            cells = list(doc.find_all("div", within=article, cls="jp-MarkdownCell"))
            assert cells and all(translations.HANGUL.search(doc.text(c)) for c in cells), where
        outputs = list(doc.find_all("div", within=article, cls="jp-OutputArea-output"))
        if mkdocs_hooks.executed_notebook(src_uri) is None:
            assert not outputs, where  # no executed notebook: the source, without outputs
            continue
        text = " ".join(doc.text(o) for o in outputs)
        assert f"{problem}: " in text and "/5 (" in text, f"{where}: the grade is not shown"
        assert "Epoch " in text, f"{where}: the training log is not shown"
        shown += 1
    assert shown > 0, "no notebook page shows an executed notebook"
