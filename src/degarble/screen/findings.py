"""Per-document screening results: findings, counts, density and a level.

A *finding* is one tortured phrase in a document: a change the core matcher
would make (built-in dictionaries, ``-d`` TSV files, the plain fingerprints of a
Problematic Paper Screener export), a match of an export's wildcard or
proximity query, or a term that a thesaurus swap turned into a phrase no list
holds (:mod:`degarble.terms`: rule ``terms:<term>``, source ``terms``; method
``terms`` when firm, ``terms-ctx`` when the reading rests on thesaurus links
alone: those count only with ``--weak-terms`` and only next to other findings).
Entries flagged ``ctx`` count only when a firm finding is in the same document
(the restorer enforces that).

The **score** of a document is its number of distinct phrases (distinct
dictionary entries or export rows), as the Problematic Paper Screener counts.
The **level** (thresholds in :class:`Levels`):

* ``none``: score below ``min_score`` (default 1: no finding at all);
* ``high``: at least ``high_phrases`` distinct phrases (default 3), or at least
  ``high_density`` findings per 1,000 words (default 5) from two or more distinct
  phrases;
* ``low``: anything in between, e.g. one stray phrase, however often it is
  repeated: one odd term can be an author's wording, several different ones
  rarely are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..restorer import Restorer
from ..terms import TermDetector
from ..tokens import Token, tokenize
from .pps import PatternRule
from .readers import ReadError, SourceText, read_source

if TYPE_CHECKING:
    from .term_check import TermModelCheck

__all__ = ["LEVELS", "DocumentResult", "Finding", "Levels", "Screener", "split_rule"]

LEVELS = ("none", "low", "high")
#: Distinct firm findings a document needs before its thesaurus-only term findings count.
WEAK_TERMS_QUORUM = 2
# Confidence of term findings by method: firm thesaurus readings, language-model confirmed ones, weak ones.
_TERM_SCORES = {"terms": 0.9, "terms-lm": 0.8, "terms-ctx": 0.5}
_SPACE = re.compile(r"\s+")
_METHODS = ("fuzzy:", "spelling:", "inflection:")


def split_rule(rule: str) -> tuple[str, str]:
    """``(rule id, source file)`` of a change's rule, without the matcher's prefix.

    >>> split_rule("fuzzy:science.tsv:12")
    ('science.tsv:12', 'science.tsv')
    """
    for prefix in _METHODS:
        if rule.startswith(prefix):
            rule = rule[len(prefix) :]
            break
    source = rule.rsplit(":", 1)[0] if ":" in rule else rule
    return rule, source


@dataclass(frozen=True)
class Finding:
    """One tortured phrase: where it is, as written, and what it should read."""

    start: int
    end: int
    phrase: str
    standard: str
    rule: str
    source: str
    method: str
    score: float
    line: int = 0
    column: int = 0
    context: str = ""
    page: int | None = None

    @property
    def rule_id(self) -> str:
        """The entry or export row, whatever matcher found it (for counting distinct phrases)."""
        return split_rule(self.rule)[0]

    def as_dict(self) -> dict[str, object]:
        row: dict[str, object] = {
            "line": self.line,
            "column": self.column,
            "start": self.start,
            "end": self.end,
            "phrase": self.phrase,
            "standard": self.standard,
            "rule": self.rule,
            "source": self.source,
            "method": self.method,
            "score": self.score,
            "context": self.context,
        }
        if self.page is not None:
            row["page"] = self.page
        return row


@dataclass(frozen=True)
class Levels:
    """Thresholds of the screening level (see the module docstring)."""

    min_score: int = 1
    high_phrases: int = 3
    high_density: float = 5.0

    def __post_init__(self) -> None:
        if self.min_score < 1 or self.high_phrases < 1 or self.high_density <= 0:
            raise ValueError("thresholds must be positive")

    def level(self, distinct: int, per_1000_words: float) -> str:
        """``none``, ``low`` or ``high``.

        >>> Levels().level(1, 40.0), Levels().level(2, 6.0), Levels().level(3, 0.5)
        ('low', 'high', 'high')
        """
        if distinct < self.min_score or distinct == 0:
            return "none"
        if distinct >= self.high_phrases or (distinct >= 2 and per_1000_words >= self.high_density):
            return "high"
        return "low"


@dataclass
class DocumentResult:
    """What screening one document found (or why it could not be read)."""

    path: str
    kind: str = ""
    words: int = 0
    size: int = 0
    findings: list[Finding] = field(default_factory=list)
    level: str = "none"
    error: str | None = None
    text: str = ""  # kept for the HTML report

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def per_1000_words(self) -> float:
        return round(1000 * self.count / self.words, 3) if self.words else 0.0

    @property
    def distinct_phrases(self) -> int:
        return len({f.rule_id for f in self.findings})

    @property
    def flagged(self) -> bool:
        return self.level != "none"

    def top_phrases(self, limit: int = 5) -> list[tuple[str, str, int]]:
        """The most frequent phrases as ``(phrase, standard, count)``."""
        counts: dict[str, list] = {}
        for f in self.findings:
            slot = counts.setdefault(f.rule_id, [f.phrase, f.standard, 0])
            slot[2] += 1
        ranked = sorted(counts.values(), key=lambda s: (-s[2], s[0].casefold()))
        return [(p, s, n) for p, s, n in ranked[:limit]]

    def summary(self) -> dict[str, object]:
        return {
            "path": self.path,
            "kind": self.kind,
            "words": self.words,
            "findings": self.count,
            "per_1000_words": self.per_1000_words,
            "distinct_phrases": self.distinct_phrases,
            "level": self.level if self.error is None else "error",
            "error": self.error,
        }

    def as_dict(self) -> dict[str, object]:
        return {**self.summary(), "details": [f.as_dict() for f in self.findings]}


class Screener:
    """Screens documents with one restorer (its dictionaries) and an export's pattern rules."""

    def __init__(
        self,
        restorer: Restorer,
        patterns: Iterable[PatternRule] = (),
        levels: Levels | None = None,
        *,
        context_chars: int = 40,
        keep_text: bool = False,
        terms: TermDetector | None = None,
        weak_terms: bool = False,
        term_check: TermModelCheck | None = None,
    ) -> None:
        self.restorer = restorer
        self.terms = terms
        self.weak_terms = weak_terms
        # A language model's check of thesaurus-only readings (``--lm-terms``): confirmed ones count.
        self.term_check = term_check
        self.patterns = list(patterns)
        self.levels = levels or Levels()
        self.context_chars = context_chars
        self.keep_text = keep_text

    def find(self, text: str, tokens: Sequence[Token] | None = None) -> list[Finding]:
        """The findings in ``text`` (whose ``tokens`` may be given), in text order, without positions."""
        if tokens is None:
            tokens = tokenize(text)
        result = self.restorer.restore_and_explain(text)
        found: list[Finding] = []
        for change in result.changes:
            start, phrase, replacement = _without_article(change.start, change.original, change.replacement)
            source = split_rule(change.rule)[1]
            found.append(
                Finding(
                    start, change.end, phrase, replacement, change.rule, source, change.method, change.score
                )
            )
        if self.patterns and tokens:
            taken = [(f.start, f.end) for f in found]
            for rule in self.patterns:
                for start, end in rule.spans(tokens):
                    if any(start < e and s < end for s, e in taken):
                        continue
                    taken.append((start, end))
                    method = "proximity" if rule.term.slop else "query"
                    phrase = text[start:end]
                    found.append(
                        Finding(start, end, phrase, rule.standard, rule.rule, rule.source, method, 1.0)
                    )
            found.sort(key=lambda f: f.start)
        if self.terms is not None and tokens:
            found = self._with_terms(text, tokens, found)
        return found

    def _with_terms(self, text: str, tokens: Sequence[Token], found: list[Finding]) -> list[Finding]:
        """Add the term detector's findings where no dictionary or query finding is.

        Firm ones always count.  Thesaurus-only ones (method ``terms-ctx``) count only
        when asked for (``weak_terms``, ``--weak-terms``) and then only in a document
        that is evidently spun: at least :data:`WEAK_TERMS_QUORUM` distinct other
        findings.  They are off by default because on real spun text they are mostly
        wrong (``bench/screen_quality.py``, ``spun_paragraph_findings``): a dense
        thesaurus links many ordinary word pairs to *some* term.  With a ``term_check``
        (``--lm-terms``), those whose term a language model much prefers in their
        sentence count like firm ones (method ``terms-lm``).
        """
        assert self.terms is not None
        taken = [(f.start, f.end) for f in found]
        hits = [h for h in self.terms.find(text, tokens) if not any(h.start < e and s < h.end for s, e in taken)]
        methods = {id(h): "terms" for h in hits if h.firm}
        weak = [h for h in hits if not h.firm]
        if self.term_check is not None and weak:
            for hit, ok in zip(weak, self.term_check.confirmed(text, weak), strict=True):
                if ok:
                    methods[id(hit)] = "terms-lm"
        distinct = {f.rule_id for f in found} | {h.rule for h in hits if id(h) in methods}
        if self.weak_terms and len(distinct) >= WEAK_TERMS_QUORUM:
            for hit in weak:
                methods.setdefault(id(hit), "terms-ctx")
        added = [
            Finding(h.start, h.end, h.written, h.replacement, h.rule, "terms", method, _TERM_SCORES[method])
            for h in hits
            if (method := methods.get(id(h)))
        ]
        return sorted(found + added, key=lambda f: f.start) if added else found

    def screen(self, source: SourceText) -> DocumentResult:
        """Screen a document that was read."""
        text, shown = source.text, source.shown
        tokens = tokenize(text)
        found = self.find(text, tokens)
        positions = source.positions([f.start for f in found])
        findings = [
            Finding(
                f.start,
                f.end,
                shown[f.start : f.end] if shown is not text else f.phrase,
                f.standard,
                f.rule,
                f.source,
                f.method,
                f.score,
                line,
                column,
                self._context(shown, f.start, f.end),
                source.page_of(f.start),
            )
            for f, (line, column) in zip(found, positions, strict=True)
        ]
        words = len(tokens)
        result = DocumentResult(source.path, source.kind, words, source.size, findings)
        result.level = self.levels.level(result.distinct_phrases, result.per_1000_words)
        if self.keep_text:
            result.text = shown
        return result

    def screen_path(self, path: str, encoding: str = "utf-8") -> DocumentResult:
        """Read and screen one file; an unreadable file gives an error result."""
        try:
            source = read_source(path, encoding)
        except ReadError as exc:
            return DocumentResult(path, error=str(exc))
        return self.screen(source)

    def _context(self, text: str, start: int, end: int) -> str:
        width = self.context_chars
        left = text[max(0, start - width) : start]
        right = text[end : end + width]
        left = _SPACE.sub(" ", left).lstrip()
        right = _SPACE.sub(" ", right).rstrip()
        if start - width > 0:
            left = "…" + left.split(" ", 1)[-1] if " " in left else "…" + left
        if end + width < len(text):
            right = (right.rsplit(" ", 1)[0] if " " in right else right) + "…"
        return f"{left}[{_SPACE.sub(' ', text[start:end])}]{right}"


def _without_article(start: int, original: str, replacement: str) -> tuple[int, str, str]:
    """Drop the ``a``/``an`` the restorer widened a change over: the phrase is what matters here."""
    words = original.split(None, 1)
    if len(words) == 2 and words[0].casefold() in ("a", "an"):
        new_words = replacement.split(None, 1)
        changed = len(new_words) == 2 and new_words[0].casefold() in ("a", "an")
        if changed and new_words[0].casefold() != words[0].casefold():
            offset = original.index(words[1], len(words[0]))
            return start + offset, original[offset:], new_words[1]
    return start, original, replacement

