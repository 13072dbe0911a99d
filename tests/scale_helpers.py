"""A small dictionary and texts shared by the speed/scale tests."""

from __future__ import annotations

from pathlib import Path

DICTIONARY = """\
facial acknowledgment\tfacial recognition
law requirement\tlaw enforcement
profound learning\tdeep learning
as of late\trecently
computerized reasoning\tartificial intelligence
malignant growth\tcancer\tctx
as indicated by\taccording to\tctx
man-made brainpower\tartificial intelligence
utilize\tuse
"""

TEXTS = [
    "Facial acknowledgment is used by law requirement.",
    "As of late, a profound learning model was\nutilized for facial acknowledgments.\n\nClean text stays.",
    "Malignant growth is common.\n\nNothing else here.\n",  # context-only: never fires alone
    "Malignant growth is common.\r\n\r\n" + "Plain words.\r\n\r\n" * 30 + "LAW REQUIREMENT at the end.\r\n",
    "An computerized reasoning and a man made brainpower,\nmanmade brainpower; profound\nlearning.\n\n\n",
    "Malignant growth is common.\n\n" + "Filler.\n\n" * 20 + "As indicated by the report.\n",  # two ctx: evident
    "As indicated by the report.\n\n" * 3 + "Nothing.\n",  # one ctx entry, repeated: not evident
    "Straße İstanbul ﬁne: facial acknowledgement – law requirment, colour.\n",
]


def write_dictionary(folder: Path) -> Path:
    path = folder / "scale.tsv"
    path.write_text(DICTIONARY, encoding="utf-8")
    return path
