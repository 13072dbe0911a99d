"""Screening quality: detection of tortured phrases and false findings on clean prose.

Measures, with the built-in dictionaries only and with a Problematic Paper
Screener export loaded (``-d``):

* detection share: each tortured phrase of ``dev.jsonl`` is embedded in a
  sentence (three templates in turn) and counts as found when a finding
  overlaps it; ``standard`` counts those whose finding reads the expected text;
  ``ctx_counted`` also counts ``ctx`` entries, as in a paper with other findings;
* the same for the plain fingerprints of the export itself (quoted phrase only);
* findings on the real spun paragraphs of ``spinbot-wikipedia/dev.jsonl`` by method, and the
  share *confirmed* by the original (its standard phrase occurs there): a lower bound on
  precision, default and with ``--weak-terms``;
* false findings per 1,000 words on clean prose: the originals of
  ``spinbot-wikipedia/dev.jsonl`` and the hand-written scientific fixtures in
  ``tests/fixtures/clean`` (and ``tests/fixtures/negative`` where present; every
  false finding is listed with ``--show``); ``clean_enlarged_builtin`` adds the
  clean prose of ``tests/fixtures/clean_extra`` (about 4,500 more words); the
  ``ctx_counted`` variant shows what ``ctx`` entries would add in a document that
  also has a firm finding (their worst case).

The term detector (:mod:`degarble.terms`, on by default in ``degarble screen``)
is measured in the same runs: ``detection_dev_builtin`` counts its firm
findings (its thesaurus-only ``terms-ctx`` findings cannot count alone in one
sentence), ``..._ctx_counted`` counts those too, as in a paper with other
findings; ``detection_dev_dictionaries_only`` is the same screener without it
(``--no-terms``).  ``--no-common-pairs`` measures the default install, which
lacks the ``context`` extra's web bigram counts (one of the term detector's
precision guards).

Usage::

With ``--lm-terms`` (needs the ``context`` extra; a few CPU minutes), also the
same figures for ``degarble screen --lm-terms`` (thesaurus-only readings that
SmolLM2 confirms count, :mod:`degarble.screen.term_check`), once per margin of
``--lm-margins`` (the model's scores are cached, so extra margins cost little).

    python bench/screen_quality.py [--data ../shared/data] [--show] [--no-common-pairs]
                                   [--lm-terms [--lm-margins 6,8,10]]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import re
import sys
import time
from pathlib import Path

from degarble.restorer import Restorer
from degarble.screen.cli import build_screener
from degarble.screen.findings import Levels, Screener
from degarble.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = (
    "In this paper, the {} is used throughout the study.",
    "We show that {} improves the results of earlier work.",
    "Results obtained with {} were compared with the baseline.",
)


def _norm(text: str) -> str:
    return " ".join(t.fold for t in tokenize(text))


def detection(
    screener: Screener, pairs: list[tuple[str, str]], papers: list[int] | None = None
) -> dict[str, object]:
    """Share of phrases with an overlapping finding, and with the expected standard.

    With ``papers`` (how many papers carry each phrase), also the share weighted by it.
    """
    found = standard = 0
    weight_found = 0
    missed: list[str] = []
    for i, (phrase, expected) in enumerate(pairs):
        template = TEMPLATES[i % len(TEMPLATES)]
        start = template.index("{}")
        text = template.format(phrase)
        end = start + len(phrase)
        hits = [f for f in screener.find(text) if f.start < end and start < f.end]
        if hits:
            found += 1
            weight_found += papers[i] if papers else 0
            want = _norm(expected)
            if any(want in _norm(f.standard) or _norm(f.standard) in want for f in hits):
                standard += 1
        else:
            missed.append(phrase)
    total = len(pairs)
    weighted = {}
    if papers and sum(papers):
        weighted = {"share_found_by_papers": round(weight_found / sum(papers), 4)}
    return {
        "phrases": total,
        "found": found,
        "share_found": round(found / total, 4) if total else 0.0,
        **weighted,
        "share_standard": round(standard / total, 4) if total else 0.0,
        "missed_examples": missed[:10],
    }


def false_findings(screener: Screener, texts: list[tuple[str, str]]) -> dict[str, object]:
    """Findings per 1,000 words on prose that has no tortured phrase."""
    words = 0
    found: list[dict[str, str]] = []
    for name, text in texts:
        words += len(tokenize(text))
        for f in screener.find(text):
            left = text[max(0, f.start - 40) : f.start].replace("\n", " ")
            right = text[f.end : f.end + 40].replace("\n", " ")
            found.append(
                {"doc": name, "phrase": f.phrase, "standard": f.standard, "rule": f.rule,
                 "context": f"{left}[{text[f.start:f.end]}]{right}"}
            )
    return {
        "documents": len(texts),
        "words": words,
        "false_findings": len(found),
        "per_1000_words": round(1000 * len(found) / words, 3) if words else 0.0,
        "list": found,
    }


class _AllTerms:
    """A term detector whose every finding is firm (the worst case of ``terms-ctx`` findings)."""

    def __init__(self, detector: object) -> None:
        self.detector = detector
        self.common_pair = getattr(detector, "common_pair", None)

    def __len__(self) -> int:
        return len(self.detector)  # type: ignore[arg-type]

    def find(self, text: str, tokens: object = None) -> list[object]:
        return [dataclasses.replace(h, firm=True) for h in self.detector.find(text, tokens)]  # type: ignore[attr-defined]


def spun_paragraph_findings(screener: Screener, pairs: list[tuple[str, str]]) -> dict[str, object]:
    """Findings on real spun paragraphs, by method, and the share whose standard phrase the original has.

    A finding is *confirmed* when its standard phrase (folded, with a plural ``s`` allowed
    on each word) occurs in the paragraph's original: a lower bound on its precision, as the
    original may say the same thing in other words.
    """
    by_method: dict[str, list[int]] = {}
    wrong: list[str] = []
    for spun, original in pairs:
        folded = _norm(original)
        for f in screener.find(spun):
            words = [re.escape(w) for w in _norm(f.standard).split()]
            pattern = r"\b" + r"s?\s+".join(words) + r"s?\b"
            ok = re.search(pattern, folded) is not None
            tally = by_method.setdefault(f.method, [0, 0])
            tally[0] += 1
            tally[1] += ok
            if not ok and f.method.startswith("terms"):
                wrong.append(f"{f.method}: {f.phrase!r} -> {f.standard!r}")
    return {
        "paragraphs": len(pairs),
        "by_method": {
            m: {"findings": n, "confirmed": k, "share": round(k / n, 3)} for m, (n, k) in sorted(by_method.items())
        },
        "list": [{"rule": w, "phrase": "", "standard": "", "context": ""} for w in wrong],
    }


def plain_fingerprints(export: Path) -> list[tuple[str, str]]:
    """The export's rows that are one quoted phrase, as (phrase, expected)."""
    with export.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for row in rows:
        query = (row.get("tortured_phrase") or row.get("Fingerprint - Tortured Phrase") or "").strip()
        expected = row.get("expected_phrase") or row.get("Expected Text") or ""
        match = re.fullmatch(r'"([^"]+)"', query)
        if match:
            out.append((match.group(1), expected))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--show", action="store_true", help="list every false finding")
    parser.add_argument(
        "--builtin-dir", help="take the 'built-in' *.tsv from this folder instead of the installed ones"
    )
    parser.add_argument(
        "--no-common-pairs",
        action="store_true",
        help="term detector without the web bigram guard (as in an install without the context extra)",
    )
    parser.add_argument(
        "--lm-terms", action="store_true", help="also measure --lm-terms (SmolLM2 confirms weak term readings)"
    )
    parser.add_argument(
        "--lm-margins", default="", help="comma-separated margins (nats) to measure; default: the shipped one"
    )
    args = parser.parse_args()
    if args.no_common_pairs:
        import degarble.terms

        degarble.terms.common_pair_test = lambda: None
    data = Path(args.data)
    dev_path = data / "tortured-phrases" / "dev.jsonl"
    export = data / "tortured-phrases" / "pps-export-dev.csv"
    spin = data / "spinbot-wikipedia" / "dev.jsonl"
    if not dev_path.exists():
        sys.exit(f"no measurement data at {data} (pass --data)")
    dev = [json.loads(line) for line in dev_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(d["tortured"], d["expected"]) for d in dev]
    papers = [int(d.get("papers") or 0) for d in dev]
    clean = [(f"wikipedia:{i}", json.loads(line)["original"]) for i, line in
             enumerate(spin.read_text(encoding="utf-8").splitlines()) if line.strip()]
    fixture_files = sorted((ROOT / "tests/fixtures/clean").glob("*.txt"))
    fixture_files += sorted((ROOT / "tests/fixtures/negative").glob("*.txt"))  # the project's clean texts
    fixtures = [(p.name, p.read_text(encoding="utf-8")) for p in fixture_files]
    # More clean prose written for screening (tests/fixtures/clean_extra): the enlarged figure.
    extra_files = sorted((ROOT / "tests/fixtures/clean_extra").glob("*.txt"))
    extra = [(p.name, p.read_text(encoding="utf-8")) for p in extra_files]

    if args.builtin_dir:
        base = [str(p) for p in sorted(Path(args.builtin_dir).glob("*.tsv"))]
        builtin = build_screener(base, True, True, Levels())
        with_export = build_screener([*base, str(export)], True, True, Levels())
    else:
        builtin = build_screener([], False, True, Levels())
        with_export = build_screener([str(export)], False, True, Levels())
    # In a spun paper, ctx entries fire (the paper has other, firm findings); alone in one
    # sentence they cannot. This variant counts them as they would count in such a paper.
    firm = [dataclasses.replace(e, flags=e.flags - {"ctx"}) for e in builtin.restorer.entries]
    weak_terms = builtin.terms
    in_spun_paper = Screener(Restorer([], entries=firm), levels=Levels(), terms=_AllTerms(weak_terms))
    dictionaries_only = Screener(builtin.restorer, levels=Levels())
    with_weak_terms = Screener(builtin.restorer, levels=Levels(), terms=builtin.terms, weak_terms=True)
    spun_pairs = [(json.loads(line)["spun"], json.loads(line)["original"]) for line in
                  spin.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = {
        "builtin_entries": len(builtin.restorer.entries),
        "builtin_ctx_entries": sum(e.needs_context for e in builtin.restorer.entries),
        "term_detector": {
            "terms": len(builtin.terms) if builtin.terms else 0,
            "common_pair_guard": bool(builtin.terms and builtin.terms.common_pair),
        },
        "detection_dev_dictionaries_only": detection(dictionaries_only, pairs, papers),
        "detection_dev_builtin": detection(builtin, pairs, papers),
        "detection_dev_builtin_ctx_counted": detection(in_spun_paper, pairs, papers),
        "detection_dev_with_export": detection(with_export, pairs, papers),
        "detection_export_plain_fingerprints": detection(with_export, plain_fingerprints(export)),
        "clean_wikipedia_builtin": false_findings(builtin, clean),
        "clean_fixtures_builtin": false_findings(builtin, fixtures),
        "clean_all_builtin": false_findings(builtin, clean + fixtures),
        "clean_extra_builtin": false_findings(builtin, extra),
        "clean_enlarged_builtin": false_findings(builtin, clean + fixtures + extra),
        "clean_all_dictionaries_only": false_findings(dictionaries_only, clean + fixtures),
        "clean_all_with_export": false_findings(with_export, clean + fixtures),
        # Worst case for ctx entries: every clean document as if it also had one firm finding.
        "clean_all_builtin_ctx_counted": false_findings(in_spun_paper, clean + fixtures),
        # Precision on real spun text (SpinBot paragraphs), default and with --weak-terms.
        "spun_paragraph_findings": spun_paragraph_findings(builtin, spun_pairs),
        "spun_paragraph_findings_weak_terms": spun_paragraph_findings(with_weak_terms, spun_pairs),
    }
    if args.lm_terms:
        from degarble.screen.term_check import DEFAULT_MARGIN, load_term_check

        check = load_term_check(threads=1)  # the machine is shared: one torch thread
        with_lm = Screener(builtin.restorer, levels=Levels(), terms=builtin.terms, term_check=check)
        margins = [float(m) for m in args.lm_margins.split(",") if m.strip()] or [DEFAULT_MARGIN]
        # Cost: CPU time over the enlarged clean prose, the model's score cache still cold,
        # against the default screener over the same prose in the same process.
        prose = [text for _, text in clean + fixtures + extra]
        started = time.process_time()
        for text in prose:
            builtin.find(text)
        plain = time.process_time() - started
        started = time.process_time()
        for text in prose:
            with_lm.find(text)
        lm_cpu = time.process_time() - started
        result["lm_terms_cost_clean_enlarged"] = {
            "words": sum(len(tokenize(t)) for t in prose),
            "windows_scored": len(check.model._cache),  # type: ignore[attr-defined]
            "cpu_s_default": round(plain, 2),
            "cpu_s_lm_terms": round(lm_cpu, 2),
            "ratio": round(lm_cpu / plain, 1) if plain else None,
        }
        for margin in margins:
            check.margin = margin
            tag = f"lm{margin:g}"
            result[f"detection_dev_builtin_{tag}"] = detection(with_lm, pairs, papers)
            result[f"clean_all_builtin_{tag}"] = false_findings(with_lm, clean + fixtures)
            result[f"clean_enlarged_builtin_{tag}"] = false_findings(with_lm, clean + fixtures + extra)
            result[f"spun_paragraph_findings_{tag}"] = spun_paragraph_findings(with_lm, spun_pairs)
    for key, value in result.items():
        if isinstance(value, dict):
            shown = {k: v for k, v in value.items() if k != "list" and (args.show or k != "missed_examples")}
            print(f"{key}: {json.dumps(shown, ensure_ascii=False)}")
            if args.show and value.get("list"):
                for item in value["list"]:
                    rule, phrase, standard = item["rule"], item["phrase"], item["standard"]
                    print(f"    {rule}: {phrase!r} -> {standard!r}  ({item['context']})")
        else:
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
