"""Serve the built site on 127.0.0.1 as GitHub Pages serves it, under the path of its site_url.

    .venv/bin/python tools/serve_site.py            # build the site now, then serve it
    .venv/bin/python tools/serve_site.py site/      # serve a site built with `mkdocs build`
    .venv/bin/python tools/serve_site.py --port 8001

The pages are at http://127.0.0.1:<port>/tfcert/ (the path of mkdocs.yml's site_url), text
compressed with gzip, connections kept open between requests (HTTP/1.1). Built here, the
site is built for the local address (tools/site_address.py: SITE_URL_ENV), so that its
language links and sitemaps stay on this server; a folder built by `mkdocs build` names the
published address in them. `mkdocs serve` (make serve) is the server for writing pages: it
rebuilds on every change, but serves at / and neither compresses nor keeps connections.

Lighthouse (tools/lighthouse.py) and the tests of the built site (tests/browser_support.py)
use `served_site()`: a build into a folder, served from a thread while in use.
"""

from __future__ import annotations

import argparse
import gzip
import mimetypes
import os
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar
from urllib.parse import urlsplit

from build_site import NODE_MODULES, build_site
from site_address import site_path

if TYPE_CHECKING:
    from socket import socket

HOST = "127.0.0.1"
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml")


class _Handler(SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: under the site's path, gzip for text, a
    short cache lifetime, and connections kept open between requests (HTTP/1.1; GitHub
    Pages speaks HTTP/2), where the standard library's default, HTTP/1.0, opens a new
    connection for every file."""

    protocol_version = "HTTP/1.1"

    # The base class's annotation makes it an instance attribute: it cannot be a ClassVar.
    extensions_map: dict[str, str] = {  # noqa: RUF012
        **SimpleHTTPRequestHandler.extensions_map,
        ".ipynb": "application/json",
    }
    _gzipped: ClassVar[dict[tuple[str, float], bytes]] = {}
    _lock = threading.Lock()

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix  # set first: the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def _in_site(self) -> bool:
        path = urlsplit(self.path).path
        return path.startswith(self.prefix) or path + "/" == self.prefix

    def translate_path(self, path: str) -> str:
        """The file for a URL path under the prefix ('/tfcert/exam/' -> <site>/exam/)."""
        return super().translate_path("/" + path[len(self.prefix) :])

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self) -> BytesIO | BinaryIO | None:
        if not self._in_site():
            self.send_error(404, "Not under the site's path " + self.prefix)
            return None
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if (
            not wants_gzip
            or not os.path.isfile(path)
            or not (ctype.startswith(_COMPRESSIBLE) or ctype == "image/svg+xml")
        ):
            return super().send_head()
        key = (path, os.path.getmtime(path))
        with self._lock:
            data = self._gzipped.get(key)
            if data is None:
                data = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
                self._gzipped[key] = data
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return BytesIO(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(
        self, request: socket | tuple[bytes, socket], client_address: tuple[str, int]
    ) -> None:
        # A browser that navigates away mid-download closes the connection: not an error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SiteServer:
    """An HTTP server on 127.0.0.1 for a built site, at `prefix` (site_url's path), in a thread.

    The port (a free one unless given) is bound when the object is made, so the site can be
    built for its address before serving starts (`start()`); `stop()` shuts it down.
    """

    def __init__(self, site_dir: Path, prefix: str | None = None, port: int = 0) -> None:
        mimetypes.add_type("application/json", ".ipynb")
        self.site_dir = Path(site_dir)
        self.prefix = prefix if prefix is not None else site_path()
        handler = partial(_Handler, directory=str(self.site_dir), prefix=self.prefix)
        self.httpd = _Server((HOST, port), handler)
        self.port = self.httpd.server_address[1]
        self.thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        """The site's address on this server, ending in '/'."""
        return self.origin + self.prefix

    def start(self) -> SiteServer:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread.join(timeout=10)
        self.httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Site:
    """A built site served locally: `url('exam/')` is that page's address."""

    site_dir: Path  # the built site
    base_url: str  # the site's address, ending in /
    build_seconds: float = 0.0

    def url(self, page: str = "") -> str:
        return self.base_url + page.lstrip("/")


class served_site:  # used as a context manager, like open()
    """Build the site into folder (a temporary one when None) for the local server's
    address, and serve it while in use. `complete` (tools/build_site.py): fail where a page
    would be degraded; by default wherever the browser grader's libraries are installed."""

    def __init__(
        self, folder: Path | None = None, port: int = 0, complete: bool | None = None
    ) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory()
            folder = Path(self._tmp.name)
        self.folder = Path(folder)
        self.server = SiteServer(self.folder, port=port)
        self.complete = NODE_MODULES.is_dir() if complete is None else complete

    def __enter__(self) -> Site:
        try:
            seconds = build_site(self.folder, self.server.base_url, complete=self.complete)
        except BaseException:
            self.__exit__()
            raise
        self.server.start()
        return Site(self.folder, self.server.base_url, seconds)

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
        if self._tmp is not None:
            self._tmp.cleanup()


def _wait(message: str) -> int:
    """Serve until Ctrl-C or SIGTERM (the temporary build folder is removed after either)."""
    print(message + " (Ctrl-C stops)", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build it)")
    parser.add_argument("--port", type=int, default=0, help="the port (default: a free one)")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port}: not a port number")
    try:
        if args.site is None:
            print("building the site (mkdocs build --strict) ...", flush=True)
            with served_site(port=args.port) as site:
                return _wait(f"built in {site.build_seconds:.1f} s; serving {site.base_url}")
        if not (args.site / "index.html").is_file():
            print(f"serve_site: {args.site}: no index.html (not a built site)", file=sys.stderr)
            return 2
        with SiteServer(args.site, port=args.port) as server:
            return _wait(f"serving {args.site} at {server.base_url}")
    except OSError as e:  # the port is taken, say
        print(f"serve_site: {e}", file=sys.stderr)
        return 2
    except RuntimeError as e:  # the build failed: MkDocs' own output says why
        print(f"serve_site: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
