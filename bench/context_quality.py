"""Quality, speed and ablation figures of the context pass (``degarble --context``).

Needs ``../shared/data`` (measurement data, never copied into the package) and
the ``context`` extra.  Every figure it prints comes with the settings used.

    python bench/context_quality.py                      # everything, lm level
    python bench/context_quality.py --level bigram       # the light (default) level
    python bench/context_quality.py --level bigram --sweep A             # margins per source, half A
    python bench/context_quality.py --level bigram --sweep-evidence A    # document-level margins
    python bench/context_quality.py --level bigram --sweep-suspects A    # suspect precision/recall
    python bench/context_quality.py --level bigram --ablation --phrases 100 --skip spinbot,negative,tortured,speed
    python bench/context_quality.py --level bigram --cv --learned-odds 6 --odds-weight 1   # calibrate (b) in half A
    python bench/context_quality.py --level bigram --ablation --ablation-rows "term readings,fit a term" \
        --phrases 300 --skip spinbot,negative,tortured,speed   # only some ablation rows

Splits are by a hash of the text, so they are stable: half ``A`` is used to
calibrate thresholds, half ``B`` is reported as held out (and ``all`` too).

Definitions (word level, after aligning spun and original with difflib):

* a *substituted* word is a spun token in a non-equal stretch of the alignment;
* an *edit* is a token some change covered; it is *right* when the change
  wrote exactly the aligned original words (case-folded);
* ``recovered`` = right edits / substituted words; ``edit_precision`` =
  right edits / edits;
* ``false edits per 1000 words``: changed tokens per 1000 tokens of clean text
  (the dev originals, and the negative fixtures in ``bench/fixtures/clean``);
* suspect precision/recall: flagged tokens (suspects and changes) against the
  substituted words.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from degarble.changes import Restoration
from degarble.context import ContextSettings
from degarble.context.term_readings import TermMargins
from degarble.dictionary import Entry
from degarble.restorer import Restorer
from degarble.tokens import tokenize

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"
SPINBOT = DATA / "spinbot-wikipedia" / "dev.jsonl"
TORTURED = DATA / "tortured-phrases" / "dev.jsonl"
CLEAN = HERE / "fixtures" / "clean"
SEED = HERE.parent / "seeds" / "000_f9f8cd65f9abefae.txt"
NEGATIVE = HERE.parent / "tests" / "fixtures" / "negative"  # quality.py's negative fixtures
# The test suite's clean prose (scientific and general), also text that must stay unchanged.
CLEAN_TESTS = [HERE.parent / "tests" / "fixtures" / "clean", HERE.parent / "tests" / "fixtures" / "clean_extra"]


def half(key: str) -> str:
    """Stable split by hash: ``A`` (calibration) or ``B`` (held out)."""
    return "A" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "B"


# -- alignment ------------------------------------------------------------------------
@dataclass
class Pair:
    spun: str
    original: str
    tokens: list  # spun tokens
    truth: dict[
        int, tuple[int, int, tuple[str, ...]]
    ]  # spun token -> (block first, block last, original words)


def make_pair(spun: str, original: str) -> Pair:
    s_tok = tokenize(spun)
    o_words = [t.fold for t in tokenize(original)]
    matcher = difflib.SequenceMatcher(None, [t.fold for t in s_tok], o_words, autojunk=False)
    truth: dict[int, tuple[int, int, tuple[str, ...]]] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                truth[i1 + k] = (i1 + k, i1 + k + 1, (o_words[j1 + k],))
        else:
            for k in range(i1, i2):
                truth[k] = (i1, i2, tuple(o_words[j1:j2]))
    return Pair(spun, original, s_tok, truth)


@dataclass
class Counts:
    substituted: int = 0
    edits: int = 0
    right: int = 0
    flagged: int = 0
    flagged_right: int = 0  # flagged tokens that the spinner did change
    words: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float]:
        return {
            "recovered": round(self.right / self.substituted, 4) if self.substituted else 0.0,
            "edit_precision": round(self.right / self.edits, 4) if self.edits else 1.0,
            "edits": self.edits,
            "substituted": self.substituted,
            "suspect_precision": round(self.flagged_right / self.flagged, 4) if self.flagged else 1.0,
            "suspect_recall": round(self.flagged_right / self.substituted, 4) if self.substituted else 0.0,
        }


def score_pair(pair: Pair, result: Restoration) -> Counts:
    counts = Counts(substituted=len(pair.truth), words=len(pair.tokens))
    flagged: set[int] = set()
    for change in result.changes:
        covered = [i for i, t in enumerate(pair.tokens) if t.start < change.end and change.start < t.end]
        if not covered:
            continue
        flagged.update(covered)
        wanted: list[str] = []
        blocks = []
        for i in covered:
            block = pair.truth.get(i)
            if block is None:
                wanted.append(pair.tokens[i].fold)
            elif block not in blocks:
                blocks.append(block)
                wanted.extend(block[2])
        # What the covered tokens read after the change (a change may cover part of a token).
        lo, hi = pair.tokens[covered[0]].start, pair.tokens[covered[-1]].end
        lo, hi = min(lo, change.start), max(hi, change.end)
        local = pair.spun[lo : change.start] + change.replacement + pair.spun[change.end : hi]
        got = [t.fold for t in tokenize(local)]
        # Right: the covered stretch now reads exactly as the original (whole alignment blocks only).
        whole = all(all(k in covered for k in range(block[0], block[1])) for block in blocks)
        counts.edits += sum(1 for i in covered if i in pair.truth) or len(covered)
        if got == wanted and whole:
            counts.right += sum(1 for i in covered if i in pair.truth)
    for suspect in result.suspects:
        flagged.update(
            i for i, t in enumerate(pair.tokens) if t.start < suspect.end and suspect.start < t.end
        )
    counts.flagged = len(flagged)
    counts.flagged_right = sum(1 for i in flagged if i in pair.truth)
    return counts


def changed_words(text: str, result: Restoration) -> int:
    tokens = tokenize(text)
    return sum(1 for t in tokens if any(c.start < t.end and t.start < c.end for c in result.changes))


def flagged_words(text: str, result: Restoration) -> int:
    """Words a suspect covers (on clean text: false alarms a screener would have to look at)."""
    tokens = tokenize(text)
    return sum(1 for t in tokens if any(s.start < t.end and t.start < s.end for s in result.suspects))


# -- runs -----------------------------------------------------------------------------
def load_spinbot(limit: int | None) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in SPINBOT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def load_tortured() -> list[dict[str, object]]:
    return [json.loads(line) for line in TORTURED.read_text(encoding="utf-8").splitlines() if line.strip()]


def spinbot_figures(restorer: Restorer, rows: Sequence[dict[str, str]], context: bool) -> dict[str, dict]:
    """Word-level figures (this file's definitions) and bench/quality.py's Levenshtein ones, per half."""
    sys.path.insert(0, str(HERE))
    from quality import distance  # the lead's token-level Levenshtein

    out: dict[str, Counts] = {"A": Counts(), "B": Counts(), "all": Counts()}
    clean = {"A": [0, 0, 0], "B": [0, 0, 0], "all": [0, 0, 0]}  # changed words, words, flagged words
    lev = {"A": [0, 0, 0], "B": [0, 0, 0], "all": [0, 0, 0]}
    for row in rows:
        side = half(row["original"])
        pair = make_pair(row["spun"], row["original"])
        restored = restorer.restore_and_explain(row["spun"], context=context)
        counts = score_pair(pair, restored)
        out[side].add(counts)
        out["all"].add(counts)
        d = (
            distance(row["spun"], row["original"]),
            distance(restored.text, row["original"]),
            distance(row["spun"], restored.text),
        )
        for key in (side, "all"):
            lev[key] = [a + b for a, b in zip(lev[key], d, strict=True)]
        result = restorer.restore_and_explain(row["original"], context=context)
        n = len(tokenize(row["original"]))
        for key in (side, "all"):
            clean[key][0] += changed_words(row["original"], result)
            clean[key][1] += n
            clean[key][2] += flagged_words(row["original"], result)
    report = {}
    for key, counts in out.items():
        figures = counts.figures()
        figures["false_edits_per_1000_on_originals"] = round(1000 * clean[key][0] / max(clean[key][1], 1), 3)
        figures["suspects_per_1000_on_originals"] = round(1000 * clean[key][2] / max(clean[key][1], 1), 1)
        so, ro, sr = lev[key]
        figures["quality_py_recovered"] = round(1 - ro / so, 4) if so else 0.0
        figures["quality_py_edit_precision"] = round((so - ro) / sr, 4) if sr else 1.0
        report[key] = figures
    return report


def negative_figures(restorer: Restorer, context: bool, folders: Sequence[Path] = ()) -> dict[str, float]:
    """Changed words on clean text: bench/fixtures/clean and the negative fixtures, or ``folders``."""
    changed = words = 0
    examples = []
    default = [*CLEAN.glob("*.txt"), *NEGATIVE.glob("*.txt")]
    paths = [p for f in folders for p in f.glob("*.txt")] if folders else default
    for path in sorted(paths):
        text = path.read_text(encoding="utf-8")
        result = restorer.restore_and_explain(text, context=context)
        changed += changed_words(text, result)
        words += len(tokenize(text))
        examples.extend(
            f"{path.name}: {c.original!r} -> {c.replacement!r} ({c.rule})" for c in result.changes
        )
    return {
        "words": words,
        "changed": changed,
        "per_1000": round(1000 * changed / max(words, 1), 3),
        "examples": examples[:10],
    }


def tortured_figures(restorer: Restorer, rows: Sequence[dict[str, object]]) -> dict[str, float]:
    exact = wrong = 0
    for row in rows:
        phrase, expected = str(row["tortured"]), str(row["expected"])
        got = restorer.restore(phrase, context=True)
        if got.casefold() == expected.casefold():
            exact += 1
        elif got != phrase:
            wrong += 1
    n = max(len(rows), 1)
    return {"phrases": len(rows), "exact": round(exact / n, 4), "wrong": round(wrong / n, 4)}


def split_tortured(
    rows: Sequence[dict[str, object]], sample: int
) -> tuple[list[Entry], list[dict[str, object]]]:
    """Half A as dictionary entries (the 'screener list'), a sample of half B to measure on."""
    entries: list[Entry] = []
    held: list[dict[str, object]] = []
    for number, row in enumerate(rows, start=1):
        phrase, expected = str(row["tortured"]), str(row["expected"])
        if half(phrase.casefold()) == "A":
            words = [t.fold for t in tokenize(phrase)]
            if words and words != [t.fold for t in tokenize(expected)]:
                entries.append(Entry(phrase, expected, source="screener-half-A", line=number))
        else:
            held.append(row)
    held.sort(key=lambda r: hashlib.sha256(str(r["tortured"]).encode()).hexdigest())
    return entries, held[:sample] if sample else held


def cross_validate_tortured(settings: ContextSettings, folds: int = 4) -> dict[str, float]:
    """Tortured phrases learned from a screener list, *inside half A*: each of ``folds`` parts
    of half A is restored by a restorer that loaded the other parts as its dictionary.

    This is what thresholds for (b) are calibrated on; half B stays held out.
    """
    rows = [r for r in load_tortured() if half(str(r["tortured"]).casefold()) == "A"]
    entries, _ = split_tortured(load_tortured(), 0)

    def fold_of(phrase: str) -> int:
        return hashlib.sha256(("fold" + phrase.casefold()).encode("utf-8")).digest()[0] % folds

    exact = wrong = total = 0
    for fold in range(folds):
        train = [e for e in entries if fold_of(e.spun) != fold]
        test = [r for r in rows if fold_of(str(r["tortured"])) == fold]
        figures = tortured_figures(Restorer(entries=train, context_settings=settings), test)
        exact += round(figures["exact"] * len(test))
        wrong += round(figures["wrong"] * len(test))
        total += len(test)
    return {"phrases": total, "exact": round(exact / total, 4), "wrong": round(wrong / total, 4)}


def diagnose_tortured(settings: ContextSettings) -> int:
    """Aggregate diagnostics of (b) on half B (half A loaded): why phrases are or are not restored.

    Per phrase: ``same``/``diff`` length; ``covered`` when every word that differs from the
    expected phrase has the expected word among the learned candidates, ``partly`` when each
    has some learned candidate, else ``-``; ``inT`` when the expected phrase is a term the
    detector knows; and the outcome, where a phrase left alone is split by whether the right
    word was among a reported suspect's candidates (generated, but below its margin).
    """
    from collections import Counter

    entries, held = split_tortured(load_tortured(), 0)
    restorer = Restorer(entries=entries, context_settings=settings)
    cp = restorer.context_pass()
    model, detector = cp.model, cp.terms
    table: Counter[tuple[str, str, str, str]] = Counter()
    for row in held:
        phrase, expected = str(row["tortured"]), str(row["expected"])
        result = restorer.restore_and_explain(phrase, context=True)
        written = [t.fold for t in tokenize(phrase)]
        wanted = [t.fold for t in tokenize(expected)]
        length = "same" if len(written) == len(wanted) else "diff"
        cover = "-"
        if length == "same" and model is not None:
            pairs = [(a, b) for a, b in zip(written, wanted) if a != b]
            if pairs and all(b in model.candidates(a) for a, b in pairs):
                cover = "covered"
            elif pairs and all(model.candidates(a) for a, _ in pairs):
                cover = "partly"
        known = "inT" if detector is not None and tuple(wanted) in detector.known else "notT"
        if result.text.casefold() == expected.casefold():
            outcome = "exact"
        elif result.text != phrase:
            outcome = "wrong"
        else:
            offered = {t.fold for s in result.suspects for c, _ in s.candidates for t in tokenize(c)}
            missing = [b for a, b in zip(written, wanted) if a != b] if length == "same" else wanted
            outcome = "none, right words suspected" if missing and set(missing) <= offered else "none"
        table[(outcome, length, cover, known)] += 1
    print(f"tortured half B, learning from half A ({len(held)} phrases): outcome, length, learned cover, term")
    for key, count in sorted(table.items()):
        print(f"  {' / '.join(key)}: {count}")
    return 0


def sweep(settings: ContextSettings, rows: Sequence[dict[str, str]], side: str, phrases: int) -> int:
    """Run once with every margin allowed, then show what each threshold would give.

    The best reading of a slot does not depend on the thresholds, so filtering
    the permissive run's changes by margin reproduces a run at that threshold.
    """
    from degarble.context import decision

    decision._confidence = lambda margin: margin  # the change's score is its margin, for this sweep
    permissive = replace(settings, thresholds=replace(settings.thresholds, change=-99.0, learned=-99.0))
    restorer = Restorer(context_settings=permissive)
    records: list[tuple[str, float, int, int, str]] = []  # source, margin, right words, words, text kind
    for row in rows:
        if side != "all" and half(row["original"]) != side:
            continue
        for kind, text in (("spun", row["spun"]), ("original", row["original"])):
            pair = make_pair(text, row["original"]) if kind == "spun" else None
            result = restorer.restore_and_explain(text, context=True)
            for change in result.changes:
                if not change.rule.startswith("context:"):
                    continue
                single = Restoration(text, [change])
                if pair is not None:
                    c = score_pair(pair, single)
                    records.append((change.rule.split(":")[-1], change.score, c.right, c.edits, kind))
                else:
                    records.append(
                        (change.rule.split(":")[-1], change.score, 0, changed_words(text, single), kind)
                    )
    substituted = sum(
        len(make_pair(r["spun"], r["original"]).truth)
        for r in rows
        if side == "all" or half(r["original"]) == side
    )
    clean_words = sum(
        len(tokenize(r["original"])) for r in rows if side == "all" or half(r["original"]) == side
    )
    print(f"sweep on half {side}: {substituted} substituted words, {clean_words} clean words")
    for source in ("thesaurus", "learned", "phrase"):
        for threshold in (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15):
            spun = [r for r in records if r[0] == source and r[1] >= threshold and r[4] == "spun"]
            clean = [r for r in records if r[0] == source and r[1] >= threshold and r[4] == "original"]
            right, edits = sum(r[2] for r in spun), sum(r[3] for r in spun)
            false = sum(r[3] for r in clean)
            print(
                f"  {source:9s} >= {threshold:4.1f}: edits {edits:4d} right {right:4d} "
                f"precision {right / edits if edits else 1:.3f} recovered {right / max(substituted, 1):.4f} "
                f"false/1000 on originals {1000 * false / max(clean_words, 1):.2f}"
            )
    return 0


def sweep_evidence(settings: ContextSettings, rows: Sequence[dict[str, str]], side: str) -> int:
    """quality.py figures for learned-reading thresholds with and without document evidence.

    One run with every learned margin allowed; each change keeps its margin as its score,
    so a threshold is a filter.  ``evidence`` = distinct dictionary findings in the paragraph.
    """
    sys.path.insert(0, str(HERE))
    from degarble.changes import apply_changes
    from degarble.context import decision
    from quality import distance

    decision._confidence = lambda margin: margin
    permissive = replace(
        settings,
        thresholds=replace(settings.thresholds, learned=-99.0, learned_spun=None, learned_vocabulary=None),
    )
    restorer = Restorer(context_settings=permissive)
    vocabulary_index = restorer.context_pass().vocabulary
    docs = []
    for row in rows:
        for kind in ("spun", "original"):
            result = restorer.restore_and_explain(row[kind], context=True)
            findings = len(
                {c.rule for c in result.changes if "context:" not in c.rule and c.method != "mojibake"}
            )
            vocabulary = 0
            if vocabulary_index is not None:
                found = vocabulary_index.candidates(row[kind], tokenize(row[kind]))
                vocabulary = len({c.form.entry.rule for c in found})
            docs.append(
                (half(row["original"]), kind, row[kind], row["original"], findings, vocabulary, result.changes)
            )

    def figures(
        learned: float, learned_spun: float, evidence: int, learned_vocabulary: float = 99.0, words_needed: int = 99
    ) -> dict[str, tuple[float, float, float]]:
        out = {}
        for part in ("A", "B", "all"):
            so = ro = sr = clean = words = 0
            for h, kind, text, original, findings, vocabulary, changes in docs:
                if part != "all" and h != part:
                    continue
                if findings >= evidence:
                    needed = min(learned, learned_spun)
                elif findings + vocabulary >= words_needed:
                    needed = min(learned, learned_vocabulary)
                else:
                    needed = learned
                kept = [c for c in changes if "context:" not in c.rule or c.score >= needed]
                after = apply_changes(text, kept)
                if kind == "spun":
                    so += distance(text, original)
                    ro += distance(after, original)
                    sr += distance(text, after)
                else:
                    clean += distance(text, after)
                    words += len(tokenize(text))
            out[part] = (round(1 - ro / so, 4), round((so - ro) / max(sr, 1), 4), round(1000 * clean / words, 2))
        return out

    print(f"(recovered, edit_precision, false edits per 1000 on originals) per half; calibrate on {side}")
    for learned in (6, 8, 10, 12):
        print(f"  learned >= {learned:2d} everywhere: {figures(learned, 99, 99)}")
    for evidence in (1, 2, 3):
        for learned_spun in (2, 3, 4, 5, 6, 8):
            print(
                f"  learned >= 12, >= {learned_spun} with >= {evidence} dictionary findings: "
                f"{figures(12, learned_spun, evidence)}"
            )
    for words_needed in (1, 2, 3):
        for learned_vocabulary in (4, 5, 6, 8):
            print(
                f"  learned >= 12, >= 4 with >= 1 dictionary finding, else >= {learned_vocabulary} with >= "
                f"{words_needed} spinner-vocabulary words: {figures(12, 4, 1, learned_vocabulary, words_needed)}"
            )
    return 0


def sweep_suspects(settings: ContextSettings, rows: Sequence[dict[str, str]], side: str) -> int:
    """Suspect precision/recall (flagged words vs words the spinner changed) per gain threshold."""
    permissive = replace(settings, thresholds=replace(settings.thresholds, suspect=-99.0))
    restorer = Restorer(context_settings=permissive)
    flags: list[tuple[float, bool]] = []  # gain (inf for a change), was the word substituted
    substituted = clean_words = 0
    clean_flags: list[float] = []
    for row in rows:
        if side != "all" and half(row["original"]) != side:
            continue
        pair = make_pair(row["spun"], row["original"])
        substituted += len(pair.truth)
        result = restorer.restore_and_explain(row["spun"], context=True)
        for i, t in enumerate(pair.tokens):
            gains = [float("inf") for c in result.changes if c.start < t.end and t.start < c.end]
            gains += [s.score for s in result.suspects if s.start < t.end and t.start < s.end]
            if gains:
                flags.append((max(gains), i in pair.truth))
        clean = restorer.restore_and_explain(row["original"], context=True)
        for t in tokenize(row["original"]):
            clean_words += 1
            gains = [s.score for s in clean.suspects if s.start < t.end and t.start < s.end]
            if gains:
                clean_flags.append(max(gains))
    print(f"suspects on half {side}: {substituted} substituted words, {clean_words} clean words")
    for threshold in (-3, -1, 0, 0.5, 1, 1.5, 2, 3, 4, 6):
        chosen = [right for gain, right in flags if gain >= threshold]
        right = sum(chosen)
        false = sum(1 for gain in clean_flags if gain >= threshold)
        print(
            f"  gain >= {threshold:4}: flagged {len(chosen):5d} precision {right / max(len(chosen), 1):.3f} "
            f"recall {right / max(substituted, 1):.3f}  flagged per 1000 clean words {1000 * false / clean_words:.1f}"
        )
    return 0


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--level", choices=["lm", "bigram"], default="lm")
    parser.add_argument("--limit", type=int, default=0, help="SpinBot paragraphs to use (0 = all 99)")
    parser.add_argument("--phrases", type=int, default=300, help="tortured phrases per measurement (0 = all)")
    parser.add_argument("--ablation", action="store_true", help="rerun with each part switched off")
    parser.add_argument(
        "--ablation-rows", default="", help="comma list of words: only ablation rows naming one (and full)"
    )
    parser.add_argument(
        "--skip", default="", help="comma list of sections to skip: spinbot,negative,tortured,speed"
    )
    parser.add_argument("--change", type=float, help="override the change threshold (nats)")
    parser.add_argument("--learned", type=float, help="override the learned-substitution threshold (nats)")
    parser.add_argument(
        "--learned-spun", type=float, help="override the learned threshold in evidently spun documents (nats)"
    )
    parser.add_argument("--evidence", type=int, help="override the dictionary findings that make a text spun")
    parser.add_argument(
        "--learned-odds", type=float, help="override the margin + log-odds a completing learned reading needs"
    )
    parser.add_argument("--no-learned-odds", action="store_true", help="switch the log-odds path off")
    parser.add_argument("--odds-weight", type=float, help="override the weight of the log-odds")
    parser.add_argument(
        "--anchored",
        type=float,
        help="override the margin an anchored thesaurus reading needs (context/anchors.py; < 0: off)",
    )
    parser.add_argument("--alone", type=float, help="override the score a lone learned reading needs")
    parser.add_argument(
        "--term-common", type=float, help="override the LM gain a common-pair term finding needs (nats)"
    )
    parser.add_argument(
        "--diagnose", action="store_true", help="aggregate diagnostics of tortured phrases (b) on half B, then stop"
    )
    parser.add_argument(
        "--cv",
        action="store_true",
        help="tortured phrases learned inside half A (4-fold), SpinBot half A and clean text; then stop",
    )
    parser.add_argument(
        "--speed-paragraphs", type=int, default=20, help="SpinBot paragraphs timed in the speed section"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--odds-words", type=int, help="texts this long need spin evidence for the log-odds path (0: always on)"
    )
    parser.add_argument(
        "--calibrated",
        choices=["on", "off"],
        help="switch the decision over all evidence (context/calibrated.py) on or off",
    )
    parser.add_argument(
        "--wordnet", choices=["on", "off"], help="WordNet's sense-ordered lists as candidates (wordnet_channel.py)"
    )
    parser.add_argument("--channel", type=float, help="weight of the WordNet channel log P in the prior")
    parser.add_argument(
        "--calibrated-evidence", choices=["on", "off"], help="the calibrated decision only in texts with spin evidence"
    )
    parser.add_argument("--weights", type=Path, help="the calibrated decision's weights file (calibrated.json)")
    parser.add_argument(
        "--sweep",
        choices=["A", "B", "all"],
        help="print precision/recall per threshold on this half, then stop",
    )
    parser.add_argument(
        "--sweep-evidence",
        choices=["A", "B", "all"],
        help="quality.py figures per learned threshold with document evidence, then stop",
    )
    parser.add_argument(
        "--sweep-suspects", choices=["A", "B", "all"], help="suspect precision/recall per gain, then stop"
    )
    args = parser.parse_args(argv)
    if not SPINBOT.is_file():
        print(f"no data at {DATA}; this benchmark needs ../shared/data", file=sys.stderr)
        return 2
    from degarble.context import DEFAULTS

    settings = DEFAULTS[args.level]
    t = settings.thresholds
    settings = replace(
        settings,
        thresholds=replace(
            t,
            change=args.change if args.change is not None else t.change,
            learned=args.learned if args.learned is not None else t.learned,
            learned_spun=args.learned_spun if args.learned_spun is not None else t.learned_spun,
            evidence=args.evidence if args.evidence is not None else t.evidence,
            learned_odds=None
            if args.no_learned_odds
            else (args.learned_odds if args.learned_odds is not None else t.learned_odds),
            odds_weight=args.odds_weight if args.odds_weight is not None else t.odds_weight,
            alone=args.alone if args.alone is not None else t.alone,
            anchored=(None if args.anchored < 0 else args.anchored) if args.anchored is not None else t.anchored,
        ),
    )
    if args.calibrated is not None:
        settings = replace(settings, calibrated=args.calibrated == "on")
    if args.wordnet is not None:
        settings = replace(settings, wordnet=args.wordnet == "on")
    if args.channel is not None:
        settings = replace(settings, prior=replace(settings.prior, wordnet_channel=args.channel))
    if args.weights is not None:
        settings = replace(settings, calibrated_weights=str(args.weights))
    if args.calibrated_evidence is not None:
        settings = replace(settings, calibrated_evidence=args.calibrated_evidence == "on")
    if args.odds_words is not None:
        settings = replace(settings, odds_words=args.odds_words if args.odds_words > 0 else None)
    if args.term_common is not None:
        settings = replace(settings, term_margins=replace(settings.term_margins, common=args.term_common))
    if args.diagnose:
        return diagnose_tortured(settings)
    if args.cv:
        print(f"settings: {settings!r}")
        print(f"tortured_cv_half_A: {json.dumps(cross_validate_tortured(settings))}", flush=True)
        rows_a = [r for r in load_spinbot(args.limit or None) if half(r["original"]) == "A"]
        spin = spinbot_figures(Restorer(context_settings=settings), rows_a, context=True)
        print(f"spinbot_context_half_A: {json.dumps(spin['A'])}", flush=True)
        print(f"negative_context: {json.dumps(negative_figures(Restorer(context_settings=settings), True))}")
        return 0
    if args.sweep:
        return sweep(settings, load_spinbot(args.limit or None), args.sweep, args.phrases)
    if args.sweep_evidence:
        return sweep_evidence(settings, load_spinbot(args.limit or None), args.sweep_evidence)
    if args.sweep_suspects:
        return sweep_suspects(settings, load_spinbot(args.limit or None), args.sweep_suspects)
    skip = set(filter(None, args.skip.split(",")))
    report: dict[str, object] = {"level": args.level, "settings": repr(settings)}

    start = time.perf_counter()
    restorer = Restorer(context_settings=settings)
    restorer.context_pass()
    report["load_seconds"] = round(time.perf_counter() - start, 2)
    rows = load_spinbot(args.limit or None)

    def emit(name: str, value: object) -> None:
        report[name] = value
        print(f"{name}: {json.dumps(value)}", flush=True)

    emit("load_seconds", report["load_seconds"])
    if "spinbot" not in skip:
        emit("spinbot_default", spinbot_figures(Restorer(), rows, context=False))
        emit("spinbot_context", spinbot_figures(restorer, rows, context=True))
    if "negative" not in skip:
        emit("negative_default", negative_figures(Restorer(), context=False))
        emit("negative_context", negative_figures(restorer, context=True))
        emit("clean_fixtures_context", negative_figures(restorer, context=True, folders=CLEAN_TESTS))
    if "tortured" not in skip:
        tortured = load_tortured()
        _, sample_b = split_tortured(tortured, args.phrases)
        emit("tortured_builtin_sample_of_half_B", tortured_figures(restorer, sample_b))
        entries, held = split_tortured(tortured, args.phrases)
        learner = Restorer(entries=entries, context_settings=settings)
        learner._context_pass = None
        emit("tortured_learned_from_half_A", {"entries": len(entries), **tortured_figures(learner, held)})
    if "speed" not in skip:
        text = "\n\n".join(r["spun"] for r in rows[: args.speed_paragraphs])
        words = len(tokenize(text))
        default = Restorer()
        t0 = time.perf_counter()
        default.restore_and_explain(text)
        t1 = time.perf_counter()
        restorer.restore_and_explain(text, context=True)
        t2 = time.perf_counter()
        seed_text = SEED.read_text(encoding="utf-8")
        t3 = time.perf_counter()
        default.restore_and_explain(seed_text)
        t4 = time.perf_counter()
        restorer.restore_and_explain(seed_text, context=True)
        t5 = time.perf_counter()
        emit(
            "speed",
            {
                "words": words,
                "default_words_per_second": round(words / (t1 - t0), 1),
                "context_words_per_second": round(words / (t2 - t1), 1),
                "seed_words": len(tokenize(seed_text)),
                "seed_default_seconds": round(t4 - t3, 3),
                "seed_context_seconds": round(t5 - t4, 1),
                "peak_rss_mb": peak_rss_mb(),
            },
        )
    if args.ablation:
        ablations = {
            "full": settings,
            "no learned substitutions": replace(settings, learned=False),
            "no spinner vocabulary": replace(settings, spinner_words=False),
            "no document evidence": replace(
                settings,
                thresholds=replace(
                    settings.thresholds, learned_spun=None, suspect_spun=None, learned_vocabulary=None
                ),
            ),
            "no lone learned readings": replace(settings, thresholds=replace(settings.thresholds, alone=None)),
            "no log-odds path for learned readings": replace(
                settings, thresholds=replace(settings.thresholds, learned_odds=None)
            ),
            "no LM-judged term findings": replace(settings, term_margins=TermMargins()),
            "no completion rule for term readings": replace(settings, terms_complete=False),
            "no learned swaps of words that fit a term": replace(settings, learned_past_fit=False),
            "no thesaurus": replace(settings, thesaurus=False),
            "no term detector": replace(settings, terms=False),
            "no multi-word phrases": replace(settings, phrases=False),
            "no joint decoding": replace(settings, joint=False),
            "no channel prior": replace(
                settings,
                prior=replace(
                    settings.prior,
                    frequency=0.0,
                    thesaurus=0.0,
                    thesaurus_oneway=0.0,
                    learned=0.0,
                    learned_per_support=0.0,
                    phrase=0.0,
                ),
            ),
        }
        tortured = load_tortured()
        entries, held = split_tortured(tortured, args.phrases)
        table = {}
        wanted = [w.strip() for w in args.ablation_rows.split(",") if w.strip()]
        for name, variant in ablations.items():
            if wanted and name != "full" and not any(w in name for w in wanted):
                continue
            r = Restorer(context_settings=variant)
            spin = spinbot_figures(r, rows, context=True)["all"]
            learner = Restorer(entries=entries, context_settings=variant)
            table[name] = {
                "quality_py_recovered": spin["quality_py_recovered"],
                "quality_py_edit_precision": spin["quality_py_edit_precision"],
                "spinbot_recovered": spin["recovered"],
                "spinbot_edit_precision": spin["edit_precision"],
                "originals_false_per_1000": spin["false_edits_per_1000_on_originals"],
                "suspect_precision": spin["suspect_precision"],
                "suspect_recall": spin["suspect_recall"],
                "tortured_learned": tortured_figures(learner, held),
            }
            print(f"ablation {name}: {json.dumps(table[name])}", flush=True)
        report["ablation"] = table
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
