"""Issue 7: the Dask engine gives byte-identical output to the local engine (local cluster on 127.0.0.1)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.batch.run import run_extract

pytest.importorskip("distributed")

REPORTS = Path(__file__).resolve().parents[1] / "corpora" / "reports"


def test_dask_output_equals_local_output(tmp_path: Path) -> None:
    bases = sorted(REPORTS.glob("*.txt"))
    assert bases
    d = tmp_path / "c"
    d.mkdir()
    for i in range(6):
        (d / f"r{i}.txt").write_bytes(bases[i % len(bases)].read_bytes() + b"\n" * i)
    (d / "broken.txt").write_bytes(b"\x00\x01" * 20)
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        zf.writestr("m/1.txt", bases[0].read_bytes() + b"zip")
    args = [str(d), str(tmp_path / "a.zip"), str(tmp_path / "missing.txt")]
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    s_local = run_extract(args, str(local), quiet=True, workers=1, timeout=60)
    # threads in this process keep the test light; the scheduler and the worker listen on 127.0.0.1
    s_dask = run_extract(args, str(dask), quiet=True, workers=1, engine="dask", dask_processes=False, timeout=60)
    assert s_local.total == s_dask.total == 9
    assert (s_dask.ok, s_dask.error) == (s_local.ok, s_local.error) == (7, 2)
    assert dask.read_bytes() == local.read_bytes()


def test_dask_resume_appends_the_rest(tmp_path: Path) -> None:
    bases = sorted(REPORTS.glob("*.txt"))
    files = []
    for i in range(4):
        p = tmp_path / f"r{i}.txt"
        p.write_bytes(bases[i % len(bases)].read_bytes() + b"\n" * i)
        files.append(str(p))
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    run_extract(files, str(full), quiet=True, workers=1)
    part.write_bytes(b"".join(full.read_bytes().splitlines(keepends=True)[:2]))
    s = run_extract(files, str(part), quiet=True, workers=1, engine="dask", dask_processes=False, resume=True)
    assert (s.skipped, s.processed) == (2, 2)
    assert part.read_bytes() == full.read_bytes()
