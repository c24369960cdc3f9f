"""The tables' own arithmetic (勾稽关系): every identity in indicators.yaml as a finding.

Formulas are read from the YAML (``a + b == c + d``, ``<=``, ``~=``, ``id[N]`` and
``id[N-1]`` for cross-year rules); nothing here restates them.  Blank cells count as 0
(docs/report-format.md §9.1) and are flagged, so a check that passes or fails only
because a blank was read as 0 is told apart (``blank_as_zero`` / ``blank_suspect``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    cells: list[tuple[Cell, int]]  # cells read and the year offset they came from
    blank: bool  # a blank cell was read as 0


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

    def look(ident: str, rel: int, depth: int = 0) -> Operand | None:
        if depth:
            return _look(ident, rel, depth)
        answers = seen.get(rel)
        if answers is None:
            answers = seen[rel] = {}
        op = answers.get(ident, _UNSEEN)
        if op is _UNSEEN:
            op = answers[ident] = _look(ident, rel, 0)
        return op  # type: ignore[return-value]

    def _look(ident: str, rel: int, depth: int) -> Operand | None:
        cell = maps.get(rel, no_cells).get(ident)
        if cell is not None:
            if cell.provenance == "unparsed" or (cell.value is None and cell.provenance not in ("blank", "na")):
                return None
            return Operand(float(cell.value or 0), [(cell, rel)], cell.provenance == "blank")
        spec = derived.get(ident)
        if spec is None or depth > 3:
            return None
        f = parse_formula(spec["formula"])
        total, used, blank = 0.0, [], False
        for t in f.lhs:
            op = look(t.id, rel, depth + 1)
            if op is None:
                return None
            total += t.sign * op.value
            used += op.cells
            blank |= op.blank
        return Operand(total, used, blank)

    return look


def _side(terms: tuple[Term, ...], look: Lookup) -> tuple[Operand | None, list[str]]:
    total, used, blank, missing = 0.0, [], False, []
    for t in terms:
        op = look(t.id, t.rel)
        if op is None:
            missing.append(t.id + ("[N-1]" if t.rel else ""))
            continue
        total += t.sign * op.value
        used += op.cells
        blank |= op.blank
    if missing:
        return None, missing
    return Operand(total, used, blank), []


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


def _cell_evidence(c: Cell, rel: int) -> Evidence:
    # Evidence(kind, ref, start, end), positional: keywords would cost a dict per cell
    return Evidence("cell", c.id + "[N-1]", None, None) if rel else Evidence("cell", c.id, c.start, c.end)


def evaluate(ident: dict[str, Any], look: Lookup, fid: str, ev_cache: dict[tuple[str, int], Evidence] | None = None) -> Finding:
    """One identity as a finding.  ``ev_cache`` (one per lookup, i.e. per document) lets findings
    that read the same cell share its Evidence; nothing changes evidence once made."""
    f = parse_formula(ident["formula"])
    strict = ident.get("strictness", "strict")
    lhs, miss_l = _side(f.lhs, look)
    rhs, miss_r = _side(f.rhs, look)
    rule = f"identity.{ident['id']}"
    family = "cross_year" if ident.get("kind") == "cross_year" else "identity"
    if lhs is None or rhs is None:
        missing = miss_l + miss_r
        # Finding(id, rule, status, severity, message, expected, observed, evidence, family, flags,
        # confidence, explanation), positional: keywords would cost a dict per finding
        return Finding(
            fid,
            rule,
            "not_assessable",
            "info",
            f"{ident['id']}: not assessable, no readable value for {', '.join(missing[:4])}",
            None,
            None,
            [],
            family,
            [],
            1.0,
            ident.get("note", ""),
        )
    lv, rv = lhs.value, rhs.value
    if f.op == "==":
        ok = abs(lv - rv) < EPS
    elif f.op == "<=":
        ok = lv <= rv + EPS
    else:  # ~= approximate
        ok = abs(lv - rv) < EPS
    flags: list[str] = []
    blank = lhs.blank or rhs.blank
    status = "pass" if ok else "fail"
    severity = SEVERITY.get(strict, "warning")
    if blank:
        flags.append("blank_as_zero")
        if not ok and _blank_could_close(f, look, lv - rv):
            status = "uncertain"
            flags.append("blank_suspect")
            severity = "warning"
    cells = lhs.cells + rhs.cells
    if not ok and any(c.provenance == "uncertain" for c, _ in cells):
        # a cell read from a run-together digit string that admits several splits
        flags.append("uncertain_cell")
        if status == "fail":
            status = "uncertain"
            severity = "warning"
    if f.op == "~=":
        flags.append("approximate")
    lexpr, rexpr, sym = _expressions(ident["formula"])
    observed, expected = _num(lv), _num(rv)
    if ok:
        msg = f"{ident['id']}: {lexpr} = {observed} {sym} {rexpr} = {expected}"
    else:
        delta = _num(lv - rv)
        msg = f"{ident['id']}: {lexpr} = {observed}, but {rexpr} = {expected} (difference {delta:+})"
        if "blank_suspect" in flags:
            msg += "; a blank cell read as 0 may be the cause"
        if "uncertain_cell" in flags:
            msg += "; a cell involved was split from run-together digits and has other possible readings"
    if ev_cache is None:
        evidence = [_cell_evidence(c, rel) for c, rel in cells]
    else:
        evidence = []
        for c, rel in cells:
            key = (c.id, rel)
            ev = ev_cache.get(key)
            if ev is None:
                ev = ev_cache[key] = _cell_evidence(c, rel)
            evidence.append(ev)
    return Finding(fid, rule, status, severity if status != "pass" else "info", msg, expected, observed, evidence, family, flags, 1.0, ident.get("note", ""))


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
    for k in _table_keys(ident["formula"]):
        t = tables.get(k)
        if t is None:
            return False
        if t.template and t.template in ("v2019", "v2021") and t.template not in ident["versions"]:
            return False
    return True


def check_identities(tables: list[Table], start_index: int = 0) -> list[Finding]:
    """Every within-report identity that applies to the tables found."""
    by_key = {t.key: t for t in tables}
    look = table_lookup({0: tables})
    ev_cache: dict[tuple[str, int], Evidence] = {}
    findings: list[Finding] = []
    for ident in indicators()["identities"]:
        if ident.get("kind") != "within_report" or not _applies(ident, by_key):
            continue
        findings.append(evaluate(ident, look, f"f{start_index + len(findings) + 1}", ev_cache))
    return findings


def check_cross_year(prev: list[Table], cur: list[Table], start_index: int = 0) -> list[Finding]:
    """Cross-year identities of one body: year N's tables against year N-1's."""
    by_key = {t.key: t for t in cur}
    prev_key = {t.key: t for t in prev}
    look = table_lookup({0: cur, -1: prev})
    ev_cache: dict[tuple[str, int], Evidence] = {}
    findings: list[Finding] = []
    for ident in indicators()["identities"]:
        if ident.get("kind") != "cross_year":
            continue
        if not _applies(ident, by_key) or not _applies(ident, prev_key):
            continue
        findings.append(evaluate(ident, look, f"x{start_index + len(findings) + 1}", ev_cache))
    return findings
