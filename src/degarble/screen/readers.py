"""Document readers: the text of a plain-text, Markdown, HTML, JATS/XML or PDF file.

Plain text and Markdown are screened as written, so a finding's line and column
are those of the file (in Markdown, emphasis and code marks ``*``, ``_`` and the
backtick count as spaces, which keeps every offset: ``**profound** learning`` is
one phrase).  HTML and XML are reduced to their text content (no scripts,
styles, formulas or markup, no JATS reference list; block elements become line
breaks so a phrase never runs from one paragraph into the next); every piece of
text remembers where it came from in the file, so findings still point at the
source line and column.
PDF text is extracted with `pypdf <https://pypi.org/project/pypdf/>`_ (pure
Python, no system libraries, maintained by the py-pdf project); pages are
separated by a form feed and findings carry their page number.
"""

from __future__ import annotations

import bisect
import html
import io
import os
import re
import sys
import xml.parsers.expat
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..files import InputError, decode

__all__ = ["KINDS", "ReadError", "SourceText", "extract_markup", "extract_pdf", "kind_of", "read_source"]

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "xml",
    ".nxml": "xml",
    ".jats": "xml",
    ".pdf": "pdf",
}
MAX_BYTES = 200 * 1024 * 1024

# Elements whose end or start breaks the text flow (HTML and JATS).
_BLOCKS = frozenset(
    "address article aside blockquote body br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead title tr ul "
    # JATS
    "abstract ack app caption def-item disp-formula disp-quote fig front back glossary kwd list-item "
    "label mixed-citation element-citation ref sec table-wrap term trans-abstract "
    "article-title subtitle alt-title contrib-group aff fn attrib".split()
)
# Not prose of the document: code, styles, formulas, and (JATS) the reference list, whose
# titles are other authors' words: a cited spun title is no sign of spinning here.
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "math", "mml:math", "tex-math", "ref-list"}
)


_MARKDOWN_MARKS = re.compile(r"[*_`]+")


class ReadError(Exception):
    """A document could not be read; the message is one line for the user."""


@dataclass
class SourceText:
    """The text screened for one document and the way back to the file it came from.

    ``anchors`` maps text offsets to ``(line, column)`` in the file: the anchor
    at or before an offset gives the position, plus the distance past it on the
    same line.  Plain files have no anchors (their text *is* the file).
    ``pages`` holds the text offset where each PDF page starts.
    """

    path: str
    kind: str
    text: str
    size: int = 0
    anchors: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, line, column)
    pages: list[int] = field(default_factory=list)
    original: str = ""  # the text as written, when ``text`` masks markup of the same length

    @property
    def shown(self) -> str:
        """The text to show a person (same offsets as ``text``)."""
        return self.original or self.text

    def positions(self, offsets: list[int]) -> list[tuple[int, int]]:
        """1-based ``(line, column)`` in the source file of each text offset (ascending)."""
        if not self.anchors:
            from ..changes import line_and_column

            return line_and_column(self.text, offsets)
        keys = [a[0] for a in self.anchors]
        out = []
        for offset in offsets:
            i = max(bisect.bisect_right(keys, offset) - 1, 0)
            start, line, column = self.anchors[i]
            before = self.text[start:offset] if offset > start else ""
            breaks = before.count("\n")
            if breaks:
                out.append((line + breaks, len(before) - before.rfind("\n")))
            else:
                out.append((line, column + len(before)))
        return out

    def page_of(self, offset: int) -> int | None:
        """1-based PDF page of a text offset (``None`` for other documents)."""
        if not self.pages:
            return None
        return bisect.bisect_right(self.pages, offset)


def kind_of(path: str, head: bytes = b"") -> str:
    """The document kind from its first bytes (PDF, XML) or else its extension."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    kind = KINDS.get(Path(path).suffix.lower())
    if kind:
        return kind
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<article"):
        return "xml"
    return "text"


class _MarkupText:
    """Collects text pieces with their source positions."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.anchors: list[tuple[int, int, int]] = []
        self.length = 0
        self.pending_break = False

    def add(self, text: str, line: int, column: int) -> None:
        if not text or (self.pending_break and not text.strip()):
            return  # layout whitespace between blocks
        if self.pending_break and self.length:
            self.parts.append("\n\n")
            self.length += 2
        self.pending_break = False
        self.anchors.append((self.length, line, column))
        self.parts.append(text)
        self.length += len(text)

    def block(self) -> None:
        self.pending_break = True

    def text(self) -> str:
        return "".join(self.parts)


class _HTMLText(HTMLParser):
    def __init__(self, out: _MarkupText) -> None:
        super().__init__(convert_charrefs=False)
        self.out = out
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif tag in _BLOCKS:
            self.out.block()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.out.block()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in _BLOCKS:
            self.out.block()

    def _text(self, data: str) -> None:
        if not self.skipping:
            line, column = self.getpos()
            self.out.add(data, line, column + 1)

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._text(html.unescape(f"&#{name};"))


def extract_markup(data: bytes, kind: str, name: str, encoding: str = "utf-8") -> SourceText:
    """The text content of an HTML or XML document, with source positions."""
    out = _MarkupText()
    if kind == "xml":
        parser = xml.parsers.expat.ParserCreate()
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.UseForeignDTD(True)  # undeclared entities (&nbsp; from a JATS DTD) are skipped, not fatal
        skipping: list[int] = [0]

        def start(tag: str, attrs: object) -> None:
            local = tag.rsplit(":", 1)[-1]
            if tag in _SKIPPED or local in _SKIPPED or skipping[0]:
                skipping[0] += 1
            elif local in _BLOCKS:
                out.block()

        def end(tag: str) -> None:
            local = tag.rsplit(":", 1)[-1]
            if skipping[0]:
                skipping[0] -= 1
            elif local in _BLOCKS:
                out.block()

        def chars(data: str) -> None:
            if not skipping[0]:
                out.add(data, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

        def skipped(name: str, is_parameter: int) -> None:
            if not skipping[0] and not is_parameter:
                value = html.unescape(f"&{name};")
                text = value if value != f"&{name};" else " "
                out.add(text, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        parser.SkippedEntityHandler = skipped
        parser.buffer_text = False
        try:
            parser.Parse(data, True)
        except xml.parsers.expat.ExpatError as exc:
            raise ReadError(f"{name}: not well-formed XML: {exc}") from None
    else:
        try:
            text = decode(data, name, encoding).text
        except InputError as exc:
            raise ReadError(str(exc)) from None
        parser_html = _HTMLText(out)
        parser_html.feed(text)
        parser_html.close()
    return SourceText(name, kind, out.text(), len(data), out.anchors)


_LINE_END_HYPHEN = re.compile(r"(\w+)-[ \t]*\n[ \t]*(\w+)")


def dehyphenate(text: str) -> str:
    """Join words a PDF's layout broke at a line end (``pro-\\nfound`` -> ``profound``).

    Only when the joined word is a common English word (wordfreq), so that real
    compounds (``state-of``, ``self-adaptive``) keep their hyphen.

    >>> dehyphenate("a pro-\\nfound state-\\nof the art")
    'a profound state-\\nof the art'
    """
    from wordfreq import zipf_frequency

    def join(match: re.Match[str]) -> str:
        word = match.group(1) + match.group(2)
        return word if zipf_frequency(word, "en") >= 3.0 else match.group()

    return _LINE_END_HYPHEN.sub(join, text)


def extract_pdf(data: bytes, name: str) -> SourceText:
    """The text of a PDF, page by page (pages separated by a form feed)."""
    try:
        import pypdf
    except ImportError:
        raise ReadError(f"{name}: reading PDF needs pypdf: pip install 'degarble[screen]'") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files warn a lot
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ReadError(f"{name}: encrypted PDF") from None
        pages: list[int] = []
        parts: list[str] = []
        length = 0
        for page in reader.pages:
            pages.append(length)
            text = dehyphenate(page.extract_text() or "")
            parts.append(text + "\n\f")
            length += len(text) + 2
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on broken files
        raise ReadError(f"{name}: cannot read PDF: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    return SourceText(name, "pdf", "".join(parts), len(data), pages=pages)


def read_source(path: str, encoding: str = "utf-8", *, data: bytes | None = None) -> SourceText:
    """Read one document; :class:`ReadError` (one line) when it cannot be read."""
    if data is None:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            try:
                if os.path.isdir(path):
                    raise ReadError(f"{path}: is a directory")
                size = os.path.getsize(path)
                if size > MAX_BYTES:
                    raise ReadError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; not screened")
                data = Path(path).read_bytes()
            except FileNotFoundError:
                raise ReadError(f"{path}: no such file") from None
            except PermissionError:
                raise ReadError(f"{path}: permission denied") from None
            except OSError as exc:
                raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    kind = kind_of(path, data[:512])
    if kind == "pdf":
        return extract_pdf(data, path)
    if kind in ("html", "xml"):
        return extract_markup(data, kind, path, encoding)
    try:
        doc = decode(data, path, encoding)
    except InputError as exc:
        raise ReadError(str(exc)) from None
    if kind == "markdown":
        masked = _MARKDOWN_MARKS.sub(lambda m: " " * len(m.group()), doc.text)
        return SourceText(path, kind, masked, len(data), original=doc.text if masked != doc.text else "")
    return SourceText(path, kind, doc.text, len(data))
