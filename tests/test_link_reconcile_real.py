"""Acceptance of issue 5 on the seed and on real discrepancies (skips without ../shared)."""

from __future__ import annotations

import pytest

import pipeline
from tests.conftest import REAL, SEED, needs_shared


def _claim_at(rec: pipeline.Record, mention: str, nth: int = 0):  # noqa: ANN202
    hits = [c for c in rec.claims if rec.text[c.start : c.end].replace(" ", "").replace("\n", "").endswith(mention)]
    assert len(hits) > nth, f"no claim ending in {mention}"
    return hits[nth]


@needs_shared
def test_seed_linking_and_reconciliation() -> None:
    rec = pipeline.process(str(SEED))
    assert rec.status == "ok"
    assert not [f for f in rec.findings if f.status == "fail" and f.severity == "error"]
    rules = [f for f in rec.findings if f.rule == "plausibility.rules_by_county"]
    assert [(f.status, f.severity) for f in rules] == [("fail", "warning")]
    norm = _claim_at(rec, "文件10件")
    assert norm.indicator == "t2.normative_docs.new_made"
    nt = [f for f in rec.findings if f.family == "narrative_table" and any(e.ref == norm.id for e in f.evidence)]
    assert [f.status for f in nt] == ["pass"]
    received = _claim_at(rec, "留言81条")
    done = _claim_at(rec, "办结81条")
    replied = _claim_at(rec, "公开答复69条")
    assert received.indicator == done.indicator == replied.indicator == "topic.messages"
    le = [f for f in rec.findings if f.rule == "narrative_narrative.resolved_le_received"]
    checked = {e.ref for f in le for e in f.evidence}
    assert {received.id, done.id, replied.id} <= checked
    assert all(f.status == "pass" for f in le)


@needs_shared
@pytest.mark.parametrize(
    ("name", "mention", "indicator"),
    [
        ("shanghai-shizhengfu-bangongting-2019.html", "258件", "t3.granted_or_partial.total"),
        ("huaian-hongze-qu-2024.pdf", "17件", "t3.new_received.total"),
    ],
)
def test_real_discrepancies_are_reported(name: str, mention: str, indicator: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared")
    rec = pipeline.process(str(path))
    assert rec.status == "ok", rec.error
    c = _claim_at(rec, mention)
    assert c.indicator == indicator
    fs = [f for f in rec.findings if f.family == "narrative_table" and any(e.ref == c.id for e in f.evidence)]
    assert fs, "no narrative-vs-table finding"
    f = fs[0]
    assert f.status in ("fail", "uncertain") and f.severity == "warning"
    assert str(f.observed) in f.message and str(f.expected) in f.message
    if f.status == "uncertain":
        assert "probably" in f.message or "weak" in f.message or "blank" in f.message
