"""Dictionary files are untrusted data: every bad line is a ``file:line`` error or warning."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

from degarble.dictionary import (
    MAX_KEY_WORDS,
    DictionaryError,
    DictionaryWarning,
    Entry,
    builtin_dictionary_paths,
    check_entries,
    load_dictionaries,
    load_dictionary,
    parse_dictionary,
)
from degarble.restorer import Restorer

SRC = Path(__file__).resolve().parents[1] / "src" / "degarble"


def load_text(tmp_path: Path, text: str, name: str = "user.tsv") -> list[Entry]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_dictionary(path)


def error_of(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "user.tsv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(DictionaryError) as info:
        load_dictionary(path)
    return str(info.value)


def test_entries_flags_rule_and_words(tmp_path: Path) -> None:
    entries = load_text(
        tmp_path, "\ufeff# comment\n\n facial acknowledgment \tfacial recognition\t ctx , noinfl\n"
    )
    (entry,) = entries
    assert entry.spun == "facial acknowledgment" and entry.standard == "facial recognition"
    assert entry.flags == frozenset({"ctx", "noinfl"})
    assert entry.rule == "user.tsv:3"
    assert entry.words == ("facial", "acknowledgment")
    assert entry.needs_context and not entry.case_sensitive


def test_fields_are_nfc_normalised(tmp_path: Path) -> None:
    (entry,) = load_text(tmp_path, "cafe\u0301 nuit\tcafé night\n")
    assert entry.spun == "café nuit"


def test_crlf_and_lone_cr_line_ends(tmp_path: Path) -> None:
    entries = load_text(
        tmp_path, "law requirement\tlaw enforcement\r\nprofound learning\tdeep learning\rutilize\tuse"
    )
    assert [e.line for e in entries] == [1, 2, 3]


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ("\tlaw enforcement\n", 1, "empty spun side"),
        ("law requirement\t \n", 1, "empty standard side"),
        ("# c\nlaw requirement\n", 2, "expected 'spun<TAB>standard"),
        ("a\tb\tctx\textra\n", 1, "found 4 field(s)"),
        ("law requirement\tlaw enforcement\tbogus\n", 1, "unknown flag(s) bogus"),
        ("...\tsomething\n", 1, "has no words"),
        ("law, requirement\tlaw enforcement\n", 1, "does not tokenize as written"),
        ("law  requirement\tlaw enforcement\n", 1, "does not tokenize as written"),
        ("law\u200brequirement\tlaw enforcement\n", 1, "does not tokenize as written"),
        ("law requirement\tLaw Requirement\n", 1, "to itself"),
        ("law-requirement\tlaw requirement\n", 1, "to itself"),
        ("ok\tfine\nlaw requirement\x07\tlaw enforcement\n", 2, "U+0007"),
        ("law requirement\tlaw\x1benforcement\n", 1, "U+001B"),
        ("law requirement\tlaw enforcement\u202e\n", 1, "U+202E"),
        ("law requirement\tlaw\u2028enforcement\n", 1, "U+2028"),
        ("law requirement\tlaw\x85enforcement\n", 1, "U+0085"),
        (" ".join(["w"] * (MAX_KEY_WORDS + 1)) + "\tx\n", 1, f"at most {MAX_KEY_WORDS}"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, text: str, line: int, why: str) -> None:
    message = error_of(tmp_path, text)
    assert message.startswith(f"user.tsv:{line}: "), message
    assert why in message


def test_ten_thousand_token_key_is_refused_quickly(tmp_path: Path) -> None:
    message = error_of(tmp_path, "ok\tfine\n" + " ".join(["word"] * 10_000) + "\tx\n")
    assert message.startswith("user.tsv:2: line longer than")


def test_binary_and_undecodable_files(tmp_path: Path) -> None:
    assert error_of(tmp_path, b"a\tb\n\x00\x01").startswith("user.tsv:1: binary data")
    message = error_of(tmp_path, b"law requirement\tlaw enforcement\nbad \xff\tx\n")
    assert message.startswith("user.tsv:2: not UTF-8 (byte offset 36)")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="cannot read dictionary"):
        load_dictionary(tmp_path / "missing.tsv")
    with pytest.raises(DictionaryError, match="is a directory"):
        load_dictionary(tmp_path)


def test_duplicate_keys_in_different_cases_warn_and_the_later_wins(tmp_path: Path) -> None:
    text = "law requirement\tlaw enforcement\nLaw Requirement\tpolicing\n"
    with pytest.warns(DictionaryWarning, match=r"user.tsv:2: same spun side as line 1"):
        entries = load_text(tmp_path, text)
    assert len(entries) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DictionaryWarning)
        restorer = Restorer([tmp_path / "user.tsv"])
    assert restorer.restore("a law requirement") == "a policing"


def test_case_sensitive_and_plain_entries_with_one_key_do_not_warn(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DictionaryWarning)
        entries = load_text(
            tmp_path, "Joined Countries\tUnited Nations\tcase\njoined countries\tallied states\n"
        )
    assert len(entries) == 2


def test_parse_dictionary_accepts_any_iterable_of_lines() -> None:
    entries = list(parse_dictionary(iter(["utilize\tuse", "# x", ""]), "mem"))
    assert [e.rule for e in entries] == ["mem:1"]


def test_load_dictionaries_keeps_order(tmp_path: Path) -> None:
    a = tmp_path / "a.tsv"
    b = tmp_path / "b.tsv"
    a.write_text("utilize\tuse\n")
    b.write_text("law requirement\tlaw enforcement\n")
    assert [e.rule for e in load_dictionaries([a, b])] == ["a.tsv:1", "b.tsv:1"]


def test_check_entries_duplicates_conflicts_and_chains() -> None:
    entries = [
        Entry("law requirement", "law enforcement", source="a.tsv", line=1),
        Entry("Law Requirement", "law enforcement", source="b.tsv", line=1),
        Entry("law requirement", "policing", source="b.tsv", line=2),
        Entry("law enforcement", "policing", source="b.tsv", line=3),
    ]
    problems = check_entries(entries)
    assert "b.tsv:1: duplicate of a.tsv:1 ('Law Requirement')" in problems
    assert any(p.startswith("b.tsv:2: conflicts with a.tsv:1") for p in problems)
    assert any(
        p.startswith("a.tsv:1: standard side 'law enforcement' is itself a spun key (b.tsv:3)")
        for p in problems
    )
    assert check_entries(entries[:1]) == []


def test_loading_never_executes_the_file(tmp_path: Path) -> None:
    """Text that would run if evaluated is only ever data."""
    marker = tmp_path / "pwned"
    payloads = [
        f"__import__('os').system('touch {marker}')",
        f"!!python/object/apply:os.system ['touch {marker}']",
        "{{7*7}} ${{7*7}} $(touch " + str(marker) + ")",
    ]
    lines = [f"evil phrase {w}\t{p}" for w, p in zip(["one", "two", "three"], payloads, strict=True)]
    path = tmp_path / "evil.tsv"
    path.write_text("\n".join(lines) + "\n")
    restorer = Restorer([path])
    out = restorer.restore("An evil phrase one, evil phrase two and evil phrase three.")
    assert not marker.exists()
    for payload in payloads:
        assert payload in out


def test_no_module_can_evaluate_or_unpickle() -> None:
    """Loading data must never go through eval/exec/pickle/marshal/yaml: scan the package source."""
    banned_calls = {"eval", "exec", "compile", "__import__"}
    banned_modules = {"pickle", "marshal", "shelve", "dill", "yaml"}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in banned_calls, f"{path}:{node.lineno}: {node.func.id}()"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in banned_modules, f"{path}:{node.lineno}"
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in banned_modules, f"{path}:{node.lineno}"


def test_builtin_dictionaries_load_without_warnings() -> None:
    paths = builtin_dictionary_paths()
    assert all(p.suffix == ".tsv" for p in paths)
    assert paths == sorted(paths, key=lambda p: p.name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DictionaryWarning)
        for path in paths:
            assert load_dictionary(path)
