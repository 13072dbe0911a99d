"""Why the term detector misses tortured phrases: aggregate counts only.

For each phrase of ``dev.jsonl`` that the built-in screener does not find (in
the same sentence templates as ``bench/screen_quality.py``), one cause:

* ``term_not_in_list``: its expected text is no built-in term (lever: term coverage);
* ``length_differs``: the phrase has another number of words than the term;
* ``link_missing``: the term is listed but some swapped word has no channel link to
  the term word (lever: channel coverage); split by whether WordNet knows the pair;
* ``weak_only``: every link is there, the detector reads it, but thesaurus-only;
* ``rejected``: every link is there and no reading survives a guard.

For ``rejected`` it also counts how many each relaxed guard would let through.
Prints counts, never the phrases (the dev list is measurement data: decisions
must generalise, not follow its entries).

    python bench/term_misses.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import degarble.terms as terms_module
from degarble.screen.cli import build_screener
from degarble.screen.findings import Levels
from degarble.tokens import tokenize
from screen_quality import TEMPLATES  # the same sentences the detection share uses (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]


def _words(text: str) -> list[str]:
    return [t.fold for t in tokenize(text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    dev_path = Path(args.data) / "tortured-phrases" / "dev.jsonl"
    if not dev_path.exists():
        sys.exit(f"no measurement data at {args.data} (pass --data)")
    dev = [json.loads(line) for line in dev_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    screener = build_screener([], False, True, Levels())
    detector = screener.terms
    assert detector is not None
    wn_pairs = terms_module.wordnet_synonym_pairs() if Path("/usr/share/wordnet/data.noun").is_file() else set()
    wn_compounds = set(terms_module.wordnet_compounds()) if Path("/usr/share/wordnet").is_dir() else set()
    causes: Counter[str] = Counter()
    not_in_list: Counter[str] = Counter()
    missing_links = Counter[str]()
    rejected_idx: list[int] = []
    for i, d in enumerate(dev):
        phrase, expected = d["tortured"], d["expected"]
        template = TEMPLATES[i % len(TEMPLATES)]
        start = template.index("{}")
        text = template.format(phrase)
        end = start + len(phrase)
        if any(f.start < end and start < f.end for f in screener.find(text)):
            causes["found"] += 1
            continue
        spun, std = _words(phrase), _words(expected)
        if not detector._is_known(std):
            causes["term_not_in_list"] += 1
            not_in_list[f"words={min(len(std), 5)}"] += 1
            if " ".join(std) in wn_compounds:
                not_in_list["wordnet_compound"] += 1
            if len(std) < 2:
                not_in_list["single_word"] += 1
            continue
        if len(spun) != len(std):
            causes["length_differs"] += 1
            continue
        links_ok = True
        for a, b in zip(spun, std):
            if a == b or b in terms_module._lemmas(a):
                continue
            if b not in detector.channel.candidates(a):
                links_ok = False
                missing_links["missing_link"] += 1
                if any((f, b) in wn_pairs for f in terms_module._lemmas(a)):
                    missing_links["missing_link_wordnet_has"] += 1
        if not links_ok:
            causes["link_missing"] += 1
            continue
        weak = [h for h in detector.find(text) if h.start < end and start < h.end]
        if weak:
            causes["weak_only" if not any(h.firm for h in weak) else "firm_but_dropped"] += 1
        else:
            causes["rejected"] += 1
            rejected_idx.append(i)
    total = len(dev)
    print("phrases:", total)
    for k, v in causes.most_common():
        print(f"  {k}: {v} ({v / total:.3f})")
    print("not in list:", dict(not_in_list))
    print("links:", dict(missing_links))
    # Which guard rejects the phrases whose links are all there.
    relaxations = {
        "no_common_pair": lambda det: setattr(det, "common_pair", None),
        "no_collocations": lambda det: setattr(det, "collocations", set()),
        "no_zipf_guard": lambda det: setattr(det, "guards", terms_module.Guards(more_common=99.0)),
    }

    def let_through(det: terms_module.TermDetector) -> int:
        """How many of the rejected phrases the relaxed detector finds in their sentence."""
        n = 0
        for i in rejected_idx:
            template = TEMPLATES[i % len(TEMPLATES)]
            text = template.format(dev[i]["tortured"])
            start = template.index("{}")
            end = start + len(dev[i]["tortured"])
            n += any(h.start < end and start < h.end for h in det.find(text))
        return n

    for name, relax in relaxations.items():
        det = terms_module.screening_term_detector(screener.restorer.entries)
        relax(det)
        print(f"rejected, let through by {name}: {let_through(det)}")
    saved = terms_module._forms_agree
    terms_module._forms_agree = lambda *a: True
    try:
        n = let_through(terms_module.screening_term_detector(screener.restorer.entries))
    finally:
        terms_module._forms_agree = saved
    print(f"rejected, let through by no_forms_agree: {n}")


if __name__ == "__main__":
    main()
