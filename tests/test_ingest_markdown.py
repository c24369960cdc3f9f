"""Markdown ingest (issue 3): pipe tables, row lines, fragmented PDF-derived tables."""

from __future__ import annotations

import pytest
from ingest_grid_builder import Report, t3_rows, t4_rows

import pipeline
from pipeline.evaluate.gold import compare_cells
from pipeline.export import record_to_dict
from pipeline.ingest import load_bytes
from pipeline.ingest.markdown import parse_line_tables, parse_markdown_tables, parse_pipe_tables
from pipeline.structure import structure
from tests.conftest import real_gold


def _offsets_ok(text: str, tables) -> None:
    for t in tables:
        for row in t.rows:
            for c in row:
                if c.text:
                    assert text[c.start : c.end] == c.text
                else:
                    assert c.start is None


def test_pipe_rows_and_offsets() -> None:
    text = "前言\n| 信息内容 | 本年制发件数 |  |\n|---|:--:|---|\n|  规章 | 3 | a\\|b |\n\n后记 | 不是表\n"
    tables = parse_pipe_tables(text)
    assert len(tables) == 1
    rows = [[c.text for c in r] for r in tables[0].rows]
    assert rows == [["信息内容", "本年制发件数", ""], ["规章", "3", "a\\|b"]]
    _offsets_ok(text, tables)


def test_row_lines_become_tables_but_narrative_does_not() -> None:
    text = (
        "全年共发布信息 393\n"  # a wrapped narrative line ending in a number: not a table
        "第二十条第（五）项\n"
        "信息内容本年处理决定数量\n"
        "行政许可 97\n"
        "— 4 —\n"
        "行政处罚 0\n"
        "说明文字。\n"
        "四、结转下年度继续办理 1 0 0 0 0 0 1\n"
    )
    tables = parse_line_tables(text)
    assert [t.layout for t in tables] == ["lines", "lines"]
    assert [[c.text for c in r] for r in tables[0].rows] == [
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "97"],
        ["行政处罚", "0"],
    ]
    assert tables[0].rows[2][1].inferred and not tables[0].rows[2][0].inferred
    assert [c.text for c in tables[1].rows[0]] == ["四、结转下年度继续办理", "1", "0", "0", "0", "0", "0", "1"]
    _offsets_ok(text, tables)


def _t3_pipe_lines(rep: Report, drop_labels: set[int], extra_empty: set[int], balanced: bool = False) -> list[str]:
    """Table 三 as a fragmented PDF-derived markdown table: leaf label + 7 values per row,
    some rows without their label, some with an extra empty cell, debris lines between.
    ``balanced``: （七）总计 is made the sum of the result rows, as in a consistent report."""
    out = ["## 表三：收到和处理政府信息公开申请情况", "| 等于第三项加第四项之和） | 自然人 | 商业 | 总计 |", "|---|---|---|---|"]
    rows = t3_rows("v2021", rep)[3:]
    if balanced:
        cols = ["natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total"]
        for j, col in enumerate(cols):
            total = sum(int(r[-7 + j].text) for r in rows[2:-2])
            rows[-2][-7 + j].text = str(total)
            rep.expected[f"t3.results_total.{col}"] = total
    for i, row in enumerate(rows):
        label = row[-8].text
        values = [c.text for c in row[-7:]]
        cells = values if i in drop_labels else [label, *values]
        if i in extra_empty:
            cells.append("")
        out.append("| " + " | ".join(cells) + " |")
        if i in drop_labels:
            out += ["", label[:6], label[6:], "## 表三：收到和处理政府信息公开申请情况"]
    return out


def _fragmented_md(drop_labels: set[int], extra_empty: set[int], balanced: bool = False) -> tuple[str, Report]:
    rep = Report()
    lines = [
        "样例市测试局2024年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度工作平稳推进。",
        "二、主动公开政府信息情况",
        "第二十条第（五）项",
        "信息内容本年处理决定数量",
        "行政许可 97",
        "第二十条第（六）项",
        "信息内容本年处理决定数量",
        "行政处罚 5",
        "行政强制 0",
        "第二十条第（八）项",
        "信息内容本年收费金额（单位：万元）",
        "行政事业性收费 1.5",
        "## 表二：主动公开政府信息情况",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "|---|---|---|---|",
        "| 规章 | 0 | 0 | 0 |",
        "| 行政规范性文件 | 13 | 2 | 55 |",
        "",
        "三、收到和处理政府信息公开申请情况",
        *_t3_pipe_lines(rep, drop_labels, extra_empty, balanced),
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议行政诉讼",
        "| 维持 | 纠正 | 结果 | 审结 | 总计 | 总计 |",
        "|---|---|---|---|---|---|",
        "| " + " | ".join(c.text for c in t4_rows(rep)[-1]) + " |",
        "",
        "五、存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无。",
    ]
    rep.expected.update(
        {
            "t2.admin_license.decisions": 97,
            "t2.admin_penalty.decisions": 5,
            "t2.admin_coercion.decisions": 0,
            "t2.admin_fees.amount": 1.5,
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.valid": 0,
            "t2.normative_docs.issued": 13,
            "t2.normative_docs.repealed": 2,
            "t2.normative_docs.valid": 55,
        }
    )
    return "\n".join(lines) + "\n", rep


def test_fragmented_markdown_every_cell() -> None:
    # labels lost on four rows (in three separate gaps), extra empty edge cells on two
    text, rep = _fragmented_md(drop_labels={3, 9, 10, 19}, extra_empty={0, 5})
    doc = load_bytes(text.encode(), "r.md")
    _offsets_ok(doc.text, doc.raw_tables)
    st = structure(doc)
    cells = {c.id: c for t in st.tables for c in t.cells}
    wrong = {k: (v, cells[k].value if k in cells else "missing") for k, v in rep.expected.items() if k not in cells or cells[k].value != v}
    assert wrong == {}
    t3 = st.table("t3")
    assert t3 is not None and any("template order" in n for n in t3.notes)
    # the builder's values do not satisfy the result sums, so the assigned rows are uncertain
    assert {c.provenance for c in t3.cells if c.id.split(".")[1] in ("partial_granted", "denied_process_info")} == {"uncertain"}
    assert all(c.provenance == "explicit" for c in t3.cells if c.id.startswith("t3.new_received."))
    t4 = st.table("t4")
    assert t4 is not None and len(t4.cells) == 15


def test_assigned_rows_are_explicit_when_the_result_sums_hold() -> None:
    text, rep = _fragmented_md(drop_labels={3, 20, 21}, extra_empty=set(), balanced=True)
    st = structure(load_bytes(text.encode(), "r.md"))
    t3 = st.table("t3")
    assert t3 is not None
    cells = {c.id: c for c in t3.cells}
    assert {k: cells[k].value for k in rep.expected if k.startswith("t3.")} == {k: v for k, v in rep.expected.items() if k.startswith("t3.")}
    assert all(c.provenance == "explicit" for c in t3.cells)
    assert any("the result sums hold" in n for n in t3.notes)


def test_label_less_rows_are_not_guessed_when_the_count_does_not_fit() -> None:
    text, rep = _fragmented_md(drop_labels={3}, extra_empty=set())
    # remove the labelled row after the label-less one: two rows now missing for one value row
    lines = [ln for ln in text.split("\n") if "1.属于国家秘密" not in ln or not ln.startswith("|")]
    doc = load_bytes("\n".join(lines).encode(), "r.md")
    st = structure(doc)
    t3 = st.table("t3")
    assert t3 is not None
    ids = {c.id.split(".")[1] for c in t3.cells}
    assert "partial_granted" not in ids and "denied_state_secret" not in ids
    assert any(e["label"] == "" for e in t3.extras)


def test_markdown_tables_in_document_order() -> None:
    text, _ = _fragmented_md(drop_labels=set(), extra_empty=set())
    tables = parse_markdown_tables(text)
    assert [t.start for t in tables] == sorted(t.start for t in tables)
    assert {t.layout for t in tables} == {"grid", "lines"}


REAL_MD = ["shanghai-kewei-2024", "shanghai-shizhengfu-bangongting-2025"]


@pytest.mark.parametrize("name", REAL_MD)
def test_real_markdown_against_gold(name: str) -> None:
    gold, src = real_gold(name)
    rec = record_to_dict(pipeline.process(str(src)))
    res = compare_cells(rec, gold)
    assert res["wrong"] == [] and res["correct"] == res["cells"] > 0
    # cells of an incomplete table are never silently wrong: right, or marked uncertain
    got = {c["id"]: c for t in rec["tables"] for c in t["cells"]}
    for t in gold.data["tables"].values():
        for cid, val in t["cells"].items():
            c = got.get(cid)
            if c is not None and c["value"] != val:
                assert c["provenance"] == "uncertain", cid
