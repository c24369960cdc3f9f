"""Ingest: bytes -> :class:`~pipeline.model.Document` (normalized text, raw table grids).

One module per format; :func:`load` picks by file extension and content sniffing.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from pipeline.ingest.normalize import decode, normalize
from pipeline.model import Document, NianbaoError, Source

MAX_BYTES = 50 * 1024 * 1024

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


# format -> (module, loader function, the pip extra that provides its dependencies)
_LOADERS = {
    "html": ("pipeline.ingest.html", "load_html", "html"),
    "docx": ("pipeline.ingest.docx", "load_docx", "docx"),
    "pdf": ("pipeline.ingest.pdf", "load_pdf", "pdf"),
}


def sniff_format(path: str, data: bytes) -> str:
    ext = Path(path).suffix.lower()
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04" and ext in (".docx", ""):
        return "docx"
    if ext in FORMATS:
        return FORMATS[ext]
    head = data[:2048].lower()
    if b"<html" in head or b"<table" in head or b"<!doctype html" in head or b"<p" in head:
        return "html"
    return "txt"


def make_source(path: str, data: bytes, fmt: str) -> Source:
    return Source(path=str(path), format=fmt, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))


def load_bytes(data: bytes, path: str = "<bytes>", fmt: str | None = None) -> Document:
    """Turn report bytes into a Document.  Raises NianbaoError with a short code."""
    if len(data) > MAX_BYTES:
        raise NianbaoError("too_large", f"{len(data)} bytes is over the {MAX_BYTES} byte limit")
    fmt = fmt or sniff_format(path, data)
    source = make_source(path, data, fmt)
    if fmt in _LOADERS:
        module, func, extra = _LOADERS[fmt]
        try:
            loader = getattr(importlib.import_module(module), func)
        except ImportError as exc:
            raise NianbaoError(
                "missing_dependency", f"reading {fmt.upper()} needs the '{extra}' extra ({exc.name} is not installed): pip install 'nianbao[{extra}]'"
            ) from exc
        return loader(data, source)
    return load_text(data, source)


def load(path: str | Path) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise NianbaoError("unreadable", f"no such file: {p}") from exc
    except OSError as exc:
        raise NianbaoError("unreadable", f"cannot read {p}: {exc.strerror or exc}") from exc
    return load_bytes(data, str(path))


def load_text(data: bytes, source: Source) -> Document:
    """Plain text and markdown: the flattened DOCX layout, pipe tables, line layouts."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NianbaoError("unreadable", "the file looks binary, not text")
    raw, enc = decode(data)
    source.encoding = enc
    text, offset_map = normalize(raw)
    from pipeline.ingest.flat import parse_flat_tables

    tables = parse_flat_tables(text)
    if source.format == "md":
        from pipeline.ingest.markdown import parse_markdown_tables

        tables = parse_markdown_tables(text)
    elif not tables and "|" in text:
        from pipeline.ingest.markdown import parse_pipe_tables

        tables = parse_pipe_tables(text)
    return Document(
        text=text,
        source=source,
        raw_tables=tables,
        offset_map=offset_map,
        table_spans=[(t.start, t.end) for t in tables],
    )
