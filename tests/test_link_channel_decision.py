"""The publication-channel decision after the linker (data/topics.yaml channel_decision)."""

from __future__ import annotations

import pytest

from pipeline.nlp.linker import channel_decision, channel_override, channel_places, load_model

WEB, PUB = "topic.website_updates", "topic.active_disclosure"


def _at(text: str, mention: str) -> tuple[int, int]:
    s = text.index(mention)
    return s, s + len(mention)


def _decide(text: str, mention: str, label: str | None) -> tuple[str, str] | None:
    s, e = _at(text, mention)
    return channel_decision(text, s, e, label)


def test_two_channels_in_the_phrase_are_pub() -> None:
    text = "2024年，通过政府网站、微信公众号等渠道共公开信息12条。"
    assert _decide(text, "12条", WEB) == (PUB, "phrase_multi")


def test_one_website_in_the_phrase_is_web() -> None:
    text = "本年度通过区政府网站主动公开政府信息35条。"
    assert _decide(text, "35条", PUB) == (WEB, "phrase_web")


def test_part_of_a_website_count_is_web() -> None:
    text = "2023年，我局在门户网站主动公开政府信息80条，其中工作动态40条、通知公告12条。"
    assert _decide(text, "12条", PUB) == (WEB, "parent_web")


def test_last_phrase_of_the_parent_decides() -> None:
    text = "通过公众号公开信息数30条，通过政府网站公开信息数16条，（其中机构职能1条、部门预算2条）。"
    assert {w: n for w, _, n in channel_places(text, *_at(text, "2条"))}["parent"] == ["web"]
    assert _decide(text, "2条", PUB) == (WEB, "parent_web")


def test_no_channel_named_keeps_the_model() -> None:
    text = "全年发布政府信息20条，其中机构职能3条。"
    assert _decide(text, "3条", PUB) is None
    assert _decide(text, "3条", WEB) is None


def test_breakdown_of_a_bare_active_disclosure_total_is_pub() -> None:
    text = "全年主动公开政府信息20条，其中机构职能3条。"
    assert _decide(text, "3条", WEB) == (PUB, "parent_pub")
    text = "通过门户网站主动公开政府信息20条，其中机构职能3条。"
    assert _decide(text, "3条", PUB) == (WEB, "parent_web")


def test_a_bare_total_of_government_information_is_pub() -> None:
    text = "全年我区各单位共公布政府信息260条(其中机构职能类信息8条)。"
    assert _decide(text, "260条", WEB) == (PUB, "phrase_pub")
    assert _decide(text, "260条", PUB) == (PUB, "phrase_pub")  # the same label: channel_override keeps the model's
    text = "依托门户网站平台，全年共公开政府信息260条。"
    assert _decide(text, "260条", PUB) == (WEB, "near_web")  # a website named in the sentence: not phrase_pub
    text = "全年共发布政务动态260条。"
    assert _decide(text, "260条", WEB) is None  # a bare 发布 count stays with the model


def test_a_confirmed_label_takes_the_publication_confidence() -> None:
    text = "全年我区各单位共公布政府信息260条。"
    s, e = _at(text, "260条")
    top = [(PUB, 0.51), (WEB, 0.44), ("none", 0.03)]
    assert channel_override(text, s, e, PUB, 0.51, top) == (PUB, 0.95, "phrase_pub")
    sure = [(PUB, 0.97), (WEB, 0.02), ("none", 0.01)]
    assert channel_override(text, s, e, PUB, 0.97, sure) is None  # the model was surer: nothing to add
    assert channel_override(text, s, e, WEB, 0.51, [(WEB, 0.51), (PUB, 0.2), ("none", 0.2)]) == (PUB, 0.71, "phrase_pub")


def test_a_list_going_on_from_a_two_channel_count_is_pub() -> None:
    text = "通过政府网站、政务公开栏等形式公开信息80条，政务动态40条。"
    assert _decide(text, "40条", WEB) == (PUB, "near_multi")


def test_a_sentence_naming_two_channels_is_pub() -> None:
    text = "全平台共发布信息90条，其中网站发布信息9条，官方微博发布21条；全年印发文件99件，其中通知类文件15件。"
    assert _decide(text, "15件", WEB) == (PUB, "sentence_multi")


def test_a_list_without_qizhong_follows_the_channel_it_opened_with() -> None:
    text = "2024年度通过区政府网累计公开政策文件12条，计划规划8条，部门事项30条，行政许可41条。"
    for mention in ("8条", "30条", "41条"):
        assert _decide(text, mention, PUB) == (WEB, "near_web")
    places = dict((w, n) for w, _, n in channel_places(text, *_at(text, "41条")))
    assert places["near"] == ["web"] and places["phrase"] == []


def test_the_nearest_channel_of_the_list_decides() -> None:
    text = "通过门户网站发布信息50条，通过微信公众号发布信息30条，推送动态12条。"
    assert _decide(text, "12条", PUB) == ("topic.new_media", "near_media")  # the nearest channel is new media


def test_a_qizhong_sibling_naming_a_website_does_not_decide_the_next_part() -> None:
    text = "2022年，主动公开信息90条，其中网站发布新闻类40条，通知类12条。"
    s, e = _at(text, "12条")
    assert dict((w, n) for w, _, n in channel_places(text, s, e))["near"] == []
    assert _decide(text, "12条", PUB) is None  # not near_web: the model's label stays


def test_a_parent_whose_website_is_named_earlier_in_its_sentence_is_web() -> None:
    text = "2023年，我乡主要通过乡人民政府网站集约化平台，主动公开政府信息共计32条。其中公示公告类信息3条，动态类信息22条。"
    assert _decide(text, "3条", PUB) == (WEB, "parent_web")
    assert _decide(text, "22条", PUB) == (WEB, "parent_web")


def test_a_part_naming_its_own_channel_takes_it() -> None:
    text = "在门户网站发布信息50条，其中通过微信公众号转发9条。"
    assert _decide(text, "9条", WEB) == ("topic.new_media", "phrase_media")


def test_a_nearer_place_naming_another_channel_keeps_the_model() -> None:
    text = "在门户网站发布信息50条，其中通过村务公开栏公开9条。"
    assert _decide(text, "9条", WEB) is None  # the phrase names a notice board: no rule reads it


def test_a_list_introduced_by_a_line_ending_with_a_colon() -> None:
    text = "2023年我局网站主动公开的信息如下：\n\n（1）公示公告类：规划信息15条，财政资金62条；（2）行业数据类：项目数据20条。\n"
    for mention in ("62条", "20条"):
        assert _decide(text, mention, PUB) == (WEB, "near_web")
    text = "2023年我局主动公开的信息如下：\n（1）公示公告类：规划信息15条，财政资金62条。\n"
    assert _decide(text, "62条", PUB) is None  # the introduction names no channel


def test_numbered_items_after_an_introduction_follow_its_channel() -> None:
    text = "2024年，市政府网站主动公开各类信息460条。具体为：\n1.更新公开指南2条。\n2.公开行政规范性文件3份，其他文件26份。\n3.法定主动公开信息：组织机构信息24条、规划计划68条。\n"
    for mention in ("26份", "68条"):
        assert _decide(text, mention, PUB) == (WEB, "near_web")
    text = "2024年，全市主动公开各类信息460条。具体为：\n1.更新公开指南2条。\n2.公开其他文件26份。\n"
    assert _decide(text, "26份", WEB) is None  # the introduction names no channel
    text = "通过门户网站发布信息40条：\n本单位另有说明。\n2.公开其他文件26份。\n"
    assert _decide(text, "26份", PUB) is None  # an unnumbered paragraph in between ends the walk


def test_an_enumeration_after_a_website_part_follows_it() -> None:
    text = "全年公开信息91条。其中向区政府网站报送信息91条，包括：统计分析54条，工作信息37条，包括动态信息15条、财政信息2条。"
    for mention in ("54条", "37条", "15条", "2条"):
        assert _decide(text, mention, PUB) == (WEB, "parent_web")
    text = "2019年公开信息主要包括指南、年报等，及时更新领导信息，截至目前共发布592条信息。"
    s, e = _at(text, "592条")
    assert [w for w, _, _ in channel_places(text, s, e)].count("parent") == 0  # 包括 lists no counts here


def test_parts_of_a_bare_disclosure_total_are_pub() -> None:
    text = "2022年，我委共公开政府信息68条，其中工作动态58条，部门预算信息5条。"
    assert _decide(text, "58条", WEB) == (PUB, "parent_pub")


def test_a_list_item_the_model_calls_none_follows_its_website_head() -> None:
    text = "2024年度通过区政府网累计公开政策文件12条，部门事项30条，权力清单41条，总访问量5万次。"
    assert _decide(text, "41条", None) == (WEB, "list_web")
    assert _decide(text, "5万次", None) is None  # only counts in the rule's units
    assert _decide("全年公开政策文件12条，部门事项30条。", "30条", None) is None  # no channel named


def test_other_labels_are_left_alone() -> None:
    text = "本年度通过区政府网站主动公开政府信息35条。"
    assert _decide(text, "35条", None) is None
    assert _decide(text, "35条", "topic.new_media") is None


@pytest.mark.skipif(load_model() is None, reason="no trained linker installed")
def test_link_span_names_the_rule_when_it_changes_the_label() -> None:
    from pipeline.nlp import link

    text = "2023年，我局在门户网站主动公开政府信息80条，其中机构职能3条、工作动态40条。"
    s, e = _at(text, "40条")
    res = link.link_span(text, s, e, "条")
    assert res.indicator in (WEB, PUB)
    if "channel rule" in res.explanation:
        assert res.indicator == WEB and "parent_web" in res.explanation


def test_no_channel_word_holds_a_phrase_end_mark() -> None:
    """channel_decision reads the sentence as its ``sentence`` and ``phrase`` places, cut at a
    phrase-end mark: a channel word holding one could straddle the cut."""
    from pipeline.nlp.linker import _PHRASE_END_CHARS, _word_table

    words = [w for _, ws in _word_table("channels") for w in ws]
    assert words and not [w for w in words if set(w) & set(_PHRASE_END_CHARS)]


def test_part_of_a_multi_channel_count_is_pub() -> None:
    """Round 10 (parent_multi): a 其中 part naming no channel of a count through two or more channels
    takes the parent's pub; a part naming its own channel still takes that channel."""
    text = "全年通过门户网站、微信公众号等发布各类信息900余条，其中概况类信息更新60条、政务动态信息更新300条。"
    assert _decide(text, "300条", WEB) == (PUB, "parent_multi")
    text = "全年通过门户网站、微信公众号等发布各类信息900余条，其中通过门户网站发布400条。"
    assert _decide(text, "400条", PUB) == (WEB, "phrase_web")


def test_a_bare_total_of_government_affairs_information_is_pub() -> None:
    """Round 10: 公开政务信息 reads as 公开政府信息 (phrase_pub and parent_pub)."""
    text = "2021年，共公开政务信息150条。其中规划计划2条，政务动态70条，公示公告40条。"
    assert _decide(text, "70条", WEB) == (PUB, "parent_pub")
    assert _decide(text, "150条", WEB) == (PUB, "phrase_pub")


def test_a_convergence_media_centre_is_a_new_media_channel() -> None:
    """Round 10: a 融媒体中心 is named as new media, so a count through it and the portal is pub."""
    text = "通过县政府门户网站、县融媒体中心等平台主动公开政府信息1200条，其中概况类信息100条。"
    assert _decide(text, "1200条", WEB) == (PUB, "phrase_multi")
    assert _decide(text, "100条", WEB) == (PUB, "parent_multi")


def test_a_disclosure_site_named_政务公开网_is_a_website() -> None:
    """Round 11: 政务公开网 names the body's disclosure website."""
    text = "主动在政务公开网上公开政府信息累计60条，其中工作动态30条，通知公告5条。"
    assert _decide(text, "60条", PUB) == (WEB, "phrase_web")
    assert _decide(text, "5条", PUB) == (WEB, "parent_web")
