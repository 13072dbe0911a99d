"""Installed package versions without importlib.metadata.

The version of an installed package is part of the keys of degarble's caches (an
upgrade of lemminflect or wordfreq invalidates what was built with it).  Asking
``importlib.metadata`` loads the ``email`` package and scans every path entry: about
25 ms of a cold start.  The ``NAME-VERSION.dist-info`` folder beside the package
tells the same for an installed package and costs one directory listing.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

__all__ = ["installed_version"]


def installed_version(package: str) -> str:
    """The name of ``package``'s dist-info folder(s) (holding its version), ``none`` when the
    package is not installed, ``unknown`` when it has no dist-info beside it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return "none"
    if spec is None or not spec.origin:
        return "none"
    site = Path(spec.origin).resolve().parent.parent
    # the names glob("PACKAGE-*.dist-info") gives, without compiling a pattern for it
    head, tail = f"{package}-", ".dist-info"
    try:
        with os.scandir(site) as entries:
            names = [e.name for e in entries]
    except OSError:
        names = []
    found = sorted(n for n in names if n.startswith(head) and n.endswith(tail) and len(n) >= len(head) + len(tail))
    return ",".join(found) or "unknown"
