"""`degarble screen`: files and folders, formats, levels, exit codes, error rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from degarble.cli import cli, main
from degarble.screen.findings import Levels

DICTIONARY = (
    "profound learning\tdeep learning\n"
    "counterfeit consciousness\tartificial intelligence\n"
    "irregular backwoods\trandom forest\n"
    "colossal information\tbig data\n"
    "malignant growth\tcancer\tctx\n"
)


@pytest.fixture(autouse=True)
def _own_index_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the index cache of these runs out of the user's cache folder."""
    monkeypatch.setenv("DEGARBLE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "spun.txt").write_text(
        "Intro line.\nWe use profound learning and counterfeit consciousness.\n"
        "An irregular backwoods model on colossal information.\n",
        encoding="utf-8",
    )
    (root / "clean.md").write_text("# Clean\n\nDeep learning and big data.\n", encoding="utf-8")
    (root / "sub" / "one.html").write_text("<p>A profound learning model.</p>", encoding="utf-8")
    (root / "sub" / "stray.txt").write_text("The malignant growth of the tumour.\n", encoding="utf-8")
    (root / "sub" / "broken.xml").write_text("<article><p>oops</article>", encoding="utf-8")
    (root / "sub" / "notes.docx").write_bytes(b"PK\x03\x04 not screened by default")
    (root / ".hidden" / "skip.txt").write_text("profound learning\n", encoding="utf-8")
    (tmp_path / "dict.tsv").write_text(DICTIONARY, encoding="utf-8")
    return root


def _run(corpus: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["screen", "--no-builtin", "-d", str(corpus.parent / "dict.tsv"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_format_lines_are_path_line_col(corpus: Path) -> None:
    code, out, err = _run(corpus, str(corpus / "spun.txt"))
    assert code == 1
    lines = out.splitlines()
    spun = corpus / "spun.txt"
    assert lines == [
        f"{spun}:2:8: dict.tsv:1: 'profound learning' -> 'deep learning'",
        f"{spun}:2:30: dict.tsv:2: 'counterfeit consciousness' -> 'artificial intelligence'",
        f"{spun}:3:4: dict.tsv:3: 'irregular backwoods' -> 'random forest'",
        f"{spun}:3:33: dict.tsv:4: 'colossal information' -> 'big data'",
    ]
    assert "1 flagged (1 high, 0 low)" in err


def test_folder_recursion_glob_hidden_and_error_rows(corpus: Path) -> None:
    code, out, _ = _run(corpus, str(corpus), "--format", "csv", "-q")
    assert code == 2  # broken.xml could not be read: errors win over flags
    rows = list(csv.DictReader(io.StringIO(out)))
    names = [Path(r["path"]).name for r in rows]
    assert names == ["clean.md", "spun.txt", "broken.xml", "one.html", "stray.txt"]
    by_name = {Path(r["path"]).name: r for r in rows}
    assert by_name["spun.txt"]["level"] == "high"
    assert by_name["spun.txt"]["findings"] == "4"
    assert by_name["spun.txt"]["distinct_phrases"] == "4"
    assert by_name["one.html"]["level"] == "low"
    assert by_name["clean.md"]["level"] == "none"
    assert by_name["stray.txt"]["findings"] == "0"  # a ctx phrase alone does not count
    assert by_name["broken.xml"]["level"] == "error"
    assert "not well-formed XML" in by_name["broken.xml"]["error"]
    code, out, _ = _run(corpus, str(corpus), "--format", "csv", "-q", "--glob", "*.html")
    assert [Path(r["path"]).name for r in csv.DictReader(io.StringIO(out))] == ["one.html"]
    assert code == 1


def test_exit_zero_when_nothing_is_flagged(corpus: Path) -> None:
    code, out, _ = _run(corpus, str(corpus / "clean.md"))
    assert (code, out) == (0, "")


def test_json_and_jsonl(corpus: Path) -> None:
    code, out, _ = _run(corpus, str(corpus / "spun.txt"), str(corpus / "clean.md"), "--format", "json", "-q")
    payload = json.loads(out)
    assert code == 1
    assert payload["summary"]["documents"] == 2 and payload["summary"]["flagged"] == 1
    doc = payload["documents"][0]
    assert doc["words"] == 16 and doc["findings"] == 4
    assert doc["per_1000_words"] == 250.0
    first = doc["details"][0]
    assert {k: first[k] for k in ("line", "column", "phrase", "standard", "rule", "source", "method")} == {
        "line": 2,
        "column": 8,
        "phrase": "profound learning",
        "standard": "deep learning",
        "rule": "dict.tsv:1",
        "source": "dict.tsv",
        "method": "exact",
    }
    assert first["context"] == "Intro line. We use [profound learning] and counterfeit consciousness. An…"
    code, out, _ = _run(corpus, str(corpus / "spun.txt"), str(corpus / "clean.md"), "--format", "jsonl", "-q")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["level"] for line in lines] == ["high", "none"]


def test_levels_and_min_score(corpus: Path) -> None:
    one = corpus / "sub" / "one.html"
    spun = corpus / "spun.txt"

    def levels(*args: str) -> list[str]:
        _, out, _ = _run(corpus, str(one), str(spun), "--format", "jsonl", "-q", *args)
        return [json.loads(line)["level"] for line in out.splitlines()]

    assert levels() == ["low", "high"]
    assert levels("--high-phrases", "5", "--high-density", "1000") == ["low", "low"]
    assert levels("--min-score", "2") == ["none", "high"]
    assert levels("--high-phrases", "1") == ["high", "high"]
    assert Levels().level(1, 500.0) == "low"  # one phrase, however dense, stays low
    assert Levels().level(2, 4.9) == "low"
    assert Levels().level(2, 5.0) == "high"


def test_output_file_and_missing_path(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, out, _ = _run(corpus, str(corpus / "spun.txt"), "--format", "csv", "-o", str(target), "-q")
    assert code == 1 and out == ""
    assert "spun.txt" in target.read_text(encoding="utf-8")
    code, out, _ = _run(corpus, str(tmp_path / "nope.txt"), "-q")
    assert code == 2
    assert out == f"{tmp_path / 'nope.txt'}: error: no such file\n"


def test_bad_dictionary_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text('tortured_phrase,expected_phrase\n"""a"" AND",x\n', encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("text\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["screen", "-d", str(bad), str(doc)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("degarble: error: bad.csv:2: ") and err.count("\n") == 1


def test_report_option_writes_a_page(corpus: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, _, _ = _run(corpus, str(corpus / "spun.txt"), "--report", str(page), "-q")
    assert code == 1
    html = page.read_text(encoding="utf-8")
    assert html.count('<mark class="tp"') == 4
    assert 'data-standard="random forest"' in html


def test_parallel_jobs_give_the_same_results_in_order(corpus: Path) -> None:
    for i in range(12):
        (corpus / "sub" / f"extra{i:02d}.txt").write_text(
            "profound learning " * (i % 3) + f"document {i}\n", encoding="utf-8"
        )
    serial = _run(corpus, str(corpus), "--format", "jsonl", "-q")
    parallel = _run(corpus, str(corpus), "--format", "jsonl", "-q", "-j", "2")
    assert parallel == serial
    assert serial[1].count("\n") == 17


def test_pdf_through_the_command(corpus: Path) -> None:
    pytest.importorskip("pypdf", reason="PDF support needs the 'screen' extra (pypdf)")
    from pdfgen import make_pdf

    pdf = corpus / "paper.pdf"
    pdf.write_bytes(make_pdf([["Title"], ["We trained an irregular backwoods on colossal information."]]))
    code, out, _ = _run(corpus, str(pdf), "--format", "json", "-q")
    doc = json.loads(out)["documents"][0]
    assert code == 1 and doc["kind"] == "pdf"
    assert [(d["phrase"], d["standard"], d["page"]) for d in doc["details"]] == [
        ("irregular backwoods", "random forest", 2),
        ("colossal information", "big data", 2),
    ]


def _stderr_through_a_terminal(args: list[str]) -> str:
    """Run the command with standard error on a pseudo-terminal (80 columns); return what it shows."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "degarble.cli", "screen", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(leader)
    return shown.decode("utf-8", "replace")


@pytest.mark.slow
def test_progress_bar_only_on_a_terminal_and_not_with_quiet(corpus: Path) -> None:
    args = ["--no-builtin", "-d", str(corpus.parent / "dict.tsv"), str(corpus), "--glob", "*.txt"]
    shown = _stderr_through_a_terminal(args)
    assert "0/2 [" in shown and "doc/s" in shown  # tqdm's bar: n/total documents
    assert "screened 2 document(s)" in shown
    assert _stderr_through_a_terminal([*args, "-q"]) == ""
    _, _, err = _run(corpus, str(corpus), "--glob", "*.txt")  # not a terminal: no bar
    assert err == "screened 2 document(s): 1 flagged (1 high, 0 low), 4 finding(s), 0 unreadable\n"
