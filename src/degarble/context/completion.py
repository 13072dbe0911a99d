"""Is a run of words fully explained once a reading is applied?

A spinner swaps the words of a phrase together ("incendiary ailment" for
"inflammatory disease").  Restoring one of them and leaving its spun neighbour
("incendiary disease") gives a phrase that is still wrong, and claims more than
the evidence shows.  So a learned reading that is applied on the strength of
the lists' statistics (below the plain learned margin, see
:class:`.decision.Thresholds`) must *complete* its run: every content word
joined to it (by a space or a hyphen, up to a function word) is either changed
too, protected (the dictionaries changed it), or looks clean:

* the loaded lists do not change it more often than they keep it, and
* it is a word of the standard vocabulary (the standard sides of the loaded
  technical dictionaries and the shipped term lists), or no thesaurus lists it
  as a synonym of anything (a spinner only writes words its thesaurus offers:
  "phosphatase" is no spinner's pick, "incendiary" may be).

The run ends at a function word, a name (capitalised inside a sentence) or a
number.  It must hold at least one other content word: a lone word between
function words or names ("the populace of", "Nielsen's works") has no neighbour
whose fit could vouch for the reading, and in running prose such readings were
mostly wrong (``bench/context_quality.py --cv``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache

from ..tokens import Token, gap_joins
from .substitutions import SubstitutionModel
from .suspects import KEEP_WORDS, MIN_LETTERS
from .thesaurus import Thesaurus

__all__ = ["Completion"]


class Completion:
    """Decides whether the run around a changed span is left with spun-looking words."""

    def __init__(self, model: SubstitutionModel, vocabulary: Iterable[str], thesaurus: Thesaurus | None) -> None:
        self.model = model
        self.vocabulary = frozenset(vocabulary)
        self.thesaurus = thesaurus
        self._clean = lru_cache(maxsize=100_000)(self._clean_word)

    def _clean_word(self, word: str) -> bool:
        changed = sum(self.model.candidates(word).values())
        if changed > self.model.kept.get(word, 0):
            return False
        if word in self.vocabulary or self.thesaurus is None:
            return True
        return not self.thesaurus.candidates(word)

    def clean_word(self, word: str) -> bool:
        """Whether the folded ``word`` looks like no spinner's output (see :meth:`clean`)."""
        return self._clean(word)

    def clean(self, text: str, tok: Token) -> bool:
        """Whether the content word ``tok`` as written looks like no spinner's output."""
        return self._clean(tok.fold)

    @staticmethod
    def content(text: str, tok: Token, opens_sentence: bool) -> bool:
        """A word a spinner may swap: no function word, number or name."""
        word = tok.fold
        if len(word) < MIN_LETTERS or not word.isalpha() or word in KEEP_WORDS:
            return False
        return not (text[tok.start].isupper() and not opens_sentence)

    def complete(
        self,
        text: str,
        tokens: Sequence[Token],
        first: int,
        last: int,
        covered: Collection[int],
        sentence_starts: Sequence[int],
        alone: bool = False,
    ) -> bool:
        """True when some content word is joined to ``tokens[first:last]`` and every one is
        covered or clean (``alone``: a span with no content neighbour passes too; a run of
        several changed words is its own neighbourhood)."""
        joined = self.neighbours(text, tokens, first, last, sentence_starts)
        if any(j not in covered and not self.clean(text, tokens[j]) for j in joined):
            return False
        return bool(joined) or alone

    def neighbours(
        self, text: str, tokens: Sequence[Token], first: int, last: int, sentence_starts: Sequence[int]
    ) -> list[int]:
        """The content words joined to ``tokens[first:last]`` by a space or hyphen, walking
        outwards on both sides until a function word, punctuation or a line break."""
        found: list[int] = []
        for step, edge in ((-1, first), (1, last - 1)):
            i = edge
            while True:
                j = i + step
                if j < 0 or j >= len(tokens):
                    break
                a, b = (tokens[j], tokens[i]) if step < 0 else (tokens[i], tokens[j])
                if not gap_joins(text, a, b) or text[a.end : b.start] not in (" ", "-"):
                    break
                if not self.content(text, tokens[j], sentence_starts[j] == j):
                    break
                found.append(j)
                i = j
        return found
