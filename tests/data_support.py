"""Helpers for the data tests: a file server on 127.0.0.1, made-up packages and datasets, and
where an online-only dataset's real files are on this machine (`online_data_folder`).

Made-up datasets are put into the registry with `register` (pytest's monkeypatch undoes it);
made-up packages are real formats: a wheel (zip with its .dist-info) that pip accepts, and a
.deb (`ar` archive with data.tar.xz) that Python's standard library unpacks.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest

from grader.data import registry
from grader.data.registry import Dataset


@dataclass
class Web:
    """A local HTTP server: `url` to reach it, `files` it serves by path, `hits` requested."""

    url: str
    files: dict[str, bytes] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)


class _Files(http.server.BaseHTTPRequestHandler):
    web: ClassVar[Web]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.web.hits.append(self.path)
        body = self.web.files.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve() -> Iterator[Web]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    web = Web(f"http://127.0.0.1:{srv.server_address[1]}")

    class Handler(_Files):
        pass

    Handler.web = web
    srv.RequestHandlerClass = Handler
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def register(monkeypatch: pytest.MonkeyPatch, ds: Dataset) -> Dataset:
    """Put a made-up dataset into the registry for one test (it gets the plain-files preparer)."""
    from grader.data import preparers

    monkeypatch.setitem(registry.DATASETS, ds.name, ds)
    assert preparers.preparer_of(ds.name) is preparers.FILES
    return ds


def _ar_member(name: str, payload: bytes) -> bytes:
    header = f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(payload):<10}`\n".encode()
    assert len(header) == 60
    return header + payload + (b"\n" if len(payload) % 2 else b"")


def make_deb(files: dict[str, bytes], links: dict[str, tuple[str, str]] | None = None) -> bytes:
    """A minimal .deb (an `ar` archive with data.tar.xz) holding `files` at absolute paths,
    and `links`: path -> ("sym" or "hard", the link's target as dpkg-deb writes it)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo("." + path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for path, (kind, target) in (links or {}).items():
            info = tarfile.TarInfo("." + path)
            info.type = tarfile.SYMTYPE if kind == "sym" else tarfile.LNKTYPE
            info.linkname = target
            tar.addfile(info)
    return (
        b"!<arch>\n"
        + _ar_member("debian-binary", b"2.0\n")
        + _ar_member("control.tar.xz", b"")
        + _ar_member("data.tar.xz", buf.getvalue())
    )


def make_wheel(folder: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A pure-Python wheel that pip accepts, holding `files` (paths inside site-packages)."""
    dist = f"{name.replace('-', '_')}-{version}"
    members = dict(files)
    members[f"{dist}.dist-info/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    )
    members[f"{dist}.dist-info/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: tfcert-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = []
    for path, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist}.dist-info/RECORD,,")
    members[f"{dist}.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        for path, data in members.items():
            z.writestr(path, data)
    return wheel


def online_data_folder(dataset: str) -> Path:
    """The folder that holds every file of an online-only dataset on this machine: the one
    TFCERT_LOCAL_DATA names (../shared/datasets by default; a developer may point it at a
    folder of copies fetched from the origins) or the copies `tfcert data prepare` fetched.
    Skips the test, saying why and what to do, where the files are not here."""
    from grader.data.registry import DATASETS
    from grader.data.sources import find_local, local_copy

    ds = DATASETS[dataset]
    copies = {key: local_copy(ds, key) for key in ds.files}
    folders = {copy.parent for copy in copies.values() if copy is not None}
    if len(folders) == 1 and None not in copies.values():
        return folders.pop()  # the folder TFCERT_LOCAL_DATA names
    found = {key: find_local(ds, key) for key in ds.files}
    missing = [key for key, where in found.items() if where is None]
    if missing:
        pytest.skip(
            f"the files of {dataset} ({', '.join(missing)}) are not on this machine: "
            f"`tfcert data prepare {dataset}` fetches them from their origin (internet), or "
            "name a folder of copies with TFCERT_LOCAL_DATA"
        )
    folders = {Path(where.path).parent for where in found.values() if where is not None}
    if len(folders) != 1:
        pytest.skip(f"the files of {dataset} are in several folders: {sorted(map(str, folders))}")
    return folders.pop()
