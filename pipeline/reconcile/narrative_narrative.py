"""Narrative against narrative (family ``narrative_narrative``): the report's own numbers agree.

Rules:

- ``narrative_narrative.restated``: a quantity stated twice (same cell, or same topic with the
  same action and subject, same time scope) has the same value;
- ``narrative_narrative.parts``: the parts of a 其中 list do not exceed the total, and sum to
  it when the list is complete.  Parts come from the NLP stage's relations
  (``relation = {"type": "part_of", "parent": <claim id>, "complete": bool}``) or, for claims
  linked to table-三/四 quantities, from ``narrative_parts`` in ``data/claims.yaml``;
- ``narrative_narrative.resolved_le_received``: 办结 / 答复 do not exceed 收到 — for a topic
  (留言, 热线 …) against the nearest preceding 收到 claim of the same topic, and for
  applications 办结 (（七）总计) against 收到 incl. the carry-over (一 + 二);
- ``narrative_narrative.enumeration``: "共有…4个，分别是A、B、C、D" names as many items as it
  counts (``relation = {"type": "enumeration", "items": [...] or n, "item_spans": [...]}`` or ``{"n_items": n}``).

All are warnings, never errors.  Only claims linked with confidence ≥ ``WEAK_LINK`` take part;
approximate values (余/约) are compared as intervals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.model import Claim, Evidence, Finding
from pipeline.nlp.link import COUNT_UNITS, WEAK_LINK
from pipeline.reconcile.identities import _num, label
from pipeline.reconcile.narrative import ABOUT_TOLERANCE, upper_for_ge

FAMILY = "narrative_narrative"
NEAR = 240  # characters: how far back a 收到 claim may be from its 办结/答复 claim


@lru_cache(maxsize=1)
def _actions() -> list[tuple[str, re.Pattern[str]]]:
    acts = load_yaml("topics.yaml").get("actions") or {}
    order = ["pending", "replied", "resolved", "received"]
    return [(k, re.compile("|".join(map(re.escape, sorted(acts[k], key=len, reverse=True))))) for k in order if k in acts]


# The claim's number and what follows it up to the end of the span.  ``[N][N]*`` is ``[N]+``
# written so that ``re`` can skip ahead to the characters that can start a match.
_NUMBER_TAIL = re.compile(r"[\d０-９零一二两三四五六七八九十百千万亿][\d０-９零一二两三四五六七八九十百千万亿]*[^\d]*$")
_SUBJECT_NOISE = re.compile(r"[\d\s年月日度全本共累计截至目前已各类，,、：:]")


def clause_text(c: Claim, text: str | None) -> str:
    """The claim's own words before its number (from the text when given, else its subject)."""
    if text:
        span = text[c.start : c.end]
        m = _NUMBER_TAIL.search(span)
        return span[: m.start()] if m else span
    return c.subject or ""


def action_of(c: Claim, text: str | None = None) -> str | None:
    """received | resolved | replied | pending: from the words right before the number when the
    text is given (待处置 is pending even if the action is 处置), else the claim's action or subject."""
    srcs = [clause_text(c, text)[-8:]] if text else []
    srcs += [c.action or "", (c.subject or "")[-8:]]
    for src in srcs:
        if not src:
            continue
        for key, pat in _actions():
            if pat.search(src):
                return key
    return None


def lower(c: Claim) -> float:
    v = float(c.value)
    return {"eq": v, "ge": v, "about": v * (1 - ABOUT_TOLERANCE), "le": 0.0}.get(c.approx, v)


def upper(c: Claim) -> float:
    v = float(c.value)
    if c.approx == "ge":
        up = upper_for_ge(v)
        return up if up is not None else float("inf")
    return {"eq": v, "le": v, "about": v * (1 + ABOUT_TOLERANCE)}.get(c.approx, v)


def _compatible(a: Claim, b: Claim) -> bool:
    return a.unit == b.unit or (a.unit in COUNT_UNITS and b.unit in COUNT_UNITS)


def _usable(c: Claim) -> bool:
    return bool(c.indicator) and c.confidence >= WEAK_LINK and c.unit != "%"


def _ev(cs: list[Claim]) -> list[Evidence]:
    return [Evidence("claim", c.id, c.start, c.end) for c in cs]  # positional: keywords cost a dict per call


def _q(c: Claim) -> str:
    mark = {"ge": "余", "about": "约", "le": "不足"}.get(c.approx, "")
    s = (c.subject or "").strip()
    return f"“{s}{_num(c.value)}{mark}{c.unit or ''}”" if c.polarity != "zero" else "a zero statement"


def _finding(rule: str, ok: bool, msg: str, expected: Any, observed: Any, cs: list[Claim], expl: str, flags: list[str] | None = None) -> Finding:
    # Finding(id, rule, status, severity, message, expected, observed, evidence, family, flags,
    # confidence, explanation), positional: keywords would cost a dict per finding
    return Finding(
        "",
        rule,
        "pass" if ok else "fail",
        "info" if ok else "warning",
        msg,
        expected,
        observed,
        _ev(cs),
        FAMILY,
        flags or [],
        round(min(c.confidence for c in cs), 4),
        expl,
    )


def _subject_key_text(s: str) -> str:
    return _SUBJECT_NOISE.sub("", s)[-8:]


def check_restated(claims: list[Claim], text: str | None = None) -> list[Finding]:
    groups: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
    for c in claims:
        if not _usable(c) or c.approx != "eq" or c.polarity == "zero":
            continue
        if c.indicator.startswith("topic."):
            # a topic restated: only the same wording (digits and time words aside) counts
            words = _subject_key_text(clause_text(c, text)) if text else ""
            if len(words) < 4:
                continue
            key: tuple[str, ...] = (c.indicator, words, c.time_scope or "")
        else:
            key = (c.indicator, "", "", c.time_scope or "")
        groups[key].append(c)
    out: list[Finding] = []
    for key, cs in groups.items():
        if len(cs) < 2:
            continue
        values = sorted({_num(c.value) for c in cs})
        ok = len(values) == 1
        what = label(key[0]) if not key[0].startswith("topic.") else f"{key[0]} “{key[1]}”"
        if ok:
            msg = f"{what} is stated {len(cs)} times, always as {values[0]}"
        else:
            msg = f"{what} is stated {len(cs)} times with different values: " + ", ".join(_q(c) for c in cs)
        out.append(_finding("narrative_narrative.restated", ok, msg, _num(cs[0].value), [_num(c.value) for c in cs], cs, "a quantity stated twice must agree"))
    return out


@lru_cache(maxsize=1)
def _structures() -> list[dict[str, Any]]:
    return load_yaml("claims.yaml").get("narrative_parts") or []


def _parts_finding(total: Claim, parts: list[Claim], complete: bool, source: str) -> Finding:
    lo = sum(lower(p) for p in parts)
    hi = sum(upper(p) for p in parts)
    exceeds = lo > upper(total) + 1e-6
    short = complete and hi < lower(total) - 1e-6
    ok = not exceeds and not short
    names = " + ".join(_q(p) for p in parts)
    if exceeds:
        msg = f"the parts {names} add up to {_num(lo)}, more than the total {_q(total)}"
    elif short:
        msg = f"the complete list of parts {names} adds up to {_num(hi)}, less than the total {_q(total)}"
    elif complete:
        msg = f"the parts {names} add up to the total {_q(total)}"
    else:
        msg = f"the parts {names} ({_num(lo)}) do not exceed the total {_q(total)}"
    return _finding(
        "narrative_narrative.parts",
        ok,
        msg,
        _num(total.value),
        _num(lo),
        [total] + parts,
        f"其中 parts ({source}) may not exceed their total" + ("; all parts are stated, so they must sum to it" if complete else ""),
        ["complete"] if complete else [],
    )


def _structure_parts(total_ind: str | None) -> set[str]:
    return {p for st in _structures() if st["total"] == total_ind for p in st["parts"]}


def _is_cell(ind: str | None) -> bool:
    return bool(ind) and ind.startswith(("t2.", "t3.", "t4."))


def _may_be_part(part: Claim, total: Claim) -> bool:
    """Whether a 其中 part can belong to the total, judging by what both are linked to."""
    if not _is_cell(part.indicator) or part.confidence < WEAK_LINK:
        return True
    return part.indicator in _structure_parts(total.indicator)


def _same_topic(part: Claim, total: Claim) -> bool:
    """The part is confidently linked to what the total is linked to (same topic, or a cell part of the total's cell)."""
    if part.confidence < WEAK_LINK or total.confidence < WEAK_LINK or not total.indicator:
        return False
    if (total.indicator or "").startswith("topic."):
        return part.indicator == total.indicator
    return part.indicator in _structure_parts(total.indicator)


def check_parts(claims: list[Claim]) -> list[Finding]:
    out: list[Finding] = []
    by_id = {c.id: c for c in claims}
    covered: set[str] = set()
    # 1. relations from the NLP stage
    children: dict[str, list[Claim]] = defaultdict(list)
    complete: dict[str, bool] = defaultdict(bool)
    for c in claims:
        r = c.relation or {}
        if r.get("type") == "part_of" and r.get("parent") in by_id and c.unit != "%":
            children[r["parent"]].append(c)
            complete[r["parent"]] |= bool(r.get("complete"))
    for pid, parts in children.items():
        total = by_id[pid]
        if total.unit == "%" or not all(_compatible(p, total) for p in parts):
            continue
        # a part linked to a table cell that is not a part of the total's cell belongs elsewhere
        parts = [p for p in parts if _may_be_part(p, total)]
        if not parts:
            continue
        f = _parts_finding(total, parts, complete[pid], "stated with 其中")
        if f.status == "fail" and not all(_same_topic(p, total) for p in parts):
            f.status = "uncertain"
            f.flags.append("parts_unlinked")
            f.message += "; not every part is linked to the same quantity as the total, so the 其中 list may mix categories"
        out.append(f)
        covered.add(pid)
    # 2. table-三/四 structures named in data
    by_ind: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if _usable(c) and not c.indicator.startswith("topic."):
            by_ind[c.indicator].append(c)

    def single(ind: str) -> Claim | None:
        cs = by_ind.get(ind, [])
        vals = {(c.value, c.approx) for c in cs}
        return cs[0] if len(vals) == 1 else None

    for st in _structures():
        total = single(st["total"])
        if total is None or total.id in covered:
            continue
        parts = [p for p in (single(i) for i in st["parts"]) if p is not None and p.id != total.id]
        if not parts:
            continue
        out.append(_parts_finding(total, parts, len(parts) == len(st["parts"]), f"{label(st['total'])}"))
    return out


def check_resolved_le_received(claims: list[Claim], text: str | None = None) -> list[Finding]:
    out: list[Finding] = []
    ordered = sorted((c for c in claims if _usable(c)), key=lambda c: c.start)
    # topics: 办结/答复 against the nearest preceding 收到 of the same topic
    for i, c in enumerate(ordered):
        if not c.indicator.startswith("topic."):
            continue
        act = action_of(c, text)
        if act not in ("resolved", "replied"):
            continue
        recv = None
        for prev in reversed(ordered[:i]):
            if c.start - prev.end > NEAR:
                break
            if prev.indicator == c.indicator and action_of(prev, text) == "received":
                recv = prev
                break
        if recv is None:
            continue
        ok = lower(c) <= upper(recv) + 1e-6
        verb = "办结" if act == "resolved" else "答复"
        if ok:
            msg = f"{verb} {_q(c)} does not exceed 收到 {_q(recv)}"
        else:
            msg = f"{verb} {_q(c)} is more than was received ({_q(recv)})"
        out.append(
            _finding(
                "narrative_narrative.resolved_le_received",
                ok,
                msg,
                f"<= {_num(recv.value)}",
                _num(c.value),
                [recv, c],
                f"{verb} cannot exceed 收到 ({c.indicator})",
            )
        )
    # applications: （七）总计 <= 一 + 二
    by_ind: dict[str, list[Claim]] = defaultdict(list)
    for c in ordered:
        by_ind[c.indicator].append(c)
    for done in by_ind.get("t3.results_total.total", []):
        if by_ind.get("t3.received_total.total"):
            recv_cs = [by_ind["t3.received_total.total"][0]]
            bound = upper(recv_cs[0])
        elif by_ind.get("t3.new_received.total") and by_ind.get("t3.carried_over.total"):
            recv_cs = [by_ind["t3.new_received.total"][0], by_ind["t3.carried_over.total"][0]]
            bound = sum(upper(x) for x in recv_cs)
        else:
            continue
        ok = lower(done) <= bound + 1e-6
        msg = (
            f"办结 {_q(done)} does not exceed the applications to handle ({_num(bound)})"
            if ok
            else f"办结 {_q(done)} is more than the applications to handle, {' + '.join(_q(x) for x in recv_cs)} = {_num(bound)}"
        )
        out.append(
            _finding(
                "narrative_narrative.resolved_le_received",
                ok,
                msg,
                f"<= {_num(bound)}",
                _num(done.value),
                recv_cs + [done],
                "applications answered cannot exceed those received this year plus those carried over",
            )
        )
    return out


def check_enumerations(claims: list[Claim]) -> list[Finding]:
    out: list[Finding] = []
    for c in claims:
        r = c.relation or {}
        if r.get("type") != "enumeration" or c.approx != "eq":
            continue
        items = r.get("items")
        n = len(items) if isinstance(items, list) else items if isinstance(items, int) else r.get("n_items")
        if not isinstance(n, int) and isinstance(r.get("item_spans"), list):
            n = len(r["item_spans"])
        if not isinstance(n, int) or isinstance(n, bool):
            continue
        ok = n == int(c.value)
        msg = f"{_q(c)} is followed by {n} named items" + ("" if ok else f", not {_num(c.value)}")
        out.append(_finding("narrative_narrative.enumeration", ok, msg, _num(c.value), n, [c], "an enumeration names as many items as it counts"))
    return out


def check_narrative(claims: list[Claim], start_index: int = 0, text: str | None = None) -> list[Finding]:
    """All narrative-vs-narrative findings, numbered from ``start_index + 1``.  ``text`` (the
    document's normalized text) lets the rules read each claim's own words."""
    out = check_restated(claims, text) + check_parts(claims) + check_resolved_le_received(claims, text) + check_enumerations(claims)
    for i, f in enumerate(out, start_index + 1):
        f.id = f"f{i}"
    return out
