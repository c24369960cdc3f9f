"""Cross-year checks over several reports of one body (issue 3).

Records are grouped by (agency, year); for every pair of consecutive years of one agency
the cross-year identities of indicators.yaml (``xy_*``: 上年结转 of year N against
结转下年度继续办理 of year N-1 per column, 现行有效件数 continuity, …) are evaluated with
:func:`pipeline.reconcile.identities.check_cross_year`.

Python API::

    from pipeline.reconcile.series import check_series_paths, format_series
    pairs = check_series_paths(["reports/"])        # -> list[SeriesPair]
    print(format_series(pairs))

``check_series(records)`` does the same for records already processed (``Record`` objects
or the dicts written by ``nianbao extract``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.model import Cell, Finding, Record, Table
from pipeline.reconcile.identities import check_cross_year


@dataclass
class SeriesDoc:
    agency: str  # normalized group key
    agency_printed: str | None
    year: int
    path: str
    tables: list[Table]


@dataclass
class SeriesPair:
    agency: str
    prev_year: int
    year: int
    prev_path: str
    path: str
    findings: list[Finding] = field(default_factory=list)

    def by_rule(self) -> dict[str, Finding]:
        return {f.rule: f for f in self.findings}


@dataclass
class SeriesResult:
    pairs: list[SeriesPair] = field(default_factory=list)
    # agency -> sorted years present
    agencies: dict[str, list[int]] = field(default_factory=dict)
    # documents that could not be placed (no agency or year, error records, duplicates)
    skipped: list[tuple[str, str]] = field(default_factory=list)


@cache
def _rules() -> dict[str, Any]:
    return load_yaml("agency.yaml")


def normalize_agency(name: str | None) -> str:
    """The printed agency name without crawler/markdown leftovers, brackets and spaces."""
    if not name:
        return ""
    r = _rules()
    s = name.strip()
    changed = True
    while changed:
        changed = False
        for pat in r["strip_prefixes"]:
            new = re.sub("^(?:" + pat + ")", "", s)
            if new != s:
                s, changed = new.strip(), True
    s = "".join(ch for ch in s if ch not in r["strip_chars"])
    for a, b in r.get("synonyms", {}).items():
        s = s.replace(a, b)
    return s


def _same_body(short: str, long: str) -> bool:
    """``long`` is ``short`` preceded by a higher administrative unit (淮安市 + 洪泽区人民政府)."""
    r = _rules()
    if len(short) < r["min_suffix_chars"] or not long.endswith(short) or long == short:
        return False
    prefix = long[: -len(short)]
    return prefix.endswith(tuple(r["admin_prefix_endings"]))


def agency_keys(names: Iterable[str]) -> dict[str, str]:
    """Map each normalized name to its group key (the longest spelling of the same body)."""
    uniq = sorted(set(names), key=lambda s: (-len(s), s))
    out: dict[str, str] = {}
    for n in uniq:
        key = next((k for k in uniq if _same_body(n, k)), n)
        out[n] = out.get(key, key)
    return out


def _tables_from_dict(d: dict[str, Any]) -> list[Table]:
    tables = []
    for t in d.get("tables", []):
        cells = [
            Cell(
                id=c["id"],
                value=c.get("value"),
                raw=c.get("raw", ""),
                start=c.get("start"),
                end=c.get("end"),
                provenance=c.get("provenance", "explicit"),
                unit=c.get("unit"),
                alternatives=list(c.get("alternatives", [])),
            )
            for c in t.get("cells", [])
        ]
        tables.append(Table(key=t["key"], template=t.get("template"), start=t.get("start", 0), end=t.get("end", 0), cells=cells))
    return tables


def _as_doc(rec: Record | dict[str, Any]) -> tuple[str | None, int | None, str, list[Table], str]:
    if isinstance(rec, Record):
        return rec.meta.agency, rec.meta.year, rec.source.path, rec.tables, rec.status
    meta = rec.get("meta") or {}
    return meta.get("agency"), meta.get("year"), (rec.get("source") or {}).get("path", ""), _tables_from_dict(rec), rec.get("status", "ok")


def check_series(records: Iterable[Record | dict[str, Any]]) -> SeriesResult:
    """Group records by (agency, year) and check every consecutive pair of years of one agency."""
    result = SeriesResult()
    docs: list[tuple[str, str | None, int, str, list[Table]]] = []
    for rec in records:
        agency, year, path, tables, status = _as_doc(rec)
        if status != "ok":
            result.skipped.append((path, "error record"))
            continue
        norm = normalize_agency(agency)
        if not norm or year is None:
            result.skipped.append((path, "no agency" if not norm else "no year"))
            continue
        docs.append((norm, agency, int(year), path, tables))
    keys = agency_keys(d[0] for d in docs)
    grouped: dict[str, dict[int, SeriesDoc]] = {}
    for norm, printed, year, path, tables in docs:
        key = keys[norm]
        g = grouped.setdefault(key, {})
        if year in g:
            result.skipped.append((path, f"second report of {key} for {year} (kept {g[year].path})"))
            continue
        g[year] = SeriesDoc(key, printed, year, path, tables)
    for key in sorted(grouped):
        years = sorted(grouped[key])
        result.agencies[key] = years
        for y0, y1 in zip(years, years[1:], strict=False):
            if y1 != y0 + 1:
                continue  # a missing year: the carry-over of the gap year is unknown
            prev, cur = grouped[key][y0], grouped[key][y1]
            result.pairs.append(SeriesPair(key, y0, y1, prev.path, cur.path, check_cross_year(prev.tables, cur.tables)))
    return result


def check_series_paths(inputs: Iterable[str]) -> SeriesResult:
    """Process every report under ``inputs`` (files, directories, globs) and check the series."""
    import pipeline

    return check_series(pipeline.iter_records(list(inputs)))


def _short(rule: str) -> str:
    return rule.removeprefix("identity.").removeprefix("xy_")


def format_series(result: SeriesResult, show_pass: bool = True) -> str:
    """A readable per-agency, per-year-pair summary."""
    lines: list[str] = []
    for agency, years in result.agencies.items():
        lines.append(f"{agency}: reports for {', '.join(map(str, years))}")
        pairs = [p for p in result.pairs if p.agency == agency]
        if not pairs:
            lines.append("  no consecutive years to compare")
        for p in pairs:
            counts: dict[str, int] = {}
            for f in p.findings:
                counts[f.status] = counts.get(f.status, 0) + 1
            summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no applicable cross-year rule"
            lines.append(f"  {p.prev_year} -> {p.year}: {summary}")
            order = {"fail": 0, "uncertain": 1, "pass": 2, "not_assessable": 3}
            for f in sorted(p.findings, key=lambda f: (order.get(f.status, 9), f.rule)):
                if f.status == "pass" and not show_pass:
                    continue
                mark = {"fail": "FAIL", "uncertain": "UNCERTAIN", "pass": "ok", "not_assessable": "n/a"}.get(f.status, f.status)
                delta = ""
                if isinstance(f.expected, int | float) and isinstance(f.observed, int | float):
                    d = f.observed - f.expected
                    delta = f", delta {round(d, 6):+}"
                flags = f" ({', '.join(f.flags)})" if f.flags else ""
                lines.append(f"    [{mark}] {_short(f.rule)}: expected {f.expected}, observed {f.observed}{delta}{flags}")
    for path, why in result.skipped:
        lines.append(f"skipped {path}: {why}")
    return "\n".join(lines)


def series_to_dict(result: SeriesResult) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "agencies": result.agencies,
        "pairs": [
            {
                "agency": p.agency,
                "prev_year": p.prev_year,
                "year": p.year,
                "prev_path": p.prev_path,
                "path": p.path,
                "findings": [asdict(f) for f in p.findings],
            }
            for p in result.pairs
        ],
        "skipped": [{"path": a, "reason": b} for a, b in result.skipped],
    }


def series_cli(inputs: list[str], show_all: bool = False, as_json: bool = False) -> int:
    """``nianbao check --series``: print the per-agency year-pair results; the exit status."""
    import click

    result = check_series_paths(inputs)
    if as_json:
        import orjson

        click.echo(orjson.dumps(series_to_dict(result), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(format_series(result, show_pass=show_all))
    if not result.agencies:
        return 2
    return 1 if any(f.status == "fail" and f.severity in ("error", "warning") for p in result.pairs for f in p.findings) else 0
