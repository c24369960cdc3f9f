"""Every record validates against the shipped schema, error records included."""

from __future__ import annotations

from pathlib import Path

import pipeline
from pipeline.export import record_to_dict, validate


def test_error_records_validate(tmp_path: Path) -> None:
    cases = {
        "missing.txt": None,
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02garbage" * 50,
        "notes.txt": "会议纪要\n今天天气很好。\n".encode(),
        "bad.pdf": b"%PDF-1.4 broken",
        "bad.docx": b"PK\x03\x04 not really a zip",
    }
    for name, data in cases.items():
        p = tmp_path / name
        if data is not None:
            p.write_bytes(data)
        rec = record_to_dict(pipeline.process(p))
        assert rec["status"] == "error", name
        assert rec["error"]["type"] and rec["error"]["message"]
        assert rec["source"]["path"] == str(p)
        assert rec["tables"] == [] and rec["findings"] == []
        assert validate(rec) == [], (name, validate(rec))


def test_gbk_text_is_decoded(tmp_path: Path) -> None:
    body = "某县人民政府\n2021年政府信息公开工作年度报告\n一、总体情况\n全年新收政府信息公开申请3件。\n"
    p = tmp_path / "gbk.txt"
    p.write_bytes(body.encode("gbk"))
    rec = record_to_dict(pipeline.process(p))
    assert rec["status"] == "ok"
    assert rec["source"]["encoding"] == "gb18030"
    assert rec["meta"]["year"] == 2021
    assert validate(rec) == []


def test_normalization_keeps_offsets(tmp_path: Path) -> None:
    body = "某县人民政府\n2020年政府信息公开年报\n一、总体情况\n[bookmark: _GoBack]\u00a0全年共发布信息１２３条。\r\n"
    p = tmp_path / "n.txt"
    p.write_text(body, encoding="utf-8")
    rec = record_to_dict(pipeline.process(p))
    assert "[bookmark" not in rec["text"] and "\r" not in rec["text"]
    q = next(q for q in rec["quantities"] if q["value"] == 123)
    assert rec["text"][q["start"] : q["end"]] == q["text"] == "123条"


def test_iter_records_reads_zip_members(tmp_path: Path) -> None:
    import zipfile

    body = "某县人民政府\n2021年政府信息公开工作年度报告\n一、总体情况\n全年新收政府信息公开申请3件。\n"
    z = tmp_path / "reports.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.txt", body)
        zf.writestr("b.txt", body.replace("3件", "4件"))
    recs = list(pipeline.iter_records([z]))
    assert [r.status for r in recs] == ["ok", "ok"]
    assert [r.source.path for r in recs] == [f"{z}!a.txt", f"{z}!b.txt"]


def test_missing_optional_dependency_is_an_error_record(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    real_import = builtins.__import__

    def no_selectolax(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("selectolax"):
            raise ModuleNotFoundError("No module named 'selectolax'", name="selectolax")
        return real_import(name, *args, **kwargs)

    import sys

    monkeypatch.delitem(sys.modules, "pipeline.ingest.html", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_selectolax)
    p = tmp_path / "r.html"
    p.write_text("<html><body><p>一、总体情况</p></body></html>", encoding="utf-8")
    rec = record_to_dict(pipeline.process(p))
    assert rec["status"] == "error" and rec["error"]["type"] == "missing_dependency"
    assert "nianbao[html]" in rec["error"]["message"]
    assert validate(rec) == []
