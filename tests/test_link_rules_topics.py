"""Link rules for topics and none (``link_rules`` in ``data/claims.yaml``, rounds 10 and 11): hotline
counts, audience figures, category counts, 对N项…解读, columns added, 意见征集 items and the 不掌握 row.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from pipeline.nlp.link import link_span


def _link(text: str, mention: str, unit: str | None = None) -> tuple[str | None, str, str]:
    i = text.index(mention)
    r = link_span(text, i, i + len(mention), unit)
    return r.indicator, r.method, r.explanation


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("全年受理市长热线、局长信箱、微信留言等群众诉求120余件，办结率100%。", "120余件"),
        ("办理“12345”政务服务便民热线转办工单86件。", "86件"),
        ("其中12345转办事项15件，均按期办结。", "15件"),
    ],
)
def test_hotline_named_in_the_phrase(text: str, mention: str) -> None:
    ind, method, why = _link(text, mention, "件")
    assert (ind, method) == ("topic.hotline", "rule")
    assert "12345" in why or "热线" in why


def test_hotline_rule_leaves_other_items_and_programmes() -> None:
    # the count after another item of the list, and a radio programme the body joined
    ind, method, _ = _link("办理12345热线工单30件、人大代表建议12件。", "12件", "件")
    assert method != "rule" or ind != "topic.hotline"
    ind, method, _ = _link("参加行风热线节目3次。", "3次", "次")
    assert method != "rule" or ind != "topic.hotline"
    ind, method, _ = _link("制作《民情热线》节目4期。", "4期", "期")
    assert method != "rule" or ind != "topic.hotline"


@pytest.mark.parametrize(
    ("text", "mention", "unit"),
    [
        ("门户网站全年总访问量达35万次。", "35万次", "次"),
        ("政务微博“幸福某地”拥有粉丝12.5万。", "12.5万", None),
        ("微信公众号关注人数达8000人。", "8000人", "人"),
        ("专题页面点击量达到4200人次。", "4200人次", "人次"),
    ],
)
def test_audience_figures_are_none_by_rule(text: str, mention: str, unit: str | None) -> None:
    ind, method, why = _link(text, mention, unit)
    assert (ind, method) == (None, "rule")
    assert why.startswith("rule none (an audience or traffic figure")


def test_a_subscription_account_is_not_an_audience() -> None:
    ind, method, _ = _link("通过微信订阅号发布信息320条。", "320条", "条")
    assert method != "rule" or ind is not None


@pytest.mark.parametrize(("text", "mention"), [("主动公开机构职能、财政预决算等六大类信息。", "六大类"), ("形成覆盖12大领域的公开清单。", "12大领域")])
def test_category_counts_are_none_by_rule(text: str, mention: str) -> None:
    ind, method, why = _link(text, mention)
    assert (ind, method) == (None, "rule")
    assert "categories" in why


def test_sections_of_a_website_are_not_categories() -> None:
    """板块 of a website's disclosure column are its columns (round 11): no none rule fires."""
    _, method, _ = _link("优化政务公开专栏，按机构概况、法规政策等8大板块梳理公开内容。", "8大板块")
    assert method != "rule"


def test_columns_added_to_a_website() -> None:
    ind, method, _ = _link("在网站首页增设营商环境、乡村振兴等4个专栏，方便群众查阅。", "4个", "个")
    assert (ind, method) == ("topic.public_platforms", "rule")
    # the content columns of a new-media account are not
    ind, method, _ = _link("在微信公众号开设“政策早知道”等3个专栏。", "3个", "个")
    assert method != "rule" or ind != "topic.public_platforms"


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("全年在门户网站发布信息300条，其中政策解读信息20条、发布意见征集类信息9条。", "9条"),
        ("开展网上调查3期、在线访谈2期。", "3期"),
    ],
)
def test_consultation_items_are_none_by_rule(text: str, mention: str) -> None:
    ind, method, why = _link(text, mention, mention[-1])
    assert (ind, method) == (None, "rule")
    assert "意见征集" in why


def test_consultation_rule_leaves_the_next_item() -> None:
    ind, method, _ = _link("开展意见征集5次、回应关切12条。", "12条", "条")
    assert method != "rule" or ind is not None


def test_not_held_row_without_the_word_information() -> None:
    text = "全年办理政府信息公开申请7件，予以公开2件，本机关不掌握3件，不予公开1件。"
    ind, method, _ = _link(text, "3件", "件")
    assert (ind, method) == ("t3.unable_not_held.total", "rule")
    # with 等 it is the whole group, as before
    ind, _, _ = _link("因本机关不掌握等原因无法提供5件。", "5件", "件")
    assert ind == "t3.unable.total"


def test_a_number_opening_what_is_interpreted() -> None:
    text = "全年对区政府印发的14个政策文件制作图解、视频等解读材料30个。"
    ind, method, _ = _link(text, "14个", "个")
    assert (ind, method) == ("topic.policy_interpretation", "rule")
    # a count after 对 with no 解读 following is left to the model
    ind, method, _ = _link("对辖区内25个村开展政务公开检查。", "25个", "个")
    assert method != "rule" or ind != "topic.policy_interpretation"
