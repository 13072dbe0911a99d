"""Linear time on hostile input: the time per byte must not grow with the size.

Each case is timed at two sizes, 8x apart: one run on the large text against
eight runs on the small one (the same amount of input, best of three); a
quadratic matcher would take ~8x longer on the large one.  The bound (4x) is
generous so a busy machine cannot make it flake; absolute speed is measured by
``bench/hostile.py``, not here.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from degarble.dictionary import parse_dictionary
from degarble.matcher import PhraseIndex
from degarble.restorer import Restorer

SMALL, LARGE = 5_000, 40_000
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


def best_time(run: Callable[[], object], repeat: int = 1) -> float:
    """The best of three timings of ``repeat`` calls of ``run``.

    CPU time of this process, with the cyclic garbage collector paused, so other jobs on a
    shared machine and a collection landing in one run but not the other do not skew the ratio.
    """
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            start = time.process_time()
            for _ in range(repeat):
                run()
            best = min(best, time.process_time() - start)
    finally:
        if enabled:
            gc.enable()
    return best


# Below this, a timing is mostly scheduler noise on a busy machine; a real quadratic
# term at LARGE is far above it.
NOISE_FLOOR = 0.02


def growth(run_small: Callable[[], object], run_large: Callable[[], object], factor: int) -> float:
    """Time of one large run over ``factor`` small runs (the same amount of input): ~1 when linear."""
    small = best_time(run_small, factor)
    large = best_time(run_large)
    return 1.0 if large < NOISE_FLOOR else large / small


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_restore_time_grows_linearly(small_restorer: Restorer, case: str) -> None:
    make = CASES[case]
    small_text, large_text = make(SMALL), make(LARGE)
    ratio = growth(
        lambda: small_restorer.restore_and_explain(small_text),
        lambda: small_restorer.restore_and_explain(large_text),
        LARGE // SMALL,
    )
    assert ratio < BOUND, f"{case}: {ratio:.1f}x slower per byte at {LARGE} than at {SMALL}"


@pytest.mark.slow
def test_index_build_is_linear_in_hostile_dictionary_size() -> None:
    """Keys with eleven hyphens used to expand to 2**11 fused variants each."""

    def entries(count: int) -> list:
        lines = ["-".join(f"w{i}x{k}" for k in range(12)) + f"\tstandard {i}" for i in range(count)]
        return list(parse_dictionary(lines, "hostile.tsv"))

    few, many = entries(25), entries(200)
    assert growth(lambda: PhraseIndex(few), lambda: PhraseIndex(many), 8) < BOUND
    assert len(PhraseIndex(few).variant) <= 25 * 67


def test_hostile_cases_really_are_hostile(small_dictionary: Path) -> None:
    """Guard against a case that silently stops exercising the matcher."""
    restorer = Restorer([small_dictionary])
    assert restorer.restore(CASES["many changes"](100)).startswith("deep learning, deep learning")
    assert restorer.restore(CASES["near-miss fuzzy windows"](44)) == "facial recognition facial recognition "
