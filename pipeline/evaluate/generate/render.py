"""Renderers: one logical report -> flattened text (seed layout), HTML (UTF-8 / GBK) or DOCX bytes.

Tables are first laid out as logical grids (cells with rowspan/colspan, as in the template); each renderer
turns the grid into its own markup.  The text renderer returns document offsets of every paragraph so the
gold file can give quantities, traps and claims as offsets into the normalized text (the generated text
avoids every character that normalization changes, so the two are equal).
"""

from __future__ import annotations

import html
import io
import random
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.evaluate.generate import wording as W
from pipeline.evaluate.generate.narrative import Para


@dataclass
class GCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[GCell]]


@dataclass
class Heading:
    key: str
    text: str


@dataclass
class TableBlock:
    key: str
    grid: Grid


@dataclass
class Line:
    """A line outside the narrative (title, signature, page number); may hold traps."""

    para: Para


# ---------------------------------------------------------------- grids


def t2_grid(template: str, disp: dict[str, str]) -> Grid:
    rows: Grid = []
    blocks = W.T2_V2019 if template == "v2019" else W.T2_V2021
    cols = W.T2_V2019_COLS if template == "v2019" else W.T2_V2021_COLS
    for num, headers, items in blocks:
        rows.append([GCell(W.T2_BLOCK_TITLE.format(n=num), colspan=4)])
        keys = cols[num]
        if len(headers) == 1:
            rows.append([GCell(W.T2_HEADER_FIRST), GCell(headers[0], colspan=3)])
        else:
            rows.append([GCell(W.T2_HEADER_FIRST)] + [GCell(h) for h in headers] + [GCell("")] * (3 - len(headers)))
        for row_key, label in items:
            vals = [disp[f"t2.{row_key}.{k}"] for k in keys]
            if len(vals) == 1:
                rows.append([GCell(label), GCell(vals[0], colspan=3)])
            else:
                rows.append([GCell(label)] + [GCell(v) for v in vals] + [GCell("")] * (3 - len(vals)))
    return rows


def t3_grid(template: str, disp: dict[str, str], rng: random.Random, variant_rate: float = 0.0) -> Grid:
    def lab(s: str) -> str:
        if variant_rate and s in W.T3_LABEL_VARIANTS and rng.random() < variant_rate:
            return rng.choice(W.T3_LABEL_VARIANTS[s])
        return s

    cols = W.T3_COLS
    rows: Grid = [
        [GCell(W.T3_CORNER, rowspan=3, colspan=3), GCell(W.T3_APPLICANT, colspan=7)],
        [GCell(W.T3_COL_LABELS[0], rowspan=2), GCell(W.T3_ORG_GROUP, colspan=5), GCell(W.T3_COL_LABELS[6], rowspan=2)],
        [GCell(x) for x in W.T3_COL_LABELS[1:6]],
    ]

    def vals(row_key: str) -> list[GCell]:
        return [GCell(disp[f"t3.{row_key}.{c}"]) for c in cols]

    rows.append([GCell(W.T3_TOP["new_received"], colspan=3)] + vals("new_received"))
    rows.append([GCell(W.T3_TOP["carried_over"], colspan=3)] + vals("carried_over"))
    groups = [*W.T3_RESULT_GROUPS_COMMON, W.T3_OTHER_V2021 if template == "v2021" else W.T3_OTHER_V2019, W.T3_TOTAL_ROW]
    n_result_rows = sum(len(r) for _g, r in groups)
    first = True
    for group, leaves in groups:
        for i, (key, label) in enumerate(leaves):
            row: list[GCell] = []
            if first:
                row.append(GCell(W.T3_TOP["results"], rowspan=n_result_rows))
                first = False
            if group is None:
                row.append(GCell(lab(label), colspan=2))
            else:
                if i == 0:
                    row.append(GCell(group, rowspan=len(leaves)))
                row.append(GCell(lab(label)))
            rows.append(row + vals(key))
    rows.append([GCell(W.T3_TOP["carry_forward"], colspan=3)] + vals("carry_forward"))
    return rows


def t4_grid(disp: dict[str, str]) -> Grid:
    rows: Grid = [
        [GCell(W.T4_TOP[0], colspan=5), GCell(W.T4_TOP[1], colspan=10)],
        [GCell(x, rowspan=2) for x in W.T4_RESULT_COLS] + [GCell(g, colspan=5) for g in W.T4_LIT_GROUPS],
        [GCell(x) for x in W.T4_RESULT_COLS * 2],
        [GCell(disp[f"t4.{b}.{k}"]) for b in W.T4_BLOCKS for k in W.T4_KEYS],
    ]
    return rows


def expand(grid: Grid) -> list[list[tuple[GCell, int, int] | None]]:
    """Full grid positions: (cell, start_row, start_col) covering each position."""
    width = sum(c.colspan for c in grid[0])
    full: list[list[tuple[GCell, int, int] | None]] = [[None] * width for _ in grid]
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while c < width and full[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(full) and c + dc < width:
                        full[r + dr][c + dc] = (cell, r, c)
            c += cell.colspan
    return full


def flat_rows(grid: Grid) -> list[list[str]]:
    """Cells per row in the seed's flattened layout: horizontal merges once, vertical merges as empty cells."""
    full = expand(grid)
    out: list[list[str]] = []
    for r, row in enumerate(full):
        cells: list[str] = []
        seen: set[int] = set()
        for pos in row:
            if pos is None:
                cells.append("")
                continue
            cell, sr, _sc = pos
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            cells.append(cell.text if sr == r else "")
        out.append(cells)
    return out


# ---------------------------------------------------------------- text (seed layout)

# labels the template prints with an in-cell line break (a CONT line in the flattened text)
_BREAKS = {"本年新制作数量": 3, "本年新公开数量": 3, "其他对外管理服务事项": 4}


def render_txt(blocks: list[Any], rng: random.Random) -> tuple[str, list[tuple[Para, int]], list[tuple[str, int]]]:
    """Flattened text; returns the text, (para, offset) pairs and (section key, heading offset) pairs."""
    parts: list[str] = ["\n\n"]
    pos = 2
    placed: list[tuple[Para, int]] = []
    heads: list[tuple[str, int]] = []

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for b in blocks:
        if isinstance(b, Heading):
            heads.append((b.key, pos))
            emit(b.text + "\n")
        elif isinstance(b, (Para, Line)):
            p = b if isinstance(b, Para) else b.para
            placed.append((p, pos))
            emit(p.text + "\n")
        elif isinstance(b, TableBlock):
            for row in flat_rows(b.grid):
                for cell in row:
                    # in-cell line breaks: long header labels are sometimes split (CONT lines)
                    cut = _BREAKS.get(cell, 0)
                    if cut and rng.random() < 0.5:
                        emit("\t" + cell[:cut] + "\n" + cell[cut:] + "\n")
                    else:
                        emit("\t" + cell + "\n")
                emit("\n")
            emit("\n" * rng.randint(1, 2))
        elif b == "blank":
            emit("\n")
    return "".join(parts), placed, heads


# ---------------------------------------------------------------- HTML


def _html_value(text: str, rng: random.Random, split_rate: float) -> str:
    t = html.escape(text)
    if split_rate and len(text) >= 2 and text.isdigit() and rng.random() < split_rate:
        k = rng.randint(1, len(text) - 1)
        return f'<span style="font-family:仿宋">{html.escape(text[:k])}</span><span style="font-family:仿宋">{html.escape(text[k:])}</span>'
    return t


def render_html(blocks: list[Any], title: str, encoding: str, rng: random.Random) -> bytes:
    split_rate = 0.15 if rng.random() < 0.4 else 0.0
    charset = "gbk" if encoding == "gbk" else "utf-8"
    out: list[str] = [
        "<!DOCTYPE html>",
        "<html><head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset == "gbk" else '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "</head><body>",
        '<div class="header"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/xxgk/">信息公开年报</a></div>',
        '<div class="article"><div class="content">',
    ]
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"<p><strong>{html.escape(b.text)}</strong></p>")
        elif isinstance(b, (Para, Line)):
            p = b if isinstance(b, Para) else b.para
            out.append(f'<p style="text-indent:2em">{html.escape(p.text)}</p>' if p.text.strip() else "<p>&nbsp;</p>")
        elif isinstance(b, TableBlock):
            out.append('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">')
            for row in b.grid:
                out.append("<tr>")
                for c in row:
                    attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
                    out.append(f"<td{attrs}><p>{_html_value(c.text, rng, split_rate)}</p></td>")
                out.append("</tr>")
            out.append("</table>")
    out += ["</div></div>", '<div class="footer">主办单位：本网站 | 网站地图 | 联系我们</div>', "</body></html>"]
    s = "\n".join(out)
    return s.encode("gbk") if charset == "gbk" else s.encode("utf-8")


# ---------------------------------------------------------------- DOCX

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@lru_cache(maxsize=1)
def _docx_skeleton() -> tuple[dict[str, bytes], str, str]:
    """python-docx's default package, split into its parts; document.xml head and sectPr."""
    import docx  # python-docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    doc = parts["word/document.xml"].decode("utf-8")
    head = doc[: doc.index("<w:body>") + len("<w:body>")]
    sect = doc[doc.index("<w:sectPr") : doc.index("</w:body>")]
    return parts, head, sect


def _wp(text: str, bold: bool = False) -> str:
    if not text:
        return "<w:p/>"
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r></w:p>'


def _wtable(grid: Grid) -> str:
    full = expand(grid)
    width = len(full[0])
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>']
    out += ['<w:gridCol w:w="600"/>'] * width
    out.append("</w:tblGrid>")
    for r, row in enumerate(full):
        out.append("<w:tr>")
        c = 0
        while c < width:
            pos = row[c]
            if pos is None:
                out.append("<w:tc><w:p/></w:tc>")
                c += 1
                continue
            cell, sr, sc = pos
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            if cell.rowspan > 1:
                vm = '<w:vMerge w:val="restart"/>' if sr == r else "<w:vMerge/>"
            else:
                vm = ""
            body = _wp(cell.text) if sr == r else "<w:p/>"
            out.append(f"<w:tc><w:tcPr>{span}{vm}</w:tcPr>{body}</w:tc>")
            c += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def render_docx(blocks: list[Any]) -> bytes:
    parts, head, sect = _docx_skeleton()
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            body.append(_wp(b.text, bold=True))
        elif isinstance(b, (Para, Line)):
            p = b if isinstance(b, Para) else b.para
            body.append(_wp(p.text))
        elif isinstance(b, TableBlock):
            body.append(_wtable(b.grid))
            body.append("<w:p/>")
    xml = head + "".join(body) + sect + "</w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml.encode("utf-8") if name == "word/document.xml" else data)
    return buf.getvalue()
