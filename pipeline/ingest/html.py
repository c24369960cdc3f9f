"""HTML reports: government web pages, saved pages, fragments and JS-wrapped markup.

The page is parsed with selectolax's lexbor backend (an HTML5 parser, so misnested
Word-pasted markup is repaired the way a browser repairs it) and rendered as plain text
(:mod:`pipeline.ingest.grid`): block elements become lines, tables become the seed's
flattened layout and :class:`~pipeline.model.RawTable` grids at the same time.

Page chrome (scripts, styles, navigation, header/footer menus, breadcrumbs, share and
print buttons) is dropped where it can be recognised generically; the rules live in
``pipeline/data/html.yaml``.  Layout tables (a table that holds other tables, or a single
cell) are read as containers, not as data.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.data import load_yaml
from pipeline.ingest.grid import SpanCell, TextBuilder, clean_text, expand_spans
from pipeline.ingest.normalize import decode
from pipeline.model import Document, NianbaoError, Source

_BLOCK = frozenset(
    "address article aside blockquote body center caption dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary "
    "table tbody thead tfoot tr td th ul legend".split()
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_JS_STRING_START = re.compile(r"""(?:=|:|\(|\+|return)\s*(["'`])\s*<""")
_JS_ESCAPE = re.compile(r"""\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|\r\n|.)""", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_INT = re.compile(r"\d+")
_TITLE_SPLIT = re.compile(r"\s*[-_|｜]\s*")


@cache
def _config() -> dict[str, Any]:
    cfg = dict(load_yaml("html.yaml"))
    cfg["_drop"] = [t for t in cfg["drop_tags"]]
    cfg["_chrome_tags"] = frozenset(cfg["chrome_tags"])
    cfg["_tokens"] = frozenset(cfg["chrome_tokens"])
    cfg["_lines"] = [re.compile(p) for p in cfg["chrome_lines"]]
    return cfg


# ------------------------------------------------------------------ encoding


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode page bytes: BOM, then the <meta> charset, then UTF-8, then GB18030.

    A GB-family declaration is overridden when the bytes are valid UTF-8 with non-ASCII
    text: saved and crawled pages are often re-encoded to UTF-8 but keep the original
    ``<meta charset=gb2312>``, and real GBK text is practically never valid UTF-8.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    cfg = _config()
    declared: str | None = None
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        if declared in cfg["ignore_declared"]:
            declared = None
        elif declared in cfg["gb_family"]:
            declared = "gb18030"
            try:
                data.decode("utf-8")
                if not data.isascii():
                    declared = "utf-8"
            except UnicodeDecodeError:
                pass
        elif declared in ("utf8", "utf-8"):
            declared = "utf-8"
    return decode(data, declared)


# ------------------------------------------------------------------ JS-wrapped markup


def _js_unescape(body: str) -> str:
    def rep(m: re.Match[str]) -> str:
        e = m.group(1)
        if e.startswith("u{"):
            return chr(int(e[2:-1], 16))
        if e[0] == "u" and len(e) == 5:
            return chr(int(e[1:], 16))
        if e[0] == "x" and len(e) == 3:
            return chr(int(e[1:], 16))
        if e[0] in "01234567" and e != "0":
            return chr(int(e, 8))
        if e in ("\n", "\r\n"):
            return ""  # line continuation
        return _JS_SIMPLE.get(e, e)

    return _JS_ESCAPE.sub(rep, body)


def js_html_strings(code: str) -> list[str]:
    """HTML string literals assigned or passed in JavaScript source, unescaped."""
    out: list[str] = []
    pos = 0
    while True:
        m = _JS_STRING_START.search(code, pos)
        if not m:
            break
        q = m.group(1)
        i = m.end(1)
        j = i
        n = len(code)
        while j < n:
            c = code[j]
            if c == "\\":
                j += 2
                continue
            if c == q:
                break
            j += 1
        body = code[i:j]
        pos = j + 1
        if "<" in body and ">" in body:
            out.append(_js_unescape(body))
    return out


def unwrap_js(text: str) -> str | None:
    """The report markup when ``text`` is JavaScript holding it in a string literal.

    Only used when the input does not start like markup.  Several literals (e.g. string
    concatenation, several fields) are joined in order.
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return None
    strings = js_html_strings(text)
    if not strings:
        return None
    return "".join(strings)


# ------------------------------------------------------------------ chrome


def _tokens(value: str) -> set[str]:
    return {t for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", value).lower()) if t}


def _is_chrome(node: LexborNode, tag: str, attrs: dict[str, str | None]) -> bool:
    cfg = _config()
    if tag not in cfg["_chrome_tags"]:
        names = " ".join(v for k, v in attrs.items() if k in ("class", "id") and v)
        if not names or not (_tokens(names) & cfg["_tokens"]):
            return False
    # safety: never drop what may hold the report itself or its title
    if node.css_first("table, h1") is not None:
        return False
    if any(re.search(cfg["title_pattern"], h.text(deep=True)) for h in node.css("h2, h3")):
        return False
    text = node.text(deep=True, separator="", strip=True)
    if len(text) <= cfg["chrome_max_chars"]:
        return True
    links = sum(len(a.text(deep=True, separator="", strip=True)) for a in node.css("a"))
    return links * 2 >= len(text)


def _chrome_line(line: str) -> bool:
    cfg = _config()
    if len(line) > cfg["chrome_line_max_chars"]:
        return False
    return any(p.search(line) for p in cfg["_lines"])


# ------------------------------------------------------------------ rendering


def _span_attr(attrs: dict[str, str | None], name: str, cap: int) -> int:
    v = attrs.get(name)
    if not v:
        return 1
    m = _INT.search(v)
    if not m:
        return 1
    n = int(m.group())
    return min(max(n, 1), cap)


def _is_layout_table(table: LexborNode) -> bool:
    """A table used for page layout: it holds other tables, or is a single cell."""
    if len(table.css("table")) > 1:  # css() includes the node itself
        return True
    cells = table.css("td, th")
    return len(cells) <= 1


class _Renderer:
    def __init__(self) -> None:
        self.out = TextBuilder()
        self.buf: list[str] = []

    def flush(self) -> None:
        if not self.buf:
            return
        line = clean_text("".join(self.buf))
        self.buf.clear()
        if line and not _chrome_line(line):
            self.out.line(line, clean=False)

    def table(self, table: LexborNode) -> bool:
        """Render a data table; False (nothing rendered) when a cell holds running text,
        i.e. the table lays out the page rather than holding data."""
        rows: list[list[SpanCell]] = []
        section: LexborNode | None = None
        grid: list[list[SpanCell]] = []
        for tr in table.css("tr"):
            parent = tr.parent
            if section is None or parent is None or parent.mem_id != section.mem_id:
                # row spans do not cross table sections (thead/tbody/tfoot)
                rows.extend(self._expand(grid))
                grid = []
                section = parent
            cells: list[SpanCell] = []
            child = tr.first_child
            while child is not None:
                if child.tag in ("td", "th"):
                    attrs = child.attributes
                    text = clean_text(child.text(deep=True, separator="", strip=True))
                    if len(text) > _config()["layout_cell_chars"]:
                        return False
                    cells.append(SpanCell(text, _span_attr(attrs, "colspan", 1000), _span_attr(attrs, "rowspan", 65534)))
                child = child.next
            grid.append(cells)
        rows.extend(self._expand(grid))
        caption = table.css_first("caption")
        if caption is not None:
            self.out.line(caption.text(deep=True, separator="", strip=True))
        self.out.table(rows)
        return True

    @staticmethod
    def _expand(grid: list[list[SpanCell]]) -> list[list[str]]:
        return expand_spans(grid) if grid else []

    def render(self, root: LexborNode) -> None:
        # explicit stack: (node, entering)
        stack: list[tuple[LexborNode, bool]] = [(root, True)]
        while stack:
            node, entering = stack.pop()
            if not entering:
                self.flush()
                continue
            tag = node.tag
            if tag == "-text":
                t = node.text_content
                if t:
                    self.buf.append(t)
                continue
            if tag is None or tag.startswith(("-", "!", "_")):
                continue
            if tag == "br":
                self.flush()
                continue
            attrs = node.attributes
            if attrs:
                if "hidden" in attrs or _HIDDEN.search(attrs.get("style") or ""):
                    continue
                if _is_chrome(node, tag, attrs):
                    continue
            elif tag in _config()["_chrome_tags"] and _is_chrome(node, tag, attrs):
                continue
            if tag == "table":
                self.flush()
                if not _is_layout_table(node) and self.table(node):
                    continue
            block = tag in _BLOCK
            if block:
                self.flush()
                if tag == "p" and node.css_first("br, [style*=none], [hidden]") is None:
                    # a paragraph holds only inline content: read its text in one call
                    self.buf.append(node.text(deep=True, separator="", strip=False))
                    self.flush()
                    continue
                stack.append((node, False))
            children: list[tuple[LexborNode, bool]] = []
            child = node.first_child
            while child is not None:
                children.append((child, True))
                child = child.next
            children.reverse()
            stack.extend(children)
        self.flush()


def _title(tree: LexborHTMLParser) -> str:
    head = tree.head
    if head is None:
        return ""
    node = head.css_first("title")
    return clean_text(node.text(deep=True)) if node is not None else ""


def render_html(markup: str) -> TextBuilder:
    """Render markup (a page or a fragment) to text plus raw table grids."""
    tree = LexborHTMLParser(markup)
    title = _title(tree)
    scripts = [s.text(deep=True) for s in tree.css("script")]
    tree.strip_tags(list(_config()["_drop"]), recursive=True)
    r = _Renderer()
    body = tree.body or tree.root
    if body is None:
        return r.out
    if title and re.search(_config()["title_pattern"], title):
        # the <title> stands in for a report title the body does not repeat
        core = _TITLE_SPLIT.split(title)[0]
        if core and core not in body.text(deep=True, separator="", strip=True)[:3000]:
            r.out.line(core)
    r.render(body)
    if not r.out.tables:
        # a page whose report is built by JavaScript from a string literal
        best = max((s for code in scripts for s in js_html_strings(code)), key=len, default="")
        if best.count("<") > 20:
            alt = render_html(best)
            if len(alt.tables) > 0 and alt.pos > r.out.pos // 2:
                return alt
    return r.out


def load_html(data: bytes, source: Source) -> Document:
    """HTML bytes -> Document with the rendered text and its tables as grids."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NianbaoError("unreadable", "the file looks binary, not HTML")
    text, enc = decode_html(data)
    source.encoding = enc
    markup = unwrap_js(text) or text
    try:
        out = render_html(markup)
    except (ValueError, RuntimeError) as exc:  # pragma: no cover - parser failure
        raise NianbaoError("unreadable", f"the HTML could not be parsed: {exc}") from exc
    rendered = out.text()
    if not rendered.strip():
        raise NianbaoError("no_report_structure", "the HTML page holds no text")
    return Document(text=rendered, source=source, raw_tables=out.tables, offset_map=[], table_spans=out.spans())
