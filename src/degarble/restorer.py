"""The pipeline: text -> tokens -> candidate spans -> chosen changes -> restored text."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .casing import indefinite_article, match_article_case, transfer_case
from .changes import Change, Restoration, apply_changes
from .dictionary import Entry, builtin_dictionary_paths, load_dictionary
from .matcher import Candidate, PhraseIndex, choose
from .tokens import Token, tokenize

__all__ = ["Restorer", "default_restorer", "restore", "restore_and_explain"]

_ARTICLE_GAP = frozenset(" \t\u00a0\n")


class Restorer:
    """Loads dictionaries once and restores any number of texts.

    ``dictionaries`` replaces the built-in ones when given; ``extra_dictionaries``
    are added after them (a later entry overrides an earlier one with the same
    spun side).  ``entries`` adds :class:`~degarble.dictionary.Entry` objects
    directly.

    >>> r = Restorer()
    >>> r.restore("Facial acknowledgment is used by law requirement.")
    'Facial recognition is used by law enforcement.'
    """

    def __init__(
        self,
        dictionaries: Iterable[str | os.PathLike[str]] | None = None,
        *,
        extra_dictionaries: Iterable[str | os.PathLike[str]] = (),
        entries: Iterable[Entry] = (),
        fuzzy: bool = True,
    ) -> None:
        paths = list(builtin_dictionary_paths() if dictionaries is None else dictionaries)
        paths.extend(extra_dictionaries)
        loaded: list[Entry] = []
        for path in paths:
            loaded.extend(load_dictionary(path))
        loaded.extend(entries)
        self.dictionary_paths = paths
        self.index = PhraseIndex(loaded, fuzzy=fuzzy)

    @property
    def entries(self) -> list[Entry]:
        return self.index.entries

    def restore(self, text: str) -> str:
        """The restored text."""
        return self.restore_and_explain(text).text

    def restore_and_explain(self, text: str) -> Restoration:
        """The restored text and every change made, with offsets into ``text``."""
        tokens = tokenize(text)
        found = self.index.candidates(text, tokens)
        chosen = choose(c for c in found if c.form.entry.applies_to(text, tokens))
        if any(c.form.entry.needs_context for c in chosen):
            if all(c.form.entry.needs_context for c in chosen):
                chosen = []  # context-only phrases never fire on their own
        changes = [self._change(text, tokens, c) for c in chosen]
        changes = _fix_articles(text, tokens, chosen, changes)
        return Restoration(apply_changes(text, changes), changes)

    @staticmethod
    def _change(text: str, tokens: Sequence[Token], cand: Candidate) -> Change:
        span = tokens[cand.first : cand.last]
        start, end = span[0].start, span[-1].end
        entry = cand.form.entry
        if entry.case_sensitive:
            replacement = cand.form.replacement
        else:
            replacement = transfer_case(cand.form.replacement, [text[t.start : t.end] for t in span])
        rule = entry.rule if cand.method in ("exact", "inflection") else f"{cand.method}:{entry.rule}"
        return Change(
            start, end, text[start:end], replacement, rule, cand.score, cand.method, entry.standard
        )


def _fix_articles(
    text: str, tokens: Sequence[Token], chosen: Sequence[Candidate], changes: list[Change]
) -> list[Change]:
    """Widen a change over a preceding ``a``/``an`` that must agree with the new word."""
    taken = {c.last - 1 for c in chosen}
    fixed: list[Change] = []
    for cand, change in zip(chosen, changes):
        i = cand.first - 1
        if i >= 0 and tokens[i].fold in ("a", "an") and i not in taken:
            article = tokens[i]
            gap = text[article.end : change.start]
            if gap and set(gap) <= _ARTICLE_GAP and gap.count("\n") <= 1:
                written = text[article.start : article.end]
                wanted = match_article_case(indefinite_article(change.replacement), written)
                if wanted != written:
                    change = Change(
                        article.start,
                        change.end,
                        text[article.start : change.end],
                        wanted + gap + change.replacement,
                        change.rule,
                        change.score,
                        change.method,
                        change.standard,
                    )
        fixed.append(change)
    return fixed


@lru_cache(maxsize=1)
def default_restorer() -> Restorer:
    """The shared restorer with the built-in dictionaries (built on first use)."""
    return Restorer()


def restore(text: str) -> str:
    """Restore spun text with the built-in dictionaries.

    >>> restore("Facial acknowledgment is used by law requirement.")
    'Facial recognition is used by law enforcement.'
    """
    return default_restorer().restore(text)


def restore_and_explain(text: str) -> Restoration:
    """Restore spun text and list every change.

    >>> r = restore_and_explain("As of late, police powers bought facial acknowledgment programs.")
    >>> r.text
    'Recently, police forces bought facial recognition programs.'
    >>> [(c.original, c.replacement, c.rule) for c in r.changes]  # doctest: +ELLIPSIS
    [('As of late', 'Recently', 'general.tsv:...'), ('police powers', 'police forces', ...), ...]
    """
    return default_restorer().restore_and_explain(text)
