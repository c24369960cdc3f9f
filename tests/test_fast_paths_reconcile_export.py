"""Speed shortcuts in reconcile and export give exactly what the plain code gives."""

from __future__ import annotations

from dataclasses import replace

import orjson

import pipeline
from pipeline.export import dumps, record_to_dict
from pipeline.model import Record
from pipeline.reconcile import identities as ident_mod


def _seed_record(data: bytes) -> Record:
    return pipeline.process(data, path="seed.txt")


def test_orjson_dataclass_passthrough_matches_plain_dict(seed_bytes: bytes) -> None:
    """Quantities and claims handed to orjson as dataclasses serialize like their dicts,
    and a float value (cleaned to int) or an extra attribute takes the dict path."""
    rec = _seed_record(seed_bytes)
    assert rec.quantities and rec.claims
    q0, c0 = rec.quantities[0], rec.claims[0]
    rec.quantities[0] = replace(q0, value=float(q0.value))  # cleaned: 3.0 -> 3
    rec.claims[0] = replace(c0, value=float(c0.value) + 0.5)  # kept as float
    extra = replace(rec.quantities[-1])
    extra.note = "not a field"  # type: ignore[attr-defined]
    rec.quantities[-1] = extra
    plain = orjson.dumps(record_to_dict(rec)) + b"\n"
    assert dumps(rec) == plain
    d = record_to_dict(rec, for_orjson=True)
    assert d["quantities"][1] is rec.quantities[1]  # the shortcut was taken
    assert isinstance(d["quantities"][0], dict) and isinstance(d["quantities"][-1], dict)


def test_identities_shared_evidence_matches_fresh(seed_bytes: bytes) -> None:
    """Findings built with the per-document Evidence cache equal those built without it."""
    rec = _seed_record(seed_bytes)
    by_key = {t.key: t for t in rec.tables}
    idents = [x for x in ident_mod.indicators()["identities"] if x.get("kind") == "within_report" and ident_mod._applies(x, by_key)]
    assert idents
    cached = ident_mod.check_identities(rec.tables)
    look = ident_mod.table_lookup({0: rec.tables})
    fresh = [ident_mod.evaluate(x, look, f"f{i}") for i, x in enumerate(idents, 1)]
    assert cached == fresh
    assert sum(len(f.evidence) for f in cached) > 0
