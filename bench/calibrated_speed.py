"""CPU cost of the calibrated decision in the bigram context pass (needs ``../shared``).

    python bench/calibrated_speed.py [--paragraphs 40] [--rounds 2]

Restores the first SpinBot dev paragraphs (spun) with the shipped bigram settings and
with ``calibrated=False``, both warmed on the same paragraphs first (every per-word cache
filled), then alternates the two for ``--rounds`` rounds and prints the CPU seconds of each
and their ratio (process time, same process, so the machine's load cancels out).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from context_quality import SPINBOT  # noqa: E402
from degarble.context.pipeline import DEFAULTS  # noqa: E402
from degarble.restorer import Restorer  # noqa: E402


def run(restorer: Restorer, texts: list[str]) -> float:
    """CPU seconds of the dictionary pass + context pass over ``texts``."""
    start = time.process_time()
    for text in texts:
        found = restorer.explain_dictionary(text)
        restorer.context_pass().run(found.text, findings=len({c.rule for c in found.changes}))
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    if not SPINBOT.is_file():
        print(f"calibrated_speed: {SPINBOT} not found: this benchmark needs ../shared", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in SPINBOT.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [row["spun"] for row in rows[: args.paragraphs]]
    passes = {
        "calibrated (shipped)": Restorer(context_settings=DEFAULTS["bigram"]),
        "calibrated off": Restorer(context_settings=replace(DEFAULTS["bigram"], calibrated=False)),
    }
    for restorer in passes.values():
        run(restorer, texts)  # warm-up
    seconds = dict.fromkeys(passes, 0.0)
    for r in range(args.rounds):
        order = list(passes) if r % 2 == 0 else list(reversed(passes))
        for name in order:
            seconds[name] += run(passes[name], texts)
    for name, value in seconds.items():
        print(f"{name:<22} {value:8.2f} CPU-s ({len(texts)} paragraphs x {args.rounds})")
    print(f"ratio shipped / off      {seconds['calibrated (shipped)'] / seconds['calibrated off']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
