"""Screening documents for tortured phrases: read, find, count, report.

``degarble screen`` reads plain text, Markdown, HTML, JATS/XML and PDF files
(:mod:`.readers`), finds tortured phrases with the core matcher plus the
document-level rules of Problematic Paper Screener exports (:mod:`.pps`),
measures each document (:mod:`.findings`) and writes text, JSON, JSONL, CSV
(:mod:`.formats`) or a self-contained HTML page (:mod:`.report`).
"""

from __future__ import annotations

from .findings import DocumentResult, Finding, Levels, Screener
from .pps import Export, PPSError, load_export
from .readers import ReadError, SourceText, read_source

__all__ = [
    "DocumentResult",
    "Export",
    "Finding",
    "Levels",
    "PPSError",
    "ReadError",
    "Screener",
    "SourceText",
    "load_export",
    "read_source",
]
