"""Quantity gold (corpora/gold/quantities): format, facts only, offsets, and the accuracy floor
of issue 4 (span F1 >= 0.97, value/unit/approx >= 99% of matched spans, no trap false positive)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipeline
from pipeline.evaluate.gold import iter_gold
from pipeline.nlp.evaluate import evaluate_quantities
from tests.conftest import REPO, SHARED

GOLD = REPO / "corpora" / "gold" / "quantities"
CATEGORIES = {"doc_number", "date", "year", "phone", "ordinal", "list_marker", "name", "page_number", "url", "article"}


def _golds() -> list:
    return list(iter_gold(GOLD))


def test_gold_format_and_facts_only() -> None:
    golds = _golds()
    assert sum(len(g.data["quantities"]) for g in golds) >= 400
    for g in golds:
        d = g.data
        assert d["gold_version"] == 1 and d["document"].get("sha256")
        assert isinstance(d["quantities_complete"], bool)
        for q in d["quantities"]:
            assert set(q) >= {"start", "end", "text", "value", "unit", "approx", "kind"}
            assert 0 < len(q["text"]) <= 12 and q["end"] - q["start"] == len(q["text"])
            assert q["approx"] in ("eq", "ge", "le", "about")
            assert q["kind"] in ("count", "money", "percent", "duration", "other")
        for t in d["traps"]:
            assert t["category"] in CATEGORIES and len(t["text"]) <= 12


def _pairs(origin: str) -> list[tuple[dict, dict]]:
    out = []
    for g in _golds():
        if g.data.get("origin") != origin:
            continue
        p = g.document_path()
        if p is None:
            continue
        rec = pipeline.process(p).to_dict()
        text = rec["text"]
        for q in g.data["quantities"]:
            assert text[q["start"] : q["end"]] == q["text"], (g.name, q)
        out.append((g.data, rec))
    return out


def _check(res: dict) -> None:
    assert res["f1"] >= 0.97, res["errors"]
    for k in ("value_accuracy", "unit_accuracy", "approx_accuracy"):
        assert res[k] >= 0.99, (k, res["errors"]["wrong"])
    for cat, v in res["traps"].items():
        assert v["false_positives"] == 0, (cat, res["errors"]["trap_hits"])


def test_handwritten_reports_meet_the_floor() -> None:
    pairs = _pairs("handwritten")
    if not pairs:
        pytest.skip("no handwritten report with quantity gold")
    _check(evaluate_quantities(pairs))


@pytest.mark.skipif(SHARED is None, reason="../shared is not present (fresh clone)")
def test_real_reports_meet_the_floor() -> None:
    pairs = _pairs("real")
    assert len(pairs) >= 20
    res = evaluate_quantities(pairs)
    _check(res)
    assert res["gold"] >= 400


def test_evaluate_counts_errors() -> None:
    gold = {
        "quantities": [
            {"start": 0, "end": 3, "text": "3条", "value": 3, "unit": "条", "approx": "eq", "kind": "count"},
            {"start": 10, "end": 14, "text": "20余条", "value": 20, "unit": "条", "approx": "ge", "kind": "count"},
        ],
        "quantities_complete": True,
        "traps": [{"start": 20, "end": 24, "text": "2020", "category": "year"}],
    }
    rec = {
        "quantities": [
            {"start": 0, "end": 3, "text": "3条", "value": 3, "unit": "件", "approx": "eq", "kind": "count"},
            {"start": 20, "end": 25, "text": "2020年", "value": 2020, "unit": "年", "approx": "eq", "kind": "count"},
        ]
    }
    res = evaluate_quantities([(gold, rec)])
    assert (res["tp"], res["precision"], res["recall"]) == (1, 0.5, 0.5)
    assert res["unit_accuracy"] == 0.0 and res["value_accuracy"] == 1.0
    assert res["traps"]["year"] == {"n": 1, "false_positives": 1}
    assert json.dumps(res)


def test_gold_files_name_their_documents() -> None:
    for g in _golds():
        doc = g.data["document"]
        assert ("path" in doc) != ("shared" in doc)
        if "path" in doc:
            assert (REPO / doc["path"]).exists()
        assert Path(g.path).name.endswith(".gold.json")
