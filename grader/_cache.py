"""Where tfcert keeps data, the settings that change it, and the verified download cache.

Settings (environment variables; a flag is on for 1, true, yes or on, off for 0, false, no,
off or empty):

TFCERT_DATA_HOME
    Where prepared data lives (files copied out of packages, unpacked folders, resized
    images). Default: ``$XDG_CACHE_HOME/tfcert``, else ``~/.cache/tfcert``.
TFCERT_DOWNLOAD_CACHE
    The verified download cache: every file tfcert downloads (a wheel, a .deb, an origin
    file) is kept here under its SHA-256 once it matched, and is never downloaded again.
    Point it at a folder that outlives TFCERT_DATA_HOME to prepare afresh without the
    network. Default: ``$TFCERT_DATA_HOME/downloads``.
TFCERT_OFFLINE
    A flag: never download anything. Data comes only from the prepared copies, the download
    cache, installed packages, files shipped with tfcert and TFCERT_LOCAL_DATA.
TFCERT_IGNORE_INSTALLED_DATA
    A flag: do not read datasets from installed Debian or pip packages (the packages named by
    `tfcert data show`); tfcert fetches its own verified copies instead.
TFCERT_LOCAL_DATA
    A folder of data files you downloaded yourself, under their origin names (for example
    ``Sunspots.csv``). A file found there is verified like a download before it is used.

Keras' own folder for Fashion-MNIST follows Keras' setting, KERAS_HOME (default ``~/.keras``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "DataError",
    "DownloadCache",
    "data_home",
    "download_cache",
    "ignore_installed",
    "keras_fashion_mnist_dir",
    "local_data_dir",
    "offline",
    "publish",
    "remove",
    "scratch_dir",
]

DATA_HOME = "TFCERT_DATA_HOME"
DOWNLOAD_CACHE = "TFCERT_DOWNLOAD_CACHE"
OFFLINE = "TFCERT_OFFLINE"
IGNORE_INSTALLED = "TFCERT_IGNORE_INSTALLED_DATA"
LOCAL_DATA = "TFCERT_LOCAL_DATA"

_ON = ("1", "true", "yes", "on")
_OFF = ("", "0", "false", "no", "off")


class DataError(Exception):
    """A dataset cannot be found, installed or downloaded; the message says what to do."""


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    raise DataError(f"{name}={os.environ[name]!r} is not a flag: set it to 1 (on) or 0 (off)")


def _folder(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def data_home() -> Path:
    """Where prepared data lives: $TFCERT_DATA_HOME, $XDG_CACHE_HOME/tfcert or ~/.cache/tfcert."""
    if (home := _folder(DATA_HOME)) is not None:
        return home
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "tfcert"


def offline() -> bool:
    """Whether downloads are forbidden ($TFCERT_OFFLINE)."""
    return _flag(OFFLINE)


def ignore_installed() -> bool:
    """Whether installed Debian and pip dataset packages are ignored."""
    return _flag(IGNORE_INSTALLED)


def local_data_dir() -> Path | None:
    """The folder of files the user downloaded themselves ($TFCERT_LOCAL_DATA), if set."""
    return _folder(LOCAL_DATA)


def keras_fashion_mnist_dir() -> Path:
    """The folder where `keras.datasets.fashion_mnist.load_data()` looks for its files."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home).expanduser() / "datasets" / "fashion-mnist"


def publish(tmp: Path, dest: Path) -> Path:
    """Move a finished file or folder into place in one rename, replacing what was there."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_dir() and not dest.is_symlink():
        shutil.rmtree(dest)
    os.replace(tmp, dest)
    return dest


def remove(path: Path) -> None:
    """Delete a file or folder of the data home that a newer copy replaced (best effort: a
    copy in use elsewhere, on Windows, stays until the next time)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


@contextlib.contextmanager
def scratch_dir(near: Path, prefix: str) -> Iterator[Path]:
    """A temporary folder beside `near` (same file system, so results move by rename)."""
    near.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=near, prefix=f".{prefix}-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class DownloadCache:
    """Downloaded files by checksum: ``sha256/<hex>``, or ``values-sha256/<hex>`` for files
    verified by the digest of their values. A file is only ever put here after it matched."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, kind: str, digest: str) -> Path:
        if kind not in ("sha256", "values-sha256") or len(digest) != 64:
            raise ValueError(f"not a cache key: {kind}/{digest}")
        return self.root / kind / digest.lower()

    def get(self, kind: str, digest: str) -> Path | None:
        path = self.path(kind, digest)
        return path if path.is_file() else None

    def put(self, verified: Path, kind: str, digest: str) -> Path:
        """Move a verified file into the cache (one rename) and return its cache path."""
        dest = self.path(kind, digest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(verified, dest)
        except OSError:
            # Another file system (a scratch folder elsewhere): copy beside it, then rename.
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            try:
                shutil.copyfile(verified, tmp)
                os.replace(tmp, dest)
            finally:
                tmp.unlink(missing_ok=True)
        return dest


def download_cache() -> DownloadCache:
    """The verified download cache: $TFCERT_DOWNLOAD_CACHE or $TFCERT_DATA_HOME/downloads."""
    return DownloadCache(_folder(DOWNLOAD_CACHE) or data_home() / "downloads")
