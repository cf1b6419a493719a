"""Every internal link of the built site resolves, anchors included, in both languages.

The site is built once (tests/browser_support.py: `mkdocs build --strict`, served locally).
Every HTML file is parsed with the standard library; every href/src/srcset that points into
the site is resolved against the page's own address, the target file must exist, and a
`#fragment` must be an id (or an <a name>) of the target page. Links to other hosts are
counted, never fetched. MkDocs' own `validation` settings check the Markdown sources; this
checks what the readers get, after the theme, the i18n plugin and the hooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from browser_support import load_tool

pytest_plugins = ["browser_support"]
site_address = load_tool("site_address")

LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
}
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:")


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (line, attribute, url)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        line = self.getpos()[0]
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            value = values.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.page.links.append((line, attribute, candidate.split()[0]))
            else:
                self.page.links.append((line, attribute, value.strip()))


def parse(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


@dataclass
class Report:
    pages: int = 0
    internal: int = 0
    anchors: int = 0
    external: int = 0
    problems: list[str] = field(default_factory=list)


def _target(site_dir: Path, rel: str) -> Path | None:
    """The file a site-relative path serves ('exam/' -> exam/index.html), or None."""
    rel = unquote(rel)
    candidate = site_dir / rel
    # A folder serves its index.html ('exam' is redirected to 'exam/' first).
    if rel == "" or rel.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    try:
        candidate.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return None  # above the site: not part of it
    return candidate if candidate.is_file() else None


def check_site(site_dir: Path, base_url: str, aliases: tuple[str, ...] = ()) -> Report:
    """Check every HTML file under site_dir, served at base_url (ending in '/').

    Links to an alias of base_url (the published address, say) are checked as internal.
    """
    site_dir = Path(site_dir)
    base = urlsplit(base_url)
    pages = {p: parse(p) for p in sorted(site_dir.rglob("*.html"))}
    report = Report(pages=len(pages))
    for path, page in pages.items():
        rel_page = path.relative_to(site_dir).as_posix()
        page_url = base_url + rel_page
        for line, attribute, value in page.links:
            if value.lower().startswith(NOT_FETCHED):
                continue
            url = urljoin(page_url, value)
            for alias in aliases:
                if url.startswith(alias):
                    url = base_url + url[len(alias) :]
            parts = urlsplit(url)
            where = f"{rel_page}:{line}: {attribute}={value!r}"
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                report.external += 1
                continue
            if not url.startswith(base_url):
                report.problems.append(f"{where} leaves the site")
                continue
            report.internal += 1
            rel = unquote(parts.path)[len(unquote(base.path)) :]
            target = _target(site_dir, rel)
            if target is None:
                report.problems.append(f"{where}: no such file")
                continue
            fragment = unquote(parts.fragment)
            if not fragment or target.suffix != ".html":
                continue
            report.anchors += 1
            ids = pages[target].ids if target in pages else parse(target).ids
            if fragment not in ids:
                target_name = target.relative_to(site_dir).as_posix()
                report.problems.append(f"{where}: no id {fragment!r} in {target_name}")
    return report


# ------------------------------------------------------------------------ the real site


def test_internal_links_and_anchors_resolve(site: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # Links to the published site (mkdocs.yml's site_url) are links into the site too.
    published = site_address.published_url()
    aliases = (published,) if published else ()
    report = check_site(site.site_dir, site.base_url, aliases)
    korean = sum(1 for p in site.site_dir.glob("ko/**/*.html"))
    with capsys.disabled():
        print(
            f"\nlinks: {report.pages} pages ({korean} Korean), {report.internal} internal links, "
            f"{report.anchors} with anchors, {report.external} external (not fetched)"
        )
    assert report.pages >= 40 and korean >= 20, (report.pages, korean)
    assert report.internal > 1000 and report.anchors > 100, report
    assert not report.problems, f"{len(report.problems)} broken links:\n" + "\n".join(
        report.problems[:200]
    )


def test_sitemaps_list_existing_pages(site: Any) -> None:
    sitemaps = [(site.site_dir / "sitemap.xml", ""), (site.site_dir / "ko" / "sitemap.xml", "ko/")]
    for sitemap, prefix in sitemaps:
        text = sitemap.read_text(encoding="utf-8")
        locs = re.findall(r"<loc>([^<]+)</loc>", text)
        alternates = re.findall(r'hreflang="[^"]+" href="([^"]+)"', text)
        assert locs, sitemap
        for url in locs + alternates:
            assert url.startswith(site.base_url), url
            rel = url[len(site.base_url) :]
            assert _target(site.site_dir, rel) is not None, f"{sitemap.name}: {url}"
        # A sitemap may only list pages under its own folder.
        assert all(u.startswith(site.base_url + prefix) for u in locs), sitemap
    notebook = site.base_url + "ko/examples/c2-fashion-mnist/solution/"
    assert notebook in (site.site_dir / "ko" / "sitemap.xml").read_text(encoding="utf-8")


# --------------------------------------------------------------------- the checker fails


def _write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>\n", encoding="utf-8")


def test_checker_reports_broken_links(tmp_path: Path) -> None:
    base = "http://127.0.0.1:8000/docs/"
    _write(
        tmp_path,
        "index.html",
        '<h1 id="top">Home</h1>'
        '<a href="guide/">fine</a>'
        '<a href="guide/#install">fine anchor</a>'
        '<a href="guide/#missing">broken anchor</a>'
        '<a href="nowhere/">broken page</a>'
        '<a href="#top">fine local anchor</a>'
        '<a href="#nope">broken local anchor</a>'
        '<img src="img/missing.png" alt="">'
        '<img src="img/ok.png" srcset="img/ok.png 1x, img/gone.png 2x" alt="">'
        '<a href="https://example.org/">external, not fetched</a>'
        '<a href="mailto:someone@example.org">mail</a>'
        '<a href="/docs/guide/">fine absolute path</a>'
        '<a href="/elsewhere/">absolute path outside the site</a>',
    )
    _write(tmp_path, "guide/index.html", '<h2 id="install">Install</h2><a name="old">x</a>')
    _write(tmp_path, "ko/index.html", '<a href="../guide/#old">fine name anchor</a>')
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    report = check_site(tmp_path, base)
    found = sorted(p.split(": ", 1)[1] for p in report.problems)
    assert found == sorted(
        [
            "href='guide/#missing': no id 'missing' in guide/index.html",
            "href='nowhere/': no such file",
            "href='#nope': no id 'nope' in index.html",
            "src='img/missing.png': no such file",
            "srcset='img/gone.png': no such file",
            "href='/elsewhere/' leaves the site",
        ]
    ), report.problems
    assert report.external == 1
    assert report.pages == 3


def test_checker_passes_a_sound_tree(tmp_path: Path) -> None:
    _write(tmp_path, "index.html", '<a href="a/#x">a</a><a href="a">a</a><a href="#">top</a>')
    _write(tmp_path, "a/index.html", '<p id="x">x</p><a href="../">home</a>')
    report = check_site(tmp_path, "http://127.0.0.1:8000/")
    assert report.problems == []
    assert report.internal == 4 and report.anchors == 1
