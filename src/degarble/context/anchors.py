"""Candidate source (d): thesaurus readings anchored in the loaded lists' standard wording.

A screener list teaches more than its word pairs: its standard sides are phrases
authors write ("random forest", "neural network", "signal to noise").  A spun word
that no list pair covers ("arbitrary" in "arbitrary woods") is often one whose
thesaurus root forms such a standard word pair with its neighbour, as written
("forest") or as the lists teach it ("woods" -> "forest").  Those roots are few
per word (most words have none) where the whole thesaurus offers dozens, so the
language model has a real choice to make among them.

:class:`StandardPairs` holds the adjacent word pairs of the standard sides of the
loaded technical dictionaries (not the general dictionary's everyday phrases) and
of the shipped term lists; :meth:`StandardPairs.anchored` tells whether a thesaurus
root of a written word is anchored by a neighbour.  Anchored readings change text
only on the statistics path of learned readings (margin threshold
:attr:`.decision.Thresholds.anchored`, and they must complete their run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..dictionary import Entry
from ..tokens import Token, gap_joins, tokenize
from .substitutions import FUNCTION_WORDS, SubstitutionModel

__all__ = ["StandardPairs"]


class StandardPairs:
    """Adjacent word pairs of the standard wording the loaded lists and term lists use."""

    def __init__(self, pairs: Iterable[tuple[str, str]], clean: Callable[[str], bool] | None = None) -> None:
        self.pairs = frozenset(pairs)
        # A written word that looks clean (a word of the standard vocabulary the lists do not
        # change more often than they keep: "speech", "wavelet") takes no anchored reading.
        self.clean = clean

    def applies(self, word: str) -> bool:
        """Whether the written ``word`` may take an anchored reading at all."""
        return self.clean is None or not self.clean(word)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], terms: Iterable[str] = ()) -> StandardPairs:
        """Pairs of the standard sides of ``entries`` (guards and ``general.tsv`` left out) and ``terms``.

        >>> pairs = StandardPairs.from_entries([Entry("arbitrary woods", "random forest")])
        >>> ("random", "forest") in pairs.pairs
        True
        """
        texts = [
            e.standard for e in entries if not e.is_guard and Path(e.source).name != "general.tsv"
        ]
        found: set[tuple[str, str]] = set()
        for text in (*texts, *terms):
            words = [t.fold for t in tokenize(text)]
            found.update(zip(words, words[1:]))
        return cls(found)

    def __len__(self) -> int:
        return len(self.pairs)

    def neighbour_readings(
        self, text: str, tokens: Sequence[Token], first: int, last: int, model: SubstitutionModel | None
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Readings of the words joined to ``tokens[first:last]`` (left, right): as written or as learned."""
        out: list[frozenset[str]] = []
        for j, i in ((first - 1, first), (last, last - 1)):
            if j < 0 or j >= len(tokens):
                out.append(frozenset())
                continue
            a, b = (tokens[j], tokens[i]) if j < i else (tokens[i], tokens[j])
            if not gap_joins(text, a, b) or text[a.end : b.start] not in (" ", "-"):
                out.append(frozenset())
                continue
            word = tokens[j].fold
            if word in FUNCTION_WORDS:  # "strength of" anchors nothing
                out.append(frozenset())
                continue
            learned = model.candidates(word) if model is not None else {}
            out.append(frozenset((word, *learned)))
        return out[0], out[1]

    def anchored(self, candidate: str, left: Iterable[str], right: Iterable[str]) -> bool:
        """Whether ``candidate`` (a word, or a phrase: its edge words) forms a standard pair
        with a reading of a neighbour.

        >>> StandardPairs([("random", "forest")]).anchored("random", (), ("woods", "forest"))
        True
        """
        words = candidate.split()
        return any((w, words[0]) in self.pairs for w in left) or any(
            (words[-1], w) in self.pairs for w in right
        )
