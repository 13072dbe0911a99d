"""Thesaurus readings anchored in the loaded lists' standard wording (context/anchors.py).

Small resources built here; none of these needs the ``context`` extra.
"""

from __future__ import annotations

from dataclasses import replace

from degarble.context.anchors import StandardPairs
from degarble.context.candidates import ChannelPrior, Slot, generate_slots
from degarble.context.decision import Thresholds
from degarble.context.language_model import BigramModel
from degarble.context.pipeline import ContextPass, ContextSettings
from degarble.context.substitutions import SubstitutionModel
from degarble.context.suspects import eligible_tokens
from degarble.context.thesaurus import Thesaurus
from degarble.dictionary import Entry
from degarble.tokens import tokenize

# The list teaches "ailment -> disease" and uses "inflammatory disease" as standard wording,
# but never teaches "incendiary": only the thesaurus links it to "inflammatory" (and "arsonist").
ENTRIES = [
    Entry("chronic ailment", "chronic disease"),
    Entry("swelling sickness", "inflammatory disease"),
]
LINES = ["inflammatory,incendiary,fiery", "arsonist,incendiary", "disease,ailment,malady,sickness"]
COUNTS = {"the": 1000, "they": 900, "had": 500, "an": 400, "a": 900, "chronic": 40, "disease": 60,
          "ailment": 5, "incendiary": 3, "inflammatory": 20, "arsonist": 4}  # fmt: skip
BIGRAMS = {("inflammatory", "disease"): 10, ("an", "inflammatory"): 5, ("chronic", "disease"): 20}


def _slots(pairs: StandardPairs | None, *, learned: bool = True) -> list[Slot]:
    """The slots of one spun sentence, with a small thesaurus (and the list's learned pairs)."""
    text = "They had an incendiary ailment."
    tokens = tokenize(text)
    return generate_slots(
        text,
        tokens,
        eligible_tokens(text, tokens, set()),
        SubstitutionModel.from_entries(ENTRIES) if learned else None,
        Thesaurus.build(LINES),
        ChannelPrior(frequency=0.0),
        standard_pairs=pairs,
    )


def _pass(thresholds: Thresholds) -> ContextPass:
    settings = ContextSettings(
        level="bigram", spinner_words=False, terms=False, prior=ChannelPrior(frequency=0.0), thresholds=thresholds
    )
    lm = BigramModel(COUNTS, BIGRAMS)
    return ContextPass(ENTRIES, settings, thesaurus=Thesaurus.build(LINES), lm=lm, bigram=lm)


def test_standard_pairs_come_from_standard_sides_and_terms_but_not_the_general_list() -> None:
    general = Entry("at the end of the day", "in the end", source="dictionaries/general.tsv")
    pairs = StandardPairs.from_entries([*ENTRIES, general], ["neural network"])
    assert ("inflammatory", "disease") in pairs.pairs and ("neural", "network") in pairs.pairs
    assert ("swelling", "sickness") not in pairs.pairs  # spun sides teach no wording
    assert ("the", "end") not in pairs.pairs


def test_a_thesaurus_root_is_anchored_by_a_neighbour_as_written_or_as_learned() -> None:
    pairs = StandardPairs.from_entries(ENTRIES)
    model = SubstitutionModel.from_entries(ENTRIES)
    for text in ("an incendiary disease", "an incendiary ailment"):  # "ailment" -> "disease" is learned
        tokens = tokenize(text)
        left, right = pairs.neighbour_readings(text, tokens, 1, 2, model)
        assert pairs.anchored("inflammatory", left, right)
        assert not pairs.anchored("arsonist", left, right)
    # A function word anchors nothing, and neither does a neighbour across punctuation.
    for text in ("the disease of incendiary", "incendiary, disease"):
        tokens = tokenize(text)
        i = [t.fold for t in tokens].index("incendiary")
        assert not pairs.anchored("inflammatory", *pairs.neighbour_readings(text, tokens, i, i + 1, model))


def test_slots_mark_anchored_options_and_keep_the_others_as_thesaurus() -> None:
    slots = _slots(StandardPairs.from_entries(ENTRIES))
    options = {o.standard: o.source for s in slots if s.written == "incendiary" for o in s.options}
    assert options == {"inflammatory": "anchored", "arsonist": "thesaurus"}
    # Without standard pairs nothing is anchored.
    plain = _slots(None, learned=False)
    assert all(o.source != "anchored" for s in plain for o in s.options)


def test_an_anchored_reading_completes_a_learned_one_from_its_margin() -> None:
    base = Thresholds(change=99.0, learned=99.0, learned_odds=-50.0, suspect=-50.0)
    text = "They had an incendiary ailment."
    # Without anchored readings, "ailment -> disease" would leave "incendiary" spun: only reported.
    assert _pass(base).run(text)[0] == []
    changes, _ = _pass(replace(base, anchored=-50.0)).run(text)
    assert sorted(c.replacement for c in changes) == ["disease", "inflammatory"]
    # Above the reading's margin, nothing changes; and the path needs the log-odds path on.
    assert _pass(replace(base, anchored=50.0)).run(text)[0] == []
    assert _pass(replace(base, anchored=-50.0, learned_odds=None)).run(text)[0] == []


def test_a_written_word_that_looks_clean_takes_no_anchored_reading() -> None:
    pairs = StandardPairs(StandardPairs.from_entries(ENTRIES).pairs, clean=lambda word: word == "incendiary")
    assert not pairs.applies("incendiary") and pairs.applies("fiery")
    slots = _slots(pairs)
    assert all(o.source != "anchored" for s in slots for o in s.options)
