"""Splitting run-together digit strings into table cells.

Crawler text dumps print a row's values without separators (``1077`` for 10 / 7 / 7,
``88-720`` for 88 / -72 / 0), sometimes partly spaced (``230 000023``).  A row is a list
of printed *tokens*; each token holds one or more cell values.  :func:`split_candidates`
enumerates every way to cut the tokens into exactly as many parts as the row has
columns, respecting each column's value type:

- ``int``: a non-negative integer without a leading zero (``0`` itself is fine);
- ``signed``: the same with an optional leading ``+``/``-`` (本年增/减); a sign inside a
  token always starts a new part;
- ``money``: a non-negative decimal, possibly followed by a unit (元 / 万元) that closes
  the token.

Choosing among the candidates is the caller's job (the identities decide; see
:mod:`pipeline.structure.lines`); :func:`plausibility` ranks what the identities leave open.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

COUNT_UNITS = ("笔", "个", "件", "项", "条", "宗", "起")
MONEY_UNITS = ("万元", "元")
_UNIT_RE = re.compile(r"(万元|元|笔|个|件|项|条|宗|起)$")
_INT = re.compile(r"^(?:0|[1-9]\d*)$")
_SIGNED = re.compile(r"^(?:[+-]?(?:[1-9]\d*)|0)$")
_MONEY = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")
MAX_CANDIDATES = 20000
MAX_SEARCH = 200000  # cut positions tried at most (an upper bound, before the value types prune)


@dataclass(frozen=True)
class Token:
    """One printed run of digit characters (with an optional unit suffix) and its span."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Part:
    """One cell cut out of a token: its raw text (unit included) and span."""

    text: str
    start: int
    end: int
    kind: str  # int | signed | money | blank (a cell the row did not print)
    split: bool  # True when the token held more than one value
    body: str = field(default="", compare=False)  # the number without its unit
    unit: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.body and self.text:
            m = _UNIT_RE.search(self.text)
            object.__setattr__(self, "body", self.text[: m.start()] if m else self.text)
            object.__setattr__(self, "unit", m.group(1) if m else None)

    def number(self) -> int | float:
        b = self.body
        return float(b) if "." in b else int(b)


def digit_count(tokens: list[Token]) -> int:
    return sum(ch.isdigit() for t in tokens for ch in t.text)


def _valid(body: str, unit: str | None, kind: str) -> bool:
    if not body:
        return False
    if kind == "int":
        return bool(_INT.match(body)) and (unit is None or unit in COUNT_UNITS)
    if kind == "signed":
        return bool(_SIGNED.match(body)) and (unit is None or unit in COUNT_UNITS)
    if kind == "money":
        return bool(_MONEY.match(body)) and (unit is None or unit in MONEY_UNITS)
    return False


@lru_cache(maxsize=4096)
def _cuts(body: str, unit: str | None, kinds: tuple[str, ...]) -> tuple[tuple[int, ...], ...]:
    """Cut positions splitting ``body`` into ``len(kinds)`` valid pieces (memoized)."""
    n = len(kinds)
    out: list[tuple[int, ...]] = []

    def rec(pos: int, k: int, acc: tuple[int, ...]) -> None:
        if k == n - 1:
            if _valid(body[pos:], unit, kinds[k]):
                out.append(acc)
            return
        last = len(body) - (n - 1 - k)
        for cut in range(pos + 1, last + 1):
            piece = body[pos:cut]
            if body[cut] == "." or piece.endswith((".", "+", "-")):
                continue
            if _valid(piece, None, kinds[k]):
                rec(cut, k + 1, (*acc, cut))
            elif piece.lstrip("+-").startswith("0") and len(piece.lstrip("+-")) >= 1 and kinds[k] != "money":
                break  # a leading zero: every longer piece is invalid too

    rec(0, 0, ())
    return tuple(out)


def _token_splits(tok: Token, kinds: list[str]) -> tuple[tuple[Part, ...], ...]:
    return _token_splits_cached(tok, tuple(kinds))


@lru_cache(maxsize=4096)
def _token_splits_cached(tok: Token, kinds: tuple[str, ...]) -> tuple[tuple[Part, ...], ...]:
    """Every way to cut one token into ``len(kinds)`` parts of the given kinds."""
    m = _UNIT_RE.search(tok.text)
    unit = m.group(1) if m else None
    body = tok.text[: m.start()] if m else tok.text
    n = len(kinds)
    if sum(ch.isdigit() for ch in body) < n:
        return ()
    split = n > 1
    out: list[tuple[Part, ...]] = []
    for cuts in _cuts(body, unit, kinds):
        bounds = (0, *cuts, len(body))
        parts = []
        for k in range(n):
            a, b = bounds[k], bounds[k + 1]
            last = k == n - 1
            text = body[a:b] + ((unit or "") if last else "")
            parts.append(Part(text, tok.start + a, tok.end if last else tok.start + b, kinds[k], split, body[a:b], unit if last else None))
        out.append(tuple(parts))
    return tuple(out)


def _cut_count(digits: list[int], n: int) -> int:
    """How many ways there are to cut tokens of these digit counts into ``n`` parts (types ignored)."""
    ways = [1] + [0] * n  # ways[k]: cuts of the tokens so far into k parts
    for d in digits:
        nxt = [0] * (n + 1)
        for k, w in enumerate(ways):
            if w:
                for j in range(1, min(d, n - k) + 1):
                    nxt[k + j] += w * math.comb(d - 1, j - 1)
        ways = nxt
    return ways[n]


def split_candidates(tokens: list[Token], kinds: list[str], limit: int = MAX_CANDIDATES) -> list[list[Part]]:
    """All cuts of ``tokens`` into ``len(kinds)`` parts (each token gives at least one part)."""
    n = len(kinds)
    if not tokens or digit_count(tokens) < n or len(tokens) > n:
        return []
    digits = [sum(ch.isdigit() for ch in t.text) for t in tokens]
    if _cut_count(digits, n) > MAX_SEARCH:
        return []  # far more digits than cells: not a row of this table, or too garbled to read
    out: list[list[Part]] = []

    def rec(ti: int, col: int, acc: list[Part]) -> None:
        if len(out) >= limit:
            return
        if ti == len(tokens):
            if col == n:
                out.append(acc)
            return
        left_after = len(tokens) - ti - 1
        lo = 1 if left_after else n - col
        hi = min(digits[ti], n - col - left_after)
        rest_digits = sum(digits[ti + 1 :])
        lo = max(lo, n - col - rest_digits)
        for k in range(lo, hi + 1):
            for parts in _token_splits(tokens[ti], kinds[col : col + k]):
                rec(ti + 1, col + k, acc + list(parts))

    rec(0, 0, [])
    return out


def plausibility(parts: list[Part]) -> tuple[float, int]:
    """A sort key (lower is more plausible) for candidates the identities cannot tell apart.

    Counts printed side by side tend to have similar lengths, so the variance of the digit
    lengths of the non-money cells is preferred small; ties go to the candidate whose
    earlier cells are longer.  Table-specific priors (pipeline/data/splits.yaml) come first
    and are applied by the caller.
    """
    lens = [len(p.body.lstrip("+-")) for p in parts if p.kind != "money"]
    score = 0.0
    if len(lens) > 1:
        mean = sum(lens) / len(lens)
        score = sum((x - mean) ** 2 for x in lens) / len(lens)
    lead = -sum(len(p.body) * (len(parts) - i) for i, p in enumerate(parts))
    return (round(score, 6), lead)
