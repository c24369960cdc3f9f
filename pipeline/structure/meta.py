"""Agency and reporting year from the title block or the signature."""

from __future__ import annotations

import re

_TITLE = re.compile(
    r"(?P<agency>[^\n\d]{0,40}?)\s*(?P<year>20\d\d)\s*年(?:度)?[^\n]{0,20}?(?:政府信息公开|政务公开|信息公开)[^\n]{0,12}?(?:年度报告|年报|工作报告|报告)"
)
_AGENCY_TAIL = re.compile(r"(人民政府|政府|办公厅|办公室|委员会|管理委员会|管委会|局|厅|委|院|中心|署|部|处|所|站|公司|区|县|市|镇|街道)$")


def _clean(s: str) -> str:
    return s.strip(' \t\u00a0\u3000:：《》“”"')


def extract_meta(text: str) -> tuple[str | None, int | None]:
    head = text[:1500]
    agency: str | None = None
    year: int | None = None
    m = _TITLE.search(head)
    if m:
        year = int(m.group("year"))
        cand = _clean(m.group("agency"))
        if cand and _AGENCY_TAIL.search(cand) and len(cand) >= 3:
            agency = cand
        else:
            before = [_clean(ln) for ln in head[: m.start()].split("\n") if _clean(ln)]
            if before and len(before[-1]) <= 40 and _AGENCY_TAIL.search(before[-1]):
                agency = before[-1]
    if agency is None:
        tail = [_clean(ln) for ln in text[-400:].split("\n") if _clean(ln)]
        for ln in reversed(tail):
            if 3 <= len(ln) <= 30 and _AGENCY_TAIL.search(ln) and not re.search(r"\d", ln):
                agency = ln
                break
    return agency, year
