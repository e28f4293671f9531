"""A query scoped to ONE city reads its source's per-city relation (Relation.place).

The city's rows of a relation with one row per city of each source row's list (D12) are the
source rows holding the city, once each: every figure read from them (a distinct count, a sum, a
median) is the one read from the source rows that hold the city. The metric layer reads such a
relation for a query scoped to one city that is not broken down by a place; several cities, or a
breakdown by city, read the source's lists. A scalar-geography source's per-city relation holds
its rows sorted by city: the same rows, the city's found together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd
import pytest

from pipelines.metrics import build
from pipelines.metrics.build import metric_query
from pipelines.metrics.catalogue import METRICS, SOURCES
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import groups, metric_frame

FILTERS = [
    Filters(),
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
    Filters(network=("innovation",)),
    Filters(region=("EU",)),
    Filters(country=("FR", "US")),
    Filters(mode=("pairing",)),
    Filters(review=("suggested", "validated")),
    Filters(review=("suggested", "validated"), method=("keyword",)),
]
# metric, breakdown: the city profile's, and others of the sources with a per-city relation
CASES = [
    ("K24", ("goal",)),
    ("K24", ()),
    ("K24", ("year",)),
    ("K29", ("year",)),
    ("K30", ("year",)),
    ("K30.mean", ()),
    # a scalar-geography source's rows sorted by city (mart.participation_city_rows), and the
    # activity cube's rows per city of its list (mart.activity_city_rows)
    ("K03", ("year",)),
    ("K03.pct_of_plan", ()),
    ("K04", ("year",)),
    ("K04", ("stakeholder_type",)),
    ("K05", ()),
    ("K02", ("network",)),
    ("K07", ()),
]


def _list_sources() -> dict[str, object]:
    """SOURCES without the per-city relations: every city scope tests the source's lists."""
    return {
        name: dataclasses.replace(s, relations=tuple(r for r in s.relations if r.place is None))
        for name, s in SOURCES.items()
    }


def _cities(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("select city_id from mart.city order by 1").fetchall()]


@pytest.mark.parametrize(("metric_id", "by"), CASES, ids=lambda v: str(v))
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.to_query() or "none")
def test_one_city_figures_equal_the_source_lists(
    mcur: duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    metric_id: str,
    by: tuple[str, ...],
    filters: Filters,
) -> None:
    """For every city of the fixture (a city with no row included), the figure and its total
    read from the per-city relation are those read from the source's city lists."""
    cities = [*_cities(mcur), "no-such-city"]
    new = {c: metric_frame(mcur, metric_id, filters, by=by, city=(c,)) for c in cities}
    monkeypatch.setattr(build, "SOURCES", _list_sources())
    seen = 0
    for city in cities:
        old = metric_frame(mcur, metric_id, filters, by=by, city=(city,))
        pd.testing.assert_frame_equal(new[city], old)
        seen += int(old["value"].fillna(0).astype(bool).any())
    assert seen > 0  # the cases are not all empty


def test_the_city_profile_sdg_targets_read_the_per_city_relation() -> None:
    sql, params = metric_query("K24", Filters(country=("FR",)), by=("goal",), city=("lyon-fr",))
    assert "mart.sdg_tag_city" in sql and "mart.sdg_tag " not in sql
    assert "city_ids" not in sql and "list_contains($p_city, city_id)" in sql
    assert params["p_city"] == ["lyon-fr"]


def test_several_cities_a_breakdown_by_city_or_no_city_read_the_lists() -> None:
    for by, city in (
        (("goal",), ("lyon-fr", "turin-it")),  # a tag of both cities counts once
        (("goal",), ()),
    ):
        sql, _ = metric_query("K24", Filters(), by=by, city=city)
        assert "sdg_tag_city" not in sql, (by, city)
    # broken down by city, the co-participants' cities are rows of the breakdown
    # (its total row, the one city's, may read the per-city cube)
    sql, _ = metric_query("K29", Filters(), by=("city",), city=("lyon-fr",))
    by_city = sql.split("union all")[0]
    assert "city_cube" not in by_city and "unnest(city_ids)" in by_city
    # one city, not broken down by city: K29 and K30 read their per-city cubes
    sql, _ = metric_query("K29", Filters(), by=("year",), city=("lyon-fr",))
    assert "mart.activity_city_cube" in sql and "city_ids" not in sql
    # the same city twice is one city
    sql, _ = metric_query("K24", Filters(), by=("goal",), city=("lyon-fr", "lyon-fr"))
    assert "mart.sdg_tag_city" in sql


def test_a_metric_needing_a_column_the_relation_lacks_reads_the_lists() -> None:
    # sdg.activities_with_target counts entities: mart.sdg_tag_city has no entity id
    sql, _ = metric_query("sdg.activities_with_target", Filters(), by=("goal",), city=("lyon-fr",))
    assert "sdg_tag_city" not in sql and "mart.sdg_tag" in sql


def test_metrics_that_may_read_the_per_city_tag_relation_count_tags_with_a_target() -> None:
    """mart.sdg_tag_city holds only the tags naming a target: a metric whose columns it has must
    restrict its rows to tags with a target (its `where`), so that it reads the same rows."""
    relation = next(r for r in SOURCES["sdg_target"].relations if r.name == "mart.sdg_tag_city")
    everything = SOURCES["sdg_target"].relations[-1].columns
    readers = []
    for m in METRICS.values():
        if m.source != "sdg_target":
            continue
        if build._columns_used(build._uses(m), everything) <= relation.columns:
            readers.append(m.id)
            conjuncts = [c.strip() for c in m.where.split(" and ")]
            assert "target_id is not null" in conjuncts and " or " not in m.where, m.id
    assert "K24" in readers


def test_per_city_tag_relation_holds_each_city_of_a_tags_list(mcur: duckdb.DuckDBPyConnection):
    got = mcur.execute(
        "select city_id, count(*), count(distinct target_id) from mart.sdg_tag_city "
        "group by 1 order by 1"
    ).fetchall()
    want = mcur.execute(
        "select city_id, count(*), count(distinct target_id) from (select *, "
        "unnest(city_ids) as city_id from mart.sdg_tag where target_id is not null) "
        "group by 1 order by 1"
    ).fetchall()
    assert got == want and len(got) > 1
    assert groups(metric_frame(mcur, "K24", Filters(), by=("goal",), city=(got[0][0],))).shape[0]


def test_the_city_profile_activities_and_participations_read_the_per_city_relations() -> None:
    for metric_id, by, mart in (
        ("K03", ("year",), "mart.activity_city_rows"),
        ("K04", ("year",), "mart.participation_city_rows"),
        ("K04", ("stakeholder_type",), "mart.participation_city_rows"),
        ("K05", (), "mart.participation_city_rows"),
    ):
        sql, _ = metric_query(metric_id, Filters(country=("FR",)), by=by, city=("lyon-fr",))
        assert mart in sql and "city_ids" not in sql and "_cube" not in sql, (metric_id, by)
        # several cities or none: the cubes, as before
        for city in (("lyon-fr", "turin-it"), ()):
            sql, _ = metric_query(metric_id, Filters(), by=by, city=city)
            assert "city_rows" not in sql, (metric_id, by, city)
    # a column the relation lacks (the activity type): the cube's lists
    sql, _ = metric_query("K03", Filters(), by=("activity_type",), city=("lyon-fr",))
    assert "activity_city_rows" not in sql and "mart.activity_cube" in sql


def test_per_city_rows_hold_the_cubes_rows(mcur: duckdb.DuckDBPyConnection) -> None:
    """mart.participation_city_rows is the participation cube's rows; mart.activity_city_rows
    the activity cube's rows once per city of their list."""
    got = mcur.execute(
        "select city_id, stakeholder_type, count(*), sum(participants), sum(organisations_sum) "
        "from mart.participation_city_rows group by all order by all"
    ).fetchall()
    want = mcur.execute(
        "select city_id, stakeholder_type, count(*), sum(participants), sum(organisations_sum) "
        "from mart.participation_cube group by all order by all"
    ).fetchall()
    assert got == want and len(got) > 1
    got = mcur.execute(
        "select city_id, status, count(*), sum(activities) from mart.activity_city_rows "
        "group by all order by all"
    ).fetchall()
    want = mcur.execute(
        "select city_id, status, count(*), sum(activities) from (select *, unnest(city_ids) "
        "as city_id from mart.activity_cube) group by all order by all"
    ).fetchall()
    assert got == want and len(got) > 1


def test_one_city_figures_from_the_per_city_relations_by_hand(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    """Austin's completed activities are a2 (hosted in Austin) and a8 (no host, participants
    from Austin and Lyon: it counts in both cities, D12), both in 2024: K03 for Austin is 2 under
    a United States filter and under "US, France"; under a France filter it is 0 (Austin is not
    in France: a8 counts in France through Lyon, not through Austin), as Austin's row of a
    breakdown by city under that filter, and its participations, say. In September 2024 Lyon's
    only participations are a8's 3 business ones."""
    for countries, want in ((("US",), 2.0), (("US", "FR"), 2.0), (("FR",), 0.0)):
        k03 = metric_frame(
            mcur, "K03", Filters(country=countries), by=("year",), city=("austin-us",)
        )
        rows = [[pd.Timestamp("2024-01-01"), want]] if want else []
        assert groups(k03)[["year", "value"]].values.tolist() == rows
        assert k03["value"].iloc[-1] == want
    september = Filters(start=dt.date(2024, 9, 1), end=dt.date(2024, 9, 30))
    k04 = metric_frame(mcur, "K04", september, by=("stakeholder_type",), city=("lyon-fr",))
    assert groups(k04)[["stakeholder_type", "value"]].values.tolist() == [["business", 3.0]]
    assert k04["value"].iloc[-1] == 3.0
