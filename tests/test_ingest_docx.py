"""DOCX ingest (issue 3): body order, vMerge/gridSpan merges, nested tables, broken files."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_grid_builder import C, Report, build_report, to_docx, to_html_fragment

import pipeline
from pipeline.ingest import load_bytes
from pipeline.ingest.flat import parse_flat_tables
from pipeline.model import NianbaoError
from pipeline.structure import structure


def _grid(doc) -> list[list[list[str]]]:
    return [[[c.text for c in r] for r in t.rows] for t in doc.raw_tables]


@pytest.mark.parametrize("version", ["v2019", "v2021"])
@pytest.mark.parametrize("nested", [False, True])
def test_docx_template_every_cell(version: str, nested: bool) -> None:
    rep = build_report(version, blank_every=6)
    data = to_docx(rep, nested=nested)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "w:vMerge" in xml and "w:gridSpan" in xml  # the merges are really there
    doc = load_bytes(data, "report.docx")
    assert doc.source.format == "docx"
    assert len(doc.raw_tables) == 3
    for t in doc.raw_tables:
        for row in t.rows:
            for c in row:
                assert (doc.text[c.start : c.end] == c.text) if c.text else c.start is None
    assert _grid(doc) == [[[c.text for c in r] for r in t.rows] for t in parse_flat_tables(doc.text)]
    st = structure(doc)
    cells = {c.id: c for t in st.tables for c in t.cells}
    wrong = {k: (v, cells[k].value if k in cells else "missing") for k, v in rep.expected.items() if k not in cells or cells[k].value != v}
    assert wrong == {}
    assert set(cells) == set(rep.expected)
    assert [s.key for s in st.sections] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert st.meta.template == version


def test_docx_and_html_give_the_same_grids() -> None:
    rep = build_report("v2021", blank_every=4)
    from_docx = load_bytes(to_docx(rep), "r.docx")
    from_html = load_bytes(to_html_fragment(rep).encode(), "r.html")
    assert _grid(from_docx) == _grid(from_html)
    assert from_docx.text == from_html.text


def test_docx_paragraph_order_breaks_and_content_controls() -> None:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("一、总体情况")
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "甲"
    t.cell(0, 1).text = "1"
    d.add_paragraph("表后段落")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    sdt = parse_xml(f"<w:sdt {ns}><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    d.element.body.insert(len(d.element.body) - 1, sdt)  # before sectPr
    buf = io.BytesIO()
    d.save(buf)
    doc = load_bytes(buf.getvalue(), "x.docx")
    assert doc.text == "一、总体情况\n第一行\n第二行\n\t甲\n\t1\n\n\n表后段落\n控件中的段落\n"
    assert doc.table_spans == [(doc.raw_tables[0].start, doc.raw_tables[0].end)]


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a zip file at all",
        b"PK\x03\x04" + b"\x00" * 100,
        b"",
    ],
)
def test_broken_docx_is_unreadable(data: bytes) -> None:
    with pytest.raises(NianbaoError) as e:
        load_bytes(data, "broken.docx")
    assert e.value.code == "unreadable"
    rec = pipeline.process(data, path="broken.docx")
    assert rec.status == "error" and rec.error is not None and rec.error["type"] == "unreadable"


def test_zip_without_a_document_and_truncated_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(NianbaoError) as e:
        load_bytes(buf.getvalue(), "nodoc.docx")
    assert e.value.code == "unreadable"
    good = to_docx(build_report("v2021"))
    with pytest.raises(NianbaoError) as e:
        load_bytes(good[: len(good) // 2], "cut.docx")
    assert e.value.code == "unreadable"


def _random_grid(draw: st.DrawFn, width: int, height: int) -> list[list[C]]:
    """Non-overlapping merged rectangles covering a width x height grid, as marked-up rows."""
    free = [[True] * width for _ in range(height)]
    rows: list[list[C]] = [[] for _ in range(height)]
    n = 0
    for r in range(height):
        for c in range(width):
            if not free[r][c]:
                continue
            max_w = 1
            while c + max_w < width and free[r][c + max_w]:
                max_w += 1
            w = draw(st.integers(1, max_w))
            h = draw(st.integers(1, height - r))
            while h > 1 and not all(free[r + h - 1][c + i] for i in range(w)):
                h -= 1
            for dr in range(h):
                for dc in range(w):
                    free[r + dr][c + dc] = False
            n += 1
            text = draw(st.sampled_from(["", f"v{n}", str(n)]))
            rows[r].append(C(text, colspan=w, rowspan=h))
    return rows


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_html_and_docx_merge_semantics_agree(data: st.DataObject) -> None:
    width = data.draw(st.integers(1, 6))
    height = data.draw(st.integers(1, 6))
    grid = _random_grid(data.draw, width, height)
    if not any(c.text for row in grid for c in row):
        return
    rep = Report(blocks=[("p", "表前"), ("table", grid), ("p", "表后")])
    from_html = load_bytes(to_html_fragment(rep).encode(), "g.html")
    from_docx = load_bytes(to_docx(rep), "g.docx")
    assert _grid(from_html) == _grid(from_docx)
    assert from_html.text == from_docx.text
    if len([c for row in grid for c in row]) == 1:  # a single cell frames text: no table
        assert _grid(from_html) == []
        return
    # every merged cell appears once with its text; vertical merges leave one empty cell per later row
    printed = [t for row in _grid(from_html)[0] for t in row if t]
    assert sorted(printed) == sorted(c.text for row in grid for c in row if c.text)
    for r, row in enumerate(_grid(from_html)[0]):
        starts = len(grid[r])
        continued = sum(1 for rr in range(r) for c in grid[rr] if rr + c.rowspan > r)
        assert len(row) == starts + continued


def test_main_part_found_through_the_package_relationships() -> None:
    good = to_docx(build_report("v2019"))
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            data = src.read(info.filename)
            name = info.filename
            if name == "word/document.xml":
                name = "word/main-part.xml"
            elif name in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"word/document.xml", b"word/main-part.xml")
            elif name == "word/_rels/document.xml.rels":
                name = "word/_rels/main-part.xml.rels"
            z.writestr(name, data)
    doc = load_bytes(buf.getvalue(), "renamed.docx")
    assert doc.text == load_bytes(good, "plain.docx").text
    assert len(doc.raw_tables) == 3
