"""Batch extraction: one JSONL record per input, in input order, streaming, resumable.

Engines:

* ``workers == 1``: in process;
* local (default): :class:`~pipeline.batch.pool.LocalPool`, one spawned process per worker;
* ``dask``: :func:`~pipeline.batch.dask_engine.dask_imap`.

All three run :func:`~pipeline.batch.work.run_one` and write its bytes unchanged, so their
outputs are byte-identical.

Crash safety: each record is written as one whole line with ``os.write`` straight to the
file (no user-space buffer), so a killed run leaves complete lines, except possibly a torn
last line if the kill lands inside a write.  A killed process loses nothing it has written
(the lines are in the kernel's page cache); ``fsync`` (``--fsync``) also waits at the end
until the output is on disk, which only matters if the machine itself goes down.  ``resume``
reads the existing output, truncates it after its last complete, parseable line, and skips
every input whose ``(source.path, source.sha256)`` is already there (as a multiset: an input
listed twice needs two records).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.batch import Input, iter_inputs, read_input
from pipeline.batch.work import Done, init_worker, run_one

__all__ = ["Summary", "run_extract", "default_workers", "scan_output"]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Summary:
    total: int = 0  # inputs
    processed: int = 0  # records written by this run
    skipped: int = 0  # inputs whose record was already in the output (--resume)
    ok: int = 0  # over processed + skipped
    error: int = 0
    errors_by_type: Counter[str] = field(default_factory=Counter)
    truncated_bytes: int = 0  # torn tail removed from the output on resume
    other_records: int = 0  # records in the output matching no input (kept)

    def line(self) -> str:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(self.errors_by_type.items()))
        s = f"{self.total} documents: {self.ok} ok, {self.error} error" + (f" ({detail})" if detail else "")
        if self.skipped:
            s += f"; {self.skipped} already in the output, {self.processed} processed now"
        if self.truncated_bytes:
            s += f"; removed a torn last line ({self.truncated_bytes} bytes)"
        if self.other_records:
            s += f"; {self.other_records} records in the output match no input and were kept"
        return s


# ---------------------------------------------------------------- output


class _Writer:
    """Whole lines straight to the file descriptor (or stdout), nothing held back."""

    def __init__(self, output: str, append: bool, fsync: bool = False) -> None:
        self.stdout = output == "-"
        self.fsync = fsync
        if self.stdout:
            self.fd = -1
        else:
            flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
            self.fd = os.open(output, flags, 0o644)

    def write(self, line: bytes) -> None:
        if self.stdout:
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()
            return
        view = memoryview(line)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]

    def close(self) -> None:
        if self.stdout:
            sys.stdout.buffer.flush()
            return
        if self.fsync:
            try:
                os.fsync(self.fd)
            except OSError:
                pass
        os.close(self.fd)


def scan_output(path: str, repair: bool = True) -> tuple[dict[tuple[str, str], list[tuple[str, str | None]]], int]:
    """Records already in a JSONL output: ``{(path, sha256): [(status, error type), ...]}``.

    Stops at the first line that is incomplete or does not parse; with ``repair`` the file is
    truncated there (those documents are processed again).  Returns the map and the number
    of bytes removed.
    """
    import orjson

    seen: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    good = 0
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        return seen, 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                d = orjson.loads(line)
                key = (str(d["source"]["path"]), str(d["source"]["sha256"]))
                status = str(d["status"])
                etype = (d.get("error") or {}).get("type")
            except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
                break
            seen.setdefault(key, []).append((status, etype))
            good += len(line)
    removed = size - good
    if removed and repair:
        with open(path, "r+b") as fh:
            fh.truncate(good)
    return seen, removed


def _input_sha(inp: Input) -> str:
    if inp.error is not None:
        return ""
    try:
        return hashlib.sha256(read_input(inp)).hexdigest()
    except Exception:  # noqa: BLE001 - unreadable inputs have error records with an empty sha256
        return ""


def _plan_resume(items: list[Input], output: str, summary: Summary) -> list[Input]:
    seen, removed = scan_output(output)
    summary.truncated_bytes = removed
    paths = {p for p, _ in seen}
    todo: list[Input] = []
    for inp in items:
        if inp.name in paths:
            entries = seen.get((inp.name, _input_sha(inp)))
            if entries:
                status, etype = entries.pop(0)
                summary.skipped += 1
                _count(summary, status, etype)
                continue
        todo.append(inp)
    summary.other_records = sum(len(v) for v in seen.values())
    return todo


def _count(summary: Summary, status: str, etype: str | None) -> None:
    if status == "ok":
        summary.ok += 1
    else:
        summary.error += 1
        summary.errors_by_type[etype or "unknown"] += 1


# ---------------------------------------------------------------- engines


def _in_process(items: Sequence[Input], timeout: float | None) -> Iterator[Done]:
    init_worker()
    for inp in items:
        yield run_one(inp, timeout)


def _results(items: Sequence[Input], engine: str, workers: int, timeout: float | None, scheduler: str | None, dask_processes: bool) -> Iterator[Done]:
    if engine == "dask":
        from pipeline.batch.dask_engine import dask_imap

        return dask_imap(items, timeout, scheduler=scheduler, workers=workers, processes=dask_processes)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    if workers <= 1:
        return _in_process(items, timeout)
    from pipeline.batch.pool import LocalPool

    return LocalPool(workers, timeout).imap(items)


def run_extract(
    inputs: Sequence[str],
    output: str,
    quiet: bool = False,
    *,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    timeout: float | None = None,
    progress: bool | None = None,
    dask_processes: bool = True,
    fsync: bool = False,
) -> Summary:
    """Extract every input into ``output`` (a JSONL path, or '-' for stdout) and return the summary.

    ``progress`` None means: a bar on stderr when stderr is a terminal and not ``quiet``.
    Per-document error lines and the closing summary go to stderr unless ``quiet``.
    ``fsync``: wait until the output is on disk before returning.
    """
    if resume and output == "-":
        raise ValueError("--resume needs an output file, not stdout")
    workers = workers or default_workers()
    if scheduler:
        engine = "dask"
    items = list(iter_inputs(inputs))
    summary = Summary(total=len(items))
    todo = _plan_resume(items, output, summary) if resume else items
    show_bar = (not quiet and sys.stderr.isatty()) if progress is None else progress
    bar: Any = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(total=len(items), initial=summary.skipped, unit="doc", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)

    def say(msg: str) -> None:
        if quiet:
            return
        if bar is not None:
            bar.write(msg, file=sys.stderr)
        else:
            print(msg, file=sys.stderr)

    writer = _Writer(output, append=resume, fsync=fsync)
    results = _results(todo, engine, workers, timeout, scheduler, dask_processes)
    try:
        for inp, done in zip(todo, results, strict=True):
            writer.write(done.line)
            summary.processed += 1
            _count(summary, done.status, done.error_type)
            if done.status != "ok":
                say(f"error: {inp.name}: {done.error_type}: {done.message}")
            if bar is not None:
                bar.update(1)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the workers
        if bar is not None:
            bar.close()
        writer.close()
    say(summary.line())
    return summary
