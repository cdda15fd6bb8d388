"""Parallel and distributed extraction on Dask (optional: ``pip install 'aikg[dask]'``).

`kg build --workers N` starts a `distributed.LocalCluster` of N worker processes;
`kg build --scheduler tcp://HOST:PORT` uses an existing Dask cluster (its workers need
aikg installed). Documents are sent to the workers in batches; each worker extracts its
batch with its own `Extractor` (made once per worker process) and sends the extractions
back. The client writes each document in its own transaction as results arrive, so the
store holds the same graph a serial build writes (writes are independent of order).

A batch whose task raises is retried (`retries`); a batch whose worker dies is
rescheduled by Dask on another worker, up to the scheduler's ``allowed-failures``.
A batch that still fails is reported: its documents come back with the exception in
place of the extraction, `kg.build.build` lists them in `BuildReport.failed` and keeps
their previous graphs. No document goes missing silently.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from kg.errors import KGError
from kg.models import Document

_EXTRACTOR = None


class ParallelError(KGError):
    """Dask is not installed, or the cluster could not be started or reached."""


def extract_batch(documents: Sequence[Document]) -> list:
    """Extract a batch of documents with this process's extractor (made on first use). Runs on a worker."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from kg.extract import Extractor

        _EXTRACTOR = Extractor()
    return [_EXTRACTOR.extract(document) for document in documents]


def batches(documents: Sequence[Document], *, workers: int, batch_size: int | None = None) -> list[list[Document]]:
    """Documents split into batches: about four per worker (load balance), at most 64 documents each.

    >>> [len(b) for b in batches(list(range(10)), workers=2)]
    [2, 2, 2, 2, 2]
    """
    if not documents:
        return []
    size = batch_size or max(1, min(64, math.ceil(len(documents) / (4 * max(1, workers)))))
    return [list(documents[i:i + size]) for i in range(0, len(documents), size)]


@contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None):
    """A Dask client: on an existing scheduler, or on a new local cluster of `workers` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ParallelError("parallel builds need Dask; run: pip install 'aikg[dask]'") from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ParallelError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from None
        try:
            yield client
        finally:
            client.close()
        return
    if not workers or workers < 1:
        raise ParallelError("--workers must be at least 1")
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=":0", silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def extract_parallel(documents: Sequence[Document], client, *, batch_size: int | None = None,
                     retries: int = 2, extract: Callable[[Sequence[Document]], list] = extract_batch,
                     ) -> Iterator[tuple[Document, object]]:
    """(document, extraction) pairs as the workers of `client` finish them.

    A document whose batch failed for good comes with the exception instead of an extraction.
    """
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    futures = {}
    for batch in batches(documents, workers=workers, batch_size=batch_size):
        future = client.submit(extract, batch, retries=retries, pure=False)
        futures[future] = batch
    for future in as_completed(futures):
        batch = futures.pop(future)
        try:
            extractions = future.result()
        except Exception as exc:  # KilledWorker, or the task's own error after its retries
            failure = exc if isinstance(exc, KGError) else KGError(
                f"extraction failed on the cluster: {exc.__class__.__name__}: {exc}")
            for document in batch:
                yield document, failure
            continue
        for document, extraction in zip(batch, extractions):
            yield document, extraction


def parallel_extractions(*, workers: int | None = None, scheduler: str | None = None,
                         batch_size: int | None = None):
    """An `extractions` function for `kg.build.build` that runs on Dask.

    It opens the client when the build starts extracting and closes it when done.
    """
    def run(documents: Sequence[Document]) -> Iterator[tuple[Document, object]]:
        with dask_client(workers=workers, scheduler=scheduler) as client:
            yield from extract_parallel(documents, client, batch_size=batch_size)

    return run


__all__ = ["extract_parallel", "extract_batch", "batches", "dask_client", "parallel_extractions", "ParallelError"]
