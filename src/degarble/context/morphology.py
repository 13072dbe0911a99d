"""Lemmas and re-inflection (lemminflect), so substitutions learned or listed at
the lemma level apply to every form: ``utilized`` -> lemma ``utilize`` ->
candidate lemma ``use`` -> ``used`` (the spun token's own tag, VBD)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["lemmas_of", "pos_lemmas", "reinflect_as", "reinflect_like"]

_POS = ("NOUN", "VERB", "ADJ", "ADV")


@lru_cache(maxsize=200_000)
def pos_lemmas(word: str) -> tuple[tuple[str, str], ...]:
    """``(pos, lemma)`` pairs of ``word`` (folded), in a fixed part-of-speech order.

    >>> pos_lemmas("utilized")
    (('VERB', 'utilize'),)
    """
    import lemminflect

    found = lemminflect.getAllLemmas(word)
    return tuple((pos, lemma) for pos in _POS for lemma in found.get(pos, ())[:1])


def lemmas_of(word: str) -> tuple[str, ...]:
    """The distinct lemmas of ``word``."""
    return tuple(dict.fromkeys(lemma for _, lemma in pos_lemmas(word)))


@lru_cache(maxsize=200_000)
def _tags(word: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """For each part of speech: the Penn tags ``word`` carries in its lemma's table."""
    import lemminflect

    out = []
    for pos, lemma in pos_lemmas(word):
        table = lemminflect.getAllInflections(lemma, upos=pos)
        tags = frozenset(tag for tag, forms in table.items() if word in forms)
        if not tags and word == lemma:
            tags = frozenset({"BASE"})
        out.append((pos, tags))
    return tuple(out)


@lru_cache(maxsize=200_000)
def reinflect_like(lemma: str, word: str) -> tuple[str, ...]:
    """Forms of ``lemma`` that carry the tag ``word`` carries (``word`` itself a form of something).

    >>> reinflect_like("use", "utilized")
    ('used',)
    >>> reinflect_like("game", "amusements")
    ('games',)
    """
    import lemminflect

    forms: list[str] = []
    for pos, tags in _tags(word):
        if "BASE" in tags:
            forms.append(lemma)
            continue
        table = lemminflect.getAllInflections(lemma, upos=pos)
        if not table:
            table = lemminflect.getAllInflectionsOOV(lemma, upos=pos) if pos in ("NOUN", "VERB") else {}
        for tag in sorted(tags):
            found = table.get(tag)
            if found:
                forms.append(found[0])
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=200_000)
def reinflect_as(lemma: str, word: str, pos: str) -> tuple[str, ...]:
    """Forms of ``lemma`` (a ``pos`` lemma) with the tags ``word`` carries *as that part of speech*.

    A pair learned between two verbs says nothing about the nouns that share their
    spelling (``handled`` -> ``processed`` must not turn the noun ``handling`` into
    ``process``).  A noun listed both as singular and as plural (mass nouns:
    ``accuracy``) is read as singular.

    >>> reinflect_as("process", "handling", "VERB")
    ('processing',)
    >>> reinflect_as("precision", "accuracy", "NOUN")
    ('precision',)
    """
    import lemminflect

    tags = dict(_tags(word)).get(pos)
    if not tags:
        return ()
    if "BASE" in tags:
        return (lemma,)
    if pos == "NOUN" and "NN" in tags:
        tags = frozenset({"NN"})
    table = lemminflect.getAllInflections(lemma, upos=pos)
    if not table:
        table = lemminflect.getAllInflectionsOOV(lemma, upos=pos) if pos in ("NOUN", "VERB") else {}
    forms = [table[tag][0] for tag in sorted(tags) if table.get(tag)]
    return tuple(dict.fromkeys(forms))
