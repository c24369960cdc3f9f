"""Quantity recognizer over raw text (not tokens: jieba splits 5313.9461, 1,234 and full-width digits).

:func:`recognize` finds every mention of the number grammar (:mod:`pipeline.nlp.numbers`) in a
string and rejects the traps listed in ``data/numbers.yaml`` (document numbers, dates and years,
phone numbers and hotlines, ordinals and list markers, names, page numbers, URLs), bare 一 used
as a determiner, and units that are the first character of a longer word.  Every accepted
mention carries an explanation of why it fired; :func:`rejections` lists what was turned down
and why (for debugging and for the trap tests).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pipeline.model import Quantity
from pipeline.nlp.numbers import Parsed, grammar, parse_match, parse_number, quantity_regex

_CLAUSE_END_CHAR = re.compile(r"[，,。；;！!？?\n]")
_WORDCHAR_BEFORE = re.compile(r"[A-Za-z0-9０-９_.．/\\]")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    parsed: Parsed


@dataclass(frozen=True)
class Rejected:
    start: int
    end: int
    text: str
    reason: str  # a trap category or determiner | unit_prefix | malformed | glued


def required_chars(pattern: str) -> tuple[frozenset[str], ...]:
    """Character sets the text must meet (one character of each) for ``pattern`` to match anywhere.

    Read from the pattern's top-level sequence: literals, small literal classes, groups and
    repeats of at least one.  A necessary condition only, so skipping a pattern whose sets are
    not all met never changes what it finds.  Empty when nothing is required (or unreadable).
    """
    try:
        from re import _constants as sc
        from re import _parser as sp

        parsed = sp.parse(pattern)
    except Exception:  # noqa: BLE001 - an internal module of re; without it there is no shortcut
        return ()
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ()
    out: list[frozenset[str]] = []

    def item(op: Any, av: Any) -> None:
        if op is sc.LITERAL:
            out.append(frozenset(chr(av)))
        elif op is sc.IN:
            if av and all(o is sc.LITERAL for o, _ in av):
                out.append(frozenset(chr(a) for _, a in av))
        elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT) and av[0] >= 1:
            seq(av[2])
        elif op is sc.SUBPATTERN:
            seq(av[3])

    def seq(items: Any) -> None:
        for op, av in items:
            item(op, av)

    seq(parsed)
    return tuple(dict.fromkeys(out))


@cache
def _trap_patterns() -> list[tuple[str, re.Pattern[str], tuple[frozenset[str], ...]]]:
    out: list[tuple[str, re.Pattern[str], tuple[frozenset[str], ...]]] = []
    for cat, pats in grammar()["traps"].items():
        for p in pats:
            out.append((cat, re.compile(p), required_chars(p)))
    names = grammar()["names"]
    out.append(("name", re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))), ()))
    return out


def trap_spans(text: str) -> list[tuple[int, int, str]]:
    """Every trap match in ``text``: (start, end, category)."""
    out: list[tuple[int, int, str]] = []
    for cat, pat, needs in _trap_patterns():
        if needs and not all(any(ch in text for ch in chars) for chars in needs):
            continue  # a character the pattern cannot match without is absent
        for m in pat.finditer(text):
            if m.end() > m.start():
                out.append((m.start(), m.end(), cat))
    out.sort()
    return out


def _classify(text: str, m: re.Match[str], traps: list[tuple[int, int, str]]) -> str | None:
    """None when the match is a quantity, else the reason it is not."""
    s, e = m.start(), m.end()
    numtxt = m.group("num") or m.group("pnum") or m.group("vague") or ""
    num_start = m.start("num") if m.group("num") else s
    for _ts, te, cat in traps[: bisect.bisect_left(traps, (e,))]:
        if te > num_start:
            return cat
    if s > 0 and _WORDCHAR_BEFORE.match(text[s - 1]) and not m.group("pre"):
        return "glued"
    unit = m.group("unit") or m.group("vunit")
    if unit:
        unit_end = m.end("unit") if m.group("unit") else m.end("vunit")
        banned = grammar()["unit_not_followed_by"].get(unit, [])
        after = text[unit_end : unit_end + 4]
        if any(after.startswith(b) for b in banned):
            return "unit_prefix"
    bare = numtxt in ("一",) and not (m.group("pre") or m.group("inf1") or m.group("inf2") or m.group("mult") or m.group("num2"))
    if bare:
        verbs = grammar()["bare_one_counts_after"]
        before = text[max(0, s - 4) : s]
        if not any(before.endswith(v) for v in verbs):
            # 开展业务培训一期。 — a count when it ends the clause and the clause has a counting verb
            clause = re.split(r"[，,。；;：:！!？?\n]", text[max(0, s - 30) : s])[-1]
            if not (_CLAUSE_END_CHAR.match(text, e) and any(v in clause for v in verbs)):
                return "determiner"
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")
_END_OK = re.compile(r"\s*(?:[，,。；;：:、！!？?）)\]】”\"]|$)")
_ARABIC_DIGIT = re.compile(r"[0-9０-９]")


@cache
def _bare_regex() -> re.Pattern[str]:
    """A bare number right after a count word (信息数79。): no unit, so the main pattern skips it."""
    words = "|".join(re.escape(w) for w in sorted(grammar()["bare_count_after"], key=len, reverse=True))
    return re.compile(rf"(?:{words})\s?(?P<num>(?<![0-9])[0-9０-９]+(?:[,，][0-9０-９]{{3}})*)(?![0-9０-９.．])")


def _scan(text: str) -> tuple[list[Mention], list[Rejected]]:
    traps: list[tuple[int, int, str]] | None = None  # computed on the first candidate
    found: list[Mention] = []
    rejected: list[Rejected] = []
    for m in quantity_regex().finditer(text):
        if not m.group(0).strip():
            continue
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        end = m.start() + len(m.group(0).rstrip())
        has_unit = m.group("unit") or m.group("tenths") or m.group("pct") or m.group("vague")
        reason: str | None = None
        if not has_unit:
            # 536万, 超3170万: a count with 万/亿 and no measure word — Arabic digits only (not 破千万),
            # and not before a unit we do not read (5万平方米)
            if not m.group("mult") or not _ARABIC_DIGIT.search(m.group("num") or "") or _CJK.match(text, end):
                reason = "no_unit"
        if reason is None:
            if traps is None:
                traps = trap_spans(text)
            reason = _classify(text, m, traps)
        parsed: Parsed | None = None
        if reason is None:
            try:
                parsed = parse_match(m)
            except (ValueError, ArithmeticError):
                reason = "malformed"
        if reason is None and parsed is not None:
            if parsed.kind == "duration" and not m.group("suf"):
                for suf, approx in grammar()["approx"]["duration_suffix"].items():
                    if text.startswith(suf, end):
                        end += len(suf)
                        parsed = replace(parsed, approx=approx, explanation=parsed.explanation + f"; {suf} -> {approx}")
                        break
            found.append(Mention(start, end, text[start:end], parsed))
            continue
        rejected.append(Rejected(start, end, text[start:end], reason or "malformed"))
    for m in _bare_regex().finditer(text):
        if not _END_OK.match(text, m.end("num")):
            continue
        if traps is None:
            traps = trap_spans(text)
        s, e = m.start("num"), m.end("num")
        if any(ts < e and s < te for ts, te, _ in traps) or any(f.start < e and s < f.end for f in found):
            continue
        try:
            value = parse_number(m.group("num"))
        except ValueError:
            continue
        word = text[m.start() : s].strip()
        found.append(Mention(s, e, text[s:e], Parsed(value=value, unit=None, kind="count", explanation=f"bare number after '{word}' (no unit)")))
    found.sort(key=lambda x: x.start)
    return found, rejected


def recognize(text: str) -> list[Mention]:
    """Quantity mentions in ``text`` (offsets into ``text``)."""
    return _scan(text)[0]


def rejections(text: str) -> list[Rejected]:
    """Number-like matches of the grammar that were turned down, with the reason."""
    return _scan(text)[1]


def to_quantity(m: Mention, offset: int, qid: str) -> Quantity:
    p = m.parsed
    return Quantity(
        id=qid,
        start=m.start + offset,
        end=m.end + offset,
        text=m.text,
        value=p.value,
        unit=p.unit,
        approx=p.approx,
        kind=p.kind,
        value_max=p.value_max,
        raw_unit=p.raw_unit,
        explanation=p.explanation,
    )


def find_quantities(text: str, spans: list[tuple[int, int, str]]) -> list[Quantity]:
    """Quantities in the given narrative spans of ``text`` (regex only, no segmentation)."""
    out: list[Quantity] = []
    for start, end, _key in spans:
        for m in recognize(text[start:end]):
            out.append(to_quantity(m, start, f"q{len(out) + 1}"))
    return out


def quantity_from_span(span: Any, offset: int, qid: str) -> Quantity:
    """A Quantity from a ``doc.spans["quantities"]`` span of a doc made from text[offset:...]."""
    x = span._
    return Quantity(
        id=qid,
        start=offset + x.char_start,
        end=offset + x.char_end,
        text=span.text[x.char_start - span.start_char : x.char_end - span.start_char],  # not doc.text: O(tokens) per call
        value=x.value,
        unit=x.unit,
        approx=x.approx,
        kind=x.kind,
        value_max=x.value_max,
        raw_unit=x.raw_unit,
        explanation=x.explanation,
    )
