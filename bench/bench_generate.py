"""Time `nianbao generate`: reports per second for N reports (default 1000, seed 1), all four formats.

python bench/bench_generate.py [N] [SEED]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time

from pipeline.evaluate.generate import generate


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    out = tempfile.mkdtemp(prefix="nianbao-bench-gen-")
    try:
        t0 = time.perf_counter()
        c0 = time.process_time()
        stats = generate(out, n=n, seed=seed)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    fmts = {k.split(":", 1)[1]: v for k, v in stats.items() if k.startswith("format:")}
    print(f"generate --n {n} --seed {seed}: {wall:.2f} s wall, {cpu:.2f} s CPU, {n / wall:.0f} reports/s; formats {fmts}")


if __name__ == "__main__":
    main()
