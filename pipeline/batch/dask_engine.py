"""The Dask engine: the same per-document function on a dask.distributed cluster.

Connects to a scheduler address, or starts a ``LocalCluster`` bound to 127.0.0.1.  Workers
receive inputs (paths, not bytes), so on a real cluster every worker must see the input
files at the same paths (a shared file system) and have nianbao installed.  Results come
back as JSONL bytes and are written in input order by the coordinator, so the output is
byte-identical to the local engine's.

The per-document time limit is the soft one (an exception raised in the worker thread); a
document stuck inside C code is not killed as the local engine does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from pipeline.batch import Input
from pipeline.batch.work import Done, error_done, run_one

__all__ = ["dask_imap"]


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError("the Dask engine needs dask[distributed]: pip install 'nianbao[dask]'") from exc
    return distributed


def dask_imap(
    items: Sequence[Input],
    timeout: float | None = None,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    processes: bool = True,
    window: int | None = None,
) -> Iterator[Done]:
    """Run :func:`~pipeline.batch.work.run_one` over ``items`` on Dask; yield results in input order."""
    n = len(items)
    if n == 0:
        return
    distributed = _import_distributed()
    cluster = None
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        cluster = distributed.LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=processes,
            protocol="tcp://",  # also with processes=False (default there: in-process transport)
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = distributed.Client(cluster)
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        window = window or max(16, 32 * nworkers)
        seq_of: dict[str, int] = {}
        ac = distributed.as_completed()
        next_in = next_out = 0
        buffer: dict[int, Done] = {}

        def submit(i: int) -> None:
            fut = client.submit(run_one, items[i], timeout, pure=False)
            seq_of[fut.key] = i
            ac.add(fut)

        while next_in < n and next_in < window:
            submit(next_in)
            next_in += 1
        for fut in ac:
            seq = seq_of.pop(fut.key)
            try:
                done = fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the document gets an error record
                done = error_done(items[seq], "worker_crash", f"the Dask task failed: {type(exc).__name__}: {exc}")
            fut.release()
            buffer[seq] = done
            while next_out in buffer:
                yield buffer.pop(next_out)
                next_out += 1
            while next_in < n and next_in < next_out + window:
                submit(next_in)
                next_in += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
