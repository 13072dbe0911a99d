"""Default-mode CPU time of two or more source trees on the same corpus, alternating.

Run on demand (not a test), e.g. before and after a speed change::

    git archive main | tar -x -C /tmp/main
    python bench/speed_trees.py --src main=/tmp/main/src --src branch=src --rounds 5

Each round runs every tree once (the order reversed every other round, so drift in
the machine's load weighs on all alike), each in a child process with that tree first
on ``PYTHONPATH``: build the :func:`bench.speed.build_corpus` text and the restorer
(untimed; the index from the cache), then ``restore_stream`` over the text as in
``bench/speed.py``'s degarble engine, timed with ``time.process_time`` after a full
garbage collection.  The table gives each round's CPU seconds and the median ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The child's untimed part: the corpus, the dictionary, a fresh restorer (index from the cache).
SETUP = r"""
import gc, io, sys, time
sys.path.insert(0, sys.argv[1])
import speed
from pathlib import Path
from degarble.restorer import Restorer
from degarble.stream import restore_stream
mb, entries = float(sys.argv[2]), int(sys.argv[3])
text, _ = speed.build_corpus(int(mb * 1_000_000))
path = speed.build_dictionary(entries, Path(sys.argv[4])) if entries else None
restorer = Restorer([path]) if path else Restorer()
restorer.restore("warm up: facial acknowledgment.")
data = text.encode()
"""
_CHILD = SETUP + r"""
gc.collect()
start = time.process_time()
restore_stream(restorer, io.BytesIO(data), [].append)
print(time.process_time() - start)
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a run over source trees (also ``bench/matcher_speed.py``'s and
    ``bench/mojibake_speed.py``'s)."""
    parser.add_argument("--src", action="append", required=True, help="LABEL=PATH of a source tree (repeatable)")
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--dict", type=int, default=10000, help="bench dictionary entries (0: built-in ones)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", default="/tmp/degarble-bench")


def alternate(args: argparse.Namespace, child: str) -> dict[str, list[list[str]]]:
    """The fields of the last line ``child`` prints (a script taking :data:`SETUP`'s arguments),
    per tree and round: every tree once a round, in a child process with the tree first on
    ``PYTHONPATH``, the order reversed every other round (also ``bench/matcher_speed.py``'s
    and ``bench/mojibake_speed.py``'s runs)."""
    trees = dict(item.split("=", 1) for item in args.src)
    runs: dict[str, list[list[str]]] = {label: [] for label in trees}
    labels = list(trees)
    print(f"load average before {os.getloadavg()[0]:.2f}; {args.mb:g} MB; {args.dict or 'built-in'} entries")
    for round_ in range(args.rounds):
        for label in labels if round_ % 2 == 0 else labels[::-1]:
            env = {**os.environ, "PYTHONPATH": str(Path(trees[label]).resolve())}
            out = subprocess.run(
                [sys.executable, "-c", child, str(ROOT / "bench"), str(args.mb), str(args.dict), args.work],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs[label].append(out.splitlines()[-1].split())
    print(f"load average after {os.getloadavg()[0]:.2f}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    runs = alternate(parser.parse_args(), _CHILD)
    times = {label: [float(row[0]) for row in rows] for label, rows in runs.items()}
    labels = list(times)
    print("| tree | CPU s per round | median | min |\n|---|---|---:|---:|")
    for label, spent in times.items():
        rounds = " ".join(f"{s:.2f}" for s in spent)
        print(f"| {label} | {rounds} | {statistics.median(spent):.2f} | {min(spent):.2f} |")
    first = labels[0]
    for label in labels[1:]:
        ratios = [a / b for a, b in zip(times[first], times[label])]
        print(
            f"\n{first} time / {label} time per round: {' '.join(f'{r:.2f}' for r in ratios)}; "
            f"median {statistics.median(ratios):.2f}"
        )


if __name__ == "__main__":
    main()
