"""The linker's speed shortcuts give exactly what the plain code gives (docs/batch.md, run G)."""

from __future__ import annotations

import random
import re

from pipeline.nlp import linker as L

# characters that matter to the rewritten patterns: spaces, line breaks, sentence ends, numerals
ALPHABET = " \t\u3000\u00a0\n。！!？?；;：:，,、0129０.．零一十万亿a中网站"


def _random_texts(n: int, seed: int, longest: int = 30) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def test_join_layout_breaks_equals_regex() -> None:
    for t in _random_texts(40000, 1):
        assert L.join_layout_breaks(t) == L._LAYOUT_BREAK.sub("", t), repr(t)


def test_class_first_patterns_equal_plain_forms() -> None:
    """_DIGITS and _SPACES open with a character class; the plain forms they replace give the same substitutions."""
    digits = re.compile(r"[0-9０-９.．,，]+|[零一二两三四五六七八九十百千万亿]+")
    spaces = re.compile(r"[ \t\u3000\u00a0]+")
    for t in _random_texts(20000, 2):
        assert L._DIGITS.sub("0", t) == digits.sub("0", t), repr(t)
        assert L._SPACES.sub("", t) == spaces.sub("", t), repr(t)


def test_named_in_equals_substring_test() -> None:
    words = [w for kind in ("topics", "channels") for _, ws in L._word_table(kind) for w in ws]
    rng = random.Random(3)
    for _ in range(3000):
        t = "".join(rng.choice(words) if rng.random() < 0.2 else rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))
        for kind in ("topics", "channels"):
            assert L.named_in(t, kind) == [k for k, ws in L._word_table(kind) if any(w in t for w in ws)]


def test_feature_groups_give_the_features_hits() -> None:
    """The model looks grouped features up per kind; that gives the columns, weights and logits
    that looking up the feature strings gives, on every labeled context."""
    model = L.load_model()
    if model is None:
        import pytest

        pytest.skip("no trained linker in models/")
    examples = L.load_contexts()[::7]
    groups = [L.feature_groups(e.text, e.start, e.end) for e in examples]
    strings = [L.features(e.text, e.start, e.end) for e in examples]
    assert strings == [[k + ":" + v for k, vs in g for v in vs] for g in groups]
    for g, s in zip(groups, strings, strict=True):
        assert model._hits(g) == model._hits(s)
    assert (model.logits_many(groups) == model.logits_many(strings)).all()
