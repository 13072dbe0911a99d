"""Ordinary prose must come out of the built-in dictionaries byte for byte (data-driven, ftfy style)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from degarble.cli import cli
from degarble.dictionary import builtin_dictionary_paths
from degarble.restorer import default_restorer

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "negative").glob("*.txt"))


def test_there_are_fixtures() -> None:
    assert len(FIXTURES) >= 5


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_ordinary_prose_is_left_alone(path: Path) -> None:
    if not builtin_dictionary_paths():
        pytest.skip("no built-in dictionaries in this checkout")
    text = path.read_bytes().decode("utf-8")
    result = default_restorer().restore_and_explain(text)
    wrong = [f"{c.original!r} -> {c.replacement!r} ({c.rule})" for c in result.changes]
    assert wrong == [], f"{path.name}: " + "; ".join(wrong)
    assert result.text == text


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_cli_reproduces_the_bytes(path: Path) -> None:
    result = CliRunner().invoke(cli, [str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == path.read_bytes()
