"""Carry the case of the spun words over to their replacement, and fix ``a``/``an``."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["transfer_case", "indefinite_article", "match_article_case"]


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


def transfer_case(replacement: str, written: Sequence[str]) -> str:
    """Give ``replacement`` the case pattern of the ``written`` words it replaces.

    The replacement is only ever upper-cased, never lower-cased, so names and
    acronyms in a dictionary's standard side survive.

    >>> transfer_case("law enforcement", ["Law", "requirement"])
    'Law enforcement'
    >>> transfer_case("law enforcement", ["LAW", "REQUIREMENT"])
    'LAW ENFORCEMENT'
    >>> transfer_case("law enforcement", ["Law", "Requirement"])
    'Law Enforcement'
    """
    if not written:
        return replacement
    letters = "".join(written)
    if len(letters) > 1 and letters.isupper():
        return replacement.upper()
    if not written[0][:1].isupper():
        return replacement  # most text: neither of the patterns below, which both need it
    if len(written) > 1 and all(w[:1].isupper() for w in written):
        return " ".join(_capitalize(w) for w in replacement.split(" "))
    return _capitalize(replacement)


_AN_PREFIXES = ("hour", "honest", "honor", "honour", "heir")
_A_PREFIXES = (
    "uni", "use", "usu", "uti", "ure", "uro", "eu", "ewe", "one", "once", "ubiq", "ukr", "ute", "uvu",
)  # fmt: skip
_AN_LETTERS = frozenset("AEFHILMNORSX")


def indefinite_article(phrase: str) -> str:
    """``a`` or ``an``, by how the first word of ``phrase`` is pronounced.

    >>> [indefinite_article(w) for w in ("technology", "innovation", "hour", "university", "FBI", "MRI scan")]
    ['a', 'an', 'an', 'a', 'an', 'an']
    """
    word = phrase.split(" ", 1)[0].strip("\"'“‘(")
    if not word:
        return "a"
    if word[0].isdigit():
        return "an" if word.startswith(("8", "11", "18")) else "a"
    if (len(word) > 1 and word.isupper()) or len(word) == 1:
        return "an" if word[0].upper() in _AN_LETTERS else "a"
    lower = word.lower()
    if lower.startswith(_AN_PREFIXES):
        return "an"
    if lower.startswith(_A_PREFIXES):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def match_article_case(article: str, written: str) -> str:
    """Spell ``article`` in the case of the ``written`` article (``An`` -> ``A``)."""
    if len(written) > 1 and written.isupper():
        return article.upper()
    if written[:1].isupper():
        return _capitalize(article)
    return article
