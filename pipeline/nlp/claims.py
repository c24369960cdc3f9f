"""Claims: zero statements (没有收到申请) read from data/claims.yaml."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.model import Claim

_SENT = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


@lru_cache(maxsize=1)
def zero_patterns() -> list[tuple[dict[str, Any], re.Pattern[str], re.Pattern[str] | None]]:
    out = []
    for spec in load_yaml("claims.yaml")["zero_statements"]:
        exc = re.compile(spec["exclude"]) if spec.get("exclude") else None
        out.append((spec, re.compile(spec["pattern"]), exc))
    return out


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENT.finditer(text, start, end) if m.group(0).strip()]


def zero_claims(text: str, spans: list[tuple[int, int, str]]) -> list[Claim]:
    out: list[Claim] = []
    for start, end, key in spans:
        for s, e in sentences(text, start, end):
            sent = text[s:e]
            covered: set[str] = set()
            for spec, pat, exc in zero_patterns():
                m = pat.search(sent)
                if not m or (exc and exc.search(m.group(0))):
                    continue
                if spec.get("requires_no") and spec["requires_no"] in m.group(0):
                    continue
                for c in spec["claims"]:
                    if c["indicator"] in covered:
                        continue
                    covered.add(c["indicator"])
                    out.append(
                        Claim(
                            id=f"c{len(out) + 1}",
                            start=s + m.start(),
                            end=s + m.end(),
                            quantity_id=None,
                            value=0,
                            unit=None,
                            approx="eq",
                            subject=c["subject"],
                            indicator=c["indicator"],
                            confidence=0.9,
                            polarity="zero",
                            section=key,
                            explanation=f"zero statement '{spec['key']}' matched '{m.group(0)}'",
                        )
                    )
    return out
