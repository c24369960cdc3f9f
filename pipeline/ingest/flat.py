"""The flattened DOCX text layout (the seed's format): tables as tab-indented cells.

Grammar (docs/report-format.md §10.2)::

    CELL  := "\\t" text      first paragraph of a cell ("\\t" alone = empty cell)
    CONT  := text           non-empty line without TAB right after a CELL/CONT: same cell
    row   := CELL (CELL | CONT)* EMPTY
    table := row+           ends when the line after a row's EMPTY is EMPTY or TEXT

A line is EMPTY when nothing but spaces and NBSPs is left on it.
"""

from __future__ import annotations

from pipeline.model import RawCell, RawTable

_BLANK = " \u00a0"  # what an EMPTY line may hold
_PAD = " \u00a0\u3000"  # stripped from both ends of a cell's text


def parse_flat_tables(text: str) -> list[RawTable]:
    """Find every tab-indented table in ``text`` and return its rows of cells.

    One pass over the lines; ``pos`` is always the offset of ``lines[i]`` in ``text``.
    """
    lines = text.split("\n")
    tables: list[RawTable] = []
    i = 0
    pos = 0
    n = len(lines)
    while i < n:
        if lines[i][:1] != "\t":
            pos += len(lines[i]) + 1
            i += 1
            continue
        rows: list[list[RawCell]] = []
        start = end = pos
        while i < n and lines[i][:1] == "\t":
            row: list[RawCell] = []
            while i < n:
                line = lines[i]
                if line == "\t":  # an empty CELL, the commonest line in a table
                    row.append(RawCell(""))
                elif line[:1] == "\t":
                    # CELL: the text after the TAB, padding stripped
                    body = line[1:]
                    lstripped = body.lstrip(_PAD)
                    stripped = lstripped.rstrip(_PAD)
                    if stripped:
                        s = pos + 1 + len(body) - len(lstripped)
                        row.append(RawCell(stripped, s, s + len(stripped)))
                    else:
                        row.append(RawCell(""))
                elif not line.strip(_BLANK):
                    break  # EMPTY (a CELL line never is)
                elif row:  # CONT: a further paragraph of the same cell
                    row[-1] = _join(row[-1], line, pos)
                end = pos + len(line)
                pos = end + 1
                i += 1
            rows.append(row)
            # one EMPTY line ends the row; the table goes on only if a CELL follows
            if i < n:
                pos += len(lines[i]) + 1
                i += 1
        tables.append(RawTable(rows, start, end, "flat"))
    return tables


def _join(cell: RawCell, line: str, off: int) -> RawCell:
    stripped = line.strip(_PAD)
    if not stripped:
        return cell
    lead = len(line) - len(line.lstrip(_PAD))
    if cell.start is None:
        return RawCell(text=stripped, start=off + lead, end=off + lead + len(stripped))
    return RawCell(text=cell.text + stripped, start=cell.start, end=off + lead + len(stripped))
