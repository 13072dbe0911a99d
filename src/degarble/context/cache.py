"""Where the context pass keeps what it builds on first use (thesaurus index, converted model).

``DEGARBLE_CACHE_DIR`` overrides the location; otherwise the platform's user
cache directory (``~/.cache/degarble`` on Linux).  Nothing in it is ever
unpickled: the thesaurus is an SQLite file and the model is safetensors, both
checked against a stamp of their source before use.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

__all__ = ["cache_dir", "cached_sqlite", "open_stamped"]


def cache_dir() -> Path:
    """The degarble cache directory (not created here)."""
    override = os.environ.get("DEGARBLE_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "degarble"


def open_stamped(path: Path, stamp: str, probe: str = "") -> sqlite3.Connection | None:
    """A read-only connection to a cached SQLite index whose ``meta`` stamp is ``stamp``;
    None when the file is missing, damaged (``probe``, a query, fails) or built from other sources."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        if row is None or row[0] != stamp:
            db.close()
            return None
        if probe:
            db.execute(probe).fetchone()
    except sqlite3.Error:
        return None
    return db


def cached_sqlite(name: str, stamp: str, build: Callable[[str], None], probe: str = "") -> sqlite3.Connection | None:
    """The cached index ``name`` in :func:`cache_dir`, built first when it is missing or stale.

    ``build(path)`` writes a complete index (with its ``meta`` stamp) to ``path``, a file
    of this process; it is renamed into place only once complete, so a crash or a
    concurrent build never leaves a half-written index under the cached name.
    """
    cached = cache_dir() / name
    found = open_stamped(cached, stamp, probe)
    if found is not None:
        return found
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    build(str(partial))
    os.replace(partial, cached)
    return open_stamped(cached, stamp, probe)
