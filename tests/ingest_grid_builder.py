"""Builds template-shaped reports (HTML and DOCX) for the grid-format ingest tests.

Row and column labels come from pipeline/data/indicators.yaml (the national template's
labels); the narrative lines are invented here.  Every table is laid out with the merges
the template uses (rowspan/colspan in HTML, vMerge/gridSpan in DOCX), and the expected
value of every printed cell is returned with the report, so tests can check that each
cell is mapped to its id with its value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from pipeline.data import indicators


@dataclass
class C:
    """A marked-up cell: text (or a value id), span, and an optional HTML override."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    html: str | None = None  # inner markup for HTML (e.g. Word-style split spans)


@dataclass
class Report:
    blocks: list[tuple[str, Any]] = field(default_factory=list)  # ("p", text) | ("table", rows)
    expected: dict[str, int | float | None] = field(default_factory=dict)
    width: dict[int, int] = field(default_factory=dict)  # table index -> grid width


def _cells(table: str, version: str) -> list[dict[str, Any]]:
    return [c for c in indicators()["cells"] if c["table"] == table and version in c["versions"]]


def _value(i: int) -> int:
    return (i * 37 + 11) % 97


def _val_cell(cid: str, i: int, rep: Report, blank_every: int = 0, split_every: int = 0) -> C:
    if blank_every and i % blank_every == 0:
        rep.expected[cid] = None
        return C("", html="&nbsp;")
    v = _value(i) + 100
    rep.expected[cid] = v
    s = str(v)
    html = None
    if split_every and i % split_every == 0:
        # Word-pasted markup: one number split over several runs
        html = "".join(f"<span style='font-family:宋体'>{ch}</span>" for ch in s) + "<o:p></o:p>"
    return C(s, html=html)


def t2_rows(version: str, rep: Report) -> list[list[C]]:
    rows: list[list[C]] = []
    cells = _cells("t2", version)
    blocks: dict[str, list[dict[str, Any]]] = {}
    for c in cells:
        blocks.setdefault(c["block_label"], []).append(c)
    i = 0
    for label, bcells in blocks.items():
        rows.append([C(label, colspan=4)])
        by_row: dict[str, list[dict[str, Any]]] = {}
        for c in bcells:
            by_row.setdefault(c["row_label"], []).append(c)
        first = next(iter(by_row.values()))
        heads = [c.get("col_label_by_version", {}).get(version, c["col_label"]) for c in first]
        span = 3 // len(heads)
        header = [C("信息内容")] + [C(h, colspan=span) for h in heads]
        if len(heads) == 2:
            header[-1].colspan = 2
        rows.append(header)
        for row_label, rc in by_row.items():
            vals: list[C] = []
            for c in rc:
                i += 1
                if c["value_type"] == "int_signed":
                    v = -(i + 3) if i % 2 else i + 3
                    rep.expected[c["id"]] = v
                    vals.append(C(f"{v:+d}"))
                elif c["value_type"] == "decimal_nonneg":
                    rep.expected[c["id"]] = 12.5
                    vals.append(C("12.5万元" if c["unit"] == "unspecified" else "12.5"))
                else:
                    vals.append(_val_cell(c["id"], i, rep))
                vals[-1].colspan = header[len(vals)].colspan
            rows.append([C(row_label)] + vals)
    return rows


def t3_rows(version: str, rep: Report, blank_every: int = 0, split_every: int = 0) -> list[list[C]]:
    tcfg = indicators()["tables"]
    del tcfg
    cols = ["natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total"]
    rows: list[list[C]] = [
        [C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3), C("申请人情况", colspan=7)],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=5), C("总计", rowspan=2)],
        [C("商业企业"), C("科研机构"), C("社会公益组织"), C("法律服务机构"), C("其他")],
    ]
    seen: list[tuple[str, list[str]]] = []
    for c in _cells("t3", version):
        if not seen or seen[-1][0] != c["row_key"]:
            seen.append((c["row_key"], c["row_label_path"].split(" / ")))
    n_results = sum(1 for _, p in seen if len(p) > 1)
    group_size: dict[str, int] = {}
    for _, p in seen:
        if len(p) == 3:
            group_size[p[1]] = group_size.get(p[1], 0) + 1
    i = 0
    top_done = False
    groups_done: set[str] = set()
    for key, path in seen:
        label_cells: list[C] = []
        if len(path) == 1:
            label_cells.append(C(path[0], colspan=3))
        else:
            if not top_done:
                label_cells.append(C(path[0], rowspan=n_results))
                top_done = True
            if len(path) == 2:
                label_cells.append(C(path[1], colspan=2))
            else:
                if path[1] not in groups_done:
                    label_cells.append(C(path[1], rowspan=group_size[path[1]]))
                    groups_done.add(path[1])
                label_cells.append(C(path[2]))
        vals = []
        for col in cols:
            i += 1
            vals.append(_val_cell(f"t3.{key}.{col}", i, rep, blank_every, split_every))
        rows.append(label_cells + vals)
    return rows


def t4_rows(rep: Report) -> list[list[C]]:
    order = list(indicators()["tables"]["t4"]["value_order"])
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
        [C(h, rowspan=2) for h in heads] + [C("未经复议直接起诉", colspan=5), C("复议后起诉", colspan=5)],
        [C(h) for h in heads * 2],
    ]
    vals = []
    for k, cid in enumerate(order):
        v = k % 4
        rep.expected[cid] = v
        vals.append(C(str(v)))
    rows.append(vals)
    return rows


def build_report(version: str = "v2021", blank_every: int = 0, split_every: int = 0) -> Report:
    """A complete report of the given template version with all three tables."""
    rep = Report()
    year = 2023 if version == "v2021" else 2020
    rep.blocks += [
        ("p", f"样例县测试局{year}年政府信息公开工作年度报告"),
        ("p", "本报告依据条例编制，数据统计期限为全年。"),
        ("p", "一、总体情况"),
        ("p", "本年度主动公开各类信息若干条，工作有序推进。"),
        ("p", "二、主动公开政府信息情况"),
        ("table", t2_rows(version, rep)),
        ("p", "三、收到和处理政府信息公开申请情况"),
        ("table", t3_rows(version, rep, blank_every, split_every)),
        ("p", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", t4_rows(rep)),
        ("p", "五、存在的主要问题及改进情况"),
        ("p", "工作人员业务能力有待提升。"),
        ("p", "六、其他需要报告的事项"),
        ("p", "无。"),
    ]
    return rep


# ------------------------------------------------------------------ HTML


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_html_fragment(rep: Report) -> str:
    parts: list[str] = []
    for kind, body in rep.blocks:
        if kind == "p":
            parts.append(f"<p style='text-indent:2em'><span>{_esc(body)}</span></p>\n")
            continue
        parts.append("<table border='1' cellspacing='0'>\n<tbody>\n")
        for row in body:
            parts.append("<tr>")
            for c in row:
                attrs = ""
                if c.colspan > 1:
                    attrs += f" colspan='{c.colspan}'"
                if c.rowspan > 1:
                    attrs += f' rowspan="{c.rowspan}"'
                inner = c.html if c.html is not None else f"<p align='center'><span>{_esc(c.text)}</span></p>"
                parts.append(f"\n  <td{attrs} valign='center'>\n  {inner}\n  </td>")
            parts.append("</tr>\n")
        parts.append("</tbody>\n</table>\n")
    return "".join(parts)


CHROME_HEAD = """<div class="header-top"><ul class="mainNav"><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li>
<li><a href="/b">办事服务</a></li></ul></div>
<nav><a href="/x">互动交流</a> <a href="/y">走进本县</a></nav>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/z">年度报告</a></div>
<script>var s = "<p>不是报告</p>"; document.title = '页面';</script>
<style>.x{color:red}</style>
"""
CHROME_FOOT = """<div class="bdshare">分享到：<a>微信</a><a>微博</a></div>
<p>【打印本页】【关闭窗口】</p>
<div id="footer"><p>主办单位：某县人民政府办公室 版权所有</p><p>网站标识码 0000000000</p></div>
<div style="display:none">隐藏的统计代码 12345</div>
"""


def to_html_page(rep: Report, charset: str = "utf-8", layout_table: bool = False) -> str:
    body = to_html_fragment(rep)
    if layout_table:
        body = f"<table width='100%'><tr><td class='content'>{body}</td></tr></table>"
    return (
        f"<!DOCTYPE html>\n<html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'>"
        f"<title>某县门户网站</title></head>\n<body>\n{CHROME_HEAD}<div class='article'>\n{body}</div>\n{CHROME_FOOT}</body></html>\n"
    )


# ------------------------------------------------------------------ DOCX


def _place(rows: list[list[C]]) -> tuple[list[tuple[int, int, C]], int]:
    """HTML table model: the grid position (row, col) of each cell, and the grid width."""
    occupied: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, C]] = []
    width = 0
    for r, row in enumerate(rows):
        col = 0
        for c in row:
            while (r, col) in occupied:
                col += 1
            placed.append((r, col, c))
            for dr in range(c.rowspan):
                for dc in range(c.colspan):
                    occupied.add((r + dr, col + dc))
            col += c.colspan
            width = max(width, col)
    return placed, width


def to_docx(rep: Report, nested: bool = False) -> bytes:
    import docx

    d = docx.Document()
    for kind, body in rep.blocks:
        if kind == "p":
            d.add_paragraph(body)
            continue
        placed, width = _place(body)
        table = d.add_table(rows=len(body), cols=width)
        grid = [[cell for cell in row.cells] for row in table.rows]  # before merging (table.cell is slow)
        for r, col, c in placed:
            cell = grid[r][col]
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(grid[r + c.rowspan - 1][col + c.colspan - 1])
            text = c.text
            if len(text) >= 4 and not text.isdigit():
                # an in-cell line break, as template header cells have
                cell.text = ""
                par = cell.paragraphs[0]
                par.add_run(text[:2])
                par.add_run().add_break()
                par.add_run(text[2:])
            else:
                cell.text = text
        if nested:
            inner = table.cell(0, 0).add_table(rows=1, cols=2)
            inner.cell(0, 0).text = ""
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
