"""The indicator linker: rules, the trained model, versions, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.model import Claim, Quantity
from pipeline.nlp.link import link_claims, link_span, resolve_version, rule_link, text_template
from pipeline.nlp.linker import features, is_heldout, load_contexts, load_model, parse_marked, train


def span(text: str, mention: str) -> tuple[int, int]:
    s = text.index(mention)
    return s, s + len(mention)


@pytest.mark.parametrize(
    ("sentence", "mention", "unit", "expected"),
    [
        ("本年度新收政府信息公开申请12件。", "12件", "件", "t3.new_received.total"),
        ("共收到申请30件，其中上年结转3件。", "30件", "件", "t3.received_total.total"),
        ("共收到申请30件，其中上年结转3件。", "3件", "件", "t3.carried_over.total"),
        ("答复申请20件，其中依法不予公开2件。", "2件", "件", "t3.denied.total"),
        ("予以公开及部分公开258件。", "258件", "件", "t3.granted_or_partial.total"),
        ("被提起行政诉讼1起。", "1起", "起", "t4.litigation.total"),
        ("规范性文件本年共更新文件10件。", "10件", "件", "t2.normative_docs.issued"),
        ("收取信息处理费380元。", "380元", "元", "topic.info_processing_fee"),
        ("经公报主动公开本年度印发的市政府规章3件，废止市政府规章2件。", "3件", "件", "t2.rules.issued"),
        ("经公报主动公开本年度印发的市政府规章3件，废止市政府规章2件。", "2件", "件", "t2.rules.repealed"),
        ("全年共收到申请40件，已办结37件、正在办理3件。", "3件", "件", "t3.carry_forward.total"),
        ("全年办理政府信息依申请公开13件，均按时答复。", "13件", "件", "t3.results_total.total"),
        ("收到申请45件，其中予以公开19件，本机关不掌握相关政府信息15件。", "15件", "件", "t3.unable_not_held.total"),
        ("已办结的申请中予以公开9件、不属于本机关公开的10件。", "10件", "件", "t3.unable_not_held.total"),
        ("收到申请6件，其中因不掌握信息等原因无法提供4件。", "4件", "件", "t3.unable.total"),
    ],
)
def test_rules_for_unambiguous_phrasings(sentence: str, mention: str, unit: str, expected: str) -> None:
    s, e = span(sentence, mention)
    hit = rule_link(sentence, s, e, unit)
    assert hit is not None and hit[0]["indicator"] == expected


@pytest.mark.parametrize(
    ("sentence", "mention"),
    [
        ("全年共收到和办理依申请公开9件，上年度结转申请0件。", "9件"),  # received, not results
        ("已办结37件，正在办理申请3件。", "3件"),  # still open: carry-forward, not results
    ],
)
def test_handling_words_that_are_not_results(sentence: str, mention: str) -> None:
    s, e = span(sentence, mention)
    hit = rule_link(sentence, s, e, "件")
    assert hit is None or hit[0]["indicator"] != "t3.results_total.total"


def test_wider_categories_are_not_normative_docs() -> None:
    text = "全年制发政策性文件11件。"
    s, e = span(text, "11件")
    assert rule_link(text, s, e, "件") is None


def test_version_resolution() -> None:
    assert resolve_version("t2.normative_docs.issued", "v2019") == "t2.normative_docs.new_made"
    assert resolve_version("t2.normative_docs.new_made", "v2021") == "t2.normative_docs.issued"
    assert resolve_version("t2.normative_docs.valid", "v2019") is None
    assert resolve_version("t3.new_received.total", "v2019") == "t3.new_received.total"
    assert text_template("信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量") == "v2019"
    assert text_template("信息内容\t本年制发件数\t本年废止件数\t现行有效件数") == "v2021"


def test_contexts_parse_and_split() -> None:
    text, spans = parse_marked("收到申请{5件|new}，办结{4件|t3.results_total.total}。", {"new": "t3.new_received.total"})
    assert text == "收到申请5件，办结4件。"
    assert spans == [(4, 6, "t3.new_received.total"), (9, 11, "t3.results_total.total")]
    exs = load_contexts()
    assert len(exs) >= 400
    held = {e.doc for e in exs if is_heldout(e.doc, e.source)}
    assert held and all(d[-1] in "789" for d in held)
    assert not any(is_heldout(e.doc, e.source) for e in exs if e.source == "lines")


def test_features_do_not_depend_on_digits() -> None:
    a = "全年共收到群众留言81条，办结81条。"
    b = "全年共收到群众留言95条，办结95条。"
    assert features(a, *span(a, "81条")) == features(b, *span(b, "95条"))


model_needed = pytest.mark.skipif(load_model() is None, reason="no trained linker in models/linker (run `nianbao train`)")


@model_needed
def test_model_links_narrative_topics_and_confidence() -> None:
    text = "2021年，区政府网站共收到网民留言56条，办结55条；公开答复40条。区长热线受理群众诉求2300件。全县共有政务新媒体7个。"
    want = {"56条": "topic.messages", "55条": "topic.messages", "40条": "topic.messages", "2300件": "topic.hotline", "7个": "topic.new_media"}
    got = {m: link_span(text, *span(text, m), m[-1]).indicator for m in want}
    assert sum(got[m] == want[m] for m in want) >= 4, got
    r = link_span(text, *span(text, "56条"), "条")
    assert 0.0 < r.confidence <= 1.0 and r.method == "model"


@model_needed
def test_link_claims_sets_indicator_and_confidence_in_place() -> None:
    text = "本年度新收政府信息公开申请12件，全部办结。"
    s, e = span(text, "12件")
    q = Quantity(id="q1", start=s, end=e, text="12件", value=12, unit="件")
    c = Claim(id="c1", start=0, end=e, quantity_id="q1", value=12, unit="件", approx="eq", subject="政府信息公开申请", indicator=None, confidence=0.0)
    link_claims(text, [c], [q])
    assert c.indicator == "t3.new_received.total" and c.confidence >= 0.9 and "rule" in c.explanation


def test_training_is_deterministic(tmp_path: Path) -> None:
    ctx = tmp_path / "ctx.yaml"
    docs = [
        "收到申请{5件|new}，办结{4件|done}。网站发布信息{300条|web}。",
        "新收申请{8件|new}，答复{8件|done}。网站更新信息{120条|web}。",
        "受理申请{2件|new}，办理完毕{2件|done}。网站共发布{90条|web}。",
        "共收到申请{11件|new}，已办结{10件|done}。门户网站发布{45条|web}。",
        "收到依申请公开{3件|new}，办结{3件|done}。网站信息{60条|web}。",
        "收到申请{7件|new}，办结{6件|done}。网站发布动态{30条|web}。",
    ]
    lines = "\n".join(f"  - id: t{i}\n    text: {d}" for i, d in enumerate(docs, 1))
    ctx.write_text(
        "aliases: {new: t3.new_received.total, done: t3.results_total.total, web: topic.website_updates}\ndocs:\n" + lines + "\n",
        encoding="utf-8",
    )
    empty = tmp_path / "gold"
    empty.mkdir()
    digests = []
    for run in ("a", "b"):
        out = tmp_path / run
        train(out, ctx, empty, holdout=False)
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())})
    assert digests[0] == digests[1] and len(digests[0]) == 4


def test_features_read_half_width_punctuation_as_full_width() -> None:
    full = "（三）推进政务公开。全区通过门户网站发布信息，涉及民生（含教育）等领域：全年共发布各类信息77条；办结率100%。"
    half = full.replace("，", ",").replace("（", "(").replace("）", ")").replace("：", ":").replace("；", ";")
    assert half != full
    assert features(half, *span(half, "77条")) == features(full, *span(full, "77条"))


def test_list_parent_channel() -> None:
    from pipeline.nlp.linker import list_parent

    text = "全年依托区政府网站发布政府信息60条。其中工作动态30条、通知公告8条、预决算信息2条。\n全年公开信息9条，其中政策文件5条。"
    assert list_parent(text, text.index("2条")) == "全年依托区政府网站发布政府信息60条"
    assert "pch:web" in features(text, *span(text, "2条"))
    assert "pch:0" in features(text, *span(text, "5条"))
    assert "chp:web" in features(text, *span(text, "2条"))
    assert list_parent(text, text.index("60条")) is None
    # two channels in the count's own phrase make it a multi-channel count; one of its own is ch1
    multi = "通过网站、微信公众号等渠道共公开信息50条，其中经微信公众号推送20条。"
    assert "chn:2" in features(multi, *span(multi, "50条"))
    assert "ch1:media" in features(multi, *span(multi, "20条"))


def test_previous_sentence_cue() -> None:
    from pipeline.nlp.linker import previous_sentence

    text = "（一）主动公开方面。全区依托门户网站发布信息。全年共发布各类信息77条。\n全年公开环评信息131条。"
    assert previous_sentence(text, text.index("77条")) == "全区依托门户网站发布信息"
    assert "pk:topic.website_updates" in features(text, *span(text, "77条"))
    # a paragraph break ends the previous sentence's reach
    assert previous_sentence(text, text.index("131条")) == ""
    assert not any(f.startswith("pk:") for f in features(text, *span(text, "131条")))


@pytest.mark.parametrize(
    ("sentence", "mention", "unit"),
    [
        ("清理后确定继续有效的行政规范性文件33件。", "33件", "件"),  # a 清理 result, not the table's 现行有效
        ("本局行政许可事项13项，比上年减少3项。", "13项", "项"),  # kinds of licence, not decisions
        ("本局行政处罚事项36项。", "36项", "项"),
        ("按照受理、审核、答复、行政复议和行政诉讼、存档十个流程办理。", "十个", "个"),  # an enumeration
    ],
)
def test_rules_stay_silent_on_lookalikes(sentence: str, mention: str, unit: str) -> None:
    s, e = span(sentence, mention)
    assert rule_link(sentence, s, e, unit) is None


def test_parts_inherit_a_topic_only_over_a_weak_link() -> None:
    from pipeline.nlp.link import inherit_topics

    def claim(cid: str, indicator: str | None, confidence: float, parent: str | None = None) -> Claim:
        rel = {"type": "part_of", "parent": parent} if parent else None
        return Claim(
            id=cid, start=0, end=1, quantity_id=None, value=1, unit="条", approx="eq", subject=None, indicator=indicator, confidence=confidence, relation=rel
        )

    total = claim("c1", "topic.active_disclosure", 0.9)
    weak_none, sure_none, weak_other = claim("c2", None, 0.45, "c1"), claim("c3", None, 0.9, "c1"), claim("c4", "topic.training", 0.5, "c1")
    inherit_topics([total, weak_none, sure_none, weak_other])
    assert weak_none.indicator == weak_other.indicator == "topic.active_disclosure"
    assert sure_none.indicator is None  # a confident none stays
