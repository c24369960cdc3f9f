"""Local batch extraction: one record per input, in input order."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from pipeline.batch import iter_paths


def run_extract(inputs: list[str], output: str, quiet: bool = False) -> dict[str, int]:
    import pipeline
    from pipeline.export import dumps

    paths = list(iter_paths(inputs))
    stats: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    out: Any = sys.stdout.buffer if output == "-" else open(output, "wb")
    show = not quiet and sys.stderr.isatty()
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="doc", file=sys.stderr)
    try:
        for p in paths:
            rec = pipeline.process(p)
            out.write(dumps(rec))
            stats[rec.status] += 1
            if rec.error:
                errors[rec.error["type"]] += 1
                if not quiet:
                    print(f"error: {p}: {rec.error['type']}: {rec.error['message']}", file=sys.stderr)
            if bar:
                bar.update(1)
    finally:
        if bar:
            bar.close()
        if out is not sys.stdout.buffer:
            out.close()
    if not quiet:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(errors.items()))
        print(f"{len(paths)} documents: {stats['ok']} ok, {stats['error']} error" + (f" ({detail})" if detail else ""), file=sys.stderr)
    return dict(stats)
