"""Fuzzing the screening readers (HTML, XML/JATS, Markdown, text, PDF): any bytes give a
SourceText or one clean ReadError, and positions map back into the file.

Skipped where the screening module is absent.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

readers = pytest.importorskip("degarble.screen.readers", reason="no screening module in this checkout")

NAMES = ["doc.html", "doc.xml", "doc.md", "doc.txt", "doc.pdf"]
markup = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div>",
                "<script>",
                "</script>",
                "<br/>",
                "<ref-list>",
                "</ref-list>",
                "&amp;",
                "&nbsp;",
                "&#x10FFFF;",
                "&#0;",
                "&bogus;",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "<?xml version='1.0'?>",
                "<article>",
                "</article>",
                "**",
                "`",
                "_",
                "\r\n",
                "\n\n",
                "profound learning",
                "law requirement",
                "<math>",
                "</math>",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=40,
).map("".join)


def check_source(source: object, name: str) -> None:
    text = source.text  # type: ignore[attr-defined]
    assert isinstance(text, str)
    offsets = sorted({0, len(text) // 2, max(len(text) - 1, 0)})
    for line, column in source.positions(offsets):  # type: ignore[attr-defined]
        assert line >= 1 and column >= 1


@given(name=st.sampled_from(NAMES), data=st.one_of(markup.map(lambda t: t.encode("utf-8", "surrogatepass")),
                                                   st.binary(max_size=400)))  # fmt: skip
@example(name="doc.pdf", data=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF")
@example(name="doc.xml", data=b"<?xml version='1.0'?><article><p>law requirement</p></article>")
def test_fuzz_readers(name: str, data: bytes) -> None:
    try:
        source = readers.read_source(name, data=data)
    except readers.ReadError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(name)
        return
    check_source(source, name)


def test_xml_entity_expansion_is_bounded() -> None:
    """'Billion laughs' must neither hang nor blow up memory."""
    lol = (
        "<!DOCTYPE lolz [<!ENTITY lol0 'lol'>"
        + "".join(f"<!ENTITY lol{i} '{f'&lol{i - 1};' * 10}'>" for i in range(1, 10))
        + "]><article><p>&lol9;</p></article>"
    )
    start = time.perf_counter()
    try:
        source = readers.read_source("bomb.xml", data=lol.encode())
    except readers.ReadError:
        pass
    else:
        assert len(source.text) < 10_000_000
    assert time.perf_counter() - start < 60


def test_xml_external_entities_are_never_fetched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    doc = (
        f"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY xxe SYSTEM 'file://{secret}'>]>"
        "<article><p>before &xxe; after</p></article>"
    )
    try:
        source = readers.read_source("xxe.xml", data=doc.encode())
    except readers.ReadError:
        return
    assert "TOP SECRET" not in source.text
