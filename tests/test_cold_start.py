"""What a plain ``degarble FILE`` loads: the cold-start work that is not needed stays out.

Timing is measured by ``bench/speed.py`` (never by a test); this checks the import
structure that the cold-start figure depends on.
"""

from __future__ import annotations

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
from degarble.cli import main
sys.argv = ["degarble", sys.argv[1]]
sys.stdout = io.TextIOWrapper(io.BytesIO())
try:
    main()
except SystemExit:
    pass
heavy = ("degarble.screen", "importlib.metadata", "email", "lemminflect", "wordfreq", "multiprocessing", "regex")
print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)
"""


def test_restoring_a_file_loads_no_screening_metadata_or_build_modules(tmp_path: Path) -> None:
    env = {**os.environ, "DEGARBLE_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "degarble.cli", str(SEED)], capture_output=True, env=env, check=True)
    loaded = subprocess.run(
        [sys.executable, "-c", _PROBE, str(SEED)], capture_output=True, text=True, env=env, check=True
    ).stderr.strip().splitlines()[-1]
    assert loaded == "[]"  # the index came from the cache: no lemminflect, no screening package, no regex


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
