"""Making each dataset ready offline: one preparer per dataset, and where its data is read from.

`tfcert data prepare` and the mock exam call `prepare`; `tfcert data` asks each preparer's
`ready` (which never fetches anything) and `source_of`. Most datasets are ready once their
files are on this machine; Fashion-MNIST is also copied where `keras.datasets` looks for it,
and the image datasets are unpacked and resized into folders (`grader.data.images`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.data.images import CATS_DOGS, HORSES, RPS, clipart_root, prepare_clipart
from grader.data.registry import Dataset, get_dataset
from grader.data.settings import keras_fashion_mnist_dir
from grader.data.sources import find_local, locate_all, missing_message

__all__ = ["FILES", "PREPARERS", "Preparer", "prepare", "preparer_of", "source_of"]


def source_of(dataset: Dataset, key: str) -> str:
    """Where `key` of `dataset` is read from now, in words; never downloads anything."""
    found = find_local(dataset, key)
    if found is not None:
        return f"{found.source}: {found.path}"
    return "not ready: " + missing_message(dataset, [key])


# --------------------------------------------------------------------------- fashion-mnist


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

# The datasets that need more than their files (a copy where Keras looks, a prepared
# folder); every other dataset is ready when its files are (FILES).
PREPARERS: dict[str, Preparer] = {
    "fashion-mnist": Preparer(_keras_copy_ready, _prepare_fashion_mnist),
    "openclipart": Preparer(
        _folder_ready(clipart_root), lambda ds, progress: prepare_clipart(progress)
    ),
    "horses-or-humans": Preparer(_folder_ready(HORSES.root), lambda ds, p: HORSES.prepare(p)),
    "rock-paper-scissors": Preparer(_folder_ready(RPS.root), lambda ds, p: RPS.prepare(p)),
    "cats-and-dogs-filtered": Preparer(
        _folder_ready(CATS_DOGS.root), lambda ds, p: CATS_DOGS.prepare(p)
    ),
}


def preparer_of(name: str) -> Preparer:
    """How dataset `name` is made ready: its own preparer, or FILES."""
    return PREPARERS.get(name, FILES)


def prepare(dataset: Dataset | str, *, progress: bool = False) -> Path:
    """Make a dataset ready offline (fetching and verifying what is missing); where it is."""
    ds = dataset if isinstance(dataset, Dataset) else get_dataset(dataset)
    return preparer_of(ds.name).prepare(ds, progress)
