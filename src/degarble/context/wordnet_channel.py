"""Candidate source and channel model from WordNet's sense order.

Moby's synonym lists are alphabetical, so where the spun word sits in an
original's list says nothing about how likely a spinner picked it.  WordNet
(Debian ``wordnet-base``, read in place from ``/usr/share/wordnet``) is ordered:
an index line lists a lemma's senses most frequent first, and a synset lists
its lemmas in a fixed order (the OpenOffice thesaurus ``mythes-en-us`` is
this structure printed out).  A spinner that looks a word up and takes the
first synonym it is offered leaves a swap whose *rank* in that structure is
low, which gives a channel ``P(spun | original)`` from the thesaurus alone.

For every original lemma ``o``, part of speech ``p`` and sense ``n`` (1 = most
frequent), the sense's synonym list is written out as mythes does it: the
other lemmas of the synset in order, then (adjectives) the lemmas of similar
synsets, then the lemmas of the hypernyms ("generic term").  Each single word
``s`` on that list gives a reverse link ``s -> o`` with its ``sense``, its
``rank`` among the single words of the list (0 = first), the synset's size and
its ``kind`` (0 synset member, 1 similar, 2 generic).  The links live in an
SQLite file in the user cache, built on first use (seconds) and checked
against the WordNet files' size and time, like the Moby index.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cache import cached_sqlite, open_stamped
from .morphology import pos_lemmas, reinflect_as

__all__ = ["WORDNET", "Link", "WordNetChannel", "load_wordnet_channel", "read_wordnet_links"]

WORDNET = Path("/usr/share/wordnet")
_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
_UPOS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}
MEMBER, SIMILAR, GENERIC = 0, 1, 2
#: Share of a spinner's picks that are the first synonym of the sense it used.  A structural
#: constant of the channel (the spinner's habit), not a per-word weight; see docs/context.md.
FIRST_SHARE = 0.6


@dataclass(frozen=True)
class Link:
    """The best (lowest) place of a spun word in one original's sense-ordered synonym lists."""

    sense: int  # 1 = the original's most frequent sense (of that part of speech)
    rank: int  # 0 = the first single word offered for that sense
    size: int  # single words offered for that sense
    kind: int  # MEMBER, SIMILAR or GENERIC
    senses: int  # senses of the original in that part of speech

    def log_channel(self) -> float:
        """``log P(spun | original)``: a sense chosen uniformly, then the first synonym with
        probability :data:`FIRST_SHARE`, any other one uniformly."""
        if self.rank == 0:
            pick = FIRST_SHARE
        else:
            pick = (1.0 - FIRST_SHARE) / max(1, self.size - 1)
        return math.log(pick) - math.log(max(1, self.senses))


def _words(field: str) -> str:
    return field.lower().split("(")[0].replace("_", " ")


def read_wordnet_links(folder: Path = WORDNET) -> Iterator[tuple[str, str, str, int, int, int, int, int]]:
    """``(spun, original, pos, sense, rank, size, kind, senses)`` for every single-word link."""
    synsets: dict[tuple[str, str], tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]] = {}
    for pos, name in _FILES.items():
        with open(folder / f"data.{name}", encoding="latin-1") as handle:
            for line in handle:
                if line.startswith(" "):
                    continue
                head = line.split(" | ", 1)[0].split()
                count = int(head[3], 16)
                members = [_words(head[4 + 2 * i]) for i in range(count)]
                k = 4 + 2 * count
                similar: list[tuple[str, str]] = []
                generic: list[tuple[str, str]] = []
                for _ in range(int(head[k])):
                    symbol, offset, target = head[k + 1], head[k + 2], head[k + 3]
                    k += 4
                    target = "a" if target == "s" else target
                    if symbol == "&":
                        similar.append((offset, target))
                    elif symbol in ("@", "@i"):
                        generic.append((offset, target))
                synsets[(head[0], pos)] = (members, similar, generic)
    for pos, name in _FILES.items():
        with open(folder / f"index.{name}", encoding="latin-1") as handle:
            for line in handle:
                if line.startswith(" "):
                    continue
                fields = line.split()
                original = fields[0].replace("_", " ")
                if not original.isalpha():
                    continue
                senses = int(fields[2])
                offsets = fields[-senses:]
                for sense, offset in enumerate(offsets, 1):
                    members, similar, generic = synsets[(offset, pos)]
                    offered: list[tuple[str, int]] = [(m, MEMBER) for m in members]
                    for other in similar:
                        offered += [(m, SIMILAR) for m in synsets[other][0]]
                    for other in generic:
                        offered += [(m, GENERIC) for m in synsets[other][0]]
                    singles: dict[str, int] = {}
                    for word, kind in offered:
                        if word != original and word.isalpha() and word not in singles:
                            singles[word] = kind
                    for rank, (word, kind) in enumerate(singles.items()):
                        yield word, original, pos, sense, rank, len(singles), kind, senses


class WordNetChannel:
    """Reverse links ``spun lemma -> originals`` with their sense-order ranks, in SQLite."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def build(cls, folder: Path = WORDNET, target: str = ":memory:", stamp: str = "") -> WordNetChannel:
        db = sqlite3.connect(target, check_same_thread=False)
        db.executescript(
            "CREATE TABLE link(spun TEXT, orig TEXT, pos TEXT, sense INT, rank INT, size INT, kind INT, senses INT);"
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
        )
        db.executemany("INSERT INTO link VALUES (?,?,?,?,?,?,?,?)", read_wordnet_links(folder))
        db.execute("CREATE INDEX link_spun ON link(spun, pos)")
        db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
        db.commit()
        return cls(db)

    @classmethod
    def open(cls, path: Path, stamp: str) -> WordNetChannel | None:
        """Open a cached index; None when it is missing, damaged or built from other files."""
        db = open_stamped(path, stamp)
        return cls(db) if db is not None else None

    @lru_cache(maxsize=50_000)  # noqa: B019 - one index per process
    def originals(self, spun: str, pos: str) -> dict[str, Link]:
        """Originals whose ``pos`` synonym lists offer the lemma ``spun``, with their best link."""
        best: dict[str, Link] = {}
        rows = self._db.execute(
            "SELECT orig, sense, rank, size, kind, senses FROM link WHERE spun = ? AND pos = ?", (spun, pos)
        )
        for orig, sense, rank, size, kind, senses in rows:
            link = Link(sense, rank, size, kind, senses)
            old = best.get(orig)
            if old is None or link.log_channel() > old.log_channel():
                best[orig] = link
        return best

    def _keys(self, word: str) -> list[tuple[str, str]]:
        found = [(lemma, _UPOS[pos]) for pos, lemma in pos_lemmas(word) if pos in _UPOS]
        return found or [(word, p) for p in _FILES]

    def candidates(self, word: str, kinds: tuple[int, ...] = (MEMBER, SIMILAR)) -> dict[str, Link]:
        """Possible originals of ``word`` (folded), inflected like it, with their best link.

        >>> ch = WordNetChannel.build()  # doctest: +SKIP
        >>> ch.candidates("utilized")["used"].rank  # doctest: +SKIP
        0
        """
        found: dict[str, Link] = {}
        for lemma, pos in self._keys(word):
            upos = {v: k for k, v in _UPOS.items()}[pos]
            for orig, link in self.originals(lemma, pos).items():
                if link.kind not in kinds:
                    continue
                forms = (orig,) if lemma == word else reinflect_as(orig, word, upos)
                for form in forms:
                    if form != word and form.isalpha():
                        old = found.get(form)
                        if old is None or link.log_channel() > old.log_channel():
                            found[form] = link
        return found

    def link(self, written: str, candidate: str) -> Link | None:
        """The best link of ``written`` (as the spun word) to ``candidate`` (as the original)."""
        from .morphology import lemmas_of

        wanted = {candidate, *lemmas_of(candidate)}
        best: Link | None = None
        for lemma, pos in self._keys(written):
            for orig, link in self.originals(lemma, pos).items():
                if orig in wanted and (best is None or link.log_channel() > best.log_channel()):
                    best = link
        return best


@lru_cache(maxsize=2)
def load_wordnet_channel(folder: str | None = None) -> WordNetChannel | None:
    """The WordNet channel, or None when WordNet's files are absent (Debian ``wordnet-base``)."""
    where = Path(folder) if folder else WORDNET
    files = [where / f"{kind}.{name}" for name in _FILES.values() for kind in ("data", "index")]
    if not all(f.is_file() for f in files):
        return None
    stamp = "wn-channel-v1:" + ":".join(f"{f.stat().st_size}-{int(f.stat().st_mtime)}" for f in files)

    def build(target: str) -> None:
        WordNetChannel.build(where, target, stamp)._db.close()

    db = cached_sqlite("wordnet-channel-v1.sqlite", stamp, build)
    return WordNetChannel(db) if db is not None else None
