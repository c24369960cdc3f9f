"""Loading gold files (docs/gold-format.md) and resolving their documents."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path | None:
    """``../shared`` beside the repository, when present."""
    for cand in (REPO.parent / "shared", Path.cwd().parent / "shared"):
        if (cand / "corpora").is_dir():
            return cand
    return None


def external_dir() -> Path | None:
    """Where texts the project may not redistribute are kept (web pages a gold file labels by URL):
    ``$NIANBAO_EXTERNAL``, else ``../external`` beside the repository, when present."""
    env = os.environ.get("NIANBAO_EXTERNAL")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "external", Path.cwd().parent / "external"]:
        if cand.is_dir():
            return cand
    return None


@dataclass
class Gold:
    path: Path  # the gold file
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".gold.json")

    def document_path(self) -> Path | None:
        """The document this gold file describes, or None when it is not available here."""
        doc = self.data.get("document", {})
        if doc.get("path"):
            p = Path(doc["path"])
            if p.is_absolute():
                return p if p.exists() else None
            # repo-relative; generated corpora (nianbao generate) name the document beside the gold file
            for cand in (REPO / p, self.path.parent / p):
                if cand.exists():
                    return cand
            return None
        for key, root in (("shared", shared_dir), ("external", external_dir)):
            if doc.get(key):
                base = root()
                if base is None:
                    return None
                p = base / doc[key]
                return p if p.exists() else None
        return None

    def expected_cells(self, only_complete: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for t in self.data.get("tables", {}).values():
            if only_complete and not t.get("complete", True):
                continue
            out.update(t.get("cells", {}))
        return out

    def uncertain_cells(self) -> set[str]:
        return {c for t in self.data.get("tables", {}).values() for c in t.get("uncertain", [])}


def load_gold(path: str | Path) -> Gold:
    p = Path(path)
    with open(p, encoding="utf-8") as fh:
        return Gold(p, json.load(fh))


def iter_gold(root: str | Path) -> Iterator[Gold]:
    root = Path(root)
    files = [root] if root.is_file() else sorted(root.rglob("*.gold.json"))
    for f in files:
        yield load_gold(f)


def compare_cells(record: dict[str, Any], gold: Gold) -> dict[str, Any]:
    """Cell-by-cell comparison of a record dict with gold.

    Returns counts and the list of mismatches.  A gold-uncertain cell is correct when the
    record marks it uncertain (provenance ``uncertain`` or alternatives given) or reads it right.
    """
    got = {c["id"]: c for t in record.get("tables", []) for c in t["cells"]}
    expected = gold.expected_cells()
    uncertain = gold.uncertain_cells()
    wrong: list[dict[str, Any]] = []
    marked_uncertain = 0
    for cid, val in expected.items():
        c = got.get(cid)
        if c is None:
            wrong.append({"id": cid, "expected": val, "got": "missing"})
            continue
        same = c["value"] == val or (c["value"] is not None and val is not None and abs(float(c["value"]) - float(val)) < 1e-6)
        if same:
            continue
        if c.get("provenance") == "uncertain" or c.get("alternatives"):
            if cid in uncertain:
                marked_uncertain += 1
                continue
        wrong.append({"id": cid, "expected": val, "got": c["value"], "raw": c.get("raw")})
    extra = sorted(set(got) - set(expected)) if expected else []
    return {"cells": len(expected), "correct": len(expected) - len(wrong), "uncertain_ok": marked_uncertain, "wrong": wrong, "extra": extra}
