"""A cached, compact form of the built phrase index, so the CLI starts fast.

Building a :class:`~degarble.matcher.PhraseIndex` parses every dictionary line
and asks lemminflect for the inflections of every head word: seconds for a large
dictionary.  The result depends only on the dictionary files and on the code
that builds it, so it is stored once in a user cache folder and read back on the
next start.

Safety and staleness:

* The cache is plain JSON (never pickle, never code): a damaged or tampered file
  can at worst fail validation, and then the index is rebuilt from the TSV files.
* The file name is a SHA-256 over the package version, the source of every module
  that shapes the index, lemminflect's version and the name and bytes of each
  dictionary file; the same key is stored inside the file and checked, together
  with a SHA-256 of the payload.  Editing a dictionary or upgrading degarble
  gives a new key, so a stale index is never used.
* Writes are atomic (temporary file + rename); an unwritable cache folder only
  means no cache.  ``DEGARBLE_CACHE_DIR`` moves the folder, ``DEGARBLE_NO_CACHE=1``
  turns the cache off.  Only the 16 most recent indexes are kept.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

from .dictionary import DictionaryWarning, Entry, load_dictionary
from .matcher import Form, PhraseIndex, anchor_plan, distinct_forms
from .versions import installed_version

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see tokens.py)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["cache_dir", "cache_key", "cached_index"]

_FORMAT = "degarble-index-6"
_KEEP = 16  # cached indexes kept per folder
# The modules whose code decides what the index holds.
_INDEX_MODULES = ("dictionary.py", "inflection.py", "matcher.py", "spelling.py", "tokens.py")


def cache_dir() -> Path | None:
    """Where cached indexes live, or None when caching is off."""
    if os.environ.get("DEGARBLE_NO_CACHE", "") not in ("", "0"):
        return None
    configured = os.environ.get("DEGARBLE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "degarble"


def cache_key(paths: Sequence[str | os.PathLike[str]]) -> str:
    """The SHA-256 naming the index built from ``paths`` by this code."""
    from . import __version__

    digest = hashlib.sha256(f"{_FORMAT}\0{__version__}\0{installed_version('lemminflect')}\0".encode())
    here = Path(__file__).parent
    for module in _INDEX_MODULES:
        digest.update((here / module).read_bytes())
    for path in paths:
        data = Path(path).read_bytes()
        digest.update(f"\0{Path(path).name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _to_json(index: PhraseIndex) -> dict[str, Any]:
    entry_ids = {id(e): i for i, e in enumerate(index.entries)}
    distinct = distinct_forms(index.exact)  # one form may sit under several keys (fused variants)
    form_ids = {id(form): number for number, form in enumerate(distinct)}
    return {
        "entries": [[e.spun, e.standard, sorted(e.flags), e.source, e.line] for e in index.entries],
        "forms": [[list(f.words), f.replacement, entry_ids[id(f.entry)], f.inflected] for f in distinct],
        # a form id alone when the key is the form's own words (almost every key), in order
        "exact": [
            form_ids[id(form)] if key == form.words else [list(key), form_ids[id(form)]]
            for key, form in index.exact.items()
        ],
        "variant": [[list(key), form_ids[id(form)]] for key, form in index.variant.items()],
        # stored whatever ``fuzzy`` was: the cache serves both modes; a JSON object, so that
        # loading builds the word -> [form number, position, form number, ...] table in C,
        # the shape the matcher reads (numbers: places in "forms"; it checks each entry it reads)
        "plan": anchor_plan(distinct),
    }


def _entry(spun: str, standard: str, flags: list[str], source: str, line: int) -> Entry:
    """An :class:`Entry` without the frozen dataclass's ``__init__`` (one ``object.__setattr__``
    per field: thousands of entries at start-up); the same object, field by field."""
    if type(spun) is not str or type(standard) is not str or type(source) is not str or type(line) is not int:
        raise TypeError("bad entry")
    entry = object.__new__(Entry)
    entry.__dict__.update(spun=spun, standard=standard, flags=frozenset(flags), source=source, line=line)
    return entry


def _from_json(payload: dict[str, Any], fuzzy: bool) -> PhraseIndex:
    entries = [_entry(*fields) for fields in payload["entries"]]
    make = tuple.__new__
    forms = [
        make(Form, (tuple(words), replacement, entries[entry], inflected is True))
        for words, replacement, entry, inflected in payload["forms"]
    ]
    exact: dict[tuple[str, ...], Form] = {}
    for item in payload["exact"]:
        if type(item) is int:
            form = forms[item]
            exact[form.words] = form
        else:
            key, at = item
            exact[tuple(key)] = forms[at]
    variant = {tuple(key): forms[form] for key, form in payload["variant"]}
    if len(exact) != len(payload["exact"]) or len(variant) != len(payload["variant"]):
        raise ValueError("duplicate keys")
    plan = payload["plan"]
    if type(plan) is not dict:
        raise TypeError("bad plan")
    # each word's list as a tuple of ints, which the collector untracks (one container less per word)
    plan = {word: tuple(flat) for word, flat in plan.items()}
    return PhraseIndex.from_keys(entries, exact, variant, fuzzy=fuzzy, forms=forms, plan=plan)


def _read(path: Path, key: str, fuzzy: bool) -> PhraseIndex | None:
    try:
        header, _, body = path.read_bytes().partition(b"\n")
        document = json.loads(header)
        if document.get("key") != key or document.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        # Tens of thousands of lists, tuples and entries, none of them in a reference cycle:
        # the cyclic garbage collector would scan the growing heap again and again (half
        # of the load time), so it waits until they are built.
        collecting = gc.isenabled()
        gc.disable()
        try:
            payload = json.loads(body)
            index = _from_json(payload, fuzzy)
        finally:
            if collecting:
                gc.enable()
        notes = [str(note) for note in payload["warnings"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # missing, damaged or foreign: rebuild
    for note in notes:  # the dictionaries' warnings, as loading them would give
        warnings.warn(DictionaryWarning(note), stacklevel=3)
    return index


def _write(path: Path, key: str, index: PhraseIndex, notes: list[str]) -> None:
    payload = {**_to_json(index), "warnings": notes}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    header = json.dumps({"format": _FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest()})
    tmp_name = None
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # lazy: only a write needs it (and it loads random)

        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(header.encode() + b"\n" + body)
        os.replace(tmp_name, path)
        tmp_name = None
    if tmp_name is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)


def cached_index(paths: Sequence[str | os.PathLike[str]], *, fuzzy: bool = True) -> PhraseIndex:
    """The index of the dictionaries at ``paths``: from the cache when it is current, else built (and stored).

    Dictionary errors surface exactly as without a cache: a file that fails to
    load is never cached.
    """
    folder = cache_dir()
    if any(Path(p).suffix.lower() == ".csv" for p in paths):
        folder = None  # screener exports carry document-level conditions the JSON cannot hold
    key = None
    if folder is not None:
        with contextlib.suppress(OSError):
            key = cache_key(paths)
    if folder is not None and key is not None:
        index = _read(folder / f"index-{key}.json", key, fuzzy)
        if index is not None:
            return index
    entries: list[Entry] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DictionaryWarning)
        for path in paths:
            entries.extend(load_dictionary(path))
    notes = [str(w.message) for w in caught if issubclass(w.category, DictionaryWarning)]
    for w in caught:  # pass them on, as loading without a cache would
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    index = PhraseIndex(entries, fuzzy=fuzzy)
    if folder is not None and key is not None:
        _write(folder / f"index-{key}.json", key, index, notes)
        _prune(folder)
    return index


def _prune(folder: Path, keep: int = _KEEP) -> None:
    """Remove all but the ``keep`` most recently written indexes (old dictionary or code versions)."""
    with contextlib.suppress(OSError):
        indexes = sorted(folder.glob("index-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in indexes[keep:]:
            stale.unlink()
