"""Problematic Paper Screener exports as dictionaries, with their query language.

An export is a CSV file with a fingerprint column (``tortured_phrase`` or
``Fingerprint - Tortured Phrase``), an expected-text column (``expected_phrase``
or ``Expected Text``) and optionally a paper count.  A fingerprint is a search
query over the whole document:

* ``"profound learning"``: the phrase (case, punctuation and hyphens ignored, as a
  search engine does);
* ``"a" AND "b"``: the document must also contain ``b``;
* ``"a" NOT "b"`` or ``"a" AND NOT "b"``: documents containing ``b`` are not flagged;
* ``"a b"~N``: the words of ``a b`` within N positions of each other, in any order;
* ``"a" OR "b"``, parentheses, and a trailing ``*`` wildcard (``optimiz*``);
* bare words are terms too, and two terms side by side mean ``AND``.

``NOT`` binds tightest, then ``AND``, then ``OR`` (``"a" OR "b" AND "c"`` is
``"a" OR ("b" AND "c")``).

The phrases highlighted in a document (the *fingerprints*) are the quoted terms
a query leads with: every term of a leading ``OR``, the first operand of an
``AND``.  The other terms are conditions.  A fingerprint that is a plain phrase
becomes a :class:`PPSEntry` for the core matcher (so inflected, British/American
and slightly misspelled forms are found too) whose condition is the rest of the
query; a fingerprint with a wildcard, a proximity or punctuation inside
becomes a :class:`PatternRule` that only ``degarble screen`` looks for, since it
names no single span to restore.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..dictionary import DictionaryError, Entry
from ..tokens import Token, tokenize

__all__ = [
    "And",
    "DocIndex",
    "Export",
    "Node",
    "Not",
    "Or",
    "PPSEntry",
    "PPSError",
    "PatternRule",
    "Term",
    "TrueNode",
    "fingerprints",
    "load_export",
    "parse_query",
    "restore_entries",
]

FINGERPRINT_COLUMNS = ("tortured_phrase", "fingerprint - tortured phrase", "fingerprint", "tortured phrase")
EXPECTED_COLUMNS = ("expected_phrase", "expected text", "expected", "expected phrase")
PAPERS_COLUMNS = ("num_papers", "papers", "number of papers", "paper count", "hits")


class PPSError(DictionaryError):
    """An export could not be read; the message names ``file:line``."""


# -- the query language ---------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A phrase: folded ``words``, which of them end in ``*`` and the allowed ``slop``."""

    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    slop: int = 0
    raw: str = ""
    joinable: bool = True  # written with only spaces/hyphens between its words

    @property
    def plain(self) -> bool:
        """A contiguous phrase the core matcher can look for."""
        return self.slop == 0 and not any(self.prefix) and self.joinable


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class TrueNode:
    """Stands for a fingerprint already found in the document."""


Node = Term | And | Or | Not | TrueNode

_QUERY_TOKEN = re.compile(
    r'\s*(?:(?P<quoted>"(?P<phrase>[^"]*)"(?P<star>\*)?(?:~(?P<slop>\d+))?)'
    r"|(?P<paren>[()])|(?P<op>(?:AND|OR|NOT)(?=[\s(\"]|$))|(?P<bare>[^\s()\"]+))"
)


def _term(text: str, slop: int, where: str) -> Term:
    words: list[str] = []
    prefix: list[bool] = []
    for chunk in text.split():
        star = chunk.endswith("*")
        if "*" in chunk.rstrip("*"):
            raise PPSError(f"{where}: '*' only at the end of a word ({text!r})")
        tokens = tokenize(chunk)
        if not tokens:
            if chunk.strip("*"):
                continue  # punctuation only, e.g. "acid / base"
            raise PPSError(f"{where}: '*' without a word ({text!r})")
        words.extend(t.fold for t in tokens)
        prefix.extend([False] * (len(tokens) - 1) + [star])
    if not words:
        raise PPSError(f"{where}: empty phrase in query")
    pieces = tokenize(text)
    gaps = [text[a.end : b.start] for a, b in itertools.pairwise(pieces)]
    joinable = all(g in (" ", "-") for g in gaps) and text.strip() == text[pieces[0].start : pieces[-1].end]
    return Term(tuple(words), tuple(prefix), slop, text, joinable)


def parse_query(query: str, where: str = "<query>") -> Node:
    """Parse one fingerprint query; :class:`PPSError` names ``where`` and the problem.

    >>> parse_query('"surface region" AND "surface area"')  # doctest: +NORMALIZE_WHITESPACE
    And(items=(Term(words=('surface', 'region'), prefix=(False, False), slop=0, raw='surface region',
    joinable=True), Term(words=('surface', 'area'), prefix=(False, False), slop=0, raw='surface area',
    joinable=True)))
    """
    tokens: list[tuple[str, object]] = []
    position = 0
    text = query.strip()
    while position < len(text):
        match = _QUERY_TOKEN.match(text, position)
        if match is None or match.end() == position:
            rest = text[position:].strip()
            if rest.startswith('"'):
                raise PPSError(f"{where}: unbalanced quote in {query!r}")
            raise PPSError(f"{where}: cannot read {rest[:20]!r} in {query!r}")
        position = match.end()
        if match.group("quoted") is not None:
            phrase = match.group("phrase") + ("*" if match.group("star") else "")
            slop = int(match.group("slop")) if match.group("slop") else 0
            tokens.append(("term", _term(phrase, slop, where)))
        elif match.group("paren"):
            tokens.append((match.group("paren"), None))
        elif match.group("op"):
            tokens.append((match.group("op"), None))
        elif match.group("bare"):
            bare = match.group("bare")
            slop_match = re.fullmatch(r"(.*?)~(\d+)", bare)
            if slop_match:
                raise PPSError(f"{where}: proximity '~N' needs a quoted phrase ({bare!r})")
            tokens.append(("term", _term(bare, 0, where)))
    if not tokens:
        raise PPSError(f"{where}: empty query")
    parser = _Parser(tokens, query, where)
    node = parser.parse_or()
    if parser.index != len(tokens):
        raise PPSError(f"{where}: unexpected {tokens[parser.index][0]!r} in {query!r}")
    return node


class _Parser:
    """Recursive descent over query tokens: or := and (OR and)*; and := unary (AND? unary)*."""

    def __init__(self, tokens: list[tuple[str, object]], query: str, where: str) -> None:
        self.tokens, self.query, self.where, self.index = tokens, query, where, 0

    def _peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def _fail(self, what: str) -> PPSError:
        return PPSError(f"{self.where}: {what} in {self.query!r}")

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self._peek() == "OR":
            self.index += 1
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while self._peek() in ("AND", "NOT", "term", "("):
            if self._peek() == "AND":
                self.index += 1
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> Node:
        kind = self._peek()
        if kind is None:
            raise self._fail("query ends after an operator")
        if kind == "NOT":
            self.index += 1
            return Not(self.parse_unary())
        if kind == "(":
            self.index += 1
            node = self.parse_or()
            if self._peek() != ")":
                raise self._fail("unbalanced parenthesis")
            self.index += 1
            return node
        if kind == "term":
            value = self.tokens[self.index][1]
            self.index += 1
            assert isinstance(value, Term)
            return value
        raise self._fail(f"unexpected {kind!r}")


def fingerprints(node: Node) -> list[Term]:
    """The terms a query leads with: what a match highlights."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Or):
        return [t for item in node.items for t in fingerprints(item)]
    if isinstance(node, And):
        for item in node.items:
            found = fingerprints(item)
            if found:
                return found
    return []


def _assume(node: Node, term: Term) -> Node:
    """``node`` with ``term`` taken as found (the matcher found it, maybe inflected)."""
    if node == term:
        return TrueNode()
    if isinstance(node, And):
        return And(tuple(_assume(n, term) for n in node.items))
    if isinstance(node, Or):
        return Or(tuple(_assume(n, term) for n in node.items))
    return node  # a term under NOT stays a condition


def _trivial(node: Node) -> bool:
    if isinstance(node, TrueNode):
        return True
    if isinstance(node, And):
        return all(_trivial(n) for n in node.items)
    if isinstance(node, Or):
        return any(_trivial(n) for n in node.items)
    return False


# -- evaluating queries on a document ---------------------------------------------------


class DocIndex:
    """Where each folded word occurs in a document, for phrase and proximity search."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.folds = [t.fold for t in tokens]
        self.positions: dict[str, list[int]] = {}
        for i, word in enumerate(self.folds):
            self.positions.setdefault(word, []).append(i)
        self._prefixes: dict[str, list[int]] = {}

    def _where(self, word: str, prefix: bool) -> list[int]:
        if not prefix:
            return self.positions.get(word, [])
        found = self._prefixes.get(word)
        if found is None:
            found = sorted(p for w, ps in self.positions.items() if w.startswith(word) for p in ps)
            self._prefixes[word] = found
        return found

    def _is(self, i: int, word: str, prefix: bool) -> bool:
        fold = self.folds[i]
        return fold.startswith(word) if prefix else fold == word

    def occurrences(self, term: Term) -> list[tuple[int, int]]:
        """Token spans ``[first, last]`` where ``term`` occurs."""
        words, prefix, count = term.words, term.prefix, len(self.folds)
        size = len(words)
        spans: list[tuple[int, int]] = []
        if term.slop == 0:
            for p in self._where(words[0], prefix[0]):
                if p + size <= count and all(self._is(p + k, words[k], prefix[k]) for k in range(1, size)):
                    spans.append((p, p + size - 1))
            return spans
        lists = [self._where(w, f) for w, f in zip(words, prefix, strict=True)]
        if not all(lists):
            return []
        reach = size - 1 + term.slop
        last_end = -1
        for p in lists[0]:
            used = {p}
            for k in range(1, size):
                near = [q for q in lists[k] if abs(q - p) <= reach and q not in used]
                if not near:
                    break
                used.add(min(near, key=lambda q: abs(q - p)))
            else:
                first, last = min(used), max(used)
                if last - first + 1 - size <= term.slop and first > last_end:
                    spans.append((first, last))
                    last_end = last
        return spans

    def contains(self, term: Term) -> bool:
        return bool(self.occurrences(term))

    def holds(self, node: Node) -> bool:
        """Whether the document satisfies the query ``node``."""
        if isinstance(node, TrueNode):
            return True
        if isinstance(node, Term):
            return self.contains(node)
        if isinstance(node, And):
            return all(self.holds(n) for n in node.items)
        if isinstance(node, Or):
            return any(self.holds(n) for n in node.items)
        return not self.holds(node.item)


_last_index: list[object] = [None, None]  # (tokens, DocIndex): one document at a time


def doc_index(tokens: Sequence[Token]) -> DocIndex:
    """The index of ``tokens``, built once per document even when many rules ask."""
    if _last_index[0] is not tokens:
        _last_index[1] = DocIndex(tokens)
        _last_index[0] = tokens
    index = _last_index[1]
    assert isinstance(index, DocIndex)
    return index


# -- rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PPSEntry(Entry):
    """A fingerprint phrase for the core matcher, counted only where its query holds.

    ``conditions`` are alternatives (rows of the export with the same phrase);
    an empty tuple means the phrase counts everywhere.
    """

    conditions: tuple[Node, ...] = ()
    papers: int = 0
    proximity: bool = False  # from a "..."~N query: its expected text may not fit the bare phrase

    def applies_to(self, text: str, tokens: Sequence[Token]) -> bool:
        if not self.conditions:
            return True
        index = doc_index(tokens)
        return any(index.holds(c) for c in self.conditions)


@dataclass(frozen=True)
class PatternRule:
    """A fingerprint only a document-level search finds (wildcard, proximity, punctuation)."""

    term: Term
    condition: Node
    standard: str
    source: str
    line: int
    papers: int = 0

    @property
    def rule(self) -> str:
        return f"{self.source}:{self.line}"

    def spans(self, tokens: Sequence[Token]) -> list[tuple[int, int]]:
        """Character spans of the matches in the document these tokens come from."""
        index = doc_index(tokens)
        found = index.occurrences(self.term)
        if not found or not index.holds(self.condition):
            return []
        return [(tokens[a].start, tokens[b].end) for a, b in found]


@dataclass
class Export:
    """What an export holds: matcher entries and document-level pattern rules."""

    entries: list[PPSEntry] = field(default_factory=list)
    patterns: list[PatternRule] = field(default_factory=list)
    rows: int = 0
    source: str = ""

    def restorable(self) -> list[PPSEntry]:
        """Entries whose expected text is a plain phrase that can replace the fingerprint."""
        return [
            e
            for e in self.entries
            if not e.proximity and _plain_phrase(e.standard) and _norm(e.standard) != e.words
        ]


_NOTE = re.compile(r",?\s*see\s+https?://\S+.*$", re.IGNORECASE | re.DOTALL)
_PLAIN = re.compile(r"[\w][\w '’-]*", re.UNICODE)


def clean_expected(expected: str) -> str:
    """The expected text without a trailing ``see https://...`` note."""
    return _NOTE.sub("", expected).strip()


def _norm(text: str) -> tuple[str, ...]:
    return tuple(t.fold for t in tokenize(text))


def _plain_phrase(text: str) -> bool:
    return bool(_PLAIN.fullmatch(text)) and "http" not in text


def _papers(value: str | None) -> int:
    digits = re.sub(r"[^\d]", "", value or "")
    return int(digits) if digits else 0


def _columns(header: Sequence[str], where: str) -> tuple[int, int, int | None]:
    names = [h.strip().lstrip("\ufeff").lower() for h in header]

    def find(options: Iterable[str]) -> int | None:
        for option in options:
            if option in names:
                return names.index(option)
        return None

    fingerprint, expected, papers = find(FINGERPRINT_COLUMNS), find(EXPECTED_COLUMNS), find(PAPERS_COLUMNS)
    if fingerprint is None or expected is None:
        raise PPSError(
            f"{where}: not a Problematic Paper Screener export: needs columns "
            f"'tortured_phrase' (or 'Fingerprint - Tortured Phrase') and 'expected_phrase' "
            f"(or 'Expected Text'), found {', '.join(repr(h) for h in header) or 'none'}"
        )
    return fingerprint, expected, papers


def parse_export(text: str, source: str) -> Export:
    """Parse the CSV text of an export; :class:`PPSError` names the row's line."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")  # spreadsheets save ';' or tabs too
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise PPSError(f"{source}:1: empty file") from None
    except csv.Error as exc:
        raise PPSError(f"{source}:1: {exc}") from None
    col_fp, col_exp, col_papers = _columns(header, f"{source}:1")
    grouped: dict[tuple[str, ...], list[tuple[Term, Node, str, int, int]]] = {}
    order: list[tuple[str, ...]] = []
    export = Export(source=source)
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise PPSError(f"{source}:{line}: {exc}") from None
        where = f"{source}:{line}"
        line = reader.line_num + 1
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(col_fp, col_exp):
            raise PPSError(f"{where}: expected {len(header)} columns, found {len(row)}")
        query, expected = row[col_fp].strip(), clean_expected(row[col_exp])
        papers = _papers(row[col_papers]) if col_papers is not None and col_papers < len(row) else 0
        if not expected:
            raise PPSError(f"{where}: empty expected text for {query!r}")
        number = int(where.rsplit(":", 1)[1])
        if '"' not in query and not re.search(r"\b(?:AND|OR|NOT)\b|[()~*]", query):
            query = f'"{query}"'  # a bare fingerprint is one phrase
        node = parse_query(query, where)
        terms = fingerprints(node)
        if not terms:
            raise PPSError(f"{where}: query {query!r} has no phrase to look for (only NOT terms)")
        export.rows += 1
        for term in terms:
            condition = _assume(node, term)
            if term.plain or (term.slop and not any(term.prefix) and term.joinable):
                key = term.words
                if key not in grouped:
                    grouped[key] = []
                    order.append(key)
                grouped[key].append((term, condition, expected, number, papers))
            if not term.plain:
                export.patterns.append(PatternRule(term, condition, expected, source, number, papers))
    for key in order:
        alternatives = grouped[key]
        unconditional = [a for a in alternatives if _trivial(a[1])]
        term, _, expected, number, papers = (unconditional or alternatives)[0]
        conditions = () if unconditional else tuple(a[1] for a in alternatives)
        spun = " ".join(key)
        export.entries.append(
            PPSEntry(
                spun,
                expected,
                frozenset(),
                source,
                number,
                conditions=conditions,
                papers=papers,
                proximity=all(a[0].slop > 0 for a in alternatives),
            )
        )
    return export


def load_export(path: str | os.PathLike[str], name: str | None = None) -> Export:
    """Read an export file (UTF-8, with or without a byte-order mark)."""
    path = Path(path)
    label = name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PPSError(f"{path}: cannot read export: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PPSError(f"{label}:{line}: not UTF-8 (byte offset {exc.start})") from None
    return parse_export(text, label)


def restore_entries(path: str | os.PathLike[str], name: str | None = None) -> list[Entry]:
    """The entries of an export that ``degarble restore`` can apply (``-d export.csv``)."""
    return list(load_export(path, name).restorable())
