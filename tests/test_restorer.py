"""The pipeline end to end, on the small test dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_dictionary
from degarble.changes import apply_changes
from degarble.dictionary import DictionaryError, Entry
from degarble.restorer import Restorer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Facial acknowledgment is used by law requirement.",
            "Facial recognition is used by law enforcement.",
        ),
        ("As of late, police powers said so.", "Recently, police forces said so."),
        ("We utilized an colossal information set.", "We used a big data set."),
        ("A irregular woodland model.", "A random forest model."),
        ("AN IRREGULAR WOODLAND", "A RANDOM FOREST"),
        ("Law Requirement agencies", "Law Enforcement agencies"),
        ("At the point when it rains", "When it rains"),
        ("profound-learning and profound\r\nlearning", "deep learning and deep learning"),
        ("malignant growth and bosom malignancy", "cancer and breast cancer"),
    ],
)
def test_restores(small_restorer: Restorer, text: str, expected: str) -> None:
    result = small_restorer.restore_and_explain(text)
    assert result.text == expected
    assert apply_changes(text, result.changes) == expected
    assert small_restorer.restore(expected) == expected


def test_every_change_is_explained(small_restorer: Restorer) -> None:
    text = "Line one.\nWe saw facial acknowledgements, then a irregular woodland."
    result = small_restorer.restore_and_explain(text)
    assert [(c.original, c.replacement, c.rule, c.method) for c in result.changes] == [
        ("facial acknowledgements", "facial recognitions", "spelling:small.tsv:2", "spelling"),
        ("irregular woodland", "random forest", "small.tsv:9", "exact"),
    ]
    for c in result.changes:
        assert text[c.start : c.end] == c.original
        assert 0 < c.score <= 1


def test_context_only_phrases_never_fire_alone(small_restorer: Restorer) -> None:
    assert small_restorer.restore("A malignant growth.") == "A malignant growth."


def test_clean_text_is_returned_unchanged(small_restorer: Restorer) -> None:
    text = "Facial recognition helps law enforcement; a random forest and deep learning."
    result = small_restorer.restore_and_explain(text)
    assert result.text == text and result.changes == []


def test_article_is_left_alone_when_already_right_or_across_punctuation(small_restorer: Restorer) -> None:
    assert small_restorer.restore("an colossal information") == "a big data"
    assert small_restorer.restore("a, colossal information") == "a, big data"
    assert small_restorer.restore("a\n\ncolossal information") == "a\n\nbig data"


def test_extra_dictionaries_override_and_entries(tmp_path: Path, small_dictionary: Path) -> None:
    mine = write_dictionary(tmp_path, "law requirement\tpolicing\n", "mine.tsv")
    restorer = Restorer([small_dictionary], extra_dictionaries=[mine], entries=[Entry("big cat", "lion")])
    assert restorer.restore("law requirement, big cat") == "policing, lion"
    assert restorer.dictionary_paths == [small_dictionary, mine]
    assert len(restorer.entries) == 15


def test_no_dictionaries_changes_nothing() -> None:
    assert Restorer([]).restore("law requirement") == "law requirement"


def test_no_fuzzy(small_dictionary: Path) -> None:
    assert (
        Restorer([small_dictionary], fuzzy=False).restore("facial acknowledgmant") == "facial acknowledgmant"
    )


def test_bad_dictionary_raises_dictionary_error(tmp_path: Path) -> None:
    bad = write_dictionary(tmp_path, "law requirement\n", "bad.tsv")
    with pytest.raises(DictionaryError, match=r"^bad.tsv:1: "):
        Restorer([bad])
