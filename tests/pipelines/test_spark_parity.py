"""Spark computes the same marts as DuckDB: every mart, row for row, ordered lists included.

`spark_lake` (tests/conftest.py) runs `iurc publish --engine spark` once (local[2], the
small-data settings of `SPARK_TEST_CONF`) on the demo warehouse. Every mart is Spark's, the stored
`mart.kpi_scorecard` included (one keyed query for every stored call,
`marts.scorecard_keyed_sql`): it must equal DuckDB's lateral batch row for row. `make test` runs
these tests last, from `.venv-spark`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipelines import queries
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db, lake, marts, parity

pytestmark = [pytest.mark.slow, pytest.mark.spark]

ROOT = Path(__file__).resolve().parents[2]


def test_every_spark_mart_equals_the_duckdb_mart(spark_lake):
    warehouse, lake_dir = spark_lake
    run = lake.current_run(lake_dir)
    stored = {m.name for m in marts.definitions() if m.kind in ("view", "table")}
    written = {name for _, name, _ in lake.tables(run, schemas=("mart",))}
    assert written == stored | {"kpi_scorecard"}
    assert parity.mart_differences(warehouse, run) == {}
    log = (ROOT / "test-artifacts" / "spark-publish.log").read_text(encoding="utf-8")
    assert re.search(r"^\s*kpi_scorecard\s+analyse", log, re.MULTILINE), "not computed by Spark"


def test_the_lake_serves_the_metric_layer_unchanged(spark_lake):
    """Queries (stored marts and the live scorecard macro) give the same frames on the lake."""
    warehouse, lake_dir = spark_lake
    on_file, on_lake = db.connect_readonly(warehouse), lake.connect(lake_dir)
    for filters in (Filters(), Filters(network=("innovation",), region=("EU",))):
        # Filters() reads the stored scorecard, Spark's: a ratio's last bits depend on the
        # engine's summation order, so floats agree within 1e-9 (as parity.mart_differences)
        pd.testing.assert_frame_equal(
            queries.kpi_scorecard(on_lake, filters),
            queries.kpi_scorecard(on_file, filters),
            check_exact=False,
            rtol=1e-9,
            atol=0,
            obj=str(filters),
        )
    by = ("stakeholder_type",)
    assert queries.metric_frame(on_lake, "K02", Filters(), by=by).equals(
        queries.metric_frame(on_file, "K02", Filters(), by=by)
    )
