"""Rendering grid-format reports (HTML, DOCX) into the seed's flattened text layout.

The loaders for formats that carry real table grids render the report as plain text:
one line per paragraph, and each table in the flattened DOCX layout of the seed
(docs/report-format.md §10.2): every cell a line ``"\\t" + text``, one empty line after
each row, one more after the table.  At the same time they return the tables as
:class:`~pipeline.model.RawTable` grids (``layout="grid"``) whose cells point at their
text inside the rendered document, so no offset is ever recomputed afterwards.

Merged cells follow the flattened DOCX export: a horizontally merged cell appears once;
a vertically merged cell appears with its text in its first row and as an empty cell in
each later row (see :func:`expand_spans`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ingest.normalize import normalize
from pipeline.model import RawCell, RawTable

# CJK ideographs, CJK punctuation and full-width forms: a line break between two of
# them is an artefact of source formatting, not a space.
_CJK = "\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[^\S\n]*\n\s*(?=[{_CJK}])")
_WS = re.compile(r"\s+")


def clean_text(s: str) -> str:
    """Normalize (pipeline.ingest.normalize), drop line breaks between CJK characters,
    collapse whitespace runs to one space and strip."""
    if not s:
        return ""
    if not s.isascii() or "\r" in s or "[bookmark:" in s:
        s = normalize(s)[0]
    if "\n" in s:
        s = _CJK_BREAK.sub("", s)
    return _WS.sub(" ", s).strip()


@dataclass
class SpanCell:
    """A cell as marked up: its text and how many grid rows/columns it covers."""

    text: str
    colspan: int = 1
    rowspan: int = 1


def expand_spans(rows: list[list[SpanCell]]) -> list[list[str]]:
    """Rows of marked-up cells -> rows of cell texts in the flattened layout.

    A cell that covers several rows leaves one empty cell at its grid position in each
    later row it covers (whatever its width); a cell covering several columns appears once.
    """
    out: list[list[str]] = []
    # active vertical merges: grid column -> [width, rows still covered]
    active: dict[int, list[int]] = {}
    for row in rows:
        texts: list[str] = []
        visited: set[int] = set()
        col = 0
        for cell in row:
            while col in active and col not in visited:
                col += _placeholder(active, col, visited, texts)
            texts.append(cell.text)
            if cell.rowspan > 1:
                active[col] = [cell.colspan, cell.rowspan - 1]
                visited.add(col)
            col += cell.colspan
        # merged cells right of the last printed cell get their empty cell; a merge that
        # malformed markup overlapped with a wider cell is only counted down
        for c in sorted(active):
            if c in visited:
                continue
            if c >= col:
                _placeholder(active, c, visited, texts)
            else:
                active[c][1] -= 1
                if active[c][1] <= 0:
                    del active[c]
        if texts:
            out.append(texts)
    return out


def _placeholder(active: dict[int, list[int]], c: int, visited: set[int], texts: list[str]) -> int:
    """Emit the empty cell of the vertical merge at column ``c``; returns its width."""
    span = active[c]
    visited.add(c)
    texts.append("")
    span[1] -= 1
    if span[1] <= 0:
        del active[c]
    return span[0]


class TextBuilder:
    """Accumulates the rendered text and the raw tables with their offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.tables: list[RawTable] = []

    def line(self, s: str, clean: bool = True) -> None:
        """Append one paragraph line (skipped when empty after cleaning)."""
        if clean:
            s = clean_text(s)
        if not s:
            return
        self.parts.append(s)
        self.parts.append("\n")
        self.pos += len(s) + 1

    def table(self, rows: list[list[str]]) -> RawTable | None:
        """Append a table given as rows of (clean) cell texts; returns its RawTable."""
        rows = [r for r in rows if r]
        if not rows:
            return None
        start = self.pos
        raw_rows: list[list[RawCell]] = []
        for row in rows:
            cells: list[RawCell] = []
            for t in row:
                off = self.pos + 1
                self.parts.append("\t")
                self.parts.append(t)
                self.parts.append("\n")
                self.pos += len(t) + 2
                cells.append(RawCell(text=t, start=off, end=off + len(t)) if t else RawCell(text=""))
            self.parts.append("\n")
            self.pos += 1
            raw_rows.append(cells)
        end = self.pos - 2  # end of the last cell's line
        self.parts.append("\n")
        self.pos += 1
        table = RawTable(rows=raw_rows, start=start, end=end, layout="grid")
        self.tables.append(table)
        return table

    def text(self) -> str:
        return "".join(self.parts)

    def spans(self) -> list[tuple[int, int]]:
        return [(t.start, t.end) for t in self.tables]
