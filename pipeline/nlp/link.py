"""Indicator linking: what does each claim count?

Three steps, in order:

1. rules for unambiguous phrasings (``link_rules`` in ``data/claims.yaml``);
2. the trained linker (:mod:`pipeline.nlp.linker`, ``models/linker``) for everything else:
   a calibrated probability over canonical/derived ids, topic keys (``data/topics.yaml``) and
   ``none``;
3. when the model's label is website or 主动公开 (or none, for the rules marked ``model: none``),
   the publication-channel rules (``channel_decision`` in ``data/topics.yaml``) decide from the
   channels named in the quantity's comma phrase, its list's parent or head, or its sentence
   (:func:`pipeline.nlp.linker.channel_decision`; the rule's name is in the explanation).

The link's confidence goes into ``Claim.confidence``: a reconciliation rule that would fail on
a link weaker than :data:`WEAK_LINK` reports ``uncertain`` instead.  Ids whose cell depends on
the template (``t2.normative_docs.issued`` vs ``new_made``) are resolved with ``link_versions``:
here from the template markers printed in the text, again in reconcile from the parsed table.

Public API::

    link_span(text, qstart, qend, unit) -> LinkResult
    link_claims(text, claims, quantities) -> claims (indicator/confidence/explanation set in place)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pipeline.data import indicators, load_yaml
from pipeline.model import Claim, Quantity

if TYPE_CHECKING:
    from pipeline.nlp.linker import ChannelContext

RULE_CONFIDENCE = 0.95
WEAK_LINK = 0.6  # below: a failing check becomes uncertain
LINK_FLOOR = 0.3  # below: no link at all
COUNT_UNITS = {"件", "条", "起", "宗", "个", "次", "份", "项", "笔", "部"}

_CLAUSE_START_CHARS = "。；;，,：:！？!?\n"  # clause and sentence ends, one character each
_SENT_CHARS = "。；;！!？?\n"
_SENT = re.compile(f"[{re.escape(_SENT_CHARS)}]")


@dataclass
class LinkResult:
    indicator: str | None
    confidence: float
    method: str  # rule | model | none
    explanation: str
    alternatives: list[tuple[str, float]] = field(default_factory=list)


@lru_cache(maxsize=1)
def link_rules() -> list[dict[str, Any]]:
    out = []
    for r in load_yaml("claims.yaml")["link_rules"]:
        out.append(
            {
                **r,
                "_context": re.compile(r["context"]) if r.get("context") is not None else None,
                "_mention": re.compile(r["mention"]) if r.get("mention") else None,
                "_after": re.compile(r["after"]) if r.get("after") else None,
                "_sentence": re.compile(r["sentence"]) if r.get("sentence") else None,
                "_sentence_not": re.compile(r["sentence_not"]) if r.get("sentence_not") else None,
            }
        )
    return out


@lru_cache(maxsize=1)
def link_versions() -> dict[str, dict[str, str | None]]:
    return load_yaml("claims.yaml").get("link_versions") or {}


def clause_before(text: str, pos: int, limit: int = 40) -> tuple[int, str]:
    """Start and text of the clause that ends at ``pos`` (text from the previous punctuation mark)."""
    from pipeline.nlp.linker import last_end

    lo = max(0, pos - limit)
    seg = text[lo:pos]
    cut = last_end(seg, _CLAUSE_START_CHARS)
    return lo + cut, seg[cut:]


def _flat_clause(text: str, pos: int, limit: int = 60) -> str:
    """The clause ending at ``pos`` as read (layout line breaks and spaces removed)."""
    from pipeline.nlp.linker import flat, last_end

    seg = flat(text[max(0, pos - limit) : pos])
    cut = last_end(seg, _CLAUSE_START_CHARS)
    return seg[cut:][-40:]


def _flat_sentence(text: str, start: int, end: int, limit: int = 160) -> str:
    from pipeline.nlp.linker import flat, last_end

    left = flat(text[max(0, start - limit) : start])
    right = flat(text[end : end + limit])
    cut = last_end(left, _SENT_CHARS)
    m = _SENT.search(right)
    return left[cut:] + flat(text[start:end]) + (right[: m.start()] if m else right)


def _unit_ok(rule: dict[str, Any], unit: str | None) -> bool:
    units = rule.get("units")
    if not units:
        return True
    if unit is None:
        return False
    if unit in units:
        return True
    # counts are interchangeable in prose (report-format.md §11)
    return unit in COUNT_UNITS and any(u in COUNT_UNITS for u in units)


@lru_cache(maxsize=64)
def _rules_for_unit(unit: str | None) -> tuple[dict[str, Any], ...]:
    """The link rules with a ``context`` whose units admit ``unit``, in file order."""
    return tuple(r for r in link_rules() if r["_context"] is not None and _unit_ok(r, unit))


@lru_cache(maxsize=64)
def _mention_rules(unit: str | None) -> tuple[dict[str, Any], ...]:
    """The link rules that read only the quantity as written (a ``mention`` and no ``context``) whose
    units admit ``unit``, in file order: tried before the others."""
    return tuple(r for r in link_rules() if r["_context"] is None and _unit_ok(r, unit))


@lru_cache(maxsize=64)
def _any_context(unit: str | None) -> re.Pattern[str] | None:
    """One alternation of the ``context`` patterns of :func:`_rules_for_unit`: it finds a match in
    a clause exactly when one of them does (at each position each branch is tried).  None when a
    pattern has a capturing group (a back-reference would change meaning once numbered anew), when
    the patterns do not combine, or when there is no rule to try."""
    pats = [r["_context"] for r in _rules_for_unit(unit)]
    if not pats or any(p.groups or p.flags != re.UNICODE for p in pats):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in pats))
    except re.error:
        return None


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` behind a look-ahead for the characters its matches can open with after the first
    position (:func:`pipeline.nlp.quantities.start_chars` with ``after_first``): ``search`` from
    position 1 finds a match exactly where ``pattern`` would, but at a position where no match can
    open one class is tried instead of the whole pattern (an alternation that does not open with
    literals is tried branch by branch at every character).  None when those characters are not
    known: the caller then searches with ``pattern`` itself."""
    from pipeline.nlp import quantities

    if pattern.flags != re.UNICODE:
        return None
    starts = quantities.start_chars(pattern.pattern, after_first=True)
    return None if starts is None else quantities.guarded(pattern, starts)


@lru_cache(maxsize=64)
def _guarded_context(unit: str | None) -> re.Pattern[str] | None:
    """:func:`guarded` of :func:`_any_context`."""
    any_context = _any_context(unit)
    return None if any_context is None else guarded(any_context)


def _context_found(unit: str | None, ctx: str) -> bool:
    """Whether the context pattern of some link rule for ``unit`` matches in ``ctx`` (true when there
    is no combined pattern to try): :func:`_any_context` tried at the first position, then
    :func:`_guarded_context` at the others."""
    any_context = _any_context(unit)
    if any_context is None:
        return True
    guarded = _guarded_context(unit)
    if guarded is None:
        return any_context.search(ctx) is not None
    return any_context.match(ctx) is not None or guarded.search(ctx, 1) is not None


def rule_link(text: str, qstart: int, qend: int, unit: str | None) -> tuple[dict[str, Any], str] | None:
    """The first rule whose patterns match the quantity's clause, and the clause: a rule reading only
    the quantity as written (:func:`_mention_rules`) first, then the rules with a context."""
    from pipeline.nlp.linker import flat

    ctx = _flat_clause(text, qstart)
    mention: str | None = None  # the quantity as written, built when a rule needs it
    for rule in _mention_rules(unit):
        if mention is None:
            mention = flat(text[qstart:qend])
        if rule["_mention"].search(mention):
            return rule, ctx
    if not _context_found(unit, ctx):
        return None  # no rule's context matches
    sent: str | None = None  # built when a rule needs it
    after: str | None = None
    for rule in _rules_for_unit(unit):
        if not rule["_context"].search(ctx):
            continue
        if rule["_mention"]:
            if mention is None:
                mention = flat(text[qstart:qend])
            if not rule["_mention"].search(mention):
                continue
        if rule["_after"]:
            if after is None:
                after = flat(text[qend : qend + 32])
            if not rule["_after"].search(after):
                continue
        if rule["_sentence"] or rule["_sentence_not"]:
            if sent is None:
                sent = _flat_sentence(text, qstart, qend)
            if rule["_sentence"] and not rule["_sentence"].search(sent):
                continue
            if rule["_sentence_not"] and rule["_sentence_not"].search(sent):
                continue
        return rule, ctx
    return None


@lru_cache(maxsize=1)
def _markers() -> dict[str, list[str]]:
    tv = indicators()["template_versions"]
    return {v: [m for m in tv[v]["markers"] if "号" not in m] for v in ("v2019", "v2021")}


def text_template(text: str) -> str | None:
    """The template whose table-二 markers the text prints (None when neither or a tie)."""
    counts = {v: sum(1 for m in ms if m in text) for v, ms in _markers().items()}
    if counts["v2019"] == counts["v2021"]:
        return None
    return max(counts, key=counts.__getitem__)


def resolve_version(indicator: str | None, template: str | None) -> str | None:
    """Map a version-neutral id to the template's cell (None when the template has no counterpart)."""
    if indicator is None or template not in ("v2019", "v2021"):
        return indicator
    m = link_versions().get(indicator)
    if m is None or template not in m:
        return indicator
    return m[template]


def _rule_result(rule: dict[str, Any], ctx: str, template: str | None) -> LinkResult:
    ind = resolve_version(rule["indicator"], template)
    why = f" ({rule['why']})" if rule.get("why") else ""
    return LinkResult(ind, float(rule.get("confidence", RULE_CONFIDENCE)), "rule", f"rule {rule['indicator'] or 'none'}{why}: clause '{ctx}'")


_NO_MODEL = LinkResult(None, 0.0, "none", "no rule matched and no trained linker is installed (run `nianbao train`)")


def _model_result(lab: str | None, p: float, top: list[tuple[str, float]], template: str | None) -> LinkResult:
    alts = ", ".join(f"{k} {v:.2f}" for k, v in top)
    if lab is None:
        return LinkResult(None, round(p, 4), "model", f"linker: counts nothing checkable (p={p:.2f}; {alts})", top)
    if p < LINK_FLOOR:
        return LinkResult(None, round(p, 4), "model", f"linker: no confident link (best {lab} p={p:.2f}; {alts})", top)
    ind = resolve_version(lab, template)
    weak = " (weak link)" if p < WEAK_LINK else ""
    return LinkResult(ind, round(p, 4), "model", f"linker: {lab} p={p:.2f}{weak}; {alts}", top)


def _channel_result(
    text: str,
    span: tuple[int, int, str | None],
    lab: str | None,
    p: float,
    top: list[tuple[str, float]],
    template: str | None,
    context: ChannelContext | None = None,
) -> LinkResult | None:
    """The publication-channel decision (:func:`pipeline.nlp.linker.channel_override`) when it
    changes the model's website / 主动公开 label or confirms it with more confidence; None otherwise.  ``context``: the quantity's
    :data:`pipeline.nlp.linker.ChannelContext` from the model's features."""
    from pipeline.nlp.linker import channel_override

    changed = channel_override(text, span[0], span[1], lab, p, top, context)
    if changed is None:
        return None
    ind, conf, name = changed
    alts = ", ".join(f"{k} {v:.2f}" for k, v in top)
    how = "confirmed by" if ind == lab else "by"
    return LinkResult(resolve_version(ind, template), conf, "model", f"linker: {ind} {how} channel rule {name} (model {lab} p={p:.2f}); {alts}", top)


def link_spans(text: str, spans: list[tuple[int, int, str | None]], template: str | None = None) -> list[LinkResult]:
    """Link every quantity ``(start, end, unit)`` of ``text``: rules first, the model (one batch) for the rest."""
    out: list[LinkResult | None] = []
    todo: list[int] = []
    for i, (qs, qe, unit) in enumerate(spans):
        hit = rule_link(text, qs, qe, unit)
        if hit is None:
            todo.append(i)
            out.append(None)
        else:
            out.append(_rule_result(hit[0], hit[1], template))
    if todo:
        from pipeline.nlp.linker import load_model

        model = load_model()
        if model is None:
            for i in todo:
                out[i] = _NO_MODEL
        else:
            contexts: list[ChannelContext] = []
            preds = model.predict_many(text, [(spans[i][0], spans[i][1]) for i in todo], contexts)
            for i, (lab, p, top), context in zip(todo, preds, contexts, strict=True):
                out[i] = _channel_result(text, spans[i], lab, p, top, template, context) or _model_result(lab, p, top, template)
    return [r for r in out if r is not None]


def link_span(text: str, qstart: int, qend: int, unit: str | None = None, template: str | None = None) -> LinkResult:
    """Link the quantity at ``text[qstart:qend]``."""
    return link_spans(text, [(qstart, qend, unit)], template)[0]


def link_claims(text: str, claims: list[Claim], quantities: list[Quantity] | None = None, template: str | None = None) -> list[Claim]:
    """Set ``indicator``, ``confidence`` and ``explanation`` of every quantity claim in place.

    Zero statements that already carry an indicator keep it.  ``template`` defaults to the
    template the text's table labels show (:func:`text_template`).
    """
    qmap = {q.id: q for q in quantities or []}
    template = template or text_template(text)
    todo: list[tuple[Claim, tuple[int, int, str | None]]] = []
    for c in claims:
        if c.polarity == "zero" and c.indicator:
            c.indicator = resolve_version(c.indicator, template)
            continue
        q = qmap.get(c.quantity_id or "")
        if q is not None:
            if q.kind not in ("count", "money"):
                c.indicator, c.confidence = None, 1.0
                c.explanation = (c.explanation + "; " if c.explanation else "") + f"not linked: a {q.kind} has no cell"
                continue
            todo.append((c, (q.start, q.end, q.unit)))
        else:
            todo.append((c, (c.start, c.end, c.unit)))
    for (c, _), res in zip(todo, link_spans(text, [span for _, span in todo], template), strict=True):
        c.indicator = res.indicator
        c.confidence = res.confidence
        c.explanation = (c.explanation + "; " if c.explanation else "") + res.explanation
    inherit_topics(claims)
    return claims


def inherit_topics(claims: list[Claim]) -> None:
    """A 其中 part (relation part_of) of a claim about a narrative-only topic counts the same
    topic: it takes the parent's topic when its own link is weak, a weak none included.  A
    confident none stays (the 依申请公开信息数 part of a 制作、获取 total counts no topic)."""
    by_id = {c.id: c for c in claims}
    for c in claims:
        r = c.relation or {}
        parent = by_id.get(r.get("parent", "")) if r.get("type") == "part_of" else None
        if parent is None or not (parent.indicator or "").startswith("topic.") or parent.confidence < WEAK_LINK:
            continue
        if c.unit == "%" or c.confidence >= WEAK_LINK:
            continue
        c.indicator = parent.indicator
        c.confidence = round(min(parent.confidence, 0.9), 4)
        c.explanation += f"; part of {parent.id} ({parent.indicator})"
