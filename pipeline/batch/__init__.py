"""Runners over many documents."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.ingest import FORMATS

__all__ = ["iter_paths"]


def iter_paths(inputs: Iterable[str]) -> Iterator[str]:
    """Expand files, directories (recursively, report extensions only, sorted) and globs.

    A path that does not exist is yielded as is, so that it becomes an error record.
    """
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if Path(f).suffix.lower() in FORMATS and not f.startswith("."):
                        yield str(Path(root) / f)
        elif p.exists():
            yield str(p)
        elif any(ch in item for ch in "*?["):
            yield from sorted(glob.glob(item, recursive=True))
        else:
            yield item
