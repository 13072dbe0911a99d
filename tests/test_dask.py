"""Dask helpers against a small LocalCluster on loopback (needs the ``dask`` extra)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scale_helpers import TEXTS, write_dictionary

pytest.importorskip("dask.bag", reason="the 'dask' extra is not installed (pip install 'degarble[dask]')")
pytest.importorskip(
    "dask.dataframe", reason="the 'dask' extra is not installed (pip install 'degarble[dask]')"
)
distributed = pytest.importorskip("distributed", reason="the 'dask' extra is not installed")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from degarble import dask as degarble_dask  # noqa: E402
from degarble import parallel  # noqa: E402
from degarble.cli import cli  # noqa: E402
from degarble.parallel import RestorerConfig  # noqa: E402
from degarble.restorer import Restorer  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as local,
        distributed.Client(local) as client,
    ):
        yield local, client


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[RestorerConfig, Restorer, Path]:
    folder = tmp_path_factory.mktemp("dask")
    dictionary = write_dictionary(folder)
    return RestorerConfig((str(dictionary),), no_builtin=True), Restorer([dictionary]), folder


def test_restore_bag_in_order_and_dictionaries_loaded_once_per_worker(cluster, setup) -> None:  # type: ignore[no-untyped-def]
    config, reference, _ = setup
    texts = TEXTS * 5
    parallel.forget_restorers()
    restored = degarble_dask.restore_bag(db.from_sequence(texts, npartitions=6), config).compute()
    assert restored == [reference.restore(t) for t in texts]
    assert parallel.builds == 1  # one build on the worker, reused by all six partitions


def test_explain_bag_lists_changes(cluster, setup) -> None:  # type: ignore[no-untyped-def]
    config, reference, _ = setup
    rows = degarble_dask.explain_bag(db.from_sequence(TEXTS, npartitions=2), config).compute()
    assert [r["text"] for r in rows] == [reference.restore(t) for t in TEXTS]
    assert rows[0]["changes"][0]["replacement"] == "Facial recognition"


def test_restore_dataframe_column(cluster, setup) -> None:  # type: ignore[no-untyped-def]
    config, reference, _ = setup
    frame = dd.from_pandas(pd.DataFrame({"id": range(len(TEXTS)), "body": TEXTS}), npartitions=3)
    out = degarble_dask.restore_column(frame, "body", into="restored", config=config).compute()
    assert list(out["restored"]) == [reference.restore(t) for t in TEXTS]
    assert list(out["body"]) == TEXTS


def test_cli_dask_matches_local_run(cluster, setup) -> None:  # type: ignore[no-untyped-def]
    local, _ = cluster
    config, _, folder = setup
    names = []
    for number, text in enumerate(TEXTS):
        path = folder / f"c{number}.txt"
        path.write_text(text, encoding="utf-8", newline="")
        names.append(str(path))
    names.append(str(folder / "missing.txt"))
    base = ["--no-builtin", "-d", config.dictionaries[0], "--format", "json", *names]
    runner = CliRunner()
    here = runner.invoke(cli, base)
    there = runner.invoke(cli, ["--dask", local.scheduler_address, *base])
    assert there.exit_code == here.exit_code == 2
    assert there.stdout == here.stdout
