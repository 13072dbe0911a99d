"""The fast paths answer exactly as the plain definitions they replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from degarble.tokens import WORD, fold, tokenize

_TRICKY = "aAzZßẞİıﬁŉ’'-‐ \n\t\r\x00\u0307ΣςéÉ0_.,"


@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=60) | st.text(max_size=40))
@settings(max_examples=400, deadline=None)
def test_tokenize_matches_word_by_word_folding(text: str) -> None:
    expected = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]
    assert [tuple(t) for t in tokenize(text)] == expected


def test_common_words_agree_with_wordfreq(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wordfreq = pytest.importorskip("wordfreq")
    monkeypatch.setenv("DEGARBLE_CACHE_DIR", str(tmp_path))
    from degarble import common_words

    common_words._common_ascii_words.cache_clear()
    freqs = wordfreq.get_frequency_dict("en")
    threshold = 10 ** (common_words.COMMON_ZIPF - 9)
    near = [w for w, f in freqs.items() if 0.8 * threshold < f < 1.25 * threshold][:300]
    words = [*near, "recognition", "acknowledgmant", "colour", "naïve", "Recognition", "zzqxv", "programming"]
    for _ in range(2):  # built, then read back from the cache
        assert [common_words.is_common_word(w) for w in words] == [
            wordfreq.zipf_frequency(w, "en") >= common_words.COMMON_ZIPF for w in words
        ]
        common_words._common_ascii_words.cache_clear()
    assert list(tmp_path.glob("common-*.txt"))
