"""``compose``'s shortcut for a change alone gives what its general path gives.

``stages.compose`` handles a group holding one change (most groups: a dictionary
change far from any repair) without the general merge.  The reference here is the
general path written plainly (every group merged as in main before the shortcut),
compared on generated texts with earlier changes (empty replacements and deletions
included) and later changes on the text they produce.
"""

from __future__ import annotations

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
    def to_source(position: int, is_end: bool = False) -> int:
        """The earlier changes' shifts summed over the spans that end before ``position``
        (or at it; at a group's end, not from an empty span sitting there on)."""
        shift = 0
        for (s, e), c in zip(mid_spans, earlier):
            if e > position or (is_end and s == e == position):
                break
            shift += len(c.replacement) - (c.end - c.start)
        return position - shift

    out: list[Change] = []
    for group in groups:
        firsts = [c for _, _, kind, c in group if kind == 0]
        seconds = [c for _, _, kind, c in group if kind == 1]
        if not seconds:
            out.extend(firsts)
            continue
        lo, hi = min(item[0] for item in group), max(item[1] for item in group)
        start = min([to_source(lo), *(c.start for c in firsts[:1])])
        stop = max([to_source(hi, is_end=True), *(c.end for c in firsts[-1:])])
        # the group's stretch of the middle text with its later changes made
        inner = [Change(c.start - lo, c.end - lo, c.original, c.replacement, c.rule, c.score) for c in seconds]
        replacement = apply_changes(middle[lo:hi], inner)
        rules = "+".join(dict.fromkeys(c.rule for c in [*firsts, *seconds]))
        score = min(c.score for c in [*firsts, *seconds])
        last = seconds[-1]
        out.append(Change(start, stop, text[start:stop], replacement, rules, score, last.method, last.standard))
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
