"""First quantity finder: Arabic numerals with measure words and 余/多/约 markers."""

from __future__ import annotations

import re

from pipeline.model import Quantity

_UNITS = "万元|亿元|元|人次|批次|条|件|个|次|份|期|场|篇|家|项|起|宗|笔|人|%"
_Q = re.compile(rf"(?P<pre>约|近|逾|超过|不足|不到)?(?P<num>\d+(?:\.\d+)?)(?P<mult>万|亿)?(?P<post>余|多)?(?P<unit>{_UNITS})(?P<suf>以上|左右|以下)?")
_APPROX = {
    "约": "about",
    "近": "about",
    "左右": "about",
    "逾": "ge",
    "超过": "ge",
    "余": "ge",
    "多": "ge",
    "以上": "ge",
    "不足": "le",
    "不到": "le",
    "以下": "le",
}


def find_quantities(text: str, spans: list[tuple[int, int, str]]) -> list[Quantity]:
    out: list[Quantity] = []
    for start, end, _key in spans:
        for m in _Q.finditer(text, start, end):
            num = float(m.group("num"))
            mult = {"万": 10_000, "亿": 100_000_000}.get(m.group("mult") or "", 1)
            unit = m.group("unit")
            if unit in ("万元", "亿元"):
                num *= 10_000 if unit == "万元" else 100_000_000
                unit = "元"
            num *= mult
            approx = "eq"
            for part in ("pre", "post", "suf"):
                if m.group(part):
                    approx = _APPROX[m.group(part)]
            kind = "money" if unit == "元" else "percent" if unit == "%" else "count"
            value: int | float = int(num) if num == int(num) else num
            out.append(
                Quantity(
                    id=f"q{len(out) + 1}",
                    start=m.start(),
                    end=m.end(),
                    text=m.group(0),
                    value=value,
                    unit=unit,
                    approx=approx,
                    kind=kind,
                )
            )
    return out
