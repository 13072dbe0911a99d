"""Cold start and default dictionary load, for one or more source trees, alternating.

Run on demand (not a test)::

    python bench/startup.py --runs 11 --src main=/tmp/main/src --src branch=src
    python bench/startup.py --runs 11 --src branch=src --no-bytecode
    python bench/startup.py --runs 21 --src main=/tmp/main/src --src branch=src --script .venv/bin/degarble

``--script`` also times an installed console script (``degarble SEED``, entry-point
overhead included) in the same rounds.

Each run, for each tree in turn (so a busy machine weighs on all of them alike):

* cold start: CPU seconds (user + sys) of ``python -m degarble SEED`` (what
  ``degarble SEED`` runs) in a child process with that tree first on ``PYTHONPATH``
  (warm caches: one run first fills the index cache);
* dictionary load: CPU seconds of ``Restorer()`` (the built-in dictionaries, from
  the cache) in a fresh process.

By default Python may write and read cached bytecode (``__pycache__``), as any
installed package has; ``--no-bytecode`` sets ``PYTHONDONTWRITEBYTECODE=1`` and
removes the trees' ``degarble/__pycache__`` first, so their modules are compiled at
every start.  A tree given as ``/x/src`` needs its ``dictionaries/`` beside ``src``
(as in a checkout), or the built-in dictionaries are empty.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_f9f8cd65f9abefae.txt"
LOAD = (
    "import time; from degarble.restorer import Restorer; t = time.process_time(); r = Restorer(); "
    "print(time.process_time() - t, len(r.entries))"
)


def _child_cpu(command: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", action="append", required=True, help="LABEL=PATH of a source tree (repeatable)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-bytecode", action="store_true", help="compile the trees' modules at every start")
    parser.add_argument("--script", help="also time this console script (e.g. .venv/bin/degarble) on the seed")
    args = parser.parse_args()
    trees = dict(item.split("=", 1) for item in args.src)
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if args.no_bytecode:
        base["PYTHONDONTWRITEBYTECODE"] = "1"
    envs = {}
    for label, path in trees.items():
        source = Path(path).resolve()
        if args.no_bytecode:
            shutil.rmtree(source / "degarble" / "__pycache__", ignore_errors=True)
        envs[label] = {**base, "PYTHONPATH": str(source)}
        warm = [sys.executable, "-m", "degarble", str(SEED)]  # fills the index cache
        subprocess.run(warm, env=envs[label], capture_output=True, check=True)
    cold: dict[str, list[float]] = {label: [] for label in trees}
    script: list[float] = []
    if args.script:
        subprocess.run([args.script, str(SEED)], env=base, capture_output=True, check=True)
    load: dict[str, list[float]] = {label: [] for label in trees}
    entries = {}
    for round_ in range(args.runs):
        order = list(envs.items())
        for label, env in order if round_ % 2 == 0 else order[::-1]:  # first place alternates
            cold[label].append(_child_cpu([sys.executable, "-m", "degarble", str(SEED)], env))
            out = subprocess.run(
                [sys.executable, "-c", LOAD], env=env, capture_output=True, text=True, check=True
            ).stdout.split()
            load[label].append(float(out[0]))
            entries[label] = out[1]
        if args.script:
            script.append(_child_cpu([args.script, str(SEED)], base))
    bytecode = "off" if args.no_bytecode else "cached"
    print(f"load average {os.getloadavg()[0]:.2f}; bytecode {bytecode}; {args.runs} runs")
    print("| tree | cold start CPU s, median | best | dictionary load CPU s, median | best | entries |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in trees:
        print(
            f"| {label} | {statistics.median(cold[label]):.3f} | {min(cold[label]):.3f} | "
            f"{statistics.median(load[label]):.3f} | {min(load[label]):.3f} | {entries[label]} |"
        )
    if script:
        print(f"| console script {args.script} | {statistics.median(script):.3f} | {min(script):.3f} | | | |")


if __name__ == "__main__":
    main()
