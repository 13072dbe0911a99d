"""Where the default mode's time goes: CPU seconds per stage on the bench corpus.

Run on demand (not a test; needs the ``bench`` extra)::

    python bench/speed_stages.py --mb 10 --dict 10000 --rounds 3

Each round builds a fresh restorer (from the index cache, untimed; a short warm-up
text as in ``bench/speed.py --repeat``) and runs :func:`degarble.stream.restore_stream`
over the :func:`bench.speed.build_corpus` text, with the stages below wrapped in a
timer (``time.process_time``).  A stage's figure is its own time, without the wrapped
stages it calls; "other" is the rest (stream decoding, chunking, changes shifted into
the stream).  The wrappers add a few microseconds per call (a few hundred calls per
round), so the total is within noise of an unwrapped run.
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # bench/speed.py: the corpus and the dictionary

_spent: dict[str, float] = defaultdict(float)
_inner: list[float] = []


def _timed(owner: Any, name: str, label: str) -> None:
    """Replace ``owner.name`` with a wrapper adding its own CPU time to ``_spent[label]``."""
    function: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        _inner.append(0.0)
        try:
            return function(*args, **kwargs)
        finally:
            spent = time.process_time() - start
            _spent[label] += spent - _inner.pop()
            if _inner:
                _inner[-1] += spent

    setattr(owner, name, wrapper)


def _instrument() -> None:
    from degarble import matcher, mojibake, regions, restorer

    regions_tokenizer = regions.SparseTokenizer
    _timed(mojibake, "mojibake_changes", "mojibake repair")
    restorer.mojibake_changes = mojibake.mojibake_changes  # type: ignore[attr-defined]
    _timed(regions, "masked_fold", "case fold (masked)")
    _timed(regions, "word_census", "word census")
    _timed(regions_tokenizer, "__init__", "sparse tokenizer set-up (automaton)")
    _timed(regions_tokenizer, "_key_hits", "key automaton scan")
    _timed(regions_tokenizer, "_trigger_words", "trigger words (classes, rare-word check)")
    _timed(regions_tokenizer, "_word_hits", "trigger automaton scan")
    _timed(regions_tokenizer, "tokens", "windows and their tokens")
    _timed(matcher.PhraseIndex, "candidates", "matcher (candidates)")
    _timed(matcher, "choose", "choose")
    restorer.choose = matcher.choose  # type: ignore[attr-defined]
    _timed(restorer.Restorer, "_changes", "changes (case, a/an)")
    _timed(restorer.Restorer, "finish", "finish (restored text)")
    _timed(restorer, "compose", "compose with repairs")
    _timed(restorer.Restorer, "explain_dictionary", "explain_dictionary (apply changes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--dict", type=int, default=10000, help="bench dictionary entries (0: built-in ones)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default="/tmp/degarble-bench")
    args = parser.parse_args()
    from degarble.restorer import Restorer
    from degarble.stream import restore_stream

    text, note = speed.build_corpus(int(args.mb * 1_000_000))
    path = speed.build_dictionary(args.dict, Path(args.work)) if args.dict else None
    data = text.encode()
    _instrument()
    rounds: list[dict[str, float]] = []
    for round_ in range(args.rounds + 1):  # round 0 warms the process (imports, global memos)
        restorer = Restorer([path]) if path else Restorer()
        restorer.restore("warm up: facial acknowledgment.")
        _spent.clear()
        gc.collect()
        start = time.process_time()
        restore_stream(restorer, io.BytesIO(data), [].append)
        total = time.process_time() - start
        if round_:
            rounds.append({**_spent, "other": total - sum(_spent.values()), "total": total})
    print(f"{note}; {args.mb:g} MB; {args.dict or 'built-in'} entries; load average {os.getloadavg()[0]:.2f}")
    labels = sorted({label for spent in rounds for label in spent}, key=lambda k: -rounds[0].get(k, 0))
    labels.remove("total")
    labels.append("total")
    print("| stage | CPU s per round | median | share |\n|---|---|---:|---:|")
    total = statistics.median(spent["total"] for spent in rounds)
    for label in labels:
        values = [spent.get(label, 0.0) for spent in rounds]
        middle = statistics.median(values)
        print(f"| {label} | {' '.join(f'{v:.2f}' for v in values)} | {middle:.2f} | {100 * middle / total:.0f}% |")


if __name__ == "__main__":
    main()
