"""The tables' own arithmetic (勾稽关系): every identity in indicators.yaml as a finding.

Formulas are read from the YAML (``a + b == c + d``, ``<=``, ``~=``, ``id[N]`` and
``id[N-1]`` for cross-year rules); nothing here restates them.  Blank cells count as 0
(docs/report-format.md §9.1) and are flagged, so a check that passes or fails only
because a blank was read as 0 is told apart (``blank_as_zero`` / ``blank_suspect``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pipeline.data import cells_by_id, derived_by_id, indicators
from pipeline.model import Cell, Evidence, Finding, Table

_OP = re.compile(r"\s(==|<=|~=)\s")
_TERM = re.compile(r"([+-])?\s*([a-z0-9_.]+)(?:\[(N|N-1)\])?")
SEVERITY = {"strict": "error", "strict_expected": "warning", "soft": "warning", "approximate": "info"}
EPS = 1e-6


@dataclass(frozen=True)
class Term:
    sign: int
    id: str
    rel: int  # 0 = this year, -1 = previous year


@dataclass(frozen=True)
class Formula:
    lhs: tuple[Term, ...]
    op: str
    rhs: tuple[Term, ...]


@cache
def parse_formula(text: str) -> Formula:
    m = _OP.search(text)
    if not m:
        # derived formulas are plain sums
        return Formula(lhs=_terms(text), op="sum", rhs=())
    return Formula(lhs=_terms(text[: m.start()]), op=m.group(1), rhs=_terms(text[m.end() :]))


def _terms(expr: str) -> tuple[Term, ...]:
    out = []
    for sign, ident, rel in _TERM.findall(expr):
        out.append(Term(-1 if sign == "-" else 1, ident, -1 if rel == "N-1" else 0))
    return tuple(out)


@dataclass(slots=True)
class Operand:
    value: float
    # the Evidence of each cell read, made once per lookup: the findings that read a cell share
    # its Evidence (nothing changes evidence once made)
    evidence: tuple[Evidence, ...]
    blank: bool  # a blank cell was read as 0
    uncertain: bool  # a cell read was split from run-together digits (provenance uncertain)


Lookup = Callable[[str, int], "Operand | None"]
_UNSEEN = object()  # not looked up yet (None is a lookup's answer too)


def table_lookup(tables_by_rel: dict[int, list[Table]]) -> Lookup:
    """A lookup over this year's (rel 0) and optionally last year's (rel -1) tables."""
    maps = {rel: {c.id: c for t in ts for c in t.cells} for rel, ts in tables_by_rel.items()}
    derived = derived_by_id()
    # this document's top-level answers by year offset, then id (callers do not change them);
    # one dict per offset spares building and hashing an (id, rel) tuple per lookup
    seen: dict[int, dict[str, Operand | None]] = {}
    no_cells: dict[str, Cell] = {}

    def look(ident: str, rel: int) -> Operand | None:
        answers = seen.get(rel)
        if answers is None:
            answers = seen[rel] = {}
        op = answers.get(ident, _UNSEEN)
        if op is _UNSEEN:
            op = answers[ident] = _look(ident, rel, 0)
        return op  # type: ignore[return-value]

    def _look(ident: str, rel: int, depth: int) -> Operand | None:
        cells = maps.get(rel, no_cells)
        cell = cells.get(ident)
        if cell is not None:
            if cell.provenance == "unparsed" or (cell.value is None and cell.provenance not in ("blank", "na")):
                return None
            return Operand(float(cell.value or 0), (_cell_evidence(cell, rel),), cell.provenance == "blank", cell.provenance == "uncertain")
        spec = derived.get(ident)
        if spec is None or depth > 3:
            return None
        f = parse_formula(spec["formula"])
        total, evidence, blank, uncertain = 0.0, [], False, False
        for t in f.lhs:
            # a cell's answer is the same at any depth (so it comes from ``seen``); a derived
            # part's depends on the depth (the limit), so it is worked out afresh
            op = look(t.id, rel) if t.id in cells else _look(t.id, rel, depth + 1)
            if op is None:
                return None
            total += t.sign * op.value
            evidence += op.evidence
            blank |= op.blank
            uncertain |= op.uncertain
        return Operand(total, tuple(evidence), blank, uncertain)

    return look


def _num(x: float) -> int | float:
    return int(x) if abs(x - round(x)) < EPS else round(x, 6)


@lru_cache(maxsize=4096)
def label(cell_id: str) -> str:
    spec = cells_by_id().get(cell_id) or derived_by_id().get(cell_id)
    if spec is None:
        return cell_id
    if "row_label" in spec:
        return f"{spec['row_label']}/{spec.get('col_label', '')}"
    return spec.get("label", cell_id)


@lru_cache(maxsize=1024)
def _expressions(formula: str) -> tuple[str, str, str]:
    """The two sides of an identity as labels (at most three terms each) and its relation sign."""
    f = parse_formula(formula)
    lexpr = " + ".join(label(t.id) for t in f.lhs[:3]) + (" + …" if len(f.lhs) > 3 else "")
    rexpr = " + ".join(label(t.id) for t in f.rhs[:3]) + (" + …" if len(f.rhs) > 3 else "")
    return lexpr, rexpr, {"==": "=", "<=": "≤", "~=": "≈"}[f.op]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What evaluating one identity needs that depends on the identity alone, not on the tables."""

    ident: dict[str, Any]
    formula: Formula
    lhs: tuple[tuple[int, str, int], ...]  # (sign, id, rel) per term
    rhs: tuple[tuple[int, str, int], ...]
    rule: str
    family: str
    severity: str  # when the check does not pass (and no flag lowers it)
    note: str
    head: str  # "<id>: <lhs labels> = " (the messages of assessable findings start so)
    rexpr: str
    sym: str
    keys: tuple[str, ...]  # table keys read
    versions: Sequence[str]  # as in the YAML


def _make_plan(ident: dict[str, Any]) -> _Plan:
    f = parse_formula(ident["formula"])
    lexpr, rexpr, sym = _expressions(ident["formula"])
    return _Plan(
        ident,
        f,
        tuple((t.sign, t.id, t.rel) for t in f.lhs),
        tuple((t.sign, t.id, t.rel) for t in f.rhs),
        f"identity.{ident['id']}",
        "cross_year" if ident.get("kind") == "cross_year" else "identity",
        SEVERITY.get(ident.get("strictness", "strict"), "warning"),
        ident.get("note", ""),
        f"{ident['id']}: {lexpr} = ",
        rexpr,
        sym,
        _table_keys(ident["formula"]),
        ident["versions"],
    )


# (the identities list of indicators.yaml, its plans, plans chosen per table signature); the
# YAML data are loaded once and never changed, so a new list object is the only reason to rebuild
_PLANS: tuple[list[dict[str, Any]], tuple[_Plan, ...], dict[tuple[Any, ...], tuple[_Plan, ...]]] | None = None


def _plans() -> tuple[tuple[_Plan, ...], dict[tuple[Any, ...], tuple[_Plan, ...]]]:
    """Every identity's plan (in YAML order), and a memo of selections made from them."""
    global _PLANS
    idents = indicators()["identities"]
    if _PLANS is None or _PLANS[0] is not idents:
        _PLANS = (idents, tuple(_make_plan(x) for x in idents), {})
    return _PLANS[1], _PLANS[2]


def _selected(kind: str, *templates: dict[str, str | None]) -> tuple[_Plan, ...]:
    """The plans of ``kind`` that apply to every one of ``templates`` (table key -> template).

    Which identities apply depends only on the table keys and templates, so the answer is
    kept per (kind, keys and templates) — a handful of combinations, bounded anyway."""
    plans, memo = _plans()
    sig = (kind, *(tuple(t.items()) for t in templates))
    chosen = memo.get(sig)
    if chosen is None:
        if len(memo) >= 256:
            memo.clear()
        chosen = memo[sig] = tuple(p for p in plans if p.ident.get("kind") == kind and all(_applies_to(p.keys, p.versions, t) for t in templates))
    return chosen


def _cell_evidence(c: Cell, rel: int) -> Evidence:
    # Evidence(kind, ref, start, end), positional: keywords would cost a dict per cell
    return Evidence("cell", c.id + "[N-1]", None, None) if rel else Evidence("cell", c.id, c.start, c.end)


def evaluate(ident: dict[str, Any], look: Lookup, fid: str, shared_evidence: bool = False) -> Finding:
    """One identity as a finding.  With ``shared_evidence`` its evidence is the lookup's (shared
    with the other findings that read the same cells; nothing changes evidence once made),
    else made afresh."""
    return _evaluate(_make_plan(ident), look, fid, shared_evidence)


def _evaluate(p: _Plan, look: Lookup, fid: str, shared_evidence: bool) -> Finding:
    """:func:`evaluate` from the identity's plan."""
    # both sides summed in term order (as separate sides would be); the cells read, lhs first
    sums = [0.0, 0.0]  # lhs, rhs
    blank = uncertain = False
    evidence: list[Evidence] = []
    missing: list[str] = []
    for side, terms in enumerate((p.lhs, p.rhs)):
        for sign, ident, rel in terms:
            op = look(ident, rel)
            if op is None:
                missing.append(ident + "[N-1]" if rel else ident)
                continue
            sums[side] += sign * op.value
            evidence += op.evidence
            blank |= op.blank
            uncertain |= op.uncertain
    lv, rv = sums
    if missing:
        # Finding(id, rule, status, severity, message, expected, observed, evidence, family, flags,
        # confidence, explanation), positional: keywords would cost a dict per finding
        return Finding(
            fid,
            p.rule,
            "not_assessable",
            "info",
            f"{p.ident['id']}: not assessable, no readable value for {', '.join(missing[:4])}",
            None,
            None,
            [],
            p.family,
            [],
            1.0,
            p.note,
        )
    f = p.formula
    if f.op == "<=":
        ok = lv <= rv + EPS
    else:  # == and ~= (approximate) alike
        ok = abs(lv - rv) < EPS
    flags: list[str] = []
    status = "pass" if ok else "fail"
    severity = p.severity
    if blank:
        flags.append("blank_as_zero")
        if not ok and _blank_could_close(f, look, lv - rv):
            status = "uncertain"
            flags.append("blank_suspect")
            severity = "warning"
    if not ok and uncertain:
        # a cell read from a run-together digit string that admits several splits
        flags.append("uncertain_cell")
        if status == "fail":
            status = "uncertain"
            severity = "warning"
    if f.op == "~=":
        flags.append("approximate")
    observed, expected = _num(lv), _num(rv)
    if ok:
        msg = f"{p.head}{observed} {p.sym} {p.rexpr} = {expected}"
    else:
        delta = _num(lv - rv)
        msg = f"{p.head}{observed}, but {p.rexpr} = {expected} (difference {delta:+})"
        if "blank_suspect" in flags:
            msg += "; a blank cell read as 0 may be the cause"
        if "uncertain_cell" in flags:
            msg += "; a cell involved was split from run-together digits and has other possible readings"
    if not shared_evidence:
        evidence = [Evidence(e.kind, e.ref, e.start, e.end) for e in evidence]
    return Finding(fid, p.rule, status, severity if status != "pass" else "info", msg, expected, observed, evidence, p.family, flags, 1.0, p.note)


def _blank_could_close(f: Formula, look: Lookup, gap: float) -> bool:
    """True when a blank cell (read as 0), if it held a positive number, would narrow the gap.

    Only then does a failure come "only from a blank" (status uncertain, flag blank_suspect);
    a blank on the side that is already too large cannot explain the difference.
    """
    for side_sign, terms in ((1, f.lhs), (-1, f.rhs)):
        for t in terms:
            op = look(t.id, t.rel)
            if op is None or not op.blank:
                continue
            # raising this blank changes (lhs - rhs) by side_sign * t.sign
            if side_sign * t.sign * gap < 0:
                return True
    return False


@lru_cache(maxsize=1024)
def _table_keys(formula: str) -> tuple[str, ...]:
    """The table keys (t2, t3 …) a formula reads, in first-seen order."""
    f = parse_formula(formula)
    return tuple(dict.fromkeys(t.id.split(".", 1)[0] for t in f.lhs + f.rhs))


def _applies(ident: dict[str, Any], tables: dict[str, Table]) -> bool:
    return _applies_to(_table_keys(ident["formula"]), ident["versions"], {k: t.template for k, t in tables.items()})


def _applies_to(keys: tuple[str, ...], versions: Sequence[str], templates: dict[str, str | None]) -> bool:
    """Whether an identity reading tables ``keys`` (for template ``versions``) applies to tables
    with these keys and templates (key -> template)."""
    for k in keys:
        if k not in templates:
            return False
        template = templates[k]
        if template and template in ("v2019", "v2021") and template not in versions:
            return False
    return True


def check_identities(tables: list[Table], start_index: int = 0) -> list[Finding]:
    """Every within-report identity that applies to the tables found."""
    look = table_lookup({0: tables})
    plans = _selected("within_report", {t.key: t.template for t in tables})
    return [_evaluate(p, look, f"f{i}", True) for i, p in enumerate(plans, start_index + 1)]


def check_cross_year(prev: list[Table], cur: list[Table], start_index: int = 0) -> list[Finding]:
    """Cross-year identities of one body: year N's tables against year N-1's."""
    look = table_lookup({0: cur, -1: prev})
    plans = _selected("cross_year", {t.key: t.template for t in cur}, {t.key: t.template for t in prev})
    return [_evaluate(p, look, f"x{i}", True) for i, p in enumerate(plans, start_index + 1)]
