"""Every command: --help, and behaviour on the project's corpora."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.evaluate.gold import REPO

REPORTS = REPO / "corpora" / "reports"


def test_every_command_has_help() -> None:
    r = CliRunner().invoke(main, ["--help"])
    assert r.exit_code == 0
    commands = list(main.commands)
    assert {"extract", "check", "validate", "schema"} <= set(commands)
    for name in commands:
        r = CliRunner().invoke(main, [name, "--help"])
        assert r.exit_code == 0, name
        assert "Usage:" in r.output and len(r.output.splitlines()) > 3, name


def test_extract_writes_one_valid_record_per_input(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not a pdf")
    out = tmp_path / "out.jsonl"
    inputs = [str(REPORTS), str(broken), str(tmp_path / "missing.txt")]
    r = CliRunner().invoke(main, ["extract", *inputs, "-o", str(out), "--quiet", "--no-fail-on-error"])
    assert r.exit_code == 0, r.output
    recs = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    n_reports = len(list(REPORTS.glob("*.txt")))
    assert len(recs) == n_reports + 2
    assert [r["status"] for r in recs[-2:]] == ["error", "error"]
    assert recs[-1]["error"]["type"] == "unreadable"
    r = CliRunner().invoke(main, ["validate", str(out)])
    assert r.exit_code == 0 and f"{len(recs)} valid" in r.output
    # failing documents make the default exit status non-zero
    r = CliRunner().invoke(main, ["extract", str(broken), "-o", str(tmp_path / "o2.jsonl"), "--quiet"])
    assert r.exit_code == 1


def test_check_prints_failures_first_with_evidence() -> None:
    r = CliRunner().invoke(main, ["check", str(REPORTS / "beihe-qu-2023.txt")])
    assert r.exit_code == 1  # error-severity failures
    lines = r.output.splitlines()
    first = next(i for i, line in enumerate(lines) if "[" in line and "]" in line and "/" in line)
    assert "FAIL" in lines[first]
    assert "t3_balance__total" in r.output and "“16”" in r.output
    ok = CliRunner().invoke(main, ["check", str(REPORTS / "yunling-xian-2020.txt")])
    assert ok.exit_code == 0 and "sections: 6/6" in ok.output


def test_check_json_and_schema() -> None:
    r = CliRunner().invoke(main, ["check", "--json", str(REPORTS / "yunling-xian-2020.txt")])
    d = orjson.loads(r.output)
    assert d["meta"]["year"] == 2020 and len(d["tables"]) == 3
    s = CliRunner().invoke(main, ["schema"])
    assert orjson.loads(s.output)["title"] == "nianbao annotated record"


def test_report_prints_stats(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    CliRunner().invoke(main, ["extract", str(REPORTS), "-o", str(out), "--quiet"])
    r = CliRunner().invoke(main, ["report", str(out)])
    assert r.exit_code == 0
    assert "rule family" in r.output and "identity" in r.output
    j = CliRunner().invoke(main, ["report", "--json", str(out)])
    stats = orjson.loads(j.output)
    assert stats["documents"] == len(list(REPORTS.glob("*.txt")))
    assert stats["findings_by_family"]["identity"]["fail"] >= 3
