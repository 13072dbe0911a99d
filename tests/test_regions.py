"""The sparse token path (degarble.regions) restores exactly as the full token path.

Long texts are matched only where a phrase may be (Aho-Corasick hits, spelling and
fuzzy triggers); the reference is the plain path that tokenizes every word.  Both run
here on generated texts full of the cases that could tell them apart: phrases written
across double spaces, tabs, line breaks and hyphens, possessives, spelling variants,
typos, a/an before a phrase, case, punctuation, and characters whose case folding
changes the length.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import degarble.restorer as restorer_module
from degarble.dictionary import builtin_dictionary_paths, load_dictionary
from degarble.restorer import Restorer
from degarble.tokens import TokenList, tokenize

_FILLER = (
    "the a an of and in is was it that results model data analysis we show otherwise "
    "programme colour behaviour organisation analysed centre likewise as for with to by "
    "Straße İstanbul naïve don’t it's recognition learning network method"
).split()
_GAPS = [" ", " ", " ", "  ", "\t", "\n", " \n", "\r\n", "-", "- ", ", ", ". ", "; ", "\n\n", " (", ") ", "' ", "’s "]


def _spun_phrases() -> list[str]:
    phrases = []
    for path in builtin_dictionary_paths():
        phrases.extend(e.spun for e in load_dictionary(path)[::7])
    return phrases


_PHRASES = _spun_phrases()


def _variant(phrase: str, draw: st.DrawFn) -> str:
    """The phrase as a text may write it: case, a typo, a spelling variant, a possessive."""
    kind = draw(st.integers(0, 7))
    if kind == 1:
        phrase = phrase.upper()
    elif kind == 2:
        phrase = phrase.title()
    elif kind == 3 and len(phrase) > 8:  # a typo in a long word
        at = draw(st.integers(1, len(phrase) - 2))
        if phrase[at].isalpha() and phrase[at - 1].isalpha():
            phrase = phrase[:at] + phrase[at - 1] + phrase[at + 1 :]
    elif kind == 4:
        phrase = phrase.replace("ize", "ise").replace("or ", "our ").replace("yze", "yse")
    elif kind == 5:
        phrase += "'s"
    elif kind == 6:
        phrase = phrase.replace(" ", draw(st.sampled_from(["  ", "\n", "\t", "-", " \r\n"])), 1)
    elif kind == 7:  # characters whose folding changes the length, inside the phrase
        phrase = phrase.replace("ss", "ß").replace("I", "İ")
    return phrase


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(5, 120))):
        if draw(st.integers(0, 3)) == 0:
            parts.append(_variant(draw(st.sampled_from(_PHRASES)), draw))
        else:
            parts.append(draw(st.sampled_from(_FILLER)))
        parts.append(draw(st.sampled_from(_GAPS)))
    return "".join(parts)


def _both(restorer: Restorer, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    monkeypatch.setattr(restorer_module, "FAST_MIN_CHARS", 0)
    sparse = restorer.explain_dictionary(text)
    monkeypatch.setattr(restorer_module, "FAST_MIN_CHARS", 10**12)
    full = restorer.explain_dictionary(text)
    return sparse, full


@pytest.fixture(scope="module")
def builtin() -> Restorer:
    return Restorer()


@given(text=texts())
@settings(max_examples=150)
def test_sparse_path_restores_as_the_token_path(builtin: Restorer, text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        sparse, full = _both(builtin, text, monkeypatch)
    assert sparse == full


def test_sparse_path_on_a_long_spun_text(builtin: Restorer, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n\n".join(
        f"Section {n}: {p} is used, as of late, by an {q}; likewise the colour of a {r}."
        for n, (p, q, r) in enumerate(zip(_PHRASES, _PHRASES[5:], _PHRASES[11:]))
    )
    sparse, full = _both(builtin, text, monkeypatch)
    assert sparse == full
    assert len(full.changes) > 100  # the comparison is about real changes, not empty lists


def test_sparse_tokens_are_some_of_the_tokens(builtin: Restorer) -> None:
    text = "Clean prose about nothing in particular. " * 200 + "Facial acknowledgment is used by law requirement."
    sparse = builtin.index.sparse_tokens(text)
    every = tokenize(text)
    assert isinstance(sparse, TokenList)
    assert sparse.total == len(every)
    assert set(sparse) <= set(every)
    assert len(sparse) < len(every) / 10  # only around the phrases
    assert {t.fold for t in sparse} >= {"facial", "acknowledgment", "law", "requirement"}


def test_a_phrase_holding_a_long_folding_character_is_found_far_from_other_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``leßer`` folds to ``lesser``: the automaton cannot see the key through it, so the
    # window around the word must hold the whole phrase (it once held one word after it).
    from degarble.dictionary import Entry

    entry = Entry("lesser scale electro-mechanical outlines", "micro systems", frozenset(), "t", 1)
    restorer = Restorer([], entries=[entry])
    filler = "The cat sat on the mat. " * 1000
    text = filler + "A leßer  scale  electro-mechanical  outlines test. " + filler
    sparse, full = _both(restorer, text, monkeypatch)
    assert sparse == full
    assert [c.replacement for c in full.changes] == ["micro systems"]


def _entries(*pairs: tuple[str, str]) -> Restorer:
    from degarble.dictionary import Entry

    entries = [Entry(spun, standard, frozenset(), "t", n) for n, (spun, standard) in enumerate(pairs)]
    return Restorer([], entries=entries)


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("The colour scheme was new.", True),  # the British key, written so: exact
        ("The color scheme programme was new.", True),  # the key's variant, a respelled word after it
        ("The color scheme was quite new.", False),  # the variant with no respelled word: no match
        ("Likewise color was new.", True),  # one word as in the key, the other its variant
        ("Likewise colour was new.", True),
        ("Likewize color was new.", False),  # no word the rules rewrite
    ],
)
def test_spelling_variants_are_found_in_long_texts_as_in_short_ones(
    written: str, found: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sparse tokens open windows only around the words that may make a variant match differ
    # from the dictionary (regions.SparseTokenizer._may_respell); the two paths must agree.
    restorer = _entries(
        ("colour scheme", "palette"), ("likewise colour", "similarly hued"), ("one two three four", "x")
    )
    filler = "The cat sat on the mat; otherwise nothing. " * 600
    text = filler + written + " " + filler
    sparse, full = _both(restorer, text, monkeypatch)
    assert sparse == full
    assert bool(full.changes) is found


_CENSUS_CHARACTERS = st.sampled_from(
    [*"ab zZ9_'’-.,;\t\n\r\x0b\x1c\x85\u2028\u00a0\u3000", "é", "e\u0301", "²", "ß", "İ", "Ⅻ", "‿", "Ⓐ", "中", "٣"]
)


@given(text=st.lists(_CENSUS_CHARACTERS, max_size=200).map("".join))
@settings(max_examples=300)
def test_word_census_counts_the_words_the_tokenizer_finds(text: str) -> None:
    from degarble.regions import word_census
    from degarble.tokens import WORD

    words = WORD.findall(text)
    assert word_census(text) == (len(words), set(words))


def test_a_piece_of_letters_is_one_word_for_every_letter() -> None:
    # word_census takes a piece with str.isalpha() as one word without reading it.
    import sys

    from degarble.tokens import WORD

    letters = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha()]
    assert len(letters) > 100_000
    assert [c for c in letters if WORD.fullmatch(c) is None] == []


@pytest.mark.parametrize("place", range(5))
def test_a_rare_word_window_holds_every_fuzzy_match_it_may_be_the_odd_word_of(
    place: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rare word's window reaches only as far as the forms it may stand for put words around
    # it (regions.SparseTokenizer._rare_reach), plus a/an before: a typo at each place of a
    # five-word form, after "a", in a long run of words with no hard character, must still be
    # found, and a/an fixed, as on all tokens.
    # words longer than _window's first look (12 characters a word), so its word counts decide
    words = ["quintessentially", "thermometrically", "photosynthesizing", "electrocardiographs", "incomprehensibly"]
    restorer = _entries((" ".join(words), "ear thermometer"), ("quintessentially lantern", "odd lamp"))
    typo = list(words)
    typo[place] = typo[place][:3] + typo[place][4] + typo[place][3] + typo[place][5:]  # swap two letters
    filler = "the cat sat on the mat and then " * 300
    text = filler + "a " + " ".join(typo) + " " + filler + "quintessentially lantren " + filler
    sparse, full = _both(restorer, text, monkeypatch)
    assert sparse == full
    assert [c.replacement for c in full.changes] == ["an ear thermometer", "odd lamp"]


def test_a_window_reaching_back_past_an_earlier_one_keeps_its_start(monkeypatch: pytest.MonkeyPatch) -> None:
    # The rare word "calibartions" needs the five words before it (a fuzzy match of the long
    # form); the key hit "law requirement" starts after the form does and its window reaches
    # one word back.  Windows were merged in hit order, which cut the rare word's reach back
    # to the key's window: the sparse path chose "law enforcement", the token path the form.
    restorer = _entries(
        ("law requirement", "law enforcement"),
        ("quixotically zephyrousness obstreperousness law requirement calibrations", "odd thing"),
    )
    filler = "the cat sat on the mat and then " * 300
    text = filler + "quixotically zephyrousness obstreperousness law requirement calibartions " + filler
    sparse, full = _both(restorer, text, monkeypatch)
    assert sparse == full
    assert [c.replacement for c in full.changes] == ["odd thing"]


def test_a_key_hit_window_holds_the_article_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # A key hit is whole words, so its window asks _window for no extra word: it must still
    # hold the one word before it (a/an), with long words around so that word counts decide.
    restorer = _entries(("obstreperousness requirement", "enforcement"))
    filler = "incomprehensibilities photosynthesizing " * 400
    text = filler + "a obstreperousness requirement " + filler
    sparse, full = _both(restorer, text, monkeypatch)
    assert sparse == full
    assert [c.replacement for c in full.changes] == ["an enforcement"]
