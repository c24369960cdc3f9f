"""Domain knowledge as data: the indicator inventory, label variants, claim patterns
and the JSON Schema of the record.  Code reads these files; it does not restate them."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent

_CACHE_OFF = ("", "0", "off", "none", "no", "false")


def cache_dir() -> Path | None:
    """Where parsed data files are cached: ``$NIANBAO_CACHE_DIR`` (``off`` disables the cache),
    else ``$XDG_CACHE_HOME/nianbao``, else ``~/.cache/nianbao``."""
    env = os.environ.get("NIANBAO_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _CACHE_OFF else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nianbao"


def parse_yaml(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_yaml(name: str) -> Any:
    """The parsed data file ``name``.

    Parsing YAML takes about 0.15 s per process for these files, so the parsed value is also
    kept in :func:`cache_dir` as a ``marshal`` file named by the sha256 of the YAML bytes and
    the Python version: an edited file gets a new key, and a missing, unreadable or unwritable
    cache only means parsing again.  The cached value equals the parsed one (plain dicts,
    lists, strings, numbers, booleans and None, in the same order)."""
    raw = (DATA_DIR / name).read_bytes()
    where = cache_dir()
    if where is None:
        return parse_yaml(raw.decode("utf-8"))
    key = hashlib.sha256(raw + b"\0" + sys.version.encode() + b"\0" + str(marshal.version).encode()).hexdigest()[:24]
    path = where / f"{Path(name).stem}-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = parse_yaml(raw.decode("utf-8"))
    try:
        blob = marshal.dumps(value)
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=where)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old state or the whole file
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, ValueError):
        pass
    return value


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
