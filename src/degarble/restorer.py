"""The pipeline: text -> tokens -> candidate spans -> chosen changes -> restored text."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .casing import indefinite_article, match_article_case, transfer_case
from .changes import Change, Restoration, Suspect, apply_changes
from .dictionary import Entry, builtin_dictionary_paths, load_dictionary
from .matcher import Candidate, PhraseIndex, choose
from .mojibake import mojibake_changes
from .stages import compose, replaced_spans
from .tokens import Token, tokenize

if TYPE_CHECKING:
    from .context import ContextPass, ContextSettings

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
        context_settings: ContextSettings | None = None,
    ) -> None:
        paths = list(builtin_dictionary_paths() if dictionaries is None else dictionaries)
        paths.extend(extra_dictionaries)
        loaded: list[Entry] = []
        for path in paths:
            loaded.extend(load_dictionary(path))
        loaded.extend(entries)
        self.dictionary_paths = paths
        self.index = PhraseIndex(loaded, fuzzy=fuzzy)
        self.context_settings = context_settings
        self._context_pass: ContextPass | None = None

    @property
    def entries(self) -> list[Entry]:
        return self.index.entries

    def restore(self, text: str, context: bool = False) -> str:
        """The restored text (``context=True``: also undo swaps no dictionary lists)."""
        return self.restore_and_explain(text, context=context).text

    def restore_and_explain(self, text: str, context: bool = False) -> Restoration:
        """The restored text and every change made, with offsets into ``text``.

        Encoding damage (mojibake) is repaired first, then the dictionaries
        apply.  With ``context=True`` the context pass (``pip install
        'degarble[context]'``) then works on what is left, and the result also
        lists ``suspects``: spans that look spun but were left as written.
        """
        repairs = mojibake_changes(text)
        repaired = apply_changes(text, repairs) if repairs else text
        found = self._restore_dictionary(repaired)
        changes = compose(text, repairs, found.changes)
        if not context:
            return Restoration(apply_changes(text, changes), changes)
        middle = found.text
        extra, suspects = self.context_pass().run(middle, replaced_spans(found.changes))
        # Suspects are reported in the input's offsets, like changes.
        changes = compose(text, changes, extra)
        suspects = _map_suspects(text, changes, extra, middle, suspects)
        return Restoration(apply_changes(text, changes), changes, suspects)

    def context_pass(self) -> ContextPass:
        """The context pass, built on first use (learns from this restorer's entries)."""
        if self._context_pass is None:
            from .context import ContextPass

            self._context_pass = ContextPass(self.entries, self.context_settings)
        return self._context_pass

    def _restore_dictionary(self, text: str) -> Restoration:
        tokens = tokenize(text)
        chosen = choose(self.index.candidates(text, tokens))
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


def restore(text: str, context: bool = False) -> str:
    """Restore spun text with the built-in dictionaries (``context=True``: and the context pass).

    >>> restore("Facial acknowledgment is used by law requirement.")
    'Facial recognition is used by law enforcement.'
    """
    return default_restorer().restore(text, context=context)


def restore_and_explain(text: str, context: bool = False) -> Restoration:
    """Restore spun text and list every change (and, with ``context=True``, the suspects).

    >>> r = restore_and_explain("As of late, police powers bought facial acknowledgment programs.")
    >>> r.text
    'Recently, police forces bought facial recognition programs.'
    >>> [(c.original, c.replacement, c.rule) for c in r.changes]  # doctest: +ELLIPSIS
    [('As of late', 'Recently', 'general.tsv:...'), ('police powers', 'police forces', ...), ...]
    """
    return default_restorer().restore_and_explain(text, context=context)


def _map_suspects(
    text: str, changes: Sequence[Change], extra: Sequence[Change], middle: str, suspects: Sequence[Suspect]
) -> list[Suspect]:
    """Carry suspects found in the dictionary-restored text back to offsets into ``text``."""
    earlier = [c for c in changes if not c.rule.startswith("context:")]
    marks = [Change(s.start, s.end, s.original, s.original, "suspect", 0.0) for s in suspects]
    mapped = compose(text, earlier, marks)
    out = []
    for suspect in suspects:
        for m in mapped:
            if m.rule == "suspect" and m.original == suspect.original:
                out.append(Suspect(m.start, m.end, m.original, suspect.candidates, suspect.score, suspect.rule))
                mapped.remove(m)
                break
    return sorted(out, key=lambda s: s.start)
