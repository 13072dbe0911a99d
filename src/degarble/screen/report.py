"""The HTML report: one self-contained page an editor can read.

The page has the run's summary on top (one row per document), then the text of
every document with findings, each finding highlighted.  Hovering a highlight,
or selecting it (click or Tab), shows the standard phrase and the rule; ``n``
and ``p`` jump to the next and previous finding.

Everything is inline: no network, no external asset.  A Content-Security-Policy
forbids any load and allows only the page's own style and script (by hash), and
all document text is HTML-escaped, so a document containing ``<script>`` shows
it as text.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from html import escape

from .findings import DocumentResult, Levels
from .formats import totals

__all__ = ["render_report"]

_STYLE = """
:root { color-scheme: light; --ink:#1d2430; --muted:#5b6678; --line:#d8dde6;
  --hi:#ffe08a; --hi2:#ffb84d; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f6f7f9; }
header { background: #22303f; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: #c9d3df; }
main { padding: 16px 24px 48px; max-width: 1100px; }
.totals { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0 20px; }
.totals div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; }
.totals b { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.level { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 13px; font-weight: 600; }
.level-none { background: #e3f4e6; color: #1f6b32; }
.level-low { background: #fff1c7; color: #7a5300; }
.level-high { background: #fde0dc; color: #9b1c10; }
.level-error { background: #e6e6e6; color: #444; }
section.doc { margin-top: 28px; }
section.doc h2 { font-size: 17px; margin: 0 0 6px; word-break: break-all; }
.stats { color: var(--muted); margin: 0 0 10px; }
pre.text { white-space: pre-wrap; word-wrap: break-word; background: #fff; border: 1px solid var(--line);
  border-radius: 6px; padding: 14px 16px; font: 14px/1.6 ui-serif, Georgia, serif; }
mark.tp { background: var(--hi); border-bottom: 2px solid #c98a00; border-radius: 2px; position: relative;
  cursor: help; padding: 0 1px; }
mark.tp:hover, mark.tp:focus, mark.tp.selected { background: var(--hi2); outline: none; }
mark.tp::after { content: "\\2192\\00a0" attr(data-standard) "  \\00b7  " attr(data-rule); display: none;
  position: absolute; left: 0; top: 100%; z-index: 10; margin-top: 4px; white-space: nowrap;
  background: #22303f; color: #fff; font: 13px/1.4 system-ui, sans-serif; padding: 4px 8px;
  border-radius: 4px; }
mark.tp:hover::after, mark.tp:focus::after, mark.tp.selected::after { display: block; }
#detail { position: sticky; top: 0; background: #22303f; color: #fff; padding: 8px 14px;
  border-radius: 0 0 6px 6px; min-height: 1.5em; font-size: 14px; z-index: 20; }
#detail:empty { display: none; }
table.findings { margin-top: 10px; font-size: 14px; }
.muted { color: var(--muted); }
"""

_SCRIPT = """
(function () {
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.tp"));
  var detail = document.getElementById("detail");
  var current = -1;
  function select(i) {
    if (!marks.length) { return; }
    if (current >= 0) { marks[current].classList.remove("selected"); }
    current = (i + marks.length) % marks.length;
    var m = marks[current];
    m.classList.add("selected");
    m.focus({ preventScroll: true });
    m.scrollIntoView({ block: "center" });
    detail.textContent = (current + 1) + "/" + marks.length + ": \\u201c" + m.textContent +
      "\\u201d \\u2192 \\u201c" + m.getAttribute("data-standard") + "\\u201d (" +
      m.getAttribute("data-rule") + ", line " + m.getAttribute("data-line") + ")";
  }
  marks.forEach(function (m, i) {
    m.addEventListener("click", function () { select(i); });
    m.addEventListener("focus", function () { if (current !== i) { select(i); } });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "n") { select(current + 1); } else if (e.key === "p") { select(current - 1); }
  });
  document.body.setAttribute("data-findings", String(marks.length));
})();
"""


def _hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def _level(level: str) -> str:
    return f'<span class="level level-{escape(level)}">{escape(level)}</span>'


def _highlighted(result: DocumentResult, number: int) -> str:
    """The document text, escaped, with each finding in a ``<mark>``."""
    text = result.text
    parts: list[str] = []
    position = 0
    for k, f in enumerate(result.findings):
        if f.start < position:
            continue
        parts.append(escape(text[position : f.start]))
        tip = f"{f.standard} ({f.rule})"
        parts.append(
            f'<mark class="tp" id="f{number}-{k + 1}" tabindex="0" title="{escape(tip)}"'
            f' data-standard="{escape(f.standard)}" data-rule="{escape(f.rule)}"'
            f' data-line="{f.line}">{escape(text[f.start : f.end])}</mark>'
        )
        position = f.end
    parts.append(escape(text[position:]))
    return "".join(parts)


def _document_section(result: DocumentResult, number: int) -> str:
    rows = "".join(
        f'<tr><td class="num"><a href="#f{number}-{k + 1}">{f.line}:{f.column}</a></td>'
        f"<td>{escape(f.phrase)}</td><td>{escape(f.standard)}</td><td>{escape(f.rule)}</td>"
        f"<td>{escape(f.method)}</td></tr>"
        for k, f in enumerate(result.findings)
    )
    findings_table = (
        '<table class="findings"><thead><tr><th class="num">line:col</th><th>as written</th>'
        f"<th>standard</th><th>rule</th><th>match</th></tr></thead><tbody>{rows}</tbody></table>"
        if result.findings
        else '<p class="muted">No finding.</p>'
    )
    return (
        f'<section class="doc" id="doc{number}"><h2>{escape(result.path)}</h2>'
        f'<p class="stats">{_level(result.level)} · {result.words:,} words · {result.count} findings · '
        f"{result.per_1000_words:.1f} per 1,000 words · {result.distinct_phrases} distinct phrases</p>"
        f"{findings_table}"
        f'<pre class="text">{_highlighted(result, number)}</pre></section>'
    )


def render_report(results: Sequence[DocumentResult], levels: Levels, version: str = "") -> str:
    """The whole page as a string.

    The text of every document with findings is shown (with one document, its
    text is shown even without findings).
    """
    counts = totals(results)
    show_all = len(results) == 1
    shown = {i for i, r in enumerate(results) if r.error is None and (r.findings or show_all)}
    rows = []
    for i, r in enumerate(results):
        name = escape(r.path)
        if i in shown:
            name = f'<a href="#doc{i + 1}">{name}</a>'
        if r.error is not None:
            error = escape(r.error)
            rows.append(f'<tr><td>{name}</td><td colspan="5">{error}</td><td>{_level("error")}</td></tr>')
            continue
        rows.append(
            f"<tr><td>{name}</td><td class='num'>{r.words:,}</td><td class='num'>{r.count}</td>"
            f"<td class='num'>{r.per_1000_words:.1f}</td><td class='num'>{r.distinct_phrases}</td>"
            f"<td>{escape('; '.join(f'{p} → {s}' for p, s, _ in r.top_phrases(3)))}</td>"
            f"<td>{_level(r.level)}</td></tr>"
        )
    sections = "".join(_document_section(results[i], i + 1) for i in sorted(shown))
    tiles = "".join(
        f"<div><b>{counts[key]:,}</b>{label}</div>"
        for key, label in (
            ("documents", "documents"),
            ("flagged", "flagged"),
            ("high", "high"),
            ("low", "low"),
            ("findings", "findings"),
            ("errors", "unreadable"),
        )
    )
    csp = f"default-src 'none'; style-src '{_hash(_STYLE)}'; script-src '{_hash(_SCRIPT)}'; img-src 'none'"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>degarble screening report</title>"
        f"<style>{_STYLE}</style></head><body>"
        '<div id="detail" role="status" aria-live="polite"></div>'
        "<header><h1>Tortured-phrase screening</h1>"
        f"<p>degarble {escape(version)} · level high at ≥ {levels.high_phrases} distinct phrases or ≥ "
        f"{levels.high_density:g} findings per 1,000 words (from ≥ 2 phrases); flagged from "
        f"{levels.min_score} distinct phrase(s) · hover or select a highlight for its standard phrase; "
        "keys n / p: next / previous</p></header>"
        f'<main><div class="totals">{tiles}</div>'
        '<table class="summary"><thead><tr><th>document</th><th class="num">words</th>'
        '<th class="num">findings</th><th class="num">per 1,000 words</th><th class="num">distinct</th>'
        "<th>top phrases</th><th>level</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"{sections}</main>"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
