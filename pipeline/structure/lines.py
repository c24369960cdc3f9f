"""Tables from layouts without cell markup: PDF text layers and crawler text dumps.

Neither layout marks cell boundaries.  A PDF text layer prints one table row per line,
values separated by spaces, but wraps labels onto the lines above and below the values
and breaks vertical labels one character per line; page footers (``- 3 -``) fall between
rows.  A crawler dump prints the whole report on one line, values sometimes spaced and
sometimes run together (``规范性文件1077`` = 10 / 7 / 7).

The reader works on *value groups*: maximal runs of number tokens separated only by
spaces (never by a line break).  Per table:

- t2: each row label (keywords in indicators.yaml) directly followed by a value group;
  the template version (from the header texts) gives the columns and their value types.
- t3: the value groups after the first row label, in order.  When their number equals a
  template's row count they map by position (labels in a PDF may sit above or below the
  values); otherwise each group maps by the label printed before it.
- t4: the first group holding at least 15 digits after the table's header.

Run-together groups are split by :mod:`pipeline.structure.digits`; the table's strict
identities from indicators.yaml (row totals, the balance per column, the result sums,
t4 block totals) pick among the splits.  A cell whose value differs between splits
that fit equally well is marked ``uncertain`` and carries the other values in
``alternatives``.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pipeline.data import derived_by_id, indicators, load_yaml
from pipeline.model import Cell, Document, Section, Table
from pipeline.structure.digits import Part, Token, digit_count, plausibility, split_candidates
from pipeline.structure.tables import T3_COLS, _version_markers, match_t3_row, norm_label, t2_cells, t2_row_keywords, t4_order
from pipeline.structure.values import parse_value

_UNITS = "万元|元|笔|个|件|项|条|宗|起"
_NUMTOK = re.compile(rf"[+\-]?\d[\d.+\-]*(?:{_UNITS})?")
_UNIT_TAIL = re.compile(rf"(?:{_UNITS})$")
_PAGE_NO = re.compile(r"(?m)^[ \t\u3000\u00a0]*[-—–－]+[ \t\u3000\u00a0]*\d{1,4}[ \t\u3000\u00a0]*[-—–－]+[ \t\u3000\u00a0]*$")
_SPACES = re.compile(r"[ \t\u3000\u00a0]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_GROUP_MARK = re.compile(r"[（(]([一二三四五六七])[）)]")
_PAREN_TAIL = re.compile(r"[ \t\u3000\u00a0]*(?:[（(][^）)\n]{0,40}[）)])?[ \t\u3000\u00a0]*")
MAX_COMBOS = 5000


@dataclass
class Group:
    """A run of number tokens on one line, with the text printed before it."""

    tokens: list[Token]
    start: int
    end: int
    before: str = ""  # text between the previous group (or the region start) and this one
    line_before: str = ""  # the part of ``before`` on the group's own line


@dataclass
class RowPlan:
    """Candidate splits of one printed row into its cells."""

    ids: list[str]
    kinds: list[str]
    group: Group
    candidates: list[list[Part]] = field(default_factory=list)
    n_split: int = 0  # candidates before the identities filtered them
    prior: tuple[tuple[str, str, float], ...] = ()  # (rule, cell id, parameter) from splits.yaml
    gap: bool = False  # one cell was not printed at all; where it was is a guess
    values_cache: dict[int, dict[str, float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.n_split = len(self.candidates)


# ---------------------------------------------------------------- scanning


def _mask_page_numbers(s: str) -> str:
    return _PAGE_NO.sub(lambda m: " " * len(m.group(0)), s)


def scan_groups(text: str, start: int, end: int) -> list[Group]:
    """Value groups in ``text[start:end]`` (offsets are absolute)."""
    region = _mask_page_numbers(text[start:end])
    toks: list[Token] = []
    for m in _NUMTOK.finditer(region):
        raw = m.group(0)
        ut = _UNIT_TAIL.search(raw)
        unit = ut.group(0) if ut else ""
        body = raw[: len(raw) - len(unit)]
        nxt = region[m.end() : m.end() + 1]
        ordinal = False
        if not unit and body.endswith((".", "．")):
            body = body[:-1]
            ordinal = True
        elif not unit and nxt in ("、", "．"):
            ordinal = True
        body = body.rstrip("+-.")
        if ordinal:
            # a row label's ordinal (1. / 2、) glued to the previous row's values
            body = body[:-1]
            unit = ""
        if not body or not any(ch.isdigit() for ch in body):
            continue
        a = start + m.start()
        toks.append(Token(body + unit, a, a + len(body) + len(unit)))
    groups: list[Group] = []
    prev_end = start
    for tok in toks:
        if groups and _SPACES.fullmatch(text[groups[-1].end : tok.start]):
            g = groups[-1]
            g.tokens.append(tok)
            g.end = tok.end
            continue
        before = text[prev_end : tok.start]
        groups.append(Group([tok], tok.start, tok.end, before, before.rsplit("\n", 1)[-1]))
        prev_end = tok.end
    # a group's ``before`` must end at the previous group, not the previous token
    for i in range(1, len(groups)):
        b = text[groups[i - 1].end : groups[i].start]
        groups[i].before = b
        groups[i].line_before = b.rsplit("\n", 1)[-1]
    return groups


# ---------------------------------------------------------------- identities over candidate values


@lru_cache(maxsize=8)
def _identities(table: str, template: str | None) -> list[tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...], set[str], str]]:
    from pipeline.reconcile.identities import parse_formula

    out = []
    for ident in indicators()["identities"]:
        # strict identities, and the soft ones (<=) that hold for almost every report
        if ident.get("kind") != "within_report" or ident.get("strictness", "strict") not in ("strict", "soft"):
            continue
        if template and template not in ident["versions"]:
            continue
        f = parse_formula(ident["formula"])
        if f.op not in ("==", "<="):
            continue
        ids = [t.id for t in f.lhs + f.rhs]
        if not all(i.startswith(table + ".") for i in ids):
            continue
        lhs = tuple((t.sign, t.id) for t in f.lhs)
        rhs = tuple((t.sign, t.id) for t in f.rhs)
        out.append((lhs, rhs, _leaf_ids(ids), f.op))
    return out


def _leaf_ids(ids: list[str]) -> set[str]:
    from pipeline.reconcile.identities import parse_formula

    derived = derived_by_id()
    out: set[str] = set()
    for i in ids:
        if i in derived:
            out |= _leaf_ids([t.id for t in parse_formula(derived[i]["formula"]).lhs])
        else:
            out.add(i)
    return out


def _value(ident: str, values: dict[str, float], depth: int = 0) -> float | None:
    if ident in values:
        return values[ident]
    spec = derived_by_id().get(ident)
    if spec is None or depth > 3:
        return None
    from pipeline.reconcile.identities import parse_formula

    total = 0.0
    for t in parse_formula(spec["formula"]).lhs:
        v = _value(t.id, values, depth + 1)
        if v is None:
            return None
        total += t.sign * v
    return total


def _side(terms: tuple[tuple[int, str], ...], values: dict[str, float]) -> float | None:
    total = 0.0
    for sign, ident in terms:
        v = _value(ident, values)
        if v is None:
            return None
        total += sign * v
    return total


def count_failures(values: dict[str, float], idents: list[Any], only: set[str] | None = None) -> int:
    """Identities that fail over ``values`` (identities with an unknown operand are skipped)."""
    bad = 0
    for lhs, rhs, leaves, op in idents:
        if only is not None and not (leaves & only):
            continue
        lv = _side(lhs, values)
        rv = _side(rhs, values)
        if lv is None or rv is None:
            continue
        if (op == "==" and abs(lv - rv) > 1e-6) or (op == "<=" and lv > rv + 1e-6):
            bad += 1
    return bad


def _num(p: Part) -> float:
    if p.kind == "blank":
        return 0.0  # a blank cell counts as 0 (docs/report-format.md §9.1)
    try:
        return float(p.number())
    except ValueError:
        return float("nan")


def _plan_values(plan: RowPlan, cand: list[Part]) -> dict[str, float]:
    key = id(cand)
    got = plan.values_cache.get(key)
    if got is None:
        got = plan.values_cache[key] = {cid: _num(p) for cid, p in zip(plan.ids, cand, strict=True)}
    return got


# ---------------------------------------------------------------- resolving splits


@lru_cache(maxsize=1)
def _split_priors() -> dict[str, Any]:
    return load_yaml("splits.yaml")


def _priors_for(ids: list[str]) -> tuple[tuple[str, str, float], ...]:
    pri = _split_priors()
    out: list[tuple[str, str, float]] = []
    for stock, flows in pri.get("stock_columns", {}).items():
        if stock in ids:
            out += [("stock", f"{stock}|{f}", 0.0) for f in flows if f in ids]
    for amount, spec in pri.get("amount_per_count", {}).items():
        if amount in ids and spec["count"] in ids:
            out.append(("per_count", f"{amount}|{spec['count']}", float(spec["typical_yuan"])))
    return tuple(out)


def _yuan(p: Part) -> float:
    v = _num(p)
    return v * 10000 if p.unit == "万元" else v


def _rank(plan: RowPlan, cand: list[Part]) -> tuple[Any, ...]:
    """Table priors (splits.yaml) first, then the generic plausibility of the digits."""
    by_id = dict(zip(plan.ids, cand, strict=True))
    violations = 0
    dev = 0.0
    for rule, pair, param in plan.prior:
        a, b = pair.split("|")
        if rule == "stock" and _num(by_id[a]) < _num(by_id[b]):
            violations += 1
        elif rule == "per_count":
            n = _num(by_id[b])
            amount = _yuan(by_id[a])
            dev += abs(math.log10(amount / n / param)) if n > 0 and amount > 0 else 99.0
    spread, lead = plausibility(cand)
    w = float(_split_priors().get("unsigned_change_nonzero", 0.0))
    spread += sum(w for p in cand if p.kind == "signed" and p.body != "0" and not p.body.startswith(("+", "-")))
    return (violations, round(dev, 6), round(spread, 6), lead)


def resolve(plans: list[RowPlan], idents: list[Any]) -> list[tuple[list[Part], dict[str, list[float]]]]:
    """Pick one candidate per row; return it with the other values each cell could take."""
    # 1. per-row filter: identities that involve only this row's cells
    for plan in plans:
        if len(plan.candidates) <= 1:
            continue
        own = set(plan.ids)
        row_idents = [i for i in idents if i[2] <= own]
        if not row_idents:
            continue
        ok = [c for c in plan.candidates if count_failures(_plan_values(plan, c), row_idents) == 0]
        if ok:
            plan.candidates = ok
    for plan in plans:
        plan.candidates.sort(key=lambda c, plan=plan: _rank(plan, c))
    base: dict[str, float] = {}
    for plan in plans:
        if plan.candidates:
            base.update(_plan_values(plan, plan.candidates[0]))
    amb = [k for k, p in enumerate(plans) if len(p.candidates) > 1]
    choice = {k: [0] for k in range(len(plans))}
    n_combos = 1
    for k in amb:
        n_combos *= len(plans[k].candidates)
    if amb and n_combos <= MAX_COMBOS:
        touched = {cid for k in amb for cid in plans[k].ids}
        scored: list[tuple[int, tuple[Any, ...], tuple[int, ...]]] = []
        for combo in itertools.product(*(range(len(plans[k].candidates)) for k in amb)):
            vals = dict(base)
            for k, ci in zip(amb, combo, strict=True):
                vals.update(_plan_values(plans[k], plans[k].candidates[ci]))
            fails = count_failures(vals, idents, touched)
            scored.append((fails, tuple(_rank(plans[k], plans[k].candidates[ci]) for k, ci in zip(amb, combo, strict=True)), combo))
        best = min(s[0] for s in scored)
        tied = sorted((s for s in scored if s[0] == best), key=lambda s: s[1])
        for j, k in enumerate(amb):
            choice[k] = [s[2][j] for s in tied]
    elif amb:
        for k in amb:
            choice[k] = list(range(len(plans[k].candidates)))
    out: list[tuple[list[Part], dict[str, list[float]]]] = []
    for k, plan in enumerate(plans):
        if not plan.candidates:
            out.append(([], {}))
            continue
        picks = choice[k]
        chosen = plan.candidates[picks[0]]
        alts: dict[str, list[float]] = {}
        for ci in dict.fromkeys(picks[1:]):
            for cid, p, q in zip(plan.ids, plan.candidates[ci], chosen, strict=True):
                if _num(p) != _num(q):
                    alts.setdefault(cid, [])
                    if _num(p) not in alts[cid]:
                        alts[cid].append(_num(p))
        out.append((chosen, alts))
    return out


def _cell(cid: str, part: Part, value_type: str, alts: list[float], header_unit: str | None = None, unsure: bool = False) -> Cell:
    raw = part.text
    parse_raw = raw
    if value_type == "decimal_nonneg" and part.unit is None and header_unit == "元":
        parse_raw = raw + "元"
    pv = parse_value(parse_raw, value_type, header_unit if header_unit != "元" else None)
    prov = pv.provenance
    alternatives: list[float | int] = []
    if alts or unsure:
        prov = "uncertain"
        for a in alts:
            if value_type == "decimal_nonneg":
                alt = parse_value(_fmt(a) + (part.unit or ("元" if header_unit == "元" else "")), value_type).value
            else:
                alt = int(a) if float(a).is_integer() else a
            if alt is not None and alt not in alternatives:
                alternatives.append(alt)
    start, end = (None, None) if part.kind == "blank" else (part.start, part.end)
    return Cell(id=cid, value=pv.value, raw=raw, start=start, end=end, provenance=prov, unit=pv.unit, alternatives=alternatives)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _unsplittable(plan: RowPlan, table: Table, what: str) -> None:
    raw = " ".join(t.text for t in plan.group.tokens)
    table.notes.append(f"{what}: '{raw}' ({digit_count(plan.group.tokens)} digits) cannot be read as {len(plan.ids)} cells; left unparsed")
    for cid in plan.ids:
        table.cells.append(Cell(id=cid, value=None, raw=raw, start=plan.group.start, end=plan.group.end, provenance="unparsed"))


def _emit(plans: list[RowPlan], table: Table, idents: list[Any], vtypes: dict[str, str] | None = None, units: dict[str, str | None] | None = None) -> None:
    for plan, (chosen, alts) in zip(plans, resolve(plans, idents), strict=True):
        if not chosen:
            _unsplittable(plan, table, plan.ids[0].rsplit(".", 1)[0])
            continue
        if plan.n_split > 1 and not plan.gap:
            n = plan.n_split
            what = f"the only one of {n} splits that fits the identities" if not alts else f"{n} splits, several fit equally; cells marked uncertain"
            raw = " ".join(t.text for t in plan.group.tokens)
            table.notes.append(f"{plan.ids[0].rsplit('.', 1)[0]}: '{raw}' read as {'/'.join(p.text for p in chosen)} ({what})")
        if plan.gap:
            raw = " ".join(t.text for t in plan.group.tokens)
            table.notes.append(
                f"{plan.ids[0].rsplit('.', 1)[0]}: '{raw}' prints one value too few; the missing cell's position is a guess, all cells marked uncertain"
            )
        for cid, p in zip(plan.ids, chosen, strict=True):
            vt = (vtypes or {}).get(cid, "int_nonneg")
            table.cells.append(_cell(cid, p, vt, alts.get(cid, []), (units or {}).get(cid), unsure=plan.gap))


def row_candidates(tokens: list[Token], kinds: list[str]) -> tuple[list[list[Part]], bool]:
    """Splits of a printed row into ``len(kinds)`` cells; the flag says a cell had to be left blank.

    When the row prints exactly one digit too few for its cells (an empty cell the dump
    dropped, e.g. ``0 00000`` for 7 columns), every position of the missing cell is a
    candidate; the identities and the uncertainty marks then apply as usual.
    """
    cands = split_candidates(tokens, kinds)
    if cands or digit_count(tokens) != len(kinds) - 1 or len(tokens) > len(kinds) - 1:
        return cands, False
    out: list[list[Part]] = []
    at = tokens[0].start
    for k in range(len(kinds)):
        for sub in split_candidates(tokens, kinds[:k] + kinds[k + 1 :]):
            out.append([*sub[:k], Part("", at, at, "blank", True), *sub[k:]])
    return out, bool(out)


# ---------------------------------------------------------------- regions


def _section(sections: list[Section], key: str) -> Section | None:
    return next((s for s in sections if s.key == key), None)


def _regions(doc: Document, sections: list[Section]) -> dict[str, tuple[int, int]]:
    text = doc.text
    s2, s3, s4, s5 = (_section(sections, k) for k in ("s2", "s3", "s4", "s5"))
    t2a = text.find("第二十条", s2.body_start if s2 else 0)
    t3a = text.find("本年新收", s3.body_start if s3 else max(t2a, 0))
    if t3a < 0:
        t3a = s3.body_start if s3 else -1
    t4a = s4.start if s4 else -1
    if t4a < 0 and t3a >= 0:
        cf = text.find("结转下年度", t3a)
        t4a = text.find("行政复议", cf) if cf >= 0 else -1
        if t4a >= 0:
            t4a = max(text.rfind("\n", 0, t4a), cf + 5)
    out: dict[str, tuple[int, int]] = {}
    if t2a >= 0:
        end = s3.start if s3 and s3.start > t2a else (t3a if t3a > t2a else len(text))
        out["t2"] = (t2a, end)
    if t3a >= 0:
        out["t3"] = (t3a, t4a if t4a > t3a else len(text))
    if t4a >= 0:
        end = s5.start if s5 and s5.start > t4a else min(len(text), t4a + 3000)
        out["t4"] = (t4a, end)
    return out


# ---------------------------------------------------------------- table 二


def _t2_version(region: str) -> str | None:
    norm = norm_label(region)
    votes = {v: sum(1 for m in marks if m in norm) for v, marks in _version_markers().items()}
    best = max(votes.items(), key=lambda kv: kv[1])
    return best[0] if best[1] > 0 else None


def _t2_columns(row_key: str, version: str) -> list[dict[str, Any]]:
    cells = [c for c in t2_cells() if c["row_key"] == row_key and version in c["versions"]]
    return sorted(cells, key=lambda c: int(c.get("col_index_by_version", {}).get(version, c["col_index"])))


_KIND = {"int_nonneg": "int", "int_signed": "signed", "decimal_nonneg": "money"}


def _header_unit(header: str) -> str | None:
    h = norm_label(header)
    if "万元" in h:
        return "万元"
    if re.search(r"[（(](?:单位[：:])?元[）)]", h):
        return "元"
    return None


def t2_table(doc: Document, start: int, end: int) -> Table | None:
    text = doc.text
    version = _t2_version(text[start:end])
    if version is None:
        return None
    groups = scan_groups(text, start, end)
    by_start = {g.start: g for g in groups}
    plans: list[RowPlan] = []
    vtypes: dict[str, str] = {}
    units: dict[str, str | None] = {}
    used: set[int] = set()
    for row_key, kws in t2_row_keywords().items():
        cols = _t2_columns(row_key, version)
        if not cols:
            continue
        found: Group | None = None
        for kw in sorted(kws, key=len, reverse=True):
            for m in re.finditer(re.escape(kw), text[start:end]):
                after = start + m.end()
                gap = _PAREN_TAIL.match(text, after)
                pos = gap.end() if gap else after
                g = by_start.get(pos)
                if g is not None and g.start not in used:
                    found = g
                    break
            if found:
                break
        if found is None:
            continue
        used.add(found.start)
        block_head = text.rfind("第二十条", start, found.start)
        hu = _header_unit(text[block_head : found.start]) if block_head >= 0 else None
        ids = [c["id"] for c in cols]
        kinds = [_KIND.get(c.get("value_type", "int_nonneg"), "int") for c in cols]
        for c in cols:
            vtypes[c["id"]] = c.get("value_type", "int_nonneg")
            units[c["id"]] = hu
        plans.append(RowPlan(ids, kinds, found, split_candidates(found.tokens, kinds), prior=_priors_for(ids)))
    if not plans:
        return None
    table = Table(key="t2", template=version, start=start, end=end)
    _emit(plans, table, _identities("t2", version), vtypes, units)
    for c in table.cells:
        if c.value is not None and c.unit is None and vtypes.get(c.id) == "decimal_nonneg":
            spec = next((s for s in t2_cells() if s["id"] == c.id), {})
            if spec.get("unit") == "unspecified":
                table.notes.append(f"{c.id}: no unit printed (unit_unknown)")
    table.start, table.end = _cells_span(table, start, end)
    return table


def _cells_span(table: Table, start: int, end: int) -> tuple[int, int]:
    s = [c.start for c in table.cells if c.start is not None]
    e = [c.end for c in table.cells if c.end is not None]
    return (min(s) if s else start, max(e) if e else end)


# ---------------------------------------------------------------- table 三


@lru_cache(maxsize=1)
def _t3_row_lists() -> dict[str, list[str]]:
    rows = indicators()["tables"]["t3"]["rows"]
    return {"v2019": list(rows["v2019"]), "v2021": list(rows["v2021"])}


def _label_key(label: str, allowed: list[str]) -> str | None:
    lab = norm_label(label)
    if len(_CJK.findall(lab)) < 2:
        return None
    marks = _GROUP_MARK.findall(lab)
    group = marks[-1] if marks else None
    # the leaf is the text after the last group mark or ordinal
    key = match_t3_row(lab, group if group in ("三", "四", "五", "六") else None, allowed)
    return key if key in allowed else None


def t3_table(doc: Document, start: int, end: int) -> Table | None:
    text = doc.text
    groups = [g for g in scan_groups(text, start, end) if digit_count(g.tokens) >= 1]
    if not groups:
        return None
    lists = _t3_row_lists()
    table = Table(key="t3", template=None, start=start, end=end)
    assigned: list[tuple[str, Group]] = []
    by_order: list[str] | None = None
    if len(groups) == len(lists["v2021"]):
        by_order = lists["v2021"]
    elif len(groups) == len(lists["v2019"]):
        by_order = lists["v2019"]
    if by_order is not None:
        mismatch = 0
        for key, g in zip(by_order, groups, strict=True):
            lab = _label_key(g.line_before, by_order)
            if lab is not None and lab != key:
                mismatch += 1
        if mismatch == 0:
            assigned = list(zip(by_order, groups, strict=True))
        else:
            table.notes.append(f"{mismatch} row label(s) disagree with the template order; rows mapped by label")
    if not assigned:
        allowed = list(dict.fromkeys(lists["v2021"] + lists["v2019"]))
        group_ctx: str | None = None
        seen: set[str] = set()
        for g in groups:
            marks = _GROUP_MARK.findall(norm_label(g.before))
            if marks:
                group_ctx = marks[-1]
            lab = norm_label(g.before)
            key = match_t3_row(lab, group_ctx if group_ctx in ("三", "四", "五", "六") else None, allowed)
            if key is None or key in seen:
                table.extras.append({"label": lab[-40:], "values": [t.text for t in g.tokens]})
                continue
            seen.add(key)
            assigned.append((key, g))
    keys = {k for k, _ in assigned}
    if keys & {"other_no_correction", "other_unpaid_fee", "other_misc"}:
        table.template = "v2021"
    elif "other_handling" in keys:
        table.template = "v2019"
    plans = []
    for k, g in assigned:
        cands, gap = row_candidates(g.tokens, ["int"] * 7)
        plans.append(RowPlan([f"t3.{k}.{c}" for c in T3_COLS], ["int"] * 7, g, cands, gap=gap))
    if not plans:
        return None
    _emit(plans, table, _identities("t3", table.template))
    table.start, table.end = _cells_span(table, start, end)
    return table


# ---------------------------------------------------------------- table 四


def t4_table(doc: Document, start: int, end: int) -> Table | None:
    text = doc.text
    order = t4_order()
    # values follow the header; skip the heading line itself
    hdr = max(text.rfind("总计", start, end), text.rfind("审结", start, end), text.rfind("总 计", start, end))
    first = hdr if hdr >= 0 else start
    group = next((g for g in scan_groups(text, first, end) if digit_count(g.tokens) >= len(order)), None)
    if group is None:
        group = next((g for g in scan_groups(text, start, end) if digit_count(g.tokens) >= len(order)), None)
    if group is None:
        return None
    table = Table(key="t4", template=None, start=group.start, end=group.end)
    cands, gap = row_candidates(group.tokens, ["int"] * len(order))
    plan = RowPlan(list(order), ["int"] * len(order), group, cands, gap=gap)
    _emit([plan], table, _identities("t4", None))
    return table


# ---------------------------------------------------------------- entry point


def line_tables(doc: Document, sections: list[Section]) -> list[Table]:
    """Tables 二/三/四 read from text lines (PDF text layer, crawler dumps)."""
    regions = _regions(doc, sections)
    out: list[Table] = []
    for key, fn in (("t2", t2_table), ("t3", t3_table), ("t4", t4_table)):
        if key not in regions:
            continue
        a, b = regions[key]
        t = fn(doc, a, b)
        if t is not None and t.cells:
            out.append(t)
    return out
