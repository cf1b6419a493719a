"""The data registry: one entry per dataset, the only home of its versions, URLs and checksums.

The grader, the reference solutions, the mock exam and the site all read this module. Each
entry names the files a dataset needs; the package that carries them offline (a wheel on
PyPI, a Debian package, or a file shipped inside tfcert itself) with the exact version and
the SHA-256 of the package file; and where each file came from originally (the URL the exam
or the course used). How these sources are tried, in order, is in `grader.data.sources`.
The entries live by kind in `datasets_images`, `datasets_text` and `datasets_series`; a new
dataset goes into its kind's module and appears here.
"""

from __future__ import annotations

from grader.data import datasets_images, datasets_series, datasets_text
from grader.data.dataset import (
    DataFile,
    Dataset,
    DebianPackage,
    Package,
    PyPIWheel,
    Shipped,
    Values,
)

__all__ = [
    "DATASETS",
    "DataFile",
    "Dataset",
    "DebianPackage",
    "Package",
    "PyPIWheel",
    "Shipped",
    "Values",
    "get_dataset",
]

DATASETS: dict[str, Dataset] = {
    d.name: d
    for module in (datasets_images, datasets_text, datasets_series)
    for d in module.DATASETS
}


def get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None
