"""Plausibility (family ``plausibility``): numbers that may be consistent but cannot be right.

Rules:

- ``plausibility.rules_by_county``: a nonzero 规章 count in table 二 from a body that cannot make
  规章: county level or below, or a city department (not a government);
- ``plausibility.negative_count``: a negative value in a cell that counts something (only the
  本年增/减 cells are signed), or a negative narrative count;
- ``plausibility.percentage``: a share ("占33.9%", "办结率99.5%") that matches no ratio of
  its count to a plausible base (the counts stated just before it, or the table-三 totals for a
  table-三 count).

All are warnings.  Facts (which bodies, which cells are signed, tolerances) are in
``data/plausibility.yaml``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.model import Claim, Evidence, Finding, Meta, Table
from pipeline.nlp.link import COUNT_UNITS, WEAK_LINK
from pipeline.reconcile.identities import _num, label, table_lookup

FAMILY = "plausibility"
NUMERATOR_GAP = 16  # characters between a count and its percentage
BASE_WINDOW = 240  # how far back base counts are looked for
T3_BASES = ["t3.new_received.total", "t3.received_total.total", "t3.results_total.total"]


@lru_cache(maxsize=1)
def conf() -> dict[str, Any]:
    return load_yaml("plausibility.yaml")


def can_make_rules(agency: str | None) -> bool | None:
    """False when the body cannot make 规章 (county level or below, or a city department rather
    than a government; see data/plausibility.yaml); None when the agency is unknown."""
    if not agency:
        return None
    if is_county_level(agency):
        return False
    return any(re.search(p, agency) for p in conf()["rule_makers"])


def is_county_level(agency: str | None) -> bool | None:
    """True when the body's name shows county level or below; None when unknown."""
    if not agency:
        return None
    c = conf()["county_level"]
    name = agency
    for w in c["exclude"]:
        name = name.replace(w, "")
    return any(m in name for m in c["markers"])


def _f(rule: str, status: str, severity: str, msg: str, expected: Any, observed: Any, ev: list[Evidence], expl: str, confidence: float = 1.0) -> Finding:
    return Finding(
        id="",
        rule=rule,
        status=status,
        severity=severity,
        message=msg,
        expected=expected,
        observed=observed,
        evidence=ev,
        family=FAMILY,
        confidence=confidence,
        explanation=expl,
    )


def check_rules_by_county(tables: list[Table], meta: Meta | None) -> list[Finding]:
    """One finding for table 二's 规章 row when the body is county level or below."""
    agency = meta.agency if meta else None
    if can_make_rules(agency) is not False:
        return []
    level = "a county-level (or lower) body" if is_county_level(agency) else "a city department, not a government"
    cells = {c.id: c for t in tables if t.key == "t2" for c in t.cells}
    used = [cells[cid] for cid in conf()["rules_cells"] if cid in cells and cells[cid].value is not None]
    if not used:
        return []
    ev = [Evidence("cell", c.id, c.start, c.end) for c in used]
    expl = "only provinces, 设区的市/自治州 governments and State Council departments can make 规章 (立法法)"
    nonzero = [c for c in used if c.value and c.value > 0]
    if nonzero:
        shown = ", ".join(f"{label(c.id)} = {_num(c.value)}" for c in nonzero)
        msg = f"{agency} is {level}, yet table 二 reports 规章 ({shown}); it cannot make 规章 — these are probably 规范性文件 or another body's 规章"
        return [_f("plausibility.rules_by_county", "fail", "warning", msg, 0, _num(nonzero[0].value), ev, expl)]
    return [_f("plausibility.rules_by_county", "pass", "info", f"{agency} reports no 规章", 0, 0, ev, expl)]


def _signed(cell_id: str) -> bool:
    return any(cell_id.endswith(s) for s in conf()["signed_cells_suffix"])


def check_negative(tables: list[Table], claims: list[Claim]) -> list[Finding]:
    out: list[Finding] = []
    for t in tables:
        for cell in t.cells:
            if cell.value is None or cell.value >= 0 or _signed(cell.id):  # the suffix test last: it is the dearest
                continue
            out.append(
                _f(
                    "plausibility.negative_count",
                    "fail",
                    "warning",
                    f"{label(cell.id)} is {_num(cell.value)}: a count or an amount cannot be negative (only 本年增/减 cells are signed)",
                    ">= 0",
                    _num(cell.value),
                    [Evidence("cell", cell.id, cell.start, cell.end)],
                    "counts and amounts are never negative",
                )
            )
    for c in claims:
        if c.value is not None and c.value < 0 and (c.unit in COUNT_UNITS or c.unit == "元"):
            out.append(
                _f(
                    "plausibility.negative_count",
                    "fail",
                    "warning",
                    f"the narrative states a negative count {_num(c.value)}{c.unit or ''}",
                    ">= 0",
                    _num(c.value),
                    [Evidence("claim", c.id, c.start, c.end)],
                    "counts and amounts are never negative",
                )
            )
    return out


def _decimals(x: float) -> int:
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return len(s.split(".")[1]) if "." in s else 0


_GROWTH = re.compile(r"增长|下降|提高|减少|回落|上升|同比|环比|增幅|降幅|比升|比降")
_NUMBER_AT_END = re.compile(r"[\d０-９.．]+\s*[%％]\s*$")


def _is_share(c: Claim, text: str | None = None, num: Claim | None = None) -> bool:
    """A share of a count ('占33.9%', '（17.46%）', '办结率99.5%'), not a growth rate."""
    if text:
        from pipeline.nlp.linker import flat

        words = flat(_NUMBER_AT_END.sub("", text[c.start : c.end]))[-10:]
        between = flat(text[num.end : c.start]) if num is not None else ""
        if _GROWTH.search(words + between):
            return False
        if not re.fullmatch(r"[，,、]?[（(]?", between):
            return False  # the share does not follow its count directly
        if re.fullmatch(r"[（(]?", between) and (not words or re.fullmatch(r"[（(]?(?:占比?|约占)?", words)):
            return True
    else:
        words = (c.subject or "")[-10:]
        if _GROWTH.search(words):
            return False
    return any(w in words for w in conf()["percent_share_words"])


def check_percentages(claims: list[Claim], tables: list[Table], text: str | None = None) -> list[Finding]:
    out: list[Finding] = []
    counts = sorted((c for c in claims if c.unit in COUNT_UNITS and c.approx == "eq" and c.polarity != "zero"), key=lambda c: c.end)
    look = table_lookup({0: tables}) if tables else None
    tol_conf = conf()["percent_tolerance"]
    for p in claims:
        if p.unit != "%" or p.approx != "eq" or not (0 < p.value < 100):
            continue
        before = [c for c in counts if c.end <= p.start]
        if not before or p.start - before[-1].end > NUMERATOR_GAP:
            continue
        num = before[-1]
        if not _is_share(p, text, num):
            continue
        bases: list[tuple[str, float, list[Evidence]]] = []
        for c in before[:-1]:
            if num.start - c.end <= BASE_WINDOW and c.value > num.value:
                bases.append((f"“{(c.subject or '').strip()[-8:]}{_num(c.value)}{c.unit}”", float(c.value), [Evidence("claim", c.id, c.start, c.end)]))
        if look is not None and num.indicator and num.indicator.startswith("t3.") and num.confidence >= WEAK_LINK:
            for b in T3_BASES:
                op = look(b, 0)
                if op is not None and op.value > 0:
                    bases.append((f"{label(b)} = {_num(op.value)}", op.value, list(op.evidence)))
        if not bases:
            continue
        d = _decimals(float(p.value))
        tol = tol_conf["last_digit_units"] * 10 ** (-d)
        ratios = [(name, 100 * float(num.value) / v, ev) for name, v, ev in bases]
        match = next(((n, r, ev) for n, r, ev in ratios if abs(r - float(p.value)) <= tol), None)
        ev = [Evidence("claim", p.id, p.start, p.end), Evidence("claim", num.id, num.start, num.end)]
        expl = f"a share must equal its count divided by its base (±{tol} percentage points for rounding)"
        if match:
            name, r, bev = match
            msg = f"{_num(p.value)}% matches {_num(num.value)} / {name} = {r:.2f}%"
            out.append(_f("plausibility.percentage", "pass", "info", msg, round(r, 2), _num(p.value), ev + bev, expl, confidence=0.8))
        else:
            tried = "; ".join(f"/ {n} = {r:.2f}%" for n, r, _ in ratios[:4])
            msg = f"{_num(p.value)}% matches no ratio of {_num(num.value)}{num.unit} to a base stated nearby ({tried})"
            allev = ev + [e for _, _, bev in ratios for e in bev]
            out.append(_f("plausibility.percentage", "fail", "warning", msg, [round(r, 2) for _, r, _ in ratios], _num(p.value), allev, expl, confidence=0.7))
    return out


def check_plausibility(tables: list[Table], claims: list[Claim], meta: Meta | None = None, start_index: int = 0, text: str | None = None) -> list[Finding]:
    """All plausibility findings; ``text`` (Document.text) lets the percentage rule read the words around a share."""
    out = check_rules_by_county(tables, meta) + check_negative(tables, claims) + check_percentages(claims, tables, text)
    for i, f in enumerate(out, start_index + 1):
        f.id = f"f{i}"
    return out


__all__ = ["check_plausibility", "is_county_level"]
