"""``nianbao eval``: run the pipeline over the documents of gold files and score it.

Each CORPUS argument (a directory of ``*.gold.json`` files, or one gold file) becomes one column of the
printed table, so generated and real corpora are reported side by side.  Gold files whose document is not
available (shared reports on a fresh clone) are skipped and counted.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pipeline.evaluate import metrics as M
from pipeline.evaluate.gold import Gold, compare_cells, iter_gold, load_gold

_KEEP = ("source", "status", "error", "meta", "sections", "tables", "quantities", "claims", "findings")


def eval_document(gold_path: str) -> dict[str, Any]:
    """Process one gold file's document; return the record (without its text) and the gold data anchored in it."""
    import pipeline

    gold = load_gold(gold_path)
    path = gold.document_path()
    out: dict[str, Any] = {"gold_path": gold_path, "name": gold.name, "origin": gold.data.get("origin", "?"), "series": gold.data.get("meta", {}).get("series")}
    if path is None:
        out["status"] = "missing"
        return out
    d = pipeline.process(path).to_dict()
    enc = d["source"].get("encoding")
    out["format"] = d["source"]["format"] + ("-gbk" if enc in ("gbk", "gb18030") else "")
    out["status"] = d["status"]
    out["year"] = gold.data.get("meta", {}).get("year")
    data = gold.data
    if d["status"] == "ok":
        data = M.anchor_gold(data, d["text"], M.narrative_start(d))
    out["gold"] = data
    out["record"] = {k: d[k] for k in _KEEP}
    return out


def _tables(dicts: list[dict[str, Any]]) -> list[Any]:
    from pipeline.model import Cell, Table

    out = []
    for t in dicts:
        cells = [
            Cell(
                id=c["id"],
                value=c["value"],
                raw=c["raw"],
                start=c["start"],
                end=c["end"],
                provenance=c["provenance"],
                unit=c.get("unit"),
                alternatives=c.get("alternatives", []),
            )
            for c in t["cells"]
        ]
        out.append(
            Table(key=t["key"], template=t["template"], start=t["start"], end=t["end"], cells=cells, extras=t.get("extras", []), notes=t.get("notes", []))
        )
    return out


def _cross_year(docs: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per-rule counts of cross-year findings for documents of a series (gold meta.series), year N against N-1."""
    from pipeline.reconcile import check_cross_year

    series: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        if d.get("series") and d.get("status") == "ok" and d.get("year"):
            series[d["series"]].append(d)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for members in series.values():
        members.sort(key=lambda d: d["year"])
        for prev, cur in zip(members, members[1:], strict=False):
            if cur["year"] != prev["year"] + 1:
                continue
            fs = check_cross_year(_tables(prev["record"]["tables"]), _tables(cur["record"]["tables"]))
            pred = [{"rule": f.rule, "indicator": None} for f in fs if f.status == "fail"]
            gold = [f for f in cur["gold"].get("findings", []) if f.get("scope") == "series"]
            for r, c in M.finding_counts(pred, gold, bool(cur["gold"].get("findings_complete"))).items():
                counts[r].update(c)
    return {r: dict(c) for r, c in counts.items()}


def summarize(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Scores of a set of evaluated documents (see :func:`eval_document`)."""
    from pipeline.evaluate.linking import finding_scores, link_scores
    from pipeline.nlp.evaluate import evaluate_quantities

    present = [d for d in docs if d["status"] != "missing"]
    ok = [d for d in present if d["status"] == "ok"]
    fmt = Counter(d["format"] for d in present)
    err = Counter(d["format"] for d in present if d["status"] != "ok")
    cells: Counter[str] = Counter()
    cells_fmt: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[dict[str, Any]] = []
    sec: Counter[str] = Counter()
    for d in present:
        g = Gold(Path(d["gold_path"]), d["gold"])
        n_exp = len(g.expected_cells())
        if d["status"] == "ok":
            c = compare_cells(d["record"], g)
            found = {s["key"] for s in d["record"]["sections"]}
        else:
            c = {"cells": n_exp, "correct": 0, "wrong": []}
            found = set()
        cells["cells"] += c["cells"]
        cells["correct"] += c["correct"]
        cells_fmt[d["format"]]["cells"] += c["cells"]
        cells_fmt[d["format"]]["correct"] += c["correct"]
        wrong += [{"doc": d["name"], **w} for w in c["wrong"][:3]]
        gs = d["gold"].get("sections", [])
        sec["gold"] += len(gs)
        sec["found"] += sum(1 for s in gs if s in found)
    pairs = [
        (d["record"], Gold(Path(d["gold_path"]), {**d["gold"], "findings": [f for f in d["gold"].get("findings", []) if f.get("scope") != "series"]}))
        for d in ok
    ]
    q = evaluate_quantities((g.data, r) for r, g in pairs)
    q["errors"] = {k: v[:15] for k, v in q.get("errors", {}).items()}
    link = link_scores((r, g) for r, g in pairs if g.data.get("claims"))
    link["errors"] = link.get("errors", [])[:30]
    # a document that could not be processed misses every failing finding its gold expects
    missed: dict[str, Counter[str]] = defaultdict(Counter)
    for d in present:
        if d["status"] != "ok":
            for f in d["gold"].get("findings", []):
                if f.get("status") == "fail":
                    missed[f["rule"]]["fn"] += 1
    extra = _cross_year(ok)
    for r, c in missed.items():
        extra.setdefault(r, {})
        extra[r] = dict(Counter(extra[r]) + c)
    findings = M.merge_findings(finding_scores(pairs), extra)
    return {
        "documents": len(present),
        "errors": len(present) - len(ok),
        "skipped_missing": len(docs) - len(present),
        "unanchored_gold_items": sum(d["gold"].get("unanchored", 0) for d in ok),
        "formats": dict(sorted(fmt.items())),
        "errors_by_format": dict(sorted(err.items())),
        "tables": {
            "cells": cells["cells"],
            "correct": cells["correct"],
            "cell_accuracy": M.ratio(cells["correct"], cells["cells"]),
            "by_format": {f: M.ratio(c["correct"], c["cells"]) for f, c in sorted(cells_fmt.items())},
            "wrong_examples": wrong[:20],
        },
        "sections": {"gold": sec["gold"], "found": sec["found"], "recall": M.ratio(sec["found"], sec["gold"])},
        "quantities": q,
        "linking": link,
        "findings": findings,
    }


def evaluate(root: str | Path, workers: int = 1) -> dict[str, Any]:
    """Score the pipeline on every gold file under ``root``."""
    golds = [str(g.path) for g in iter_gold(root)]
    if workers > 1 and len(golds) > 8:
        with ProcessPoolExecutor(max_workers=workers) as ex:
            docs = list(ex.map(eval_document, golds, chunksize=4))
    else:
        docs = [eval_document(g) for g in golds]
    summary = summarize(docs)
    summary["corpus"] = str(root)
    origins = sorted({d["origin"] for d in docs if d["status"] != "missing"})
    if len(origins) > 1:
        summary["by_origin"] = {o: M.flatten(summarize([d for d in docs if d["origin"] == o])) for o in origins}
    return summary


# ---------------------------------------------------------------- printing


_ROWS = [
    ("documents", lambda s: s["documents"]),
    ("errors", lambda s: s["errors"]),
    ("skipped (missing)", lambda s: s["skipped_missing"]),
    ("table cells", lambda s: s["tables"]["cells"]),
    ("cell accuracy", lambda s: s["tables"]["cell_accuracy"]),
    ("sections recall", lambda s: s["sections"]["recall"]),
    ("quantities (gold)", lambda s: s["quantities"].get("gold")),
    ("quantity precision", lambda s: s["quantities"].get("precision") if s["quantities"].get("gold") else None),
    ("quantity recall", lambda s: s["quantities"].get("recall") if s["quantities"].get("gold") else None),
    ("quantity F1", lambda s: s["quantities"].get("f1") if s["quantities"].get("gold") else None),
    ("value accuracy", lambda s: s["quantities"].get("value_accuracy") if s["quantities"].get("gold") else None),
    ("trap false positives", lambda s: f"{s['quantities'].get('trap_false_positives', 0)} / {sum(t['n'] for t in s['quantities'].get('traps', {}).values())}"),
    ("claims (gold)", lambda s: s["linking"].get("n")),
    ("linking accuracy", lambda s: s["linking"].get("accuracy")),
    ("linking acc. on matched", lambda s: s["linking"].get("accuracy_on_matched")),
    ("findings tp/fp/fn", lambda s: "{tp}/{fp}/{fn}".format(**s["findings"]["overall"])),
    ("finding precision", lambda s: s["findings"]["overall"]["precision"]),
    ("finding recall", lambda s: s["findings"]["overall"]["recall"]),
    ("finding F1", lambda s: s["findings"]["overall"]["f1"]),
]


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def format_table(summaries: list[dict[str, Any]]) -> str:
    names = [Path(s["corpus"]).name or s["corpus"] for s in summaries]
    rows: list[list[str]] = [["metric", *names]]
    for label, get in _ROWS:
        rows.append([label, *(_fmt(get(s)) for s in summaries)])
    fams = sorted({f for s in summaries for f in s["findings"]["by_family"]})
    for f in fams:
        cells = []
        for s in summaries:
            c = s["findings"]["by_family"].get(f)
            cells.append("—" if c is None else f"P {_fmt(c['precision'])} R {_fmt(c['recall'])} ({c['tp']}/{c['fp']}/{c['fn']})")
        rows.append([f"  {f}", *cells])
    rules = sorted({r for s in summaries for r in s["findings"]["by_rule"]})
    for r in rules:
        cells = []
        for s in summaries:
            c = s["findings"]["by_rule"].get(r)
            cells.append("—" if c is None else f"{c['tp']}/{c['fp']}/{c['fn']}")
        rows.append([f"    {r}", *cells])
    widths = [max(_w(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c + " " * (widths[i] - _w(c)) for i, c in enumerate(r)).rstrip() for r in rows)


def _w(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


# ---------------------------------------------------------------- floors


def check_floors(summary: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """Figures below their floor (a missing figure counts as below)."""
    flat = M.flatten(summary)
    bad = []
    for key, floor in sorted(floors.items()):
        v = flat.get(key)
        if v is None or v < floor - 1e-9:
            bad.append(f"{key}: {v if v is not None else 'missing'} < floor {floor}")
    return bad


def generate_for_floors(spec: dict[str, Any], outdir: str) -> None:
    from pipeline.evaluate.generate import generate

    g = spec["generate"]
    generate(
        outdir,
        n=g["n"],
        seed=g["seed"],
        formats=g.get("formats"),
        inject_rate=g.get("inject", 0.0),
        inject_kinds=g.get("inject_kinds"),
        series_rate=g.get("series", 0.1),
    )


def floors_from(summary: dict[str, Any], margin: float) -> dict[str, float]:
    """Floors = current figures minus ``margin``, rounded down to 3 decimals."""
    import math

    return {k: max(0.0, math.floor((v - margin) * 1000) / 1000) for k, v in sorted(M.flatten(summary).items())}


def run_eval(
    corpora: list[str], json_out: str | None = None, floors_path: str | None = None, workers: int = 1, quiet: bool = False, record_floors: bool = False
) -> int:
    """The CLI's work: returns the exit status (1 when a floor is broken).

    With ``record_floors``, the floors file's ``floors`` are rewritten from the current figures minus its ``margin``.
    """
    spec: dict[str, Any] | None = None
    tmp: str | None = None
    if floors_path:
        spec = json.loads(Path(floors_path).read_text(encoding="utf-8"))
        if not corpora:
            tmp = tempfile.mkdtemp(prefix="nianbao-eval-")
            generate_for_floors(spec, tmp)
            corpora = [tmp]
    if not corpora:
        print("nianbao eval: give a CORPUS directory (or --floors FILE)", file=sys.stderr)
        return 2
    try:
        summaries = []
        for c in corpora:
            s = evaluate(c, workers=workers)
            if tmp and c == tmp:
                s["corpus"] = "generated(floors)"
            summaries.append(s)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if not quiet:
        print(format_table(summaries))
    if json_out:
        with open(json_out, "w", encoding="utf-8") as fh:
            json.dump(summaries if len(summaries) > 1 else summaries[0], fh, ensure_ascii=False, indent=1)
    if spec is not None and record_floors and floors_path:
        spec["floors"] = floors_from(summaries[0], float(spec.get("margin", 0.02)))
        Path(floors_path).write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"recorded {len(spec['floors'])} floors in {floors_path}", file=sys.stderr)
        return 0
    if spec is not None:
        bad = check_floors(summaries[0], spec["floors"])
        if bad:
            print("REGRESSION: figures below the floors in " + str(floors_path), file=sys.stderr)
            for b in bad:
                print("  " + b, file=sys.stderr)
            return 1
        print(f"floors OK ({len(spec['floors'])} figures at or above {floors_path})", file=sys.stderr)
    return 0


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


__all__ = ["evaluate", "eval_document", "run_eval", "check_floors", "format_table", "Gold"]
