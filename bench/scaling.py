"""Scaling of ``degarble -j N`` and of the Dask helpers with 1 and 2 workers (run on demand).

    python bench/scaling.py --mb 10 --workers 1,2

The corpus is cut into documents of about 25 kB (the size of a paper's text)
from :func:`bench.speed.build_corpus`.  Both modes are timed in wall-clock
seconds after a warm-up, so each worker has already built its restorer (one
dictionary load per worker process, from the index cache); the Dask cluster is
a ``distributed.LocalCluster`` of worker processes with one thread each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from degarble.parallel import RestorerConfig, restore_many
from speed import MB, build_corpus, build_dictionary


def documents(total_mb: float, size: int = 25_000) -> list[str]:
    text, _ = build_corpus(int(total_mb * MB))
    docs, start = [], 0
    while start < len(text):
        end = text.find("\n\n", start + size)
        end = len(text) if end < 0 else end + 2
        docs.append(text[start:end])
        start = end
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--dict", type=int, default=10000, help="dictionary entries")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="degarble-scaling-"))
    dictionary = build_dictionary(args.dict, Path(tempfile.gettempdir()) / "degarble-bench")
    docs = documents(args.mb)
    names = []
    for number, doc in enumerate(docs):
        path = work / f"doc{number:05d}.txt"
        path.write_text(doc, encoding="utf-8")
        names.append(str(path))
    mb = sum(len(d.encode()) for d in docs) / MB
    config = RestorerConfig((str(dictionary),), no_builtin=True)
    print(f"{len(docs)} documents, {mb:.1f} MB, {args.dict}-entry dictionary")
    print("\n| workers | mode | wall s | MB/s | speed-up |\n|---:|---|---:|---:|---:|")
    base: dict[str, float] = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        list(restore_many(config, names[: 2 * workers], jobs=workers))  # warm the index cache
        start = time.perf_counter()
        changes = sum(len(o[1].changes) for _, o in restore_many(config, names, jobs=workers))
        wall = time.perf_counter() - start
        base.setdefault("jobs", wall)
        print(
            f"| {workers} | -j {workers} | {wall:.1f} | {mb / wall:.2f} | {base['jobs'] / wall:.2f} |",
            flush=True,
        )
        try:
            import dask.bag as db
            import distributed

            from degarble.dask import restore_bag
        except ImportError:
            print(f"| {workers} | dask | skipped: pip install 'degarble[dask]' | | |")
            continue
        with (
            distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster),
        ):
            warm = db.from_sequence(docs[: 4 * workers], npartitions=workers * 2)
            restore_bag(warm, config).compute()
            bag = db.from_sequence(docs, npartitions=8 * workers)
            start = time.perf_counter()
            restored = restore_bag(bag, config).compute()
            wall = time.perf_counter() - start
        assert len(restored) == len(docs)
        base.setdefault("dask", wall)
        print(
            f"| {workers} | dask bag | {wall:.1f} | {mb / wall:.2f} | {base['dask'] / wall:.2f} |", flush=True
        )
    print(f"\n({changes} changes per pass)")


if __name__ == "__main__":
    main()
