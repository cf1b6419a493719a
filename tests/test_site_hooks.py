"""Scripts on the built pages (tools/mkdocs_site_quality.py): the notebook pages carry only
the scripts they use, and Material's script is deferred on every page.

mkdocs-jupyter writes a Mermaid loader (which imports Mermaid from a CDN), MathJax settings
and an empty `<script src="">` into every notebook page; the hook keeps what a page needs.
Checked on made-up pages (a diagram keeps its loader) and on the built site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser_support import load_tool

pytest_plugins = ["browser_support"]

hooks = load_tool("mkdocs_site_quality")

CLIPBOARD = "<script>customElements.define('clipboard-copy', class {});</script>"
EMPTY_SRC = '<script src=""> </script>'
MATHJAX_CONFIG = '<script type="text/x-mathjax-config">init_mathjax = function() {}</script>'
MATHJAX = '<script src="https://example.org/mathjax/MathJax.js"></script>'
MERMAID = (
    '<script type="module">document.querySelectorAll(".jp-Mermaid > pre.mermaid");'
    'import("https://cdn.example.org/mermaid.esm.min.mjs")</script>'
)
SCRIPTS = [CLIPBOARD, EMPTY_SRC, MATHJAX_CONFIG, MERMAID]


def page(cells: str) -> str:
    return (
        "<html><head><title>t</title></head><body><article>"
        f'<div class="jupyter-wrapper"><style>.jp-Cell{{color:red}}</style>{"".join(SCRIPTS)}'
        f'<div class="jp-Cell">{cells}</div></div></article></body></html>'
    )


def test_a_page_without_diagrams_or_math_keeps_only_the_clipboard() -> None:
    assert hooks.needed_scripts(SCRIPTS, '<div class="jp-Cell">x</div>') == [CLIPBOARD]


def test_a_diagram_keeps_its_loader() -> None:
    article = '<div class="jp-Mermaid"><pre class="mermaid">graph LR</pre></div>'
    assert hooks.needed_scripts(SCRIPTS, article) == [CLIPBOARD, MERMAID]


def test_loaded_mathjax_keeps_its_settings() -> None:
    kept = hooks.needed_scripts([MATHJAX_CONFIG, MATHJAX], "<p>x</p>")
    assert kept == [MATHJAX_CONFIG, MATHJAX]


def test_tidy_moves_the_needed_scripts_to_the_end(tmp_path: Path) -> None:
    out = hooks.tidy_notebook_page(page("cell"), "examples/x/solution/", str(tmp_path))
    article = out[out.find("<article") : out.find("</article>")]
    assert "<script" not in article and "<style" not in article
    tail = out[out.find("</article>") :]
    assert CLIPBOARD in tail
    for dropped in (EMPTY_SRC, MATHJAX_CONFIG, MERMAID):
        assert dropped not in out
    assert re.search(r'<link rel="stylesheet" href="[^"]*jupyter\.[0-9a-f]{10}\.css">', out)


def test_built_notebook_pages_carry_no_unused_scripts(site: Any) -> None:
    pages = sorted(site.site_dir.glob("**/examples/*/solution/index.html"))
    assert len(pages) >= 10, pages  # six notebooks, two languages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(site.site_dir)
        assert "<clipboard-copy" in text and "clipboard-copy" in text.split("</article>")[1]
        assert not re.search(r'<script\b[^>]*\bsrc="\s*"', text), f"{where}: <script src=''>"
        assert "x-mathjax-config" not in text, where
        if "jp-Mermaid" not in text.split("</article>")[0]:
            scripts = re.findall(r"<script\b.*?</script>", text, flags=re.S)
            loaders = [s for s in scripts if "mermaid" in s.lower()]
            assert not loaders, f"{where}: a Mermaid loader without a diagram"


def test_defer_bundle_defers_materials_script_only() -> None:
    bundle = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
    other = '<script src="../js/extra.js"></script>'
    out = hooks.defer_bundle(f"<body>{other}{bundle}</body>")
    assert '<script defer src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>' in out
    assert other in out


def test_every_built_page_defers_materials_script(site: Any) -> None:
    pages = sorted(site.site_dir.glob("**/*.html"))
    assert len(pages) >= 40
    for path in pages:
        tags = re.findall(
            r"<script\b[^>]*bundle\.[0-9a-f]+\.min\.js[^>]*>", path.read_text("utf-8")
        )
        assert len(tags) == 1 and " defer " in tags[0], (path.relative_to(site.site_dir), tags)
