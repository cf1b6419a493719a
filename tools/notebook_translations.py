"""The Korean notebooks: each example's prose in Korean, its code written once.

examples/<problem>/solution.py is the one home of a lesson's code. Its Korean prose lives
beside it in examples/<problem>/solution.ko.md: one section per Markdown cell of solution.py,
in the same order, each opened by a marker line that names the English cell and a digest of
the English text it translates:

    <!-- cell 2 · en 5d41402a -->

    ## 준비

    ...

`korean(notebook, problem_id)` returns the notebook with every Markdown cell replaced by its
Korean section; the code cells and their outputs are untouched. The English notebook (the
executed examples/<problem>/solution.ipynb, or solution.py) gives the Korean one:
examples/<problem>/solution.ko.ipynb, committed for "Open in Colab" and rendered on the
Korean site by tools/mkdocs_hooks.py.

When an English cell changes, its digest no longer matches and `check()` names the section
to update (tests/test_notebook_translations.py runs it). Commands:

    python tools/notebook_translations.py skeleton PROBLEM  # a new solution.ko.md to fill in
    python tools/notebook_translations.py check             # stale or missing sections
    python tools/notebook_translations.py write             # every solution.ko.ipynb
"""

from __future__ import annotations

import copy
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# The examples as notebooks: where they are, reading one, whether its executed form is
# current, writing one (tools/example_notebooks.py, their one home).
from example_notebooks import EXAMPLES, ROOT, current_executed, problems, read, save

if TYPE_CHECKING:
    from nbformat import NotebookNode

MARKER = re.compile(r"^<!-- cell (\d+) · en ([0-9a-f]{8}) -->[ \t]*$", flags=re.M)
HEADER = """\
<!-- The Korean prose of solution.py: one section per Markdown cell, in order. Each section
     starts with a marker naming the English cell and a digest of its text; see
     tools/notebook_translations.py. The code is solution.py's and is not repeated here. -->
"""
HANGUL = re.compile(r"[\uac00-\ud7a3]")


class TranslationError(ValueError):
    """A solution.ko.md that does not fit its solution.py (says what to do)."""


@dataclass(frozen=True)
class Section:
    cell: int  # 1-based number of the Markdown cell it translates
    digest: str  # of the English text it was written from
    text: str  # the Korean Markdown


def digest(english: str) -> str:
    return hashlib.sha256(english.strip().encode("utf-8")).hexdigest()[:8]


def translation_path(problem_id: str) -> Path:
    return EXAMPLES / problem_id / "solution.ko.md"


def korean_notebook_path(problem_id: str) -> Path:
    return EXAMPLES / problem_id / "solution.ko.ipynb"


def english_cells(notebook: NotebookNode) -> list[str]:
    return [c.source for c in notebook.cells if c.cell_type == "markdown"]


def read_sections(problem_id: str) -> list[Section]:
    path = translation_path(problem_id)
    if not path.is_file():
        raise TranslationError(
            f"examples/{problem_id}/solution.ko.md is missing: run "
            f"python tools/notebook_translations.py skeleton {problem_id}, then translate it"
        )
    text = path.read_text(encoding="utf-8")
    markers = list(MARKER.finditer(text))
    sections = []
    for i, found in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        body = text[found.end() : end].strip()
        sections.append(Section(int(found.group(1)), found.group(2), body))
    return sections


def problems_with(problem_id: str, english: list[str], sections: list[Section]) -> list[str]:
    """What is wrong with the sections as a translation of `english` (empty when nothing)."""
    where = f"examples/{problem_id}/solution.ko.md"
    found = []
    if [s.cell for s in sections] != list(range(1, len(english) + 1)):
        found.append(
            f"{where} has sections for cells {[s.cell for s in sections]}, but solution.py "
            f"has {len(english)} Markdown cells: one section per cell, numbered 1 to "
            f"{len(english)}, in order"
        )
        return found
    for section, text in zip(sections, english, strict=True):
        if section.digest != digest(text):
            first = text.strip().splitlines()[0] if text.strip() else ""
            found.append(
                f"{where}: cell {section.cell} ({first!r}) changed in English since it was "
                f"translated: update the Korean, then its marker to "
                f"'<!-- cell {section.cell} · en {digest(text)} -->'"
            )
        elif not HANGUL.search(section.text):
            found.append(f"{where}: cell {section.cell} has no Korean text")
    return found


def korean(notebook: NotebookNode, problem_id: str) -> NotebookNode:
    """A copy of `notebook` with its Markdown cells in Korean; raises TranslationError."""
    sections = read_sections(problem_id)
    english = english_cells(notebook)
    wrong = problems_with(problem_id, english, sections)
    if wrong:
        raise TranslationError("\n".join(wrong))
    translated = copy.deepcopy(notebook)
    texts = iter(s.text for s in sections)
    for cell in translated.cells:
        if cell.cell_type == "markdown":
            cell.source = next(texts)
    translated.metadata["language_info"] = {
        **translated.metadata.get("language_info", {}),
        "name": "python",
    }
    return translated


def skeleton(problem_id: str) -> str:
    """A new solution.ko.md: every section's marker, with the English text to replace."""
    notebook = read(problem_id)
    parts = [HEADER]
    for number, text in enumerate(english_cells(notebook), 1):
        parts.append(f"<!-- cell {number} · en {digest(text)} -->\n\n{text.strip()}\n")
    return "\n".join(parts)


def check() -> list[str]:

    found = []
    for problem_id in problems():
        english = english_cells(read(problem_id))
        try:
            found += problems_with(problem_id, english, read_sections(problem_id))
        except TranslationError as exc:
            found.append(str(exc))
    return found


def write(problem_id: str) -> Path | None:
    """examples/<problem>/solution.ko.ipynb from the executed English notebook, where that is
    current; None (nothing written) where it is not."""
    import nbformat

    executed = current_executed(problem_id)
    if executed is None:
        return None
    english = nbformat.read(executed, as_version=4)
    path = korean_notebook_path(problem_id)
    save(korean(english, problem_id), path)
    return path


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "skeleton":
        path = translation_path(argv[1])
        if path.exists():
            print(f"{path.relative_to(ROOT)} exists; not overwritten", file=sys.stderr)
            return 1
        path.write_text(skeleton(argv[1]), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}: replace each section's English with Korean")
        return 0
    if argv == ["check"]:
        found = check()
        print("\n".join(found) or "every example's Korean prose is current")
        return 1 if found else 0
    if argv == ["write"]:
        for problem_id in problems():
            try:
                written = write(problem_id)
            except TranslationError as exc:
                print(exc, file=sys.stderr)
                return 1
            where = written.relative_to(ROOT) if written else "no executed notebook"
            print(f"{problem_id}: {where}")
        return 0
    print(
        "usage: notebook_translations.py skeleton PROBLEM | check | write",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
