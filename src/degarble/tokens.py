"""Step 1: text -> word tokens.

Tokens are runs of word characters (Unicode-aware, via ``regex``; the standard ``re``
where it reads the text alike) with internal apostrophes.  Each token keeps its offsets into the *original* string and a
case-folded form computed per token, so offsets never drift on characters whose
lower-case form has a different length (``İ``, ``ß``).  Hyphens split tokens:
``man-made`` is two tokens joined by a hyphen gap, which lets the matcher treat
hyphen, space and no-space variants alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from collections.abc import Sequence
from functools import lru_cache

# ``typing.TYPE_CHECKING`` without importing ``typing``: the modules a plain ``degarble FILE``
# loads never import it (about 15 ms of a cold start); type checkers read this name alike.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    import regex

__all__ = [
    "FAST_MIN_CHARS",
    "WORD",
    "WORD_PATTERN",
    "Token",
    "TokenList",
    "fold",
    "gap_joins",
    "masked_fold",
    "masked_runs",
    "token_count",
    "tokenize",
    "word_pattern",
    "word_spans",
]

#: Texts shorter than this are tokenized whole; longer ones only around the places where a
#: phrase may match (:mod:`degarble.regions`: building its automaton, once per index, and the
#: extra scans cost more than they save on a short text; defined here so that restoring a
#: short text never imports that module).
FAST_MIN_CHARS = 20_000

#: The pattern of one word (as text, compiled by :func:`word_pattern`): a run of word
#: characters (``_`` is none), with apostrophes inside it.
WORD_PATTERN = r"[\w--_]+(?:['’][\w--_]+)*"
# The same with the standard ``re``, for text whose characters it classifies as ``regex``
# does (see _agrees): ``regex`` takes ~40 ms to import and compile, a tenth of a cold start.
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# What may separate two words of one phrase: spaces or tabs with at most one
# line break (a phrase may wrap, but not cross a blank line), or a hyphen.
_JOINING_GAP = re.compile(r"[ \t\u00a0]*(?:\r\n|\r|\n)?[ \t\u00a0]*|[-‐‑][ \t]*(?:\r\n|\r|\n)?")
# Unicode categories whose characters are word characters for both ``re`` and ``regex``
# (letters, decimal digits) or for neither (punctuation but connectors, spaces, controls,
# symbols but "other"): checked for every code point in tests/test_tokens.py.
_AGREEING_CATEGORIES = frozenset("Lu Ll Lt Lm Lo Nd Pd Ps Pe Pi Pf Po Zs Zl Zp Cc Sm Sc Sk".split())
# The characters whose case fold is several characters (``ß`` -> ``ss``, ``İ``, ``ﬁ``): every
# one up to Unicode 15 (tests/test_tokens.py checks the list against this Python's
# ``str.casefold``; a character it lacks is still found, see masked_fold).
_MULTI_FOLD = (
    "\u00df\u0130\u0149\u01f0\u0390\u03b0\u0587\u1e96-\u1e9a\u1e9e\u1f50\u1f52\u1f54\u1f56"
    "\u1f80-\u1faf\u1fb2-\u1fb4\u1fb6-\u1fb7\u1fbc\u1fc2-\u1fc4\u1fc6-\u1fc7\u1fcc\u1fd2-\u1fd3"
    "\u1fd6-\u1fd7\u1fe2-\u1fe4\u1fe6-\u1fe7\u1ff2-\u1ff4\u1ff6-\u1ff7\u1ffc\ufb00-\ufb06\ufb13-\ufb17"
)
_MULTI_FOLDING = re.compile(f"[{_MULTI_FOLD}]")
_ASCII_BYTES = bytes(range(128))
_NUL_RUN = re.compile("\0+")


@lru_cache(maxsize=1)
def word_pattern() -> regex.Pattern[str]:
    """One word, compiled with ``regex`` (Unicode word characters, set subtraction)."""
    import regex

    return regex.compile(WORD_PATTERN, regex.V1)


WORD: regex.Pattern[str]  # the compiled pattern (an attribute made on first use, below)


def __getattr__(name: str) -> object:  # PEP 562: ``WORD`` compiles on first use
    if name == "WORD":
        return word_pattern()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=4096)
def _agrees(char: str) -> bool:
    return unicodedata.category(char) in _AGREEING_CATEGORIES


def non_ascii(text: str) -> str:
    """The characters of ``text`` that are not ASCII, in order, or ``text`` itself when it
    holds a lone surrogate (no UTF-8 for it).

    Two C passes (UTF-8 bytes, the ASCII bytes deleted) of about a millisecond per
    megabyte: a character class made only of non-ASCII characters is then searched in
    this short string instead of the whole text (a class scan costs ~15 ms per megabyte).
    Every byte of a non-ASCII character's UTF-8 is >= 0x80, so the bytes left are
    whole characters and decode.
    """
    if text.isascii():
        return ""
    try:
        return text.encode("utf-8").translate(None, _ASCII_BYTES).decode("utf-8")
    except UnicodeEncodeError:
        return text


def agrees(text: str) -> bool:
    """True when ``re`` and ``regex`` classify every character of ``text`` alike (word
    character or not): all ASCII text, most English prose (see ``_AGREEING_CATEGORIES``)."""
    return text.isascii() or all(_agrees(char) for char in set(non_ascii(text)) if not char.isascii())


def _words_of(text: str) -> re.Pattern[str] | regex.Pattern[str]:
    """The word pattern to read ``text`` with: the standard ``re`` one when every character
    of the text is one both classify alike (all ASCII text, most English prose)."""
    return _PLAIN_WORD if agrees(text) else word_pattern()


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where the words of ``text[start:end]`` are (read as :func:`tokenize` reads them)."""
    end = len(text) if end is None else end
    return [m.span() for m in _words_of(text[start:end]).finditer(text, start, end)]


if TYPE_CHECKING:

    class Token(NamedTuple):
        """One word of the input: ``text[start:end]`` and its folded form."""

        start: int
        end: int
        fold: str

else:  # the class typing.NamedTuple makes, without typing
    Token = namedtuple("Token", ["start", "end", "fold"])
    Token.__doc__ = "One word of the input: ``text[start:end]`` and its folded form."


class TokenList(list[Token]):
    """Some of the tokens of a text (the stretches where a phrase may match, see
    :mod:`degarble.regions`), in order; ``total``: how many tokens the whole text has."""

    total: int = 0
    #: the words of the text that may be the odd word of a fuzzy match (None: not known)
    rare: frozenset[str] | None = None
    #: where in the text some key of the index starts (None: not known)
    key_starts: set[int] | None = None


def token_count(tokens: Sequence[Token]) -> int:
    """How many tokens the text behind ``tokens`` has (``tokens`` may hold only some)."""
    return tokens.total if isinstance(tokens, TokenList) else len(tokens)


def fold(word: str) -> str:
    """Case-fold one word and unify apostrophes (``Don’t`` -> ``don't``)."""
    return word.casefold().replace("’", "'")


def masked_fold(text: str) -> tuple[str, bool]:
    """``fold(text)`` with the same length as ``text``, and whether characters were masked.

    Case folding maps character by character, so the folded text can be sliced at the
    original offsets, once the rare characters that fold to several (``ß``, ``İ``) are
    set aside: each becomes NUL before folding (the words holding one are folded on
    their own).  Those characters are looked for among the text's non-ASCII characters
    (:func:`non_ascii`, C passes) and each one found is replaced with ``str.replace``
    (as ``_MULTI_FOLDING.sub`` would, without a class scan of the whole text).
    """
    rare = non_ascii(text)
    present = set(_MULTI_FOLDING.findall(rare)) if rare else None
    if not present:
        folded = fold(text)
        if len(folded) == len(text):
            return folded, False
        masked = text  # a character the list lacks (a newer Unicode): found one by one
    else:
        masked = text
        for char in present:
            masked = masked.replace(char, "\0")
        folded = fold(masked)
        if len(folded) == len(text):
            return folded, True
    for char in {c for c in set(masked) if len(fold(c)) != 1}:
        masked = masked.replace(char, "\0")
    return fold(masked), True


def masked_runs(text: str, folded: str) -> list[tuple[int, int]]:
    """The runs of NUL in ``folded`` (from :func:`masked_fold` of ``text``): the masked
    characters, and NULs of the text itself, as the runs of ``\\0+`` in ``folded`` are.

    Read from ``folded``, not from ``text`` with a character class: a masked character and a
    NUL of the text are NUL in ``folded``, and no other character folds to NUL.  Each run is
    found with ``str.find`` (a C search for one character: ``re`` scans for ``\0+`` at about
    15 ms per megabyte) and read to its end with one pattern match (a long run in one step).
    """
    runs = []
    at = folded.find("\0")
    run_at = _NUL_RUN.match
    while at >= 0:
        end = run_at(folded, at).end()  # type: ignore[union-attr]
        runs.append((at, end))
        at = folded.find("\0", end)
    return runs


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens with offsets into ``text``.

    >>> [text for text in (t.fold for t in tokenize("Man-made  İstanbul"))]
    ['man', 'made', 'i̇stanbul']
    """
    spans = word_spans(text)
    # words holding a character that folds to several are folded on their own
    folded, _ = masked_fold(text)
    make = tuple.__new__
    return [
        make(Token, (start, end, word if "\0" not in (word := folded[start:end]) else fold(text[start:end])))
        for start, end in spans
    ]


def gap_joins(text: str, left: Token, right: Token) -> bool:
    """True when the characters between two tokens may sit inside one phrase."""
    if right.start - left.end > 8:
        return False
    return _JOINING_GAP.fullmatch(text, left.end, right.start) is not None
