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
    summary = run_extract(list(inputs), output, quiet=quiet, workers=workers, engine=engine, scheduler=scheduler, resume=resume, timeout=timeout or None)
    if fail_on_error and summary.error:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also list passing checks.")
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON instead of the summary.")
def check(path: str, show_all: bool, as_json: bool) -> None:
    """Check one report and print a readable summary: sections, tables, findings with quoted evidence.

    Exit status: 0 when no check fails, 1 when a check fails, 2 when the file cannot be processed.
    """
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
def schema() -> None:
    """Print the JSON Schema of the output record."""
    click.echo(Path(__file__).with_name("data").joinpath("record.schema.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
