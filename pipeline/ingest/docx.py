"""DOCX reports, read with python-docx and rendered like the seed's flattened DOCX text.

The body is walked in document order (paragraphs and tables interleaved, content
controls opened).  Each paragraph becomes a line; each table becomes the flattened
layout of docs/report-format.md §10.2 plus a :class:`~pipeline.model.RawTable` grid:
a horizontally merged cell (``gridSpan``) appears once, a vertically merged cell
(``vMerge``) appears with its text in its first row and as an empty cell in each row it
continues into.  Text in a cell is joined without separators (in-cell paragraphs and line
breaks); a nested table's text stays inside its cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from pipeline.ingest.grid import TextBuilder, clean_text
from pipeline.model import Document, NianbaoError, Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W_P, W_TBL, W_TR, W_TC, W_SDT, W_SDT_CONTENT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
W_T, W_TAB, W_BR, W_CR, W_TCPR, W_VMERGE, W_VAL = (f"{_W}{t}" for t in ("t", "tab", "br", "cr", "tcPr", "vMerge", "val"))
W_CUSTOM_XML = f"{_W}customXml"
W_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
MC_FALLBACK = f"{_MC}Fallback"


def _open(data: bytes) -> Any:
    if not data.startswith(b"PK"):
        raise NianbaoError("unreadable", "the file is not a DOCX (Office Open XML) package")
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a core dependency
        raise NianbaoError("unsupported_format", "DOCX support needs python-docx") from exc
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise NianbaoError("unreadable", f"the DOCX package cannot be read: {exc}") from exc
    except Exception as exc:  # python-docx and lxml raise many types on broken packages
        raise NianbaoError("unreadable", f"the DOCX package cannot be read ({type(exc).__name__}: {exc})") from exc


def _skip_fallback(el: Any) -> Iterator[Any]:
    """Descendants of ``el`` in document order, leaving out mc:Fallback copies."""
    stack = [el]
    while stack:
        node = stack.pop()
        yield node
        children = [c for c in node if c.tag != MC_FALLBACK]
        children.reverse()
        stack.extend(children)


def _has_fallback(el: Any) -> bool:
    return next(el.iter(MC_FALLBACK), None) is not None


def paragraph_lines(p: Any) -> list[str]:
    """A paragraph's text, split at explicit line breaks."""
    nodes = _skip_fallback(p) if _has_fallback(p) else p.iter(W_T, W_TAB, W_BR, W_CR, W_NO_BREAK_HYPHEN)
    parts: list[str] = []
    for node in nodes:
        tag = node.tag
        if tag == W_T:
            parts.append(node.text or "")
        elif tag == W_TAB:
            parts.append(" ")
        elif tag in (W_BR, W_CR):
            parts.append("\n")
        elif tag == W_NO_BREAK_HYPHEN:
            parts.append("-")
    return "".join(parts).split("\n")


def cell_text(tc: Any) -> str:
    """All text of a table cell joined without separators (paragraphs, breaks, nested tables)."""
    nodes = _skip_fallback(tc) if _has_fallback(tc) else tc.iter(W_T)
    return clean_text("".join(n.text or "" for n in nodes if n.tag == W_T))


def _is_vmerge_continue(tc: Any) -> bool:
    pr = tc.find(W_TCPR)
    if pr is None:
        return False
    vm = pr.find(W_VMERGE)
    if vm is None:
        return False
    return vm.get(W_VAL, "continue") != "restart"


def _unwrap(el: Any, tag: str) -> Iterator[Any]:
    """Children of ``el`` with tag ``tag``, looking through content controls and custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _unwrap(content, tag)
        elif child.tag == W_CUSTOM_XML:
            yield from _unwrap(child, tag)


def table_rows(tbl: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in _unwrap(tbl, W_TR):
        row = ["" if _is_vmerge_continue(tc) else cell_text(tc) for tc in _unwrap(tr, W_TC)]
        if row:
            rows.append(row)
    return rows


def _walk(container: Any, out: TextBuilder) -> None:
    for child in container:
        tag = child.tag
        if tag == W_P:
            for line in paragraph_lines(child):
                out.line(line)
        elif tag == W_TBL:
            out.table(table_rows(child))
        elif tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                _walk(content, out)
        elif tag == W_CUSTOM_XML:
            _walk(child, out)


def load_docx(data: bytes, source: Source) -> Document:
    """DOCX bytes -> Document with paragraph lines and tables as grids."""
    doc = _open(data)
    out = TextBuilder()
    _walk(doc.element.body, out)
    text = out.text()
    if not text.strip():
        raise NianbaoError("no_report_structure", "the DOCX document holds no text")
    return Document(text=text, source=source, raw_tables=out.tables, offset_map=[], table_spans=out.spans())
