"""File safety: strict decoding, byte-exact round trips, atomic writes that survive failures."""

from __future__ import annotations

import codecs
import errno
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from degarble import files
from degarble.files import Document, InputError, OutputError, decode, encode, read_document, write_atomic

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".degarble-tmp"))


# -- reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"plain\n",
        b"no final newline",
        b"crlf\r\nlines\r\n",
        b"lone\rcr\r",
        b"mixed\r\nends\nand\rmore",
        codecs.BOM_UTF8 + b"bom\r\n",
        b"",
        "ünïcödé İß 👩‍👩‍👧\u2028".encode(),
    ],
)
def test_utf8_round_trip_is_byte_exact(data: bytes) -> None:
    doc = decode(data, "x")
    assert encode(doc, doc.text) == data
    assert "\ufeff" not in doc.text  # the mark is remembered, not part of the text
    assert doc.bom == data.startswith(codecs.BOM_UTF8)


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("cp1252", "naïve café – “quotes” €\r\n".encode("cp1252")),
        ("latin-1", bytes(range(1, 256))),
        ("utf-16", codecs.BOM_UTF16_BE + "big endian\r\n".encode("utf-16-be")),
        ("utf-16", codecs.BOM_UTF16_LE + "little endian\n".encode("utf-16-le")),
        ("utf-16", "no mark".encode("utf-16-le")),
        ("utf-16-le", "explicit".encode("utf-16-le")),
        ("utf-32", codecs.BOM_UTF32_LE + "wide".encode("utf-32-le")),
        ("utf-8-sig", b"no mark given"),
        ("utf-8-sig", codecs.BOM_UTF8 + b"mark"),
    ],
)
def test_legacy_and_wide_encodings_round_trip(encoding: str, data: bytes) -> None:
    doc = decode(data, "x", encoding)
    assert encode(doc, doc.text) == data
    assert not doc.text.startswith("\ufeff")


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")), st.booleans())
def test_any_text_round_trips_through_utf8(text: str, bom: bool) -> None:
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode()
    doc = decode(data, "x")
    assert encode(doc, doc.text) == data


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_give_one_clean_error(data: bytes) -> None:
    for encoding in ("utf-8", "utf-16", "cp1252", "latin-1"):
        try:
            doc = decode(data, "x", encoding)
        except InputError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(("x: ", "unknown"))
        else:
            assert encode(doc, doc.text) == data


def test_binary_is_refused_with_its_offset() -> None:
    with pytest.raises(InputError, match=r"x: looks like a binary file \(NUL byte at byte offset 3\)"):
        decode(b"abc\x00def", "x")
    with pytest.raises(InputError, match="NUL character at offset 1"):
        decode("a\x00".encode("utf-16-le"), "x", "utf-16-le")
    assert decode("abc".encode("utf-16-le"), "x", "utf-16-le").text == "abc"  # NUL bytes are normal there


def test_undecodable_byte_offset_counts_the_bom() -> None:
    with pytest.raises(InputError, match=r"byte 0xff at byte offset 5 \(try --encoding\)"):
        decode(codecs.BOM_UTF8 + b"ab\xff", "x")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode(b"a", "x", "klingon")


def test_unencodable_replacement_is_an_output_error() -> None:
    doc = Document("old.txt", "x", "iso8859-1")
    with pytest.raises(OutputError, match=r"old.txt: the restored text has '–' \(U\+2013\)"):
        encode(doc, "a – b")


def test_read_document_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_document(str(tmp_path))
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(InputError, match="cannot read"):
        read_document(str(loop))


@pytest.mark.skipif(IS_ROOT, reason="root reads any file")
def test_read_document_permission_denied(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    secret.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_document(str(secret))


def test_read_from_stdin_stream() -> None:
    import io

    doc = read_document("-", stdin=io.BytesIO(b"a\r\nb"))
    assert doc.name == "<stdin>" and doc.text == "a\r\nb"


# -- writing ----------------------------------------------------------------------------------------


def test_write_atomic_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_write_atomic_new_file_uses_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_write_atomic_follows_symlinks_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_write_atomic_breaks_hard_links_documented(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_bytes(b"old")
    second = tmp_path / "b.txt"
    os.link(first, second)
    write_atomic(first, b"new")
    assert first.read_bytes() == b"new" and second.read_bytes() == b"old"


def test_write_atomic_into_a_device_writes_straight_through(tmp_path: Path) -> None:
    write_atomic(os.devnull, b"discarded")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # /dev/null is still the device


def test_write_atomic_refuses_a_read_only_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.txt"
    target.write_bytes(b"original")
    target.chmod(0o444)
    if IS_ROOT:  # root may write anything: make access() answer as it would for the owner
        monkeypatch.setattr(files.os, "access", lambda path, mode: False)
    with pytest.raises(OutputError, match="file is read-only; not rewritten"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"original"


def test_write_atomic_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, b"x")


def _fail_with(code: int):  # type: ignore[no-untyped-def]
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("step", ["fsync", "replace", "chmod", "mkstemp"])
def test_a_failing_step_leaves_the_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "doc.txt"
    target.write_bytes(b"original \r\n")
    if step == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", _fail_with(errno.ENOSPC))
    else:
        monkeypatch.setattr(files.os, step, _fail_with(errno.ENOSPC))
    with pytest.raises(OutputError, match="No space left on device; the original is unchanged"):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"original \r\n"
    assert leftovers(tmp_path) == []


def test_disk_full_during_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.txt"
    target.write_bytes(b"original")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])  # half the bytes land, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"a much longer new text")
    assert target.read_bytes() == b"original"
    assert leftovers(tmp_path) == []


def test_interrupt_during_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.txt"
    target.write_bytes(b"original")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"original"
    assert leftovers(tmp_path) == []


def test_killed_mid_write_leaves_the_original(tmp_path: Path) -> None:
    """SIGKILL (no cleanup runs) between writing the temp file and the rename."""
    target = tmp_path / "doc.txt"
    target.write_bytes(b"original\r\n")
    script = textwrap.dedent(
        f"""
        import os, signal
        from degarble import files
        def killed(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        files.os.replace = killed
        files.write_atomic({str(target)!r}, b"new text that never lands")
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"original\r\n"
    stale = leftovers(tmp_path)  # the temp file is all that is left, and it is hidden and named
    assert len(stale) == 1 and stale[0].startswith(".doc.txt.")


@pytest.mark.skipif(IS_ROOT, reason="root may write into a read-only folder")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "doc.txt"
    target.write_bytes(b"original")
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="Permission denied; the original is unchanged"):
            write_atomic(target, b"new")
    finally:
        folder.chmod(0o755)
    assert target.read_bytes() == b"original"


def test_read_only_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as above for a root user: creating the temp file is refused with EROFS."""
    target = tmp_path / "doc.txt"
    target.write_bytes(b"original")
    monkeypatch.setattr(tempfile, "mkstemp", _fail_with(errno.EROFS))
    with pytest.raises(OutputError, match="Read-only file system; the original is unchanged"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"original"


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another owner")
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    target.write_bytes(b"old")
    os.chown(target, 12345, 54321)
    write_atomic(target, b"new")
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (12345, 54321)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + "a spun text\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "a spun text\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "a spun text\n".encode("utf-32-le"),
        codecs.BOM_UTF32_BE + "a spun text\n".encode("utf-32-be"),
    ],
)
def test_default_encoding_reads_a_utf16_or_utf32_byte_order_mark(data: bytes) -> None:
    # 0xFE/0xFF never occur in UTF-8, so the mark can only mean its own encoding; the
    # file is read so and written back byte for byte (mark included).
    doc = decode(data, "x.txt")
    assert doc.text == "a spun text\n" and doc.bom
    assert encode(doc, doc.text) == data


def test_default_encoding_names_the_sniffed_encoding_in_errors() -> None:
    with pytest.raises(InputError, match="cannot decode as utf-16"):
        decode(codecs.BOM_UTF16_LE + b"A\x00\x00\xd8", "x.txt")
