"""Markdown pipe tables (``| a | b |``), e.g. markdown produced from PDFs."""

from __future__ import annotations

import re

from pipeline.model import RawCell, RawTable

_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def parse_pipe_tables(text: str) -> list[RawTable]:
    tables: list[RawTable] = []
    rows: list[list[RawCell]] = []
    start = end = 0
    pos = 0
    for line in text.split("\n"):
        off = pos
        pos += len(line) + 1
        s = line.strip()
        if s.startswith("|") and s.count("|") >= 2:
            if not rows:
                start = off
            end = off + len(line)
            if _SEP.match(s):
                continue
            rows.append(_split_row(line, off))
        elif rows:
            tables.append(RawTable(rows=rows, start=start, end=end, layout="grid"))
            rows = []
    if rows:
        tables.append(RawTable(rows=rows, start=start, end=end, layout="grid"))
    return tables


def _split_row(line: str, off: int) -> list[RawCell]:
    cells: list[RawCell] = []
    first = line.index("|")
    last = line.rindex("|")
    i = first + 1
    for part in line[first + 1 : last].split("|"):
        stripped = part.strip()
        if stripped:
            lead = len(part) - len(part.lstrip())
            cells.append(RawCell(text=stripped, start=off + i + lead, end=off + i + lead + len(stripped)))
        else:
            cells.append(RawCell(text=""))
        i += len(part) + 1
    return cells
