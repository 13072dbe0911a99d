"""A calibrated decision over all evidence of a candidate (:mod:`.evidence`).

A logistic function of a few raw features, ``P(right) = 1 / (1 + exp(-(w . x + b)))``,
fitted on half A of the SpinBot development pairs by
``python bench/context_quality.py``'s sibling ``bench/context_ceiling.py fit FILE --write``;
the weights live beside this module in ``calibrated.json`` (features named, so
the file says what it weighs).  A single-word slot that the margin rule left
alone changes to its most probable option when that probability reaches the
calibrated threshold.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..tokens import Token
from .candidates import Option
from .decoding import Decoded
from .evidence import RAW_FIELDS, Document, option_rows
from .thesaurus import Thesaurus
from .wordnet_channel import WordNetChannel

__all__ = ["WEIGHTS", "CalibratedDecision"]

WEIGHTS = Path(__file__).with_name("calibrated.json")


@dataclass(frozen=True)
class CalibratedDecision:
    """Weights over named raw features, an intercept and the probability a change needs."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> CalibratedDecision:
        data = json.loads(path.read_text(encoding="utf-8"))
        unknown = set(data["features"]) - set(RAW_FIELDS)
        if unknown:
            raise ValueError(f"{path}: unknown features {sorted(unknown)}")
        return cls(tuple(data["features"]), tuple(data["weights"]), float(data["intercept"]), float(data["threshold"]))

    @cached_property
    def _columns(self) -> tuple[int, ...]:
        return tuple(RAW_FIELDS.index(f) for f in self.features)

    @property
    def needs_wordnet(self) -> bool:
        """True when the weights use WordNet's evidence (``wn_*``)."""
        return any(f.startswith("wn_") for f in self.features)

    def probability(self, values: Sequence[float]) -> float:
        """``P(right)`` for one option's raw evidence (in :data:`RAW_FIELDS` order).

        >>> d = CalibratedDecision(("gain",), (1.0,), -2.0, 0.5)
        >>> round(d.probability([2.0] + [0.0] * (len(RAW_FIELDS) - 1)), 2)
        0.5
        """
        z = self.intercept + sum(w * values[i] for i, w in zip(self._columns, self.weights))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def choose(
        self,
        tokens: Sequence[Token],
        decoded: Sequence[Decoded],
        document: Document,
        thesaurus: Thesaurus | None,
        spinner_words: Collection[str],
        protected: Collection[int],
        sentence_starts: Sequence[int],
        wordnet: WordNetChannel | None = None,
    ) -> dict[int, dict[int, tuple[Option, float]]]:
        """Per cluster, per slot: the most probable option and its probability, where it
        reaches the threshold."""
        best: dict[tuple[int, int], tuple[Option, float]] = {}
        for row in option_rows(
            tokens, decoded, document, thesaurus, spinner_words, protected, sentence_starts, wordnet
        ):
            p = self.probability(row.values)
            key = (row.cluster, row.slot)
            if key not in best or p > best[key][1]:
                best[key] = (row.option, p)
        out: dict[int, dict[int, tuple[Option, float]]] = {}
        for (c, k), (option, p) in best.items():
            if p >= self.threshold:
                out.setdefault(c, {})[k] = (option, p)
        return out
