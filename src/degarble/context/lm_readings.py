"""The ``lm`` level's rule for learned readings: SmolLM2 ranks what the loaded lists teach.

At the bigram level a learned reading that misses the plain margin may still
change on the lists' own statistics (``margin + log-odds``, :mod:`.decision`),
but the bigram counts cannot rank the lists' candidates for one word ("big
data" / "large data"), so that path stops early.  At the ``lm`` level SmolLM2
scores every learned candidate of a slot in its window, and a learned reading
changes when

* ``margin + weight * log-odds`` reaches :attr:`LearnedRule.odds` (the margin is
  the LM's, against the best reading with the slot reverted),
* SmolLM2 puts it at least :attr:`LearnedRule.gap` nats ahead of the slot's
  next candidate (it chose among the lists' readings, not by a hair), and
* it completes its run (:mod:`.completion`), or, with no content neighbour, its
  score reaches :attr:`LearnedRule.alone`;

or when its whole run, once read so, is a term the detector knows (a shipped
term or a standard side of a loaded list) and the score reaches
:attr:`LearnedRule.known`.

The rule is calibrated on short texts (a tortured phrase, a title, a keyword
line: :attr:`LearnedRule.max_words`); longer texts keep the plain thresholds.
:func:`choose` works on plain features so ``bench/lm_quality.py`` replays it
exactly from a recorded permissive run.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Container, Mapping, Sequence
from dataclasses import dataclass, replace

from ..changes import Change, Suspect
from ..tokens import Token, tokenize
from .candidates import Option, Slot
from .completion import Completion
from .decision import Thresholds, decide
from .decoding import Decoded, Reading

__all__ = [
    "LM_RULE",
    "NEVER",
    "LearnedRule",
    "SlotFeatures",
    "choose",
    "learned_decoding",
    "lm_decide",
    "run_neighbours",
    "slot_features",
]

NEVER = float("inf")


@dataclass(frozen=True)
class LearnedRule:
    """Scores (nats) the lm level's learned readings need (``NEVER``: that path is off)."""

    odds: float = NEVER
    weight: float = 1.0
    alone: float = NEVER
    gap: float | None = None
    known: float = NEVER
    # Only texts of at most this many words (None: any length).
    max_words: int | None = None
    # In such texts, decode the learned readings on their own: a thesaurus reading that the
    # LM prefers (and that this level never applies) no longer hides the lists' reading.
    learned_decoding: bool = False

    def applies(self, words: int) -> bool:
        """Whether the rule is on for a text of ``words`` tokens."""
        return self.max_words is None or words <= self.max_words


@dataclass(frozen=True)
class SlotFeatures:
    """What :func:`choose` knows of one changed slot of a cluster's best reading."""

    first: int
    last: int
    learned: bool
    margin: float
    odds: float
    gap: float | None
    # Content words joined to the slot: (token index, looks clean as written).
    neighbours: tuple[tuple[int, bool], ...]
    # The slot's run, read with the best reading's options, is a known term.
    run_known: bool


# The lm level's shipped rule: chosen on 500 tortured phrases of half A, each restored by a
# restorer that loaded the other three quarters of half A (python bench/lm_quality.py rule):
# most exact with CV wrong <= 0.12 and, restored with the built-in lists only, wrong <= 0.09 on
# 250 phrases of half A: CV 0.212 / 0.094 (0.150 / 0.062 without it); lone readings (``alone``)
# broke the built-in constraint.  Figures in docs/context.md, "Fifth round".  Texts of more than
# 12 words keep the plain thresholds (SpinBot paragraphs, 19 words and more, never reach it).
LM_RULE = LearnedRule(odds=8.0, weight=2.0, max_words=12, learned_decoding=True)


def run_neighbours(
    text: str, tokens: Sequence[Token], first: int, last: int, starts: Sequence[int], completion: Completion
) -> list[tuple[int, bool]]:
    """The content words joined to ``tokens[first:last]`` (as :meth:`Completion.complete`
    walks them), each with whether it looks clean as written."""
    joined = completion.neighbours(text, tokens, first, last, starts)
    return [(j, completion.clean(text, tokens[j])) for j in joined]


def choose(
    slots: Sequence[SlotFeatures | None],
    learned_margin: float,
    rule: LearnedRule,
    protected: Collection[int],
    words: int,
) -> set[int]:
    """Indices of the slots whose learned reading changes (None: the slot is kept as written).

    ``learned_margin``: the plain margin any learned reading changes from (document-level).
    """
    chosen = {k for k, s in enumerate(slots) if s is not None and s.learned and s.margin >= learned_margin}
    if not rule.applies(words):
        return chosen
    pending: dict[int, float] = {}
    for k, s in enumerate(slots):
        if s is None or not s.learned or k in chosen:
            continue
        score = s.margin + rule.weight * s.odds
        if rule.gap is not None and (s.gap is None or s.gap < rule.gap):
            continue
        if score >= min(rule.odds, rule.known):
            pending[k] = score
    covered = set(protected)
    for k in (*chosen, *pending):
        covered.update(range(slots[k].first, slots[k].last))  # type: ignore[union-attr]
    for k, score in pending.items():
        s = slots[k]
        assert s is not None
        if s.run_known and score >= rule.known and _run_learned(s, slots):
            chosen.add(k)
            continue
        if score < rule.odds:
            continue
        joined = [j for j, _ in s.neighbours]
        if not joined and score < rule.alone:
            continue
        if all(j in covered or clean for j, clean in s.neighbours):
            chosen.add(k)
    return chosen


def _run_learned(slot: SlotFeatures, slots: Sequence[SlotFeatures | None]) -> bool:
    """Every changed slot inside ``slot``'s run is a learned reading (a known run read
    with a thesaurus option in it would not be what the text becomes)."""
    run = {slot.first, *(j for j, _ in slot.neighbours)}
    return all(s.learned for s in slots if s is not None and s.first in run)


def slot_features(
    text: str,
    tokens: Sequence[Token],
    decoded: Decoded,
    starts: Sequence[int],
    completion: Completion,
    known: Container[tuple[str, ...]],
) -> list[SlotFeatures | None]:
    """:class:`SlotFeatures` for each slot of ``decoded``'s best reading (None: kept)."""
    choice = decoded.best.choice
    out: list[SlotFeatures | None] = []
    for k, option in enumerate(choice):
        if option is None:
            out.append(None)
            continue
        slot = decoded.slots[k]
        own = next((g for o, g in decoded.gains[k] if o is option), 0.0)
        others = [g for o, g in decoded.gains[k] if o is not option]
        neighbours = run_neighbours(text, tokens, slot.first, slot.last, starts, completion)
        out.append(
            SlotFeatures(
                slot.first,
                slot.last,
                option.source == "learned",
                decoded.margins.get(k, 0.0),
                option.odds,
                own - max(others) if others else None,
                tuple(neighbours),
                run_reading(tokens, decoded, slot.first, slot.last, neighbours) in known,
            )
        )
    return out


def run_reading(
    tokens: Sequence[Token], decoded: Decoded, first: int, last: int, neighbours: Sequence[tuple[int, bool]]
) -> tuple[str, ...]:
    """The folded words of the run around ``tokens[first:last]`` with the best reading written in."""
    lo = min([first, *(j for j, _ in neighbours)])
    hi = max([last - 1, *(j for j, _ in neighbours)]) + 1
    at = {s.first: m for m, s in enumerate(decoded.slots) if decoded.best.choice[m] is not None}
    words: list[str] = []
    i = lo
    while i < hi:
        m = at.get(i)
        if m is None:
            words.append(tokens[i].fold)
            i += 1
        else:
            option = decoded.best.choice[m]
            assert option is not None
            words.extend(t.fold for t in tokenize(option.text))
            i = decoded.slots[m].last
    return tuple(words)


def learned_decoding(decoded: Decoded, redecode: Callable[[list[Slot]], Decoded]) -> Decoded:
    """The cluster decoded again with its learned options only (the LM scores of the single
    options are cached, so this costs only the joint readings)."""
    slots = [replace(s, options=[o for o in s.options if o.source == "learned"]) for s in decoded.slots]
    if not any(s.options for s in slots):
        return replace(decoded, best=Reading((None,) * len(slots), decoded.keep_score), margins={})
    return redecode(slots)


def lm_decide(
    text: str,
    tokens: Sequence[Token],
    decoded: Decoded,
    thresholds: Thresholds,
    level: str,
    *,
    rule: LearnedRule,
    completion: Completion | None,
    known: Container[tuple[str, ...]],
    redecode: Callable[[list[Slot]], Decoded] | None = None,
    protected: Collection[int] = (),
    sentence_starts: Sequence[int] = (),
    also: Mapping[int, tuple[Option, float]] | None = None,
) -> tuple[list[Change], list[Suspect]]:
    """:func:`.decision.decide` with the learned readings chosen by :func:`choose`.

    Changes are written and suspects reported by :func:`.decision.decide` itself, on the
    best reading cut down to the chosen slots; suspects keep every candidate (thesaurus
    ones too).  Thesaurus readings keep ``thresholds.change`` (not in a learned decoding).
    ``also``: the calibrated decision's slots (:mod:`.calibrated`), passed on to ``decide``.
    """
    if completion is None:
        return decide(
            text, tokens, decoded, thresholds, level, protected=protected, sentence_starts=sentence_starts, also=also
        )
    judged = decoded
    if rule.learned_decoding and redecode is not None and rule.applies(len(tokens)):
        judged = learned_decoding(decoded, redecode)
    features = slot_features(text, tokens, judged, sentence_starts, completion, known)
    chosen = choose(features, thresholds.learned, rule, protected, len(tokens))
    for k, s in enumerate(features):
        if s is not None and not s.learned and s.margin >= thresholds.change:
            chosen.add(k)
    cut = tuple(o if k in chosen else None for k, o in enumerate(judged.best.choice))
    kept = replace(decoded, best=Reading(cut, judged.best.score), margins=judged.margins)
    return decide(
        text,
        tokens,
        kept,
        replace(thresholds, learned=-NEVER, change=-NEVER, learned_odds=None),
        level,
        protected=protected,
        sentence_starts=sentence_starts,
        also=also,
    )
