"""Finding, preparing and reading the registry's datasets.

Resolution order for every file: the prepared cache, then the installed offline package,
then a verified download from the origin URL. When none works, `DataError` names the
package to install and the URL to reach.
"""

from __future__ import annotations

import bz2
import csv
import functools
import gzip
import hashlib
import importlib.util
import io
import lzma
import os
import shutil
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader._download import DownloadError, download
from grader._registry import Dataset, Offline, get_dataset

__all__ = [
    "DataError",
    "clipart_dirs",
    "data_home",
    "fashion_mnist",
    "keras_fashion_mnist_dir",
    "locate",
    "prepare",
    "rotten_tomatoes",
    "seattle_weather",
    "source_of",
    "sunspots",
]

IMAGE_SIZE = 150
MAX_PIXELS = 40_000_000
CLIPART_CLASSES = ("animals", "people")
WEATHER_COLUMNS = ("precipitation", "temp_max", "temp_min", "wind")


class DataError(Exception):
    """A dataset cannot be found, installed or downloaded; the message says what to do."""


def data_home() -> Path:
    """Where prepared data lives: $TFCERT_HOME, $XDG_CACHE_HOME/tfcert or ~/.cache/tfcert."""
    if env := os.environ.get("TFCERT_HOME"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "tfcert"


def keras_fashion_mnist_dir() -> Path:
    """The folder where `keras.datasets.fashion_mnist.load_data()` looks for its files."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home).expanduser() / "datasets" / "fashion-mnist"


def _site_packages_file(source: Offline) -> Path | None:
    top = source.path.split("/", 1)[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).parent / source.path
        if candidate.exists():
            return candidate
    return None


def _offline_path(source: Offline) -> Path | None:
    if source.registry == "debian":
        path = Path(source.path)
        return path if path.exists() else None
    return _site_packages_file(source)


def _cache_path(dataset: Dataset, key: str) -> Path:
    """Where tfcert keeps `key` of `dataset` once downloaded or unpacked."""
    return data_home() / "raw" / dataset.name / key


def _local(dataset: Dataset, key: str) -> tuple[Path, str] | None:
    """`key` of `dataset` on this machine, with where it is in words; None if it is not.

    The first two steps of locate(): tfcert's cache, then the installed offline package.
    """
    cached = _cache_path(dataset, key)
    if cached.exists():
        return cached, f"cache {cached}"
    source = dataset.offline.get(key)
    if source is not None and (path := _offline_path(source)) is not None:
        return path, f"{source.registry} package {source.package}: {path}"
    return None


def source_of(dataset: Dataset, key: str) -> str:
    """Where `key` of `dataset` would be read from now, in words (for `tfcert data`)."""
    found = _local(dataset, key)
    return found[1] if found else "not installed: " + _missing_message(dataset, key)


def _missing_message(dataset: Dataset, key: str) -> str:
    parts = []
    if (source := dataset.offline.get(key)) is not None:
        parts.append(f"install it with `{source.install}`")
    urls = [r.url for r in dataset.remote.values()]
    if urls:
        verb = "or let" if parts else "let"
        parts.append(
            f"{verb} `tfcert data prepare {dataset.name}` download it from " + " ".join(urls)
        )
    return f"dataset {dataset.name!r} ({key}) is not available: " + ", ".join(parts)


def _deb_members(deb: Path) -> Iterator[tuple[str, bytes]]:
    """Yield (name, payload) of the members of an `ar` archive (a .deb)."""
    with open(deb, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise DataError(f"{deb} is not a Debian package; delete it and run again")
        while header := f.read(60):
            name = header[:16].decode().strip().rstrip("/")
            size = int(header[48:58].decode().strip())
            payload = f.read(size)
            if size % 2:
                f.read(1)
            yield name, payload


def _unpack_deb(deb: Path, prefix: str, dest: Path) -> None:
    """Extract the files under `prefix` (an absolute install path) from `deb` into `dest`."""
    for name, payload in _deb_members(deb):
        if not name.startswith("data.tar"):
            continue
        if name.endswith(".xz"):
            payload = lzma.decompress(payload)
        elif name.endswith(".gz"):
            payload = gzip.decompress(payload)
        elif name != "data.tar":
            raise DataError(f"{deb} uses {name}, which this Python cannot unpack")
        tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=".unpack-"))
        try:
            with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
                want = "." + prefix.rstrip("/")
                for member in tar.getmembers():
                    name = member.name
                    if not member.isfile() or not (name == want or name.startswith(want + "/")):
                        continue
                    if ".." in Path(name).parts:
                        raise DataError(f"{deb} holds an unsafe path {name!r}; delete it")
                    rel = name[len(want) :].lstrip("/") or Path(prefix).name
                    target = tmp / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    src = tar.extractfile(member)
                    assert src is not None
                    target.write_bytes(src.read())
            if dest.exists():
                shutil.rmtree(dest) if dest.is_dir() else dest.unlink()
            os.replace(tmp if Path(prefix).suffix == "" else tmp / Path(prefix).name, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    raise DataError(f"{deb} holds no data archive; delete it and run again")


def locate(name: str, key: str, *, download_ok: bool = True) -> Path:
    """The local path of file (or folder) `key` of dataset `name`, fetching it if needed."""
    dataset = get_dataset(name)
    found = _local(dataset, key)
    if found is not None:
        return found[0]
    cached = _cache_path(dataset, key)
    source = dataset.offline.get(key)
    if not download_ok or not dataset.remote:
        raise DataError(_missing_message(dataset, key))
    if any(r.sha256 is None for r in dataset.remote.values()):
        raise DataError(
            f"dataset {dataset.name!r} has no published checksum, so tfcert does not download "
            f"it; fetch it yourself from {' '.join(r.url for r in dataset.remote.values())}"
        )
    try:
        if key in dataset.remote:
            remote = dataset.remote[key]
            assert remote.sha256 is not None
            return download(remote.url, cached, remote.sha256)
        # The offline source is a Debian package: download the .deb, unpack what is needed.
        (remote,) = dataset.remote.values()
        assert remote.sha256 is not None
        deb = download(remote.url, data_home() / "downloads" / remote.filename, remote.sha256)
        assert source is not None
        cached.parent.mkdir(parents=True, exist_ok=True)
        _unpack_deb(deb, source.path, cached)
        return cached
    except DownloadError as exc:
        raise DataError(f"{_missing_message(dataset, key)}; the download failed: {exc}") from None


# --------------------------------------------------------------------------- fashion-mnist


def _read_idx(path: Path, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


@functools.lru_cache(maxsize=1)
def fashion_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """((x_train, y_train), (x_test, y_test)) as uint8, exactly as Keras' load_data() gives.

    Cached per process (read-only arrays): grading several models does not decompress the
    files again each time.
    """
    ds = get_dataset("fashion-mnist")
    files = {key: locate(ds.name, key) for key in ds.offline}
    y_train = _read_idx(files["train-labels-idx1-ubyte.gz"], 8)
    x_train = _read_idx(files["train-images-idx3-ubyte.gz"], 16).reshape(len(y_train), 28, 28)
    y_test = _read_idx(files["t10k-labels-idx1-ubyte.gz"], 8)
    x_test = _read_idx(files["t10k-images-idx3-ubyte.gz"], 16).reshape(len(y_test), 28, 28)
    for array in (x_train, y_train, x_test, y_test):
        array.flags.writeable = False
    return (x_train, y_train), (x_test, y_test)


def _prepare_fashion_mnist() -> Path:
    ds = get_dataset("fashion-mnist")
    target = keras_fashion_mnist_dir()
    for key in ds.offline:
        dest = target / key
        src = locate(ds.name, key)
        if dest.exists() and dest.stat().st_size == src.stat().st_size:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    return target


# --------------------------------------------------------------------------- clip art


def _publish(tmp: Path, root: Path) -> None:
    """Mark a prepared folder complete and move it into place in one rename."""
    (tmp / ".complete").write_text("ok\n")
    if root.exists():
        shutil.rmtree(root)
    os.replace(tmp, root)


def _clipart_root() -> Path:
    return data_home() / "prepared" / f"clipart-{IMAGE_SIZE}-v4"


def clipart_dirs() -> tuple[Path, Path]:
    """(train_dir, eval_dir), each with one sub-folder per class; prepared on first use."""
    root = _clipart_root()
    if not (root / ".complete").exists():
        _prepare_clipart()
    return root / "train", root / "eval"


def _prepare_clipart(progress: bool = False) -> Path:
    from PIL import Image, ImageOps

    root = _clipart_root()
    if (root / ".complete").exists():
        return root
    png = locate("openclipart", "png")
    files = sorted(
        (cls, p)
        for cls in CLIPART_CLASSES
        for p in (png / cls).rglob("*")
        if p.suffix.lower() == ".png" and p.is_file()
    )
    if not files:
        raise DataError(
            f"no PNG files under {png}/animals or {png}/people; reinstall openclipart-png"
        )
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root.parent, prefix=".clipart-"))
    skipped = 0
    try:
        seen: set[str] = set()
        kept: list[tuple[str, str, str, Any]] = []
        for i, (cls, path) in enumerate(files, 1):
            try:
                with Image.open(path) as im:
                    if im.width * im.height > MAX_PIXELS:
                        skipped += 1
                        continue
                    rgba = im.convert("RGBA")
            except (OSError, Image.DecompressionBombError):
                skipped += 1
                continue
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            rgb = Image.alpha_composite(white, rgba).convert("RGB")
            rgb = ImageOps.pad(rgb, (IMAGE_SIZE, IMAGE_SIZE), color=(255, 255, 255))
            # Some drawings are in several folders or files; keep one copy of each picture and
            # split by the prepared pixels, so no picture is both trained on and held out.
            content = hashlib.sha256(rgb.tobytes()).hexdigest()
            if content in seen:
                continue
            seen.add(content)
            kept.append((cls, content, content[:10] + "-" + path.stem[:40], rgb))
            if progress and sys.stderr.isatty():
                sys.stderr.write(f"\rpreparing clip art {i}/{len(files)}")
        # A stratified split: within each class, every fifth picture in content-hash order
        # is held out, so both splits keep the classes' proportions.
        for cls in CLIPART_CLASSES:
            pictures = sorted((k for k in kept if k[0] == cls), key=lambda k: k[1])
            for rank, (_, _, stem, rgb) in enumerate(pictures):
                out = tmp / ("eval" if rank % 5 == 0 else "train") / cls / f"{stem}.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                rgb.save(out, optimize=False)
        if progress and sys.stderr.isatty():
            sys.stderr.write("\n")
        (tmp / "SKIPPED").write_text(f"{skipped}\n")
        _publish(tmp, root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return root


# --------------------------------------------------------------------------- horses or humans

HORSES_CLASSES = ("horses", "humans")


def horses_or_humans_dirs() -> tuple[Path, Path]:
    """(train_dir, eval_dir) with horses/ and humans/, 150x150; downloaded on first use."""
    root = data_home() / "prepared" / f"horses-or-humans-{IMAGE_SIZE}"
    if (root / ".complete").exists():
        return root / "train", root / "eval"
    import zipfile

    from PIL import Image

    parts = {
        "train": locate("horses-or-humans", "horse-or-human.zip"),
        "eval": locate("horses-or-humans", "validation-horse-or-human.zip"),
    }
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root.parent, prefix=".horses-"))
    try:
        for split, archive in parts.items():
            with zipfile.ZipFile(archive) as z:
                for name in sorted(z.namelist()):
                    folder, _, base = name.rpartition("/")
                    cls = folder.split("/")[-1]
                    if cls not in HORSES_CLASSES or not base.lower().endswith(".png"):
                        continue
                    with z.open(name) as f, Image.open(f) as im:
                        if im.width * im.height > MAX_PIXELS:
                            continue
                        rgb = im.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE))
                    out = tmp / split / cls / base
                    out.parent.mkdir(parents=True, exist_ok=True)
                    rgb.save(out)
        _publish(tmp, root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return root / "train", root / "eval"


# --------------------------------------------------------------------------- rotten tomatoes


@dataclass(frozen=True)
class TextSplit:
    texts: list[str]
    labels: np.ndarray


def rotten_tomatoes() -> tuple[TextSplit, TextSplit]:
    """(training, held-out evaluation) review snippets; label 1 = fresh, 0 = rotten."""
    path = locate("rotten-tomatoes", "rotten_tomatoes_corpus_full.csv.bz2")
    seen: dict[str, int] = {}
    with bz2.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = {"fresh": 1, "rotten": 0}.get(row["category"])
            text = " ".join(row["text"].split())
            if label is None or not text or text in seen:
                continue
            seen[text] = label
    order = sorted(seen, key=lambda t: hashlib.sha256(t.encode()).hexdigest())
    labels = np.array([seen[t] for t in order], dtype=np.int64)
    held = 2000
    return (
        TextSplit(order[:-held], labels[:-held]),
        TextSplit(order[-held:], labels[-held:]),
    )


# --------------------------------------------------------------------------- time series


@dataclass(frozen=True)
class SeriesSplit:
    train: np.ndarray  # normalised, shape (time, features)
    eval: np.ndarray  # normalised with the training statistics
    minimum: np.ndarray
    maximum: np.ndarray
    columns: tuple[str, ...]


def seattle_weather(held_out_days: int = 365) -> SeriesSplit:
    path = locate("seattle-weather", "seattle-weather.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: r["date"])
    values = np.array([[float(r[c]) for c in WEATHER_COLUMNS] for r in rows], dtype=np.float64)
    train, held = values[:-held_out_days], values[-held_out_days:]
    lo, hi = train.min(axis=0), train.max(axis=0)

    def scale(a: np.ndarray) -> np.ndarray:
        return ((a - lo) / (hi - lo)).astype(np.float32)

    return SeriesSplit(scale(train), scale(held), lo, hi, WEATHER_COLUMNS)


def sunspots(held_out_months: int = 500) -> SeriesSplit:
    path = locate("sunspots", "sunspots.txt.gz")
    with gzip.open(path, "rt") as f:
        values = np.array(f.read().split(), dtype=np.float64).reshape(-1, 1)
    train, held = values[:-held_out_months], values[-held_out_months:]
    hi = train.max(axis=0)
    lo = np.zeros_like(hi)
    return SeriesSplit(
        (train / hi).astype(np.float32), (held / hi).astype(np.float32), lo, hi, ("sunspots",)
    )


# --------------------------------------------------------------------------- prepare all


def prepare(name: str, *, progress: bool = False) -> Path:
    """Make dataset `name` ready offline (download if needed) and return where it is."""
    ds = get_dataset(name)
    if name == "fashion-mnist":
        return _prepare_fashion_mnist()
    if name == "openclipart":
        return _prepare_clipart(progress=progress)
    if name == "horses-or-humans":
        return horses_or_humans_dirs()[0].parent
    keys = list(ds.offline) or list(ds.remote)
    paths = [locate(ds.name, key) for key in keys]
    return paths[0]
