"""CPU time of the term detector against the dictionary restorer on real prose (same process).

Runs ``TermDetector.find`` and ``Restorer.restore_and_explain`` (the anchor) over the 99
Wikipedia originals and their 99 SpinBot versions, tokens prepared and caches warm; prints
the best of ``--repeat`` runs of each and their ratio.  Compare two source trees by running
it in each (``PYTHONPATH=<tree>/src``): the ratio, not the seconds, is what carries over
between machines and loads.

    python bench/term_speed.py [--data ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from degarble.screen.cli import build_screener
from degarble.screen.findings import Levels
from degarble.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = Path(args.data) / "spinbot-wikipedia" / "dev.jsonl"
    if not path.exists():
        print(f"no measurement data at {args.data} (pass --data)", file=sys.stderr)
        return 2
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [p["original"] for p in pairs] + [p["spun"] for p in pairs]
    screener = build_screener([], False, True, Levels())
    detector = screener.terms
    assert detector is not None
    tokens = [tokenize(t) for t in texts]
    for text, toks in zip(texts, tokens):  # warm the caches of both
        detector.find(text, toks)
        screener.restorer.restore_and_explain(text)
    terms = anchor = float("inf")
    for _ in range(args.repeat):
        clock = time.process_time()
        for text, toks in zip(texts, tokens):
            detector.find(text, toks)
        terms = min(terms, time.process_time() - clock)
        clock = time.process_time()
        for text in texts:
            screener.restorer.restore_and_explain(text)
        anchor = min(anchor, time.process_time() - clock)
    words = sum(len(t) for t in tokens)
    print(f"{len(texts)} texts, {words:,} words: term detector {terms:.3f} s CPU, "
          f"restorer {anchor:.3f} s CPU, ratio {terms / anchor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
