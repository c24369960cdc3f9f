"""Reconcile: tables + claims -> findings.  One module per rule family."""

from __future__ import annotations

from pipeline.model import Claim, Finding, Table
from pipeline.reconcile.identities import check_cross_year, check_identities
from pipeline.reconcile.narrative import check_claims

__all__ = ["reconcile", "check_identities", "check_claims", "check_cross_year"]


def reconcile(tables: list[Table], claims: list[Claim]) -> list[Finding]:
    findings = check_identities(tables)
    findings += check_claims(claims, tables, start_index=len(findings))
    for i, f in enumerate(findings, 1):
        f.id = f"f{i}"
    return findings
