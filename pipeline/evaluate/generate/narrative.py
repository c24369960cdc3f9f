"""Narrative paragraphs with their ground truth: quantities, traps and claims with offsets.

A :class:`Para` is filled from templates in :mod:`wording`; every quantity, trap and claim is recorded with
offsets relative to the paragraph, and the renderer shifts them to document offsets.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

_DIG = "零一二三四五六七八九"
_SLOT = re.compile(r"\{(\w+)\}")
_CLAUSE_END = "。；，：！？;,:!?（）()、"


def cn_int(n: int) -> str:
    """Chinese numeral for 0 <= n < 10**8 (十二, 二十, 一百零五, 三千零九十五, 一万二千)."""
    if n == 0:
        return "零"
    if n >= 10000:
        hi, lo = divmod(n, 10000)
        s = cn_int(hi) + "万"
        if lo:
            s += ("零" if lo < 1000 else "") + cn_int(lo)
        return s
    out = ""
    units = [(1000, "千"), (100, "百"), (10, "十")]
    zero = False
    for u, name in units:
        d, n = divmod(n, u)
        if d:
            if zero and out:
                out += "零"
            out += _DIG[d] + name
            zero = False
        elif out:
            zero = True
    if n:
        if zero and out:
            out += "零"
        out += _DIG[n]
    if out.startswith("一十"):
        out = out[1:]
    return out


@dataclass
class Q:
    """A quantity slot: the true value it states and what it counts."""

    value: int | float  # count, or money in 元
    unit: str
    indicator: str | None = None
    action: str | None = None
    kind: str = "count"  # count | money | percent
    style: str = "auto"  # auto | eq | cn | ge | about
    claim: bool = True
    subject: str | None = None
    shown: int | float | None = None  # injected: state this (wrong) value instead, exactly
    tag: str | None = None  # marks table-linked slots for tampering


@dataclass
class T:
    """A trap: number-like text that is not a quantity."""

    text: str
    category: str


@dataclass
class Z:
    """A zero statement: a template whose text claims that something did not happen."""

    template: str
    indicators: list[str]
    subject: str
    slots: dict[str, Any] = field(default_factory=dict)


@dataclass
class Tpl:
    """A nested template (e.g. a document title holding a year and a document number)."""

    template: str
    slots: dict[str, Any] = field(default_factory=dict)


@dataclass
class Para:
    text: str = ""
    quantities: list[dict[str, Any]] = field(default_factory=list)
    traps: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "p"  # p | subhead

    def add(self, s: str) -> None:
        self.text += s

    def trap(self, t: T) -> None:
        s = len(self.text)
        self.text += t.text
        self.traps.append({"start": s, "end": len(self.text), "text": t.text, "category": t.category})

    def quantity(self, rng: random.Random, q: Q) -> None:
        text, shown, approx, value = render_quantity(rng, q)
        s = len(self.text)
        cstart = max((i + 1 for i, ch in enumerate(self.text) if ch in _CLAUSE_END), default=0)
        self.text += text
        e = len(self.text)
        unit = "元" if q.kind == "money" else q.unit
        self.quantities.append({"start": s, "end": e, "text": text, "value": value, "unit": unit, "approx": approx, "kind": q.kind})
        if q.claim and q.kind != "percent":
            self.claims.append(
                {
                    "start": cstart,
                    "end": e,
                    "quantity": [s, e],
                    "text": text,
                    "value": value,
                    "unit": unit,
                    "approx": approx,
                    "indicator": q.indicator,
                    "action": q.action,
                    "polarity": "positive",
                    **({"injected": True, "true_value": q.value} if q.shown is not None else {}),
                }
            )

    def zero_fill(self, rng: random.Random, z: Z, slots: dict[str, Any]) -> None:
        s = len(self.text)
        n_claims = len(self.claims)
        self.fill(rng, z.template, {**slots, **z.slots})
        assert len(self.claims) == n_claims, "a zero statement holds no quantity"
        for ind in z.indicators:
            self.claims.append(
                {
                    "start": s,
                    "end": len(self.text),
                    "text": self.text[s:],
                    "value": 0,
                    "unit": None,
                    "approx": "eq",
                    "indicator": ind,
                    "polarity": "zero",
                    "subject": z.subject,
                }
            )

    def fill(self, rng: random.Random, template: str, slots: dict[str, Any]) -> None:
        pos = 0
        for m in _SLOT.finditer(template):
            self.add(template[pos : m.start()])
            val = slots[m.group(1)]
            if isinstance(val, Q):
                self.quantity(rng, val)
            elif isinstance(val, T):
                self.trap(val)
            elif isinstance(val, Tpl):
                self.fill(rng, val.template, {**slots, **val.slots})
            elif isinstance(val, Z):
                self.zero_fill(rng, val, slots)
            else:
                self.add(str(val))
            pos = m.end()
        self.add(template[pos:])


def _round2(v: int) -> int:
    """Round to two significant digits."""
    if v < 100:
        return int(round(v, -1)) if v >= 20 else v
    mag = 10 ** (len(str(v)) - 2)
    return int(round(v / mag) * mag)


def render_quantity(rng: random.Random, q: Q) -> tuple[str, int | float, str, int | float]:
    """(mention text, shown number, approx, normalized value)."""
    if q.kind == "money":
        text, value, approx = _render_money(rng, q)
        if q.shown is not None:
            text, value, approx = _money_exact(q.shown)
        return text, value, approx, value
    if q.kind == "percent":
        return f"{q.value}%", q.value, "eq", q.value
    text, shown, approx = _render_count(rng, int(q.value), q.unit, q.style)
    if q.shown is not None:
        s = int(q.shown)
        return f"{s}{q.unit}", s, "eq", s
    return text, shown, approx, shown


def _money_exact(value_yuan: int | float) -> tuple[str, int | float, str]:
    v = value_yuan
    if v >= 10000 and round(v) % 100 == 0:
        wan = v / 10000
        s = f"{wan:.4f}".rstrip("0").rstrip(".")
        return f"{s}万元", v, "eq"
    return f"{int(round(v))}元", int(round(v)), "eq"


def _render_money(rng: random.Random, q: Q) -> tuple[str, int | float, str]:
    v = q.value
    style = q.style if q.style != "auto" else rng.choice(["eq", "eq", "about"])
    if style == "about" and v >= 1000:
        if v >= 10000:
            wan = _round2(int(round(v / 10000))) or 1
            if abs(wan * 10000 - v) <= 0.1 * wan * 10000:
                return f"约{wan}万元", wan * 10000, "about"
        r = _round2(int(v))
        if abs(r - v) <= 0.1 * r:
            return f"约{r}元", r, "about"
    return _money_exact(v)


def _render_count(rng: random.Random, v: int, unit: str, style: str) -> tuple[str, int, str]:
    if style == "auto":
        r = rng.random()
        if v >= 20 and r < 0.22:
            style = "ge"
        elif v >= 50 and r < 0.3:
            style = "about"
        elif v <= 99 and r < 0.45:
            style = "cn"
        else:
            style = "eq"
    if style == "cn" and (v <= 99 or (v % 100 == 0 and v < 100000)):
        if v == 2 and unit in ("次", "个", "场", "期", "项") and rng.random() < 0.5:
            return f"两{unit}", 2, "eq"
        return f"{cn_int(v)}{unit}", v, "eq"
    if style == "ge" and v >= 20:
        if v >= 20000 and rng.random() < 0.7:
            base = v // 10000
            mark = rng.choice(["余", "余", "多"])
            return f"{base}万{mark}{unit}", base * 10000, "ge"
        step = 10 if v < 100 else 10 ** (len(str(v)) - 2)
        base = (v // step) * step
        if base == v and v > 20:
            base -= step
        form = rng.random()
        if v < 100 and form < 0.25:
            return f"{cn_int(base)}余{unit}", base, "ge"
        if form < 0.6:
            return f"{base}余{unit}", base, "ge"
        if form < 0.75:
            return f"{base}多{unit}", base, "ge"
        if form < 0.88:
            return f"超过{base}{unit}", base, "ge"
        return f"{base}{unit}以上", base, "ge"
    if style == "about" and v >= 50:
        r = _round2(v)
        if r and abs(r - v) <= 0.1 * r:
            form = rng.random()
            if form < 0.6:
                return f"约{r}{unit}", r, "about"
            if form < 0.8 and r > v:
                return f"近{r}{unit}", r, "about"
            return f"{r}{unit}左右", r, "about"
    return f"{v}{unit}", v, "eq"
