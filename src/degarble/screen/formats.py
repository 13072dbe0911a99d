"""Output formats of ``degarble screen``: text lines, JSON, JSONL and a CSV summary.

* ``text``: one line per finding, ``path:line:col: rule: 'spun' -> 'standard'``
  (editors and terminals make these clickable), one ``path: error: why`` line per
  unreadable document; a summary goes to standard error.
* ``json``: one object with the settings, every document (summary and findings)
  and the totals.
* ``jsonl``: one document object per line, written as each document is done.
* ``csv``: one row per document (the summary fields and the top phrases).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TextIO

from .findings import DocumentResult, Levels

__all__ = ["CSV_COLUMNS", "FORMATS", "Writer", "totals"]

FORMATS = ("text", "json", "jsonl", "csv")
CSV_COLUMNS = (
    "path",
    "kind",
    "words",
    "findings",
    "per_1000_words",
    "distinct_phrases",
    "level",
    "top_phrases",
    "error",
)


def totals(results: Iterable[DocumentResult]) -> dict[str, int]:
    """Counts over a run: documents, flagged by level, findings, errors."""
    out = {"documents": 0, "flagged": 0, "high": 0, "low": 0, "findings": 0, "errors": 0, "words": 0}
    for r in results:
        out["documents"] += 1
        if r.error is not None:
            out["errors"] += 1
            continue
        out["findings"] += r.count
        out["words"] += r.words
        if r.flagged:
            out["flagged"] += 1
            out[r.level] += 1
    return out


def _top(result: DocumentResult) -> str:
    return "; ".join(f"{p} -> {s} ({n})" for p, s, n in result.top_phrases())


class Writer:
    """Writes results to ``stream`` in one format, document by document."""

    def __init__(self, stream: TextIO, fmt: str, levels: Levels, version: str = "") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.stream, self.fmt, self.levels, self.version = stream, fmt, levels, version
        self.documents: list[dict[str, object]] = []
        self._csv: csv.DictWriter | None = None

    def begin(self) -> None:
        if self.fmt == "csv":
            self._csv = csv.DictWriter(self.stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
            self._csv.writeheader()

    def document(self, result: DocumentResult) -> None:
        if self.fmt == "text":
            if result.error is not None:
                self.stream.write(f"{result.path}: error: {_strip_path(result.error, result.path)}\n")
                return
            if not result.flagged:
                return
            for f in result.findings:
                where = f"{result.path}:{f.line}:{f.column}"
                phrase = " ".join(f.phrase.split())  # a phrase wrapped over two lines, on one
                self.stream.write(f"{where}: {f.rule}: {phrase!r} -> {f.standard!r}\n")
        elif self.fmt == "csv":
            assert self._csv is not None
            row = dict(result.summary())
            row["top_phrases"] = _top(result)
            row["error"] = row["error"] or ""
            self._csv.writerow(row)
        elif self.fmt == "jsonl":
            self.stream.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
        else:
            self.documents.append(result.as_dict())

    def end(self, results: Iterable[DocumentResult]) -> None:
        if self.fmt == "json":
            payload = {
                "version": self.version,
                "levels": {
                    "min_score": self.levels.min_score,
                    "high_phrases": self.levels.high_phrases,
                    "high_density": self.levels.high_density,
                },
                "documents": self.documents,
                "summary": totals(results),
            }
            self.stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _strip_path(message: str, path: str) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def render(results: Iterable[DocumentResult], fmt: str, levels: Levels | None = None) -> str:
    """All results in one format, as a string (for tests and the library)."""
    results = list(results)
    buffer = io.StringIO()
    writer = Writer(buffer, fmt, levels or Levels())
    writer.begin()
    for result in results:
        writer.document(result)
    writer.end(results)
    return buffer.getvalue()
