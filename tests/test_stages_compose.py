"""``compose``'s shortcut for a change alone gives what its general path gives.

``stages.compose`` handles a group holding one change (most groups: a dictionary
change far from any repair) without the general merge.  The reference here is the
general path written plainly (every group merged as in main before the shortcut),
compared on generated texts with earlier changes (empty replacements and deletions
included) and later changes on the text they produce.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from degarble.changes import Change, apply_changes
from degarble.stages import compose, replaced_spans


def _plain_compose(text: str, earlier: Sequence[Change], later: Sequence[Change]) -> list[Change]:
    """Every group through the general merge (the reference)."""
    earlier = sorted(earlier, key=lambda c: c.start)
    later = sorted(later, key=lambda c: c.start)
    if not later:
        return list(earlier)
    middle = apply_changes(text, earlier)
    mid_spans = replaced_spans(earlier)
    items = [(s, e, 0, c) for (s, e), c in zip(mid_spans, earlier)]
    items.extend((c.start, c.end, 1, c) for c in later)
    items.sort(key=lambda t: (t[0], t[1], t[2]))
    groups: list[list[tuple[int, int, int, Change]]] = []
    end = -1
    for item in items:
        if groups and item[0] < end:
            groups[-1].append(item)
            end = max(end, item[1])
        else:
            groups.append([item])
            end = item[1]
    ends = [e for _, e in mid_spans]
    shifts = [0, *itertools.accumulate(len(c.replacement) - (c.end - c.start) for c in earlier)]

    def to_source(position: int, is_end: bool = False) -> int:
        before = bisect.bisect_right(ends, position)
        if is_end:
            for k in range(bisect.bisect_left(ends, position), before):
                if mid_spans[k][0] == mid_spans[k][1] == position:
                    before = k
                    break
        return position - shifts[before]

    out: list[Change] = []
    for group in groups:
        firsts = [g[3] for g in group if g[2] == 0]
        seconds = [g[3] for g in group if g[2] == 1]
        if not seconds:
            out.extend(firsts)
            continue
        lo, hi = min(g[0] for g in group), max(g[1] for g in group)
        start, stop = to_source(lo), to_source(hi, is_end=True)
        if firsts:
            start, stop = min(start, firsts[0].start), max(stop, firsts[-1].end)
        parts, position = [], lo
        for c in seconds:
            parts += [middle[position : c.start], c.replacement]
            position = c.end
        parts.append(middle[position:hi])
        rules = "+".join(dict.fromkeys([c.rule for c in firsts] + [c.rule for c in seconds]))
        score = min(c.score for c in firsts + seconds)
        base = seconds[-1]
        out.append(Change(start, stop, text[start:stop], "".join(parts), rules, score, base.method, base.standard))
    return sorted(out, key=lambda c: c.start)


@st.composite
def _disjoint_changes(draw: st.DrawFn, text: str, rule: str) -> list[Change]:
    """Sorted, disjoint changes on ``text`` (some empty replacements, some empty spans)."""
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    changes = []
    position = 0
    for a, b in itertools.pairwise(cuts):
        if a < position or draw(st.booleans()):
            continue
        replacement = draw(st.sampled_from(["", " ", "x", "long one", "\u00a0", "é"]))
        if a == b and not replacement:
            continue
        score, method = draw(st.sampled_from([1.0, 0.9, 0.5])), draw(st.sampled_from(["exact", "m"]))
        changes.append(Change(a, b, text[a:b], replacement, f"{rule}:{a}", score, method))
        position = b if b > a else b + 1
    return changes


@given(data=st.data(), text=st.text(st.sampled_from("ab Â\u00a0.é"), max_size=40))
def test_compose_gives_the_general_merge(data: st.DataObject, text: str) -> None:
    earlier = data.draw(_disjoint_changes(text, "mojibake"))
    middle = apply_changes(text, earlier)
    later = data.draw(_disjoint_changes(middle, "dict"))
    composed = compose(text, earlier, later)
    assert composed == _plain_compose(text, earlier, later)
    assert compose(text, earlier, later, middle=middle) == composed
    if all(c.start < c.end for c in later):  # (a later insertion beside an emptied span may land on its other side)
        assert apply_changes(text, composed) == apply_changes(middle, later)


def test_a_lone_later_change_keeps_its_fields_with_source_offsets() -> None:
    text = "Â a big cat"
    earlier = [Change(0, 2, "Â ", " ", "mojibake:ftfy", 1.0, "mojibake")]
    later = [Change(3, 6, "big", "large", "x:1", 0.7, "fuzzy", "large")]
    (first, moved) = compose(text, earlier, later)
    assert first is earlier[0]
    assert moved == Change(4, 7, "big", "large", "x:1", 0.7, "fuzzy", "large")
