"""Document-level evidence: a text already found spun gets lower margins, and spinner
vocabulary (dictionary ``spun`` words, the context pass's own word list) counts as evidence.

Small resources built here; none of these needs the ``context`` extra.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from degarble.context import decision
from degarble.context.candidates import ChannelPrior
from degarble.context.decision import Thresholds
from degarble.context.language_model import BigramModel
from degarble.context.pipeline import ContextPass, ContextSettings, load_spinner_words
from degarble.context.substitutions import SubstitutionModel
from degarble.context.thesaurus import Thesaurus
from degarble.dictionary import Entry, builtin_dictionary_paths, check_entries, load_dictionary
from degarble.restorer import Restorer

COUNTS = {"the": 1000, "album": 50, "collection": 60, "was": 800, "released": 40, "discharged": 5, "in": 900}
BIGRAMS = {("album", "was"): 20, ("was", "released"): 30, ("released", "in"): 20, ("the", "album"): 30}


def _pass(thresholds: Thresholds) -> ContextPass:
    settings = ContextSettings(
        level="bigram",
        thesaurus=False,
        spinner_words=False,
        prior=ChannelPrior(frequency=0.0),
        thresholds=thresholds,
    )
    lm = BigramModel(COUNTS, BIGRAMS)
    return ContextPass([Entry("discharged", "released")], settings, thesaurus=Thesaurus.build([]), lm=lm, bigram=lm)


TEXT = "The album was discharged in 1990."


def _margin() -> float:
    """The learned reading's margin in TEXT (the change's score is its margin here)."""
    original = decision._confidence
    decision._confidence = lambda margin: margin
    try:
        changes, _ = _pass(Thresholds(learned=-99.0)).run(TEXT)
    finally:
        decision._confidence = original
    [change] = changes
    assert change.replacement == "released"
    return change.score


def test_evidence_lowers_the_learned_margin_only_in_a_spun_document() -> None:
    margin = _margin()
    assert margin > 0
    strict = Thresholds(learned=margin + 1.0, learned_spun=margin - 0.5, evidence=2)
    cp = _pass(strict)
    assert cp.run(TEXT, findings=0)[0] == []
    assert cp.run(TEXT, findings=1)[0] == []  # below the evidence quorum
    [change] = cp.run(TEXT, findings=2)[0]
    assert TEXT[change.start : change.end] == "discharged" and change.replacement == "released"


def test_without_a_spun_threshold_evidence_changes_nothing() -> None:
    margin = _margin()
    cp = _pass(Thresholds(learned=margin + 1.0, evidence=1))
    assert cp.run(TEXT, findings=5)[0] == []


def test_evidence_lowers_the_suspect_threshold() -> None:
    margin = _margin()
    thresholds = Thresholds(learned=99.0, suspect=margin + 1.0, suspect_spun=margin - 0.5, evidence=1)
    cp = _pass(thresholds)
    assert cp.run(TEXT, findings=0) == ([], [])
    changes, suspects = cp.run(TEXT, findings=1)
    assert changes == []
    assert [(s.original, s.candidates[0][0]) for s in suspects] == [("discharged", "released")]


# -- spinner vocabulary -------------------------------------------------------------


def test_spinner_words_are_valid_and_never_plain_dictionary_entries() -> None:
    words = load_spinner_words()
    assert len(words) >= 50
    builtin = [e for path in builtin_dictionary_paths() for e in load_dictionary(path)]
    assert check_entries(builtin + words) == []  # no duplicate of a dictionary key, no chains
    keys = [e.spun.casefold() for e in words]
    assert keys == sorted(keys)


def test_context_pass_learns_the_spinner_words() -> None:
    lm = BigramModel(COUNTS, BIGRAMS)
    on = ContextPass([], ContextSettings(level="bigram"), thesaurus=Thesaurus.build([]), lm=lm, bigram=lm)
    off = ContextPass(
        [], ContextSettings(level="bigram", spinner_words=False), thesaurus=Thesaurus.build([]), lm=lm, bigram=lm
    )
    assert isinstance(on.model, SubstitutionModel) and isinstance(off.model, SubstitutionModel)
    assert on.model.candidates("populace") == {"population": 1}
    assert on.model.candidates("hitched") == {"married": 1}
    assert off.model.candidates("populace") == {}


# -- the dictionary pass: spinner signature words as evidence -------------------------


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer()


def test_a_text_dense_with_different_signature_words_is_spun(restorer: Restorer) -> None:
    text = "Individuals additionally censured the innovation."
    assert restorer.restore(text) == "People also criticized the technology."


def test_one_signature_word_proves_nothing(restorer: Restorer) -> None:
    text = "Individuals who came to the meeting asked many questions about the new rules."
    assert restorer.restore(text) == text


def test_signature_words_spread_thin_prove_nothing(restorer: Restorer) -> None:
    filler = "The council met on Monday and talked about the roads and the budget for the next year. " * 8
    text = f"Individuals spoke first. {filler}The plan was additionally discussed. {filler}It was censured."
    assert restorer.restore(text) == text


def test_the_same_signature_word_repeated_is_one_finding(restorer: Restorer) -> None:
    text = "Individuals met individuals and individuals."
    assert restorer.restore(text) == text


def test_evidence_threshold_replace_keeps_other_fields() -> None:
    t = Thresholds(change=7.0, learned=12.0, suspect=3.0, learned_spun=4.0, suspect_spun=1.0, evidence=1)
    assert t.for_document(0) == t
    assert t.for_document(3) == replace(t, learned=4.0, suspect=1.0)


def test_spinner_vocabulary_in_the_text_is_weaker_evidence() -> None:
    margin = _margin()
    thresholds = Thresholds(learned=margin + 1.0, learned_vocabulary=margin - 0.5, vocabulary_evidence=2, evidence=1)
    settings = ContextSettings(
        level="bigram", thesaurus=False, prior=ChannelPrior(frequency=0.0), thresholds=thresholds
    )
    lm = BigramModel(COUNTS, BIGRAMS)
    cp = ContextPass([Entry("discharged", "released")], settings, thesaurus=Thesaurus.build([]), lm=lm, bigram=lm)
    one = TEXT  # "discharged" itself is a spinner-vocabulary word: one proves nothing
    two = "Its populace is small. " + TEXT

    def discharged(text: str) -> list[str]:
        return [c.replacement for c in cp.run(text)[0] if text[c.start : c.end] == "discharged"]

    assert discharged(one) == []
    assert discharged(two) == ["released"]
