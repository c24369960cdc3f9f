"""Round-10 link rules (``link_rules`` in ``data/claims.yaml``): hotline counts, audience figures,
category counts and 对N项…解读.  Sentences written for these tests."""

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


def test_a_number_opening_what_is_interpreted() -> None:
    text = "全年对区政府印发的14个政策文件制作图解、视频等解读材料30个。"
    ind, method, _ = _link(text, "14个", "个")
    assert (ind, method) == ("topic.policy_interpretation", "rule")
    # a count after 对 with no 解读 following is left to the model
    ind, method, _ = _link("对辖区内25个村开展政务公开检查。", "25个", "个")
    assert method != "rule" or ind != "topic.policy_interpretation"
