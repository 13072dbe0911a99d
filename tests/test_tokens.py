"""Step 1: tokenizer offsets, folding and phrase gaps."""

from __future__ import annotations

from degarble.tokens import Token, fold, gap_joins, tokenize


def words(text: str) -> list[str]:
    return [text[t.start : t.end] for t in tokenize(text)]


def test_offsets_point_into_the_original_text() -> None:
    text = "İstanbul’s STRASSE, ﬁne—ok"
    for token in tokenize(text):
        assert text[token.start : token.end]
        assert token.fold == fold(text[token.start : token.end])
    assert words(text) == ["İstanbul’s", "STRASSE", "ﬁne", "ok"]


def test_fold_length_may_differ_without_shifting_offsets() -> None:
    text = "İİ ß law"
    tokens = tokenize(text)
    assert [t.fold for t in tokens] == ["i̇i̇", "ss", "law"]
    assert text[tokens[-1].start : tokens[-1].end] == "law"


def test_hyphen_and_underscore_split_words_apostrophes_do_not() -> None:
    assert words("man-made don't rock’n’roll snake_case") == [
        "man", "made", "don't", "rock’n’roll", "snake", "case",
    ]  # fmt: skip
    assert fold("Don’t") == "don't"


def test_no_words_in_punctuation_or_empty_text() -> None:
    assert tokenize("") == []
    assert tokenize("!?… — \r\n\t") == []


def test_combining_marks_stay_inside_the_word() -> None:
    text = "cafe\u0301 noe\u0308l"
    assert words(text) == ["cafe\u0301", "noe\u0308l"]


def test_gap_joins_spaces_one_line_break_and_hyphen_only() -> None:
    def joins(text: str) -> bool:
        left, right = tokenize(text)
        return gap_joins(text, left, right)

    assert joins("law requirement")
    assert joins("law\u00a0requirement")
    assert joins("law \r\n requirement")
    assert joins("law\rrequirement")
    assert joins("law-requirement")
    assert joins("law-\nrequirement")
    assert not joins("law\n\nrequirement")
    assert not joins("law, requirement")
    assert not joins("law.requirement")
    assert not joins("law" + " " * 9 + "requirement")


def test_token_is_a_named_tuple() -> None:
    assert tokenize("ab")[0] == Token(0, 2, "ab")


def test_re_and_regex_read_every_character_of_the_agreeing_categories_alike() -> None:
    # tokens._words_of reads text with the standard ``re`` when all its characters fall in
    # these categories: for each such code point both patterns must agree on word-ness.
    import sys
    import unicodedata

    from degarble import tokens

    plain, full = tokens._PLAIN_WORD, tokens.word_pattern()
    checked = 0
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in tokens._AGREEING_CATEGORIES:
            checked += 1
            assert (plain.fullmatch(char) is None) == (full.fullmatch(char) is None), hex(code)
    assert checked > 100_000


def test_text_with_other_characters_is_read_with_regex() -> None:
    from degarble import tokens

    # a combining accent, a circled letter, a superscript digit, a connector: ``re`` would
    # split or join these differently
    for text in ("cafe\u0301 au lait", "Ⓐ b", "x² y", "a‿b", "zero\u200dwidth"):
        assert tokens._words_of(text) is tokens.word_pattern()
        assert tokenize(text) == [
            (m.start(), m.end(), fold(m.group())) for m in tokens.word_pattern().finditer(text)
        ]
    assert tokens._words_of("“Curly” quotes – and café’s naïve ß") is tokens._PLAIN_WORD


def test_the_list_of_multi_character_folds_is_this_pythons() -> None:
    # masked_fold finds the characters that fold to several with one character class;
    # the class must hold exactly the code points whose casefold is not one character.
    import sys

    from degarble import tokens

    wanted = {
        chr(code)
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF and len(chr(code).casefold()) != 1
    }
    listed = {chr(code) for code in range(0x10000) if tokens._MULTI_FOLDING.fullmatch(chr(code))}
    assert listed == wanted


def test_masked_fold_masks_multi_character_folds_and_keeps_offsets() -> None:
    from degarble.tokens import masked_fold, masked_runs

    assert masked_fold("Plain Text") == ("plain text", False)
    assert masked_fold("nul\0 only") == ("nul\0 only", False)  # nothing to mask
    text = "Straße İstanbul ﬁne\0ß x"
    folded, masked = masked_fold(text)
    assert masked and len(folded) == len(text)
    assert [text[a:b] for a, b in masked_runs(text, folded)] == ["ß", "İ", "ﬁ", "\0ß"]
    # without the list, as before: every character that folds to several, one by one
    reference = text
    for char in {c for c in text if len(c.casefold()) != 1}:
        reference = reference.replace(char, "\0")
    assert folded == fold(reference)


def test_masked_fold_finds_a_character_missing_from_the_list(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a newer Unicode may add characters that fold to several: they are found one by one
    import re

    from degarble import tokens

    monkeypatch.setattr(tokens, "_MULTI_FOLDING", re.compile("[ß]"))
    for text in ("İstanbul", "Straße İstanbul"):
        folded, masked = tokens.masked_fold(text)
        assert masked and len(folded) == len(text) and "\0" in folded
        runs = tokens.masked_runs(text, folded)
        assert [text[a:b] for a, b in runs] == [c for c in text if len(c.casefold()) != 1]
