"""The two segmenters behind pipeline.nlp.segment (jieba, rjieba) cut the narrative text of the
corpora into the same words, and the product path never imports spaCy."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.nlp import narrative_spans, segment_windows
from pipeline.nlp.quantities import find_quantities
from pipeline.nlp.segment import JiebaSegmenter, RjiebaSegmenter, default_kind, get_segmenter, make_segmenter
from tests.conftest import REAL, SEED, needs_shared

ROOT = Path(__file__).resolve().parents[1]
OWN = sorted((ROOT / "corpora" / "reports").glob("*.txt"))


def _narratives(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    from pipeline.ingest import load_bytes
    from pipeline.structure import structure

    doc = load_bytes(path.read_bytes(), str(path))
    st = structure(doc)
    table_spans = sorted({(t.start, t.end) for t in doc.raw_tables} | set(doc.table_spans) | {(t.start, t.end) for t in st.tables if t.end > t.start})
    return doc.text, narrative_spans(doc.text, st.sections, table_spans)


def _compare(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> int:
    pytest.importorskip("rjieba")
    jb, rj = get_segmenter("jieba"), get_segmenter("rjieba")
    assert isinstance(jb, JiebaSegmenter) and isinstance(rj, RjiebaSegmenter)
    words = 0
    for path in paths:
        text, spans = _narratives(path)
        for a, b, _ in spans:
            expected = jb.words(text[a:b])
            assert rj.words(text[a:b]) == expected, f"{path.name} {a}-{b}"
            assert "".join(expected) == text[a:b]
            words += len(expected)
        # the product path segments windows around quantities: same spans with either segmenter
        qs = find_quantities(text, spans)
        monkeypatch.setenv("NIANBAO_SEGMENTER", "jieba")
        via_jieba = segment_windows(text, qs, spans)
        monkeypatch.setenv("NIANBAO_SEGMENTER", "rjieba")
        assert segment_windows(text, qs, spans) == via_jieba, path.name
    return words


def test_segmenters_agree_on_project_corpora(monkeypatch: pytest.MonkeyPatch) -> None:
    assert OWN
    assert _compare(OWN, monkeypatch) > 1000


@needs_shared
def test_segmenters_agree_on_seed_and_real_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    assert REAL is not None and SEED is not None
    paths = [SEED, *sorted(p for p in REAL.iterdir() if p.suffix.lower() in {".txt", ".html", ".htm", ".md", ".pdf", ".docx"})]
    assert len(paths) > 10
    assert _compare(paths, monkeypatch) > 10000


def test_user_words_and_number_splits_agree() -> None:
    pytest.importorskip("rjieba")
    words = [("甲乙丙丁戊己", 50, "n")]
    jb, rj = make_segmenter(words, kind="jieba"), make_segmenter(words, kind="rjieba")
    for s in ("这是甲乙丙丁戊己的测试", "依申请公开的结转下年度继续办理件数", "5313.9461万元，1,234件，２０２０年", "  \r\n（一）abc123 def"):
        assert rj.words(s) == jb.words(s)
    assert "甲乙丙丁戊己" in rj.words("这是甲乙丙丁戊己的测试")
    spans = jb.word_spans("这是 甲乙丙丁戊己", 10)
    assert rj.word_spans("这是 甲乙丙丁戊己", 10) == spans and spans[-1] == (13, 19) and all(b <= 12 for _, b in spans[:-1])


def test_choice_pickling_and_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_SEGMENTER", "jieba")
    assert default_kind() == "jieba" and get_segmenter().kind == "jieba"
    monkeypatch.setenv("NIANBAO_SEGMENTER", "nope")
    with pytest.raises(ValueError):
        default_kind()
    monkeypatch.delenv("NIANBAO_SEGMENTER")
    monkeypatch.setitem(sys.modules, "rjieba", None)  # rjieba not importable -> jieba
    assert default_kind() == "jieba"
    seg = make_segmenter([("甲乙丙丁戊己", 50, "n")], kind="jieba")
    clone = pickle.loads(pickle.dumps(seg))
    assert clone is not seg and clone.kind == "jieba" and "甲乙丙丁戊己" in clone.words("这是甲乙丙丁戊己的测试")


def test_product_path_does_not_import_spacy() -> None:
    code = (
        "import sys, pipeline\n"
        f"rec = pipeline.process({str(OWN[0])!r})\n"
        "assert rec.status == 'ok' and rec.claims, rec.error\n"
        "print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
