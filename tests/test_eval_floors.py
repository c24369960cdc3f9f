"""`nianbao eval`: scores against gold, the JSON output, and the CI regression floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import pipeline.structure
from pipeline.cli import main
from pipeline.evaluate import metrics as M
from pipeline.evaluate.generate import generate
from pipeline.evaluate.run import check_floors, evaluate, run_eval
from tests.conftest import SHARED, needs_shared

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("evalgen")
    generate(out, n=10, seed=7, inject_rate=0.6, series_rate=0.4)
    return out


def _floors_file(tmp_path: Path) -> Path:
    f = tmp_path / "floors.json"
    f.write_text(json.dumps({"generate": {"n": 10, "seed": 7, "inject": 0.6, "series": 0.4}, "margin": 0.0, "floors": {}}), encoding="utf-8")
    return f


def test_floor_check_catches_a_deliberate_regression(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    floors = _floors_file(tmp_path)
    assert run_eval([str(small_corpus)], floors_path=str(floors), record_floors=True, quiet=True) == 0
    spec = json.loads(floors.read_text(encoding="utf-8"))
    assert spec["floors"]["tables.cell_accuracy"] > 0.9
    # unchanged pipeline: every figure is at its floor
    assert run_eval([str(small_corpus)], floors_path=str(floors), quiet=True) == 0

    # a regression: the table mapper drops the （一）予以公开 row of table 三
    real_map = pipeline.structure.map_tables

    def broken(raw: Any) -> Any:
        tables = real_map(raw)
        for t in tables:
            if t.key == "t3":
                t.cells = [c for c in t.cells if not c.id.startswith("t3.granted.")]
        return tables

    monkeypatch.setattr(pipeline.structure, "map_tables", broken)
    capsys.readouterr()
    assert run_eval([str(small_corpus)], floors_path=str(floors), quiet=True) == 1
    err = capsys.readouterr().err
    assert "REGRESSION" in err and "tables.cell_accuracy" in err


def test_scores_and_json(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    res = CliRunner().invoke(main, ["eval", str(small_corpus), "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "cell accuracy" in res.output and "finding recall" in res.output
    s = json.loads(out.read_text(encoding="utf-8"))
    assert s["documents"] == 10 and s["errors"] == 0
    assert s["tables"]["cells"] > 1000
    assert s["quantities"]["gold"] > 50 and s["quantities"]["precision"] is not None
    assert s["linking"]["n"] > 50
    gold_fails = sum(1 for f in small_corpus.glob("*.gold.json") for x in json.loads(f.read_text(encoding="utf-8"))["findings"])
    o = s["findings"]["overall"]
    assert o["tp"] + o["fn"] == gold_fails > 0
    assert set(s["findings"]["by_family"]) <= {"identity", "cross_year", "narrative_table", "narrative_narrative", "plausibility", "fees"}


def test_check_floors_reports_missing_and_low_figures() -> None:
    summary = {
        "tables": {"cell_accuracy": 0.9},
        "sections": {"recall": 1.0},
        "quantities": {"gold": 0},
        "linking": {"accuracy": None},
        "findings": {"overall": {"precision": 0.5, "recall": 1.0, "f1": 0.66}, "by_family": {}},
    }
    bad = check_floors(summary, {"tables.cell_accuracy": 0.95, "sections.recall": 1.0, "linking.accuracy": 0.5})
    assert bad == ["linking.accuracy: missing < floor 0.5", "tables.cell_accuracy: 0.9 < floor 0.95"]


def test_anchor_and_finding_counts() -> None:
    text = "前言。收到留言12件，办结12件。未发生行政复议和行政诉讼。"
    items = [
        {"text": "12件", "value": 12},
        {"text": "12件", "value": 12},
        {"text": "未发生行政复议和行政诉讼", "polarity": "zero", "indicator": "t4.review.total"},
        {"text": "未发生行政复议和行政诉讼", "polarity": "zero", "indicator": "t4.litigation.total"},
        {"text": "99件"},
    ]
    a = M.anchor(items, text)
    assert [text[x["start"] : x["end"]] for x in a[:4]] == ["12件", "12件", "未发生行政复议和行政诉讼", "未发生行政复议和行政诉讼"]
    assert a[0]["start"] != a[1]["start"] and a[2]["start"] == a[3]["start"]
    assert a[4]["start"] is None
    pred = [{"rule": "identity.t4_sum__review", "indicator": None}, {"rule": "narrative_table.value", "indicator": "t3.granted.total"}]
    gold = [{"rule": "narrative_table.value", "status": "fail", "indicator": "t3.new_received.total"}, {"rule": "identity.t4_sum__review", "status": "fail"}]
    c = M.finding_counts(pred, gold, complete=True)
    assert c == {"narrative_table.value": {"fn": 1, "fp": 1}, "identity.t4_sum__review": {"tp": 1}}
    assert M.family("identity.xy_t3_carry__total") == "cross_year" and M.family("fees.admin_fees_amount") == "narrative_table"


@needs_shared
def test_real_gold_is_scored_side_by_side(tmp_path: Path) -> None:
    one = tmp_path / "real"
    one.mkdir()
    src = REPO / "corpora" / "gold" / "real" / "kelan-2020.gold.json"
    if SHARED is None or not src.exists():
        pytest.skip("seed gold not present")
    (one / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    s = evaluate(one)
    assert s["documents"] == 1 and s["tables"]["cell_accuracy"] == 1.0


def test_repository_floors_hold() -> None:
    """The CI regression floor itself: the corpus described in corpora/eval-floors.json, evaluated
    with the current pipeline, stays at or above every recorded figure."""
    assert run_eval([], floors_path=str(REPO / "corpora" / "eval-floors.json"), quiet=True) == 0
