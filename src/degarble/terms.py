"""Term-aware thesaurus detection: tortured phrases that no dictionary lists.

A spinner turns a standard technical term into a tortured phrase by swapping
some of its words for thesaurus synonyms ("deep learning" -> "profound
learning", "random forest" -> "irregular woodland").  This module runs that
channel backwards.  It knows

* a **term set**: standard multi-word terms, i.e. the standard sides of every
  loaded dictionary plus the term lists shipped in ``dictionaries/terms/``
  (written from general knowledge of computing, statistics, medicine, biology,
  engineering, physics and chemistry: what authors write, never spun text);
* a **channel**: for each word of a term, the words a spinner may put in its
  place: the synonyms the Moby thesaurus lists for it (a compact reverse index
  restricted to the terms' vocabulary ships as ``dictionaries/terms/channel.tsv.gz``;
  with the ``context`` extra, the full Moby index covers words of user
  dictionaries too), plus the word pairs learned from the loaded dictionaries'
  aligned entries (:mod:`degarble.context.substitutions`), which weigh more.

A **finding** is a run of 2 to 5 words that is not itself a term, where
replacing some words by their channel candidates (at the lemma level,
re-inflected) gives a term.  Precision guards, each measured on clean prose
(``bench/screen_quality.py``):

* a changed word is a content word of the text (not a function word, a
  number or a capitalised name) and at least :data:`MIN_LETTERS` long;
* the run as written must not be a term or a common phrase itself, and a word
  that is itself a term's word at that position is never "changed";
* a term whose every word was changed needs each swap backed by a two-way
  thesaurus link or a learned pair; a term with one word changed out of two
  needs the written pair to be rare (no web bigram count when the ``context``
  extra provides them) and the swapped word to be a rarer word than the term's.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .casing import transfer_case
from .changes import Change, Suspect
from .dictionary import Entry
from .tokens import Token, gap_joins, tokenize

if TYPE_CHECKING:
    from .context.thesaurus import Thesaurus

__all__ = [
    "Channel",
    "Guards",
    "SCREENING_GUARDS",
    "TermDetector",
    "TermHit",
    "builtin_term_paths",
    "builtin_vocabulary",
    "wordnet_synonym_pairs",
    "write_channel",
    "channel_path",
    "common_pair_test",
    "learned_pairs",
    "screening_term_detector",
    "term_detector_for",
    "hits_as_changes",
    "known_lines",
    "known_path",
    "load_terms",
    "wordnet_compounds",
]

MIN_LETTERS = 3
MAX_TERM_WORDS = 5

# Words a spinner keeps, and never the changed word of a finding.
_FUNCTION = frozenset(
    "a an the of in on at to for by with from as and or but nor is are was were be been being am do does did "
    "has have had that this these those it its their his her our your my not no so than then there here "
    "which who whom whose what when where why how if into onto upon over under up down out off about "
    "i me we us you he him she they them will would shall should can could may might must also too very "
    "just only even still yet ever never all any each every both either neither some many much more most "
    "few less least other another such same one two three four five six seven eight nine ten first second "
    "third last next own while since until because although though whether unless against between among "
    "through during before after above below per via etc".split()
)


def _data_dir() -> Path:
    """The dictionaries folder: in the wheel (``degarble/dictionaries``) or the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "dictionaries", here.parents[1] / "dictionaries"):
        if (candidate / "terms").is_dir():
            return candidate
    return here / "dictionaries"


def builtin_term_paths() -> list[Path]:
    """The shipped term lists (``dictionaries/terms/*.txt``)."""
    return sorted((_data_dir() / "terms").glob("*.txt"))


def known_path() -> Path:
    """Ordinary collocations that read like a swapped term (generated from WordNet's compounds)."""
    return _data_dir() / "terms" / "known.lst"


def wordnet_compounds(folder: str | os.PathLike[str] = "/usr/share/wordnet") -> Iterator[str]:
    """Multi-word lemmas of WordNet's index files (Debian ``wordnet-base``), space-joined."""
    for pos in ("noun", "verb", "adj", "adv"):
        path = Path(folder) / f"index.{pos}"
        with open(path, encoding="latin-1") as handle:
            for line in handle:
                if line.startswith(" "):
                    continue
                lemma = line.split(" ", 1)[0]
                if "_" in lemma:
                    yield lemma.replace("_", " ")


def known_lines(detector: TermDetector, phrases: Iterable[str]) -> list[str]:
    """The ``phrases`` that ``detector`` would report as a swapped term: they must be guarded."""
    out = set()
    for phrase in phrases:
        words = phrase.split()
        if not 2 <= len(words) <= MAX_TERM_WORDS or not all(w.isalpha() for w in words):
            continue
        hits = detector.find(phrase.lower())
        if any(h.start == 0 and h.end == len(phrase) for h in hits):
            out.add(phrase.lower())
    return sorted(out)


def channel_path() -> Path:
    """The shipped reverse thesaurus index restricted to the terms' vocabulary."""
    return _data_dir() / "terms" / "channel.tsv.gz"


def load_terms(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Terms from plain lists: one term a line, ``#`` comments and blank lines skipped."""
    out: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if line and not line.startswith("#"):
                    out.append(line)
    return out


@lru_cache(maxsize=200_000)
def _lemmas(word: str) -> tuple[str, ...]:
    """``word`` and its lemmas (lemminflect), for matching any inflected form; British
    spellings also give their American forms (``tumours`` -> ``tumors``, ``tumor``)."""
    import lemminflect

    from .spelling import spelling_key

    out = [word]
    for variant in dict.fromkeys((word, spelling_key(word))):
        if variant != word:
            out.append(variant)
        found = lemminflect.getAllLemmas(variant)
        for pos in ("NOUN", "VERB", "ADJ", "ADV"):
            out.extend(found.get(pos, ())[:1])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def _reinflect(std: str, written: str) -> str:
    """The term word ``std`` in the form ``written`` has (plural noun, ...), else ``std`` as listed.

    Only real inflections of ``std`` are taken (``forest`` -> ``forests``), never a
    form built on a word that is already inflected (``learning`` stays ``learning``).
    """
    if written == std or written == _lemmas(written)[-1]:
        return std
    from .context.morphology import reinflect_like

    for form in reinflect_like(std, written):
        if form == std or (form != std and std in _lemmas(form)[1:]):
            return form
    return std


@dataclass
class Channel:
    """``spun lemma -> term words`` it may stand for, with how strong each link is.

    ``two_way`` holds the pairs whose link the thesaurus lists in both
    directions (stronger); ``learned`` the pairs taught by dictionary entries.
    """

    reverse: dict[str, frozenset[str]]
    two_way: frozenset[tuple[str, str]] = frozenset()
    learned: Mapping[str, frozenset[str]] | None = None
    # Links WordNet also gives (the two words share a synset or a similar-to adjective pair).
    confirmed: frozenset[tuple[str, str]] = frozenset()
    # The full Moby index (context extra): covers term words the shipped file does not.
    thesaurus: Thesaurus | None = None

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Channel:
        """Read a channel file: ``spun<TAB>word,word,...``; ``*word`` marks a two-way link,
        ``+word`` one WordNet confirms (``+*word`` both)."""
        reverse: dict[str, frozenset[str]] = {}
        two_way: set[tuple[str, str]] = set()
        confirmed: set[tuple[str, str]] = set()
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                spun, _, rest = line.rstrip("\n").partition("\t")
                if not spun or not rest or spun.startswith("#"):
                    continue
                words = []
                for word in rest.split(","):
                    marks, word = word[: len(word) - len(word.lstrip("+*"))], word.lstrip("+*")
                    if "+" in marks:
                        confirmed.add((spun, word))
                    if "*" in marks:
                        two_way.add((spun, word))
                    words.append(word)
                reverse[spun] = frozenset(words)
        return cls(reverse, frozenset(two_way), confirmed=frozenset(confirmed))

    def with_learned(self, pairs: Mapping[str, Iterable[str]]) -> Channel:
        """A copy that also knows learned ``spun -> standard`` word pairs."""
        learned = {k: frozenset(v) for k, v in pairs.items()}
        return Channel(self.reverse, self.two_way, learned, self.confirmed, self.thesaurus)

    def with_thesaurus(self, thesaurus: Thesaurus | None) -> Channel:
        """A copy that also asks the full thesaurus (for words of user dictionaries' terms)."""
        return Channel(self.reverse, self.two_way, self.learned, self.confirmed, thesaurus)

    def candidates(self, word: str) -> dict[str, str]:
        """Term words ``word`` (folded) may stand for, each with its evidence.

        Evidence is ``learned``, ``wordnet`` (a Moby link WordNet confirms),
        ``two-way`` or ``one-way``.
        """
        out: dict[str, str] = {}
        for form in _lemmas(word):
            if self.learned:
                for std in self.learned.get(form, ()):
                    out[std] = "learned"
            for std in self.reverse.get(form, ()):
                if (form, std) in self.confirmed:
                    if out.get(std) != "learned":
                        out[std] = "wordnet"
                elif std not in out or out[std] == "one-way":
                    out[std] = "two-way" if (form, std) in self.two_way else "one-way"
            if self.thesaurus is not None:
                for std in self.thesaurus.reverse(form):
                    if std not in out and std.isalpha():
                        out[std] = "two-way" if self.thesaurus.lists(form, std) else "one-way"
        return out


def build_channel_lines(
    thesaurus_lines: Iterable[str], vocabulary: set[str], confirmed: set[tuple[str, str]] | None = None
) -> Iterator[str]:
    """The channel file for ``vocabulary`` from Moby-style ``root,syn,syn,...`` lines.

    A spinner replaces a term word ``t`` by one of ``t``'s synonyms ``s``, so
    ``s -> t`` when ``s`` is in ``t``'s list; the link is two-way (``*t``) when
    ``s`` is also a root that lists ``t``; ``+t`` when ``(s, t)`` is in ``confirmed``
    (WordNet's synonym pairs).  Only single-word, alphabetic synonyms.

    >>> list(build_channel_lines(["deep,profound,low", "profound,deep,wise"], {"deep"}))
    ['low\\tdeep', 'profound\\t*deep']
    """
    forward: dict[str, set[str]] = {}
    listed_by: dict[str, set[str]] = {}
    for line in thesaurus_lines:
        fields = line.rstrip("\r\n").split(",")
        root = fields[0].strip().lower()
        if not root.isalpha():
            continue
        syns = {s.strip().lower() for s in fields[1:]}
        syns = {s for s in syns if s.isalpha() and s != root}
        if root in vocabulary:
            forward[root] = syns
        hits = syns & vocabulary
        if hits:
            listed_by[root] = hits
    reverse: dict[str, dict[str, bool]] = {}
    for term_word, syns in forward.items():
        for spun in syns:
            two = term_word in listed_by.get(spun, ())
            reverse.setdefault(spun, {})[term_word] = two
    # A root whose own list holds a term word: a spinner's thesaurus entry for that root
    # offers the term word, so the term word may have been written as that root.
    for spun, term_words in listed_by.items():
        for term_word in term_words:
            reverse.setdefault(spun, {}).setdefault(term_word, spun in forward.get(term_word, ()))
    for spun in sorted(reverse):
        words = sorted(reverse[spun].items())
        marks = [("+" if confirmed and (spun, w) in confirmed else "") + ("*" if two else "") + w for w, two in words]
        yield spun + "\t" + ",".join(marks)


def builtin_vocabulary() -> set[str]:
    """The words of the built-in terms: what the shipped channel must cover."""
    from .dictionary import builtin_dictionary_paths, load_dictionaries

    terms = load_terms(builtin_term_paths())
    entries = load_dictionaries(builtin_dictionary_paths())
    terms.extend(e.standard for e in entries if not e.is_guard and Path(e.source).name not in _NOT_TERMS)
    detector = TermDetector(terms, Channel({}))
    return detector.vocabulary


def wordnet_synonym_pairs(folder: str | os.PathLike[str] = "/usr/share/wordnet") -> set[tuple[str, str]]:
    """Ordered pairs of single words that share a WordNet synset, or whose adjective
    synsets are linked as similar (``&``): WordNet's stricter notion of a synonym."""
    words_of: dict[tuple[str, str], list[str]] = {}
    similar: list[tuple[tuple[str, str], tuple[str, str]]] = []
    for pos in ("noun", "verb", "adj", "adv"):
        with open(Path(folder) / f"data.{pos}", encoding="latin-1") as handle:
            for line in handle:
                if line.startswith(" "):
                    continue
                head = line.split(" | ", 1)[0].split()
                count = int(head[3], 16)
                words = [head[4 + 2 * i].lower().split("(")[0] for i in range(count)]
                words_of[(head[0], pos)] = [w for w in words if w.isalpha()]
                k = 4 + 2 * count
                for _ in range(int(head[k])):
                    symbol, offset, target = head[k + 1], head[k + 2], head[k + 3]
                    k += 4
                    if symbol == "&":
                        similar.append(((head[0], pos), (offset, "adj" if target in "as" else target)))
    pairs: set[tuple[str, str]] = set()
    for words in words_of.values():
        pairs.update((a, b) for a in words for b in words if a != b)
    for one, other in similar:
        for a in words_of.get(one, ()):
            for b in words_of.get(other, ()):
                if a != b:
                    pairs.update(((a, b), (b, a)))
    return pairs


def write_channel(
    target: str | os.PathLike[str],
    thesaurus: str | os.PathLike[str],
    wordnet: str | os.PathLike[str] | None = None,
) -> int:
    """Write the channel file for the built-in vocabulary from a Moby ``words.txt``
    (links WordNet confirms marked when its folder is given); lines written."""
    vocabulary = builtin_vocabulary()
    confirmed = wordnet_synonym_pairs(wordnet) if wordnet else None
    with open(thesaurus, encoding="utf-8", errors="replace") as handle:
        lines = list(build_channel_lines(handle, vocabulary, confirmed))
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(lines)


@dataclass(frozen=True)
class TermHit:
    """A run of words that reads as a term after undoing thesaurus swaps."""

    first: int  # token indices [first, last)
    last: int
    start: int  # character offsets into the text
    end: int
    written: str
    replacement: str  # the term, inflected and cased like the written run
    term: str  # the term as listed
    changed: tuple[tuple[str, str, str], ...]  # (written word, term word, evidence)
    firm: bool  # False: a thesaurus-only reading, which needs other findings in the document

    @property
    def score(self) -> float:
        """Confidence in ``(0, 1]``: firm findings 0.9, thesaurus-only ones 0.5."""
        return 0.9 if self.firm else 0.5

    @property
    def rule(self) -> str:
        """The rule id: the term it restores, so that reports group by term."""
        return f"terms:{self.term}"


@dataclass(frozen=True)
class Guards:
    """The evidence a finding needs (calibrated on clean prose, see ``bench/screen_quality.py``).

    ``more_common``: a swapped word more frequent than the term word it would
    replace by more than this (Zipf units) is no spinner's pick.
    """

    more_common: float = 1.0
    # A kept word rarer than this (Zipf) anchors a two-word term whose swap the thesaurus gives both ways.
    rare_anchor: float = 3.0
    # A swapped word rarer than this (Zipf) is a spinner's pick: thesaurus links to it need no other
    # evidence. Off (0) by default, where findings change text (context mode); screening, which only
    # flags, uses :data:`SCREENING_GUARDS` (``bench/term_evidence.py``, ``bench/screen_quality.py``).
    rare_swap: float = 0.0
    weak: bool = True  # also report thesaurus-only readings (as needing context)


#: The guards of ``degarble screen``: a single thesaurus swap to a word below Zipf 3.5 is firm.
SCREENING_GUARDS = Guards(rare_swap=3.5)

# A node of the term trie: next word -> node; the key None holds the term ending here.
_Node = dict


class TermDetector:
    """Finds runs of text that a spinner made out of a known term (see the module docstring).

    >>> channel = Channel({"profound": frozenset({"deep"})}, frozenset({("profound", "deep")}))
    >>> detector = TermDetector(["deep learning"], channel)
    >>> [(h.written, h.replacement) for h in detector.find("Profound learning works.")]
    [('Profound learning', 'Deep learning')]
    >>> detector.find("Deep learning works.")
    []
    """

    def __init__(
        self,
        terms: Iterable[str],
        channel: Channel,
        *,
        common_pair: Callable[[str, str], bool] | None = None,
        zipf: Callable[[str], float] | None = None,
        guards: Guards | None = None,
        known: Iterable[str] = (),
        learned_past_fit: bool = False,
    ) -> None:
        self.channel = channel
        # Also read a word as a *learned* swap where it fits a term as written ("fake" starts
        # "fake news", yet "fake brain organization" is "artificial neural network"); context mode.
        self.learned_past_fit = learned_past_fit
        self.guards = guards or Guards()
        self.common_pair = common_pair
        self.zipf = zipf or _zipf
        self._readings: dict[str, dict[str, str]] = {}
        self._expansions: dict[tuple[int, str], tuple[list[str], list[tuple[str, str]]]] = {}
        self._written_terms: list[tuple[int, int]] = []
        self._changeable_at: dict[int, bool] = {}
        self.root: _Node = {}
        self.known: set[tuple[str, ...]] = set()
        self.vocabulary: set[str] = set()
        # Term -> the order it was added in: among equally good readings, the earlier listed term wins.
        self.order: dict[str, int] = {}
        for term in terms:
            self.add(term)
        # Phrases that are ordinary collocations (never a finding as written), e.g. WordNet's compounds.
        self.collocations: set[tuple[str, ...]] = set()
        for phrase in known:
            self.collocations.add(tuple(t.fold for t in tokenize(phrase)))

    def add(self, term: str) -> None:
        words = tuple(t.fold for t in tokenize(term))
        if not 2 <= len(words) <= MAX_TERM_WORDS or not all(w.isalpha() for w in words):
            return
        if sum(w not in _FUNCTION for w in words) < 2:
            return  # "due to", "tend to": too little of a term to recognise
        node = self.root
        for word in words:
            node = node.setdefault(word, {})
        node.setdefault(None, term)
        self.order.setdefault(term, len(self.order))
        self.known.add(words)
        self.vocabulary.update(words)
        self._readings.clear()
        self._expansions.clear()

    def __len__(self) -> int:
        return len(self.known)

    def _readings_of(self, word: str) -> dict[str, str]:
        """The channel's candidates for ``word`` that are words of some term (cached per word)."""
        found = self._readings.get(word)
        if found is None:
            vocabulary = self.vocabulary
            found = {std: ev for std, ev in self.channel.candidates(word).items() if std in vocabulary}
            self._readings[word] = found
        return found

    def _is_known(self, words: Sequence[str]) -> bool:
        """True when the written words are (an inflection of) a term themselves."""
        node: _Node | None = self.root
        for i, word in enumerate(words):
            if node is None:
                return False
            nxt = None
            for form in _lemmas(word) if i == len(words) - 1 else (word,):
                nxt = node.get(form)
                if nxt is not None:
                    break
            node = nxt
        return node is not None and None in node

    def _is_collocation(self, words: Sequence[str]) -> bool:
        if not self.collocations:
            return False
        *head, tail = words
        return any((*head, form) in self.collocations for form in _lemmas(tail))

    def find(self, text: str, tokens: Sequence[Token] | None = None) -> list[TermHit]:
        """Non-overlapping findings in ``text``, in text order."""
        if tokens is None:
            tokens = tokenize(text)
        hits: list[TermHit] = []
        self._written_terms: list[tuple[int, int]] = []
        self._changeable_at: dict[int, bool] = {}
        n = len(tokens)
        joins = [gap_joins(text, tokens[i], tokens[i + 1]) for i in range(n - 1)]
        for i in range(n):
            end = i + 1
            while end - i < MAX_TERM_WORDS and end < n and joins[end - 1]:
                end += 1
            hits.extend(self._walk(text, tokens, range(i, end), False))
            if tokens[i].fold == "of":
                hits.extend(self._of_phrases(text, tokens, i))
        # A run inside a term written as it should be ("component analysis" in "principal
        # component analysis") is that term's part, not a swapped other term.
        written = self._written_terms
        hits = [
            h
            for h in hits
            if not any(h.first < b and a < h.last and not (h.first <= a and b <= h.last) for a, b in written)
        ]
        return _best_non_overlapping(hits, self.order)

    def _of_phrases(self, text: str, tokens: Sequence[Token], of: int) -> Iterator[TermHit]:
        """``X of (the) Y Z`` read as the term ``Y Z X``: spinners also turn a compound
        into an *of* phrase ("acknowledgement of characters" for "character recognition")."""
        if of == 0 or of + 1 >= len(tokens) or not gap_joins(text, tokens[of - 1], tokens[of]):
            return
        right = of + 1
        if tokens[right].fold == "the" and right + 1 < len(tokens) and gap_joins(text, tokens[of], tokens[right]):
            right += 1
        run: list[int] = []
        k = right
        while k < len(tokens) and len(run) < MAX_TERM_WORDS - 1 and gap_joins(text, tokens[k - 1], tokens[k]):
            run.append(k)
            k += 1
        for size in range(1, len(run) + 1):
            if size >= 2 and self._is_known([tokens[k].fold for k in run[:size]]):
                continue  # "chain of amino acids": an ordinary "X of <term>", not a reworded compound
            yield from self._walk(text, tokens, [*run[:size], of - 1], True, complete=True)

    def _walk(
        self, text: str, tokens: Sequence[Token], order: Sequence[int], reordered: bool, complete: bool = False
    ) -> Iterator[TermHit]:
        """Depth-first walk of the trie over the tokens ``order`` lists, with each word's readings.

        ``complete``: only a walk that uses every token of ``order`` counts.
        """
        stack: list[tuple[_Node, int, tuple[tuple[int, str, str], ...]]] = [(self.root, 0, ())]
        while stack:
            node, k, path = stack.pop()
            if None in node and len(path) >= 2 and (k == len(order) or not complete):
                if not reordered and all(ev == "same" for _, _, ev in path):
                    self._written_terms.append((path[0][0], path[-1][0] + 1))
                elif any(ev != "same" for _, _, ev in path):
                    hit = self._hit(text, tokens, path, node[None], reordered)
                    if hit is not None:
                        yield hit
            if k >= len(order):
                continue
            i = order[k]
            word = tokens[i].fold
            same, pairs = self._expand(node, word)
            for form in same:
                stack.append((node[form], k + 1, (*path, (i, form, "same"))))
            if not pairs:
                continue
            changeable = self._changeable_at.get(i)
            if changeable is None:
                changeable = self._changeable_at[i] = self._changeable(text, tokens, i)
            if not changeable:
                continue
            for std, evidence in pairs:
                # A learned swap of a word that fits the term as written (``learned_past_fit``).
                evidence = "refit" if same else evidence
                stack.append((node[std], k + 1, (*path, (i, std, evidence))))

    def _expand(self, node: _Node, word: str) -> tuple[list[str], list[tuple[str, str]]]:
        """The children of ``node`` that ``word`` reaches as written and as a swap (cached).

        A word that already fits the term is never read as a swap (unless ``learned_past_fit``:
        then its learned swaps are tried too).
        """
        key = (id(node), word)
        found = self._expansions.get(key)
        if found is None:
            same = [f for f in _lemmas(word) if f in node]
            pairs: list[tuple[str, str]] = []
            if not same:
                readings = self._readings_of(word)
                if len(node) < len(readings):
                    pairs = [(std, readings[std]) for std in node if std is not None and std in readings]
                else:
                    pairs = [(std, ev) for std, ev in readings.items() if std in node]
            elif self.learned_past_fit:
                readings = self._readings_of(word)
                pairs = [(std, ev) for std, ev in readings.items() if ev == "learned" and std in node]
            if len(self._expansions) > 500_000:
                self._expansions.clear()
            found = self._expansions[key] = (same, pairs)
        return found

    def _changeable(self, text: str, tokens: Sequence[Token], i: int) -> bool:
        tok = tokens[i]
        word = tok.fold
        if len(word) < MIN_LETTERS or not word.isalpha() or word in _FUNCTION:
            return False
        written = text[tok.start : tok.end]
        if written[0].isupper() and (written[1:] != written[1:].lower() or not _opens_sentence(text, tok)):
            return False  # a name or an acronym
        return True

    def _hit(
        self,
        text: str,
        tokens: Sequence[Token],
        path: tuple[tuple[int, str, str], ...],
        term: str,
        reordered: bool = False,
    ) -> TermHit | None:
        written_words = [tokens[i].fold for i, _, _ in path]
        first = min(i for i, _, _ in path)
        last = max(i for i, _, _ in path) + 1
        as_written = [t.fold for t in tokens[first:last]]
        if self._is_known(written_words) or self._is_collocation(written_words) or self._is_collocation(as_written):
            return None
        changed = [(tokens[i].fold, std, ev) for i, std, ev in path if ev != "same"]
        firm = self._firm(written_words, path, changed, reordered)
        if firm is None:
            return None
        start, end = tokens[first].start, tokens[last - 1].end
        if reordered:  # the term as listed, cased like the phrase's first word
            opening = text[tokens[first].start : tokens[first].end]
            replacement = transfer_case(term, [opening]) if opening[:1].isupper() else term
        else:
            out_words = []
            for i, std, ev in path:
                tok = tokens[i]
                shown = text[tok.start : tok.end]
                if ev == "same":
                    out_words.append(shown)
                else:
                    out_words.append(transfer_case(_reinflect(std, tok.fold), [shown]))
            replacement = _rejoin(text, tokens, first, last, out_words)
        return TermHit(first, last, start, end, text[start:end], replacement, term, tuple(changed), firm)

    def _firm(
        self,
        written: Sequence[str],
        path: tuple[tuple[int, str, str], ...],
        changed: Sequence[tuple[str, str, str]],
        reordered: bool = False,
    ) -> bool | None:
        """True: a firm finding; False: thesaurus-only (needs context); None: no finding.

        Firm: every swapped word is one that dictionaries teach (a learned pair)
        or that two thesauri agree on (Moby and WordNet), or a term of three or
        more words with a single swapped word (two kept words anchor it) or with
        a kept content word and only two-way thesaurus links, or a term whose kept
        words are all rare technical words (below ``Guards.rare_anchor`` Zipf) and
        whose swaps the thesaurus gives both ways.  Clean
        prose is full of word pairs that a dense thesaurus links to *some* term,
        so thesaurus links alone stay weak.
        """
        for k, (_, std, ev) in enumerate(path):
            if ev == "same":
                if not reordered and k < len(path) - 1 and _form_class(written[k]) == "s" != _form_class(std):
                    return None  # "studies examine" is no "study sample": a plural inside a compound
                continue
            if not _forms_agree(written[k], std, reordered or k == len(path) - 1):
                return None  # "numbering packets" is no "blood vessel": a verb form for a noun
            if written[k][:5] == std[:5]:
                # "estimate of the state" for "state estimation", "feedback controller" for
                # "feedback control": a rewording with the same stem, not a thesaurus swap
                return None
        for spun, std, ev in changed:
            if ev not in ("learned", "refit") and self.zipf(spun) > self.zipf(std) + self.guards.more_common:
                return None  # spinners pick the rarer word, not a commoner one (unless a list says so)
        if self.common_pair is not None:
            # A swapped word that makes a common phrase with its neighbour as written is
            # ordinary prose; two kept words that make one ("learning rate") say nothing.
            swapped = [ev != "same" for _, _, ev in path]
            pairs = zip(written, written[1:], swapped, swapped[1:])
            if any((x or y) and self.common_pair(a, b) for a, b, x, y in pairs):
                return None
        if any(ev == "refit" for _, _, ev in changed):
            # A word that fits a term as written is swapped only beside other learned swaps
            # ("fake brain organization"), never on thesaurus evidence ("community run").
            return True if len(changed) >= 2 and all(ev in ("learned", "refit") for _, _, ev in changed) else None
        # one WordNet synonym in a two-word term ("meaningful difference") is ordinary
        # wording as often as a swap: it needs a rare word (below) like any thesaurus link
        lone_wordnet = len(path) <= 2 and len(changed) <= 1 and all(ev == "wordnet" for _, _, ev in changed)
        if all(ev in ("learned", "wordnet") for _, _, ev in changed) and not lone_wordnet:
            return True
        if len(path) >= 3 and len(changed) == 1:
            return True
        kept = sum(ev == "same" and std not in _FUNCTION for _, std, ev in path)
        if len(path) >= 3 and kept and all(ev != "one-way" for _, _, ev in changed):
            return True  # a kept content word anchors swaps that the thesaurus gives both ways
        if (
            not reordered
            and kept
            and all(ev != "one-way" for _, _, ev in changed)
            and all(self.zipf(w) < self.guards.rare_anchor for (_, _, ev), w in zip(path, written) if ev == "same")
        ):
            return True  # every kept word is a rare, technical word ("photovoltaic"): it anchors the term
        thesaurus_only = [(spun, ev) for spun, _, ev in changed if ev != "learned"]
        if (
            not reordered
            and len(thesaurus_only) == 1
            and (thesaurus_only[0][1] != "one-way" or len(changed) > 1)
            and self.zipf(thesaurus_only[0][0]) < self.guards.rare_swap
        ):
            return True  # the one thesaurus swap wrote a rare word ("woodland"): a spinner's pick
        return False if self.guards.weak else None


@lru_cache(maxsize=200_000)
def _form_class(word: str) -> str:
    """``ing``, ``ed`` or ``s`` when ``word`` is such an inflection of another word, ``er`` or
    ``est`` when it is a comparative or superlative adjective, else ``""``."""
    import lemminflect

    for suffix in ("est", "er"):
        if word.endswith(suffix) and any(lemma != word for lemma in lemminflect.getAllLemmas(word).get("ADJ", ())):
            return suffix
    if len(_lemmas(word)) > 1 or word not in _lemmas(word)[1:]:
        others = [lemma for lemma in _lemmas(word)[1:] if lemma != word]
        if others:
            for suffix in ("ing", "ed", "s"):
                if word.endswith(suffix) and not word.endswith("ss"):
                    return suffix
    return ""


def _forms_agree(written: str, std: str, final: bool) -> bool:
    """Whether a swapped word's inflection fits the term word it stands for.

    Verb forms (``-ing``, ``-ed``) must meet the same form; a plural ``-s`` only at
    the end of the phrase (inside an English compound, words are uninflected).

    >>> _forms_agree("studying", "learning", True), _forms_agree("numbering", "blood", False)
    (True, False)
    >>> _forms_agree("woodlands", "forest", True), _forms_agree("firms", "standard", False)
    (True, False)
    """
    a, b = _form_class(written), _form_class(std)
    if a in ("er", "est") or b in ("er", "est"):
        return a == b  # "brightest sources" is no "light source": a superlative for a noun
    if a in ("ing", "ed") and not b and not final and _adjective_only(std):
        return True  # "manufactured intelligence" for "artificial intelligence": a participle as adjective
    if final and {a, b} == {"ing", ""}:
        return True  # the head of a compound: a gerund is a noun ("image handling", "data extraction")
    if a in ("ing", "ed") or b in ("ing", "ed"):
        return a == b
    if a == "s" and not final:
        return b == "s"
    return True


@lru_cache(maxsize=50_000)
def _adjective_only(word: str) -> bool:
    """Whether lemminflect knows ``word`` only as an adjective (``artificial``, not ``blood``)."""
    import lemminflect

    classes = set(lemminflect.getAllLemmas(word))
    return "ADJ" in classes and classes <= {"ADJ", "ADV"}


def _opens_sentence(text: str, tok: Token) -> bool:
    i = tok.start - 1
    while i >= 0 and text[i] in " \t\u00a0\"'“‘(":
        i -= 1
    return i < 0 or text[i] in ".!?:\n\r"


def _rejoin(text: str, tokens: Sequence[Token], first: int, last: int, words: Sequence[str]) -> str:
    """The new words with the text's own gaps (spaces, hyphens, line breaks) between them."""
    out = [words[0]]
    for k in range(1, last - first):
        out.append(text[tokens[first + k - 1].end : tokens[first + k].start])
        out.append(words[k])
    return "".join(out)


def _best_non_overlapping(hits: list[TermHit], order: Mapping[str, int] | None = None) -> list[TermHit]:
    rank = order or {}
    ranked = sorted(
        hits, key=lambda h: (not h.firm, -(h.last - h.first), -_learned(h), h.first, rank.get(h.term, len(rank)))
    )
    out: list[TermHit] = []
    for hit in ranked:
        if all(hit.last <= o.first or o.last <= hit.first for o in out):
            out.append(hit)
    return sorted(out, key=lambda h: h.first)


def _learned(hit: TermHit) -> int:
    return sum(ev == "learned" for _, _, ev in hit.changed)


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def hits_as_changes(
    text: str, tokens: Sequence[Token], hits: Iterable[TermHit], prefix: str = "context:terms"
) -> tuple[list[Change], list[Suspect]]:
    """Firm hits as changes (widened over an ``a``/``an`` that must agree), weak ones as suspects."""
    from .casing import indefinite_article, match_article_case

    changes: list[Change] = []
    suspects: list[Suspect] = []
    for hit in hits:
        if not hit.firm:
            suspects.append(
                Suspect(hit.start, hit.end, hit.written, ((hit.replacement, hit.score),), hit.score, prefix)
            )
            continue
        start, replacement = hit.start, hit.replacement
        i = hit.first - 1
        if i >= 0 and tokens[i].fold in ("a", "an") and text[tokens[i].end : hit.start] == " ":
            written = text[tokens[i].start : tokens[i].end]
            wanted = match_article_case(indefinite_article(hit.replacement), written)
            if wanted != written:
                start, replacement = tokens[i].start, f"{wanted} {replacement}"
        changes.append(
            Change(
                start,
                hit.end,
                text[start : hit.end],
                replacement,
                f"{prefix}:{hit.term}",
                hit.score,
                "terms",
                hit.term,
            )
        )
    return changes, suspects


def common_pair_test() -> Callable[[str, str], bool] | None:
    """``(a, b) -> True`` for word pairs the web bigram counts of ``wordsegment`` hold
    (the ``context`` extra); None without it."""
    try:
        from .context.language_model import ModelUnavailable, load_bigram_model
    except ImportError:  # pragma: no cover - the context package ships with degarble
        return None
    try:
        bigrams = load_bigram_model().bigrams
    except ModelUnavailable:
        return None
    return lambda a, b: (a, b) in bigrams


def screening_term_detector(entries: Iterable[Entry]) -> TermDetector:
    """The detector ``degarble screen`` uses: shipped terms and channel, ``entries``' standard
    sides and learned pairs, and the common-phrase guard where the ``context`` extra is there."""
    return term_detector_for(entries, common_pair=common_pair_test(), guards=SCREENING_GUARDS)


def learned_pairs(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """``spun word -> standard words`` taught by aligning each entry's two sides (lemma level too)."""
    from .context.substitutions import align_words

    out: dict[str, set[str]] = {}
    for entry in entries:
        if entry.is_guard or entry.case_sensitive:
            continue
        spun = [t.fold for t in tokenize(entry.spun)]
        standard = [t.fold for t in tokenize(entry.standard)]
        singles, _ = align_words(spun, standard)
        for a, b in singles:
            if a in _FUNCTION or b in _FUNCTION or not a.isalpha() or not b.isalpha():
                continue
            for form in _lemmas(a):
                out.setdefault(form, set()).add(b)
                for lemma in _lemmas(b)[1:]:
                    out[form].add(lemma)
    return out


def term_detector_for(
    entries: Iterable[Entry],
    extra_terms: Iterable[str] = (),
    *,
    channel: Channel | None = None,
    guards: Guards | None = None,
    common_pair: Callable[[str, str], bool] | None = None,
    known: Iterable[str] = (),
    thesaurus: Thesaurus | None = None,
    shipped_known: bool = True,
    learned_past_fit: bool = False,
) -> TermDetector:
    """A detector whose terms are the shipped lists plus the standard sides of ``entries``.

    The general dictionary's standard sides are everyday phrases, not terms: left out.
    """
    entries = list(entries)
    terms = load_terms(builtin_term_paths())
    terms.extend(e.standard for e in entries if not e.is_guard and Path(e.source).name not in _NOT_TERMS)
    terms.extend(extra_terms)
    if channel is None:
        channel = Channel.read(channel_path()) if channel_path().is_file() else Channel({})
    if shipped_known and known_path().is_file():
        known = [*known, *load_terms([known_path()])]
    channel = channel.with_learned(learned_pairs(entries)).with_thesaurus(thesaurus)
    return TermDetector(
        terms, channel, guards=guards, common_pair=common_pair, known=known, learned_past_fit=learned_past_fit
    )


_NOT_TERMS = frozenset({"general.tsv"})
