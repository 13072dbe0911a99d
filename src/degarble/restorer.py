"""The pipeline: text -> tokens -> candidate spans -> chosen changes -> restored text."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .casing import indefinite_article, match_article_case, transfer_case
from .changes import Change, Restoration, Suspect, apply_changes
from .dictionary import Entry, builtin_dictionary_paths, load_dictionary
from .index_cache import cached_index
from .matcher import Candidate, PhraseIndex, choose
from .mojibake import mojibake_changes
from .stages import compose, replaced_spans
from .tokens import FAST_MIN_CHARS, Token, token_count, tokenize

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see tokens.py)
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
        entries = list(entries)
        self.dictionary_paths = paths
        self.context_settings = context_settings
        self._context_pass: ContextPass | None = None
        if not entries:  # files only: a cached index spares the lemminflect work (see index_cache)
            self.index = cached_index(paths, fuzzy=fuzzy)
            return
        loaded: list[Entry] = []
        for path in paths:
            loaded.extend(load_dictionary(path))
        loaded.extend(entries)
        self.index = PhraseIndex(loaded, fuzzy=fuzzy)

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
        found = self.explain_dictionary(text)
        changes = found.changes
        if not context:
            return Restoration(apply_changes(text, changes), changes)
        middle = found.text
        findings = len({c.rule for c in found.changes if c.method != "mojibake"})
        extra, suspects = self.context_pass().run(middle, replaced_spans(found.changes), findings=findings)
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

    def explain_dictionary(
        self,
        text: str,
        *,
        context_evidence: bool | None = None,
        analysed: tuple[list[Token], list[Candidate]] | None = None,
    ) -> Restoration:
        """Mojibake repair, then the dictionary pass; changes in ``text``'s offsets.

        ``context_evidence`` and ``analysed`` (the result of :meth:`analyse` on
        ``text``) serve :mod:`degarble.stream`, which restores a document chunk by chunk.
        """
        repairs = mojibake_changes(text)
        if not repairs:
            tokens, chosen = analysed or self.analyse(text)
            return self.finish(text, tokens, chosen, context_evidence=context_evidence)
        repaired = apply_changes(text, repairs)
        tokens, chosen = self.analyse(repaired)
        # the changes only: the repaired text restored is not needed, only its changes composed
        found = self._changes(repaired, tokens, chosen, context_evidence)
        changes = compose(text, repairs, found, middle=repaired)
        return Restoration(apply_changes(text, changes), changes)

    def analyse(self, text: str) -> tuple[list[Token], list[Candidate]]:
        """The tokens of ``text`` and the candidates chosen in it (before the context rule)."""
        # A long text: tokens only where a phrase may match (same candidates, see regions).
        tokens = self.index.sparse_tokens(text) if len(text) >= FAST_MIN_CHARS else None
        if tokens is None:
            tokens = tokenize(text)
        found = self.index.candidates(text, tokens)
        chosen = choose(c for c in found if c.form.entry.applies_to(text, tokens))
        return tokens, [c for c in chosen if not c.form.entry.is_guard]  # guards only block

    def finish(
        self,
        text: str,
        tokens: Sequence[Token],
        chosen: list[Candidate],
        *,
        context_evidence: bool | None = None,
    ) -> Restoration:
        """Apply the chosen candidates.

        ``context_evidence`` tells whether the *document* is evidently spun (see
        :func:`_with_context`) when ``text`` is only part of it (:mod:`degarble.stream`);
        None judges ``text`` on its own.
        """
        changes = self._changes(text, tokens, chosen, context_evidence)
        return Restoration(apply_changes(text, changes), changes)

    def _changes(
        self, text: str, tokens: Sequence[Token], chosen: list[Candidate], context_evidence: bool | None
    ) -> list[Change]:
        """:meth:`finish`'s changes, without the restored text."""
        chosen = _with_context(text, tokens, chosen, context_evidence)
        changes = [self._change(text, tokens, c) for c in chosen]
        return _fix_articles(text, tokens, chosen, changes)

    @staticmethod
    def _change(text: str, tokens: Sequence[Token], cand: Candidate) -> Change:
        span = tokens[cand.first : cand.last]
        start, end = span[0].start, span[-1].end
        entry = cand.form.entry
        written = [text[t.start : t.end] for t in span]
        suffix = ""
        if span[-1].fold.endswith("'s") and not cand.form.words[-1].endswith("'s"):
            suffix, written[-1] = written[-1][-2:], written[-1][:-2]  # possessive kept as written
        if entry.case_sensitive:
            replacement = cand.form.replacement
        else:
            replacement = transfer_case(cand.form.replacement, written) + suffix
        if "’" in text[start:end] and "'" in replacement and "’" not in replacement:
            replacement = replacement.replace("'", "’")  # keep the text's typographic apostrophes
        rule = entry.rule if cand.method in ("exact", "inflection") else f"{cand.method}:{entry.rule}"
        return Change(
            start, end, text[start:end], replacement, rule, cand.score, cand.method, entry.standard
        )


#: How many distinct context-only phrases corroborate each other when no firm finding is present.
CONTEXT_QUORUM = 2
#: A text is "evidently spun" (``spun`` entries may fire) with at least this many distinct
#: accepted findings and at least :data:`SPUN_DENSITY` of them per 1,000 words.
SPUN_QUORUM = 3
SPUN_DENSITY = 5.0
#: ... or with at least this many distinct findings counting the ``spun`` words themselves,
#: at :data:`SIGNATURE_DENSITY` per 1,000 words: one spinner favourite proves nothing, a text
#: dense with different ones is spun throughout (calibrated on half A of the SpinBot dev pairs
#: with no effect on clean text: ``bench/quality.py``).
SIGNATURE_QUORUM = 3
SIGNATURE_DENSITY = 20.0


def _with_context(
    text: str, tokens: Sequence[Token], chosen: list[Candidate], evidence: bool | None = None
) -> list[Candidate]:
    """Keep context-dependent findings only where the text gives the evidence they need.

    * ``ctx`` entries need a firm finding in the same text, or at least
      :data:`CONTEXT_QUORUM` different ``ctx`` entries: one stray "as indicated by"
      proves nothing, but two independent spinner idioms in one text do.
    * ``spun`` entries (a spinner's favourite output words that are also ordinary
      English, like "innovation" for "technology") need a text that is spun
      throughout: :data:`SPUN_QUORUM` distinct accepted findings at a density of
      :data:`SPUN_DENSITY` per 1,000 words; and they never touch a capitalised
      word in mid-sentence (a name such as "World Health Organization").

    ``evidence`` overrides the ``ctx`` judgement when ``text`` is one chunk of a
    longer document (streaming); the ``spun`` density is always judged on ``text``.
    """
    firm = [c for c in chosen if not c.form.entry.needs_context]
    weak = [c for c in chosen if "ctx" in c.form.entry.flags]
    signature = [
        c for c in chosen if c.form.entry.needs_spun_text and not _is_mid_sentence_name(text, tokens[c.first])
    ]
    words = max(token_count(tokens), 1)  # tokens may be only the windows around hits
    distinct = len({c.form.entry.rule for c in firm + weak + signature})
    dense = distinct >= SIGNATURE_QUORUM and 1000 * distinct / words >= SIGNATURE_DENSITY
    if evidence is None:
        evidence = bool(firm) or len({c.form.entry.rule for c in weak}) >= CONTEXT_QUORUM or dense
    if evidence:
        accepted = firm + weak
    else:
        accepted = firm
    found = len({c.form.entry.rule for c in accepted})
    if dense or (found >= SPUN_QUORUM and 1000 * found / words >= SPUN_DENSITY):
        accepted += signature
    return sorted(accepted, key=lambda c: c.first)


def _is_mid_sentence_name(text: str, token: Token) -> bool:
    """A capitalised word that does not open a sentence (so probably part of a name)."""
    if not text[token.start : token.start + 1].isupper():
        return False
    i = token.start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i >= 0 and text[i] not in ".!?:\n\r"


_OPENERS = frozenset(" \t\u00a0\"'“‘(")


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
                # pronounce the dictionary spelling: "RANDOM" in an upper-case text is no acronym
                wanted = match_article_case(indefinite_article(cand.form.replacement), written)
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
