"""pipeline.evaluate.linking on hand-made records and gold."""

from __future__ import annotations

from pathlib import Path

from pipeline.evaluate.gold import Gold
from pipeline.evaluate.linking import finding_scores, link_scores


def gold(data: dict) -> Gold:
    return Gold(Path("x.gold.json"), {"gold_version": 1, **data})


RECORD = {
    "tables": [{"key": "t2", "template": "v2019", "cells": []}],
    "claims": [
        {"id": "c1", "start": 10, "end": 20, "indicator": "t2.normative_docs.new_made", "confidence": 0.95},
        {"id": "c2", "start": 30, "end": 36, "indicator": "topic.messages", "confidence": 0.9},
        {"id": "c3", "start": 40, "end": 44, "indicator": None, "confidence": 0.8},
    ],
    "findings": [
        {"rule": "narrative_table.value", "status": "fail", "family": "narrative_table", "evidence": [{"kind": "claim", "ref": "c1"}]},
        {"rule": "plausibility.rules_by_county", "status": "fail", "family": "plausibility", "evidence": []},
        {"rule": "identity.t3_balance__total", "status": "pass", "family": "identity", "evidence": []},
    ],
}


def test_link_scores_version_neutral_and_none() -> None:
    g = gold(
        {
            "claims": [
                {"start": 12, "end": 20, "indicator": "t2.normative_docs.issued"},  # same cell in a v2019 report
                {"start": 30, "end": 36, "indicator": "topic.hotline"},  # wrong
                {"start": 40, "end": 44, "indicator": None},  # right: none
                {"start": 90, "end": 95, "indicator": "t3.new_received.total"},  # no claim there
            ]
        }
    )
    s = link_scores([(RECORD, g)])
    assert (s["n"], s["matched"], s["correct"]) == (4, 3, 2)
    assert s["accuracy"] == 0.5 and s["accuracy_on_matched"] == 0.6667
    assert {e["got"] for e in s["errors"]} == {"topic.messages", "<no claim>"}


def test_finding_scores_per_rule_and_family() -> None:
    g = gold(
        {
            "findings": [
                {"rule": "narrative_table.value", "status": "fail", "indicator": "t2.normative_docs.issued"},
                {"rule": "identity.t3_balance", "status": "fail"},
            ],
            "findings_complete": True,
        }
    )
    s = finding_scores([(RECORD, g)])
    assert s["by_rule"]["narrative_table.value"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert s["by_rule"]["identity.t3_balance"]["fn"] == 1
    assert s["by_rule"]["plausibility.rules_by_county"]["fp"] == 1
    assert s["overall"]["tp"] == 1 and s["overall"]["fp"] == 1 and s["overall"]["fn"] == 1
    assert s["by_family"]["plausibility"]["precision"] == 0.0
    # without findings_complete, unexplained failures are not false positives
    g.data["findings_complete"] = False
    assert finding_scores([(RECORD, g)])["overall"]["fp"] == 0


def test_linking_gold_names_one_document_source_and_split() -> None:
    import yaml

    from pipeline.evaluate.gold import REPO, iter_gold

    root = REPO / "corpora" / "gold" / "linking" / "real"
    split = yaml.safe_load((root / "SPLIT.yaml").read_text(encoding="utf-8"))
    in_split = [n for names in split.values() for n in names]
    golds = list(iter_gold(root))
    assert sorted(in_split) == sorted(g.name for g in golds)  # every gold file in exactly one split
    for g in golds:
        doc = g.data["document"]
        assert sum(k in doc for k in ("path", "shared", "external")) == 1, g.name
        assert len(doc["sha256"]) == 64
        if "external" in doc:
            assert doc["url"].startswith("http") and g.data["origin"] == "real"


def test_external_texts_resolve_from_the_environment(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    (tmp_path / "test-x").mkdir()
    (tmp_path / "test-x" / "a.txt").write_text("一、总体情况", encoding="utf-8")
    monkeypatch.setenv("NIANBAO_EXTERNAL", str(tmp_path))
    g = gold({"document": {"external": "test-x/a.txt", "url": "https://example.org/a", "sha256": "0" * 64}})
    assert g.document_path() == tmp_path / "test-x" / "a.txt"
    g_missing = gold({"document": {"external": "test-x/none.txt", "url": "https://example.org/b", "sha256": "0" * 64}})
    assert g_missing.document_path() is None
