"""Edit an HTML page where it stands: elements found by an HTML parser, only their text changed.

The site's hooks (tools/mkdocs_site_quality.py) change a few elements of each built page:
they move a notebook page's styles and scripts, add an attribute, read a paragraph's text.
`Document` parses the page with the standard library's HTML parser (the parser that
BeautifulSoup uses here, where lxml is not installed), which finds tags as a browser does:
attributes in any order and quoting, `>` inside quoted values, comments, the raw text of
<script> and <style>, character references. Each element keeps where it stands in the source
(its start tag and its end tag), and an edit replaces a span of the source, so the rest of
the page stays byte for byte as MkDocs wrote it (a parse and re-serialisation would rewrite
every page: quoting, entities, void tags, the case of SVG attributes).

The tree is the one the tags spell: an end tag closes the nearest open element of its name
(and any left open inside it); void elements (<br>, <link>, ...) and `<x/>` close at once; a
<p> closes where a block element starts, as HTML's parsing rules close it; what is open at
the end closes there. Enough for the pages MkDocs and its plugins write; not a full HTML5
tree builder (no foster parenting of tables, no <li> auto-closing).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

# fmt: off
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
# Start tags that close an open <p> (HTML's "close a p element" for these tags).
CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
})
# fmt: on
# Their text is not the page's text (a browser does not show it).
NOT_TEXT = frozenset({"script", "style", "template"})


@dataclass(eq=False)
class Element:
    """One element and where it stands in the source: source[start:end] is all of it,
    source[open_end:close_start] its content (empty for a void element)."""

    tag: str
    attrs: dict[str, str]
    start: int
    open_end: int
    close_start: int = -1
    end: int = -1

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def has_class(self, name: str) -> bool:
        return name in self.classes


class _Locator(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.elements: list[Element] = []  # in document order
        self._open: list[Element] = []
        self._closed: list[Element] = []  # closed since the last run() step

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _close(self, element: Element, close_start: int, end: int) -> None:
        element.close_start, element.end = close_start, end
        self._closed.append(element)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        start = self._offset()
        text = self.get_starttag_text() or ""
        if tag in CLOSES_P and self._open and self._open[-1].tag == "p":
            self._close(self._open.pop(), start, start)
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")  # the first of a repeated attribute counts
        element = Element(tag, values, start, start + len(text))
        self.elements.append(element)
        if self_closing or tag in VOID:
            self._close(element, element.open_end, element.open_end)
        else:
            self._open.append(element)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self.source.find(">", start) + 1 or len(self.source)  # as the parser reads it
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                for inner in reversed(self._open[depth + 1 :]):  # left open inside: end here
                    self._close(inner, start, start)
                self._close(self._open[depth], start, end)
                del self._open[depth:]
                return
        # An end tag with nothing open to close: the browser ignores it, and so does this.

    def run(self, chunk: int) -> Iterator[Element]:
        """Parse the source a chunk at a time (as from a network), yielding each element
        once it is closed: elements end in the order they are yielded. Each chunk is twice
        the one before: the parser holds back what it cannot finish yet (a long <style>)
        and searches it again with the next chunk."""
        at = 0
        while at < len(self.source):
            self.feed(self.source[at : at + chunk])
            at += chunk
            chunk *= 2
            yield from self._take_closed()
        self.close()
        for element in reversed(self._open):
            self._close(element, len(self.source), len(self.source))
        self._open.clear()
        yield from self._take_closed()

    def _take_closed(self) -> list[Element]:
        closed, self._closed = self._closed, []
        return closed


CHUNK = 1 << 12  # the first chunk


def iter_elements(source: str, chunk: int = CHUNK) -> Iterator[Element]:
    """The elements of an HTML text as the parser closes them, parsing only as far as the
    caller reads (the first paragraph of a long page needs only its beginning)."""
    return _Locator(source).run(chunk)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_TEXT:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_TEXT and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    """The text of a piece of HTML, entities decoded, without scripts and styles."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


class Document:
    """An HTML page, its elements located in the source, and the edits to make to it."""

    def __init__(self, source: str, chunk: int = CHUNK) -> None:
        self.source = source
        locator = _Locator(source)
        for _ in locator.run(chunk):
            pass
        self.elements = locator.elements  # in document order
        self._starts = [e.start for e in self.elements]
        self._edits: list[tuple[int, int, int, str]] = []  # (start, end, order, text)

    # ---------------------------------------------------------------------------- finding

    def find_all(
        self, tag: str | None = None, *, within: Element | None = None, cls: str | None = None
    ) -> Iterator[Element]:
        """Elements in document order: of this tag, inside `within`, with class `cls`."""
        lo, hi = 0, len(self.elements)
        if within is not None:
            lo = bisect.bisect_right(self._starts, within.start)
            hi = bisect.bisect_left(self._starts, within.end, lo)
        for element in self.elements[lo:hi]:
            if tag is not None and element.tag != tag:
                continue
            if cls is not None and not element.has_class(cls):
                continue
            yield element

    def find(
        self, tag: str | None = None, *, within: Element | None = None, cls: str | None = None
    ) -> Element | None:
        return next(self.find_all(tag, within=within, cls=cls), None)

    def outer(self, element: Element) -> str:
        return self.source[element.start : element.end]

    def inner(self, element: Element) -> str:
        return self.source[element.open_end : element.close_start]

    def text(self, element: Element) -> str:
        return text_of(self.inner(element))

    # ---------------------------------------------------------------------------- editing

    def replace(self, start: int, end: int, text: str) -> None:
        """Replace source[start:end] with text when the edits are applied (`result()`)."""
        if not 0 <= start <= end <= len(self.source):
            raise ValueError(f"span {start}:{end} outside the document")
        self._edits.append((start, end, len(self._edits), text))

    def insert(self, at: int, text: str) -> None:
        self.replace(at, at, text)

    def remove(self, element: Element, *, trailing_space: bool = True) -> None:
        """Take an element out (and the white space after it, not to leave blank lines)."""
        end = element.end
        if trailing_space:
            while end < len(self.source) and self.source[end].isspace():
                end += 1
        self.replace(element.start, end, "")

    def set_attribute(self, element: Element, name: str, value: str) -> None:
        """Add an attribute just after the tag name (an element that has it is left alone)."""
        if name in element.attrs:
            return
        shown = name if value == "" else f'{name}="{_escape_attribute(value)}"'
        self.insert(element.start + 1 + len(element.tag), " " + shown)

    def result(self) -> str:
        """The source with every edit made; edits may not overlap."""
        out: list[str] = []
        at = 0
        for start, end, _, text in sorted(self._edits):
            if start < at:
                raise ValueError(f"overlapping edits at {start}")
            out.append(self.source[at:start])
            out.append(text)
            at = end
        out.append(self.source[at:])
        return "".join(out)


def _escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")
