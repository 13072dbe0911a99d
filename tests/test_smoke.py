"""End-to-end smoke test of the public API with the built-in dictionaries."""

import degarble


def test_restore_readme_example() -> None:
    assert (
        degarble.restore("Facial acknowledgment is used by law requirement.")
        == "Facial recognition is used by law enforcement."
    )
