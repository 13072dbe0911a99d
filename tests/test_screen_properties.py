"""Properties of the screening pieces on generated input."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from degarble.dictionary import parse_dictionary
from degarble.restorer import Restorer
from degarble.screen.findings import Screener
from degarble.screen.pps import PPSError, parse_query
from degarble.screen.readers import SourceText, extract_markup
from degarble.screen.report import render_report
from degarble.tokens import tokenize

WORDS = st.sampled_from(["profound", "learning", "data", "the", "café", "<b>", "a&b", "x", "\n", "  "])


@given(st.text(alphabet=st.sampled_from(list('"()*~ ANDORTabc12')), max_size=40))
@settings(max_examples=300, deadline=None)
def test_query_parser_only_raises_its_own_error(query: str) -> None:
    try:
        parse_query(query, "q.csv:2")
    except PPSError as exc:
        assert str(exc).startswith("q.csv:2: ")


@given(st.lists(st.text(alphabet="abcdé \n", min_size=1, max_size=12), min_size=1, max_size=8))
@settings(max_examples=100, deadline=None)
def test_html_positions_point_into_the_source(paragraphs: list[str]) -> None:
    body = "\n".join(f"<p class='x'>{html.escape(p)}</p>" for p in paragraphs)
    source_text = f"<!DOCTYPE html>\n<html><body>\n{body}\n</body></html>\n"
    source = extract_markup(source_text.encode("utf-8"), "html", "t.html")
    tokens = tokenize(source.text)
    lines = source_text.split("\n")
    for token, (line, column) in zip(tokens, source.positions([t.start for t in tokens]), strict=True):
        word = source.text[token.start : token.end]
        assert lines[line - 1][column - 1 :].startswith(word)


@given(st.lists(WORDS, max_size=30))
@settings(max_examples=100, deadline=None)
def test_report_shows_the_text_exactly_with_every_finding_marked(words: list[str]) -> None:
    text = " ".join(words)
    restorer = Restorer([], entries=list(parse_dictionary(["profound learning\tdeep learning"], "t.tsv")))
    result = Screener(restorer, keep_text=True).screen(SourceText("d.txt", "text", text))
    page = render_report([result], Screener(restorer).levels)
    pre = re.search(r'<pre class="text">(.*?)</pre>', page, re.DOTALL)
    assert pre is not None
    marks = re.findall(r"<mark [^>]*>(.*?)</mark>", pre.group(1), re.DOTALL)
    assert len(marks) == result.count
    shown = html.unescape(re.sub(r"</?mark[^>]*>", "", pre.group(1)))
    assert shown == text
