"""The fast mojibake alignment gives the changes of the plain one.

``mojibake.py`` aligns a damaged line with its ftfy repair only between the ASCII
runs that differ, and widens each repair from the words near it.  The reference
is the plain way (difflib over the whole damaged stretch, all the words of the
line), reached here by switching the shortcuts off.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from degarble import mojibake
from degarble.changes import apply_changes

_PIECES = ["the", "data", "Ok", "x1", "2024", " ", " ", "  ", ", ", ". ", "-", "'", "\n", "\t", "(", ")"]
_WIDE = ["é", "ß", "—", "’", "“", "”", "ñ", "ü", "中", "…", "\u00a0", "™", "é"]


def _damaged(char: str, how: int) -> str:
    data = char.encode("utf-8")
    if how == 1:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    if how == 2:
        return data.decode("latin-1")
    return char


@st.composite
def damaged_texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 60))):
        if draw(st.integers(0, 3)) == 0:
            parts.append(_damaged(draw(st.sampled_from(_WIDE)), draw(st.integers(0, 2))))
        else:
            parts.append(draw(st.sampled_from(_PIECES)))
    return "".join(parts)


def _plain(text: str, monkeypatch: pytest.MonkeyPatch) -> list[mojibake.Change]:
    with monkeypatch.context() as patch:
        patch.setattr(mojibake, "_ASCII_RUN", re.compile("(?!)"))  # no runs: difflib over the whole stretch
        patch.setattr(mojibake, "_NEAR", 10**9)  # every word of the line
        return mojibake.mojibake_changes(text)


@given(text=damaged_texts())
def test_fast_alignment_gives_the_plain_changes(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain = _plain(text, monkeypatch)
    fast = mojibake.mojibake_changes(text)
    assert fast == plain
    assert apply_changes(text, fast) == apply_changes(text, plain)


def test_a_long_damaged_line_is_repaired_word_by_word() -> None:
    line = " ".join(f"word{n} MonumentÂ\u00a0{n} cafÃ© naÃ¯ve" for n in range(60)) + "\n"
    changes = mojibake.mojibake_changes(line)
    assert len(changes) == 120  # ("cafÃ©" ends in "©", no word character: its repair reaches "naÃ¯ve")
    assert apply_changes(line, changes) == line.replace("Â\u00a0", "\u00a0").replace("Ã©", "é").replace("Ã¯", "ï")
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert changes == _plain(line, monkeypatch)
