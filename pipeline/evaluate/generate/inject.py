"""Injected, labeled inconsistencies and the findings they must produce.

Kinds (``--inject-kinds``):

- ``narrative_table``: one table-linked number of the narrative is stated wrongly (exactly, no 余/约).
- ``narrative_table_zero``: the narrative says there were no applications (or no review/litigation) while the
  table records some.
- ``identity``: one cell of table 三 or 四 changed; the identities that then fail are computed here from the
  formulas in indicators.yaml.
- ``cross_year``: in a series of one agency, year N's 上年结转 no longer equals year N-1's 结转下年度 (the
  report itself stays consistent).
- ``narrative_narrative``: the parts of a 其中 list exceed their total, or 办结 exceeds 收到.
- ``plausibility``: a county-level body reports 规章.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any

from pipeline.data import indicators
from pipeline.evaluate.generate import wording as W
from pipeline.evaluate.generate.tables import derived, result_rows

# Rule ids of the checker (pipeline/reconcile/*.py): identity.<identity id> (identities.py), narrative_table.value /
# .zero / .money (narrative.py), fees.admin_fees_amount (fees.py: narrative amounts of 行政事业性收费),
# narrative_narrative.parts / .resolved_le_received (narrative_narrative.py), plausibility.rules_by_county
# (plausibility.py).  Keep these in step with pipeline/reconcile when rules are renamed.
RULES = {
    "narrative_table_value": "narrative_table.value",
    "narrative_table_money": "narrative_table.money",
    "narrative_table_admin_fees": "fees.admin_fees_amount",
    "narrative_table_zero": "narrative_table.zero",
    "nn_parts": "narrative_narrative.parts",
    "nn_resolved": "narrative_narrative.resolved_le_received",
    "plausibility_rules": "plausibility.rules_by_county",
}
KINDS = ["narrative_table", "narrative_table_zero", "identity", "cross_year", "narrative_narrative", "plausibility"]


def choose(rng: random.Random, rate: float, kinds: list[str], level: str, series_pos: int, in_series: bool = False) -> dict[str, Any]:
    """The injection for one report ({} for none).

    In a series, only ``cross_year`` may touch the carried-over figures, and ``plausibility`` (which would also
    break the 现行有效件数 continuity of the following years) is not used.
    """
    if rate <= 0 or rng.random() >= rate:
        return {}
    ok = [k for k in kinds if (k != "cross_year" or series_pos > 0) and (k != "plausibility" or (level in W.PLAUSIBILITY_LEVELS and not in_series))]
    if not ok:
        return {}
    kind = rng.choice(ok)
    inj: dict[str, Any] = {"kind": kind, **({"in_series": True} if in_series else {})}
    if kind == "narrative_table_zero":
        inj["target"] = rng.choice(["apps", "apps", "t4"])
    elif kind == "narrative_narrative":
        inj["target"] = rng.choice(["parts", "messages"])
    return inj


# ---------------------------------------------------------------- identity evaluation (independent of pipeline/reconcile)

_TERM = re.compile(r"([+-]?)\s*([a-z0-9_.]+)")


@lru_cache(maxsize=1)
def _identities() -> list[tuple[str, list[str], str, list[tuple[int, str]], list[tuple[int, str]]]]:
    out = []
    for ident in indicators()["identities"]:
        if ident.get("kind") != "within_report":
            continue
        f = ident["formula"]
        op = "==" if "==" in f else "<=" if "<=" in f else "~="
        lhs, rhs = f.split(op)

        def terms(expr: str) -> list[tuple[int, str]]:
            return [(-1 if s == "-" else 1, i) for s, i in _TERM.findall(expr)]

        out.append((ident["id"], ident["versions"], op, terms(lhs), terms(rhs)))
    return out


def failing_identities(vals: dict[str, Any], t2v: str, t3v: str) -> list[str]:
    """Ids of within-report identities that fail on ``vals`` (blank = 0)."""
    full = {**vals, **derived(vals, t3v)}
    rows3 = set(result_rows(t3v)) | {"new_received", "carried_over", "results_total", "carry_forward"}
    bad: list[str] = []
    for iid, versions, op, lhs, rhs in _identities():
        table = iid.split("_", 1)[0]
        tv = {"t2": t2v, "t3": t3v, "t4": "v2021"}.get(table, t3v)
        if table != "t4" and tv not in versions:
            continue
        if iid.startswith("t3_row_total__") and iid.split("__")[1] not in rows3:
            continue
        try:
            lv = sum(s * (full[i] or 0) for s, i in lhs)
            rv = sum(s * (full[i] or 0) for s, i in rhs)
        except KeyError:
            continue
        ok = abs(lv - rv) < 1e-6 if op != "<=" else lv <= rv + 1e-6
        if not ok:
            bad.append(iid)
    return bad


def _bump_t3(vals: dict[str, Any], row: str, col: str, k: int) -> None:
    vals[f"t3.{row}.{col}"] += k
    vals[f"t3.{row}.total"] += k


def apply_table_injection(rng: random.Random, inj: dict[str, Any], level: str, t2v: str, t3v: str, vals: dict[str, Any]) -> list[dict[str, Any]]:
    """Change the table values in place; return the findings the change must produce."""
    kind = inj["kind"]
    if kind == "identity":
        before = set(failing_identities(vals, t2v, t3v))
        if rng.random() < 0.8:
            rows = ["new_received", *result_rows(t3v), "results_total"]
            if not inj.get("in_series"):
                rows += ["carried_over", "carry_forward"]
            row = rng.choice(rows)
            col = rng.choice(W.T3_COLS)
            cid = f"t3.{row}.{col}"
        else:
            cid = f"t4.{rng.choice(W.T4_BLOCKS)}.{rng.choice(W.T4_KEYS)}"
        k = rng.choice([1, 1, 2, 3, 10])
        if vals[cid] - k < 0 or rng.random() < 0.5:
            vals[cid] += k
        else:
            vals[cid] -= k
        inj["cell"] = cid
        after = [i for i in failing_identities(vals, t2v, t3v) if i not in before]
        return [{"rule": f"identity.{i}", "status": "fail", "injected": "identity", "cell": cid} for i in after]
    if kind == "cross_year":
        col = rng.choice(W.T3_COLS[:6])
        k = rng.randint(1, 4)
        # the report stays consistent: the extra carried-in applications were granted this year
        for row in ("carried_over", "granted", "results_total"):
            _bump_t3(vals, row, col, k)
        inj["cell"] = f"t3.carried_over.{col}"
        return [{"rule": f"identity.xy_t3_carry__{c}", "status": "fail", "scope": "series", "injected": "cross_year"} for c in (col, "total")]
    if kind == "plausibility":
        k = rng.randint(1, 3)
        if t2v == "v2019":
            for c in ("new_made", "new_published", "published_total"):
                vals[f"t2.rules.{c}"] = k
        else:
            vals["t2.rules.issued"] = k
            vals["t2.rules.valid"] = k + rng.randint(0, 5)
        return [{"rule": RULES["plausibility_rules"], "status": "fail", "injected": "plausibility"}]
    if kind == "force_apps":
        k = rng.randint(1, 6)
        for row in ("new_received", "granted", "results_total"):
            _bump_t3(vals, row, "natural_person", k)
        return []
    if kind == "force_review":
        vals["t4.review.upheld"] += 1
        vals["t4.review.total"] += 1
        return []
    raise ValueError(f"unknown injection kind {kind}")
