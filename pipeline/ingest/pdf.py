"""PDF reports with a text layer (pdfplumber).  OCR is out of scope.

The text layer is read page by page with pdfplumber's line grouping; pages are joined
with a newline.  PDFs carry no cell markup, so ``raw_tables`` stays empty and the
structure stage reads the tables from the lines (:mod:`pipeline.structure.lines`).
Page footers such as ``— 3 —`` stay in the text (offsets stay honest); the line
reader skips them.
"""

from __future__ import annotations

import io
import logging
import re

from pipeline.ingest.normalize import normalize
from pipeline.model import Document, NianbaoError, Source

_CJK_OR_DIGIT = re.compile(r"[\u4e00-\u9fff0-9]")
# pdfminer logs a warning for every malformed object; a broken file is reported as an error record instead
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def _page_texts(data: bytes) -> list[str]:
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - pdfplumber is a core dependency of the pdf extra
        raise NianbaoError("unsupported_format", "reading PDF needs pdfplumber (pip install 'nianbao[pdf]')") from exc
    try:
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover
        PDFPasswordIncorrect = Exception  # type: ignore[misc,assignment]  # noqa: N806
    texts: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                texts.append(page.extract_text(x_tolerance=1.5, y_tolerance=3) or "")
    except PDFPasswordIncorrect as exc:
        raise NianbaoError("unreadable", "the PDF is encrypted and cannot be opened without a password") from exc
    except NianbaoError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many exception types for broken files
        inner = [exc, *exc.args, exc.__cause__, exc.__context__]
        msg = str(exc) or type(exc).__name__
        if any(isinstance(e, PDFPasswordIncorrect) for e in inner) or "password" in msg.lower() or "encrypt" in msg.lower():
            raise NianbaoError("unreadable", "the PDF is encrypted and cannot be opened without a password") from exc
        raise NianbaoError("unreadable", f"the PDF cannot be parsed ({type(exc).__name__}: {msg[:120]})") from exc
    return texts


def load_pdf(data: bytes, source: Source) -> Document:
    """Read a PDF's text layer into a Document.

    Raises ``NianbaoError('unreadable')`` for an encrypted or broken file and
    ``NianbaoError('no_text_layer')`` for a scanned PDF (no text to read; OCR is out of scope).
    """
    if not data.startswith(b"%PDF-"):
        raise NianbaoError("unreadable", "the file does not start with a PDF header")
    pages = _page_texts(data)
    raw = "\n".join(p.rstrip("\n") for p in pages)
    if len(_CJK_OR_DIGIT.findall(raw)) < 20:
        raise NianbaoError("no_text_layer", f"the PDF has {len(pages)} page(s) but no text layer (scanned?); OCR is out of scope")
    text, offset_map = normalize(raw)
    return Document(text=text, source=source, raw_tables=[], offset_map=offset_map, table_spans=[])
