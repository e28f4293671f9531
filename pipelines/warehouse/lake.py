"""The Parquet lake: the published warehouse as Parquet files, served by DuckDB.

Layout of a lake directory:

    DIR/current                 the name of the published run (a one-line file, replaced atomically)
    DIR/<run>/<schema>/<table>/*.parquet   core, ref and ops tables exported from the warehouse,
                                           mart tables computed by an engine (Spark)
    DIR/<run>/core/<table>/year=YYYY/*.parquet   the large core tables (`PARTITIONS`), one folder
                                           per activity start year; the year is in the folder
                                           name only, so the files keep the table's columns

A publish writes a new run directory beside the published one and only then replaces `current`
(write a temporary file, fsync, rename: atomic on POSIX and NTFS), so readers see the old run or the
new one, never a half-written one. `connect()` gives a DuckDB connection whose `core`, `ref`, `ops`
and `mart` schemas are views over the current run's Parquet, plus the mart macros created from
the same mart files, so every query of the metric layer runs on it unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines import config

CURRENT = "current"
EXPORTED = ("core", "ref", "ops")
SCHEMAS = (*EXPORTED, "mart")
KEEP_RUNS = 3


# The core tables exported partitioned by year: the ones that grow with the programme's years
# (participation is ~20x activity). Each maps to a query adding the partition key `year`: the
# start year of the activity (a participation row takes its activity's). The key is written in the
# folder name only (DuckDB's PARTITION_BY default), and both readers glob the files without
# Hive partition discovery, so `select *` of a partitioned table has the warehouse's columns.
PARTITION_KEY = "year"
PARTITIONS: dict[tuple[str, str], str] = {
    ("core", "activity"): "select *, year(start_date) as year from core.activity",
    ("core", "participation"): (
        "select p.*, year(a.start_date) as year from core.participation as p "
        "left join core.activity as a on a.activity_id = p.activity_id"
    ),
}


def table_dir(run_dir: Path, schema: str, name: str) -> Path:
    """Return the directory holding one table's Parquet files in a run."""
    return run_dir / schema / name


def parquet_files(table: Path) -> str:
    """Return the glob of one lake table's Parquet files (`*.parquet`, or `year=*/*.parquet`).

    A glob of the files themselves, so neither DuckDB nor Spark adds the partition key as a column.
    """
    if any(table.glob(f"{PARTITION_KEY}=*")):
        return str(table / f"{PARTITION_KEY}=*" / "*.parquet")
    return str(table / "*.parquet")


def tables(run_dir: Path, schemas: tuple[str, ...] = SCHEMAS) -> list[tuple[str, str, Path]]:
    """Return (schema, table, directory) for every table a run holds, sorted."""
    found: list[tuple[str, str, Path]] = []
    for schema in schemas:
        base = run_dir / schema
        if base.is_dir():
            found.extend((schema, d.name, d) for d in sorted(base.iterdir()) if d.is_dir())
    return found


def new_run(lake: Path) -> Path:
    """Create and return a fresh, unpublished run directory in `lake`."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    run = lake / f"run-{stamp}-{uuid.uuid4().hex[:8]}"
    run.mkdir(parents=True)
    return run


def _quote(text: str) -> str:
    """Return a SQL string literal (DDL and COPY take no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def export_tables(con: duckdb.DuckDBPyConnection, run_dir: Path) -> list[str]:
    """Export every core, ref and ops table of a warehouse connection to Parquet; return their names."""
    rows = con.execute(
        """
        select schema_name, table_name from duckdb_tables()
        where schema_name in ('core', 'ref', 'ops') and not temporary
        order by all
        """
    ).fetchall()
    for schema, name in rows:
        _copy(con, run_dir, schema, name)
    return [f"{schema}.{name}" for schema, name in rows]


def _copy(con: duckdb.DuckDBPyConnection, run_dir: Path, schema: str, name: str) -> None:
    """Write one warehouse relation as `run_dir/<schema>/<name>/part-0.parquet`.

    A table of `PARTITIONS` is written as one folder per year instead (`year=YYYY/data_0.parquet`).
    """
    target = table_dir(run_dir, schema, name)
    partitioned = PARTITIONS.get((schema, name))
    target.parent.mkdir(parents=True, exist_ok=True)
    if partitioned:
        con.execute(
            f"copy ({partitioned}) to {_quote(str(target))} "
            f"(format parquet, partition_by ({PARTITION_KEY}))"
        )
        return
    target.mkdir(exist_ok=True)
    out = _quote(str(target / "part-0.parquet"))
    con.execute(f'copy (select * from {schema}."{name}") to {out} (format parquet)')


def _fsync(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch(lake: Path, run_dir: Path) -> None:
    """Publish `run_dir` as the lake's current run (atomic rename), then drop old runs."""
    pointer = lake / CURRENT
    tmp = lake / f".{CURRENT}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(run_dir.name + "\n", encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, pointer)
    _fsync(lake)
    prune(lake)


def prune(lake: Path, keep: int = KEEP_RUNS) -> list[Path]:
    """Delete all but the `keep` newest runs (never the current one); return those deleted."""
    current = current_run(lake)
    runs = sorted((p for p in lake.glob("run-*") if p.is_dir()), key=lambda p: p.name)
    gone = [p for p in runs[:-keep] if p != current]
    for run in gone:
        shutil.rmtree(run, ignore_errors=True)
    return gone


def current_run(lake: str | os.PathLike[str]) -> Path:
    """Return the published run directory of a lake (raises FileNotFoundError when none is)."""
    base = Path(lake)
    pointer = base / CURRENT
    if not pointer.exists():
        raise FileNotFoundError(
            f"no published lake at {base}: run 'iurc publish --lake {base}' first"
        )
    run = base / pointer.read_text(encoding="utf-8").strip()
    if not run.is_dir():
        raise FileNotFoundError(f"lake {base}: the current run {run.name} is missing")
    return run


def stamp(lake: str | os.PathLike[str]) -> tuple[int, int, int]:
    """Return (inode, mtime, size) of the lake's `current` pointer: it changes at every publish."""
    st = os.stat(Path(lake) / CURRENT)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def connect(
    lake: str | os.PathLike[str] | None = None, alias: str = "wh", *, hardened: bool = False
) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection serving the lake's current run (views over its Parquet).

    The catalog `alias` (the warehouse alias of `db.connect_readonly`) holds the schemas core,
    ref, ops and mart; the mart macros are created from the mart files, over those views.
    `hardened=True` (the web server's readers): only the run's folder may be read, nothing written,
    no network, the per-worker limits of `config.reader_limits()`, the configuration locked.
    """
    base = config.lake_path(lake)
    if base is None:
        raise FileNotFoundError("no lake given: pass --lake DIR or set IURC_LAKE")
    return connect_run(current_run(base), alias, hardened=hardened)


def connect_run(
    run: Path, alias: str = "wh", *, hardened: bool = False
) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection over one run of a lake (see `connect`), published or not."""
    from pipelines.warehouse import marts

    con = duckdb.connect(":memory:")
    con.execute(f"attach ':memory:' as {alias}")
    con.execute(f"use {alias}")
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    for schema, name, path in tables(run):
        files = _quote(parquet_files(path))
        con.execute(
            f'create view {schema}."{name}" as '
            f"select * from read_parquet({files}, hive_partitioning = false)"
        )
    for mart in marts.definitions():
        if mart.kind in ("macro", "scalar_macro"):
            con.execute(marts.ddl(mart)[1])
    if hardened:
        memory, threads = config.reader_limits()
        con.execute("SET allowed_directories = $dirs", {"dirs": [str(run.resolve()) + os.sep]})
        con.execute("SET enable_external_access = false")
        con.execute("SET memory_limit = $m", {"m": memory})
        con.execute("SET threads = $t", {"t": threads})
        con.execute("SET lock_configuration = true")
    return con


ENGINES = ("spark", "duckdb")


def publish(
    db: str | os.PathLike[str] | None,
    lake: str | os.PathLike[str],
    engine: str = "spark",
    master: str = "local[*]",
    spark_conf: dict[str, str] | None = None,
    log: Callable[[tuple[str, float, float]], None] | None = None,
) -> Path:
    """Publish the warehouse `db` as a new run of the Parquet `lake`; return the run directory.

    The core, ref and ops tables are exported from the warehouse; the marts are computed by
    `engine`: "spark" (the mart SQL translated to Spark SQL, run on `master`) or "duckdb" (the
    warehouse's own marts, copied). The run becomes current only when complete; on any error it
    is removed and the published run stays as it was. Publishes to one lake are serialised.
    `log` receives (mart, planning seconds, execution seconds) for each mart Spark writes.
    With Spark, every mart is Spark's, `mart.kpi_scorecard` included (one keyed query for every
    stored call, `marts.scorecard_keyed_sql`).
    """
    from filelock import FileLock

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    source = config.warehouse_path(db)
    if not source.exists():
        raise FileNotFoundError(f"no warehouse at {source}: run 'iurc demo' or 'iurc ingest' first")
    base = Path(lake).expanduser().resolve()
    base.mkdir(parents=True, exist_ok=True)
    with FileLock(base / ".publish.lock"):
        run = new_run(base)
        try:
            con = duckdb.connect(str(source), read_only=True)
            try:
                export_tables(con, run)
                if engine == "duckdb":
                    _export_marts(con, run)
            finally:
                con.close()
            if engine == "spark":
                from pipelines.warehouse.spark import engine as spark_engine

                spark = spark_engine.session(master, spark_conf)
                try:
                    spark_engine.build_marts(spark, run, log)
                finally:
                    spark.stop()
            switch(base, run)
        except BaseException:
            shutil.rmtree(run, ignore_errors=True)
            raise
    return run


def _export_marts(con: duckdb.DuckDBPyConnection, run_dir: Path) -> None:
    """Export the warehouse's own mart tables and views (the DuckDB engine's marts) to Parquet."""
    rows = con.execute(
        """
        select table_name from duckdb_tables() where schema_name = 'mart'
        union select view_name from duckdb_views() where schema_name = 'mart' and not internal
        order by 1
        """
    ).fetchall()
    for (name,) in rows:
        _copy(con, run_dir, "mart", name)
