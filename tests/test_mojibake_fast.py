"""The fast mojibake alignment gives the changes of the plain one.

``mojibake.py`` hands ftfy each damaged line with its long clean stretches shortened,
aligns the line with its repair only between the ASCII runs that differ (difflib
skipped where the two sides share no character), and widens each repair from the
words near it.  The reference is the plain way, written out here: ftfy on the whole
line; between the common prefix and suffix, the line cut at its runs of ASCII letters
and digits (found one by one) and difflib run on every stretch between them that
differs (on the whole stretch when the runs differ); the repairs widened over every
word of the text.  (difflib over the whole stretch at once can align a stretch
differently: ``â€œ“The`` against ``““The`` is one change there, not two.)
"""

from __future__ import annotations

import difflib
import re

import ftfy
from hypothesis import given
from hypothesis import strategies as st

from degarble import mojibake
from degarble.changes import Change, apply_changes

_PIECES = ["the", "data", "Ok", "x1", "2024", " ", " ", "  ", ", ", ". ", "-", "'", "\n", "\t", "(", ")", "\ud800"]
# clean stretches long enough for ftfy to read them shortened
_LONG = ["The survey ran from 2019 to 2021 across nine sites, and the data were pooled. ", "-" * 70, " " * 60]
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
    if how == 3:  # twice, the no-break space of the damage made plain
        return data.decode("latin-1").encode("utf-8").decode("cp1252", "replace").replace("\u00a0", " ")
    return char


@st.composite
def damaged_texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 60))):
        roll = draw(st.integers(0, 7))
        if roll < 2:
            parts.append(_damaged(draw(st.sampled_from(_WIDE)), draw(st.integers(0, 3))))
        elif roll == 2:
            parts.append(draw(st.sampled_from(_LONG)))
        else:
            parts.append(draw(st.sampled_from(_PIECES)))
    return "".join(parts)


def _prefix(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share (one by one)."""
    return next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _plain_differences(line: str, fixed: str, head: int, high: int, fixed_high: int) -> list[tuple[int, ...]]:
    """difflib on each differing stretch between the ASCII runs of ``line[head:high]`` and
    ``fixed[head:fixed_high]`` (on the whole stretch when the runs differ)."""
    runs = [m.span() for m in re.finditer("[A-Za-z0-9]+", line[head:high])]
    fixed_runs = [m.span() for m in re.finditer("[A-Za-z0-9]+", fixed[head:fixed_high])]
    stretch, fixed_stretch = line[head:high], fixed[head:fixed_high]
    if [stretch[a:b] for a, b in runs] == [fixed_stretch[a:b] for a, b in fixed_runs]:
        cuts = [0, *(x for span in runs for x in span), len(stretch)]
        fixed_cuts = [0, *(x for span in fixed_runs for x in span), len(fixed_stretch)]
        pieces = list(zip(cuts[0::2], cuts[1::2], fixed_cuts[0::2], fixed_cuts[1::2]))
    else:
        pieces = [(0, len(stretch), 0, len(fixed_stretch))]
    out = []
    for i, i_end, j, j_end in pieces:
        matcher = difflib.SequenceMatcher(None, stretch[i:i_end], fixed_stretch[j:j_end], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                out.append((head + i + i1, head + i + i2, head + j + j1, head + j + j2))
    return out


def _plain(text: str) -> list[Change]:
    """The plain reference: whole-line ftfy, one difflib alignment, all the text's words."""
    changes: list[Change] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        fixed = ftfy.fix_encoding(line) if mojibake._MARKER.search(line) else line
        if fixed != line:
            head = _prefix(line, fixed)
            tail = _prefix(line[head:][::-1], fixed[head:][::-1])
            spans: list[list[int]] = []
            for i1, i2, j1, j2 in _plain_differences(line, fixed, head, len(line) - tail, len(fixed) - tail):
                if spans and i1 - spans[-1][1] <= 1 and j1 - spans[-1][3] <= 1:  # neighbours within 1 char
                    spans[-1][1], spans[-1][3] = i2, j2
                else:
                    spans.append([i1, i2, j1, j2])
            for i1, i2, j1, j2 in spans:
                if i1 == i2:  # an insertion, anchored on the character before (or after)
                    i1, j1, i2, j2 = (i1 - 1, j1 - 1, i2, j2) if i1 > 0 else (i1, j1, i2 + 1, j2 + 1)
                repair = Change(offset + i1, offset + i2, line[i1:i2], fixed[j1:j2], mojibake.RULE, 1.0, "mojibake")
                changes.append(repair)
        offset += len(line)
    return mojibake._whole_words(text, changes) if changes else []


@given(text=damaged_texts())
def test_fast_alignment_gives_the_plain_changes(text: str) -> None:
    plain = _plain(text)
    fast = mojibake.mojibake_changes(text)
    assert fast == plain
    assert apply_changes(text, fast) == apply_changes(text, plain)


def test_a_long_damaged_line_is_repaired_word_by_word() -> None:
    line = " ".join(f"word{n} MonumentÂ\u00a0{n} cafÃ© naÃ¯ve" for n in range(60)) + "\n"
    changes = mojibake.mojibake_changes(line)
    assert len(changes) == 120  # ("cafÃ©" ends in "©", no word character: its repair reaches "naÃ¯ve")
    assert apply_changes(line, changes) == line.replace("Â\u00a0", "\u00a0").replace("Ã©", "é").replace("Ã¯", "ï")
    assert changes == _plain(line)
