"""The ceiling of context mode on real SpinBot text, and a decision fitted over all evidence.

Needs ``../shared/data`` (measurement data, read in place, never copied) and the
``context`` and ``bench`` extras (scikit-learn, at calibration time only).

    python bench/context_ceiling.py collect --out /tmp/ceiling.jsonl   # run context mode, record evidence
    python bench/context_ceiling.py ceiling /tmp/ceiling.jsonl          # coverage by source, half A and B
    python bench/context_ceiling.py fit /tmp/ceiling.jsonl [--write]    # fit on A, CV threshold, report B

``collect`` restores every SpinBot dev paragraph (spun) in context mode at the
``bigram`` level with the shipped settings and records, for each single-word slot
the context pass decoded, every candidate with its raw evidence
(:mod:`degarble.context.evidence`) and the word the author wrote there (from a
word alignment of the text after the dictionary pass with the original).

``ceiling`` prints, per half: the substituted words; those the dictionary pass
makes right; of the rest, the share whose original is among the candidates, by
source (learned, thesaurus, multi-word, term); the share where it is the top
candidate by LM gain, or the joint decoding's choice.

``fit`` fits a logistic regression on half A's candidates (a handful of
features, listed with their weights), chooses the probability threshold by
5-fold cross-validation *inside half A* for quality.py's edit_precision >= 0.85
(the shipped changes plus the model's), and reports half B and all 99 with
quality.py's metric at that threshold; ``--write`` stores the weights in
``src/degarble/context/calibrated.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from context_quality import SPINBOT, half, make_pair, score_pair  # noqa: E402
from degarble.changes import Change, apply_changes  # noqa: E402
from degarble.context import pipeline  # noqa: E402
from degarble.context.evidence import RAW_FIELDS, document_evidence, option_rows  # noqa: E402
from degarble.restorer import Restorer  # noqa: E402
from degarble.stages import replaced_spans  # noqa: E402
from degarble.tokens import tokenize  # noqa: E402
from quality import distance  # noqa: E402

WEIGHTS = HERE.parent / "src" / "degarble" / "context" / "calibrated.json"


# -- collect -----------------------------------------------------------------------------
class Recorder:
    """Wraps the pipeline's decide / decide_term_hits to see every decoded cluster and term hit."""

    def __init__(self) -> None:
        self.decoded: list = []
        self.protected: set[int] = set()
        self.starts: Sequence[int] = ()
        self.hits: list = []
        self._decide = pipeline.decide
        self._terms = pipeline.decide_term_hits
        pipeline.decide = self.decide  # type: ignore[assignment]
        pipeline.decide_term_hits = self.decide_terms  # type: ignore[assignment]

    def reset(self) -> None:
        self.decoded, self.protected, self.starts, self.hits = [], set(), (), []

    def decide(self, text, tokens, decoded, thresholds, level, **kw):  # type: ignore[no-untyped-def]
        self.decoded.append(decoded)
        self.protected = set(kw.get("protected", ()))
        self.starts = kw.get("sentence_starts", ())
        return self._decide(text, tokens, decoded, thresholds, level, **kw)

    def decide_terms(self, text, tokens, hits, *args, **kw):  # type: ignore[no-untyped-def]
        self.hits.extend(hits)
        return self._terms(text, tokens, hits, *args, **kw)


def collect(out: Path, limit: int | None, wordnet: bool = False, channel: float = 0.0) -> int:
    from dataclasses import replace

    from degarble.context.wordnet_channel import load_wordnet_channel

    rows = [json.loads(line) for line in SPINBOT.read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    settings = pipeline.DEFAULTS["bigram"]
    settings = replace(settings, wordnet=wordnet, prior=replace(settings.prior, wordnet_channel=channel))
    restorer = Restorer(context_settings=settings)
    cpass = restorer.context_pass()
    evidence_wordnet = cpass.wordnet or load_wordnet_channel()  # wn_* evidence even without the source
    spinner = {e.spun.lower() for e in pipeline.load_spinner_words() if " " not in e.spun}
    recorder = Recorder()
    jobs = [(row["spun"], row["original"], "spun") for row in rows]
    jobs += [(row["original"], row["original"], "clean") for row in rows]
    with out.open("w", encoding="utf-8") as handle:
        for n, (spun, original, kind) in enumerate(jobs):
            dictionary = restorer.explain_dictionary(spun)
            spun_pair = make_pair(spun, original)
            dict_right = score_pair(spun_pair, dictionary).right
            middle = dictionary.text
            findings = len({c.rule for c in dictionary.changes if c.method != "mojibake"})
            recorder.reset()
            shipped, _ = cpass.run(middle, replaced_spans(dictionary.changes), findings=findings)
            tokens = tokenize(middle)
            pair = make_pair(middle, original)
            doc = document_evidence(len(tokens), findings + len(recorder.hits), recorder.decoded)
            option_list = option_rows(
                tokens,
                recorder.decoded,
                doc,
                cpass.thesaurus,
                spinner,
                recorder.protected,
                recorder.starts,
                evidence_wordnet,
            )
            slots: dict[tuple[int, int], dict] = {}
            for r in option_list:
                slot = recorder.decoded[r.cluster].slots[r.slot]
                i = slot.first
                truth = pair.truth.get(i)
                entry = slots.setdefault(
                    (r.cluster, r.slot),
                    {
                        "tok": i,
                        "start": tokens[i].start,
                        "end": tokens[i].end,
                        "written": tokens[i].fold,
                        "truth": None if truth is None else (" ".join(truth[2]) if truth[1] - truth[0] == 1 else ""),
                        "options": [],
                    },
                )
                entry["options"].append(
                    {"text": r.option.text, "std": r.option.standard, "source": r.option.source, "v": r.values}
                )
            # Multi-word and term coverage of the words still substituted after the dictionary pass.
            multi: set[int] = set()
            for d in recorder.decoded:
                for slot in d.slots:
                    if slot.last - slot.first < 2:
                        continue
                    for option in slot.options:
                        words = option.standard.split()
                        for pos, i in enumerate(range(slot.first, slot.last)):
                            t = pair.truth.get(i)
                            if t is None:
                                continue
                            if t[2] == tuple(words) and t[0] >= slot.first and t[1] <= slot.last:
                                multi.add(i)
                            elif len(words) == slot.last - slot.first and t[1] - t[0] == 1 and words[pos] == t[2][0]:
                                multi.add(i)
            term: set[int] = set()
            for hit in recorder.hits:
                words = [t.fold for t in tokenize(hit.replacement)]
                for pos, i in enumerate(range(hit.first, hit.last)):
                    t = pair.truth.get(i)
                    if t is None:
                        continue
                    if len(words) == hit.last - hit.first and t[1] - t[0] == 1 and words[pos] == t[2][0]:
                        term.add(i)
                    elif tuple(words) == t[2]:
                        term.add(i)
            record = {
                "half": half(original),
                "kind": kind,
                "words": len(tokens),
                "spun": spun,
                "original": original,
                "middle": middle,
                "shipped": [[c.start, c.end, c.replacement, c.rule] for c in shipped],
                "substituted_spun": len(spun_pair.truth),
                "dictionary_right": dict_right,
                "truth": {str(i): " ".join(t[2]) for i, t in pair.truth.items()},
                "single_truth": [i for i, t in pair.truth.items() if t[1] - t[0] == 1],
                "multi_right": sorted(multi),
                "term_right": sorted(term),
                "density": doc.density,
                "suspicion": doc.suspicion,
                "slots": list(slots.values()),
            }
            handle.write(json.dumps(record) + "\n")
            print(f"{n + 1}/{len(jobs)}", file=sys.stderr, end="\r")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- ceiling -----------------------------------------------------------------------------
def ceiling(records: list[dict]) -> int:
    for side in ("A", "B", "all"):
        c: Counter[str] = Counter()
        for rec in records:
            if (side != "all" and rec["half"] != side) or rec.get("kind", "spun") != "spun":
                continue
            c["substituted (spun)"] += rec["substituted_spun"]
            c["right after the dictionary pass"] += rec["dictionary_right"]
            single = set(rec["single_truth"])
            c["left, 1:1 aligned (single words)"] += len(single)
            c["left, in unequal stretches"] += len(rec["truth"]) - len(single)
            by_tok = {s["tok"]: s for s in rec["slots"]}
            shipped_right = 0
            text = rec["middle"]
            for start, end, repl, _rule in rec["shipped"]:
                for s in rec["slots"]:
                    if s["start"] >= start and s["end"] <= end and s["truth"] and repl.lower() == s["truth"]:
                        shipped_right += 1
            c["single words made right by shipped context changes"] += shipped_right
            any_source = 0
            for i in single:
                s = by_tok.get(i)
                truth = rec["truth"][str(i)]
                sources = set()
                if s is not None:
                    c["single: has a slot"] += 1
                    for o in s["options"]:
                        if o["std"] == truth:
                            sources.add(o["source"])
                    ranked = s["options"]  # in gain order
                    if ranked and ranked[0]["std"] == truth:
                        c["single: right word is the top candidate by gain"] += 1
                    if any(o["std"] == truth and o["v"][3] for o in ranked):
                        c["single: right word is the joint decoding's choice"] += 1
                    wn = RAW_FIELDS.index("wn_link")
                    for o in ranked:
                        if o["std"] == truth and len(o["v"]) > wn and o["v"][wn]:
                            c["single: right word among candidates, WordNet links it (any source)"] += 1
                            if o["v"][wn + 1]:
                                c["single: right word among candidates, WordNet first synonym (any source)"] += 1
                if i in rec["multi_right"]:
                    sources.add("multi-word")
                if i in rec["term_right"]:
                    sources.add("term")
                for src in sources:
                    c[f"single: right word among candidates, source {src}"] += 1
                if sources:
                    any_source += 1
            c["single: right word among candidates, any source"] += any_source
            del text
        total = c["substituted (spun)"]
        print(f"\nhalf {side}: {total} substituted words (spun vs original, word alignment)")
        for key in sorted(c, key=lambda k: (not k.startswith(("substituted", "right", "left")), k)):
            print(f"  {key:<62} {c[key]:>6}  {c[key] / total:.3f}")
    return 0


# -- fit ---------------------------------------------------------------------------------
FEATURES = (
    "gain",
    "gap",
    "top",
    "joint",
    "margin",
    "learned",
    "odds",
    "two_way",
    "zipf_written",
    "zipf_candidate",
    "entry_size",
    "options",
    "pos_agree",
    "spinner_word",
    "density",
    "suspicion",
    "neighbours",
    "share",
    "channel_share",
    "wn_source",
    "wn_link",
    "wn_first",
    "wn_sense",
    "wn_logp",
    "in_document",
)


#: Bench-only evidence (not available at run time: Debian's wordnet-base is no dependency).
EXTRA = ("wordnet",)


def wordnet_pairs() -> set[tuple[str, str]]:
    from degarble.terms import wordnet_synonym_pairs

    return wordnet_synonym_pairs()


def _extra(name: str, written: str, std: str, pairs: set[tuple[str, str]]) -> float:
    from degarble.context.morphology import lemmas_of

    if name == "wordnet":
        ws = {written, *lemmas_of(written)}
        cs = {std, *lemmas_of(std)}
        return 1.0 if any((w, c) in pairs for w in ws for c in cs) else 0.0
    raise ValueError(name)


def matrix(records: list[dict], features: Sequence[str]):  # type: ignore[no-untyped-def]
    import numpy as np

    index = [RAW_FIELDS.index(f) for f in features if f not in EXTRA]
    extra = [f for f in features if f in EXTRA]
    pairs = wordnet_pairs() if extra else set()
    xs, ys, keys = [], [], []
    for r, rec in enumerate(records):
        for s_i, s in enumerate(rec["slots"]):
            for o_i, o in enumerate(s["options"]):
                xs.append([o["v"][j] for j in index] + [_extra(f, s["written"], o["std"], pairs) for f in extra])
                ys.append(1 if s["truth"] and o["std"] == s["truth"] else 0)
                keys.append((r, s_i, o_i))
    return np.array(xs, dtype=float), np.array(ys), keys


MODEL = "logistic"


def fit_model(x, y):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    if MODEL == "trees":  # a ceiling estimate: any monotone-free function of the same evidence
        from sklearn.ensemble import HistGradientBoostingClassifier

        model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0)
        return scaler, model.fit(scaler.transform(x), y)
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight=None).fit(scaler.transform(x), y)
    return scaler, model


def probabilities(scaler, model, x):  # type: ignore[no-untyped-def]
    return model.predict_proba(scaler.transform(x))[:, 1]


def picks(records: list[dict], keys, probs) -> dict[int, list[tuple[float, dict, dict]]]:  # type: ignore[no-untyped-def]
    """Per record: for each slot its most probable option, with the probability."""
    best: dict[tuple[int, int], tuple[float, dict, dict]] = {}
    for (r, s_i, o_i), p in zip(keys, probs):
        s = records[r]["slots"][s_i]
        if (r, s_i) not in best or p > best[(r, s_i)][0]:
            best[(r, s_i)] = (float(p), s, s["options"][o_i])
    out: dict[int, list[tuple[float, dict, dict]]] = {}
    for (r, _), v in best.items():
        out.setdefault(r, []).append(v)
    return out


#: ``fit --alone``: the model's changes replace the shipped context changes instead of adding to them.
ALONE = False


def restored(rec: dict, chosen: list[tuple[dict, dict]]) -> str:
    middle = rec["middle"]
    shipped = [] if ALONE else rec["shipped"]
    changes = [Change(s, e, middle[s:e], repl, rule, 1.0, "context", repl) for s, e, repl, rule in shipped]
    for s, o in chosen:
        start, end = s["start"], s["end"]
        if any(c.start < end and start < c.end for c in changes):
            continue
        changes.append(Change(start, end, middle[start:end], o["text"], "x", 1.0, "context", o["std"]))
    changes.sort(key=lambda c: c.start)
    return apply_changes(rec["middle"], changes)


def quality(
    records: list[dict], best: dict[int, list], threshold: float, subset: Sequence[int]
) -> tuple[float, float, int]:
    """quality.py's recovered and edit_precision over the spun records of ``subset``, and the
    changes the model added there."""
    so = ro = sr = 0
    added = 0
    for r in subset:
        rec = records[r]
        if rec.get("kind", "spun") != "spun":
            continue
        chosen = [(s, o) for p, s, o in best.get(r, []) if p >= threshold]
        added += len(chosen)
        text = restored(rec, chosen)
        so += distance(rec["spun"], rec["original"])
        ro += distance(text, rec["original"])
        sr += distance(rec["spun"], text)
    return (1 - ro / so if so else 0.0), ((so - ro) / sr if sr else 1.0), added


def false_edits(records: list[dict], best: dict[int, list], threshold: float, subset: Sequence[int]) -> float:
    """Changed words per 1,000 words of the clean records (the originals) of ``subset``."""
    from quality import changed_words, word_count

    words = changed = 0
    for r in subset:
        rec = records[r]
        if rec.get("kind", "spun") != "clean":
            continue
        chosen = [(s, o) for p, s, o in best.get(r, []) if p >= threshold]
        words += word_count(rec["original"])
        changed += changed_words(rec["original"], restored(rec, chosen))
    return 1000 * changed / words if words else 0.0


THRESHOLDS = [0.02, 0.05] + [round(0.05 * k, 2) for k in range(2, 20)] + [0.97, 0.99]


def fit(
    records: list[dict],
    features: Sequence[str],
    write: bool,
    target: float,
    max_false: float = 1.0,
    spun_only: bool = False,
    weights_out: Path = WEIGHTS,
) -> int:
    import numpy as np

    a = [r for r, rec in enumerate(records) if rec["half"] == "A"]
    b = [r for r, rec in enumerate(records) if rec["half"] == "B"]
    x, y, keys = matrix(records, features)
    rec_of = np.array([k[0] for k in keys])
    in_a = np.isin(rec_of, a)
    # Training rows: half A's candidates (without the originals' with --spun-only).
    clean = np.array([records[k[0]].get("kind", "spun") == "clean" for k in keys])
    trainable = in_a & ~clean if spun_only else in_a
    # 5-fold CV inside half A, folds by paragraph.
    folds = 5
    cv_probs = np.zeros(len(y))
    for f in range(folds):
        test_recs = [r for j, r in enumerate(a) if j % folds == f]
        test = np.isin(rec_of, test_recs)
        train = trainable & ~test
        scaler, model = fit_model(x[train], y[train])
        cv_probs[test] = probabilities(scaler, model, x[test])
    cv_best = picks(records, [k for k, m in zip(keys, in_a) if m], cv_probs[in_a])
    print(f"features: {', '.join(features)}")
    print(f"candidates: {int(in_a.sum())} in half A ({int(y[in_a].sum())} right), {int((~in_a).sum())} in B")
    for name, subset in (("A", a), ("B", b), ("all", a + b)):
        right_any = {r: [(1.0, s, o) for s in records[r]["slots"] for o in s["options"][:] if o["std"] == s["truth"]]
                     for r in subset}
        right_top = {r: [(1.0, s, s["options"][0]) for s in records[r]["slots"] if s["options"][0]["std"] == s["truth"]]
                     for r in subset}
        o_any, o_top = quality(records, right_any, 0.5, subset), quality(records, right_top, 0.5, subset)
        print(
            f"half {name} oracle (quality.py metric): every single-word slot whose original is a candidate takes it: "
            f"recovered {o_any[0]:.4f} at {o_any[1]:.4f}; only where it is the top candidate by gain: "
            f"{o_top[0]:.4f} at {o_top[1]:.4f}"
        )
    base = quality(records, {}, 2.0, a)
    print(f"half A, shipped only: recovered {base[0]:.4f} edit_precision {base[1]:.4f}")
    chosen_t = None
    print("CV inside half A (quality.py metric, shipped changes + the model's):")
    for t in THRESHOLDS:
        rec_, prec, added = quality(records, cv_best, t, a)
        false = false_edits(records, cv_best, t, a)
        print(f"  p >= {t:.2f}: recovered {rec_:.4f} edit_precision {prec:.4f} added {added} false/1000 {false:.2f}")
        if chosen_t is None and prec >= target and false <= max_false:
            chosen_t = t
    if chosen_t is None:
        chosen_t = 1.01
    print(f"threshold chosen on A's CV for edit_precision >= {target}: {chosen_t}")
    scaler, model = fit_model(x[trainable], y[trainable])
    if MODEL == "trees":
        write = False
        weights, intercept = np.zeros(len(features)), 0.0
    else:
        weights = model.coef_[0] / scaler.scale_
    if MODEL != "trees":
        intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * scaler.mean_ / scaler.scale_))
    print("weights (raw units):")
    for name, w in zip(features, weights):
        print(f"  {name:<16} {w:+.4f}")
    print(f"  {'intercept':<16} {intercept:+.4f}")
    probs = probabilities(scaler, model, x)
    best = picks(records, keys, probs)
    for name, subset in (("A (fit)", a), ("B (held out)", b), ("all", a + b)):
        base = quality(records, {}, 2.0, subset)
        got = quality(records, best, chosen_t, subset)
        false = (false_edits(records, {}, 2.0, subset), false_edits(records, best, chosen_t, subset))
        print(
            f"half {name}: shipped {base[0]:.4f} / {base[1]:.4f}; with the model at p >= {chosen_t}: "
            f"recovered {got[0]:.4f} edit_precision {got[1]:.4f} (+{got[2]} changes); "
            f"false edits per 1,000 words of the originals {false[0]:.2f} -> {false[1]:.2f}"
        )
    print("half B at every threshold (not used to choose):")
    for t in THRESHOLDS:
        got = quality(records, best, t, b)
        false = false_edits(records, best, t, b)
        print(
            f"  p >= {t:.2f}: recovered {got[0]:.4f} edit_precision {got[1]:.4f} added {got[2]} false/1000 {false:.2f}"
        )
    if write and set(features) & set(EXTRA):
        print(f"not written: {sorted(set(features) & set(EXTRA))} exist in the bench only", file=sys.stderr)
        write = False
    if write:  # the raw weights must reproduce the fitted model's probabilities
        z = x @ np.asarray(weights) + intercept
        assert np.allclose(1 / (1 + np.exp(-z)), probs, atol=1e-6), "raw weights disagree with the model"
        weights_out.write_text(
            json.dumps(
                {
                    "features": list(features),
                    "weights": [round(float(w), 6) for w in weights],
                    "intercept": round(intercept, 6),
                    "threshold": chosen_t,
                    "made_by": "python bench/context_ceiling.py fit FILE --write (half A of the SpinBot dev pairs)",
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {weights_out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("collect")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--limit", type=int)
    p.add_argument("--wordnet", action="store_true", help="WordNet's sense-ordered lists as a candidate source")
    p.add_argument("--channel", type=float, default=0.0, help="weight of the WordNet channel log P in the prior")
    p = sub.add_parser("ceiling")
    p.add_argument("file", type=Path)
    p = sub.add_parser("fit")
    p.add_argument("file", type=Path)
    p.add_argument("--features", default=",".join(FEATURES))
    p.add_argument("--target", type=float, default=0.85)
    p.add_argument("--write", action="store_true")
    p.add_argument("--weights-out", type=Path, default=WEIGHTS, help="where --write puts the weights")
    p.add_argument("--model", choices=("logistic", "trees"), default="logistic")
    p.add_argument("--spun-only", action="store_true", help="train without the originals' candidates")
    p.add_argument("--alone", action="store_true", help="the model's changes without the shipped context changes")
    args = parser.parse_args(argv)
    if not SPINBOT.is_file():
        print(f"context_ceiling: {SPINBOT} not found: this benchmark needs ../shared", file=sys.stderr)
        return 2
    if args.command == "collect":
        return collect(args.out, args.limit, args.wordnet, args.channel)
    records = load(args.file)
    if args.command == "ceiling":
        return ceiling(records)
    global MODEL, ALONE
    MODEL, ALONE = args.model, args.alone
    features = [f for f in args.features.split(",") if f]
    return fit(records, features, args.write, args.target, spun_only=args.spun_only, weights_out=args.weights_out)


if __name__ == "__main__":
    sys.exit(main())
