"""Term readings in context: the term detector's findings, decided with the language model.

The term detector (:mod:`degarble.terms`) reads a run of words as a standard
term with some words swapped ("signal to commotion" -> "signal to noise").  On
its own it keeps a finding *firm* only when every swap is backed by a learned
pair or by two thesauri, and when no adjacent written pair is a common phrase;
everything else is a weak finding (a suspect) or no finding at all.

In context mode a language model is at hand, so the findings the detector
alone must drop or leave weak are judged by how much the term reading improves
the sentence (a gain in nats, as for the other readings of :mod:`.decoding`):

* ``firm``: firm and no common written pair: changed, as the detector says;
* ``common``: firm swaps, but some written pair is a common phrase ("gross
  domestic item": "gross domestic" is common, as it should be): changed when
  the gain reaches :attr:`TermMargins.common`;
* ``learned`` / ``weak``: thesaurus-only findings, with at least one learned
  swap or none: changed from :attr:`TermMargins.learned` / :attr:`TermMargins.weak`.

Below its margin a finding stays a suspect.  The margins are calibrated on
half A of the development data (``bench/context_quality.py --cv --term-common G``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..changes import Change, Suspect
from ..tokens import Token
from .language_model import LanguageModel

if TYPE_CHECKING:
    from ..terms import TermHit

__all__ = ["TermMargins", "as_changes", "decide_term_hits", "hit_class"]

NEVER = math.inf


@dataclass(frozen=True)
class TermMargins:
    """LM gains (nats) a term reading needs, per class of finding (inf: never changed)."""

    common: float = NEVER
    learned: float = NEVER
    weak: float = NEVER


def hit_class(hit: TermHit, common_pair: Callable[[str, str], bool] | None, words: Sequence[str]) -> str:
    """``firm``, ``common``, ``learned`` or ``weak`` (see the module docstring)."""
    common = common_pair is not None and any(common_pair(a, b) for a, b in zip(words, words[1:]))
    if hit.firm:
        return "common" if common else "firm"
    if any(ev == "learned" for _, _, ev in hit.changed):
        return "learned"
    return "weak"


def _gain(
    text: str,
    tokens: Sequence[Token],
    hit: TermHit,
    lm: LanguageModel,
    sentence: tuple[int, int],
    left: int,
    right: int,
) -> float:
    """``log P`` of the sentence window with the term reading minus as written."""
    first, last = hit.first, hit.last
    lo = max(sentence[0], first - left)
    hi = min(sentence[1], last + right)
    start, end = tokens[lo].start, tokens[hi - 1].end
    written = text[start:end]
    reading = text[start : hit.start] + hit.replacement + text[hit.end : end]
    after, before = lm.score([reading, written])
    return after - before


def decide_term_hits(
    text: str,
    tokens: Sequence[Token],
    hits: Sequence[TermHit],
    lm: LanguageModel,
    margins: TermMargins,
    common_pair: Callable[[str, str], bool] | None,
    sentence_of: Callable[[int], tuple[int, int]],
    *,
    left: int = 12,
    right: int = 8,
) -> tuple[list[TermHit], list[TermHit], dict[int, float]]:
    """Split term hits into those to change and those to report; also each judged hit's gain.

    Returns ``(changed, reported, gains)`` with ``gains`` keyed by ``id(hit)``.
    """
    changed: list[TermHit] = []
    reported: list[TermHit] = []
    gains: dict[int, float] = {}
    for hit in hits:
        words = [t.fold for t in tokens[hit.first : hit.last]]
        kind = hit_class(hit, common_pair, words)
        if kind == "firm":
            changed.append(hit)
            continue
        needed = getattr(margins, kind)
        if needed == NEVER and kind == "common":
            continue  # the detector's own rule: no finding at all
        gain = _gain(text, tokens, hit, lm, sentence_of(hit.first), left, right)
        gains[id(hit)] = gain
        if gain >= needed:
            changed.append(hit)
        elif kind != "common":
            reported.append(hit)
    return changed, reported, gains


def as_changes(
    text: str,
    tokens: Sequence[Token],
    changed: Sequence[TermHit],
    reported: Sequence[TermHit],
    gains: dict[int, float],
) -> tuple[list[Change], list[Suspect]]:
    """Changes and suspects, via :func:`degarble.terms.hits_as_changes` (firm = changed)."""
    from ..terms import hits_as_changes

    firm = [replace(h, firm=True) for h in changed]
    weak = [replace(h, firm=False) for h in reported]
    changes, suspects = hits_as_changes(text, tokens, [*firm, *weak])
    # Judged hits carry their gain as the score (comparable with the other context readings).
    by_span = {(h.start, h.end): gains[id(h)] for h in changed if id(h) in gains}
    out = []
    for change in changes:
        gain = by_span.get((change.start, change.end))
        if gain is None:
            # the change may have been widened over a/an: match by its end
            gain = next((g for (s, e), g in by_span.items() if e == change.end and s >= change.start), None)
        out.append(change if gain is None else replace(change, score=_squash(gain)))
    return out, suspects


def _squash(gain: float) -> float:
    return round(1.0 / (1.0 + math.exp(-gain / 2.0)), 3)
