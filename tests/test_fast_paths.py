"""The speed shortcuts give exactly what the plain code gives (docs/batch.md, "Performance")."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.data import load_yaml
from pipeline.nlp import claims as claims_mod
from pipeline.nlp.quantities import required_chars, trap_spans

ALPHABET = "0123456789０１一二三四五六七八九十（()）。，,;；：: \n是、.．号第年月日热线12345-—－《》“”/"


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(n)]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"第\s*\d+\s*号", ["第", "号"]),
        (r"[（(]\s*\d+\s*[）)]", ["(（", ")）"]),
        (r"(?:19|20)\d{2}\s*年", ["12", "09", "年"]),  # a branch: the i-th sets of its alternatives, united
        (r"[^号]+号", ["号"]),  # a negated class requires nothing
        (r"(?:https?://|www\.)\S+", ["hw", "tw", ".p"]),
        (r"(?:ab|)c", ["c"]),  # an empty alternative: the branch requires nothing
        (r"\d+(?=\s*热线)(?!x)", ["热", "线"]),  # a look-ahead must match too (a negative one need not)
        (r"(?i)abc", []),  # case-insensitive: no shortcut
    ],
)
def test_required_chars(pattern: str, expected: list[str]) -> None:
    assert ["".join(sorted(s)) for s in required_chars(pattern)] == ["".join(sorted(e)) for e in expected]


def test_required_chars_are_necessary() -> None:
    """A text lacking one required set never matches: checked on every trap pattern."""
    texts = _random_texts(3000, 7)
    for pats in load_yaml("numbers.yaml")["traps"].values():
        for p in pats:
            needs = required_chars(p)
            rx = re.compile(p)
            for t in texts:
                if rx.search(t):
                    assert all(any(ch in t for ch in s) for s in needs), (p, t)


def test_trap_spans_equal_plain_scan() -> None:
    """trap_spans (with its character shortcut) equals running every pattern over the text."""
    from pipeline.nlp.quantities import _trap_patterns

    for t in _random_texts(2000, 11):
        plain = sorted((m.start(), m.end(), cat) for cat, rx, _ in _trap_patterns() for m in rx.finditer(t) if m.end() > m.start())
        assert trap_spans(t) == plain


def test_last_end_equals_regex_scan() -> None:
    rng = random.Random(3)
    for pat, chars in ((claims_mod._FULL_SENT_END, claims_mod._FULL_SENT_END_CHARS), (claims_mod._CLAUSE_END, claims_mod._CLAUSE_END_CHARS)):
        for t in _random_texts(500, 5):
            lo = rng.randint(0, len(t))
            pos = rng.randint(lo, len(t))
            plain = max([lo, *(m.end() for m in pat.finditer(t, lo, pos))])
            assert claims_mod._last_end(chars, t, lo, pos) == plain


def test_batch_linking_equals_one_by_one() -> None:
    from pipeline.nlp.link import link_span, link_spans

    text = "本年度共收到政府信息公开申请58件，办结55件，结转下年度3件。门户网站发布信息1200余条，政策解读36篇，收取费用120元。"
    spans = [(m.start(), m.end(), m.group(2)) for m in re.finditer(r"(\d+余?)(件|条|篇|元)", text)]
    batch = link_spans(text, spans)
    assert len(batch) == len(spans) == 6
    for (s, e, u), r in zip(spans, batch, strict=True):
        one = link_span(text, s, e, u)
        assert (one.indicator, one.confidence, one.method, one.explanation) == (r.indicator, r.confidence, r.method, r.explanation)


def test_last_end_equals_last_match() -> None:
    from pipeline.nlp.linker import _CLAUSE_END_CHARS, _SENT_END_CHARS, last_end

    for chars in (_SENT_END_CHARS, _CLAUSE_END_CHARS):
        pat = re.compile(f"[{re.escape(chars)}]")
        for t in _random_texts(1000, 13):
            assert last_end(t, chars) == max((m.end() for m in pat.finditer(t)), default=0)


CJK_ALPHABET = ALPHABET + "发字函办令国务院政府办公厅〔〕[]【】件条万元约近余多百分之个人次不超过以上以下成"


def _random_cjk_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(CJK_ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(n)]


def test_trap_spans_with_tails_equal_plain_scan() -> None:
    """The tail shortcuts (skip without a tail match; try only starts before one) change nothing."""
    from pipeline.nlp.quantities import _trap_patterns

    for t in _random_cjk_texts(3000, 17):
        plain = sorted((m.start(), m.end(), cat) for cat, rx, _ in _trap_patterns() for m in rx.finditer(t) if m.end() > m.start())
        assert trap_spans(t) == plain


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"第\s*\d+\s*号", "[第]"),
        (r"(?:a|b)?\s?c", r"[ab\sc]"),
        (r"(?<=a)b|c", "[bc]"),
        (r".x", None),  # any character: no shortcut
        (r"[^a]b", None),
        (r"x?", None),  # can match empty
    ],
)
def test_start_chars(pattern: str, expected: str | None) -> None:
    from pipeline.nlp.quantities import start_chars

    got = start_chars(pattern)
    assert (got.pattern if got is not None else None) == expected


def test_quantity_matches_equal_finditer() -> None:
    from pipeline.nlp.numbers import quantity_regex
    from pipeline.nlp.quantities import _quantity_starts, finditer_at

    pat = quantity_regex()
    assert _quantity_starts() is not None
    for t in _random_cjk_texts(3000, 19):
        plain = [(m.span(), m.groupdict()) for m in pat.finditer(t)]
        assert [(m.span(), m.groupdict()) for m in finditer_at(pat, _quantity_starts(), t)] == plain


def test_quantity_guards_change_no_match() -> None:
    """The look-ahead guards in the quantity pattern leave every match and group as it was."""
    from pipeline.nlp.numbers import quantity_pattern

    plain, guarded = re.compile(quantity_pattern(guards=False)), re.compile(quantity_pattern())
    assert plain.groupindex == guarded.groupindex
    for t in _random_cjk_texts(3000, 29) + _random_texts(1000, 31):
        assert [(m.span(), m.groupdict()) for m in guarded.finditer(t)] == [(m.span(), m.groupdict()) for m in plain.finditer(t)]


def test_spread_alternation_equals_plain() -> None:
    """A spread-out alternation finds what the pattern as written finds (finditer and match)."""
    from pipeline.nlp.claims import words
    from pipeline.nlp.quantities import spread

    patterns = ["|".join(f"(?:{p})" for p in words()["time_scopes"]), r"(?:1|2)x|[ab]y|c", r"(?:ab|a)b|[xy]?z", r"(a)|b", r"a|"]
    rng = random.Random(41)
    alphabet = "截至目前今年本上度下半全内以来每累计月底末止为日2019０一二十 \n，。abcxyz12"
    for pattern in patterns:
        plain, fast = re.compile(pattern), spread(pattern)
        for _ in range(5000):
            t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            a = rng.randint(0, len(t))
            b = rng.randint(a, len(t))
            assert [m.span() for m in fast.finditer(t, a, b)] == [m.span() for m in plain.finditer(t, a, b)], (pattern, t)
            m1, m2 = fast.match(t, a, b), plain.match(t, a, b)
            assert (m1 and m1.span()) == (m2 and m2.span()), (pattern, t)


def test_normalize_replacements_equal_translate() -> None:
    from pipeline.ingest.normalize import _TRANSLATE, _translate

    rng = random.Random(23)
    chars = [chr(k) for k in _TRANSLATE] + list("0123456789 .%+-中文")
    for _ in range(3000):
        s = "".join(rng.choice(chars) for _ in range(rng.randint(0, 30)))
        assert _translate(s) == s.translate(_TRANSLATE)


def test_parse_value_fast_paths() -> None:
    """Blank and plain-digit cells give what the general path gives."""
    from pipeline.structure.values import _NUM, ParsedValue, parse_value

    for raw in ("", "0", "7", "0012", "305", "123456789012"):
        for vt in ("int_nonneg", "int_signed", "decimal_nonneg"):
            for hu in (None, "元", "万元"):
                got = parse_value(raw, vt, hu)
                if not raw:
                    assert got == ParsedValue(None, "blank")
                else:
                    assert _NUM.match(raw) and got == ParsedValue(int(raw), "explicit", hu if vt == "decimal_nonneg" else None)


def _flat_tables_plain(text: str) -> list[object]:
    """parse_flat_tables as first written: a list of (offset, line) pairs, a helper per cell."""
    from pipeline.model import RawCell, RawTable

    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1

    def cell(body: str, off: int) -> RawCell:
        stripped = body.strip(" \u00a0\u3000")
        if not stripped:
            return RawCell(text="", start=None, end=None)
        lead = len(body) - len(body.lstrip(" \u00a0\u3000"))
        return RawCell(text=stripped, start=off + lead, end=off + lead + len(stripped))

    def join(c: RawCell, line: str, off: int) -> RawCell:
        stripped = line.strip(" \u00a0\u3000")
        if not stripped:
            return c
        lead = len(line) - len(line.lstrip(" \u00a0\u3000"))
        if c.start is None:
            return RawCell(text=stripped, start=off + lead, end=off + lead + len(stripped))
        return RawCell(text=c.text + stripped, start=c.start, end=off + lead + len(stripped))

    tables, i, n = [], 0, len(lines)
    while i < n:
        if not lines[i][1].startswith("\t"):
            i += 1
            continue
        rows: list[list[RawCell]] = []
        start = end = lines[i][0]
        while i < n and lines[i][1].startswith("\t"):
            row: list[RawCell] = []
            while i < n and lines[i][1].strip(" \u00a0") != "":
                off, line = lines[i]
                if line.startswith("\t"):
                    row.append(cell(line[1:], off + 1))
                elif row:
                    row[-1] = join(row[-1], line, off)
                end = off + len(line)
                i += 1
            rows.append(row)
            if i < n and lines[i][1].strip(" \u00a0") == "":
                i += 1
        tables.append(RawTable(rows=rows, start=start, end=end, layout="flat"))
    return tables


def test_flat_tables_equal_plain_parse() -> None:
    from pipeline.ingest.flat import parse_flat_tables

    rng = random.Random(5)
    pieces = ["\t", "\n", "\n\n", " ", "\u00a0", "\u3000", "a", "1", "本年", "\t \n", "\r"]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert parse_flat_tables(text) == _flat_tables_plain(text), repr(text)


def test_deletions_equal_finditer() -> None:
    from pipeline.ingest.normalize import _DELETE, _deletions

    rng = random.Random(9)
    pieces = ["\r", "\n", "\r\n", "\u200b", "\ufeff", "\u2060", "[", "]", "[bookmark: ", "_GoBack", "a", "年", " ", "[bookmark: x]"]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert [m.span() for m in _deletions(text)] == [m.span() for m in _DELETE.finditer(text)], repr(text)
    long_name = "[bookmark: " + "x" * 85 + "]"
    assert [m.span() for m in _deletions(long_name)] == [m.span() for m in _DELETE.finditer(long_name)]
