"""Compute the marts on Apache Spark from a lake's Parquet tables.

`session()` starts Spark (`local[*]` by default, a cluster URL in production); `build_marts()`
registers the lake's core, ref and ops tables as Spark temporary views (`core__activity`: the
Parquet schema read once, where a view over the files reads it at every reference), runs every
view and table mart — the DuckDB definitions translated by `translate.to_spark` — in build order,
writes each as Parquet under the run directory and registers it for the later marts. Last, the stored
`mart.kpi_scorecard`: one `marts.scorecard_query` text per stored scope and period (the
`kpi_scorecard_for` macro, translated once, parameters bound), each call analysed and appended
to the mart's Parquet on its own (the driver then holds one call's plan at a time), its
`mart.kpi_actual` rows computed once and checkpointed first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from pipelines.metrics.filters import MACRO_PARAMETERS
from pipelines.warehouse import lake, marts
from pipelines.warehouse.spark import translate

SCHEMAS = ("core", "ref", "ops", "mart")
SCORECARD = "kpi_scorecard"
# the scorecard macro's KPI rows, computed once per stored call (`_write_scorecard`)
ACTUAL = "kpi_actual"
ACTUAL_VIEW = "kpi_actual_of_call"

# Timings of one mart: (name, seconds to parse and analyse its SQL, seconds to optimise, plan,
# execute and write it). Measured apart without planning twice.
Timing = tuple[str, float, float]


def session(
    master: str = "local[*]", conf: dict[str, str] | None = None, app: str = "iurc-marts"
) -> SparkSession:
    """Return a Spark session on `master` with an in-memory catalog and the session time zone UTC."""
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in (conf or {}).items():
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


def _write_scorecard(spark: SparkSession, known: dict[str, translate.Macro], path: Path) -> Timing:
    """Write the stored scorecard rows to `path`, one `marts.scorecard_calls` call at a time.

    Each call is analysed and appended on its own, so the driver holds one call's plan at a time:
    20 analysed calls held together (to union them) filled the default 1 GB heap. Within a call,
    the `mart.kpi_actual` rows (every KPI rule) are computed first and checkpointed as the view
    `ACTUAL_VIEW`, which the scorecard then reads: Spark inlines a CTE at every reference, and
    the scorecard's rows and its K28 share both read them, so the rules would be planned and run
    twice. Returns the mart's timing, summed over the calls.
    """

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in spark.sql(_sql(sql, known)).collect()]

    actual_sql = _sql(f"select * from {marts.macro_call(ACTUAL)}", known)
    on_view = {**known, ACTUAL: translate.view_macro(known[ACTUAL], ACTUAL_VIEW)}
    parameters = {name for name, _ in MACRO_PARAMETERS}
    translated: dict[str, str] = {}  # every call is the same text with other parameters
    analysed = written = 0.0
    for number, call in enumerate(marts.scorecard_calls(rows)):
        start = time.perf_counter()
        sql, params = marts.scorecard_query(call)
        if sql not in translated:
            translated[sql] = _sql(sql, on_view)
        actual = _analysed(spark, actual_sql, {k: v for k, v in params.items() if k in parameters})
        middle = time.perf_counter()
        actual.localCheckpoint().createOrReplaceTempView(ACTUAL_VIEW)
        checkpointed = time.perf_counter()
        frame = _analysed(spark, translated[sql], params)
        analysed_call = time.perf_counter()
        frame.coalesce(1).write.mode("append" if number else "overwrite").parquet(str(path))
        analysed += middle - start + analysed_call - checkpointed
        written += checkpointed - middle + time.perf_counter() - analysed_call
    spark.catalog.dropTempView(ACTUAL_VIEW)
    return SCORECARD, analysed, written


def build_marts(
    spark: SparkSession,
    run_dir: Path,
    log: Callable[[Timing], None] | None = None,
    *,
    scorecard: bool = True,
) -> list[str]:
    """Compute every view and table mart, then the stored scorecard, on Spark; return their names.

    Each mart lands in `run_dir/mart/<name>/` as Parquet, in one write and no other action (the
    scorecard: one append per call; `scorecard=False` leaves it out). `log` receives each mart's
    `Timing` as it is written.
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
    if not scorecard:
        return built
    timing = _write_scorecard(spark, known, lake.table_dir(run_dir, "mart", SCORECARD))
    if log:
        log(timing)
    return [*built, SCORECARD]
