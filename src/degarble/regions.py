"""Step 1, fast: the tokens of a long text only where some phrase could match.

Building one :class:`~degarble.tokens.Token` per word is most of the cost of
restoring clean prose, and almost every word of it is far from any phrase.  So
for a long text the candidate finder is pointed at the few stretches that may
hold a match, found at C speed over the whole text:

* **exact and inflected forms**: every key of the index (its words joined by a
  space) goes into one Aho-Corasick automaton (``ahocorasick_rs``, Rust), run
  over the case-folded text in which every character that may join two words of
  a phrase (spaces, tabs, line breaks, hyphens) is a space and runs of spaces
  are one;
* **spelling variants**: words that may stand where a dictionary word with the
  same spelling key stands (:meth:`SparseTokenizer._may_respell`): a variant match
  differs from every key in such a word, or it would be an exact match;
* **fuzzy matches**: long, alphabetic words that are not common English and
  are close to a word of some form (a fuzzy match needs such a word, see
  :func:`degarble.matcher._fuzzy_word_score` and
  :meth:`degarble.matcher.PhraseIndex.may_be_odd_word`).

Each hit is widened to the stretch between the nearest *hard* characters on
either side: characters that are neither part of a word nor able to join two
words (``.``, ``,``, ``(``, ``"``, ...).  No phrase, fuzzy window or ``a``/``an``
fix crosses one (see :func:`degarble.tokens.gap_joins`), so the candidates found
in these stretches are exactly the candidates of the whole text: the token path
(:func:`degarble.tokens.tokenize` over everything) stays the reference, and a
test checks that both give the same restorations.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import regex

from .spelling import spelling_key
from .tokens import _PLAIN_WORD, FAST_MIN_CHARS, WORD, Token, TokenList, agrees, fold, masked_fold, masked_runs

if TYPE_CHECKING:
    from .matcher import PhraseIndex

__all__ = ["FAST_MIN_CHARS", "SparseTokenizer", "word_census"]


# Characters that may sit between two words of one phrase (tokens.gap_joins): in the
# normalised text they all become a space.
_JOINERS = (" ", "\t", "\u00a0", "\r", "\n", "-", "‐", "‑")
# A character no phrase or a/an fix crosses: not a word character, not an apostrophe
# (which may sit inside a word), not a joiner.  ``_`` is no word character to the tokenizer.
_HARD = regex.compile(r"[^\w'’ \t\u00a0\r\n\-‐‑]|_", regex.V1)
_HARD_BEFORE = regex.compile(r"[^\w'’ \t\u00a0\r\n\-‐‑]|_", regex.V1 | regex.REVERSE)
# A character no word spans: the text after it tokenizes as the whole text does.
_SAFE = regex.compile(r"[^\w'’]|_", regex.V1)
_SAFE_BEFORE = regex.compile(r"[^\w'’]|_", regex.V1 | regex.REVERSE)


# The same four scans with the standard ``re`` (about a quarter faster per window), for a
# text whose characters both modules classify alike (tokens.agrees): ``re`` has no reverse
# search, so "the last such character before" is a greedy ``.*`` and the character after it.
class _Scans(NamedTuple):
    """The patterns :meth:`SparseTokenizer._window` reads a text with (``*_last``: reversed)."""

    word: Any
    hard: Any
    hard_last: Any
    safe: Any
    safe_last: Any
    reversed: bool  # ``*_last`` are regex REVERSE searches (else greedy re matches)


_REGEX_SCANS = _Scans(WORD, _HARD, _HARD_BEFORE, _SAFE, _SAFE_BEFORE, True)
_RE_SCANS = _Scans(
    _PLAIN_WORD,
    re.compile(r"[^\w'’ \t\u00a0\r\n\-‐‑]|_"),
    re.compile(r"(?s:.*)(?:[^\w'’ \t\u00a0\r\n\-‐‑]|_)"),
    re.compile(r"[^\w'’]|_"),
    re.compile(r"(?s:.*)(?:[^\w'’]|_)"),
    False,
)
# Plain-character patterns run on the standard ``re``, several times faster than ``regex`` here.
_SPACES = re.compile(" {2,}")
_LONG_WORD = 64  # longer trigger words are found with str.find
# What a word may do (SparseTokenizer._classify): open a spelling window; open one only
# with a respelled word in it; be such a respelled word; be the odd word of a fuzzy match.
_FIRM, _PLAIN, _GATE, _RARE = 1, 2, 4, 8
_WORD_CHAR = regex.compile(r"[\w--_]", regex.V1)


@lru_cache(maxsize=4096)
def _is_word_char(char: str) -> bool:
    return _WORD_CHAR.match(char) is not None


def _normalised(folded: str) -> str:
    """``folded`` with every joining character a space (same length, same offsets)."""
    for joiner in _JOINERS[1:]:
        if joiner in folded:
            folded = folded.replace(joiner, " ")
    return folded


def word_census(text: str) -> tuple[int, set[str]]:
    """How many words :func:`~degarble.tokens.tokenize` finds in ``text``, and the distinct
    words (as written), without a scan of the whole text for words.

    No word holds a space, so the words of the text are those of its whitespace-separated
    pieces, counted once per distinct piece (``str.split`` and ``Counter`` run in C): a
    piece of letters only (or ASCII letters and digits) is one word; the others (with
    punctuation, apostrophes, hyphens) are read with the tokenizer's pattern, together,
    per number of occurrences.
    """
    count = 0
    words: set[str] = set()
    others: dict[int, list[str]] = {}
    for piece, times in Counter(text.split()).items():
        if piece.isalpha() or (piece.isascii() and piece.isalnum()):
            count += times
            words.add(piece)
        else:
            others.setdefault(times, []).append(piece)
    for times, group in others.items():
        found = WORD.findall("\n".join(group))
        count += times * len(found)
        words.update(found)
    return count, words


class SparseTokenizer:
    """Finds, for one :class:`~degarble.matcher.PhraseIndex`, the tokens worth matching in a text."""

    def __init__(
        self, index: PhraseIndex, odd_words: Callable[[list[str]], dict[str, frozenset[str] | None]] | None
    ) -> None:
        import ahocorasick_rs

        self._ahocorasick = ahocorasick_rs
        keys = sorted({" ".join(key) for key in index.exact})
        self._keys = ahocorasick_rs.AhoCorasick(keys) if keys else None
        # which of some words may be the odd word of a fuzzy match, and the form words each
        # may stand for (PhraseIndex.close_words; None: no fuzzy matching)
        self._odd_words = odd_words
        self._index = index
        # per rare word of _classes: the words a fuzzy match of it may put before (one more:
        # a/an) and after it (see _rare_reach)
        self._rare_around: dict[str, tuple[int, int]] = {}
        self._form_around: dict[str, tuple[int, int]] | None = None  # see _rare_reach
        self._classes: dict[str, int] = {}  # word -> _classify(word)
        self._flagged: set[str] = set()  # the words of _classes whose class is not 0
        # The words of the keys a spelling-variant match may find, and, per spelling key,
        # how many of those words have it (see _may_respell).
        spelled_keys = [key for key, form in index.exact.items() if not form.entry.case_sensitive]
        self._key_words = frozenset(itertools.chain.from_iterable(spelled_keys))
        # (counts, not sets of words: a dict of strings and ints is no work for the garbage
        # collector, while ~16k small sets were objects it walked in every full collection)
        self._spelled_as = Counter(map(spelling_key, self._key_words))
        # How far (in words) a spelling or fuzzy match may reach from the word that allows it.
        self._reach = max(index.max_words, 1)
        # ... and, for a variant match made by a word whose spelling key is ``word``, how many
        # key words may come before and after it (the keys that hold ``word``).
        before: dict[str, int] = {}
        after: dict[str, int] = {}
        for key in itertools.chain(spelled_keys, index.variant):
            last = len(key) - 1
            for place, word in enumerate(key):
                if before.get(word, -1) < place:
                    before[word] = place
                if after.get(word, -1) < last - place:
                    after[word] = last - place
        self._around = {word: (place, after[word]) for word, place in before.items()}

    def tokens(self, text: str) -> TokenList:
        """The tokens of the stretches of ``text`` that may hold a match, in order, and
        (``total``) how many tokens the whole text has."""
        # As tokenize does: characters that fold to several (``ß``, ``İ``) are masked so
        # offsets hold, and each word holding one is folded on its own and looked at.
        folded, masked = masked_fold(text)
        odd = masked_runs(text, folded) if masked else []
        scans = _RE_SCANS if agrees(text) else _REGEX_SCANS
        # (start, end, words needed before, words needed after) around each hit
        key_hits = self._key_hits(_normalised(folded))
        hits = [(a, b, 1, 0) for a, b in key_hits]  # 1 word before: a/an
        reach = self._reach
        # The automaton cannot see a key through a masked word, so any key holding the word
        # must fit in the window: as around a spelling or fuzzy trigger.
        # (one more word before: a masked run may start inside a word; see the windows below)
        hits.extend((a, b, reach + 1, reach - 1) for a, b in odd)
        total, words = word_census(text)
        # the distinct words folded in one call (folding maps character by character)
        distinct = set(fold("\n".join(words)).split("\n")) if words else set()
        firm, plain, gates, rare = self._trigger_words(distinct)
        opening = {*firm, *rare}
        # A plain trigger (a word the spelling rules leave as it is) opens a window only when
        # a word they rewrite is in it too: a variant match needs one (``spelled != folds``).
        plain = [w for w in plain if w not in opening]
        if opening or plain:
            words = sorted(opening.union(plain, gates) if plain else opening)
            found = self._word_hits(folded, words)
            # A respelled word that may make a variant match (firm) needs only the words a key
            # holding its spelling key may put around it (and one more before: a/an); the
            # match holds it, so the matcher's test for a respelled word is met inside it.
            # A rare word needs the words the forms it may stand for put around it.
            # A word may be both (each window is opened).
            rare_around = self._rare_around
            around = self._around
            firm_set = set(firm)
            for k, a, b in found:
                word = words[k]
                if word in rare_around:
                    before, after = rare_around[word]
                    hits.append((a, b, before, after))
                if word in firm_set:
                    before, after = around.get(spelling_key(word), (reach - 1, reach - 1))
                    hits.append((a, b, before + 1, after))
            if plain:
                respelled = {*firm, *gates}
                spans = sorted((a, b) for k, a, b in found if words[k] in respelled)
                at = [a for a, _ in spans]
                waiting = set(plain)
                for k, a, b in found:
                    if words[k] in waiting:
                        # the match starts at most ``before`` key words earlier, and the
                        # respelled word lies within the reach from its start
                        before, after = self._around.get(words[k], (reach - 1, reach - 1))
                        before += 1
                        low, high = self._window(text, a, b, before, reach - 1, scans)
                        first = bisect.bisect_left(at, low)
                        if first < bisect.bisect_left(at, high):
                            # The window holds the match (the words the keys holding the word
                            # put around it) and, for the matcher's "a respelled word in the
                            # run" test, the first respelled word after it, if within reach:
                            # one before it lies in the window's words before.
                            hits.append((a, b, before, after))
                            later = bisect.bisect_left(at, a)
                            if later < len(at) and at[later] < high:
                                hits.append((a, spans[later][1], before, 0))
        tokens = TokenList()
        tokens.total = total
        tokens.rare = frozenset(rare) if self._odd_words is not None else None
        # A key can only match where the automaton saw one start, or (a key holding a word with
        # a masked character, which the automaton cannot see) in the window around such a word.
        tokens.key_starts = {a for a, _ in key_hits}
        if not hits:
            return tokens
        # Merged in order of their *low* bounds: a later hit's window may reach further back
        # than an earlier one's (a rare word after a key), and merging in hit order once cut
        # that part off (tests/test_regions.py has the case).
        # ``before`` counts the words a hit needs before it (the a/an word included); _window
        # keeps one word more than it is asked for, in case the hit starts inside a word.
        # Every hit but a masked run is whole words (the automata's hits are checked for
        # word characters on both sides), so it asks for one word fewer.
        bounds = sorted(
            self._window(text, start, end, before - 1, after, scans) for start, end, before, after in hits
        )
        windows: list[list[int]] = []
        for low, high in bounds:
            if windows and low <= windows[-1][1]:
                if high > windows[-1][1]:
                    windows[-1][1] = high
            else:
                windows.append([low, high])
        make = tuple.__new__
        finditer = scans.word.finditer
        for low, high in windows:
            spans = [match.span() for match in finditer(text, low, high)]
            if odd and folded.find("\0", low, high) >= 0:  # a masked word in this window
                tokens.extend(
                    [
                        make(Token, (a, b, word if "\0" not in (word := folded[a:b]) else fold(text[a:b])))
                        for a, b in spans
                    ]
                )
            else:
                tokens.extend([make(Token, (a, b, folded[a:b])) for a, b in spans])
        if odd:
            starts = [token.start for token in tokens]
            for a, b in odd:
                low, high = self._window(text, a, b, reach, reach - 1, scans)
                tokens.key_starts.update(starts[bisect.bisect_left(starts, low) : bisect.bisect_left(starts, high)])
        return tokens

    @staticmethod
    def _window(
        text: str, start: int, end: int, before: int, after: int, scans: _Scans = _REGEX_SCANS
    ) -> tuple[int, int]:
        """Character bounds around ``text[start:end]`` holding ``before`` words before it and
        ``after`` words after it, or reaching the nearest hard character.  Both bounds are
        *safe*: the character outside is no word character and no apostrophe, so the words
        found between them are the text's own words.  Only ever looks as far as it must.
        ``scans``: the patterns to read ``text`` with (``_RE_SCANS`` only for text on which
        ``re`` and ``regex`` agree)."""
        size = len(text)
        reach = 12 * (before + 1)
        findall = scans.word.findall
        while True:
            low = max(0, start - reach)
            if scans.reversed:
                hard = scans.hard_last.search(text, low, start)
            else:
                hard = scans.hard_last.match(text, low, start)
            if hard is not None:
                low = hard.end()
                break
            if low == 0:
                break
            if scans.reversed:
                edge = scans.safe_last.search(text, max(0, low - _LONG_WORD), low)
            else:
                edge = scans.safe_last.match(text, max(0, low - _LONG_WORD), low)
            # one more word than needed: the hit may start inside a word
            if edge is not None and len(findall(text, edge.end(), start)) > before:
                low = edge.end()
                break
            reach *= 2
        reach = 12 * (after + 1)
        while True:
            high = min(size, end + reach)
            hard = scans.hard.search(text, end, high)
            if hard is not None:
                high = hard.start()
                break
            if high == size:
                break
            edge = scans.safe.search(text, high, min(size, high + _LONG_WORD))
            if edge is not None and len(findall(text, end, edge.start())) > after:
                high = edge.start()
                break
            reach *= 2
        return low, high

    def _key_hits(self, normal: str) -> list[tuple[int, int]]:
        """Spans where some key may match: the automaton runs over ``normal`` with runs of
        spaces made one (a phrase may be written with two spaces or a line break and an indent)."""
        if self._keys is None:
            return []
        squeezed, shifts, at = normal, [], []
        at_run = normal.find("  ")  # str.find: several times faster than a regex scan for runs
        if at_run >= 0:
            parts, removed, done, spaces = [], 0, 0, _SPACES.match
            while at_run >= 0:  # at_run starts a run: the character before it is no space
                end = spaces(normal, at_run).end()  # type: ignore[union-attr]
                parts.append(normal[done : at_run + 1])
                removed += end - at_run - 1
                at.append(end - removed)  # where the text after the run starts, squeezed
                shifts.append(removed)
                done = end
                at_run = normal.find("  ", end)
            parts.append(normal[done:])
            squeezed = "".join(parts)
        found = self._keys.find_matches_as_indexes(squeezed, overlapping=True)
        hits = []
        size = len(squeezed)
        for _, start, end in found:
            if (start and _is_word_char(squeezed[start - 1])) or (end < size and _is_word_char(squeezed[end])):
                continue  # inside a longer word
            if shifts:
                k = bisect.bisect_right(at, start)
                start += shifts[k - 1] if k else 0
                k = bisect.bisect_right(at, end - 1)
                end += shifts[k - 1] if k else 0
            hits.append((start, end))
        return hits

    def _may_respell(self, word: str) -> bool:
        """True when ``word`` (folded) may be where a spelling-variant match differs from the
        dictionary.

        The matcher (:meth:`degarble.matcher.PhraseIndex.candidates`) finds a variant match
        where the spelling keys of the text's words spell a key (of ``variant``, or a
        case-insensitive one of ``exact``); for the text's words to be no exact key, at
        least one of them differs from the key word at its place while sharing its spelling
        key (``colour`` for ``color``, or ``color`` for ``colour`` in a variant key).  A word
        that is the only key word with its spelling key (``likewise``) is never that word,
        and the window around the word that is reaches the whole match (see ``tokens``).
        """
        key = spelling_key(word)
        # another key word has the spelling key ``key`` (``word`` itself counts when it is one)
        others = self._spelled_as.get(key, 0) - (word in self._key_words)
        return (key != word and key in self._key_words) or others > 0

    def _classify(self, word: str) -> int:
        """What ``word`` (folded) may do here, as bits: :data:`_FIRM`, :data:`_PLAIN` and
        :data:`_GATE` (see :meth:`_trigger_words`; :data:`_RARE` is asked for many words at once)."""
        respelled = spelling_key(word) != word
        return (_FIRM if respelled else _PLAIN) if self._may_respell(word) else (_GATE if respelled else 0)

    def _trigger_words(self, distinct: set[str]) -> tuple[list[str], list[str], list[str], list[str]]:
        """Words that may make a spelling-variant match differ from the dictionary: those the
        spelling rules rewrite (``firm``) and the others (``plain``); the other words the rules
        rewrite (``gates``); and words that may be the odd word of a fuzzy match (``rare``)."""
        classes = self._classes  # memo across the chunks of a stream (bounded)
        flagged_words = self._flagged  # the memo's words that may do something
        if len(classes) > 200_000:
            classes.clear()
            flagged_words.clear()
            self._rare_around.clear()
        new = distinct - classes.keys()
        odd = self._odd_words([w for w in new if len(w) >= 6]) if self._odd_words is not None and new else {}
        for word in new:
            if code := self._classify(word) | (_RARE if word in odd else 0):
                flagged_words.add(word)
            classes[word] = code
        for word, close in odd.items():
            self._rare_around[word] = self._rare_reach(close)
        # a set intersection (C) instead of a look at every distinct word of the text
        flagged = [(word, classes[word]) for word in distinct & flagged_words]
        firm = [word for word, code in flagged if code & _FIRM]
        plain = [word for word, code in flagged if code & _PLAIN]
        gates = [word for word, code in flagged if code & _GATE]
        rare = [word for word, code in flagged if code & _RARE]
        return firm, plain, gates, rare

    def _rare_reach(self, close: frozenset[str] | None) -> tuple[int, int]:
        """How many words a window around a rare word needs before and after it: a fuzzy match
        in which it is the odd word stands for one of the form words ``close`` at that word's
        place in a form (:meth:`~degarble.matcher.PhraseIndex._fuzzy_at` compares word by
        word), so the words before (one more: a/an) and after that place in any form holding
        it; the whole reach when ``close`` is not known (None)."""
        if close is None:
            return self._reach, self._reach - 1
        if self._form_around is None:
            # the forms fuzzy matching may find: two words or more, not case-sensitive
            # (a superset of the anchor plan's forms, as PhraseIndex._near's words are)
            around: dict[str, tuple[int, int]] = {}
            for form in self._index.exact.values():
                words = form.words
                if len(words) < 2 or form.entry.case_sensitive:
                    continue
                last = len(words) - 1
                for place, word in enumerate(words):
                    had = around.get(word)
                    if had is None:
                        around[word] = (place, last - place)
                    elif had[0] < place or had[1] < last - place:
                        around[word] = (max(had[0], place), max(had[1], last - place))
            self._form_around = around
        before = after = 0
        for wanted in close:
            place, rest = self._form_around.get(wanted, (self._reach - 1, self._reach - 1))
            before, after = max(before, place), max(after, rest)
        return before + 1, after

    def _word_hits(self, folded: str, words: list[str]) -> list[tuple[int, int, int]]:
        """Where the ``words`` (distinct) occur in ``folded`` as whole words: (which word, start, end)."""
        short = [k for k, w in enumerate(words) if len(w) <= _LONG_WORD]
        hits: list[tuple[int, int, int]] = []
        if short:
            automaton = self._ahocorasick.AhoCorasick([words[k] for k in short])
            found = automaton.find_matches_as_indexes(folded, overlapping=True)
            hits = [(short[k], start, end) for k, start, end in found]
        for k, word in enumerate(words):
            if len(word) > _LONG_WORD:  # an automaton of a huge word builds slowly
                at = folded.find(word)
                while at >= 0:
                    hits.append((k, at, at + len(word)))
                    at = folded.find(word, at + 1)
        size = len(folded)
        return [
            (k, start, end)
            for k, start, end in hits
            if not (start and _is_word_char(folded[start - 1])) and not (end < size and _is_word_char(folded[end]))
        ]
