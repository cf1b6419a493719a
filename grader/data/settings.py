"""Where tfcert keeps data and the settings (environment variables) that change it.

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

import os
from pathlib import Path

from grader.data.errors import DataError

__all__ = [
    "DATA_HOME",
    "DOWNLOAD_CACHE",
    "IGNORE_INSTALLED",
    "LOCAL_DATA",
    "OFFLINE",
    "data_home",
    "download_cache_dir",
    "ignore_installed",
    "keras_fashion_mnist_dir",
    "local_data_dir",
    "offline",
]

DATA_HOME = "TFCERT_DATA_HOME"
DOWNLOAD_CACHE = "TFCERT_DOWNLOAD_CACHE"
OFFLINE = "TFCERT_OFFLINE"
IGNORE_INSTALLED = "TFCERT_IGNORE_INSTALLED_DATA"
LOCAL_DATA = "TFCERT_LOCAL_DATA"

_ON = ("1", "true", "yes", "on")
_OFF = ("", "0", "false", "no", "off")


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


def download_cache_dir() -> Path:
    """The download cache's folder: $TFCERT_DOWNLOAD_CACHE, else $TFCERT_DATA_HOME/downloads."""
    return _folder(DOWNLOAD_CACHE) or data_home() / "downloads"
