"""Streaming gives exactly what restoring the whole text gives, in bounded pieces."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import degarble.stream as stream_module
from degarble.cli import cli
from degarble.files import InputError, decode, encode
from degarble.restorer import Restorer
from degarble.stream import StreamResult, _decoded_blocks, iter_chunks, restore_path, restore_stream
from scale_helpers import TEXTS, write_dictionary


@pytest.fixture(scope="module")
def restorer(tmp_path_factory: pytest.TempPathFactory) -> Restorer:
    return Restorer([write_dictionary(tmp_path_factory.mktemp("dict"))])


def _lookahead(data: bytes, chunk_chars: int):  # type: ignore[no-untyped-def]
    def again(skip: int):  # type: ignore[no-untyped-def]
        blocks = _decoded_blocks(io.BytesIO(data), "x", "utf-8", StreamResult())
        for number, chunk in enumerate(iter_chunks(blocks, chunk_chars)):
            if number >= skip:
                yield chunk

    return again


@pytest.mark.parametrize("text", [*TEXTS, "\n\n".join(TEXTS)])
@pytest.mark.parametrize("chunk_chars", [1, 16, 200, 1 << 18])
@pytest.mark.parametrize("seekable", [True, False])
def test_stream_equals_whole_text(restorer: Restorer, text: str, chunk_chars: int, seekable: bool) -> None:
    whole = restorer.restore_and_explain(text)
    out: list[str] = []
    data = text.encode()
    look = _lookahead(data, chunk_chars) if seekable else None
    result = restore_stream(restorer, io.BytesIO(data), out.append, chunk_chars=chunk_chars, lookahead=look)
    assert "".join(out) == whole.text
    assert result.changes == whole.changes
    assert result.change_count == len(whole.changes)


def test_context_phrase_fires_when_a_firm_finding_comes_much_later(restorer: Restorer) -> None:
    text = TEXTS[3]
    assert restorer.restore(text).startswith("Cancer is common.")
    out: list[str] = []
    restore_stream(restorer, io.BytesIO(text.encode()), out.append, chunk_chars=1)
    assert "".join(out).startswith("Cancer is common.")


def test_chunks_cut_after_blank_lines_and_keep_every_character() -> None:
    text = "one two\nthree\n\n four\r\n\r\nfive" * 50
    chunks = list(iter_chunks(iter([text[i : i + 7] for i in range(0, len(text), 7)]), 10))
    assert "".join(chunks) == text
    assert len(chunks) > 10
    for chunk in chunks[:-1]:
        assert chunk.rstrip(" \t\r").endswith("\n\n") or chunk.endswith("\n\r\n")


def test_text_without_blank_lines_is_cut_after_punctuation() -> None:
    text = "Words, more words; and law requirement here. " * 100
    chunks = list(iter_chunks(iter([text]), 50, max_chars=200))
    assert "".join(chunks) == text
    assert len(chunks) > 1
    assert all(not chunk[-1].isalnum() for chunk in chunks[:-1])


def test_restore_path_keeps_bytes_bom_and_crlf(restorer: Restorer, tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + "\r\n\r\n".join(TEXTS).replace("\n", "\r\n").encode()
    source = tmp_path / "in.txt"
    source.write_bytes(data)
    doc = decode(data, "in.txt")
    expected = encode(doc, restorer.restore(doc.text))
    sink = io.BytesIO()
    restore_path(restorer, str(source), output=sink, chunk_chars=8)
    assert sink.getvalue() == expected
    target = tmp_path / "out.txt"
    restore_path(restorer, str(source), output=target, chunk_chars=8)
    assert target.read_bytes() == expected


def test_bad_input_is_refused_before_anything_is_written(restorer: Restorer, tmp_path: Path) -> None:
    from degarble.files import InputError

    source = tmp_path / "bad.txt"
    source.write_bytes(b"law requirement\n\n" * 1000 + b"\xff")
    target = tmp_path / "out.txt"
    with pytest.raises(InputError, match="byte offset 17000"):
        restore_path(restorer, str(source), output=target, chunk_chars=8)
    assert not target.exists()


@pytest.mark.parametrize(
    "extra",
    [[], ["--format", "json"], ["--check"]],
)
def test_cli_streams_over_the_threshold_with_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    dictionary = write_dictionary(tmp_path)
    files = []
    for number, text in enumerate(TEXTS):
        path = tmp_path / f"t{number}.txt"
        path.write_text(text, encoding="utf-8", newline="")
        files.append(str(path))
    args = ["restore", "--no-builtin", "-d", str(dictionary), *extra, *files]
    runner = CliRunner()
    in_memory = runner.invoke(cli, ["restore", "--no-stream", *args[1:]])
    monkeypatch.setenv("DEGARBLE_STREAM_THRESHOLD", "1")
    monkeypatch.setenv("DEGARBLE_STREAM_CHUNK", "12")
    streamed = runner.invoke(cli, args)
    assert streamed.exit_code == in_memory.exit_code
    assert streamed.output == in_memory.output
    if extra == ["--format", "json"]:
        assert json.loads(streamed.output)["summary"]["changes"] > 5


def test_cli_in_place_stream_rewrites_only_changed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dictionary = write_dictionary(tmp_path)
    changed, clean = tmp_path / "a.txt", tmp_path / "b.txt"
    changed.write_text(TEXTS[1], encoding="utf-8")
    clean.write_text("Nothing to do here.\n\nAt all.\n", encoding="utf-8")
    before = clean.stat().st_mtime_ns
    monkeypatch.setenv("DEGARBLE_STREAM_CHUNK", "10")
    result = CliRunner().invoke(
        cli, ["--stream", "-i", "--no-builtin", "-d", str(dictionary), str(changed), str(clean)]
    )
    assert result.exit_code == 0, result.output
    restorer = Restorer([dictionary])
    assert changed.read_text(encoding="utf-8") == restorer.restore(TEXTS[1])
    assert clean.stat().st_mtime_ns == before


def test_streamed_in_place_keeps_mode_and_refuses_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import stat

    dictionary = write_dictionary(tmp_path)
    target = tmp_path / "doc.txt"
    target.write_text(TEXTS[1], encoding="utf-8")
    target.chmod(0o640)
    monkeypatch.setenv("DEGARBLE_STREAM_CHUNK", "10")
    args = ["--stream", "-i", "--no-builtin", "-d", str(dictionary), str(target)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert "deep learning" in target.read_text(encoding="utf-8")
    target.write_text(TEXTS[0], encoding="utf-8")
    target.chmod(0o444)
    if os.access(target, os.W_OK):
        pytest.skip("root can write a read-only file")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "read-only" in result.output
    assert target.read_text(encoding="utf-8") == TEXTS[0]


_PIECES = [b"ab", b"\xc3\xa9", b"\xe2\x80\x94", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x80", b"\xc3"]


@given(
    data=st.lists(st.sampled_from(_PIECES), max_size=12).map(b"".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1"]),
    block=st.sampled_from([1, 2, 3, 1 << 20]),
)
def test_streamed_decoding_follows_the_rules_of_decode(data: bytes, encoding: str, block: int) -> None:
    # One StrictDecoder serves both; read in blocks, a NUL in a later block may only be met
    # after a bad byte in an earlier one, so small blocks are compared on NUL-free input.
    if block < 4 and b"\x00" in data:
        data = data.replace(b"\x00", b"")
    try:
        whole: object = decode(data, "x", encoding)
    except InputError as exc:
        whole = str(exc)
    info = StreamResult()
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(stream_module, "_READ_BYTES", block)
            streamed: object = "".join(_decoded_blocks(io.BytesIO(data), "x", encoding, info))
    except InputError as exc:
        streamed = str(exc)
    if isinstance(whole, str):
        assert streamed == whole
    else:
        assert (streamed, info.encoding, info.bom) == (whole.text, whole.encoding, whole.bom)  # type: ignore[attr-defined]


def test_streamed_changes_carry_every_field_of_a_change(restorer: Restorer) -> None:
    # stream.emit rebuilds each Change with its offsets moved, field by field
    import dataclasses

    from degarble.changes import Change

    assert [f.name for f in dataclasses.fields(Change)] == [
        "start", "end", "original", "replacement", "rule", "score", "method", "standard"
    ]
    text = "\n\n".join(TEXTS) * 3
    result = restore_stream(restorer, io.BytesIO(text.encode()), lambda _: None, chunk_chars=64)
    assert result.changes
    assert result.changes == restorer.restore_and_explain(text).changes
