"""Mojibake repair: ``FebruaryÂ 20`` -> ``February 20``, ``deedâ€”`` -> ``deed—``.

Spun text scraped from the web often carries encoding damage (UTF-8 bytes read
as Windows-1252 or Latin-1).  `ftfy <https://ftfy.readthedocs.io>`_ is the
well-kept library that undoes it.  It is configured here to do *only* encoding
repair: no quote uncurling, no Unicode normalization, no HTML unescaping, no
ligature or width folding, no line-break changes, so clean text, curly quotes
included, never changes.

Each repaired stretch becomes one :class:`~degarble.changes.Change` with exact
offsets into the input (rule ``mojibake:ftfy``), found by aligning each changed
line with its repair character by character.

Why the alignment can be cut into small pieces: ftfy's encoding repair re-reads
bytes >= 0x80 (a UTF-8 sequence never holds an ASCII byte), so every ASCII letter
and digit of a line comes out unchanged and in order, and each stretch between two
of them is repaired on its own.  Only the stretches that differ are aligned
(difflib's cost grows with the product of the lengths it compares).

ftfy itself reads each damaged line with its long clean stretches shortened to a
joint character (:func:`_shortened` gives the proof that the repair is the same):
its patterns reach only a few characters from damage, so it need not scan the rest.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from functools import lru_cache

from .changes import Change
from .tokens import non_ascii, word_spans  # the tokenizer's words: repairs are widened to them

__all__ = ["RULE", "available", "mojibake_changes", "repair_mojibake"]

RULE = "mojibake:ftfy"
# Characters that occur in UTF-8-read-as-cp1252/latin-1 mojibake; a line without
# any of them cannot carry it, so clean text costs one scan per line.
_MARKERS = frozenset(
    "ÂÃâ€Ã¢Ä™œ\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c"
    "\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a"
    "\u009b\u009c\u009d\u009e\u009f\ufffdÅÆÐÑÎÏ"
)
# The same set as one character class: a C-level scan instead of a Python loop per character
# (the standard ``re``: plain characters only, and it scans a class about 4x faster than ``regex``).
_MARKER = re.compile("[" + "".join(sorted(re.escape(c) for c in _MARKERS)) + "]")
# Runs of ASCII letters and digits, which encoding repair never changes (see the module doc);
# the group keeps them in ``split``'s list, between the stretches they separate.
_ASCII_RUN_CUT = re.compile("([A-Za-z0-9]+)")
# What ``str.splitlines`` cuts lines at (``\r\n`` is one break), and those breaks but ``\n``.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_OTHER_BREAK = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# How far around a repair its line's words are read first (widened as needed).
_NEAR = 16
# ftfy.fix_text cuts text longer than this into segments; a line up to it is one segment.
_FTFY_SEGMENT = 1_000_000
# How many ASCII characters are kept on each side of a shortened stretch: more than any
# of ftfy's patterns reaches from a character >= U+0080 (7, see _shortened).
_MARGIN = 10
# Runs of printable ASCII (and tabs) worth shortening: at least 16 characters go.
_QUIET_RUN = re.compile(f"[\t -~]{{{2 * _MARGIN + 16},}}")
# The ftfy releases whose encoding repair _shortened's proof was read against.
_PROVEN_FTFY = ("6.3.",)
# Characters that stand for a shortened stretch: ASCII controls that every single-byte
# encoding ftfy tries maps to themselves (not \x1a, ftfy's stand-in for U+FFFD), not
# whitespace and not made by any repair.
_JOINTS = "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1b"


def available() -> bool:
    """True when ftfy is installed (it is a core dependency, so normally always)."""
    try:
        import ftfy  # noqa: F401
    except ImportError:  # pragma: no cover - ftfy is a core dependency
        return False
    return True


@lru_cache(maxsize=1)
def _config():  # type: ignore[no-untyped-def]
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=True,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


def _fix_line(line: str) -> str:
    """``ftfy.fix_encoding(line)`` (a line up to ftfy's segment length, with no line break
    inside; else ``ftfy.fix_text`` with :func:`_config`), called on the line with its long
    plain-ASCII stretches shortened (:func:`_shortened`): the same repair, from a few
    dozen characters around each damaged stretch instead of the whole line.
    """
    if len(line) > _FTFY_SEGMENT or "\n" in line[:-1]:
        from ftfy import fix_text

        return fix_text(line, _config())
    from ftfy import fix_encoding

    shortened = _shortened(line) if _shortening_proven() else None
    if shortened is None:
        return fix_encoding(line)
    short, joint, middles, margins = shortened
    pieces = fix_encoding(short).split(joint)
    # The last premise of the proof, checked: every margin came through unchanged (a repair
    # may take the space or "?" right after damage into a character, restore_byte_a0 and
    # replace_lossy_sequences do; then the whole line is repaired instead).
    if len(pieces) != len(middles) + 1 or any(
        not (pieces[k].endswith(left) and pieces[k + 1].startswith(right)) for k, (left, right) in enumerate(margins)
    ):
        return fix_encoding(line)
    out = [pieces[0]]
    for middle, piece in zip(middles, pieces[1:]):
        out += [middle, piece]
    return "".join(out)


@lru_cache(maxsize=1)
def _shortening_proven() -> bool:
    """True for the ftfy releases whose code :func:`_shortened`'s proof was checked against."""
    from ftfy import __version__

    return __version__.startswith(_PROVEN_FTFY)


def _shortened(line: str) -> tuple[str, str, list[str], list[tuple[str, str]]] | None:
    """``line`` with the middle of each long run of printable ASCII replaced by one
    *joint* character that ``line`` does not hold: ``(short, joint, middles, margins)``
    (``margins``: the :data:`_MARGIN` characters kept on each side of each joint), or
    None when nothing is worth shortening (or every joint character occurs in ``line``).

    Why ``fix_encoding(line)`` is ``fix_encoding(short)`` with each joint put back as its
    middle, when every margin comes through unchanged (ftfy 6.3, its default encoding
    options as ``fix_encoding`` uses them; ``tests/test_mojibake_ftfy_short.py`` checks
    each premise on the installed ftfy and compares both on generated lines):

    - Every decision of a ``fix_encoding`` step reads the text (or its single-byte
      encoding) through patterns whose matches each hold a character >= U+0080 (or a
      ``\x1a``, never in a shortened stretch) and span at most 7 characters, lookarounds
      included: ``BADNESS_RE``, ``ALTERED_UTF8_RE``, ``A_GRAVE_WORD_RE``, ``LOSSY_UTF8_RE``,
      ``C1_CONTROL_RE``, the CESU-8 patterns of ``utf-8-variants``; ``UTF8_DETECTOR_RE``
      repeats units of at most 4 that each hold one, after a 1-character lookbehind.
      A joint, more than :data:`_MARGIN` ASCII characters away from any such character,
      is never read by a match, and ``^`` and ``$`` see the line's own ends, kept.
    - Whether the text encodes in each single-byte encoding depends on each character
      alone, and printable ASCII and the joints encode to themselves in all of them;
      UTF-8 (and ``utf-8-variants``) decoding never joins an ASCII byte to a sequence.
    - A step changes ASCII characters only by taking one into a damaged sequence (a space
      or ``?`` right after it, or a ``\x1a``) and never makes one back, but U+0000: margins
      that come through unchanged stayed so at every step, so the joints stayed out of
      reach throughout.  (``_fix_line`` checks this and repairs the whole line if not.)
    - ``decode_inconsistent_utf8`` repairs a match only when it is shorter than the whole
      text: a match never reaches a joint, so it is shorter than both texts.
    - No step turns bytes >= 0x80 into a joint (UTF-8 decodes them to characters >=
      U+0080; ``utf-8-variants`` adds only U+0000): splitting the repair at the joints
      gives back each kept stretch.
    """
    runs = [m.span() for m in _QUIET_RUN.finditer(line)]
    if not runs:
        return None
    joint = next((char for char in _JOINTS if char not in line), None)
    if joint is None:
        return None
    parts: list[str] = []
    middles: list[str] = []
    margins: list[tuple[str, str]] = []
    position = 0
    for start, end in runs:
        low, high = start + _MARGIN, end - _MARGIN
        parts += [line[position:low], joint]
        middles.append(line[low:high])
        margins.append((line[start:low], line[high:end]))
        position = high
    parts.append(line[position:])
    return "".join(parts), joint, middles, margins


def mojibake_changes(text: str) -> list[Change]:
    """Offset-exact changes that undo encoding damage in ``text`` (empty for clean text).

    >>> [(c.original, c.replacement) for c in mojibake_changes("On FebruaryÂ\\xa020, the deedâ\\x80\\x94done.")]
    [('FebruaryÂ', 'February'), ('deedâ\\x80\\x94done', 'deed—done')]
    >>> mojibake_changes("“Curly” quotes and café stay.")
    []
    """
    # Every marker is a non-ASCII character: look for them among the text's non-ASCII
    # characters (C passes), not with a class scan of the whole text.
    rare = non_ascii(text)
    present = set(_MARKER.findall(rare)) if rare else None
    if not present:
        return []
    if not available():  # pragma: no cover
        return []
    changes: list[Change] = []
    lines: list[tuple[int, int]] = []  # where the line of each change starts and ends
    for offset, end in _damaged_lines(text, present):
        line = text[offset:end]
        fixed = _fix_line(line)
        if fixed != line:
            aligned = _aligned_changes(line, fixed, offset)
            changes.extend(aligned)
            lines.extend([(offset, end)] * len(aligned))
    return _whole_words(text, changes, lines) if changes else []


def _damaged_lines(text: str, markers: set[str]) -> list[tuple[int, int]]:
    """Where the lines of ``text`` (as ``str.splitlines`` cuts them, line breaks kept) that
    hold one of ``markers`` (the markers ``text`` holds) start and end, in order.

    Each marker is found with ``str.find`` (a C search for one character), on from the end
    of the line it was last seen in, and only that line's bounds are read (the text is not
    cut into all its lines): the lines a scan with the whole marker class finds.  (A line
    holding several markers is read once per marker; kept by its start in a dict, not
    inserted into sorted lists, which grows quadratically with many damaged lines.)
    """
    ends: dict[int, int] = {}  # where each damaged line found so far ends, by its start
    for char in markers:
        found = text.find(char)
        while found >= 0:
            start, end = _line_around(text, found)
            ends[start] = end
            found = text.find(char, end)
    return sorted(ends.items())


def _line_around(text: str, position: int) -> tuple[int, int]:
    """Where the line holding ``text[position]`` starts and ends (its break included).

    The end: the first line break at or after ``position``.  The start: just after the last
    break before it, looked for in a stretch before ``position`` doubled until it holds
    one (``rfind`` for the common ``\n``, a class search for the other breaks after it).
    """
    after = _LINE_BREAK.search(text, position)
    end = after.end() if after else len(text)
    width, stop = 256, position
    while True:
        low = max(0, position - width)
        newline = text.rfind("\n", low, stop)
        last = newline
        for other in _OTHER_BREAK.finditer(text, max(low, newline + 1), stop):
            last = other.start()
        if last >= 0:
            return last + 1, end
        if low == 0:
            return 0, end
        stop, width = low, width * 2


def _whole_words(text: str, changes: list[Change], lines: list[tuple[int, int]] | None = None) -> list[Change]:
    """Widen each repair to whole words (as every degarble change is), merging repairs that meet.

    A repair that touches no word at all (damage between two punctuation marks
    with no word on either side) is dropped: it cannot be shown as a word change.
    ``lines`` (where the line of each repair starts and ends) lets only the words near each
    repair be read: no word crosses a line break.
    """
    bounds: list[tuple[int | None, int | None]] | None = None
    if lines is not None:
        bounds = []
        for change, (low, high) in zip(changes, lines):
            start, end = _bounds_in_line(text, change, low, high)
            if start is None or end is None:
                bounds = None
                break
            bounds.append((start, end))
    if bounds is None:  # a repair whose words lie beyond its own line
        bounds = _word_bounds(changes, word_spans(text))
    assert bounds is not None
    spans: list[list[object]] = []
    for change, (start, end) in zip(changes, bounds):
        if start is None or end is None:
            continue
        if spans and start < spans[-1][1]:  # type: ignore[operator]
            spans[-1][1] = max(end, spans[-1][1])  # type: ignore[call-overload]
            spans[-1][2].append(change)  # type: ignore[union-attr]
        else:
            spans.append([start, end, [change]])
    out = []
    for start, end, inner in spans:
        parts, position = [], start
        for change in inner:  # type: ignore[union-attr]
            parts += [text[position : change.start], change.replacement]
            position = change.end
        parts.append(text[position:end])  # type: ignore[index]
        out.append(Change(start, end, text[start:end], "".join(parts), RULE, 1.0, "mojibake"))  # type: ignore[arg-type]
    return out


def _bounds_in_line(text: str, change: Change, low: int, high: int) -> tuple[int | None, int | None]:
    """:func:`_word_bounds` of ``change`` over the words of its line ``text[low:high]``, from
    the words near it only (a damaged line can be long and hold many repairs).

    Words are read in a stretch around the change, widened until the answer lies inside
    it.  The first word of a stretch that starts inside the line and the last of one that
    ends inside it may be cut, so they are left out: the words between are the line's.
    """
    width = _NEAR
    while True:
        a, b = max(low, change.start - width), min(high, change.end + width)
        spans = word_spans(text, a, b)
        first = spans.pop(0) if a > low and spans else None
        last = spans.pop() if b < high and spans else None
        # a left-out word must not hold the change's ends (only a word longer than ``width``)
        whole = (first is None or first[1] <= change.start) and (last is None or last[0] >= change.end)
        ((start, end),) = _word_bounds([change], spans)
        if whole and (start is not None or a == low) and (end is not None or b == high):
            return start, end
        width *= 4


def _word_bounds(changes: list[Change], tokens: list[tuple[int, int]]) -> list[tuple[int | None, int | None]]:
    """For each change, the start of the word it starts in (or of the last word before it)
    and the end of the word it ends in (or of the first word after it).

    ``tokens`` (the words' ``(start, end)``) are sorted and disjoint, so bisecting their
    starts and ends finds both; None where there is no such word.
    """
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    bounds: list[tuple[int | None, int | None]] = []
    for change in changes:
        at = bisect.bisect_right(starts, change.start) - 1  # the last token starting at or before it
        if at >= 0 and change.start < ends[at]:
            start: int | None = starts[at]
        else:
            before = bisect.bisect_right(ends, change.start) - 1  # the last token ending at or before it
            start = starts[before] if before >= 0 else None
        at = bisect.bisect_left(starts, change.end) - 1  # the last token starting before its end
        if at >= 0 and change.end <= ends[at]:
            end: int | None = ends[at]
        else:
            after = bisect.bisect_left(starts, change.end)  # the first token starting at or after its end
            end = ends[after] if after < len(tokens) else None
        bounds.append((start, end))
    return bounds


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of ``a`` and ``b`` (binary search on slices)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _aligned_changes(line: str, fixed: str, offset: int) -> list[Change]:
    """The differing stretches of ``line`` and ``fixed`` as changes (neighbours within 1 char merged)."""
    # Only the stretch between the common prefix and suffix is aligned: the damage lies there.
    head = _common_prefix(line, fixed)
    tail = _common_prefix(line[head:][::-1], fixed[head:][::-1])
    spans: list[list[int]] = []
    for i1, i2, j1, j2 in _differences(line, fixed, head, len(line) - tail, head, len(fixed) - tail):
        if spans and i1 - spans[-1][1] <= 1 and j1 - spans[-1][3] <= 1:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    changes = []
    for i1, i2, j1, j2 in spans:
        if i2 == i1:  # a pure insertion: anchor it on the character before (or after)
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        changes.append(Change(offset + i1, offset + i2, line[i1:i2], fixed[j1:j2], RULE, 1.0, "mojibake"))
    return changes


def _differences(
    line: str, fixed: str, low: int, high: int, fixed_low: int, fixed_high: int
) -> list[tuple[int, int, int, int]]:
    """difflib's non-equal opcodes for ``line[low:high]`` against ``fixed[fixed_low:fixed_high]``,
    in the offsets of the whole strings.

    When both hold the same runs of ASCII letters and digits (always, for an encoding
    repair: see the module doc), each run is its own match and only the stretches
    between runs that differ are given to difflib; otherwise the whole stretch is.
    Both sides are cut at their runs by one C split each, and the differing stretches
    found by C passes (compared pairwise, their offsets summed up).
    """
    parts = _ASCII_RUN_CUT.split(line[low:high])  # stretch, run, stretch, ..., run, stretch
    fixed_parts = _ASCII_RUN_CUT.split(fixed[fixed_low:fixed_high])
    pieces: list[tuple[int, int, int, int]]
    if parts[1::2] == fixed_parts[1::2]:
        starts = list(itertools.accumulate(map(len, parts), initial=low))
        fixed_starts = list(itertools.accumulate(map(len, fixed_parts), initial=fixed_low))
        differing = itertools.compress(range(0, len(parts), 2), map(operator.ne, parts[0::2], fixed_parts[0::2]))
        pieces = [(starts[k], starts[k + 1], fixed_starts[k], fixed_starts[k + 1]) for k in differing]
    else:
        pieces = [(low, high, fixed_low, fixed_high)]
    out = []
    for i, i_end, j, j_end in pieces:
        piece, fixed_piece = line[i:i_end], fixed[j:j_end]
        if not piece or not fixed_piece or set(piece).isdisjoint(fixed_piece):
            # no character in common: difflib finds no matching block, one opcode spans both
            out.append((i, i_end, j, j_end))
            continue
        import difflib  # lazy: only a damaged line needs it

        matcher = difflib.SequenceMatcher(None, piece, fixed_piece, autojunk=False)
        out.extend(
            (i + i1, i + i2, j + j1, j + j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
        )
    return out


def repair_mojibake(text: str) -> str:
    """``text`` with encoding damage undone (clean text comes back unchanged).

    >>> repair_mojibake("the ConfederaciÃ³n Nacional")
    'the Confederación Nacional'
    """
    from .changes import apply_changes

    return apply_changes(text, mojibake_changes(text))
