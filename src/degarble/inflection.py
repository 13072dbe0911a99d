"""Inflected forms of dictionary entries, generated with lemminflect.

A dictionary lists each phrase once, in its base form.  Here each entry is
expanded into the forms a text may use: the plural of a noun head
(``acknowledgments`` -> ``recognitions``) or the tenses of a verb
(``utilized``/``utilizing``/``utilizes`` -> ``used``/``using``/``uses``).  Only
the head word changes (the last word, or the first with ``infl=first``), and
only for tags that both sides share in the part of speech they are written in,
so ``networks of shading`` never becomes ``communities of shade``.  Multi-word
entries inflect for number only (their last word is a noun head); verbs inflect
only when written in base form, as the whole entry or its ``infl=first`` word.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from .dictionary import Entry
from .tokens import tokenize

__all__ = ["inflected_forms"]

_POS = ("NOUN", "VERB")


@lru_cache(maxsize=65536)
def _paradigms(word: str) -> dict[str, tuple[dict[str, tuple[str, ...]], frozenset[str]]]:
    """For each part of speech: the word's inflection table and the tags ``word`` has in it."""
    import lemminflect  # imported lazily: it costs ~0.2 s and only dictionary loading needs it

    found: dict[str, tuple[dict[str, tuple[str, ...]], frozenset[str]]] = {}
    lemmas = lemminflect.getAllLemmas(word)
    for pos in _POS:
        for lemma in lemmas.get(pos, ()):
            table = lemminflect.getAllInflections(lemma, upos=pos)
            tags = frozenset(tag for tag, forms in table.items() if word in forms)
            if tags:
                found[pos] = (table, tags)
                break
    return found


def inflected_forms(entry: Entry) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield ``(spun words, replacement)`` for every inflected form other than the written one.

    >>> sorted(inflected_forms(Entry("utilize", "use")))
    [(('utilized',), 'used'), (('utilizes',), 'uses'), (('utilizing',), 'using')]
    """
    if "noinfl" in entry.flags or entry.case_sensitive:
        return
    head = 0 if "infl=first" in entry.flags else -1
    spun_tokens = tokenize(entry.spun)
    std_tokens = tokenize(entry.standard)
    if not spun_tokens or not std_tokens:
        return
    spun_word = spun_tokens[head].fold
    std_tok = std_tokens[head]
    std_word = entry.standard[std_tok.start : std_tok.end]
    if std_word != std_word.lower() or not std_word.isalpha() or not spun_word.isalpha():
        return  # acronyms, names and numbers are not inflected
    spun_par = _paradigms(spun_word)
    std_par = _paradigms(std_word)
    words = list(t.fold for t in spun_tokens)
    seen: set[tuple[str, ...]] = {tuple(words)}
    # A phrase ending in a noun inflects for number only: verb forms of its last word
    # would misread noun phrases ("mechanical designing" is no verb).  Verbs inflect
    # when the verb is the whole entry or its flagged first word, written as a base form.
    verbs_ok = len(spun_tokens) == 1 or head == 0
    for pos in _POS:
        if pos not in spun_par or pos not in std_par:
            continue
        spun_table, spun_tags = spun_par[pos]
        std_table, std_tags = std_par[pos]
        if not spun_tags & std_tags:
            continue  # written in different forms (e.g. a gerund against a base verb)
        if pos == "VERB" and not (verbs_ok and "VB" in spun_tags and "VB" in std_tags):
            continue
        for tag, spun_forms in spun_table.items():
            std_forms = std_table.get(tag)
            if not std_forms:
                continue
            replacement = entry.standard[: std_tok.start] + std_forms[0] + entry.standard[std_tok.end :]
            for form in spun_forms[:1]:  # the regular form; later ones repeat other tags
                words[head] = form
                key = tuple(words)
                if key not in seen:
                    seen.add(key)
                    yield key, replacement


def tense_is_ambiguous(entry: Entry) -> bool:
    """True when the written verb could be a past tense the standard side does not share.

    ``set aside an effort`` may be present ("we set aside") or past ("he set
    aside"), but ``take the time`` differs between the two, so the written form
    cannot be restored safely; only its unambiguous forms (``setting``) are.

    >>> tense_is_ambiguous(Entry("set aside an effort", "take the time", frozenset({"infl=first"})))
    True
    >>> tense_is_ambiguous(Entry("utilize", "use"))
    False
    """
    if "noinfl" in entry.flags or entry.case_sensitive:
        return False
    head = 0 if "infl=first" in entry.flags else -1
    spun_tokens, std_tokens = tokenize(entry.spun), tokenize(entry.standard)
    if not spun_tokens or not std_tokens or not (len(spun_tokens) == 1 or head == 0):
        return False
    spun_verb = _paradigms(spun_tokens[head].fold).get("VERB")
    std_verb = _paradigms(std_tokens[head].fold).get("VERB")
    if not spun_verb or not std_verb or "VB" not in spun_verb[1]:
        return False
    spun_past = set(spun_verb[0].get("VBD", ())) | set(spun_verb[0].get("VBN", ()))
    std_past = set(std_verb[0].get("VBD", ())) | set(std_verb[0].get("VBN", ()))
    return spun_tokens[head].fold in spun_past and std_tokens[head].fold not in std_past
