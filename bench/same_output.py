"""Do two source trees restore the bench corpus identically?  Text and every change.

Run on demand (not a test), e.g. before and after a speed change::

    git archive main | tar -x -C /tmp/main        # the tree to compare against
    python bench/same_output.py --src main=/tmp/main/src --src branch=src

For each corpus (the ``bench/speed.py`` corpus of ``--mb`` megabytes, and hostile
variants of it: upper case, title case, CRLF line ends, hyphens and no-break spaces
between words, double spaces with ``ss`` written ``ß``) and each dictionary (the
built-in ones, and the 10k-entry bench dictionary), each tree runs in a child process
with that tree first on ``PYTHONPATH``: ``restore_and_explain`` on every stream chunk
and :func:`degarble.stream.restore_stream` over the whole text.  The child prints a
SHA-256 of the restored texts and the ``repr`` of every change; the table shows
whether the trees agree.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

VARIANTS = ("plain", "upper", "title", "crlf", "hyphen", "spaces")

_CHILD = r"""
import hashlib, io, sys
sys.path.insert(0, sys.argv[1])
import speed
from pathlib import Path
from degarble.restorer import Restorer
from degarble.stream import iter_chunks, restore_stream
mb, dictionary, variant, work = float(sys.argv[2]), sys.argv[3], sys.argv[4], Path(sys.argv[5])
text, _ = speed.build_corpus(int(mb * 1_000_000))
text = {
    "plain": lambda t: t,
    "upper": str.upper,
    "title": str.title,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "hyphen": lambda t: t.replace(" ", "-", 20000).replace(" ", "\u00a0", 20000),
    "spaces": lambda t: t.replace(" ", "  ").replace("ss", "\u00df"),
}[variant](text)
work.mkdir(parents=True, exist_ok=True)
restorer = Restorer([speed.build_dictionary(10000, work)]) if dictionary == "10k" else Restorer()
digest, count = hashlib.sha256(), 0
for chunk in iter_chunks(iter([text]), 1_000_000):
    found = restorer.restore_and_explain(chunk)
    digest.update(found.text.encode()); digest.update(repr(found.changes).encode()); count += len(found.changes)
out = []
streamed = restore_stream(restorer, io.BytesIO(text.encode()), out.append)
digest.update("".join(out).encode()); digest.update(repr(streamed.changes).encode())
print(count, digest.hexdigest()[:16])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", action="append", required=True, help="LABEL=PATH of a source tree (repeatable)")
    parser.add_argument("--mb", type=float, default=10, help="size of the plain corpus (MB)")
    parser.add_argument("--variant-mb", type=float, default=2, help="size of the hostile variants (MB)")
    parser.add_argument("--dicts", default="builtin,10k")
    parser.add_argument("--work", default="/tmp/degarble-bench")
    args = parser.parse_args()
    trees = dict(item.split("=", 1) for item in args.src)
    print("| corpus | dictionary | " + " | ".join(f"{label}: changes, hash" for label in trees) + " | same |")
    print("|---|---|" + "---|" * len(trees) + "---|")
    differ = 0
    for variant in VARIANTS:
        mb = args.mb if variant == "plain" else args.variant_mb
        for dictionary in args.dicts.split(","):
            found = []
            for path in trees.values():
                env = {**os.environ, "PYTHONPATH": str(Path(path).resolve())}
                done = subprocess.run(
                    [sys.executable, "-c", _CHILD, str(ROOT / "bench"), str(mb), dictionary, variant, args.work],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                found.append(done.stdout.strip())
            same = len(set(found)) == 1
            differ += not same
            print(f"| {variant} {mb:g} MB | {dictionary} | " + " | ".join(found) + f" | {'yes' if same else 'NO'} |")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
