"""The carried-in count inside parentheses is 上年结转, the number before it is 一+二."""

from __future__ import annotations

from pipeline.nlp.link import link_span


def test_parenthesised_carry_over() -> None:
    text = "2022年共收到政府信息公开申请44件（含上年结转3件），全年办结42件。"
    a = text.index("44件")
    b = text.index("3件")
    assert link_span(text, a, a + 3, "件").indicator == "t3.received_total.total"
    assert link_span(text, b, b + 2, "件").indicator == "t3.carried_over.total"
    t2 = "共收到政府信息公开申请（含上年结转）44件。"
    c = t2.index("44件")
    assert link_span(t2, c, c + 3, "件").indicator == "t3.received_total.total"


def test_unable_not_held_vs_the_whole_group() -> None:
    only = "因本机关不掌握相关信息无法提供9件。"
    group = "因本机关不掌握相关政府信息等原因无法提供8件。"
    i, j = only.index("9件"), group.index("8件")
    assert link_span(only, i, i + 2, "件").indicator == "t3.unable_not_held.total"
    assert link_span(group, j, j + 2, "件").indicator == "t3.unable.total"
