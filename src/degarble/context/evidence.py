"""Evidence per candidate reading, for a decision over all of it at once.

The margin rule of :mod:`.decision` looks at one number (how much the language
model prefers a reading).  A spinner's swap leaves more traces than that: the
candidate's source, how the written word and the candidate sit in the thesaurus
(two-way link, the size of the candidate's synonym list), their frequencies and
parts of speech, whether the written word is spinner vocabulary, how spun the
whole document looks and whether the neighbours look spun too.  This module
turns a decoded cluster into one row of such evidence per single-word option, so
a small calibrated function (:mod:`.calibrated`) can weigh them together.

Every feature is a general property of words, the thesaurus or the document;
nothing here knows any development text.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..tokens import Token
from .candidates import Option, zipf
from .decoding import Decoded
from .morphology import lemmas_of, pos_lemmas
from .thesaurus import Thesaurus
from .wordnet_channel import WordNetChannel

__all__ = ["RAW_FIELDS", "Document", "Row", "document_evidence", "option_rows"]

#: The raw evidence of one option, in this order (see :func:`option_rows`).
RAW_FIELDS = (
    "gain",  # LM gain of this option alone, priors included (nats)
    "gap",  # gain minus the best other option's gain in the slot
    "top",  # 1 when it is the slot's best option by gain
    "joint",  # 1 when the cluster's best joint reading takes it
    "margin",  # that reading's margin for this slot (0 when not taken)
    "learned",  # 1 for a learned substitution (dictionaries, spinner vocabulary)
    "odds",  # learned readings: the lists' log-odds of changing rather than keeping the word
    "two_way",  # thesaurus: the written word is also a root listing the candidate
    "zipf_written",
    "zipf_candidate",
    "entry_size",  # log(1 + size of the candidate's synonym list)
    "options",  # log(number of options of the slot)
    "pos_agree",  # written word and candidate share a part of speech (lemminflect)
    "spinner_word",  # the written word is spinner vocabulary (context/spinner_words.tsv)
    "density",  # dictionary + term findings per 100 words of the document
    "suspicion",  # slots with a gain >= 1 per 100 words of the document
    "neighbours",  # tokens within 2 either side that look spun (changed, protected or a slot gaining >= 1)
    "share",  # the option's share of the slot's posterior: softmax of the gains, "as written" at 0
    "channel_share",  # its share of a thesaurus channel P(original) / |synonyms(original)| over the slot
    # Sixth round: WordNet's sense order (wordnet_channel.py) and the document's own words.
    "wn_source",  # 1 for a candidate only WordNet offers (source ``wordnet``)
    "wn_link",  # 1 when a WordNet synonym list of the candidate offers the written word
    "wn_first",  # 1 when it is the first single word offered for one of the candidate's senses
    "wn_sense",  # log of that sense's number (0 = the candidate's most frequent sense; 3 without a link)
    "wn_logp",  # the sense-order channel log P(written | candidate) (-8 without a link)
    "in_document",  # the candidate (any form) is written elsewhere in the document
)


@dataclass(frozen=True)
class Document:
    """Document-level evidence: how spun the text looks as a whole."""

    density: float
    suspicion: float


@dataclass(frozen=True)
class Row:
    """One option of one single-word slot, with its raw evidence."""

    cluster: int
    slot: int
    option: Option
    values: tuple[float, ...]


def _clip(value: float, low: float = -20.0, high: float = 20.0) -> float:
    return max(low, min(high, value))


def document_evidence(words: int, findings: int, decoded: Sequence[Decoded]) -> Document:
    """Spin density (findings per 100 words) and suspicion (slots gaining >= 1 nat per 100 words)."""
    gaining = sum(1 for d in decoded for ranked in d.gains if ranked and ranked[0][1] >= 1.0)
    per = 100.0 / max(words, 1)
    return Document(findings * per, gaining * per)


def _pos(word: str) -> frozenset[str]:
    return frozenset(pos for pos, _ in pos_lemmas(word))


def _entry_size(thesaurus: Thesaurus | None, candidate: str) -> float:
    if thesaurus is None:
        return 0.0
    for root in dict.fromkeys((candidate, *lemmas_of(candidate))):
        size = len(thesaurus.synonyms(root))
        if size:
            return math.log1p(size)
    return 0.0


def _two_way(thesaurus: Thesaurus | None, written: str, candidate: str) -> bool:
    if thesaurus is None:
        return False
    for w in dict.fromkeys((written, *lemmas_of(written))):
        for c in dict.fromkeys((candidate, *lemmas_of(candidate))):
            if thesaurus.lists(w, c):
                return True
    return False


def option_rows(
    tokens: Sequence[Token],
    decoded: Sequence[Decoded],
    document: Document,
    thesaurus: Thesaurus | None,
    spinner_words: Collection[str],
    protected: Collection[int],
    sentence_starts: Sequence[int],
    wordnet: WordNetChannel | None = None,
) -> list[Row]:
    """One row per option of every single-word slot of the decoded clusters."""
    written_lemmas: set[str] = set()
    for token in tokens:
        written_lemmas.add(token.fold)
        written_lemmas.update(lemmas_of(token.fold))
    looks_spun: set[int] = set(protected)
    for d in decoded:
        for k, slot in enumerate(d.slots):
            if d.gains[k] and d.gains[k][0][1] >= 1.0:
                looks_spun.update(range(slot.first, slot.last))
            if d.best.choice[k] is not None:
                looks_spun.update(range(slot.first, slot.last))
    rows: list[Row] = []
    for c, d in enumerate(decoded):
        for k, slot in enumerate(d.slots):
            if slot.last - slot.first != 1 or not d.gains[k]:
                continue
            i = slot.first
            written = tokens[i].fold
            neighbours = sum(
                1
                for j in (i - 2, i - 1, i + 1, i + 2)
                if 0 <= j < len(tokens) and sentence_starts[j] == sentence_starts[i] and j in looks_spun
            )
            ranked = [(o, g) for o, g in d.gains[k] if g > -math.inf]
            taken = d.best.choice[k]
            top_gain = max([0.0, *(g for _, g in ranked)])
            norm = math.exp(-top_gain) + sum(math.exp(g - top_gain) for _, g in ranked)
            sizes = {id(o): _entry_size(thesaurus, o.standard) for o, _ in ranked}
            channel = {id(o): zipf(o.standard) * math.log(10) - sizes[id(o)] for o, _ in ranked}
            top_channel = max(channel.values(), default=0.0)
            channel_norm = sum(math.exp(v - top_channel) for v in channel.values())
            for rank, (option, gain) in enumerate(ranked):
                # The best other option's gain (ranked is in gain order).
                other = ranked[1][1] if rank == 0 and len(ranked) > 1 else (ranked[0][1] if rank else None)
                gap = gain - (other if other is not None else gain - 5.0)
                joint = taken is option
                candidate = option.standard
                link = wordnet.link(written, candidate) if wordnet is not None and " " not in candidate else None
                values = (
                    _clip(gain, -30.0, 30.0),
                    _clip(gap),
                    1.0 if rank == 0 else 0.0,
                    1.0 if joint else 0.0,
                    _clip(d.margins.get(k, 0.0), -30.0, 30.0) if joint else 0.0,
                    1.0 if option.source == "learned" else 0.0,
                    option.odds,
                    1.0 if _two_way(thesaurus, written, candidate) else 0.0,
                    zipf(written),
                    zipf(candidate),
                    sizes[id(option)],
                    math.log(len(ranked)),
                    1.0 if _pos(written) & _pos(candidate) else 0.0,
                    1.0 if written in spinner_words else 0.0,
                    document.density,
                    document.suspicion,
                    float(neighbours),
                    math.exp(gain - top_gain) / norm,
                    math.exp(channel[id(option)] - top_channel) / channel_norm,
                    1.0 if option.source == "wordnet" else 0.0,
                    0.0 if link is None else 1.0,
                    1.0 if link is not None and link.rank == 0 else 0.0,
                    3.0 if link is None else math.log(link.sense),
                    -8.0 if link is None else max(-8.0, link.log_channel()),
                    1.0 if written_lemmas & {candidate, *lemmas_of(candidate)} else 0.0,
                )
                rows.append(Row(c, k, option, values))
    return rows
