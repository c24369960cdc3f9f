"""Splitting run-together digit strings (pipeline.structure.digits)."""

from __future__ import annotations

from pipeline.structure.digits import Token, digit_count, plausibility, split_candidates


def toks(*texts: str) -> list[Token]:
    out, pos = [], 0
    for t in texts:
        out.append(Token(t, pos, pos + len(t)))
        pos += len(t) + 1
    return out


def readings(tokens: list[Token], kinds: list[str]) -> list[list[str]]:
    return [[p.text for p in c] for c in split_candidates(tokens, kinds)]


def test_every_split_without_leading_zeros() -> None:
    got = readings(toks("2045"), ["int"] * 3)
    assert sorted(got) == sorted([["2", "0", "45"], ["20", "4", "5"]])  # 2/04/5 has a leading zero


def test_spaced_tokens_keep_their_boundaries() -> None:
    got = readings(toks("12", "0", "3"), ["int"] * 3)
    assert got == [["12", "0", "3"]]
    # a space is a cell boundary: 1 2 cannot become 12
    assert readings(toks("1", "2"), ["int"]) == []


def test_mixed_spacing_and_run_together() -> None:
    got = readings(toks("30", "00003"), ["int"] * 7)
    assert ["3", "0", "0", "0", "0", "0", "3"] in got
    assert all(len(r) == 7 for r in got)


def test_sign_starts_a_signed_part() -> None:
    got = readings(toks("41-350"), ["int", "signed", "int"])
    assert sorted(got) == sorted([["41", "-35", "0"], ["41", "-3", "50"]])
    # a sign is only allowed in the signed column
    assert readings(toks("4-1"), ["int", "int"]) == []


def test_money_takes_the_decimal_point_and_unit() -> None:
    got = readings(toks("3123.5元"), ["int", "money"])
    assert ["3", "123.5元"] in got and ["31", "23.5元"] in got
    assert all(r[1].endswith("元") for r in got)
    assert readings(toks("7笔", "1200元"), ["int", "money"]) == [["7笔", "1200元"]]


def test_spans_point_into_the_token() -> None:
    (cand,) = [c for c in split_candidates(toks("x", "905")[1:], ["int", "int"]) if c[0].text == "90"]
    assert (cand[0].start, cand[0].end, cand[1].start, cand[1].end) == (2, 4, 4, 5)
    assert all(p.split for p in cand)


def test_too_few_digits_gives_no_split() -> None:
    assert split_candidates(toks("0", "0000"), ["int"] * 6) == []
    assert digit_count(toks("0", "0000")) == 5


def test_plausibility_prefers_similar_lengths() -> None:
    cands = split_candidates(toks("575757"), ["int"] * 3)
    best = min(cands, key=plausibility)
    assert [p.text for p in best] == ["57", "57", "57"]


def test_spaced_row_with_many_digits_is_read_once() -> None:
    """Fifteen spaced values with 26 digits: one reading, found without searching every cut."""
    values = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
    assert [[p.text for p in c] for c in split_candidates(toks(*values), ["int"] * 15)] == [values]


def test_hopeless_runs_give_up() -> None:
    assert split_candidates(toks("7" * 80), ["int"] * 15) == []
