"""Files that are never half written, and locks that die with their process.

`write_json_atomic` and `write_text_atomic` write a temporary file beside the target, flush
it to disk and move it over the target in one step (`os.replace`), so a reader sees the old
file or the new one, never a mix, whatever interrupts the writer. `lock` takes an exclusive
lock that the operating system drops when the process ends, however it ends. `publish`
moves a finished file or folder into place in one rename, `scratch_dir` makes the folder
beside its destination that such a file is written in, and `sha256_of` reads a file's digest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "FileSig",
    "lock",
    "publish",
    "remove",
    "scratch_dir",
    "sha256_of",
    "write_json_atomic",
    "write_text_atomic",
]

# The one step that publishes a written file; a module attribute so that a test can
# interrupt exactly this step (tests/test_exam.py) without touching `os` for the process.
_replace = os.replace


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        _replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """`data` as indented UTF-8 JSON, written with `write_text_atomic`."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def lock(path: Path, *, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on `path` (created if needed); yields False if busy and not `wait`.

    The operating system drops the lock when the process ends, however it ends, so a killed
    `tfcert` never leaves a stale lock behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            _lock_fd(fd, wait)
            held = True
        except BlockingIOError:
            held = False
        yield held
    finally:
        os.close(fd)  # closing the descriptor releases the lock


if sys.platform != "win32":
    import fcntl

    def _lock_fd(fd: int, wait: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))

else:  # pragma: no cover - Windows
    import msvcrt

    def _lock_fd(fd: int, wait: bool) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                if not wait:
                    raise BlockingIOError from None
                time.sleep(0.1)


@dataclass(frozen=True)
class FileSig:
    """What tells two versions of a file apart without reading it: mtime, size, inode."""

    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileSig | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)


def publish(tmp: Path, dest: Path) -> Path:
    """Move a finished file or folder into place in one rename, replacing what was there."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_dir() and not dest.is_symlink():
        shutil.rmtree(dest)
    os.replace(tmp, dest)
    return dest


def remove(path: Path) -> None:
    """Delete a file or folder that a newer copy replaced (best effort: a copy in use
    elsewhere, on Windows, stays until the next time)."""
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
