"""Compute the marts on Apache Spark from a lake's Parquet tables.

`session()` starts Spark (`local[*]` by default, a cluster URL in production); `build_marts()`
registers the lake's core, ref and ops tables as Spark views, runs every view and table mart —
the DuckDB definitions translated by `translate.to_spark` — in build order, writes each as Parquet
under the run directory and reads it back as the view the later marts use; then it fills
`mart.kpi_scorecard` from the `kpi_scorecard_for` macro, one expanded call per stored scope and
period, exactly the calls DuckDB makes (`marts.scorecard_calls`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from pipelines.warehouse import lake, marts
from pipelines.warehouse.spark import translate

SCHEMAS = ("core", "ref", "ops", "mart")


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


def _register(spark: SparkSession, schema: str, name: str, path: Path | str) -> None:
    spark.sql(f"create or replace view {schema}.{name} as select * from parquet.`{path}`")


def _write(frame: DataFrame, path: Path) -> None:
    frame.coalesce(1).write.mode("overwrite").parquet(str(path))


def _scorecard_sql(calls: list[tuple[Any, ...]]) -> list[str]:
    """Return DuckDB SQL selecting one stored scorecard row set per call (as in marts)."""

    def date(value: Any) -> str:
        return "null::date" if value is None else f"date '{value.isoformat()}'"

    def names(values: list[str]) -> str:
        return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::varchar[]"

    queries = []
    for scope_type, scope_id, period_type, start, end in calls:
        network = [scope_id] if scope_type == "network" else []
        cooperation = [scope_id] if scope_type == "cooperation" else []
        city = [scope_id] if scope_type == "city" else []
        empty = names([])
        queries.append(
            f"select '{period_type}' as period_type, {date(start)} as period_start, "
            f"{date(end)} as period_end, * from mart.kpi_scorecard_for({date(start)}, {date(end)}, "
            f"{names(network)}, {empty}, {empty}, {empty}, {empty}, {names(cooperation)}, {names(city)})"
        )
    return queries


def build_marts(spark: SparkSession, run_dir: Path) -> list[str]:
    """Compute every mart on Spark from `run_dir`'s core/ref/ops Parquet; return the marts written.

    Each mart lands in `run_dir/mart/<name>/` as Parquet.
    """
    for schema in SCHEMAS:
        spark.sql(f"create database if not exists {schema}")
    for schema, name, path in lake.tables(run_dir, schemas=("core", "ref", "ops")):
        _register(spark, schema, name, path)
    definitions = marts.definitions()
    known = translate.macros(definitions)
    built = []
    for mart in definitions:
        if mart.kind not in ("view", "table"):
            continue
        path = lake.table_dir(run_dir, "mart", mart.name)
        _write(spark.sql(translate.to_spark(mart.body, known)), path)
        _register(spark, "mart", mart.name, path)
        built.append(mart.name)
    calls = marts.scorecard_calls(spark_rows(spark))
    frame: DataFrame | None = None
    for sql in _scorecard_sql(calls):
        part = spark.sql(translate.to_spark(sql, known))
        frame = part if frame is None else frame.unionByName(part)
    if frame is not None:
        path = lake.table_dir(run_dir, "mart", "kpi_scorecard")
        _write(frame, path)
        built.append("kpi_scorecard")
    return built


def spark_rows(spark: SparkSession) -> marts.RowSource:
    """Return a function running DuckDB-dialect SQL on Spark and returning its rows as tuples."""

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in spark.sql(translate.to_spark(sql, {})).collect()]

    return rows
