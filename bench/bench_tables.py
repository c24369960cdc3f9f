"""Table-stage benchmark: ingest + structure time per report, per input format.

Usage::

    /tmp/venv/bin/python bench/bench_tables.py [--repeat 21] [--formats html,docx,md]

Each format has one function ``bench_<format>() -> list[Case]`` that returns the reports
to time (real reports from ``../shared/corpora/real`` when present, and reports built
here).  Add a format by adding a function and listing it in ``FORMATS``.  For every
report the script runs ingest (``pipeline.ingest.load_bytes``) and structure
(``pipeline.structure.structure``) ``--repeat`` times after one warm-up run and prints the
median of each stage and of their sum.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.evaluate.gold import shared_dir  # noqa: E402
from pipeline.ingest import load_bytes  # noqa: E402
from pipeline.structure import structure  # noqa: E402


@dataclass
class Case:
    fmt: str
    name: str
    data: bytes
    path: str  # the name the loader sees (its extension picks the format)


def _real(ext: str) -> list[Case]:
    sh = shared_dir()
    if sh is None:
        return []
    return [Case(ext, p.name, p.read_bytes(), p.name) for p in sorted((sh / "corpora" / "real").glob(f"*.{ext}"))]


def _builder() -> Any:
    """The template-shaped report builder of the ingest tests (tests/ingest_grid_builder.py)."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        import ingest_grid_builder
    except ImportError:
        return None
    return ingest_grid_builder


def bench_html() -> list[Case]:
    cases = _real("html")
    b = _builder()
    if b is not None:
        rep = b.build_report("v2021", blank_every=5, split_every=3)
        cases.append(Case("html", "built-v2021-page.html", b.to_html_page(rep).encode("utf-8"), "built.html"))
        cases.append(Case("html", "built-v2019-page-gbk.html", b.to_html_page(b.build_report("v2019"), charset="gbk").encode("gbk"), "built.html"))
    return cases


def bench_docx() -> list[Case]:
    b = _builder()
    if b is None:
        return []
    return [Case("docx", f"built-{v}.docx", b.to_docx(b.build_report(v, blank_every=6)), "built.docx") for v in ("v2019", "v2021")]


def bench_md() -> list[Case]:
    return _real("md")


def bench_pdf() -> list[Case]:
    """Real text-layer PDFs (table 三 labels broken one character per line, page footers between rows)."""
    return _real("pdf")


def bench_txt() -> list[Case]:
    """The seed's flattened DOCX text, and crawler text dumps (whole report on one line, digit runs)."""
    sh = shared_dir()
    cases: list[Case] = []
    if sh is not None and (sh / "corpora" / "seed" / "kelan-2020.txt").exists():
        seed = sh / "corpora" / "seed" / "kelan-2020.txt"
        cases.append(Case("txt", "seed " + seed.name, seed.read_bytes(), seed.name))
    return cases + _real("txt")


FORMATS: dict[str, Callable[[], list[Case]]] = {"html": bench_html, "docx": bench_docx, "md": bench_md, "pdf": bench_pdf, "txt": bench_txt}


def time_case(case: Case, repeat: int) -> tuple[float, float, float, int, int]:
    """Median wall seconds of ingest and of structure, median CPU seconds of both;
    characters of text; mapped cells."""
    doc = load_bytes(case.data, case.path)
    st = structure(doc)  # warm-up (imports, YAML and regex caches)
    ingest: list[float] = []
    struct: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        doc = load_bytes(case.data, case.path)
        t1 = time.perf_counter()
        st = structure(doc)
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c0)
        ingest.append(t1 - t0)
        struct.append(t2 - t1)
    cells = sum(len(t.cells) for t in st.tables)
    return statistics.median(ingest), statistics.median(struct), statistics.median(cpu), len(doc.text), cells


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=21, help="timed runs per report (median reported)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: " + ", ".join(FORMATS))
    args = ap.parse_args(argv)
    head = f"{'format':<6} {'report':<42} {'bytes':>7} {'chars':>6} {'cells':>5} {'ingest ms':>9} {'struct ms':>9} {'total ms':>8} {'cpu ms':>7}"
    print(head)
    print("-" * len(head))
    for fmt in args.formats.split(","):
        for case in FORMATS[fmt.strip()]():
            ing, st, cpu, chars, cells = time_case(case, args.repeat)
            ing, st, cpu = ing * 1000, st * 1000, cpu * 1000
            print(f"{case.fmt:<6} {case.name[:42]:<42} {len(case.data):>7} {chars:>6} {cells:>5} {ing:>9.2f} {st:>9.2f} {ing + st:>8.2f} {cpu:>7.2f}")
    print(
        f"(median of {args.repeat} runs after one warm-up; ingest = pipeline.ingest.load_bytes, "
        "struct = pipeline.structure.structure, total = their wall-clock sum, cpu = process CPU time of both)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
