"""A generator of realistic reports with known ground truth (``nianbao generate``).

Each report gets a gold file in the gold format (docs/gold-format.md): every table cell, the sections, and for
the narrative every quantity, trap and claim (with offsets into the normalized text for ``.txt`` reports; by
value and mention, in document order, for HTML and DOCX), plus the findings the checker must produce —
including those of injected inconsistencies (see :mod:`.inject`).  Output is deterministic for a seed.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.evaluate.generate.compose import Agency, Report, compose, make_agency, templates_for
from pipeline.evaluate.generate.inject import KINDS, choose
from pipeline.evaluate.generate.narrative import Para
from pipeline.evaluate.generate.render import Line, render_docx, render_html, render_txt

FORMATS = ["txt", "html", "html-gbk", "docx"]
EXT = {"txt": ".txt", "html": ".html", "html-gbk": ".html", "docx": ".docx"}

__all__ = ["generate", "generate_one", "FORMATS", "KINDS"]


def _rng(seed: int, *parts: Any) -> random.Random:
    return random.Random(":".join(["nianbao-gen", str(seed), *map(str, parts)]))


def render(report: Report, fmt: str, rng: random.Random) -> tuple[bytes, dict[str, Any]]:
    """Bytes of the document and the narrative ground truth (quantities, traps, claims, sections)."""
    if fmt == "txt":
        text, placed, heads = render_txt(report.blocks, rng)
        truth = _collect(placed, offsets=True)
        truth["section_offsets"] = {k: off for k, off in heads}
        return text.encode("utf-8"), truth
    paras = [(b if isinstance(b, Para) else b.para, 0) for b in report.blocks if isinstance(b, (Para, Line))]
    truth = _collect(paras, offsets=False)
    if fmt == "docx":
        return render_docx(report.blocks), truth
    return render_html(report.blocks, report.title, "gbk" if fmt == "html-gbk" else "utf-8", rng), truth


def _collect(placed: list[tuple[Para, int]], offsets: bool) -> dict[str, Any]:
    qs: list[dict[str, Any]] = []
    traps: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for p, off in placed:
        for q in p.quantities:
            qs.append(_shift(q, off, offsets))
        for t in p.traps:
            traps.append(_shift(t, off, offsets))
        for c in p.claims:
            c2 = _shift(c, off, offsets)
            if offsets and "quantity" in c:
                c2["quantity"] = [c["quantity"][0] + off, c["quantity"][1] + off]
            else:
                c2.pop("quantity", None)
            claims.append(c2)
    return {"quantities": qs, "traps": traps, "claims": claims}


def _shift(d: dict[str, Any], off: int, offsets: bool) -> dict[str, Any]:
    out = dict(d)
    if offsets:
        out["start"] = d["start"] + off
        out["end"] = d["end"] + off
    else:
        out.pop("start", None)
        out.pop("end", None)
    return out


def generate_one(report: Report, fmt: str, rng: random.Random, name: str, series: str | None, extra: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    data, truth = render(report, fmt, rng)
    gold: dict[str, Any] = {
        "gold_version": 1,
        "document": {"path": name, "sha256": hashlib.sha256(data).hexdigest()},
        "origin": "generated",
        "generator": {"format": fmt, **extra},
        "meta": {**report.meta, **({"series": series} if series else {})},
        "sections": report.sections,
        "offsets": fmt == "txt",
        "tables": report.tables,
        "quantities": truth["quantities"],
        "quantities_complete": True,
        "traps": truth["traps"],
        "claims": truth["claims"],
        "findings": report.findings,
        "findings_complete": True,
    }
    if "section_offsets" in truth:
        gold["section_offsets"] = truth["section_offsets"]
    return data, gold


def plan(n: int, seed: int, series_rate: float) -> list[tuple[int, int, int]]:
    """(series number, position in series, year) for each of the n reports; series number -1 = single report."""
    rng = _rng(seed, "plan")
    out: list[tuple[int, int, int]] = []
    sid = 0
    while len(out) < n:
        left = n - len(out)
        if series_rate > 0 and left >= 3 and rng.random() < series_rate:
            length = min(left, rng.randint(3, 5))
            start = rng.randint(2019, 2026 - length)
            out += [(sid, k, start + k) for k in range(length)]
            sid += 1
        else:
            out.append((-1, 0, rng.randint(2019, 2025)))
    return out


def generate(
    outdir: str | Path,
    n: int,
    seed: int,
    formats: list[str] | None = None,
    inject_rate: float = 0.0,
    inject_kinds: list[str] | None = None,
    series_rate: float = 0.1,
) -> dict[str, Any]:
    """Write ``n`` reports and their gold files to ``outdir``; returns counts by format, template and injection."""
    formats = formats or FORMATS
    for f in formats:
        if f not in EXT:
            raise ValueError(f"unknown format {f!r} (choose from {', '.join(FORMATS)})")
    kinds = inject_kinds or KINDS
    for k in kinds:
        if k not in KINDS:
            raise ValueError(f"unknown injection kind {k!r} (choose from {', '.join(KINDS)})")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    stats: Counter[str] = Counter()
    agencies: dict[int, tuple[Agency, tuple[str, str, str] | None]] = {}
    prev: dict[int, Report] = {}
    for i, (sid, pos, year) in enumerate(plan(n, seed, series_rate)):
        rng = _rng(seed, i)
        if sid >= 0:
            if sid not in agencies:
                arng = _rng(seed, "series", sid)
                agencies[sid] = (make_agency(arng), templates_for(2021, arng))
            ag, t21 = agencies[sid]
            templates = ("v2019", "v2019", "v2019") if year <= 2020 else t21
        else:
            ag, templates = make_agency(rng), None
        inj = choose(rng, inject_rate, kinds, ag.level, pos if sid >= 0 else 0, in_series=sid >= 0)
        report = compose(rng, ag, year, inj, prev.get(sid) if sid >= 0 else None, templates)
        if sid >= 0:
            prev[sid] = report
        fmt = formats[i % len(formats)]
        name = f"gen{seed}-{i:05d}-{ag.level}-{year}{EXT[fmt]}"
        extra = {"seed": seed, "index": i, **({"injection": inj} if inj else {})}
        data, gold = generate_one(report, fmt, rng, name, f"gen{seed}-s{sid:04d}" if sid >= 0 else None, extra)
        (out / name).write_bytes(data)
        stem = name.rsplit(".", 1)[0]
        (out / f"{stem}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        stats[f"format:{fmt}"] += 1
        stats[f"template:{report.templates[2]}"] += 1
        stats[f"level:{ag.level}"] += 1
        stats[f"inject:{inj.get('kind', 'none')}"] += 1
        stats["expected_failures"] += len(report.findings)
    stats["reports"] = n
    return dict(sorted(stats.items()))
