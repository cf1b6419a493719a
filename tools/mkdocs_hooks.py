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
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = "examples"


def executed_notebook(src_uri: str) -> Path | None:
    """examples/<problem>/solution.ipynb when it is the executed form of solution.py."""
    import jupytext

    source = ROOT / src_uri
    executed = source.with_suffix(".ipynb")
    if not executed.is_file():
        return None

    def cells(path: Path) -> list[tuple[str, str]]:
        return [(c.cell_type, c.source) for c in jupytext.read(path).cells]

    return executed if cells(executed) == cells(source) else None


class ExamplePage(File):
    """A jupytext example rendered as a page, at [lang/]examples/<problem>/solution/: from
    its executed notebook where that is current (see the module's docstring)."""

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
        executed = executed_notebook(src_uri)
        self.abs_src_path = str(executed or ROOT / src_uri)
        self.executed = executed is not None

    def is_documentation_page(self) -> bool:
        return True


def _examples() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / EXAMPLES).glob("*/solution.py"))


def on_config(config):
    # mkdocs-jupyter renders a page only when its source matches one of its `include`
    # patterns (mkdocs.yml names examples/*/*.py): an example's executed .ipynb is one too.
    jupyter = config["plugins"].get("mkdocs-jupyter")
    if jupyter is not None and f"{EXAMPLES}/*/*.ipynb" not in jupyter.config["include"]:
        jupyter.config["include"].append(f"{EXAMPLES}/*/*.ipynb")
    return config


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
        source = ROOT / page.file.src_uri
        folder = Path(page.file.abs_dest_path).parent
        folder.mkdir(parents=True, exist_ok=True)
        # mkdocs-jupyter copied the file it rendered; the other download is put beside it.
        if page.file.executed:
            shutil.copyfile(source, folder / source.name)
        else:
            import jupytext

            notebook = jupytext.read(source)
            jupytext.write(notebook, folder / f"{source.stem}.ipynb", fmt="ipynb")
    return output
