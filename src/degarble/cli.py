"""The ``degarble`` command line.

Exit codes (every command):

* ``0``: success; with ``--check``: nothing would change;
* ``1``: ``--check``: something would change; ``dict check``: problems found;
* ``2``: an error: bad usage, an unreadable input, a bad dictionary, a failed write.

Data goes to standard output, messages to standard error.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__
from .dictionary import DictionaryError, DictionaryWarning, builtin_dictionary_paths, check_entries, load_dictionary
from .files import STDIN_NAME
from .runner import EXIT_CHANGED, EXIT_ERROR, EXIT_OK, _fail, guarded_main, restore_files

RESTORE_EPILOG = """\b
Examples:
  degarble article.txt                 print the restored article
  degarble - < article.txt             read standard input
  degarble --diff article.txt          show what would change
  degarble --check drafts/*.txt        exit 1 if anything would change
  degarble -i article.txt              rewrite the file in place (atomically)
  degarble --format json article.txt   every change, with offsets and rules
  degarble -d mine.tsv article.txt     add a dictionary of your own
  degarble --context article.txt       also undo swaps no dictionary lists

\b
Exit codes: 0 done (or nothing to change with --check), 1 something
would change (--check), 2 error.
"""


# Subcommands imported only when named (or listed by --help): ``degarble FILE`` starts
# without loading the screening package.
_LAZY_COMMANDS = {"screen": ("degarble.screen.cli", "screen_command")}


class _DefaultGroup(click.Group):
    """A group whose default command is ``restore``: ``degarble FILE`` = ``degarble restore FILE``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = args and (args[0] in self.commands or args[0] in _LAZY_COMMANDS)
        if not args or (not known and args[0] not in ("--help", "-h", "--version")):
            args = ["restore", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, name = _LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=_DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=RESTORE_EPILOG,
)
@click.version_option(__version__, "--version", prog_name="degarble")
def cli() -> None:
    """Restore synonym-spun text ("tortured phrases") to the wording its author meant.

    degarble [OPTIONS] [FILE]... is short for degarble restore [OPTIONS] [FILE]...
    """


def _same_file(name: str, output: str) -> bool:
    """True when ``output`` is ``name`` under another path (or a link to it)."""
    try:
        return os.path.samefile(name, output)
    except OSError:  # one of them does not exist (yet): they cannot be the same file
        return False


@cli.command("restore", epilog=RESTORE_EPILOG)
@click.argument("files", nargs=-1, metavar="[FILE]...")
@click.option("-o", "--output", metavar="PATH", help="Write the restored text to PATH (one input only).")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite each FILE in place, atomically.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff instead of the text.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: list every change (file, start, end, line, column, original, replacement, rule, score).",
)
@click.option(
    "-d", "--dictionary", "dictionaries", multiple=True, metavar="PATH", help="Add a TSV dictionary (repeatable)."
)
@click.option("--no-builtin", is_flag=True, help="Do not load the built-in dictionaries.")
@click.option("--no-fuzzy", is_flag=True, help="Exact and inflected matches only.")
@click.option(
    "--context",
    "use_context",
    is_flag=True,
    help="Also restore swaps no dictionary lists (learned + thesaurus + language model); "
    "json output then lists suspects. Needs: pip install 'degarble[context]'.",
)
@click.option(
    "--context-level",
    type=click.Choice(["lm", "bigram"]),
    default="bigram",
    show_default=True,
    help="bigram: web bigram counts, no torch (calibrated); lm: SmolLM2 ranks and reports suspects (slower).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the input files.")
@click.option("-q", "--quiet", is_flag=True, help="No messages on standard error, only errors.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
    help="Restore files in N parallel processes (0: one per CPU); output stays in input order.",
)  # fmt: skip
@click.option(
    "--stream/--no-stream", default=None,
    help="Restore paragraph by paragraph in bounded memory (default: for files over 4 MB).",
)  # fmt: skip
@click.option(
    "--dask", "dask_address", metavar="ADDRESS",
    help="Restore the files on a Dask cluster (scheduler address; needs degarble[dask]).",
)  # fmt: skip
def restore_command(
    files: tuple[str, ...],
    output: str | None,
    in_place: bool,
    show_diff: bool,
    check: bool,
    fmt: str,
    dictionaries: tuple[str, ...],
    no_builtin: bool,
    no_fuzzy: bool,
    use_context: bool,
    context_level: str,
    encoding: str,
    quiet: bool,
    jobs: int = 1,
    stream: bool | None = None,
    dask_address: str | None = None,
) -> None:
    """Restore FILE(s) (or standard input, for no FILE or -) and print the result."""
    names = list(files) or [STDIN_NAME]
    if in_place and output:
        raise click.UsageError("--in-place and --output cannot be combined")
    if in_place and STDIN_NAME in names:
        raise click.UsageError("--in-place needs files, not standard input")
    if (check or show_diff) and (in_place or output):
        raise click.UsageError("--check and --diff write nothing; drop --in-place/--output")
    if output and len(names) > 1:
        raise click.UsageError("--output takes a single input; use --in-place for several files")
    if output and output != STDIN_NAME:
        for name in names:
            if name != STDIN_NAME and _same_file(name, output):
                raise click.UsageError(f"--output {output} is the input file; use --in-place to rewrite it")
    restore_files(
        names,
        output=output,
        in_place=in_place,
        show_diff=show_diff,
        check=check,
        fmt=fmt,
        dictionaries=dictionaries,
        no_builtin=no_builtin,
        no_fuzzy=no_fuzzy,
        use_context=use_context,
        context_level=context_level,
        encoding=encoding,
        quiet=quiet,
        jobs=jobs,
        stream=stream,
        dask_address=dask_address,
    )


@cli.group("dict")
def dict_group() -> None:
    """Work with phrase dictionaries."""


@dict_group.command("check")
@click.argument("paths", nargs=-1, metavar="[DICTIONARY]...")
@click.option("--no-builtin", is_flag=True, help="Check only the given files, not with the built-in ones.")
def dict_check(paths: tuple[str, ...], no_builtin: bool) -> None:
    """Validate dictionaries: format, duplicates, conflicts and chains.

    The given files are checked together with the built-in dictionaries (so
    conflicts with them are found). Problems are printed as file:line: why.
    Exit 0 when clean, 1 when problems were found, 2 when a file is unreadable.
    """
    files = ([] if no_builtin else builtin_dictionary_paths()) + [Path(p) for p in paths]
    entries = []
    for path in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DictionaryWarning)  # check_entries reports them below
                entries.extend(load_dictionary(path))
        except DictionaryError as exc:
            _fail(str(exc))
            sys.exit(EXIT_ERROR)
    problems = check_entries(entries)
    for problem in problems:
        click.echo(problem)
    click.echo(f"{len(entries)} entries in {len(files)} file(s): {len(problems)} problem(s)", err=True)
    sys.exit(EXIT_CHANGED if problems else EXIT_OK)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI with one-line errors and documented exit codes."""

    def run() -> None:
        try:
            cli.main(args=list(argv) if argv is not None else None, prog_name="degarble", standalone_mode=False)
        except click.UsageError as exc:
            _fail(exc.format_message())
            sys.exit(EXIT_ERROR)
        except click.Abort:
            _fail("aborted")
            sys.exit(EXIT_ERROR)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)

    guarded_main(run)


if __name__ == "__main__":  # pragma: no cover
    main()
