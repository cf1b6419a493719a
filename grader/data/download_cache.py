"""The verified download cache: each downloaded file kept under its checksum, once it matched.

Where it is follows TFCERT_DOWNLOAD_CACHE (`grader.data.settings`); a file is put here only
after its SHA-256 (or the digest of its values) matched the registry, and is never downloaded
again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from grader.data.settings import download_cache_dir

__all__ = ["DownloadCache", "download_cache"]


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
    return DownloadCache(download_cache_dir())
