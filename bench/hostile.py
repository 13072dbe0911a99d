"""Linear time on hostile input: seconds per MB at 1 MB and 10 MB, against a plain-tokenize anchor.

Cases (each built to the given size):

* one token: a single 10 MB word;
* punctuation: 10 MB without a single word;
* phrase prefix: all but the last word of the longest dictionary key, repeated
  (at 10 MB, hundreds of thousands to a million repetitions), so every
  position starts a match that fails at the end;
* hyphen chain, near-miss fuzzy windows, many real changes, combining marks,
  bare line breaks.

For each case and size it prints the restore time per MB, the anchor (``tokenize``
on the same text, same process) per MB, their ratio, and the growth of the
per-MB time from the smallest to the largest size (1.0 = perfectly linear).

    python bench/hostile.py                      # built-in dictionaries, 1 and 10 MB
    python bench/hostile.py --sizes 1 4 -d my.tsv --no-builtin
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

from degarble.restorer import Restorer
from degarble.tokens import tokenize

MB = 1_000_000


def repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def cases(restorer: Restorer) -> dict[str, Callable[[int], str]]:
    plain = (e.spun for e in restorer.entries if not e.case_sensitive)
    keys = sorted(plain, key=lambda s: (-len(s.split()), s))
    longest = keys[0] if keys else "at the point when"
    prefix = " ".join(longest.split()[:-1]) + " " if " " in longest else longest + "-"
    some = keys[len(keys) // 2] if keys else "profound learning"
    words = some.split()
    near = " ".join([*words[:-1], words[-1][:-1] + "q"]) if len(words) > 1 else some + "q"
    return {
        "one token": repeat("a"),
        "punctuation": repeat("!?.,;:()[]{}—…"),
        f"phrase prefix {prefix.strip()!r}": repeat(prefix),
        "hyphen chain": repeat("man-"),
        f"near-miss {near!r}": repeat(near + " "),
        f"many changes {some!r}": repeat(some + ", "),
        "combining marks": repeat("a\u0301\u0323"),
        "line breaks": repeat("\r\n"),
    }


def timed(run: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10], help="sizes in MB")
    parser.add_argument("-d", "--dictionary", action="append", default=[], help="extra TSV dictionary")
    parser.add_argument("--no-builtin", action="store_true")
    args = parser.parse_args()
    restorer = Restorer([] if args.no_builtin else None, extra_dictionaries=args.dictionary)
    print(f"{len(restorer.entries)} entries; sizes {args.sizes} MB")
    print(f"{'case':48s} {'MB':>5s} {'restore s/MB':>13s} {'anchor s/MB':>12s} {'ratio':>6s} {'changes':>8s}")
    worst = 0.0
    for name, make in cases(restorer).items():
        per_mb = []
        for size in args.sizes:
            text = make(int(size * MB))
            anchor = timed(lambda text=text: tokenize(text))[0] / size
            spent, result = timed(lambda text=text: restorer.restore_and_explain(text))
            spent /= size
            per_mb.append(spent)
            changes = len(result.changes)  # type: ignore[attr-defined]
            ratio = spent / anchor if anchor else float("inf")
            row = f"{name[:48]:48s} {size:5g} {spent:13.3f} {anchor:12.3f} {ratio:6.1f} {changes:8d}"
            print(row, flush=True)
            del text, result
        growth = per_mb[-1] / per_mb[0]
        worst = max(worst, growth)
        print(f"{'':48s} growth of s/MB from {args.sizes[0]:g} to {args.sizes[-1]:g} MB: {growth:.2f}")
    print(f"worst growth: {worst:.2f} (1.0 = linear; quadratic would be {args.sizes[-1] / args.sizes[0]:g})")


if __name__ == "__main__":
    main()
