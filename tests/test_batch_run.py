"""Issue 7: batch extraction — one record per input, order, time limits, crashes, resume after SIGKILL."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from pipeline.batch import Input
from pipeline.batch.pool import LocalPool
from pipeline.batch.run import run_extract, scan_output
from pipeline.batch.work import DocumentTimeout, run_one, time_limit
from pipeline.cli import main
from pipeline.export import validate
from pipeline.model import Record, Source

REPORTS = Path(__file__).resolve().parents[1] / "corpora" / "reports"
NIANBAO = [sys.executable, "-m", "pipeline"]


def make_corpus(root: Path, n: int) -> list[Path]:
    """``n`` report files made from the project's own reports, each with a different sha256."""
    bases = sorted(REPORTS.glob("*.txt"))
    assert bases, "corpora/reports has no .txt report"
    root.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = root / f"r{i:04d}.txt"
        p.write_bytes(bases[i % len(bases)].read_bytes() + b"\n" * (1 + i // len(bases)))
        out.append(p)
    return out


def lines(path: Path) -> list[dict]:
    return [orjson.loads(x) for x in path.read_bytes().splitlines()]


def test_broken_files_among_good_ones(tmp_path: Path) -> None:
    """Exactly one record per input, in input order; 2 spawned workers write the same bytes as 1 in-process."""
    good = make_corpus(tmp_path / "good", 4)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "notes.txt").write_text("这不是年报。\n", encoding="utf-8")
    (bad / "fake.pdf").write_bytes(b"%PDF-1.4 broken")
    (bad / "fake.docx").write_bytes(b"PK\x03\x04 broken")
    (bad / "a_directory.txt").mkdir()
    with zipfile.ZipFile(tmp_path / "mixed.zip", "w") as zf:
        zf.writestr("ok.txt", good[0].read_bytes())
        zf.writestr("bad.txt", b"\x00" * 50)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 broken")
    inputs = [
        str(good[3]),
        str(bad / "binary.txt"),
        str(good[1]),
        str(bad / "empty.txt"),
        str(bad / "notes.txt"),
        str(bad / "fake.pdf"),
        str(bad / "fake.docx"),
        str(bad / "a_directory.txt"),
        str(tmp_path / "missing.txt"),
        str(tmp_path / "mixed.zip"),
        str(tmp_path / "broken.zip"),
        str(good[2]),
        str(good[0]),
    ]
    expected_names = inputs[:9] + [f"{tmp_path / 'mixed.zip'}!bad.txt", f"{tmp_path / 'mixed.zip'}!ok.txt"] + inputs[10:]
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    summary = run_extract(inputs, str(one), quiet=True, workers=1, timeout=60)
    recs = lines(one)
    assert [r["source"]["path"] for r in recs] == expected_names
    assert [r["status"] for r in recs] == ["ok", "error", "ok"] + ["error"] * 7 + ["ok", "error", "ok", "ok"]
    assert all(validate(r) == [] for r in recs)
    assert summary.total == summary.processed == len(recs) == 14
    assert summary.ok == 5 and summary.error == 9
    assert sum(summary.errors_by_type.values()) == 9 and summary.errors_by_type["unreadable"] >= 4
    run_extract(inputs, str(two), quiet=True, workers=2, timeout=60)
    assert two.read_bytes() == one.read_bytes()


def _cheap_process(inp: Input) -> Record:
    time.sleep(0.02 if int(Path(inp.name).stem) % 3 == 0 else 0.0)  # out-of-order completion
    return Record(doc_id=inp.name, source=Source(path=inp.name, format="txt", sha256="", bytes=0))


def test_pool_yields_in_input_order_with_a_small_window() -> None:
    items = [Input(f"/nowhere/{i}.txt") for i in range(60)]
    pool = LocalPool(2, window=3, func=functools.partial(run_one, process=_cheap_process))
    assert [orjson.loads(d.line)["source"]["path"] for d in pool.imap(items)] == [i.name for i in items]


# ---- per-document time limits and crashing workers (module-level so that spawned workers can import them)


def _slow_process(inp: Input) -> Record:
    name = Path(inp.name).name
    if "slow" in name:
        while True:  # pure Python: the in-worker alarm interrupts it
            sum(range(1000))
    if "stuck" in name:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as if stuck inside C code
        time.sleep(600)
    if "crash" in name:
        os._exit(3)
    return Record(doc_id=name, source=Source(path=inp.name, format="txt", sha256="", bytes=0))  # cheap: no models


SLOW_RUN_ONE = functools.partial(run_one, process=_slow_process)


def test_time_limit_in_process_and_in_threads() -> None:
    with pytest.raises(DocumentTimeout):
        with time_limit(0.2):
            while True:
                sum(range(1000))
    caught: list[BaseException] = []

    def worker() -> None:
        try:
            with time_limit(0.2):
                while True:
                    sum(range(1000))
        except DocumentTimeout as exc:
            caught.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    t.join(10)
    assert len(caught) == 1
    with time_limit(5):  # a block that ends in time is left alone, and nothing fires later
        pass
    time.sleep(0.05)


def test_timeouts_and_crashes_yield_one_record_each(tmp_path: Path) -> None:
    good = make_corpus(tmp_path / "c", 3)
    names = {}
    for kind in ("slow", "stuck", "crash"):
        p = tmp_path / f"{kind}.txt"
        p.write_bytes(good[0].read_bytes() + kind.encode())
        names[kind] = p
    items = [Input(str(p)) for p in (good[0], names["slow"], good[1], names["stuck"], names["crash"], good[2])]
    pool = LocalPool(2, timeout=0.5, grace=1.0, func=SLOW_RUN_ONE)
    done = list(pool.imap(items))
    assert [d.status for d in done] == ["ok", "error", "ok", "error", "error", "ok"]
    assert [d.error_type for d in done if d.status == "error"] == ["timeout", "timeout", "worker_crash"]
    slow_rec, stuck_rec = orjson.loads(done[1].line), orjson.loads(done[3].line)
    assert slow_rec["source"]["sha256"] and slow_rec["source"]["path"] == str(names["slow"])
    assert slow_rec["error"]["message"] == stuck_rec["error"]["message"]  # soft and hard limits say the same
    assert pool.restarts == 2
    # in process (workers=1 path): the soft limit
    d = SLOW_RUN_ONE(Input(str(names["slow"])), 0.5)
    assert d.error_type == "timeout" and d.line == done[1].line


# ---- CLI


def test_cli_summary_and_exit_status(tmp_path: Path) -> None:
    good = make_corpus(tmp_path / "c", 2)
    out = tmp_path / "o.jsonl"
    runner = CliRunner()
    r = runner.invoke(main, ["extract", str(good[0]), str(tmp_path / "missing.txt"), str(good[1]), "-o", str(out), "-w", "1"])
    assert r.exit_code == 1
    assert "3 documents: 2 ok, 1 error (unreadable 1)" in r.stderr
    r = runner.invoke(main, ["extract", str(good[0]), str(tmp_path / "missing.txt"), "-o", str(out), "-w", "1", "--no-fail-on-error", "-q"])
    assert r.exit_code == 0 and r.stderr == ""
    r = runner.invoke(main, ["extract", str(good[0]), "-o", str(out), "-w", "1"])
    assert r.exit_code == 0 and len(lines(out)) == 1
    r = runner.invoke(main, ["extract", str(good[0]), "--resume"])
    assert r.exit_code == 2  # usage error: resume needs a file


def test_fsync_is_opt_in_and_writes_the_same_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = [str(p) for p in make_corpus(tmp_path / "c", 2)]
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    plain, durable = tmp_path / "plain.jsonl", tmp_path / "durable.jsonl"
    runner = CliRunner()
    assert runner.invoke(main, ["extract", *good, "-o", str(plain), "-w", "1", "-q"]).exit_code == 0
    assert synced == []
    assert runner.invoke(main, ["extract", *good, "-o", str(durable), "-w", "1", "-q", "--fsync"]).exit_code == 0
    assert len(synced) == 1
    assert durable.read_bytes() == plain.read_bytes() and len(lines(plain)) == 2


# ---- resume


def test_resume_repairs_a_torn_tail_and_completes(tmp_path: Path) -> None:
    files = [str(p) for p in make_corpus(tmp_path / "c", 7)]
    files.insert(3, files[0])  # the same document listed twice needs two records
    full = tmp_path / "full.jsonl"
    run_extract(files, str(full), quiet=True, workers=1)
    whole = full.read_bytes().splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"".join(whole[:4]) + whole[4][: len(whole[4]) // 2])
    s = run_extract(files, str(part), quiet=True, workers=1, resume=True)
    assert part.read_bytes() == full.read_bytes()
    assert (s.skipped, s.processed, s.total, s.ok) == (4, 4, 8, 8) and s.truncated_bytes > 0
    s = run_extract(files, str(part), quiet=True, workers=1, resume=True)  # nothing left to do
    assert (s.skipped, s.processed) == (8, 0) and part.read_bytes() == full.read_bytes()
    seen, removed = scan_output(str(part))
    assert removed == 0 and sum(len(v) for v in seen.values()) == 8


def test_sigkill_then_resume_gives_the_uninterrupted_output(tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "c", 24)
    zpath = tmp_path / "more.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for p in files[:3]:
            zf.writestr("z/" + p.name, p.read_bytes() + b"z")
    args = [str(tmp_path / "c"), str(tmp_path / "missing.txt"), str(zpath)]
    ref = tmp_path / "ref.jsonl"
    run_extract(args, str(ref), quiet=True, workers=1)
    n_ref = len(ref.read_bytes().splitlines())
    assert n_ref == 24 + 1 + 3

    out = tmp_path / "out.jsonl"
    cmd = [*NIANBAO, "extract", *args, "-o", str(out), "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.stat().st_size > 0:
                break
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers
    finally:
        proc.wait()
    killed = out.read_bytes()
    assert proc.returncode == -signal.SIGKILL
    n_killed = killed.count(b"\n")
    assert 0 < len(killed) and n_killed < n_ref, "the run was not interrupted mid-way"
    assert ref.read_bytes().startswith(killed[: killed.rfind(b"\n") + 1])

    r = CliRunner().invoke(main, ["extract", *args, "-o", str(out), "--workers", "1", "--resume"])  # in this (warm) process
    assert r.exit_code == 1  # the missing file is an error record
    assert out.read_bytes() == ref.read_bytes()
    assert f"{n_ref} documents: {n_ref - 1} ok, 1 error (unreadable 1)" in r.stderr
