"""Markdown tables: pipe tables (``| a | b |``) and, in markdown made from PDFs, row lines.

PDF-to-markdown converters keep only part of a report's tables as pipe tables; the rest
comes out as plain lines: block titles (``第二十条第（五）项``), header lines
(``信息内容本年处理决定数量``) and rows printed as a label followed by space-separated
numbers (``行政许可 97``).  :func:`parse_markdown_tables` returns both kinds as
:class:`~pipeline.model.RawTable` grids in document order; cells split out of a line are
marked ``inferred``.  Every cell's ``start``/``end`` points at its text in the document.
"""

from __future__ import annotations

import re

from pipeline.model import RawCell, RawTable

_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SPLIT = re.compile(r"(?<!\\)\|")

# row lines (PDF-derived markdown)
_TITLE = re.compile(r"^第二十条第[（(][一二三四五六七八九十]+[）)]项$")
_HEADER = re.compile(r"^信息内容")
_NUM = r"[+\-]?\d[\d,.]*(?:万元|元)?"
_DATA = re.compile(
    rf"^(?P<label>(?:\d{{1,2}}[.、．])?[^\d\s|。；;：:][^\d|。；;：:]{{0,39}}?)[ \t\u3000]+(?P<nums>{_NUM}(?:[ \t\u3000]+{_NUM}){{0,15}})[ \t\u3000]*$"
)
_NUM_TOKEN = re.compile(_NUM)
_FOOTER = re.compile(r"^[-—–－]+\s*\d{1,4}\s*[-—–－]+$")
MIN_NUMBERS_WITHOUT_TITLE = 5


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
    for part in _SPLIT.split(line[first + 1 : last]):
        stripped = part.strip()
        if stripped:
            lead = len(part) - len(part.lstrip())
            cells.append(RawCell(text=stripped, start=off + i + lead, end=off + i + lead + len(stripped)))
        else:
            cells.append(RawCell(text=""))
        i += len(part) + 1
    return cells


def _line_row(line: str, off: int) -> tuple[str, list[RawCell]] | None:
    """A table row printed as a plain line: ("title" | "header" | "data", cells)."""
    s = line.strip(" \t\u3000\u00a0")
    if not s:
        return None
    lead = line.index(s[0])
    base = off + lead
    if _TITLE.match(s):
        return "title", [RawCell(text=s, start=base, end=base + len(s))]
    if _HEADER.match(s):
        cells = [RawCell(text="信息内容", start=base, end=base + 4)]
        rest = s[4:]
        r = rest.strip(" \t\u3000")
        if r:
            i = 4 + rest.index(r[0])
            cells.append(RawCell(text=r, start=base + i, end=base + i + len(r)))
        return "header", cells
    m = _DATA.match(s)
    if not m:
        return None
    label = m.group("label").rstrip(" \t\u3000")
    cells = [RawCell(text=label, start=base, end=base + len(label))]
    nums_at = m.start("nums")
    for t in _NUM_TOKEN.finditer(m.group("nums")):
        a = base + nums_at + t.start()
        cells.append(RawCell(text=t.group(), start=a, end=a + len(t.group()), inferred=True))
    return "data", cells


def parse_line_tables(text: str, skip: list[tuple[int, int]] | None = None) -> list[RawTable]:
    """Tables printed as row lines.  A run of row lines (blank lines and page footers
    may sit between them) is a table when it holds a block title or header line, or a
    row with at least MIN_NUMBERS_WITHOUT_TITLE numbers; narrative lines that merely end
    in a number never qualify alone."""
    skip = skip or []
    tables: list[RawTable] = []
    run: list[tuple[str, list[RawCell], int, int]] = []

    def close() -> None:
        # rows before the first title or header line need a full row of numbers: a wrapped
        # narrative line ending in a number must not open a table
        while run and run[0][0] == "data" and len(run[0][1]) - 1 < MIN_NUMBERS_WITHOUT_TITLE:
            run.pop(0)
        if run and any(kind != "data" or len(cells) - 1 >= MIN_NUMBERS_WITHOUT_TITLE for kind, cells, _, _ in run):
            tables.append(RawTable(rows=[cells for _, cells, _, _ in run], start=run[0][2], end=run[-1][3], layout="lines"))
        run.clear()

    pos = 0
    si = 0
    for line in text.split("\n"):
        off = pos
        pos += len(line) + 1
        while si < len(skip) and skip[si][1] < off:
            si += 1
        if si < len(skip) and skip[si][0] <= off <= skip[si][1]:
            close()
            continue
        s = line.strip(" \t\u3000\u00a0")
        if not s or _FOOTER.match(s):
            continue
        row = _line_row(line, off)
        if row is None:
            close()
            continue
        run.append((row[0], row[1], off, off + len(line)))
    close()
    return tables


def parse_markdown_tables(text: str) -> list[RawTable]:
    """Pipe tables and row-line tables of a markdown document, in document order."""
    pipes = parse_pipe_tables(text)
    lines = parse_line_tables(text, [(t.start, t.end) for t in pipes])
    return sorted(pipes + lines, key=lambda t: t.start)
