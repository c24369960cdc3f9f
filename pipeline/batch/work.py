"""The per-document unit of work, shared by every engine (in-process, local processes, Dask).

:func:`run_one` turns one :class:`~pipeline.batch.Input` into one JSONL line (bytes) plus the
little the coordinator needs for its summary, so workers send bytes, never Docs or Records.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from pipeline.batch import Input, read_input
from pipeline.model import NianbaoError, Record

__all__ = ["Done", "DocumentTimeout", "init_worker", "run_one", "error_done", "timeout_message", "time_limit"]

# A short document written for this module (not report text): enough for every stage to load its models.
_WARMUP_TEXT = "示例单位2020年政府信息公开工作年度报告\n一、总体情况\n本年度共收到申请3件，办结3件。\n二、主动公开政府信息情况\n无。\n"


class Done(NamedTuple):
    """What a worker returns for one input: the JSONL line and the summary fields."""

    line: bytes
    status: str
    error_type: str | None = None
    message: str | None = None


class DocumentTimeout(BaseException):
    """Raised inside a worker when a document exceeds its time limit (BaseException: stages catch Exception)."""


def timeout_message(seconds: float) -> str:
    return f"processing stopped at the {seconds:g} s per-document time limit"


_initialized = False


def init_worker() -> None:
    """Load every stage and its models once per worker process (idempotent)."""
    global _initialized
    if _initialized:
        return
    _initialized = True
    import pipeline
    import pipeline.export
    import pipeline.nlp
    import pipeline.reconcile
    import pipeline.structure

    hook = getattr(pipeline.nlp, "warmup", None)
    if callable(hook):
        hook()
    try:  # lazily loaded resources (dictionaries, YAML, models) get loaded now, not on the first real document
        pipeline.process(_WARMUP_TEXT.encode("utf-8"), path="warmup.txt")
    except Exception:  # noqa: BLE001 - warming up is best effort
        pass


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the current thread after ``seconds``.

    In a main thread this uses SIGALRM; elsewhere (Dask worker threads) it raises the
    exception asynchronously in the thread.  Both interrupt Python code only: a call stuck
    in C code is interrupted when it returns (the local engine also kills such a worker).
    """
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

        def _alarm(signum: int, frame: object) -> None:
            raise DocumentTimeout()

        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        return

    tid = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def _fire() -> None:
        with lock:
            if state["active"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, ctypes.py_object(DocumentTimeout))
                state["fired"] = True

    timer = threading.Timer(seconds, _fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
        timer.cancel()
        if state["fired"]:  # clear an exception that was set but not yet raised
            ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, None)


def _read_quietly(inp: Input) -> bytes | None:
    if inp.error is not None:
        return None
    try:
        return read_input(inp)
    except Exception:  # noqa: BLE001 - only used to fill sha256 on error records
        return None


def _error_record(inp: Input, code: str, message: str, data: bytes | None) -> Record:
    from pipeline import error_record

    return error_record(inp.name, code, message, data)


def error_done(inp: Input, code: str, message: str) -> Done:
    """An error record for ``inp`` built outside the normal path (timeouts, crashed workers)."""
    from pipeline.export import dumps

    rec = _error_record(inp, code, message, _read_quietly(inp))
    return Done(dumps(rec), "error", code, message)


def _process(inp: Input) -> Record:
    import pipeline

    if inp.error is not None:
        return _error_record(inp, inp.error[0], inp.error[1], None)
    if inp.archive is None:
        return pipeline.process(inp.name)
    try:
        data = read_input(inp)
    except NianbaoError as exc:
        return _error_record(inp, exc.code, exc.message, None)
    except (OSError, KeyError, RuntimeError, EOFError, zipfile.BadZipFile, NotImplementedError) as exc:
        return _error_record(inp, "unreadable", f"cannot read {inp.member} from {inp.archive}: {exc}", None)
    return pipeline.process(data, path=inp.name)


def run_one(inp: Input, timeout: float | None = None, process: Callable[[Input], Record] | None = None) -> Done:
    """Process one input into one JSONL line.  Never raises for a bad document.

    ``process`` replaces the pipeline for tests (a deliberately slow or crashing document);
    it must be a module-level function so that it pickles by reference.
    """
    from pipeline.export import dumps

    if process is None:
        init_worker()  # once per process, outside the document's time limit
        process = _process
    try:
        with time_limit(timeout):
            rec = process(inp)
            line = dumps(rec)
    except DocumentTimeout:
        return error_done(inp, "timeout", timeout_message(timeout or 0))
    except Exception as exc:  # noqa: BLE001 - e.g. a record that does not serialize
        return error_done(inp, "internal", f"{type(exc).__name__}: {exc}")
    err = rec.error or {}
    return Done(line, rec.status, err.get("type"), err.get("message"))
