"""Step 1: which tokens and short spans may be spun at all.

A spinner swaps content words; it leaves function words, numbers and names
alone, so those are never suspects here.  Names are recognised by case: a
capitalised word that does not open a sentence.  Tokens inside a span the
dictionary pass already changed are protected.  Whether an eligible token is
*actually* suspect is decided later, by how much better its candidates fit the
context (:mod:`.decoding`); this step only says where to look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..tokens import Token, gap_joins
from .substitutions import FUNCTION_WORDS

__all__ = ["MIN_LETTERS", "Span", "eligible_tokens", "sentence_bounds"]

MIN_LETTERS = 3
# More words a spinner keeps: auxiliaries, pronouns, quantifiers, common particles.
KEEP_WORDS = FUNCTION_WORDS | frozenset(
    "i me we us you he him she they them mine ours yours theirs its itself himself herself themselves "
    "will would shall should can could may might must also too very just only even still yet ever never "
    "all any each every both either neither some many much more most few less least other another such same "
    "one two three four five six seven eight nine ten first second third last next own while since until "
    "because although though whether unless against between among through during before after above below "
    "per via etc mr mrs ms dr st".split()
)
_SENTENCE_END = regex.compile(r"[.!?:;]\s*[\"'”’)\]]*\s*$|\n\s*\n")


@dataclass(frozen=True)
class Span:
    """Tokens ``[first, last)`` that may be replaced as one unit."""

    first: int
    last: int


def sentence_bounds(text: str, tokens: Sequence[Token]) -> list[int]:
    """For each token, the index of the first token of its sentence."""
    starts: list[int] = []
    current = 0
    for i, tok in enumerate(tokens):
        if i > 0 and _SENTENCE_END.search(text, tokens[i - 1].end, tok.start):
            current = i
        starts.append(current)
    return starts


def _opens_sentence(text: str, tokens: Sequence[Token], i: int, starts: Sequence[int]) -> bool:
    return (
        starts[i] == i or regex.search(r"[\"“(]\s*$", text[tokens[i - 1].end : tokens[i].start]) is not None
    )


def eligible_tokens(
    text: str, tokens: Sequence[Token], protected: set[int], starts: Sequence[int] | None = None
) -> list[int]:
    """Indices of tokens a spinner may have replaced.

    >>> from degarble.tokens import tokenize
    >>> text = "In 1936, Berkman experienced a couple of prostate organ tasks."
    >>> [tokenize(text)[i].fold for i in eligible_tokens(text, tokenize(text), set())]
    ['experienced', 'couple', 'prostate', 'organ', 'tasks']
    """
    starts = starts if starts is not None else sentence_bounds(text, tokens)
    out = []
    for i, tok in enumerate(tokens):
        if i in protected:
            continue
        word = tok.fold
        if len(word) < MIN_LETTERS or not word.isalpha() or word in KEEP_WORDS:
            continue
        written = text[tok.start : tok.end]
        if written[0].isupper() and not (_opens_sentence(text, tokens, i, starts) and written[1:].islower()):
            continue  # a name or an acronym
        if i > 0 and tokens[i - 1].end == tok.start - 1 and text[tok.start - 1] in "-'’":
            continue  # the second half of a hyphenated word or a contraction: treat words whole
        if i + 1 < len(tokens) and text[tok.end : tok.end + 1] == "-" and tokens[i + 1].start == tok.end + 1:
            continue
        out.append(i)
    return out


def joined_run(text: str, tokens: Sequence[Token], first: int, size: int) -> bool:
    """True when tokens ``first .. first+size-1`` may sit in one phrase."""
    return all(gap_joins(text, tokens[j], tokens[j + 1]) for j in range(first, first + size - 1))
