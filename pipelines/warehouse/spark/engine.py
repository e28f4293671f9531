"""Compute the marts on Apache Spark from a lake's Parquet tables.

`session()` starts Spark (`local[*]` by default, a cluster URL in production); `build_marts()`
registers the lake's core, ref and ops tables as Spark temporary views (`core__activity`: the
Parquet schema read once, where a view over the files reads it at every reference), runs every
view and table mart — the DuckDB definitions translated by `translate.to_spark` — in build order,
writes each as Parquet under the run directory and registers it for the later marts. Last, the stored
`mart.kpi_scorecard` for every stored scope and period: the KPI rules keyed by the call, one job
per KPI source (`marts.scorecard_rule_parts`), then `marts.scorecard_keyed_sql` (the
`kpi_scorecard_for` macro's text) over their rows, with the calls a small Parquet view. A local
master gets `settings.local_defaults` (a sized driver heap, few shuffle partitions) unless set.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from pipelines.warehouse import lake, marts
from pipelines.warehouse.spark import settings, translate

SCHEMAS = ("core", "ref", "ops", "mart")
SCORECARD = "kpi_scorecard"

# Timings of one mart: (name, seconds to parse and analyse its SQL, seconds to optimise, plan,
# execute and write it). Measured apart without planning twice.
Timing = tuple[str, float, float]


def session(
    master: str = "local[*]", conf: dict[str, str] | None = None, app: str = "iurc-marts"
) -> SparkSession:
    """Return a Spark session on `master` with an in-memory catalog and the session time zone UTC.

    A local master gets `settings.local_defaults` for the settings `conf` does not give; `conf`
    always wins.
    """
    conf = {**settings.local_defaults(master, *settings.machine()), **(conf or {})}
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _register(spark: SparkSession, schema: str, name: str, path: Path) -> None:
    """Make one lake table the temporary view `schema__name`, its Parquet schema read once."""
    view = translate.flat_name(schema, name)
    spark.read.parquet(lake.parquet_files(path)).createOrReplaceTempView(view)


def _sql(sql: str, known: dict[str, translate.Macro]) -> str:
    return translate.to_spark(sql, known, flat=SCHEMAS)


def _write(frame: DataFrame, path: Path) -> None:
    frame.coalesce(1).write.mode("overwrite").parquet(str(path))


def _analysed(spark: SparkSession, sql: str, args: dict[str, Any] | None = None) -> DataFrame:
    """Return the DataFrame of `sql`, parsed and analysed (Spark does both eagerly)."""
    return spark.sql(sql, args=args) if args else spark.sql(sql)


# Spark's types of the scope table's columns (marts.SCORECARD_SCOPE_COLUMNS)
_SPARK_TYPES = {"integer": "int", "varchar": "string", "date": "date", "varchar[]": "array<string>"}


# the KPI rules' keyed rows, computed apart by source, as the scorecard query reads them
RULE_ROWS = "kpi_rule_rows"
# scratch Parquet of one run's scorecard (the calls, each source's rule rows), deleted after it
_SCRATCH = ".scorecard"


def _widened(frames: list[DataFrame]) -> DataFrame:
    """Return an empty frame with the schema the UNION ALL of `frames` has (Spark's widening of
    each column's type across them), so parts written apart agree with the one query's types."""
    spark = frames[0].sparkSession
    empty = [spark.createDataFrame([], f.schema) for f in frames]
    union = empty[0]
    for frame in empty[1:]:
        union = union.union(frame)
    return union


def _write_rule_rows(
    spark: SparkSession, known: dict[str, translate.Macro], scratch: Path
) -> tuple[float, float]:
    """Compute the KPI rules' keyed rows for the calls view, one Spark job per source
    (`marts.scorecard_rule_parts`), each written to Parquet under `scratch`, and register their
    union as the view `RULE_ROWS`. Returns (seconds analysing, seconds executing and writing).

    One job per source keeps one source's rules' execution state at a time in the driver (the
    one query's ~430 shuffles filled a 1 GB heap); every part is cast to the union's types.
    """
    start = time.perf_counter()
    groups = [
        _analysed(spark, _sql("\nunion all\n".join(parts), known))
        for parts in marts.scorecard_rule_parts().values()
    ]
    schema = _widened(groups).schema
    analysed = time.perf_counter() - start
    paths = []
    for i, frame in enumerate(groups):
        path = scratch / f"rules-{i:02d}"
        _write(frame.select([frame[c.name].cast(c.dataType).alias(c.name) for c in schema]), path)
        paths.append(str(path))
    spark.read.parquet(*paths).createOrReplaceTempView(RULE_ROWS)
    return analysed, time.perf_counter() - start - analysed


def _write_scorecard(spark: SparkSession, known: dict[str, translate.Macro], path: Path) -> Timing:
    """Write the stored scorecard rows to `path` for every stored call.

    The calls (`marts.scorecard_calls`, read from the lake's tables) become the temporary view
    `marts.SCORECARD_SCOPES`, one row per call with the macro's parameters as columns, read
    from Parquet so that Spark knows it is small (it then broadcasts the calls, not the KPI
    sources, to the rules' non-equi joins). The KPI rules' keyed rows are computed apart, one job
    per source (`_write_rule_rows`); the keyed scorecard (`marts.scorecard_keyed_sql`: the
    macros' own text) then reads them and is written in one job. Returns the mart's timing.
    """

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in spark.sql(_sql(sql, known)).collect()]

    start = time.perf_counter()
    scratch = path.parent / f"{_SCRATCH}-{path.name}"
    shutil.rmtree(scratch, ignore_errors=True)
    scopes = marts.scorecard_scope_rows(marts.scorecard_calls(rows))
    schema = ", ".join(
        f"{name} {_SPARK_TYPES[kind]}" for name, kind in marts.SCORECARD_SCOPE_COLUMNS
    )
    _write(spark.createDataFrame(scopes, schema), scratch / "calls")
    spark.read.parquet(str(scratch / "calls")).createOrReplaceTempView(marts.SCORECARD_SCOPES)
    prepared = time.perf_counter() - start
    try:
        rules_analysed, rules_executed = _write_rule_rows(spark, known, scratch)
        analysing = time.perf_counter()
        frame = _analysed(spark, _sql(marts.scorecard_keyed_sql(computed=RULE_ROWS), known))
        analysed = time.perf_counter()
        _write(frame, path)
        done = time.perf_counter()
    finally:
        spark.catalog.dropTempView(marts.SCORECARD_SCOPES)
        spark.catalog.dropTempView(RULE_ROWS)
        shutil.rmtree(scratch, ignore_errors=True)
    return (
        SCORECARD,
        rules_analysed + (analysed - analysing),
        prepared + rules_executed + (done - analysed),
    )


def build_marts(
    spark: SparkSession,
    run_dir: Path,
    log: Callable[[Timing], None] | None = None,
) -> list[str]:
    """Compute every view and table mart, then the stored scorecard, on Spark; return their names.

    Each mart lands in `run_dir/mart/<name>/` as Parquet, in one write and no other action (the
    scorecard too: one query for every stored call). `log` receives each mart's `Timing` as it
    is written.
    """
    for schema, name, path in lake.tables(run_dir, schemas=("core", "ref", "ops")):
        _register(spark, schema, name, path)
    definitions = marts.definitions()
    known = translate.macros(definitions)

    def mart(body: str) -> Callable[[], DataFrame]:
        return lambda: _analysed(spark, _sql(body, known))

    jobs = [(m.name, mart(m.body)) for m in definitions if m.kind in ("view", "table")]
    built = []
    for name, make in jobs:
        start = time.perf_counter()
        frame = make()
        planned = time.perf_counter()
        path = lake.table_dir(run_dir, "mart", name)
        _write(frame, path)
        _register(spark, "mart", name, path)
        if log:
            log((name, planned - start, time.perf_counter() - planned))
        built.append(name)
    timing = _write_scorecard(spark, known, lake.table_dir(run_dir, "mart", SCORECARD))
    if log:
        log(timing)
    return [*built, SCORECARD]
