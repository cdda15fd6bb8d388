"""Extraction on Dask: the graph equals a serial build's; a dying worker's documents are retried or reported."""
from __future__ import annotations

import doctest
import os
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="parallel builds need Dask (the dask extra)")

import cloudpickle  # noqa: E402
import dask  # noqa: E402

import kg.parallel  # noqa: E402
from kg.build import build  # noqa: E402
from kg.parallel import extract_batch, extract_parallel, parallel_extractions  # noqa: E402
from kg.store import Store  # noqa: E402
from kg.synthetic import generate  # noqa: E402

# the worker-killing task functions below travel to the workers by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _die_once(documents, marker: str):
    """Kill this worker process the first time (a crash mid-batch), extract normally the second."""
    if not os.path.exists(marker):
        Path(marker).write_text("died", encoding="utf-8")
        os._exit(1)
    from kg.parallel import extract_batch

    return extract_batch(documents)


def _die_always(documents):
    os._exit(1)


@pytest.fixture(scope="module")
def cluster():
    # one retry after a worker death, so a task that always kills its worker fails fast
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=":0", silence_logs=50) as running:
            with distributed.Client(running) as client:
                yield client


@pytest.fixture(scope="module")
def documents():
    return [article.document() for article in generate(16, seed=11)]


def _quads(store) -> set:
    return {tuple(str(t) for t in q) for q in store.quads()}


def test_batches_doctest():
    assert doctest.testmod(kg.parallel).failed == 0


def test_dask_build_equals_serial_build(cluster, documents):
    serial, parallel = Store(None), Store(None)
    report = build([], serial, documents=documents, exports=None, validate=False)
    assert len(report.written) == len(documents)
    report = build([], parallel, documents=documents, exports=None, validate=False,
                   extractions=lambda docs: extract_parallel(docs, cluster, batch_size=3))
    assert sorted(report.written) == sorted(d.name for d in documents) and not report.failed
    assert len(parallel) > 1000
    assert _quads(parallel) == _quads(serial)


def test_a_worker_dying_mid_batch_is_retried(cluster, documents, tmp_path):
    marker = str(tmp_path / "died")
    docs = documents[:4]
    results = list(extract_parallel(docs, cluster, batch_size=4,
                                    extract=lambda batch: _die_once(batch, marker)))
    assert os.path.exists(marker), "the first attempt killed its worker"
    assert sorted(d.name for d, _ in results) == sorted(d.name for d in docs)
    assert not [e for _, e in results if isinstance(e, BaseException)]


def test_documents_of_a_batch_that_keeps_killing_workers_are_reported(cluster, documents):
    store = Store(None)
    build([], store, documents=documents[:2], exports=None, validate=False)
    before = _quads(store)
    report = build([], store, documents=documents[:2], exports=None, validate=False,
                   extractions=lambda docs: extract_parallel(docs, cluster, batch_size=2, extract=_die_always))
    assert sorted(name for name, _ in report.failed) == sorted(d.name for d in documents[:2])
    assert all("KilledWorker" in why or "died" in why.lower() for _, why in report.failed), report.failed
    assert report.written == [] and report.removed == []
    assert _quads(store) == before  # their previous graphs are kept, nothing is pruned


def test_parallel_extractions_starts_and_stops_a_local_cluster(documents):
    run = parallel_extractions(workers=1, batch_size=8)
    results = list(run(documents[:2]))
    assert [d.name for d, _ in results] == [d.name for d in documents[:2]]
    assert [len(e.facts) for _, e in results] == [len(extract_batch([d])[0].facts) for d in documents[:2]]


def test_an_existing_scheduler_is_used_by_address(cluster, documents):
    run = parallel_extractions(scheduler=cluster.scheduler.address, batch_size=1)
    results = list(run(documents[:3]))
    assert sorted(d.name for d, _ in results) == sorted(d.name for d in documents[:3])
    assert all(hasattr(e, "facts") for _, e in results)
