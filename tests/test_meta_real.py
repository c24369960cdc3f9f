"""Meta (agency, year, template) on every real report that has gold (skips without ../shared)."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.evaluate.gold import REPO, iter_gold
from tests.conftest import needs_shared

GOLDS = [g for g in iter_gold(REPO / "corpora" / "gold" / "real")]


@needs_shared
@pytest.mark.parametrize("gold", GOLDS, ids=lambda g: g.name)
def test_meta_matches_gold(gold) -> None:  # type: ignore[no-untyped-def]
    path = gold.document_path()
    if path is None:
        pytest.skip("document not present")
    meta = pipeline.process(path).meta
    exp = gold.data["meta"]
    assert meta.year == exp["year"]
    assert meta.template == exp["template"]
    assert meta.agency and (meta.agency in exp["agency"] or exp["agency"] in meta.agency)
