"""Property tests over hostile text: restore never raises, never loses a character,
explains every change, is idempotent, and leaves phrase-free text alone.

Run with the small test dictionary always, and with the built-in dictionaries
when they are present.  ``HYPOTHESIS_PROFILE=dev`` (or ``long``) runs more cases.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from degarble.changes import Restoration, apply_changes
from degarble.dictionary import builtin_dictionary_paths
from degarble.mojibake import mojibake_changes
from degarble.restorer import Restorer
from degarble.tokens import tokenize
from strategies import hostile_text, index_words, mentions_a_key_word

SMALL_PHRASES = [
    "facial acknowledgment",
    "law requirement",
    "profound learning",
    "at the point when",
    "man-made consciousness",
    "utilize",
    "colossal information",
    "irregular woodland",
    "bosom malignancy",
    "police powers",
    "as of late",
    "malignant growth",
    "facial acknowledgments",
    "utilizing",
    "acknowledgement",
    "facial acknowledgmant",
]


def check_lossless(text: str, result: Restoration) -> None:
    """Every character outside a reported change is kept, in order, and the changes explain the output."""
    assert isinstance(result.text, str)
    starts = {t.start for t in tokenize(text)}
    ends = {t.end for t in tokenize(text)}
    position = 0
    rebuilt: list[str] = []
    for change in result.changes:
        assert position <= change.start < change.end <= len(text)  # sorted, non-overlapping, non-empty
        assert text[change.start : change.end] == change.original
        assert change.original != change.replacement
        assert change.start in starts and change.end in ends  # whole words only
        assert 0 < change.score <= 1 and change.rule
        rebuilt += [text[position : change.start], change.replacement]
        position = change.end
    rebuilt.append(text[position:])
    assert "".join(rebuilt) == result.text
    assert apply_changes(text, result.changes) == result.text


@pytest.fixture(scope="module")
def builtin_restorer() -> Restorer:
    if not builtin_dictionary_paths():
        pytest.skip("no built-in dictionaries in this checkout")
    return Restorer()


@given(text=hostile_text(SMALL_PHRASES))
@example(text="")
@example(text="\r\n\r")
@example(text="an utilize\r\nAN IRREGULAR\r\nWOODLAND\x00 İ law-requirement")
@example(text="a" * 20_000)
@example(text="at the point " * 500)
def test_restore_is_lossless_explained_and_idempotent(small_restorer: Restorer, text: str) -> None:
    result = small_restorer.restore_and_explain(text)
    check_lossless(text, result)
    assert small_restorer.restore(result.text) == result.text


@given(data=st.data())
def test_text_without_dictionary_words_is_unchanged(small_restorer: Restorer, data: st.DataObject) -> None:
    words = index_words(small_restorer.index)
    text = data.draw(hostile_text(SMALL_PHRASES, with_phrases=False, avoid=words))
    assume(not mentions_a_key_word(text, words))  # random code points rarely spell a key word
    # Encoding damage (a C1 control such as U+0080, "Â\xa0") is repaired in every mode: that
    # is the documented mojibake repair, checked by its own tests, not a dictionary change.
    assume(not mojibake_changes(text))
    result = small_restorer.restore_and_explain(text)
    assert result.text == text
    assert result.changes == []


@given(data=st.data())
def test_builtin_dictionaries_are_lossless_and_idempotent(
    builtin_restorer: Restorer, data: st.DataObject
) -> None:
    phrases = sorted({e.spun for e in builtin_restorer.entries})
    text = data.draw(hostile_text(phrases))
    result = builtin_restorer.restore_and_explain(text)
    check_lossless(text, result)
    assert builtin_restorer.restore(result.text) == result.text
