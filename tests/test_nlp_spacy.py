"""spaCy integration: the quantity component by name, the jieba tokenizer's user dictionary,
serialization (to_disk/from_disk) and pickling into a spawned worker."""

from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pytest
import spacy

from pipeline.nlp.spacy_pipeline import JiebaTokenizer, build_nlp, get_nlp

TEXT = "2020年政府网站共收到群众留言81条，办结81条；发布各类信息2万余条，每年投入约3万元。"


def _spans(doc: spacy.tokens.Doc) -> list[tuple[str, object, object, object, object]]:
    return [(s.doc.text[s._.char_start : s._.char_end], s._.value, s._.unit, s._.approx, s._.kind) for s in doc.spans["quantities"]]


def test_plain_blank_pipeline_adds_component_by_name() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("nianbao_quantities")
    doc = nlp(TEXT)
    assert _spans(doc) == [
        ("81条", 81, "条", "eq", "count"),
        ("81条", 81, "条", "eq", "count"),
        ("2万余条", 20000, "条", "ge", "count"),
        ("约3万元", 30000, "元", "about", "money"),
    ]
    assert all(s.label_ == s._.kind for s in doc.spans["quantities"])


def test_no_quantity_from_traps_in_a_spacy_doc() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("nianbao_quantities")
    doc = nlp("根据国务院令第711号和某办函〔2019〕60号，于2021年1月28日开通12345政务热线。")
    assert len(doc.spans["quantities"]) == 0


def test_user_dictionary_segments_domain_terms() -> None:
    words = [t.text for t in get_nlp()("依申请公开的结转下年度继续办理件数")]
    assert "依申请公开" in words and "结转下年度继续办理" in words


def _custom(tmp_path: Path) -> Path:
    ud = tmp_path / "userdict.txt"
    ud.write_text("甲乙丙丁戊己 50 n\n", encoding="utf-8")
    return ud


def test_to_disk_from_disk_keeps_user_words(tmp_path: Path) -> None:
    nlp = build_nlp(userdict=_custom(tmp_path))
    assert "甲乙丙丁戊己" in [t.text for t in nlp("这是甲乙丙丁戊己的测试")]
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "tokenizer" / "jieba_userdict.txt").exists()
    loaded = spacy.load(tmp_path / "model")
    assert isinstance(loaded.tokenizer, JiebaTokenizer)
    assert "甲乙丙丁戊己" in [t.text for t in loaded("这是甲乙丙丁戊己的测试")]
    assert loaded.pipe_names == ["nianbao_quantities"]
    blank = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "nianbao.JiebaTokenizer.v1"}}})
    blank.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert "甲乙丙丁戊己" in [t.text for t in blank("这是甲乙丙丁戊己的测试")]


def test_pickle_rebuilds_the_tokenizer(tmp_path: Path) -> None:
    nlp = build_nlp(userdict=_custom(tmp_path))
    clone = pickle.loads(pickle.dumps(nlp))
    assert [t.text for t in clone(TEXT)] == [t.text for t in nlp(TEXT)]
    assert "甲乙丙丁戊己" in [t.text for t in clone("这是甲乙丙丁戊己的测试")]
    assert clone.tokenizer._jieba is not nlp.tokenizer._jieba


def _worker(nlp: spacy.language.Language, text: str, tmp: str) -> tuple[list[str], list[str], list[str]]:
    doc = nlp(text)
    return [t.text for t in doc], [s.text for s in doc.spans["quantities"]], sorted(p.name for p in Path(tmp).iterdir())


def test_spawned_worker_and_no_jieba_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    nlp = get_nlp()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        words, quantities, files = pool.apply(_worker, (nlp, TEXT, str(tmp)))
    assert words == [t.text for t in nlp(TEXT)]
    assert quantities == ["81条", "81条", "2万余条", "约3万元"]
    assert not [f for f in files if "jieba" in f]


def test_component_and_product_path_agree() -> None:
    from pipeline.nlp.quantities import find_quantities, quantity_from_span

    text = TEXT + "截至目前已处置各类群众诉求384条，待处置17条；在3个工作日内答复，占比超八成。"
    doc = get_nlp()(text)
    via_spacy = [quantity_from_span(s, 0, f"q{i}") for i, s in enumerate(doc.spans["quantities"], 1)]
    direct = find_quantities(text, [(0, len(text), "s0")])
    assert [(q.start, q.end, q.value, q.unit, q.approx, q.kind) for q in via_spacy] == [(q.start, q.end, q.value, q.unit, q.approx, q.kind) for q in direct]
