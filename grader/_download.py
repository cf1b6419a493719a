"""Downloads that are verified before use and never leave a half-written file behind."""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

__all__ = ["DownloadError", "download", "sha256_of"]

_CHUNK = 1 << 16


class DownloadError(Exception):
    """A download failed or did not match its checksum; the message says what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress_bar(label: str) -> Callable[[int, int | None], None]:
    def show(done: int, total: int | None) -> None:
        if not sys.stderr.isatty():
            return
        if total:
            width = 30
            filled = int(width * done / total)
            bar = "#" * filled + "-" * (width - filled)
            msg = f"\r{label} [{bar}] {done / 1e6:6.1f}/{total / 1e6:.1f} MB"
        else:
            msg = f"\r{label} {done / 1e6:6.1f} MB"
        sys.stderr.write(msg)
        if total and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def download(
    url: str,
    dest: Path,
    sha256: str,
    *,
    timeout: float = 60.0,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Download `url` to `dest`, resuming a previous partial download, and verify it.

    Bytes go to ``dest.part`` first; only a file whose SHA-256 matches is renamed to `dest`
    (an atomic rename), so `dest` is either absent or complete and verified. A partial file
    left by an interrupted transfer is resumed with an HTTP Range request when the server
    supports it, and started afresh otherwise. A mismatching file is deleted.
    """
    if not isinstance(sha256, str) or len(sha256) != 64:
        # Refuse before transferring anything: without a checksum nothing could be verified.
        raise DownloadError(
            f"no SHA-256 is known for {url}, so a download of it could not be verified; "
            "get the file yourself and put it in place, or use the offline package"
        )
    sha256 = sha256.lower()
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and sha256_of(dest) == sha256:
        return dest
    part = dest.with_name(dest.name + ".part")
    show = progress or _progress_bar(f"downloading {dest.name}")
    if part.exists() and part.stat().st_size and sha256_of(part) == sha256:
        # An earlier run got every byte but stopped before the rename.
        os.replace(part, dest)
        return dest
    try:
        _fetch(url, part, timeout, show)
    except _RangeNotSatisfiable:
        # The partial file is as long as the whole file or longer, yet wrong: start afresh.
        part.unlink(missing_ok=True)
        _fetch(url, part, timeout, show)
    got = sha256_of(part)
    if got != sha256:
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"the file from {url} has sha256 {got}, expected {sha256}; it was deleted. "
            "The server sent something else: try again later or use the offline package"
        )
    os.replace(part, dest)
    return dest


class _RangeNotSatisfiable(Exception):
    pass


def _fetch(url: str, part: Path, timeout: float, show: Callable[[int, int | None], None]) -> None:
    """Append the rest of `url` to `part` (or write it afresh); raise DownloadError on failure."""
    have = part.stat().st_size if part.exists() else 0
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "tfcert"})
        if have:
            request.add_header("Range", f"bytes={have}-")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            resumed = have > 0 and response.status == 206
            if resumed and not _range_starts_at(response.headers.get("Content-Range"), have):
                part.unlink(missing_ok=True)
                raise DownloadError(
                    f"the server of {url} sent a different part of the file than asked for; "
                    "run the same command again to download it afresh"
                )
            mode = "ab" if resumed else "wb"
            done = have if resumed else 0
            length = response.headers.get("Content-Length")
            total = done + int(length) if length is not None and length.isdigit() else None
            with open(part, mode) as out:
                while True:
                    block = response.read(_CHUNK)
                    if not block:
                        break
                    out.write(block)
                    done += len(block)
                    show(done, total)
            if total is not None and done < total:
                raise DownloadError(
                    f"download of {url} stopped at {done} of {total} bytes; run the same "
                    "command again to resume it"
                )
    except DownloadError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response and its socket
        if exc.code == 416 and have:
            raise _RangeNotSatisfiable() from None
        raise DownloadError(
            f"could not download {url}: the server answered HTTP {exc.code} ({exc.reason}); "
            "the file may have moved: check the URL, or use the offline package"
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        # URLError and OSError: no connection, refused, reset, timed out. HTTPException:
        # the connection ended mid-response (IncompleteRead). ValueError: a malformed URL.
        reason = getattr(exc, "reason", None) or f"{exc.__class__.__name__}: {exc}"
        raise DownloadError(
            f"could not download {url} ({reason}); check your connection and run the same "
            "command again (a partial download is resumed)"
        ) from None


def _range_starts_at(content_range: str | None, start: int) -> bool:
    """Whether a Content-Range header such as "bytes 100-199/200" starts at `start`."""
    if not content_range:
        return True  # not said: trust the 206 (the checksum catches the rest)
    try:
        return int(content_range.split()[1].split("-")[0]) == start
    except (IndexError, ValueError):
        return False
