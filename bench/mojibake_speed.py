"""CPU time of mojibake repair and of composing repairs with dictionary changes, in two
or more source trees, alternating.

Run on demand (not a test), e.g. before and after a change to ``mojibake.py`` or
``stages.py``::

    git archive main | tar -x -C /tmp/main
    python bench/mojibake_speed.py --src main=/tmp/main/src --src branch=src --rounds 5

Each round runs every tree once (the order reversed every other round), each in a
child process with that tree first on ``PYTHONPATH``.  The child builds the
:func:`bench.speed.build_corpus` text and the restorer (untimed), runs
``restore_stream`` once with ``compose`` recorded (untimed: the calls the default mode
makes, chunk by chunk), then times with ``time.process_time``, after a full garbage
collection each: ``mojibake_changes`` on the whole text, and every recorded ``compose``
call replayed.  It also prints a hash of the repairs and of the composed changes, so
the table shows whether the trees agree.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed_trees import SETUP, add_arguments, alternate  # bench/speed_trees.py: each tree in a child, alternating

_CHILD = SETUP + r"""
import hashlib
from degarble import restorer as restorer_module
from degarble.mojibake import mojibake_changes
from degarble.stages import compose
calls = []
def recorded(*args, **kwargs):
    calls.append((args, kwargs))
    return compose(*args, **kwargs)
restorer_module.compose = recorded
restore_stream(restorer, io.BytesIO(data), [].append)
restorer_module.compose = compose
gc.collect()
start = time.process_time()
repairs = mojibake_changes(text)
repair_time = time.process_time() - start
gc.collect()
start = time.process_time()
composed = [compose(*args, **kwargs) for args, kwargs in calls]
compose_time = time.process_time() - start
digest = hashlib.sha256(repr((repairs, composed)).encode()).hexdigest()[:16]
print(repair_time, compose_time, len(repairs), sum(map(len, composed)), digest)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    printed = alternate(parser.parse_args(), _CHILD)
    labels = list(printed)
    repair = {label: [float(row[0]) for row in printed[label]] for label in labels}
    composing = {label: [float(row[1]) for row in printed[label]] for label in labels}
    outputs = {label: {" ".join(row[2:]) for row in printed[label]} for label in labels}
    print("| tree | mojibake_changes CPU s per round | median | compose CPU s per round | median | output |")
    print("|---|---|---:|---|---:|---|")
    for label in labels:
        print(
            f"| {label} | {' '.join(f'{t:.3f}' for t in repair[label])} | {statistics.median(repair[label]):.3f} "
            f"| {' '.join(f'{t:.3f}' for t in composing[label])} | {statistics.median(composing[label]):.3f} "
            f"| {' / '.join(sorted(outputs[label]))} |"
        )
    first = labels[0]
    for label in labels[1:]:
        for name, table in (("mojibake_changes", repair), ("compose", composing)):
            ratios = [a / b for a, b in zip(table[first], table[label])]
            print(f"{name}: {first} time / {label} time per round: median {statistics.median(ratios):.2f}")
        print(f"same output as {first}: {'yes' if outputs[label] == outputs[first] else 'NO'}")


if __name__ == "__main__":
    main()
