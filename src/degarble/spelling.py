"""Spelling-variant folding: British/American and similar regular variants.

Applied symmetrically to dictionary keys and to text words, so
``acknowledgement`` meets ``acknowledgment`` and ``colour`` meets ``color``.
Rules only touch word endings or long words, so distinct common words are not
merged; a variant match still scores below an exact one.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["spelling_key"]

# The standard ``re``: these plain patterns need nothing of ``regex`` (slow to import).
_RULES: tuple[tuple[re.Pattern[str], str, int], ...] = tuple(
    (re.compile(pattern), repl, min_len)
    for pattern, repl, min_len in (
        (r"dgement(s?)$", r"dgment\1", 0),  # acknowledgement, judgement
        (r"isation(s?)$", r"ization\1", 0),  # organisation
        (r"is(e|es|ed|ing|er|ers)$", r"iz\1", 7),  # recognise, utilising
        (r"ys(e|es|ed|ing|er|ers)$", r"yz\1", 6),  # analyse
        (r"our(s|ed|ing|ite|ites|ful|able|er)?$", r"or\1", 6),  # colour, behaviour, favourite
        (r"([^aeiou])tre(s?)$", r"\1ter\2", 5),  # centre, metre
        (r"ogue(s?)$", r"og\1", 7),  # catalogue, dialogue
        (r"([aeiou])ll(ed|ing|er|ers)$", r"\1l\2", 8),  # travelled, modelling, labelled
        (r"(?<=.)ae", "e", 6),  # haemoglobin, anaemia
        (r"(?<=.)oe(?=[^s]|$)", "e", 6),  # foetus, oesophagus (not shoes/does)
        (r"(fen|cen)ce(s?)$", r"\1se\2", 6),  # defence, licence
        (r"gramme(s?)$", r"gram\1", 0),  # programme
    )
)

# Matches wherever some rule could: a word it does not match is left as it is.
_ANY_RULE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _, _ in _RULES))


@lru_cache(maxsize=200_000)
def spelling_key(word: str) -> str:
    """The folded word with regular spelling variants unified.

    >>> spelling_key("acknowledgement") == spelling_key("acknowledgment")
    True
    >>> spelling_key("colours"), spelling_key("shoes")
    ('colors', 'shoes')
    """
    if _ANY_RULE.search(word) is None:
        return word  # no rule can apply (the usual case): skip the twelve substitutions
    for pattern, repl, min_len in _RULES:
        if len(word) >= min_len:
            word = pattern.sub(repl, word)
    return word
