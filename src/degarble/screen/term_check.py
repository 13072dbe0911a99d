"""A language model's second opinion on thesaurus-only term readings (``degarble screen --lm-terms``).

The term detector (:mod:`degarble.terms`) reads a run of words as a swapped
term; when only loose thesaurus links back the reading it is *weak*: clean
prose is full of word pairs that a dense thesaurus maps onto some term
("attachment disorder" -> "heart disease").  What tells the two apart is
whether the written words are ordinary English *in their sentence*: an author
writes "attachment disorder" and a language model finds it about as likely as
the term, while a spinner's "irregular woodland" in a sentence about
classifiers is far less likely than "random forest".

So each weak reading is scored twice by SmolLM2-135M (the ``context`` extra,
:mod:`degarble.context.neural_lm`): its sentence as written and with the term
put in, over a short window (the sentence around the reading, at most
:data:`LEFT_WORDS` words before it and :data:`RIGHT_WORDS` after).  When the
term's version is more likely by at least ``margin`` nats, the reading is
confirmed and counts as a finding (method ``terms-lm``).  The margin was set
on clean prose (``bench/screen_quality.py --lm-terms``): weak readings there
rarely gain that much from the term, the readings of swapped terms mostly do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context.language_model import LanguageModel
    from ..terms import TermHit

__all__ = ["DEFAULT_MARGIN", "LEFT_WORDS", "RIGHT_WORDS", "TermModelCheck", "load_term_check"]

#: How many nats more likely the sentence must be with the term than as written.
DEFAULT_MARGIN = 10.0
#: Words of context kept before a reading (within its sentence) and after it.
LEFT_WORDS = 12
RIGHT_WORDS = 6

_SENTENCE_END = re.compile(r"[.!?]\s|\n")


class TermModelCheck:
    """Confirms weak term readings whose term a language model prefers by ``margin`` nats."""

    def __init__(self, model: LanguageModel, margin: float = DEFAULT_MARGIN) -> None:
        self.model = model
        self.margin = margin

    def windows(self, text: str, hit: TermHit) -> tuple[str, str]:
        """The reading's sentence window as written and with the term put in."""
        left, right = _left_context(text, hit.start), _right_context(text, hit.end)
        return left + hit.written + right, left + hit.replacement + right

    def gains(self, text: str, hits: Sequence[TermHit]) -> list[float]:
        """For each hit, ``log P(window with the term) - log P(window as written)``."""
        if not hits:
            return []
        texts: list[str] = []
        for hit in hits:
            texts.extend(self.windows(text, hit))
        scores = self.model.score(texts)
        return [scores[2 * k + 1] - scores[2 * k] for k in range(len(hits))]

    def confirmed(self, text: str, hits: Sequence[TermHit]) -> list[bool]:
        """Whether each hit's term is that much more likely in its sentence than the written words."""
        return [gain >= self.margin for gain in self.gains(text, hits)]


def _left_context(text: str, start: int) -> str:
    """Up to :data:`LEFT_WORDS` words before ``start``, from the start of its sentence on."""
    before = text[:start]
    ends = list(_SENTENCE_END.finditer(before))
    sentence = before[ends[-1].end() :] if ends else before
    words = sentence.split()
    if not words:
        return ""
    kept = " ".join(words[-LEFT_WORDS:])
    return kept + (" " if sentence[-1:].isspace() else "")


def _right_context(text: str, end: int) -> str:
    """Up to :data:`RIGHT_WORDS` words after ``end``, to the end of its sentence."""
    after = text[end:]
    stop = _SENTENCE_END.search(after)
    sentence = after[: stop.start() + 1] if stop else after
    lead = " " if sentence[:1].isspace() else ""
    words = sentence.split()
    return lead + " ".join(words[:RIGHT_WORDS]) if words else ""


def load_term_check(margin: float = DEFAULT_MARGIN, threads: int | None = None) -> TermModelCheck:
    """The check with SmolLM2 (raises :class:`~degarble.context.language_model.ModelUnavailable`
    saying what to install when the ``context`` extra is missing)."""
    from ..context.neural_lm import load_transformer_model

    return TermModelCheck(load_transformer_model(threads=threads), margin)
