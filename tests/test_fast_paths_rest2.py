"""Issue 7: fast paths outside pipeline/nlp (round 2) give the same results as the plain forms."""

from __future__ import annotations

import random
import re
import sys

from pipeline.ingest.normalize import _DELETE, _deletions
from pipeline.reconcile.narrative_narrative import _NUMBER_TAIL
from pipeline.structure.sections import _text_lines
from pipeline.structure.tables import _WS


def test_deletions_match_finditer_on_random_strings() -> None:
    rng = random.Random(7)
    pieces = ["\r", "\n", "\r\n", "[", "]", "[bookmark: ", "[bookmark: _GoBack]", "a", "年", " ", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "x" * 90]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        fast = [(m.start(), m.end()) for m in _deletions(text)]
        plain = [(m.start(), m.end()) for m in _DELETE.finditer(text)]
        assert fast == plain, text


def test_text_lines_are_the_nonempty_untabbed_lines() -> None:
    rng = random.Random(11)
    pieces = ["\n", "\t", "\n\t", "\n\n", " ", "一、", "总体情况", "a", "\u3000", "\r"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        plain, off = [], 0
        for line in text.split("\n"):
            if line and line[0] != "\t":
                plain.append((off, line))
            off += len(line) + 1
        assert list(_text_lines(text)) == plain, repr(text)


def test_whitespace_removal_by_split_equals_ws_sub() -> None:
    # every code point: _WS matches it exactly when str.split() splits on it
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        assert bool(_WS.fullmatch(ch)) == ch.isspace(), hex(cp)
    rng = random.Random(5)
    pieces = [" ", "\t", "\n", "\u00a0", "\u3000", "\u2028", "\x1c", "\x85", "\u200b", "本年新收", "a", "0"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert "".join(text.split()) == _WS.sub("", text)


def test_number_tail_equals_plus_form() -> None:
    plain = re.compile(r"[\d０-９零一二两三四五六七八九十百千万亿]+[^\d]*$")
    rng = random.Random(3)
    pieces = ["1", "２", "十", "万", "件", "共", "收到", "。", " ", "\u0663"]
    for _ in range(3000):
        span = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        a, b = _NUMBER_TAIL.search(span), plain.search(span)
        assert (a and a.span()) == (b and b.span()), span
