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


def _relocated(change: Change, start: int, end: int, original: str) -> Change:
    """``change`` with new offsets and original, its other fields kept (a copy of its fields,
    without the frozen dataclass's ``__init__``: one such copy per later change)."""
    moved = object.__new__(Change)
    fields = moved.__dict__
    fields.update(change.__dict__)
    fields["start"], fields["end"], fields["original"] = start, end, original
    return moved


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
    earlier = sorted(earlier, key=lambda c: c.start)
    later = sorted(later, key=lambda c: c.start)
    if not later:
        return list(earlier)
    if middle is None:
        middle = apply_changes(text, earlier)
    mid_spans = replaced_spans(earlier)
    # Every change as an interval of the middle text: 0 = earlier pass, 1 = later pass.
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

    out: list[Change] = []
    for group in groups:
        if len(group) == 1:  # most groups: one change alone, an earlier one kept as it is
            lo, hi, kind, change = group[0]
            if kind == 0:
                out.append(change)
                continue
            # a later change alone: the general case below with one second and no first
            start, stop = lo - shifts[bisect.bisect_right(ends, lo)], to_source(hi, is_end=True)
            out.append(_relocated(change, start, stop, text[start:stop]))
            continue
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
            parts.append(middle[position : c.start])
            parts.append(c.replacement)
            position = c.end
        parts.append(middle[position:hi])
        base = seconds[-1]
        rules = "+".join(dict.fromkeys([c.rule for c in firsts] + [c.rule for c in seconds]))
        out.append(
            Change(
                start,
                stop,
                text[start:stop],
                "".join(parts),
                rules,
                min(c.score for c in firsts + seconds),
                base.method,
                base.standard,
            )
        )
    return sorted(out, key=lambda c: c.start)
