"""Human-readable summary of a record (``nianbao check``): failures first, evidence quoted."""

from __future__ import annotations

from typing import Any

_ORDER = {"fail": 0, "uncertain": 1, "not_assessable": 2, "pass": 3}
_SEV = {"error": 0, "warning": 1, "info": 2}
_MARK = {"fail": "FAIL", "uncertain": "UNCERTAIN", "not_assessable": "N/A", "pass": "pass"}


def _quote(text: str, start: int | None, end: int | None, width: int = 60) -> str:
    if start is None or end is None:
        return ""
    s = text[start:end].replace("\n", " ").replace("\t", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def summarize(d: dict[str, Any], show_pass: bool = False, color: bool = False) -> str:
    """Summary lines for one record dict."""

    def style(s: str, fg: str | None = None, bold: bool = False) -> str:
        if not color:
            return s
        import click

        return click.style(s, fg=fg, bold=bold)

    lines: list[str] = []
    src = d["source"]
    lines.append(style(f"{src['path']}  ({src['format']}, {src['bytes']} bytes)", bold=True))
    if d["status"] == "error":
        lines.append(style(f"  ERROR {d['error']['type']}: {d['error']['message']}", fg="red"))
        return "\n".join(lines)
    m = d["meta"]
    lines.append(f"  agency: {m['agency'] or '?'}   year: {m['year'] or '?'}   template: {m['template'] or '?'}")
    keys = [s["key"] for s in d["sections"]]
    lines.append(
        f"  sections: {len(keys)}/6 found"
        + (f" (missing {', '.join(k for k in ['s1', 's2', 's3', 's4', 's5', 's6'] if k not in keys)})" if len(keys) < 6 else "")
    )
    for t in d["tables"]:
        n = len(t["cells"])
        blank = sum(1 for c in t["cells"] if c.get("provenance") == "blank")
        lines.append(
            f"  table {t['key']}: {t['template'] or '?'}, {n} cells ({blank} blank)" + (f"; notes: {'; '.join(t['notes'][:3])}" if t.get("notes") else "")
        )
    found = {t["key"] for t in d["tables"]}
    for k in ("t2", "t3", "t4"):
        if k not in found:
            lines.append(style(f"  table {k}: not found", fg="yellow"))
    lines.append(f"  narrative: {len(d['quantities'])} quantities, {len(d['claims'])} claims ({sum(1 for c in d['claims'] if c['indicator'])} linked)")
    fs = d["findings"]
    counts: dict[str, int] = {}
    for f in fs:
        counts[f["status"]] = counts.get(f["status"], 0) + 1
    lines.append("  findings: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("fail", "uncertain", "not_assessable", "pass")))
    text = d["text"]
    for f in sorted(fs, key=lambda f: (_ORDER[f["status"]], _SEV[f["severity"]], f["id"])):
        if f["status"] == "pass" and not show_pass:
            continue
        fg = {"fail": "red", "uncertain": "yellow"}.get(f["status"])
        lines.append(style(f"  [{_MARK[f['status']]}/{f['severity']}] {f['rule']}", fg=fg, bold=f["status"] == "fail") + f"  {f['message']}")
        for e in f["evidence"][:6]:
            q = _quote(text, e["start"], e["end"])
            if q:
                lines.append(f"      {e['kind']} {e['ref']} @{e['start']}-{e['end']}: “{q}”")
        if len(f["evidence"]) > 6:
            lines.append(f"      … {len(f['evidence']) - 6} more evidence spans")
    if not show_pass and counts.get("pass"):
        lines.append(f"  ({counts['pass']} passing checks hidden; --all shows them)")
    return "\n".join(lines)
