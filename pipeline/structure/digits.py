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

import re
from dataclasses import dataclass

COUNT_UNITS = ("笔", "个", "件", "项", "条", "宗", "起")
MONEY_UNITS = ("万元", "元")
_UNIT_RE = re.compile(r"(万元|元|笔|个|件|项|条|宗|起)$")
_INT = re.compile(r"^(?:0|[1-9]\d*)$")
_SIGNED = re.compile(r"^(?:[+-]?(?:[1-9]\d*)|0)$")
_MONEY = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")
MAX_CANDIDATES = 20000


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
    kind: str  # int | signed | money
    split: bool  # True when the token held more than one value

    @property
    def body(self) -> str:
        return _UNIT_RE.sub("", self.text)

    @property
    def unit(self) -> str | None:
        m = _UNIT_RE.search(self.text)
        return m.group(1) if m else None

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


def _token_splits(tok: Token, kinds: list[str]) -> list[list[Part]]:
    """Every way to cut one token into ``len(kinds)`` parts of the given kinds."""
    m = _UNIT_RE.search(tok.text)
    unit = m.group(1) if m else None
    body = tok.text[: m.start()] if m else tok.text
    n = len(kinds)
    split = n > 1
    out: list[list[Part]] = []

    def rec(pos: int, k: int, acc: list[Part]) -> None:
        if k == n - 1:
            piece = body[pos:]
            if _valid(piece, unit, kinds[k]):
                text = piece + (unit or "")
                out.append([*acc, Part(text, tok.start + pos, tok.end, kinds[k], split)])
            return
        for cut in range(pos + 1, len(body) - (n - 1 - k) + 1):
            piece = body[pos:cut]
            if body[cut] == "." or piece.endswith((".", "+", "-")):
                continue
            if not _valid(piece, None, kinds[k]):
                continue
            rec(cut, k + 1, [*acc, Part(piece, tok.start + pos, tok.start + cut, kinds[k], split)])

    rec(0, 0, [])
    return out


def split_candidates(tokens: list[Token], kinds: list[str], limit: int = MAX_CANDIDATES) -> list[list[Part]]:
    """All cuts of ``tokens`` into ``len(kinds)`` parts (each token gives at least one part)."""
    n = len(kinds)
    if not tokens or digit_count(tokens) < n or len(tokens) > n:
        return []
    out: list[list[Part]] = []

    def rec(ti: int, col: int, acc: list[Part]) -> None:
        if len(out) >= limit:
            return
        left = len(tokens) - ti
        if ti == len(tokens):
            if col == n:
                out.append(acc)
            return
        tok = tokens[ti]
        max_parts = n - col - (left - 1)
        for k in range(1, max_parts + 1):
            for parts in _token_splits(tok, kinds[col : col + k]):
                rec(ti + 1, col + k, acc + parts)

    rec(0, 0, [])
    return out


def plausibility(parts: list[Part]) -> tuple[float, int]:
    """A sort key (lower is more plausible) for candidates the identities cannot tell apart.

    Counts printed side by side tend to have similar magnitudes, so the spread of digit
    lengths over the integer cells is preferred small; a count beside a money amount is
    usually short.  Ties go to the candidate whose earlier cells are longer.
    """
    ints = [len(p.body.lstrip("+-")) for p in parts if p.kind != "money"]
    spread = 0.0
    if len(ints) > 1:
        mean = sum(ints) / len(ints)
        spread = sum((x - mean) ** 2 for x in ints) / len(ints)
    if any(p.kind == "money" for p in parts):
        spread += sum(ints)
    lead = -sum(len(p.body) * (len(parts) - i) for i, p in enumerate(parts))
    return (round(spread, 6), lead)
