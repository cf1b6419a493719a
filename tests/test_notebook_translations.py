"""The Korean notebooks: every example's prose in Korean, its code and outputs the English
notebook's (tools/notebook_translations.py).

- each examples/<problem>/solution.ko.md has one Korean section per Markdown cell of
  solution.py, each written from the English text solution.py has now (its digest);
- the committed solution.ko.ipynb (what "Open in Colab" opens from a Korean page) is the
  executed solution.ipynb with that prose: the same code cells, the same outputs;
- the checker itself notices a changed English cell, a missing section and an untranslated one.
"""

from __future__ import annotations

import pytest
from browser_support import load_tool

translations = load_tool("notebook_translations")
PROBLEMS = translations.problems()


def test_every_example_has_current_korean_prose() -> None:
    found = translations.check()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("problem_id", PROBLEMS)
def test_the_korean_notebook_is_the_executed_one_in_korean(problem_id: str) -> None:
    import nbformat

    root = translations.ROOT
    english_path = root / "examples" / problem_id / "solution.ipynb"
    korean_path = translations.korean_notebook_path(problem_id)
    assert english_path.is_file(), f"{english_path.relative_to(root)} is missing"
    if load_tool("example_notebooks").current_executed(problem_id) is None:
        pytest.skip(f"{problem_id}: its executed notebook is older than solution.py")
    english = nbformat.read(english_path, as_version=4)
    assert korean_path.is_file(), (
        f"{korean_path.relative_to(root)} is missing: "
        "run python tools/notebook_translations.py write"
    )
    committed = korean_path.read_text(encoding="utf-8")
    expected = nbformat.writes(translations.korean(english, problem_id)) + "\n"
    assert committed == expected, (
        f"{korean_path.relative_to(root)} is not the executed notebook with the current "
        "Korean prose: run python tools/notebook_translations.py write"
    )
    korean = nbformat.reads(committed, as_version=4)
    code = [(c.source, c.outputs) for c in korean.cells if c.cell_type == "code"]
    assert code == [(c.source, c.outputs) for c in english.cells if c.cell_type == "code"]
    prose = [c.source for c in korean.cells if c.cell_type == "markdown"]
    assert prose and all(translations.HANGUL.search(p) for p in prose)


def _sections(english: list[str], korean: str = "한국어 설명") -> list:
    return [
        translations.Section(n, translations.digest(text), korean)
        for n, text in enumerate(english, 1)
    ]


def test_the_checker_notices_what_went_stale() -> None:
    english = ["# Title\n\nOne.", "## Setup\n\nTwo."]
    assert translations.problems_with("p", english, _sections(english)) == []
    changed = ["# Title\n\nOne, reworded.", english[1]]
    (stale,) = translations.problems_with("p", changed, _sections(english))
    assert "cell 1 ('# Title') changed in English" in stale
    assert f"en {translations.digest(changed[0])}" in stale
    (missing,) = translations.problems_with("p", [*english, "## More"], _sections(english))
    assert "3 Markdown cells" in missing
    (untranslated,) = translations.problems_with("p", english, _sections(english, "English"))[:1]
    assert "cell 1 has no Korean text" in untranslated


def test_korean_keeps_code_and_replaces_prose(tmp_path) -> None:
    import jupytext

    problem = PROBLEMS[0]
    source = jupytext.read(translations.ROOT / "examples" / problem / "solution.py")
    korean = translations.korean(source, problem)
    assert [c.cell_type for c in korean.cells] == [c.cell_type for c in source.cells]
    for k, e in zip(korean.cells, source.cells, strict=True):
        if e.cell_type == "code":
            assert k.source == e.source
        else:
            assert k.source != e.source and translations.HANGUL.search(k.source)
