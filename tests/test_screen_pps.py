"""Problematic Paper Screener exports: columns, every query operator, errors, restore."""

from __future__ import annotations

from pathlib import Path

import pytest

from degarble.cli import main
from degarble.dictionary import load_dictionary
from degarble.restorer import Restorer
from degarble.screen.findings import Screener
from degarble.screen.pps import And, Not, Or, PPSError, Term, load_export, parse_export, parse_query

SHARED_EXPORT = Path(__file__).resolve().parents[2] / "shared/data/tortured-phrases/pps-export-dev.csv"

HEADER = "tortured_phrase,expected_phrase,num_papers\n"


def _screener(rows: str, header: str = HEADER) -> Screener:
    export = parse_export(header + rows, "export.csv")
    return Screener(Restorer([], entries=export.entries), export.patterns)


def _found(screener: Screener, text: str) -> list[tuple[str, str]]:
    return [(f.phrase, f.standard) for f in screener.find(text)]


def test_plain_phrase_and_both_column_spellings() -> None:
    for header in (HEADER, "Fingerprint - Tortured Phrase,Expected Text,Number of papers\n"):
        screener = _screener('"""profound learning""",deep learning,"1,204"\n', header)
        found = _found(screener, "We apply profound learning to images.")
        assert found == [("profound learning", "deep learning")]
        assert _found(screener, "We apply deep learning to images.") == []


def test_plain_phrase_is_found_in_other_forms() -> None:
    screener = _screener('"""facial acknowledgment""",facial recognition,3\n')
    text = "Facial acknowledgements and facial\nacknowledgment systems"
    assert [f[0] for f in _found(screener, text)] == ["Facial acknowledgements", "facial\nacknowledgment"]


def test_and_requires_the_other_term_in_the_document() -> None:
    screener = _screener('"""malignant growth"" AND ""cancer""",cancer,21\n')
    assert _found(screener, "The malignant growth of the lesion was slow.") == []
    found = _found(screener, "Breast cancer: the malignant growth was slow.")
    assert found == [("malignant growth", "cancer")]


def test_not_excludes_documents_with_the_term() -> None:
    screener = _screener('"""surface highlights"" NOT specular",surface features,4\n')
    assert _found(screener, "We compare surface highlights of the scans.") == [
        ("surface highlights", "surface features")
    ]
    assert _found(screener, "Specular reflection gives surface highlights.") == []


def test_and_not_and_parenthesised_or() -> None:
    screener = _screener(
        '"""PC helped"" AND (""be that as it"" OR ""on the off chance"") AND NOT ""PC helped me""",'
        "computer-aided,3\n"
    )
    assert _found(screener, "PC helped design is used.") == []
    found = _found(screener, "PC helped design is used. Be that as it may, it works.")
    assert [(p, s.lower()) for p, s in found] == [("PC helped", "computer-aided")]
    assert _found(screener, "PC helped design. On the off chance it fails, PC helped me.") == []


def test_or_fingerprints_each_alternative() -> None:
    screener = _screener('"""fit record"" OR ""fit file"" AND ""fit index""",fit index,2\n')
    assert _found(screener, "The fit record is good.") == [("fit record", "fit index")]
    assert _found(screener, "The fit file is good.") == []  # "fit file" needs "fit index" too
    assert len(_found(screener, "The fit file matches the fit index.")) == 1


def test_proximity_finds_words_within_n_positions_in_any_order() -> None:
    screener = _screener('"""genuine positive TP""~5",true positive,9\n')
    found = screener.find("The genuine positive rate (TP) was high.")
    assert [(f.phrase, f.method) for f in found] == [("genuine positive rate (TP", "proximity")]
    assert screener.find("Genuine results were positive in a large number of the TP cases.") == []
    assert len(screener.find("TP, the genuine and positive outcome")) == 1


def test_trailing_wildcard() -> None:
    screener = _screener('"""enhancement calculation"" AND optimiz*",optimization algorithm,5\n')
    assert _found(screener, "An enhancement calculation was run.") == []
    assert _found(screener, "We optimized it with an enhancement calculation.") == [
        ("enhancement calculation", "optimization algorithm")
    ]
    wild = _screener('"""counterfeit intellig*""",artificial intelligence,5\n')
    assert [f.phrase for f in wild.find("counterfeit intelligent systems")] == ["counterfeit intelligent"]


def test_phrase_with_punctuation_is_searched_like_a_search_engine() -> None:
    screener = _screener('"""data technology (IT)""",information technology (IT),4\n')
    assert [f.phrase for f in screener.find("Data technology (IT) is everywhere.")] == ["Data technology (IT"]
    assert screener.find("Data technology is everywhere.") == []


def test_rows_with_the_same_phrase_are_alternatives() -> None:
    rows = '"""bosom"" AND ""breast""",breast,4\n"""bosom"" AND ""mammary""",breast,2\n'
    screener = _screener(rows)
    assert _found(screener, "The bosom tissue.") == []
    assert len(_found(screener, "The bosom and mammary tissue.")) == 1


def test_parse_tree_and_precedence() -> None:
    node = parse_query('"a b" OR "c" AND NOT d')
    assert isinstance(node, Or)
    assert isinstance(node.items[1], And)
    assert isinstance(node.items[1].items[1], Not)
    term = parse_query('"x y"~3')
    assert isinstance(term, Term) and term.slop == 3 and term.words == ("x", "y")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('"""unbalanced quote",x,1\n', "unbalanced quote"),
        ('"""a"" AND",x,1\n', "ends after an operator"),
        ('"(""a"" OR ""b""",x,1\n', "unbalanced parenthesis"),
        ('"NOT ""a""",x,1\n', "no phrase to look for"),
        ('"""a"" AND )",x,1\n', "unexpected"),
        ('"""a*b""",x,1\n', "only at the end"),
        ('"""a""",,1\n', "empty expected"),
    ],
)
def test_parse_errors_name_the_row(row: str, message: str) -> None:
    good = '"""fine phrase""",fine,1\n'
    with pytest.raises(PPSError) as info:
        parse_export(HEADER + good + row, "export.csv")
    assert str(info.value).startswith("export.csv:3: ")
    assert message in str(info.value)


def test_missing_columns_are_reported() -> None:
    with pytest.raises(PPSError, match="not a Problematic Paper Screener export"):
        parse_export("phrase,meaning\nx,y\n", "other.csv")


def test_restore_with_export_applies_conditions_and_clean_phrases_only(tmp_path: Path) -> None:
    export = tmp_path / "pps.csv"
    export.write_text(
        HEADER
        + '"""profound learning""",deep learning,10\n'
        + '"""malignant growth"" AND ""cancer""",cancer,5\n'
        + '"""layer yields"" AND ""neural network""",[neural network] layer outputs,3\n'
        + '"""social impact UTAUT""~10","social influence, see https://example.org/x",2\n',
        encoding="utf-8",
    )
    entries = load_dictionary(export)
    assert sorted(e.spun for e in entries) == ["malignant growth", "profound learning"]
    restorer = Restorer([], extra_dictionaries=[export])
    assert restorer.restore("Profound learning of malignant growth.") == "Deep learning of malignant growth."
    assert restorer.restore("Cancer: a malignant growth.") == "Cancer: a cancer."
    # and through the command line
    source = tmp_path / "in.txt"
    source.write_text("We use profound learning.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["--no-builtin", "-d", str(export), "-o", str(tmp_path / "out.txt"), str(source)])
    assert info.value.code == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "We use deep learning.\n"
    export_screen = load_export(export)
    assert [p.standard for p in export_screen.patterns] == ["social influence"]


@pytest.mark.skipif(not SHARED_EXPORT.exists(), reason="the shared measurement data ../shared/data is absent")
def test_real_export_loads_every_row() -> None:
    export = load_export(SHARED_EXPORT)
    lines = SHARED_EXPORT.read_text(encoding="utf-8").count("\n")
    assert export.rows == lines - 1
    assert len(export.entries) > 0.8 * export.rows
    assert export.patterns


def test_semicolon_export_from_a_spreadsheet() -> None:
    text = '\ufeffFingerprint - Tortured Phrase;Expected Text\n"""irregular backwoods""";random forest\n'
    export = parse_export(text, "x.csv")
    assert [(e.spun, e.standard) for e in export.entries] == [("irregular backwoods", "random forest")]


def test_restore_with_export_keeps_conditions_across_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index cache must not drop an export's conditions on the second run."""
    monkeypatch.setenv("DEGARBLE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DEGARBLE_NO_CACHE", raising=False)
    export = tmp_path / "pps.csv"
    export.write_text(HEADER + '"""malignant growth"" AND ""cancer""",cancer,5\n', encoding="utf-8")
    for _ in range(2):
        restorer = Restorer([], extra_dictionaries=[export])
        assert restorer.restore("The malignant growth was slow.") == "The malignant growth was slow."
        assert restorer.restore("Cancer: a malignant growth.") == "Cancer: a cancer."
