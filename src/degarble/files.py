"""Reading and writing documents without ever losing a byte.

* Input is decoded strictly (``utf-8`` by default, ``--encoding`` for legacy
  files); line endings are kept exactly as they are (no newline translation); a
  UTF-8 byte-order mark is remembered and written back.
* Binary input (a NUL byte) is refused.
* In-place writes are atomic: a temporary file in the same folder, flushed and
  fsync'ed, given the original's permissions, then renamed over the original.
  A failure at any point leaves the original untouched.  A symbolic link is
  followed deliberately: the file it points to is rewritten and the link stays.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["Document", "InputError", "OutputError", "read_document", "decode", "encode", "write_atomic"]

STDIN_NAME = "-"


class InputError(Exception):
    """An input could not be read as text; the message is one line for the user."""


class OutputError(Exception):
    """An output could not be written; the original input is intact."""


@dataclass(frozen=True)
class Document:
    """A text with what is needed to write it back as it came."""

    name: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False


def decode(data: bytes, name: str, encoding: str = "utf-8") -> Document:
    """Decode ``data`` strictly; raise :class:`InputError` naming the byte offset on failure."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{name}: looks like a binary file (NUL byte at byte offset {nul}); not restored")
    bom = False
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    if codec in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
        data, bom, codec = data[len(codecs.BOM_UTF8) :], True, "utf-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if bom else 0)
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{name}: cannot decode as {encoding}: byte 0x{bad} at byte offset {offset} "
            "(try --encoding)"
        ) from None
    return Document(name, text, codec, bom)


def encode(doc: Document, text: str) -> bytes:
    """Encode ``text`` the way ``doc`` was encoded (same codec, same BOM)."""
    data = text.encode(doc.encoding)
    return codecs.BOM_UTF8 + data if doc.bom else data


def read_document(name: str, encoding: str = "utf-8", stdin: BinaryIO | None = None) -> Document:
    """Read a file (or standard input for ``-``) as a :class:`Document`."""
    if name == STDIN_NAME:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return decode(stream.read(), "<stdin>", encoding)
    path = Path(name)
    try:
        if path.is_dir():
            raise InputError(f"{name}: is a directory")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return decode(data, name, encoding)


def write_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically, keeping its permissions.

    A symlink is followed: its destination is replaced and the link kept.
    """
    path = Path(os.path.realpath(target))
    folder = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".degarble-tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
        tmp_name = None
        with contextlib.suppress(OSError):  # make the rename durable where the OS allows it
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}; the original is unchanged") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
