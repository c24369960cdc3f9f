"""Cross-year checks over several reports of one body (pipeline.reconcile.series)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import Cell, Meta, Record, Source, Table
from pipeline.reconcile.series import agency_keys, check_series, format_series, normalize_agency
from tests.conftest import REAL, needs_shared

COLS = ["natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total"]


def record(agency: str, year: int, carried: list[int], forward: list[int], valid: int | None = None, issued: int = 0, repealed: int = 0) -> Record:
    cells = [Cell(f"t3.carried_over.{c}", v, str(v), None, None) for c, v in zip(COLS, carried, strict=True)]
    cells += [Cell(f"t3.carry_forward.{c}", v, str(v), None, None) for c, v in zip(COLS, forward, strict=True)]
    tables = [Table("t3", "v2021", 0, 0, cells)]
    if valid is not None:
        t2 = [Cell(f"t2.normative_docs.{k}", v, str(v), None, None) for k, v in (("issued", issued), ("repealed", repealed), ("valid", valid))]
        tables.append(Table("t2", "v2021", 0, 0, t2))
    src = Source(path=f"{agency}-{year}.txt", format="txt", sha256=f"{agency}{year}", bytes=1)
    return Record(doc_id=src.sha256, source=src, meta=Meta(agency=agency, year=year), tables=tables)


def test_normalize_agency() -> None:
    assert normalize_agency("标题: 某某区测试局") == "某某区测试局"
    assert normalize_agency("# 某某县人民政府") == "某某县人民政府"
    assert normalize_agency("  某某县 人民政府 ") == "某某县人民政府"
    assert normalize_agency(None) == ""


def test_higher_unit_prefix_is_the_same_body() -> None:
    keys = agency_keys(["测试区人民政府", "江南市测试区人民政府", "测试区财政局"])
    assert keys["测试区人民政府"] == keys["江南市测试区人民政府"] == "江南市测试区人民政府"
    assert keys["测试区财政局"] == "测试区财政局"
    # a prefix that is not an administrative unit is a different body
    assert agency_keys(["财政局", "区级财政局"])["财政局"] == "财政局"


def test_carry_over_per_column() -> None:
    recs = [
        record("甲县测试局", 2021, [0] * 7, [2, 1, 0, 0, 0, 0, 3]),
        record("甲县测试局", 2022, [2, 1, 0, 0, 0, 0, 3], [1, 0, 0, 0, 0, 0, 1]),
        record("甲县测试局", 2023, [0, 0, 0, 0, 0, 0, 0], [0] * 7),
        record("乙县测试局", 2022, [0] * 7, [0] * 7),
    ]
    res = check_series(recs)
    assert res.agencies == {"乙县测试局": [2022], "甲县测试局": [2021, 2022, 2023]}
    assert [(p.prev_year, p.year) for p in res.pairs] == [(2021, 2022), (2022, 2023)]
    first, second = (p.by_rule() for p in res.pairs)
    assert all(f.status == "pass" for f in first.values())
    bad = {r: f for r, f in second.items() if f.status == "fail"}
    assert set(bad) == {"identity.xy_t3_carry__natural_person", "identity.xy_t3_carry__total"}
    assert (bad["identity.xy_t3_carry__total"].expected, bad["identity.xy_t3_carry__total"].observed) == (1, 0)
    text = format_series(res)
    assert "2022 -> 2023" in text and "FAIL" in text


def test_gap_year_and_duplicates() -> None:
    recs = [record("丙局", 2019, [0] * 7, [0] * 7), record("丙局", 2021, [0] * 7, [0] * 7), record("丙局", 2021, [0] * 7, [0] * 7)]
    res = check_series(recs)
    assert res.pairs == []
    assert any("second report" in why for _, why in res.skipped)


def test_valid_count_continuity_is_approximate() -> None:
    recs = [record("丁局", 2022, [0] * 7, [0] * 7, valid=40), record("丁局", 2023, [0] * 7, [0] * 7, valid=41, issued=3, repealed=1)]
    f = check_series(recs).pairs[0].by_rule()["identity.xy_t2_valid__normative_docs"]
    assert f.status == "fail" and f.severity == "info" and "approximate" in f.flags
    assert (f.expected, f.observed) == (42, 41)


def test_records_as_dicts() -> None:
    recs = [record("戊局", 2021, [0] * 7, [1, 0, 0, 0, 0, 0, 1]).to_dict(), record("戊局", 2022, [1, 0, 0, 0, 0, 0, 1], [0] * 7).to_dict()]
    res = check_series(recs)
    assert all(f.status == "pass" for f in res.pairs[0].findings)


@needs_shared
def test_pingtan_series_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = sorted(REAL.glob("pingtan-*.txt")) if REAL else []
    if len(files) < 14:
        pytest.skip("the 平潭 series is not in ../shared")
    for f in files:
        shutil.copy(f, tmp_path / f.name)
    res = CliRunner().invoke(main, ["check", "--series", "--json", str(tmp_path)])
    assert res.exit_code in (0, 1), res.output
    import json

    out = json.loads(res.output)
    years = out["agencies"]
    # two bodies with a report for every year 2019-2025
    full = [a for a, ys in years.items() if ys == list(range(2019, 2026))]
    assert len(full) == 2
    for agency in full:
        pairs = [p for p in out["pairs"] if p["agency"] == agency]
        assert [(p["prev_year"], p["year"]) for p in pairs] == [(y, y + 1) for y in range(2019, 2025)]
        carry = [f for p in pairs for f in p["findings"] if f["rule"].startswith("identity.xy_t3_carry")]
        assert len(carry) == 6 * 7
        # the carried-over counts of these series agree from year to year
        assert all(f["status"] == "pass" for f in carry)
    text = CliRunner().invoke(main, ["check", "--series", str(tmp_path)]).output
    assert "2019 -> 2020" in text
