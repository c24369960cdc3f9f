"""Narrative claims against table cells (family ``narrative_table``).

Rules:

- ``narrative_table.value``: a count the narrative states against its cell — equality for
  plain numbers, a lower bound (and the next round number as upper bound) for 余/多/以上, an
  upper bound for 不足/以下, ±10 % for 约/近/左右;
- ``narrative_table.zero``: a zero statement (没有收到申请) against its cell;
- ``narrative_table.money``: an amount against a money cell, converting 元 ↔ 万元 and
  allowing for the rounding of the less precise of the two.

A narrative check is a warning, never an error (a report may narrate a different scope).  A
failing check on a weak link (confidence < :data:`WEAK_LINK`) is ``uncertain``; so is one whose
number equals a neighbouring cell the narrative probably meant (``link_alternatives``).
Version-neutral ids are resolved to the parsed table's template, and the claim's indicator is
updated to the resolved id.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.data import cells_by_id, derived_by_id, load_yaml
from pipeline.model import Claim, Evidence, Finding, Table
from pipeline.nlp.link import WEAK_LINK, resolve_version
from pipeline.reconcile.identities import Lookup, Operand, _num, label, parse_formula, table_lookup

ABOUT_TOLERANCE = 0.1
HEADER_GAP = 200  # characters between a table header's words and the table's first cell
MIN_CONFIDENCE = WEAK_LINK
FAMILY = "narrative_table"
REL = {"eq": "=", "ge": "≥", "le": "≤", "about": "≈"}


@lru_cache(maxsize=1)
def alternatives() -> dict[str, list[str]]:
    return load_yaml("claims.yaml").get("link_alternatives") or {}


def _not_assessable(fid: str, rule: str, c: Claim, message: str) -> Finding:
    """A claim that cannot be checked (no such cell, table missing, value unreadable)."""
    return Finding(fid, rule, "not_assessable", "info", message, c.value, None, [_claim_ev(c)], family=FAMILY, confidence=c.confidence)


def alternatives_for(ind: str) -> list[str]:
    """Neighbouring cells a narrative number may really mean.  A column cell inherits its row
    total's alternatives in the same column: if "受理749件" may mean 一+二, then "其中自然人741件"
    may mean 一+二 for 自然人 (t3.received_total.natural_person)."""
    alts = list(alternatives().get(ind, []))
    parts = ind.split(".")
    if len(parts) == 3 and parts[2] != "total":
        for a in alternatives().get(f"{parts[0]}.{parts[1]}.total", []):
            ap = a.split(".")
            alts.append(f"{ap[0]}.{ap[1]}.{parts[2]}")
    return alts


def cell_unit(cell_id: str) -> str | None:
    spec = cells_by_id().get(cell_id)
    return spec.get("unit") if spec else None


def _decimals(x: float) -> int:
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return len(s.split(".")[1]) if "." in s else 0


def upper_for_ge(claimed: float) -> float | None:
    """'20余' means 20–29, '2万余' 20000–29999: the next round number above a round claim."""
    if claimed <= 0 or claimed != int(claimed):
        return None
    n = int(claimed)
    tz = 0
    while n % 10 == 0 and n > 0:
        n //= 10
        tz += 1
    return claimed + max(10**tz, 10)


def holds(claimed: float, actual: float, approx: str, tol: float = 1e-6) -> bool:
    """Whether a table value ``actual`` agrees with a narrative value ``claimed`` stated with ``approx``."""
    if approx == "ge":
        up = upper_for_ge(claimed)
        return actual >= claimed - tol and (up is None or actual < up + tol)
    if approx == "le":
        return actual <= claimed + tol
    if approx == "about":
        return abs(actual - claimed) <= ABOUT_TOLERANCE * max(abs(claimed), 1) + tol
    return abs(actual - claimed) <= tol


def to_cell_unit(claim: Claim, cell_id: str) -> tuple[float, str]:
    """The claimed value in the cell's unit, and a note on the conversion."""
    cu = cell_unit(cell_id)
    if claim.unit == "元" and cu == "万元":
        return claim.value / 10_000, f"{_num(claim.value)}元 = {_num(claim.value / 10_000)}万元"
    if claim.unit == "万元" and cu == "元":
        return claim.value * 10_000, f"{_num(claim.value)}万元 = {_num(claim.value * 10_000)}元"
    return float(claim.value), ""


def money_tolerance(claimed: float, actual: float) -> float:
    """Half a unit of the last printed digit of the less precise number."""
    d = min(_decimals(claimed), _decimals(actual))
    return 0.5 * 10 ** (-d) + 1e-9


T3_COLUMNS = ("natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other")


def column_sum(ind: str, look: Lookup) -> Operand | None:
    """A table-三 总计 recomputed from its applicant columns (for a blank 总计 cell); derived rows
    are expanded into their base rows.  None when a column is unreadable."""
    spec = derived_by_id().get(ind)
    rows = [t.id for t in parse_formula(spec["formula"]).lhs] if spec else [ind]
    total, evidence, blank, uncertain = 0.0, [], True, False
    for r in rows:
        base = r[: -len(".total")] if r.endswith(".total") else None
        if base is None:
            return None
        for col in T3_COLUMNS:
            op = look(f"{base}.{col}", 0)
            if op is None:
                return None
            total += op.value
            evidence += op.evidence
            blank &= op.blank
            uncertain |= op.uncertain
    return Operand(total, tuple(evidence), blank, uncertain)


def _table_template(tables: list[Table], key: str) -> str | None:
    for t in tables:
        if t.key == key:
            return t.template
    return None


def _claim_ev(c: Claim) -> Evidence:
    return Evidence("claim", c.id, c.start, c.end)  # positional: keywords cost a dict per call


def _cell_ev(op: Operand) -> list[Evidence]:
    # the lookup's Evidence of each cell read (this year's: ("cell", id, start, end)), shared
    return list(op.evidence)


def _quoted(c: Claim) -> str:
    if c.polarity == "zero":
        return "a zero statement"
    what = (c.subject or "").strip()
    return f"“{what}{_num(c.value)}{c.unit or ''}”" if what else f"“{_num(c.value)}{c.unit or ''}”"


def check_claim(c: Claim, tables: list[Table], fid: str, look: Lookup | None = None) -> Finding | None:
    """The narrative-vs-table finding for one claim, or None when the claim has no cell.

    ``look`` is the tables' lookup (:func:`table_lookup`); callers checking many claims build it once."""
    ind = c.indicator
    if not ind or not ind.startswith(("t2.", "t3.", "t4.")):
        return None
    key = ind.split(".", 1)[0]
    resolved = resolve_version(ind, _table_template(tables, key))
    money = cell_unit(resolved or ind) in ("万元", "元", "unspecified") or c.unit == "元"
    rule = "narrative_table.zero" if c.polarity == "zero" else ("narrative_table.money" if money else "narrative_table.value")
    if resolved is None:
        return _not_assessable(fid, rule, c, f"claim {c.id} {_quoted(c)} ({label(ind)}): the {_table_template(tables, key)} table 二 has no such cell")
    if resolved != ind:
        c.indicator = resolved
        ind = resolved
    if key not in {t.key for t in tables}:
        return _not_assessable(fid, rule, c, f"claim {c.id} {_quoted(c)} ({label(ind)}): table {key[1]} was not found")
    look = look or table_lookup({0: tables})
    op = look(ind, 0)
    if op is None:
        return _not_assessable(fid, rule, c, f"claim {c.id} {_quoted(c)}: no readable table value for {label(ind)}")
    if cell_unit(ind) == "unspecified" and c.unit == "元":
        return Finding(
            fid,
            rule,
            "not_assessable",
            "info",
            f"claim {c.id} {_quoted(c)}: {label(ind)} prints no unit (元 or 万元), so the amounts cannot be compared",
            c.value,
            _num(op.value),
            [_claim_ev(c)] + _cell_ev(op),
            family=FAMILY,
            confidence=c.confidence,
        )
    summed_note = ""
    if op.blank and ind.startswith("t3.") and ind.endswith(".total"):
        cs = column_sum(ind, look)
        if cs is not None and not cs.blank:
            op = cs
            summed_note = f" (its 总计 cell is blank; the applicant columns sum to {_num(cs.value)})"
    claimed, conv = to_cell_unit(c, ind)
    tol = money_tolerance(claimed, op.value) if rule == "narrative_table.money" and c.approx == "eq" else 1e-6
    ok = holds(claimed, op.value, c.approx, tol)
    flags = ["blank_as_zero"] if op.blank else []
    if summed_note:
        flags.append("total_blank_column_sum")
    status = "pass" if ok else "fail"
    rel = REL.get(c.approx, "=")
    unit_note = f" ({conv})" if conv else ""
    reason = ""
    if not ok:
        # a zero statement denies the whole quantity, so no neighbouring cell can explain it
        for alt in alternatives_for(ind) if c.polarity != "zero" else []:
            aop = look(alt, 0)
            if aop is not None and holds(claimed, aop.value, c.approx, tol):
                status = "uncertain"
                flags.append("alternative_cell")
                reason = f"; it equals {label(alt)} = {_num(aop.value)}, which the sentence probably means"
                break
        if status == "fail" and summed_note:
            col = look(ind[: -len("total")] + "natural_person", 0) if ind.count(".") == 2 else None
            if col is not None and holds(claimed, col.value, c.approx, tol):
                reason = f"; it equals the 自然人 column ({_num(col.value)}), so the narrative probably counts only natural persons"
        if status == "fail" and c.confidence < MIN_CONFIDENCE:
            status = "uncertain"
            flags.append("weak_link")
            reason = f"; the link to {label(ind)} is weak (confidence {c.confidence:.2f}), so this may not be the same quantity"
        if status == "fail" and op.blank:
            status = "uncertain"
            flags.append("blank_suspect")
            reason = "; the table cell is blank (read as 0)"
    if ok:
        msg = f"narrative {_quoted(c)} says {label(ind)} {rel} {_num(claimed)}{unit_note}; the table has {_num(op.value)}{summed_note}"
    else:
        msg = f"narrative {_quoted(c)} says {label(ind)} {rel} {_num(claimed)}{unit_note}, but the table has {_num(op.value)}{summed_note}{reason}"
        if status == "fail" and c.polarity != "zero":
            msg += " (the narrative may cover a different scope; check the sentence)"
    expl = {
        "eq": "a plain number must equal the cell",
        "ge": "余/多/以上 give a lower bound (and the next round number as upper bound)",
        "le": "不足/以下 give an upper bound",
        "about": f"约/近/左右 allow ±{int(ABOUT_TOLERANCE * 100)}%",
    }.get(c.approx, "")
    if rule == "narrative_table.money" and c.approx == "eq":
        expl = f"amounts agree to the last printed digit (±{_num(tol)})"
    # Finding(id, rule, status, severity, message, expected, observed, evidence, family, flags,
    # confidence, explanation), positional: keywords would cost a dict per finding
    return Finding(
        fid,
        rule,
        status,
        "info" if status == "pass" else "warning",
        msg,
        _num(op.value),
        _num(claimed),
        [_claim_ev(c)] + _cell_ev(op),
        FAMILY,
        flags,
        round(c.confidence, 4),
        "; ".join(x for x in (expl, c.explanation) if x),
    )


def in_table_header(c: Claim, tables: list[Table], text: str | None) -> bool:
    """The claim's words are a table's header (e.g. 未经复议直接起诉 read as a zero statement):
    a table starts shortly after it with no sentence end in between."""
    if not text:
        return False
    for t in tables:
        if t.start <= c.start < t.end:
            return True
        if 0 <= t.start - c.end <= HEADER_GAP and not re.search(r"[。！？!?]", text[c.end : t.start]):
            return True
    return False


def check_claims(claims: list[Claim], tables: list[Table], start_index: int = 0, skip: frozenset[str] = frozenset(), text: str | None = None) -> list[Finding]:
    """Every claim linked to a table cell (except those linked to ``skip`` ids), checked against that cell.

    With ``text``: zero statements read from a table's header are not checked, and a failing
    zero statement the narrative contradicts elsewhere (a positive claim on the same cell that
    agrees with the table) is ``uncertain``.
    """
    findings: list[Finding] = []
    look = table_lookup({0: tables})
    for c in claims:
        if c.indicator in skip:
            continue
        if c.polarity == "zero" and in_table_header(c, tables, text):
            continue
        f = check_claim(c, tables, f"f{start_index + len(findings) + 1}", look)
        if f is None:
            continue
        if c.polarity == "zero" and f.status == "fail":
            other = next(
                (
                    o
                    for o in claims
                    if o is not c and o.polarity != "zero" and o.indicator == c.indicator and o.confidence >= WEAK_LINK and o.value == f.expected
                ),
                None,
            )
            if other is not None:
                f.status = "uncertain"
                f.flags.append("contradicted_in_narrative")
                f.message += f"; the narrative also states {_quoted(other)}, which agrees with the table, so the zero statement was probably misread"
                f.evidence.append(_claim_ev(other))
        findings.append(f)
    return findings
