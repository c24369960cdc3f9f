"""Domain knowledge as data: the indicator inventory, label variants, claim patterns
and the JSON Schema of the record.  Code reads these files; it does not restate them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent


@cache
def load_yaml(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_json(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def indicators() -> dict[str, Any]:
    """The indicator inventory (a copy of the domain spec, fixed where real reports disagree)."""
    return load_yaml("indicators.yaml")


@cache
def cells_by_id() -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in indicators()["cells"]}


@cache
def derived_by_id() -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in indicators()["derived"]}


def record_schema() -> dict[str, Any]:
    return load_json("record.schema.json")
