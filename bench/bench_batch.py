"""Benchmark of batch extraction (issue 7), side by side with plain ``jieba.lcut`` in one run.

For each size N (default 1,000 and 10,000) it writes N seed-sized text reports into a
temporary directory (copies of the seed with a per-file whitespace signature on the last
line, so every sha256 differs; nothing is written into the repository), then measures:

* ``jieba.lcut`` over the same texts in this one process (dictionary loaded beforehand;
  reading and decoding the files included), documents/s and this process's peak RSS.  It is
  measured in two halves that bracket the other measurements (the first half of the texts
  before them, the second after), and its rate is all the texts over both halves' time, so a
  slow or fast spell of the shared host during the extract run weighs on both sides of the ratio;
* ``jieba.lcut`` over the same texts split across 2 processes: the ceiling this machine gives
  two processes of pure-Python work (on a shared 2-vCPU VM it is well below 2×);
* ``nianbao extract DIR --workers W`` end to end as a subprocess (start-up, model loading and
  writing included), documents/s and the peak RSS of the whole process tree (coordinator and
  workers, sampled every 50 ms).

With ``--profile K`` it also profiles the pipeline on K documents in this process and prints
each stage's share of the time.

    /tmp/venv/bin/python bench/bench_batch.py                  # 1,000 and 10,000 documents
    /tmp/venv/bin/python bench/bench_batch.py --sizes 1000 --profile 200
    /tmp/venv/bin/python bench/bench_batch.py --sizes 1000 --repeat 5   # medians of 5 interleaved runs
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def default_seed() -> Path | None:
    for cand in (REPO.parent / "shared" / "corpora" / "seed" / "kelan-2020.txt", Path.cwd().parent / "shared" / "corpora" / "seed" / "kelan-2020.txt"):
        if cand.is_file():
            return cand
    return None


def make_corpus(seed: bytes, n: int, root: Path) -> Path:
    """``n`` copies of the seed, each ending with a distinct line of spaces and tabs (16 bits of the index)."""
    d = root / f"docs{n}"
    d.mkdir(parents=True)
    body = seed if seed.endswith(b"\n") else seed + b"\n"
    for i in range(n):
        sig = bytes(0x09 if (i >> b) & 1 else 0x20 for b in range(16))
        (d / f"r{i:05d}.txt").write_bytes(body + sig + b"\n")
    return d


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def bench_jieba(files: list[Path]) -> dict[str, Any]:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t0 = time.perf_counter()
    ntok = 0
    for f in files:
        ntok += len(jieba.lcut(f.read_bytes().decode("utf-8")))
    dt = time.perf_counter() - t0
    return {
        "docs": len(files),
        "seconds": round(dt, 3),
        "docs_per_s": round(len(files) / dt, 1),
        "tokens": ntok,
        "peak_rss_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
    }


def combine_halves(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """One-process ``jieba.lcut`` over all the texts, measured as two halves (before and after the
    extract runs): documents/s over both halves' time together, and each half's own rate."""
    docs = before["docs"] + after["docs"]
    seconds = before["seconds"] + after["seconds"]
    return {
        "docs": docs,
        "seconds": round(seconds, 3),
        "docs_per_s": round(docs / seconds, 1),
        "before_docs_per_s": before["docs_per_s"],
        "after_docs_per_s": after["docs_per_s"],
        "tokens": before["tokens"] + after["tokens"],
        "peak_rss_mb": max(before["peak_rss_mb"], after["peak_rss_mb"]),
    }


def _jieba_worker(paths: list[str], ready: Any, go: Any) -> None:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    ready.set()
    go.wait()
    for p in paths:
        jieba.lcut(Path(p).read_bytes().decode("utf-8"))


def bench_jieba_parallel(files: list[Path], procs: int = 2) -> dict[str, Any]:
    """``jieba.lcut`` over the same texts split across ``procs`` processes (dictionaries loaded
    before the clock starts): the machine's own ceiling for running pure-Python work in parallel."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    go = ctx.Event()
    readies = [ctx.Event() for _ in range(procs)]
    parts = [[str(f) for f in files[i::procs]] for i in range(procs)]
    ps = [ctx.Process(target=_jieba_worker, args=(parts[i], readies[i], go)) for i in range(procs)]
    for p in ps:
        p.start()
    for r in readies:
        r.wait()
    t0 = time.perf_counter()
    go.set()
    for p in ps:
        p.join()
    dt = time.perf_counter() - t0
    return {"processes": procs, "seconds": round(dt, 3), "docs_per_s": round(len(files) / dt, 1)}


def bench_extract(d: Path, n: int, workers: int, out: Path, extra: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "pipeline", "extract", str(d), "-o", str(out), "--workers", str(workers), "--quiet", "--no-fail-on-error", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO)
    ps = psutil.Process(proc.pid)
    peak = 0
    samples: list[tuple[float, int]] = []
    while proc.poll() is None:
        rss = tree_rss(ps)
        peak = max(peak, rss)
        samples.append((time.perf_counter() - t0, rss))
        time.sleep(0.05)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"extract failed with status {proc.returncode}")
    ok = err = 0
    with open(out, "rb") as fh:
        for line in fh:
            if b'"status":"ok"' in line[:400]:
                ok += 1
            else:
                err += 1
    # RSS in the second and the last quarter of the run: flat when memory does not grow with the corpus
    q = len(samples) // 4 or 1
    mid = max((r for _, r in samples[q : 2 * q]), default=0)
    last = max((r for _, r in samples[3 * q :]), default=0)
    return {
        "workers": workers,
        "seconds": round(dt, 3),
        "docs_per_s": round(n / dt, 1),
        "peak_tree_rss_mb": round(peak / 2**20, 1),
        "rss_2nd_quarter_mb": round(mid / 2**20, 1),
        "rss_last_quarter_mb": round(last / 2**20, 1),
        "records": ok + err,
        "ok": ok,
        "error": err,
        "output_mb": round(out.stat().st_size / 2**20, 1),
    }


def summarize(reps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per engine, the median of each number over the repetitions (``speedup_vs_jieba``: the median
    of the per-repetition ratios, each taken against the jieba run of its own repetition)."""
    out: dict[str, dict[str, Any]] = {}
    for key in reps[0]:
        fields = [k for k, v in reps[0][key].items() if isinstance(v, int | float)]
        out[key] = {k: round(statistics.median(r[key][k] for r in reps), 3) for k in fields}
    return out


def profile_stages(files: list[Path]) -> dict[str, float]:
    import cProfile
    import pstats

    import pipeline
    from pipeline.batch.work import init_worker

    init_worker()
    prof = cProfile.Profile()
    prof.enable()
    from pipeline.export import dumps

    for f in files:
        dumps(pipeline.process(str(f)))
    prof.disable()
    st = pstats.Stats(prof)
    wanted = {
        "ingest": ("pipeline/ingest/__init__.py", "load_bytes"),
        "structure": ("pipeline/structure/__init__.py", "structure"),
        "nlp": ("pipeline/nlp/__init__.py", "analyze"),
        "reconcile": ("pipeline/reconcile/__init__.py", "reconcile"),
        "export": ("pipeline/export/__init__.py", "dumps"),
    }
    total = 0.0
    out: dict[str, float] = {}
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        for stage, (suffix, name) in wanted.items():
            if func == name and file.endswith(suffix):
                out[stage] = out.get(stage, 0.0) + ct
        if func == "process" and file.endswith("pipeline/__init__.py"):
            total = ct
    res = {k: round(v / len(files) * 1000, 2) for k, v in out.items()}
    res["total_ms_per_doc"] = round(total / len(files) * 1000, 2)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workers", type=int, nargs="+", default=[2])
    ap.add_argument("--repeat", type=int, default=1, metavar="R", help="measure each size R times, interleaved, and report medians (default 1)")
    ap.add_argument("--seed", type=Path, default=default_seed())
    ap.add_argument("--profile", type=int, default=0, metavar="K", help="also profile the stages on K documents in this process")
    ap.add_argument("--json", type=Path, default=None, help="write the results here as JSON")
    ap.add_argument("--extract-args", default="", help="extra arguments for nianbao extract (e.g. '--engine dask')")
    args = ap.parse_args()
    if args.seed is None or not args.seed.is_file():
        raise SystemExit("seed report not found (../shared/corpora/seed/kelan-2020.txt); pass --seed")
    seed = args.seed.read_bytes()
    # Byte-compile the package first, as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as
    # in some sandboxes) every worker would otherwise compile the sources again at start-up.
    compileall.compile_dir(str(REPO / "pipeline"), quiet=1)
    # Likewise fill the parsed-data cache (pipeline.data.load_yaml), as any earlier run does.
    subprocess.run([sys.executable, "-c", "from pipeline.batch.work import init_worker; init_worker()"], cwd=REPO, check=True)
    root = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "load_avg_start": os.getloadavg()}, "seed_chars": len(seed.decode("utf-8")), "runs": []}
    try:
        for n in args.sizes:
            d = make_corpus(seed, n, root)
            files = sorted(d.iterdir())
            run: dict[str, Any] = {"docs": n, "repeat": args.repeat, "reps": []}
            # Repetitions are interleaved (jieba 1 process on the first half of the texts, jieba 2
            # processes, extract, jieba 1 process on the second half; then again), and each ratio uses
            # its own repetition's baseline, so a slow or fast spell of the shared host weighs on both
            # sides of a ratio rather than on one.
            for _ in range(args.repeat):
                before = bench_jieba(files[: n // 2])
                par = bench_jieba_parallel(files, 2)
                extracts = {}
                for w in args.workers:
                    out = root / f"out{n}_w{w}.jsonl"
                    extracts[f"extract_w{w}"] = bench_extract(d, n, w, out, args.extract_args.split())
                    out.unlink()
                after = bench_jieba(files[n // 2 :])
                rep: dict[str, Any] = {"jieba_lcut_one_process": combine_halves(before, after)}
                base = rep["jieba_lcut_one_process"]["docs_per_s"]
                par["speedup_vs_jieba"] = round(par["docs_per_s"] / base, 2)
                rep["jieba_lcut_two_processes"] = par
                for key, res in extracts.items():
                    res["speedup_vs_jieba"] = round(res["docs_per_s"] / base, 2)
                    rep[key] = res
                run["reps"].append(rep)
                print(json.dumps({"docs": n, **rep}, ensure_ascii=False), flush=True)
            run["median"] = summarize(run["reps"])
            results["runs"].append(run)
            if args.profile and n == args.sizes[0]:
                results["profile_ms_per_doc"] = profile_stages(files[: args.profile])
                print(json.dumps({"profile_ms_per_doc": results["profile_ms_per_doc"]}), flush=True)
            shutil.rmtree(d)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    results["machine"]["load_avg_end"] = os.getloadavg()
    print()
    print(f"{'docs':>6} {'engine':<24} {'docs/s':>8} {'peak MB':>8} {'x jieba':>8}  per repetition (x jieba)")
    for run in results["runs"]:
        med, reps = run["median"], run["reps"]
        print(
            f"{run['docs']:>6} {'jieba.lcut, 1 process':<24} {med['jieba_lcut_one_process']['docs_per_s']:>8} {med['jieba_lcut_one_process']['peak_rss_mb']:>8} {1.0:>8}"
        )
        for key, label in (
            ("jieba_lcut_two_processes", "jieba.lcut, 2 processes"),
            *((k, "extract " + k.split("_")[1]) for k in med if k.startswith("extract_")),
        ):
            v = med[key]
            each = " ".join(f"{r[key]['speedup_vs_jieba']:.2f}" for r in reps)
            print(f"{run['docs']:>6} {label:<24} {v['docs_per_s']:>8} {v.get('peak_tree_rss_mb', ''):>8} {v['speedup_vs_jieba']:>8}  {each}")
    if any(run["repeat"] > 1 for run in results["runs"]):
        print("(docs/s and peak: medians over the repetitions; x jieba: the median of the per-repetition ratios)")
    print(f"load average start {results['machine']['load_avg_start']}, end {results['machine']['load_avg_end']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
