"""The project's own corpora (corpora/reports) against their gold: runs on a fresh clone."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.evaluate.gold import REPO, compare_cells, iter_gold
from pipeline.export import record_to_dict, validate

GOLDS = list(iter_gold(REPO / "corpora" / "gold" / "reports"))


def test_there_are_project_reports() -> None:
    templates = {g.data["meta"]["template"] for g in GOLDS}
    assert len(GOLDS) >= 3 and {"v2019", "v2021"} <= templates
    assert any(not g.data.get("findings_complete", True) or g.data["findings"] for g in GOLDS)


@pytest.mark.parametrize("gold", GOLDS, ids=lambda g: g.name)
def test_project_report_matches_gold(gold) -> None:  # type: ignore[no-untyped-def]
    path = gold.document_path()
    assert path is not None, f"{gold.name}: document missing"
    rec = record_to_dict(pipeline.process(path))
    assert validate(rec) == []
    assert rec["status"] == "ok"
    assert rec["meta"] == gold.data["meta"]
    assert [s["key"] for s in rec["sections"]] == gold.data["sections"]
    cmp = compare_cells(rec, gold)
    assert cmp["wrong"] == [] and cmp["extra"] == []
    assert cmp["correct"] == cmp["cells"] >= 198
    fails = {(f["rule"], f["status"]) for f in rec["findings"] if f["status"] in ("fail", "uncertain")}
    for exp in gold.data["findings"]:
        if exp["rule"].startswith("identity."):
            assert (exp["rule"], exp["status"]) in fails
    if gold.data.get("findings_complete"):
        unexpected = {r for r, _ in fails if r.startswith("identity.")} - {e["rule"] for e in gold.data["findings"]}
        assert not unexpected
