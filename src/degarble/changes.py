"""Step 3: chosen candidates -> changes; and applying changes to text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Change", "Restoration", "Suspect", "apply_changes", "line_and_column"]


@dataclass(frozen=True)
class Change:
    """One correction: ``text[start:end]`` (``original``) becomes ``replacement``.

    ``rule`` names what made it: a dictionary entry as ``file:line``, prefixed by
    the matcher when that was not an exact match (``fuzzy:general.tsv:12``).
    ``score`` is the confidence in ``(0, 1]``.
    """

    start: int
    end: int
    original: str
    replacement: str
    rule: str
    score: float
    method: str = "exact"
    standard: str = ""

    def shifted(self, by: int) -> Change:
        """The same change ``by`` characters further on (a chunk's change placed in its
        stream): a copy of its fields with new offsets, without the frozen dataclass's
        ``__init__`` (one ``object.__setattr__`` per field; a long stream shifts every change)."""
        moved = object.__new__(Change)
        fields = moved.__dict__
        fields.update(self.__dict__)
        fields["start"] = self.start + by
        fields["end"] = self.end + by
        return moved

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping of the change."""
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "rule": self.rule,
            "method": self.method,
            "score": self.score,
        }


@dataclass(frozen=True)
class Suspect:
    """A span that looks spun but was not changed (too little confidence).

    ``candidates`` are ``(replacement, score)`` pairs, best first.
    """

    start: int
    end: int
    original: str
    candidates: tuple[tuple[str, float], ...] = ()
    score: float = 0.0
    rule: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "candidates": [list(c) for c in self.candidates],
            "score": self.score,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Restoration:
    """The restored ``text``, the ``changes`` (in text order) that produced it,
    and ``suspects``: spans that look spun but were left as written."""

    text: str
    changes: list[Change] = field(default_factory=list)
    suspects: list[Suspect] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Apply non-overlapping changes to ``text`` in one pass (linear time).

    >>> apply_changes("a law requirement", [Change(2, 17, "law requirement", "law enforcement", "x:1", 1.0)])
    'a law enforcement'
    """
    parts: list[str] = []
    position = 0
    for change in sorted(changes, key=lambda c: c.start):
        if change.start < position:
            raise ValueError(f"overlapping change at {change.start}")
        if text[change.start : change.end] != change.original:
            raise ValueError(f"change at {change.start} does not match the text")
        parts.append(text[position : change.start])
        parts.append(change.replacement)
        position = change.end
    parts.append(text[position:])
    return "".join(parts)


def line_and_column(text: str, offsets: Sequence[int]) -> list[tuple[int, int]]:
    """1-based line and column of each offset (offsets in increasing order)."""
    result: list[tuple[int, int]] = []
    line, line_start, scanned = 1, 0, 0
    for offset in offsets:
        if offset > scanned:  # the line breaks since the last offset: two C calls, not one per break
            breaks = text.count("\n", scanned, offset)
            if breaks:
                line += breaks
                line_start = text.rfind("\n", scanned, offset) + 1
            scanned = offset
        result.append((line, offset - line_start + 1))
    return result
