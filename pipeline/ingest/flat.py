"""The flattened DOCX text layout (the seed's format): tables as tab-indented cells.

Grammar (docs/report-format.md §10.2)::

    CELL  := "\\t" text      first paragraph of a cell ("\\t" alone = empty cell)
    CONT  := text           non-empty line without TAB right after a CELL/CONT: same cell
    row   := CELL (CELL | CONT)* EMPTY
    table := row+           ends when the line after a row's EMPTY is EMPTY or TEXT
"""

from __future__ import annotations

from pipeline.model import RawCell, RawTable


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def parse_flat_tables(text: str) -> list[RawTable]:
    """Find every tab-indented table in ``text`` and return its rows of cells."""
    lines = _lines(text)
    tables: list[RawTable] = []
    i = 0
    n = len(lines)
    while i < n:
        if not lines[i][1].startswith("\t"):
            i += 1
            continue
        rows: list[list[RawCell]] = []
        start = lines[i][0]
        end = start
        while i < n and lines[i][1].startswith("\t"):
            row: list[RawCell] = []
            while i < n and lines[i][1].strip(" \u00a0") != "":
                off, line = lines[i]
                if line.startswith("\t"):
                    row.append(_cell(line[1:], off + 1))
                elif row:  # CONT: a further paragraph of the same cell
                    row[-1] = _join(row[-1], line, off)
                end = off + len(line)
                i += 1
            rows.append(row)
            # one EMPTY line ends the row; the table goes on only if a CELL follows
            if i < n and lines[i][1].strip(" \u00a0") == "":
                i += 1
        tables.append(RawTable(rows=rows, start=start, end=end, layout="flat"))
    return tables


def _cell(body: str, off: int) -> RawCell:
    stripped = body.strip(" \u00a0\u3000")
    if not stripped:
        return RawCell(text="", start=None, end=None)
    lead = len(body) - len(body.lstrip(" \u00a0\u3000"))
    return RawCell(text=stripped, start=off + lead, end=off + lead + len(stripped))


def _join(cell: RawCell, line: str, off: int) -> RawCell:
    stripped = line.strip(" \u00a0\u3000")
    if not stripped:
        return cell
    lead = len(line) - len(line.lstrip(" \u00a0\u3000"))
    if cell.start is None:
        return RawCell(text=stripped, start=off + lead, end=off + lead + len(stripped))
    return RawCell(text=cell.text + stripped, start=cell.start, end=off + lead + len(stripped))
