"""Coverage-guided fuzzing of degarble with atheris (``pip install -e '.[fuzz]'``).

    PYTHONPATH=tests python bench/fuzz_atheris.py dictionary -atheris_runs=200000
    PYTHONPATH=tests python bench/fuzz_atheris.py restore -max_total_time=600
    PYTHONPATH=tests python bench/fuzz_atheris.py decode -atheris_runs=200000

Targets (shared with the hypothesis harness in ``tests/fuzz_targets.py``):

* ``dictionary``: any bytes as a user dictionary file; if they load, any text
  restored with them must satisfy the restore/explain property;
* ``restore``: any text through the small test dictionary;
* ``decode``: any bytes decoded (utf-8, utf-16, cp1252) and re-encoded byte for byte.

Any other exception, or a failed property, stops the run with the crashing input
saved as ``crash-*`` in the current folder.  Further arguments go to libFuzzer.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["degarble"]):
    from conftest import SMALL_DICTIONARY
    from degarble.restorer import Restorer
    from fuzz_targets import check_restoration, decode_target, dictionary_target

_ENCODINGS = ("utf-8", "utf-16", "cp1252")


def main() -> None:
    target = sys.argv.pop(1) if len(sys.argv) > 1 else "restore"
    if target == "restore":
        path = Path(tempfile.mkdtemp(prefix="degarble-fuzz-")) / "small.tsv"
        path.write_text(SMALL_DICTIONARY, encoding="utf-8")
        restorer = Restorer([path])

        def one(data: bytes) -> None:
            text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
            check_restoration(restorer, text)

    elif target == "dictionary":

        def one(data: bytes) -> None:
            fdp = atheris.FuzzedDataProvider(data)
            dictionary = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, len(data)))
            dictionary_target(dictionary, fdp.ConsumeUnicodeNoSurrogates(200))

    elif target == "decode":

        def one(data: bytes) -> None:
            fdp = atheris.FuzzedDataProvider(data)
            encoding = _ENCODINGS[fdp.ConsumeIntInRange(0, len(_ENCODINGS) - 1)]
            decode_target(fdp.ConsumeBytes(len(data)), encoding)

    else:
        raise SystemExit(f"unknown target {target!r}: dictionary, restore or decode")
    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
