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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any, NamedTuple

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

    Read from the pattern's top-level sequence: literals, small literal classes, groups, repeats
    of at least one, positive look-arounds (they must match too) and alternations (the union of
    the i-th set of every alternative, for each i).  A necessary condition only, so skipping a
    pattern whose sets are not all met never changes what it finds.  Empty when nothing is
    required (or unreadable).
    """
    try:
        from re import _constants as sc
        from re import _parser as sp

        parsed = sp.parse(pattern)
    except Exception:  # noqa: BLE001 - an internal module of re; without it there is no shortcut
        return ()
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ()

    def item(op: Any, av: Any, out: list[frozenset[str]]) -> None:
        if op is sc.LITERAL:
            out.append(frozenset(chr(av)))
        elif op is sc.IN:
            if av and all(o is sc.LITERAL for o, _ in av):
                out.append(frozenset(chr(a) for _, a in av))
        elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT) and av[0] >= 1:
            seq(av[2], out)
        elif op is sc.SUBPATTERN and not av[1] and not av[2]:
            seq(av[3], out)
        elif op is sc.ASSERT:
            seq(av[1], out)
        elif op is sc.BRANCH:
            alts = [seq(alt, []) for alt in av[1]]
            for i in range(min(map(len, alts))):
                out.append(frozenset().union(*(a[i] for a in alts)))

    def seq(items: Any, out: list[frozenset[str]]) -> list[frozenset[str]]:
        for op, av in items:
            item(op, av, out)
        return out

    return tuple(dict.fromkeys(seq(parsed, [])))


def needed_chars(needs: Iterable[tuple[frozenset[str], ...]]) -> tuple[str, ...]:
    """Every character in ``needs`` (sets from :func:`required_chars`), sorted: the characters
    :func:`present_chars` looks for."""
    return tuple(sorted({ch for sets in needs for s in sets for ch in s}))


def present_chars(text: str, chars: tuple[str, ...]) -> set[str]:
    """Those of ``chars`` (:func:`needed_chars`) that occur in ``text``, for :func:`meets`: one
    substring test per character, cheaper than a class match at every position of the text."""
    return set(filter(text.__contains__, chars))


def meets(present: set[str], needs: tuple[frozenset[str], ...]) -> bool:
    """True when ``present`` (the required characters found in a text) meets every set of ``needs``."""
    for chars in needs:
        if present.isdisjoint(chars):
            return False
    return True


@cache
def _trap_patterns() -> list[tuple[str, re.Pattern[str], tuple[frozenset[str], ...]]]:
    out: list[tuple[str, re.Pattern[str], tuple[frozenset[str], ...]]] = []
    for cat, pats in grammar()["traps"].items():
        for p in pats:
            out.append((cat, re.compile(p), required_chars(p)))
    names = grammar()["names"]
    out.append(("name", re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))), ()))
    return out


class Tail(NamedTuple):
    """The part of a pattern from its first literal item on, and what precedes it (the head).

    Wherever the pattern matches at ``p``, ``regex`` matches at some ``q`` with
    ``lo <= q - p <= hi`` (``hi`` None: unbounded) and every character of ``text[p:q]`` matches
    ``run`` (None: not read), so a text where ``regex`` finds nothing has no match, and only the
    starts just before a match of ``regex`` can match.
    """

    regex: re.Pattern[str]
    lo: int
    hi: int | None
    run: re.Pattern[str] | None  # one character class: every character the head can consume
    repeat_start: bool  # the pattern opens with a repeat: ``re`` tries it at every position


@cache
def _categories() -> dict[Any, str]:
    """Category items of ``re``'s parse tree, as class syntax."""
    from re import _constants as sc

    return {
        sc.CATEGORY_DIGIT: r"\d",
        sc.CATEGORY_NOT_DIGIT: r"\D",
        sc.CATEGORY_SPACE: r"\s",
        sc.CATEGORY_NOT_SPACE: r"\S",
        sc.CATEGORY_WORD: r"\w",
        sc.CATEGORY_NOT_WORD: r"\W",
    }


class _Unread(Exception):
    """A parse-tree item the character readers here do not read."""


def _class_parts(op: Any, av: Any) -> list[str]:
    """The members of a one-character item (a literal or a class without negation) as class syntax."""
    from re import _constants as sc

    if op is sc.LITERAL:
        return [re.escape(chr(av))]
    if op is not sc.IN:
        raise _Unread
    out: list[str] = []
    for o, a in av:
        if o is sc.LITERAL:
            out.append(re.escape(chr(a)))
        elif o is sc.RANGE:
            out.append(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
        elif o is sc.CATEGORY and a in _categories():
            out.append(_categories()[a])
        else:
            raise _Unread
    return out


def _consumed_chars(items: Any) -> list[str]:
    """Class members covering every character ``items`` (a parse-tree sequence) can consume.

    Zero-width items (assertions, anchors) consume nothing.  Raises :class:`_Unread` on
    anything else not read here (``.``, negated classes, back references …).
    """
    from re import _constants as sc

    out: list[str] = []
    for op, av in items:
        if op in (sc.LITERAL, sc.IN):
            out += _class_parts(op, av)
        elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT):
            out += _consumed_chars(av[2])
        elif op is sc.SUBPATTERN and not av[1] and not av[2]:  # no flags of its own
            out += _consumed_chars(av[3])
        elif op is sc.BRANCH:
            for alt in av[1]:
                out += _consumed_chars(alt)
        elif op not in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):
            raise _Unread
    return out


def pattern_tail(pattern: str) -> Tail | None:
    """The :class:`Tail` of ``pattern``, or None when it has none that is safe to use.

    Read from the pattern's top-level sequence (internal modules of ``re``, as in
    :func:`required_chars`): the first item after the start that is a literal or a class of
    literals opens the tail; ``run`` is the class of what the items before it can consume (None
    when one of them is not read by :func:`_consumed_chars`).  Patterns that can match the empty
    string, refer back to groups or set flags get None.
    """
    try:
        from re import _compiler as sc_compile
        from re import _constants as sc
        from re import _parser as sp

        parsed = sp.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE | re.DOTALL) or parsed.getwidth()[0] == 0:
            return None
        if re.search(r"\\(?:[1-9]|g<)|\(\?P=|\(\?\(", pattern):
            return None  # a back reference: the tail alone may not match
        items = list(parsed.data)
        for k in range(1, len(items)):
            op, av = items[k]
            if op is sc.LITERAL or (op is sc.IN and av and all(o is sc.LITERAL for o, _ in av)):
                head = sp.SubPattern(parsed.state, items[:k])
                tail = sp.SubPattern(parsed.state, items[k:])
                lo, hi = head.getwidth()
                try:
                    run: re.Pattern[str] | None = re.compile("[" + "".join(dict.fromkeys(_consumed_chars(items[:k]))) + "]")
                except _Unread:
                    run = None
                return Tail(
                    sc_compile.compile(tail, parsed.state.flags), lo, None if hi >= sc.MAXREPEAT else hi, run, items[0][0] in (sc.MAX_REPEAT, sc.MIN_REPEAT)
                )
    except Exception:  # noqa: BLE001 - internal modules of re; without them there is no shortcut
        return None
    return None


def _tail_finditer(pat: re.Pattern[str], tail: Tail, text: str) -> Iterator[re.Match[str]]:
    """``pat.finditer(text)`` for a pattern whose head is bounded (``tail.hi`` set) or read
    (``tail.run`` set) and that cannot match empty: ``pat`` is tried only at the starts from
    which a match of the tail can be reached (at most ``hi`` characters back, over characters
    the head can consume)."""
    assert tail.hi is not None or tail.run is not None
    run = tail.run.match if tail.run is not None else None
    tried = 0  # every start below this was tried, or lies inside a match already returned
    q = tail.regex.search(text)
    while q is not None:
        qs = q.start()
        first = max(tried, qs - tail.hi) if tail.hi is not None else tried
        if run is not None:
            p = qs
            while p > first and run(text, p - 1) is not None:
                p -= 1
            first = p  # text[first - 1] cannot be in the head: no start before it reaches qs
        p = first
        while p <= qs - tail.lo:
            m = pat.match(text, p)
            if m is None:
                p += 1
                continue
            yield m
            p = m.end()  # > p: the pattern cannot match empty
        tried = max(tried, p)
        q = tail.regex.search(text, max(qs + 1, tried + tail.lo))


def start_chars(pattern: str, after_first: bool = False) -> re.Pattern[str] | None:
    """A one-character class holding every character a match of ``pattern`` can begin with.

    Read from the pattern's parse tree (internal modules of ``re``): a superset, so a match never
    starts where the class does not match.  None when the pattern can match empty, sets flags,
    or uses something this does not read (``.``, negated classes …).  ``after_first``: only for
    matches at a position after the first, where ``^`` (``\\A``) cannot match, so a sequence
    opening with it adds nothing (the first position is for the caller to try alone).
    """
    try:
        from re import _constants as sc
        from re import _parser as sp

        parsed = sp.parse(pattern)
    except Exception:  # noqa: BLE001 - an internal module of re; without it there is no shortcut
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE | re.DOTALL) or parsed.getwidth()[0] == 0:
        return None
    out: list[str] = []

    def seq(items: Any) -> bool:
        """Add what the sequence can begin with; True when it can match empty."""
        return all(item(op, av) for op, av in items)

    def item(op: Any, av: Any) -> bool:
        if op in (sc.LITERAL, sc.IN):
            out.extend(_class_parts(op, av))
            return False
        if op is sc.BRANCH:
            return any([seq(alt) for alt in av[1]])  # a list: every branch adds its characters
        if op is sc.SUBPATTERN and not av[1] and not av[2]:
            return seq(av[3])
        if op is sc.ATOMIC_GROUP:
            return seq(av)
        if op in (sc.MAX_REPEAT, sc.MIN_REPEAT, sc.POSSESSIVE_REPEAT):
            return seq(av[2]) or av[0] == 0
        if after_first and op is sc.AT and av in (sc.AT_BEGINNING, sc.AT_BEGINNING_STRING):
            return False  # no match here after the first position: nothing to add, and nothing after it
        if op in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):
            return True  # zero width: the next item consumes the first character
        raise _Unread

    try:
        if seq(parsed.data):
            return None
    except _Unread:
        return None
    return re.compile("[" + "".join(dict.fromkeys(out)) + "]") if out else None


def spread(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled so that ``re`` can skip ahead to where it can match.

    ``re`` scans for the first characters of a top-level alternation only when every branch
    opens with a literal.  Branches that open with a nested alternation or a class of literals
    are spread out, in order (``(?:19|20)x|[本上]y`` → ``19x|20x|本y|上y``): ordered choice tries
    the spread branches in the same order, so the matches are the same.  Anything else (groups,
    flags, other openings) is compiled as it is.
    """
    rx = re.compile(pattern)
    if rx.groups or rx.flags & ~re.UNICODE:
        return rx
    try:
        from re import _compiler as sc_compile
        from re import _constants as sc
        from re import _parser as sp

        parsed = sp.parse(pattern)
        if len(parsed.data) != 1 or parsed.data[0][0] is not sc.BRANCH:
            return rx

        def branches(items: list[Any]) -> list[list[Any]]:
            if not items:
                raise _Unread
            op, av = items[0]
            if op is sc.LITERAL:
                return [items]
            if op is sc.IN and av and all(o is sc.LITERAL for o, _ in av):
                return [[(sc.LITERAL, a), *items[1:]] for _, a in av]
            if op is sc.BRANCH:
                return [b for alt in av[1] for b in branches(list(alt.data) + items[1:])]
            if op is sc.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
                return branches(list(av[3].data) + items[1:])
            raise _Unread

        alts = [b for alt in parsed.data[0][1][1] for b in branches(list(alt.data))]
        if len(alts) > 256:
            return rx
        tree = sp.SubPattern(parsed.state, [(sc.BRANCH, (None, [sp.SubPattern(parsed.state, a) for a in alts]))])
        return sc_compile.compile(tree, parsed.state.flags)
    except Exception:  # noqa: BLE001 - internal modules of re, or an opening not read here
        return rx


def finditer_at(pat: re.Pattern[str], starts: re.Pattern[str] | None, text: str) -> Iterator[re.Match[str]]:
    """``pat.finditer(text)``, trying ``pat`` only where ``starts`` (:func:`start_chars` of ``pat``) matches.

    ``re`` cannot skip ahead on a pattern that opens with an optional part; here ``pat`` runs
    behind a look-ahead for ``starts`` (:func:`guarded`), which fails at once elsewhere.  The
    matches, groups and spans are the same: ``pat`` cannot match empty, so each match begins
    with a character ``starts`` matches.
    """
    if starts is None:
        return pat.finditer(text)
    return guarded(pat, starts).finditer(text)


@lru_cache(maxsize=8)
def guarded(pat: re.Pattern[str], starts: re.Pattern[str]) -> re.Pattern[str]:
    """``pat`` behind a look-ahead for the one-character class ``starts`` (no groups added; ``pat`` is
    wrapped, so the look-ahead guards every branch of a top-level alternation, not the first alone)."""
    return re.compile(f"(?={starts.pattern})(?:{pat.pattern})", pat.flags)


@cache
def _quantity_starts() -> re.Pattern[str] | None:
    return start_chars(quantity_regex().pattern)


@cache
def _trap_chars() -> tuple[str, ...]:
    """Every character the trap patterns require."""
    return needed_chars(needs for _, _, needs in _trap_patterns())


@cache
def _trap_tails() -> tuple[Tail | None, ...]:
    """:func:`pattern_tail` of each of :func:`_trap_patterns`, in order."""
    return tuple(pattern_tail(pat.pattern) for _, pat, _ in _trap_patterns())


def trap_spans(text: str) -> list[tuple[int, int, str]]:
    """Every trap match in ``text``: (start, end, category)."""
    out: list[tuple[int, int, str]] = []
    present = present_chars(text, _trap_chars())  # the required characters found in the text
    for (cat, pat, needs), tail in zip(_trap_patterns(), _trap_tails(), strict=True):
        if needs and not meets(present, needs):
            continue  # a character the pattern cannot match without is absent
        if tail is None:
            matches: Iterable[re.Match[str]] = pat.finditer(text)
        elif tail.repeat_start and (tail.hi is not None or tail.run is not None):
            matches = _tail_finditer(pat, tail, text)
        elif tail.regex.search(text) is None:
            continue  # the pattern cannot match without its tail
        else:
            matches = pat.finditer(text)
        for m in matches:
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
    for m in finditer_at(quantity_regex(), _quantity_starts(), text):
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
    # positional (cheaper than keywords); score is the field's default, Quantity.score
    return Quantity(qid, m.start + offset, m.end + offset, m.text, p.value, p.unit, p.approx, p.kind, p.value_max, p.raw_unit, Quantity.score, p.explanation)


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
