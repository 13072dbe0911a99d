"""WordNet's sense order as a candidate source and a channel model (context/wordnet_channel.py).

A tiny WordNet in the database's own file format is written here, so these tests
need neither Debian's ``wordnet-base`` nor the ``context`` extra's data.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from degarble.context.candidates import ChannelPrior, generate_slots
from degarble.context.wordnet_channel import (
    FIRST_SHARE,
    GENERIC,
    MEMBER,
    SIMILAR,
    Link,
    WordNetChannel,
    load_wordnet_channel,
    read_wordnet_links,
)
from degarble.tokens import tokenize

# (offset, pos, words, pointers as (symbol, offset, pos))
SYNSETS = {
    "noun": [
        ("00000011", "n", ["use", "utilization", "employment"], []),
        ("00000022", "n", ["use", "function", "purpose"], []),
        ("00000033", "n", ["car", "auto"], [("@", "00000044", "n")]),
        ("00000044", "n", ["vehicle"], []),
    ],
    "adj": [
        ("00000055", "a", ["big", "large"], [("&", "00000066", "s")]),
        ("00000066", "s", ["huge", "immense"], [("&", "00000055", "a")]),
    ],
    "verb": [],
    "adv": [],
}
# lemma -> synsets in sense order, per file
INDEX = {
    "noun": {
        "use": ["00000011", "00000022"],
        "utilization": ["00000011"],
        "employment": ["00000011"],
        "function": ["00000022"],
        "purpose": ["00000022"],
        "car": ["00000033"],
        "auto": ["00000033"],
        "vehicle": ["00000044"],
    },
    "adj": {"big": ["00000055"], "large": ["00000055"], "huge": ["00000066"], "immense": ["00000066"]},
    "verb": {},
    "adv": {},
}


def write_wordnet(folder: Path) -> Path:
    """The eight files of a WordNet database (data.* and index.*) with the synsets above."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, synsets in SYNSETS.items():
        lines = ["  1 a license line the reader skips"]
        for offset, pos, words, pointers in synsets:
            members = " ".join(f"{w} 0" for w in words)
            ptrs = " ".join(f"{sym} {off} {p} 0000" for sym, off, p in pointers)
            lines.append(f"{offset} 00 {pos} {len(words):02x} {members} {len(pointers):03d} {ptrs} | a gloss")
        (folder / f"data.{name}").write_text("\n".join(lines) + "\n", encoding="latin-1")
        index = ["  1 a license line"]
        for lemma, offsets in sorted(INDEX[name].items()):
            index.append(f"{lemma} {name[0]} {len(offsets)} 0 {len(offsets)} 0 {' '.join(offsets)}")
        (folder / f"index.{name}").write_text("\n".join(index) + "\n", encoding="latin-1")
    return folder


@pytest.fixture()
def channel(tmp_path: Path) -> WordNetChannel:
    return WordNetChannel.build(write_wordnet(tmp_path / "wn"))


def test_links_follow_sense_and_synset_order(tmp_path: Path) -> None:
    links = {(s, o): (sense, rank, size, kind) for s, o, _, sense, rank, size, kind, _ in read_wordnet_links(
        write_wordnet(tmp_path / "wn"))}
    assert links[("utilization", "use")] == (1, 0, 2, MEMBER)  # first word offered for use's first sense
    assert links[("employment", "use")] == (1, 1, 2, MEMBER)
    assert links[("function", "use")] == (2, 0, 2, MEMBER)  # second sense
    assert links[("huge", "big")] == (1, 1, 3, SIMILAR)  # after the synset's own "large"
    assert links[("vehicle", "car")] == (1, 1, 2, GENERIC)  # after "auto"


def test_the_channel_prefers_a_first_synonym_of_a_frequent_sense(channel: WordNetChannel) -> None:
    first = channel.originals("utilization", "n")["use"]
    later = channel.originals("employment", "n")["use"]
    assert first.log_channel() == pytest.approx(math.log(FIRST_SHARE) - math.log(2))
    assert later.log_channel() == pytest.approx(math.log(1 - FIRST_SHARE) - math.log(2))
    assert first.log_channel() > later.log_channel()


def test_candidates_are_reinflected_and_skip_generic_terms(channel: WordNetChannel) -> None:
    assert set(channel.candidates("utilizations")) == {"uses", "employments"}
    assert channel.candidates("utilizations")["uses"] == Link(1, 0, 2, MEMBER, 2)
    assert "big" in channel.candidates("huge")
    assert "car" not in channel.candidates("vehicle")  # a hypernym is no synonym
    assert "car" in channel.candidates("vehicle", kinds=(MEMBER, SIMILAR, GENERIC))
    assert channel.link("utilization", "uses") == Link(1, 0, 2, MEMBER, 2)
    assert channel.link("utilization", "car") is None


def test_slots_take_wordnet_readings_with_the_channel_in_the_prior(channel: WordNetChannel) -> None:
    text = "The utilization of water."
    tokens = tokenize(text)
    flat = generate_slots(text, tokens, [1], None, None, ChannelPrior(frequency=0.0, min_zipf=0.0), wordnet=channel)
    [slot] = flat
    priors = {o.standard: (o.prior, o.source) for o in slot.options}
    assert priors["use"] == (-3.0, "wordnet") and priors["employment"] == (-3.0, "wordnet")
    weighted = ChannelPrior(frequency=0.0, min_zipf=0.0, wordnet_channel=1.0)
    [slot] = generate_slots(text, tokens, [1], None, None, weighted, wordnet=channel)
    priors = {o.standard: o.prior for o in slot.options}
    # use: first of 2 offered for the first of its 2 senses; employment: second of 2, its only sense
    assert priors["use"] == pytest.approx(-3.0 + math.log(FIRST_SHARE / 2) - math.log(FIRST_SHARE))
    assert priors["employment"] == pytest.approx(-3.0 + math.log(1 - FIRST_SHARE) - math.log(FIRST_SHARE))
    assert [o.standard for o in slot.options] == sorted(priors, key=lambda w: -priors[w])


def test_the_index_is_cached_and_absent_wordnet_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEGARBLE_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_wordnet(tmp_path / "wn")
    load_wordnet_channel.cache_clear()
    built = load_wordnet_channel(str(folder))
    assert built is not None and "use" in built.originals("function", "n")
    assert list((tmp_path / "cache").glob("wordnet-channel-*.sqlite"))
    load_wordnet_channel.cache_clear()
    again = load_wordnet_channel(str(folder))
    assert again is not None and again.originals("function", "n")["use"].sense == 2
    assert load_wordnet_channel(str(tmp_path / "nowhere")) is None
    load_wordnet_channel.cache_clear()


def test_option_rows_carry_the_sense_order_and_the_document_words(channel: WordNetChannel) -> None:
    from degarble.context.decoding import decode_cluster
    from degarble.context.evidence import RAW_FIELDS, Document, option_rows
    from degarble.context.language_model import BigramModel

    text = "The utilization of water, and the use of land."
    tokens = tokenize(text)
    prior = ChannelPrior(frequency=0.0, min_zipf=0.0)
    slots = generate_slots(text, tokens, [1], None, None, prior, wordnet=channel)
    lm = BigramModel({"the": 100, "use": 10, "of": 80, "utilization": 1, "employment": 2}, {("use", "of"): 5})
    decoded = [decode_cluster(text, tokens, slots, (0, len(tokens)), lm)]
    rows = {r.option.standard: dict(zip(RAW_FIELDS, r.values)) for r in option_rows(
        tokens, decoded, Document(0.0, 0.0), None, set(), set(), [0] * len(tokens), channel)}
    use, employment = rows["use"], rows["employment"]
    assert use["wn_source"] == employment["wn_source"] == 1.0
    assert use["wn_link"] == 1.0 and use["wn_first"] == 1.0 and employment["wn_first"] == 0.0
    assert use["wn_sense"] == 0.0  # log of sense 1
    assert use["wn_logp"] == pytest.approx(math.log(FIRST_SHARE / 2))
    assert use["in_document"] == 1.0 and employment["in_document"] == 0.0  # "use of land" is written
    without = option_rows(tokens, decoded, Document(0.0, 0.0), None, set(), set(), [0] * len(tokens))
    assert all(dict(zip(RAW_FIELDS, r.values))["wn_link"] == 0.0 for r in without)
