"""Where the context pass keeps what it builds on first use (thesaurus index, converted model).

``DEGARBLE_CACHE_DIR`` overrides the location; otherwise the platform's user
cache directory (``~/.cache/degarble`` on Linux).  Nothing in it is ever
unpickled: the thesaurus is an SQLite file and the model is safetensors, both
checked against a stamp of their source before use.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """The degarble cache directory (not created here)."""
    override = os.environ.get("DEGARBLE_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "degarble"
