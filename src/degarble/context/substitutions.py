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
        stretches: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for entry in entries:
            if entry.case_sensitive:
                continue
            spun = [t.fold for t in tokenize(entry.spun)]
            standard = [t.fold for t in tokenize(entry.standard)]
            model.kept.update(set(spun) & set(standard))
            singles, multis = align_words(spun, standard)
            for x, y in singles:
                model.add(x, y)
            stretches.extend(multis)
        # Once every single-word pair is known, peel the pairs they explain off the ends of an
        # uneven stretch ("supply route sickness" -> "artery disease" with "sickness" -> "disease"
        # known leaves "supply route" -> "artery"), so the core serves other phrases.
        for xs, ys in stretches:
            model.add_phrase(xs, ys)
            core = model.peel(xs, ys)
            if core != (xs, ys):
                model.add_phrase(*core)
        return model

    def peel(
        self, spun: tuple[str, ...], standard: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Drop leading and trailing word pairs that learned single-word pairs explain.

        >>> model = SubstitutionModel.from_entries([Entry("ailment", "disease")])
        >>> model.peel(("supply", "route", "ailment"), ("artery", "disease"))
        (('supply', 'route'), ('artery',))
        """
        while len(spun) > 1 and len(standard) > 1 and standard[-1] in self.words.get(spun[-1], {}):
            spun, standard = spun[:-1], standard[:-1]
        while len(spun) > 1 and len(standard) > 1 and standard[0] in self.words.get(spun[0], {}):
            spun, standard = spun[1:], standard[1:]
        return spun, standard

    def add_phrase(self, spun: tuple[str, ...], standard: tuple[str, ...]) -> None:
        """Record an uneven stretch (a word pair when peeling left one word on each side)."""
        if len(spun) == 1 and len(standard) == 1:
            self.add(spun[0], standard[0])
        elif (
            spun
            and standard
            and len(spun) <= 4
            and len(standard) <= 4
            and not all(w in FUNCTION_WORDS for w in spun)
        ):
            self.phrases.setdefault(spun, Counter())[standard] += 1

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
