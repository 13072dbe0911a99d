"""``python -m degarble``: the same command line as ``degarble``."""

from .cli import main

main()
