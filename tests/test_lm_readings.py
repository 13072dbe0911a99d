"""The lm level's rule for learned readings (context/lm_readings.py).

``choose`` is tested on plain features; the routing through the context pass
uses a small bigram model in the ``lm`` seat (the rule only needs a scorer), so
none of this needs torch or the ``context`` extra.
"""

from __future__ import annotations

from dataclasses import replace

from degarble.context.candidates import ChannelPrior
from degarble.context.decision import Thresholds
from degarble.context.language_model import BigramModel
from degarble.context.lm_readings import NEVER, LearnedRule, SlotFeatures, choose
from degarble.context.pipeline import ContextPass, ContextSettings
from degarble.context.thesaurus import Thesaurus
from degarble.dictionary import Entry


def _slot(first: int, margin: float, odds: float = 0.0, **kw: object) -> SlotFeatures:
    values: dict[str, object] = {
        "first": first,
        "last": first + 1,
        "learned": True,
        "margin": margin,
        "odds": odds,
        "gap": 5.0,
        "neighbours": ((first + 1, True),),
        "run_known": False,
    }
    values.update(kw)
    return SlotFeatures(**values)  # type: ignore[arg-type]


def test_a_completing_reading_changes_from_margin_plus_weighted_odds() -> None:
    rule = LearnedRule(odds=6.0, weight=2.0)
    assert choose([_slot(0, 3.0, odds=1.5)], NEVER, rule, (), 2) == {0}
    assert choose([_slot(0, 3.0, odds=1.0)], NEVER, rule, (), 2) == set()
    # the plain margin needs no statistics
    assert choose([_slot(0, 3.0)], 3.0, LearnedRule(), (), 2) == {0}


def test_a_spun_looking_neighbour_blocks_it_unless_changed_or_protected() -> None:
    rule = LearnedRule(odds=1.0)
    spun_next = _slot(0, 4.0, neighbours=((1, False),))
    assert choose([spun_next], NEVER, rule, (), 2) == set()
    assert choose([spun_next], NEVER, rule, (1,), 2) == {0}
    assert choose([spun_next, _slot(1, 4.0, neighbours=((0, False),))], NEVER, rule, (), 2) == {0, 1}


def test_the_lm_must_prefer_it_over_the_slots_other_learned_candidates() -> None:
    rule = LearnedRule(odds=1.0, gap=2.0)
    assert choose([_slot(0, 4.0, gap=3.0)], NEVER, rule, (), 2) == {0}
    assert choose([_slot(0, 4.0, gap=1.0)], NEVER, rule, (), 2) == set()
    # a slot with one candidate has no rival: no gap to measure, not taken on this path
    assert choose([_slot(0, 4.0, gap=None)], NEVER, rule, (), 2) == set()


def test_a_lone_reading_needs_the_alone_score() -> None:
    lone = _slot(0, 4.0, neighbours=())
    assert choose([lone], NEVER, LearnedRule(odds=1.0), (), 1) == set()
    assert choose([lone], NEVER, LearnedRule(odds=1.0, alone=3.0), (), 1) == {0}


def test_a_run_that_reads_as_a_known_term_takes_the_known_score() -> None:
    rule = LearnedRule(odds=9.0, known=2.0)
    spun_next = _slot(0, 3.0, neighbours=((1, False),), run_known=True)
    assert choose([spun_next], NEVER, rule, (), 2) == {0}
    assert choose([replace(spun_next, run_known=False)], NEVER, rule, (), 2) == set()
    # a thesaurus reading in the run: the known run is not what the text would become
    thesaurus_next = _slot(1, 3.0, learned=False)
    assert choose([spun_next, thesaurus_next], NEVER, rule, (), 2) == set()


def test_long_texts_keep_the_plain_margin() -> None:
    rule = LearnedRule(odds=1.0, max_words=12)
    assert choose([_slot(0, 4.0)], NEVER, rule, (), 12) == {0}
    assert choose([_slot(0, 4.0)], NEVER, rule, (), 13) == set()
    assert choose([_slot(0, 4.0)], 4.0, rule, (), 13) == {0}


ENTRIES = [
    Entry("chronic ailment", "chronic disease"),
    Entry("heart ailment", "heart disease"),
    Entry("ailment stages", "disease stages"),
]
COUNTS = {"the": 1000, "chronic": 40, "disease": 60, "ailment": 5, "illness": 50, "they": 900, "had": 500}
BIGRAMS = {("chronic", "disease"): 20, ("chronic", "illness"): 400, ("the", "disease"): 5}


def _pass(rule: LearnedRule) -> ContextPass:
    settings = ContextSettings(
        level="lm",
        spinner_words=False,
        terms=False,
        prior=ChannelPrior(frequency=0.0, thesaurus=0.0, thesaurus_oneway=0.0),
        thresholds=Thresholds(change=NEVER, learned=NEVER, suspect=-50.0),
        prescreen=-99.0,
        lm_rule=rule,
    )
    lm = BigramModel(COUNTS, BIGRAMS)
    thesaurus = Thesaurus.build(["disease,ailment", "illness,ailment"])
    return ContextPass(ENTRIES, settings, thesaurus=thesaurus, lm=lm, bigram=lm)


def test_the_lm_level_applies_the_rule_in_short_texts_only() -> None:
    rule = LearnedRule(odds=-50.0, learned_decoding=True, max_words=6)
    changes, _ = _pass(rule).run("chronic ailment")
    assert [(c.original, c.replacement, c.rule) for c in changes] == [("ailment", "disease", "context:lm:learned")]
    long = "They had the chronic ailment , they had the chronic ailment ."
    changes, suspects = _pass(rule).run(long)
    assert changes == [] and any(s.original == "ailment" for s in suspects)
    assert _pass(LearnedRule()).run("chronic ailment")[0] == []


def test_learned_decoding_keeps_a_preferred_thesaurus_word_from_hiding_the_lists_reading() -> None:
    # The scorer prefers "chronic illness" (thesaurus) to "chronic disease" (learned).
    plain = LearnedRule(odds=-50.0, max_words=6)
    changes, suspects = _pass(plain).run("chronic ailment")
    assert changes == []
    assert any(s.original == "ailment" and s.candidates[0][0] == "illness" for s in suspects)
    changes, _ = _pass(replace(plain, learned_decoding=True)).run("chronic ailment")
    assert [c.replacement for c in changes] == ["disease"]
