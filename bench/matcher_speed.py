"""The matcher's share of a default-mode run, and the garbage collector's, for source trees alternating.

Run on demand (not a test), e.g. before and after a matcher change::

    git archive main | tar -x -C /tmp/main
    python bench/matcher_speed.py --src main=/tmp/main/src --src branch=src --rounds 5

As ``bench/speed_trees.py`` (same corpus, dictionary and child process per tree and
round, the order reversed every other round, a fresh restorer from the index cache,
built untimed), but each child also reports the CPU seconds spent inside
:meth:`~degarble.matcher.PhraseIndex.candidates` and
:meth:`~degarble.matcher.PhraseIndex.close_words` (the rare-word check the sparse
tokenizer asks of the index; together: "matcher"), and in the cyclic garbage collector
(``gc.callbacks``: every collection, and the full ones apart).  Whole-run CPU time
includes the wrappers' few microseconds per call (a few hundred calls per run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import functools, gc, io, sys, time
sys.path.insert(0, sys.argv[1])
import speed
from pathlib import Path
from degarble import matcher
from degarble.restorer import Restorer
from degarble.stream import restore_stream
mb, entries = float(sys.argv[2]), int(sys.argv[3])
text, _ = speed.build_corpus(int(mb * 1_000_000))
path = speed.build_dictionary(entries, Path(sys.argv[4])) if entries else None
spent = {"matcher": 0.0}
def timed(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent["matcher"] += time.process_time() - start
    return wrapper
for name in ("candidates", "close_words"):
    setattr(matcher.PhraseIndex, name, timed(getattr(matcher.PhraseIndex, name)))
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
restorer = Restorer([path]) if path else Restorer()
restorer.restore("warm up: facial acknowledgment.")
data = text.encode()
spent["matcher"] = 0.0
gc.collect()
gc.callbacks.append(on_collection)
start = time.process_time()
restore_stream(restorer, io.BytesIO(data), [].append)
total = time.process_time() - start
gc.callbacks.remove(on_collection)
print(total, spent["matcher"], collecting["gc"], collecting["full"], collecting["fulls"])
"""

_COLUMNS = ("total", "matcher", "gc", "full gc", "full collections")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", action="append", required=True, help="LABEL=PATH of a source tree (repeatable)")
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--dict", type=int, default=10000, help="bench dictionary entries (0: built-in ones)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", default="/tmp/degarble-bench")
    args = parser.parse_args()
    trees = dict(item.split("=", 1) for item in args.src)
    runs: dict[str, list[list[float]]] = {label: [] for label in trees}
    labels = list(trees)
    print(f"load average before {os.getloadavg()[0]:.2f}; {args.mb:g} MB; {args.dict or 'built-in'} entries")
    for round_ in range(args.rounds):
        for label in labels if round_ % 2 == 0 else labels[::-1]:
            env = {**os.environ, "PYTHONPATH": str(Path(trees[label]).resolve())}
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(ROOT / "bench"), str(args.mb), str(args.dict), args.work],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs[label].append([float(v) for v in out.split()[-len(_COLUMNS) :]])
    print(f"load average after {os.getloadavg()[0]:.2f}")
    print("| tree | " + " | ".join(f"{c}: per round (CPU s), median" for c in _COLUMNS) + " |")
    print("|---|" + "---|" * len(_COLUMNS))
    for label, rows in runs.items():
        cells = []
        for k in range(len(_COLUMNS)):
            values = [row[k] for row in rows]
            cells.append(f"{' '.join(f'{v:.3g}' for v in values)}; **{statistics.median(values):.3g}**")
        print(f"| {label} | " + " | ".join(cells) + " |")
    first = labels[0]
    for label in labels[1:]:
        for k, column in enumerate(_COLUMNS[:4]):
            saved = [a[k] - b[k] for a, b in zip(runs[first], runs[label])]
            print(
                f"{column}: {first} - {label} per round {' '.join(f'{s:+.3f}' for s in saved)}; "
                f"median {statistics.median(saved):+.3f} CPU s"
            )


if __name__ == "__main__":
    main()
