"""Fast paths of the quantity recognizer and claim builder equal the plain forms they replace."""

from __future__ import annotations

import bisect
import random
import re

from pipeline.nlp import claims as C
from pipeline.nlp.quantities import _trap_chars, _trap_patterns, present_chars

_ALPHABET = "（(）)。；;！!？?\n 　\t没未无零申请复议诉讼收费一2x，,"


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 60))) for _ in range(n)]


def _open_bracket_plain(text: str, lo: int, pos: int) -> int | None:
    depth = 0
    for i in range(pos - 1, lo - 1, -1):
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                return i
            depth -= 1
    return None


def test_open_bracket_equals_character_loop() -> None:
    rng = random.Random(7)
    for t in _random_texts(3000, 1):
        for _ in range(3):
            lo = rng.randrange(0, len(t) + 1)
            pos = rng.randrange(0, len(t) + 1)
            assert C._open_bracket(t, lo, pos) == _open_bracket_plain(t, lo, pos), (t, lo, pos)


def test_sentences_with_equals_filtered_sentences() -> None:
    starts, _ = C._zero_prefilter()
    assert starts is not None
    chars = re.compile("[没未无零一x]")
    rng = random.Random(3)
    for t in _random_texts(3000, 2):
        start = rng.randrange(0, len(t) + 1)
        end = rng.randrange(start, len(t) + 1)
        for cls in (starts, chars):
            plain = [(s, e) for s, e in C.sentences(t, start, end) if cls.search(t[s:e])]
            assert C.sentences_with(t, start, end, cls) == plain, (t, start, end)


def test_zero_prefilter_rejects_break_and_space_characters() -> None:
    starts, _ = C._zero_prefilter()
    assert starts is not None
    assert starts.search(C._SENT_BREAK_CHARS + C._white_space()) is None
    assert set(C._white_space()) == {chr(i) for i in range(0x110000) if chr(i).isspace()}


def test_trap_characters_present_equal_class_findall() -> None:
    # the former form: one class of every required character, matched at every position
    chars = sorted({ch for _, _, needs in _trap_patterns() for sets in needs for ch in sets})
    flt = re.compile("[" + "".join(map(re.escape, chars)) + "]")
    rng = random.Random(5)
    pool = "".join(_trap_chars()) + "的了是在和有x"
    for _ in range(2000):
        t = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 40)))
        assert present_chars(t, _trap_chars()) == set(flt.findall(t))


def test_greatest_end_by_bisect_equals_max() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        ends_raw = [rng.randrange(0, 50) for _ in range(rng.randrange(0, 8))]
        ends = sorted(ends_raw)
        pos, cs = rng.randrange(0, 50), rng.randrange(0, 50)
        plain = max(cs, max((e for e in ends_raw if e <= pos and e > cs), default=cs))
        k = bisect.bisect_right(ends, pos)
        fast = ends[k - 1] if k and ends[k - 1] > cs else cs
        assert fast == plain


def test_zero_pattern_selection_equals_any_character_test() -> None:
    _, needs = C._zero_prefilter()
    for t in _random_texts(2000, 9):
        present = C.present_chars(t, C._zero_chars())
        for nd in needs:
            plain = all(any(ch in t for ch in chars) for chars in nd)
            assert C.meets(present, nd) == plain, (t, nd)
