"""Speed shortcuts in reconcile give exactly what the plain forms give."""

from __future__ import annotations

import itertools
import random

import pipeline
from pipeline.model import Cell, Claim, Evidence, Table
from pipeline.reconcile import identities as ident_mod
from pipeline.reconcile.fees import ADMIN_FEES, INFO_FEE, check_fees


def test_operand_evidence_is_the_cells_evidence(seed_bytes: bytes) -> None:
    """A lookup's Operand carries ("cell", id[+"[N-1]"], start, end) per cell read and the
    uncertain flag of its cells, as the evidence was made from the cells before."""
    rec = pipeline.process(seed_bytes, path="seed.txt")
    cells = [c for t in rec.tables for c in t.cells]
    assert cells
    cells[0].provenance = "uncertain"
    look = ident_mod.table_lookup({0: rec.tables, -1: rec.tables})
    for c, rel in itertools.product(cells, (0, -1)):
        op = look(c.id, rel)
        if op is None:
            continue
        ref = c.id + "[N-1]" if rel else c.id
        want = Evidence("cell", ref, None, None) if rel else Evidence("cell", c.id, c.start, c.end)
        assert list(op.evidence) == [want]
        assert op.uncertain == (c.provenance == "uncertain")
        assert look(c.id, rel) is op  # answered once per lookup


def test_selected_plans_match_applies() -> None:
    """The identities chosen per (keys, templates) signature are those ``_applies`` picks, in order."""
    idents = ident_mod.indicators()["identities"]
    templates = [None, "", "v2019", "v2021", "hybrid"]
    rng = random.Random(7)
    for _ in range(200):
        keys = [k for k in ("t2", "t3", "t4") if rng.random() < 0.8]
        cur = [Table(k, rng.choice(templates), 0, 0) for k in keys]
        prev = [Table(k, rng.choice(templates), 0, 0) for k in keys if rng.random() < 0.8]
        by_key = {t.key: t for t in cur}
        prev_key = {t.key: t for t in prev}
        want = [x for x in idents if x.get("kind") == "within_report" and ident_mod._applies(x, by_key)]
        got = ident_mod._selected("within_report", {t.key: t.template for t in cur})
        assert [p.ident for p in got] == want
        want_x = [x for x in idents if x.get("kind") == "cross_year" and ident_mod._applies(x, by_key) and ident_mod._applies(x, prev_key)]
        got_x = ident_mod._selected("cross_year", {t.key: t.template for t in cur}, {t.key: t.template for t in prev})
        assert [p.ident for p in got_x] == want_x


def test_info_fee_finding_evidence() -> None:
    """fees.info_fee_in_table cites the claim, then the table cell, as before."""
    cell = Cell(ADMIN_FEES, 0.01, "0.01", 40, 44)
    claim = Claim("c1", 0, 10, None, 100, "元", "eq", "信息处理费", INFO_FEE, 0.9)
    (f,) = [f for f in check_fees([claim], [Table("t2", "v2021", 30, 50, [cell])]) if f.rule == "fees.info_fee_in_table"]
    assert f.evidence == [Evidence("claim", "c1", 0, 10), Evidence("cell", ADMIN_FEES, 40, 44)]
