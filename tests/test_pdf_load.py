"""PDF text-layer ingest (pipeline.ingest.pdf) on PDFs written by the test and on the real PDFs."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.ingest import load_bytes
from pipeline.model import NianbaoError
from tests.conftest import REAL, needs_shared


def make_pdf(lines: list[str] | None, encrypt: bool = False) -> bytes:
    """A one-page PDF with Helvetica text lines (or no text at all), optionally encrypted."""
    content = b""
    if lines:
        parts = [b"BT /F1 12 Tf 72 720 Td 14 TL"] + [b"(" + ln.encode("latin-1") + b") Tj T*" for ln in lines] + [b"ET"]
        content = b"\n".join(parts)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypt:  # standard security handler with a user password we do not know
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % off for off in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if encrypt:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objs), b"ab" * 16, b"ab" * 16)
    return out + b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_text_layer_is_read() -> None:
    doc = load_bytes(make_pdf(["Report 2022", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"]), "a.pdf")
    assert doc.source.format == "pdf"
    assert doc.text.splitlines()[0] == "Report 2022"
    assert doc.raw_tables == []


def test_no_text_layer() -> None:
    with pytest.raises(NianbaoError) as exc:
        load_bytes(make_pdf(None), "scan.pdf")
    assert exc.value.code == "no_text_layer"


def test_encrypted_pdf_is_unreadable() -> None:
    with pytest.raises(NianbaoError) as exc:
        load_bytes(make_pdf(["secret"], encrypt=True), "locked.pdf")
    assert exc.value.code == "unreadable" and "encrypted" in exc.value.message


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot really a pdf", make_pdf(["x"])[:200]])
def test_broken_pdf_is_unreadable(data: bytes) -> None:
    with pytest.raises(NianbaoError) as exc:
        load_bytes(data, "broken.pdf")
    assert exc.value.code == "unreadable"


def test_broken_pdf_yields_an_error_record() -> None:
    rec = pipeline.process(b"%PDF-1.7\n\x00\x01garbage", path="broken.pdf")
    assert rec.status == "error" and rec.error and rec.error["type"] == "unreadable"


@needs_shared
@pytest.mark.parametrize("name", ["huaian-hongze-qu-2023.pdf", "huaian-hongze-qu-2024.pdf", "huaian-shi-2024.pdf"])
def test_real_pdf_sections_and_tables(name: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared")
    rec = pipeline.process(str(path))
    assert rec.status == "ok", rec.error
    assert [s.key for s in rec.sections] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    s4 = next(s for s in rec.sections if s.key == "s4")
    assert "行政复议" in s4.title  # the row 四、结转下年度继续办理 just above is not the heading
    counts = {t.key: len(t.cells) for t in rec.tables}
    assert counts["t2"] == 10 and counts["t4"] == 15 and counts["t3"] in (161, 175)
    # footers such as '- 3 -' stay in the text but never become cells
    assert any(ln.strip().startswith("-") and ln.strip().endswith("-") for ln in rec.text.splitlines())
    for t in rec.tables:
        for c in t.cells:
            assert c.start is not None and rec.text[c.start : c.end] == c.raw
