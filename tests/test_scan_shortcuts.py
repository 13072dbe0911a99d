"""The C-pass shortcuts of round 5f give what the character-class scans they replace gave.

``tokens.non_ascii`` (UTF-8 bytes with the ASCII ones deleted) lets a class of non-ASCII
characters be searched in a short string; ``masked_fold`` then replaces each character
found with ``str.replace``, ``masked_runs`` finds NUL runs with ``str.find``, and
``mojibake_changes`` finds its damaged lines with ``str.find`` per marker.  Each is checked
here against the plain scan it replaces (written out as it was), on Hypothesis text.
"""

from __future__ import annotations

import bisect
import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from degarble import mojibake, tokens

_PIECES = [
    "the", "Data", "STRASSE", "Straße", "İstanbul", "ﬁne", "ẞ", "\0", " ", "  ", "\n", "\r\n", "\x85",
    "\u2028", "é", "café", "—", "’", "Ã©", "Â", "â€”", "\ud800", "中文", "ǰ", "ŉ", ".", "-", "'",
]  # fmt: skip

texts = st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=40).map("".join)

# The scans the shortcuts replace, as they were written before round 5f.
_MASKED_RUN = re.compile(f"[\0{tokens._MULTI_FOLD}]+")


def _masked_fold_by_scan(text: str) -> tuple[str, bool]:
    if tokens._MULTI_FOLDING.search(text) is None:
        folded = tokens.fold(text)
        if len(folded) == len(text):
            return folded, False
        masked = text
    else:
        masked = tokens._MULTI_FOLDING.sub("\0", text)
        folded = tokens.fold(masked)
        if len(folded) == len(text):
            return folded, True
    for char in {c for c in set(masked) if len(tokens.fold(c)) != 1}:
        masked = masked.replace(char, "\0")
    return tokens.fold(masked), True


def _masked_runs_by_scan(text: str, folded: str) -> list[tuple[int, int]]:
    runs = [match.span() for match in _MASKED_RUN.finditer(text)]
    if sum(b - a for a, b in runs) == folded.count("\0"):
        return runs
    return [match.span() for match in re.finditer("\0+", folded)]


def _damaged_lines_by_scan(text: str) -> list[tuple[int, int]]:
    every = text.splitlines(keepends=True)
    ends = list(itertools.accumulate(map(len, every)))
    damaged = []
    marker = mojibake._MARKER.search(text)
    while marker is not None:
        at = bisect.bisect_right(ends, marker.start())
        damaged.append((ends[at] - len(every[at]), ends[at]))
        marker = mojibake._MARKER.search(text, ends[at])
    return damaged


@given(texts)
@settings(max_examples=300)
def test_non_ascii_is_the_non_ascii_characters_in_order(text: str) -> None:
    rare = tokens.non_ascii(text)
    wanted = "".join(c for c in text if not c.isascii())
    # a lone surrogate has no UTF-8: then the text itself comes back (a superset to search)
    assert rare == wanted or (rare == text and any(0xD800 <= ord(c) <= 0xDFFF for c in text))


@given(texts)
@settings(max_examples=300)
def test_masked_fold_and_runs_are_those_of_the_class_scans(text: str) -> None:
    folded, masked = tokens.masked_fold(text)
    assert (folded, masked) == _masked_fold_by_scan(text)
    if masked:
        assert tokens.masked_runs(text, folded) == _masked_runs_by_scan(text, folded)


@given(texts)
@settings(max_examples=300)
def test_mojibake_finds_the_lines_the_class_scan_finds(text: str) -> None:
    present = set(mojibake._MARKER.findall(tokens.non_ascii(text)))
    assert mojibake._damaged_lines(text, present) == _damaged_lines_by_scan(text)


def test_a_marker_that_breaks_the_line_belongs_to_the_line_it_ends() -> None:
    text = "caf\u00c3\u00a9 ok\u0085next Ã© line\nclean\nâ€” here"
    expected = [(0, 9), (9, 22), (28, 36)]
    assert mojibake._damaged_lines(text, set(mojibake._MARKER.findall(text))) == expected
    assert _damaged_lines_by_scan(text) == expected


@given(
    lines=st.lists(st.sampled_from(["x" * 300, "y" * 2000, "", "Ã©", "ab Ã© cd", "\r"]), min_size=1, max_size=8),
    breaks=st.lists(st.sampled_from(["\n", "\r\n", "\r", "\x0b", "\x85", "\u2029", "\x1e"]), min_size=8, max_size=8),
)
def test_a_damaged_line_is_found_after_long_lines_and_any_break(lines: list[str], breaks: list[str]) -> None:
    text = "".join(line + brk for line, brk in zip(lines, breaks))
    present = set(mojibake._MARKER.findall(text))
    assert mojibake._damaged_lines(text, present) == _damaged_lines_by_scan(text)


_AGREEING = ["the", "Data", "don't", "café’s", "naïve", "ß", " ", "  ", "\n", "\t", "\u00a0", "-", "‐", "_",
             ",", ".", "(", "'", "’", "—", "“", "x1", "2024", "€", "+"]  # fmt: skip


@given(st.lists(st.sampled_from(_AGREEING), min_size=1, max_size=60).map("".join), st.data())
@settings(max_examples=300)
def test_windows_read_with_re_are_those_read_with_regex(text: str, data: st.DataObject) -> None:
    # For text whose characters re and regex classify alike, the re scans give the same
    # window bounds as the regex ones (reverse searches included).
    from degarble.regions import _RE_SCANS, _REGEX_SCANS, SparseTokenizer

    assert tokens.agrees(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    before, after = data.draw(st.integers(0, 6)), data.draw(st.integers(0, 6))
    window = SparseTokenizer._window
    assert window(text, start, end, before, after, _RE_SCANS) == window(text, start, end, before, after, _REGEX_SCANS)


def test_a_shifted_change_is_the_change_built_at_the_new_offsets() -> None:
    from degarble.changes import Change

    change = Change(3, 9, "colour", "color", "t:1", 0.95, "spelling", "color")
    moved = change.shifted(100)
    built = Change(103, 109, "colour", "color", "t:1", 0.95, "spelling", "color")
    assert moved == built and hash(moved) == hash(built) and repr(moved) == repr(built)
    assert moved.as_dict() == built.as_dict() and change.start == 3  # the original is untouched
