"""Fee statements (section 六 and elsewhere) against the tables (family ``narrative_table``).

Rules:

- ``fees.admin_fees_amount``: an amount of 行政事业性收费 the narrative states against table 二's
  本年收费金额 (v2021, in 万元), converting 元 ↔ 万元 and allowing for rounding;
- ``fees.info_fee_in_table``: a 信息处理费 amount (section 六, in 元) is not table 二's
  行政事业性收费; when the table's amount equals it, the table row was probably filled with the
  wrong fee (warning);
- ``fees.fee_notices_vs_unpaid``: table 三 drops N applications because a fee notice was not paid
  (v2021 row 2 of （六）), but section 六 says fewer fee notices were sent.

Warnings only; a 信息处理费 statement is never compared with 行政事业性收费 as if it were the same.
"""

from __future__ import annotations

import re

from pipeline.model import Claim, Evidence, Finding, Table
from pipeline.nlp.link import COUNT_UNITS
from pipeline.reconcile.identities import _num, label, table_lookup
from pipeline.reconcile.narrative import check_claim

FAMILY = "narrative_table"
INFO_FEE = "topic.info_processing_fee"
ADMIN_FEES = "t2.admin_fees.amount"
UNPAID = "t3.other_unpaid_fee.total"
_NOTICE = re.compile(r"通知")


def check_fees(claims: list[Claim], tables: list[Table], start_index: int = 0) -> list[Finding]:
    out: list[Finding] = []
    look = table_lookup({0: tables})
    for c in claims:
        if c.indicator == ADMIN_FEES:
            f = check_claim(c, tables, "", look)
            if f is not None:
                f.rule = "fees.admin_fees_amount"
                out.append(f)
            continue
        if c.indicator != INFO_FEE or c.polarity == "zero":
            continue
        if c.unit == "元" and c.value > 0:
            op = look(ADMIN_FEES, 0)
            if op is not None and op.value > 0 and (abs(op.value - c.value / 10_000) < 1e-6 or abs(op.value - c.value) < 1e-6):
                out.append(
                    Finding(
                        id="",
                        rule="fees.info_fee_in_table",
                        status="fail",
                        severity="warning",
                        message=f"section 六 reports 信息处理费 {_num(c.value)}元, and table 二's {label(ADMIN_FEES)} holds the same amount ({_num(op.value)}); "
                        "信息处理费 is not a 行政事业性收费, so the table row was probably filled with the wrong fee",
                        expected="different fees",
                        observed=_num(op.value),
                        evidence=[Evidence("claim", c.id, c.start, c.end), *op.evidence],
                        family=FAMILY,
                        confidence=round(min(c.confidence, 0.7), 4),
                        explanation="信息处理费 (国办函〔2020〕109号) is reported in section 六; table 二 row （八） counts 行政事业性收费",
                    )
                )
        elif c.unit in COUNT_UNITS and _NOTICE.search((c.subject or "") + (c.action or "")):
            op = look(UNPAID, 0)
            if op is None:
                continue
            ok = op.value <= c.value
            msg = (
                f"section 六 reports {_num(c.value)} fee notices; table 三 drops {_num(op.value)} applications for unpaid fees"
                if ok
                else f"table 三 drops {_num(op.value)} applications because a fee notice was not paid, but section 六 reports only {_num(c.value)} fee notices"
            )
            out.append(
                Finding(
                    id="",
                    rule="fees.fee_notices_vs_unpaid",
                    status="pass" if ok else "fail",
                    severity="info" if ok else "warning",
                    message=msg,
                    expected=f">= {_num(op.value)}",
                    observed=_num(c.value),
                    evidence=[Evidence("claim", c.id, c.start, c.end), *op.evidence],
                    family=FAMILY,
                    confidence=round(c.confidence, 4),
                    explanation="an application is dropped for an unpaid fee only after a fee notice was sent",
                )
            )
    for i, f in enumerate(out, start_index + 1):
        f.id = f"f{i}"
    return out
