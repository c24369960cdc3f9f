"""Fast paths in pipeline.nlp.numbers: cached Decimal constants give the same Decimals."""

from __future__ import annotations

from decimal import Decimal

from pipeline.nlp.numbers import _factor, grammar


def test_factor_cache_keeps_decimal_exponent() -> None:
    factors = [f for _, _, f in grammar()["units"].values()] + [1, 1.0, 0.5, 10, 10.0]
    for f in factors + factors:  # the second round is served from the cache
        assert _factor(f).as_tuple() == Decimal(str(f)).as_tuple()
