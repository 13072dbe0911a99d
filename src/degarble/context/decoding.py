"""Step 3: score candidate readings in their sentence and decode neighbours jointly.

Every reading is scored as ``log P_LM(window) + sum of channel priors`` where
the window is the stretch of the sentence around the slots (left *and* right
context).  Slots that sit next to each other form a cluster and are decoded
together with a small beam, because a spinner changes neighbours together
(``prostate organ tasks`` for ``prostate gland operations``): judged one at a
time, each swap looks odd next to the other, still-spun word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..casing import indefinite_article, match_article_case
from ..tokens import Token
from .candidates import Option, Slot
from .language_model import LanguageModel

__all__ = ["Decoded", "Reading", "clusters", "decode_cluster", "render"]

LEFT_CONTEXT = 12
RIGHT_CONTEXT = 8


@dataclass
class Reading:
    """A choice of option (or None = as written) for each slot of a cluster."""

    choice: tuple[Option | None, ...]
    score: float = 0.0


@dataclass
class Decoded:
    """The outcome for one cluster: the best reading, the text as written, per-option gains."""

    slots: list[Slot]
    keep_score: float
    best: Reading
    # For each slot: (option, gain over the text as written when only this slot changes).
    gains: list[list[tuple[Option, float]]] = field(default_factory=list)
    # For each slot changed in ``best``: how much ``best`` beats itself with that slot kept.
    margins: dict[int, float] = field(default_factory=dict)


def clusters(slots: Sequence[Slot], sentence_of: Sequence[int], gap: int = 1) -> list[list[Slot]]:
    """Group slots that overlap or lie within ``gap`` tokens of each other in one sentence."""
    groups: list[list[Slot]] = []
    end = -10
    for slot in sorted(slots, key=lambda s: (s.first, s.last)):
        if groups and slot.first <= end + gap and sentence_of[slot.first] == sentence_of[groups[-1][0].first]:
            groups[-1].append(slot)
            end = max(end, slot.last)
        else:
            groups.append([slot])
            end = slot.last
    return groups


def render(
    text: str,
    tokens: Sequence[Token],
    first: int,
    last: int,
    slots: Sequence[Slot],
    choice: Sequence[Option | None],
) -> str:
    """The window ``tokens[first:last]`` with the chosen options written in (and a/an agreeing)."""
    parts: list[str] = []
    position = tokens[first].start
    for slot, option in sorted(zip(slots, choice), key=lambda p: p[0].first):
        if option is None:
            continue
        start, end = tokens[slot.first].start, tokens[slot.last - 1].end
        before = slot.first - 1
        if before >= first and tokens[before].fold in ("a", "an") and tokens[before].start >= position:
            article = text[tokens[before].start : tokens[before].end]
            wanted = match_article_case(indefinite_article(option.text), article)
            parts.append(text[position : tokens[before].start])
            parts.append(wanted)
            position = tokens[before].end
        parts.append(text[position:start])
        parts.append(option.text)
        position = end
    parts.append(text[position : tokens[last - 1].end])
    return "".join(parts)


def _compatible(slots: Sequence[Slot], choice: Sequence[Option | None], k: int) -> bool:
    """May slot ``k`` take an option, given the options already chosen (no overlaps)?"""
    slot = slots[k]
    for other, option in zip(slots[:k], choice):
        if option is not None and other.first < slot.last and slot.first < other.last:
            return False
    return True


def decode_cluster(
    text: str,
    tokens: Sequence[Token],
    cluster: Sequence[Slot],
    sentence: tuple[int, int],
    lm: LanguageModel,
    *,
    beam: int = 4,
    per_slot: int = 4,
    joint: bool = True,
    left: int = LEFT_CONTEXT,
    right: int = RIGHT_CONTEXT,
) -> Decoded:
    """Score the cluster's readings and find the best one."""
    slots = list(cluster)
    lo = max(sentence[0], slots[0].first - left)
    hi = min(sentence[1], max(s.last for s in slots) + right)
    none: tuple[Option | None, ...] = (None,) * len(slots)

    def window(choice: Sequence[Option | None]) -> str:
        return render(text, tokens, lo, hi, slots, choice)

    def prior(choice: Sequence[Option | None]) -> float:
        return sum(o.prior for o in choice if o is not None)

    # One slot at a time: the gain of each option with everything else as written.
    singles: list[tuple[int, Option]] = [(k, o) for k, s in enumerate(slots) for o in s.options]
    variants = [window(none)]
    for k, option in singles:
        choice = list(none)
        choice[k] = option
        variants.append(window(choice))
    scores = lm.score(variants)
    keep = scores[0]
    gains: list[list[tuple[Option, float]]] = [[] for _ in slots]
    for (k, option), score in zip(singles, scores[1:]):
        gains[k].append((option, score + option.prior - keep))
    for ranked in gains:
        ranked.sort(key=lambda p: -p[1])

    best = Reading(none, keep)
    for k, ranked in enumerate(gains):
        if ranked and keep + ranked[0][1] > best.score:
            choice = list(none)
            choice[k] = ranked[0][0]
            best = Reading(tuple(choice), keep + ranked[0][1])
    if joint and len(slots) > 1:
        best = _beam(slots, gains, window, prior, lm, keep, beam, per_slot, best)

    margins: dict[int, float] = {}
    changed = [k for k, o in enumerate(best.choice) if o is not None]
    if len(changed) == 1:
        margins[changed[0]] = best.score - keep
    elif changed:
        reverted = []
        for k in changed:
            choice = list(best.choice)
            choice[k] = None
            reverted.append(tuple(choice))
        for k, choice, score in zip(changed, reverted, lm.score([window(c) for c in reverted])):
            margins[k] = best.score - (score + prior(choice))
    return Decoded(slots, keep, best, gains, margins)


def _beam(slots, gains, window, prior, lm, keep, beam, per_slot, best):  # type: ignore[no-untyped-def]
    """Left-to-right beam over the slots, each taking 'as written' or one of its best options."""
    hypotheses: list[Reading] = [Reading((None,) * len(slots), keep)]
    for k in range(len(slots)):
        options = [o for o, gain in gains[k][:per_slot] if gain > -6.0]
        expanded: list[Reading] = list(hypotheses)
        fresh: list[tuple[Option | None, ...]] = []
        for hyp in hypotheses:
            for option in options:
                if _compatible(slots, hyp.choice, k):
                    choice = list(hyp.choice)
                    choice[k] = option
                    fresh.append(tuple(choice))
        if fresh:
            for choice, score in zip(fresh, lm.score([window(c) for c in fresh])):
                expanded.append(Reading(choice, score + prior(choice)))
        expanded.sort(key=lambda r: -r.score)
        hypotheses = expanded[:beam]
    top = hypotheses[0]
    return top if top.score > best.score else best
