"""``-j N`` gives the serial output, in input order, errors included."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from degarble.cli import cli
from degarble.parallel import RestorerConfig, restore_many
from scale_helpers import TEXTS, write_dictionary


def _files(folder: Path) -> list[str]:
    names = []
    for number, text in enumerate(TEXTS * 2):
        path = folder / f"doc{number:02d}.txt"
        path.write_text(text, encoding="utf-8", newline="")
        names.append(str(path))
    (folder / "broken.txt").write_bytes(b"law requirement \xff")
    names.insert(3, str(folder / "broken.txt"))
    names.insert(7, str(folder / "missing.txt"))
    return names


def test_jobs_output_matches_serial_in_input_order(tmp_path: Path) -> None:
    dictionary = write_dictionary(tmp_path)
    names = _files(tmp_path)
    runner = CliRunner()
    for fmt in ("text", "json"):
        base = ["--no-builtin", "-d", str(dictionary), "--format", fmt, *names]
        serial = runner.invoke(cli, base)
        parallel = runner.invoke(cli, ["-j", "2", *base])
        assert serial.exit_code == parallel.exit_code == 2  # the broken and the missing file
        assert parallel.stdout == serial.stdout
        assert parallel.stderr == serial.stderr
        assert "broken.txt" in serial.stderr and "missing.txt" in serial.stderr


def test_restore_many_keeps_order_with_a_small_window(tmp_path: Path) -> None:
    dictionary = write_dictionary(tmp_path)
    names = _files(tmp_path)
    config = RestorerConfig((str(dictionary),), no_builtin=True)
    serial = list(restore_many(config, names))
    parallel = list(restore_many(config, names, jobs=2, window=2))
    assert [n for n, _ in parallel] == names
    assert [repr(o) for _, o in parallel] == [repr(o) for _, o in serial]
