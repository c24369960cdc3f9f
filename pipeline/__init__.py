"""nianbao: information extraction for Chinese government information-disclosure annual reports.

One-line API::

    import pipeline
    rec = pipeline.process("report.txt")          # -> Record
    rec.to_dict()                                  # the annotated JSONL record
    for rec in pipeline.iter_records(["dir/"]):    # many documents, one record each
        ...
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.model import Document, Meta, NianbaoError, Record, Source

__version__ = "0.1.0"
__all__ = ["process", "process_document", "iter_records", "error_record", "Record", "Document", "__version__"]


def error_record(path: str, code: str, message: str, data: bytes | None = None, fmt: str | None = None) -> Record:
    sha = hashlib.sha256(data).hexdigest() if data is not None else ""
    if fmt is None:
        from pipeline.ingest import FORMATS

        fmt = FORMATS.get(Path(path).suffix.lower(), "unknown")
    src = Source(path=str(path), format=fmt, sha256=sha, bytes=len(data) if data is not None else 0)
    doc_id = sha or hashlib.sha256(str(path).encode()).hexdigest()
    return Record(doc_id=doc_id, source=src, status="error", error={"type": code, "message": message})


def process_document(doc: Document, doc_id: str | None = None) -> Record:
    """Run structure -> nlp -> reconcile on an ingested Document."""
    from pipeline.nlp import analyze
    from pipeline.reconcile import reconcile
    from pipeline.structure import structure

    st = structure(doc)
    if not st.sections and not st.tables:
        raise NianbaoError("no_report_structure", "no report section heading and no statistical table was found")
    table_spans = sorted({(t.start, t.end) for t in doc.raw_tables} | set(doc.table_spans) | {(t.start, t.end) for t in st.tables if t.end > t.start})
    quantities, claims = analyze(doc.text, st.sections, table_spans)
    findings = reconcile(st.tables, claims, st.meta if isinstance(st.meta, Meta) else None, doc.text)
    return Record(
        doc_id=doc_id or doc.source.sha256,
        source=doc.source,
        meta=st.meta if isinstance(st.meta, Meta) else Meta(),
        text=doc.text,
        sections=st.sections,
        tables=st.tables,
        quantities=quantities,
        claims=claims,
        findings=findings,
    )


def process(src: str | Path | bytes, *, path: str | None = None, doc_id: str | None = None, fmt: str | None = None) -> Record:
    """Process one report (a path, or bytes with an optional ``path`` for naming).

    Never raises for bad input: a document that cannot be processed yields a record with
    ``status == "error"`` and ``error = {type, message}``.
    """
    from pipeline.ingest import load_bytes

    name = path or ("<bytes>" if isinstance(src, bytes) else str(src))
    data: bytes | None = None
    try:
        if isinstance(src, bytes):
            data = src
        else:
            try:
                data = Path(src).read_bytes()
            except FileNotFoundError:
                return error_record(name, "unreadable", f"no such file: {name}")
            except IsADirectoryError:
                return error_record(name, "unreadable", f"{name} is a directory, not a report file")
            except OSError as exc:
                return error_record(name, "unreadable", f"cannot read {name}: {exc.strerror or exc}")
        doc = load_bytes(data, name, fmt)
        return process_document(doc, doc_id)
    except NianbaoError as exc:
        return error_record(name, exc.code, exc.message, data, fmt)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        return error_record(name, "internal", f"{type(exc).__name__}: {exc}", data, fmt)


def iter_records(inputs: Iterable[str | Path]) -> Iterator[Record]:
    """Records for every report under ``inputs`` (files, directories, globs, zip archives), in input order."""
    from pipeline.batch import iter_inputs
    from pipeline.batch.work import _process

    for inp in iter_inputs([str(i) for i in inputs]):
        yield _process(inp)
