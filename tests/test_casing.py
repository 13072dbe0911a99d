"""Case transfer and a/an agreement."""

from __future__ import annotations

import pytest

from degarble.casing import indefinite_article, match_article_case, transfer_case


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (["law", "requirement"], "law enforcement"),
        (["Law", "requirement"], "Law enforcement"),
        (["Law", "Requirement"], "Law Enforcement"),
        (["LAW", "REQUIREMENT"], "LAW ENFORCEMENT"),
        ([], "law enforcement"),
        (["law", "Requirement"], "law enforcement"),  # only a later word capitalised
        (["3D", "REQUIREMENT"], "LAW ENFORCEMENT"),  # upper case, though it starts with a digit
        (["3d", "Requirement"], "law enforcement"),
        (["L", "r"], "Law enforcement"),
    ],
)
def test_transfer_case(written: list[str], expected: str) -> None:
    assert transfer_case("law enforcement", written) == expected


def test_transfer_case_never_lowers_names_or_acronyms() -> None:
    assert transfer_case("MRI scan", ["attractive", "check"]) == "MRI scan"
    assert transfer_case("United Nations", ["joined", "countries"]) == "United Nations"


@pytest.mark.parametrize(
    ("phrase", "article"),
    [
        ("deep learning", "a"),
        ("artificial intelligence", "an"),
        ("hour", "an"),
        ("honest answer", "an"),
        ("university", "a"),
        ("one-off", "a"),
        ("European study", "a"),
        ("FBI agent", "an"),
        ("8-bit", "an"),
        ("11th", "an"),
        ("7th", "a"),
        ("x", "an"),
        ("", "a"),
        ("“apple”", "an"),
    ],
)
def test_indefinite_article(phrase: str, article: str) -> None:
    assert indefinite_article(phrase) == article


def test_match_article_case() -> None:
    assert match_article_case("an", "A") == "An"
    assert match_article_case("a", "AN") == "A"
    assert match_article_case("an", "a") == "an"
