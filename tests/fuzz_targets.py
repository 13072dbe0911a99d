"""Fuzz targets shared by the hypothesis harness (tests/test_fuzz.py) and atheris (bench/fuzz_atheris.py).

Each target takes raw input, runs one public entry point, and checks what must
hold for *any* input: only the documented exception, with a ``file:line``
message where the input is a file; and the restore/explain property.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path

from degarble.changes import apply_changes
from degarble.dictionary import DictionaryError, DictionaryWarning, Entry, load_dictionary
from degarble.files import InputError, decode, encode
from degarble.matcher import PhraseIndex
from degarble.restorer import Restorer

_WHERE = re.compile(r"^fuzz\.tsv:(\d+): \S")
_FOLDER = Path(tempfile.mkdtemp(prefix="degarble-fuzz-"))


def check_restoration(restorer: Restorer, text: str) -> None:
    """restore never raises; the changes, applied to the input, give the output; nothing else moves."""
    result = restorer.restore_and_explain(text)
    assert apply_changes(text, result.changes) == result.text
    position = 0
    for change in result.changes:
        assert position <= change.start < change.end <= len(text)
        assert text[change.start : change.end] == change.original
        position = change.end


def load_fuzzed_dictionary(data: bytes) -> list[Entry] | None:
    """Load bytes as a dictionary file: entries, or ``None`` after a well-formed ``DictionaryError``."""
    path = _FOLDER / "fuzz.tsv"
    path.write_bytes(data)
    lines = max(1, data.count(b"\n") + data.count(b"\r") + 1)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DictionaryWarning)
            entries = load_dictionary(path)
    except DictionaryError as exc:
        message = str(exc)
        match = _WHERE.match(message)
        assert match, message
        assert 1 <= int(match.group(1)) <= lines, message
        assert "\n" not in message
        return None
    for warning in caught:
        assert _WHERE.match(str(warning.message)), warning.message
    for entry in entries:
        assert entry.spun and entry.standard and entry.words
        assert 1 <= entry.line <= lines
    return entries


def dictionary_target(data: bytes, text: str) -> None:
    """Any bytes as a user dictionary; if they load, restoring any text with them is lossless."""
    entries = load_fuzzed_dictionary(data)
    if entries:
        restorer = Restorer([], entries=entries)
        assert isinstance(restorer.index, PhraseIndex)
        check_restoration(restorer, text)


def decode_target(data: bytes, encoding: str) -> None:
    """Any bytes as a document: decoded and re-encoded byte for byte, or one clean InputError."""
    try:
        doc = decode(data, "fuzz.txt", encoding)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert encode(doc, doc.text) == data
