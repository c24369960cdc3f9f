"""Metrics of one record against its gold file, and their aggregation.

- tables: cell accuracy (:func:`pipeline.evaluate.gold.compare_cells`);
- quantities: exact-span precision / recall / F1 and attribute accuracy
  (:func:`pipeline.nlp.evaluate.evaluate_quantities`, written with the quantity finder);
- linking and findings: :func:`pipeline.evaluate.linking.link_scores` / ``finding_scores`` (written with the
  linker); cross-year findings of a series are scored here (:func:`finding_counts`), since no single record
  can hold them.

Gold entries without offsets (HTML/DOCX reports, real reports) are anchored in the record's text by their
mention strings, in document order (:func:`anchor_gold`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

# ---------------------------------------------------------------- anchoring


def anchor(items: list[dict[str, Any]], text: str, key: str = "text", start_at: int = 0) -> list[dict[str, Any]]:
    """Give every item without offsets the next occurrence of its mention after the previous one.

    Consecutive zero statements with the same mention (one statement, several indicators) share one span.
    """
    out: list[dict[str, Any]] = []
    pos = start_at
    last_zero: tuple[str, int, int] | None = None
    for it in items:
        if it.get("start") is not None or not it.get(key):
            out.append(it)
            continue
        if it.get("polarity") == "zero" and last_zero and last_zero[0] == it[key]:
            out.append({**it, "start": last_zero[1], "end": last_zero[2]})
            continue
        i = text.find(it[key], pos)
        if i < 0:
            out.append({**it, "start": None, "end": None, "unanchored": True})
            continue
        out.append({**it, "start": i, "end": i + len(it[key])})
        pos = i + len(it[key])
        last_zero = (it[key], i, pos) if it.get("polarity") == "zero" else None
    return out


def narrative_start(record: dict[str, Any]) -> int:
    """Offset where the report body begins (the first section heading), to skip page chrome when anchoring."""
    secs = record.get("sections") or []
    return min((s["start"] for s in secs), default=0)


def anchor_gold(data: dict[str, Any], text: str, start_at: int) -> dict[str, Any]:
    """A copy of a gold file's data whose quantities, traps and claims all carry offsets where they can be found.

    Quantities and traps without offsets are anchored by their mention in document order; a positive claim without
    offsets gets the span of its quantity mention (so that its end is the quantity's end, as the linking scorer
    expects); a zero statement without offsets is anchored by its short mention when the gold file gives one.
    Items that cannot be anchored are dropped and counted in ``unanchored``.
    """
    out = dict(data)
    lost = 0
    if "quantities" in data:
        qs = anchor(data["quantities"], text, start_at=start_at)
        lost += sum(1 for q in qs if q.get("start") is None)
        out["quantities"] = [q for q in qs if q.get("start") is not None]
    if data.get("traps"):
        ts = anchor(data["traps"], text, start_at=0)
        out["traps"] = [t for t in ts if t.get("start") is not None]
    if data.get("claims"):
        cs = anchor(data["claims"], text, start_at=start_at)
        lost += sum(1 for c in cs if c.get("start") is None)
        out["claims"] = [c for c in cs if c.get("start") is not None]
    out["unanchored"] = lost
    return out


# ---------------------------------------------------------------- findings


def family(rule: str) -> str:
    if rule.startswith("identity.xy_"):
        return "cross_year"
    if rule.startswith("fees."):
        return "narrative_table"
    return rule.split(".", 1)[0]


def finding_counts(pred: list[dict[str, Any]], gold: list[dict[str, Any]], complete: bool) -> dict[str, dict[str, int]]:
    """Per-rule tp / fp / fn.  A gold finding matches a prediction of the same rule (and indicator when both name one)."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    used = [False] * len(pred)
    for g in gold:
        if g.get("status") != "fail":
            continue
        hit = None
        for i, p in enumerate(pred):
            if used[i] or p["rule"] != g["rule"]:
                continue
            if g.get("indicator") and p.get("indicator") and g["indicator"] != p["indicator"]:
                continue
            hit = i
            break
        if hit is None:
            per[g["rule"]]["fn"] += 1
        else:
            used[hit] = True
            per[g["rule"]]["tp"] += 1
    if complete:
        for i, p in enumerate(pred):
            if not used[i]:
                per[p["rule"]]["fp"] += 1
    return {r: dict(c) for r, c in per.items()}


# ---------------------------------------------------------------- aggregation


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p == 0 or r == 0 else None)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": _r(p), "recall": _r(r), "f1": _r(f)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def merge_findings(scores: dict[str, Any], extra: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Add per-rule counts (e.g. cross-year) to a finding_scores result; recompute totals and families."""
    rules: dict[str, Counter[str]] = defaultdict(Counter)
    fams: dict[str, Counter[str]] = defaultdict(Counter)
    for r, c in scores.get("by_rule", {}).items():
        rules[r].update({k: c.get(k, 0) for k in ("tp", "fp", "fn")})
    for r, c in extra.items():
        rules[r].update(c)
    for r, c in rules.items():
        fams[family(r)].update(c)
    tot: Counter[str] = Counter()
    for c in rules.values():
        tot.update(c)
    return {
        "overall": prf(tot["tp"], tot["fp"], tot["fn"]),
        "by_rule": {r: prf(c["tp"], c["fp"], c["fn"]) for r, c in sorted(rules.items())},
        "by_family": {f: prf(c["tp"], c["fp"], c["fn"]) for f, c in sorted(fams.items())},
        "errors": scores.get("errors", [])[:40],
    }


def flatten(summary: dict[str, Any]) -> dict[str, float]:
    """The headline figures as flat keys (used by the regression floors)."""
    out: dict[str, float] = {}
    q, lk, fd = summary["quantities"], summary["linking"], summary["findings"]["overall"]
    pick = {
        "tables.cell_accuracy": summary["tables"]["cell_accuracy"],
        "sections.recall": summary["sections"]["recall"],
        "quantities.precision": q.get("precision") if q.get("gold") else None,
        "quantities.recall": q.get("recall") if q.get("gold") else None,
        "quantities.f1": q.get("f1") if q.get("gold") else None,
        "quantities.value_accuracy": q.get("value_accuracy") if q.get("gold") else None,
        "linking.accuracy": lk.get("accuracy"),
        "findings.precision": fd["precision"],
        "findings.recall": fd["recall"],
        "findings.f1": fd["f1"],
    }
    for fam, c in summary["findings"]["by_family"].items():
        pick[f"findings.{fam}.precision"] = c["precision"]
        pick[f"findings.{fam}.recall"] = c["recall"]
    for k, v in pick.items():
        if v is not None:
            out[k] = v
    return out
