"""What a plain ``degarble FILE`` loads: the cold-start work that is not needed stays out.

Timing is measured by ``bench/speed.py`` (never by a test); this checks the import
structure that the cold-start figure depends on.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from degarble.cli import cli
from degarble.versions import installed_version

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_f9f8cd65f9abefae.txt"

_PROBE = """
import io, sys
from degarble.launch import main
sys.argv = ["degarble", sys.argv[1]]
sys.stdout = io.TextIOWrapper(io.BytesIO())
try:
    main()
except SystemExit:
    pass
heavy = (
    "degarble.screen", "importlib.metadata", "email", "lemminflect", "wordfreq", "multiprocessing", "regex", "click"
)
print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)
"""


def test_restoring_a_file_loads_no_screening_metadata_or_build_modules(tmp_path: Path) -> None:
    env = {**os.environ, "DEGARBLE_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "degarble.cli", str(SEED)], capture_output=True, env=env, check=True)
    loaded = subprocess.run(
        [sys.executable, "-c", _PROBE, str(SEED)], capture_output=True, text=True, env=env, check=True
    ).stderr.strip().splitlines()[-1]
    # the index came from the cache: no lemminflect, no screening package, no regex; and a
    # plain `degarble FILE` does not need click (degarble.launch)
    assert loaded == "[]"


def test_the_screen_subcommand_loads_when_named() -> None:
    listed = CliRunner().invoke(cli, ["--help"])
    assert listed.exit_code == 0 and "screen" in listed.output
    shown = CliRunner().invoke(cli, ["screen", "--help"])
    assert shown.exit_code == 0 and "Usage: " in shown.output and "screen" in shown.output


def test_installed_versions_from_dist_info_names() -> None:
    assert installed_version("regex").startswith("regex-") and installed_version("regex").endswith(".dist-info")
    assert installed_version("no_such_package_here") == "none"


@given(
    words=st.sets(st.text(alphabet="abcz", min_size=1, max_size=5), max_size=40),
    probes=st.lists(st.text(alphabet="abczé", max_size=6), max_size=20),
)
def test_common_word_list_lookup_is_set_membership(words: set[str], probes: list[str]) -> None:
    # common_words._WordList searches the sorted list's bytes instead of splitting it
    from degarble.common_words import _WordList

    listed = _WordList("\n".join(sorted(words)).encode("ascii"))
    for word in [*probes, *words]:
        assert (word in listed) == (word in words)
    # after many look-ups the list answers from a set: the same answers
    hashed = _WordList("\n".join(sorted(words)).encode("ascii"))
    hashed.SET_AFTER = 0
    for word in [*probes, *words]:
        assert (word in hashed) == (word in words)
    assert hashed._set is not None or not [w for w in [*probes, *words] if w.isascii()]


def test_the_launcher_knows_every_subcommand() -> None:
    # degarble.launch sends `degarble NAME ...` to click when NAME is a subcommand
    import click

    from degarble.launch import COMMANDS

    with click.Context(cli) as ctx:
        assert set(cli.list_commands(ctx)) == COMMANDS


def test_plain_files_only_for_existing_regular_files_and_no_options(tmp_path: Path) -> None:
    from degarble.launch import plain_files

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("x", encoding="utf-8")
    b.write_text("y", encoding="utf-8")
    assert plain_files([str(a), str(b)]) == [str(a), str(b)]
    for args in ([], [str(a), "-"], ["-j", "2", str(a)], [str(a), "--diff"], [str(tmp_path)], [str(a), ""],
                 [str(tmp_path / "missing.txt")], ["restore", str(a)], ["dict", "check"], ["screen", str(a)],
                 ["--help"], [str(a), "x\0y"]):  # fmt: skip
        assert plain_files(args) is None, args


def test_plain_run_without_click_gives_the_click_commands_output(tmp_path: Path) -> None:
    # `degarble FILE...` (degarble.launch, no click) and `degarble restore FILE...` (click)
    # must write the same bytes, messages and exit code: text, CRLF, an undecodable file
    # among good ones, UTF-16 with a byte-order mark, a NUL-holding file, files streamed
    # (threshold lowered).
    spun = "Facial acknowledgment is used by law requirement.\r\n\r\nA profound learning model.\n"
    files = {
        "seed.txt": SEED.read_bytes(),
        "crlf.txt": spun.encode(),
        "utf16.txt": spun.encode("utf-16"),
        "bad.txt": b"good start \xff\xfe bad bytes\n",
        "clean.txt": b"Nothing to change here.\n",
        "nul.txt": b"text\x00more\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    in_memory = {**os.environ, "DEGARBLE_CACHE_DIR": str(tmp_path / "cache")}
    seen = {}
    for names, env in itertools.product(
        (
            ["seed.txt", "crlf.txt"],
            ["clean.txt", "bad.txt", "crlf.txt"],
            ["utf16.txt", "seed.txt"],
            ["nul.txt", "crlf.txt"],
        ),
        (in_memory, {**in_memory, "DEGARBLE_STREAM_THRESHOLD": "200"}),  # and streamed
    ):
        runs = [
            subprocess.run(
                [sys.executable, "-m", "degarble", *prefix, *names], capture_output=True, env=env, cwd=tmp_path
            )
            for prefix in ([], ["restore"])
        ]
        plain, click_run = runs
        assert (plain.returncode, plain.stdout, plain.stderr) == (
            click_run.returncode,
            click_run.stdout,
            click_run.stderr,
        ), names
        seen[names[0]] = plain
    # the runs did what they should, not just the same thing
    assert seen["seed.txt"].returncode == 0 and b"law enforcement" in seen["seed.txt"].stdout
    assert seen["clean.txt"].returncode == 2 and b"bad.txt" in seen["clean.txt"].stderr
    utf16 = seen["utf16.txt"]  # read as UTF-16 by its byte-order mark, written back so
    assert utf16.returncode == 0 and "law enforcement".encode("utf-16-le") in utf16.stdout
    assert seen["nul.txt"].returncode == 2 and b"nul.txt: looks like a binary file" in seen["nul.txt"].stderr
