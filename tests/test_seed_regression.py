"""The seed article restores to the reviewed fixture.

The fixture was read sentence by sentence by a person; when a dictionary or matcher
change alters the output, review the new output the same way and update the fixture
(``degarble seeds/000_f9f8cd65f9abefae.txt > tests/fixtures/seed/000_f9f8cd65f9abefae.restored.txt``).
"""

from __future__ import annotations

from pathlib import Path

import degarble

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_f9f8cd65f9abefae.txt"
REVIEWED = ROOT / "tests" / "fixtures" / "seed" / "000_f9f8cd65f9abefae.restored.txt"


def test_seed_restores_to_reviewed_fixture() -> None:
    spun = SEED.read_text(encoding="utf-8")
    assert degarble.restore(spun) == REVIEWED.read_text(encoding="utf-8")


def test_seed_changes_are_explained_and_reproduce_the_text() -> None:
    spun = SEED.read_text(encoding="utf-8")
    result = degarble.restore_and_explain(spun)
    assert len(result.changes) >= 50
    assert degarble.apply_changes(spun, result.changes) == result.text
    for change in result.changes:
        assert spun[change.start : change.end] == change.original
        assert change.rule.split(":")[-2].endswith(".tsv")


def test_seed_signature_phrases_are_gone() -> None:
    restored = degarble.restore(SEED.read_text(encoding="utf-8")).lower()
    for spun in ("facial acknowledgment", "law requirement", "man-made consciousness", "networks of shading",
                 "reconnaissance framework", "at the point when", "be that as it may", "in light of the fact that"):
        assert spun not in restored, spun
