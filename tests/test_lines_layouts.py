"""Tables from layouts without cell markup, on reports written for these tests.

Two layouts: a crawler dump (the whole report on one line, values run together) and a PDF
text layer (one row per line, wrapped labels above and below the values, vertical labels
one character per line, page numbers between rows).  Labels come from the template
(indicators.yaml); the numbers are invented.
"""

from __future__ import annotations

import pipeline
from pipeline.data import indicators
from pipeline.structure.tables import t3_rows

ROWS19 = indicators()["tables"]["t3"]["rows"]["v2019"]
ROWS21 = indicators()["tables"]["t3"]["rows"]["v2021"]
ZERO = [0] * 7


def t3_values(rows: list[str]) -> dict[str, list[int]]:
    """A consistent table 三: 12+1 applications, 10 granted, 2 not held, 1 carried forward."""
    v = {r: list(ZERO) for r in rows}
    v["new_received"] = [11, 1, 0, 0, 0, 0, 12]
    v["carried_over"] = [1, 0, 0, 0, 0, 0, 1]
    v["granted"] = [9, 1, 0, 0, 0, 0, 10]
    v["unable_not_held"] = [2, 0, 0, 0, 0, 0, 2]
    v["results_total"] = [11, 1, 0, 0, 0, 0, 12]
    v["carry_forward"] = [1, 0, 0, 0, 0, 0, 1]
    return v


def label(row: str) -> str:
    return t3_rows()[row].label


def run(vals: list[int]) -> str:
    return "".join(str(x) for x in vals)


def dump_report() -> str:
    """A v2019 report on one line, table values run together as crawler dumps print them."""
    v = t3_values(ROWS19)
    t3 = "".join(label(r) + run(v[r]) for r in ROWS19)
    return (
        "标题: 测试县测试局2020年政府信息公开工作年度报告\n==== 正文 ====\n"
        "测试县测试局2020年政府信息公开工作年度报告 本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。"
        "一、总体情况2020年，我局共发布信息35条。"
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件2045"
        "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可41-350其他对外管理服务事项000"
        "第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚000行政强制000"
        "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费9-9"
        "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购7笔 1200元"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计"
        + t3
        + "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        + "10001110000000000"
        + "五、存在的主要问题及改进情况一是培训不足。六、其他需要报告的事项无。\n"
    )


def test_dump_sections_found_inline() -> None:
    rec = pipeline.process(dump_report().encode(), path="dump.txt")
    assert rec.status == "ok", rec.error
    assert [s.key for s in rec.sections] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    s4 = next(s for s in rec.sections if s.key == "s4")
    assert "行政复议" in s4.title  # not table 三's row 四、结转下年度继续办理


def test_dump_t3_split_by_identities() -> None:
    rec = pipeline.process(dump_report().encode(), path="dump.txt")
    t3 = {c.id: c for t in rec.tables if t.key == "t3" for c in t.cells}
    assert len(t3) == 161
    for row, vals in t3_values(ROWS19).items():
        assert [
            t3[f"t3.{row}.{col}"].value
            for col in ("natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total")
        ] == vals, row
    # '1110000012' admits several 7-cell splits; only 11/1/0/0/0/0/12 has a consistent row total
    assert t3["t3.new_received.natural_person"].provenance == "explicit"
    assert not any(c.provenance == "uncertain" for c in t3.values())


def test_dump_t4_split_by_block_totals() -> None:
    rec = pipeline.process(dump_report().encode(), path="dump.txt")
    t4 = {c.id: c.value for t in rec.tables if t.key == "t4" for c in t.cells}
    # 17 digits for 15 cells: only 10/0/0/1/11 + ten zeros keeps every block total
    assert [t4["t4.review.upheld"], t4["t4.review.pending"], t4["t4.review.total"]] == [10, 1, 11]
    assert t4["t4.litigation_after_review.total"] == 0
    assert not [f for f in rec.findings if f.family == "identity" and f.status == "fail"]


def test_dump_t2_ambiguous_runs_are_marked_uncertain() -> None:
    rec = pipeline.process(dump_report().encode(), path="dump.txt")
    t2 = {c.id: c for t in rec.tables if t.key == "t2" for c in t.cells}
    assert next(t.template for t in rec.tables if t.key == "t2") == "v2019"
    assert [t2[f"t2.rules.{k}"].value for k in ("new_made", "new_published", "published_total")] == [0, 0, 0]
    # '2045' = 2/0/45 or 20/4/5: both satisfy the table's soft identities
    nd = [t2[f"t2.normative_docs.{k}"] for k in ("new_made", "new_published", "published_total")]
    assert all(c.provenance == "uncertain" for c in nd)
    readings = {(nd[0].value, nd[1].value, nd[2].value)} | {tuple(c.alternatives[0] for c in nd)}
    assert readings == {(2, 0, 45), (20, 4, 5)}
    # '41-350': the sign fixes 41, the rest is -35/0 or -3/50
    lic = [t2[f"t2.admin_license.{k}"] for k in ("prev_year_items", "items_change", "decisions")]
    assert lic[0].value == 41 and lic[0].provenance == "explicit"
    assert {lic[1].value, *lic[1].alternatives} == {-35, -3}
    assert lic[1].provenance == lic[2].provenance == "uncertain"
    # '9-9' has one reading; '7笔 1200元' is spaced
    assert (t2["t2.admin_fees.prev_year_items"].value, t2["t2.admin_fees.items_change"].value) == (9, -9)
    assert t2["t2.gov_procurement.projects"].value == 7
    assert t2["t2.gov_procurement.amount"].value == 0.12 and t2["t2.gov_procurement.amount"].unit == "万元"


def test_dump_balance_failure_is_reported() -> None:
    text = dump_report().replace(label("carry_forward") + run([1, 0, 0, 0, 0, 0, 1]), label("carry_forward") + run([3, 0, 0, 0, 0, 0, 3]))
    rec = pipeline.process(text.encode(), path="dump.txt")
    bal = {f.rule: f for f in rec.findings}["identity.t3_balance__total"]
    assert bal.status == "fail" and bal.expected == 15 and bal.observed == 13


def pdf_like_report() -> str:
    """A v2021 report as a PDF text layer prints it."""
    v = t3_values(ROWS21)
    lines = [
        "测试市测试局",
        "2022 年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度共发布信息 120 条。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 0 0 0",
        "行政规范性文件 3 1 40",
        "第二十条第（五）项",
        "信息内容 本年处理决定数量",
        "行政许可 5120",
        "- 2 -",
        "第二十条第（六）项",
        "信息内容 本年处理决定数量",
        "行政处罚 77",
        "行政强制 0",
        "第二十条第（八）项",
        "信息内容 本年收费金额（单位：万元）",
        "行政事业性收费 12.5",
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "自然人 商业 科研 社会 法律 其他 总计",
    ]
    vertical = iter("三、本年度办理结果")
    for i, r in enumerate(ROWS21):
        vals = " ".join(str(x) for x in v[r])
        lab = label(r)
        if i % 3 == 0:
            lines += [lab[: len(lab) // 2], vals, lab[len(lab) // 2 :]]  # label wrapped around the values
        elif i % 3 == 1:
            lines += [vals, lab]  # label below the values
        else:
            lines += [f"{lab} {vals}"]
        ch = next(vertical, None)
        if ch:
            lines.append(ch)
        if i == 12:
            lines.append("- 3 -")
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "结果 结果 其他 尚未 总计",
        "维持 纠正 结果 审结",
        "2 0 1 0 3 1 0 0 1 2 0 0 0 0 0",
        "五、存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无。",
    ]
    return "\n".join(lines) + "\n"


def test_pdf_layout_rows_map_by_position() -> None:
    rec = pipeline.process(pdf_like_report().encode(), path="layer.txt")
    assert [s.key for s in rec.sections] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    tables = {t.key: t for t in rec.tables}
    assert tables["t3"].template == "v2021"
    t3 = tables["t3"].cell_map()
    assert len(t3) == 175
    for row, vals in t3_values(ROWS21).items():
        assert [
            t3[f"t3.{row}.{c}"].value
            for c in ("natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total")
        ] == vals
    t2 = tables["t2"].cell_map()
    assert t2["t2.normative_docs.valid"].value == 40 and t2["t2.admin_fees.amount"].value == 12.5
    t4 = tables["t4"].cell_map()
    assert [t4["t4.review.total"].value, t4["t4.litigation_direct.total"].value] == [3, 2]
    # the page number between rows is not a value
    assert all(c.raw not in ("2", "3") or c.start is not None for c in t3.values())
    assert not [f for f in rec.findings if f.family == "identity" and f.status == "fail"]


def test_pdf_layout_failing_sum_is_reported() -> None:
    text = pdf_like_report().replace("2 0 1 0 3 1 0 0 1 2", "2 0 1 0 4 1 0 0 1 2")
    rec = pipeline.process(text.encode(), path="layer.txt")
    fails = {f.rule for f in rec.findings if f.status == "fail"}
    assert "identity.t4_sum__review" in fails


def test_runs_that_fit_no_row_are_left_unparsed() -> None:
    """Too few or far too many digits for a row: null cells with provenance unparsed, never a guess."""
    text = dump_report().replace(label("carried_over") + run([1, 0, 0, 0, 0, 0, 1]), label("carried_over") + "10000").replace("10001110000000000", "1" * 70)
    rec = pipeline.process(text.encode(), path="dump.txt")
    cells = {c.id: c for t in rec.tables for c in t.cells}
    assert cells["t3.carried_over.total"].value is None and cells["t3.carried_over.total"].provenance == "unparsed"
    assert all(cells[i].provenance == "unparsed" for i in cells if i.startswith("t4."))
    balance = {f.rule: f for f in rec.findings}["identity.t3_balance__total"]
    assert balance.status == "not_assessable"
