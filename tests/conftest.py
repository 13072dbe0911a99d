"""Shared test setup: hypothesis profiles and a small, self-contained dictionary.

Unit tests use :data:`SMALL_DICTIONARY` (written to a temporary TSV file) so they
do not depend on the exact content of the built-in dictionaries.

Hypothesis profiles (``HYPOTHESIS_PROFILE=...``): ``ci`` (the default: few
examples, no deadline, so the whole suite stays fast on 2 cores), ``dev``
(more examples), ``soak`` (1,000) and ``long`` (5,000; for the documented runs in ``bench/``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from degarble.restorer import Restorer

# Any on-disk cache the code keeps goes to a fresh folder, never the user's own, and the
# folder goes when the run ends (the lm tests convert a ~600 MB model into it).
if "DEGARBLE_CACHE_DIR" not in os.environ:
    _test_cache = tempfile.mkdtemp(prefix="degarble-test-cache-")
    os.environ["DEGARBLE_CACHE_DIR"] = _test_cache
    atexit.register(shutil.rmtree, _test_cache, ignore_errors=True)

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile(
    "dev", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("soak", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# spun<TAB>standard[<TAB>flags]; no standard side reuses a spun word, so restoring is idempotent.
SMALL_DICTIONARY = """\
# a small dictionary for the unit tests
facial acknowledgment\tfacial recognition
law requirement\tlaw enforcement
profound learning\tdeep learning
at the point when\twhen
man-made consciousness\tartificial intelligence
utilize\tuse
colossal information\tbig data
irregular woodland\trandom forest
bosom malignancy\tbreast cancer
police powers\tpolice forces
as of late\trecently
malignant growth\tcancer\tctx
Joined Countries\tUnited Nations\tcase
"""


def write_dictionary(folder: Path, text: str = SMALL_DICTIONARY, name: str = "small.tsv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_dictionary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dictionary(tmp_path_factory.mktemp("dict"))


@pytest.fixture(scope="session")
def small_restorer(small_dictionary: Path) -> Restorer:
    return Restorer([small_dictionary])
