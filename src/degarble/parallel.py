"""Restore many documents in parallel processes (``degarble -j N``), results in input order.

Each worker process builds its :class:`~degarble.restorer.Restorer` once (from
the cached index, see :mod:`degarble.index_cache`) and then restores whole
files; the parent only reads the results back in the order the files were
given, so the output is the same as a serial run.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .changes import Restoration
from .files import Document, InputError, read_document
from .restorer import Restorer

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see tokens.py)
if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = [
    "Outcome",
    "RestorerConfig",
    "forget_restorers",
    "outcomes",
    "restore_document",
    "restore_many",
    "restorer_for",
    "wants_stream",
]

# A restored document, or the error that kept it from being read.
Outcome = tuple[Document, Restoration] | InputError


@dataclass(frozen=True)
class RestorerConfig:
    """What a worker needs to build the same restorer as the parent (small and picklable)."""

    dictionaries: tuple[str, ...] = ()
    no_builtin: bool = False
    fuzzy: bool = True

    def build(self) -> Restorer:
        from .restorer import default_restorer

        if not self.dictionaries and not self.no_builtin and self.fuzzy:
            return default_restorer()
        paths = [os.path.abspath(p) for p in self.dictionaries]
        return Restorer([] if self.no_builtin else None, extra_dictionaries=paths, fuzzy=self.fuzzy)


_restorers: dict[RestorerConfig, Restorer] = {}
_restorers_lock = threading.Lock()
builds = 0  # restorers built in this process (the Dask tests check "once per worker")


def restorer_for(config: RestorerConfig) -> Restorer:
    """The restorer for ``config``, built once per process (thread-safe: Dask workers run threads)."""
    global builds
    restorer = _restorers.get(config)
    if restorer is None:
        with _restorers_lock:
            restorer = _restorers.get(config)
            if restorer is None:
                if len(_restorers) >= 4:
                    _restorers.clear()
                restorer = _restorers[config] = config.build()
                builds += 1
    return restorer


def forget_restorers() -> None:
    """Drop the restorers built so far (tests; or after dictionaries changed on disk)."""
    global builds
    with _restorers_lock:
        _restorers.clear()
        builds = 0


def restore_document(config: RestorerConfig, name: str, encoding: str) -> Outcome:
    """Read and restore one file (runs in a worker process)."""
    try:
        doc = read_document(name, encoding)
    except InputError as exc:
        return exc
    return doc, restorer_for(config).restore_and_explain(doc.text)


def _warm(config: RestorerConfig) -> None:
    restorer_for(config)


def restore_in_process(
    restorer: Restorer, names: Iterable[str], encoding: str = "utf-8", *, context: bool = False
) -> Iterator[tuple[str, Outcome]]:
    """``(name, outcome)`` for each file, restored one after the other in this process
    (``context``: with the context pass)."""
    for name in names:
        try:
            doc = read_document(name, encoding)
        except InputError as exc:
            yield name, exc
            continue
        yield name, (doc, restorer.restore_and_explain(doc.text, context=context))


def restore_many(
    config: RestorerConfig,
    names: Iterable[str],
    encoding: str = "utf-8",
    *,
    jobs: int = 1,
    restorer: Restorer | None = None,
    window: int | None = None,
) -> Iterator[tuple[str, Outcome]]:
    """``(name, outcome)`` for each file, in the order given.

    ``jobs`` > 1 spreads the files over that many processes; at most ``window``
    results (default ``4 * jobs``) are in flight, so memory stays bounded for
    any number of files.
    """
    names = list(names)
    if jobs <= 1 or len(names) <= 1:
        yield from restore_in_process(restorer or restorer_for(config), names, encoding)
        return
    from concurrent.futures import ProcessPoolExecutor  # lazy: multiprocessing is slow to import

    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(config,)) as pool:
        yield from _ordered(
            lambda n: pool.submit(restore_document, config, n, encoding), names, window or 4 * jobs
        )


def _ordered(
    submit: Callable[[str], Future[Outcome]], names: list[str], window: int
) -> Iterator[tuple[str, Outcome]]:
    """Submit ahead by ``window`` and hand results back in submission order."""
    pending: list[tuple[str, Future[Outcome]]] = []
    upcoming = iter(names)
    for name in upcoming:
        pending.append((name, submit(name)))
        if len(pending) >= window:
            break
    while pending:
        name, future = pending.pop(0)
        yield name, future.result()
        for following in upcoming:
            pending.append((following, submit(following)))
            break


# Bytes above which a file is streamed (in memory, 4 MB of text takes ~100 MB);
# DEGARBLE_STREAM_THRESHOLD overrides.
STREAM_THRESHOLD = 4 << 20


def wants_stream(name: str, stream: bool | None) -> bool:
    """Restore ``name`` as a stream? ``stream`` is the CLI flag (None: by file size)."""
    if stream is not None:
        return stream
    if name == "-":
        return False
    threshold = int(os.environ.get("DEGARBLE_STREAM_THRESHOLD", STREAM_THRESHOLD))
    try:
        return os.path.getsize(name) > threshold
    except OSError:
        return False  # unreadable: the normal path reports it


def outcomes(
    config: RestorerConfig,
    restorer: Restorer,
    names: list[str],
    encoding: str,
    jobs: int,
    dask_address: str | None,
    streamed: set[str],
) -> Iterator[tuple[str, Outcome | None]]:
    """The CLI's results in input order: ``None`` for the names in ``streamed`` (the
    caller streams those itself), else the outcome, from this process, ``jobs``
    processes or a Dask cluster."""
    batch = [n for n in names if n not in streamed and n != "-"]
    if dask_address:
        from .dask import restore_files

        results = restore_files(batch, dask_address, config=config, encoding=encoding)
    else:
        workers = jobs or os.cpu_count() or 1
        results = restore_many(config, batch, encoding, jobs=workers, restorer=restorer)
    for name in names:
        if name in streamed:
            yield name, None
        elif name == "-":
            yield from restore_in_process(restorer, [name], encoding)
        else:
            done, outcome = next(results)
            assert done == name
            yield name, outcome
