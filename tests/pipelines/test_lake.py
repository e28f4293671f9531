"""The Parquet lake without Spark: publish with the DuckDB engine, serve, switch atomically."""

from __future__ import annotations

import pytest

from pipelines import queries
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db, lake, parity


@pytest.fixture(scope="module")
def duckdb_lake(demo_db, tmp_path_factory):
    base = tmp_path_factory.mktemp("lake")
    first = lake.publish(demo_db, base, engine="duckdb")
    return base, first


def test_duckdb_engine_lake_equals_the_warehouse_and_serves_its_queries(demo_db, duckdb_lake):
    base, first = duckdb_lake
    assert lake.current_run(base) == first
    assert parity.mart_differences(demo_db, first) == {}
    # participation and activity: one folder per year, the key in the folder name only
    years = sorted(p.name for p in (first / "core" / "participation").iterdir())
    assert years and all(y.startswith("year=") for y in years)
    on_lake, on_file = lake.connect_run(first), db.connect_readonly(demo_db)
    for table in ("participation", "activity"):
        sql = f"select * from core.{table} order by all"
        assert on_lake.execute(sql).fetchall() == on_file.execute(sql).fetchall()
    wh = db.Warehouse(lake=base)
    expected = queries.kpi_scorecard(db.connect_readonly(demo_db), Filters(region=("NA",)))
    assert queries.kpi_scorecard(wh.cursor(), Filters(region=("NA",))).equals(expected)


def test_a_new_run_is_switched_in_and_readers_follow_it(demo_db, duckdb_lake):
    base, first = duckdb_lake
    wh = db.Warehouse(lake=base)
    wh.cursor()
    before = wh.version
    second = lake.publish(demo_db, base, engine="duckdb")
    assert lake.current_run(base) == second != first
    wh.cursor()
    assert wh.version != before
    with pytest.raises(ValueError, match="unknown engine"):
        lake.publish(demo_db, base, engine="oracle")
    assert lake.current_run(base) == second
    assert not list(base.glob(".current*.tmp"))


def test_a_missing_lake_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="iurc publish"):
        lake.connect(tmp_path)
