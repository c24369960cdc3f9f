"""DOCX reports, rendered like the seed's flattened DOCX text.

The main document part is read straight from the package with zipfile and lxml (python-docx
parses every part, styles and themes included, which costs about ten times more); packages
whose main part cannot be found that way are opened with python-docx.

The body is walked in document order (paragraphs and tables interleaved, content
controls opened).  Each paragraph becomes a line; each table becomes the flattened
layout of docs/report-format.md §10.2 plus a :class:`~pipeline.model.RawTable` grid:
a horizontally merged cell (``gridSpan``) appears once, a vertically merged cell
(``vMerge``) appears with its text in its first row and as an empty cell in each row it
continues into.  Text in a cell is joined without separators (in-cell paragraphs and line
breaks); a nested table's text stays inside its cell.  A single-cell table only frames
text and is read as paragraphs, as the HTML loader reads layout tables.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree

from pipeline.ingest.grid import TextBuilder, clean_text
from pipeline.model import Document, NianbaoError, Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W_P, W_TBL, W_TR, W_TC, W_SDT, W_SDT_CONTENT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
W_T, W_TAB, W_BR, W_CR, W_TCPR, W_VMERGE, W_VAL = (f"{_W}{t}" for t in ("t", "tab", "br", "cr", "tcPr", "vMerge", "val"))
W_CUSTOM_XML = f"{_W}customXml"
W_BODY = f"{_W}body"
W_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
MC_FALLBACK = f"{_MC}Fallback"
# no entity expansion, no network: package XML is untrusted input
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


_REL_OFFICE_DOCUMENT = "/officeDocument"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAX_PART_BYTES = 200 * 1024 * 1024


def _main_part(z: zipfile.ZipFile) -> str | None:
    """Name of the main document part, from the package relationships."""
    try:
        rels = etree.fromstring(z.read("_rels/.rels"), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml" if "word/document.xml" in z.namelist() else None
    for rel in rels.iter(_RELS_NS):
        if (rel.get("Type") or "").endswith(_REL_OFFICE_DOCUMENT):
            target = (rel.get("Target") or "").lstrip("/")
            return target if target in z.namelist() else None
    return None


def _body_fast(data: bytes) -> Any | None:
    """The w:body element read straight from the package (zipfile + lxml): only the main
    document part is parsed, not the styles, themes and numbering python-docx loads too."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        name = _main_part(z)
        if name is None:
            return None
        if z.getinfo(name).file_size > MAX_PART_BYTES:
            raise NianbaoError("too_large", f"the DOCX main part {name} is over {MAX_PART_BYTES} bytes unpacked")
        root = etree.fromstring(z.read(name), _PARSER)
    return root.find(W_BODY)


def _body_python_docx(data: bytes) -> Any:
    """The w:body element through python-docx (its own package and part resolution)."""
    import docx

    return docx.Document(io.BytesIO(data)).element.body


def _open(data: bytes) -> Any:
    if not data.startswith(b"PK"):
        raise NianbaoError("unreadable", "the file is not a DOCX (Office Open XML) package")
    try:
        body = _body_fast(data)
        if body is None:
            body = _body_python_docx(data)
    except NianbaoError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, etree.XMLSyntaxError) as exc:
        raise NianbaoError("unreadable", f"the DOCX package cannot be read: {exc}") from exc
    except Exception as exc:  # python-docx raises many types on broken packages
        raise NianbaoError("unreadable", f"the DOCX package cannot be read ({type(exc).__name__}: {exc})") from exc
    if body is None:
        raise NianbaoError("unreadable", "the DOCX main document has no body")
    return body


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
            cells = [tc for tr in _unwrap(child, W_TR) for tc in _unwrap(tr, W_TC) if not _is_vmerge_continue(tc)]
            if len(cells) == 1:
                # a single-cell table frames text (a box around a paragraph), it holds no data
                _walk(cells[0], out)
            else:
                out.table(table_rows(child))
        elif tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                _walk(content, out)
        elif tag == W_CUSTOM_XML:
            _walk(child, out)


def load_docx(data: bytes, source: Source) -> Document:
    """DOCX bytes -> Document with paragraph lines and tables as grids."""
    body = _open(data)
    out = TextBuilder()
    _walk(body, out)
    text = out.text()
    if not text.strip():
        raise NianbaoError("no_report_structure", "the DOCX document holds no text")
    return Document(text=text, source=source, raw_tables=out.tables, offset_map=[], table_spans=out.spans())
