"""Each reconciliation rule on tiny hand-made tables and claims."""

from __future__ import annotations

from pipeline.model import Cell, Claim, Meta, Table
from pipeline.reconcile import reconcile
from pipeline.reconcile.fees import check_fees
from pipeline.reconcile.narrative import check_claim, holds, upper_for_ge
from pipeline.reconcile.narrative_narrative import action_of, check_narrative
from pipeline.reconcile.plausibility import check_plausibility, is_county_level


def table(key: str, template: str, values: dict[str, float | None], blank: tuple[str, ...] = ()) -> Table:
    cells = []
    for i, (cid, v) in enumerate(values.items()):
        cells.append(
            Cell(
                id=cid, value=v, raw="" if cid in blank else str(v), start=1000 + 10 * i, end=1002 + 10 * i, provenance="blank" if cid in blank else "explicit"
            )
        )
    return Table(key=key, template=template, start=900, end=2000, cells=cells)


def claim(cid: str, value: float, indicator: str | None, unit: str | None = "件", approx: str = "eq", conf: float = 0.95, start: int = 0, **kw) -> Claim:
    return Claim(
        id=cid,
        start=start,
        end=start + 6,
        quantity_id=None,
        value=value,
        unit=unit,
        approx=approx,
        subject=kw.pop("subject", "收到申请"),
        indicator=indicator,
        confidence=conf,
        **kw,
    )


T3 = table(
    "t3",
    "v2019",
    {
        "t3.new_received.total": 58,
        "t3.carried_over.total": 2,
        "t3.granted.total": 30,
        "t3.partial_granted.total": 4,
        "t3.denied_state_secret.total": 1,
        "t3.denied_law_prohibited.total": 0,
        "t3.denied_security_stability.total": 0,
        "t3.denied_third_party.total": 2,
        "t3.denied_internal_affairs.total": 0,
        "t3.denied_process_info.total": 0,
        "t3.denied_enforcement_file.total": 0,
        "t3.denied_admin_query.total": 0,
        "t3.results_total.total": 55,
        "t3.carry_forward.total": 5,
    },
)


# ---------------------------------------------------------------- narrative vs table


def test_equality_pass_and_fail() -> None:
    ok = check_claim(claim("c1", 58, "t3.new_received.total"), [T3], "f1")
    assert ok is not None and ok.status == "pass" and ok.severity == "info"
    bad = check_claim(claim("c1", 57, "t3.new_received.total"), [T3], "f1")
    assert bad is not None and bad.status == "fail" and bad.severity == "warning"
    assert bad.expected == 58 and bad.observed == 57
    assert {e.kind for e in bad.evidence} == {"claim", "cell"}
    assert "57" in bad.message and "58" in bad.message


def test_lower_bound_for_yu_and_tolerance_for_yue() -> None:
    assert holds(50, 58, "ge") and not holds(60, 58, "ge")
    assert upper_for_ge(20) == 30 and upper_for_ge(20000) == 30000
    assert not holds(20, 31, "ge")  # 20余 is not 31
    assert holds(60, 58, "about") and not holds(70, 58, "about")
    assert check_claim(claim("c1", 50, "t3.new_received.total", approx="ge"), [T3], "f1").status == "pass"
    assert check_claim(claim("c1", 60, "t3.new_received.total", approx="about"), [T3], "f1").status == "pass"


def test_derived_cell_denied_total() -> None:
    f = check_claim(claim("c1", 3, "t3.denied.total"), [T3], "f1")
    assert f.status == "pass" and f.expected == 3
    assert len([e for e in f.evidence if e.kind == "cell"]) == 8


def test_carry_over_sentence_compares_with_received_total() -> None:
    f = check_claim(claim("c1", 60, "t3.received_total.total"), [T3], "f1")
    assert f.status == "pass"


def test_alternative_cell_gives_uncertain_with_reason() -> None:
    # narrated 收到60件 linked to 本年新收 (58) but equal to 一 + 二 = 60
    f = check_claim(claim("c1", 60, "t3.new_received.total"), [T3], "f1")
    assert f.status == "uncertain" and "alternative_cell" in f.flags and "probably" in f.message


def test_weak_link_is_uncertain_not_fail() -> None:
    f = check_claim(claim("c1", 99, "t3.new_received.total", conf=0.4), [T3], "f1")
    assert f.status == "uncertain" and "weak_link" in f.flags and "0.40" in f.message
    assert f.confidence == 0.4


def test_zero_statement_rule() -> None:
    t = table("t4", "v2019", {"t4.review.total": 1})
    z = claim("c1", 0, "t4.review.total", unit=None, polarity="zero")
    f = check_claim(z, [t], "f1")
    assert f.rule == "narrative_table.zero" and f.status == "fail"


def test_both_template_versions_for_normative_docs() -> None:
    v19 = table("t2", "v2019", {"t2.normative_docs.new_made": 10})
    v21 = table("t2", "v2021", {"t2.normative_docs.issued": 6})
    c = claim("c1", 10, "t2.normative_docs.issued")
    f = check_claim(c, [v19], "f1")
    assert f.status == "pass" and c.indicator == "t2.normative_docs.new_made"
    c2 = claim("c2", 6, "t2.normative_docs.new_made")
    assert check_claim(c2, [v21], "f1").status == "pass" and c2.indicator == "t2.normative_docs.issued"
    # 现行有效 has no v2019 cell
    f3 = check_claim(claim("c3", 48, "t2.normative_docs.valid"), [v19], "f1")
    assert f3.status == "not_assessable"


def test_money_unit_conversion_and_rounding() -> None:
    t2 = table("t2", "v2021", {"t2.admin_fees.amount": 12.6})
    f = check_fees([claim("c1", 126000, "t2.admin_fees.amount", unit="元")], [t2])
    assert f[0].rule == "fees.admin_fees_amount" and f[0].status == "pass"
    t2b = table("t2", "v2021", {"t2.admin_fees.amount": 5949.088667})
    f = check_fees([claim("c1", 59490900, "t2.admin_fees.amount", unit="元")], [t2b])  # 5949.09万元
    assert f[0].status == "pass"
    f = check_fees([claim("c1", 59500000, "t2.admin_fees.amount", unit="元")], [t2b])
    assert f[0].status == "fail" and f[0].severity == "warning"


def test_topics_and_unlinked_claims_are_not_compared_with_cells() -> None:
    assert check_claim(claim("c1", 81, "topic.messages", unit="条"), [T3], "f1") is None
    assert check_claim(claim("c1", 81, None), [T3], "f1") is None


# ---------------------------------------------------------------- narrative vs narrative


def test_restated_quantity_agrees_or_fails() -> None:
    cs = [claim("c1", 58, "t3.new_received.total"), claim("c2", 58, "t3.new_received.total", start=500)]
    assert [f.status for f in check_narrative(cs) if f.rule == "narrative_narrative.restated"] == ["pass"]
    cs[1].value = 56
    fs = [f for f in check_narrative(cs) if f.rule == "narrative_narrative.restated"]
    assert fs[0].status == "fail" and fs[0].severity == "warning"


def test_parts_from_relations_exceed_or_sum() -> None:
    total = claim("c1", 10, "topic.messages", relation={"type": "total", "parts": ["c2", "c3"]})
    p1 = claim("c2", 6, "topic.messages", start=20, relation={"type": "part_of", "parent": "c1"})
    p2 = claim("c3", 5, "topic.messages", start=30, relation={"type": "part_of", "parent": "c1"})
    fs = [f for f in check_narrative([total, p1, p2]) if f.rule == "narrative_narrative.parts"]
    assert fs[0].status == "fail" and "more than the total" in fs[0].message
    # parts not linked like the total: the list may mix categories -> uncertain, with the reason
    p1.indicator = None
    fs = [f for f in check_narrative([total, p1, p2]) if f.rule == "narrative_narrative.parts"]
    assert fs[0].status == "uncertain" and "mix categories" in fs[0].message
    p1.indicator = "topic.messages"
    # a part linked to an unrelated table cell is not a part of this total
    p3 = claim("c4", 50, "t3.results_total.total", start=40, relation={"type": "part_of", "parent": "c1"})
    fs = [f for f in check_narrative([total, p1, p2, p3]) if f.rule == "narrative_narrative.parts"]
    assert "c4" not in {e.ref for e in fs[0].evidence}
    p2.value = 3
    p2.relation["complete"] = True
    fs = [f for f in check_narrative([total, p1, p2]) if f.rule == "narrative_narrative.parts"]
    assert fs[0].status == "fail" and "less than the total" in fs[0].message
    p2.relation["complete"] = False
    assert [f.status for f in check_narrative([total, p1, p2]) if f.rule == "narrative_narrative.parts"] == ["pass"]


def test_parts_from_indicator_structure() -> None:
    cs = [
        claim("c1", 41, "t3.new_received.total"),
        claim("c2", 36, "t3.new_received.natural_person", start=10),
        claim("c3", 4, "t3.new_received.org_subtotal", start=20),
    ]
    fs = [f for f in check_narrative(cs) if f.rule == "narrative_narrative.parts"]
    assert fs[0].status == "fail" and "complete" in fs[0].flags


def test_resolved_not_more_than_received() -> None:
    text = "网站收到群众留言81条，办结81条；公开答复69条。热线已处置诉求384条，待处置17条。"
    cs = []
    spans = [(0, text.index("81条") + 3), (text.index("，办结") + 1, text.index("，办结") + 6), (text.index("公开答复"), text.index("69条") + 3)]
    vals = [81, 81, 69]
    for i, ((s, e), v) in enumerate(zip(spans, vals, strict=True), 1):
        cs.append(claim(f"c{i}", v, "topic.messages", unit="条", start=s))
        cs[-1].end = e
    assert [action_of(c, text) for c in cs] == ["received", "resolved", "replied"]
    fs = [f for f in check_narrative(cs, text=text) if f.rule == "narrative_narrative.resolved_le_received"]
    assert [f.status for f in fs] == ["pass", "pass"]
    cs[2].value = 90
    fs = [f for f in check_narrative(cs, text=text) if f.rule == "narrative_narrative.resolved_le_received"]
    assert [f.status for f in fs] == ["pass", "fail"] and fs[1].severity == "warning"
    # 待处置 is pending, not resolved: no comparison with 已处置
    s = text.index("待处置")
    pend = claim("c9", 17, "topic.hotline", unit="条", start=s)
    pend.end = s + 7
    assert action_of(pend, text) == "pending"


def test_application_results_not_more_than_received() -> None:
    cs = [claim("c1", 58, "t3.new_received.total"), claim("c2", 2, "t3.carried_over.total", start=10), claim("c3", 61, "t3.results_total.total", start=20)]
    fs = [f for f in check_narrative(cs) if f.rule == "narrative_narrative.resolved_le_received"]
    assert fs[0].status == "fail" and fs[0].expected == "<= 60"


def test_enumeration_count() -> None:
    c = claim("c1", 4, "topic.new_media", unit="个", relation={"type": "enumeration", "items": ["a", "b", "c"]})
    fs = [f for f in check_narrative([c]) if f.rule == "narrative_narrative.enumeration"]
    assert fs[0].status == "fail" and fs[0].observed == 3
    c.relation = {"type": "enumeration", "items": 4}
    assert [f.status for f in check_narrative([c]) if f.rule == "narrative_narrative.enumeration"] == ["pass"]


def test_narrative_checks_are_never_errors() -> None:
    cs = [claim("c1", 99, "t3.new_received.total"), claim("c2", 98, "t3.new_received.total", start=50), claim("c3", 200, "t3.results_total.total", start=80)]
    fs = reconcile([T3], cs)
    narrative = [f for f in fs if f.family in ("narrative_table", "narrative_narrative")]
    assert any(f.status == "fail" for f in narrative)
    assert all(f.severity != "error" for f in narrative)


# ---------------------------------------------------------------- plausibility


def test_rules_by_county_level_body() -> None:
    t2 = table("t2", "v2019", {"t2.rules.new_made": 2, "t2.rules.new_published": 2})
    assert is_county_level("某某县人民政府") and is_county_level("某市某某区人民政府")
    assert not is_county_level("某某市人民政府") and not is_county_level("某某自治区人民政府办公厅")
    fs = check_plausibility([t2], [], Meta(agency="某某县人民政府"))
    assert [(f.rule, f.status, f.severity) for f in fs] == [("plausibility.rules_by_county", "fail", "warning")]
    assert check_plausibility([t2], [], Meta(agency="某某市人民政府")) == []
    assert check_plausibility([t2], [], Meta(agency="某某省财政厅")) == []
    assert check_plausibility([t2], [], Meta(agency="上海市某某委员会")) == []
    assert [f.status for f in check_plausibility([t2], [], Meta(agency="某某市应急管理局"))] == ["fail"]
    t0 = table("t2", "v2019", {"t2.rules.new_made": 0})
    assert [f.status for f in check_plausibility([t0], [], Meta(agency="某某县人民政府"))] == ["pass"]


def test_negative_counts() -> None:
    t2 = table("t2", "v2019", {"t2.admin_license.items_change": -71, "t2.admin_license.decisions": -3})
    fs = check_plausibility([t2], [], None)
    assert [f.evidence[0].ref for f in fs if f.status == "fail"] == ["t2.admin_license.decisions"]


def test_percentage_matches_counts() -> None:
    n = claim("c1", 805, None, start=0, subject="收到申请")
    num = claim("c2", 258, None, start=40, subject="予以公开及部分公开")
    p = claim("c3", 32.0, None, unit="%", start=50, subject="占")
    fs = check_plausibility([], [n, num, p], None)
    assert [f.status for f in fs] == ["pass"]
    p.value = 33.9
    fs = check_plausibility([], [n, num, p], None)
    assert fs[0].status == "fail" and fs[0].severity == "warning"
    # a growth rate is not a share
    p.subject = "同比增长"
    assert check_plausibility([], [n, num, p], None) == []


# ---------------------------------------------------------------- fees


def test_info_fee_is_not_admin_fee() -> None:
    t2 = table("t2", "v2021", {"t2.admin_fees.amount": 0.038})
    fee = claim("c1", 380, "topic.info_processing_fee", unit="元", section="s6")
    fs = check_fees([fee], [t2])
    assert [(f.rule, f.status) for f in fs] == [("fees.info_fee_in_table", "fail")]
    t2b = table("t2", "v2021", {"t2.admin_fees.amount": 12.6})
    assert check_fees([fee], [t2b]) == []


def test_fee_notices_against_unpaid_row() -> None:
    t3 = table("t3", "v2021", {"t3.other_unpaid_fee.total": 2})
    n = claim("c1", 1, "topic.info_processing_fee", unit="件", subject="发出收费通知")
    fs = check_fees([n], [t3])
    assert fs[0].rule == "fees.fee_notices_vs_unpaid" and fs[0].status == "fail"
    n.value = 3
    assert check_fees([n], [t3])[0].status == "pass"


def test_blank_total_is_recomputed_from_applicant_columns() -> None:
    cols = ("natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other")
    vals: dict[str, float | None] = {f"t3.granted.{c}": v for c, v in zip(cols, (258, 12, None, None, 1, 1), strict=True)}
    vals |= {f"t3.partial_granted.{c}": v for c, v in zip(cols, (3, None, None, None, None, None), strict=True)}
    vals |= {"t3.granted.total": None, "t3.partial_granted.total": None}
    blanks = tuple(k for k, v in vals.items() if v is None)
    t3 = table("t3", "v2019", vals, blank=blanks)
    f = check_claim(claim("c1", 258, "t3.granted_or_partial.total"), [t3], "f1")
    assert f.status == "fail" and f.expected == 275 and "total_blank_column_sum" in f.flags
    assert "blank" in f.message and "275" in f.message
    assert check_claim(claim("c1", 275, "t3.granted_or_partial.total"), [t3], "f1").status == "pass"


def _at(text: str, cid: str, mention: str, clause_start: str, value: float, unit: str) -> Claim:
    e = text.index(mention) + len(mention)
    c = claim(cid, value, None, unit=unit, start=text.index(clause_start))
    c.end = e
    return c


def test_percentage_read_from_text() -> None:
    text = "全年答复申请805件。予以公开258件，占33.9%；不予公开35件，占4.34%。申请量同比回落12.3%。"
    base = _at(text, "c1", "805件", "全年", 805, "件")
    n1 = _at(text, "c2", "258件", "予以", 258, "件")
    p1 = _at(text, "c3", "33.9%", "占33", 33.9, "%")
    n2 = _at(text, "c4", "35件", "不予", 35, "件")
    p2 = _at(text, "c5", "4.34%", "占4", 4.34, "%")
    growth = _at(text, "c6", "12.3%", "申请量", 12.3, "%")
    fs = check_plausibility([], [base, n1, p1, n2, p2, growth], None, text=text)
    assert [(f.status, f.observed) for f in fs] == [("fail", 33.9), ("pass", 4.34)]  # 35/805 = 4.348, printed truncated
    assert "805" in fs[0].message and "32.05" in fs[0].message
