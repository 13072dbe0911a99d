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

_CHILD = r"""
import gc, io, sys, time
sys.path.insert(0, sys.argv[1])
import speed
from pathlib import Path
from degarble.stream import restore_stream
text, restorer = speed.corpus_and_restorer(float(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
restorer.restore("warm up: facial acknowledgment.")
data = text.encode()
gc.collect()
start = time.process_time()
restore_stream(restorer, io.BytesIO(data), [].append)
print(time.process_time() - start)
"""


def alternate(trees: dict[str, str], child: str, child_args: list[str], rounds: int) -> dict[str, list[str]]:
    """What ``child`` (Python code) prints, per tree, run once per tree per round.

    The order is reversed every other round (drift in the machine's load weighs on all
    alike); each run is a child process with that tree first on ``PYTHONPATH`` and
    ``bench/`` as its first argument (``child_args`` after it).
    """
    labels = list(trees)
    printed: dict[str, list[str]] = {label: [] for label in labels}
    for round_ in range(rounds):
        for label in labels if round_ % 2 == 0 else labels[::-1]:
            env = {**os.environ, "PYTHONPATH": str(Path(trees[label]).resolve())}
            printed[label].append(
                subprocess.run(
                    [sys.executable, "-c", child, str(ROOT / "bench"), *child_args],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
    return printed


def tree_arguments(description: str) -> tuple[argparse.Namespace, dict[str, str]]:
    """The command line of a bench that runs source trees alternating: its options, and
    the trees (``--src LABEL=PATH``, repeatable) by label."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--src", action="append", required=True, help="LABEL=PATH of a source tree (repeatable)")
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--dict", type=int, default=10000, help="bench dictionary entries (0: built-in ones)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", default="/tmp/degarble-bench")
    args = parser.parse_args()
    return args, dict(item.split("=", 1) for item in args.src)


def main() -> None:
    args, trees = tree_arguments(__doc__.split("\n\n")[0])
    labels = list(trees)
    print(f"load average before {os.getloadavg()[0]:.2f}; {args.mb:g} MB; {args.dict or 'built-in'} entries")
    printed = alternate(trees, _CHILD, [str(args.mb), str(args.dict), args.work], args.rounds)
    times = {label: [float(out.split()[-1]) for out in printed[label]] for label in labels}
    print(f"load average after {os.getloadavg()[0]:.2f}")
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
