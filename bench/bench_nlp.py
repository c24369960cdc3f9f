"""Narrative-stage throughput (chars/s) beside plain ``jieba.lcut`` on the same texts.

    python bench/bench_nlp.py [--repeat N] [--rounds R]

Texts: the seed and every .txt/.md report of ../shared/corpora/real (plus corpora/reports/*.txt),
each ingested and structured once, outside the timing.  Measured in one process, in one run:

- ``analyze``: pipeline.nlp.analyze (regex recognizer, segmenter of pipeline.nlp.segment on the
  clause windows — rjieba when installed, else jieba — claims, linker; no spaCy) — the product path;
- ``analyze(segment=False)``: the same without segmentation (regex recognizer + claims + linker);
- ``quantities + claims, no linking``: analyze minus the indicator linker (pipeline.nlp.link);
- ``recognizer``: the quantity recognizer alone over the narrative spans;
- ``jieba.lcut(doc)``: plain jieba (module tokenizer, default HMM) over the whole document text;
- ``jieba.lcut(narrative)``: plain jieba over the same narrative spans analyze segments.

chars/s counts the characters of the whole documents (so every line is comparable); rounds
interleave the steps and the median of ``rounds`` rounds is reported.  Models are loaded before timing (analyze loads them once per process).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def load_docs() -> list[tuple[str, list, list]]:
    from pipeline.evaluate.gold import shared_dir
    from pipeline.ingest import load
    from pipeline.structure import structure

    paths: list[Path] = sorted((REPO / "corpora" / "reports").glob("*.txt"))
    sh = shared_dir()
    if sh is not None:
        paths.append(sh / "corpora" / "seed" / "kelan-2020.txt")
        paths += sorted(p for p in (sh / "corpora" / "real").iterdir() if p.suffix in (".txt", ".md"))
    out = []
    for p in paths:
        doc = load(p)
        st = structure(doc)
        out.append((doc.text, st.sections, [(t.start, t.end) for t in doc.raw_tables] or doc.table_spans))
    return out


def timeit(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="documents are repeated this many times")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    import jieba

    from pipeline.nlp import analyze, narrative_spans, segment_windows
    from pipeline.nlp.claims import quantity_claims, zero_claims
    from pipeline.nlp.quantities import find_quantities, recognize
    from pipeline.nlp.segment import get_segmenter

    def claims_only(text: str, sections: list, table_spans: list) -> object:
        sp = narrative_spans(text, sections, table_spans)
        qs = find_quantities(text, sp)
        return zero_claims(text, sp) + quantity_claims(text, qs, sp, segment_windows(text, qs, sp))

    jieba.setLogLevel(logging.WARNING)
    docs = load_docs() * args.repeat
    chars = sum(len(t) for t, _, _ in docs)
    spans = [narrative_spans(t, s, ts) for t, s, ts in docs]
    narr_chars = sum(e - s for sp in spans for s, e, _ in sp)
    t0 = time.perf_counter()
    get_segmenter()
    jieba.initialize()
    analyze(*docs[0])
    startup = time.perf_counter() - t0

    runs: dict[str, Callable[[], object]] = {
        "analyze (product path)": lambda: [analyze(t, s, ts) for t, s, ts in docs],
        "analyze(segment=False)": lambda: [analyze(t, s, ts, segment=False) for t, s, ts in docs],
        "quantities + claims, no linking": lambda: [claims_only(t, s, ts) for t, s, ts in docs],
        "quantity recognizer only": lambda: [recognize(d[0][a:b]) for d, sp in zip(docs, spans, strict=True) for a, b, _ in sp],
        "jieba.lcut(whole document)": lambda: [jieba.lcut(t) for t, _, _ in docs],
        "jieba.lcut(narrative spans)": lambda: [jieba.lcut(d[0][a:b]) for d, sp in zip(docs, spans, strict=True) for a, b, _ in sp],
    }
    print(f"{len(docs)} documents ({len(docs) // args.repeat} distinct x {args.repeat}), {chars} chars, {narr_chars} narrative chars")
    print(f"model load + first document: {startup:.2f} s (once per process)")
    # rounds interleave the steps, so load from other processes hits every step alike
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            times[name].append(timeit(fn, 1))
    med = {name: statistics.median(v) for name, v in times.items()}
    base = med["jieba.lcut(whole document)"]
    print(f"{'step':40s} {'seconds':>8s} {'chars/s':>12s} {'docs/s':>8s} {'vs jieba.lcut':>14s}")
    for name, sec in med.items():
        print(f"{name:40s} {sec:8.3f} {chars / sec:12,.0f} {len(docs) / sec:8.1f} {base / sec:13.2f}x")


if __name__ == "__main__":
    main()
