"""Narrative NLP: quantities and claims in the narrative sections.

Public surface: :func:`analyze` (text + sections -> quantities, claims).
"""

from __future__ import annotations

from pipeline.model import Claim, Quantity, Section
from pipeline.nlp.claims import zero_claims
from pipeline.nlp.link import link_quantities
from pipeline.nlp.quantities import find_quantities

NARRATIVE_SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")

__all__ = ["analyze", "find_quantities", "zero_claims", "narrative_spans"]


def narrative_spans(text: str, sections: list[Section], table_spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Spans of narrative text: section bodies minus table spans; the whole text when no section was found."""
    if sections:
        base = [(s.body_start, s.end, s.key) for s in sections]
        if sections[0].start > 0:
            base.insert(0, (0, sections[0].start, "s0"))
    else:
        base = [(0, len(text), "s0")]
    out: list[tuple[int, int, str]] = []
    for start, end, key in base:
        cur = start
        for ts, te in sorted(table_spans):
            if te <= cur or ts >= end:
                continue
            if ts > cur:
                out.append((cur, ts, key))
            cur = max(cur, te)
        if cur < end:
            out.append((cur, end, key))
    return out


def analyze(text: str, sections: list[Section], table_spans: list[tuple[int, int]]) -> tuple[list[Quantity], list[Claim]]:
    spans = narrative_spans(text, sections, table_spans)
    quantities = find_quantities(text, spans)
    claims = zero_claims(text, spans)

    def section_of(pos: int) -> str | None:
        return next((k for s, e, k in spans if s <= pos < e), None)

    claims += link_quantities(text, quantities, first_id=len(claims) + 1, section_of=section_of)
    claims.sort(key=lambda c: (c.start, c.end))
    for i, c in enumerate(claims, 1):
        c.id = f"c{i}"
    return quantities, claims
