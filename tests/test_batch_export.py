"""Issue 7 (fast serialization): the export's asdict equals dataclasses.asdict on real records."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import orjson

import pipeline
from pipeline.export.record import asdict as fast_asdict
from pipeline.model import Claim, Evidence, Finding

REPORTS = Path(__file__).resolve().parents[1] / "corpora" / "reports"


def test_fast_asdict_matches_dataclasses_asdict() -> None:
    f = Finding("f1", "r", "fail", "error", "m", {"a": [1, 2.5, None]}, (1, "x"), [Evidence("cell", "t3.x", 1, 2)], flags=["blank_as_zero"])
    c = Claim("c1", 0, 3, "q1", 3.0, "件", "eq", "申请", None, 0.5, relation={"type": "part_of", "parent": "c2"})
    for obj in (f, c):
        fast, std = fast_asdict(obj), dataclasses.asdict(obj)
        assert fast == std and list(fast) == list(std) and orjson.dumps(fast) == orjson.dumps(std)
    d = fast_asdict(f)
    d["evidence"][0]["ref"] = "changed"
    d["flags"].append("x")
    assert f.evidence[0].ref == "t3.x" and f.flags == ["blank_as_zero"]  # containers are copies


def test_fast_asdict_on_processed_reports() -> None:
    paths = sorted(REPORTS.glob("*.txt"))
    assert paths
    for p in paths:
        rec = pipeline.process(p)
        assert rec.status == "ok", p.name
        for obj in [rec.source, rec.meta, *rec.quantities, *rec.claims, *rec.findings]:
            fast, std = fast_asdict(obj), dataclasses.asdict(obj)
            assert orjson.dumps(fast) == orjson.dumps(std)
