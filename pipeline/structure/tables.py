"""Map raw table grids to canonical cell ids (docs/report-format.md §10.3).

The same mapper serves every layout that yields rows of cells: the seed's flattened
DOCX text, HTML and DOCX grids, markdown pipe tables and PDF/crawler lines split
into cells.  Labels are matched on the keywords in indicators.yaml, then on
similarity, then on position, so label typos (其他法律行政止公开) still map.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from pipeline.data import indicators
from pipeline.model import Cell, RawCell, RawTable, Table
from pipeline.structure.values import is_valueish as _is_valueish
from pipeline.structure.values import parse_value

# cell texts repeat ("0", "", "1" ...): the value test is cached
is_valueish = lru_cache(maxsize=8192)(_is_valueish)

T3_COLS = ["natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total"]
T3_COLS_MERGED = ["natural_person", "org_subtotal", "total"]
_WS = re.compile(r"[\s\u00a0\u3000]+")
_BLOCK = re.compile(r"第二十条第[（(]([一二三四五六七八九十]+)[）)]项")
_GROUP = re.compile(r"^[（(]([一二三四五六七])[）)]")
_TOP = re.compile(r"^([一二三四])[、.．]")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def norm_label(s: str) -> str:
    """Whitespace removed, half-width brackets and commas made full-width, ``1、`` as ``1.``."""
    if not s:  # empty cells are common
        return ""
    if len(s) <= 48:  # cell and row labels repeat from report to report
        return _norm_label_cached(s)
    return _norm_label(s)


def _norm_label(s: str) -> str:
    s = _WS.sub("", s or "")
    s = s.replace("(", "（").replace(")", "）").replace(",", "，").replace("“", '"').replace("”", '"')
    return re.sub(r"^(\d)[、．]", r"\1.", s)


_norm_label_cached = lru_cache(maxsize=4096)(_norm_label)


@dataclass
class RowSpec:
    key: str
    label: str
    keywords: list[str]
    group: str | None  # 三 四 五 六 for rows under a group label
    versions: set[str] = field(default_factory=set)


@lru_cache(maxsize=1)
def t3_rows() -> dict[str, RowSpec]:
    rows: dict[str, RowSpec] = {}
    for c in indicators()["cells"]:
        if c["table"] != "t3":
            continue
        key = c["row_key"]
        if key not in rows:
            path = c.get("row_label_path", c["row_label"]).split(" / ")
            group = None
            if len(path) == 3:
                m = _GROUP.match(path[1])
                group = m.group(1) if m else None
            rows[key] = RowSpec(key, norm_label(c["row_label"]), list(c["match_keywords"]), group)
        rows[key].versions.update(c["versions"])
    return rows


@lru_cache(maxsize=1)
def t2_cells() -> list[dict[str, Any]]:
    return [c for c in indicators()["cells"] if c["table"] == "t2"]


@lru_cache(maxsize=1)
def t2_row_keywords() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in t2_cells():
        out.setdefault(c["row_key"], list(c["match_keywords"]))
    return out


@lru_cache(maxsize=1)
def _version_markers() -> dict[str, list[str]]:
    tv = indicators()["template_versions"]
    return {v: [norm_label(m) for m in tv[v]["markers"] if "国办" not in m] for v in ("v2019", "v2021")}


def classify(raw: RawTable) -> str | None:
    """Which table (t2/t3/t4) a raw grid is, from its labels."""
    text = "".join(c.text for row in raw.rows for c in row)
    # _WS.sub("", text): every character _WS matches is one str.split() splits on (str.isspace)
    text = "".join(text.split())
    if "本年新收" in text or "申请人情况" in text or "上年结转" in text or "予以公开" in text:
        return "t3"
    if "第二十条" in text or "信息内容" in text or "行政许可" in text or "规范性文件" in text:
        return "t2"
    if ("行政复议" in text and "行政诉讼" in text) or "结果维持" in text or "复议后起诉" in text:
        return "t4"
    # only table 四 has a row of 15 values (its header may be garbled, e.g. PDF-derived markdown)
    if any(len(row) == len(t4_order()) and all(is_valueish(c.text) for c in row) and any(c.text for c in row) for row in raw.rows):
        return "t4"
    # a fragment of table 三 printed as its own grid (one sub-table per row group)
    if any(kw in text for spec in t3_rows().values() for kw in spec.keywords if kw not in ("其他", "总计")):
        return "t3"
    return None


@lru_cache(maxsize=8192)
def _cell_value(raw: str, value_type: str, header_unit: str | None) -> tuple[float | int | None, str, str | None]:
    """``parse_value`` as an immutable (value, provenance, unit); cell texts repeat ("0", "")."""
    pv = parse_value(raw, value_type, header_unit)
    return pv.value, pv.provenance, pv.unit


def _mk_cell(cid: str, rc: RawCell, value_type: str = "int_nonneg", header_unit: str | None = None) -> Cell:
    value, provenance, unit = _cell_value(rc.text, value_type, header_unit)
    # Cell(id, value, raw, start, end, provenance, unit): positional, as keywords cost a dict per call
    return Cell(cid, value, rc.text, rc.start, rc.end, provenance, unit)


def _span(rows: list[list[RawCell]]) -> tuple[int, int]:
    starts = [c.start for r in rows for c in r if c.start is not None]
    ends = [c.end for r in rows for c in r if c.end is not None]
    return (min(starts) if starts else 0, max(ends) if ends else 0)


# ---------------------------------------------------------------- table 三


def match_t3_row(label: str, group: str | None, expected: list[str] | None = None) -> str | None:
    """Row key for a leaf label; ``group`` is the current （三）..（六） group numeral."""
    lab = norm_label(label)
    if not lab:
        return None
    key = _t3_keyword_row(lab)
    if key is not None:
        # 其他处理 as a group label in v2021 sits beside its first sub-row; the leaf wins there
        return key
    specs = t3_rows()
    if group == "六" and "其他" in lab:
        return "other_misc"
    # typos: closest template label among the rows expected here
    pool = expected or list(specs)
    scored = sorted(((SequenceMatcher(None, lab, specs[k].label).ratio(), k) for k in pool), reverse=True)
    if scored and scored[0][0] >= 0.6:
        return scored[0][1]
    return None


@lru_cache(maxsize=4096)
def _t3_keyword_row(lab: str) -> str | None:
    """The row whose longest keyword occurs in the normalized label (first row on ties)."""
    best: tuple[int, str] | None = None
    for key, spec in t3_rows().items():
        if key == "other_misc":
            continue
        for kw in spec.keywords:
            if kw in lab and (best is None or len(kw) > best[0]):
                best = (len(kw), key)
    return best[1] if best is not None else None


def _is_t3_header(texts: list[str]) -> bool:
    joined = "".join(texts)
    # any(k in joined for k in (...)), without a generator per row
    return "申请人情况" in joined or "自然人" in joined or "商业企业" in joined or "勾稽关系" in joined or "法人或其他组织" in joined


def map_t3(raw: RawTable) -> Table:
    start, end = _span(raw.rows)
    table = Table(key="t3", template=None, start=start, end=end)
    cols = T3_COLS
    group: str | None = None
    seen: set[str] = set()
    rows_seen: list[tuple[str | None, list[RawCell], str]] = []  # value rows in printed order
    for row in raw.rows:
        texts = [c.text for c in row]
        if _is_t3_header(texts):
            joined = "".join(texts)
            if "法人或其他组织" in joined and "商业企业" not in joined and len(row) <= 5:
                cols = T3_COLS_MERGED
            elif "商业企业" in joined:
                cols = T3_COLS
            continue
        n = len(cols)
        # value cells: the trailing run of value-like cells, at most n
        row, k = _trim_empty_edge(row, n)
        texts = [c.text for c in row]
        if k == 0:
            # a label-only row: may set the group
            for t in texts:
                g = _GROUP.match(norm_label(t))
                if g:
                    group = g.group(1) if g.group(1) in "三四五六" else None
            continue
        values = row[len(row) - k :]
        labels = [norm_label(t) for t in texts[: len(row) - k]]
        for lab in labels:
            g = _GROUP.match(lab)
            if g:
                group = g.group(1) if g.group(1) in "三四五六" else None
            elif _TOP.match(lab) and not lab.startswith("三"):
                group = None
        leaf = next((lab for lab in reversed(labels) if lab), "")
        g = _GROUP.match(leaf)
        if g and g.group(1) in "一二七":
            group = None
        key = match_t3_row(leaf, group)
        if key is None:
            if k == n and cols is T3_COLS and any(c.text for c in values):
                rows_seen.append((None, values, leaf))  # a full value row without a usable label
            else:
                table.extras.append({"label": leaf, "values": [c.text for c in values]})
            continue
        if key in seen:
            table.notes.append(f"row {key} printed twice; the second ({leaf}) is kept as an extra")
            table.extras.append({"label": leaf, "values": [c.text for c in values]})
            continue
        seen.add(key)
        if k < n:
            table.notes.append(f"row {key}: {k} of {n} value cells printed; mapped from the right")
        rows_seen.append((key, values, leaf))
        # the row's cell ids are made once per (row, columns)
        for cid, rc in zip(_t3_ids(key, tuple(cols))[n - k :], values, strict=True):
            table.cells.append(_mk_cell(cid, rc))
    if seen & {"other_no_correction", "other_unpaid_fee", "other_misc"}:
        table.template = "v2021"
    elif "other_handling" in seen:
        table.template = "v2019"
    _fill_by_template_order(table, rows_seen, seen)
    return table


@lru_cache(maxsize=1024)
def _t3_ids(key: str, cols: tuple[str, ...]) -> tuple[str, ...]:
    """The cell ids of table 三 row ``key`` in columns ``cols``."""
    return tuple(f"t3.{key}.{col}" for col in cols)


def _trim_empty_edge(row: list[RawCell], n: int) -> tuple[list[RawCell], int]:
    """Drop empty cells at the right edge when the row has more than ``n`` trailing
    value-like cells: an extra empty grid column (PDF-derived tables), not a value.

    Returns the row and the number of its trailing value-like cells, at most ``n``.
    """
    run = 0
    for c in reversed(row):
        if not is_valueish(c.text):
            break
        run += 1
    excess = run - n
    if excess > 0 and all(not c.text for c in row[len(row) - excess :]):
        return row[: len(row) - excess], n  # the run left is exactly n cells
    return row, min(run, n)


def _fill_by_template_order(table: Table, rows_seen: list[tuple[str | None, list[RawCell], str]], seen: set[str]) -> None:
    """Give label-less value rows their row ids from the template's row order.

    Fragmented tables (PDF-derived markdown) print some rows without their labels.  When
    the labelled rows appear in template order and the rows between two of them number
    exactly the template rows missing there, those rows are assigned in order.  If the
    result sums (indicators.yaml, per column) do not then hold, the assigned cells are
    marked uncertain.  Anything else stays unassigned (kept as extras)."""
    unknown = [i for i, (key, _, _) in enumerate(rows_seen) if key is None]
    if not unknown:
        return
    version = table.template
    if version is None:
        total = len(rows_seen)
        version = {sum(1 for s in t3_rows().values() if v in s.versions): v for v in ("v2019", "v2021")}.get(total)
    order = [k for k, s in t3_rows().items() if version and version in s.versions]
    pos = {k: i for i, k in enumerate(order)}
    anchors = [(i, pos.get(key, -1)) for i, (key, _, _) in enumerate(rows_seen) if key is not None]
    filled: list[str] = []
    if order and all(t >= 0 for _, t in anchors) and all(a[1] < b[1] for a, b in itertools.pairwise(anchors)):
        prev_i, prev_t = -1, -1
        for i, t in [*anchors, (len(rows_seen), len(order))]:
            gap = [j for j in range(prev_i + 1, i) if rows_seen[j][0] is None]
            missing = [order[x] for x in range(prev_t + 1, t) if order[x] not in seen]
            if gap and len(gap) == len(missing):
                for j, key in zip(gap, missing, strict=True):
                    rows_seen[j] = (key, rows_seen[j][1], rows_seen[j][2])
                    filled.append(key)
            prev_i, prev_t = i, t
    for key, values, leaf in rows_seen:
        if key is None:
            table.extras.append({"label": leaf, "values": [c.text for c in values]})
    if not filled:
        return
    new_cells = {key: [_mk_cell(f"t3.{key}.{col}", rc) for col, rc in zip(T3_COLS, values, strict=True)] for key, values, _ in rows_seen if key in filled}
    verified = _result_sums_hold(table.cells + [c for cs in new_cells.values() for c in cs], order)
    for key in filled:
        for c in new_cells[key]:
            if not verified and c.provenance == "explicit":
                c.provenance = "uncertain"
    # keep the cells in printed row order
    by_row: dict[str, list[Cell]] = {}
    for c in table.cells:
        by_row.setdefault(c.id.split(".")[1], []).append(c)
    by_row.update(new_cells)
    table.cells = [c for key, _, _ in rows_seen if key in by_row for c in by_row[key]]
    if table.template is None:
        table.template = version
    how = "the result sums hold" if verified else "the result sums do not confirm it: cells marked uncertain"
    table.notes.append(f"rows printed without labels assigned by template order ({', '.join(filled)}); {how}")


def _result_sums_hold(cells: list[Cell], order: list[str]) -> bool:
    """（七）总计 equals the sum of the result rows in every column (blank read as 0)."""
    values = {c.id: (c.value or 0) for c in cells}
    leaves = [k for k in order if k not in ("new_received", "carried_over", "results_total", "carry_forward")]
    for col in T3_COLS:
        total = values.get(f"t3.results_total.{col}")
        if total is None or any(f"t3.{k}.{col}" not in values for k in leaves):
            return False
        if sum(values[f"t3.{k}.{col}"] for k in leaves) != total:
            return False
    return True


# ---------------------------------------------------------------- table 四


@lru_cache(maxsize=1)
def t4_order() -> list[str]:
    return list(indicators()["tables"]["t4"]["value_order"])


def map_t4(raw: RawTable) -> Table:
    start, end = _span(raw.rows)
    table = Table(key="t4", template=None, start=start, end=end)
    order = t4_order()
    for row in raw.rows:
        if len(row) < len(order):
            continue
        tail = row[-len(order) :]
        if all(is_valueish(c.text) for c in tail) and any(c.text for c in tail):
            table.cells = [_mk_cell(cid, rc) for cid, rc in zip(order, tail, strict=True)]
            break
    if not table.cells:
        # table 四 printed as three 5-column grids (复议 / 直接起诉 / 复议后起诉), one value row each
        fives = [row for row in raw.rows if len(row) == 5 and all(is_valueish(c.text) for c in row) and any(c.text for c in row)]
        if len(fives) == 3:
            cells = [rc for row in fives for rc in row]
            table.cells = [_mk_cell(cid, rc) for cid, rc in zip(order, cells, strict=True)]
            table.notes.append("15 values read from three rows of 5")
    if not table.cells:
        table.notes.append("no row of 15 values found")
    return table


# ---------------------------------------------------------------- table 二


def _t2_version(raw: RawTable) -> str | None:
    text = norm_label("".join(c.text for row in raw.rows for c in row))
    votes = {v: sum(1 for m in marks if m in text) for v, marks in _version_markers().items()}
    # 规范性文件 is a substring of 行政规范性文件, so it is no v2019 evidence alone
    best = max(votes.items(), key=lambda kv: kv[1])
    return best[0] if best[1] > 0 else None


def _match_t2_row(label: str, block: str | None) -> str | None:
    lab = norm_label(label)
    best: tuple[int, str] | None = None
    for key, kws in t2_row_keywords().items():
        for kw in kws:
            if kw in lab and (best is None or len(kw) > best[0]):
                best = (len(kw), key)
    return best[1] if best else None


@lru_cache(maxsize=1024)
def _t2_col(row_key: str, version: str | None, header: str | None, index: int) -> dict[str, Any] | None:
    """The table 二 cell of a row for a column, by its header when printed, else by its position."""
    cands = [c for c in t2_cells() if c["row_key"] == row_key and (version is None or version in c["versions"])]
    if not cands:
        return None

    def col_label(c: dict[str, Any]) -> str:
        return norm_label(c.get("col_label_by_version", {}).get(version, c["col_label"]))

    def col_index(c: dict[str, Any]) -> int:
        return int(c.get("col_index_by_version", {}).get(version, c["col_index"]))

    if header:
        h = norm_label(header)
        for c in cands:
            lab = col_label(c)
            if h == lab or lab in h or h in lab:
                return c
    for c in cands:
        if col_index(c) == index + 1:
            return c
    return None


def map_t2(raw: RawTable) -> Table:
    start, end = _span(raw.rows)
    version = _t2_version(raw)
    table = Table(key="t2", template=version, start=start, end=end)
    headers: list[str] | None = None
    block: str | None = None
    seen: set[str] = set()
    for row in raw.rows:
        texts = [c.text for c in row]
        nonempty = [t for t in texts if t]
        if not nonempty:
            continue
        m = _BLOCK.search("".join(nonempty))
        if m and len(nonempty) == 1:
            block = f"art20_{_NUMERALS.get(m.group(1), 0)}"
            headers = None
            continue
        if "信息内容" in nonempty[0]:
            headers = nonempty[1:]
            continue
        li = next((i for i, c in enumerate(row) if c.text and not is_valueish(c.text)), None)
        if li is None:
            continue
        label = row[li].text
        key = _match_t2_row(label, block)
        values = row[li + 1 :]
        if key is None:
            if any(c.text for c in values):
                table.extras.append({"label": label, "values": [c.text for c in values]})
            continue
        header_unit = None
        # fewer value cells than column headers: which column each value belongs to is a guess
        short = headers is not None and len(values) < len(headers)
        if short:
            table.notes.append(f"row {key}: {len(values)} values under {len(headers or [])} headers; cells marked uncertain")
        for i, rc in enumerate(values):
            header = headers[i] if headers and i < len(headers) else None
            if headers is not None and header is None and not rc.text:
                continue  # empty trailing cell beyond the header count
            spec = _t2_col(key, version, header, i)
            if spec is None:
                if rc.text:
                    table.extras.append({"label": label, "column": header, "values": [rc.text]})
                continue
            if spec["id"] in seen:
                continue
            seen.add(spec["id"])
            if header and "万元" in header:
                header_unit = "万元"
            cell = _mk_cell(spec["id"], rc, spec.get("value_type", "int_nonneg"), header_unit)
            if spec.get("unit") == "unspecified" and cell.value is not None and cell.unit is None:
                table.notes.append(f"{spec['id']}: no unit printed (unit_unknown)")
            if short and cell.provenance == "explicit":
                cell.provenance = "uncertain"
            table.cells.append(cell)
    return table


MAPPERS = {"t2": map_t2, "t3": map_t3, "t4": map_t4}


def map_tables(raw_tables: list[RawTable]) -> list[Table]:
    """Classify each raw grid and map it; consecutive grids of one table are merged."""
    merged: list[tuple[str, RawTable]] = []
    kinds = [classify(raw) for raw in raw_tables]
    for i, kind in enumerate(kinds):
        if kind is None:
            # an unclassified fragment between two fragments of one table belongs to it
            # (PDF-derived markdown splits a table into several grids)
            before = next((k for k in reversed(kinds[:i]) if k is not None), None)
            after = next((k for k in kinds[i + 1 :] if k is not None), None)
            if before is not None and before == after:
                kinds[i] = before
    for raw, kind in zip(raw_tables, kinds, strict=True):
        if kind is None:
            continue
        if merged and merged[-1][0] == kind:
            prev = merged[-1][1]
            merged[-1] = (kind, RawTable(prev.rows + raw.rows, prev.start, raw.end, prev.layout))
        else:
            merged.append((kind, raw))
    out: list[Table] = []
    done: set[str] = set()
    for kind, raw in merged:
        if kind in done:
            continue
        table = MAPPERS[kind](raw)
        if table.cells:
            done.add(kind)
            out.append(table)
    return out
