"""Verified, atomic, resumable downloads, against a local HTTP server on 127.0.0.1.

The server (http.server in a thread, random port) serves one payload and supports Range
requests; per test it can cut a transfer after half the bytes (with a full Content-Length),
ignore Range, answer 404, or stall. No test reaches the internet: connections to anything but
the loopback address fail the test.
"""

from __future__ import annotations

import gc
import hashlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grader.data.download import DownloadError, download, sha256_of

PAYLOAD = bytes(range(256)) * 1000 + b"tail"  # 256,004 bytes: several read chunks
SHA = hashlib.sha256(PAYLOAD).hexdigest()


@dataclass
class Behaviour:
    cut_first: int = 0  # this many next full (non-Range) responses stop after half the bytes
    cut_any: int = 0  # this many next responses of any kind stop after half their bytes
    honour_range: bool = True
    not_found: bool = False
    stall: float = 0.0  # seconds to wait after the headers
    chunked_cut: bool = False  # chunked encoding, connection closed in the middle of a chunk
    wrong_range: bool = False  # answer a Range request with a 206 that starts elsewhere
    payload: bytes = PAYLOAD
    requests: list[dict[str, str]] = field(default_factory=list)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        b = self.server.behaviour
        b.requests.append({"path": self.path, "range": self.headers.get("Range", "")})
        if b.not_found or self.path != "/file.bin":
            self.send_error(404, "Not Found")
            return
        body, status, extra = b.payload, 200, {}
        if b.chunked_cut:
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n" % len(body) + body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        rng = self.headers.get("Range")
        if rng and b.honour_range:
            start = int(rng.removeprefix("bytes=").split("-")[0])
            if start >= len(b.payload):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(b.payload)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if b.wrong_range:
                start = 0
            body, status = b.payload[start:], 206
            extra["Content-Range"] = f"bytes {start}-{len(b.payload) - 1}/{len(b.payload)}"
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        if b.stall:
            time.sleep(b.stall)
        cut = False
        if b.cut_any:
            b.cut_any -= 1
            cut = True
        elif b.cut_first and status == 200:
            b.cut_first -= 1
            cut = True
        if cut:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            # Close the socket now: the client sees the connection end mid-body.
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    behaviour: Behaviour


@pytest.fixture
def server() -> Iterator[tuple[str, Behaviour]]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.behaviour = Behaviour()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", srv.behaviour
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        host = address[0]
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"a test tried to reach {address}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------------- the tests


def test_good_hash_places_the_file_atomically(server, tmp_path):
    """While bytes arrive they go to file.bin.part only; file.bin appears whole, once."""
    url, b = server
    dest = tmp_path / "sub" / "file.bin"
    part = dest.with_name("file.bin.part")
    seen: list[tuple[int, int | None, bool, int]] = []

    def watch(done: int, total: int | None) -> None:
        seen.append((done, total, dest.exists(), part.stat().st_size if part.exists() else -1))

    got = download(f"{url}/file.bin", dest, SHA, progress=watch)
    assert got == dest
    assert dest.read_bytes() == PAYLOAD
    assert _leftovers(dest.parent) == ["file.bin"]
    assert seen[-1][:2] == (len(PAYLOAD), len(PAYLOAD))
    assert [d for d, *_ in seen] == sorted(d for d, *_ in seen)
    assert not any(exists for _, _, exists, _ in seen)  # never half there under its name
    assert all(size >= 0 for *_, size in seen)  # the bytes were in the .part file
    assert b.requests == [{"path": "/file.bin", "range": ""}]


def test_verified_file_is_not_downloaded_again(server, tmp_path):
    url, b = server
    dest = tmp_path / "file.bin"
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert len(b.requests) == 1


def test_existing_wrong_file_is_replaced(server, tmp_path):
    url, _ = server
    dest = tmp_path / "file.bin"
    dest.write_bytes(b"stale")
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert dest.read_bytes() == PAYLOAD


def test_bad_hash_leaves_nothing(server, tmp_path):
    url, _ = server
    dest = tmp_path / "file.bin"
    wrong = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(DownloadError) as info:
        download(f"{url}/file.bin", dest, wrong, progress=lambda d, t: None)
    message = str(info.value)
    assert SHA in message and wrong in message
    assert "\n" not in message
    assert _leftovers(tmp_path) == []


def test_interrupted_transfer_then_resume(server, tmp_path):
    url, b = server
    b.cut_first = 1
    dest = tmp_path / "file.bin"
    with pytest.raises(DownloadError) as info:
        download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert "again" in str(info.value)  # says what to do
    assert not dest.exists()
    part = tmp_path / "file.bin.part"
    assert part.exists()
    assert 0 < part.stat().st_size < len(PAYLOAD)
    half = part.stat().st_size

    assert download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None) == dest
    assert dest.read_bytes() == PAYLOAD
    assert _leftovers(tmp_path) == ["file.bin"]
    assert b.requests[-1]["range"] == f"bytes={half}-"


def test_interrupted_resume_then_resume_again(server, tmp_path):
    url, b = server
    b.cut_any = 2  # the first download and the first resume both break
    dest = tmp_path / "file.bin"
    for _ in range(2):
        with pytest.raises(DownloadError):
            download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
        assert not dest.exists()
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert dest.read_bytes() == PAYLOAD
    assert [r["range"] != "" for r in b.requests] == [False, True, True]


def test_chunked_transfer_cut_short(server, tmp_path):
    """No Content-Length: http.client raises IncompleteRead, which is not an OSError."""
    url, b = server
    b.chunked_cut = True
    with pytest.raises(DownloadError) as info:
        download(f"{url}/file.bin", tmp_path / "file.bin", SHA, progress=lambda d, t: None)
    assert "again" in str(info.value)
    assert not (tmp_path / "file.bin").exists()
    b.chunked_cut = False
    download(f"{url}/file.bin", tmp_path / "file.bin", SHA, progress=lambda d, t: None)
    assert (tmp_path / "file.bin").read_bytes() == PAYLOAD


def test_206_for_another_range_is_not_appended(server, tmp_path):
    url, b = server
    b.wrong_range = True
    dest = tmp_path / "file.bin"
    (tmp_path / "file.bin.part").write_bytes(PAYLOAD[:1000])
    with pytest.raises(DownloadError):
        download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert _leftovers(tmp_path) == []
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)  # afresh, no Range
    assert dest.read_bytes() == PAYLOAD


def test_server_without_range_support_restarts(server, tmp_path):
    url, b = server
    b.honour_range = False
    dest = tmp_path / "file.bin"
    (tmp_path / "file.bin.part").write_bytes(PAYLOAD[:1000])
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert dest.read_bytes() == PAYLOAD
    assert b.requests[0]["range"] == "bytes=1000-"
    assert _leftovers(tmp_path) == ["file.bin"]


def test_complete_part_file_is_used(server, tmp_path):
    """A run that stopped between the last byte and the rename left a complete .part: the
    server answers 416 to a Range past the end, which must not make the download fail forever."""
    url, _ = server
    dest = tmp_path / "file.bin"
    (tmp_path / "file.bin.part").write_bytes(PAYLOAD)
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert dest.read_bytes() == PAYLOAD
    assert _leftovers(tmp_path) == ["file.bin"]


def test_part_file_longer_than_the_file(server, tmp_path):
    url, _ = server
    dest = tmp_path / "file.bin"
    (tmp_path / "file.bin.part").write_bytes(PAYLOAD + b"junk")
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert dest.read_bytes() == PAYLOAD
    assert _leftovers(tmp_path) == ["file.bin"]


def test_resumed_bytes_that_do_not_match_are_deleted(server, tmp_path):
    url, _ = server
    dest = tmp_path / "file.bin"
    (tmp_path / "file.bin.part").write_bytes(b"\0" * 1000)  # wrong first 1000 bytes
    with pytest.raises(DownloadError):
        download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)
    assert _leftovers(tmp_path) == []
    download(f"{url}/file.bin", dest, SHA, progress=lambda d, t: None)  # then a clean start works
    assert dest.read_bytes() == PAYLOAD


def test_404_is_a_clear_error(server, tmp_path):
    url, _ = server
    dest = tmp_path / "file.bin"
    with pytest.raises(DownloadError) as info:
        download(f"{url}/moved.bin", dest, SHA, progress=lambda d, t: None)
    message = str(info.value)
    assert "404" in message
    assert f"{url}/moved.bin" in message
    assert "\n" not in message
    assert _leftovers(tmp_path) == []
    del info
    gc.collect()  # an error response left unclosed shows up now, as a ResourceWarning


def test_connection_refused(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    with pytest.raises(DownloadError) as info:
        download(
            f"http://127.0.0.1:{port}/file.bin", tmp_path / "f", SHA, progress=lambda d, t: None
        )
    assert "again" in str(info.value)
    assert _leftovers(tmp_path) == []


def test_stalled_server_times_out(server, tmp_path):
    url, b = server
    b.stall = 3.0
    with pytest.raises(DownloadError):
        download(f"{url}/file.bin", tmp_path / "f", SHA, timeout=0.5, progress=lambda d, t: None)
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize("url", ["not a url", "ftp//missing-colon/file", "http://[::1"])
def test_malformed_url_is_a_download_error(tmp_path, url):
    with pytest.raises(DownloadError):
        download(url, tmp_path / "f", SHA, progress=lambda d, t: None)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("checksum", [None, "", "abc"])
def test_missing_checksum_is_refused_before_transfer(server, tmp_path, checksum):
    url, b = server
    with pytest.raises(DownloadError, match="no SHA-256"):
        download(f"{url}/file.bin", tmp_path / "f", checksum, progress=lambda d, t: None)
    assert b.requests == []
    assert _leftovers(tmp_path) == []


def test_upper_case_checksum(server, tmp_path):
    url, _ = server
    download(f"{url}/file.bin", tmp_path / "f", SHA.upper(), progress=lambda d, t: None)
    assert (tmp_path / "f").read_bytes() == PAYLOAD


def test_sha256_of(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(PAYLOAD)
    assert sha256_of(path) == SHA


def test_default_progress_is_silent_without_a_terminal(server, tmp_path, capsys):
    url, _ = server
    download(f"{url}/file.bin", tmp_path / "f", SHA)
    assert capsys.readouterr() == ("", "")


def test_check_instead_of_a_checksum(server, tmp_path):
    """Files whose copies differ in bytes are verified by content: `check` decides."""
    url, b = server
    seen: list[bytes] = []

    def refuse(path: Path) -> None:
        seen.append(path.read_bytes())
        raise DownloadError("not the expected content", "other content")

    with pytest.raises(DownloadError) as info:
        download(f"{url}/file.bin", tmp_path / "f", check=refuse, progress=lambda d, t: None)
    assert info.value.reason == "other content"
    assert seen == [PAYLOAD] and _leftovers(tmp_path) == []
    got = download(f"{url}/file.bin", tmp_path / "f", check=lambda p: None, progress=None)
    assert got.read_bytes() == PAYLOAD
    # A file already in place that passes the check is not downloaded again.
    download(f"{url}/file.bin", tmp_path / "f", check=lambda p: None, progress=None)
    assert len(b.requests) == 2


def test_errors_carry_a_short_reason(server, tmp_path):
    url, _ = server
    with pytest.raises(DownloadError) as info:
        download(f"{url}/moved.bin", tmp_path / "f", SHA, progress=lambda d, t: None)
    assert info.value.reason == "HTTP 404 (Not Found)"
    wrong = hashlib.sha256(b"x").hexdigest()
    with pytest.raises(DownloadError) as info:
        download(f"{url}/file.bin", tmp_path / "f", wrong, progress=lambda d, t: None)
    assert info.value.reason == f"sha256 {SHA}, expected {wrong}"
