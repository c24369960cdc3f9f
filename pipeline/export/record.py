"""Record -> plain dict (the annotated JSONL record of docs/output-contract.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipeline.model import Record


def _clean_num(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def record_to_dict(rec: Record) -> dict[str, Any]:
    ok = rec.status == "ok"
    d: dict[str, Any] = {
        "schema_version": rec.schema_version,
        "doc_id": rec.doc_id,
        "source": asdict(rec.source),
        "status": rec.status,
        "error": rec.error,
        "meta": asdict(rec.meta),
        "text": rec.text if ok else "",
        "sections": [{"key": s.key, "title": s.title, "start": s.start, "end": s.end} for s in rec.sections],
        "tables": [
            {
                "key": t.key,
                "template": t.template,
                "start": t.start,
                "end": t.end,
                "cells": [
                    {
                        "id": c.id,
                        "value": _clean_num(c.value),
                        "raw": c.raw,
                        "start": c.start,
                        "end": c.end,
                        "provenance": c.provenance,
                        "unit": c.unit,
                        **({"alternatives": c.alternatives} if c.alternatives else {}),
                    }
                    for c in t.cells
                ],
                "extras": t.extras,
                "notes": t.notes,
            }
            for t in rec.tables
        ],
        "quantities": [{**asdict(q), "value": _clean_num(q.value)} for q in rec.quantities],
        "claims": [{**asdict(c), "value": _clean_num(c.value)} for c in rec.claims],
        "findings": [asdict(f) for f in rec.findings],
    }
    return d
