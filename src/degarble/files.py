"""Reading and writing documents without ever losing a byte.

* Input is decoded strictly (``utf-8`` by default, ``--encoding`` for legacy
  files); line endings are kept exactly as they are (no newline translation); a
  byte-order mark (UTF-8, UTF-16, UTF-32) is remembered and written back.
* Binary input (a NUL byte; a NUL character in UTF-16/32) is refused.
* In-place writes are atomic: a temporary file in the same folder, flushed and
  fsync'ed, given the original's permissions, then renamed over the original.
  A failure at any point leaves the original untouched.  A symbolic link is
  followed deliberately: the file it points to is rewritten and the link stays.
  Another hard link to the file keeps the old text (the rename makes a new file).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see tokens.py)
if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = [
    "atomic_output",
    "Document",
    "InputError",
    "OutputError",
    "StrictDecoder",
    "decode",
    "encode",
    "read_document",
    "write_atomic",
]

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


_BOMS: dict[str, tuple[tuple[bytes, str], ...]] = {
    # codec asked for -> (byte-order mark, the explicit codec it means), longest mark first
    "utf-8": ((codecs.BOM_UTF8, "utf-8"),),
    "utf-8-sig": ((codecs.BOM_UTF8, "utf-8"),),
    "utf-16": ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")),
    "utf-32": ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")),
}
# Without a mark, these codecs read as (and are written back as):
# Checked in this order: the UTF-32 little-endian mark begins with the UTF-16 one.
_WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NO_BOM = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}
_MARK_OF = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
_WIDE = ("utf-16", "utf-32")  # codecs in which a NUL byte is ordinary


class StrictDecoder:
    """Strict, incremental decoding of one input, shared by :func:`decode` (the whole
    input at once) and :mod:`degarble.stream` (block by block), so both follow the same
    rules and give the same one-line errors: an unknown encoding first; then, block by
    block, a NUL byte (or, in UTF-16/32, a NUL character) before an undecodable byte.

    ``head`` is the start of the input (at least four bytes unless the input is shorter):
    a byte-order mark there is remembered (``bom``) and the codec made explicit
    (``codec``), so :func:`encode` gives back the same bytes for an unchanged text;
    ``rest`` is ``head`` without the mark.
    """

    def __init__(self, name: str, encoding: str, head: bytes) -> None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        self.name, self.encoding = name, encoding
        if codec == "utf-8":
            # 0xFE and 0xFF never occur in UTF-8, so a UTF-32/16 byte-order mark can only mean
            # that encoding: read it so instead of refusing the file as undecodable or binary.
            for mark, wide in _WIDE_MARKS:
                if head.startswith(mark):
                    codec = self.encoding = wide
                    break
        self._wide = codec.startswith(_WIDE)
        self.bom = False
        self._offset = 0  # bytes of the input before the next block
        for mark, explicit in _BOMS.get(codec, ()):
            if head.startswith(mark):
                head, self.bom, codec, self._offset = head[len(mark) :], True, explicit, len(mark)
                break
        else:
            codec = _NO_BOM.get(codec, codec)
        self.codec, self.rest = codec, head
        self._decoder = codecs.getincrementaldecoder(codec)("strict")
        self._characters = 0  # characters decoded before the next block

    def decode(self, data: bytes, final: bool = False) -> str:
        """The text of the next block of the input (``final``: the last one)."""
        name = self.name
        if not self._wide:
            nul = data.find(b"\x00")
            if nul >= 0:
                raise InputError(
                    f"{name}: looks like a binary file (NUL byte at byte offset {self._offset + nul}); not restored"
                )
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            # exc.object is the decoder's pending bytes followed by ``data``
            at = self._offset - len(self._decoder.getstate()[0]) + exc.start
            raise InputError(
                f"{name}: cannot decode as {self.encoding}: byte 0x{exc.object[exc.start : exc.start + 1].hex()} "
                f"at byte offset {max(at, 0)} (try --encoding)"
            ) from None
        if self._wide:
            nul = text.find("\x00")
            if nul >= 0:
                raise InputError(
                    f"{name}: looks like a binary file (NUL character at offset {self._characters + nul}); "
                    "not restored"
                )
        self._offset += len(data)
        self._characters += len(text)
        return text


def decode(data: bytes, name: str, encoding: str = "utf-8") -> Document:
    """Decode ``data`` strictly; raise :class:`InputError` naming the byte offset on failure
    (the rules of :class:`StrictDecoder`, given the whole input as one block)."""
    decoder = StrictDecoder(name, encoding, data)
    text = decoder.decode(decoder.rest, final=True)
    return Document(name, text, decoder.codec, decoder.bom)


def unencodable(name: str, encoding: str, exc: UnicodeEncodeError) -> OutputError:
    """The one-line error for restored text that ``encoding`` cannot hold (one place for its wording)."""
    char = exc.object[exc.start : exc.start + 1]
    return OutputError(
        f"{name}: the restored text has {char!r} (U+{ord(char):04X}), which {encoding} cannot encode; nothing written"
    )


def encode(doc: Document, text: str) -> bytes:
    """Encode ``text`` the way ``doc`` was encoded (same codec, same byte-order mark).

    Raises :class:`OutputError` when a character of ``text`` has no encoding in
    the document's codec (a replacement brought it in); nothing is written then.
    """
    try:
        data = text.encode(doc.encoding)
    except UnicodeEncodeError as exc:
        raise unencodable(doc.name, doc.encoding, exc) from None
    return _MARK_OF.get(doc.encoding, b"") + data if doc.bom else data


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


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[tuple[BinaryIO, list[bool]]]:
    """A binary file that replaces ``target`` when the block ends without error (and
    the block left ``commit[0]`` true), by the policy of :func:`degarble.files.write_atomic`:
    mode and owner kept, a read-only file refused, a device or pipe written straight into."""
    path = Path(os.path.realpath(target))
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    commit = [True]
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{target}: is a directory")
        try:
            with open(path, "wb") as handle:
                yield handle, commit
        except OSError as exc:
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        return
    if info is not None and not os.access(path, os.W_OK):
        raise OutputError(f"{target}: file is read-only; not rewritten")
    try:
        import tempfile  # lazy: only a write needs it (~7 ms of a cold start)

        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".degarble-tmp")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}; the original is unchanged") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle, commit
            handle.flush()
            os.fsync(handle.fileno())
        if commit[0]:
            if info is not None:
                os.chmod(tmp_name, stat.S_IMODE(info.st_mode))
                if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                    with contextlib.suppress(OSError):  # only root may give a file away
                        os.chown(tmp_name, info.st_uid, info.st_gid)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp_name, 0o666 & ~umask)
            os.replace(tmp_name, path)
            tmp_name = ""
            with contextlib.suppress(OSError):  # make the rename durable where the OS allows it
                dir_fd = os.open(path.parent, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}; the original is unchanged") from None
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def write_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically, keeping its permissions and owner.

    The bytes go to a temporary file in the target's folder, which is flushed,
    fsync'ed, given the original's mode (and owner and group, where allowed) and
    then renamed over the target, so a reader sees the old file or the new one,
    never a mix; on any failure the temporary file is removed and the target is
    untouched.  A read-only file is refused (a rename could replace it).  A
    symlink is followed: its destination is replaced and the link kept.  A
    target that is not a regular file (``/dev/stdout``, a pipe) is written
    straight into, since renaming over it would replace the device.
    """
    with atomic_output(target) as (handle, _commit):
        handle.write(data)


