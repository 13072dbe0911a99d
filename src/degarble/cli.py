"""The ``degarble`` command line.

Exit codes (every command):

* ``0``: success; with ``--check``: nothing would change;
* ``1``: ``--check``: something would change; ``dict check``: problems found;
* ``2``: an error: bad usage, an unreadable input, a bad dictionary, a failed write.

Data goes to standard output, messages to standard error.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .changes import Restoration, line_and_column
from .dictionary import (
    DictionaryError,
    DictionaryWarning,
    builtin_dictionary_paths,
    check_entries,
    load_dictionary,
)
from .files import STDIN_NAME, InputError, OutputError, encode, write_atomic

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2

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


def _fail(message: str) -> None:
    click.echo(f"degarble: error: {message}", err=True)


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


def _make_restorer(dictionaries: Sequence[str], no_builtin: bool, fuzzy: bool):  # type: ignore[no-untyped-def]
    from .restorer import Restorer, default_restorer

    if not dictionaries and not no_builtin and fuzzy:
        return default_restorer()
    base = [] if no_builtin else None
    return Restorer(base, extra_dictionaries=dictionaries, fuzzy=fuzzy)


def _same_file(name: str, output: str) -> bool:
    """True when ``output`` is ``name`` under another path (or a link to it)."""
    try:
        return os.path.samefile(name, output)
    except OSError:  # one of them does not exist (yet): they cannot be the same file
        return False


def _change_rows(name: str, text: str, result: Restoration) -> list[dict[str, Any]]:
    positions = line_and_column(text, [c.start for c in result.changes])
    rows = []
    for change, (line, column) in zip(result.changes, positions):
        row = {"file": name, **change.as_dict(), "line": line, "column": column}
        rows.append(row)
    return rows


def _suspect_rows(name: str, text: str, result: Restoration) -> list[dict[str, Any]]:
    positions = line_and_column(text, [s.start for s in result.suspects])
    return [
        {"file": name, **suspect.as_dict(), "line": line, "column": column}
        for suspect, (line, column) in zip(result.suspects, positions)
    ]


def _with_context(restorer, level: str):  # type: ignore[no-untyped-def]
    """The restorer set up for the context pass, or exit 2 naming the extra to install."""
    try:
        from .context import DEFAULTS, missing_extra
    except ImportError as exc:  # pragma: no cover - the subpackage itself is always there
        missing = [exc.name or "degarble.context"]
    else:
        missing = missing_extra(level)
    if missing:
        _fail(f"--context needs {', '.join(missing)}: pip install 'degarble[context]'")
        sys.exit(EXIT_ERROR)
    # The CLI process owns this restorer: give it the level's settings (built on first use).
    restorer.context_settings = DEFAULTS[level]
    restorer._context_pass = None
    try:
        restorer.context_pass()
    except Exception as exc:  # a model that cannot load: one line, exit 2
        _fail(f"--context could not load its models ({type(exc).__name__}: {exc})")
        sys.exit(EXIT_ERROR)
    return restorer


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
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DictionaryWarning)
            restorer = _make_restorer(dictionaries, no_builtin, not no_fuzzy)
    except DictionaryError as exc:
        _fail(str(exc))
        sys.exit(EXIT_ERROR)
    if not quiet:
        for warning in caught:
            click.echo(f"degarble: warning: {warning.message}", err=True)
    if use_context:
        restorer = _with_context(restorer, context_level)

    errors = 0
    changed_files = 0
    report: list[dict[str, Any]] = []
    stdout = sys.stdout  # (click.get_text_stream is deprecated)
    from .parallel import RestorerConfig, outcomes, restore_in_process, wants_stream

    config = RestorerConfig(tuple(dictionaries), no_builtin, not no_fuzzy)
    streamed = {n for n in names if wants_stream(n, stream) and not show_diff and not use_context}
    if use_context:  # one process: the context pass's models are loaded once, here
        results = restore_in_process(restorer, names, encoding, context=True)
    else:
        results = outcomes(config, restorer, names, encoding, jobs, dask_address, streamed)
    for name, outcome in _guarded(results):
        if outcome is None:  # a large file: restored as a stream, in bounded memory
            failed, changed = _stream_one(
                restorer, name, encoding, output, in_place, check, fmt, quiet, report
            )
            errors += failed
            changed_files += changed
            continue
        if isinstance(outcome, InputError):
            _fail(str(outcome))
            errors += 1
            continue
        doc, result = outcome
        if result.changed:
            changed_files += 1
        if fmt == "json":
            entry = {"file": doc.name, "changed": result.changed, "changes": _change_rows(doc.name, doc.text, result)}
            if use_context:
                entry["suspects"] = _suspect_rows(doc.name, doc.text, result)
            report.append(entry)
        if check and not quiet and result.changed:
            click.echo(f"would restore {doc.name} ({len(result.changes)} changes)", err=True)
        if show_diff and fmt == "text":
            import difflib  # lazy: only --diff needs it

            diff = difflib.unified_diff(
                doc.text.splitlines(keepends=True),
                result.text.splitlines(keepends=True),
                fromfile=f"a/{doc.name}",
                tofile=f"b/{doc.name}",
            )
            for line in diff:
                stdout.write(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
        elif in_place:
            if result.changed:
                try:
                    write_atomic(name, encode(doc, result.text))
                except (OutputError, UnicodeEncodeError) as exc:
                    _fail(str(exc))
                    errors += 1
                    continue
                if not quiet:
                    click.echo(f"restored {name} ({len(result.changes)} changes)", err=True)
        elif output and output != STDIN_NAME:
            try:
                write_atomic(output, encode(doc, result.text))
            except (OutputError, UnicodeEncodeError) as exc:
                _fail(str(exc))
                errors += 1
        elif not check and fmt == "text":
            try:  # the bytes as they came (codec, byte-order mark, line ends), like --output
                data = encode(doc, result.text)
            except OutputError as exc:
                _fail(str(exc))
                errors += 1
                continue
            stdout.flush()
            sys.stdout.buffer.write(data)
    if fmt == "json":
        payload = {
            "version": __version__,
            "files": report,
            "summary": {
                "files": len(report),
                "changed_files": changed_files,
                "changes": sum(len(r["changes"]) for r in report),
                "errors": errors,
            },
        }
        stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    stdout.flush()
    if errors:
        sys.exit(EXIT_ERROR)
    if check and changed_files:
        sys.exit(EXIT_CHANGED)
    if check and not quiet:
        click.echo(f"{len(names)} file(s) would be left unchanged", err=True)


def _guarded(results: Any) -> Any:
    """Pass results through; a missing extra or an unreachable cluster ends the run with one line."""
    try:
        yield from results
    except ImportError as exc:
        _fail(str(exc))
        sys.exit(EXIT_ERROR)
    except (OSError, TimeoutError) as exc:
        _fail(f"cannot reach the Dask scheduler: {exc}")
        sys.exit(EXIT_ERROR)


def _stream_one(
    restorer: Any,
    name: str,
    encoding: str,
    output: str | None,
    in_place: bool,
    check: bool,
    fmt: str,
    quiet: bool,
    report: list[dict[str, Any]],
) -> tuple[int, bool]:
    """Restore one input with :mod:`degarble.stream`; ``(errors, changed)``, same output as in memory."""
    from .stream import restore_path, restore_standard_input

    to_stdout = not check and fmt == "text" and not in_place and not (output and output != STDIN_NAME)
    target: Any = sys.stdout.buffer if to_stdout else None  # the bytes as they came, like --output
    if to_stdout:
        sys.stdout.flush()
    if in_place:
        target = name
    elif output and output != STDIN_NAME:
        target = output
    try:
        if name == STDIN_NAME:
            shown = "<stdin>"
            result = restore_standard_input(restorer, target, encoding=encoding, keep_changes=fmt == "json")
        else:
            shown = name
            result = restore_path(
                restorer, name, encoding=encoding, output=target, only_if_changed=in_place, keep_changes=fmt == "json"
            )
    except (InputError, OutputError, UnicodeEncodeError) as exc:
        _fail(str(exc))
        return 1, False
    if fmt == "json":
        rows = [
            {"file": shown, **change.as_dict(), "line": line, "column": column}
            for change, (line, column) in zip(result.changes, result.positions, strict=True)
        ]
        report.append({"file": shown, "changed": result.changed, "changes": rows})
    if check and not quiet and result.changed:
        click.echo(f"would restore {shown} ({result.change_count} changes)", err=True)
    if in_place and result.changed and not quiet:
        click.echo(f"restored {name} ({result.change_count} changes)", err=True)
    return 0, result.changed


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
    except BrokenPipeError:
        # The reader went away (e.g. `degarble big.txt | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        _fail("interrupted")
        sys.exit(130)
    sys.exit(EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
