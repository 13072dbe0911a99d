"""Speed, memory and cold-start benchmark of degarble against plain phrase-replacement engines.

Run on demand (not a test; needs the ``bench`` extra: ``pip install -e '.[bench]'``)::

    python bench/speed.py                       # 1, 10, 100 MB x 1k, 10k, 100k entries
    python bench/speed.py --sizes 1 --dicts 10000 --quick
    python bench/speed.py --sizes 10 --dicts 10000 --engines degarble,flashtext --repeat 7

``--repeat N`` is the trustworthy ratio: the engines take turns on the same text in
this process (a discarded warm-up round, then N rounds, order reversed every other
round), a full garbage collection before each run, and the table gives every round's
CPU seconds, the median ratio and its spread (see :func:`compare`).

Corpus: clean prose with spun text and tortured phrases mixed in.  The clean
paragraphs are the Wikipedia originals of ``../shared/data/spinbot-wikipedia``,
the spun ones their SpinBot versions and the seed article, and the tortured
phrases of ``../shared/data/tortured-phrases`` are dropped into clean sentences
(about one per 150 words).  Without ``../shared`` the corpus is the seed plus
generated sentences of common English words, and the table says so.

Dictionaries of 1k / 10k / 100k entries: the built-in dictionaries, then the
tortured-phrase list (when present), then generated entries (two or three
common words -> other common words) up to the size.

Every engine runs in this process on the same text (timed with CPU time, which
other processes on the machine disturb less than wall time):

* ``degarble``: the default mode (exact, inflected, spelling-variant and fuzzy
  matching, case transfer, a/an), through :func:`degarble.stream.restore_stream`
  as the CLI runs it on large inputs, 1 M-character chunks;
* ``tokenizer``: the floor, :func:`degarble.tokens.tokenize` over the same chunks;
* ``flashtext``: ``KeywordProcessor.replace_keywords`` line by line;
  ``flashtext_whole`` (on request, ``--engines``): the whole text in one call,
  where its string building grows faster than linearly;
* ``regex``: one compiled, case-insensitive ``\\b(?:...)\\b`` alternation, longest first, ``sub``;
* ``ahocorasick_rs``: leftmost-longest search over the lower-cased text, word
  boundaries checked, replacement by slicing.

The anchors know only the written spun forms (no inflection, spelling variants
or fuzzy matching), so they do less work than degarble.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "000_f9f8cd65f9abefae.txt"
MB = 1_000_000


# -- corpus -----------------------------------------------------------------------------
def _paragraphs() -> tuple[list[str], list[str], list[str], str]:
    """(clean paragraphs, spun paragraphs, tortured phrases, note on the source)."""
    seed = SEED.read_text(encoding="utf-8")
    spun = [p for p in seed.split("\n\n") if p.strip()]
    spinbot = SHARED / "data" / "spinbot-wikipedia" / "dev.jsonl"
    tortured = SHARED / "data" / "tortured-phrases" / "dev.jsonl"
    if spinbot.exists() and tortured.exists():
        clean = []
        for line in spinbot.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            clean.append(pair["original"])
            spun.append(pair["spun"])
        phrases = [json.loads(line)["tortured"] for line in tortured.read_text(encoding="utf-8").splitlines()]
        return clean, spun, phrases, "seed + ../shared spinbot-wikipedia and tortured-phrases dev sets"
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", 5000) if w.isalpha()]
    rng = random.Random(0)
    clean = [
        " ".join(
            " ".join(rng.choice(words) for _ in range(rng.randrange(8, 20))).capitalize() + "."
            for _ in range(rng.randrange(3, 7))
        )
        for _ in range(300)
    ]
    return clean, spun, [], "NOTE: ../shared absent: seed + generated sentences of common English words"


def build_corpus(size: int, seed: int = 1, *, clean_only: bool = False) -> tuple[str, str]:
    """About ``size`` bytes of mixed clean and spun paragraphs (and the source note);
    ``clean_only``: the clean paragraphs alone, no tortured phrases put in."""
    clean, spun, phrases, note = _paragraphs()
    if clean_only:
        spun, phrases, note = [], [], note + "; clean paragraphs only"
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        roll = rng.random()
        if roll < 0.3 and spun:
            paragraph = rng.choice(spun)
        else:
            words = rng.choice(clean).split(" ")
            if phrases:
                for _ in range(max(1, len(words) // 150)):
                    at = rng.randrange(len(words))
                    words[at] = f"{words[at]} {rng.choice(phrases)}"
            paragraph = " ".join(words)
        parts.append(paragraph)
        total += len(paragraph.encode()) + 2
    return "\n\n".join(parts) + "\n", note


# -- dictionaries ---------------------------------------------------------------------
def build_dictionary(entries: int, folder: Path) -> Path:
    """A TSV of ``entries`` lines: built-in entries, tortured phrases, then generated ones."""
    from wordfreq import top_n_list

    from degarble.dictionary import (
        DictionaryError,
        builtin_dictionary_paths,
        load_dictionary,
        parse_dictionary,
    )

    path = folder / f"dict-{entries}.tsv"
    if path.exists():
        return path
    lines: list[str] = []
    seen: set[tuple[str, ...]] = set()

    def add(spun: str, standard: str, flags: str = "") -> None:
        line = f"{spun}\t{standard}" + (f"\t{flags}" if flags else "")
        try:
            (entry,) = parse_dictionary([line], "bench")
        except (DictionaryError, ValueError):
            return
        if entry.words not in seen and len(lines) < entries:
            seen.add(entry.words)
            lines.append(line)

    for builtin in builtin_dictionary_paths():
        for entry in load_dictionary(builtin):
            add(entry.spun, entry.standard, ",".join(sorted(entry.flags)))
    tortured = SHARED / "data" / "tortured-phrases" / "dev.jsonl"
    if tortured.exists():
        for line in tortured.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            add(pair["tortured"].lower(), pair["expected"])
    words = [w for w in top_n_list("en", 30000) if w.isalpha() and len(w) > 2]
    rng = random.Random(entries)
    while len(lines) < entries:
        size = rng.choice((2, 2, 3))
        add(
            " ".join(rng.choice(words) for _ in range(size)), " ".join(rng.choice(words) for _ in range(size))
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        spun, standard = line.split("\t")[:2]
        pairs.append((spun, standard))
    return pairs


# -- engines ------------------------------------------------------------------------------
def _chunks(text: str, size: int = MB) -> list[str]:
    """The chunks degarble's stream makes of ``text``."""
    from degarble.stream import iter_chunks

    return list(iter_chunks(iter([text]), size))


def engine_degarble(path: Path) -> Callable[[str], object]:
    from degarble.restorer import Restorer
    from degarble.stream import restore_stream

    restorer = Restorer([path])  # the bench dictionary already holds the built-in entries

    def run(text: str) -> object:
        out: list[str] = []
        restore_stream(restorer, io.BytesIO(text.encode()), out.append)
        return len(out)

    return run


def engine_tokenizer(_: Path) -> Callable[[str], object]:
    from degarble.tokens import tokenize

    def run(text: str) -> object:
        return sum(len(tokenize(chunk)) for chunk in _chunks(text))

    return run


def engine_flashtext(path: Path) -> Callable[[str], object]:
    from flashtext import KeywordProcessor

    processor = KeywordProcessor()
    for spun, standard in _pairs(path):
        processor.add_keyword(spun, standard)

    def run(text: str) -> object:
        return len("".join(processor.replace_keywords(line) for line in text.splitlines(keepends=True)))

    return run


def engine_flashtext_whole(path: Path) -> Callable[[str], object]:
    """flashtext given the whole text in one call (its string building grows faster than linearly)."""
    from flashtext import KeywordProcessor

    processor = KeywordProcessor()
    for spun, standard in _pairs(path):
        processor.add_keyword(spun, standard)
    return lambda text: len(processor.replace_keywords(text))


def engine_regex(path: Path) -> Callable[[str], object]:
    import regex

    table = {spun.lower(): standard for spun, standard in _pairs(path)}
    alternation = "|".join(regex.escape(k) for k in sorted(table, key=len, reverse=True))
    pattern = regex.compile(rf"\b(?:{alternation})\b", regex.IGNORECASE)

    def run(text: str) -> object:
        return len(pattern.sub(lambda m: table.get(m.group().lower(), m.group()), text))

    return run


def engine_ahocorasick(path: Path) -> Callable[[str], object]:
    import ahocorasick_rs

    pairs = _pairs(path)
    keys = [spun.lower() for spun, _ in pairs]
    replacements = [standard for _, standard in pairs]
    matcher = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def run(text: str) -> object:
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = text  # offsets would drift; fall back to case-sensitive search
        parts: list[str] = []
        position = 0
        for index, start, end in matcher.find_matches_as_indexes(lowered):
            if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                continue
            parts.append(text[position:start])
            parts.append(replacements[index])
            position = end
        parts.append(text[position:])
        return len("".join(parts))

    return run


ENGINES: dict[str, Callable[[Path], Callable[[str], object]]] = {
    "degarble": engine_degarble,
    "tokenizer": engine_tokenizer,
    "flashtext": engine_flashtext,
    "flashtext_whole": engine_flashtext_whole,
    "regex": engine_regex,
    "ahocorasick_rs": engine_ahocorasick,
}


def timed(run: Callable[[str], object], text: str, *, collect: bool = True, gc_off: bool = False) -> float:
    """CPU seconds (this process: ``time.process_time``) of ``run(text)``; ``collect``: a full
    garbage collection first (so no engine pays for another's garbage); ``gc_off``: the cyclic
    collector paused during the run (the same for every engine)."""
    if collect:
        gc.collect()
    if gc_off:
        gc.disable()
    try:
        start = time.process_time()
        run(text)
        return time.process_time() - start
    finally:
        if gc_off:
            gc.enable()


def compare(
    text: str, path: Path, engines: list[str], repeat: int, *, gc_off: bool = False, fresh: bool = True
) -> dict[str, list[float]]:
    """CPU seconds of each engine on ``text``, interleaved: one discarded warm-up round, then
    ``repeat`` rounds in which every engine runs once, the order reversed every other round
    (ABBA...), so drift in the machine's load weighs on all engines alike.  ``fresh``: degarble
    gets a new restorer (built untimed, from the index cache) every round, so each timed run
    builds its automaton and per-word memos as a one-off CLI run does; otherwise one restorer
    serves every round (its memos warm, as in a long stream)."""
    built = {name: ENGINES[name](path) for name in engines}
    times: dict[str, list[float]] = {name: [] for name in engines}
    for round_ in range(repeat + 1):
        order = engines if round_ % 2 == 0 else engines[::-1]
        for name in order:
            if name == "degarble" and fresh:
                built[name] = ENGINES[name](path)
                built[name]("warm up: facial acknowledgment.")
            spent = timed(built[name], text, gc_off=gc_off)
            if round_:  # round 0 is the warm-up
                times[name].append(spent)
    return times


def report_comparison(times: dict[str, list[float]], mb: float) -> None:
    """Median, spread and per-round ratios of degarble's speed to each other engine's."""
    print("| engine | CPU s per round | median | min | max | MB/s (median) |\n|---|---|---:|---:|---:|---:|")
    for name, spent in times.items():
        print(
            f"| {name} | {' '.join(f'{s:.2f}' for s in spent)} | {statistics.median(spent):.2f} | "
            f"{min(spent):.2f} | {max(spent):.2f} | {mb / statistics.median(spent):.2f} |"
        )
    ours = times.get("degarble")
    if not ours:
        return
    print("\n| degarble speed / engine | per round | median | min | max |\n|---|---|---:|---:|---:|")
    for name, spent in times.items():
        if name == "degarble":
            continue
        ratios = [theirs / mine for mine, theirs in zip(ours, spent)]
        print(
            f"| {name} | {' '.join(f'{r:.2f}' for r in ratios)} | {statistics.median(ratios):.2f} | "
            f"{min(ratios):.2f} | {max(ratios):.2f} |"
        )


# -- memory and cold start ----------------------------------------------------------------
def peak_rss_mb(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(peak resident MB, wall seconds) of ``command`` run in a fresh child."""
    rss, wall, _ = _child_usage(command, env)
    return rss, wall


def _child_usage(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(peak resident MB, wall seconds, CPU seconds) of ``command`` run in a fresh child."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    return float(out[1]) / 1024, float(out[0]), float(out[2])


def huge_stream(gigabytes: float, folder: Path) -> dict[str, float]:
    """Restore a generated file of ``gigabytes`` GB with the CLI (it streams), default
    dictionaries, output to /dev/null: peak RSS, wall and CPU seconds.  The file cycles
    ten different 10 MB corpora and is deleted afterwards."""
    path = folder / "huge.txt"
    size = int(gigabytes * 1e9)
    blocks = [build_corpus(min(10 * MB, size), seed=k)[0] for k in range(10)]
    try:
        with path.open("w", encoding="utf-8") as out:
            written, k = 0, 0
            while written < size:
                block = blocks[k % len(blocks)]
                out.write(block + "\n")
                written += len(block.encode()) + 1
                k += 1
        del blocks
        rss, wall, cpu = _child_usage([sys.executable, "-m", "degarble", str(path)])
    finally:
        path.unlink(missing_ok=True)
    return {"bytes": written, "peak_rss_mb": rss, "wall_s": wall, "cpu_s": cpu}


def cold_start(runs: int = 7) -> dict[str, object]:
    """CLI wall time on the seed (warm caches), and the biggest imports from ``-X importtime``."""
    cli = [sys.executable, "-m", "degarble", str(SEED)]
    subprocess.run(cli, capture_output=True, check=True)  # fill the caches
    import resource

    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cli, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    base = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
        base.append(time.perf_counter() - start)
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", *cli[1:]], capture_output=True, text=True
    ).stderr
    top: list[tuple[int, str]] = []
    for line in trace.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(2)) <= 2:  # top-level imports only
            top.append((int(m.group(1)), m.group(3)))
    top.sort(reverse=True)
    return {
        "median_s": statistics.median(walls),
        "cpu_median_s": statistics.median(cpus),
        "min_s": min(walls),
        "python_startup_s": statistics.median(base),
        "imports": [(name, us / 1e6) for us, name in top[:8]],
    }


def dictionary_load() -> dict[str, float]:
    """CPU seconds to build the default restorer in a fresh process: cold (no cache) and from the cache."""
    code = (
        "import time; from degarble.restorer import Restorer; t = time.process_time(); r = Restorer(); "
        "print(time.process_time() - t, len(r.entries))"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "DEGARBLE_CACHE_DIR": cache}
        cold = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        warm = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, env=env
                ).stdout.split()[0]
            )
            for _ in range(5)
        ]
    return {
        "cold_s": float(cold.stdout.split()[0]),
        "cached_s": statistics.median(warm),
        "entries": float(cold.stdout.split()[1]),
    }


# -- main ---------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="corpus sizes in MB")
    parser.add_argument("--dicts", default="1000,10000,100000", help="dictionary sizes")
    parser.add_argument("--anchor-max-mb", type=float, default=10, help="largest corpus the anchors run on")
    parser.add_argument("--engines", default="degarble,tokenizer,flashtext,regex,ahocorasick_rs")
    parser.add_argument(
        "--big-dict", type=int, default=10000, help="the one dictionary run on the largest corpus"
    )
    parser.add_argument(
        "--anchor-budget", type=float, default=120, help="skip an anchor run projected longer (s)"
    )
    parser.add_argument("--regex-max-entries", type=int, default=10000, help="largest regex alternation")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "degarble-bench"))
    parser.add_argument(
        "--no-extras", action="store_true", help="skip memory, cold start and dictionary load"
    )
    parser.add_argument("--json", help="also write the raw figures here")
    parser.add_argument(
        "--repeat",
        type=int,
        default=0,
        help="interleaved comparison instead of the table: a warm-up round, then this many rounds "
        "(engine order reversed every other round), on the first size and dictionary",
    )
    parser.add_argument("--gc-off", action="store_true", help="(--repeat) pause the cyclic collector while timing")
    parser.add_argument(
        "--warm-memos",
        action="store_true",
        help="one degarble restorer for all rounds (--repeat); in the table, the restorer first "
        "restores 1 MB of other text, untimed, so no size pays the one-time set-up",
    )
    parser.add_argument(
        "--clean", action="store_true", help="corpus of the clean paragraphs only (no spun text, no tortured phrases)"
    )
    parser.add_argument(
        "--stream-gb", type=float, default=0, help="also restore a generated file of this many GB (CLI, streaming)"
    )
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    sizes = [float(s) for s in args.sizes.split(",")]
    dict_sizes = [int(d) for d in args.dicts.split(",")]
    engines = args.engines.split(",")

    print(
        f"# degarble speed benchmark: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    if args.repeat:
        text, note = build_corpus(int(sizes[0] * MB), clean_only=args.clean)
        mb = len(text.encode()) / MB
        path = build_dictionary(dict_sizes[0], work)
        print(
            f"corpus: {note}; {mb:.3g} MB, {dict_sizes[0]}-entry dictionary; load average "
            f"{os.getloadavg()[0]:.2f}; {args.repeat} interleaved rounds after a warm-up; gc "
            f"{'paused' if args.gc_off else 'collected before each run'}; degarble memos "
            f"{'warm' if args.warm_memos else 'fresh each round'}\n"
        )
        times = compare(text, path, engines, args.repeat, gc_off=args.gc_off, fresh=not args.warm_memos)
        report_comparison(times, mb)
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
        if args.json:
            Path(args.json).write_text(json.dumps(times, indent=1), encoding="utf-8")
        return
    rows: list[dict[str, object]] = []
    per_mb: dict[tuple[int, str], float] = {}
    texts = {}
    for size in sizes:
        text, note = build_corpus(int(size * MB), clean_only=args.clean)
        texts[size] = text
    print(f"corpus: {note}")
    words: dict[float, int] = {}  # tokens per corpus, from the tokenizer run
    print()
    print(
        "| dict | MB | engine | CPU s | MB/s | words/s | degarble speed / engine | degarble time / engine |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for entries in dict_sizes:
        path = build_dictionary(entries, work)
        built = {}
        for name in engines:
            if name == "regex" and entries > args.regex_max_entries:
                print(f"| {entries} | | regex | skipped: over {args.regex_max_entries} entries | | | | |")
                continue
            start = time.process_time()
            built[name] = ENGINES[name](path)
            if name == "degarble":
                # first use builds (or reads) the cached index; not part of throughput
                built[name]("warm up: facial acknowledgment.")
                if args.warm_memos:  # and the one-time set-up of a long text, on other text
                    built[name](build_corpus(MB, seed=2, clean_only=args.clean)[0])
            rows.append({"dict": entries, "engine": name, "setup_s": time.process_time() - start})
        for size, text in texts.items():
            mb = len(text.encode()) / MB
            seconds = {}
            for name in engines:
                if name not in built or (name not in ("degarble", "tokenizer") and size > args.anchor_max_mb):
                    continue
                projected = per_mb.get((entries, name), 0.0) * mb
                if name not in ("degarble", "tokenizer") and projected > args.anchor_budget:
                    print(f"| {entries} | {mb:.3g} | {name} | skipped: projected {projected:.0f} s | | | | |")
                    continue
                if name not in ("degarble", "tokenizer") and size > args.anchor_max_mb:
                    continue
                if size not in words:
                    words[size] = int(built["tokenizer"](text)) if "tokenizer" in built else 0
                if size == max(sizes) and len(sizes) > 1 and entries != args.big_dict:
                    continue  # the largest corpus runs with one dictionary only (time)
                seconds[name] = timed(built[name], text)
                per_mb[(entries, name)] = seconds[name] / mb
            for name, spent in seconds.items():
                ours = seconds.get("degarble")
                speed = f"{spent / ours:.2f}" if ours and name != "degarble" else ""
                ratio = f"{ours / spent:.2f}" if ours and name != "degarble" else ""
                print(
                    f"| {entries} | {mb:.3g} | {name} | {spent:.2f} | {mb / spent:.2f} | "
                    f"{words[size] / spent:,.0f} | {speed} | {ratio} |",
                    flush=True,
                )
                rows.append({"dict": entries, "mb": mb, "engine": name, "cpu_s": spent, "words": words[size]})
    extras: dict[str, object] = {}
    if not args.no_extras:
        corpus = work / "corpus-10.txt"
        corpus.write_text(build_corpus(10 * MB)[0], encoding="utf-8")
        small = work / "corpus-1.txt"
        small.write_text(build_corpus(1 * MB)[0], encoding="utf-8")
        dict10k = build_dictionary(10000, work)
        cli = [sys.executable, "-m", "degarble.cli", "-d", str(dict10k)]
        subprocess.run([*cli, str(SEED)], capture_output=True, check=True)  # build the cached index first
        memory = {
            "1 MB, in memory": peak_rss_mb([*cli, "--no-stream", str(small)]),
            "10 MB, default (streams above 4 MB)": peak_rss_mb([*cli, str(corpus)]),
            "10 MB, --no-stream": peak_rss_mb([*cli, "--no-stream", str(corpus)]),
        }
        print("\n| peak memory (CLI, 10k-entry dictionary) | MB | wall s |\n|---|---:|---:|")
        for label, (rss, wall) in memory.items():
            print(f"| {label} | {rss:.0f} | {wall:.1f} |")
        start = cold_start()
        print(
            f"\ncold start `degarble {SEED.relative_to(ROOT)}` (warm caches): "
            f"median {start['median_s']:.3f} s wall, {start['cpu_median_s']:.3f} s CPU (user+sys), "
            f"min {start['min_s']:.3f} s (bare `python -c pass`: {start['python_startup_s']:.3f} s)"
        )
        print("largest top-level imports (python -X importtime, cumulative):")
        for name, seconds in start["imports"]:  # type: ignore[union-attr]
            print(f"  {name:32s} {seconds * 1000:7.1f} ms")
        load = dictionary_load()
        print(
            f"\ndefault dictionary load ({load['entries']:.0f} entries, CPU in a fresh process): "
            f"{load['cached_s']:.3f} s from the cache, "
            f"{load['cold_s']:.3f} s when building it"
        )
        extras = {"memory": memory, "cold_start": start, "dictionary_load": load}
    if args.stream_gb:
        huge = huge_stream(args.stream_gb, work)
        print(
            f"\nstreamed {huge['bytes'] / 1e9:.2f} GB (`degarble FILE > /dev/null`, default dictionaries): "
            f"peak RSS {huge['peak_rss_mb']:.0f} MB, {huge['wall_s']:.0f} s wall, {huge['cpu_s']:.0f} s CPU "
            f"({huge['bytes'] / MB / huge['cpu_s']:.2f} MB per CPU second)"
        )
        extras["stream"] = huge
    if args.json:
        Path(args.json).write_text(
            json.dumps({"rows": rows, **extras}, indent=1, default=str), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
