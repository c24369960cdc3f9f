"""Identity evaluation on tiny hand-made tables."""

from __future__ import annotations

from pipeline.model import Cell, Table
from pipeline.reconcile.identities import check_cross_year, check_identities, parse_formula

COLS = ["natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total"]


def _t4(values: list[int | None]) -> Table:
    ids = [
        f"t4.{b}.{c}" for b in ("review", "litigation_direct", "litigation_after_review") for c in ("upheld", "corrected", "other_result", "pending", "total")
    ]
    cells = [Cell(i, v, "" if v is None else str(v), None, None, "blank" if v is None else "explicit") for i, v in zip(ids, values, strict=True)]
    return Table("t4", "v2021", 0, 0, cells)


def _by_rule(tables: list[Table]) -> dict:
    return {f.rule: f for f in check_identities(tables)}


def test_parse_formula_cross_year() -> None:
    f = parse_formula("t2.rules.valid[N] ~= t2.rules.valid[N-1] + t2.rules.issued[N] - t2.rules.repealed[N]")
    assert f.op == "~=" and [t.rel for t in f.rhs] == [-1, 0, 0] and [t.sign for t in f.rhs] == [1, 1, -1]


def test_t4_sum_pass_and_fail() -> None:
    ok = _by_rule([_t4([1, 1, 0, 0, 2] + [0] * 10)])
    assert ok["identity.t4_sum__review"].status == "pass"
    bad = _by_rule([_t4([2, 0, 1, 0, 2] + [0] * 10)])
    f = bad["identity.t4_sum__review"]
    assert f.status == "fail" and f.severity == "error" and f.observed == 2 and f.expected == 3
    assert {e.ref for e in f.evidence} == {"t4.review.total", "t4.review.upheld", "t4.review.corrected", "t4.review.other_result", "t4.review.pending"}


def test_blank_total_is_blank_suspect_but_blank_on_the_large_side_is_a_real_failure() -> None:
    # total left blank while its parts are not: the failure may come from the blank alone
    f = _by_rule([_t4([1, 1, None, None, None] + [0] * 10)])["identity.t4_sum__review"]
    assert f.status == "uncertain" and "blank_suspect" in f.flags
    # a blank part cannot explain a total smaller than the other parts
    g = _by_rule([_t4([3, None, 0, 0, 2] + [0] * 10)])["identity.t4_sum__review"]
    assert g.status == "fail" and "blank_suspect" not in g.flags and "blank_as_zero" in g.flags


def test_passing_only_through_blanks_is_flagged() -> None:
    f = _by_rule([_t4([None] * 15)])["identity.t4_sum__review"]
    assert f.status == "pass" and "blank_as_zero" in f.flags


def test_missing_operand_is_not_assessable() -> None:
    t = _t4([1, 0, 0, 0, 1] + [0] * 10)
    t.cells = [c for c in t.cells if c.id != "t4.review.pending"]
    f = _by_rule([t])["identity.t4_sum__review"]
    assert f.status == "not_assessable"


def _t3(carry_forward_total: int, carried_over_total: int) -> Table:
    cells = []
    for row, tot in (("carry_forward", carry_forward_total), ("carried_over", carried_over_total)):
        for c in COLS:
            v = tot if c in ("natural_person", "total") else 0
            cells.append(Cell(f"t3.{row}.{c}", v, str(v), None, None))
    return Table("t3", "v2021", 0, 0, cells)


def test_cross_year_carry_over() -> None:
    res = {f.rule: f for f in check_cross_year([_t3(3, 0)], [_t3(0, 3)])}
    assert res["identity.xy_t3_carry__total"].status == "pass"
    res = {f.rule: f for f in check_cross_year([_t3(3, 0)], [_t3(0, 2)])}
    f = res["identity.xy_t3_carry__total"]
    assert f.status == "fail" and f.severity == "warning" and f.family == "cross_year"
    assert f.observed == 2 and f.expected == 3
