"""The report generator: determinism, formats, consistency by construction, ground truth that matches the text."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.evaluate.generate import KINDS, generate
from pipeline.evaluate.generate.inject import RULES, failing_identities
from pipeline.evaluate.generate.narrative import cn_int
from pipeline.evaluate.gold import iter_gold
from pipeline.ingest import load_bytes

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out, n=48, seed=11, inject_rate=0.6, series_rate=0.3)
    return out


def _cells(gold: dict) -> dict:
    return {k: v for t in gold["tables"].values() for k, v in t["cells"].items()}


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, n=8, seed=5, inject_rate=0.5)
    generate(b, n=8, seed=5, inject_rate=0.5)
    generate(c, n=8, seed=6, inject_rate=0.5)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert sorted(p.name for p in c.iterdir()) != files


def test_formats_templates_levels(corpus: Path) -> None:
    golds = list(iter_gold(corpus))
    assert len(golds) == 48
    fmts = {g.data["generator"]["format"] for g in golds}
    assert {"txt", "html", "html-gbk", "docx"} <= fmts
    assert {g.data["meta"]["template"] for g in golds} >= {"v2019", "v2021"}
    assert len({g.data["meta"]["level"] for g in golds}) >= 4
    for g in golds:
        y, t = g.data["meta"]["year"], g.data["meta"]["template"]
        assert (t == "v2019") == (y <= 2020)
        if t == "hybrid":  # v2021 table 二 with a single （六） row in table 三
            assert g.data["tables"]["t2"]["template"] == "v2021" and g.data["tables"]["t3"]["template"] == "v2019"
            assert "t3.other_handling.total" in g.data["tables"]["t3"]["cells"]


def test_txt_offsets_are_offsets_into_the_normalized_text(corpus: Path) -> None:
    n = 0
    for g in iter_gold(corpus):
        if not g.data["offsets"]:
            continue
        path = g.document_path()
        assert path is not None
        text = load_bytes(path.read_bytes(), str(path)).text
        assert text == path.read_text(encoding="utf-8")  # nothing the normalizer would change
        for q in g.data["quantities"] + g.data["traps"]:
            assert text[q["start"] : q["end"]] == q["text"]
            n += 1
        for c in g.data["claims"]:
            if c["polarity"] == "positive":
                s, e = c["quantity"]
                assert text[s:e] == c["text"] and c["end"] == e and c["start"] <= s
            else:
                assert text[c["start"] : c["end"]] == c["text"]
        for key, off in g.data["section_offsets"].items():
            assert text[off] in "一二三四五六", key
    assert n > 100


def test_narrative_variety(corpus: Path) -> None:
    quantities = [q for g in iter_gold(corpus) for q in g.data["quantities"]]
    approx = {q["approx"] for q in quantities}
    assert {"eq", "ge", "about"} <= approx
    assert any(re.search(r"[一二三四五六七八九十两]", q["text"]) for q in quantities), "Chinese numerals"
    assert any("万" in q["text"] for q in quantities)
    cats = {t["category"] for g in iter_gold(corpus) for t in g.data["traps"]}
    assert {"doc_number", "date", "year", "phone", "ordinal", "list_marker"} <= cats
    topics = {c["indicator"] for g in iter_gold(corpus) for c in g.data["claims"] if (c["indicator"] or "").startswith("topic.")}
    assert len(topics) >= 6
    zeros = [c for g in iter_gold(corpus) for c in g.data["claims"] if c["polarity"] == "zero"]
    assert zeros and all(c["value"] == 0 for c in zeros)


def test_tables_consistent_unless_injected(corpus: Path) -> None:
    for g in iter_gold(corpus):
        t = g.data["tables"]
        got = failing_identities(_cells(g.data), t["t2"]["template"], t["t3"]["template"])
        expected = sorted(f["rule"].removeprefix("identity.") for f in g.data["findings"] if f["rule"].startswith("identity.") and f.get("scope") != "series")
        assert sorted(got) == expected, g.name


def test_series_carry_over(corpus: Path) -> None:
    series: dict[str, list] = {}
    for g in iter_gold(corpus):
        if g.data["meta"].get("series"):
            series.setdefault(g.data["meta"]["series"], []).append(g.data)
    assert series
    checked = 0
    for members in series.values():
        members.sort(key=lambda d: d["meta"]["year"])
        for prev, cur in zip(members, members[1:], strict=False):
            pc, cc = _cells(prev), _cells(cur)
            broken = {f["rule"] for f in cur["findings"] if f.get("scope") == "series"}
            for col in ("natural_person", "org_commercial", "total"):
                same = cc[f"t3.carried_over.{col}"] == pc[f"t3.carry_forward.{col}"]
                assert same != (f"identity.xy_t3_carry__{col}" in broken)
                checked += 1
    assert checked


def test_every_injection_kind_is_labeled(tmp_path: Path) -> None:
    generate(tmp_path, n=40, seed=3, inject_rate=1.0, series_rate=0.5)
    kinds: dict[str, int] = {}
    for g in iter_gold(tmp_path):
        inj = g.data["generator"].get("injection")
        assert inj, "inject_rate 1.0 gives every report an injection"
        kinds[inj["kind"]] = kinds.get(inj["kind"], 0) + 1
        if inj["kind"] != "cross_year" or g.data["findings"]:
            assert g.data["findings"], (g.name, inj)
        assert all(f["status"] == "fail" for f in g.data["findings"])
    assert set(kinds) == set(KINDS)


def test_rule_ids_exist_in_the_checker() -> None:
    src = "".join(p.read_text(encoding="utf-8") for p in (REPO / "pipeline" / "reconcile").glob("*.py"))
    for rule in RULES.values():
        assert f'"{rule}"' in src, f"{rule} is not a rule id of pipeline/reconcile"


def test_html_gbk_and_docx_are_real(corpus: Path) -> None:
    for g in iter_gold(corpus):
        fmt = g.data["generator"]["format"]
        path = g.document_path()
        assert path is not None
        data = path.read_bytes()
        if fmt == "html-gbk":
            assert b"charset=gbk" in data
            text = data.decode("gbk")
            assert "rowspan" in text and "colspan" in text
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        elif fmt == "docx":
            import docx

            d = docx.Document(str(path))
            assert len(d.tables) == 3
            xml = zipfile.ZipFile(path).read("word/document.xml").decode()
            assert "w:gridSpan" in xml and 'w:vMerge w:val="restart"' in xml
            assert len(d.tables[1].rows) == 3 + 2 + (20 if g.data["tables"]["t3"]["template"] == "v2019" else 22) + 1


def test_gold_is_facts_and_json(corpus: Path) -> None:
    for f in corpus.glob("*.gold.json"):
        data = json.loads(f.read_text(encoding="utf-8"))
        assert data["gold_version"] == 1 and data["origin"] == "generated"
        assert data["quantities_complete"] and data["findings_complete"]
        assert all(len(q["text"]) <= 12 for q in data["quantities"])


@pytest.mark.parametrize(
    ("n", "s"),
    [(0, "零"), (2, "二"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"), (3095, "三千零九十五"), (12000, "一万二千"), (10001, "一万零一")],
)
def test_chinese_numerals(n: int, s: str) -> None:
    assert cn_int(n) == s
