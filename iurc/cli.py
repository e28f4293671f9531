"""The `iurc` command line: thin commands that call the library and print a summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipelines.textsafe import escape_controls, safe_text

if TYPE_CHECKING:  # imported lazily at run time: the command line starts fast
    from pipelines.ingest.run import FileReport, IngestSummary

app = typer.Typer(
    name="iurc",
    help="IURC Impact: load programme data, check it, and serve the dashboard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)

MAX_PRINTED_PROBLEMS = 20


def say(message: str, err: bool = False) -> None:
    """Print one message line with control and bidi characters escaped (values come from files)."""
    typer.echo(escape_controls(message), err=err)


def cell(value: object) -> Text:
    """Return a table cell holding `value` as plain text (no Rich markup, controls escaped)."""
    return Text(safe_text(value))


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(
        ..., help="CSV, XLSX or JSON files, or IATI 2.x activity files (.xml), to load."
    ),
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
    entity: str | None = typer.Option(
        None,
        "--entity",
        help="Entity of every file, when the file names do not say it (e.g. activity).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; write nothing."),
) -> None:
    """Validate files and load their good rows; quarantine the rest with every reason.

    The entity comes from the file name (cities*, cooperations*, cooperation_members*,
    activities*, participations*, outputs*, funding*, targets*, observations*,
    sdg_alignments*, city_context*, output_adoptions*) or --entity. An IATI activity file
    (.xml) holds several entities, each loaded with the element path in place of the line
    (docs/iati.md). Exit status: 0 every row loaded, 1 some rows quarantined, 2 a file was
    rejected as a whole (nothing of it written).

    Example: iurc ingest data/raw/cities.csv data/raw/activities_2024.xlsx --db wh.duckdb
    Example: iurc ingest data/raw/cities.csv partner-iati.xml
    """
    from pipelines.ingest.run import ingest_files

    try:
        summary = ingest_files(
            paths, db=db, entity=entity, dry_run=dry_run, progress=console.is_terminal
        )
    except Exception as exc:  # noqa: BLE001 CLI boundary: one readable message, never a traceback
        say(f"error: {type(exc).__name__}: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    _audit_ingest(summary)
    for report in summary.files:
        shown_lines: set[int | None] = set()
        for problem in report.problems[:MAX_PRINTED_PROBLEMS]:
            say(str(problem))
            shown_lines.add(problem.line)
        more = report.rows_quarantined - len({ln for ln in shown_lines if ln is not None})
        if report.rows_quarantined and more > 0:
            say(
                f"{safe_text(report.file_name)}: ... and {more:,} more quarantined row(s): see ops.quarantine"
                f" (run {report.run_id or '-'}) or `iurc status`"
            )
        say(_file_line(report))
    if summary.dry_run:
        typer.echo("dry run: nothing was written")
    raise typer.Exit(summary.exit_code)


def _audit_ingest(summary: IngestSummary) -> None:
    """Write one audit entry per file of a (non-dry) ingest, as the OS user, via=cli."""
    if summary.dry_run:
        return
    from pipelines.app import audit

    try:
        for report in summary.files:
            audit.record_cli("ingest", report.file_name, report.sha256, report.status)
    except OSError as exc:  # the load itself is done; say why the log entry is missing
        say(f"warning: audit log not written: {safe_text(exc)}", err=True)


def _file_line(report: FileReport) -> str:
    """Return the one-line summary of a file report."""
    if report.status == "rejected":
        return f"{safe_text(report.file_name)}: REJECTED (exit 2), nothing written"
    head = f"{safe_text(report.file_name)} -> {report.entity or '?'}: {report.rows_read:,} read, "
    head += (
        f"{report.rows_loaded:,} valid ({report.rows_inserted:,} new, {report.rows_updated:,} updated, "
        f"{report.rows_unchanged:,} unchanged), {report.rows_quarantined:,} quarantined"
    )
    notes = "; ".join(safe_text(m, 400) for m in report.messages)
    return f"{head} [{report.status}]" + (f" - {notes}" if notes else "")


@app.command()
def status(
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
    runs: int = typer.Option(10, "--runs", min=1, max=1000, help="How many recent runs to list."),
) -> None:
    """Show the warehouse: tables with row counts, the last ingest runs, quarantine by file.

    Example: iurc status --db data/warehouse/iurc.duckdb
    """
    from pipelines.warehouse import db as dbmod
    from pipelines.warehouse.status import warehouse_status

    try:
        con = dbmod.connect_readonly(db)
        try:
            info = warehouse_status(con, last_runs=runs)
        finally:
            con.close()
    except Exception as exc:  # noqa: BLE001 CLI boundary: one readable message, never a traceback
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    tables = Table(title="Tables")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    for name, count in info.tables:
        tables.add_row(name, f"{count:,}")
    console.print(tables)
    last = Table(title=f"Last {runs} ingest runs")
    for col in (
        "finished",
        "file",
        "entity",
        "read",
        "loaded",
        "new",
        "updated",
        "quarantined",
        "status",
    ):
        last.add_column(col)
    for r in info.runs:
        last.add_row(
            str(r["finished_at"])[:19],
            cell(r["file_name"]),
            cell(r["entity"]),
            f"{r['rows_read']:,}",
            f"{r['rows_loaded']:,}",
            f"{r['rows_inserted']:,}",
            f"{r['rows_updated']:,}",
            f"{r['rows_quarantined']:,}",
            cell(r["status"]),
        )
    console.print(last)
    quarantine = Table(title="Quarantined rows by file")
    quarantine.add_column("file")
    quarantine.add_column("rows", justify="right")
    quarantine.add_column("last run")
    for file_name, count, run in info.quarantine:
        quarantine.add_row(cell(file_name), f"{count:,}", cell(run))
    if not info.quarantine:
        quarantine.add_row("(none)", "0", "")
    console.print(quarantine)


@app.command()
def demo(
    db: Path | None = typer.Option(
        None,
        "--db",
        help="Warehouse file to (re)build (default: $IURC_DB or data/warehouse/iurc.duckdb).",
    ),
    seed: int = typer.Option(
        2023, "--seed", help="Random seed: the same seed and scale give identical files."
    ),
    scale: int = typer.Option(
        20_000,
        "--scale",
        min=100,
        help="Participation rows to generate; activities and outputs grow in proportion.",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Folder for the generated input files (default: data/raw/demo/)."
    ),
) -> None:
    """Build the demo warehouse: realistic input files, loaded through the ingest path.

    Writes CSV, XLSX and JSON files for every entity (the programme's real cities and pairings,
    synthetic activities and results, and 8 deliberately bad rows) and loads them into a fresh
    warehouse that replaces the one at --db atomically. Exit status: 0 when the warehouse is
    built and exactly the planted rows were quarantined; 1 otherwise (the report says why).

    Example: iurc demo --scale 1000000 --db data/warehouse/bench.duckdb
    """
    from pipelines.demo.build import build_demo, format_report

    try:
        report = build_demo(
            db=db,
            out_dir=out,
            seed=seed,
            scale=scale,
            progress=console.is_terminal,
            log=lambda line: typer.echo(line, err=True),
        )
    except Exception as exc:  # noqa: BLE001 CLI boundary: one readable message, never a traceback
        say(f"error: {type(exc).__name__}: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    for line in format_report(report).splitlines():  # one escaped line at a time
        say(line)
    raise typer.Exit(report.exit_code)


@app.command()
def serve(
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface to bind (loopback by default)."
    ),
    port: int = typer.Option(8050, "--port", min=1, max=65535, help="TCP port."),
    debug: bool = typer.Option(
        False, "--debug", help="Dash debug mode (also IURC_DEBUG=1); never in production."
    ),
    lake: Path | None = typer.Option(
        None,
        "--lake",
        help="Serve a Parquet lake written by 'iurc publish' instead of the file (also $IURC_LAKE).",
    ),
) -> None:
    """Serve the dashboard over the published warehouse (it follows re-publication).

    For production use gunicorn instead: IURC_DB=wh.duckdb gunicorn -b 127.0.0.1:8050 dashboard.app:server
    (or IURC_LAKE=DIR for a Parquet lake).

    Example: iurc serve --db data/warehouse/iurc.duckdb --port 8050
    """
    from dashboard.app import main as serve_dashboard
    from pipelines import config
    from pipelines.warehouse import lake as lakemod

    debug = debug or config.debug_enabled()
    if debug and not config.is_loopback(host):
        say(f"error: --debug is refused on {host}: only on a loopback address", err=True)
        raise typer.Exit(2)
    lake_dir = config.lake_path(lake)
    if lake_dir is not None:
        try:
            lakemod.current_run(lake_dir)
        except FileNotFoundError as exc:
            say(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"serving the lake {lake_dir} on http://{host}:{port}/")
        serve_dashboard(host=host, port=port, debug=debug, lake=lake_dir)
        return
    path = config.warehouse_path(db)
    if not path.exists():
        typer.echo(
            f"error: no warehouse at {path}: run 'iurc demo' or 'iurc ingest' first", err=True
        )
        raise typer.Exit(2)
    reason = _stale_reason(path)
    if reason is not None:
        say(f"error: {path}: {reason}: run 'iurc refresh --db {path}' first", err=True)
        raise typer.Exit(2)
    typer.echo(f"serving {path} on http://{host}:{port}/")
    serve_dashboard(db=path, host=host, port=port, debug=debug)


def _stale_reason(path: Path) -> str | None:
    from pipelines.warehouse import db as dbmod
    from pipelines.warehouse import marts

    con = dbmod.connect_readonly(path)
    try:
        return marts.stale_reason(con)
    finally:
        con.close()


@app.command()
def refresh(
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
    force: bool = typer.Option(False, "--force", help="Rebuild the marts even if they match."),
) -> None:
    """Rebuild the warehouse's marts after an upgrade: only when they were built by another
    version of IURC Impact (or with --force). The data is kept; the warehouse is published
    atomically, so a running dashboard keeps serving and then picks up the new marts.

    Example: iurc refresh --db data/warehouse/iurc.duckdb
    """
    import time

    from pipelines import config
    from pipelines.warehouse import db as dbmod

    path = config.warehouse_path(db)
    if not path.exists():
        say(f"error: no warehouse at {path}: run 'iurc demo' or 'iurc ingest' first", err=True)
        raise typer.Exit(2)
    started = time.monotonic()
    if dbmod.refresh_marts(path, force=force):
        say(f"rebuilt the marts of {path} in {time.monotonic() - started:.1f} s")
    else:
        say(f"the marts of {path} match this version: nothing to do")


def _print_timing(timing: tuple[str, float, float]) -> None:
    name, planned, executed = timing
    say(f"  {name:<32} analyse {planned:6.2f} s  plan+execute+write {executed:6.2f} s")


@app.command()
def publish(
    lake: Path = typer.Option(..., "--lake", help="Lake directory (a new run is switched in)."),
    engine: str = typer.Option(
        "spark", "--engine", help="Engine computing the marts: spark or duckdb."
    ),
    master: str = typer.Option(
        "local[*]", "--master", help="Spark master URL (local[*], spark://host:7077, k8s://...)."
    ),
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
    conf: list[str] = typer.Option(
        [], "--conf", help="Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=4g."
    ),
    timings: bool = typer.Option(
        False, "--timings", help="Print each Spark mart's analysis and execution seconds."
    ),
) -> None:
    """Publish the warehouse as a Parquet lake: core tables exported, marts computed by the engine.

    The new run under LAKE/ becomes current atomically once complete; serve it with
    'iurc serve --lake LAKE' (or IURC_LAKE=LAKE). Exit status 2 on bad input or a failed run.

    Example: iurc publish --engine spark --master local[*] --lake data/lake
    """
    import time

    from pipelines.warehouse import lake as lakemod

    if engine not in lakemod.ENGINES:
        say(
            f"error: unknown engine {engine!r}: choose one of {', '.join(lakemod.ENGINES)}",
            err=True,
        )
        raise typer.Exit(2)
    settings = dict(item.split("=", 1) for item in conf if "=" in item)
    if len(settings) != len(conf):
        say("error: --conf takes KEY=VALUE", err=True)
        raise typer.Exit(2)
    started = time.monotonic()
    try:
        run = lakemod.publish(
            db,
            lake,
            engine=engine,
            master=master,
            spark_conf=settings,
            log=_print_timing if timings else None,
        )
    except FileNotFoundError as exc:
        say(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except ImportError as exc:
        say(f"error: {exc}: install the spark extra (uv sync --extra spark) and Java 17+", err=True)
        raise typer.Exit(2) from None
    marts = len(lakemod.tables(run, schemas=("mart",)))
    say(
        f"published {run.name} to {run.parent}: {marts} marts by {engine} "
        f"in {time.monotonic() - started:.1f} s"
    )


@app.command()
def template(
    entity: str = typer.Argument(
        ..., help="Entity name (city, activity, participation, ...) or 'all'."
    ),
    fmt: str | None = typer.Option(None, "--format", help="csv or xlsx (default: both)."),
    out: Path = typer.Option(Path("templates"), "--out", help="Folder to write the templates to."),
) -> None:
    """Write input-file templates generated from the schemas: CSV (header + README) and XLSX.

    The XLSX template has a data sheet, a Descriptions sheet, a Codes sheet and dropdowns on
    coded columns. A filled template loads with `iurc ingest`.

    Example: iurc template participation --format xlsx --out templates/
    """
    from pipelines.export.templates import write_templates

    try:
        paths = write_templates(entity, out, fmt)
    except ValueError as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    for path in paths:
        typer.echo(str(path))


@app.command()
def dictionary(
    out: Path | None = typer.Option(
        None, "--out", help="File to write (default: docs/data-dictionary.md)."
    ),
) -> None:
    """Regenerate the data dictionary from the schemas, the warehouse DDL and marts, and ref.indicator.

    Example: iurc dictionary --out docs/data-dictionary.md
    """
    from pipelines.export.dictionary import write

    typer.echo(str(write(out)))


@app.command()
def export(
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
    out: Path = typer.Option(
        Path("export"),
        "--out",
        help="Folder to write the files and README.md to (iati: the .xml file, or a folder).",
    ),
    fmt: str = typer.Option("csv", "--format", help="csv, parquet or iati (IATI 2.03 XML)."),
    lang: str = typer.Option("en", "--lang", help="Language of the label columns: en, fr or es."),
) -> None:
    """Export every mart and core table as CSV or Parquet, with codes and labels and a README.

    A Parquet export also writes datapackage.json (Frictionless Data Package: a Table Schema
    for every file, licence and sources).

    CSV text cells starting with = + - @ tab or CR get a leading apostrophe (no spreadsheet formulas).

    `--format iati` writes one IATI 2.03 activity file (the programme, its cooperations and
    activities; mapping in docs/iati.md) and checks it against the IATI 2.03 XSD.

    Example: iurc export --db data/warehouse/iurc.duckdb --out export/ --format parquet --lang fr
    Example: iurc export --format iati --out export/iurc-iati.xml
    """
    from pipelines.export.files import export_path

    if fmt == "iati":
        from pipelines.export.iati import export_iati_path

        try:
            path, count = export_iati_path(db, out)
        except (ValueError, FileNotFoundError, OSError) as exc:
            say(f"error: {safe_text(exc)}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"{path}: {count:,} IATI activities (valid against the IATI 2.03 XSD)")
        return

    try:
        files = export_path(db, out, fmt=fmt, lang=lang)
    except (ValueError, FileNotFoundError, OSError) as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    for f in files:
        typer.echo(f"{f.path.name}: {f.rows:,} rows")
    typer.echo(str(Path(out) / "README.md"))
    if fmt == "parquet":
        typer.echo(str(Path(out) / "datapackage.json"))


@app.command()
def report(
    period: int = typer.Option(..., "--period", help="Calendar year reported, e.g. 2025."),
    quarter: str | None = typer.Option(None, "--quarter", help="One quarter of it: Q1..Q4."),
    network: str | None = typer.Option(None, "--network", help="One thematic network's id."),
    city: str | None = typer.Option(None, "--city", help="One city's id (e.g. turin-it)."),
    filters: list[str] = typer.Option(
        [],
        "--filter",
        help="Any declared filter as NAME=CODE[,CODE...] (network, subtheme, region, country, "
        "mode, challenge); repeatable.",
    ),
    lang: str = typer.Option("en", "--lang", help="Language: en, fr or es."),
    fmt: str = typer.Option("pdf", "--format", help="pdf or html."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
) -> None:
    """Write the periodic KPI report (PDF or HTML): cover, executive summary, scorecard with
    status, a section per network, participation, SDG, benchmarking, outputs and funding, data
    quality and provenance, definitions. Every figure comes from the metric layer.

    Example: iurc report --period 2025 --quarter Q3 --network innovation --lang fr --out q3.pdf
    --filter region=EU --filter challenge=digital_transition_smart_city
    """
    from dashboard import static_charts
    from dashboard.i18n import LANGS
    from pipelines.report.scope import (
        ReportScope,
        ScopeError,
        parse_filter_options,
        parse_quarter,
    )
    from pipelines.warehouse import db as warehouse

    if lang not in LANGS or fmt not in ("pdf", "html"):
        say(f"error: --lang must be one of {', '.join(LANGS)}; --format pdf or html", err=True)
        raise typer.Exit(2)
    try:
        scope = ReportScope(
            period,
            quarter=parse_quarter(quarter),
            network=network,
            city=city,
            codes=parse_filter_options(filters),
        )
        con = warehouse.connect_readonly(db)
        try:
            # the charts' browser boots (in its own processes) while the report's modules import
            static_charts.start()
            from dashboard.report import build_report

            content = build_report(con, scope, lang, "pdf" if fmt == "pdf" else "html")
        finally:
            con.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    except (
        ScopeError,
        FileNotFoundError,
        OSError,
        static_charts.ChartError,
        duckdb_error(),
    ) as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    say(f"{out} ({len(content):,} bytes)")


def duckdb_error() -> type[Exception]:
    """Return DuckDB's base error class (imported late: the command line starts fast)."""
    import duckdb

    error: type[Exception] = duckdb.Error
    return error


@app.command()
def tag(
    entity: list[str] = typer.Option(
        ["activity", "output"], "--entity", help="activity and/or output (repeatable)."
    ),
    since: str | None = typer.Option(
        None, "--since", help="Only texts loaded on or after this date (YYYY-MM-DD)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Suggest and validate; write nothing."),
    method: str = typer.Option(
        "keyword",
        "--method",
        help="keyword (TF-IDF + rules), or model: English texts also scored by the sdg-model "
        "extra's embedding model (install the sdg-model extra).",
    ),
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
) -> None:
    """Suggest SDG goals and targets for untagged or changed activity and output texts (EN/FR/ES).

    Suggestions (method keyword or model, status suggested, with score, evidence and version) are loaded
    through the validated ingest path; reviewed and manual tags are never overwritten. Exit
    status as for ingest.

    Example: iurc tag --entity activity --since 2025-01-01 --dry-run
    """
    import datetime as dt

    from pipelines.tagging.embedding import ModelMissing
    from pipelines.tagging.run import run_tagging

    try:
        since_date = dt.date.fromisoformat(since) if since else None
        report = run_tagging(
            db=db, entities=tuple(entity), since=since_date, dry_run=dry_run, method=method
        )
    except ModelMissing as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - one readable message, never a traceback
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(2) from None
    goals = report.rows[report.rows["target_id"].isna()] if len(report.rows) else report.rows
    typer.echo(
        f"{report.texts:,} text(s) to tag: {len(goals):,} goal suggestion(s) "
        f"({report.strong:,} strong), {len(report.rows) - len(goals):,} target suggestion(s); "
        f"{report.skipped_reviewed:,} kept as reviewed"
    )
    if report.ingest is not None:
        for file_report in report.ingest.files:
            for problem in file_report.problems[:MAX_PRINTED_PROBLEMS]:
                typer.echo(str(problem))
            typer.echo(_file_line(file_report))
    if dry_run:
        typer.echo("dry run: nothing was written")
    raise typer.Exit(report.exit_code)


review_app = typer.Typer(help="SDG review decisions recorded in the review queue (/review/sdg).")
app.add_typer(review_app, name="review")


@review_app.command("apply")
def review_apply(
    db: Path | None = typer.Option(
        None, "--db", help="Warehouse file (default: $IURC_DB or data/warehouse/iurc.duckdb)."
    ),
) -> None:
    """Apply the pending SDG review decisions: load them as reviewed tags and publish.

    The one writer: decisions recorded on /review/sdg (who and when, in the app database) become
    accepted or rejected sdg_alignment rows through the validated ingest path; `iurc tag` never
    overwrites them. Exit status as for ingest (0 also when nothing was pending).

    Example: iurc review apply --db data/warehouse/iurc.duckdb
    """
    from pipelines.app import sdg_review

    try:
        report = sdg_review.apply_decisions(db=db)
    except (sdg_review.ReviewError, OSError) as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    say(
        f"{report.applied:,} decision(s) applied ({report.rows:,} tag row(s)), "
        f"{report.stale:,} no longer suggested"
    )
    for (entity_type, entity_id), goal in report.primaries.items():
        say(
            f"{entity_type} {safe_text(entity_id)}: primary SDG rejected, SDG {goal} is primary now"
        )
    raise typer.Exit(report.exit_code)


user_app = typer.Typer(
    help="Accounts of the web app (roles: public, city_editor, programme_officer, admin)."
)
app.add_typer(user_app, name="user")


def _password(confirm: bool) -> str:
    """Return a password read from a hidden prompt, or from stdin's first line when piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=confirm))


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="User name (sign-in name)."),
    role: str = typer.Option(..., "--role", help="city_editor, programme_officer or admin."),
    city: list[str] = typer.Option(
        [], "--city", help="City id a city editor acts for (repeatable)."
    ),
) -> None:
    """Create an account; the password is read from a prompt or stdin (never from argv).

    Example: printf '%s\n' "$PW" | iurc user add ana --role city_editor --city turin-it
    """
    from pipelines.app import audit, users

    try:
        made = users.add(username, _password(confirm=True), role, tuple(city))
        audit.record_cli("user_add", None, None, f"{made.username}:{made.role}")
    except users.UserError as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    say(f"user {made.username} added as {made.role}")


@user_app.command("set-role")
def user_set_role(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., "--role"),
    city: list[str] = typer.Option([], "--city", help="City id (repeatable) for a city editor."),
) -> None:
    """Change an account's role and cities. Example: iurc user set-role ana --role programme_officer"""
    from pipelines.app import audit, users

    try:
        changed = users.set_role(username, role, tuple(city))
        audit.record_cli("user_set_role", None, None, f"{changed.username}:{changed.role}")
    except users.UserError as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    say(f"user {changed.username} is now {changed.role}")


@user_app.command("disable")
def user_disable(
    username: str = typer.Argument(...),
    enable: bool = typer.Option(False, "--enable", help="Enable the account again."),
) -> None:
    """Disable an account (it cannot sign in; its session ends at its next request)."""
    from pipelines.app import audit, users

    try:
        users.set_disabled(username, not enable)
        audit.record_cli("user_enable" if enable else "user_disable", None, None, username)
    except users.UserError as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    say(f"user {username} {'enabled' if enable else 'disabled'}")


@user_app.command("list")
def user_list() -> None:
    """List the accounts: name, role, cities, disabled."""
    from pipelines.app import users

    table = Table(title="Users")
    for col in ("user", "role", "cities", "disabled"):
        table.add_column(col)
    for u in users.all_users():
        table.add_row(
            cell(u.username), u.role, cell(",".join(u.cities)), "yes" if u.disabled else ""
        )
    console.print(table)


@app.command()
def snapshots(
    db: Path | None = typer.Option(None, "--db", help="Warehouse file."),
) -> None:
    """List the kept snapshots (earlier published warehouses), oldest first.

    Example: iurc snapshots --db data/warehouse/iurc.duckdb
    """
    from pipelines.warehouse import db as dbmod

    found = dbmod.list_snapshots(db)
    for snap in found:
        typer.echo(f"{snap.stem}  {snap.stat().st_size:,} bytes")
    if not found:
        typer.echo("no snapshots yet")


@app.command()
def restore(
    run: str = typer.Argument(..., help="Snapshot id, as `iurc snapshots` lists it."),
    db: Path | None = typer.Option(None, "--db", help="Warehouse file."),
) -> None:
    """Publish a snapshot again, atomically; the current warehouse is kept as a snapshot.

    Example: iurc restore 20261129T181500-1a2b3c
    """
    from pipelines.app import audit
    from pipelines.warehouse import db as dbmod

    try:
        dbmod.restore(run, db)
    except (LookupError, OSError) as exc:
        say(f"error: {safe_text(exc)}", err=True)
        raise typer.Exit(2) from None
    audit.record_cli("restore", run, None, "restored")
    say(f"restored snapshot {run}")


def main() -> None:
    """Run the CLI (entry point for `python -m iurc.cli`)."""
    app()


if __name__ == "__main__":
    main()
