"""Restore a text of any size in bounded memory, paragraph block by paragraph block.

The input is read in blocks, decoded incrementally and cut into chunks of about
``chunk_chars`` characters, always just after a blank line (a line break, only
spaces/tabs/CR, another line break).  No phrase, fuzzy window or ``a``/``an``
fix can reach across a blank line (see :func:`degarble.tokens.gap_joins`), so
restoring chunk by chunk gives exactly the text and changes of restoring the
whole document at once, with every byte kept.  A phrase wrapped over a single
line break stays inside one chunk.  In text without blank lines for
``max_chars`` characters, the cut falls after a punctuation mark, which no
phrase crosses either.

One rule spans the whole document: a context-only (``ctx``) phrase fires only
when the document is evidently spun (a firm finding, or enough different ctx
entries; see ``restorer._with_context``).  When a chunk has ctx findings before
that is known, a seekable file is scanned ahead (once per document); a pipe
keeps chunks back until the question is settled.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import regex

from .changes import Change, line_and_column
from .files import _MARK_OF, InputError, StrictDecoder, atomic_output, unencodable
from .restorer import CONTEXT_QUORUM, Restorer

__all__ = [
    "CHUNK_CHARS",
    "StreamResult",
    "iter_chunks",
    "restore_path",
    "restore_standard_input",
    "restore_stream",
]

CHUNK_CHARS = 1 << 18
_MAX_CHARS = 16 << 20
_READ_BYTES = 1 << 20
_BLANK_LINE = regex.compile(r"\n[ \t\r]*\n", regex.REVERSE)
_NEXT_BLANK_LINE = regex.compile(r"\n[ \t\r]*\n")
_PUNCTUATION = regex.compile(r"[^\w\s'’\-‐‑]|_", regex.REVERSE)


@dataclass
class StreamResult:
    """What a streamed restoration did: its changes (offsets into the whole text,
    with 1-based line and column), the character count and the encoding used."""

    changes: list[Change] = field(default_factory=list)
    positions: list[tuple[int, int]] = field(default_factory=list)
    characters: int = 0
    encoding: str = "utf-8"
    bom: bool = False
    change_count: int = 0

    @property
    def changed(self) -> bool:
        return self.change_count > 0


def _decoded_blocks(source: BinaryIO, name: str, encoding: str, info: StreamResult) -> Iterator[str]:
    """Strictly decoded text of ``source``, block by block, by the rules of
    :func:`degarble.files.decode` (one :class:`~degarble.files.StrictDecoder` for both)."""
    data = source.read(_READ_BYTES)
    while 0 < len(data) < 4:  # a byte-order mark must be seen whole
        more = source.read(_READ_BYTES)
        if not more:
            break
        data += more
    decoder = StrictDecoder(name, encoding, data)
    info.encoding, info.bom, data = decoder.codec, decoder.bom, decoder.rest
    while True:
        final = not data
        text = decoder.decode(data, final)
        if text:
            yield text
        if final:
            return
        data = source.read(_READ_BYTES)


def _cut(buffer: str, chunk_chars: int, max_chars: int) -> int:
    """Where to end the next chunk of ``buffer`` (0: read more first)."""
    if len(buffer) < chunk_chars:
        return 0
    blank = _NEXT_BLANK_LINE.search(buffer, chunk_chars)
    if blank is not None:
        return blank.end()
    if len(buffer) < max_chars:
        return 0
    blank = _BLANK_LINE.search(buffer)
    if blank is not None:
        return blank.end()
    mark = _PUNCTUATION.search(buffer)
    return mark.end() if mark is not None else len(buffer)


def iter_chunks(blocks: Iterator[str], chunk_chars: int = CHUNK_CHARS, max_chars: int = _MAX_CHARS) -> Iterator[str]:
    """Regroup text blocks into chunks that end just after a blank line."""
    max_chars = max(max_chars, chunk_chars)
    parts: list[str] = []
    size = 0
    for block in blocks:
        parts.append(block)
        size += len(block)
        if size < chunk_chars:
            continue
        buffer = "".join(parts)
        while True:
            end = _cut(buffer, chunk_chars, max_chars)
            if not end:
                break
            yield buffer[:end]
            buffer = buffer[end:]
        parts, size = ([buffer], len(buffer)) if buffer else ([], 0)
    if parts:
        yield "".join(parts)


def restore_stream(
    restorer: Restorer,
    source: BinaryIO,
    write: Callable[[str], object] | None,
    *,
    name: str = "<stdin>",
    encoding: str = "utf-8",
    chunk_chars: int = CHUNK_CHARS,
    lookahead: Callable[[int], Iterator[str]] | None = None,
    result: StreamResult | None = None,
    keep_changes: bool = True,
) -> StreamResult:
    """Restore ``source`` chunk by chunk, passing restored text to ``write`` (None: write nothing).

    ``lookahead(k)``, when given, yields the chunks after the first ``k`` again
    (a second reader of a seekable file); without it, chunks are held back while
    the context rule is undecided.  ``result`` is filled in as reading goes (its
    ``encoding`` and ``bom`` are known before the first ``write``).  Without
    ``keep_changes`` only ``change_count`` is kept (memory stays flat however
    many changes a huge input has).
    """
    result = result if result is not None else StreamResult()
    chunks = iter_chunks(_decoded_blocks(source, name, encoding, result), chunk_chars)
    base = 0  # characters before the current chunk
    lines = 0  # line breaks before the current chunk
    evident = False  # the document is evidently spun (see restorer._with_context): ctx phrases fire
    settled = False  # the look-ahead has answered for the rest of the document
    weak_rules: set[str] = set()  # distinct context-only entries found so far
    held: list[str] = []

    def emit(chunk: str, evidence: bool, analysed: tuple[Any, Any] | None = None) -> None:
        nonlocal base, lines
        restored = restorer.explain_dictionary(chunk, context_evidence=evidence, analysed=analysed)
        result.change_count += len(restored.changes)
        if restored.changes and keep_changes:
            positions = line_and_column(chunk, [c.start for c in restored.changes])
            for change, (line, column) in zip(restored.changes, positions, strict=True):
                result.changes.append(change.shifted(base))
                result.positions.append((line + lines, column))
        if write is not None:
            write(restored.text)
        base += len(chunk)
        lines += chunk.count("\n")

    def weigh(chosen: list[Any], rules: set[str]) -> bool:
        """Add the chunk's context-only entries to ``rules``; True when the document is now evident."""
        firm = False
        for candidate in chosen:
            if candidate.form.entry.needs_context:
                rules.add(candidate.form.entry.rule)
            else:
                firm = True
        return firm or len(rules) >= CONTEXT_QUORUM

    def evident_ahead(k: int) -> bool:
        assert lookahead is not None
        rules = set(weak_rules)
        return any(weigh(restorer.analyse(chunk)[1], rules) for chunk in lookahead(k))

    for number, chunk in enumerate(chunks):
        if evident or settled:
            emit(chunk, evident)
            continue
        analysed = restorer.analyse(chunk)
        had_weak = len(weak_rules)
        if weigh(analysed[1], weak_rules):
            evident = True
            for waiting in held:
                emit(waiting, True)
            held = []
            emit(chunk, True, analysed)
        elif held:
            held.append(chunk)
        elif len(weak_rules) == had_weak and not any(c.form.entry.needs_context for c in analysed[1]):
            emit(chunk, False, analysed)  # nothing context-only here: the answer does not matter
        elif lookahead is not None:  # context-only findings: is the document evident further on?
            evident = evident_ahead(number + 1)
            settled = True
            emit(chunk, evident, analysed)
        else:
            held.append(chunk)
    for waiting in held:  # end of input: never evident
        emit(waiting, False)
    result.characters = base
    return result


def restore_path(
    restorer: Restorer,
    name: str,
    *,
    encoding: str = "utf-8",
    output: str | os.PathLike[str] | BinaryIO | Callable[[str], object] | None = None,
    chunk_chars: int | None = None,
    only_if_changed: bool = False,
    keep_changes: bool = True,
) -> StreamResult:
    """Restore the file ``name`` as a stream.

    ``output``: None writes nothing (a check), a callable receives the restored
    text, a binary stream the restored bytes, and a path is replaced atomically
    (it may be ``name`` itself; with ``only_if_changed`` an unchanged file is
    left alone).  The file is validated (decodable, no NUL) before anything is
    written.
    """
    chunk_chars = chunk_chars or int(os.environ.get("DEGARBLE_STREAM_CHUNK", CHUNK_CHARS))
    path = Path(name)
    try:
        if path.is_dir():
            raise InputError(f"{name}: is a directory")
        with path.open("rb") as handle:
            for _ in _decoded_blocks(handle, name, encoding, StreamResult()):
                pass

        def again(skip: int) -> Iterator[str]:
            with path.open("rb") as handle:
                chunks = iter_chunks(_decoded_blocks(handle, name, encoding, StreamResult()), chunk_chars)
                for number, chunk in enumerate(chunks):
                    if number >= skip:
                        yield chunk

        with path.open("rb") as handle:
            if output is None or callable(output):
                return restore_stream(
                    restorer,
                    handle,
                    output,
                    name=name,
                    encoding=encoding,
                    chunk_chars=chunk_chars,
                    lookahead=again,
                    keep_changes=keep_changes,
                )
            if isinstance(output, (str, os.PathLike)):
                with atomic_output(output) as (sink, commit):
                    result = _to_sink(restorer, handle, sink, name, encoding, chunk_chars, again, keep_changes)
                    commit[0] = result.changed or not only_if_changed
                    return result
            return _to_sink(restorer, handle, output, name, encoding, chunk_chars, again, keep_changes)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None


def restore_standard_input(
    restorer: Restorer,
    output: BinaryIO | str | os.PathLike[str] | None,
    *,
    encoding: str = "utf-8",
    keep_changes: bool = True,
) -> StreamResult:
    """Stream standard input to ``output`` (a binary stream, a path written atomically, or None: a check)."""
    import sys

    source = sys.stdin.buffer
    if output is None:
        return restore_stream(restorer, source, None, name="<stdin>", encoding=encoding, keep_changes=keep_changes)
    if isinstance(output, (str, os.PathLike)):  # -o FILE: atomically, in the input's encoding
        with atomic_output(output) as (sink, _commit):
            return _to_sink(restorer, source, sink, "<stdin>", encoding, CHUNK_CHARS, None, keep_changes)
    return _to_sink(restorer, source, output, "<stdin>", encoding, CHUNK_CHARS, None, keep_changes)


def _to_sink(
    restorer: Restorer,
    source: BinaryIO,
    sink: BinaryIO,
    name: str,
    encoding: str,
    chunk_chars: int,
    lookahead: Callable[[int], Iterator[str]] | None,
    keep_changes: bool = True,
) -> StreamResult:
    """Stream into ``sink`` in the input's own encoding, BOM included."""
    result = StreamResult()
    encoder: codecs.IncrementalEncoder | None = None

    def write(text: str) -> None:
        nonlocal encoder
        if encoder is None:
            encoder = codecs.getincrementalencoder(result.encoding)("strict")
            if result.bom:
                sink.write(_MARK_OF.get(result.encoding, b""))
        try:
            sink.write(encoder.encode(text))
        except UnicodeEncodeError as exc:
            raise unencodable(name, result.encoding, exc) from None

    restore_stream(
        restorer,
        source,
        write,
        name=name,
        encoding=encoding,
        chunk_chars=chunk_chars,
        lookahead=lookahead,
        result=result,
        keep_changes=keep_changes,
    )
    if encoder is None:
        write("")
    assert encoder is not None
    sink.write(encoder.encode("", True))
    return result
