"""Corpus statistics over annotated records (``nianbao report``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any


def corpus_stats(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts and consistency rates (failures ÷ assessed checks) per rule family and rule."""
    status: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    templates: Counter[str] = Counter()
    tables: Counter[str] = Counter()
    years: Counter[str] = Counter()
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    per_family: dict[str, Counter[str]] = defaultdict(Counter)
    n_quant = n_claims = n_linked = n_cells = 0
    for r in records:
        status[r["status"]] += 1
        if r["status"] == "error":
            errors[r["error"]["type"]] += 1
            continue
        templates[str(r["meta"]["template"])] += 1
        years[str(r["meta"]["year"])] += 1
        for t in r["tables"]:
            tables[t["key"]] += 1
            n_cells += len(t["cells"])
        n_quant += len(r["quantities"])
        n_claims += len(r["claims"])
        n_linked += sum(1 for c in r["claims"] if c["indicator"])
        for f in r["findings"]:
            rule = f["rule"].split("__")[0]
            per_rule[rule][f["status"]] += 1
            per_family[f.get("family") or rule.split(".")[0]][f["status"]] += 1

    def rates(c: Counter[str]) -> dict[str, Any]:
        assessed = c["pass"] + c["fail"] + c["uncertain"]
        return {**dict(sorted(c.items())), "assessed": assessed, "fail_rate": round(c["fail"] / assessed, 4) if assessed else None}

    return {
        "documents": sum(status.values()),
        "status": dict(status),
        "errors": dict(errors),
        "templates": dict(templates),
        "years": dict(sorted(years.items())),
        "tables_found": dict(sorted(tables.items())),
        "cells": n_cells,
        "quantities": n_quant,
        "claims": n_claims,
        "claims_linked": n_linked,
        "findings_by_family": {k: rates(v) for k, v in sorted(per_family.items())},
        "findings_by_rule": {k: rates(v) for k, v in sorted(per_rule.items())},
    }


def format_stats(s: dict[str, Any]) -> str:
    lines = [
        f"documents: {s['documents']}  ({', '.join(f'{k} {v}' for k, v in s['status'].items())})",
    ]
    if s["errors"]:
        lines.append("errors: " + ", ".join(f"{k} {v}" for k, v in s["errors"].items()))
    lines.append("templates: " + ", ".join(f"{k} {v}" for k, v in s["templates"].items()))
    lines.append("tables found: " + ", ".join(f"{k} {v}" for k, v in s["tables_found"].items()) + f"  ({s['cells']} cells)")
    lines.append(f"narrative: {s['quantities']} quantities, {s['claims']} claims, {s['claims_linked']} linked")
    lines.append("")
    lines.append(f"{'rule family':<22}{'assessed':>9}{'pass':>7}{'fail':>6}{'uncert.':>8}{'n/a':>6}{'fail rate':>11}")
    for fam, r in s["findings_by_family"].items():
        rate = "-" if r["fail_rate"] is None else f"{r['fail_rate']:.1%}"
        lines.append(
            f"{fam:<22}{r['assessed']:>9}{r.get('pass', 0):>7}{r.get('fail', 0):>6}{r.get('uncertain', 0):>8}{r.get('not_assessable', 0):>6}{rate:>11}"
        )
    return "\n".join(lines)
