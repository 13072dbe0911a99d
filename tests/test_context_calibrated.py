"""The decision over all evidence of a candidate (context/evidence.py, context/calibrated.py).

Small resources built here; none of these needs the ``context`` extra or ../shared.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from degarble.context.calibrated import WEIGHTS, CalibratedDecision
from degarble.context.candidates import ChannelPrior
from degarble.context.decision import Thresholds
from degarble.context.evidence import RAW_FIELDS, Document, option_rows
from degarble.context.language_model import BigramModel
from degarble.context.pipeline import ContextPass, ContextSettings
from degarble.context.thesaurus import Thesaurus
from degarble.dictionary import Entry

COUNTS = {"the": 1000, "album": 50, "collection": 60, "was": 800, "released": 40, "discharged": 5, "in": 900}
BIGRAMS = {("album", "was"): 20, ("was", "released"): 30, ("released", "in"): 20, ("the", "album"): 30}
TEXT = "The album was discharged in 1990."
NEVER = float("inf")


def _pass(words: int) -> ContextPass:
    settings = ContextSettings(
        level="bigram",
        spinner_words=False,
        prior=ChannelPrior(frequency=0.0),
        thresholds=Thresholds(change=NEVER, learned=NEVER, suspect=NEVER),
        calibrated=True,
        calibrated_words=words,
    )
    lm = BigramModel(COUNTS, BIGRAMS)
    thesaurus = Thesaurus.build(["release,discharge,free", "discharge,release,emit"])
    return ContextPass([Entry("discharged", "released")], settings, thesaurus=thesaurus, lm=lm, bigram=lm)


def test_the_shipped_weights_name_known_features() -> None:
    decision = CalibratedDecision.load()
    assert set(decision.features) <= set(RAW_FIELDS)
    assert len(decision.weights) == len(decision.features) > 0
    assert 0.0 < decision.threshold < 1.0
    assert "bench/context_ceiling.py" in json.loads(WEIGHTS.read_text(encoding="utf-8"))["made_by"]


def test_unknown_features_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"features": ["dev_text_id"], "weights": [1.0], "intercept": 0, "threshold": 0.5}))
    with pytest.raises(ValueError, match="unknown features"):
        CalibratedDecision.load(path)


def test_probability_follows_the_weights() -> None:
    decision = CalibratedDecision(("gain", "learned"), (0.5, 2.0), -1.0, 0.5)
    zeros = [0.0] * len(RAW_FIELDS)
    low = decision.probability(zeros)
    more_gain = list(zeros)
    more_gain[RAW_FIELDS.index("gain")] = 4.0
    learned = list(zeros)
    learned[RAW_FIELDS.index("learned")] = 1.0
    assert low == pytest.approx(1 / (1 + math.exp(1.0)))
    assert decision.probability(more_gain) > low
    assert decision.probability(learned) > low


def test_a_calibrated_pick_changes_what_the_margin_rule_left() -> None:
    cpass = _pass(words=3)
    cpass.calibrated = CalibratedDecision(("learned",), (10.0,), -5.0, 0.5)
    changes, _ = cpass.run(TEXT)
    assert [(c.original, c.replacement, c.rule) for c in changes] == [
        ("discharged", "released", "context:bigram:calibrated:learned")
    ]
    assert changes[0].score == pytest.approx(1 / (1 + math.exp(-5.0)), abs=1e-3)
    # Below the threshold, nothing changes.
    cpass.calibrated = CalibratedDecision(("learned",), (10.0,), -5.0, 0.999)
    assert cpass.run(TEXT)[0] == []


def test_short_texts_are_left_to_the_margin_rule() -> None:
    cpass = _pass(words=100)
    cpass.calibrated = CalibratedDecision(("learned",), (10.0,), -5.0, 0.5)
    assert cpass.run(TEXT)[0] == []


def test_on_at_the_bigram_level_only_with_evidence_of_spin() -> None:
    assert ContextSettings().calibrated is False
    from degarble.context.pipeline import DEFAULTS

    assert DEFAULTS["bigram"].calibrated and DEFAULTS["bigram"].calibrated_evidence
    assert not DEFAULTS["lm"].calibrated


def test_the_evidence_gate_needs_a_finding() -> None:
    from dataclasses import replace

    cpass = _pass(words=3)
    cpass.settings = replace(cpass.settings, calibrated_evidence=True)
    cpass.calibrated = CalibratedDecision(("learned",), (10.0,), -5.0, 0.5)
    assert cpass.run(TEXT, findings=0)[0] == []  # no sign of spin: the margin rule alone
    [change] = cpass.run(TEXT, findings=1)[0]
    assert change.rule == "context:bigram:calibrated:learned"


def test_weights_with_wordnet_evidence_need_wordnet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from degarble.context import pipeline

    path = tmp_path / "w.json"
    path.write_text(json.dumps({"features": ["wn_first"], "weights": [1.0], "intercept": 0, "threshold": 0.5}))
    assert CalibratedDecision.load(path).needs_wordnet
    monkeypatch.setattr(pipeline, "load_wordnet_channel", lambda: None)
    settings = replace(_pass(words=3).settings, calibrated_weights=str(path))
    lm = BigramModel(COUNTS, BIGRAMS)
    cpass = ContextPass([Entry("discharged", "released")], settings, thesaurus=Thesaurus.build([]), lm=lm, bigram=lm)
    assert cpass.calibrated is None  # fitted with WordNet's evidence, meaningless without it
    from degarble.context.wordnet_channel import WordNetChannel
    from test_context_wordnet_channel import write_wordnet

    channel = WordNetChannel.build(write_wordnet(tmp_path / "wn"))
    monkeypatch.setattr(pipeline, "load_wordnet_channel", lambda: channel)
    cpass = ContextPass([Entry("discharged", "released")], settings, thesaurus=Thesaurus.build([]), lm=lm, bigram=lm)
    assert cpass.calibrated is not None and cpass.wordnet is channel


def test_option_rows_hold_every_field_and_posterior_shares() -> None:
    from degarble.context.candidates import generate_slots
    from degarble.context.decoding import decode_cluster
    from degarble.context.substitutions import SubstitutionModel
    from degarble.tokens import tokenize

    tokens = tokenize(TEXT)
    lm = BigramModel(COUNTS, BIGRAMS)
    thesaurus = Thesaurus.build(["release,discharge,free", "discharge,release,emit"])
    model = SubstitutionModel.from_entries([Entry("discharged", "released")])
    slots = generate_slots(TEXT, tokens, [3], model, thesaurus, ChannelPrior())
    decoded = [decode_cluster(TEXT, tokens, [s], (0, len(tokens)), lm) for s in slots]
    rows = option_rows(tokens, decoded, Document(0.0, 0.0), thesaurus, {"discharged"}, set(), [0] * len(tokens))
    assert rows and all(len(r.values) == len(RAW_FIELDS) for r in rows)
    share = RAW_FIELDS.index("share")
    assert 0.0 < sum(r.values[share] for r in rows) < 1.0  # "as written" keeps the rest
    assert all(r.values[RAW_FIELDS.index("spinner_word")] == 1.0 for r in rows)


def _thresholds_seen(cpass: ContextPass, text: str, findings: int) -> list[Thresholds]:
    from degarble.context import pipeline

    seen: list[Thresholds] = []
    original = pipeline.decide

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(args[3])
        return original(*args, **kwargs)

    pipeline.decide = spy  # type: ignore[assignment]
    try:
        cpass.run(text, findings=findings)
    finally:
        pipeline.decide = original  # type: ignore[assignment]
    return seen


@pytest.mark.parametrize(
    ("odds_words", "text", "findings", "expected"),
    [
        (5, TEXT, 0, None),  # long enough, no evidence of spin: no log-odds path
        (5, TEXT, 1, 8.0),  # a dictionary finding is evidence
        (50, TEXT, 0, 8.0),  # a short text (a phrase) keeps it
        (None, TEXT, 0, 8.0),  # the gate off
    ],
)
def test_the_log_odds_path_needs_evidence_in_long_texts(
    odds_words: int | None, text: str, findings: int, expected: float | None
) -> None:
    from dataclasses import replace

    cpass = _pass(words=1000)
    cpass.settings = replace(
        cpass.settings,
        odds_words=odds_words,
        thresholds=replace(cpass.settings.thresholds, learned_odds=8.0),
    )
    seen = _thresholds_seen(cpass, text, findings)
    assert seen and all(t.learned_odds == expected for t in seen)


def test_the_bigram_defaults_gate_the_log_odds_path() -> None:
    from degarble.context.pipeline import DEFAULTS

    assert DEFAULTS["bigram"].odds_words == 40
    assert DEFAULTS["bigram"].thresholds.learned_odds is not None
