"""A small process pool for the local engine, with per-document hard time limits.

``concurrent.futures`` and ``multiprocessing.Pool`` cannot kill a worker stuck on one
document without breaking the whole pool, so this pool keeps one pipe per worker, sends one
input at a time, and replaces a worker that overruns its deadline or dies.  Workers are
started with the ``spawn`` method by default (safe with jieba, spaCy and threads in the
parent) and load their models once, before they report ready.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from pipeline.batch import Input
from pipeline.batch.work import Done, error_done, run_one, timeout_message

__all__ = ["LocalPool"]


def _worker_main(conn: Connection, timeout: float | None, func: Callable[[Input, float | None], Done]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator handles Ctrl-C and stops us
    from pipeline.batch.work import init_worker

    if func is run_one:
        try:
            init_worker()
        except Exception:  # noqa: BLE001 - documents will report their own errors
            pass
    try:
        conn.send(("ready", None))
        while True:
            msg = conn.recv()
            if msg is None:
                break
            seq, inp = msg
            conn.send((seq, func(inp, timeout)))
    except (EOFError, BrokenPipeError, ConnectionResetError):
        pass  # the coordinator went away


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    ready: bool = False
    queue: deque[int] = field(default_factory=deque)  # sent, not yet answered; the head is being processed
    deadline: float | None = None  # hard deadline of the head
    done: int = 0
    started: float = field(default_factory=time.monotonic)


class LocalPool:
    """``imap`` over inputs with ``workers`` processes; results come back in input order.

    Each worker holds up to ``prefetch`` inputs (the one it is processing and the next), so it
    never waits for the coordinator between documents.  At most ``window`` inputs are in
    flight or waiting to be written, so memory does not depend on the number of inputs.
    ``timeout`` is the soft limit applied inside the worker; a worker still busy on a document
    ``grace`` seconds after its limit is killed and replaced, the document gets the same
    'timeout' record, and the inputs queued behind it go to another worker.  ``max_tasks`` > 0
    replaces a worker after that many documents.  ``func`` is the per-document function (tests
    replace it).
    """

    def __init__(
        self,
        workers: int,
        timeout: float | None = None,
        *,
        start_method: str = "spawn",
        window: int | None = None,
        grace: float | None = None,
        max_tasks: int = 0,
        prefetch: int = 2,
        func: Callable[[Input, float | None], Done] = run_one,
    ) -> None:
        self.func = func
        self.workers = max(1, workers)
        self.timeout = timeout if timeout and timeout > 0 else None
        self.ctx = mp.get_context(start_method)
        self.window = window or max(16, 32 * self.workers)
        self.grace = grace if grace is not None else (max(2.0, 0.5 * self.timeout) if self.timeout else 0.0)
        self.max_tasks = max_tasks
        self.prefetch = max(1, prefetch)
        self.restarts = 0

    def _spawn(self) -> _Slot:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker_main, args=(child, self.timeout, self.func), daemon=True, name="nianbao-worker")
        proc.start()
        child.close()
        return _Slot(proc, parent)

    @staticmethod
    def _stop(slot: _Slot, kill: bool = False) -> None:
        if kill:
            slot.proc.kill()
        else:
            try:
                slot.conn.send(None)
            except (OSError, ValueError):
                slot.proc.kill()
        slot.proc.join(timeout=5)
        if slot.proc.is_alive():
            slot.proc.kill()
            slot.proc.join()
        slot.conn.close()

    def _head_deadline(self, now: float) -> float | None:
        return now + self.timeout + self.grace if self.timeout else None

    def _capacity(self, s: _Slot) -> int:
        room = self.prefetch - len(s.queue)
        if self.max_tasks:
            room = min(room, self.max_tasks - s.done - len(s.queue))
        return room if s.ready else 0

    def imap(self, items: Sequence[Input]) -> Iterator[Done]:
        n = len(items)
        if n == 0:
            return
        slots = [self._spawn() for _ in range(min(self.workers, n))]
        buffer: dict[int, Done] = {}
        retry: deque[int] = deque()  # inputs queued on a worker that was replaced before it got to them
        next_in = next_out = 0
        startup_failures = 0
        try:
            while next_out < n:
                now = time.monotonic()
                for s in slots:
                    for _ in range(self._capacity(s)):
                        if retry:
                            seq = retry.popleft()
                        elif next_in < n and next_in < next_out + self.window:
                            seq = next_in
                            next_in += 1
                        else:
                            break
                        s.conn.send((seq, items[seq]))
                        if not s.queue:
                            s.deadline = self._head_deadline(now)
                        s.queue.append(seq)
                deadlines = [s.deadline for s in slots if s.queue and s.deadline is not None]
                wait_for = max(0.0, min(deadlines) - now) if deadlines else None
                objs: list[Any] = [s.conn for s in slots] + [s.proc.sentinel for s in slots]
                ready = set(wait(objs, timeout=wait_for))
                now = time.monotonic()
                for i, s in enumerate(slots):
                    dead = False
                    if s.conn in ready or s.proc.sentinel in ready:
                        try:
                            while s.conn.poll():
                                seq, res = s.conn.recv()
                                if seq == "ready":
                                    s.ready = True
                                    startup_failures = 0
                                    continue
                                buffer[seq] = res
                                if s.queue and s.queue[0] == seq:
                                    s.queue.popleft()
                                s.deadline = self._head_deadline(now) if s.queue else None
                                s.done += 1
                        except (EOFError, OSError):
                            dead = True
                        if not dead and s.proc.sentinel in ready and not s.proc.is_alive():
                            dead = True
                    overdue = bool(s.queue) and s.deadline is not None and now >= s.deadline
                    if dead or overdue:
                        if s.queue:
                            head = s.queue.popleft()
                            item = items[head]
                            if overdue and not dead:
                                buffer[head] = error_done(item, "timeout", timeout_message(self.timeout or 0))
                            else:
                                s.proc.join(timeout=1)
                                code = s.proc.exitcode
                                buffer[head] = error_done(item, "worker_crash", f"the worker process died (exit code {code}) while processing this document")
                            retry.extend(s.queue)
                            s.queue.clear()
                        elif not s.ready:
                            startup_failures += 1
                            if startup_failures > 3 * self.workers:
                                raise RuntimeError(f"worker processes fail to start (exit code {s.proc.exitcode})")
                        self._stop(s, kill=True)
                        self.restarts += 1
                        slots[i] = self._spawn()
                    elif self.max_tasks and s.done >= self.max_tasks and not s.queue:
                        self._stop(s)
                        slots[i] = self._spawn()
                while next_out in buffer:
                    yield buffer.pop(next_out)
                    next_out += 1
        finally:
            for s in slots:
                self._stop(s, kill=bool(s.queue))
