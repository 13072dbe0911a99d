"""Chain restoration passes while keeping every change's offsets exact.

Each pass (mojibake repair, the dictionary, the context pass) reads the text
the previous passes produced.  :func:`compose` carries a later pass's changes
back to offsets into the original input; where a later change touches an
earlier one, the two become one change naming both rules.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from .changes import Change, apply_changes

__all__ = ["compose", "replaced_spans"]


def replaced_spans(changes: Sequence[Change]) -> list[tuple[int, int]]:
    """Where the changes' replacements lie in the text they produce."""
    spans = []
    shift = 0
    for change in sorted(changes, key=lambda c: c.start):
        start = change.start + shift
        spans.append((start, start + len(change.replacement)))
        shift += len(change.replacement) - (change.end - change.start)
    return spans


def _start(change: Change) -> int:
    return change.start


def _end(change: Change) -> int:
    return change.end


def compose(
    text: str, earlier: Sequence[Change], later: Sequence[Change], *, middle: str | None = None
) -> list[Change]:
    """Changes on ``text`` equivalent to applying ``earlier`` and then ``later``.

    ``earlier`` has offsets into ``text``; ``later`` has offsets into the text
    ``earlier`` produced (``middle``, when the caller has it already).

    >>> a = [Change(0, 2, "Â ", " ", "mojibake:ftfy", 1.0, "mojibake")]
    >>> b = [Change(3, 6, "big", "large", "x:1", 1.0)]
    >>> [(c.start, c.end, c.original, c.replacement) for c in compose("Â a big cat", a, b)]
    [(0, 2, 'Â ', ' '), (4, 7, 'big', 'large')]
    """
    earlier = sorted(earlier, key=_start)
    # by start, then end (two stable sorts on plain ints: ties keep their order), the order
    # in which the groups below are gathered
    later = sorted(sorted(later, key=_end), key=_start)
    if not later:
        return list(earlier)
    if middle is None:
        middle = apply_changes(text, earlier)
    mid_spans = replaced_spans(earlier)

    # The earlier spans are sorted and disjoint, so their ends rise: the spans before a
    # position are found by bisection, and their total shift is a prefix sum.
    ends = [e for _, e in mid_spans]
    shifts = [0, *itertools.accumulate(len(c.replacement) - (c.end - c.start) for c in earlier)]

    def to_source(position: int, is_end: bool = False) -> int:
        """A middle-text position on no earlier replacement's inside, as an offset into ``text``.

        An empty earlier replacement sitting exactly at ``position`` lies after
        a span that ends there and before a span that starts there.
        """
        before = bisect.bisect_right(ends, position)  # spans ending at or before the position
        if is_end:
            for k in range(bisect.bisect_left(ends, position), before):
                if mid_spans[k][0] == mid_spans[k][1] == position:
                    before = k
                    break
        return position - shifts[before]

    def merged(group: list[tuple[int, int, int, Change]]) -> Change | list[Change]:
        """The changes of one group: its earlier ones when it holds no later one, else one
        change naming every rule."""
        firsts = [g[3] for g in group if g[2] == 0]
        seconds = [g[3] for g in group if g[2] == 1]
        if not seconds:
            return firsts
        lo, hi = min(g[0] for g in group), max(g[1] for g in group)
        start, stop = to_source(lo), to_source(hi, is_end=True)
        if firsts:
            start, stop = min(start, firsts[0].start), max(stop, firsts[-1].end)
        parts, position = [], lo
        for c in seconds:
            parts.append(middle[position : c.start])
            parts.append(c.replacement)
            position = c.end
        parts.append(middle[position:hi])
        base = seconds[-1]
        rules = "+".join(dict.fromkeys([c.rule for c in firsts] + [c.rule for c in seconds]))
        score = min(c.score for c in firsts + seconds)
        return Change(start, stop, text[start:stop], "".join(parts), rules, score, base.method, base.standard)

    def emit(group: list[tuple[int, int, int, Change]]) -> None:
        """Add the changes of one gathered group to ``out``."""
        if len(group) > 1:
            changes = merged(group)
            if isinstance(changes, list):
                out.extend(changes)
            else:
                out.append(changes)
            return
        ((lo, hi, kind, change),) = group
        if kind == 0:  # an earlier change alone: kept as it is
            out.append(change)
            return
        # a later change alone: what merged() gives for one later change and no earlier one
        start, stop = lo - shifts[bisect.bisect_right(ends, lo)], to_source(hi, is_end=True)
        fields = (change.replacement, change.rule, change.score, change.method, change.standard)
        out.append(Change(start, stop, text[start:stop], *fields))

    # Every change as an interval of the middle text, (start, end, pass: 0 earlier, 1 later,
    # change), taken in (start, end, pass) order by merging the two sorted lists; an item
    # starting before the end of the group so far joins it.  Only the group being gathered
    # is held (a list of every item would keep tens of thousands of objects alive at once,
    # and the garbage collector runs by how many are).
    out: list[Change] = []
    group: list[tuple[int, int, int, Change]] = []
    group_end = -1
    i = j = 0
    n_earlier, n_later = len(earlier), len(later)
    while i < n_earlier or j < n_later:
        if j == n_later or (i < n_earlier and mid_spans[i] <= (later[j].start, later[j].end)):  # earlier first on a tie
            start, end = mid_spans[i]
            item = (start, end, 0, earlier[i])
            i += 1
        else:
            change = later[j]
            item = (change.start, change.end, 1, change)
            j += 1
        if group and item[0] < group_end:
            group.append(item)
            group_end = max(group_end, item[1])
            continue
        if group:
            emit(group)
        group, group_end = [item], item[1]
    emit(group)
    return sorted(out, key=lambda c: c.start)
