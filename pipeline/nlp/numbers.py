"""A pure number grammar for Chinese report prose: no spaCy, no I/O beyond its word list.

Public functions:

- :func:`parse_number` — one numeral string to a number: Arabic digits (full-width too,
  thousands separators, decimals), Chinese numerals (三千零九十五, 一万二千, 两, 〇/零, 二〇二〇),
  mixed forms (2万, 5313.9461万, 1.2亿).
- :func:`parse_quantity` — one whole mention (``约3万元``, ``20余条``, ``百分之三十``, ``3至5个工作日``)
  to a :class:`Parsed` (value, unit, approx, kind, value_max, raw_unit).
- :func:`quantity_regex` — the compiled pattern the recognizer runs over raw text; its
  matches are read by :func:`parse_match`.
- :func:`render_chinese` — an integer written in Chinese numerals (used by property tests).

Word lists (units, approximation markers, vague numerals) come from ``data/numbers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

from pipeline.data import load_yaml

Number = int | float

FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

ARABIC = r"(?:[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+|[0-9０-９]+)(?:[.．][0-9０-９]+)?"
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"


@cache
def grammar() -> dict[str, Any]:
    return load_yaml("numbers.yaml")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Parsed:
    value: Number
    unit: str | None
    approx: str = "eq"  # eq | ge | le | about
    kind: str = "count"  # count | money | percent | duration | other
    value_max: Number | None = None
    raw_unit: str | None = None
    explanation: str = ""


def _num(d: Decimal) -> Number:
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _parse_arabic(s: str) -> Decimal:
    s = s.translate(FULLWIDTH)
    if "," in s:
        head, _, rest = s.partition(".")
        groups = head.split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise ValueError(f"bad thousands separators in {s!r}")
        s = "".join(groups) + ("." + rest if rest else "")
    try:
        return Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {s!r}") from exc


def _parse_cn_below_wan(s: str) -> Decimal:
    """A Chinese numeral below 10000 (十/百/千 places, 零 placeholders, colloquial 三千五)."""
    g = grammar()
    digits: dict[str, int] = g["digits"]
    small: dict[str, int] = g["small_units"]
    if not s:
        return Decimal(0)
    if all(c in digits for c in s):  # digit-by-digit form: 二〇二〇, 三 (but 三五 is "three or five")
        if len(s) == 2 and "〇" not in s and "零" not in s:
            raise ValueError(f"{s!r} reads as two alternatives, not one number")
        return Decimal("".join(str(digits[c]) for c in s))
    total = 0
    cur: int | None = None
    last_unit = 10000
    zero_seen = False
    for c in s:
        if c in digits:
            if cur is not None and digits[c] != 0:
                raise ValueError(f"two digits in a row in {s!r}")
            if digits[c] == 0:
                zero_seen = True
                cur = None
                continue
            cur = digits[c]
        elif c in small:
            u = small[c]
            if u >= last_unit:
                raise ValueError(f"place {c} out of order in {s!r}")
            total += (1 if cur is None else cur) * u
            cur = None
            last_unit = u
            zero_seen = False
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    if cur is not None:
        # 三千五 = 3500 (colloquial), 三千零五 = 3005, 二十五 = 25
        total += cur if (zero_seen or last_unit == 10000) else cur * (last_unit // 10)
    return Decimal(total)


def _parse_cn(s: str) -> Decimal:
    g = grammar()
    big: dict[str, int] = g["big_units"]
    if "点" in s:
        whole, _, frac = s.partition("点")
        digits: dict[str, int] = g["digits"]
        if not frac or any(c not in digits for c in frac):
            raise ValueError(f"bad decimal part in {s!r}")
        return _parse_cn(whole) + Decimal("0." + "".join(str(digits[c]) for c in frac))
    total = Decimal(0)
    rest = s
    for ch, mult in sorted(big.items(), key=lambda kv: -kv[1]):
        if ch in rest:
            head, _, rest = rest.partition(ch)
            if ch in rest:
                raise ValueError(f"{ch} twice in {s!r}")
            if not head:
                raise ValueError(f"no digits before {ch} in {s!r}")
            head_val = _parse_cn_below_wan(head)
            if not head.strip("零〇"):
                raise ValueError(f"no digits before {ch} in {s!r}")
            total += head_val * mult
    if rest:
        tail_has_place = any(c in g["small_units"] for c in rest)
        if total and not tail_has_place and len(rest.lstrip("零〇")) == 1 and not rest.startswith(("零", "〇")):
            # 一万二 = 12000: a lone digit after 万/亿 means the next lower place
            top = max((m for ch, m in big.items() if ch in s), default=10)
            total += _parse_cn_below_wan(rest) * (top // 10)
        else:
            total += _parse_cn_below_wan(rest)
    return total


def parse_number(s: str) -> Number:
    """Parse one numeral: ``3095``, ``１,２３４``, ``5313.9461万``, ``三千零九十五``, ``两``, ``二〇二〇``.

    Raises ValueError when ``s`` is not a numeral.
    """
    return _num(_parse_decimal(s.strip()))


_ARABIC_MULT = re.compile(rf"({ARABIC})\s*([万亿千百]*)")
_MULT_CHARS = {"万": 10000, "亿": 100000000, "千": 1000, "百": 100}


def _parse_decimal(s: str) -> Decimal:
    if not s:
        raise ValueError("empty numeral")
    m = _ARABIC_MULT.fullmatch(s)
    if m:
        val = _parse_arabic(m.group(1))
        for ch in m.group(2):
            val *= _MULT_CHARS[ch]
        return val
    if all(c in CN_CHARS or c == "点" for c in s):
        return _parse_cn(s)
    raise ValueError(f"not a numeral: {s!r}")


def render_chinese(n: int, *, liang: bool = False, colloquial_ten: bool = True) -> str:
    """Write a non-negative integer below 10^16 in Chinese numerals (三千零九十五, 一万二千).

    ``liang`` writes 两 for a leading 2 before a place (两千); ``colloquial_ten`` writes 十五
    rather than 一十五 at the start of a number.
    """
    if n < 0 or n >= 10**16:
        raise ValueError("out of range")
    d = "零一二三四五六七八九"
    if n == 0:
        return "零"

    def below_wan(x: int, leading: bool) -> str:
        out = ""
        zero = False
        for place, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            q = x // place % 10
            if q == 0:
                if out:
                    zero = True
                continue
            if zero:
                out += "零"
                zero = False
            if place == 10 and q == 1 and leading and not out and colloquial_ten:
                out += "十"
            elif q == 2 and liang and place >= 100 and not out:
                out += "两" + ch
            else:
                out += d[q] + ch
        return out

    hi, lo = n // 10**8, n % 10**8
    out = ""
    if hi:
        out += _render_group(hi, below_wan) + "亿"
    if lo:
        wan, unit = lo // 10**4, lo % 10**4
        if wan:
            if hi and wan < 1000:
                out += "零"
            out += below_wan(wan, not out) + "万"
        if unit:
            if (out and unit < 1000) or (hi and not wan):
                out += "零"
            out += below_wan(unit, not out)
    return out


def _render_group(x: int, below_wan: Any) -> str:
    wan, unit = x // 10**4, x % 10**4
    out = ""
    if wan:
        out += below_wan(wan, True) + "万"
    if unit:
        if wan and unit < 1000:
            out += "零"
        out += below_wan(unit, not out)
    return out


# ---------------------------------------------------------------- the mention grammar


# the multipliers a numeral may carry before its unit, in the order the quantity pattern tries them
_MULTS = {"千万": Decimal(10**7), "百万": Decimal(10**6), "万": Decimal(10**4), "亿": Decimal(10**8)}


def _guard(words: list[str]) -> str:
    """A look-ahead for the first characters of ``words``, to put before their alternation: it
    fails at once where no word can begin (``re`` tries an alternation's branches one by one),
    and changes nothing else.  Empty when a word is empty."""
    if not all(words):
        return ""
    return "(?=[" + "".join(dict.fromkeys(re.escape(w[0]) for w in words)) + "])"


def quantity_pattern(guards: bool = True) -> str:
    """The source of :func:`quantity_regex`; ``guards=False`` leaves out the :func:`_guard` look-aheads
    (the same matches, found more slowly: for the equivalence test)."""
    g = grammar()
    ap = g["approx"]
    units = _alt(list(g["units"]))
    cn = r"(?:[零〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?)"
    num = rf"(?:{ARABIC}|{cn})"
    seps = _alt(g["range_separators"])
    vague = _alt(list(g["vague"]))
    sp = r"\s?"  # one whitespace character (PDF text puts spaces and line breaks around numbers)
    mults = list(_MULTS)
    mult_alt = "|".join(mults)

    def guard(words: list[str]) -> str:
        return _guard(words) if guards else ""

    after_num = list(g["range_separators"]) + list(ap["infix"]) + mults + list(g["units"]) + [g["tenths_suffix"]]
    pat = (
        rf"(?P<pre>{guard(list(ap['prefix']))}(?:{_alt(list(ap['prefix']))}))?{sp}"
        rf"(?:(?P<pct>{re.escape(g['percent_prefix'])})(?P<pnum>{num})"
        rf"|(?P<vague>{vague})(?P<vmult>[万亿])?(?P<vinf>{_alt(list(ap['infix']))})?{sp}(?P<vunit>{units})"
        rf"|(?P<num>{num})(?={sp}{guard(after_num)}(?:{seps}|{_alt(list(ap['infix']))}|{mult_alt}|{units}|{re.escape(g['tenths_suffix'])}))"
        rf"(?:{sp}(?P<rsep>{seps}){sp}(?P<num2>{num}))?"
        rf"(?P<inf1>{_alt(list(ap['infix']))})?{sp}(?P<mult>{mult_alt})?(?P<inf2>{_alt(list(ap['infix']))})?"
        rf"(?:{sp}{guard(list(g['units']) + [g['tenths_suffix']])}(?:(?P<unit>{units})|(?P<tenths>{re.escape(g['tenths_suffix'])})))?)"
        rf"(?P<suf>{guard(list(ap['suffix']))}(?:{_alt(list(ap['suffix']))}))?"
    )
    return pat


@cache
def quantity_regex() -> re.Pattern[str]:
    """The quantity-mention pattern over raw text (named groups read by :func:`parse_match`)."""
    return re.compile(quantity_pattern())


_ONE = Decimal(1)


@lru_cache(maxsize=64, typed=True)
def _factor(factor: Number) -> Decimal:
    """``Decimal(str(factor))`` of a unit factor (typed: ``1`` and ``1.0`` give different Decimals)."""
    return Decimal(str(factor))


def parse_match(m: re.Match[str]) -> Parsed:
    """Read a :func:`quantity_regex` match.  Raises ValueError when the numeral is malformed."""
    g = grammar()
    ap = g["approx"]
    why: list[str] = []
    approx = "eq"
    value_max: Decimal | None = None
    if m.group("pct"):
        val = _parse_decimal(m.group("pnum"))
        unit, kind, raw_unit = "%", "percent", "百分之"
        why.append(f"百分之 + numeral {m.group('pnum')}")
    elif m.group("vague"):
        v, approx = g["vague"][m.group("vague")]
        val = Decimal(v)
        if m.group("vmult"):
            val *= g["big_units"][m.group("vmult")]
        raw_unit = m.group("vunit")
        unit, kind, factor = g["units"][raw_unit]
        val *= _factor(factor)
        if m.group("vinf"):
            approx = ap["infix"][m.group("vinf")]
        why.append(f"vague numeral {m.group('vague')} ({approx}) + unit {raw_unit}")
    else:
        numtxt = m.group("num")
        val = _parse_decimal(numtxt)
        why.append(f"numeral {numtxt}")
        mult = _ONE
        if m.group("mult"):
            mult = _MULTS[m.group("mult")]
            why.append(f"× {m.group('mult')}")
        if m.group("tenths"):
            if re.search(r"\d", numtxt):
                raise ValueError("成 after Arabic digits is not a percentage")
            unit, kind, raw_unit, factor = "%", "percent", "成", 10
        elif not m.group("unit"):
            if not m.group("mult"):
                raise ValueError("a number without a unit")
            unit, kind, raw_unit, factor = None, "count", m.group("mult"), 1
        else:
            raw_unit = m.group("unit")
            unit, kind, factor = g["units"][raw_unit]
            if m.group("mult"):
                raw_unit = m.group("mult") + raw_unit
        if unit is None:
            why.append(f"unit: none (× {m.group('mult')} only)")
        val = val * mult * _factor(factor)
        if m.group("num2"):
            hi = _parse_decimal(m.group("num2")) * mult * _factor(factor)
            if hi <= val:
                raise ValueError("range upper bound not above lower bound")
            value_max = hi
            approx = "ge"
            why.append(f"range {m.group('rsep')} up to {m.group('num2')}")
        for grp in ("inf1", "inf2"):
            if m.group(grp):
                approx = ap["infix"][m.group(grp)]
                why.append(f"{m.group(grp)} -> {approx}")
        if unit is not None:
            why.append(f"unit {raw_unit} -> {unit} ({kind})")
    if m.group("pre"):
        approx = ap["prefix"][m.group("pre")]
        why.insert(0, f"{m.group('pre')} -> {approx}")
    if m.group("suf"):
        approx = ap["suffix"][m.group("suf")]
        why.append(f"{m.group('suf')} -> {approx}")
    # positional (value, unit, approx, kind, value_max, raw_unit, explanation): cheaper than keywords
    return Parsed(_num(val), unit, approx, kind, _num(value_max) if value_max is not None else None, raw_unit, "; ".join(why))


def parse_quantity(s: str) -> Parsed:
    """Parse one complete quantity mention (``约3万元``, ``20余条``, ``三成``).  Raises ValueError."""
    s = s.strip()
    m = quantity_regex().fullmatch(s)
    if m:
        return parse_match(m)
    for suf, approx in grammar()["approx"]["duration_suffix"].items():
        if s.endswith(suf) and (m := quantity_regex().fullmatch(s[: -len(suf)])):
            p = parse_match(m)
            if p.kind == "duration":
                return replace(p, approx=approx, explanation=p.explanation + f"; {suf} -> {approx}")
    raise ValueError(f"not a quantity mention: {s!r}")
