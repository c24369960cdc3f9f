"""Plain dataclasses shared by every stage.

Data flows one way: ingest -> structure -> nlp -> reconcile -> export.  Every span
(``start``/``end``) is a character offset into :attr:`Document.text` (Python ``str``
indexing, end exclusive), so any stage's output can be highlighted in the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.0"

Approx = Literal["eq", "ge", "le", "about"]
Status = Literal["pass", "fail", "uncertain", "not_assessable"]
Severity = Literal["error", "warning", "info"]


@dataclass
class Source:
    """Where a document came from."""

    path: str
    format: str  # txt | html | docx | pdf | md
    sha256: str
    bytes: int
    encoding: str | None = None


@dataclass
class RawCell:
    """One printed cell of a raw table grid, before any mapping.

    ``start``/``end`` are offsets of the cell's text in ``Document.text`` (None for an
    empty cell that has no text).  ``text`` is the cell text with in-cell line breaks
    joined without separator.
    """

    text: str
    start: int | None = None
    end: int | None = None
    # For layouts that print numbers without cell boundaries (PDF text, crawler dumps):
    # True when this cell was produced by splitting a line rather than by markup.
    inferred: bool = False


@dataclass
class RawTable:
    """A table as the source laid it out: rows of cells, with its span in the text."""

    rows: list[list[RawCell]]
    start: int
    end: int
    layout: str = "flat"  # flat (tab-indented DOCX text) | grid (HTML/DOCX) | lines (PDF/crawler text)


@dataclass
class Document:
    """A report after ingest: normalized text plus raw table grids."""

    text: str
    source: Source
    raw_tables: list[RawTable] = field(default_factory=list)
    # (normalized offset, source offset) pairs at each point where normalization
    # changed the length of the text; see pipeline.ingest.normalize.
    offset_map: list[tuple[int, int]] = field(default_factory=list)
    # lines of text that ingest knows lie inside tables (for heading detection):
    # list of (start, end) spans.
    table_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Section:
    key: str  # s1..s6
    title: str
    start: int  # heading start
    end: int  # end of the section (start of the next heading or end of text)
    body_start: int = 0  # first char after the heading line


@dataclass
class Cell:
    id: str
    value: float | int | None
    raw: str
    start: int | None
    end: int | None
    # explicit | blank | na | unparsed | approx | uncertain
    provenance: str = "explicit"
    unit: str | None = None
    # when a run-together digit string admits several splits: the other candidates
    alternatives: list[float | int] = field(default_factory=list)


@dataclass
class Table:
    key: str  # t2 | t3 | t4
    template: str | None  # v2019 | v2021 | hybrid | None
    start: int
    end: int
    cells: list[Cell] = field(default_factory=list)
    # printed rows that map to no canonical id (e.g. 其他主动公开文件), kept as extension values
    extras: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def cell_map(self) -> dict[str, Cell]:
        return {c.id: c for c in self.cells}


@dataclass
class Quantity:
    id: str
    start: int
    end: int
    text: str
    value: float | int
    unit: str | None
    approx: str = "eq"  # eq | ge | le | about
    kind: str = "count"  # count | money | percent | duration | other
    # extra annotations (not in the minimum contract)
    value_max: float | int | None = None  # upper bound of a range
    raw_unit: str | None = None
    score: float = 1.0
    explanation: str = ""


@dataclass
class Claim:
    id: str
    start: int
    end: int
    quantity_id: str | None
    value: float | int
    unit: str | None
    approx: str
    subject: str | None
    indicator: str | None
    confidence: float
    action: str | None = None
    time_scope: str | None = None
    polarity: str = "positive"  # positive | zero
    relation: dict[str, Any] | None = None  # {"type": "part_of", "parent": claim_id} ...
    section: str | None = None
    explanation: str = ""


@dataclass
class Evidence:
    kind: str  # claim | cell | quantity
    ref: str
    start: int | None
    end: int | None


@dataclass
class Finding:
    id: str
    rule: str
    status: str  # pass | fail | uncertain | not_assessable
    severity: str  # error | warning | info
    message: str
    expected: Any
    observed: Any
    evidence: list[Evidence] = field(default_factory=list)
    # extra (not in the minimum contract)
    family: str = ""  # identity | narrative_table | narrative_narrative | plausibility | cross_year
    flags: list[str] = field(default_factory=list)  # e.g. blank_as_zero, blank_suspect
    confidence: float = 1.0
    explanation: str = ""


@dataclass
class Meta:
    agency: str | None = None
    year: int | None = None
    template: str | None = None


@dataclass
class Record:
    """One output record per input document."""

    doc_id: str
    source: Source
    status: str = "ok"
    error: dict[str, str] | None = None
    meta: Meta = field(default_factory=Meta)
    text: str = ""
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        from pipeline.export.record import record_to_dict

        return record_to_dict(self)


class NianbaoError(Exception):
    """An input that cannot be processed; ``code`` is the error record's ``type``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
