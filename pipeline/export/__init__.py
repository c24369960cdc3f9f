"""Export: Record -> JSONL (and other formats), plus schema validation."""

from __future__ import annotations

from typing import IO, Any

import orjson

from pipeline.export.record import record_to_dict
from pipeline.model import Record

__all__ = ["record_to_dict", "dumps", "write_jsonl", "validate"]


def dumps(rec: Record | dict[str, Any]) -> bytes:
    """One JSONL line (bytes, newline included).  Deterministic for the same record."""
    d = rec if isinstance(rec, dict) else record_to_dict(rec, for_orjson=True)
    return orjson.dumps(d) + b"\n"


def write_jsonl(records: Any, fh: IO[bytes]) -> int:
    n = 0
    for rec in records:
        fh.write(dumps(rec))
        n += 1
    return n


def validate(d: dict[str, Any]) -> list[str]:
    """Schema errors for one record dict (empty when it validates)."""
    import jsonschema

    from pipeline.data import record_schema

    validator = jsonschema.Draft202012Validator(record_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(d)]
