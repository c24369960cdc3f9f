"""Narrative claims against table cells.  A narrative check is a warning, never an error
(a report may narrate a different scope); a weak link yields ``uncertain``."""

from __future__ import annotations

from pipeline.model import Claim, Evidence, Finding, Table
from pipeline.reconcile.identities import _num, label, table_lookup

ABOUT_TOLERANCE = 0.1
MIN_CONFIDENCE = 0.5


def _holds(claimed: float, actual: float, approx: str) -> bool:
    if approx == "ge":
        return actual >= claimed
    if approx == "le":
        return actual <= claimed
    if approx == "about":
        return abs(actual - claimed) <= ABOUT_TOLERANCE * max(abs(claimed), 1)
    return abs(actual - claimed) < 1e-6


def _to_cell_unit(claim: Claim, cell_id: str) -> float:
    # money claims are normalized to 元; money cells are in 万元
    if claim.unit == "元" and (cell_id.endswith(".amount")):
        return claim.value / 10_000
    return float(claim.value)


def check_claims(claims: list[Claim], tables: list[Table], start_index: int = 0) -> list[Finding]:
    look = table_lookup({0: tables})
    have = {t.key for t in tables}
    findings: list[Finding] = []
    for c in claims:
        ind = c.indicator
        if not ind or not ind.startswith(("t2.", "t3.", "t4.")):
            continue
        fid = f"f{start_index + len(findings) + 1}"
        rule = "narrative_table.zero" if c.polarity == "zero" else "narrative_table.value"
        ev = [Evidence(kind="claim", ref=c.id, start=c.start, end=c.end)]
        if ind.split(".", 1)[0] not in have:
            findings.append(
                Finding(
                    fid,
                    rule,
                    "not_assessable",
                    "info",
                    f"claim {c.id} ({label(ind)}): table {ind[:2]} not found",
                    c.value,
                    None,
                    ev,
                    family="narrative_table",
                    confidence=c.confidence,
                )
            )
            continue
        op = look(ind, 0)
        if op is None:
            findings.append(
                Finding(
                    fid,
                    rule,
                    "not_assessable",
                    "info",
                    f"claim {c.id}: no readable table value for {label(ind)}",
                    c.value,
                    None,
                    ev,
                    family="narrative_table",
                    confidence=c.confidence,
                )
            )
            continue
        claimed = _to_cell_unit(c, ind)
        ok = _holds(claimed, op.value, c.approx)
        ev += [Evidence(kind="cell", ref=cell.id, start=cell.start, end=cell.end) for cell, _ in op.cells]
        flags = ["blank_as_zero"] if op.blank else []
        status = "pass" if ok else "fail"
        if not ok and c.confidence < MIN_CONFIDENCE:
            status = "uncertain"
            flags.append("weak_link")
        rel = {"eq": "=", "ge": "≥", "le": "≤", "about": "≈"}[c.approx]
        quoted = f"“{c.subject or ''}”" if c.polarity != "zero" else "a zero statement"
        if ok:
            msg = f"narrative {quoted} says {label(ind)} {rel} {_num(claimed)}; the table has {_num(op.value)}"
        else:
            msg = f"narrative {quoted} says {label(ind)} {rel} {_num(claimed)}, but the table has {_num(op.value)}"
        findings.append(
            Finding(
                id=fid,
                rule=rule,
                status=status,
                severity="info" if ok else "warning",
                message=msg,
                expected=_num(op.value),
                observed=_num(claimed),
                evidence=ev,
                family="narrative_table",
                flags=flags,
                confidence=c.confidence,
                explanation=c.explanation,
            )
        )
    return findings
