"""What ``degarble restore`` does with its inputs, without click.

:mod:`degarble.cli` checks the options and calls :func:`restore_files`; a plain
``degarble FILE...`` (no option) calls it straight from :mod:`degarble.launch`, so
that start-up does not import click (about a tenth of a cold start).  Messages still
go through ``click.echo``, imported when the first one is written, so they read the
same on both paths.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable, Sequence

from . import __version__
from .changes import Restoration, line_and_column
from .dictionary import DictionaryError, DictionaryWarning
from .files import STDIN_NAME, InputError, OutputError, encode, write_atomic

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see tokens.py)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["EXIT_CHANGED", "EXIT_ERROR", "EXIT_OK", "guarded_main", "restore_files"]

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


def _echo(message: str, err: bool = False) -> None:
    import click  # lazy: a plain run that writes no message never loads it

    click.echo(message, err=err)


def _fail(message: str) -> None:
    _echo(f"degarble: error: {message}", err=True)


def guarded_main(run: Callable[[], object]) -> None:
    """Run the command line: a closed pipe ends quietly (exit 0), Ctrl-C with exit 130, and
    success with exit 0."""
    try:
        run()
    except BrokenPipeError:
        # The reader went away (e.g. `degarble big.txt | head`): stop quietly.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        _fail("interrupted")
        sys.exit(130)
    sys.exit(EXIT_OK)


def _make_restorer(dictionaries: Sequence[str], no_builtin: bool, fuzzy: bool):  # type: ignore[no-untyped-def]
    from .restorer import Restorer, default_restorer

    if not dictionaries and not no_builtin and fuzzy:
        return default_restorer()
    base = [] if no_builtin else None
    return Restorer(base, extra_dictionaries=dictionaries, fuzzy=fuzzy)


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


def restore_files(
    names: list[str],
    *,
    output: str | None = None,
    in_place: bool = False,
    show_diff: bool = False,
    check: bool = False,
    fmt: str = "text",
    dictionaries: tuple[str, ...] = (),
    no_builtin: bool = False,
    no_fuzzy: bool = False,
    use_context: bool = False,
    context_level: str = "bigram",
    encoding: str = "utf-8",
    quiet: bool = False,
    jobs: int = 1,
    stream: bool | None = None,
    dask_address: str | None = None,
) -> None:
    """``degarble restore``'s work once its options are checked (the defaults are those of a
    plain ``degarble FILE...``); ends with ``sys.exit`` for exit codes 1 and 2."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DictionaryWarning)
            restorer = _make_restorer(dictionaries, no_builtin, not no_fuzzy)
    except DictionaryError as exc:
        _fail(str(exc))
        sys.exit(EXIT_ERROR)
    if not quiet:
        for warning in caught:
            _echo(f"degarble: warning: {warning.message}", err=True)
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
            _echo(f"would restore {doc.name} ({len(result.changes)} changes)", err=True)
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
                    _echo(f"restored {name} ({len(result.changes)} changes)", err=True)
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
        _echo(f"{len(names)} file(s) would be left unchanged", err=True)


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
        _echo(f"would restore {shown} ({result.change_count} changes)", err=True)
    if in_place and result.changed and not quiet:
        _echo(f"restored {name} ({result.change_count} changes)", err=True)
    return 0, result.changed


