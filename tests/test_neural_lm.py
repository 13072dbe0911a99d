"""The lm level's scorer (degarble.context.neural_lm): shared-prefix batching must give the
same numbers as one plain forward pass per text.

These run a tiny randomly initialised Llama (two layers) built from a config, so they need
torch and transformers (the ``context`` extra) but not the SmolLM2 weights; they skip with
the reason when the extra is absent.
"""

from __future__ import annotations

import importlib.util
import os

import pytest

from degarble.context.neural_lm import TransformerModel, _digest, prefetch_windows


class CharTokenizer:
    """One token per character (ids 3..), ``<s>`` = 1, padding = 0: enough to drive the scorer."""

    bos_token = "<s>"
    pad_token_id = 0

    def __call__(self, text: str, add_special_tokens: bool = False) -> dict[str, list[int]]:
        if text == self.bos_token:
            return {"input_ids": [1]}
        return {"input_ids": [3 + (ord(c) % 90) for c in text]}


def _need_torch() -> None:
    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"needs the context extra ({', '.join(missing)} missing): pip install 'degarble[context]'")


@pytest.fixture(scope="module")
def tiny():
    _need_torch()
    import torch
    import transformers

    torch.manual_seed(0)
    config = transformers.LlamaConfig(
        vocab_size=96,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        tie_word_embeddings=True,
    )
    model = transformers.LlamaForCausalLM(config).eval()
    return TransformerModel(model, CharTokenizer(), max_rows=5, max_tokens=120)


def test_groups_share_the_longest_common_prefix_and_leave_each_text_a_tail():
    scorer = TransformerModel(object(), CharTokenizer(), min_shared=3)
    encoded = [scorer.encode(t) for t in ["the cat sat", "the cow sat", "a dog", "the cat"]]
    groups = scorer._groups(encoded)
    members = sorted(sorted(m) for _, m in groups)
    assert members == [[0, 1, 3], [2]]
    for shared, group in groups:
        for i in group:
            assert 1 <= shared < len(encoded[i])  # every member keeps at least one own token
        assert all(encoded[i][:shared] == encoded[group[0]][:shared] for i in group)


def test_batched_shared_prefix_scores_equal_plain_forward_passes(tiny):
    texts = [
        "The album was released in May.",
        "The album was discharged in May.",
        "The collection was released in May.",
        "He died later that evening.",
        "He kicked the bucket later that night.",
        "A",
        "The album was released in May by the band.",
        "The album",
    ]
    plain = tiny.score_plain(texts)
    batched = tiny.score(texts)  # max_rows=5 forces several batches, mixed groups and lengths
    assert batched == pytest.approx(plain, abs=1e-3)
    # cached: asking again (in another order) gives the same numbers and reads nothing new
    read = tiny.tokens_read
    assert tiny.score(texts[::-1]) == batched[::-1]
    assert tiny.tokens_read == read


def test_prefetch_scores_the_windows_decode_cluster_asks_for(tiny):
    from degarble.context.candidates import Option, Slot
    from degarble.context.decoding import decode_cluster
    from degarble.tokens import tokenize

    text = "Yesterday the band discharged a new collection of songs."
    tokens = tokenize(text)
    slot = next(i for i, t in enumerate(tokens) if t.fold == "discharged")
    cluster = [Slot(slot, slot + 1, "discharged", [Option("released", 0.0, "thesaurus", "released")])]
    sentence = (0, len(tokens))
    scorer = TransformerModel(tiny.model, CharTokenizer())
    assert prefetch_windows(text, tokens, [cluster], [sentence], scorer, 8, 5) == 2
    read = scorer.tokens_read
    decode_cluster(text, tokens, cluster, sentence, scorer, left=8, right=5)
    assert scorer.tokens_read == read  # everything it needed was already scored


def test_model_copy_stamp_follows_content_not_mtime(tmp_path):
    first = tmp_path / "a" / "model.gguf"
    first.parent.mkdir()
    first.write_bytes(b"weights" * 1000)
    second = tmp_path / "b" / "model.gguf"
    second.parent.mkdir()
    second.write_bytes(b"weights" * 1000)
    os.utime(second, (1, 1))
    assert _digest(first) == _digest(second)
    second.write_bytes(b"Weights" * 1000)
    assert _digest(first) != _digest(second)


def test_copy_stamp_names_the_model_kind(tmp_path) -> None:
    """Each GGUF model's cached copy is stamped with its own kind, and SmolLM2's stamp keeps the
    prefix its existing copies carry (so no user converts SmolLM2 again after this change)."""
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"weights" * 1000)
    assert _digest(gguf).startswith("smollm2-v2:model.gguf:7000:")
    other = _digest(gguf, "gemma3-270m-v1")
    assert other.startswith("gemma3-270m-v1:") and other.split(":")[1:] == _digest(gguf).split(":")[1:]
