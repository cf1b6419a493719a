"""Every Python code block on the site runs as a test: this guard proves it.

pytest-markdown-docs runs the ```python fences of docs/, but only the fences its own
Markdown parser sees. Material renders more: a fence indented in a content tab (`=== "Tab"`)
is shown to readers as Python yet never runs, and `python notest` is shown but skipped.
This module counts the Python code blocks of every page twice, by scanning the source (with
line numbers) and by rendering it with the site's own Markdown configuration (mkdocs.yml, as
Material does), then asks pytest which blocks it collects. A Python block that is shown but
not collected fails, unless it is only a snippet include of a file under examples/ (those
files are run by their own tests).

The per-page counts are in the test ids (`test_page_blocks_run[index.md-2-python]`) and in
the output of `test_total`, so `pytest -v tests/test_docs_guard.py` shows them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PYTHON_LANGS = frozenset({"python", "py", "python3"})

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_SNIPPET_EXAMPLE = re.compile(r"""^\s*-{1,}8<-{1,}\s*["']?(?:\./)?examples/\S+["']?\s*$""")
_COLLECTED = re.compile(r"^(?P<path>\S+?\.md)::\[CodeFence#\d+\]\[line:(?P<line>\d+)\]\s*$")
_RENDERED = re.compile(r'<div class="language-(?P<lang>[\w+-]+) highlight"')


@dataclass(frozen=True)
class Fence:
    line: int  # 1-based line of the opening fence, as pytest-markdown-docs reports it
    lang: str
    info: str
    indent: int
    body: tuple[str, ...]

    @property
    def is_python(self) -> bool:
        return self.lang in PYTHON_LANGS

    @property
    def includes_example(self) -> bool:
        """True when the block only pulls a file from examples/ in with pymdownx.snippets."""
        lines = [b for b in self.body if b.strip()]
        return bool(lines) and all(_SNIPPET_EXAMPLE.match(b) for b in lines)


def _lang(info: str) -> str:
    info = info.strip()
    if info.startswith("{"):  # superfences' attribute form: {.python notest title="x"}
        for part in info.strip("{}").split():
            if part.startswith("."):
                return part[1:].lower()
        return ""
    return info.split()[0].lower() if info.split() else ""


def scan_fences(text: str) -> list[Fence]:
    """Every fenced block of a page, at any indentation (tabs, admonitions, lists)."""
    fences: list[Fence] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if m is None or (m["fence"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        char, size, indent = m["fence"][0], len(m["fence"]), len(m["indent"].expandtabs(4))
        close = re.compile(rf"^[ \t]*{re.escape(char)}{{{size},}}[ \t]*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            body.append(lines[j])
            j += 1
        fences.append(Fence(i + 1, _lang(m["info"]), m["info"].strip(), indent, tuple(body)))
        i = j + 1
    return fences


@cache
def _markdown_renderer():
    """A Python-Markdown instance configured exactly as mkdocs.yml configures the site."""
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    mdx_configs = {k: dict(v) for k, v in config.mdx_configs.items()}
    # Only to make the language visible in the HTML (Material's highlighting is unchanged).
    mdx_configs.setdefault("pymdownx.highlight", {})["pygments_lang_class"] = True
    # Snippet paths are relative to the repository root (where mkdocs runs), not to the cwd.
    snippets = mdx_configs.get("pymdownx.snippets")
    if snippets is not None:
        base = snippets.get("base_path", ["."])
        base = [base] if isinstance(base, str) else base
        snippets["base_path"] = [str((ROOT / b).resolve()) for b in base]
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=mdx_configs)


def rendered_python_blocks(text: str) -> int:
    """How many Python code blocks a reader sees on the rendered page."""
    md = _markdown_renderer()
    md.reset()
    html = md.convert(text)
    return sum(1 for m in _RENDERED.finditer(html) if m["lang"].lower() in PYTHON_LANGS)


def collect_doc_tests(target: Path, *extra: str) -> dict[Path, set[int]]:
    """Ask pytest (with this project's configuration) which fences it collects under target."""
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "--collect-only",
        "-q",
        "-p",
        "no:randomly",
        *extra,
        str(target),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if proc.returncode not in (0, 5):  # 5: nothing collected
        raise AssertionError(
            f"collection failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    rootdir = ROOT
    for arg in extra:
        if arg.startswith("--rootdir="):
            rootdir = Path(arg.split("=", 1)[1])
    found: dict[Path, set[int]] = {}
    for line in proc.stdout.splitlines():
        m = _COLLECTED.match(line.strip())
        if m:
            found.setdefault((rootdir / m["path"]).resolve(), set()).add(int(m["line"]))
    return found


@dataclass(frozen=True)
class PageAudit:
    page: Path
    python_fences: int  # Python blocks found in the source, at any depth
    rendered: int  # Python blocks in the rendered HTML
    collected: int  # of those, collected by pytest-markdown-docs
    examples: int  # of those, snippet includes of examples/ files (tested elsewhere)
    problems: tuple[str, ...]


def audit_page(page: Path, collected_lines: set[int], rel_to: Path) -> PageAudit:
    text = page.read_text(encoding="utf-8")
    fences = [f for f in scan_fences(text) if f.is_python]
    rendered = rendered_python_blocks(text)
    name = page.relative_to(rel_to).as_posix()
    problems = []
    if rendered != len(fences):
        problems.append(
            f"{name}: the rendered page shows {rendered} Python blocks but the source scan found "
            f"{len(fences)}: a block is hidden or mangled (check fence info strings)"
        )
    collected = examples = 0
    for fence in fences:
        if fence.line in collected_lines:
            collected += 1
        elif fence.includes_example:
            examples += 1
        else:
            where = "indented in a content tab or other container" if fence.indent else "top level"
            problems.append(
                f"{name}:{fence.line}: Python block ({fence.info!r}, {where}) is shown on the site "
                "but never runs as a test: move it out of content tabs, drop `notest`, or make it "
                "a ```text / ```console block"
            )
    stray = collected_lines - {f.line for f in fences}
    for line in sorted(stray):
        problems.append(
            f"{name}:{line}: pytest runs a block there that the site does not show as Python"
        )
    return PageAudit(page, len(fences), rendered, collected, examples, tuple(problems))


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "includes" not in p.relative_to(DOCS).parts)


def _page_id(page: Path) -> str:
    count = sum(1 for f in scan_fences(page.read_text(encoding="utf-8")) if f.is_python)
    return f"{page.relative_to(DOCS).as_posix()}-{count}-python"


PAGES = _pages()


@pytest.fixture(scope="module")
def collected() -> dict[Path, set[int]]:
    return collect_doc_tests(DOCS)


@pytest.mark.parametrize("page", PAGES, ids=[_page_id(p) for p in PAGES])
def test_page_blocks_run(page: Path, collected: dict[Path, set[int]], record_property) -> None:
    result = audit_page(page, collected.get(page.resolve(), set()), DOCS)
    record_property("python_fences", result.python_fences)
    record_property("collected", result.collected)
    print(f"{page.relative_to(DOCS)}: {result.python_fences} Python blocks, {result.collected} run")
    assert not result.problems, "\n".join(result.problems)


def test_total(collected: dict[Path, set[int]], record_property) -> None:
    audits = [audit_page(p, collected.get(p.resolve(), set()), DOCS) for p in PAGES]
    total = sum(a.python_fences for a in audits)
    ran = sum(a.collected for a in audits)
    table = "\n".join(
        f"  {a.page.relative_to(DOCS).as_posix():<32} "
        f"{a.python_fences:3d} shown {a.collected:3d} run"
        for a in audits
    )
    report = (
        f"Python blocks on the site: {total} on {len(audits)} pages, {ran} run as tests\n{table}"
    )
    print(report)
    record_property("python_fences_total", total)
    record_property("python_fences_run", ran)
    assert total > 0, "no Python blocks found at all: is the scanner broken?"
    problems = [p for a in audits for p in a.problems]
    assert not problems, report + "\n" + "\n".join(problems)
    # pytest must collect nothing from docs/ that is not a page of the site.
    strays = sorted(str(p) for p in collected if p not in {q.resolve() for q in PAGES})
    assert not strays, f"doc tests collected from files that are not site pages: {strays}"


BAD_PAGE = textwrap.dedent(
    """\
    # A page with three Python blocks

    ```python
    print("top level: runs")
    ```

    !!! note "In an admonition"

        ```python
        print("in an admonition: runs with docs/conftest.py's parser")
        ```

    === "Tab"

        ```python
        print("in a content tab: shown on the site, never run")
        ```

    ```{.python notest}
    print("notest: shown, never run")
    ```

    ```{.python notest}
    --8<-- "examples/c2-fashion-mnist/solution.py"
    ```
    """
)


def test_guard_catches_hidden_blocks(tmp_path: Path) -> None:
    """The guard fails for a Python block in a content tab and for `notest`; not for the rest."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(DOCS / "conftest.py", site / "conftest.py")
    page = site / "bad.md"
    page.write_text(BAD_PAGE, encoding="utf-8")
    found = collect_doc_tests(site, "-c", str(ROOT / "pyproject.toml"), f"--rootdir={site}")
    result = audit_page(page, found.get(page.resolve(), set()), site)
    print(result)
    assert result.python_fences == 5
    assert result.rendered == 5
    assert result.collected == 2, found  # top level and admonition
    assert result.examples == 1
    lines = sorted(int(p.split(":")[1]) for p in result.problems)
    assert lines == [15, 19], result.problems  # the tab and the notest block


def test_scanner_matches_pytest_markdown_docs_lines() -> None:
    """The scanner's line numbers are the ones pytest-markdown-docs puts in its test ids."""
    fences = scan_fences("text\n\n```python\nx = 1\n```\n\n    ```python\n    y = 2\n    ```\n")
    assert [(f.line, f.indent) for f in fences] == [(3, 0), (7, 4)]


# --------------------------------------------------------------------------- facts that drift
# The pages state each problem's input and output shapes in prose and tables. These tests
# read the shapes from the grader, so a changed contract fails here until the text follows.


def _contract_pages(problem) -> list[Path]:
    pages = []
    for stem in ("grader", f"categories/category{problem.category}"):
        pages += [p for p in (DOCS / f"{stem}.md", DOCS / f"{stem}.ko.md") if p.exists()]
    return pages


def _problems():
    import grader

    return list(grader.PROBLEMS.values())


@pytest.mark.parametrize("problem", _problems(), ids=lambda p: p.id)
def test_pages_state_the_current_contract(problem) -> None:
    wanted = [str((None, *problem.input_shape)), str((None, *problem.output_shape))]
    problems = []
    for page in _contract_pages(problem):
        text = page.read_text(encoding="utf-8")
        if page.stem.startswith("grader"):
            rows = [line for line in text.splitlines() if line.startswith(f"| `{problem.id}`")]
            if len(rows) != 1:
                problems.append(f"{page.name}: no single table row for `{problem.id}`")
                continue
            text = rows[0]
        problems += [
            f"{page.relative_to(DOCS)}: does not state {w} for {problem.id}"
            for w in wanted
            if w not in text
        ]
    assert not problems, "\n".join(problems) + f"\n(the grader says: {problem.contract()})"


@pytest.mark.parametrize("page", ["categories/index.md", "categories/index.ko.md"])
def test_the_categories_hub_lists_every_problem(page: str) -> None:
    """The hub's table is where a reader finds every problem: a new one must be there."""
    text = (DOCS / page).read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    missing = [p.id for p in _problems() if not any(f"`{p.id}`" in row for row in rows)]
    assert missing == [], f"{page} has no table row for {', '.join(missing)}"
