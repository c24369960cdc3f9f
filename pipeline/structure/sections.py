"""The six sections, found with the heading rule in indicators.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pipeline.data import indicators
from pipeline.model import Document, Section

_DIGIT_RUN = re.compile(r"\d+[\s\u00a0]+\d+|\d{5,}")


@lru_cache(maxsize=1)
def _rule() -> tuple[re.Pattern[str], list[dict]]:
    sec = indicators()["sections"]
    return re.compile(sec["heading_rule"]["numeral_prefix_regex"]), sec["list"]


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos <= e for s, e in spans)


def _matches(spec: dict, line: str) -> bool:
    if all(k in line for k in spec["keywords"]):
        return True
    alt = spec.get("keywords_alt")
    if not alt:
        return False
    # one alternative keyword list, or a list of them
    alts = alt if isinstance(alt[0], list) else [alt]
    return any(all(k in line for k in a) for a in alts)


def _strip_heading(line: str) -> str:
    """A line without surrounding spaces, markdown '#' marks and a final colon."""
    return line.strip(" \u00a0\u3000\t").lstrip("#").strip(" \u00a0\u3000\t").rstrip("：:")


# A line that is neither empty nor a table cell ("\t…") starts after one of these; the pattern
# opens with a literal, so ``re`` skips ahead to each newline in C.
_TEXT_LINE_START = re.compile(r"\n[^\t\n]")


def _text_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` for each line of ``text.split("\n")`` that is not empty and does not
    start with a TAB, in order."""
    if text[:1] not in ("", "\n", "\t"):
        nl = text.find("\n")
        yield 0, text[:nl] if nl >= 0 else text
    for m in _TEXT_LINE_START.finditer(text):
        off = m.start() + 1
        nl = text.find("\n", off)
        yield off, text[off:nl] if nl >= 0 else text[off:]


def find_sections(doc: Document) -> list[Section]:
    prefix, specs = _rule()
    text = doc.text
    found: list[tuple[int, int, dict, str]] = []  # (start, body_start, spec, title)
    nxt = 0
    # empty lines and table cells (a leading TAB) are never headings: only the others are read
    for off, line in _text_lines(text):
        if nxt >= len(specs):
            break
        # every test below only skips the line, so the cheap ones come first
        stripped = _strip_heading(line)
        if not stripped or len(stripped) > 40:
            continue
        m = prefix.match(stripped)
        if not m or _in_spans(off, doc.table_spans) or _DIGIT_RUN.search(stripped):
            continue
        title, body = stripped[m.end() :], off + len(line) + 1
        if not title and body <= len(text):
            # the numeral alone on its line ("一、"), the title on the next one
            nl = text.find("\n", body)
            next_line = text[body:nl] if nl >= 0 else text[body:]
            title = _strip_heading(next_line)
            if len(title) > 40 or _DIGIT_RUN.search(title) or prefix.match(title):
                continue
            stripped += title
            body += len(next_line) + 1
        # the heading may be any later section (a report can skip one), in order
        for j in range(nxt, len(specs)):
            if _matches(specs[j], title):
                lead = len(line) - len(line.lstrip(" \u00a0\u3000\t#"))
                found.append((off + lead, body, specs[j], stripped))
                nxt = j + 1
                break
    if len(found) < 3:
        # one-line layouts (crawler text dumps): headings sit inside long lines
        inline = _find_inline(text, specs)
        if len(inline) > len(found):
            found = inline
    if not found:
        found = _untitled_body(doc, specs)
    sections: list[Section] = []
    for k, (start, body, spec, title) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(text)
        sections.append(Section(key=spec["key"], title=title, start=start, end=end, body_start=min(body, end)))
    return sections


@lru_cache(maxsize=1)
def _untitled_rule() -> tuple[re.Pattern[str], int] | None:
    rule = indicators()["sections"]["heading_rule"].get("untitled_body")
    return (re.compile(rule["title_regex"]), int(rule.get("title_lines", 3))) if rule else None


def _untitled_body(doc: Document, specs: list[dict]) -> list[tuple[int, int, dict, str]]:
    """A report that names itself in one of its first lines but prints no section heading: the
    text after that line is section 一 with an empty heading (tables in it stay tables); [] otherwise."""
    rule = _untitled_rule()
    if rule is None:
        return []
    title_re, max_lines = rule
    pos = seen = 0
    for line in doc.text.split("\n"):
        body = pos + len(line) + 1
        if line.strip():
            seen += 1
            if title_re.search(line) and not _in_spans(pos, doc.table_spans):
                return [(body, body, specs[0], "")] if doc.text[body:].strip() else []
            if seen >= max_lines:
                break
        pos = body
    return []


# inline headings: a bare numeral + separator, not inside brackets or after another numeral
_INLINE_PREFIX = re.compile(r"(?<![（(一二三四五六七八九十第])([一二三四五六])[、.．]")
_INLINE_STOP = re.compile(r"[\d。；;！!？?\n]")
_TITLE_TAIL = re.compile(r"[^\d，,。；：:（(、\s]{0,8}?(?:情况|事项)")
INLINE_WINDOW = 30


def _find_inline(text: str, specs: list[dict]) -> list[tuple[int, int, dict, str]]:
    """Section headings printed inside running text (``…。一、总体情况2019年，…``), in order.

    The heading's title is the text after the numeral up to the first digit or sentence end
    (at most INLINE_WINDOW characters); it must hold the section's keywords, so table 三's
    row labels (``四、结转下年度继续办理 0 0 …``) never qualify.
    """
    found: list[tuple[int, int, dict, str]] = []
    nxt = 0
    for m in _INLINE_PREFIX.finditer(text):
        if nxt >= len(specs):
            break
        window = text[m.end() : m.end() + INLINE_WINDOW]
        stop = _INLINE_STOP.search(window)
        if stop:
            window = window[: stop.start()]
        for j in range(nxt, len(specs)):
            spec = specs[j]
            alt = spec.get("keywords_alt") or []
            options = [spec["keywords"], *(alt if alt and isinstance(alt[0], list) else [alt] if alt else [])]
            kws = next((o for o in options if o and all(k in window for k in o)), None)
            if kws is None:
                continue
            end = m.end() + max(window.index(k) + len(k) for k in kws)
            tail = _TITLE_TAIL.match(text, end)
            if tail:
                end = tail.end()
            found.append((m.start(), end, spec, text[m.start() : end]))
            nxt = j + 1
            break
    return found
