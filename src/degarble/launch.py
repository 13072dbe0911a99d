"""The ``degarble`` entry point: a plain ``degarble FILE...`` starts without click.

Importing click (and what it loads: ``inspect``, ``uuid``, ``platform``, ``datetime``,
``gettext``) is about a tenth of restoring one article from a cold start.  When every
argument is an existing regular file and none is an option or a command name, the
command is ``degarble restore FILE...`` with every default, so
:func:`degarble.runner.restore_files` is called straight away; anything else (an option,
standard input, a missing file, ``--help``) goes to :func:`degarble.cli.main`, which
reads it as before.  Messages go through ``click.echo`` on both paths.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence

__all__ = ["COMMANDS", "main", "plain_files"]

#: The command line's subcommand names (tests/test_cli.py checks them against the click group).
COMMANDS = frozenset({"restore", "dict", "screen"})


def plain_files(args: Sequence[str]) -> list[str] | None:
    """``args`` when they are a plain ``degarble FILE...``: one or more names of existing
    regular files, none starting with ``-``, the first no command name; else None."""
    if not args or args[0] in COMMANDS:
        return None
    for name in args:
        if not name or name.startswith("-"):
            return None
        try:
            if not stat.S_ISREG(os.stat(name).st_mode):
                return None
        except (OSError, ValueError):
            return None
    return list(args)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (``argv``: the arguments, default ``sys.argv[1:]``)."""
    files = plain_files(sys.argv[1:] if argv is None else argv)
    if files is None:
        from .cli import main as click_main

        click_main(argv)
        return
    from .runner import guarded_main, restore_files

    guarded_main(lambda: restore_files(files))
