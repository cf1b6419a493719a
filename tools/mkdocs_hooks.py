"""MkDocs hooks: show examples/ as notebook pages in both languages.

`on_files` runs after mkdocs-static-i18n (which rebuilds the file list, turns notebook pages
into raw static files and gives the Korean build no copy of them) and adds every
examples/<problem>/solution.py, read from examples/ itself (the site includes the examples,
never copies of them), as a documentation page: at examples/... for English and with the
`ko/` prefix for the Korean build. mkdocs-jupyter then renders each as a notebook.

`on_post_page` writes each example as a .ipynb beside its page (converted with jupytext,
without outputs: nothing is trained when the site is built), for the download button that
overrides/main.html adds.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = "examples"


class ExamplePage(File):
    """A jupytext example rendered as a page, at [lang/]examples/<problem>/solution/."""

    def __init__(self, src_uri: str, config, prefix: str = "") -> None:
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

    def is_documentation_page(self) -> bool:
        return True


def _examples() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / EXAMPLES).glob("*/solution.py"))


@event_priority(-200)
def on_files(files: Files, config) -> Files:
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


def on_post_page(output: str, page, config) -> str:
    if isinstance(page.file, ExamplePage):
        import jupytext

        notebook = jupytext.read(page.file.abs_src_path)
        target = Path(page.file.abs_dest_path).with_name(Path(page.file.src_uri).stem + ".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target, fmt="ipynb")
    return output
