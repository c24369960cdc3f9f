"""Quantity recognizer over raw text: mentions found, and zero false positives per trap category.

Sentences here are written for the tests (not taken from any report)."""

from __future__ import annotations

import pytest

from pipeline.nlp.quantities import recognize, rejections


def found(text: str) -> list[tuple[str, float | int, str | None, str]]:
    return [(m.text, m.parsed.value, m.parsed.unit, m.parsed.approx) for m in recognize(text)]


TRAPS: dict[str, list[str]] = {
    "doc_number": [
        "依据《某某条例》（国务院令第492号）办理",
        "按照某办发〔2021〕17号文件要求",
        "根据市政办函[2020]5号通知",
        "（某府发〔2018〕第3号）",
    ],
    "date": [
        "于2021年3月15日上线运行",
        "截至2022年12月31日，统计完毕",
        "发布时间：2023-01-05 10:30",
        "自2019年8月起改版",
        "每月5日和20日集中报送",
        "于十二月底完成",
    ],
    "year": [
        "2020年，我局认真贯彻落实",
        "2018年以来，持续推进",
        "2021-2025年发展规划",
        "二〇二一年工作要点",
    ],
    "phone": [
        "欢迎拨打12345政务服务便民热线反映问题",
        "联系电话：0591-88886666",
        "电话 021-12345678；传真 021-87654321",
        "手机13812345678",
        "邮编：350000",
    ],
    "ordinal": [
        "依据《条例》第二十条第（五）项规定",
        "根据第三十六条，应当答复",
        "这是第一次召开此类会议",
        "第三方评估机构",
        "第二批试点单位",
    ],
    "list_marker": [
        "一是加强组织领导；二是完善制度；三是强化督查。",
        "（一）主动公开情况",
        "1.门户网站建设。2.政务新媒体管理。",
        "（3）推进重点领域公开",
    ],
    "name": [
        "深入学习贯彻党的十九大和十九届五中全会精神",
        "打好三大攻坚战",
        "危及“三安全一稳定”的信息",
        "做好“六稳”“六保”工作",
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”",
        "推进“一件事一次办”改革",
        "建成24小时自助服务区",
        "《关于支持企业发展的十条措施》印发实施",
        "十四五规划开局之年",
    ],
    "page_number": ["— 3 —", "第 2 页", "第5页，共12页"],
    "url": [
        "详见 https://www.example.gov.cn/zwgk/2021/t20210105_12345.html 页面",
        "网址 www.example.gov.cn/col/col123/index.html",
        "附件 80589_xxx2020年度.htm",
    ],
    "determiner": [
        "作为一项重要手段",
        "把政务公开作为一项民心工程",
        "进一步加强统一管理",
        "确保每一条信息准确",
    ],
}


@pytest.mark.parametrize("category", sorted(TRAPS))
def test_no_false_positive_in_trap_category(category: str) -> None:
    for text in TRAPS[category]:
        assert found(text) == [], (category, text)


def test_trap_rejections_carry_the_reason() -> None:
    reasons = {r.text: r.reason for r in rejections("根据第二十条规定，于2021年3月15日，国务院令第711号")}
    assert reasons.get("二十条") == "ordinal"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("累计更新3095条。", [("3095条", 3095, "条", "eq")]),
        ("发布各类信息2万余条", [("2万余条", 20000, "条", "ge")]),
        ("每年投入约3万元。", [("约3万元", 30000, "元", "about")]),
        ("发布落实情况20余条", [("20余条", 20, "条", "ge")]),
        ("采购总金额5313.9461万元", [("5313.9461万元", 53139461, "元", "eq")]),
        ("收到留言１，２３４条", [("１，２３４条", 1234, "条", "eq")]),
        ("共有政务新媒体4个，分别是甲、乙", [("4个", 4, "个", "eq")]),
        ("受理申请三千零九十五件", [("三千零九十五件", 3095, "件", "eq")]),
        ("培训两次", [("两次", 2, "次", "eq")]),
        ("占比超八成", [("超八成", 80, "%", "ge")]),
        ("公开率100%，", [("100%", 100, "%", "eq")]),
        ("浏览量为 536 万，同比", [("536 万", 5360000, None, "eq")]),
        ("不予公开信息数79。", [("79", 79, None, "eq")]),
        ("在3个工作日内答复", [("3个工作日内", 3, "工作日", "le")]),
        ("2020年政府网站共收到群众留言81条，办结81条", [("81条", 81, "条", "eq"), ("81条", 81, "条", "eq")]),
        ("受理申请一件", [("一件", 1, "件", "eq")]),
    ],
)
def test_quantities_found(text: str, expected: list[tuple[str, float, str | None, str]]) -> None:
    assert found(text) == expected


def test_every_mention_explains_itself() -> None:
    for m in recognize("约3万元，20余条，34.82%，3个工作日"):
        assert m.parsed.explanation


def test_offsets_point_into_the_text() -> None:
    text = "截至2020年12月底，累计更新3095条。"
    (m,) = recognize(text)
    assert text[m.start : m.end] == "3095条"


@pytest.mark.parametrize("text", ["播放量破千万", "占地5万平方米", "2020年1月", "统一部署", "一是加强", "十四五"])
def test_not_quantities(text: str) -> None:
    assert found(text) == []
