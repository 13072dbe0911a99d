"""Step 2: candidate originals for each eligible token or span, with a channel prior.

Sources, strongest first:

* ``learned``: the substitution model learned from the loaded dictionaries
  (:mod:`.substitutions`), at word and lemma level, and its multi-word pairs;
* ``thesaurus``: the Moby reverse index (:mod:`.thesaurus`), re-inflected;
* ``wordnet``: originals whose WordNet synonym lists offer the word (:mod:`.wordnet_channel`),
  when the decoding is given that index;
* ``phrase``: a multi-word span that the thesaurus lists as a synonym of one word;
* ``anchored``: a thesaurus reading that forms a word pair of the loaded lists'
  standard wording with a neighbour (:mod:`.anchors`).

The channel prior ``log P(spun | original)`` is a fixed log-weight per source
(learned pairs weigh more, more so with more support), plus a term for word
frequency (a spinner's pick is usually rarer than the word it replaced).  The
weights live in :class:`ChannelPrior` and are calibrated on development data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from ..casing import transfer_case
from ..tokens import Token
from .anchors import StandardPairs
from .substitutions import SubstitutionModel
from .suspects import KEEP_WORDS, joined_run
from .thesaurus import Thesaurus
from .wordnet_channel import WordNetChannel

__all__ = ["ChannelPrior", "Option", "Slot", "generate_slots", "zipf"]


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """Zipf frequency of a word or phrase (wordfreq; 0 for unknown)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@dataclass(frozen=True)
class ChannelPrior:
    """Log-weights of the channel model (how likely a spinner made this swap)."""

    learned: float = 0.0
    learned_per_support: float = 0.5
    thesaurus: float = -3.0
    thesaurus_oneway: float = -1.0
    phrase: float = -2.0
    anchored: float = -1.0
    frequency: float = 0.3
    min_zipf: float = 2.5
    # WordNet readings (wordnet_channel.py): a base like Moby's two-way links, plus this weight
    # times the sense-order channel log P(spun | original) above its mean for a first synonym.
    wordnet: float = -3.0
    wordnet_channel: float = 0.0
    # With that weight on, a Moby reading WordNet does not link counts as this log-probability.
    wordnet_missing: float = -5.0

    def weight(self, source: str, support: int, symmetric: bool, written: str, replacement: str) -> float:
        """``log`` prior of replacing ``written`` by ``replacement`` from ``source``."""
        if source == "learned":
            base = self.learned + self.learned_per_support * math.log(support)
        elif source == "phrase":
            base = self.phrase
        elif source == "anchored":
            base = self.anchored
        elif source == "wordnet":
            base = self.wordnet
        else:
            base = self.thesaurus + (0.0 if symmetric else self.thesaurus_oneway)
        return base + self.frequency * (zipf(replacement) - zipf(written))


@dataclass(frozen=True)
class Option:
    """One candidate reading of a slot."""

    text: str  # the replacement as it will be written (case carried over)
    prior: float
    source: str
    standard: str  # folded form, for reports
    # Learned readings: log-odds that the loaded lists change the written word this way
    # rather than keep it (:meth:`.SubstitutionModel.log_odds`); 0 for other sources.
    odds: float = 0.0


@dataclass
class Slot:
    """A token or span of tokens ``[first, last)`` with its candidate readings."""

    first: int
    last: int
    written: str
    options: list[Option]


def _word_options(
    word: str,
    written: str,
    model: SubstitutionModel | None,
    thesaurus: Thesaurus | None,
    prior: ChannelPrior,
    limit: int,
    anchor: Callable[[str], bool] | None = None,
    wordnet: WordNetChannel | None = None,
) -> list[Option]:
    found: dict[str, Option] = {}
    if model is not None:
        for std, support in model.candidates(word).items():
            text = transfer_case(std, [written])
            found[std] = Option(
                text,
                prior.weight("learned", support, True, word, std),
                "learned",
                std,
                model.log_odds(word, support),
            )
    if thesaurus is not None:
        for std, symmetric in thesaurus.candidates(word).items():
            if std in found or std in KEEP_WORDS or zipf(std) < prior.min_zipf:
                continue
            text = transfer_case(std, [written])
            if anchor is not None and anchor(std):
                found[std] = Option(text, prior.weight("anchored", 1, symmetric, word, std), "anchored", std)
            else:
                found[std] = Option(text, prior.weight("thesaurus", 1, symmetric, word, std), "thesaurus", std)
    if wordnet is not None:
        links = wordnet.candidates(word)
        if prior.wordnet_channel:
            for std, old in list(found.items()):
                if old.source == "thesaurus" and std not in links:
                    missing = prior.wordnet_channel * (prior.wordnet_missing - math.log(0.6))
                    found[std] = Option(old.text, old.prior + missing, old.source, std)
        for std, link in links.items():
            channel = prior.wordnet_channel * (link.log_channel() - math.log(0.6))
            old = found.get(std)
            if old is not None:
                if old.source == "thesaurus" and channel:
                    found[std] = Option(old.text, old.prior + channel, old.source, std)
                continue
            if std in KEEP_WORDS or zipf(std) < prior.min_zipf:
                continue
            text = transfer_case(std, [written])
            found[std] = Option(text, prior.weight("wordnet", 1, True, word, std) + channel, "wordnet", std)
    ranked = sorted(found.values(), key=lambda o: -o.prior)
    learned = [o for o in ranked if o.source in ("learned", "anchored")]
    rest = [o for o in ranked if o.source not in ("learned", "anchored")]
    return learned + rest[: max(0, limit - len(learned))]


def generate_slots(
    text: str,
    tokens: Sequence[Token],
    eligible: Sequence[int],
    model: SubstitutionModel | None,
    thesaurus: Thesaurus | None,
    prior: ChannelPrior,
    limit: int = 40,
    max_phrase: int = 3,
    standard_pairs: StandardPairs | None = None,
    wordnet: WordNetChannel | None = None,
) -> list[Slot]:
    """Slots for eligible tokens (one word) and for spans the sources know (several words).

    ``standard_pairs``: thesaurus readings that form one of these pairs with a neighbour
    become ``anchored`` options (:mod:`.anchors`)."""
    slots: list[Slot] = []
    eligible_set = set(eligible)
    for i in eligible:
        tok = tokens[i]
        written = text[tok.start : tok.end]
        anchor = None
        if standard_pairs is not None and standard_pairs.applies(tok.fold):
            left, right = standard_pairs.neighbour_readings(text, tokens, i, i + 1, model)
            anchor = partial(standard_pairs.anchored, left=left, right=right)
        options = _word_options(tok.fold, written, model, thesaurus, prior, limit, anchor, wordnet)
        if options:
            slots.append(Slot(i, i + 1, written, options))
    # Multi-word spans: learned phrase pairs and thesaurus phrases (``kicked the bucket``).
    for i in eligible:
        for size in range(2, max_phrase + 1):
            last = i + size
            if last > len(tokens) or not joined_run(text, tokens, i, size):
                break
            words = tuple(t.fold for t in tokens[i:last])
            written_words = [text[t.start : t.end] for t in tokens[i:last]]
            if any(w[:1].isupper() for w in written_words[1:]):
                break
            options: list[Option] = []
            if model is not None:
                for std_words, support in model.phrase_candidates(words).items():
                    std = " ".join(std_words)
                    options.append(
                        Option(
                            transfer_case(std, written_words),
                            prior.weight("learned", support, True, " ".join(words), std),
                            "learned",
                            std,
                        )
                    )
            if thesaurus is not None and (last - 1 in eligible_set or words[-1] not in KEEP_WORDS):
                from .morphology import lemmas_of, reinflect_like

                anchor = None
                if standard_pairs is not None:
                    left, right = standard_pairs.neighbour_readings(text, tokens, i, last, model)
                    anchor = partial(standard_pairs.anchored, left=left, right=right)

                for lemma in dict.fromkeys((words[0], *lemmas_of(words[0]))):
                    for root in thesaurus.phrase_candidates((lemma, *words[1:])):
                        forms = (root,) if lemma == words[0] else reinflect_like(root, words[0])
                        for form in forms:
                            if zipf(form) >= prior.min_zipf:
                                source = "anchored" if anchor is not None and anchor(form) else "phrase"
                                options.append(
                                    Option(
                                        transfer_case(form, written_words),
                                        prior.weight(source, 1, True, " ".join(words), form),
                                        source,
                                        form,
                                    )
                                )
            if options:
                start, end = tokens[i].start, tokens[last - 1].end
                slots.append(Slot(i, last, text[start:end], options[:limit]))
    slots.sort(key=lambda s: (s.first, s.last))
    return slots
