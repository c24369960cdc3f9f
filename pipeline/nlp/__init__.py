"""Narrative NLP: quantities and claims in the narrative sections.

Public surface: :func:`analyze` (text + sections -> quantities, claims).
"""

from __future__ import annotations

from pipeline.model import Claim, Quantity, Section
from pipeline.nlp.claims import quantity_claims, renumber, zero_claims
from pipeline.nlp.quantities import find_quantities

NARRATIVE_SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")

__all__ = ["analyze", "find_quantities", "zero_claims", "quantity_claims", "narrative_spans"]


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


def analyze(text: str, sections: list[Section], table_spans: list[tuple[int, int]], *, segment: bool = True) -> tuple[list[Quantity], list[Claim]]:
    """Quantities and claims of the narrative (section bodies minus tables).

    Quantities come from the recognizer over the raw narrative text (the code the
    ``nianbao_quantities`` spaCy component runs; no spaCy Doc is built and spaCy is not imported).
    With ``segment`` (the default), the clause windows around the quantities — narrative text
    only — are segmented with the process-wide segmenter
    (:func:`pipeline.nlp.segment.get_segmenter`: jieba's dictionary plus the domain user words,
    cut by rjieba when installed, else by jieba) so claim subjects end on word boundaries.
    """
    spans = narrative_spans(text, sections, table_spans)
    quantities = find_quantities(text, spans)
    tokens = segment_windows(text, quantities, spans) if segment else None
    claims = zero_claims(text, spans) + quantity_claims(text, quantities, spans, tokens)
    _link(text, claims, quantities)
    return quantities, renumber(claims)


WINDOW_BEFORE = 48  # characters of clause context segmented before a quantity
WINDOW_AFTER = 16


def segment_windows(text: str, quantities: list[Quantity], spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Word spans of the narrative windows around ``quantities`` (merged, in order)."""
    from pipeline.nlp.segment import get_segmenter

    tok = get_segmenter()
    windows: list[list[int]] = []
    for q in sorted(quantities, key=lambda q: q.start):
        lo, hi = next(((s, e) for s, e, _ in spans if s <= q.start < e), (0, len(text)))
        a, b = max(lo, q.start - WINDOW_BEFORE), min(hi, q.end + WINDOW_AFTER)
        if windows and a <= windows[-1][1] and windows[-1][2] == lo:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b, lo])
    out: list[tuple[int, int]] = []
    for a, b, _ in windows:
        out.extend(tok.word_spans(text[a:b], a))
    return out


def _link(text: str, claims: list[Claim], quantities: list[Quantity]) -> None:
    """Indicators come from the linker (pipeline.nlp.link); claims.py leaves them empty."""
    from pipeline.nlp.link import link_claims

    link_claims(text, claims, quantities)
