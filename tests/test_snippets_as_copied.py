"""Every Python block of the built site runs as a reader copies it, outside this repository.

A reader presses a code block's copy button on the site and pastes the code into their own
Jupyter, Colab or PyCharm, with tfcert installed from its wheel. This test does the same:

- the site is the one the Pages job publishes (tests/browser_support.py: `published`,
  English and Korean; mkdocs.yml's `pygments_lang_class` puts each block's language in
  its HTML);
- each Python block's text is what Material's copy button copies: the text of the block's
  `<code>`, without trailing white space (tests/test_browser.py checks the button copies
  exactly that);
- each block runs in a fresh folder with the wheel-only venv's python
  (tests/learner_venv.py), in a home folder where `tfcert data prepare` ran, with nothing
  of this repository on the path and no conftest fixtures; then it runs a second time in
  the same interpreter, namespace and folder, as a reader runs a notebook cell twice;
- a block whose code is the same in both languages (the same program: comments aside) runs
  once for both;
- the in-process doc tests (pytest-markdown-docs) of the same blocks give way to this test
  when it runs (tests/doc_blocks_give_way.py), and it checks each of them is a block it ran.

A block that only works after another block says so on its page, and is listed in `AFTER`
with that sentence: it runs in the same folder, after the block it needs. `EXPECTED_FAILURES`
lists blocks known to fail, each with the reason; such a block must fail (strict, as
xfail_strict), and a block that fails and is not listed fails the test.

The count ("N of N Python blocks run as copied") is printed in the run's summary.
"""

from __future__ import annotations

import ast
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import Published, load_tool
from doc_blocks_give_way import GAVE_WAY
from learner_venv import Learner, Prepared, report

pytest_plugins = ["learner_venv", "doc_blocks_give_way", "browser_support"]
pytestmark = pytest.mark.slow

html_edit = load_tool("html_edit")

# block id ("page/#n", n from 1 in page order) -> (the block it needs, the page's sentence
# that says so). Empty while every block works on its own.
AFTER: dict[str, tuple[str, str]] = {}
# block id -> why it fails, for blocks the page owner cannot fix yet.
EXPECTED_FAILURES: dict[str, str] = {}

PYTHON = ("python", "py", "python3")  # the fence languages Pygments shows as Python
BLOCK_TIMEOUT = 600  # seconds, both runs of one block
WORKERS = max(1, min(2, os.cpu_count() or 1))

# The reader's cells, each run twice in a row: one interpreter, one namespace, as in a
# notebook kernel. A block that needs another comes after it, in the same kernel.
_CELLS = """\
import sys
namespace = {"__name__": "__main__"}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        code = compile(f.read(), path, "exec")
    for run in (1, 2):
        print(f"--- {path} run {run}", flush=True)
        exec(code, namespace)
print("--- every run ended", flush=True)
"""


@dataclass
class Block:
    page: str  # the page's path in the site, e.g. "keras3/" or "ko/keras3/"
    number: int  # 1-based, in page order
    code: str

    @property
    def id(self) -> str:
        return f"{self.page}#{self.number}"


@dataclass
class Program:
    """One distinct program: the blocks that are this code (comments aside), run once."""

    code: str
    blocks: list[Block] = field(default_factory=list)
    after: Program | None = None
    returncode: int | None = None
    failed_run: int | None = None  # 1 or 2
    output: str = ""
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return " = ".join(b.id for b in self.blocks)


def python_blocks(site: Path) -> tuple[list[Block], dict[str, str]]:
    """Every Python block of every page, in page order, as the copy button copies it; and
    each page's text (to find what the page says about a block)."""
    blocks, texts = [], {}
    for page in sorted(site.rglob("*.html")):
        doc = html_edit.Document(page.read_text("utf-8"))
        url = page.relative_to(site).as_posix().removesuffix("index.html")
        article = doc.find("article")
        texts[url] = " ".join(doc.text(article).split()) if article is not None else ""
        number = 0
        for div in doc.find_all("div", cls="highlight"):
            if not any(div.has_class(f"language-{lang}") for lang in PYTHON):
                continue
            code = doc.find("code", within=div)
            assert code is not None, f"{url}: a Python block without <code>"
            number += 1
            blocks.append(Block(url, number, doc.text(code).rstrip()))
    return blocks, texts


def _same_program(code: str) -> str:
    """A key equal for code that differs only in comments and layout."""
    try:
        return ast.dump(ast.parse(code))
    except SyntaxError:
        return code  # runs (and fails) on its own


def programs(blocks: list[Block]) -> list[Program]:
    by_key: dict[str, Program] = {}
    for block in blocks:
        by_key.setdefault(_same_program(block.code), Program(block.code)).blocks.append(block)
    return list(by_key.values())


def _run(program: Program, learner: Learner, home: Path, folder: Path) -> None:
    """Run the program's cells (those it needs first) twice each in a fresh folder."""
    chain: list[Program] = []
    p: Program | None = program
    while p is not None:
        chain.insert(0, p)
        p = p.after
    folder.mkdir(parents=True)
    cells = []
    for step, p in enumerate(chain, 1):
        cells.append(f"cell{step}.py")
        (folder / cells[-1]).write_text(p.code + "\n", "utf-8")
    start = time.monotonic()
    try:
        proc = learner.run(
            "python", "-c", _CELLS, *cells, cwd=folder, home=home, timeout=BLOCK_TIMEOUT
        )
        code, output = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, output = -1, f"timed out after {exc.timeout} s"
    program.seconds = time.monotonic() - start
    if code == 0 and "--- every run ended" in output:
        program.returncode = 0
        return
    program.returncode = code or 1
    program.failed_run = 2 if f"--- {cells[-1]} run 2" in output else 1
    needs = ", after " + ", ".join(p.name for p in chain[:-1]) if len(chain) > 1 else ""
    program.output = f"(cells: {', '.join(cells)}{needs})\n" + output[-3000:]


@pytest.fixture(scope="module")
def site_blocks(published: Published) -> tuple[list[Block], dict[str, str]]:
    return python_blocks(published.site.site_dir)


def test_every_python_block_runs_as_copied(
    site_blocks: tuple[list[Block], dict[str, str]],
    learner: Learner,
    reader_home: Prepared,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    assert reader_home.proc.returncode == 0, "tfcert data prepare failed in the reader's home"
    blocks, page_texts = site_blocks
    ids = {b.id for b in blocks}
    english = sum(1 for b in blocks if not b.page.startswith("ko/"))
    assert english > 0 and len(blocks) > english, "no English or no Korean Python blocks found"
    listed = set(AFTER) | {needed for needed, _ in AFTER.values()} | set(EXPECTED_FAILURES)
    stale = sorted(listed - ids)
    assert stale == [], f"listed blocks that are not on the site: {stale}"

    progs = programs(blocks)
    of_block = {b.id: p for p in progs for b in p.blocks}
    # The in-process doc tests that gave way to this one (tests/doc_blocks_give_way.py):
    # each must be a block of the built site, so that it runs here.
    gave_way = request.config.stash.get(GAVE_WAY, {})
    on_site = {_same_program(p.code) for p in progs}
    not_on_site = [node for node, code in gave_way.items() if _same_program(code) not in on_site]
    assert not not_on_site, f"doc blocks that gave way but are not on the built site: {not_on_site}"
    for block_id, (needed, sentence) in AFTER.items():
        page = block_id.split("#")[0]
        assert sentence in page_texts[page], f"{page} does not say {sentence!r} (for {block_id})"
        of_block[block_id].after = of_block[needed]

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        runs = [
            pool.submit(_run, p, learner, reader_home.home, tmp_path / f"block{n + 1:03d}")
            for n, p in enumerate(progs)
        ]
        for run in runs:
            run.result()  # an error of the test itself, not of a block, surfaces here
    wall = time.monotonic() - start

    failed = [p for p in progs if p.returncode != 0]
    unexpected = [p for p in failed if not any(b.id in EXPECTED_FAILURES for b in p.blocks)]
    passed_listed = [
        b.id for p in progs if p.returncode == 0 for b in p.blocks if b.id in EXPECTED_FAILURES
    ]
    ran = sum(len(p.blocks) for p in progs if p.returncode == 0)
    slowest = sorted(progs, key=lambda p: -p.seconds)[:3]
    summary = (
        f"{ran} of {len(blocks)} Python blocks run as copied ({english} English, "
        f"{len(blocks) - english} Korean; {len(progs)} distinct programs, each run twice in "
        f"a fresh folder; {wall:.0f} s with {WORKERS} at a time; {len(gave_way)} in-process "
        "doc tests gave way to these; slowest: "
        + ", ".join(f"{p.blocks[0].id} {p.seconds:.0f} s" for p in slowest)
        + ")"
    )
    report(summary)
    print(summary)
    for p in failed:
        report(f"  failed on run {p.failed_run}: {p.name}")
    details = "\n\n".join(
        f"{p.name} failed on run {p.failed_run} (exit {p.returncode}):\n{p.output}"
        for p in unexpected
    )
    assert not unexpected, f"{summary}\n\n{details}"
    assert not passed_listed, f"listed in EXPECTED_FAILURES but they run: {passed_listed}"
