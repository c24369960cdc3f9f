"""The pure number grammar (pipeline.nlp.numbers): examples and hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.numbers import parse_number, parse_quantity, render_chinese

FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@pytest.mark.parametrize(
    "text,value",
    [
        ("3095", 3095),
        ("1,234", 1234),
        ("1,234,567.5", 1234567.5),
        ("３０９５", 3095),
        ("5313.9461万", 53139461),
        ("1.2亿", 120000000),
        ("三千零九十五", 3095),
        ("一万二千", 12000),
        ("一万二", 12000),
        ("三千五", 3500),
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百零一", 101),
        ("二〇二〇", 2020),
        ("零", 0),
        ("〇", 0),
        ("两千三百", 2300),
        ("一亿零五百万", 105000000),
        ("三点五", 3.5),
    ],
)
def test_parse_number(text: str, value: int | float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("bad", ["", "abc", "1,23", "十十", "三五", "万"])
def test_parse_number_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


@pytest.mark.parametrize(
    "text,value,unit,approx,kind",
    [
        ("3095条", 3095, "条", "eq", "count"),
        ("20余条", 20, "条", "ge", "count"),
        ("2万余条", 20000, "条", "ge", "count"),
        ("约3万元", 30000, "元", "about", "money"),
        ("5313.9461万元", 53139461, "元", "eq", "money"),
        ("984361元", 984361, "元", "eq", "money"),
        ("1.5亿元", 150000000, "元", "eq", "money"),
        ("二十余件", 20, "件", "ge", "count"),
        ("十几个", 10, "个", "ge", "count"),
        ("十多人", 10, "人", "ge", "count"),
        ("逾百家", 100, "家", "ge", "count"),
        ("超过50篇", 50, "篇", "ge", "count"),
        ("50场以上", 50, "场", "ge", "count"),
        ("不足10人", 10, "人", "le", "count"),
        ("不到3成", None, None, None, None),
        ("100件以下", 100, "件", "le", "count"),
        ("不少于2期", 2, "期", "ge", "count"),
        ("近200条", 200, "条", "about", "count"),
        ("300人次左右", 300, "人次", "about", "count"),
        ("5个工作日上下", 5, "工作日", "about", "duration"),
        ("3个工作日内", 3, "工作日", "le", "duration"),
        ("34.82%", 34.82, "%", "eq", "percent"),
        ("百分之三十", 30, "%", "eq", "percent"),
        ("八成以上", 80, "%", "ge", "percent"),
        ("5个百分点", 5, "百分点", "eq", "percent"),
        ("1万余人次", 10000, "人次", "ge", "count"),
        ("3 条", 3, "条", "eq", "count"),
        ("数百条", 100, "条", "ge", "count"),
        ("12批次", 12, "批次", "eq", "count"),
        ("7宗", 7, "宗", "eq", "count"),
        ("4笔", 4, "笔", "eq", "count"),
        ("6起", 6, "起", "eq", "count"),
        ("536 万", 5360000, None, "eq", "count"),
    ],
)
def test_parse_quantity(text: str, value: float | None, unit: str | None, approx: str | None, kind: str | None) -> None:
    if value is None:
        with pytest.raises(ValueError):
            parse_quantity(text)
        return
    p = parse_quantity(text)
    assert (p.value, p.unit, p.approx, p.kind) == (value, unit, approx, kind)
    assert p.explanation


def test_ranges() -> None:
    p = parse_quantity("3至5个工作日")
    assert (p.value, p.value_max, p.unit, p.kind) == (3, 5, "工作日", "duration")
    p = parse_quantity("10-15万元")
    assert (p.value, p.value_max, p.unit) == (100000, 150000, "元")
    with pytest.raises(ValueError):
        parse_quantity("5至3个")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1), st.booleans(), st.booleans())
def test_chinese_round_trip(n: int, liang: bool, colloquial: bool) -> None:
    assert parse_number(render_chinese(n, liang=liang, colloquial_ten=colloquial)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_forms(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n).translate(FULLWIDTH)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["条", "件", "个", "人次", "篇", "项"]), st.sampled_from(["", "余", "多"]))
def test_quantity_round_trip(n: int, unit: str, infix: str) -> None:
    p = parse_quantity(f"{n}{infix}{unit}")
    assert (p.value, p.unit, p.approx) == (n, unit, "ge" if infix else "eq")
    p = parse_quantity(f"{render_chinese(n)}{infix}{unit}")
    assert (p.value, p.unit) == (n, unit)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9999))
def test_wan_multiplier(a: int, frac: int) -> None:
    text = f"{a}.{frac:04d}万元"
    p = parse_quantity(text)
    assert p.value == a * 10000 + frac
    assert p.unit == "元" and p.kind == "money"
