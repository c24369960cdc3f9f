"""The linker's speed shortcuts give exactly what the plain code gives (docs/batch.md, run G)."""

from __future__ import annotations

import math
import random
import re
from collections import Counter

import numpy as np

from pipeline.nlp import linker as L

# the plain forms the linker's shortcuts are checked against
LAYOUT_BREAK = re.compile(r"(?<![。！!？?；;：:])[ \t\u3000]*\n[ \t\u3000]*")
FULL_PUNCT = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})

# characters that matter to the rewritten patterns: spaces, line breaks, sentence ends, numerals
ALPHABET = " \t\u3000\u00a0\n。！!？?；;：:，,、0129０.．零一十万亿a中网站"


def _random_texts(n: int, seed: int, longest: int = 30) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def test_flat_equals_plain_form() -> None:
    """flat: the layout breaks removed, then every run of spaces (the plain form it replaces)."""
    spaces = re.compile(r"[ \t\u3000\u00a0]+")
    for t in _random_texts(40000, 1):
        assert L.flat(t) == spaces.sub("", LAYOUT_BREAK.sub("", t)), repr(t)


def test_class_first_patterns_equal_plain_forms() -> None:
    """_DIGITS opens with a character class; the plain form it replaces gives the same substitutions."""
    digits = re.compile(r"[0-9０-９.．,，]+|[零一二两三四五六七八九十百千万亿]+")
    for t in _random_texts(20000, 2):
        assert L._DIGITS.sub("0", t) == digits.sub("0", t), repr(t)


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
        assert model._columns(g) == model._columns(s)
    assert (model.logits_many(groups) == model.logits_many(strings)).all()


def test_full_width_and_ngrams_equal_plain_forms() -> None:
    """_full_width replaces the marks one by one (plain form: ``translate``); _ngrams builds each
    n-gram from the shorter one (plain form: slicing)."""
    alphabet = ALPHABET + ",;:()!?（）"
    rng = random.Random(4)
    for _ in range(20000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert L._full_width(t) == t.translate(FULL_PUNCT), repr(t)
        for lo, hi in ((1, 3), (2, 2), (1, 2), (1, 1), (3, 3)):
            assert L._ngrams(t, lo, hi) == [t[i : i + n] for n in range(lo, hi + 1) for i in range(len(t) - n + 1)]


def test_top3_equals_stable_argsort() -> None:
    """_top3 gives the first three columns of a stable descending argsort, ties included."""

    rng = np.random.default_rng(5)
    for ncols in (1, 2, 3, 4, 60):
        for _ in range(300):
            p = rng.choice([0.0, 0.1, 0.25, 0.5, 1.0, 1e-300], size=(rng.integers(1, 6), ncols))
            if rng.random() < 0.5:
                p = rng.random(p.shape)
            assert L._top3(p) == np.argsort(-p, axis=1, kind="stable")[:, :3].tolist()


def _row_hits(model: L.LinkerModel, feats: list[str]) -> tuple[list[int], list[float], float]:
    """The plain form of one row's weights: columns and sublinear tf-idf weights of the known
    feature strings in first-seen order, and their l2 norm."""
    hits = [(model.vocab[f], float(model.idf[model.vocab[f]])) for f in feats if f in model.vocab]
    vec = dict(hits)
    for i, n in Counter(i for i, _ in hits).items():
        if n > 1:
            vec[i] = (1.0 + math.log(n)) * vec[i]
    vals = list(vec.values())
    return list(vec), vals, math.sqrt(sum(v * v for v in vals)) or 1.0


def _logits_one_by_one(model: L.LinkerModel, feats: list) -> np.ndarray:
    """The plain form of logits_many: each row's weights from the feature strings (groups joined
    into them), one gather and one reduction."""

    idx: list[int] = []
    val: list[float] = []
    norms: list[float] = []
    starts: list[int] = []
    nonempty: list[int] = []
    for i, f in enumerate(feats):
        if f and isinstance(f[0], tuple):
            f = [k + ":" + v for k, vs in f for v in vs]
        keys, vals, norm = _row_hits(model, f)
        if keys:
            nonempty.append(i)
            starts.append(len(idx))
            norms.append(norm)
            idx.extend(keys)
            val.extend(vals)
    z = np.tile(model._intercept, (len(feats), 1))
    if idx:
        counts = np.diff(np.append(np.array(starts, dtype=np.int64), len(idx)))
        w = np.array(val) / np.repeat(np.array(norms), counts)
        z[nonempty] += np.add.reduceat(model._coef_t[np.array(idx)] * w[:, None], starts, axis=0)
    return z


def test_logits_many_equals_row_by_row_hits() -> None:
    """The batched logits (np.unique over row and column) are bit-identical to the row-by-row form,
    with empty rows, unknown features and repeated features, for groups and feature strings."""

    model = L.load_model()
    if model is None:
        import pytest

        pytest.skip("no trained linker in models/")
    examples = L.load_contexts()
    groups = [L.feature_groups(e.text, e.start, e.end) for e in examples]
    rng = random.Random(6)
    batches = [groups[i : i + 9] for i in range(0, len(groups), 9)]
    batches += [[[("zz", ["x"])], *groups[:3], [("c", ["no such feature"])]], [[]], []]
    batches += [[[(k, vs * rng.randint(1, 3)) for k, vs in g] for g in rng.sample(groups, 5)] for _ in range(40)]
    for b in batches:
        assert np.array_equal(model.logits_many(b), _logits_one_by_one(model, b))
        strings = [[k + ":" + v for k, vs in g for v in vs] for g in b]
        assert np.array_equal(model.logits_many(strings), _logits_one_by_one(model, strings))


def test_any_context_equals_each_rule() -> None:
    """rule_link's alternation of the context patterns finds a match exactly when one of the link
    rules' context patterns does, for every unit, on clauses made of the rules' own wording."""
    from pipeline.nlp import link as K

    pieces = sorted({p for r in K.link_rules() for p in re.findall(r"[\u4e00-\u9fff]+", r.get("context") or "")})
    units = sorted({u for r in K.link_rules() for u in r.get("units") or []}) + [None, "%"]
    rng = random.Random(7)
    for _ in range(3000):
        ctx = "".join(rng.choice(pieces) if rng.random() < 0.4 else rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))
        for unit in units:
            combined = K._any_context(unit)
            if not K._rules_for_unit(unit):
                assert combined is None
                continue
            assert combined is not None
            assert bool(combined.search(ctx)) == any(r["_context"].search(ctx) for r in K._rules_for_unit(unit)), (unit, ctx)


def test_context_found_equals_each_rule() -> None:
    """rule_link's guarded alternation (the look-ahead for the characters a match opens with, after
    the first position) finds a match exactly when one of the link rules' context patterns does."""
    from pipeline.nlp import link as K

    pieces = sorted({p for r in K.link_rules() for p in re.findall(r"[\u4e00-\u9fff]+", r.get("context") or "")})
    chars = sorted({ch for p in pieces for ch in p})
    units = sorted({u for r in K.link_rules() for u in r.get("units") or []}) + [None, "%"]
    assert K._guarded_context("件") is not None
    rng = random.Random(8)
    for _ in range(4000):
        ctx = "".join(
            rng.choice(pieces) if rng.random() < 0.4 else rng.choice(chars) if rng.random() < 0.3 else rng.choice(ALPHABET) for _ in range(rng.randint(0, 10))
        )
        for unit in units:
            want = any(r["_context"].search(ctx) for r in K._rules_for_unit(unit)) or K._any_context(unit) is None
            assert K._context_found(unit, ctx) == want, (unit, ctx)


def test_guarded_patterns_find_what_the_plain_ones_find() -> None:
    """guarded: search from position 1 (after a match at position 0) agrees with the plain search,
    for patterns opening with anchors, look-arounds, optional and repeated parts and branches."""
    from pipeline.nlp.link import guarded

    patterns = [
        r"(?:^|其中|、)\s*(?:同意|予以)?公开答复[^。，]{0,2}$",
        r"(?<!不)(?:予以公开|同意公开)[^。，及]{0,4}$",
        r"(?:本年(?:度)?|今年)?[0-9]{0,2}(?:制发|印发)规章$",
        r"(?:另有|尚有)$",
        r"^(?:(?!公示|公开)[^。，])*行政许可|(?:另有|尚有)$",
        r"(?:a|b)*c+d",
        r"[0-9a-c]{1,3}(?=x)y|z",
        r"(?:x?|y)z",
        r"(?>ab|a)c",
        r"a*+b",
        r"(a)\1",
        r"\w+x",  # a category: read since the guard uses quantities.start_chars
    ]
    text_chars = "abcdxyz0159。，、不其中同意予以公开答复本年度今印发制规章另有尚示行政许可 "
    rng = random.Random(9)
    for pat in patterns:
        plain = re.compile(pat)
        g = guarded(plain)
        assert g is not None, pat
        for _ in range(3000):
            s = "".join(rng.choice(text_chars) for _ in range(rng.randint(0, 12)))
            assert bool(plain.search(s)) == bool(plain.match(s) or g.search(s, 1)), (pat, s)
    for pat in [r"(?:本年|今年)?[^。，]{0,4}规章", r"[^a]b", r".b", r"(?i)ab", r"a?", r"$"]:
        assert guarded(re.compile(pat)) is None, pat
