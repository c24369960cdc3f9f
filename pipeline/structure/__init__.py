"""Structure: Document -> sections, tables mapped to canonical cell ids, meta."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.model import Document, Meta, Section, Table
from pipeline.structure.meta import extract_meta
from pipeline.structure.sections import find_sections
from pipeline.structure.tables import map_tables

__all__ = ["Structure", "structure", "find_sections", "map_tables"]


@dataclass
class Structure:
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def report_template(tables: list[Table]) -> str | None:
    versions = {t.template for t in tables if t.key in ("t2", "t3") and t.template}
    if not versions:
        return None
    return versions.pop() if len(versions) == 1 else "hybrid"


def structure(doc: Document) -> Structure:
    sections = find_sections(doc)
    raw = list(doc.raw_tables)
    tables = map_tables(raw)
    if len(tables) < 3:
        try:
            from pipeline.structure.lines import line_tables
        except ImportError:  # pragma: no cover - optional layout module
            line_tables = None
        if line_tables is not None:
            have = {t.key for t in tables}
            for t in line_tables(doc, sections):
                if t.key not in have:
                    tables.append(t)
            tables.sort(key=lambda t: t.key)
    for t in tables:
        if t.key == "t4" and t.template is None:
            t.template = report_template(tables)
    agency, year = extract_meta(doc.text)
    meta = Meta(agency=agency, year=year, template=report_template(tables))
    return Structure(sections=sections, tables=tables, meta=meta)
