"""Section-heading variants seen in real web reports (the texts here are written for the test)."""

from __future__ import annotations

import pipeline
from pipeline.ingest import load_bytes
from pipeline.structure.sections import find_sections

BODY = "本年度共主动公开政府信息120条，收到政府信息公开申请3件，均已按时办结。\n"


def _keys(text: str) -> list[tuple[str, str]]:
    doc = load_bytes(text.encode("utf-8"), "x.txt")
    return [(s.key, doc.text[s.body_start : s.end]) for s in find_sections(doc)]


def test_numeral_alone_on_its_line_takes_the_next_line_as_title() -> None:
    text = "示例县2020年政府信息公开工作年度报告\n一、\n总体情况\n" + BODY + "二、\n主动公开政府信息情况\n无。\n"
    assert _keys(text) == [("s1", BODY), ("s2", "无。\n")]


def test_numeral_alone_does_not_take_a_numbered_or_numeric_next_line() -> None:
    text = "示例县2020年政府信息公开工作年度报告\n一、\n二、总体情况\n" + BODY
    assert [k for k, _ in _keys(text)] == ["s1"]  # the second line is a heading of its own
    text = "示例县2020年政府信息公开工作年度报告\n一、\n总体情况 12 345 678\n" + BODY
    doc = load_bytes(text.encode("utf-8"), "x.txt")
    assert [(s.key, s.title) for s in find_sections(doc)] == [("s1", "")]  # no heading taken: the untitled body


def test_total_work_situation_title() -> None:
    text = "示例局2019年政府信息公开工作年度报告\n一、 总体工作情况\n" + BODY
    assert _keys(text) == [("s1", BODY)]


def test_general_requirements_is_not_section_one() -> None:
    assert _keys("示例局报告\n一、总体要求\n" + BODY) == []


def test_em_dash_misprinted_for_one() -> None:
    text = "—、总体情况\n" + BODY + "二、主动公开政府信息情况\n无。\n"
    assert [k for k, _ in _keys(text)] == ["s1", "s2"]
    assert _keys("——总体情况\n" + BODY) == []  # a dash without 、 is not a numeral


def test_excerpt_with_such_a_heading_is_analyzed() -> None:
    rec = pipeline.process(("一、\n总体情况\n" + BODY).encode("utf-8"), path="x.txt")
    assert rec.status == "ok"
    assert [q.text for q in rec.quantities] == ["120条", "3件"]


def test_older_titles_of_section_one() -> None:
    for title in ("政府信息公开工作的基本情况", "综述", "概述"):
        text = f"示例镇2023年政府信息公开工作年度报告\n一、{title}\n" + BODY + "二、主动公开政府信息情况\n无。\n"
        assert [k for k, _ in _keys(text)] == ["s1", "s2"], title


def test_total_with_other_words_between() -> None:
    text = "示例局2020年政府信息公开工作年度报告\n一、网站总体公开情况\n" + BODY + "二、主动公开政府信息情况\n无。\n"
    assert [k for k, _ in _keys(text)] == ["s1", "s2"]


def test_a_titled_report_without_any_heading_is_section_one() -> None:
    text = "示例街道2024年政府信息公开工作年度报告\n（一）主动公开\n" + BODY + "（二）依申请公开\n本年度共收到申请0件。\n"
    doc = load_bytes(text.encode("utf-8"), "x.txt")
    sections = find_sections(doc)
    assert [(s.key, s.title, doc.text[s.body_start : s.end]) for s in sections] == [("s1", "", text.split("\n", 1)[1])]
    rec = pipeline.process(text.encode("utf-8"), path="x.txt")
    assert rec.status == "ok" and {c.value for c in rec.claims} >= {120, 3}  # the narrative is read


def test_text_without_a_report_title_or_heading_still_has_no_sections() -> None:
    assert _keys("示例局工作总结\n（一）主动公开\n" + BODY) == []
    assert _keys("第一行\n第二行\n第三行\n示例县2020年政府信息公开工作年度报告\n" + BODY) == []  # title too far down
