"""Is a word common English?  ``wordfreq``'s answer, without its start-up cost.

The fuzzy matcher refuses a "typo" that is an English word in its own right:
``zipf_frequency(word, "en") >= 1.5``.  Importing wordfreq and loading its
English list takes about half a second, more than the rest of a cold start.
So the answer for every plain ASCII word is computed once from wordfreq's own
list and kept in the user cache folder (see :mod:`degarble.index_cache`) as a
plain word list (one ASCII word a line, after a header line holding the
file's key) named after wordfreq's version; later processes read that list.

The answer is the same as wordfreq's: an ASCII lower-case word is a single
token to wordfreq's English tokenizer, so its Zipf value comes straight from
the frequency list; words near the threshold are asked of wordfreq itself, and
any other word (non-ASCII, upper case) always is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import lru_cache
from pathlib import Path

__all__ = ["COMMON_ZIPF", "is_common_word"]

COMMON_ZIPF = 1.5
_FORMAT = "degarble-common-words-1"


def _wordfreq_version() -> str:
    from .versions import installed_version

    return installed_version("wordfreq")


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency  # lazy: only the rare fuzzy path needs it

    return zipf_frequency(word, "en")


def _build() -> list[str]:
    """Every ASCII lower-case word wordfreq rates at least COMMON_ZIPF, sorted."""
    from wordfreq import get_frequency_dict

    threshold = 10 ** (COMMON_ZIPF - 9)
    common = []
    for word, freq in get_frequency_dict("en").items():
        if not (word.isascii() and word.isalpha() and word.islower()) or freq < threshold * 0.9:
            continue
        # Far above the threshold no rounding can matter; near it, ask wordfreq.
        if freq > threshold * 1.1 or _zipf(word) >= COMMON_ZIPF:
            common.append(word)
    return sorted(common)


class _WordList:
    """Membership in a sorted, newline-separated ASCII word list, by binary search over its
    bytes: no list of 160,000 strings to build for the few hundred words a start asks about.
    After :data:`SET_AFTER` look-ups (a long text asks about thousands of words) the words
    become one set, built once (~15 ms), and each look-up is a hash."""

    SET_AFTER = 2000

    def __init__(self, words: bytes) -> None:
        self._data = words
        self._asked = 0
        self._set: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word.isascii():
            return False
        if self._set is not None:
            return word in self._set
        self._asked += 1
        if self._asked > self.SET_AFTER:
            self._set = frozenset(self._data.decode("ascii").split("\n") if self._data else ())
            return word in self._set
        target, data = word.encode("ascii"), self._data
        low, high = 0, len(data)  # the lines left to look at start in [low, high); low starts one
        while low < high:
            middle = (low + high) // 2
            start = data.rfind(b"\n", low, middle) + 1 or low  # the line holding ``middle``
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            line = data[start:end]
            if line == target:
                return True
            if line < target:
                low = end + 1
            else:
                high = start
        return False


@lru_cache(maxsize=1)
def _common_ascii_words() -> _WordList:
    from .index_cache import cache_dir

    folder = cache_dir()
    name = hashlib.sha256(f"{_FORMAT}\0{_wordfreq_version()}\0{COMMON_ZIPF}".encode()).hexdigest()
    path = folder / f"common-{name}.txt" if folder is not None else None
    if path is not None:
        with contextlib.suppress(OSError, ValueError):
            header, _, body = path.read_bytes().partition(b"\n")
            if header == name.encode("ascii"):
                return _WordList(body)
    words = _build()
    if path is not None:
        _write(path, "\n".join([name, *words]).encode("ascii"))
    return _WordList("\n".join(words).encode("ascii"))


def _write(path: Path, data: bytes) -> None:
    tmp_name = None
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # lazy: only a write needs it (and it loads random)

        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".common-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, path)
        tmp_name = None
    if tmp_name is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)


def is_common_word(word: str) -> bool:
    """True when wordfreq rates ``word`` at Zipf >= 1.5 in English.

    >>> is_common_word("recognition"), is_common_word("acknowledgmant")
    (True, False)
    """
    if word.isascii() and word.isalpha() and word.islower():
        return word in _common_ascii_words()
    return _zipf(word) >= COMMON_ZIPF
