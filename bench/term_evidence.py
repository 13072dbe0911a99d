"""Term readings by the evidence behind them: on missed dev phrases, on clean prose, on spun text.

The term detector (:mod:`degarble.terms`) calls a reading firm or weak from the
evidence of its swaps (``learned``, ``wordnet``, ``two-way``, ``one-way``).  This
prints, for each evidence pattern of the *weak* readings and the Zipf frequency
of the thesaurus-only swapped word:

* ``dev``: dev phrases the screener misses that such a reading overlaps
  (in the sentence templates of ``bench/screen_quality.py``);
* ``clean``: such readings on clean prose (Wikipedia originals of the SpinBot
  pairs and ``tests/fixtures/{clean,negative,clean_extra}``);
* ``spun``: such readings on the real SpinBot paragraphs, confirmed by the original / all.

A pattern that is frequent on ``dev`` and absent from ``clean`` is evidence a
firmness rule may use (``Guards.rare_swap`` came from this table).  Aggregate
counts only, never phrases.

    python bench/term_evidence.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from degarble.screen.cli import build_screener
from degarble.screen.findings import Levels
from degarble.terms import TermDetector, TermHit
from degarble.tokens import tokenize
from screen_quality import TEMPLATES  # the same sentences the detection share uses (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
ZIPF_BINS = (3.0, 3.5, 4.0)


def _norm(text: str) -> str:
    return " ".join(t.fold for t in tokenize(text))


def pattern(detector: TermDetector, hit: TermHit) -> str:
    """``words, learned swaps, thesaurus swaps' evidence, Zipf bin of the commonest thesaurus swap``."""
    learned = sum(ev == "learned" for _, _, ev in hit.changed)
    other = sorted(ev for _, _, ev in hit.changed if ev != "learned")
    zipf = max((detector.zipf(spun) for spun, _, ev in hit.changed if ev != "learned"), default=0.0)
    zbin = next((f"<{b}" for b in ZIPF_BINS if zipf < b), f">={ZIPF_BINS[-1]}")
    return f"words={hit.last - hit.first} learned={learned} thesaurus={','.join(other) or '-'} zipf{zbin}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    data = Path(args.data)
    dev_path = data / "tortured-phrases" / "dev.jsonl"
    spin_path = data / "spinbot-wikipedia" / "dev.jsonl"
    if not dev_path.exists() or not spin_path.exists():
        print(f"no measurement data at {data} (pass --data)", file=sys.stderr)
        return 2
    dev = [json.loads(line) for line in dev_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    spin = [json.loads(line) for line in spin_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    clean = [d["original"] for d in spin]
    for folder in ("clean", "negative", "clean_extra"):
        clean += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/fixtures" / folder).glob("*.txt"))]
    screener = build_screener([], False, True, Levels())
    detector = screener.terms
    assert detector is not None
    on_dev: Counter[str] = Counter()
    on_clean: Counter[str] = Counter()
    on_spun: Counter[str] = Counter()
    confirmed: Counter[str] = Counter()
    for i, d in enumerate(dev):
        template = TEMPLATES[i % len(TEMPLATES)]
        start = template.index("{}")
        text = template.format(d["tortured"])
        end = start + len(d["tortured"])
        if any(f.start < end and start < f.end for f in screener.find(text)):
            continue
        weak = {pattern(detector, h) for h in detector.find(text) if h.start < end and start < h.end and not h.firm}
        on_dev.update(weak)
    clean_words = 0
    for text in clean:
        clean_words += len(tokenize(text))
        on_clean.update(pattern(detector, h) for h in detector.find(text) if not h.firm)
    for d in spin:
        original = _norm(d["original"])
        for h in detector.find(d["spun"]):
            if h.firm:
                continue
            words = [re.escape(w) for w in _norm(h.term).split()]
            key = pattern(detector, h)
            on_spun[key] += 1
            confirmed[key] += re.search(r"\b" + r"s?\s+".join(words) + r"s?\b", original) is not None
    print(f"weak term readings; dev phrases: {len(dev)}, clean words: {clean_words}, spun paragraphs: {len(spin)}")
    print(f"{'pattern':62} {'dev':>5} {'clean':>6} {'spun':>9}")
    for key in sorted(set(on_dev) | set(on_clean), key=lambda k: (-on_dev[k], k)):
        print(f"{key:62} {on_dev[key]:5} {on_clean[key]:6} {confirmed[key]:4}/{on_spun[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
