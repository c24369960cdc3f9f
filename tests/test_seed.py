"""Issue 2 acceptance on the seed report (skips without ../shared)."""

from __future__ import annotations

import pipeline
from pipeline.export import record_to_dict, validate


def _rec(data: bytes) -> dict:
    rec = record_to_dict(pipeline.process(data, path="kelan-2020.txt"))
    assert validate(rec) == []
    return rec


def _cells(rec: dict, key: str) -> dict:
    t = next(t for t in rec["tables"] if t["key"] == key)
    return {c["id"]: c for c in t["cells"]}


def test_seed_sections_and_meta(seed_bytes: bytes) -> None:
    rec = _rec(seed_bytes)
    assert rec["status"] == "ok"
    assert [s["key"] for s in rec["sections"]] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    text = rec["text"]
    titles = {s["key"]: text[s["start"] : s["end"]].split("\n", 1)[0].strip() for s in rec["sections"]}
    assert titles["s1"] == "一、总体情况"
    assert titles["s5"].startswith("五、存在困难")
    assert rec["meta"] == {"agency": "岢岚县人民政府", "year": 2020, "template": "v2019"}


def test_seed_tables_every_printed_cell(seed_bytes: bytes) -> None:
    rec = _rec(seed_bytes)
    t3, t4, t2 = _cells(rec, "t3"), _cells(rec, "t4"), _cells(rec, "t2")
    assert len(t3) == 161 and len(t4) == 15 and len(t2) == 22
    # rows 一, 二, 四 explicit 0; result rows blank -> null, distinct from 0
    for row in ("new_received", "carried_over", "carry_forward"):
        for col in ("natural_person", "org_commercial", "org_other", "total"):
            c = t3[f"t3.{row}.{col}"]
            assert c["value"] == 0 and c["provenance"] == "explicit" and c["raw"] == "0"
    blanks = [c for c in t3.values() if c["provenance"] == "blank"]
    assert len(blanks) == 140 and all(c["value"] is None and c["start"] is None for c in blanks)
    assert all(c["value"] == 0 for c in t4.values())
    assert t2["t2.admin_license.items_change"]["value"] == 177 and t2["t2.admin_license.items_change"]["raw"] == "+177"
    assert t2["t2.admin_penalty.items_change"]["value"] == -71
    assert t2["t2.gov_procurement.amount"]["value"] == 5313.9461 and t2["t2.gov_procurement.amount"]["unit"] == "万元"
    # every span points at the printed raw text
    for c in list(t2.values()) + list(t3.values()) + list(t4.values()):
        if c["start"] is not None:
            assert rec["text"][c["start"] : c["end"]] == c["raw"]


def test_seed_zero_statements_checked_and_pass(seed_bytes: bytes) -> None:
    rec = _rec(seed_bytes)
    zero = [c for c in rec["claims"] if c["quantity_id"] is None and c["value"] == 0]
    indicators = {c["indicator"] for c in zero}
    assert {"t3.new_received.total", "t4.review.total", "t4.litigation.total"} <= indicators
    zero_ids = {c["id"] for c in zero}
    checked = [f for f in rec["findings"] if any(e["ref"] in zero_ids for e in f["evidence"])]
    assert len(checked) >= 3
    assert all(f["status"] == "pass" for f in checked)
    assert not [f for f in rec["findings"] if f["status"] == "fail" and f["severity"] == "error"]


def test_seed_identity_fails_when_a_cell_changes(seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8")
    row = "\t一、本年新收政府信息公开申请数量\n" + "\t0\n" * 6 + "\t0\n"
    assert row in text
    changed = text.replace(row, "\t一、本年新收政府信息公开申请数量\n" + "\t0\n" * 6 + "\t2\n")
    rec = _rec(changed.encode("utf-8"))
    by_rule = {f["rule"]: f for f in rec["findings"]}
    # 总计 (2) no longer equals 自然人 + the five organisation columns (all explicit 0): a hard failure
    row = by_rule["identity.t3_row_total__new_received"]
    assert row["status"] == "fail" and row["severity"] == "error"
    assert row["observed"] == 2 and row["expected"] == 0
    assert "本年新收" in row["message"] and "自然人" in row["message"]
    assert {"t3.new_received.total", "t3.new_received.natural_person"} <= {e["ref"] for e in row["evidence"]}
    # the balance 一 + 二 = 三（七） + 四 fails too; the seed left 三（七） blank, so the failure may come
    # from that blank alone: told apart as uncertain / blank_suspect, with both sides named
    bal = by_rule["identity.t3_balance__total"]
    assert bal["status"] == "uncertain" and "blank_suspect" in bal["flags"]
    assert bal["observed"] == 2 and bal["expected"] == 0
    assert "本年新收" in bal["message"] and "结转下年度" in bal["message"]
    assert {"t3.new_received.total", "t3.results_total.total", "t3.carry_forward.total"} <= {e["ref"] for e in bal["evidence"]}
    assert [f for f in rec["findings"] if f["status"] == "fail" and f["severity"] == "error"]


def test_seed_narrative_vs_table_fails_when_narrative_changes(seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8")
    old = "我县没有相关申请公开信息情况。"
    assert old in text
    changed = text.replace(old, "我县共收到政府信息公开申请5件。")
    rec = _rec(changed.encode("utf-8"))
    fails = [f for f in rec["findings"] if f["status"] == "fail" and f["rule"].startswith("narrative_table")]
    assert fails, "a narrative claim of 5 applications must fail against a table of 0"
    f = fails[0]
    assert f["observed"] == 5 and f["expected"] == 0
    kinds = {e["kind"] for e in f["evidence"]}
    assert kinds == {"claim", "cell"}
    claim_ev = next(e for e in f["evidence"] if e["kind"] == "claim")
    assert "5件" in rec["text"][claim_ev["start"] : claim_ev["end"]]
