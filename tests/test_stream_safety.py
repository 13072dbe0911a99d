"""The streaming path (degarble.stream, for large files) keeps every byte exactly as the in-memory path.

Skipped where the streaming module is absent.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from degarble.cli import cli
from degarble.files import Document, OutputError, encode
from degarble.restorer import Restorer
from strategies import hostile_text

stream = pytest.importorskip("degarble.stream", reason="no streaming module in this checkout")

PHRASES = ["law requirement", "profound learning", "facial acknowledgment", "colossal information", "utilize"]
ENCODINGS = {"utf-8": "utf-8", "cp1252": "cp1252", "utf-16": "utf-16-le"}


def document_bytes(text: str, encoding: str, bom: bool) -> bytes | None:
    """``text`` as a file in ``encoding`` (None when it cannot be written in it)."""
    try:
        data = text.encode(ENCODINGS[encoding])
    except UnicodeEncodeError:
        return None
    if bom:
        data = (codecs.BOM_UTF16_LE if encoding == "utf-16" else codecs.BOM_UTF8) + data
    return data


@given(
    text=hostile_text(PHRASES).map(lambda t: t.replace("\x00", "")),
    encoding=st.sampled_from(sorted(ENCODINGS)),
    bom=st.booleans(),
    chunk=st.sampled_from([16, 64, 1000]),
)
def test_streaming_equals_in_memory_byte_for_byte(
    small_restorer: Restorer,
    tmp_path_factory: pytest.TempPathFactory,
    text: str,
    encoding: str,
    bom: bool,
    chunk: int,
) -> None:
    bom = bom and encoding != "cp1252"
    data = document_bytes(text, encoding, bom)
    if data is None:
        return
    path = tmp_path_factory.mktemp("s") / "doc.txt"
    path.write_bytes(data)
    expected_text = small_restorer.restore(text)
    sink = io.BytesIO()
    try:
        result = stream.restore_path(
            small_restorer, str(path), encoding=encoding, output=sink, chunk_chars=chunk
        )
    except OutputError:  # a replacement the legacy encoding cannot hold: refused, like the in-memory path
        with pytest.raises(OutputError):
            encode(Document("x", text, ENCODINGS[encoding], bom), expected_text)
        return
    expected = encode(Document("doc.txt", text, ENCODINGS[encoding], bom), expected_text)
    assert sink.getvalue() == expected
    assert [c.original for c in result.changes] == [
        c.original for c in small_restorer.restore_and_explain(text).changes
    ]


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b"law requirement\r\n\r\nprofound\r\nlearning\r\nno final newline",
        b"plain law requirement\n\n\nand more\n",
        "caf\u00e9 law requirement\r\n".encode("cp1252"),
    ],
)
def test_cli_stream_and_memory_give_the_same_bytes(
    small_dictionary: Path, tmp_path: Path, data: bytes
) -> None:
    encoding = "cp1252" if b"\xe9" in data else "utf-8"
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    base = ["--no-builtin", "-d", str(small_dictionary), "--encoding", encoding]
    memory = CliRunner().invoke(cli, [*base, "--no-stream", str(path)])
    streamed = CliRunner().invoke(cli, [*base, "--stream", str(path)])
    assert memory.exit_code == streamed.exit_code == 0
    assert streamed.stdout_bytes == memory.stdout_bytes
    copy = tmp_path / "copy.txt"
    copy.write_bytes(data)
    assert CliRunner().invoke(cli, [*base, "--no-stream", "-i", str(path)]).exit_code == 0
    assert CliRunner().invoke(cli, [*base, "--stream", "-i", str(copy)]).exit_code == 0
    assert copy.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_streamed_in_place_failure_keeps_the_original(
    small_dictionary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "doc.txt"
    original = b"law requirement\r\n" * 100
    path.write_bytes(original)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, step, full)
    result = CliRunner().invoke(
        cli, ["--no-builtin", "-d", str(small_dictionary), "--stream", "-i", str(path)]
    )
    monkeypatch.undo()
    assert result.exit_code == 2
    assert result.stderr.startswith("degarble: error: ") and result.stderr.count("\n") == 1
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["doc.txt"]


def test_streamed_binary_file_is_refused_before_writing(small_dictionary: Path, tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    original = b"law requirement\n" * 1000 + b"\x00"
    path.write_bytes(original)
    result = CliRunner().invoke(
        cli, ["--no-builtin", "-d", str(small_dictionary), "--stream", "-i", str(path)]
    )
    assert result.exit_code == 2
    assert "binary file" in result.stderr
    assert path.read_bytes() == original
