"""MkDocs hooks: show examples/ as notebook pages in both languages.

`on_files` runs after mkdocs-static-i18n (which rebuilds the file list, turns notebook pages
into raw static files and gives the Korean build no copy of them) and adds every
examples/<problem>/solution.py, read from examples/ itself (the site includes the examples,
never copies of them), as a documentation page: at examples/... for English and with the
`ko/` prefix for the Korean build. mkdocs-jupyter then renders each as a notebook.

Each page shows the example as tests/test_solutions.py last ran it: the executed notebook
examples/<problem>/solution.ipynb (with its outputs: the training log's last lines, the
grade) when it holds exactly the cells of solution.py, else solution.py itself (no outputs;
nothing is trained when the site is built). mkdocs-jupyter copies the rendered file beside
the page (include_source), and `on_post_page` puts the other one there too, so both download
buttons of overrides/main.html (.ipynb and .py) work; its "Open in Colab" link opens the
committed solution.ipynb from the repository.

The Korean pages (ko/examples/...) show the same notebook with its prose in Korean: the
English notebook of the page above with its Markdown cells taken from solution.ko.md
(tools/notebook_translations.py), written for the build into .cache/site-notebooks/ko/; their
downloads are that Korean notebook and its .py, and "Open in Colab" opens the committed
solution.ko.ipynb. Where the Korean prose is not current with the English (a test names what
to update), the Korean page shows the English notebook rather than failing the build.
"""

from __future__ import annotations

import html as html_lib
import logging
import posixpath
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from example_notebooks import current_executed
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from notebook_translations import TranslationError, korean, korean_notebook_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.examples")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = "examples"
BUILT_NOTEBOOKS = ROOT / ".cache" / "site-notebooks"


def problem_of(src_uri: str) -> str:
    """The problem of examples/<problem>/solution.py."""
    return posixpath.basename(posixpath.dirname(src_uri))


def executed_notebook(src_uri: str) -> Path | None:
    """examples/<problem>/solution.ipynb when it is the executed form of solution.py."""
    return current_executed(problem_of(src_uri))


class ExamplePage(File):
    """A jupytext example rendered as a page, at [lang/]examples/<problem>/solution/: from
    its executed notebook where that is current (see the module's docstring)."""

    def __init__(self, src_uri: str, config: MkDocsConfig, prefix: str = "") -> None:
        super().__init__(
            src_uri,
            src_dir=str(ROOT),
            dest_dir=config["site_dir"],
            use_directory_urls=config["use_directory_urls"],
        )
        parent, name = posixpath.split(src_uri)
        stem = posixpath.splitext(name)[0]
        self.dest_uri = posixpath.join(prefix, parent, stem, "index.html")
        self.url = posixpath.join(prefix, parent, stem) + "/"
        self.abs_dest_path = str(Path(config["site_dir"]) / self.dest_uri)
        executed = executed_notebook(src_uri)
        self.abs_src_path = str(executed or ROOT / src_uri)
        self.executed = executed is not None
        # What "Open in Colab" opens: a notebook committed in the repository.
        self.notebook_in_repo = posixpath.join(parent, f"{stem}.ipynb")
        self.language_copy = False  # True where abs_src_path is a translated notebook
        if prefix:
            self._translate(prefix)

    def _translate(self, language: str) -> None:
        """Render the page from the notebook with its prose in `language` (Korean)."""
        import jupytext
        import nbformat

        problem = problem_of(self.src_uri)
        try:
            translated = korean(jupytext.read(self.abs_src_path), problem)
        except TranslationError as exc:
            log.info("%s: shown in English on the %s site: %s", self.src_uri, language, exc)
            return
        path = BUILT_NOTEBOOKS / language / self.src_uri
        path = path.with_suffix(".ipynb")
        path.parent.mkdir(parents=True, exist_ok=True)
        text = nbformat.writes(translated) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        self.abs_src_path = str(path)
        self.language_copy = True
        committed = korean_notebook_path(problem)
        if committed.is_file():
            self.notebook_in_repo = committed.relative_to(ROOT).as_posix()

    def is_documentation_page(self) -> bool:
        return True


def _examples() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / EXAMPLES).glob("*/solution.py"))


# ------------------------------------------------------------- heading anchors in any script
# mkdocs-jupyter makes a notebook heading's id with an ASCII-only slug ("## 준비" gets id="")
# and the page's table of contents with Python-Markdown's default slug ("#_1"), so on a
# Korean notebook page no contents link led anywhere. Both are replaced by one slug that
# keeps every script's letters (Python-Markdown's slugify_unicode, as the site's own pages
# keep Korean anchors): the id a heading gets is the link its contents entry has.


def _slug(text: str, separator: str = "-") -> str:
    from markdown.extensions.toc import slugify_unicode

    slug: str = slugify_unicode(text, separator)
    return slug


def _notebook_toc(markdown_source: str, toc_depth: int) -> list[dict[str, Any]]:
    import markdown
    from markdown.extensions.toc import TocExtension

    md = markdown.Markdown(extensions=[TocExtension(toc_depth=toc_depth, slugify=_slug)])
    md.convert(markdown_source)
    tokens: list[dict[str, Any]] = md.toc_tokens
    return tokens


_HEADING = re.compile(r"^<(h[1-6])\b([^>]*)>(.*)</\1>\s*$", flags=re.S)


def _heading_with_anchor(html_heading: str, anchor_link_text: str = "¶") -> str:
    """A rendered notebook heading with the id its contents entry links to and a ¶ link."""
    found = _HEADING.match(html_heading)
    if found is None:
        return html_heading
    tag, attrs, inner = found.groups()
    anchor = _slug(html_lib.unescape(re.sub(r"<[^>]+>", "", inner)))
    attrs = re.sub(r'\s+id="[^"]*"', "", attrs)
    link = f'<a class="anchor-link" href="#{anchor}">{anchor_link_text}</a>'
    return f'<{tag}{attrs} id="{anchor}">{inner}{link}</{tag}>'


def _unicode_notebook_anchors() -> None:
    import mkdocs_jupyter.convert as convert
    import mkdocs_jupyter.plugin as plugin

    convert.add_anchor_lower_id = _heading_with_anchor
    plugin._get_markdown_toc = _notebook_toc


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # mkdocs-jupyter renders a page only when its source matches one of its `include`
    # patterns (mkdocs.yml names examples/*/*.py): an example's executed .ipynb is one too.
    jupyter = config["plugins"].get("mkdocs-jupyter")
    if jupyter is not None:
        if f"{EXAMPLES}/*/*.ipynb" not in jupyter.config["include"]:
            jupyter.config["include"].append(f"{EXAMPLES}/*/*.ipynb")
        _unicode_notebook_anchors()
        # Pages it rendered before with the old anchors are not taken from its cache.
        if not jupyter.config["cache_dir"].endswith("unicode-anchors"):
            jupyter.config["cache_dir"] = jupyter.config["cache_dir"] + "/unicode-anchors"
    return config


@event_priority(-200)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    i18n = config["plugins"].get("i18n")
    language = getattr(i18n, "current_language", None) if i18n else None
    default = i18n.default_language if i18n else None
    prefix = "" if language in (None, default) else language
    # Change the plugin's own Files object in place: it resolves `index.md` to the
    # language's `index.ko.md`, which a new Files object would not.
    for src_uri in _examples():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(ExamplePage(src_uri, config, prefix))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if isinstance(page.file, ExamplePage):
        source = ROOT / page.file.src_uri
        folder = Path(page.file.abs_dest_path).parent
        folder.mkdir(parents=True, exist_ok=True)
        # mkdocs-jupyter copied the file it rendered; the other download is put beside it.
        if page.file.language_copy:
            import jupytext

            notebook = jupytext.read(page.file.abs_src_path)
            jupytext.write(notebook, folder / source.name, fmt="py:percent")
        elif page.file.executed:
            shutil.copyfile(source, folder / source.name)
        else:
            import jupytext

            notebook = jupytext.read(source)
            jupytext.write(notebook, folder / f"{source.stem}.ipynb", fmt="ipynb")
    return output
