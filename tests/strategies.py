"""Hypothesis strategies for hostile text: dictionary phrases, clean prose and odd Unicode."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

from degarble.matcher import PhraseIndex
from degarble.spelling import spelling_key
from degarble.tokens import tokenize

CLEAN_WORDS = (
    "the model was trained on images and the results were reported in the journal "
    "we measured temperature pressure and flow rate across three sites during winter "
    "recognition enforcement learning forest cancer intelligence data use when recently"
).split()

HOSTILE = [
    "\u0301",  # combining acute accent
    "e\u0301\u0323",  # stacked combining marks
    "שלום עולם",  # Hebrew (RTL)
    "مرحبا بالعالم",  # Arabic (RTL)
    "\u202eevil\u202c",  # bidi override
    "👩\u200d👩\u200d👧",  # emoji ZWJ sequence
    "🇫🇷",
    "İ",
    "İstanbul",
    "ß",
    "STRASSE",
    "ﬁ",
    "\u200d",  # zero-width joiner
    "\u200c",  # zero-width non-joiner
    "\u200b",  # zero-width space
    "\ufeff",  # BOM inside text
    "\u00a0",  # no-break space
    "\u2028",  # line separator
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\t",
    "\x00",
    "\x0b\x0c\x1c\x85",
    "-",
    "‐",
    "’",
    "'",
    "…",
    "\U0010fffd",
    "Ǆ",  # title-case digraph
    "ΣΑΣ",  # final sigma on lowering
    "Ⅻ",
    "١٢٣",  # Arabic-Indic digits
]


def _case_variant(draw: st.DrawFn, phrase: str) -> str:
    style = draw(st.sampled_from(["as is", "upper", "title", "capital"]))
    if style == "upper":
        return phrase.upper()
    if style == "title":
        return phrase.title()
    if style == "capital":
        return phrase[:1].upper() + phrase[1:]
    return phrase


@st.composite
def phrase_piece(draw: st.DrawFn, phrases: list[str]) -> str:
    """A dictionary phrase, in some case, its words joined by a space, hyphen or line break."""
    phrase = _case_variant(draw, draw(st.sampled_from(phrases)))
    words = phrase.split(" ")
    out = words[0]
    for word in words[1:]:
        out += draw(st.sampled_from([" ", " ", "-", "\n", "\r\n", "  "])) + word
    return out


def random_text() -> st.SearchStrategy[str]:
    """Surrogate-free code points of any category (``str`` must stay encodable)."""
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def long_piece() -> st.SearchStrategy[str]:
    return st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "é", "-", " ", "model ", "\u0301", "x-"]),
                     st.integers(500, 5000))  # fmt: skip


def hostile_text(
    phrases: Iterable[str], *, with_phrases: bool = True, avoid: set[str] = frozenset()
) -> st.SearchStrategy[str]:
    """Text mixing phrases (optionally), clean words, hostile Unicode, random code points and long runs.

    ``avoid``: words the clean prose must not use (the words of dictionary keys).
    """
    pieces: list[st.SearchStrategy[str]] = [
        st.sampled_from([w for w in CLEAN_WORDS if w not in avoid]),
        st.sampled_from(HOSTILE),
        random_text(),
        long_piece(),
    ]
    phrases = list(phrases)
    if with_phrases and phrases:
        pieces += [phrase_piece(phrases), phrase_piece(phrases)]
    separators = st.sampled_from([" ", " ", ", ", ". ", "\n", "\r\n", "", "-", " a ", " an ", "\t"])
    return st.lists(st.tuples(st.one_of(pieces), separators), max_size=25).map(
        lambda parts: "".join(p + s for p, s in parts)
    )


def index_words(index: PhraseIndex) -> set[str]:
    """Every word (and spelling key) that some key of ``index`` is made of."""
    words = {w for key in (*index.exact, *index.variant) for w in key}
    return words | {spelling_key(w) for w in words}


def mentions_a_key_word(text: str, words: set[str]) -> bool:
    return any(t.fold in words or spelling_key(t.fold) in words for t in tokenize(text))
