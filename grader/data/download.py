"""Downloads that are verified before use and never leave a half-written file behind.

`Progress` is the one progress bar of the data layer: downloads, unpacking and preparation
draw it on stderr when stderr is a terminal, and never when told to be quiet.
"""

from __future__ import annotations

import http.client
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from grader.core.atomic_files import sha256_of

__all__ = ["DownloadError", "Progress", "download", "sha256_of"]

_CHUNK = 1 << 16


class DownloadError(Exception):
    """A download failed or did not match its checksum; the message says what to do.

    `reason` is the cause alone, short ("HTTP 404 (Not Found)", "sha256 ... expected ..."),
    for a message that lists several failed sources.
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


class Progress:
    """A one-line progress bar on stderr, redrawn at most ten times a second.

    Call it with (done, total): bytes when `unit` is "MB", else a count of `unit`. It draws
    nothing when `enabled` is false or stderr is not a terminal (a log file, a pipe, a test).
    """

    def __init__(self, label: str, *, unit: str = "MB", enabled: bool = True) -> None:
        self.label = label
        self.unit = unit
        self.enabled = enabled and sys.stderr.isatty()
        self._drawn = 0.0
        self._open = False

    def __call__(self, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if now - self._drawn < 0.1 and not finished:
            return
        self._drawn = now
        if self.unit == "MB":
            amount = f"{done / 1e6:6.1f}" + (f"/{total / 1e6:.1f} MB" if total else " MB")
        else:
            amount = f"{done}" + (f"/{total}" if total else "") + f" {self.unit}"
        bar = ""
        if total:
            filled = int(30 * min(done, total) / total)
            bar = " [" + "#" * filled + "-" * (30 - filled) + "]"
        sys.stderr.write(f"\r{self.label}{bar} {amount}")
        self._open = True
        if finished:
            self.close()
        sys.stderr.flush()

    def close(self) -> None:
        """End the line (once), so that what follows starts on a fresh one."""
        if self._open:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._open = False


def download(
    url: str,
    dest: Path,
    sha256: str | None = None,
    *,
    check: Callable[[Path], None] | None = None,
    timeout: float = 60.0,
    progress: Callable[[int, int | None], None] | None = None,
    label: str | None = None,
) -> Path:
    """Download `url` to `dest`, resuming a previous partial download, and verify it.

    The file is verified by its `sha256`, or, for files whose copies differ in bytes, by
    `check`, which raises DownloadError when the file is not the one expected. Bytes go to
    ``dest.part`` first; only a verified file is renamed to `dest` (an atomic rename), so
    `dest` is either absent or complete and verified. A partial file left by an interrupted
    transfer is resumed with an HTTP Range request when the server supports it, and started
    afresh otherwise. A file that fails verification is deleted.
    """
    if check is None:
        if not isinstance(sha256, str) or len(sha256) != 64:
            # Refuse before transferring anything: without a checksum nothing could be verified.
            raise DownloadError(
                f"no SHA-256 is known for {url}, so a download of it could not be verified; "
                "get the file yourself and put it in place, or use the offline package"
            )
        check = _sha256_check(url, sha256.lower())
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and _passes(check, dest):
        return dest
    part = dest.with_name(dest.name + ".part")
    if progress is None:
        bar = Progress(f"downloading {label or dest.name}")
        show: Callable[[int, int | None], None] = bar
    else:
        bar, show = None, progress
    try:
        if part.exists() and part.stat().st_size and _passes(check, part):
            # An earlier run got every byte but stopped before the rename.
            os.replace(part, dest)
            return dest
        try:
            _fetch(url, part, timeout, show)
        except _RangeNotSatisfiable:
            # The partial file is as long as the whole file or longer, yet wrong: start afresh.
            part.unlink(missing_ok=True)
            _fetch(url, part, timeout, show)
    finally:
        if bar is not None:
            bar.close()
    try:
        check(part)
    except DownloadError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, dest)
    return dest


def _sha256_check(url: str, sha256: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        got = sha256_of(path)
        if got != sha256:
            raise DownloadError(
                f"the file from {url} has sha256 {got}, expected {sha256}; it was deleted. "
                "The server sent something else: try again later or use the offline package",
                f"sha256 {got}, expected {sha256}",
            )

    return check


def _passes(check: Callable[[Path], None], path: Path) -> bool:
    try:
        check(path)
    except DownloadError:
        return False
    return True


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
                    "run the same command again to download it afresh",
                    "the server sent another part of the file than asked for",
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
                    "command again to resume it",
                    f"stopped at {done} of {total} bytes",
                )
    except DownloadError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response and its socket
        if exc.code == 416 and have:
            raise _RangeNotSatisfiable() from None
        raise DownloadError(
            f"could not download {url}: the server answered HTTP {exc.code} ({exc.reason}); "
            "the file may have moved: check the URL, or use the offline package",
            f"HTTP {exc.code} ({exc.reason})",
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        # URLError and OSError: no connection, refused, reset, timed out. HTTPException:
        # the connection ended mid-response (IncompleteRead). ValueError: a malformed URL.
        reason = getattr(exc, "reason", None) or f"{exc.__class__.__name__}: {exc}"
        raise DownloadError(
            f"could not download {url} ({reason}); check your connection and run the same "
            "command again (a partial download is resumed)",
            str(reason),
        ) from None


def _range_starts_at(content_range: str | None, start: int) -> bool:
    """Whether a Content-Range header such as "bytes 100-199/200" starts at `start`."""
    if not content_range:
        return True  # not said: trust the 206 (the checksum catches the rest)
    try:
        return int(content_range.split()[1].split("-")[0]) == start
    except (IndexError, ValueError):
        return False
