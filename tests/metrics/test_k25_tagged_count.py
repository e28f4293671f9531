"""K25 (D9) reads mart.sdg_activity: per not-cancelled activity an untagged row (flags null) and,
for an activity with primary SDG tags, one tagged row whose flags say which review bases and
methods they have. The figure is a count of rows (no distinct count), the same as the distinct
activities with a primary tag passing the tag filters, under every review basis and method, on
the pipelines fixture with more primary tags (hand-counted below)."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

from pipelines.metrics import build
from pipelines.metrics.catalogue import metric
from pipelines.metrics.filters import Filters
from pipelines.warehouse import marts
from tests.pipelines.conftest import build_fixture_warehouse

# besides the fixture's primary tags (a1 validated manual, a2 suggested model, a3 validated
# manual): a1 a second validated one (keyword), a2 a second suggestion (keyword), a3 a suggestion
# (model) beside its validated tag, a4 a rejected one (never counted)
MORE_TAGS = """
insert into core.sdg_alignment
    (entity_type, entity_id, goal, target_id, is_primary, method, score, status, run_id) values
    ('activity', 'a1', 3, null, true, 'keyword', 0.8, 'accepted',  'fx'),
    ('activity', 'a2', 6, null, true, 'keyword', 0.5, 'suggested', 'fx'),
    ('activity', 'a3', 7, null, true, 'model',   0.6, 'suggested', 'fx'),
    ('activity', 'a4', 5, null, true, 'keyword', 0.4, 'rejected',  'fx')
"""

# the not-cancelled activities (a5 is cancelled): a1 a2 a3 a4 a6 a7, so 6 in the denominator;
# numerator: the activities with a primary tag of the review basis and method in force
EXPECTED = [
    (Filters(), 2),  # validated: a1, a3
    (Filters(review=("validated",)), 2),
    (Filters(review=("suggested", "validated")), 3),  # a1, a2, a3
    (Filters(review=("suggested",)), 2),  # a2, a3
    (Filters(method=("keyword",)), 1),  # a1
    (Filters(review=("suggested", "validated"), method=("keyword",)), 2),  # a1, a2
    (Filters(review=("suggested", "validated"), method=("model",)), 2),  # a2, a3
    (Filters(method=("none",)), 0),
    (Filters(review=("rejected",)), 0),
]


@pytest.fixture(scope="module")
def tagged() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    con.execute(MORE_TAGS)
    marts.build_marts(con, store_scorecards=False)
    yield con
    con.close()


def _total(con: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[float, float]:
    sql, params = build.metric_query("K25", filters)
    row = con.execute(sql, params).df().iloc[-1]
    return row["numerator"], row["denominator"]


def test_the_mart_has_an_untagged_row_per_activity_and_one_tagged_row_per_tagged_one(tagged):
    rows = tagged.execute(
        "select activity_id, tagged, primary_validated_manual, primary_validated_keyword, "
        "primary_suggested_keyword, primary_suggested_model from mart.sdg_activity "
        "order by activity_id, tagged"
    ).fetchall()
    untagged = [(a, False, None, None, None, None) for a in ("a1", "a2", "a3", "a4", "a6", "a7")]
    assert sorted(rows) == sorted(
        [
            *untagged,
            ("a1", True, True, True, False, False),
            ("a2", True, False, False, True, True),
            ("a3", True, True, False, False, True),
        ]
    )


@pytest.mark.parametrize(("filters", "numerator"), EXPECTED)
def test_k25_counts_each_activity_with_a_passing_primary_tag_once(tagged, filters, numerator):
    assert _total(tagged, filters) == (numerator, 6)


def test_k25_by_network_and_in_a_period(tagged):
    sql, params = build.metric_query("K25", Filters(), ("network",))
    df = tagged.execute(sql, params).df()
    groups = df[~df["is_total"]].set_index("network_id")
    # innovation: a1 a2 a6 a7 (a1 validated); urban_renewal: a3 a4 (a3 validated)
    assert groups.loc["innovation", ["numerator", "denominator"]].tolist() == [1, 4]
    assert groups.loc["urban_renewal", ["numerator", "denominator"]].tolist() == [1, 2]
    # 2024: a1 a2 a3 a4 (a5 cancelled), with suggestions a1 a2 a3
    year = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), review=("suggested",))
    assert _total(tagged, year) == (2, 4)


def test_k25_reads_rows_not_distinct_activities(tagged):
    assert metric("K25").numerator == "count(*) filter (where tagged)"
    for filters, _ in EXPECTED:
        sql, _ = build.metric_query("K25", filters, ("mode",))
        assert set(re.findall(r"from (mart\.\w+)", sql)) == {"mart.sdg_activity"}
        assert "count(distinct" not in sql
    computed, _ = build.kpi_computed_query(Filters())
    assert "count(distinct activity_id)" not in computed


def test_distinct_as_case_rewrites_a_simple_filtered_distinct_count_only():
    assert build._distinct_as_case("count(distinct a) filter (where b)") == (
        "count(distinct case when b then a end)"
    )
    nested = "count(distinct lower(x)) filter (where y)"
    assert build._distinct_as_case(nested) == nested
