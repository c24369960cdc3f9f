"""Cell value parsing (docs/report-format.md §9): blank, 0, NA marks, signs, units."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WS = re.compile(r"[\s\u00a0\u3000]+")
_NA = {"/", "／", "-", "—", "——", "–", "无", "--", "－", "\\", "、"}
_THOUSANDS = re.compile(r"^\d{1,3}([,，]\d{3})+(\.\d+)?$")
_NUM = re.compile(r"^(?P<sign>[+\-])?(?P<num>\d+(?:\.\d+)?)(?P<unit>万元|元|件|条|个|项|宗|起|笔|次)?$")
_WORD_SIGN = re.compile(r"^(?P<word>增加|增|减少|减)(?P<num>\d+)(?:项|个|件)?$")
_APPROX = re.compile(r"^(?:约|近)?(?P<num>\d+(?:\.\d+)?)(?:余|多)?(?P<unit>万元|元|件|条|个|项)?$")


@dataclass
class ParsedValue:
    value: float | int | None
    provenance: str  # explicit | blank | na | unparsed | approx
    unit: str | None = None


def _num(s: str) -> float | int:
    return float(s) if "." in s else int(s)


def parse_value(raw: str, value_type: str = "int_nonneg", header_unit: str | None = None) -> ParsedValue:
    """Parse one printed cell.  A blank cell is ``None`` with provenance ``blank``."""
    if not raw:  # the commonest cell
        return ParsedValue(None, "blank")
    if raw.isascii() and raw.isdigit():  # the next commonest (0, 12, 305): what the _NUM path gives
        value = int(raw)
        if value_type == "decimal_nonneg":
            return ParsedValue(value, "explicit", header_unit)
        return ParsedValue(value, "explicit", None)
    s = _WS.sub("", raw or "")
    s = s.replace("－", "-").replace("−", "-").replace("＋", "+")
    if not s:
        return ParsedValue(None, "blank")
    if s in _NA:
        return ParsedValue(None, "na")
    if _THOUSANDS.match(s):
        s = s.replace(",", "").replace("，", "")
    m = _NUM.match(s)
    if m:
        value = _num(m.group("num"))
        unit = m.group("unit")
        if m.group("sign") == "-":
            if value_type != "int_signed":
                return ParsedValue(None, "unparsed")
            value = -value
        if value_type in ("int_nonneg", "int_signed") and isinstance(value, float):
            return ParsedValue(None, "unparsed")
        if value_type == "decimal_nonneg":
            if unit == "元":
                return ParsedValue(round(value / 10000, 6), "explicit", "万元")
            return ParsedValue(value, "explicit", "万元" if unit == "万元" else header_unit)
        return ParsedValue(value, "explicit", None)
    if value_type == "int_signed":
        w = _WORD_SIGN.match(s)
        if w:
            n = int(w.group("num"))
            return ParsedValue(n if w.group("word").startswith("增") else -n, "explicit")
    a = _APPROX.match(s)
    if a:
        return ParsedValue(_num(a.group("num")), "approx", a.group("unit"))
    return ParsedValue(None, "unparsed")


def is_valueish(raw: str) -> bool:
    """True when a cell looks like a table value (number, blank or NA mark)."""
    p = parse_value(raw, "decimal_nonneg")
    if p.provenance != "unparsed":
        return True
    return parse_value(raw, "int_signed").provenance != "unparsed"
