"""The HTML report: escaped, self-contained, and working in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chromium import Browser, find_chromium
from degarble.dictionary import parse_dictionary
from degarble.restorer import Restorer
from degarble.screen.findings import DocumentResult, Levels, Screener
from degarble.screen.readers import SourceText
from degarble.screen.report import render_report

HOSTILE = (
    "Title <script>document.title='pwned'</script>\n"
    "We use profound learning & <b>counterfeit consciousness</b> on \"colossal information\".\n"
    "<img src=x onerror=alert(1)> Profound learnings again.\n"
)


def _screener() -> Screener:
    lines = [
        "profound learning\tdeep learning",
        "counterfeit consciousness\tartificial intelligence",
        "colossal information\tbig data",
    ]
    restorer = Restorer([], entries=list(parse_dictionary(lines, "test.tsv")))
    return Screener(restorer, keep_text=True)


def _results() -> list[DocumentResult]:
    screener = _screener()
    hostile = screener.screen(SourceText("paper <1>.txt", "text", HOSTILE))
    clean = screener.screen(SourceText("clean.txt", "text", "Nothing to see.\n"))
    missing = DocumentResult("gone.pdf", error="gone.pdf: no such file")
    return [hostile, clean, missing]


def test_report_escapes_text_and_needs_no_network() -> None:
    page = render_report(_results(), Levels(), "test")
    assert "<script>document.title" not in page
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert page.count('<mark class="tp"') == 4
    assert "paper &lt;1&gt;.txt" in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # no external asset
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("<script>") == 1  # the page's own script only


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    return path


def test_report_in_headless_chromium(tmp_path: Path, chromium_path: str) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_report(_results(), Levels(), "test"), encoding="utf-8")
    with Browser(chromium_path) as browser:
        browser.open(page.as_uri())
        assert browser.evaluate("document.title") == "degarble screening report"
        assert browser.evaluate("document.querySelectorAll('mark.tp').length") == 4
        assert browser.evaluate("document.body.getAttribute('data-findings')") == "4"  # the script ran
        assert browser.evaluate("document.querySelectorAll('script').length") == 1
        assert browser.evaluate("document.querySelectorAll('img').length") == 0
        text = browser.evaluate("document.querySelector('pre.text').textContent")
        assert "<script>document.title='pwned'</script>" in text
        assert "<img src=x onerror=alert(1)>" in text
        marks = browser.evaluate(
            "Array.from(document.querySelectorAll('mark.tp')).map(m => [m.textContent, m.dataset.standard])"
        )
        assert marks == [
            ["profound learning", "deep learning"],
            ["counterfeit consciousness", "artificial intelligence"],
            ["colossal information", "big data"],
            ["Profound learnings", "Deep learnings"],
        ]
        # Hovering a highlight shows its standard phrase and rule.
        box = browser.evaluate(
            "(() => { const m = document.querySelectorAll('mark.tp')[1]; m.scrollIntoView({block: 'center'});"
            " const r = m.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        hidden = browser.evaluate(
            "getComputedStyle(document.querySelectorAll('mark.tp')[1], '::after').display"
        )
        assert hidden == "none"
        browser.hover(*box)
        shown = browser.evaluate(
            "(() => { const s = getComputedStyle(document.querySelectorAll('mark.tp')[1], '::after');"
            " return [s.display, s.content]; })()"
        )
        assert shown[0] == "block"
        assert "artificial intelligence" in shown[1] and "test.tsv:2" in shown[1]
        # Selecting one (click, or the n key) fills the detail bar.
        browser.evaluate("document.querySelectorAll('mark.tp')[2].click()")
        detail = browser.evaluate("document.getElementById('detail').textContent")
        assert detail.startswith("3/4:") and "big data" in detail and "test.tsv:3" in detail
        browser.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'n'}))")
        assert browser.evaluate("document.getElementById('detail').textContent").startswith("4/4:")
        assert browser.errors() == []


def test_the_browser_check_sees_errors(tmp_path: Path, chromium_path: str) -> None:
    """The no-console-error assertion above can fail: a page with errors is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'\">"
        "</head><body><script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    with Browser(chromium_path) as browser:
        browser.open(page.as_uri())
        errors = browser.errors()
    assert errors and any("Content Security Policy" in e or "boom" in e for e in errors)
