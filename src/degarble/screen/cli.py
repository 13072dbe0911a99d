"""``degarble screen``: find, count and report tortured phrases across many documents."""

from __future__ import annotations

import fnmatch
import io
import multiprocessing as mp
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from ..dictionary import DictionaryError, Entry, builtin_dictionary_paths
from ..files import OutputError, write_atomic
from .findings import DocumentResult, Levels, Screener
from .formats import FORMATS, Writer, totals
from .pps import PatternRule, load_export
from .readers import KINDS

__all__ = ["build_screener", "collect_paths", "screen_command", "screen_paths"]

EXIT_OK, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2
DEFAULT_GLOBS = tuple(f"*{suffix}" for suffix in KINDS)

SCREEN_EPILOG = """\b
Examples:
  degarble screen manuscripts/ --format csv -o screening.csv   one row per document
  degarble screen paper.pdf --report paper.html                 every finding highlighted
  degarble screen corpus/ -d pps-export.csv --min-score 2 --format jsonl
  degarble screen papers/ --glob '*.xml' --glob '*.nxml'        JATS full texts only

\b
Levels: none (score below --min-score), high (at least --high-phrases
distinct phrases, or --high-density findings per 1,000 words from two or
more phrases), low otherwise. The score is the number of distinct phrases.

\b
Exit codes: 0 nothing flagged, 1 at least one document flagged,
2 an error (a document could not be read, a bad dictionary, bad usage).
"""


def collect_paths(paths: Sequence[str], globs: Sequence[str]) -> list[str]:
    """Files to screen: given files as they are; folders walked recursively for ``globs``.

    Hidden files and folders (names starting with ``.``) are skipped inside
    folders; a missing path is kept, so that it is reported as an error row.
    """
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            out.extend(_walk(path, globs))
        else:
            out.append(path)
    return out


def _walk(root: str, globs: Sequence[str]) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if any(fnmatch.fnmatch(name.lower(), g.lower()) or fnmatch.fnmatch(relative, g) for g in globs):
                yield path


def build_screener(
    dictionaries: Sequence[str] = (),
    no_builtin: bool = False,
    fuzzy: bool = True,
    levels: Levels | None = None,
    keep_text: bool = False,
    terms: bool = True,
    weak_terms: bool = False,
    lm_terms: bool = False,
) -> Screener:
    """A screener with the built-in dictionaries (unless ``no_builtin``) and the given files.

    ``.csv`` files are read as Problematic Paper Screener exports (all their
    rules, loaded after the TSV files); other files as TSV dictionaries.
    ``lm_terms``: thesaurus-only term readings that SmolLM2 confirms count too
    (:mod:`.term_check`; raises ``ModelUnavailable`` without the ``context`` extra).
    """
    from ..restorer import Restorer

    paths: list[str | os.PathLike[str]] = [] if no_builtin else list(builtin_dictionary_paths())
    entries: list[Entry] = []
    patterns: list[PatternRule] = []
    for path in dictionaries:
        if Path(path).suffix.lower() == ".csv":
            export = load_export(path)
            entries.extend(export.entries)
            patterns.extend(export.patterns)
        else:
            paths.append(path)
    restorer = Restorer(paths, entries=entries, fuzzy=fuzzy)
    detector = None
    if terms:
        from ..terms import screening_term_detector

        # Learned from the TSV dictionaries only: an export's fingerprints are matched as written
        # (learning word swaps from them raised false findings on clean prose, bench/screen_quality.py).
        exported = {id(e) for e in entries}
        detector = screening_term_detector(e for e in restorer.entries if id(e) not in exported)
    check = None
    if lm_terms and detector is not None:
        from .term_check import load_term_check

        check = load_term_check()
    return Screener(
        restorer, patterns, levels, keep_text=keep_text, terms=detector, weak_terms=weak_terms, term_check=check
    )


_worker_screener: Screener | None = None
_worker_encoding = "utf-8"


def _screen_one(path: str) -> DocumentResult:
    assert _worker_screener is not None
    return _worker_screener.screen_path(path, _worker_encoding)


def screen_paths(
    screener: Screener, paths: Sequence[str], encoding: str = "utf-8", jobs: int = 1
) -> Iterator[DocumentResult]:
    """Results in the order of ``paths``; ``jobs`` > 1 screens in that many forked processes.

    Worker processes are forked after the screener is built, so they share its
    dictionaries instead of loading them again.  Where ``fork`` is not
    available (or for standard input) documents are screened one after another.
    """
    global _worker_screener, _worker_encoding
    if jobs <= 1 or len(paths) < 2 * jobs or "-" in paths or "fork" not in mp.get_all_start_methods():
        for path in paths:
            yield screener.screen_path(path, encoding)
        return
    _worker_screener, _worker_encoding = screener, encoding
    try:
        with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
            yield from pool.map(_screen_one, paths, chunksize=max(1, min(64, len(paths) // (4 * jobs))))
    finally:
        _worker_screener = None


def _progress(total: int, quiet: bool):  # type: ignore[no-untyped-def]
    """A tqdm bar on standard error, or ``None`` when hidden (not a terminal, -q, tqdm missing)."""
    if quiet or total < 2 or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, file=sys.stderr, unit="doc", leave=False, dynamic_ncols=True)


@click.command("screen", epilog=SCREEN_EPILOG)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--glob",
    "globs",
    multiple=True,
    metavar="PATTERN",
    help="Files to take from folders (repeatable; default: the known extensions "
    ".txt .md .html .htm .xhtml .xml .nxml .jats .pdf).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the results to FILE instead of standard output.")
@click.option("--report", metavar="FILE", help="Also write a self-contained HTML report to FILE.")
@click.option(
    "-d",
    "--dictionary",
    "dictionaries",
    multiple=True,
    metavar="PATH",
    help="Add a TSV dictionary or a Problematic Paper Screener export (.csv) (repeatable).",
)
@click.option("--no-builtin", is_flag=True, help="Do not load the built-in dictionaries.")
@click.option("--no-fuzzy", is_flag=True, help="Exact, inflected and spelling-variant matches only.")
@click.option(
    "--no-terms",
    is_flag=True,
    help="Dictionary and query findings only: no thesaurus-swapped terms (rule 'terms:...').",
)
@click.option(
    "--weak-terms",
    is_flag=True,
    help="Also count thesaurus-only term readings (method 'terms-ctx') in documents with 2+ other "
    "findings. Low precision: leads to check, not evidence.",
)
@click.option(
    "--lm-terms",
    is_flag=True,
    help="Also count thesaurus-only term readings (method 'terms-lm') whose term a language model "
    "(SmolLM2, the 'context' extra) finds far likelier in the sentence than the written words. "
    "Much slower: about 6 s of CPU per 1,000 words of prose (0.3 s per reading checked).",
)
@click.option(
    "--min-score",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Flag a document only from this many distinct phrases.",
)
@click.option(
    "--high-phrases",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Distinct phrases for 'high'.",
)
@click.option(
    "--high-density",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="Findings per 1,000 words (from two or more phrases) for 'high'.",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text and HTML files.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Screen in this many processes (0: one per CPU).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on standard error.")
def screen_command(
    paths: tuple[str, ...],
    globs: tuple[str, ...],
    fmt: str,
    output: str | None,
    report: str | None,
    dictionaries: tuple[str, ...],
    no_builtin: bool,
    no_fuzzy: bool,
    no_terms: bool,
    weak_terms: bool,
    lm_terms: bool,
    min_score: int,
    high_phrases: int,
    high_density: float,
    encoding: str,
    jobs: int,
    quiet: bool,
) -> None:
    """Screen documents for tortured phrases: PATH is a file or a folder (searched recursively).

    Reads plain text, Markdown, HTML, JATS/XML and PDF. For each document:
    words, findings, findings per 1,000 words, distinct phrases and a level;
    for each finding: line, column, the phrase, its standard form, the rule.
    """
    from .. import __version__

    levels = Levels(min_score, high_phrases, high_density)
    try:
        screener = build_screener(
            dictionaries, no_builtin, not no_fuzzy, levels, keep_text=report is not None, terms=not no_terms,
            weak_terms=weak_terms, lm_terms=lm_terms,
        )
    except DictionaryError as exc:
        click.echo(f"degarble: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except RuntimeError as exc:
        from ..context.language_model import ModelUnavailable  # only --lm-terms raises it

        if not isinstance(exc, ModelUnavailable):
            raise
        click.echo(f"degarble: error: --lm-terms: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    files = collect_paths(paths, globs or DEFAULT_GLOBS)
    if not files:
        raise click.UsageError(f"no document to screen in {', '.join(paths)} (see --glob)")

    buffer = io.StringIO() if output and output != "-" else None
    stream = buffer if buffer is not None else sys.stdout
    writer = Writer(stream, fmt, levels, __version__)
    writer.begin()
    results: list[DocumentResult] = []
    bar = _progress(len(files), quiet)
    try:
        for result in screen_paths(screener, files, encoding, jobs or os.cpu_count() or 1):
            writer.document(result)
            if fmt == "jsonl" and buffer is None:
                stream.flush()
            if report is None:
                result.text = ""
            results.append(result)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    writer.end(results)
    stream.flush()

    failed = False
    if buffer is not None and output:
        failed |= not _write(output, buffer.getvalue())
    if report:
        from .report import render_report

        failed |= not _write(report, render_report(results, levels, __version__))
    counts = totals(results)
    if not quiet:
        click.echo(
            f"screened {counts['documents']} document(s): {counts['flagged']} flagged "
            f"({counts['high']} high, {counts['low']} low), {counts['findings']} finding(s), "
            f"{counts['errors']} unreadable",
            err=True,
        )
    if counts["errors"] or failed:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FLAGGED if counts["flagged"] else EXIT_OK)


def _write(path: str, text: str) -> bool:
    try:
        write_atomic(path, text.encode("utf-8"))
    except OutputError as exc:
        click.echo(f"degarble: error: {exc}", err=True)
        return False
    return True
