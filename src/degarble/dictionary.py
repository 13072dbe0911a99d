"""Phrase dictionaries: plain UTF-8 TSV files mapping spun wording to standard terms.

Format (see ``dictionaries/README.md``)::

    spun<TAB>standard[<TAB>flags]

Dictionaries from users are untrusted data.  Loading never executes anything
from the file; every problem that makes an entry unusable is a
:class:`DictionaryError` naming ``file:line`` (empty sides, over-long lines or
keys, control, bidirectional-override and line-separator characters, an entry
mapping a phrase to itself); a spun side repeated within one file is a
:class:`DictionaryWarning` (the later line wins, as it does across files).
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .tokens import Token, fold, tokenize

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see tokens.py)
if TYPE_CHECKING:
    import regex

__all__ = [
    "Entry",
    "DictionaryError",
    "GUARD",
    "DictionaryWarning",
    "KNOWN_FLAGS",
    "MAX_KEY_WORDS",
    "builtin_dictionary_paths",
    "load_dictionary",
    "load_dictionaries",
    "parse_dictionary",
    "check_entries",
]

#: The standard side of a guard entry: the phrase is left as written and protects its words
#: from shorter entries ("do likewise" keeps "likewise" from becoming "also").
GUARD = "="
KNOWN_FLAGS = frozenset({"ctx", "spun", "case", "noinfl", "infl=first"})
MAX_KEY_WORDS = 12
_MAX_LINE = 1000


class DictionaryError(ValueError):
    """A dictionary file could not be read; the message starts with ``file:line:``."""


class DictionaryWarning(UserWarning):
    """A dictionary entry is usable but suspicious; the message starts with ``file:line:``."""


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@lru_cache(maxsize=1)
def _forbidden() -> regex.Pattern[str]:
    """Characters no entry may hold: controls (but tab, the separator), line and paragraph
    separators, surrogates, and the bidirectional overrides that make text display
    differently from what it is ("Trojan source").  Compiled on first use: a start-up
    that reads the index cache parses no dictionary line."""
    import regex

    return regex.compile(r"[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\u202a-\u202e\u2066-\u2069--\t]", regex.V1)


@dataclass(frozen=True)
class Entry:
    """One dictionary line: ``spun`` is restored to ``standard``."""

    spun: str
    standard: str
    flags: frozenset[str] = field(default_factory=frozenset)
    source: str = "<memory>"
    line: int = 0

    @property
    def rule(self) -> str:
        """Where the entry lives, as ``file:line`` (the change's rule id)."""
        return f"{self.source}:{self.line}"

    @property
    def words(self) -> tuple[str, ...]:
        """The spun side as folded word tokens."""
        return tuple(t.fold for t in tokenize(self.spun))

    @property
    def is_guard(self) -> bool:
        """A guard keeps its phrase as written (standard side ``=``)."""
        return self.standard == GUARD

    @property
    def needs_context(self) -> bool:
        """``ctx`` or ``spun``: the entry never fires on its own."""
        return "ctx" in self.flags or "spun" in self.flags

    @property
    def needs_spun_text(self) -> bool:
        """``spun``: the entry fires only in text that is evidently spun throughout."""
        return "spun" in self.flags

    @property
    def case_sensitive(self) -> bool:
        return "case" in self.flags

    def applies_to(self, text: str, tokens: Sequence[Token]) -> bool:
        """Whether a match of this entry counts in ``text``; subclasses add document-level
        conditions (``degarble.screen.pps``: ``AND``/``NOT`` queries)."""
        return True


def builtin_dictionary_paths() -> list[Path]:
    """The dictionaries shipped inside the package (``degarble/dictionaries/*.tsv``).

    A wheel carries them inside the package; an editable install from a source
    tree reads the top-level ``dictionaries/`` folder instead.
    """
    root = Path(__file__).resolve().parent / "dictionaries"  # (importlib.resources costs a cold start 20 ms)
    if not root.is_dir():
        root = Path(__file__).resolve().parents[2] / "dictionaries"
    if not root.is_dir():
        return []
    return sorted(root.glob("*.tsv"), key=lambda p: p.name)


def _clean_field(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def parse_dictionary(lines: Iterable[str], source: str) -> Iterator[Entry]:
    """Parse TSV lines into entries; raise :class:`DictionaryError` on the first bad line."""
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        if len(line) > _MAX_LINE:
            raise DictionaryError(f"{where}: line longer than {_MAX_LINE} characters")
        bad = _forbidden().search(line)
        if bad:
            raise DictionaryError(
                f"{where}: control or invisible layout character U+{ord(bad.group()):04X} in entry"
            )
        fields = line.split("\t")
        if len(fields) not in (2, 3):
            raise DictionaryError(
                f"{where}: expected 'spun<TAB>standard[<TAB>flags]', found {len(fields)} field(s)"
            )
        spun, standard = _clean_field(fields[0]), _clean_field(fields[1])
        flags = frozenset(f.strip() for f in fields[2].split(",") if f.strip()) if len(fields) == 3 else frozenset()
        if not spun:
            raise DictionaryError(f"{where}: empty spun side")
        if not standard:
            raise DictionaryError(f"{where}: empty standard side")
        unknown = sorted(flags - KNOWN_FLAGS)
        if unknown:
            raise DictionaryError(f"{where}: unknown flag(s) {', '.join(unknown)}")
        words = tokenize(spun)
        if not words:
            raise DictionaryError(f"{where}: spun side {spun!r} has no words")
        if len(words) > MAX_KEY_WORDS:
            raise DictionaryError(f"{where}: spun side has {len(words)} words (at most {MAX_KEY_WORDS})")
        rebuilt = _rebuild(spun, words)
        if rebuilt != spun:
            raise DictionaryError(
                f"{where}: spun side {spun!r} does not tokenize as written "
                "(only words, single spaces, hyphens and apostrophes)"
            )
        if standard != GUARD and (
            fold(spun) == fold(standard) or [t.fold for t in words] == [t.fold for t in tokenize(standard)]
        ):
            raise DictionaryError(f"{where}: entry maps {spun!r} to itself")
        key = (spun,) if "case" in flags else tuple(t.fold for t in words)
        if key in seen:
            warnings.warn(
                DictionaryWarning(
                    f"{where}: same spun side as line {seen[key]} ({spun!r}); the later entry wins"
                ),
                stacklevel=2,
            )
        seen[key] = number
        yield Entry(spun, standard, flags, source, number)


def _rebuild(spun: str, words: list) -> str:
    """Rebuild the spun side from its tokens with canonical separators."""
    parts = [spun[words[0].start : words[0].end]]
    for left, right in zip(words, words[1:]):
        gap = spun[left.end : right.start]
        if gap not in (" ", "-"):
            return ""
        parts.append(gap + spun[right.start : right.end])
    result = "".join(parts)
    return result if words[0].start == 0 and words[-1].end == len(spun) else ""


def load_dictionary(path: str | os.PathLike[str], name: str | None = None) -> list[Entry]:
    """Read one TSV dictionary file.

    The rule id of its entries is ``name:line`` (``name`` defaults to the file name).
    """
    path = Path(path)
    label = name or path.name
    if path.suffix.lower() == ".csv":  # a Problematic Paper Screener export
        from .screen.pps import restore_entries

        return restore_entries(path, label)
    if path.is_dir():
        raise DictionaryError(f"{path}: is a directory, not a dictionary file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read dictionary: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise DictionaryError(f"{label}:1: binary data (NUL byte) in dictionary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DictionaryError(f"{label}:{line}: not UTF-8 (byte offset {exc.start})") from None
    # Only CR, LF and CRLF end a line, so line numbers are the ones an editor shows
    # (str.splitlines would also break at U+2028, U+0085, form feed, ...).
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return list(parse_dictionary(lines, label))


def load_dictionaries(paths: Iterable[str | os.PathLike[str]]) -> list[Entry]:
    """Read several dictionary files, in order."""
    entries: list[Entry] = []
    for path in paths:
        entries.extend(load_dictionary(path))
    return entries


def check_entries(entries: Iterable[Entry]) -> list[str]:
    """Cross-entry problems: duplicates, conflicts between files and chains.

    Returns one ``file:line: why`` message per problem (empty when all is well).

    >>> good = [Entry("law requirement", "law enforcement", source="a.tsv", line=1)]
    >>> check_entries(good)
    []
    >>> check_entries(good + [Entry("law enforcement", "policing", source="b.tsv", line=3)])
    ["a.tsv:1: standard side 'law enforcement' is itself a spun key (b.tsv:3): chain"]
    """
    problems: list[str] = []
    seen: dict[tuple[bool, tuple[str, ...]], Entry] = {}
    entries = list(entries)
    for entry in entries:
        key = (entry.case_sensitive, entry.words if not entry.case_sensitive else tuple(entry.spun.split()))
        first = seen.get(key)
        if first is None:
            seen[key] = entry
            continue
        if first.standard == entry.standard:
            problems.append(f"{entry.rule}: duplicate of {first.rule} ({entry.spun!r})")
        else:
            problems.append(
                f"{entry.rule}: conflicts with {first.rule}: {entry.spun!r} -> "
                f"{entry.standard!r} vs {first.standard!r}"
            )
    keys = {e.words: e for e in entries if not e.case_sensitive}
    for entry in entries:
        target = tuple(t.fold for t in tokenize(entry.standard))
        other = keys.get(target)
        if other is not None:
            problems.append(
                f"{entry.rule}: standard side {entry.standard!r} is itself a spun key ({other.rule}): chain"
            )
    return problems
