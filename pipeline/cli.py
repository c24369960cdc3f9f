"""The ``nianbao`` command: a thin layer over the Python API."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """nianbao (年报): extract and reconcile Chinese government information-disclosure annual reports.

    \b
    Typical use:
      nianbao extract corpora/reports -o out.jsonl   annotated JSONL, one record per input
      nianbao check report.txt                        readable summary, failures first
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output JSONL file ('-' for stdout).")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores; 1 = in this process).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="local processes, or a Dask cluster.")
@click.option(
    "--scheduler", metavar="ADDRESS", default=None, help="Dask scheduler address (implies --engine dask); without it Dask starts a local cluster on 127.0.0.1."
)
@click.option("--resume", is_flag=True, help="Keep the records already in OUTPUT (matched by path and sha256) and process only the rest.")
@click.option(
    "--timeout",
    type=float,
    default=300.0,
    show_default=True,
    help="Per-document time limit in seconds (0 = none); an overrun yields an error record of type 'timeout'.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, error lines or summary on stderr.")
@click.option("--fail-on-error/--no-fail-on-error", default=True, show_default=True, help="Exit with status 1 when any document yields an error record.")
@click.option(
    "--fsync",
    is_flag=True,
    help="Wait until OUTPUT is on disk before exiting (a killed run loses nothing without it; this guards against the machine going down).",
)
def extract(
    inputs: tuple[str, ...],
    output: str,
    workers: int | None,
    engine: str,
    scheduler: str | None,
    resume: bool,
    timeout: float,
    quiet: bool,
    fail_on_error: bool,
    fsync: bool,
) -> None:
    """Extract annotated JSONL records from report files, directories, globs or zip archives.

    Every input yields exactly one record, in input order; a file that cannot be
    processed yields an error record naming the reason, and the run goes on.  Members of
    a zip archive are named ARCHIVE.zip!MEMBER.  A progress bar (documents/s, ETA) is shown
    when stderr is a terminal.  Records are written whole, line by line, so a killed run
    can be continued with --resume.
    """
    from pipeline.batch.run import run_extract

    if resume and output == "-":
        raise click.UsageError("--resume needs -o FILE")
    summary = run_extract(
        list(inputs), output, quiet=quiet, workers=workers, engine=engine, scheduler=scheduler, resume=resume, timeout=timeout or None, fsync=fsync
    )
    if fail_on_error and summary.error:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path())
@click.option("--all", "show_all", is_flag=True, help="Also list passing checks.")
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON instead of the summary.")
@click.option("--series", is_flag=True, help="PATH is a directory (or glob) of one or more agencies' reports: check consecutive years of each agency.")
def check(path: str, show_all: bool, as_json: bool, series: bool) -> None:
    """Check one report and print a readable summary: sections, tables, findings with quoted evidence.

    With --series, group the reports under PATH by agency and year and print the cross-year
    checks (上年结转 vs last year's 结转下年度 per column, 现行有效件数 continuity) per year pair.

    Exit status: 0 when no check fails, 1 when a check fails, 2 when the file cannot be processed.
    """
    if series:
        from pipeline.reconcile.series import series_cli

        sys.exit(series_cli([path], show_all=show_all, as_json=as_json))
    if Path(path).is_dir():
        raise click.BadParameter(f"{path} is a directory; use --series to check a series of reports", param_hint="PATH")
    import pipeline
    from pipeline.export import record_to_dict

    rec = pipeline.process(path)
    d = record_to_dict(rec)
    if as_json:
        import orjson

        click.echo(orjson.dumps(d, option=orjson.OPT_INDENT_2).decode())
    else:
        from pipeline.export.summary import summarize

        click.echo(summarize(d, show_pass=show_all, color=sys.stdout.isatty()))
    if d["status"] == "error":
        sys.exit(2)
    if any(f["status"] == "fail" and f["severity"] == "error" for f in d["findings"]):
        sys.exit(1)


@main.command()
@click.argument("jsonl", type=click.Path(exists=True, dir_okay=False))
def validate(jsonl: str) -> None:
    """Validate every record of a JSONL file against the shipped JSON Schema."""
    import orjson

    from pipeline.export import validate as validate_record

    bad = 0
    n = 0
    with open(jsonl, "rb") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            n += 1
            errors = validate_record(orjson.loads(line))
            if errors:
                bad += 1
                click.echo(f"line {i}: " + "; ".join(errors[:3]), err=True)
    click.echo(f"{n} records, {n - bad} valid, {bad} invalid")
    if bad:
        sys.exit(1)


@main.command()
@click.argument("jsonl", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print corpus statistics as JSON.")
@click.option("--documents/--no-documents", default=True, show_default=True, help="Print a summary of each document before the corpus statistics.")
@click.option("--all", "show_all", is_flag=True, help="List passing checks in document summaries too.")
def report(jsonl: str, as_json: bool, documents: bool, show_all: bool) -> None:
    """Readable report of an extract output: per-document summaries, then corpus statistics
    (documents, templates, tables, and failure rates per rule family)."""
    import orjson

    from pipeline.export.stats import corpus_stats, format_stats
    from pipeline.export.summary import summarize

    with open(jsonl, "rb") as fh:
        records = [orjson.loads(line) for line in fh if line.strip()]
    stats = corpus_stats(records)
    if as_json:
        click.echo(orjson.dumps(stats, option=orjson.OPT_INDENT_2).decode())
        return
    if documents:
        for rec in records:
            click.echo(summarize(rec, show_pass=show_all, color=sys.stdout.isatty()))
            click.echo("")
    click.echo(format_stats(stats))


@main.command()
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--n", "n", type=click.IntRange(min=1), default=100, show_default=True, help="Number of reports.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed (same seed, same files).")
@click.option("--formats", default="txt,html,html-gbk,docx", show_default=True, help="Comma-separated formats, assigned in turn: txt, html, html-gbk, docx.")
@click.option("--inject", "inject_rate", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Share of reports given one labeled inconsistency.")
@click.option(
    "--inject-kinds",
    default=None,
    help="Comma-separated kinds to inject (default all): narrative_table, narrative_table_zero, identity, cross_year, narrative_narrative, plausibility.",
)
@click.option(
    "--series", "series_rate", type=click.FloatRange(0, 1), default=0.1, show_default=True, help="Chance that a report starts a 3-5 year series of one agency."
)
def generate(outdir: str, n: int, seed: int, formats: str, inject_rate: float, inject_kinds: str | None, series_rate: float) -> None:
    """Write N realistic reports with gold files (docs/gold-format.md) to OUTDIR: both templates and hybrids,
    agencies of every level, tables consistent by construction, optional injected inconsistencies."""
    import time

    from pipeline.evaluate.generate import generate as gen

    t0 = time.perf_counter()
    try:
        stats = gen(
            outdir,
            n=n,
            seed=seed,
            formats=[f.strip() for f in formats.split(",") if f.strip()],
            inject_rate=inject_rate,
            inject_kinds=[k.strip() for k in inject_kinds.split(",")] if inject_kinds else None,
            series_rate=series_rate,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    dt = time.perf_counter() - t0
    click.echo(f"{n} reports with gold files in {outdir} ({dt:.1f} s)")
    click.echo("  " + ", ".join(f"{k} {v}" for k, v in stats.items() if k != "reports"))


@main.command(name="eval")
@click.argument("corpora", nargs=-1)
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, help="Write the full results as JSON.")
@click.option(
    "--floors",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Fail (exit 1) when a figure drops below its floor; without CORPUS, evaluates the corpus the file describes.",
)
@click.option("--record-floors", is_flag=True, help="With --floors: rewrite the floors from the current figures minus the file's margin.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
def eval_cmd(corpora: tuple[str, ...], json_out: str | None, floors: str | None, record_floors: bool, workers: int) -> None:
    """Score the pipeline against gold files: table cells, quantities, linking, findings (per rule).

    Each CORPUS (a directory of *.gold.json, e.g. a `nianbao generate` output, corpora/gold/real,
    corpora/) is one column, so generated and real figures print side by side. Gold files whose
    document is missing (shared reports on a fresh clone) are skipped.
    """
    from pipeline.evaluate.run import run_eval

    sys.exit(run_eval(list(corpora), json_out=json_out, floors_path=floors, workers=workers, record_floors=record_floors))


@main.command()
@click.option("--out", "out_dir", default=None, help="Model directory (default: models/linker).")
@click.option("--contexts", default=None, help="Labeled claim contexts (default: corpora/gold/linking/contexts.yaml).")
@click.option("--gold", "gold_root", default=None, help="Gold files whose claims are also trained on (default: corpora/gold; real-report gold is never used).")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def train(out_dir: str | None, contexts: str | None, gold_root: str | None, as_json: bool) -> None:
    """Rebuild the indicator linker (models/linker) from the project's labeled data.

    Deterministic (fixed seed); docs whose id ends in 7, 8 or 9 are held out and scored.
    """
    from pipeline.nlp.linker import train_cli

    click.echo(train_cli(out_dir, contexts, gold_root, as_json))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the output record."""
    click.echo(Path(__file__).with_name("data").joinpath("record.schema.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
