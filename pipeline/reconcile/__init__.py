"""Reconcile: tables + claims -> findings.  One module per rule family.

- identities: the tables' own arithmetic (family ``identity``; cross-year: ``cross_year``)
- narrative: narrative claims against cells (``narrative_table``)
- fees: fee statements against tables 二/三 (``narrative_table``, rules ``fees.*``)
- narrative_narrative: the narrative against itself (``narrative_narrative``)
- plausibility: values that cannot be right (``plausibility``)

Narrative, fee and plausibility checks are warnings, never errors.
"""

from __future__ import annotations

from pipeline.model import Claim, Finding, Meta, Table
from pipeline.reconcile.fees import ADMIN_FEES, check_fees
from pipeline.reconcile.identities import check_cross_year, check_identities
from pipeline.reconcile.narrative import check_claims
from pipeline.reconcile.narrative_narrative import check_narrative
from pipeline.reconcile.plausibility import check_plausibility

__all__ = ["reconcile", "check_identities", "check_claims", "check_cross_year", "check_fees", "check_narrative", "check_plausibility"]


def reconcile(tables: list[Table], claims: list[Claim], meta: Meta | None = None, text: str | None = None) -> list[Finding]:
    """All within-report findings, numbered f1, f2, … in a fixed order.

    ``meta`` (agency, year) feeds the plausibility rules; ``text`` (Document.text) lets the
    narrative rules read a claim's own words.  Without them those rules skip what needs them.
    Claims linked to version-neutral ids get the id of the parsed table's template.
    """
    findings = check_identities(tables)
    findings += check_claims(claims, tables, start_index=len(findings), skip=frozenset({ADMIN_FEES}), text=text)
    findings += check_fees(claims, tables, start_index=len(findings))
    findings += check_narrative(claims, start_index=len(findings), text=text)
    findings += check_plausibility(tables, claims, meta, start_index=len(findings), text=text)
    for i, f in enumerate(findings, 1):
        f.id = f"f{i}"
    _one_cause(findings)
    return findings


def _one_cause(findings: list[Finding]) -> None:
    """A narrative-vs-narrative failure that involves a claim already failing against its table
    cell follows from that failure: it becomes uncertain and names the root finding."""
    root = {}
    for f in findings:
        if f.family == "narrative_table" and f.status == "fail":
            for e in f.evidence:
                if e.kind == "claim":
                    root.setdefault(e.ref, f.id)
    for f in findings:
        if f.family != "narrative_narrative" or f.status != "fail":
            continue
        causes = sorted({root[e.ref] for e in f.evidence if e.kind == "claim" and e.ref in root})
        if causes:
            f.status = "uncertain"
            f.flags.append("follows_from")
            f.message += f" (follows from {', '.join(causes)}: a claim here already disagrees with the table)"
