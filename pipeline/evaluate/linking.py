"""Linking accuracy and finding precision/recall against gold (docs/gold-format.md).

For the eval command::

    from pipeline.evaluate.linking import link_scores, finding_scores, linker_scores

    link_scores(pairs)      # pairs: iterable of (record dict, Gold)
      -> {"n": gold claims, "matched": ..., "correct": ..., "accuracy": correct / n,
          "accuracy_on_matched": correct / matched, "errors": [...]}
    finding_scores(pairs, count_uncertain=False)
      -> {"overall": {tp, fp, fn, precision, recall, f1},
          "by_rule": {rule: {...}}, "by_family": {family: {...}}, "errors": [...]}
    linker_scores(golds)    # the linker alone on gold claim spans (no quantity finder involved)
      -> same keys as link_scores

Matching rules:

- a gold claim matches the record claim whose span ends where it ends (the quantity's end;
  among several, the one with the gold's indicator), else the record claim that overlaps it most; a gold claim no record claim overlaps counts as wrong
  (``accuracy``) and is left out of ``accuracy_on_matched``;
- indicators compare after mapping version-neutral ids to the record's table-二 template
  (``t2.normative_docs.issued`` == ``t2.normative_docs.new_made`` in a v2019 report); ``null``
  and ``"none"`` are the same;
- a gold finding ``{rule, status: fail, indicator?}`` is found when the record has a finding
  with that rule, status ``fail`` (or ``uncertain`` when ``count_uncertain``) and, if the gold
  names an indicator, evidence on a claim linked to it or on that cell (a prefix match on
  the id, so ``identity.t3_balance`` matches ``identity.t3_balance__total``).  Record failures no
  gold entry explains are false positives only in gold files with ``findings_complete: true``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.evaluate.gold import Gold
from pipeline.nlp.link import resolve_version


def _norm(ind: str | None, template: str | None) -> str | None:
    if ind in (None, "none", ""):
        return None
    return resolve_version(ind, template)


def _t2_template(record: dict[str, Any]) -> str | None:
    for t in record.get("tables", []):
        if t.get("key") == "t2":
            return t.get("template")
    return (record.get("meta") or {}).get("template")


def match_claim(gold_claim: dict[str, Any], claims: list[dict[str, Any]], template: str | None = None) -> dict[str, Any] | None:
    """The record claim a gold claim is compared with.  Claims that share a span (one zero
    statement about review and litigation gives two) are told apart by their indicator."""
    gs, ge = gold_claim["start"], gold_claim["end"]
    want = _norm(gold_claim.get("indicator"), template)
    same_end = [c for c in claims if c["end"] == ge]
    if same_end:
        return min(same_end, key=lambda c: (_norm(c.get("indicator"), template) != want, abs(c["start"] - gs)))
    best, best_ov = None, 0
    for c in claims:
        ov = min(ge, c["end"]) - max(gs, c["start"])
        if ov > best_ov:
            best, best_ov = c, ov
    return best


def link_scores(pairs: Iterable[tuple[dict[str, Any], Gold]]) -> dict[str, Any]:
    """Linking accuracy of records' claims against gold claims."""
    n = matched = correct = 0
    errors: list[dict[str, Any]] = []
    for record, gold in pairs:
        tmpl = _t2_template(record)
        claims = record.get("claims", [])
        for gc in gold.data.get("claims") or []:
            n += 1
            rc = match_claim(gc, claims, tmpl)
            want = _norm(gc.get("indicator"), tmpl)
            if rc is None:
                errors.append({"doc": gold.name, "start": gc["start"], "end": gc["end"], "gold": want, "got": "<no claim>"})
                continue
            matched += 1
            got = _norm(rc.get("indicator"), tmpl)
            if got == want:
                correct += 1
            else:
                errors.append({"doc": gold.name, "start": gc["start"], "end": gc["end"], "gold": want, "got": got, "confidence": rc.get("confidence")})
    return {
        "n": n,
        "matched": matched,
        "correct": correct,
        "accuracy": round(correct / n, 4) if n else None,
        "accuracy_on_matched": round(correct / matched, 4) if matched else None,
        "errors": errors,
    }


def linker_scores(golds: Iterable[Gold]) -> dict[str, Any]:
    """The linker alone: each gold claim's quantity span (from gold quantities, else the trailing
    number of the claim span) linked with :func:`pipeline.nlp.link.link_span`."""
    from pipeline.ingest import load_bytes
    from pipeline.nlp.link import link_span, text_template
    from pipeline.nlp.linker import mention_unit, quantity_span

    n = correct = 0
    errors: list[dict[str, Any]] = []
    by_method: Counter[str] = Counter()
    docs = 0
    for g in golds:
        claims = g.data.get("claims") or []
        path = g.document_path()
        if not claims or path is None:
            continue
        try:
            text = load_bytes(path.read_bytes(), str(path)).text
        except Exception:  # noqa: BLE001 - a document that does not load is skipped and counted
            errors.append({"doc": g.name, "error": "document did not load"})
            continue
        docs += 1
        tmpl = text_template(text)
        sha = g.data.get("document", {}).get("sha256")
        for gc in claims:
            if gc.get("polarity") == "zero":
                continue
            if gc.get("text") and text[gc["start"] : gc["end"]] == gc["text"]:
                s, e = gc["start"], gc["end"]  # the gold claim is the quantity itself
            else:
                s, e = quantity_span(text, gc["start"], gc["end"], g.data.get("quantities"))
            if gc.get("text") and gc["text"] not in text[s - 2 : e + 2]:
                errors.append({"doc": g.name, "start": s, "end": e, "error": f"offset drift: gold mention {gc['text']!r} not at {s}-{e}", "sha256": sha})
                n += 1
                continue
            res = link_span(text, s, e, mention_unit(text[s:e]), tmpl)
            by_method[res.method] += 1
            n += 1
            want = _norm(gc.get("indicator"), tmpl)
            got = _norm(res.indicator, tmpl)
            if got == want:
                correct += 1
            else:
                errors.append(
                    {"doc": g.name, "start": s, "end": e, "mention": text[s:e], "gold": want, "got": got, "confidence": res.confidence, "method": res.method}
                )
    return {"docs": docs, "n": n, "correct": correct, "accuracy": round(correct / n, 4) if n else None, "by_method": dict(by_method), "errors": errors}


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p == 0 or r == 0 else None)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": None if p is None else round(p, 4),
        "recall": None if r is None else round(r, 4),
        "f1": None if f1 is None else round(f1, 4),
    }


def _finding_indicators(f: dict[str, Any], claim_ind: dict[str, str | None]) -> set[str]:
    out: set[str] = set()
    for ev in f.get("evidence", []):
        if ev.get("kind") == "claim":
            ind = claim_ind.get(ev.get("ref", ""))
            if ind:
                out.add(ind)
        elif ev.get("kind") == "cell":
            out.add(ev.get("ref", ""))
    return out


def finding_scores(pairs: Iterable[tuple[dict[str, Any], Gold]], count_uncertain: bool = False) -> dict[str, Any]:
    """Precision/recall of failing findings, overall, per rule and per rule family."""
    flagged = {"fail", "uncertain"} if count_uncertain else {"fail"}
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    per_family: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[dict[str, Any]] = []
    for record, gold in pairs:
        tmpl = _t2_template(record)
        claim_ind = {c["id"]: _norm(c.get("indicator"), tmpl) for c in record.get("claims", [])}
        preds = [f for f in record.get("findings", []) if f.get("status") in flagged]
        used: set[int] = set()
        for gf in gold.data.get("findings") or []:
            if gf.get("status") not in flagged and gf.get("status") != "fail":
                continue
            want_ind = _norm(gf.get("indicator"), tmpl)
            hit = None
            for i, f in enumerate(preds):
                if i in used or not f["rule"].startswith(gf["rule"]):
                    continue
                if want_ind and want_ind not in _finding_indicators(f, claim_ind):
                    continue
                hit = i
                break
            fam = gf.get("family") or (preds[hit].get("family") if hit is not None else gf["rule"].split(".", 1)[0])
            if hit is None:
                per_rule[gf["rule"]]["fn"] += 1
                per_family[fam]["fn"] += 1
                errors.append({"doc": gold.name, "missed": gf})
            else:
                used.add(hit)
                per_rule[gf["rule"]]["tp"] += 1
                per_family[fam]["tp"] += 1
        if gold.data.get("findings_complete"):
            for i, f in enumerate(preds):
                if i in used:
                    continue
                per_rule[f["rule"]]["fp"] += 1
                per_family[f.get("family") or f["rule"].split(".", 1)[0]]["fp"] += 1
                errors.append({"doc": gold.name, "false_alarm": {"rule": f["rule"], "message": f.get("message", "")[:160]}})
    tot = Counter()
    for c in per_rule.values():
        tot.update(c)
    return {
        "overall": _prf(tot["tp"], tot["fp"], tot["fn"]),
        "by_rule": {r: _prf(c["tp"], c["fp"], c["fn"]) for r, c in sorted(per_rule.items())},
        "by_family": {r: _prf(c["tp"], c["fp"], c["fn"]) for r, c in sorted(per_family.items())},
        "errors": errors,
    }


def linker_split_scores(root: str | Path | None = None) -> dict[str, Any]:
    """:func:`linker_scores` per split of the real-report linking gold (``SPLIT.yaml`` beside it).

    ``python -c "from pipeline.evaluate.linking import linker_split_scores as f; print(f())"``
    (needs ``../shared``; splits whose documents are absent score ``n = 0``).
    """
    import yaml

    from pipeline.evaluate.gold import REPO, iter_gold

    root = Path(root) if root else REPO / "corpora" / "gold" / "linking" / "real"
    split = yaml.safe_load((root / "SPLIT.yaml").read_text(encoding="utf-8"))
    golds = list(iter_gold(root))
    out = {name: linker_scores([g for g in golds if g.name in names]) for name, names in split.items()}
    out["all"] = linker_scores(golds)
    return out
