"""Step 2: candidate spans (exact, inflection, spelling, fused, fuzzy) and the choice among them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from degarble.dictionary import Entry
from degarble.matcher import Candidate, Form, PhraseIndex, _fused_variants, choose
from degarble.restorer import Restorer, default_restorer
from degarble.tokens import tokenize


def spans(index: PhraseIndex, text: str) -> list[tuple[str, str]]:
    tokens = tokenize(text)
    found = choose(index.candidates(text, tokens))
    return [(text[tokens[c.first].start : tokens[c.last - 1].end], c.method) for c in found]


def test_methods(small_restorer: Restorer) -> None:
    index = small_restorer.index
    assert spans(index, "law requirement") == [("law requirement", "exact")]
    assert spans(index, "facial acknowledgments") == [("facial acknowledgments", "inflection")]
    assert spans(index, "facial acknowledgement") == [("facial acknowledgement", "spelling")]
    assert spans(index, "facial acknowledgmant") == [("facial acknowledgmant", "fuzzy")]


def test_hyphen_and_space_variants(small_restorer: Restorer) -> None:
    found = spans(small_restorer.index, "man-made consciousness; man made consciousness")
    assert [s for s, _ in found] == ["man-made consciousness", "man made consciousness"]


def test_solid_variant_of_a_hyphenated_key(small_restorer: Restorer) -> None:
    assert spans(small_restorer.index, "manmade consciousness") == [("manmade consciousness", "exact")]


def test_spelling_variants_need_joined_words_and_take_the_longest_key() -> None:
    index = PhraseIndex(
        [
            Entry("color scheme", "palette"),
            Entry("color scheme of the organization", "house style"),
            Entry("organization", "body", frozenset({"noinfl"})),
        ]
    )
    assert spans(index, "the colour scheme") == [("colour scheme", "spelling")]
    # a rewritten word after the key, in the same joined run: still the two-word key
    assert spans(index, "a colour scheme organisation") == [
        ("colour scheme", "spelling"),
        ("organisation", "spelling"),
    ]
    assert spans(index, "the colour scheme of the organisation") == [("colour scheme of the organisation", "spelling")]
    # the longer key's words are not joined across the comma: the two-word key
    assert spans(index, "the colour scheme, of the organisation") == [
        ("colour scheme", "spelling"),
        ("organisation", "spelling"),
    ]
    assert spans(index, "the colour.\n\nscheme") == []
    assert spans(index, "the color scheme") == [("color scheme", "exact")]


def test_clean_text_has_no_candidates(small_restorer: Restorer) -> None:
    text = "Facial recognition is used by law enforcement; deep learning helps."
    assert small_restorer.index.candidates(text, tokenize(text)) == []


def test_phrases_do_not_cross_punctuation_or_blank_lines(small_restorer: Restorer) -> None:
    assert spans(small_restorer.index, "law, requirement; law\n\nrequirement") == []
    assert spans(small_restorer.index, "law\nrequirement") == [("law\nrequirement", "exact")]


def test_fuzzy_needs_a_rare_long_word_and_one_miss(small_restorer: Restorer) -> None:
    index = small_restorer.index
    assert spans(index, "facial acknowledgmant") != []
    assert spans(index, "racial acknowledgmant") == []  # two words differ
    assert spans(index, "facial knowledge") == []  # a common English word, not a typo
    assert spans(index, "profound learnin") == []  # too far / too short


def test_case_sensitive_entries_match_only_as_written(small_restorer: Restorer) -> None:
    index = small_restorer.index
    assert spans(index, "Joined Countries") == [("Joined Countries", "exact")]
    assert spans(index, "joined countries") == []
    assert spans(index, "JOINED COUNTRIES") == []


def test_no_fuzzy_index() -> None:
    index = PhraseIndex([Entry("facial acknowledgment", "facial recognition")], fuzzy=False)
    assert index.anchors == {}
    assert spans(index, "facial acknowledgmant") == []


def test_later_entries_override_earlier_ones() -> None:
    index = PhraseIndex([Entry("law requirement", "a"), Entry("law requirement", "b")])
    assert index.exact[("law", "requirement")].replacement == "b"


def test_choose_prefers_longest_then_score_then_earliest() -> None:
    form = Form(("x",), "y", Entry("x", "y"))
    a = Candidate(0, 2, form, 0.5, "fuzzy")
    b = Candidate(1, 4, form, 0.9, "spelling")
    c = Candidate(4, 5, form, 1.0, "exact")
    d = Candidate(4, 5, form, 0.9, "spelling")
    assert choose([a, b, c, d]) == [b, c]
    assert choose([]) == []


def test_fused_variants_are_bounded_for_many_hyphens() -> None:
    assert list(_fused_variants("man-made air")) == [("manmade", "air")]
    assert len(list(_fused_variants("a-b-c-d"))) == 7  # all 2**3 - 1 subsets
    many = list(_fused_variants("-".join("abcdefghijkl")))  # 11 hyphens
    assert len(many) == 11 + 55 + 1
    assert ("abcdefghijkl",) in many


@given(written=st.text(alphabet="abcdeilnorst", min_size=6, max_size=16), data=st.data())
def test_the_shared_letter_bound_never_rejects_a_pair_rapidfuzz_accepts(written: str, data: st.DataObject) -> None:
    from rapidfuzz import fuzz

    from degarble.matcher import FUZZY_CUTOFF, _may_reach_cutoff

    wanted = written  # a few random edits: close pairs, some above the cutoff and some below
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(wanted)))
        letter = data.draw(st.sampled_from("abcdeilnorst"))
        edit = data.draw(st.integers(0, 2))
        wanted = wanted[:at] + (letter if edit < 2 else "") + wanted[at + (edit > 0) :]
    score = fuzz.ratio(written, wanted)
    assert _may_reach_cutoff(written, wanted) or score < FUZZY_CUTOFF


def test_the_shared_letter_bound_rejects_far_words() -> None:
    from degarble.matcher import _may_reach_cutoff

    assert not _may_reach_cutoff("rekognition", "apparatus")
    assert _may_reach_cutoff("acknowledgement", "acknowledgment")


def _typos_of_form_words(index: PhraseIndex) -> list[str]:
    """Words near the index's form words (one letter changed, dropped or doubled) and far ones."""
    words = sorted({w for form in index.exact.values() for w in form.words if len(w) >= 6 and w.isalpha()})
    near = []
    for k, word in enumerate(words[:400]):
        at = k % len(word)
        near += [word[:at] + "q" + word[at + 1 :], word[:at] + word[at + 1 :], word[:at] + word[at] + word[at:]]
    return [*near, "zzqxwvbnmk", "qwertyuiop", "plmoknijbuhv", *words[:50]]


def _close_words(index, words, batch):  # type: ignore[no-untyped-def]
    """``index.close_words(words)`` with batches of ``batch`` words or more (numpy loaded or not)."""
    import degarble.matcher as matcher

    saved = matcher.ODD_WORDS_BATCH, matcher.ODD_WORDS_BATCH_LOADED
    matcher.ODD_WORDS_BATCH = matcher.ODD_WORDS_BATCH_LOADED = batch
    try:
        return index.close_words(words)
    finally:
        matcher.ODD_WORDS_BATCH, matcher.ODD_WORDS_BATCH_LOADED = saved


def test_odd_words_in_batches_agree_with_one_by_one() -> None:
    # SparseTokenizer asks PhraseIndex.close_words for a chunk's new words at once (one
    # rapidfuzz cdist call against every form word); the answer must be may_be_odd_word's,
    # word by word, and the close words those of one word at a time (extract over the form
    # words of the lengths it can reach).
    index = default_restorer().index
    words = [w for w in _typos_of_form_words(index) if len(w) >= 6]
    one_by_one = {w for w in words if index.may_be_odd_word(w)}
    assert one_by_one and len(one_by_one) < len(words)  # both kinds present
    batched = _close_words(index, words, 1)  # every word in one cdist call
    alone = _close_words(index, words, 10**9)  # every word on its own
    assert set(batched) == one_by_one
    assert batched == alone
    assert sum(len(close) > 1 for close in alone.values())  # words close to several form words
    assert index.odd_words(words) == one_by_one


@given(st.lists(st.text(alphabet="aeionrstlcdmpqz", min_size=6, max_size=14), max_size=30))
def test_odd_words_batches_agree_on_random_words(words: list[str]) -> None:
    index = default_restorer().index
    batched = _close_words(index, words, 1)
    assert set(batched) == {w for w in words if index.may_be_odd_word(w)}
    assert batched == _close_words(index, words, 10**9)
