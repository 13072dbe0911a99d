"""``python -m degarble``: the same command line as ``degarble``."""

from .launch import main

main()
