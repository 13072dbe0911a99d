"""Document readers: text content only, source positions kept, unreadable files reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from degarble.screen.readers import ReadError, kind_of, read_source
from pdfgen import make_pdf


def _position(path: Path, phrase: str) -> tuple[int, int]:
    source = read_source(str(path))
    return source.positions([source.text.index(phrase)])[0]


def test_plain_text_and_markdown_are_screened_as_written(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    md.write_text("# Title\n\nSome *profound learning* here.\n", encoding="utf-8")
    source = read_source(str(md))
    assert source.kind == "markdown"
    assert source.shown == md.read_text(encoding="utf-8")
    assert source.text == "# Title\n\nSome  profound learning  here.\n"  # same offsets, marks masked
    assert _position(md, "profound") == (3, 7)


def test_html_text_content_without_scripts_and_with_block_breaks(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(
        "<!DOCTYPE html>\n<html><head><title>T</title><style>p{}</style></head>\n<body>\n"
        "<script>var profound = 'learning';</script>\n"
        "<p>We use <b>profound</b> learning &amp; more.</p><p>counterfeit</p><p>consciousness</p>\n"
        "</body></html>\n",
        encoding="utf-8",
    )
    source = read_source(str(page))
    assert source.kind == "html"
    assert "var" not in source.text and "p{}" not in source.text
    assert "We use profound learning & more." in source.text
    assert "counterfeit\n\nconsciousness" in source.text  # paragraphs never join into one phrase
    assert _position(page, "learning &") == (5, 27)  # line and column in the HTML file


def test_jats_xml_text_with_entities_namespaces_and_positions(tmp_path: Path) -> None:
    jats = tmp_path / "paper.nxml"
    jats.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 20190208//EN" '
        '"JATS-journalpublishing1.dtd">\n'
        '<article xmlns:mml="http://www.w3.org/1998/Math/MathML" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        "<front><article-meta><title-group><article-title>On counterfeit consciousness</article-title>"
        "</title-group></article-meta></front>\n"
        "<body><sec><title>Intro</title>\n"
        "<p>We use <italic>profound</italic>&#160;learning &amp; &nbsp;more "
        "<inline-formula><mml:math><mml:mi>x</mml:mi></mml:math></inline-formula>.</p>\n"
        "</sec></body><back><ref-list><ref><mixed-citation>Profound learning for all</mixed-citation></ref>"
        "</ref-list></back></article>\n",
        encoding="utf-8",
    )
    source = read_source(str(jats))
    assert source.kind == "xml"
    assert "On counterfeit consciousness" in source.text
    assert "We use profound\u00a0learning & \u00a0more ." in source.text
    assert "mml" not in source.text
    assert "Profound learning for all" not in source.text  # cited titles are other authors' words
    assert _position(jats, "counterfeit") == (4, 53)
    assert _position(jats, "profound") == (6, 19)


def test_malformed_xml_is_a_read_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<article><p>unclosed</article>", encoding="utf-8")
    with pytest.raises(ReadError, match="not well-formed XML"):
        read_source(str(bad))


def test_pdf_text_by_page(tmp_path: Path) -> None:
    pytest.importorskip("pypdf", reason="PDF support needs the 'screen' extra (pypdf)")
    pdf = tmp_path / "paper.pdf"
    pages = [
        ["We use profound learning here."],
        ["Page two: counter-", "feit consciousness, state-", "of the art."],
    ]
    pdf.write_bytes(make_pdf(pages))
    source = read_source(str(pdf))
    assert source.kind == "pdf"
    assert "profound learning" in source.text and "counterfeit consciousness" in source.text
    assert source.page_of(source.text.index("profound")) == 1
    assert source.page_of(source.text.index("counterfeit")) == 2  # rejoined across the line end
    assert "state-\nof the art" in source.text


def test_pdf_is_recognised_by_content_and_broken_pdf_is_a_read_error(tmp_path: Path) -> None:
    pytest.importorskip("pypdf", reason="PDF support needs the 'screen' extra (pypdf)")
    disguised = tmp_path / "paper.txt"
    disguised.write_bytes(make_pdf([["hello world"]]))
    assert read_source(str(disguised)).kind == "pdf"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(ReadError, match=r"broken\.pdf: cannot read PDF"):
        read_source(str(broken))


def test_unreadable_inputs(tmp_path: Path) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"abc\x00def")
    with pytest.raises(ReadError, match="binary"):
        read_source(str(binary))
    latin = tmp_path / "l.txt"
    latin.write_bytes("café".encode("latin-1"))
    with pytest.raises(ReadError, match="cannot decode"):
        read_source(str(latin))
    assert read_source(str(latin), "latin-1").text == "café"
    with pytest.raises(ReadError, match="no such file"):
        read_source(str(tmp_path / "missing.txt"))


def test_kind_detection() -> None:
    assert kind_of("a.PDF") == "pdf"
    assert kind_of("a.htm") == "html"
    assert kind_of("noext", b"<?xml version='1.0'?><article/>") == "xml"
    assert kind_of("noext", b"<!DOCTYPE html><html>") == "html"
    assert kind_of("noext", b"plain words") == "text"


def test_markdown_marks_do_not_split_a_phrase(tmp_path: Path) -> None:
    from degarble.dictionary import parse_dictionary
    from degarble.restorer import Restorer
    from degarble.screen.findings import Screener

    md = tmp_path / "a.md"
    md.write_text("# Title\n\nSome **profound** learning and `code`.\n", encoding="utf-8")
    source = read_source(str(md))
    assert len(source.text) == len(source.shown) and source.shown.startswith("# Title")
    restorer = Restorer([], entries=list(parse_dictionary(["profound learning\tdeep learning"], "t.tsv")))
    result = Screener(restorer, keep_text=True).screen(source)
    assert [(f.line, f.column, f.phrase) for f in result.findings] == [(3, 8, "profound** learning")]
    assert result.text == md.read_text(encoding="utf-8")
