"""Claims: zero statements, subject/action/time scope, 其中 / 分别 / enumeration relations.

Sentences are written for the tests; the seed test reads ../shared and skips without it."""

from __future__ import annotations

import json

from pipeline.model import Claim
from pipeline.nlp import analyze
from tests.conftest import REPO, SEED, needs_shared


def claims_of(text: str) -> list[Claim]:
    return analyze(text, [], [])[1]


def test_zero_statements() -> None:
    cs = claims_of("本年度未收到政府信息公开申请。全年没有发生行政复议、行政诉讼案件。未收取信息处理费。")
    zeros = {c.indicator: c for c in cs if c.polarity == "zero"}
    assert {"t3.new_received.total", "t4.review.total", "t4.litigation.total"} <= set(zeros)
    assert any(i and "fee" in i for i in zeros)
    assert all(c.value == 0 for c in zeros.values())


def test_not_a_zero_statement() -> None:
    cs = claims_of("因本机关不掌握相关信息无法提供的申请，依法告知。")
    assert [c for c in cs if c.polarity == "zero"] == []


def test_subject_action_time_scope() -> None:
    cs = [c for c in claims_of("2020年政府网站共收到群众留言81条，办结81条；公开答复69条。") if c.quantity_id]
    assert [(c.value, c.subject, c.action) for c in cs] == [(81, "群众留言", "收到"), (81, "群众留言", "办结"), (69, "群众留言", "公开答复")]
    assert all(c.time_scope == "2020年" for c in cs)


def test_time_scope_cutoff_and_cumulative() -> None:
    (c,) = [c for c in claims_of("截至2020年12月底，累计更新网站信息3095条。") if c.quantity_id]
    assert c.time_scope == "截至2020年12月底 累计"
    assert c.action == "更新" and c.subject == "网站信息"


def test_classifier_subject_after_the_number() -> None:
    (c,) = [c for c in claims_of("全县12个乡镇完成了目录编制。") if c.quantity_id]
    assert c.subject == "乡镇"


def test_qizhong_parts() -> None:
    cs = [c for c in claims_of("全年主动公开信息300条。其中，政策文件100条；工作动态200条。") if c.quantity_id]
    total, a, b = cs
    assert total.relation == {"type": "total", "parts": [a.id, b.id]}
    assert a.relation["type"] == "part_of" and a.relation["parent"] == total.id
    assert b.relation["parent"] == total.id


def test_fenbie_pairs() -> None:
    cs = [c for c in claims_of("本年度受理、办结申请分别为10件、8件。") if c.quantity_id]
    assert [c.value for c in cs] == [10, 8]
    assert cs[0].relation["type"] == "respectively"
    assert cs[0].relation["group"] == [cs[0].id, cs[1].id]
    assert [(c.action, c.subject) for c in cs] == [("受理", "申请"), ("办结", "申请")]
    assert cs[0].relation["labels"] == ["受理", "办结申请"]


def test_qizhong_parts_inherit_subject() -> None:
    cs = [c for c in claims_of("收到申请12件，其中予以公开5件，部分公开3件，无法提供4件。") if c.quantity_id]
    assert [(c.action, c.subject) for c in cs] == [("收到", "申请"), ("予以公开", "申请"), ("部分公开", "申请"), ("无法提供", "申请")]
    assert cs[0].relation == {"type": "total", "parts": [c.id for c in cs[1:]]}


def test_enumeration_item_count() -> None:
    (c,) = [c for c in claims_of("我单位共有政务新媒体3个，分别是甲微博、乙公众号及丙视频号。") if c.quantity_id]
    assert c.relation["type"] == "enumeration"
    assert c.relation["items"] == 3
    assert c.subject == "政务新媒体"


@needs_shared
def test_seed_narrative_claims() -> None:
    import pipeline

    if SEED is None or not SEED.exists():
        return
    rec = pipeline.process(SEED)
    gold = json.loads((REPO / "corpora" / "gold" / "quantities" / "kelan-2020.gold.json").read_text(encoding="utf-8"))
    sec = {s.key: (s.body_start, s.end) for s in rec.sections}
    got = {(q.start, q.end): q for q in rec.quantities}
    wanted = [g for g in gold["quantities"] if any(a <= g["start"] < b for k, (a, b) in sec.items() if k in ("s1", "s5"))]
    assert len(wanted) >= 25
    for g in wanted:
        q = got[(g["start"], g["end"])]
        assert (q.value, q.unit, q.approx) == (g["value"], g["unit"], g["approx"]), g
    by_text = {q.text: q for q in rec.quantities}
    assert (by_text["3095条"].value, by_text["3095条"].approx) == (3095, "eq")
    assert (by_text["20余条"].value, by_text["20余条"].approx) == (20, "ge")
    assert (by_text["2万余条"].value, by_text["2万余条"].approx) == (20000, "ge")
    assert (by_text["约3万元"].value, by_text["约3万元"].unit, by_text["约3万元"].approx) == (30000, "元", "about")
    zeros = {c.indicator for c in rec.claims if c.polarity == "zero"}
    assert "t3.new_received.total" in zeros and {"t4.review.total", "t4.litigation.total"} <= zeros
    # no claim and no quantity on a trap: document numbers, dates, the 12345 hotline
    for t in gold["traps"]:
        for q in rec.quantities:
            assert not (q.start < t["end"] and t["start"] < q.end), (t, q.text)
        for c in rec.claims:
            if c.quantity_id:
                q = next(q for q in rec.quantities if q.id == c.quantity_id)
                assert not (q.start < t["end"] and t["start"] < q.end)
    assert any(t["text"] == "12345" for t in gold["traps"])


def _zero(text: str) -> list[str]:
    from pipeline.nlp.claims import zero_claims

    return [c.indicator for c in zero_claims(text, [(0, len(text), "s1")])]


def test_zero_statement_patterns() -> None:
    assert _zero("本年度未收到政府信息公开申请。") == ["t3.new_received.total"]
    assert _zero("本年度无行政复议和行政诉讼案件。") == ["t4.review.total", "t4.litigation.total"]
    assert _zero("没有因政府信息公开申请行政复议或行政诉讼。") == ["t4.review.total", "t4.litigation.total"]
    assert _zero("本年度被申请行政复议2件；未发生政府信息公开行政诉讼。") == ["t4.litigation.total"]
    # not zero statements about totals
    assert _zero("目前未收到该申请人提交的补正。") == []
    assert _zero("未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。") == []
    assert _zero("尚未审结 总计 未经复议直接起诉") == []
    assert _zero("该复议件未被复议机关纠错。") == []


def test_qizhong_total_is_the_covering_count_and_shares() -> None:
    text = "全年共收到政府信息公开申请8件，涉及甲类信息2件、乙类信息6件。其中，同意公开3件，占比37.5%；无法提供5件，占比62.5%。"
    cs = [c for c in claims_of(text) if c.quantity_id]
    total = cs[0]
    assert total.value == 8 and total.relation["type"] == "total"
    parts = [c for c in cs if c.relation and c.relation["type"] == "part_of"]
    assert [c.value for c in parts] == [3, 5]
    assert all(c.relation["parent"] == total.id and c.subject == total.subject for c in parts)
    shares = [c for c in cs if c.relation and c.relation["type"] == "share"]
    assert [(c.value, c.relation["of"]) for c in shares] == [(37.5, parts[0].id), (62.5, parts[1].id)]


def test_qizhong_part_with_its_own_breakdown_in_brackets() -> None:
    text = "今年共发布财政信息300条，其中专项资金100条，预决算120条（政府预决算20条、部门预决算100条）、经费公开80条。"
    total, a, b, b1, b2, c = (x for x in claims_of(text) if x.quantity_id)
    assert total.relation == {"type": "total", "parts": [a.id, b.id, c.id]}
    assert b1.relation["parent"] == b2.relation["parent"] == b.id  # the bracket breaks down 预决算, not the total
    from pipeline.reconcile.narrative_narrative import check_parts

    assert {f.status for f in check_parts(claims_of(text))} == {"pass"}
