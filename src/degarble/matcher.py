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
import operator
import sys
from collections import Counter, namedtuple
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from . import common_words  # light: its word list loads on first use
from .dictionary import Entry
from .inflection import inflected_forms, tense_is_ambiguous
from .spelling import spelling_key
from .tokens import Token, TokenList, gap_joins, tokenize

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see tokens.py)
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    from .regions import SparseTokenizer

__all__ = ["Form", "Candidate", "PhraseIndex", "choose", "FUZZY_CUTOFF", "FUZZY_MIN_LENGTH"]

_FOLD = operator.itemgetter(2)  # Token.fold, read at C speed
_START = operator.itemgetter(0)  # Token.start
FUZZY_CUTOFF = 85.0
#: Above this many keys :meth:`PhraseIndex.may_be_odd_word` only asks :func:`_may_be_typo`: scoring
#: each rare word against twice as many dictionary words (a 100k-entry index: ~119,000 keys) cost
#: more on the first megabyte (1.2 s) than the fuzzy windows it spared.
ODD_WORD_CHECK_MAX_KEYS = 100_000
FUZZY_MIN_LENGTH = 6
#: PhraseIndex.close_words scores this many new words or more in one batch (rapidfuzz's cdist,
#: which imports numpy) ...
ODD_WORDS_BATCH = 8
#: ... or this many once numpy is imported (two words in one call cost ~1.3 times one).
ODD_WORDS_BATCH_LOADED = 2
# What a word may do in PhraseIndex.candidates (PhraseIndex._role): start some key (written or
# possessive), be rewritten by the spelling rules, start a spelling-variant key, anchor a fuzzy match.
_KEY_STARTER, _RESPELLED, _SPELLING_STARTER, _ANCHOR = 1, 2, 4, 8
_ROLE_BITS = (_KEY_STARTER, _RESPELLED, _SPELLING_STARTER, _ANCHOR)
# Words too common to anchor a fuzzy match on.
_WEAK_ANCHORS = frozenset(
    "a an the of in on at to for by with from as and or but is are was be that this it its "
    "their his her our your my not no so than then when what which who whom whose how".split()
)


if TYPE_CHECKING:

    class Form(NamedTuple):
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

else:  # the classes typing.NamedTuple makes, without typing
    Form = namedtuple("Form", ["words", "replacement", "entry", "inflected"], defaults=(False,))
    Form.__doc__ = """One matchable spelling of an entry and what replaces it (a named tuple: the cached
    index makes thousands at start-up, ten times faster than a frozen dataclass)."""
    Candidate = namedtuple("Candidate", ["first", "last", "form", "score", "method"])
    Candidate.__doc__ = "A span of tokens ``[first, last)`` that some form matches (method: exact, inflection, ...)."


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
            if tense_is_ambiguous(entry) and self.exact.get(entry.words, None) is not None:
                if self.exact[entry.words].entry is entry:
                    del self.exact[entry.words]  # present or past? only other forms are safe
        for entry in self.entries:
            for words, replacement in inflected_forms(entry):
                if words not in written and words not in standards:
                    self.exact.setdefault(words, Form(words, replacement, entry, inflected=True))
        for form in list(self.exact.values()):
            if not form.entry.case_sensitive and not form.inflected:
                for key in _fused_variants(form.entry.spun):  # "man-made" written "manmade"
                    self.exact.setdefault(key, form)
        for key, form in list(self.exact.items()):
            if form.entry.case_sensitive:
                continue
            spelled = tuple(spelling_key(w) for w in key)
            if spelled != key and spelled not in self.exact:
                self.variant.setdefault(spelled, form)
        self._derive()

    @classmethod
    def from_keys(
        cls,
        entries: Sequence[Entry],
        exact: dict[tuple[str, ...], Form],
        variant: dict[tuple[str, ...], Form],
        *,
        fuzzy: bool = True,
        forms: list[Form] | None = None,
        plan: dict[str, Sequence[int]] | None = None,
    ) -> PhraseIndex:
        """An index from keys built earlier (see :mod:`degarble.index_cache`), skipping
        lemminflect; ``forms`` is :func:`distinct_forms` of ``exact`` and ``plan`` its
        :func:`anchor_plan`, when they were stored too."""
        index = cls.__new__(cls)
        index.entries, index.fuzzy, index.exact, index.variant = list(entries), fuzzy, exact, variant
        index._derive(forms, plan if forms is not None else None)
        return index

    def _derive(self, forms: list[Form] | None = None, plan: dict[str, Sequence[int]] | None = None) -> None:
        """The lookup sets and fuzzy anchors, all computed from ``exact`` and ``variant``."""
        self.firsts = frozenset(k[0] for k in self.exact)
        self.first_max: dict[str, int] = {}  # the most words a key starting with the word has
        for key in self.exact:
            self.first_max[key[0]] = max(len(key), self.first_max.get(key[0], 0))
        self.variant_firsts = frozenset(k[0] for k in self.variant) | self.firsts
        # the most words a key of either index starting with the word has (spelling-variant lookups)
        self._spelled_max = dict(self.first_max)
        for key in self.variant:
            if len(key) > self._spelled_max.get(key[0], 0):
                self._spelled_max[key[0]] = len(key)
        self.max_words = max((len(k) for k in itertools.chain(self.exact, self.variant)), default=0)
        self._fuzzy_scores: dict[tuple[str, str], float] = {}
        self._anchors: dict[str, list[tuple[Form, int]]] | None = None
        # Every form once, numbered: the fuzzy tables below name forms by number, so that they
        # are flat tuples of ints and strings (and of form words: tuples of strings), which the
        # garbage collector stops tracking the first time it sees them; thousands of tracked
        # containers made while a long text is read would trigger full collections.
        self._forms: list[Form] = forms if forms is not None else distinct_forms(self.exact)
        # The anchors worth trying, per word: form number, position, form number, ... (see anchor_plan);
        # the per-word lookup tables are built the first time the word is met (see _fuzzy_tables).
        self._fuzzy_plan: dict[str, Sequence[int]] = {}
        # (anchor word, its position, length of the other word) -> the two-word forms there, flat,
        # in plan order: (other word, order, form number, other word, order, form number, ...)
        self._fuzzy_pairs: dict[tuple[str, int, int], tuple[str | int, ...]] = {}
        # anchor word -> (has two-word forms, how many words its forms reach before and after
        # it, then for each longer form: order, form number, position, form words)
        self._fuzzy_long: dict[str, tuple[bool | int | tuple[str, ...], ...]] = {}
        self._sparse: SparseTokenizer | bool | None = None  # built on the first long text
        self._roles: dict[str, int] = {}  # word -> _role(word), bounded
        # the words of _roles that have each role bit (a text's are a set intersection away)
        self._role_words: dict[int, set[str]] = {bit: set() for bit in _ROLE_BITS}
        # For may_be_odd_word: the words of the multi-word forms by length (built on first use),
        # and those of the lengths a word of each length can reach.
        self._wanted: dict[int, list[str]] | None = None  # form words by length, sorted
        self._every: list[str] | None = None  # all of them, sorted
        self._wanted_near: dict[int, list[str]] = {}
        if self.fuzzy:
            self._fuzzy_plan = plan if plan is not None else anchor_plan(self._forms)

    @property
    def anchors(self) -> dict[str, list[tuple[Form, int]]]:
        """Every (form, position) a word can anchor a fuzzy match at."""
        if self._anchors is None:
            self._anchors = {}
            if self.fuzzy:
                for form in self.exact.values():
                    if len(form.words) < 2 or form.entry.case_sensitive:
                        continue
                    for position, word in enumerate(form.words):
                        if len(word) >= 3 and word not in _WEAK_ANCHORS:
                            self._anchors.setdefault(word, []).append((form, position))
        return self._anchors

    def _fuzzy_tables(self, word: str) -> tuple[bool | int | tuple[str, ...], ...]:
        """Bucket the plan of ``word``: two-word forms by anchor position and length of the
        other word, so a text word meets only the wanted words of a reachable length;
        ``order`` (the place in the plan) keeps results in plan order.  A plan entry naming
        no form (a forged cache) makes the word anchor nothing."""
        pairs: dict[tuple[str, int, int], list[str | int]] = {}
        longer: list[int | tuple[str, ...]] = []
        forms = self._forms
        try:
            flat = iter(self._fuzzy_plan.get(word, ()))
            for order, (number, position) in enumerate(zip(flat, flat)):
                words = forms[number].words
                if type(number) is not int or number < 0 or type(position) is not int:
                    raise TypeError("bad plan entry")
                if not 0 <= position < len(words):
                    raise IndexError("bad plan entry")
                if len(words) == 2:
                    wanted = words[1 - position]
                    pairs.setdefault((word, position, len(wanted)), []).extend((wanted, order, number))
                else:
                    longer.extend((order, number, position, words))
        except (TypeError, ValueError, IndexError):
            pairs, longer = {}, []
        for key, placed in pairs.items():
            self._fuzzy_pairs[key] = tuple(placed)
        before = after = 0  # the farthest form words from the anchor, before and after it
        for _, position, _ in pairs:
            before, after = max(before, position), max(after, 1 - position)
        for k in range(2, len(longer), 4):
            position, size = longer[k], len(longer[k + 1])  # type: ignore[arg-type]
            before, after = max(before, position), max(after, size - 1 - position)  # type: ignore[operator]
        tables = self._fuzzy_long[word] = (bool(pairs), before, after, *longer)
        return tables

    def may_be_odd_word(self, word: str) -> bool:
        """False when ``word`` (folded, 6+ letters) can be the odd word of no fuzzy match here:
        it is no possible typo (:func:`_may_be_typo`), or no word of a form it could stand
        for scores :data:`FUZZY_CUTOFF` against it with another spelling key (the tests of
        :func:`_fuzzy_word_score`).  Most rare words of a text (names, technical terms) are
        close to no dictionary word, and each one a long text keeps costs a window of tokens."""
        if not _may_be_typo(word):
            return False
        if len(self.exact) > ODD_WORD_CHECK_MAX_KEYS:
            return True  # a huge index: the check would cost more than the windows it spares
        key = spelling_key(word)
        close = _extract()(word, self._near(len(word)), score_cutoff=FUZZY_CUTOFF, limit=None)
        return any(spelling_key(wanted) != key for wanted, _, _ in close)

    def odd_words(self, words: Iterable[str]) -> set[str]:
        """The ``words`` (folded, 6+ letters) that :meth:`may_be_odd_word` accepts (see
        :meth:`close_words`)."""
        return set(self.close_words(words))

    def close_words(self, words: Iterable[str]) -> dict[str, frozenset[str] | None]:
        """The ``words`` (folded, 6+ letters) that :meth:`may_be_odd_word` accepts, each with
        the form words it scores :data:`FUZZY_CUTOFF` against under another spelling key (the
        only words it can stand for in a fuzzy match; None: not scored, any may be).

        Scored together: all the words against every form word in one
        ``rapidfuzz.process.cdist`` call (the same ``fuzz.ratio`` and cutoff; a form word of a
        length a word cannot reach scores below the cutoff anyway; it prepares the form words
        once instead of once per word, several times faster for a long text's hundreds of new
        rare words).  Fewer than :data:`ODD_WORDS_BATCH` words (:data:`ODD_WORDS_BATCH_LOADED`
        once numpy, which cdist's result needs, is imported) are asked one by one against the
        form words of the lengths each can reach (no numpy import for a short text)."""
        typos = [word for word in words if _may_be_typo(word)]
        if len(self.exact) > ODD_WORD_CHECK_MAX_KEYS:
            return dict.fromkeys(typos)
        if not typos:
            return {}
        batch = ODD_WORDS_BATCH_LOADED if "numpy" in sys.modules else ODD_WORDS_BATCH
        if len(typos) < batch:
            rows = [
                [wanted for wanted, _, _ in _extract()(word, near, score_cutoff=FUZZY_CUTOFF, limit=None)]
                if (near := self._near(len(word)))
                else []
                for word in typos
            ]
        else:
            every = self._every_wanted()
            rows = [[every[k] for k in row.nonzero()[0]] for row in _cdist()(typos, every, score_cutoff=FUZZY_CUTOFF)]
        odd: dict[str, frozenset[str] | None] = {}
        for word, row in zip(typos, rows):
            key = spelling_key(word)
            close = frozenset(wanted for wanted in row if spelling_key(wanted) != key)
            if close:
                odd[word] = close
        return odd

    def _every_wanted(self) -> list[str]:
        """The words (6+ letters) of every form the plan may hold (a superset), sorted."""
        if self._every is None:
            words = {
                wanted
                for form in self._forms  # the forms of exact, each once
                if len(form.words) >= 2 and not form.entry.case_sensitive
                for wanted in form.words
            }
            self._every = sorted(w for w in words if len(w) >= FUZZY_MIN_LENGTH)
        return self._every

    def _wanted_by_length(self) -> dict[int, list[str]]:
        """The words of :meth:`_every_wanted` by length, each length's sorted."""
        if self._wanted is None:
            self._wanted = {}
            for wanted in self._every_wanted():
                self._wanted.setdefault(len(wanted), []).append(wanted)
        return self._wanted

    def _near(self, size: int) -> list[str]:
        """The words of multi-word forms a word of ``size`` letters can reach at the cutoff."""
        candidates = self._wanted_near.get(size)
        if candidates is None:
            wanted = self._wanted_by_length()  # a word of any size reaches about ten lengths
            candidates = self._wanted_near[size] = [
                word for other in _reachable_lengths(size) for word in wanted.get(other, ())
            ]
        return candidates

    def sparse_tokens(self, text: str) -> TokenList | None:
        """The tokens of ``text`` where some form may match (:mod:`degarble.regions`), or
        None when only the full token path will do (then :func:`tokenize` the text)."""
        if self._sparse is None:
            self._sparse = False
            # Entries with document-level conditions (screen.pps) judge the whole token list.
            if all(type(entry) is Entry for entry in self.entries):
                try:
                    from .regions import SparseTokenizer
                except ImportError:  # pragma: no cover - ahocorasick_rs is a core dependency
                    return None
                self._sparse = SparseTokenizer(self, self.close_words if self.fuzzy and self._fuzzy_plan else None)
        if self._sparse is False:
            return None
        return self._sparse.tokens(text)  # type: ignore[union-attr]

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
                left, right = tokens[i], tokens[i + 1]
                gap = left[1]
                # one space (most gaps) joins; gap_joins reads the others
                if right[0] == gap + 1 and text[gap] == " ":
                    ok = joins[i] = True
                else:
                    ok = joins[i] = gap_joins(text, left, right)
            return ok

        def run(i: int, limit: int) -> int:  # how many tokens from i form a joined run
            n = 1
            while n < limit and i + n < count and joined(i + n - 1):
                n += 1
            return n

        exact, variant = self.exact, self.variant
        first_max, spelled_max = self.first_max, self._spelled_max
        folds = list(map(_FOLD, tokens))
        # Only tokens that can start (or anchor) some key need a closer look; deciding
        # that once per distinct word (and remembering it across texts: _role) keeps clean
        # text at one set lookup per token.
        distinct = set(folds)
        roles, role_words = self._roles, self._role_words
        if len(roles) > 200_000:
            roles.clear()
            for words in role_words.values():
                words.clear()
        for w in distinct - roles.keys():
            role = roles[w] = self._role(w)
            for bit in _ROLE_BITS:
                if role & bit:
                    role_words[bit].add(w)
        key_starters = distinct & role_words[_KEY_STARTER]
        spelling_starters = distinct & role_words[_SPELLING_STARTER]
        anchor_words = distinct & role_words[_ANCHOR]
        # Where the spelling index could matter at all: positions of words it rewrites.
        respelled = distinct & role_words[_RESPELLED]
        respelled_at = list(itertools.compress(itertools.count(), map(respelled.__contains__, folds)))
        # Sparse tokens know which words could be the odd word of a fuzzy match (an anchor
        # with none of them within reach cannot make one) and where keys start.
        rare = tokens.rare if isinstance(tokens, TokenList) else None
        key_starts = tokens.key_starts if isinstance(tokens, TokenList) else None
        rare_at = list(itertools.compress(itertools.count(), map(rare.__contains__, folds))) if rare else []
        # how many of the first j tokens are rare words, for j = 0 .. count (see _fuzzy_at)
        rare_before = list(itertools.accumulate(map(rare.__contains__, folds), initial=0)) if rare_at else None
        reach = self.max_words
        # The positions each kind of match is tried at (each a set, C-speed filters):
        # a key start; a spelling starter with a word the spelling rules rewrite within
        # reach after it; an anchor with a possible fuzzy odd word within reach.
        if key_starts is None:
            key_at = set(itertools.compress(itertools.count(), map(key_starters.__contains__, folds)))
        else:
            key_at = set(itertools.compress(itertools.count(), map(key_starts.__contains__, map(_START, tokens))))
            key_at = {i for i in key_at if folds[i] in key_starters}
        near_respelled = {j for p in respelled_at for j in range(p - reach + 1, p + 1)}
        spelling_at = {i for i in near_respelled if 0 <= i < count and folds[i] in spelling_starters}
        anchor_at = set(itertools.compress(itertools.count(), map(anchor_words.__contains__, folds)))
        if rare is not None:
            near_rare = {j for p in rare_at for j in range(p - reach + 1, p + reach)}
            anchor_at &= near_rare
        for i in sorted(key_at | spelling_at | anchor_at):
            matched = False
            if i in key_at:
                word = folds[i]
                # the longest key that fits, whose words are joined (the gaps read only then)
                for n in range(min(first_max.get(word) or first_max[word[:-2]], count - i), 0, -1):
                    key = tuple(folds[i : i + n])
                    form = exact.get(key)
                    if form is None and key[-1].endswith("'s") and len(key[-1]) > 2:
                        form = exact.get((*key[:-1], key[-1][:-2]))  # possessive: "organization's"
                        if form is not None and form.entry.case_sensitive:
                            form = None
                    if (
                        form is not None
                        and all(map(joined, range(i, i + n - 1)))
                        and self._case_ok(text, tokens, i, form)
                    ):
                        method = "inflection" if form.inflected else "exact"
                        found.append(Candidate(i, i + n, form, 1.0, method))
                        matched = True
                        break
            if not matched and i in spelling_at:
                # The longest spelled key that fits and whose words are joined, when the
                # spelling rules rewrite some word of the joined run from i (the run and
                # that test read only once a key exists: most starts have none).
                most = min(spelled_max.get(spelling_key(folds[i]), 0), count - i)
                spelled = [spelling_key(w) for w in folds[i : i + most]]
                span = 0
                for n in range(most, 0, -1):
                    key = tuple(spelled[:n])
                    form = variant.get(key) or exact.get(key)
                    if form is None or form.entry.case_sensitive:
                        continue
                    span = span or run(i, self.max_words)
                    if n > span:
                        continue
                    if [spelling_key(w) for w in folds[i : i + span]] != folds[i : i + span]:
                        found.append(Candidate(i, i + n, form, 0.95, "spelling"))
                    break
            if i in anchor_at:
                found.extend(self._fuzzy_at(folds, i, joined, seen, rare, rare_before))
        return found

    def _role(self, word: str) -> int:
        """What ``word`` (folded) may do in :meth:`candidates`, as bits: start some key
        (:data:`_KEY_STARTER`: written, or its possessive), be rewritten by the spelling rules
        (:data:`_RESPELLED`), start a spelling-variant key (:data:`_SPELLING_STARTER`), anchor
        a fuzzy match (:data:`_ANCHOR`)."""
        key = spelling_key(word)
        role = 0
        if word in self.firsts or (word.endswith("'s") and word[:-2] in self.firsts):
            role |= _KEY_STARTER
        if key in self.variant_firsts:
            role |= _SPELLING_STARTER
        if word in self._fuzzy_plan:
            role |= _ANCHOR
        if key != word:
            role |= _RESPELLED
        return role

    @staticmethod
    def _case_ok(text: str, tokens: Sequence[Token], i: int, form: Form) -> bool:
        if not form.entry.case_sensitive:
            return True
        written = [text[t.start : t.end] for t in tokens[i : i + len(form.words)]]
        wanted = [form.entry.spun[t.start : t.end] for t in tokenize(form.entry.spun)]
        return written == wanted

    def _fuzzy_at(
        self,
        folds: Sequence[str],
        i: int,
        joined: Callable[[int], bool],
        seen: set[tuple[int, int]],
        rare: frozenset[str] | None = None,
        rare_before: list[int] | None = None,
    ) -> list[Candidate]:
        """Windows anchored on token ``i`` that differ from a key in one close word
        (``rare``, when known: the only words that can be that close word; ``rare_before``:
        how many of the first j tokens are rare, so a window without one is passed over
        at the cost of two list reads)."""
        hits: list[tuple[int, Candidate]] = []
        count = len(folds)
        word = folds[i]
        # Each check depends only on the window, so a window another anchor word
        # already accepted is skipped (``seen``), and one it rejected fails again.
        tables = self._fuzzy_long.get(word)
        if tables is None:
            tables = self._fuzzy_tables(word)
        forms = self._forms
        has_pairs, before, after = tables[:3]
        if rare_before is not None and rare_before[min(i + after + 1, count)] == rare_before[max(i - before, 0)]:
            return []  # no rare word within reach of the anchor's forms: no odd word
        for position in (0, 1) if has_pairs else ():
            first = i - position
            other = i + 1 - 2 * position  # the word after (anchor first) or before (anchor second)
            if other < 0 or other >= count:
                continue
            written = folds[other]
            if len(written) < FUZZY_MIN_LENGTH or (rare is not None and written not in rare):
                continue
            for wanted_length in _reachable_lengths(len(written)):
                by_wanted = self._fuzzy_pairs.get((word, position, wanted_length))
                if by_wanted:
                    self._fuzzy_pair_hits(written, by_wanted, first, joined, seen, hits)
        longer = iter(tables)
        for _ in range(3):
            next(longer)
        for order, number, position, words in zip(longer, longer, longer, longer):
            first = i - position
            size = len(words)
            if first < 0 or first + size > count:
                continue
            if rare_before is not None and rare_before[first + size] == rare_before[first]:
                continue  # no rare word in the window: no odd word
            # the one word of the window that differs from the form's (C-speed comparisons)
            misses = list(itertools.compress(range(size), map(operator.ne, folds[first : first + size], words)))
            if len(misses) != 1:
                continue
            written, wanted = folds[first + misses[0]], words[misses[0]]
            if len(written) < FUZZY_MIN_LENGTH or (rare is not None and written not in rare):
                continue
            if 200 * min(len(written), len(wanted)) < FUZZY_CUTOFF * (len(written) + len(wanted)):
                continue
            score = self._fuzzy_score(written, wanted)
            if not score or (first, number) in seen:
                continue
            if not all(joined(j) for j in range(first, first + size - 1)):
                continue
            seen.add((first, number))
            hits.append((order, Candidate(first, first + size, forms[number], score, "fuzzy")))
        if len(hits) > 1:
            hits.sort(key=lambda hit: hit[0])
        return [candidate for _, candidate in hits]

    def _fuzzy_pair_hits(
        self,
        written: str,
        by_wanted: tuple[str | int, ...],
        first: int,
        joined: Callable[[int], bool],
        seen: set[tuple[int, int]],
        hits: list[tuple[int, Candidate]],
    ) -> None:
        """Two-word windows at ``first`` whose other word ``written`` is close to a wanted one
        (``by_wanted``: wanted word, order, form number, ... as :meth:`_fuzzy_tables` lays them;
        a wanted word met again is scored from the memo)."""
        flat = iter(by_wanted)
        for wanted, order, number in zip(flat, flat, flat):
            if wanted == written:
                continue  # an exact match, not a fuzzy one
            score = self._fuzzy_score(written, wanted)  # type: ignore[arg-type]
            if not score or (first, number) in seen or not joined(first):
                continue
            seen.add((first, number))  # type: ignore[arg-type]
            hits.append((order, Candidate(first, first + 2, self._forms[number], score, "fuzzy")))  # type: ignore

    def _fuzzy_score(self, written: str, wanted: str) -> float:
        """The candidate score for ``written`` standing for ``wanted``, or 0.0 (memoised per pair)."""
        pair = (written, wanted)
        score = self._fuzzy_scores.get(pair)
        if score is None:
            if len(self._fuzzy_scores) >= 100_000:
                self._fuzzy_scores.clear()  # bounded, for endless streams
            score = self._fuzzy_scores[pair] = _fuzzy_word_score(written, wanted)
        return score


@lru_cache(maxsize=256)
def _reachable_lengths(length: int) -> tuple[int, ...]:
    """Lengths of words that a word of ``length`` letters can match at the fuzzy cutoff.

    ``fuzz.ratio`` is at most ``200 * shorter / (sum of lengths)``.
    """
    return tuple(
        other
        for other in range(FUZZY_MIN_LENGTH, 2 * length + 2)
        if 200 * min(length, other) >= FUZZY_CUTOFF * (length + other)
    )


def _fuzzy_word_score(written: str, wanted: str) -> float:
    """A close, rare variant of ``wanted`` scores ``ratio * 0.9``; anything else 0.0."""
    if len(written) < FUZZY_MIN_LENGTH or len(wanted) < FUZZY_MIN_LENGTH:
        return 0.0
    if spelling_key(written) == spelling_key(wanted):
        return 0.0  # handled by the spelling index
    # The cheap tests first: most words next to an anchor are ordinary English, and then
    # rapidfuzz (~25 ms to import) is not needed at all for a short text.  A non-ASCII word
    # is judged common by wordfreq itself (half a second to load): last, as it always was.
    ascii_word = written.isascii()
    if not written.isalpha() or (ascii_word and _is_common_word(written)):
        return 0.0
    if not _may_reach_cutoff(written, wanted):
        return 0.0
    from rapidfuzz import fuzz  # lazy: only the fuzzy path needs it

    score = fuzz.ratio(written, wanted, score_cutoff=FUZZY_CUTOFF)
    if not score or (not ascii_word and _is_common_word(written)):
        return 0.0
    return round(score / 100 * 0.9, 3)


@lru_cache(maxsize=1)
def _extract() -> Callable[..., list[tuple[str, float, int]]]:
    """``rapidfuzz.process.extract`` scoring with ``fuzz.ratio`` (imported on first use)."""
    from functools import partial

    from rapidfuzz import fuzz, process  # lazy: only long texts with fuzzy matching get here

    return partial(process.extract, scorer=fuzz.ratio)


@lru_cache(maxsize=1)
def _cdist() -> Callable[..., Any]:
    """``rapidfuzz.process.cdist`` scoring with ``fuzz.ratio``, one thread (imported on first use:
    its result is a numpy array (numpy: a declared dependency, also needed by lemminflect), ~0.1 s to import)."""
    from functools import partial

    from rapidfuzz import fuzz, process

    return partial(process.cdist, scorer=fuzz.ratio, workers=1)


def _may_reach_cutoff(written: str, wanted: str) -> bool:
    """False when ``fuzz.ratio(written, wanted)`` is surely below :data:`FUZZY_CUTOFF`.

    The ratio is ``200 * LCS / (sum of lengths)``, and the longest common subsequence
    cannot hold more letters than the two words share (counted with repeats).
    """
    counts = Counter(written)
    shared = 0
    for char in wanted:
        if counts[char] > 0:
            counts[char] -= 1
            shared += 1
    return 200 * shared >= FUZZY_CUTOFF * (len(written) + len(wanted))


def distinct_forms(exact: dict[tuple[str, ...], Form]) -> list[Form]:
    """The forms of ``exact``, each once (one may sit under several keys: fused variants), in order."""
    return list({id(form): form for form in exact.values()}.values())


def anchor_plan(forms: Sequence[Form]) -> dict[str, tuple[int, ...]]:
    """For each word, the forms and positions where it may anchor a fuzzy match that can
    succeed (the one differing word, not the anchor, must be long enough), flat: form number
    (its place in ``forms``), position, form number, position, ...  (A flat tuple of ints per
    word: the collector untracks it, where a list of pairs is a tracked container per pair.)"""
    plan: dict[str, list[int]] = {}
    for number, form in enumerate(forms):
        words = form.words
        if len(words) < 2 or form.entry.case_sensitive:
            continue
        long_words = sum(len(w) >= FUZZY_MIN_LENGTH for w in words)
        for position, word in enumerate(words):
            if len(word) < 3 or word in _WEAK_ANCHORS:
                continue
            if long_words - (len(word) >= FUZZY_MIN_LENGTH) > 0:
                plan.setdefault(word, []).extend((number, position))
    return {word: tuple(flat) for word, flat in plan.items()}


def _may_be_typo(word: str) -> bool:
    """False when ``word`` (folded, 6+ letters) can never be the odd word of a fuzzy match
    (see :func:`_fuzzy_word_score`); non-ASCII words are not looked up (wordfreq is slow to load)."""
    if not word.isalpha():
        return False
    return not (word.isascii() and _is_common_word(word))


def _is_common_word(word: str) -> bool:
    """True when ``word`` is an English word in its own right (then it is no typo)."""
    return common_words.is_common_word(word)  # wordfreq's verdict, without loading wordfreq


def choose(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest span wins, then the better score, then the earlier."""
    chosen: list[Candidate] = []
    taken: set[int] = set()
    ranked = sorted(candidates, key=lambda c: (-(c.last - c.first), -c.score, c.first))
    for cand in ranked:
        span = range(cand.first, cand.last)
        if not taken.isdisjoint(span):
            continue
        taken.update(span)
        chosen.append(cand)
    chosen.sort(key=lambda c: c.first)
    return chosen
