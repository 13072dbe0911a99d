"""Step 4: change, report, or leave alone.

A slot is changed only when its reading in the best decoding beats the text as
written by at least :attr:`Thresholds.change` (in nats of ``log P``, priors
included); learned substitutions, which a dictionary vouches for, have their
own threshold.  A slot whose best candidate gains at least
:attr:`Thresholds.suspect` but not enough to change is reported as a
:class:`~degarble.changes.Suspect` with its ranked candidates, so a screener
sees it.  Both thresholds are calibrated on development data for precision.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from ..changes import Change, Suspect
from ..tokens import Token
from .candidates import Option
from .completion import Completion
from .decoding import Decoded, render

__all__ = ["Thresholds", "decide"]


@dataclass(frozen=True)
class Thresholds:
    """Margins in nats: ``change`` for thesaurus readings, ``learned`` for learned ones."""

    change: float = 6.0
    learned: float = 3.0
    suspect: float = 1.0
    max_candidates: int = 5
    # Document-level evidence: in a text the dictionaries already found spun (at least
    # ``evidence`` distinct dictionary findings), learned readings need only ``learned_spun``
    # and suspects only ``suspect_spun``.
    learned_spun: float | None = None
    suspect_spun: float | None = None
    evidence: int = 2
    # Weaker evidence: no dictionary finding, but at least ``vocabulary_evidence`` different
    # words of the spinner vocabulary (context/spinner_words.tsv) in the text.
    learned_vocabulary: float | None = None
    vocabulary_evidence: int = 2
    # The lists' own statistics: a learned reading below ``learned`` still changes when
    # ``margin + odds_weight * log-odds`` (how much more often the loaded lists change the
    # written word this way than keep it) reaches ``learned_odds`` *and* it completes its run
    # (:mod:`.completion`: no spun-looking word is left next to it).
    learned_odds: float | None = None
    odds_weight: float = 1.0
    # A learned reading with no content neighbour to vouch for it (after a name or between
    # function words: "Alzheimer's malady") takes that path only from ``alone`` (None: never).
    alone: float | None = None
    # Thesaurus readings anchored in the lists' standard wording (context/anchors.py) change from
    # this margin when they complete their run, where the log-odds path is on (None: never).
    anchored: float | None = None

    def for_document(self, findings: int, vocabulary: int = 0) -> Thresholds:
        """The thresholds for a document with ``findings`` distinct dictionary findings and
        ``vocabulary`` distinct spinner-vocabulary words.

        >>> Thresholds(learned=12.0, learned_spun=4.0, evidence=1).for_document(1).learned
        4.0
        >>> Thresholds(learned=12.0, learned_spun=4.0, evidence=1).for_document(0).learned
        12.0
        >>> Thresholds(learned=12.0, learned_vocabulary=6.0, evidence=1).for_document(0, 2).learned
        6.0
        """
        if findings < self.evidence:
            if self.learned_vocabulary is not None and findings + vocabulary >= self.vocabulary_evidence:
                return replace(self, learned=min(self.learned, self.learned_vocabulary))
            return self
        learned = self.learned if self.learned_spun is None else min(self.learned, self.learned_spun)
        suspect = self.suspect if self.suspect_spun is None else min(self.suspect, self.suspect_spun)
        return replace(self, learned=learned, suspect=suspect)


def _confidence(margin: float) -> float:
    """A margin in nats as a score in ``(0, 1]`` (a logistic squash)."""
    return round(1.0 / (1.0 + math.exp(-margin / 2.0)), 3)


def decide(
    text: str,
    tokens: Sequence[Token],
    decoded: Decoded,
    thresholds: Thresholds,
    level: str,
    *,
    completion: Completion | None = None,
    protected: Collection[int] = (),
    sentence_starts: Sequence[int] = (),
    also: Mapping[int, tuple[Option, float]] | None = None,
) -> tuple[list[Change], list[Suspect]]:
    """Turn one decoded cluster into changes (margin met) and suspects (the rest that look spun).

    ``completion`` (with the ``protected`` token indices and each token's sentence start)
    enables the statistics path for learned readings (:attr:`Thresholds.learned_odds`).
    ``also``: slots the calibrated decision (:mod:`.calibrated`) changes, with the option
    and its probability, where the margin rule changed nothing that overlaps them.
    """
    changes: list[Change] = []
    suspects: list[Suspect] = []
    taken: set[int] = set()
    chosen: list[int] = []
    pending: list[int] = []
    for k, option in enumerate(decoded.best.choice):
        if option is None:
            continue
        margin = decoded.margins.get(k, 0.0)
        needed = thresholds.learned if option.source == "learned" else thresholds.change
        if margin >= needed:
            chosen.append(k)
        elif (
            option.source == "learned"
            and completion is not None
            and thresholds.learned_odds is not None
            and margin + thresholds.odds_weight * option.odds >= thresholds.learned_odds
        ):
            pending.append(k)
        elif (  # anchored thesaurus readings (anchors.py) take the same path from their own margin
            option.source == "anchored"
            and completion is not None
            and thresholds.learned_odds is not None
            and thresholds.anchored is not None
            and margin >= thresholds.anchored
        ):
            pending.append(k)
    if pending:
        covered = set(protected)
        for k in (*chosen, *pending):
            covered.update(range(decoded.slots[k].first, decoded.slots[k].last))
        for k in pending:
            slot = decoded.slots[k]
            option = decoded.best.choice[k]
            assert option is not None
            score = decoded.margins.get(k, 0.0) + thresholds.odds_weight * option.odds
            alone = thresholds.alone is not None and score >= thresholds.alone
            if completion is not None and completion.complete(
                text, tokens, slot.first, slot.last, covered, sentence_starts, alone
            ):
                chosen.append(k)
    picked: dict[int, tuple[Option, str, float]] = {}
    for k in chosen:
        option = decoded.best.choice[k]
        assert option is not None
        picked[k] = (option, f"context:{level}:{option.source}", _confidence(decoded.margins.get(k, 0.0)))
    if also:
        used = set(protected)
        for k in picked:
            used.update(range(decoded.slots[k].first, decoded.slots[k].last))
        for k, (option, probability) in sorted(also.items()):
            slot = decoded.slots[k]
            if k in picked or used.intersection(range(slot.first, slot.last)):
                continue
            used.update(range(slot.first, slot.last))
            picked[k] = (option, f"context:{level}:calibrated:{option.source}", round(probability, 3))
    for k in sorted(picked):
        option, rule, score = picked[k]
        slot = decoded.slots[k]
        first = slot.first
        # Widen over a preceding a/an when the replacement needs the other article.
        replacement = render(text, tokens, first, slot.last, [slot], [option])
        if first > 0 and tokens[first - 1].fold in ("a", "an"):
            widened = render(text, tokens, first - 1, slot.last, [slot], [option])
            if widened.split(None, 1)[0] != text[tokens[first - 1].start : tokens[first - 1].end]:
                first, replacement = first - 1, widened
        start, end = tokens[first].start, tokens[slot.last - 1].end
        changes.append(
            Change(
                start,
                end,
                text[start:end],
                replacement,
                rule,
                score,
                "context",
                option.standard,
            )
        )
        taken.update(range(slot.first, slot.last))
    for k, slot in enumerate(decoded.slots):
        if any(i in taken for i in range(slot.first, slot.last)):
            continue
        ranked = [(o, g) for o, g in decoded.gains[k] if g > -math.inf]
        if not ranked or ranked[0][1] < thresholds.suspect:
            continue
        start, end = tokens[slot.first].start, tokens[slot.last - 1].end
        suspects.append(
            Suspect(
                start,
                end,
                text[start:end],
                tuple((o.text, round(g, 2)) for o, g in ranked[: thresholds.max_candidates]),
                round(ranked[0][1], 2),
                f"context:{level}",
            )
        )
    return changes, suspects
