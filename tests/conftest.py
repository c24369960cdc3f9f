from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate.gold import REPO, shared_dir

SHARED = shared_dir()
SEED = SHARED / "corpora" / "seed" / "kelan-2020.txt" if SHARED else None
REAL = SHARED / "corpora" / "real" if SHARED else None

needs_shared = pytest.mark.skipif(SHARED is None, reason="../shared is not present (fresh clone)")


@pytest.fixture
def seed_bytes() -> bytes:
    if SEED is None or not SEED.exists():
        pytest.skip("../shared/corpora/seed is not present")
    return SEED.read_bytes()


@pytest.fixture
def repo() -> Path:
    return REPO


def real_gold(name: str):  # type: ignore[no-untyped-def]
    """(gold, source path) of a real report, skipping when the gold file or ../shared is absent."""
    from pipeline.evaluate.gold import load_gold

    gold_path = REPO / "corpora" / "gold" / "real" / f"{name}.gold.json"
    if not gold_path.exists():
        pytest.skip("no gold file yet")
    gold = load_gold(gold_path)
    src = gold.document_path()
    if src is None:
        pytest.skip("../shared is not present")
    return gold, src
