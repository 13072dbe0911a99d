"""Spelling-variant keys unify regular British/American spellings, and only those."""

from __future__ import annotations

import pytest

from degarble.spelling import spelling_key


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("acknowledgement", "acknowledgment"),
        ("organisation", "organization"),
        ("recognising", "recognizing"),
        ("analyse", "analyze"),
        ("colour", "color"),
        ("behaviours", "behaviors"),
        ("centre", "center"),
        ("catalogue", "catalog"),
        ("travelled", "traveled"),
        ("haemoglobin", "hemoglobin"),
        ("foetus", "fetus"),
        ("defence", "defense"),
        ("programme", "program"),
    ],
)
def test_variants_share_a_key(british: str, american: str) -> None:
    assert spelling_key(british) == spelling_key(american)


@pytest.mark.parametrize(
    "word", ["shoes", "does", "four", "hour", "rise", "wise", "tour", "fence", "are", "a"]
)
def test_short_common_words_are_left_alone(word: str) -> None:
    assert spelling_key(word) == word
