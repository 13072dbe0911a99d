"""Learned readings applied on the lists' statistics (log-odds) must complete their run,
and term findings the detector alone drops are judged by the language model.

Small resources built here; none of these needs the ``context`` extra.
"""

from __future__ import annotations

from dataclasses import replace

from degarble.context.candidates import ChannelPrior
from degarble.context.completion import Completion
from degarble.context.decision import Thresholds
from degarble.context.language_model import BigramModel
from degarble.context.pipeline import ContextPass, ContextSettings
from degarble.context.substitutions import SubstitutionModel
from degarble.context.term_readings import TermMargins, decide_term_hits, hit_class
from degarble.context.thesaurus import Thesaurus
from degarble.dictionary import Entry
from degarble.terms import Channel, TermDetector
from degarble.tokens import tokenize

ENTRIES = [
    Entry("chronic ailment", "chronic disease"),
    Entry("ailment stages", "disease stages"),
    Entry("heart ailment", "heart disease"),
]
COUNTS = {"the": 1000, "chronic": 40, "disease": 60, "ailment": 5, "incendiary": 3, "inflammatory": 20, "they": 900}
BIGRAMS = {("chronic", "disease"): 20, ("inflammatory", "disease"): 10, ("the", "disease"): 5}


def _pass(thresholds: Thresholds) -> ContextPass:
    settings = ContextSettings(
        level="bigram",
        spinner_words=False,
        terms=False,
        prior=ChannelPrior(frequency=0.0),
        thresholds=thresholds,
    )
    lm = BigramModel(COUNTS, BIGRAMS)
    thesaurus = Thesaurus.build(["inflammatory,incendiary,fiery", "disease,ailment,malady"])
    return ContextPass(ENTRIES, settings, thesaurus=thesaurus, lm=lm, bigram=lm)


def test_log_odds_weigh_changed_against_kept() -> None:
    model = SubstitutionModel.from_entries(ENTRIES)
    assert model.kept["chronic"] == 1 and model.kept["ailment"] == 0
    assert model.log_odds("ailment", 3) > model.log_odds("chronic", 1)


def test_a_reading_that_completes_its_run_changes_below_the_plain_margin() -> None:
    cp = _pass(Thresholds(change=99.0, learned=99.0, learned_odds=-50.0))
    changes, _ = cp.run("They had a chronic ailment.")
    assert [(c.original, c.replacement) for c in changes] == [("ailment", "disease")]
    # Without the statistics path the plain margin (99) holds it back.
    assert _pass(Thresholds(change=99.0, learned=99.0)).run("They had a chronic ailment.")[0] == []


def test_a_reading_next_to_a_spun_looking_word_is_only_reported() -> None:
    cp = _pass(Thresholds(change=99.0, learned=99.0, learned_odds=-50.0, suspect=-50.0))
    changes, suspects = cp.run("They had an incendiary ailment.")
    assert changes == []  # "inflammatory disease" would need both words; half a fix is no fix
    assert any(s.original == "ailment" for s in suspects)


def test_a_lone_reading_needs_the_higher_alone_score() -> None:
    # "ailment" after a name has no content neighbour to vouch for it.
    text = "They saw Crohn ailment."
    base = Thresholds(change=99.0, learned=99.0, learned_odds=-50.0)
    assert _pass(base).run(text)[0] == []
    assert [c.replacement for c in _pass(replace(base, alone=-50.0)).run(text)[0]] == ["disease"]
    assert _pass(replace(base, alone=50.0)).run(text)[0] == []


def test_completion_needs_a_clean_or_changed_content_neighbour() -> None:
    model = SubstitutionModel.from_entries(ENTRIES)
    thesaurus = Thesaurus.build(["inflammatory,incendiary", "disease,ailment"])
    completion = Completion(model, {"chronic", "disease"}, thesaurus)
    for text, clean in (
        ("chronic ailment", True),  # a vocabulary word
        ("phosphatase ailment", True),  # no thesaurus offers it
        ("incendiary ailment", False),  # a thesaurus synonym outside the vocabulary
        ("Crohn ailment", False),  # a name ends the run: no neighbour vouches for the reading
        ("the ailment", False),  # a lone word between function words
    ):
        tokens = tokenize("They saw " + text)
        assert completion.complete("They saw " + text, tokens, 3, 4, {3}, [0] * len(tokens)) is clean, text


def _detector() -> TermDetector:
    channel = Channel({"item": frozenset({"product"}), "commotion": frozenset({"noise"})}).with_learned(
        {"item": ["product"], "commotion": ["noise"]}
    )
    return TermDetector(["gross domestic product", "signal to noise"], channel)


def test_term_findings_with_a_common_written_pair_are_judged_by_the_language_model() -> None:
    text = "The gross domestic item grew."
    tokens = tokenize(text)
    [hit] = _detector().find(text, tokens)
    common = {("gross", "domestic")}

    def common_pair(a: str, b: str) -> bool:
        return (a, b) in common

    assert hit_class(hit, common_pair, ["gross", "domestic", "item"]) == "common"
    lm = BigramModel({"gross": 10, "domestic": 10, "product": 30, "item": 30, "grew": 5}, {("domestic", "product"): 9})
    bounds = (0, len(tokens))
    changed, reported, gains = decide_term_hits(
        text, tokens, [hit], lm, TermMargins(common=1.0), common_pair, lambda i: bounds
    )
    assert changed == [hit] and gains[id(hit)] >= 1.0
    changed, reported, _ = decide_term_hits(
        text, tokens, [hit], lm, TermMargins(common=gains[id(hit)] + 1), common_pair, lambda i: bounds
    )
    assert changed == [] and reported == []  # a common-pair finding below its margin is no finding
    # Without a common pair, a firm finding changes as the detector says, with no LM needed.
    changed, _, gains = decide_term_hits(text, tokens, [hit], lm, TermMargins(), None, lambda i: bounds)
    assert changed == [hit] and gains == {}


def test_learned_swaps_are_tried_where_a_word_fits_a_term_as_written() -> None:
    # "fake" starts the term "fake news", yet the lists teach fake -> artificial.
    channel = Channel({}).with_learned({"fake": ["artificial"], "brain": ["neural"], "organization": ["network"]})
    terms = ["fake news", "artificial neural network"]
    text = "A fake brain organization was trained."
    assert TermDetector(terms, channel).find(text) == []
    [hit] = TermDetector(terms, channel, learned_past_fit=True).find(text)
    assert (hit.written, hit.replacement, hit.firm) == ("fake brain organization", "artificial neural network", True)
    # The term as written is still no finding.
    assert TermDetector(terms, channel, learned_past_fit=True).find("Fake news spread.") == []
    # Such a swap needs other learned swaps beside it: with only a thesaurus link (even one
    # WordNet confirms) next to it, ordinary prose ("the community run") is no finding.
    channel = Channel(
        {"run": frozenset({"function"})}, confirmed=frozenset({("run", "function")})
    ).with_learned({"community": ["network"]})
    terms = ["community detection", "network function"]
    assert TermDetector(terms, channel, learned_past_fit=True).find("See the community run.") == []


def test_a_term_reading_next_to_a_spun_looking_word_is_only_reported() -> None:
    # "incendiary" is a thesaurus synonym outside the standard vocabulary: "incendiary chronic
    # disease" would be half a fix, so the term finding becomes a suspect.
    settings = ContextSettings(
        level="bigram", spinner_words=False, prior=ChannelPrior(frequency=0.0), thresholds=Thresholds(learned_odds=8.0)
    )
    lm = BigramModel(COUNTS, BIGRAMS)
    thesaurus = Thesaurus.build(["inflammatory,incendiary,fiery", "disease,ailment,malady"])
    entries = [*ENTRIES, Entry("chronic ailment stages", "chronic disease stages")]
    for text, changed in (("They had an incendiary chronic ailment.", False), ("They had a chronic ailment.", True)):
        cp = ContextPass(entries, settings, thesaurus=thesaurus, lm=lm, bigram=lm)
        changes, suspects = cp.run(text)
        terms = [c for c in changes if c.rule.startswith("context:terms")]
        assert bool(terms) is changed, text
        if not changed:
            assert any("ailment" in s.original for s in suspects)
            off = ContextPass(entries, replace(settings, terms_complete=False), thesaurus=thesaurus, lm=lm, bigram=lm)
            assert [c.replacement for c in off.run(text)[0] if c.rule.startswith("context:terms")]
