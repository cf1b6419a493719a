"""c3-horses-or-humans as the exam asked it: 300x300 RGB in, one sigmoid unit out.

The images are online only (161 MB), so nothing here downloads them: these tests check the
contract, that the starter imports without fetching anything, that the held-out images are
fed at 300x300 whatever size the prepared folder stores, and that the mock exam offers the
set.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import grader
from grader.data import images
from grader.data.errors import DataError
from grader.exam import mock_exam
from grader.exam.mock_exam import find_exam, problem_sets, start_exam

PROBLEM = "c3-horses-or-humans"
STARTER = Path(grader.__file__).parent / "starters" / "c3_horses_or_humans.py"


def test_the_contract_is_the_exams() -> None:
    problem = grader.get_problem(PROBLEM)
    assert problem.input_shape == (300, 300, 3) and problem.output_shapes == ((1,),)
    assert problem.constants["IMAGE_SIZE"] == (300, 300)
    assert problem.online_only and problem.starter == STARTER.name
    # the offline stand-in keeps its own, smaller size
    assert grader.get_problem("c3-clipart").input_shape == (150, 150, 3)


def test_the_starter_imports_without_downloading(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / "empty"))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    spec = importlib.util.spec_from_file_location("c3_horses_starter", STARTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # no data yet, and none is needed to import it
    assert module.IMAGE_SIZE == (300, 300)
    assert not (tmp_path / "empty" / "raw").exists()
    with pytest.raises(DataError, match="horses-or-humans"):
        module.load_data()


def test_held_out_images_are_fed_at_300x300(tmp_path, monkeypatch) -> None:
    from PIL import Image

    held = tmp_path / "eval"
    sizes = {"horses": [(150, 150), (300, 300)], "humans": [(300, 300)]}
    for cls, shapes in sizes.items():
        (held / cls).mkdir(parents=True)
        for i, size in enumerate(shapes):
            Image.new("RGBA", size, (255, 0, 0, 255)).save(held / cls / f"{i}.png")
    monkeypatch.setattr(images, "horses_or_humans_dirs", lambda: (tmp_path / "train", held))
    x, y = grader.get_problem(PROBLEM).evaluation_inputs()
    assert x.shape == (3, 300, 300, 3) and x.dtype == np.float32
    assert y.tolist() == [0, 0, 1]
    assert np.allclose(x[..., 0], 1.0) and np.allclose(x[..., 1:], 0.0)  # RGB in [0, 1]


def test_the_mock_exam_offers_the_set(tmp_path, monkeypatch) -> None:
    prepared: list[str] = []
    monkeypatch.setattr(mock_exam, "prepare_problem_data", lambda pid, **_: prepared.append(pid))
    assert problem_sets()["horses-or-humans"][3] == PROBLEM
    start_exam(tmp_path / "exam", problem_set="horses-or-humans")
    exam = find_exam(tmp_path / "exam")
    assert exam.problem(3) == PROBLEM and PROBLEM in prepared
    assert (exam.folder(3) / "starter.py").read_text() == STARTER.read_text()
