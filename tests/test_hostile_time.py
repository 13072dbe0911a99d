"""Linear time on hostile input: the time per byte must not grow with the size.

Each case is timed at two sizes (8x apart, best of three runs); a quadratic
matcher would take ~8x longer per byte on the larger one.  The bound (4x) is
generous so a busy machine cannot make it flake; absolute speed is measured by
``bench/hostile.py``, not here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from degarble.dictionary import parse_dictionary
from degarble.matcher import PhraseIndex
from degarble.restorer import Restorer

SMALL, LARGE = 10_000, 80_000
BOUND = 4.0


def repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


CASES = {
    "one long token": repeat("a"),
    "punctuation only": repeat("!?.,;:()[]{}—…"),
    "phrase prefix repeated": repeat("at the point "),
    "hyphen chain": repeat("man-"),
    "near-miss fuzzy windows": repeat("facial acknowledgmant "),
    "many changes": repeat("profound learning, "),
    "combining marks": repeat("a\u0301\u0323"),
    "line breaks": repeat("law\r\n"),
}


def per_byte(run: Callable[[], object], size: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best / size


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_restore_time_grows_linearly(small_restorer: Restorer, case: str) -> None:
    make = CASES[case]
    small_text, large_text = make(SMALL), make(LARGE)
    small = per_byte(lambda: small_restorer.restore_and_explain(small_text), SMALL)
    large = per_byte(lambda: small_restorer.restore_and_explain(large_text), LARGE)
    assert large / small < BOUND, f"{case}: {large / small:.1f}x slower per byte at {LARGE} than at {SMALL}"


@pytest.mark.slow
def test_index_build_is_linear_in_hostile_dictionary_size() -> None:
    """Keys with eleven hyphens used to expand to 2**11 fused variants each."""

    def entries(count: int) -> list:
        lines = ["-".join(f"w{i}x{k}" for k in range(12)) + f"\tstandard {i}" for i in range(count)]
        return list(parse_dictionary(lines, "hostile.tsv"))

    few, many = entries(25), entries(200)
    small = per_byte(lambda: PhraseIndex(few), 25)
    large = per_byte(lambda: PhraseIndex(many), 200)
    assert large / small < BOUND
    assert len(PhraseIndex(few).variant) <= 25 * 67


def test_hostile_cases_really_are_hostile(small_dictionary: Path) -> None:
    """Guard against a case that silently stops exercising the matcher."""
    restorer = Restorer([small_dictionary])
    assert restorer.restore(CASES["many changes"](100)).startswith("deep learning, deep learning")
    assert restorer.restore(CASES["near-miss fuzzy windows"](44)) == "facial recognition facial recognition "
