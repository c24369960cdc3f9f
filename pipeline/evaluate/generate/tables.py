"""Table values of a generated report, consistent by construction.

Every within-report identity of pipeline/data/indicators.yaml holds for the values built here (table 三
balance, result sums and row totals, table 四 sums, table 二 inequalities); a series of one agency also
keeps the cross-year identities (上年结转 = last year's 结转下年度, catalogue items and 现行有效件数 carried on).
Injections break exactly one of these on purpose (see inject.py).
"""

from __future__ import annotations

import random
from typing import Any

from pipeline.evaluate.generate import wording as W

T3_COLS = W.T3_COLS
ORG_COLS = T3_COLS[1:6]
RESULT_ROWS_COMMON = [k for _g, rows in W.T3_RESULT_GROUPS_COMMON for k, _l in rows]
OTHER_V2021 = [k for k, _l in W.T3_OTHER_V2021[1]]

# weights of result rows (share of answered applications)
_RESULT_WEIGHTS = {
    "granted": 40,
    "partial_granted": 8,
    "denied_state_secret": 0.5,
    "denied_law_prohibited": 1,
    "denied_security_stability": 0.5,
    "denied_third_party": 2,
    "denied_internal_affairs": 1.5,
    "denied_process_info": 2,
    "denied_enforcement_file": 1,
    "denied_admin_query": 1,
    "unable_not_held": 22,
    "unable_need_creation": 3,
    "unable_unclear": 2,
    "unprocessed_petition": 3,
    "unprocessed_repeat": 2,
    "unprocessed_publication": 1,
    "unprocessed_excessive": 0.5,
    "unprocessed_confirm": 1,
    "other_handling": 5,
    "other_no_correction": 2,
    "other_unpaid_fee": 0.5,
    "other_misc": 2.5,
}


def result_rows(t3_template: str) -> list[str]:
    return RESULT_ROWS_COMMON + (OTHER_V2021 if t3_template == "v2021" else ["other_handling"])


def t3_rows(t3_template: str) -> list[str]:
    return ["new_received", "carried_over", *result_rows(t3_template), "results_total", "carry_forward"]


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into len(weights) non-negative integers, roughly by weight."""
    out = [0] * len(weights)
    if total <= 0:
        return out
    tw = sum(weights)
    for _ in range(total):
        x = rng.random() * tw
        for i, w in enumerate(weights):
            x -= w
            if x < 0:
                out[i] += 1
                break
        else:
            out[-1] += 1
    return out


def _split_fast(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    if total <= 60:
        return _split(rng, total, weights)
    tw = sum(weights)
    out = [int(total * w / tw * rng.uniform(0.7, 1.3)) for w in weights]
    diff = total - sum(out)
    i = max(range(len(weights)), key=lambda j: weights[j])
    if out[i] + diff < 0:
        return _split(rng, total, weights)
    out[i] += diff
    return out


def build_t3(rng: random.Random, level: str, t3_template: str, carried: dict[str, int] | None = None) -> dict[str, int]:
    lo, hi = W.LEVELS[level]["apps"]
    zero_year = rng.random() < (0.35 if hi <= 40 else 0.08)
    n_new = 0 if zero_year else int(lo + (hi - lo) * rng.random() ** 2)
    # column shares: natural persons dominate
    col_w = [70, 14, 1.5, 1.5, 3, 10]
    new_cols = _split_fast(rng, n_new, col_w)
    if carried is None:
        carried_cols = [0] * 6 if zero_year or rng.random() < 0.6 else _split(rng, rng.randint(1, max(1, n_new // 10 + 1)), col_w)
    else:
        carried_cols = [carried[c] for c in T3_COLS[:6]]
    rows = result_rows(t3_template)
    v: dict[str, int] = {}
    for i, col in enumerate(T3_COLS[:6]):
        handled = new_cols[i] + carried_cols[i]
        fwd = 0
        if handled and rng.random() < 0.3:
            fwd = rng.randint(0, max(0, handled // 8))
        done = handled - fwd
        parts = _split_fast(rng, done, [_RESULT_WEIGHTS[r] for r in rows])
        v[f"t3.new_received.{col}"] = new_cols[i]
        v[f"t3.carried_over.{col}"] = carried_cols[i]
        for r, p in zip(rows, parts, strict=True):
            v[f"t3.{r}.{col}"] = p
        v[f"t3.results_total.{col}"] = done
        v[f"t3.carry_forward.{col}"] = fwd
    for r in t3_rows(t3_template):
        v[f"t3.{r}.total"] = sum(v[f"t3.{r}.{c}"] for c in T3_COLS[:6])
    return v


def build_t4(rng: random.Random, level: str, n_apps: int) -> dict[str, int]:
    v: dict[str, int] = {}
    p_case = min(0.9, 0.05 + n_apps / 300)
    for blk in W.T4_BLOCKS:
        parts = [0, 0, 0, 0]
        if rng.random() < p_case * (1.0 if blk == "review" else 0.5):
            n = rng.randint(1, max(1, n_apps // 15 + 1))
            parts = _split(rng, n, [5, 1, 1.5, 1.5])
        for k, p in zip(W.T4_KEYS[:4], parts, strict=True):
            v[f"t4.{blk}.{k}"] = p
        v[f"t4.{blk}.total"] = sum(parts)
    return v


def build_t2(
    rng: random.Random, level: str, t2_template: str, prev: dict[str, Any] | None = None, prev_template: str | None = None, can_rules: bool | None = None
) -> dict[str, Any]:
    spec = W.LEVELS[level]
    v: dict[str, Any] = {}
    can_rules = spec["rules"] if can_rules is None else can_rules
    lo, hi = spec["license"]
    same = prev is not None and prev_template == t2_template
    if t2_template == "v2019":
        for row in ("rules", "normative_docs"):
            made = 0 if row == "rules" and not can_rules else rng.randint(0, 3 if row == "rules" else 25)
            pub = made if rng.random() < 0.8 else rng.randint(0, made)
            if same:
                total = prev[f"t2.{row}.published_total"] + pub
            else:
                total = pub + (0 if row == "rules" and not can_rules else rng.randint(0, 40))
            v[f"t2.{row}.new_made"] = made
            v[f"t2.{row}.new_published"] = pub
            v[f"t2.{row}.published_total"] = total
        for row in ("admin_license", "other_mgmt_services", "admin_penalty", "admin_coercion", "admin_fees"):
            if same:
                items = prev[f"t2.{row}.prev_year_items"] + prev[f"t2.{row}.items_change"]
            else:
                items = rng.randint(0, 400) if row != "admin_fees" else rng.randint(0, 30)
            change = rng.randint(-min(items, 80), 120) if rng.random() < 0.6 else 0
            if row == "admin_fees":
                change = rng.randint(-min(items, 5), 3) if rng.random() < 0.5 else 0
            v[f"t2.{row}.prev_year_items"] = items
            v[f"t2.{row}.items_change"] = change
            if row != "admin_fees":
                d = {"admin_license": rng.randint(lo, hi), "admin_penalty": rng.randint(0, hi // 5 + 5), "admin_coercion": rng.randint(0, hi // 40 + 2)}
                v[f"t2.{row}.decisions"] = d.get(row, 0 if rng.random() < 0.7 else rng.randint(0, 50))
        v["t2.gov_procurement.projects"] = rng.randint(0, 80)
        v["t2.gov_procurement.amount"] = round(rng.randint(0, 80_000_000) / 10000, 4) if v["t2.gov_procurement.projects"] else 0
    else:
        for row in ("rules", "normative_docs"):
            if row == "rules" and not can_rules:
                iss = rep = valid = 0
            else:
                iss = rng.randint(0, 4 if row == "rules" else 20)
                rep = rng.randint(0, 3) if rng.random() < 0.4 else 0
                if same:
                    rep = min(rep, prev[f"t2.{row}.valid"] + iss)
                    valid = prev[f"t2.{row}.valid"] + iss - rep
                else:
                    valid = iss + rng.randint(0, 60 if row == "normative_docs" else 30)
            v[f"t2.{row}.issued"] = iss
            v[f"t2.{row}.repealed"] = rep
            v[f"t2.{row}.valid"] = valid
        v["t2.admin_license.decisions"] = rng.randint(lo, hi)
        v["t2.admin_penalty.decisions"] = rng.randint(0, hi // 5 + 5)
        v["t2.admin_coercion.decisions"] = rng.randint(0, hi // 40 + 2)
        v["t2.admin_fees.amount"] = round(rng.randint(0, 2_000_000) / 100, 2) if rng.random() < 0.5 else 0
    return v


def derived(values: dict[str, Any], t3_template: str) -> dict[str, Any]:
    """Derived ids the narrative may state (sums of table cells)."""
    d: dict[str, Any] = {}
    for col in T3_COLS:

        def g(r: str, col: str = col) -> Any:
            return values.get(f"t3.{r}.{col}", 0) or 0

        d[f"t3.denied.{col}"] = sum(g(r) for r in RESULT_ROWS_COMMON if r.startswith("denied_"))
        d[f"t3.unable.{col}"] = sum(g(r) for r in RESULT_ROWS_COMMON if r.startswith("unable_"))
        d[f"t3.unprocessed.{col}"] = sum(g(r) for r in RESULT_ROWS_COMMON if r.startswith("unprocessed_"))
        if t3_template == "v2021":
            d[f"t3.other_handling.{col}"] = sum(g(r) for r in OTHER_V2021)
        d[f"t3.granted_or_partial.{col}"] = g("granted") + g("partial_granted")
        d[f"t3.received_total.{col}"] = g("new_received") + g("carried_over")
    for r in ["new_received", "carried_over", "results_total", "carry_forward", "granted"]:
        d[f"t3.{r}.org_subtotal"] = sum(values.get(f"t3.{r}.{c}", 0) or 0 for c in ORG_COLS)
    for k in W.T4_KEYS:
        d[f"t4.litigation.{k}"] = values.get(f"t4.litigation_direct.{k}", 0) + values.get(f"t4.litigation_after_review.{k}", 0)
    return d
