"""The local server of the built site (tools/serve_site.py) and the site's address
(tools/site_address.py).

The server is checked on a made-up site in a temporary folder: pages only under the path of
site_url, a folder redirected to its slash, gzip for text, several requests on one
connection (HTTP/1.1), nothing outside the site's folder. Its command line is run as a
process. The site's address is read from made-up mkdocs.yml files.
"""

from __future__ import annotations

import gzip
import http.client
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ROOT, load_tool

pytest_plugins = ["browser_support"]

serve_site = load_tool("serve_site")
site_address = load_tool("site_address")

CSS = "body { color: black; }\n" * 200


@pytest.fixture
def made_up_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>home</title>home\n")
    (site / "guide" / "index.html").write_text("<!doctype html><title>guide</title>guide\n")
    (site / "style.css").write_text(CSS)
    (site / "lesson.ipynb").write_text('{"cells": []}\n')
    (tmp_path / "secret.txt").write_text("outside the site\n")
    return site


@pytest.fixture
def server(made_up_site: Path) -> Iterator[Any]:
    with serve_site.SiteServer(made_up_site, prefix="/docs/") as server:
        yield server


def get(
    conn: http.client.HTTPConnection, path: str, gzip_ok: bool = False
) -> tuple[http.client.HTTPResponse, bytes]:
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    response = conn.getresponse()
    return response, response.read()


def test_pages_are_served_under_the_sites_path(server: Any) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/docs/"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        home, body = get(conn, "/docs/")
        assert home.status == 200 and b"home" in body
        # One connection for all of these: HTTP/1.1 keeps it open between requests.
        assert home.version == 11 and not home.will_close
        guide, body = get(conn, "/docs/guide/?q=1")
        assert guide.status == 200 and b"guide" in body
        moved, _ = get(conn, "/docs/guide")
        assert moved.status == 301 and moved.getheader("Location") == "/docs/guide/"
        for outside in ("/", "/guide/", "/docsx/", "/docs/../secret.txt", "/secret.txt"):
            assert get(conn, outside)[0].status == 404, outside
    finally:
        conn.close()


def test_text_is_compressed_as_github_pages_does(server: Any) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        packed, body = get(conn, "/docs/style.css", gzip_ok=True)
        assert packed.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body).decode() == CSS
        assert packed.getheader("Cache-Control") == "max-age=600"
        plain, body = get(conn, "/docs/style.css")
        assert plain.getheader("Content-Encoding") is None and body.decode() == CSS
        notebook, _ = get(conn, "/docs/lesson.ipynb")
        assert notebook.getheader("Content-Type") == "application/json"
    finally:
        conn.close()


def test_the_command_serves_a_built_folder(made_up_site: Path) -> None:
    cmd = [sys.executable, str(ROOT / "tools" / "serve_site.py"), str(made_up_site)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"serving {made_up_site} at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split()[0]
        assert url.endswith(site_address.site_path())
        host_port = url.split("/")[2]
        conn = http.client.HTTPConnection(host_port, timeout=10)
        assert get(conn, site_address.site_path() + "guide/")[0].status == 200
        conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)  # stops it cleanly, as Ctrl-C does
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [(["{missing}"], "no index.html"), (["--port", "70000"], "not a port number")],
)
def test_the_command_refuses_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    args = [a.format(missing=tmp_path / "nothing") for a in args]
    cmd = [sys.executable, str(ROOT / "tools" / "serve_site.py"), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------ the site's address


def test_site_url_is_read_from_mkdocs_yml(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\n"
        "site_url: 'https://example.org/guide'  # published here\n"
        "markdown_extensions:\n"
        "  - toc:\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify\n"
        "        kwds: {case: lower}\n"
        "extra:\n  key: !ENV [SOME_KEY, '']\n"
    )
    assert site_address.published_url(config) == "https://example.org/guide/"
    config.write_text("site_name: x\n")
    assert site_address.published_url(config) == ""
    assert site_address.site_path("https://example.org/guide/") == "/guide/"
    assert site_address.site_path("https://example.org") == "/"
    assert site_address.with_slash("") == ""


def test_the_projects_site_url() -> None:
    url = site_address.published_url()
    assert url.startswith("https://") and url.endswith("/")
    assert site_address.site_path() == "/" + url.split("/", 3)[3]
