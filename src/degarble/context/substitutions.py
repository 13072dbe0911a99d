"""Candidate source (a): a substitution model learned from every loaded dictionary.

Each entry's spun and standard sides are aligned word by word
(``profound learning`` -> ``deep learning`` teaches ``profound -> deep``;
``irregular backwoods`` -> ``random forest`` teaches ``irregular -> random`` and
``backwoods -> forest``), so a loaded list generalises to phrases it does not
contain.  Pairs are also kept at the lemma level, so ``backwoods -> forest``
restores ``backwoods`` in the plural too.  Stretches whose lengths differ
(``at the point when`` -> ``when``) become multi-word substitutions.

The count of entries that teach a pair is its support, used by the channel
prior: a substitution seen in many entries is more likely spinner output.  The
count of entries that keep a word on both sides (``learning`` in ``profound
learning`` -> ``deep learning``) says how often that word is *not* spinner
output; :meth:`SubstitutionModel.log_odds` weighs the two (a word the lists
nearly always change, like ``framework`` -> ``system``, against one they mostly
keep, like ``information``).
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..dictionary import Entry
from ..tokens import tokenize
from .morphology import pos_lemmas, reinflect_as

__all__ = ["SubstitutionModel", "align_words"]

# Words whose substitution a spinner does not make (function words): an aligned
# pair that touches one is noise from an uneven alignment.
FUNCTION_WORDS = frozenset(
    "a an the of in on at to for by with from as and or but nor is are was were be been being am do does did "
    "has have had that this these those it its their his her our your my not no so than then there here "
    "which who whom whose what when where why how if into onto upon over under up down out off about".split()
)


def align_words(
    spun: Iterable[str], standard: Iterable[str]
) -> tuple[list[tuple[str, str]], list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Align two word sequences: ``(single-word pairs, multi-word pairs)`` that differ.

    >>> align_words(["irregular", "backwoods"], ["random", "forest"])
    ([('irregular', 'random'), ('backwoods', 'forest')], [])
    >>> align_words(["at", "the", "point", "when"], ["when"])
    ([], [(('at', 'the', 'point'), ())])
    """
    a, b = list(spun), list(standard)
    if len(a) == len(b):
        return [(x, y) for x, y in zip(a, b) if x != y], []
    singles: list[tuple[str, str]] = []
    multis: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            singles.extend((x, y) for x, y in zip(a[i1:i2], b[j1:j2]) if x != y)
        else:
            multis.append((tuple(a[i1:i2]), tuple(b[j1:j2])))
    return singles, multis


@dataclass
class SubstitutionModel:
    """Learned ``spun word -> standard word`` pairs with their support counts."""

    words: dict[str, Counter[str]] = field(default_factory=dict)
    # (part of speech, spun lemma) -> standard lemmas of that part of speech.
    lemmas: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], Counter[tuple[str, ...]]] = field(default_factory=dict)
    # Entries that keep the word unchanged on both sides (evidence that it is not spinner output).
    kept: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> SubstitutionModel:
        """Learn from dictionary entries (case-sensitive entries are names: skipped)."""
        model = cls()
        for entry in entries:
            if entry.case_sensitive:
                continue
            spun = [t.fold for t in tokenize(entry.spun)]
            standard = [t.fold for t in tokenize(entry.standard)]
            model.kept.update(set(spun) & set(standard))
            singles, multis = align_words(spun, standard)
            for x, y in singles:
                model.add(x, y)
            for xs, ys in multis:
                if xs and ys and len(xs) <= 4 and len(ys) <= 4 and not all(w in FUNCTION_WORDS for w in xs):
                    model.phrases.setdefault(xs, Counter())[ys] += 1
        return model

    def add(self, spun: str, standard: str) -> None:
        """Record one aligned pair (and its lemma-level pair)."""
        if spun in FUNCTION_WORDS or standard in FUNCTION_WORDS:
            return
        if not spun.isalpha() or not standard.isalpha():
            return
        self.words.setdefault(spun, Counter())[standard] += 1
        std_by_pos = dict(pos_lemmas(standard))
        for pos, lemma_spun in pos_lemmas(spun):
            lemma_std = std_by_pos.get(pos)
            if lemma_std and lemma_std != lemma_spun:
                self.lemmas.setdefault((pos, lemma_spun), Counter())[lemma_std] += 1

    def __len__(self) -> int:
        return len(self.words)

    def log_odds(self, word: str, support: int) -> float:
        """``log`` of how much more often the lists change ``word`` (this way) than keep it.

        >>> model = SubstitutionModel.from_entries([Entry("profound learning", "deep learning")])
        >>> round(model.log_odds("profound", 1), 2), round(model.log_odds("learning", 1), 2)
        (1.1, 0.0)
        """
        return math.log((support + 0.5) / (self.kept.get(word, 0) + 0.5))

    def candidates(self, word: str) -> dict[str, int]:
        """Standard words learned for ``word`` (folded), inflected like it, with their support.

        >>> model = SubstitutionModel.from_entries([Entry("utilize", "use"), Entry("utilize the", "use the")])
        >>> model.candidates("utilized")
        {'used': 2}
        """
        found: dict[str, int] = {}
        for std, count in self.words.get(word, {}).items():
            found[std] = found.get(std, 0) + count
        # Lemma-level pairs serve other forms, each within the part of speech it was learned in.
        for pos, lemma in pos_lemmas(word):
            for std_lemma, count in self.lemmas.get((pos, lemma), {}).items():
                for form in reinflect_as(std_lemma, word, pos):
                    if form != word and form not in found:
                        found[form] = count
        return found

    def phrase_candidates(self, words: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        """Learned multi-word replacements for a span of words."""
        return dict(self.phrases.get(words, {}))
