"""Dask integration: restore corpora that outgrow one machine (``pip install 'degarble[dask]'``).

Every helper works partition by partition: a worker builds its
:class:`~degarble.restorer.Restorer` once (from the cached index, see
:mod:`degarble.index_cache`) and reuses it for every partition it is given, so
the dictionaries are loaded once per worker process, not once per text.  Only
the small :class:`~degarble.parallel.RestorerConfig` travels with the tasks;
dictionary paths must be readable on the workers (the built-in ones always are).

>>> import dask.bag as db                                   # doctest: +SKIP
>>> restore_bag(db.from_sequence(texts)).compute()          # doctest: +SKIP

Extension point for screening: when a ``degarble.screen`` module offers a
per-text function, a ``screen_bag``/``screen_series`` pair is two lines here,
following :func:`restore_bag` and :func:`restore_series` (map a partition
through ``restorer_for(config)`` and the screening call).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .parallel import Outcome, RestorerConfig, restore_document, restorer_for

__all__ = [
    "MissingDaskError",
    "explain_bag",
    "restore_bag",
    "restore_column",
    "restore_files",
    "restore_series",
]

_INSTALL = "Dask support needs the 'dask' extra: pip install 'degarble[dask]'"


class MissingDaskError(ImportError):
    """Dask (or distributed) is not installed."""


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDaskError(f"{_INSTALL} ({exc})") from None


def _restore_texts(texts: Iterable[str], config: RestorerConfig) -> list[str]:
    restorer = restorer_for(config)
    return [restorer.restore(text) for text in texts]


def _explain_texts(texts: Iterable[str], config: RestorerConfig) -> list[dict[str, Any]]:
    restorer = restorer_for(config)
    out = []
    for text in texts:
        result = restorer.restore_and_explain(text)
        out.append({"text": result.text, "changes": [c.as_dict() for c in result.changes]})
    return out


def restore_bag(bag: Any, config: RestorerConfig | None = None) -> Any:
    """A bag of restored texts, in the order of ``bag`` (a Dask bag of strings)."""
    _require("dask.bag")
    return bag.map_partitions(_restore_texts, config or RestorerConfig())


def explain_bag(bag: Any, config: RestorerConfig | None = None) -> Any:
    """A bag of ``{"text": restored, "changes": [change dicts]}``, one per input text."""
    _require("dask.bag")
    return bag.map_partitions(_explain_texts, config or RestorerConfig())


def _restore_partition(series: Any, config: RestorerConfig) -> Any:
    restorer = restorer_for(config)
    return series.map(restorer.restore)


def restore_series(series: Any, config: RestorerConfig | None = None) -> Any:
    """A Dask Series of restored texts (same index and partitions as ``series``)."""
    _require("dask.dataframe")
    return series.map_partitions(_restore_partition, config or RestorerConfig(), meta=(series.name, "object"))


def restore_column(
    frame: Any, column: str, into: str | None = None, config: RestorerConfig | None = None
) -> Any:
    """``frame`` with the text column ``column`` restored, into ``into`` (default: in place)."""
    return frame.assign(**{into or column: restore_series(frame[column], config)})


def restore_files(
    names: Sequence[str],
    address: str | Any,
    *,
    config: RestorerConfig | None = None,
    encoding: str = "utf-8",
    window: int | None = None,
) -> Iterator[tuple[str, Outcome]]:
    """Restore files on the Dask cluster at ``address`` (or a ``distributed.Client``), in input order.

    Each task reads one file on a worker (so the files must be on a file system
    the workers share) and sends back the document and its restoration; at most
    ``window`` tasks (default: 4 per worker thread) are in flight.
    """
    distributed = _require("distributed")
    config = config or RestorerConfig()
    client = address if isinstance(address, distributed.Client) else distributed.Client(address)
    try:
        threads = sum(client.nthreads().values()) or 1
        from .parallel import _ordered

        def submit(name: str) -> Any:
            return client.submit(restore_document, config, name, encoding, pure=False)

        yield from _ordered(submit, list(names), window or 4 * threads)
    finally:
        if client is not address:
            client.close()
