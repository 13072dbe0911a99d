"""Short fuzzing runs (hypothesis) of the dictionary parser, restore and the file decoder.

The same targets run longer under ``HYPOTHESIS_PROFILE=long`` and under atheris
(``bench/fuzz_atheris.py``); see ``bench/README.md`` for those runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from degarble.restorer import Restorer
from fuzz_targets import check_restoration, decode_target, dictionary_target

ROOT = Path(__file__).resolve().parents[1]

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
word = st.text(st.characters(categories=("L", "M", "N")), min_size=1, max_size=12)
field = st.one_of(
    st.lists(word, min_size=1, max_size=4).map(" ".join),
    st.lists(word, min_size=1, max_size=3).map("-".join),
    st.text(max_size=30),
)
flags = st.lists(st.sampled_from(["ctx", "case", "noinfl", "infl=first", "bogus", ""]), max_size=3).map(
    ",".join
)
tsv_line = st.one_of(
    st.tuples(field, field).map("\t".join),
    st.tuples(field, field, flags).map("\t".join),
    st.sampled_from(["", "# comment", "## section", "\t", "a\tb\tc\td", "\ufeffx\ty"]),
    st.text(max_size=60),
)
tsv_file = st.tuples(st.lists(tsv_line, max_size=12), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda parts: parts[1].join(parts[0]).encode("utf-8", "surrogatepass")
)


@given(data=st.one_of(tsv_file, st.binary(max_size=300)), text=any_text)
@example(data=b"law requirement\tlaw enforcement\nLAW REQUIREMENT\tpolicing\n", text="LAW requirement")
@example(data=b"a\tb\nb\ta\n", text="a b a b")
@example(data=("w " * 5000 + "\tx").encode(), text="w")
@example(data=("-".join("abcdefghijkl") + "\tx").encode(), text="a-b-c-d-e-f-g-h-i-j-k-l abcdefghijkl")
def test_fuzz_dictionary_parser_then_restore(data: bytes, text: str) -> None:
    dictionary_target(data, text)


@given(text=any_text)
def test_fuzz_restore_any_text(small_restorer: Restorer, text: str) -> None:
    check_restoration(small_restorer, text)


@given(
    data=st.binary(max_size=300), encoding=st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1"])
)
def test_fuzz_decode(data: bytes, encoding: str) -> None:
    decode_target(data, encoding)


def test_atheris_short_run(tmp_path: Path) -> None:
    """A few thousand coverage-guided runs when atheris is installed (the ``fuzz`` extra)."""
    pytest.importorskip("atheris", reason="atheris is not installed (pip install -e '.[fuzz]')")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    for target in ("dictionary", "restore", "decode"):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "fuzz_atheris.py"), target, "-atheris_runs=2000"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "Done 2000 in" in proc.stderr, proc.stderr[-2000:]
