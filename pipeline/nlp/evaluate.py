"""Quantity evaluation against gold (docs/gold-format.md: ``quantities``, ``quantities_complete``,
``quantities_regions``, ``traps``).

Main entry point for ``nianbao eval``::

    evaluate_quantities(pairs) -> dict

``pairs``: an iterable of ``(gold, record)`` where ``gold`` is a gold file's parsed JSON (a dict,
or a :class:`pipeline.evaluate.gold.Gold`) and ``record`` is the record of the same document
(a ``dict`` as written by ``nianbao extract``, or a :class:`pipeline.model.Record`).  Returns::

    {
      "documents": int, "gold": int, "predicted": int, "tp": int,
      "precision": float, "recall": float, "f1": float,        # exact span match (start, end)
      "matched": int,
      "value_accuracy": float, "unit_accuracy": float, "approx_accuracy": float,
      "kind_accuracy": float, "all_accuracy": float,            # on matched spans
      "traps": {category: {"n": int, "false_positives": int}},  # a predicted quantity overlapping a trap
      "trap_false_positives": int,
      "errors": {"missed": [...], "spurious": [...], "wrong": [...], "trap_hits": [...]}
    }

Scoring rules: only gold files with ``quantities`` are scored; predicted quantities outside
``quantities_regions`` (when given) are ignored; when ``quantities_complete`` is false, the
document contributes to recall and attribute accuracy but not to precision.  Values match when
equal within 1e-6 (relative).

:func:`evaluate_gold_dir` runs the pipeline on every gold document it can find and scores it;
``python -m pipeline.nlp.evaluate [GOLD_DIR]`` prints the result as JSON.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "corpora" / "gold" / "quantities"


def _as_dict(x: Any) -> dict[str, Any]:
    if isinstance(x, dict):
        return x
    if hasattr(x, "data") and isinstance(x.data, dict):  # evaluate.gold.Gold
        return x.data
    if hasattr(x, "to_dict"):
        return x.to_dict()
    raise TypeError(f"cannot read {type(x).__name__} as a gold file or record")


def _quantities(rec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for q in rec.get("quantities") or []:
        out.append(q if isinstance(q, dict) else dict(q.__dict__))
    return out


def _same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    try:
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return a == b
    return abs(fa - fb) <= 1e-6 * max(1.0, abs(fa), abs(fb))


def _in_regions(q: dict[str, Any], regions: list[list[int]] | None) -> bool:
    if not regions:
        return True
    return any(a <= q["start"] and q["end"] <= b for a, b in regions)


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def evaluate_quantities(pairs: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """Span P/R/F1 (exact match), attribute accuracy on matched spans, trap false positives."""
    docs = n_gold = n_pred = tp = n_pred_for_p = tp_for_p = 0
    acc = {"value": 0, "unit": 0, "approx": 0, "kind": 0, "all": 0}
    traps: dict[str, dict[str, int]] = {}
    errors: dict[str, list[dict[str, Any]]] = {"missed": [], "spurious": [], "wrong": [], "trap_hits": []}
    for gold_x, rec_x in pairs:
        gold, rec = _as_dict(gold_x), _as_dict(rec_x)
        if "quantities" not in gold:
            continue
        docs += 1
        name = (gold.get("document") or {}).get("shared") or (gold.get("document") or {}).get("path") or "?"
        regions = gold.get("quantities_regions")
        complete = gold.get("quantities_complete", True)
        gq = {(q["start"], q["end"]): q for q in gold["quantities"]}
        pq = {(q["start"], q["end"]): q for q in _quantities(rec) if _in_regions(q, regions)}
        n_gold += len(gq)
        n_pred += len(pq)
        matched = set(gq) & set(pq)
        tp += len(matched)
        if complete:
            n_pred_for_p += len(pq)
            tp_for_p += len(matched)
        for k in sorted(set(gq) - matched):
            errors["missed"].append({"doc": name, **gq[k]})
        if complete:
            for k in sorted(set(pq) - matched):
                p = pq[k]
                errors["spurious"].append(
                    {"doc": name, "start": p["start"], "end": p["end"], "text": p.get("text"), "value": p.get("value"), "unit": p.get("unit")}
                )
        for k in sorted(matched):
            g, p = gq[k], pq[k]
            ok = {
                "value": _same_value(g.get("value"), p.get("value")),
                "unit": g.get("unit") == p.get("unit"),
                "approx": g.get("approx", "eq") == p.get("approx", "eq"),
                "kind": g.get("kind", "count") == p.get("kind", "count"),
            }
            ok["all"] = ok["value"] and ok["unit"] and ok["approx"]
            for a, v in ok.items():
                acc[a] += int(v)
            if not ok["all"] or not ok["kind"]:
                errors["wrong"].append(
                    {
                        "doc": name,
                        "text": g.get("text"),
                        "gold": [g.get("value"), g.get("unit"), g.get("approx"), g.get("kind")],
                        "got": [p.get("value"), p.get("unit"), p.get("approx"), p.get("kind")],
                    }
                )
        preds = list(pq.values()) if regions else _quantities(rec)
        for t in gold.get("traps", []):
            cat = t.get("category", "other")
            slot = traps.setdefault(cat, {"n": 0, "false_positives": 0})
            slot["n"] += 1
            hit = next((p for p in preds if p["start"] < t["end"] and t["start"] < p["end"]), None)
            if hit is not None:
                slot["false_positives"] += 1
                errors["trap_hits"].append({"doc": name, "category": cat, "trap": t.get("text"), "got": hit.get("text")})
    precision = _ratio(tp_for_p, n_pred_for_p)
    recall = _ratio(tp, n_gold)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {
        "documents": docs,
        "gold": n_gold,
        "predicted": n_pred,
        "tp": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "matched": tp,
        "value_accuracy": _ratio(acc["value"], tp),
        "unit_accuracy": _ratio(acc["unit"], tp),
        "approx_accuracy": _ratio(acc["approx"], tp),
        "kind_accuracy": _ratio(acc["kind"], tp),
        "all_accuracy": _ratio(acc["all"], tp),
        "traps": dict(sorted(traps.items())),
        "trap_false_positives": sum(v["false_positives"] for v in traps.values()),
        "errors": errors,
    }


def evaluate_gold_dir(root: str | Path = DEFAULT_GOLD) -> dict[str, Any]:
    """Run the pipeline on every available document of the gold files under ``root`` and score it.

    Gold files whose document is absent (``../shared`` missing) are skipped and counted in
    ``"skipped"``.
    """
    import pipeline
    from pipeline.evaluate.gold import iter_gold

    pairs = []
    skipped = 0
    for g in iter_gold(root):
        if "quantities" not in g.data:
            continue
        p = g.document_path()
        if p is None:
            skipped += 1
            continue
        pairs.append((g.data, pipeline.process(p).to_dict()))
    out = evaluate_quantities(pairs)
    out["skipped"] = skipped
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [a for a in args if not a.startswith("-")]
    res = evaluate_gold_dir(paths[0] if paths else DEFAULT_GOLD)
    verbose = "-v" in args
    if not verbose:
        res["errors"] = {k: v[:20] for k, v in res["errors"].items()}
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
