"""Agency and reporting year from the title block or the signature."""

from __future__ import annotations

import re

# the title may put the agency before the year (XX县人民政府2020年政府信息公开年报) or after it
# (2019年上海市人民政府办公厅政府信息公开工作年度报告), and may wrap over several short lines
_TITLE = re.compile(
    r"(?P<pre>[^\d\n]{0,40}?)\s*(?P<year>20\d\d)\s*年\s*(?:度)?\s*(?P<post>[^\d\n]{0,30}?)\s*"
    r"(?:政府信息公开|政务公开|信息公开)[^\n]{0,12}?(?:年度报告|年报|工作报告|报告)"
)
_AGENCY_TAIL = re.compile(r"(人民政府|政府|办公厅|办公室|委员会|管理委员会|管委会|局|厅|委|院|中心|署|部|处|所|站|公司|区|县|市|镇|街道|乡)$")
_NOISE = re.compile(r"^(#+\s*|正文|标题|首页|当前位置)[:：]?")


def _clean(s: str) -> str:
    s = s.strip(' \t\u00a0\u3000:：《》“”"')
    return _NOISE.sub("", s).strip(" \t\u00a0\u3000:：")


def _agency(s: str) -> str | None:
    s = _clean(s)
    return s if 3 <= len(s) <= 40 and _AGENCY_TAIL.search(s) else None


def _title_candidates(text: str) -> list[str]:
    """Single title lines first, then the first lines with short wrapped title lines joined."""
    lines = [ln.strip(" \t\u00a0\u3000") for ln in text[:2000].split("\n") if not ln.startswith("\t")]
    lines = [ln for ln in lines if ln][:8]
    joined: list[str] = []
    for ln in lines:
        if joined and len(joined[-1]) < 30 and len(ln) < 30 and not joined[-1].endswith(("。", "：", ":")):
            joined[-1] += ln
        else:
            joined.append(ln)
    return lines + joined


def extract_meta(text: str) -> tuple[str | None, int | None]:
    agency: str | None = None
    year: int | None = None
    cands = _title_candidates(text)
    for i, cand in enumerate(cands):
        m = _TITLE.search(cand)
        if m:
            year = int(m.group("year"))
            agency = _agency(m.group("pre")) or _agency(m.group("post"))
            if agency is None and i > 0:  # the issuing body on its own line above the title
                agency = _agency(cands[i - 1])
            break
    if agency is None:
        tail = [_clean(ln) for ln in text[-400:].split("\n") if _clean(ln)]
        for ln in reversed(tail):
            if 3 <= len(ln) <= 30 and _AGENCY_TAIL.search(ln) and not re.search(r"\d", ln):
                agency = ln
                break
    return agency, year
