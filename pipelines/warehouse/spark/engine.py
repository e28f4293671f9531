"""Compute the marts on Apache Spark from a lake's Parquet tables.

`session()` starts Spark (`local[*]` by default, a cluster URL in production); `build_marts()`
registers the lake's core, ref and ops tables as Spark views, runs every view and table mart —
the DuckDB definitions translated by `translate.to_spark` — in build order, writes each as Parquet
under the run directory and reads it back as the view the later marts use.

Not yet on Spark: the stored `mart.kpi_scorecard` (20-odd calls of the `kpi_scorecard_for`
macro); `lake.publish` fills it with DuckDB's macro over the Spark-built marts.
"""

from __future__ import annotations

from pathlib import Path

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


def _register(spark: SparkSession, schema: str, name: str, path: Path) -> None:
    files = lake.parquet_files(path)
    spark.sql(f"create or replace view {schema}.{name} as select * from parquet.`{files}`")


def _write(frame: DataFrame, path: Path) -> None:
    frame.coalesce(1).write.mode("overwrite").parquet(str(path))


def build_marts(spark: SparkSession, run_dir: Path) -> list[str]:
    """Compute every view and table mart on Spark from `run_dir`'s Parquet; return those written.

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
    return built
