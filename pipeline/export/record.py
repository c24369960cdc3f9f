"""Record -> plain dict (the annotated JSONL record of docs/output-contract.md)."""

from __future__ import annotations

import copy
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

from pipeline.model import Record


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def asdict(obj: Any) -> Any:
    """``dataclasses.asdict`` for our records, several times faster (no deepcopy of leaves).

    Same keys in the same order and equal values; leaves (str, numbers, None) are shared,
    containers are copied, so the dict can be changed without changing the record.
    """
    t = type(obj)
    if t is str or t is int or t is float or t is bool or obj is None:
        return obj
    if t is list:
        return [asdict(v) for v in obj]
    if t is dict:
        return {asdict(k): asdict(v) for k, v in obj.items()}
    if t is tuple:
        return tuple(asdict(v) for v in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return {name: asdict(getattr(obj, name)) for name in _field_names(t)}
    return copy.deepcopy(obj)  # what dataclasses.asdict does with any other leaf


def _same(obj: Any) -> Any:
    return obj


def _clean_num(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _with_value(obj: Any, for_orjson: bool) -> dict[str, Any]:
    """A quantity or claim as a dict with its value cleaned.  With ``for_orjson`` the dict is
    shallow: ``orjson`` writes nested dataclasses, lists and dicts as ``asdict`` would give them."""
    if for_orjson:
        d = {name: getattr(obj, name) for name in _field_names(type(obj))}
    else:
        d = asdict(obj)
    d["value"] = _clean_num(obj.value)
    return d


def _for_orjson(obj: Any) -> Any:
    """A quantity or claim for ``orjson``: the dataclass itself when its value needs no cleaning
    (``orjson`` writes a plain dataclass from its ``__dict__``, which then holds exactly the
    fields in definition order: the same bytes as the dict), else the shallow dict."""
    if not isinstance(obj.value, float) and len(obj.__dict__) == len(_field_names(type(obj))):
        return obj
    return _with_value(obj, True)


def record_to_dict(rec: Record, *, for_orjson: bool = False) -> dict[str, Any]:
    """The record as a plain dict.  With ``for_orjson``, findings, source and meta stay dataclasses,
    and so do quantities and claims whose value is no float: ``orjson`` serializes them natively to
    the same bytes (fields in definition order), faster."""
    ok = rec.status == "ok"
    leaf = _same if for_orjson else asdict
    d: dict[str, Any] = {
        "schema_version": rec.schema_version,
        "doc_id": rec.doc_id,
        "source": leaf(rec.source),
        "status": rec.status,
        "error": rec.error,
        "meta": leaf(rec.meta),
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
                        "value": _clean_num(c.value) if isinstance(c.value, float) else c.value,
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
        "quantities": [_for_orjson(q) for q in rec.quantities] if for_orjson else [_with_value(q, False) for q in rec.quantities],
        "claims": [_for_orjson(c) for c in rec.claims] if for_orjson else [_with_value(c, False) for c in rec.claims],
        "findings": [leaf(f) for f in rec.findings],
    }
    return d
