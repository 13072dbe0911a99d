#!/usr/bin/env python3
"""Measure restoration quality on real spun/original pairs and false edits on clean text.

Data: ``../shared/data/spinbot-wikipedia/dev.jsonl`` (99 SpinBot paragraphs with
their Wikipedia originals; read in place, never copied into the project).

Figures (token level: words and punctuation, case-sensitive, Levenshtein over token lists):

* ``recovered = 1 - d(restored, original) / d(spun, original)``
* ``edit_precision = (d(spun, original) - d(restored, original)) / d(spun, restored)``
  (of the edits degarble made, the net share that moved the text toward the original)
* false edits per 1,000 words when the *originals* (clean text) are restored, and on the
  project's negative fixtures (``tests/fixtures/negative/*.txt``).

Distances are summed over all pairs (micro average).  Usage::

    python bench/quality.py                 # the table
    python bench/quality.py --show 20       # also list the first 20 edits made on clean text
    python bench/quality.py --json          # machine-readable

Exit status: 0 on success, 2 when ../shared is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

import degarble

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAIRS = SHARED / "data" / "spinbot-wikipedia" / "dev.jsonl"
NEGATIVE = ROOT / "tests" / "fixtures" / "negative"

_TOKEN = regex.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_WORD = regex.compile(r"\w+(?:['’]\w+)*")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def distance(a: str, b: str) -> int:
    return Levenshtein.distance(tokens(a), tokens(b))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def changed_words(before: str, after: str) -> int:
    """Word-level edit distance: how many words an edit touched."""
    return Levenshtein.distance(_WORD.findall(before), _WORD.findall(after))


def measure(restorer: degarble.Restorer, pairs: list[dict[str, str]], **kwargs: object) -> dict[str, float]:
    d_so = d_ro = d_sr = 0
    changes = 0
    start = time.perf_counter()
    for pair in pairs:
        spun, original = pair["spun"], pair["original"]
        result = restorer.restore_and_explain(spun, **kwargs)
        restored = result.text
        changes += len(result.changes)
        d_so += distance(spun, original)
        d_ro += distance(restored, original)
        d_sr += distance(spun, restored)
    elapsed = time.perf_counter() - start
    return {
        "pairs": len(pairs),
        "d_spun_original": d_so,
        "d_restored_original": d_ro,
        "d_spun_restored": d_sr,
        "changes": changes,
        "recovered": 1 - d_ro / d_so if d_so else 0.0,
        "edit_precision": (d_so - d_ro) / d_sr if d_sr else float("nan"),
        "seconds": elapsed,
    }


def false_edits(restorer: degarble.Restorer, texts: list[tuple[str, str]], show: int, **kwargs: object):
    words = changed = 0
    shown: list[str] = []
    for name, text in texts:
        result = restorer.restore_and_explain(text, **kwargs)
        words += word_count(text)
        changed += changed_words(text, result.text)
        for change in result.changes:
            if len(shown) < show:
                shown.append(f"{name}: {change.original!r} -> {change.replacement!r} [{change.rule}]")
    return {"words": words, "changed_words": changed, "per_1000": 1000 * changed / words if words else 0.0}, shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="list this many edits made on clean text")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("-d", "--dictionary", action="append", default=[], help="extra dictionary")
    parser.add_argument("--no-fuzzy", action="store_true")
    parser.add_argument("--context", action="store_true", help="measure context mode (needs degarble[context])")
    args = parser.parse_args(argv)
    if not PAIRS.is_file():
        print(f"quality: {PAIRS} not found: this benchmark needs ../shared beside the project", file=sys.stderr)
        return 2
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    restorer = degarble.Restorer(extra_dictionaries=args.dictionary, fuzzy=not args.no_fuzzy)
    mode = {"context": True} if args.context else {}
    spun = measure(restorer, pairs, **mode)
    clean, shown = false_edits(
        restorer, [(f"original#{i}", p["original"]) for i, p in enumerate(pairs)], args.show, **mode
    )
    negatives = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(NEGATIVE.glob("*.txt"))]
    neg, neg_shown = false_edits(restorer, negatives, args.show, **mode)
    result = {"spinbot_dev": spun, "clean_originals": clean, "negative_fixtures": neg}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"SpinBot dev pairs ({spun['pairs']} paragraphs), {'context' if args.context else 'default'} mode")
        print(f"  d(spun, original)      {spun['d_spun_original']:>7}")
        print(f"  d(restored, original)  {spun['d_restored_original']:>7}")
        print(f"  d(spun, restored)      {spun['d_spun_restored']:>7}   ({spun['changes']} changes)")
        print(f"  recovered              {spun['recovered']:>7.4f}")
        print(f"  edit_precision         {spun['edit_precision']:>7.4f}")
        print("False edits on clean text (changed words per 1,000 words)")
        print(
            f"  dev originals          {clean['per_1000']:>7.3f}   "
            f"({clean['changed_words']} of {clean['words']} words)"
        )
        print(f"  negative fixtures      {neg['per_1000']:>7.3f}   ({neg['changed_words']} of {neg['words']} words, "
              f"{len(negatives)} files)")
        for line in shown + neg_shown:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
