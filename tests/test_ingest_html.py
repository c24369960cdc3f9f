"""HTML ingest (issue 3): rendered text, grids with rowspan/colspan, chrome, encodings."""

from __future__ import annotations

import pytest
from ingest_grid_builder import build_report, to_html_fragment, to_html_page

import pipeline
from pipeline.evaluate.gold import compare_cells
from pipeline.export import record_to_dict
from pipeline.ingest import load_bytes
from pipeline.ingest.flat import parse_flat_tables
from pipeline.ingest.grid import SpanCell, expand_spans
from pipeline.ingest.html import decode_html, unwrap_js
from pipeline.model import Document, NianbaoError
from pipeline.structure import structure
from tests.conftest import real_gold


def _check_offsets(doc: Document) -> None:
    for t in doc.raw_tables:
        assert t.layout == "grid"
        for row in t.rows:
            for c in row:
                if c.text:
                    assert doc.text[c.start : c.end] == c.text
                else:
                    assert c.start is None
    # the rendered text is the seed's flattened layout: the flat parser reads the same grids
    flat = parse_flat_tables(doc.text)
    assert [[c.text for c in r] for t in flat for r in t.rows] == [[c.text for c in r] for t in doc.raw_tables for r in t.rows]
    assert doc.table_spans == [(t.start, t.end) for t in doc.raw_tables]


def _mapped(doc: Document) -> dict:
    st = structure(doc)
    cells = {c.id: c for t in st.tables for c in t.cells}
    for c in cells.values():
        if c.start is not None:
            assert doc.text[c.start : c.end] == c.raw
    return cells


def _assert_all_cells(expected: dict, cells: dict) -> None:
    wrong = {k: (v, cells[k].value if k in cells else "missing") for k, v in expected.items() if k not in cells or cells[k].value != v}
    assert wrong == {}
    assert set(cells) == set(expected)
    for k, v in expected.items():
        if v is None:
            assert cells[k].provenance == "blank"


@pytest.mark.parametrize("version", ["v2019", "v2021"])
@pytest.mark.parametrize("variant", ["fragment", "page", "layout_table", "gbk"])
def test_template_report_every_cell(version: str, variant: str) -> None:
    rep = build_report(version, blank_every=5, split_every=3)
    if variant == "fragment":
        data = to_html_fragment(rep).encode("utf-8")
    elif variant == "page":
        data = to_html_page(rep).encode("utf-8")
    elif variant == "layout_table":
        data = to_html_page(rep, layout_table=True).encode("utf-8")
    else:
        data = to_html_page(rep, charset="gb2312").encode("gbk")
    doc = load_bytes(data, "report.html")
    assert doc.source.encoding == ("gb18030" if variant == "gbk" else "utf-8")
    _check_offsets(doc)
    assert len(doc.raw_tables) == 3
    _assert_all_cells(rep.expected, _mapped(doc))
    st = structure(doc)
    assert [s.key for s in st.sections] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert st.meta.template == version and st.meta.agency == "样例县测试局"


def test_flattened_cell_counts_follow_the_docx_layout() -> None:
    rep = build_report("v2019")
    doc = load_bytes(to_html_fragment(rep).encode(), "r.html")
    t2, t3, t4 = ([len(r) for r in t.rows] for t in doc.raw_tables)
    # docs/report-format.md §10.2: t3 headers 2/4/8, rows 一/二 8, （一） 9, （二） 9, sub-rows 10, （六）（七） 9, 四 8
    assert t3[:7] == [2, 4, 8, 8, 8, 9, 9]
    assert t3[7:23] == [10] * 16 and t3[23:] == [9, 9, 8]
    assert t4 == [2, 7, 15, 15]
    assert set(t2) == {1, 3, 4}  # the builder merges the value cells of （八）（九） horizontally


def test_expand_spans_vertical_and_horizontal() -> None:
    rows = [
        [SpanCell("a", colspan=2, rowspan=3), SpanCell("b")],
        [SpanCell("c")],
        [SpanCell("d")],
        [SpanCell("e"), SpanCell("f", rowspan=2), SpanCell("g")],
        [SpanCell("h"), SpanCell("i")],
    ]
    assert expand_spans(rows) == [["a", "b"], ["", "c"], ["", "d"], ["e", "f", "g"], ["h", "", "i"]]


def test_page_chrome_is_dropped() -> None:
    rep = build_report("v2021")
    doc = load_bytes(to_html_page(rep).encode(), "r.html")
    for chrome in ("首页", "办事服务", "当前位置", "分享到", "打印本页", "版权所有", "网站标识码", "隐藏的统计代码", "不是报告", "color:red", "某县门户网站"):
        assert chrome not in doc.text
    lines = doc.text.split("\n")
    assert lines[0] == "样例县测试局2023年政府信息公开工作年度报告"
    assert "一、总体情况" in lines


def test_word_markup_cells_and_whitespace() -> None:
    html = (
        "<p>二、主动公开政府信息情况</p>"
        "<p>我局全年\n   共收到申请<span>1</span><span>2</span>件&nbsp;</p>"
        "<p>&nbsp;</p><p>第一行<br>第二行</p>"
        "<table><tr><td colspan=4><p><span>第二十条</span><span>第（一）项</span></p></td></tr>"
        "<tr><td>信息内容</td><td><p>本年</p>\n  <p>制发件数</p></td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td><span>1</span><span>2</span></td><td><o:p>&nbsp;</o:p></td><td>３４</td></tr></table>"
    ).encode()
    doc = load_bytes(html, "f.html")
    lines = doc.text.split("\n")
    assert lines[:4] == ["二、主动公开政府信息情况", "我局全年共收到申请12件", "第一行", "第二行"]
    rows = [[c.text for c in r] for r in doc.raw_tables[0].rows]
    assert rows == [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "12", "", "34"]]
    _check_offsets(doc)
    cells = _mapped(doc)
    assert cells["t2.rules.issued"].value == 12
    assert cells["t2.rules.repealed"].value is None and cells["t2.rules.repealed"].provenance == "blank"
    assert cells["t2.rules.valid"].value == 34


def test_encodings() -> None:
    page = "<html><head><meta charset='gbk'></head><body><p>总体情况</p></body></html>"
    assert decode_html(page.encode("gbk")) == (page, "gb18030")
    # a crawled page re-encoded to UTF-8 that kept its GBK declaration
    assert decode_html(page.encode("utf-8")) == (page, "utf-8")
    # no declaration: UTF-8, then GB18030
    bare = "<p>收到和处理政府信息公开申请情况</p>"
    assert decode_html(bare.encode("utf-8"))[1] == "utf-8"
    assert decode_html(bare.encode("gb18030")) == (bare, "gb18030")
    assert decode_html(b"\xef\xbb\xbf" + bare.encode("utf-8")) == (bare, "utf-8-sig")
    http_equiv = "<meta http-equiv=Content-Type content='text/html; charset=GB2312'><p>申请</p>"
    assert decode_html(http_equiv.encode("gbk"))[1] == "gb18030"


def test_js_wrapped_report() -> None:
    rep = build_report("v2021", split_every=4)
    frag = to_html_fragment(rep)
    escaped = frag.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    js = f'// data file\nlet content = "{escaped}";\nexport default content;\n'
    assert unwrap_js(js) == frag
    doc = load_bytes(js.encode(), "report.html")
    _check_offsets(doc)
    _assert_all_cells(rep.expected, _mapped(doc))
    # a page whose body is written by a script from a string literal
    page = f'<html><body><div id="c"></div><script>var html = "{escaped}"; document.write(html);</script></body></html>'
    doc2 = load_bytes(page.encode(), "page.html")
    _assert_all_cells(rep.expected, _mapped(doc2))


def test_bad_html_inputs() -> None:
    with pytest.raises(NianbaoError) as e:
        load_bytes(b"\x00\x01\x02<html>" * 10, "x.html")
    assert e.value.code == "unreadable"
    with pytest.raises(NianbaoError) as e:
        load_bytes(b"<html><body><script>1</script></body></html>", "x.html")
    assert e.value.code == "no_report_structure"
    rec = pipeline.process(b"<html><body><nav>only</nav></body></html>", path="x.html")
    assert rec.status == "error"


REAL_HTML = ["shanghai-shizhengfu-bangongting-2019", "shuyang-xian-fagaiju-2023", "SYNTHETIC-ceshishi-2025"]


@pytest.mark.parametrize("name", REAL_HTML)
def test_real_html_against_gold(name: str) -> None:
    gold, src = real_gold(name)
    doc = load_bytes(src.read_bytes(), str(src))
    _check_offsets(doc)
    rec = record_to_dict(pipeline.process(str(src)))
    res = compare_cells(rec, gold)
    assert res["wrong"] == [] and res["correct"] == res["cells"] > 0
    if gold.data.get("sections"):
        assert [s["key"] for s in rec["sections"]] == gold.data["sections"]
    assert rec["meta"]["year"] == gold.data["meta"]["year"]
    for c in (c for t in rec["tables"] for c in t["cells"]):
        if c["start"] is not None:
            assert rec["text"][c["start"] : c["end"]] == c["raw"]


def test_layout_table_without_nested_tables_is_a_container() -> None:
    para = "本年度我局按照要求推进政务公开工作，" * 20
    html = (
        "<table><tr><td><a href='/'>栏目一</a></td>"
        f"<td><p>一、总体情况</p><p>{para}</p><p>六、其他需要报告的事项</p><p>无。</p></td></tr></table>"
        "<table><caption>附表</caption><tr><td>规章</td><td>1</td></tr></table>"
    ).encode()
    doc = load_bytes(html, "l.html")
    lines = doc.text.split("\n")
    assert "一、总体情况" in lines and para in lines and "无。" in lines
    assert len(doc.raw_tables) == 1 and [c.text for c in doc.raw_tables[0].rows[0]] == ["规章", "1"]
    assert lines[lines.index("附表") + 1] == "\t规章"


def test_report_title_in_a_chrome_named_container_is_kept() -> None:
    html = (
        "<div class='nav'><a href='/'>首页</a><a href='/2'>2022年度报告</a></div>"
        "<div class='article-head'><h2>样例县测试局2023年政府信息公开工作年度报告</h2><span>来源：本站</span></div>"
        "<div class='related'><h3>相关链接</h3><a href='/1'>样例县测试局2022年政府信息公开工作年度报告</a></div>"
        "<p>一、总体情况</p>"
    ).encode()
    doc = load_bytes(html, "t.html")
    assert doc.text.split("\n")[0] == "样例县测试局2023年政府信息公开工作年度报告"
    assert "2022年" not in doc.text and "首页" not in doc.text
    assert structure(doc).meta.year == 2023
