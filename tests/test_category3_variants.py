"""The exam's category 3 variants: rock-paper-scissors, horses or humans at 150x150, cats vs dogs.

Their images are online only (none of them is in a package registry), so these tests check
what holds without them: each problem's contract and registry entry, that each starter
imports without fetching anything and keeps the contract's last layer, that a zip archive in
the course's layout is prepared into class folders (a small archive made here: the code
path, not the data), that an archive with other counts is refused, and that the held-out
images are fed at 150x150. Where a copy of the real archives is on this machine
(TFCERT_LOCAL_DATA, verified by SHA-256 like a download), the `data` tests prepare it and
check the real counts; elsewhere they skip and say why.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from data_support import online_data_folder

import grader
from grader.data import images, registry
from grader.data.errors import DataError
from grader.data.preparers import PREPARERS

STARTERS = Path(grader.__file__).parent / "starters"

# problem -> (dataset, classes, output units, last activation, evaluation images)
VARIANTS = {
    "c3-rock-paper-scissors": (
        "rock-paper-scissors",
        ("paper", "rock", "scissors"),
        3,
        "softmax",
        372,
    ),
    "c3-horses-or-humans-150": ("horses-or-humans", ("horses", "humans"), 1, "sigmoid", 256),
    "c3-cats-vs-dogs": ("cats-and-dogs-filtered", ("cats", "dogs"), 1, "sigmoid", 1000),
}
ARCHIVES = {
    "rock-paper-scissors": images.RPS,
    "horses-or-humans": images.HORSES,
    "cats-and-dogs-filtered": images.CATS_DOGS,
}


@pytest.mark.parametrize("problem_id", VARIANTS)
def test_the_contract_is_the_starters(problem_id: str) -> None:
    dataset, classes, units, _, held = VARIANTS[problem_id]
    problem = grader.get_problem(problem_id)
    assert problem.category == 3 and problem.dataset == dataset and problem.online_only
    assert problem.input_shape == (150, 150, 3) and problem.output_shapes == ((units,),)
    assert problem.constants == {"IMAGE_SIZE": (150, 150), "CLASSES": classes}
    assert problem.output_range == (0.0, 1.0) and problem.input_kind == "float"
    assert problem.starter == problem_id.replace("-", "_") + ".py"
    # Scored on the archive's own held-out split, of at least 300 images where it has them.
    assert ARCHIVES[dataset].counts["eval"] == held
    # A trivial model (the majority class, or any one class) scores 0.
    assert problem.scale.score(1 / len(classes)) == 0
    assert problem.scale.score(1.0) == 5


def test_the_registry_pins_what_tensorflow_datasets_publishes() -> None:
    rps = registry.DATASETS["rock-paper-scissors"]
    assert rps.downloadable and rps.online_only and rps.licence.startswith("CC BY 2.0")
    assert {k: (f.sha256, f.size) for k, f in rps.files.items()} == {
        "rps.zip": ("c2403444395842ad04c53612bad54b574443eae17a0723117a2ff87b9d72194f", 200682221),
        "rps-test-set.zip": (
            "c27ab9fa43ce40b2e453de711365b477f4424586edf0388116674fd320f07503",
            29516758,
        ),
    }
    for key, file in rps.files.items():
        assert file.urls == ("https://storage.googleapis.com/download.tensorflow.org/data/" + key,)
    cats = registry.DATASETS["cats-and-dogs-filtered"]
    assert not cats.downloadable and "not downloaded by tfcert" in cats.notes
    (url,) = cats.files["cats_and_dogs_filtered.zip"].urls
    assert url == "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
    assert set(ARCHIVES) <= set(PREPARERS)


def _last_dense(starter: Path) -> tuple[int, str]:
    """The units and activation of the last Dense(...) call written in a starter."""
    calls = [
        node
        for node in ast.walk(ast.parse(starter.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "Dense"
    ]
    last = max(calls, key=lambda c: c.lineno)
    units = ast.literal_eval(last.args[0])
    activation = next(ast.literal_eval(k.value) for k in last.keywords if k.arg == "activation")
    return units, activation


@pytest.mark.parametrize("problem_id", VARIANTS)
def test_the_starter_imports_without_downloading(
    problem_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset, _, units, activation, _ = VARIANTS[problem_id]
    problem = grader.get_problem(problem_id)
    assert problem.starter is not None
    starter = STARTERS / problem.starter
    assert _last_dense(starter) == (units, activation)
    assert f'load_training_data("{problem_id}")' in starter.read_text()
    monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / "empty"))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    monkeypatch.delenv("TFCERT_LOCAL_DATA", raising=False)
    spec = importlib.util.spec_from_file_location(f"starter_{dataset}", starter)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # no data yet, and none is needed to import it
    assert module.IMAGE_SIZE == (150, 150)
    assert not (tmp_path / "empty" / "raw").exists()
    with pytest.raises(DataError, match=dataset):
        module.load_data()


def _png(colour: tuple[int, int, int], size: int = 40) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (size, size), (*colour, 255)).save(buf, format="PNG")
    return buf.getvalue()


def _archive(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_an_archive_in_the_courses_layout_is_prepared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small archive made here, in cats_and_dogs_filtered's layout: train/ and validation/
    under one top folder, each with cats/ and dogs/; a Mac's resource forks are left out and
    every image keeps its bytes."""
    cat, dog = _png((200, 0, 0)), _png((0, 0, 200))
    members = {
        "cats_and_dogs_filtered/train/cats/cat.0.jpg": cat,
        "cats_and_dogs_filtered/train/cats/cat.1.jpg": cat,
        "cats_and_dogs_filtered/train/dogs/dog.0.jpg": dog,
        "cats_and_dogs_filtered/validation/cats/cat.2000.jpg": cat,
        "cats_and_dogs_filtered/validation/dogs/dog.2000.jpg": dog,
        "cats_and_dogs_filtered/vectorize.py": b"print()\n",
        "__MACOSX/cats_and_dogs_filtered/train/cats/._cat.0.jpg": b"\0",
    }
    _archive(tmp_path / "cats_and_dogs_filtered.zip", members)
    monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(tmp_path))
    small = images.ImageArchives(
        "cats-and-dogs-filtered",
        "cats-test",
        images.CATS_DOGS_CLASSES,
        images.CATS_DOGS.splits,
        {"train": 3, "eval": 2},
    )
    train, held = small.dirs()
    assert sorted(p.name for p in (train / "cats").iterdir()) == ["cat.0.jpg", "cat.1.jpg"]
    assert [p.name for p in (held / "dogs").iterdir()] == ["dog.2000.jpg"]
    assert (train / "cats" / "cat.0.jpg").read_bytes() == cat
    assert small.dirs() == (train, held)  # prepared once
    # The archive tfcert knows holds other counts: it is refused, and nothing is left.
    with pytest.raises(DataError, match="not the 2000 expected"):
        images.CATS_DOGS.prepare()
    assert not images.CATS_DOGS.root().exists()


@pytest.mark.parametrize("problem_id", VARIANTS)
def test_held_out_images_are_fed_at_150x150(
    problem_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    _, classes, _, _, _ = VARIANTS[problem_id]
    held = tmp_path / "eval"
    for label, cls in enumerate(classes):
        (held / cls).mkdir(parents=True)
        for i, size in enumerate([(300, 300), (499, 375), (150, 150)][: label + 1]):
            Image.new("RGBA", size, (255, 0, 0, 255)).save(held / cls / f"{i}.png")
    dirs = (tmp_path / "train", held)
    monkeypatch.setattr(images, "horses_or_humans_dirs", lambda: dirs)
    for name in ("RPS", "CATS_DOGS"):
        monkeypatch.setattr(images, name, SimpleNamespace(dirs=lambda: dirs))
    x, y = grader.get_problem(problem_id).evaluation_inputs()
    count = sum(range(1, len(classes) + 1))
    assert x.shape == (count, 150, 150, 3) and x.dtype == np.float32
    assert y.tolist() == [label for label in range(len(classes)) for _ in range(label + 1)]
    assert np.allclose(x[..., 0], 1.0) and np.allclose(x[..., 1:], 0.0)  # RGB in [0, 1]


@pytest.mark.data
@pytest.mark.parametrize("dataset", ["rock-paper-scissors", "horses-or-humans"])
def test_the_real_archives_prepare_from_a_verified_copy(
    dataset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the real archives in TFCERT_LOCAL_DATA (or fetched by `tfcert data prepare`):
    each is checked against its SHA-256, then prepared with the counts TFDS records."""
    folder = online_data_folder(dataset)
    monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(folder))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    archives = ARCHIVES[dataset]
    train, held = archives.dirs()
    for split, root in (("train", train), ("eval", held)):
        found = {cls: len(list((root / cls).iterdir())) for cls in archives.classes}
        assert sum(found.values()) == archives.counts[split], found
        assert len(set(found.values())) <= 2, found  # every class is there, about evenly
