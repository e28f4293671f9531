"""The generated SQL writes a filtered distinct count (K25's numerator, declared as
`count(distinct activity_id) filter (where review is not null)`) as a CASE inside count(distinct)
(`build._distinct_as_case`: DuckDB plans the FILTER form ~1.5x slower at scale). Both must give the
same figures for every query the metric layer writes: the metric's breakdowns and the live
scorecard's KPI rules, on a fixture where an activity has two primary tags."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from pipelines.metrics import build
from pipelines.metrics.catalogue import metric
from pipelines.metrics.filters import Filters
from pipelines.warehouse import marts
from tests.pipelines.conftest import build_fixture_warehouse

# K25's numerator as declared (and as the SQL had it before the CASE form)
PREVIOUS = "count(distinct activity_id) filter (where review is not null)"
CASE = "count(distinct case when review is not null then activity_id end)"

FILTERS = [
    Filters(),
    Filters(network=("innovation",)),
    Filters(network=("innovation", "urban_renewal"), mode=("pairing", "trio")),
    Filters(region=("EU",)),
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
    Filters(review=("suggested", "validated")),
    Filters(review=("suggested", "validated"), method=("keyword",)),
]


@pytest.fixture(scope="module")
def tagged() -> duckdb.DuckDBPyConnection:
    """The pipelines fixture warehouse where activity a1 has a second primary tag (keyword)."""
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    marts.build_marts(con, store_scorecards=False)
    con.execute(
        "insert into mart.sdg_activity_tag select * replace ('keyword' as method) "
        "from mart.sdg_activity_tag where activity_id = 'a1' and review is not null"
    )
    yield con
    con.close()


def _both(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> tuple[pd.DataFrame, ...]:
    """Return the rows of `sql` and of `sql` with the previous numerator, in one order."""
    assert CASE in sql and PREVIOUS not in sql
    frames = (
        con.execute(sql, params).df(),
        con.execute(sql.replace(CASE, PREVIOUS), params).df(),
    )
    # a breakdown's groups come in no set order: compare them sorted
    return tuple(f.sort_values(list(f.columns)).reset_index(drop=True) for f in frames)


def test_the_catalogue_keeps_the_rule_as_written():
    assert metric("K25").numerator == PREVIOUS  # what the page's "about" panel shows
    assert build._distinct_as_case(PREVIOUS) == CASE
    # only the simple form: a parenthesis in the column or condition is left alone
    nested = "count(distinct lower(x)) filter (where y)"
    assert build._distinct_as_case(nested) == nested


def test_k25_numerator_equals_its_filtered_definition(tagged):
    for filters in FILTERS:
        for by in [(), ("network",), ("mode", "year")]:
            new, old = _both(tagged, *build.metric_query("K25", filters, by))
            pd.testing.assert_frame_equal(new, old)
        new, old = _both(tagged, *build.kpi_computed_query(filters))
        pd.testing.assert_frame_equal(new, old)


def test_k25_counts_an_activity_with_two_primary_tags_once(tagged):
    sql, params = build.metric_query("K25", Filters())
    total = tagged.execute(sql, params).df().iloc[-1]
    tags = tagged.execute(
        "select count(*) from mart.sdg_activity_tag where review = 'validated'"
    ).fetchone()[0]
    assert tags == 3  # a1 twice, a3
    assert total["numerator"] == 2  # a1 and a3, each once
