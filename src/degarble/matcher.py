"""Step 2: tokens -> candidate spans, and the choice among them.

The :class:`PhraseIndex` is built once from the loaded entries: every matchable
form (written, inflected, spelling-folded, hyphen-fused) keyed by its word
tuple.  Matching then walks the tokens once.  At each token a set lookup
decides whether any key can start there, so clean text costs one hash per word.

Fuzzy matching (rapidfuzz) is anchored and precision-first: a window matches a
multi-word key when all but one of its words are exact and the remaining word
is a close variant (``fuzz.ratio`` >= :data:`FUZZY_CUTOFF`, at least
:data:`FUZZY_MIN_LENGTH` letters) that is not itself a common English word.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from .dictionary import Entry
from .inflection import inflected_forms
from .spelling import spelling_key
from .tokens import Token, gap_joins, tokenize

__all__ = ["Form", "Candidate", "PhraseIndex", "choose", "FUZZY_CUTOFF", "FUZZY_MIN_LENGTH"]

FUZZY_CUTOFF = 85.0
FUZZY_MIN_LENGTH = 6
# Words too common to anchor a fuzzy match on.
_WEAK_ANCHORS = frozenset(
    "a an the of in on at to for by with from as and or but is are was be that this it its "
    "their his her our your my not no so than then when what which who whom whose how".split()
)


@dataclass(frozen=True)
class Form:
    """One matchable spelling of an entry and what replaces it."""

    words: tuple[str, ...]
    replacement: str
    entry: Entry
    inflected: bool = False


class Candidate(NamedTuple):
    """A span of tokens ``[first, last)`` that some form matches."""

    first: int
    last: int
    form: Form
    score: float
    method: str  # "exact", "inflection", "spelling" or "fuzzy"


# Keys with more hyphens than this get only the variants with one, two or all
# hyphens fused (instead of all 2**n subsets), so a hostile dictionary line
# with 11 hyphens costs 67 keys, not 2047.
MAX_FUSED_SUBSETS_HYPHENS = 3


def _fused_variants(spun: str) -> Iterable[tuple[str, ...]]:
    """Keys with hyphenated words written solid: ``man-made`` -> ``manmade``."""
    tokens = tokenize(spun)
    hyphen_gaps = [i for i, (a, b) in enumerate(zip(tokens, tokens[1:])) if "-" in spun[a.end : b.start]]
    folds = [t.fold for t in tokens]
    sizes = list(range(1, len(hyphen_gaps) + 1))
    if len(hyphen_gaps) > MAX_FUSED_SUBSETS_HYPHENS:
        sizes = [1, 2, len(hyphen_gaps)]
    for r in sizes:
        for chosen in itertools.combinations(hyphen_gaps, r):
            words: list[str] = []
            for i, word in enumerate(folds):
                if i - 1 in chosen:
                    words[-1] += word
                else:
                    words.append(word)
            yield tuple(words)


class PhraseIndex:
    """All forms of all entries, keyed for exact, spelling-variant and fuzzy lookup."""

    def __init__(self, entries: Sequence[Entry], *, fuzzy: bool = True) -> None:
        self.entries = list(entries)
        self.fuzzy = fuzzy
        self.exact: dict[tuple[str, ...], Form] = {}
        self.variant: dict[tuple[str, ...], Form] = {}
        standards = {tuple(t.fold for t in tokenize(e.standard)) for e in self.entries}
        # Later entries override earlier ones with the same key (user dictionaries
        # load after the built-in ones).
        for entry in self.entries:
            self.exact[entry.words] = Form(entry.words, entry.standard, entry)
        written = set(self.exact)
        for entry in self.entries:
            for words, replacement in inflected_forms(entry):
                if words not in written and words not in standards:
                    self.exact.setdefault(words, Form(words, replacement, entry, inflected=True))
        for form in list(self.exact.values()):
            if form.entry.case_sensitive:
                continue
            keys = [form.words]
            if not form.inflected:
                keys.extend(_fused_variants(form.entry.spun))
            for key in keys:
                spelled = tuple(spelling_key(w) for w in key)
                if spelled != form.words and spelled not in self.exact:
                    self.variant.setdefault(spelled, form)
        self.firsts = frozenset(k[0] for k in self.exact)
        self.variant_firsts = frozenset(k[0] for k in self.variant) | self.firsts
        self.max_words = max((len(k) for k in itertools.chain(self.exact, self.variant)), default=0)
        self.anchors: dict[str, list[tuple[Form, int]]] = {}
        if fuzzy:
            for form in self.exact.values():
                if len(form.words) < 2 or form.entry.case_sensitive:
                    continue
                for position, word in enumerate(form.words):
                    if len(word) >= 3 and word not in _WEAK_ANCHORS:
                        self.anchors.setdefault(word, []).append((form, position))

    # -- matching -----------------------------------------------------------------
    def candidates(self, text: str, tokens: Sequence[Token]) -> list[Candidate]:
        """Every span some form matches (overlapping; :func:`choose` picks)."""
        found: list[Candidate] = []
        count = len(tokens)
        joins: dict[int, bool] = {}
        seen: set[tuple[int, int]] = set()

        def joined(i: int) -> bool:  # may token i and i+1 sit in one phrase?
            ok = joins.get(i)
            if ok is None:
                ok = joins[i] = gap_joins(text, tokens[i], tokens[i + 1])
            return ok

        def run(i: int, limit: int) -> int:  # how many tokens from i form a joined run
            n = 1
            while n < limit and i + n < count and joined(i + n - 1):
                n += 1
            return n

        exact, firsts, variant, anchors = self.exact, self.firsts, self.variant, self.anchors
        variant_firsts = self.variant_firsts
        for i, token in enumerate(tokens):
            word = token.fold
            matched = False
            if word in firsts:
                span = run(i, self.max_words)
                for n in range(span, 0, -1):
                    form = exact.get(tuple(t.fold for t in tokens[i : i + n]))
                    if form is not None and self._case_ok(text, tokens, i, form):
                        method = "inflection" if form.inflected else "exact"
                        found.append(Candidate(i, i + n, form, 1.0, method))
                        matched = True
                        break
            if not matched and spelling_key(word) in variant_firsts:
                span = run(i, self.max_words)
                folds = [t.fold for t in tokens[i : i + span]]
                spelled = [spelling_key(w) for w in folds]
                if spelled != folds:
                    for n in range(span, 0, -1):
                        key = tuple(spelled[:n])
                        form = variant.get(key) or exact.get(key)
                        if form is not None and not form.entry.case_sensitive:
                            found.append(Candidate(i, i + n, form, 0.95, "spelling"))
                            break
            if word in anchors:
                found.extend(self._fuzzy_at(text, tokens, i, joined, seen))
        return found

    @staticmethod
    def _case_ok(text: str, tokens: Sequence[Token], i: int, form: Form) -> bool:
        if not form.entry.case_sensitive:
            return True
        written = [text[t.start : t.end] for t in tokens[i : i + len(form.words)]]
        wanted = [form.entry.spun[t.start : t.end] for t in tokenize(form.entry.spun)]
        return written == wanted

    def _fuzzy_at(
        self, text: str, tokens: Sequence[Token], i: int, joined: Callable[[int], bool], seen: set[tuple[int, int]]
    ) -> list[Candidate]:
        """Windows anchored on token ``i`` that differ from a key in one close word."""
        out: list[Candidate] = []
        count = len(tokens)
        for form, position in self.anchors[tokens[i].fold]:
            first = i - position
            size = len(form.words)
            if first < 0 or first + size > count:
                continue
            window = tokens[first : first + size]
            misses = [k for k, (t, w) in enumerate(zip(window, form.words)) if t.fold != w]
            if len(misses) != 1:
                continue
            k = misses[0]
            if (first, id(form)) in seen:
                continue  # the same window is reached from another anchor word
            seen.add((first, id(form)))
            if not all(joined(j) for j in range(first, first + size - 1)):
                continue
            written, wanted = window[k].fold, form.words[k]
            if len(written) < FUZZY_MIN_LENGTH or len(wanted) < FUZZY_MIN_LENGTH:
                continue
            if spelling_key(written) == spelling_key(wanted):
                continue  # handled by the spelling index
            score = fuzz.ratio(written, wanted, score_cutoff=FUZZY_CUTOFF)
            if not score or not written.isalpha() or _is_common_word(written):
                continue
            out.append(Candidate(first, first + size, form, round(score / 100 * 0.9, 3), "fuzzy"))
        return out


def _is_common_word(word: str) -> bool:
    """True when ``word`` is an English word in its own right (then it is no typo)."""
    from wordfreq import zipf_frequency  # lazy: only the rare fuzzy path needs it

    return zipf_frequency(word, "en") >= 1.5


def choose(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest span wins, then the better score, then the earlier."""
    chosen: list[Candidate] = []
    taken: set[int] = set()
    ranked = sorted(candidates, key=lambda c: (-(c.last - c.first), -c.score, c.first))
    for cand in ranked:
        span = range(cand.first, cand.last)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        chosen.append(cand)
    chosen.sort(key=lambda c: c.first)
    return chosen
