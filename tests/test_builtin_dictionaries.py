"""The shipped dictionaries obey the rules in dictionaries/README.md."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from degarble.dictionary import DictionaryWarning, builtin_dictionary_paths, check_entries, load_dictionary

PATHS = builtin_dictionary_paths()
pytestmark = pytest.mark.skipif(not PATHS, reason="no built-in dictionaries in this checkout")


def test_they_load_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DictionaryWarning)
        for path in PATHS:
            assert load_dictionary(path)


def test_no_duplicates_conflicts_or_chains() -> None:
    entries = [e for path in PATHS for e in load_dictionary(path)]
    assert check_entries(entries) == []


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_sections_are_sorted(path: Path) -> None:
    """Inside a ``## `` section, entries are sorted by their spun side, case-insensitively."""
    section: list[tuple[str, int]] = []
    problems = []

    def close() -> None:
        keys = [spun.casefold() for spun, _ in section]
        for (spun, line), before, after in zip(section[1:], keys, keys[1:], strict=False):
            if after < before:
                problems.append(f"{path.name}:{line}: {spun!r} is out of order")
        section.clear()

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## "):
            close()
        elif line.strip() and not line.startswith("#"):
            section.append((line.split("\t", 1)[0], number))
    close()
    assert problems == []
