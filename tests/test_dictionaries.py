"""The shipped dictionaries are valid data (codespell-style checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from degarble.dictionary import Entry, builtin_dictionary_paths, check_entries, load_dictionary
from degarble.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "dictionaries").glob("*.tsv"))


def test_there_are_shipped_dictionaries() -> None:
    names = {p.name for p in SHIPPED}
    assert {"general.tsv", "science.tsv"} <= names
    assert {p.name for p in builtin_dictionary_paths()} == names


@pytest.fixture(scope="module")
def all_entries() -> list[Entry]:
    entries: list[Entry] = []
    for path in SHIPPED:
        entries.extend(load_dictionary(path))
    return entries


def test_hundreds_of_entries(all_entries: list[Entry]) -> None:
    assert len(all_entries) >= 300


def test_no_duplicates_conflicts_or_chains(all_entries: list[Entry]) -> None:
    assert check_entries(all_entries) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_sorted_within_sections(path: Path) -> None:
    section, previous = "(top)", ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## "):
            section, previous = line, ""
            continue
        if not line.strip() or line.startswith("#"):
            continue
        key = line.split("\t", 1)[0].casefold()
        assert key >= previous, f"{path.name}:{number}: {key!r} out of order in section {section!r}"
        previous = key


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_spun_sides_are_lower_case_unless_flagged(path: Path) -> None:
    for entry in load_dictionary(path):
        if not entry.case_sensitive:
            assert entry.spun == entry.spun.lower(), entry.rule


def test_no_replacement_is_itself_spun(all_entries: list[Entry]) -> None:
    """No correction produces text that another entry would rewrite again (idempotence)."""
    keys = {e.words for e in all_entries}
    for entry in all_entries:
        words = tuple(t.fold for t in tokenize(entry.standard))
        for size in range(1, len(words) + 1):
            for start in range(len(words) - size + 1):
                assert words[start : start + size] not in keys, (
                    f"{entry.rule}: replacement {entry.standard!r} contains spun key "
                    f"{' '.join(words[start : start + size])!r}"
                )
