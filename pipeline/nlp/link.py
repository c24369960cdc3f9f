"""Rule linker: quantity -> claim with the indicator its clause talks about."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.model import Claim, Quantity

_CLAUSE_START = re.compile(r"[。；;，,：:！？!?\n]")


@lru_cache(maxsize=1)
def link_rules() -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    return [(r, re.compile(r["context"])) for r in load_yaml("claims.yaml")["link_rules"]]


def clause_before(text: str, pos: int, limit: int = 40) -> tuple[int, str]:
    lo = max(0, pos - limit)
    seg = text[lo:pos]
    cut = max((m.end() for m in _CLAUSE_START.finditer(seg)), default=0)
    return lo + cut, seg[cut:]


def link_quantities(text: str, quantities: list[Quantity], first_id: int = 1, section_of: Any = None) -> list[Claim]:
    claims: list[Claim] = []
    for q in quantities:
        if q.kind not in ("count", "money"):
            continue
        cstart, ctx = clause_before(text, q.start)
        indicator = None
        conf = 0.0
        why = "no rule matched the clause"
        for rule, pat in link_rules():
            if q.unit in rule.get("units", [q.unit]) and pat.search(ctx):
                indicator = rule["indicator"]
                conf = 0.8
                why = f"rule {rule['indicator']} matched clause '{ctx}'"
                break
        claims.append(
            Claim(
                id=f"c{first_id + len(claims)}",
                start=cstart,
                end=q.end,
                quantity_id=q.id,
                value=q.value,
                unit=q.unit,
                approx=q.approx,
                subject=ctx.strip() or None,
                indicator=indicator,
                confidence=conf,
                section=section_of(q.start) if section_of else None,
                explanation=why,
            )
        )
    return claims
