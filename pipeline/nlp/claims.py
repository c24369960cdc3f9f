"""Claims: zero statements and quantity claims with subject, action, time scope and relations.

- :func:`zero_claims` — 没有/未/无/零 statements about applications, review, litigation and fees
  (patterns in ``data/claims.yaml`` → ``zero_statements``) become claims with value 0.
- :func:`quantity_claims` — one claim per count, money or percent quantity, with the subject as
  written (群众留言), the action (收到, 办结 …), the time scope (2020年, 截至…, 累计) and relations
  (``Claim.relation``): ``part_of`` / ``total`` for 其中 lists, ``respectively`` for 分别 lists,
  ``enumeration`` for "共有政务新媒体4个，分别是A、B、C、D" (with the item count).

Word lists live in ``data/claim_words.yaml``.  The indicator is left to the linker
(:mod:`pipeline.nlp.link`).  Relation references use the ids given here; :func:`renumber`
rewrites them when claims are renumbered.
"""

from __future__ import annotations

import bisect
import re
from functools import cache, lru_cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.model import Claim, Quantity
from pipeline.nlp.linker import last_end
from pipeline.nlp.quantities import meets, needed_chars, present_chars

_SENT = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_FULL_SENT_END_CHARS = "。！!？?\n"  # one character each (see _last_end)
_CLAUSE_END_CHARS = "。；;，,：:！!？?\n"
_FULL_SENT_END = re.compile(f"[{re.escape(_FULL_SENT_END_CHARS)}]")
_CLAUSE_END = re.compile(f"[{re.escape(_CLAUSE_END_CHARS)}]")
CLAIM_KINDS = ("count", "money", "percent")


@lru_cache(maxsize=1)
def zero_patterns() -> list[tuple[dict[str, Any], re.Pattern[str], re.Pattern[str] | None]]:
    out = []
    for spec in load_yaml("claims.yaml")["zero_statements"]:
        exc = re.compile(spec["exclude"]) if spec.get("exclude") else None
        out.append((spec, re.compile(spec["pattern"]), exc))
    return out


@cache
def words() -> dict[str, Any]:
    w = dict(load_yaml("claim_words.yaml"))
    w["_actions"] = re.compile("|".join(re.escape(a) for a in sorted(w["actions"], key=len, reverse=True)))
    from pipeline.nlp.quantities import spread

    w["_time"] = spread("|".join(f"(?:{p})" for p in w["time_scopes"]))  # the same matches, found faster
    w["_items"] = re.compile(w["item_separators"])
    w["_nominal_after"] = tuple(w["nominal_after"])  # for str.startswith: any of them
    alt = "|".join(re.escape(f) for f in sorted(w["fillers"], key=len, reverse=True))
    w["_filler_head"] = re.compile(f"(?:{alt})")
    w["_filler_tail"] = re.compile(f"(?:{alt})$")
    return w


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENT.finditer(text, start, end) if m.group(0).strip()]


_SENT_BREAK_CHARS = "。；;！!？?\n"  # the characters _SENT's runs stop at


def sentences_with(text: str, start: int, end: int, chars: re.Pattern[str]) -> list[tuple[int, int]]:
    """The :func:`sentences` of text[start:end] that contain a match of the one-character class
    ``chars``, which must match no white space and none of :data:`_SENT_BREAK_CHARS`.

    Such a match lies inside one run of :data:`_SENT`: its sentence starts after the last break
    character before it (or at ``start``), where the scan of :func:`sentences` starts a match
    too, and is not blank.  Only those sentences are read, not every sentence of the span.
    """
    out: list[tuple[int, int]] = []
    m = chars.search(text, start, end)
    while m is not None:
        s = last_end(text, _SENT_BREAK_CHARS, start, m.start())
        sm = _SENT.match(text, s, end)
        assert sm is not None  # text[s] is not a break character: the run matches
        out.append((s, sm.end()))
        m = chars.search(text, sm.end(), end)
    return out


MAX_SENTENCE = 400  # a sentence start is looked for this far back


def _last_end(chars: str, text: str, lo: int, pos: int) -> int:
    """End of the last of ``chars`` in text[max(lo, pos - MAX_SENTENCE):pos], else that start."""
    return last_end(text, chars, max(lo, pos - MAX_SENTENCE), pos)


def full_sentence(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence (ended by 。！？ or a line break, not by ；) around ``pos`` within [lo, hi)."""
    s = _last_end(_FULL_SENT_END_CHARS, text, lo, pos)
    m2 = _FULL_SENT_END.search(text, pos, min(hi, pos + MAX_SENTENCE))
    return s, (m2.end() if m2 else min(hi, pos + MAX_SENTENCE))


def clause_start(text: str, pos: int, lo: int) -> int:
    return _last_end(_CLAUSE_END_CHARS, text, lo, pos)


def time_scope(text: str, s: int, pos: int) -> str | None:
    """Time expressions in text[s:pos], in order, space separated (截至2020年12月底 累计)."""
    found: list[tuple[int, int, str]] = []
    for m in words()["_time"].finditer(text, s, pos):
        if any(a <= m.start() and m.end() <= b for a, b, _ in found):
            continue
        found.append((m.start(), m.end(), m.group(0).replace(" ", "")))
    out: list[str] = []
    for _, _, t in found:
        if t not in out:
            out.append(t)
    return " ".join(out) or None


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim spaces, punctuation, fillers and time expressions from both edges of text[a:b]."""
    w = words()
    changed = True
    while changed and a < b:
        changed = False
        while a < b and (text[a].isspace() or text[a] in "，,、：:；;（）()“”\"'"):
            a += 1
            changed = True
        while a < b and (text[b - 1].isspace() or text[b - 1] in "，,、：:；;（）()“”\"'"):
            b -= 1
            changed = True
        m = w["_time"].match(text, a, b)
        if m and m.end() > a:
            a = m.end()
            changed = True
        fm = w["_filler_head"].match(text, a, b)
        if fm and fm.end() > a:
            a = fm.end()
            changed = True
        fm = w["_filler_tail"].search(text[a:b])
        if fm and fm.end() > fm.start():
            b = a + fm.start()
            changed = True
    return a, b


def _snap(a: int, b: int, tokens: list[tuple[int, int]] | None) -> tuple[int, int]:
    """Snap [a, b) outwards to token boundaries when tokens are given."""
    if not tokens:
        return a, b
    i = bisect.bisect_right(tokens, (a, 1 << 60)) - 1
    if 0 <= i < len(tokens) and tokens[i][0] < a < tokens[i][1]:
        a = tokens[i][0]
    j = bisect.bisect_left(tokens, (b, -1)) - 1
    if 0 <= j < len(tokens) and tokens[j][0] < b < tokens[j][1]:
        b = tokens[j][1]
    return a, b


def _noun_after(text: str, pos: int, hi: int, tokens: list[tuple[int, int]] | None) -> tuple[int, int] | None:
    """For classifier units (12个乡镇): up to three words after the quantity, ending at a verb,
    a conjunction, a number or punctuation."""
    m = _CLAUSE_END.search(text, pos, hi)
    end = min(m.start() if m else hi, pos + 12)
    am = words()["_actions"].search(text, pos, end)
    if am:
        end = am.start()
    stops = set(words()["subject_stops"])
    if tokens:
        i = bisect.bisect_left(tokens, (pos, -1))
        ks: list[tuple[int, int]] = []
        for t in tokens[i : i + 3]:
            tok = text[t[0] : t[1]]
            if t[1] > end or tok in stops or not tok.strip() or any(ch.isdigit() for ch in tok) or re.search(r"[^\w]", tok):
                break
            ks.append(t)
        return (ks[0][0], ks[-1][1]) if ks else None
    seg = re.match(r"[\u4e00-\u9fff]{1,8}", text[pos:end])
    if not seg:
        return None
    cut = min((seg.group(0).find(s) for s in stops if s in seg.group(0)), default=len(seg.group(0)))
    return (pos, pos + cut) if cut > 0 else None


CLASSIFIERS = {"个", "家", "名", "所", "户", "项", "人"}


def quantity_claims(
    text: str,
    quantities: list[Quantity],
    spans: list[tuple[int, int, str]],
    tokens: list[tuple[int, int]] | None = None,
    first_id: int = 1,
) -> list[Claim]:
    """One claim per count/money/percent quantity, with subject, action, time scope and relations.

    ``spans``: the narrative spans (start, end, section key) the quantities were found in;
    ``tokens``: optional (start, end) token offsets (jieba) used to snap subjects to words.
    """
    w = words()
    claims: list[Claim] = []
    by_q: dict[str, Claim] = {}
    sents: list[tuple[int, int]] = []  # the full sentence of each quantity of qs
    ends: list[int] = []  # the ends of the claims so far, sorted
    qs = sorted((q for q in quantities if q.kind in CLAIM_KINDS), key=lambda q: q.start)
    for q in qs:
        lo, hi, key = next(((s, e, k) for s, e, k in spans if s <= q.start < e), (0, len(text), None))
        ss, se = full_sentence(text, q.start, lo, hi)
        sents.append((ss, se))
        cs = clause_start(text, q.start, lo)
        # a clause does not reach back before the end of an earlier claim: the greatest end up to q.start
        k = bisect.bisect_right(ends, q.start)
        if k and ends[k - 1] > cs:
            cs = ends[k - 1]
        why: list[str] = []
        action = None
        subj: tuple[int, int] | None = None
        am = None
        for m in w["_actions"].finditer(text, cs, q.start):
            if _nominal(text, m):
                continue
            am = m
        if am:
            action = am.group(0)
            a, b = _strip(text, am.end(), q.start)
            if b > a:
                subj = (a, b)
                why.append(f"subject between action '{action}' and the number")
        if subj is None and q.raw_unit in CLASSIFIERS:
            subj = _noun_after(text, q.end, hi, tokens)
            if subj:
                why.append("subject after the classifier")
        if subj is None:
            a, b = _strip(text, cs, am.start() if am else q.start)
            if b > a and b - a <= 16:
                subj = (a, b)
                why.append("subject before the action" if am else "subject = clause before the number")
        subject: str | None = None
        if subj:
            a, b = _snap(*_head(text, *subj), tokens)
            subject = text[a:b].strip() or None
        if subject is None:
            prev = next((c for c in reversed(claims) if ss <= c.start and c.subject and c.unit == q.unit), None)
            if prev is not None:
                subject = prev.subject
                why.append(f"subject inherited from {prev.id}")
        c = Claim(
            id=f"c{first_id + len(claims)}",
            start=min(cs, q.start),
            end=q.end,
            quantity_id=q.id,
            value=q.value,
            unit=q.unit,
            approx=q.approx,
            subject=subject,
            indicator=None,
            confidence=0.0,
            action=action,
            time_scope=time_scope(text, ss, q.start),
            section=key,
            explanation="; ".join(why),
        )
        claims.append(c)
        bisect.insort(ends, c.end)
        by_q[q.id] = c
    _relations(text, claims, qs, spans, sents)
    return claims


@cache
def _enumeration_regex() -> re.Pattern[str]:
    """An enumeration marker (分别是, 包括 …) shortly after a quantity, from ``claim_words.yaml``."""
    return re.compile(r"[^。；;，,]{0,6}[，,：:]?\s*(" + "|".join(map(re.escape, words()["enumeration_markers"])) + r")\s*[：:]?")


_BRACKET = re.compile("[（(）)]")


def _open_bracket(text: str, lo: int, pos: int) -> int | None:
    """Offset of the bracket （ or ( still open at ``pos`` that opened at or after ``lo``, else None.

    Reads the brackets of text[lo:pos] from the last one back (only they change the depth)."""
    depth = 0
    for m in reversed(list(_BRACKET.finditer(text, lo, pos))):
        i = m.start()
        if text[i] in "）)":
            depth += 1
        elif depth == 0:
            return i
        else:
            depth -= 1
    return None


def _relations(text: str, claims: list[Claim], qs: list[Quantity], spans: list[tuple[int, int, str]], sents: list[tuple[int, int]]) -> None:
    """Set ``Claim.relation`` (and inherited subjects, paired actions) of ``claims``, one per quantity of ``qs``;
    ``sents``: the :func:`full_sentence` of each quantity within its narrative span, in the same order."""
    w = words()
    cq = list(zip(claims, qs, strict=True))
    # 其中: parts of the total stated before it
    for marker in w["part_markers"]:
        for m in re.finditer(re.escape(marker), text):
            span = next(((s, e) for s, e, _ in spans if s <= m.start() < e), None)
            if span is None:
                continue
            ss, se = full_sentence(text, m.start(), *span)
            before = [
                (c, q)
                for c, q in cq
                if q.end <= m.start()
                and q.kind != "percent"
                and q.start >= span[0]
                and (q.start >= ss or (text[ss : m.start()].strip("，, ") == "" and q.start >= _prev_sentence_start(text, ss, span[0])))
            ]
            if not before:
                continue
            kind = before[-1][1].kind
            # a part's own breakdown in brackets (预决算197条（政府预决算32条、部门预决算165条）) belongs
            # to that part, not to the total: the bracket still open at each listed quantity, if any
            listed = [(c, q, _open_bracket(text, m.end(), q.start)) for c, q in cq if m.end() <= q.start < se and q.kind == kind and c.relation is None]
            parts = [c for c, _, ob in listed if ob is None]
            if not parts:
                continue
            # the total: the nearest quantity before 其中 (this sentence, or the previous one when
            # 其中 opens a sentence) that is at least the sum of the parts; else the nearest one
            need = sum(float(c.value) for c in parts)
            pc, pq = next(((c, q) for c, q in reversed(before) if q.kind == kind and float(q.value) >= need), before[-1])
            for c in parts:
                c.relation = {"type": "part_of", "parent": pc.id, "marker": marker}
                if c.subject is None and pc.subject:
                    c.subject = pc.subject
                    c.explanation = (c.explanation + "; " if c.explanation else "") + f"subject of the total {pc.id}"
            if pc.relation is None:
                pc.relation = {"type": "total", "parts": [c.id for c in parts]}
            for c, _, ob in listed:
                host = None if ob is None else next((h for h, hq, hob in reversed(listed) if hob is None and hq.end <= ob), None)
                if host is not None:
                    c.relation = {"type": "part_of", "parent": host.id, "marker": text[ob]}
    # 分别: paired lists and enumerations
    for (c, q), (_, se) in zip(cq, sents, strict=True):
        if c.relation is not None:
            continue
        after = text[q.end : se]
        em = _enumeration_regex().match(after)
        if em and not any(q2.start < q.end + em.end() + 40 for _, q2 in cq if q.end <= q2.start < se):
            lst_start = q.end + em.end()
            lst_end = se - 1 if text[se - 1] in "。！!？?\n" else se
            stop = re.search(r"[；;]", text[lst_start:lst_end])
            if stop:
                lst_end = lst_start + stop.start()
            items = _split_items(text, lst_start, lst_end)
            if items:
                c.relation = {"type": "enumeration", "items": len(items), "item_spans": [list(i) for i in items], "marker": em.group(1)}
    # a percentage that is a share (占比37.5%, 208件（17.46%）) of the count just before it
    for (c, q), (ss, _) in zip(cq, sents, strict=True):
        if q.kind != "percent" or c.relation is not None:
            continue
        prev = [(c2, q2) for c2, q2 in cq if ss <= q2.start and q2.end <= q.start and q2.kind in ("count", "money")]
        if not prev:
            continue
        gap = text[prev[-1][1].end : q.start]
        if len(gap) <= 6 and (re.search(w["share_markers"], gap) or gap.strip() in ("（", "(")):
            c.relation = {"type": "share", "of": prev[-1][0].id}
            if c.subject is None:
                c.subject = prev[-1][0].subject
    for mk in w["respectively_markers"]:
        for m in re.finditer(re.escape(mk), text):
            span = next(((s, e) for s, e, _ in spans if s <= m.start() < e), None)
            if span is None:
                continue
            ss, se = full_sentence(text, m.start(), *span)
            group = [(c, q) for c, q in cq if m.end() <= q.start < se and c.relation is None]
            # the group: consecutive quantities joined only by separators
            run: list[tuple[Claim, Quantity]] = []
            pos = m.end()
            for c, q in group:
                gap = text[pos : q.start]
                if run and not re.fullmatch(r"\s*(?:[、，,和及与]|以及)\s*", gap):
                    break
                if not run and len(gap.strip()) > 4:
                    break
                run.append((c, q))
                pos = q.end
            if len(run) < 2:
                continue
            cs = clause_start(text, m.start(), ss)
            labels = _split_items(text, cs, m.start())
            ids = [c.id for c, _ in run]
            lab_txt = [text[a:b] for a, b in labels]
            paired = len(labels) == len(run)
            # a label may carry its own action (受理、办结申请分别为…): split it off
            split: list[tuple[str | None, str | None]] = []
            for a, b in labels:
                am = w["_actions"].search(text, a, b)
                if am:
                    sa, sb = _strip(text, am.end(), b)
                    split.append((am.group(0), text[sa:sb] if sb > sa else None))
                else:
                    split.append((None, text[a:b]))
            shared = next((sub for _, sub in reversed(split) if sub), None)
            for i, (c, _) in enumerate(run):
                c.relation = {"type": "respectively", "group": ids, "labels": lab_txt if paired else [], "marker": mk}
                if paired:
                    act, sub = split[i]
                    if act:
                        c.action = act
                    c.subject = sub or shared
                    c.explanation = (c.explanation + "; " if c.explanation else "") + f"paired by {mk} with '{lab_txt[i]}'"


def _nominal(text: str, m: re.Match[str]) -> bool:
    """An action word used inside a noun (政府信息公开申请, 信息发布平台): not the action."""
    w = words()
    if m.group(0) not in w["nominal_actions"]:
        return False
    before = text[max(0, m.start() - 2) : m.start()]
    return before in w["nominal_before"] or text.startswith(w["_nominal_after"], m.end())


SUBJECT_MAX = 10


def _head(text: str, a: int, b: int) -> tuple[int, int]:
    """A long subject keeps its head: what follows the last 等/的 (…、重点领域动态等政府信息 → 政府信息)."""
    if b - a <= SUBJECT_MAX:
        return a, b
    cut = max(text.rfind(ch, a, b) for ch in words()["subject_heads_after"])
    if cut >= a and b - (cut + 1) >= 2:
        return _strip(text, cut + 1, b)
    return a, b


def _prev_sentence_start(text: str, ss: int, lo: int) -> int:
    return full_sentence(text, max(lo, ss - 2), lo, ss)[0] if ss > lo else lo


def _split_items(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = a
    for m in list(words()["_items"].finditer(text, a, b)) + [None]:
        e = m.start() if m else b
        ia, ib = _strip(text, pos, e)
        if ib > ia:
            out.append((ia, ib))
        if m:
            pos = m.end()
    return out


@lru_cache(maxsize=1)
def _zero_prefilter() -> tuple[re.Pattern[str] | None, tuple[tuple[frozenset[str], ...], ...]]:
    """A class of every character a zero pattern can begin with, for :func:`sentences_with` (None:
    no shortcut, also when it matches white space or a sentence break), and the characters each
    pattern requires (:func:`~pipeline.nlp.quantities.required_chars`)."""
    from pipeline.nlp.quantities import required_chars, start_chars

    starts = [start_chars(pat.pattern) for _, pat, _ in zero_patterns()]
    # start_chars gives one bracketed class each: their union is one class
    union = None if any(st is None for st in starts) else re.compile("[" + "".join(st.pattern[1:-1] for st in starts if st is not None) + "]")
    if union is not None and union.search(_SENT_BREAK_CHARS + _white_space()):
        union = None  # not a class sentences_with can take
    return union, tuple(required_chars(pat.pattern) for _, pat, _ in zero_patterns())


@cache
def _white_space() -> str:
    """Every white-space character (``str.isspace``; none lies above U+3000)."""
    return "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())


@lru_cache(maxsize=1)
def _zero_chars() -> tuple[str, ...]:
    """Every character the zero patterns require (:func:`_zero_prefilter`)."""
    return needed_chars(_zero_prefilter()[1])


def zero_claims(text: str, spans: list[tuple[int, int, str]]) -> list[Claim]:
    out: list[Claim] = []
    starts, needs = _zero_prefilter()
    for start, end, key in spans:
        span_text = text[start:end]
        # a pattern that lacks a required character in the span matches in none of its sentences
        present = present_chars(span_text, _zero_chars())  # the required characters in the span
        patterns = [zp for zp, nd in zip(zero_patterns(), needs, strict=True) if meets(present, nd)]
        if not patterns:
            continue
        # only sentences with a character some zero pattern can begin with can match
        for s, e in sentences(text, start, end) if starts is None else sentences_with(text, start, end, starts):
            sent = text[s:e]
            covered: set[str] = set()
            for spec, pat, exc in patterns:
                m = pat.search(sent)
                if not m or (exc and exc.search(m.group(0))):
                    continue
                if spec.get("requires_no") and spec["requires_no"] in m.group(0):
                    continue
                for c in spec["claims"]:
                    if c["indicator"] in covered:
                        continue
                    covered.add(c["indicator"])
                    fs, _ = full_sentence(text, s + m.start(), start, end)
                    out.append(
                        Claim(
                            id=f"z{len(out) + 1}",
                            start=s + m.start(),
                            end=s + m.end(),
                            quantity_id=None,
                            value=0,
                            unit=None,
                            approx="eq",
                            subject=c["subject"],
                            indicator=c["indicator"],
                            confidence=0.9,
                            polarity="zero",
                            time_scope=time_scope(text, fs, s + m.start()),
                            section=key,
                            explanation=f"zero statement '{spec['key']}' matched '{m.group(0)}'",
                        )
                    )
    return out


def renumber(claims: list[Claim], prefix: str = "c") -> list[Claim]:
    """Sort claims by position, number them c1.., and rewrite relation references."""
    claims.sort(key=lambda c: (c.start, c.end, c.quantity_id or ""))
    mapping: dict[str, str] = {}
    for i, c in enumerate(claims, 1):
        mapping[c.id] = f"{prefix}{i}"
    for c in claims:
        c.id = mapping[c.id]
        r = c.relation
        if r:
            for k in ("parent", "of"):
                if k in r:
                    r[k] = mapping.get(r[k], r[k])
            for k in ("parts", "group"):
                if k in r:
                    r[k] = [mapping.get(x, x) for x in r[k]]
    return claims
