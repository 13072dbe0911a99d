"""The matcher's share of a default-mode run, and the garbage collector's, for source trees alternating.

Run on demand (not a test), e.g. before and after a matcher change::

    git archive main | tar -x -C /tmp/main
    python bench/matcher_speed.py --src main=/tmp/main/src --src branch=src --rounds 5

As ``bench/speed_trees.py`` (same corpus, dictionary and child process per tree and
round, the order reversed every other round, a fresh restorer from the index cache,
built untimed), but each child also reports the CPU seconds spent inside
:meth:`~degarble.matcher.PhraseIndex.candidates` and
:meth:`~degarble.matcher.PhraseIndex.close_words` (the rare-word check the sparse
tokenizer asks of the index), and in the cyclic garbage collector
(``gc.callbacks``: every collection, and the full ones apart), and how many objects the
collector tracks when the run starts (a full collection scans them all; a quarter of them
promoted into the oldest generation triggers one).  Whole-run CPU time includes the
wrappers' few microseconds per call (a few hundred calls per run).  A child process starts
cold, so ``close_words`` includes importing rapidfuzz and numpy (its first cdist call);
``--warm`` times a second run in each child instead (a fresh restorer, as
``bench/speed.py --repeat`` times its rounds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed_trees import SETUP, add_arguments, alternate

# After SETUP: the two methods timed (their own calls, so the wrappers add a few microseconds
# per call) and the collector's pauses summed by generation.
_CHILD = SETUP + r"""
import functools
from degarble import matcher
if WARM_FIRST:  # one run first (imports, process-wide memos), then a fresh restorer
    restore_stream(restorer, io.BytesIO(data), [].append)
    restorer = Restorer([path]) if path else Restorer()
    restorer.restore("warm up: facial acknowledgment.")
spent = {"candidates": 0.0, "close_words": 0.0}
def timed(name, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start
    return wrapper
for name in spent:
    setattr(matcher.PhraseIndex, name, timed(name, getattr(matcher.PhraseIndex, name)))
collecting = {"gc": 0.0, "full": 0.0, "fulls": 0}
started = [0.0]
def on_collection(phase, info):
    if phase == "start":
        started[0] = time.process_time()
        return
    took = time.process_time() - started[0]
    collecting["gc"] += took
    if info["generation"] == 2:
        collecting["full"] += took
        collecting["fulls"] += 1
gc.collect()
tracked = len(gc.get_objects())
gc.callbacks.append(on_collection)
start = time.process_time()
restore_stream(restorer, io.BytesIO(data), [].append)
total = time.process_time() - start
gc.callbacks.remove(on_collection)
print(total, *spent.values(), collecting["gc"], collecting["full"], collecting["fulls"], tracked)
"""

_COLUMNS = ("total", "candidates", "close_words", "gc", "full gc", "full collections", "objects tracked before the run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--warm", action="store_true", help="time a second run in each child (warm imports)")
    args = parser.parse_args()
    fields = alternate(args, _CHILD.replace("WARM_FIRST", str(args.warm)))
    runs = {label: [[float(v) for v in row] for row in rows] for label, rows in fields.items()}
    labels = list(runs)
    print("| tree | " + " | ".join(f"{c}: per round, median" for c in _COLUMNS) + " |")
    print("|---|" + "---|" * len(_COLUMNS))
    for label, rows in runs.items():
        cells = []
        for k in range(len(_COLUMNS)):
            values = [row[k] for row in rows]
            cells.append(f"{' '.join(f'{v:.3g}' for v in values)}; **{statistics.median(values):.3g}**")
        print(f"| {label} | " + " | ".join(cells) + " |")
    first = labels[0]
    for label in labels[1:]:
        for k, column in enumerate(_COLUMNS[:5]):
            saved = [a[k] - b[k] for a, b in zip(runs[first], runs[label])]
            print(
                f"{column}: {first} - {label} per round {' '.join(f'{s:+.3f}' for s in saved)}; "
                f"median {statistics.median(saved):+.3f} CPU s"
            )


if __name__ == "__main__":
    main()
