"""Datasets: where `locate()` finds a file, what it says when it cannot, and the splits.

Resolution order is checked on made-up registry entries (monkeypatched into DATASETS) with
TFCERT_HOME pointing at a temporary folder, and downloads go to a local HTTP server. The
split tests read the real prepared data: the held-out evaluation split of every problem
must share nothing with what training sees.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from grader import _data, _problems, _registry
from grader._data import DataError, locate, source_of
from grader._registry import Dataset, Offline, Remote

CSV = b"a,b\n1,2\n"
CSV_SHA = hashlib.sha256(CSV).hexdigest()


# --------------------------------------------------------------------------- helpers


class _Files(http.server.BaseHTTPRequestHandler):
    files: ClassVar[dict[str, bytes]]
    hits: ClassVar[list[str]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def web() -> Iterator[tuple[str, dict[str, bytes], list[str]]]:
    """A local server: (base URL, {path: bytes} it serves, paths requested)."""

    class Handler(_Files):
        files: ClassVar[dict[str, bytes]] = {}
        hits: ClassVar[list[str]] = []

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", Handler.files, Handler.hits
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tfcert-home"
    monkeypatch.setenv("TFCERT_HOME", str(path))
    return path


def _register(monkeypatch: pytest.MonkeyPatch, ds: Dataset) -> Dataset:
    monkeypatch.setitem(_registry.DATASETS, ds.name, ds)
    return ds


def _pypi_dataset(url: str = "http://127.0.0.1:9/none.csv", sha: str = CSV_SHA) -> Dataset:
    return Dataset(
        name="fake-pypi",
        title="a made-up dataset in a made-up PyPI package",
        licence="CC0",
        citation="none",
        homepage="http://127.0.0.1/",
        offline={
            "data.csv": Offline("pypi", "tfcert-fake-pkg", "1.2.3", "tfcert_fake_pkg/data/data.csv")
        },
        remote={"data.csv": Remote(url, "data.csv", sha)},
    )


def _install_fake_package(root: Path, monkeypatch: pytest.MonkeyPatch, body: bytes = CSV) -> Path:
    """A package folder on sys.path (never imported; locate() only finds its file)."""
    pkg = root / "site" / "tfcert_fake_pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "raise RuntimeError('imported: data packages must never be imported')\n"
    )
    (pkg / "data" / "data.csv").write_bytes(body)
    monkeypatch.syspath_prepend(str(root / "site"))
    return pkg / "data" / "data.csv"


def _ar_member(name: str, payload: bytes) -> bytes:
    header = f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(payload):<10}`\n".encode()
    assert len(header) == 60
    return header + payload + (b"\n" if len(payload) % 2 else b"")


def _make_deb(files: dict[str, bytes]) -> bytes:
    """A minimal .deb (an `ar` archive with data.tar.xz) holding `files` at absolute paths."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo("." + path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return (
        b"!<arch>\n"
        + _ar_member("debian-binary", b"2.0\n")
        + _ar_member("control.tar.xz", b"")
        + _ar_member("data.tar.xz", buf.getvalue())
    )


# --------------------------------------------------------------------------- resolution order


def test_package_file_is_found(home, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    ds = _register(monkeypatch, _pypi_dataset())
    installed = _install_fake_package(tmp_path, monkeypatch)
    assert locate(ds.name, "data.csv", download_ok=False) == installed
    assert "tfcert_fake_pkg" not in sys.modules  # found, never imported
    assert source_of(ds, "data.csv").startswith("pypi package tfcert-fake-pkg: ")


def test_cache_beats_package(home, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    ds = _register(monkeypatch, _pypi_dataset())
    _install_fake_package(tmp_path, monkeypatch)
    cached = home / "raw" / ds.name / "data.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(CSV)
    assert locate(ds.name, "data.csv", download_ok=False) == cached
    assert source_of(ds, "data.csv") == f"cache {cached}"


def test_missing_pypi_package_without_download(home, monkeypatch):  # type: ignore[no-untyped-def]
    ds = _register(monkeypatch, _pypi_dataset(url="https://example.invalid/data.csv"))
    with pytest.raises(DataError) as info:
        locate(ds.name, "data.csv", download_ok=False)
    message = str(info.value)
    assert "pip install --no-deps tfcert-fake-pkg==1.2.3" in message
    assert "https://example.invalid/data.csv" in message
    assert "fake-pypi" in message
    assert "\n" not in message
    assert source_of(ds, "data.csv").startswith("not installed: ")


def test_missing_debian_package_without_download(home, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    ds = _register(
        monkeypatch,
        Dataset(
            name="fake-deb",
            title="a made-up dataset in a made-up Debian package",
            licence="CC0",
            citation="none",
            homepage="http://127.0.0.1/",
            offline={
                "x.gz": Offline("debian", "tfcert-fake-deb", "1", str(tmp_path / "absent" / "x.gz"))
            },
            remote={"fake.deb": Remote("https://example.invalid/fake.deb", "fake.deb", "0" * 64)},
        ),
    )
    with pytest.raises(DataError) as info:
        locate(ds.name, "x.gz", download_ok=False)
    message = str(info.value)
    assert "apt-get install tfcert-fake-deb" in message
    assert "https://example.invalid/fake.deb" in message


def test_debian_file_is_found(home, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    installed = tmp_path / "usr" / "share" / "x.gz"
    installed.parent.mkdir(parents=True)
    installed.write_bytes(b"x")
    ds = _register(
        monkeypatch,
        Dataset(
            name="fake-deb",
            title="t",
            licence="CC0",
            citation="none",
            homepage="h",
            offline={"x.gz": Offline("debian", "tfcert-fake-deb", "1", str(installed))},
        ),
    )
    assert locate(ds.name, "x.gz") == installed


def test_download_when_nothing_is_installed(home, web, monkeypatch):  # type: ignore[no-untyped-def]
    url, files, hits = web
    files["/data.csv"] = CSV
    ds = _register(monkeypatch, _pypi_dataset(url=f"{url}/data.csv"))
    path = locate(ds.name, "data.csv")
    assert path == home / "raw" / ds.name / "data.csv"
    assert path.read_bytes() == CSV
    assert locate(ds.name, "data.csv") == path  # now from the cache: no second request
    assert hits == ["/data.csv"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["data.csv"]


def test_failed_download_names_package_and_url(home, web, monkeypatch):  # type: ignore[no-untyped-def]
    url, _, _ = web
    ds = _register(monkeypatch, _pypi_dataset(url=f"{url}/gone.csv"))
    with pytest.raises(DataError) as info:
        locate(ds.name, "data.csv")
    message = str(info.value)
    assert "pip install --no-deps tfcert-fake-pkg==1.2.3" in message
    assert f"{url}/gone.csv" in message
    assert "404" in message
    assert not (home / "raw" / ds.name / "data.csv").exists()


def test_download_with_wrong_checksum_is_refused(home, web, monkeypatch):  # type: ignore[no-untyped-def]
    url, files, _ = web
    files["/data.csv"] = b"tampered\n"
    ds = _register(monkeypatch, _pypi_dataset(url=f"{url}/data.csv"))
    with pytest.raises(DataError, match="sha256"):
        locate(ds.name, "data.csv")
    assert not (home / "raw" / ds.name).exists() or list((home / "raw" / ds.name).iterdir()) == []


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_debian_package_downloaded_and_unpacked(home, web, monkeypatch, kind):  # type: ignore[no-untyped-def]
    url, files, _ = web
    deb = _make_deb(
        {
            "/usr/share/tfcert-fake/one.txt": b"one\n",
            "/usr/share/tfcert-fake/sub/two.txt": b"two\n",
            "/usr/share/other/three.txt": b"three\n",
        }
    )
    files["/fake.deb"] = deb
    prefix = "/usr/share/tfcert-fake/one.txt" if kind == "file" else "/usr/share/tfcert-fake"
    ds = _register(
        monkeypatch,
        Dataset(
            name="fake-deb",
            title="t",
            licence="CC0",
            citation="none",
            homepage="h",
            offline={"key": Offline("debian", "tfcert-fake-deb", "1", prefix)},
            remote={
                "fake.deb": Remote(f"{url}/fake.deb", "fake.deb", hashlib.sha256(deb).hexdigest())
            },
        ),
    )
    path = locate(ds.name, "key")
    assert path == home / "raw" / "fake-deb" / "key"
    if kind == "file":
        assert path.read_bytes() == b"one\n"
    else:
        assert (path / "one.txt").read_bytes() == b"one\n"
        assert (path / "sub" / "two.txt").read_bytes() == b"two\n"
        assert not (path / "three.txt").exists()
    assert [p.name for p in (home / "raw" / "fake-deb").iterdir()] == ["key"]  # no temporary left


def test_debian_unpack_takes_only_the_named_folder(home, web, monkeypatch):  # type: ignore[no-untyped-def]
    url, files, _ = web
    deb = _make_deb(
        {
            "/usr/share/tfcert-fake/one.txt": b"one\n",
            "/usr/share/tfcert-fake-extra/four.txt": b"four\n",
        }
    )
    files["/fake.deb"] = deb
    ds = _register(
        monkeypatch,
        Dataset(
            name="fake-deb",
            title="t",
            licence="CC0",
            citation="none",
            homepage="h",
            offline={"key": Offline("debian", "tfcert-fake-deb", "1", "/usr/share/tfcert-fake")},
            remote={
                "fake.deb": Remote(f"{url}/fake.deb", "fake.deb", hashlib.sha256(deb).hexdigest())
            },
        ),
    )
    path = locate(ds.name, "key")
    assert sorted(p.name for p in path.iterdir()) == ["one.txt"]


def test_data_home_default(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("TFCERT_HOME", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _data.data_home() == tmp_path / "xdg" / "tfcert"
    monkeypatch.setenv("TFCERT_HOME", "~/somewhere")
    assert _data.data_home() == Path.home() / "somewhere"


def test_registry_entries_are_complete():  # type: ignore[no-untyped-def]
    for ds in _registry.DATASETS.values():
        assert ds.offline or ds.online_only, ds.name
        for remote in ds.remote.values():
            assert remote.url.startswith("https://"), remote.url
            if remote.sha256 is None:
                # Only an online-only origin may lack a checksum (download() refuses it).
                assert ds.online_only, ds.name
                continue
            assert len(remote.sha256) == 64 and int(remote.sha256, 16) >= 0
        for off in ds.offline.values():
            assert off.registry in ("debian", "pypi")
            assert off.install.startswith(("sudo apt-get install ", "pip install --no-deps "))


# --------------------------------------------------------------------------- the real splits


def _pixels(path: Path) -> str:
    from PIL import Image

    with Image.open(path) as im:
        return hashlib.sha256(np.asarray(im.convert("RGB")).tobytes()).hexdigest()


def test_c3_evaluation_images_are_not_training_images():  # type: ignore[no-untyped-def]
    train, held = _data.clipart_dirs()
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


def test_c3_evaluation_uses_the_held_out_folder():  # type: ignore[no-untyped-def]
    x, y = _problems.get_problem("c3-clipart").evaluation_inputs()
    _, held = _data.clipart_dirs()
    assert len(x) == len(y) == len(list(held.rglob("*.png")))
    assert x.shape[1:] == (150, 150, 3) and x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert set(np.unique(y)) == {0, 1}


def test_c4_evaluation_texts_are_not_training_texts():  # type: ignore[no-untyped-def]
    from grader._text import standardize

    train, held = _data.rotten_tomatoes()
    assert len(held.texts) == len(held.labels) == 2000
    assert len(train.texts) == len(train.labels)
    assert set(train.texts).isdisjoint(held.texts)
    # Not even after the encoder's standardisation (case, punctuation, spacing).
    seen = {" ".join(standardize(t)) for t in train.texts}
    assert sum(" ".join(standardize(t)) in seen for t in held.texts) == 0
    texts, labels = _problems.load_training_data("c4-rotten-tomatoes")
    assert set(texts).isdisjoint(held.texts)
    assert len(texts) == len(labels)


def test_c4_encoder_is_fitted_on_training_texts_only():  # type: ignore[no-untyped-def]
    from grader._text import TextEncoder

    train, _ = _data.rotten_tomatoes()
    c4 = _problems.C4
    expected = TextEncoder.fit(
        train.texts[: c4["TRAINING_SIZE"]], c4["VOCAB_SIZE"], c4["OOV_TOKEN"]
    )
    assert _problems.c4_encoder() == expected
    x, _ = _problems.get_problem("c4-rotten-tomatoes").evaluation_inputs()
    assert x.shape == (2000, c4["MAX_LENGTH"]) and x.dtype == np.int32
    assert x.min() >= 0 and x.max() < c4["VOCAB_SIZE"]


def _csv_rows(path: Path) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def test_c5_weather_split_lengths_add_up():  # type: ignore[no-untyped-def]
    split = _data.seattle_weather()
    rows = _csv_rows(locate("seattle-weather", "seattle-weather.csv"))
    assert len(split.train) + len(split.eval) == rows
    assert len(split.eval) == 365
    p = _problems.get_problem("c5-seattle-weather")
    x, y = p.evaluation_inputs()
    n_past, n_future = _problems.C5_WEATHER["N_PAST"], _problems.C5_WEATHER["N_FUTURE"]
    assert len(x) == len(split.eval) - n_future + 1
    # Every target comes from the held-out year; training ends where it begins.
    assert np.array_equal(y[0], split.eval[:n_future])
    assert np.array_equal(y[-1], split.eval[-n_future:])
    assert np.array_equal(x[0], split.train[-n_past:])
    assert np.array_equal(p.load_training(), split.train)


def test_c5_sunspots_split_lengths_add_up():  # type: ignore[no-untyped-def]
    import gzip

    split = _data.sunspots()
    with gzip.open(locate("sunspots", "sunspots.txt.gz"), "rt") as f:
        total = len(f.read().split())
    assert len(split.train) + len(split.eval) == total == 2820
    assert len(split.eval) == 500
    p = _problems.get_problem("c5-sunspots")
    _, y = p.evaluation_inputs()
    assert np.isin(y.reshape(-1), split.eval.reshape(-1)).all()
    training = p.load_training().reshape(-1)
    assert np.array_equal(training, split.train.reshape(-1))


def test_fashion_mnist_evaluation_is_the_test_set():  # type: ignore[no-untyped-def]
    (x_train, _), (x_test, y_test) = _data.fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    x, y = _problems.get_problem("c2-fashion-mnist").evaluation_inputs()
    assert np.array_equal(y, y_test)
    assert np.array_equal(x, x_test.astype(np.float32) / 255.0)


# Runs in a child: KERAS_HOME is read when Keras is imported, and the network is cut.
KERAS_CHILD = r"""
import json, socket, sys
def no_network(*a, **k):
    raise OSError("offline test: no network")
socket.create_connection = no_network
socket.socket.connect = lambda self, *a: no_network()
from grader import _data
where = _data.prepare("fashion-mnist")
import keras
(xt, yt), (xe, ye) = keras.datasets.fashion_mnist.load_data()
(gt, gy), (ge, gey) = _data.fashion_mnist()
print(json.dumps({
    "where": str(where),
    "shapes": [list(xt.shape), list(xe.shape)],
    "same": bool((xt == gt).all() and (yt == gy).all() and (xe == ge).all() and (ye == gey).all()),
}))
"""


def test_fashion_mnist_prepared_where_keras_finds_it(tmp_path):  # type: ignore[no-untyped-def]
    keras_home = tmp_path / "keras-home"
    env = {
        **os.environ,
        "KERAS_HOME": str(keras_home),
        "TFCERT_HOME": str(tmp_path / "tfcert-home"),
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
    assert names == sorted(_registry.DATASETS["fashion-mnist"].offline)
