"""Inflected forms come from the head word of both sides, in shared tags only."""

from __future__ import annotations

from degarble.dictionary import Entry
from degarble.inflection import inflected_forms


def forms(spun: str, standard: str, flags: frozenset[str] = frozenset()) -> dict[tuple[str, ...], str]:
    return dict(inflected_forms(Entry(spun, standard, flags)))


def test_plural_of_a_noun_head() -> None:
    got = forms("facial acknowledgment", "facial recognition")
    assert got[("facial", "acknowledgments")] == "facial recognitions"
    assert ("facial", "acknowledgment") not in got  # the written form is not repeated


def test_verb_tenses() -> None:
    got = forms("utilize", "use")
    assert got == {("utilized",): "used", ("utilizes",): "uses", ("utilizing",): "using"}


def test_infl_first_inflects_the_first_word() -> None:
    got = forms("burn through", "spend", frozenset({"infl=first"}))
    assert got.get(("burned", "through")) == "spent" or got.get(("burnt", "through")) == "spent"


def test_noinfl_case_acronyms_and_numbers_are_not_inflected() -> None:
    assert forms("utilize", "use", frozenset({"noinfl"})) == {}
    assert forms("Joined Countries", "United Nations", frozenset({"case"})) == {}
    assert forms("attractive reverberation imaging", "MRI") == {}
    assert forms("section 4", "part 4") == {}
