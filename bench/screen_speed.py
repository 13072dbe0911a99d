"""Screening throughput on a folder of generated documents, with and without PDF extraction.

Generates N documents (default 1,000) of about 600 words from the clean
fixtures' vocabulary, with a few spun phrases taken from the built-in
dictionaries, once as ``.txt`` and once as two-page ``.pdf`` files; then times
``Screener.screen_path`` over each folder (read + extract + match + measure),
and an anchor in the same process (reading and tokenizing the same text files)
so that the figures can be compared across machines as ratios.  Finally runs
the ``degarble screen`` command on the text folder once, end to end.

Usage::

    python bench/screen_speed.py [--documents 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from degarble.screen.cli import build_screener, screen_paths  # noqa: E402
from degarble.screen.findings import Levels  # noqa: E402
from degarble.screen.readers import read_source  # noqa: E402
from degarble.tokens import tokenize  # noqa: E402
from pdfgen import make_pdf  # noqa: E402

BASE: list[str] = []  # --builtin-dir: these TSV files instead of the installed built-ins


def _screener(fuzzy: bool = True, terms: bool = True):  # type: ignore[no-untyped-def]
    return build_screener(BASE, bool(BASE), fuzzy, Levels(), terms=terms)


def generate(folder: Path, count: int, seed: int = 7) -> tuple[list[Path], list[Path]]:
    """``count`` text files and ``count`` PDFs with the same words."""
    rng = random.Random(seed)
    fixtures = sorted((ROOT / "tests/fixtures/clean").glob("*.txt"))
    words = re.findall(r"[A-Za-z]+", " ".join(p.read_text(encoding="utf-8") for p in fixtures))
    screener = _screener()
    spun = [e.spun for e in screener.restorer.entries if not e.needs_context] or ["profound learning"]
    texts, pdfs = [], []
    (folder / "txt").mkdir(parents=True)
    (folder / "pdf").mkdir()
    for i in range(count):
        sentences = []
        for _ in range(40):
            sentence = rng.choices(words, k=rng.randint(10, 20))
            if rng.random() < 0.05:
                sentence.insert(rng.randrange(len(sentence)), rng.choice(spun))
            sentences.append(" ".join(sentence).capitalize() + ".")
        lines = [" ".join(sentences[k : k + 2]) for k in range(0, len(sentences), 2)]
        text = "\n".join(lines) + "\n"
        path = folder / "txt" / f"doc{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        texts.append(path)
        half = len(lines) // 2
        pdf_lines = [[w for w in _wrap(" ".join(lines[:half]))], [w for w in _wrap(" ".join(lines[half:]))]]
        pdf = folder / "pdf" / f"doc{i:04d}.pdf"
        pdf.write_bytes(make_pdf(pdf_lines))
        pdfs.append(pdf)
    return texts, pdfs


def _wrap(text: str, width: int = 95) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return out + ([line] if line else [])


def timed_screen(
    paths: list[Path], jobs: int = 1, fuzzy: bool = True, terms: bool = True
) -> tuple[float, int, int]:
    screener = _screener(fuzzy, terms)
    screener.screen_path(str(paths[0]))  # warm caches (index, lazy imports)
    start = time.perf_counter()
    findings = 0
    for result in screen_paths(screener, [str(p) for p in paths], jobs=jobs):
        assert result.error is None, result.error
        findings += result.count
    return time.perf_counter() - start, findings, sum(p.stat().st_size for p in paths)


def anchor(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        tokenize(read_source(str(path)).text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--keep", help="generate into this folder and keep it")
    parser.add_argument("--builtin-dir", help="take the 'built-in' *.tsv from this folder")
    args = parser.parse_args()
    if args.builtin_dir:
        BASE.extend(str(p) for p in sorted(Path(args.builtin_dir).glob("*.tsv")))
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="degarble-screen-bench-"))
    try:
        texts, pdfs = generate(folder, args.documents)
        words = sum(len(tokenize(p.read_text(encoding="utf-8"))) for p in texts)
        print(f"{len(texts)} text documents, {words:,} words; {len(pdfs)} PDFs (2 pages each)")
        base = anchor(texts)
        runs = [
            ("text", texts, 1, True, True),
            ("text", texts, 1, True, False),
            ("text", texts, 1, False, True),
            ("pdf", pdfs, 1, True, True),
            ("pdf", pdfs, 1, False, True),
            ("text", texts, 2, True, True),
            ("pdf", pdfs, 2, True, True),
        ]
        for label, paths, jobs, fuzzy, terms in runs:
            seconds, findings, size = timed_screen(paths, jobs, fuzzy, terms)
            print(
                f"{label:>4} -j{jobs}{'' if fuzzy else ' --no-fuzzy'}{'' if terms else ' --no-terms'}: "
                f"{len(paths) / seconds:8.1f} documents/s  "
                f"{size / seconds / 1e6:6.2f} MB/s  "
                f"({seconds:.2f} s, {findings} findings, {size / 1e6:.1f} MB; "
                f"{seconds / base:.1f}x the read+tokenize anchor)"
            )
        print(f"anchor (read + tokenize the text files): {len(texts) / base:.1f} documents/s")
        start = time.perf_counter()
        dictionaries = [a for p in BASE for a in ("-d", p)] + (["--no-builtin"] if BASE else [])
        run = subprocess.run(
            [sys.executable, "-m", "degarble.cli", "screen", str(folder / "txt"), "--format", "csv", "-q",
             *dictionaries],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
        rows = run.stdout.count("\n") - 1
        print(f"CLI  : degarble screen txt/ --format csv: {rows} rows in {seconds:.2f} s "
              f"({rows / seconds:.1f} documents/s end to end, exit {run.returncode})")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
