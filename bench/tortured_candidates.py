"""Candidate coverage of tortured phrases (b): which source offers the words the author meant?

Half A of ``../shared/data/tortured-phrases/dev.jsonl`` is loaded as a screener list
(the protocol of ``bench/context_quality.py``); for every phrase of half B this counts,
per candidate source, whether the expected word is among the candidates of each written
word that differs from it, and whether *every* differing word of the phrase is covered
(the ceiling a perfect ranker could reach with that source).  Needs ``../shared/data``.

    python bench/tortured_candidates.py                 # half B, learning from half A
    python bench/tortured_candidates.py --part cv       # 4-fold CV inside half A

Sources (each a set of candidate standard words for one written word):

* ``learned``: :meth:`SubstitutionModel.candidates` (word and lemma pairs of the lists);
* ``derived``: :func:`derived_candidates` (a local probe: a learned pair carried to
  a derivation of its words: ``profound -> deep`` gives ``profoundly -> deeply``);
* ``thesaurus``: Moby's reverse index (every root listing the written word);
* ``thes-std``: the same, restricted to the standard vocabulary of the loaded lists and
  the shipped terms (what the completion rule and the term detector call a word authors use);
* ``thes-bigram``: thesaurus roots that form a word pair of the lists' standard wording
  with a neighbour as written or as learned (what ``context/anchors.py`` marks ``anchored``);
* ``thes-std-wn``: ``thes-std`` links that WordNet confirms (the two words share a synset);
* ``wn-first``: a local probe of a sense-ordered thesaurus: roots whose *first* WordNet
  synset lists the written word (a spinner takes the first synonym it is offered).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from context_quality import half, load_tortured, split_tortured
from degarble import Restorer
from degarble.context.anchors import StandardPairs
from degarble.context.pipeline import standard_vocabulary
from degarble.context.substitutions import SubstitutionModel
from degarble.context.thesaurus import Thesaurus
from degarble.context.wordnet_channel import MEMBER, read_wordnet_links
from degarble.dictionary import Entry
from degarble.terms import builtin_term_paths, load_terms, wordnet_synonym_pairs
from degarble.tokens import Token, tokenize

WORDNET = Path("/usr/share/wordnet")


def wordnet_first_sense(folder: Path = WORDNET) -> dict[str, set[str]]:
    """``written word -> roots`` whose first-listed synset (sense 1) contains the written word."""
    first: dict[str, set[str]] = defaultdict(set)
    for spun, original, _pos, sense, _rank, _size, kind, _senses in read_wordnet_links(folder):
        if sense == 1 and kind == MEMBER and spun.isalpha() and original.isalpha():
            first[spun].add(original)
    return first


# Derivational suffixes (and "": the bare stem) a learned pair is carried across (source ``derived``).
DERIVATION_SUFFIXES = ("", "ly", "ness", "ity", "ment", "ion", "ation", "al", "ive", "ic", "ical", "ful", "ize")
_VOWELS = frozenset("aeiou")


def _known(word: str) -> bool:
    """A word wordfreq knows well enough to be a candidate (derived spellings are guesses)."""
    from degarble.context.candidates import zipf

    return zipf(word) >= 2.0


def _strip(word: str, suffix: str) -> tuple[str, ...]:
    """Possible stems of ``word`` without ``suffix`` (spelling undone: e-drop, y -> i, -ically, -ly)."""
    if not suffix:
        return (word,)
    if not word.endswith(suffix) or len(word) - len(suffix) < 3:
        return ()
    base = word[: -len(suffix)]
    stems = [base]
    if suffix[0] in _VOWELS:
        stems.append(base + "e")
    if base.endswith("i"):
        stems.append(base[:-1] + "y")
    if suffix == "ly" and base.endswith("al") and len(base) > 5:
        stems.append(base[:-2])  # basically -> basic
    if suffix == "ly" and base[-1:] not in _VOWELS:
        stems.append(base + "le")  # possibly -> possible
    return tuple(dict.fromkeys(stems))


def _attach(stem: str, suffix: str) -> tuple[str, ...]:
    """Spellings of ``stem`` + ``suffix``."""
    if not suffix:
        return (stem,)
    forms = [stem + suffix]
    if stem.endswith("e") and suffix[0] in _VOWELS:
        forms.append(stem[:-1] + suffix)
    if stem.endswith("y") and len(stem) > 2 and stem[-2] not in _VOWELS:
        forms.append(stem[:-1] + "i" + suffix)
    if suffix == "ly" and stem.endswith("le"):
        forms.append(stem[:-1] + "y")
    if suffix == "ly" and stem.endswith("ic"):
        forms.append(stem + "ally")
    return tuple(dict.fromkeys(forms))


def derived_candidates(model: SubstitutionModel, word: str) -> dict[str, int]:
    """Learned pairs carried across a derivation: a pair learned for a word related to
    ``word`` by a derivational suffix gives the same derivation of its standard side
    (``profound -> deep`` gives ``profoundly -> deeply``)."""
    found: dict[str, int] = {}
    for suffix in DERIVATION_SUFFIXES:
        for stem in _strip(word, suffix):
            for other in DERIVATION_SUFFIXES:
                if other == suffix:
                    continue
                for related in _attach(stem, other):
                    for std, count in model.words.get(related, {}).items() if related != word else ():
                        for std_stem in _strip(std, other):
                            for form in _attach(std_stem, suffix):
                                if form != word and form not in found and _known(form):
                                    found[form] = count
    return found


def anchored_candidates(
    text: str, tokens: Sequence[Token], i: int, model: SubstitutionModel, thesaurus: Thesaurus, pairs: StandardPairs
) -> set[str]:
    """Thesaurus roots of ``tokens[i]`` that :mod:`degarble.context.anchors` marks ``anchored``."""
    left, right = pairs.neighbour_readings(text, tokens, i, i + 1, model)
    return {c for c in thesaurus.candidates(tokens[i].fold) if pairs.anchored(c, left, right)}


def folds(part: str) -> list[tuple[list[Entry], list[dict[str, object]]]]:
    """(the training list, phrases to measure) per fold: half A -> half B, or 4 folds inside A."""
    tortured = load_tortured()
    entries, held = split_tortured(tortured, 0)
    if part == "B":
        return [(entries, held)]
    rows = [r for r in tortured if half(str(r["tortured"]).casefold()) == "A"]

    def fold_of(phrase: str) -> int:
        return hashlib.sha256(("fold" + phrase.casefold()).encode("utf-8")).digest()[0] % 4

    out = []
    for fold in range(4):
        train = [e for e in entries if fold_of(e.spun) != fold]
        test = [r for r in rows if fold_of(str(r["tortured"])) == fold]
        out.append((train, test))
    return out


def source_outcomes(part: str) -> int:
    """(b) exact / wrong of the shipped bigram settings with each candidate source switched off."""
    from dataclasses import replace

    from context_quality import tortured_figures
    from degarble.context.pipeline import DEFAULTS

    full = DEFAULTS["bigram"]
    variants = {
        "full (shipped)": full,
        "no anchored readings": replace(full, thresholds=replace(full.thresholds, anchored=None)),
        "no learned substitutions": replace(full, learned=False),
        "no thesaurus (nor anchored readings)": replace(full, thesaurus=False),
        "no term detector": replace(full, terms=False),
        "no multi-word slots": replace(full, phrases=False),
        # Every learned and anchored reading of the best decoding applied (margins off): what the
        # bigram model's own ranking of these candidates reaches without any precision rule.
        "every learned and anchored reading (no margins)": replace(
            full,
            odds_words=None,
            thresholds=replace(
                full.thresholds, learned=-1e9, learned_spun=None, learned_vocabulary=None, anchored=-1e9, alone=-1e9
            ),
            terms_complete=False,
        ),
    }
    print(f"part {part}: tortured phrases learned from a screener list, bigram level")
    print("| variant | exact | wrong |")
    print("| --- | --- | --- |")
    for name, settings in variants.items():
        exact = wrong = total = 0
        for train, rows in folds(part):
            figures = tortured_figures(Restorer(entries=train, context_settings=settings), rows)
            exact += round(figures["exact"] * len(rows))
            wrong += round(figures["wrong"] * len(rows))
            total += len(rows)
        print(f"| {name} | {exact / total:.4f} | {wrong / total:.4f} |", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("B", "cv"), default="B")
    parser.add_argument(
        "--sources", action="store_true", help="exact / wrong with each candidate source switched off, then stop"
    )
    args = parser.parse_args(argv)
    if args.sources:
        return source_outcomes(args.part)
    first = wordnet_first_sense() if WORDNET.is_dir() else {}
    synonyms = wordnet_synonym_pairs(WORDNET) if WORDNET.is_dir() else set()
    words_total: Counter[str] = Counter()
    phrases_total: Counter[str] = Counter()
    sizes: dict[str, list[int]] = defaultdict(list)
    n = same_length = diff_length = phrase_covered = 0
    for train, rows in folds(args.part):
        restorer = Restorer(entries=train)
        cp = restorer.context_pass()
        model, thesaurus = cp.model, cp.thesaurus
        assert model is not None and thesaurus is not None
        vocabulary = standard_vocabulary(cp.entries_seen)
        standard = StandardPairs.from_entries(cp.entries_seen, load_terms(builtin_term_paths()))
        sources: dict[str, Callable[[str], set[str]]] = {
            "learned": lambda w, m=model: set(m.candidates(w)),
            "derived": lambda w, m=model: set(derived_candidates(m, w)),
            "thesaurus": lambda w, t=thesaurus: set(t.candidates(w)),
            "thes-std": lambda w, t=thesaurus, v=vocabulary: {c for c in t.candidates(w) if c in v},
            "thes-std-wn": lambda w, t=thesaurus, v=vocabulary: {
                c for c in t.candidates(w) if c in v and (w, c) in synonyms
            },
            "wn-first": lambda w: set(first.get(w, ())),
        }
        for row in rows:
            n += 1
            tokens = tokenize(str(row["tortured"]))
            written = [t.fold for t in tokens]
            wanted = [t.fold for t in tokenize(str(row["expected"]))]
            if len(written) != len(wanted):
                diff_length += 1
                spans = {tuple(written[i:j]) for i in range(len(written)) for j in range(i + 1, len(written) + 1)}
                if any(model.phrase_candidates(s) for s in spans):
                    phrases_total["uneven, some learned phrase pair applies"] += 1
                continue
            same_length += 1
            pairs = [(a, b) for a, b in zip(written, wanted) if a != b]
            if not pairs:
                continue
            phrase_covered += 1
            got = {name: [b in fn(a) for a, b in pairs] for name, fn in sources.items()}
            anchored = [
                anchored_candidates(str(row["tortured"]), tokens, i, model, thesaurus, standard)
                for i in range(len(written))
                if written[i] != wanted[i]
            ]
            sizes["thes-bigram"].extend(len(c) for c in anchored)
            got["thes-bigram"] = [b in c for (_, b), c in zip(pairs, anchored)]
            words_total["thes-bigram"] += sum(got["thes-bigram"])
            phrases_total["thes-bigram"] += all(got["thes-bigram"])
            u3 = [got["learned"][k] or got["thes-bigram"][k] for k in range(len(pairs))]
            words_total["learned+thes-bigram"] += sum(u3)
            if all(u3):
                phrases_total["learned+thes-bigram"] += 1
                if not all(got["learned"]):
                    result = restorer.restore(str(row["tortured"]), context=True)
                    outcome = "exact" if result.casefold() == str(row["expected"]).casefold() else (
                        "wrong" if result != row["tortured"] else "unchanged")
                    phrases_total[f"gained by thes-bigram, now {outcome}"] += 1
            for name, fn in sources.items():
                for a, _ in pairs:
                    sizes[name].append(len(fn(a)))
                words_total[name] += sum(got[name])
                if all(got[name]):
                    phrases_total[name] += 1
            union = [any(got[s][k] for s in ("learned", "derived")) for k in range(len(pairs))]
            words_total["learned+derived"] += sum(union)
            phrases_total["learned+derived"] += all(union)
            for extra in ("thes-std", "wn-first"):
                u2 = [union[k] or got[extra][k] for k in range(len(pairs))]
                words_total[f"learned+derived+{extra}"] += sum(u2)
                phrases_total[f"learned+derived+{extra}"] += all(u2)
            words_total["pairs"] += len(pairs)
    print(f"part {args.part}: {n} phrases, {same_length} of the same length as expected, {diff_length} uneven")
    print(f"same length with some differing word: {phrase_covered}; differing words: {words_total['pairs']}")
    print("| source | differing words covered | phrases fully covered (share of all) | median candidates per word |")
    print("| --- | --- | --- | --- |")
    unions = ["learned+thes-bigram", "learned+derived", "learned+derived+thes-std", "learned+derived+wn-first"]
    for name in [*sizes, *unions]:
        med = statistics.median(sizes[name]) if name in sizes else "-"
        print(
            f"| {name} | {words_total[name]} ({words_total[name] / max(words_total['pairs'], 1):.3f}) "
            f"| {phrases_total[name]} ({phrases_total[name] / n:.3f}) | {med} |"
        )
    for key in sorted(phrases_total):
        if key.startswith("gained"):
            print(f"{key}: {phrases_total[key]}")
    key = "uneven, some learned phrase pair applies"
    print(f"uneven phrases where some learned multi-word pair applies to a span: {phrases_total[key]} of {diff_length}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
