"""Step 3: applying changes, and line/column positions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from degarble.changes import Change, Restoration, Suspect, apply_changes, line_and_column


def change(start: int, end: int, original: str, replacement: str) -> Change:
    return Change(start, end, original, replacement, "t.tsv:1", 1.0)


def test_apply_changes_in_any_order() -> None:
    text = "law requirement and profound learning"
    changes = [
        change(20, 37, "profound learning", "deep learning"),
        change(0, 15, "law requirement", "law enforcement"),
    ]
    assert apply_changes(text, changes) == "law enforcement and deep learning"
    assert apply_changes(text, []) == text


def test_apply_changes_refuses_overlaps_and_stale_changes() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        apply_changes("abcdef", [change(0, 3, "abc", "x"), change(2, 4, "cd", "y")])
    with pytest.raises(ValueError, match="does not match"):
        apply_changes("abcdef", [change(0, 3, "xyz", "x")])


def test_line_and_column_counts_lf_lines() -> None:
    text = "ab\ncd\r\nef\rgh"
    assert line_and_column(text, [0, 1, 3, 7, 10]) == [(1, 1), (1, 2), (2, 1), (3, 1), (3, 4)]
    assert line_and_column(text, []) == []


@given(st.text(alphabet="ab\n\r ", max_size=60), st.lists(st.integers(0, 60), max_size=8))
def test_line_and_column_is_the_count_of_line_breaks_before_each_offset(text: str, picks: list[int]) -> None:
    offsets = sorted(min(pick, len(text)) for pick in picks)  # repeats allowed
    expected = [(text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) for at in offsets]
    assert line_and_column(text, offsets) == expected


def test_as_dict_and_restoration() -> None:
    c = change(0, 3, "abc", "x")
    assert c.as_dict() == {
        "start": 0,
        "end": 3,
        "original": "abc",
        "replacement": "x",
        "rule": "t.tsv:1",
        "method": "exact",
        "score": 1.0,
    }
    s = Suspect(0, 3, "abc", (("x", 0.5),), 0.5, "t.tsv:1")
    assert s.as_dict()["candidates"] == [["x", 0.5]]
    assert Restoration("x", [c]).changed and not Restoration("abc").changed
