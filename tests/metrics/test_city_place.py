"""K29 and K30 per city read the per-city marts (Relation.place) and give the unnested cubes' figures.

mart.activity_city_cube and mart.timeliness_city_cube hold the activity and timeliness cubes with
their city list unnested (one row per city of an activity's list, D12). The metric layer reads
them for a breakdown by city when every filter set has a column there; the total, a country
filter or the breakdown by city of a city scope read the cubes themselves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd
import pytest

from pipelines.metrics import build
from pipelines.metrics.build import metric_query
from pipelines.metrics.catalogue import SOURCES
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import groups, metric_frame, total_row

FILTERS = [
    Filters(),
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
    Filters(start=dt.date(2024, 7, 1), end=dt.date(2024, 9, 30)),
    Filters(network=("innovation",)),
    Filters(region=("EU",)),
    Filters(region=("NA",), mode=("pairing",)),
    Filters(country=("FR",)),
    Filters(subtheme=("mobility_transport",)),
    Filters(network=("innovation", "urban_renewal"), region=("EU", "NA")),
]
METRICS = ("K29", "K30", "K30.mean")


def _unnested_sources() -> dict[str, object]:
    """SOURCES without the per-city relations: every breakdown by city unnests the cube's list."""
    return {
        name: dataclasses.replace(s, relations=tuple(r for r in s.relations if r.place is None))
        for name, s in SOURCES.items()
    }


@pytest.mark.parametrize("metric_id", METRICS)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.to_query() or "none")
def test_per_city_figures_equal_the_unnested_cube(
    mcur: duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    metric_id: str,
    filters: Filters,
) -> None:
    """Every city's figure and the total are those of the cube unnested at query time."""
    new = metric_frame(mcur, metric_id, filters, by=("city",))
    monkeypatch.setattr(build, "SOURCES", _unnested_sources())
    old = metric_frame(mcur, metric_id, filters, by=("city",))
    assert len(groups(old)) > 0  # the cases are not all empty
    pd.testing.assert_frame_equal(
        new.sort_values(["is_total", "city_id"]).reset_index(drop=True),
        old.sort_values(["is_total", "city_id"]).reset_index(drop=True),
    )


def test_hostless_activity_counts_at_each_participant_city(mcur: duckdb.DuckDBPyConnection) -> None:
    """a8 (no host: its participants' cities austin-us and lyon-fr) is in both cities' K30 rows,
    and once in the total: the total is not read from the per-city mart."""
    frame = metric_frame(mcur, "K30", Filters(network=("innovation",)), by=("city",))
    rows = groups(frame).set_index("city_id")
    assert {"austin-us", "lyon-fr"} <= set(rows.index)
    total = total_row(frame)["denominator"]
    assert rows["denominator"].sum() > total  # an activity of several cities counts in each


def test_a_breakdown_by_city_reads_the_per_city_mart_only_when_it_has_every_filter() -> None:
    sql, _ = metric_query("K29", Filters(region=("EU",)), by=("city",))
    by_city, total = sql.split("union all")
    assert "mart.activity_city_cube" in by_city and "unnest" not in by_city
    assert "mart.activity_cube" in total and "activity_city_cube" not in total
    sql, _ = metric_query("K30", Filters(network=("innovation",)), by=("city",))
    assert "mart.timeliness_city_cube" in sql.split("union all")[0]
    # a country filter, a subtheme filter (K30) or a city scope need the cube's lists
    for metric_id, filters, city in (
        ("K29", Filters(country=("FR",)), ()),
        ("K30", Filters(subtheme=("mobility_transport",)), ()),
        ("K29", Filters(), ("lyon-fr",)),
    ):
        sql, _ = metric_query(metric_id, filters, by=("city",), city=city)
        # (the total of one city's scope, not broken down by city, may read the per-city mart:
        # tests/metrics/test_city_scope.py)
        by_city = sql.split("union all")[0]
        assert "city_cube" not in by_city and "unnest(city_ids)" in by_city
    # a figure not broken down by city never reads it
    for metric_id in METRICS:
        sql, _ = metric_query(metric_id, Filters(), by=("network",))
        assert "city_cube" not in sql


def test_per_city_marts_hold_each_activity_once_per_city_of_its_list(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    for city_mart, cube, measure in (
        ("mart.activity_city_cube", "mart.activity_cube", "fields_total"),
        ("mart.timeliness_city_cube", "mart.timeliness_cube", "activities"),
    ):
        got = mcur.execute(
            f"select city_id, sum({measure}) from {city_mart} group by 1 order by 1"
        ).fetchall()
        want = mcur.execute(
            f"select city_id, sum({measure}) from (select *, unnest(city_ids) as city_id "
            f"from {cube}) group by 1 order by 1"
        ).fetchall()
        assert got == want and len(got) > 1


def _by(frame: pd.DataFrame, column: str) -> dict[str, tuple[float, float]]:
    rows = groups(frame)
    return {r[column]: (r["value"], r["denominator"]) for _, r in rows.iterrows()}


@pytest.mark.parametrize("unnested", [False, True], ids=["per-city mart", "list unnested"])
def test_a_place_breakdown_lists_only_the_places_the_filter_matches(
    mcur: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, unnested: bool
) -> None:
    """Under "Country: France", K30 by city (completed activities: a3 hosted in Lyon, lag 0 days;
    a8 hosted nowhere, attended from Lyon and Austin, lag 2) lists Lyon alone: a8 counts in
    France through Lyon, and Austin is not in France. Lower median of (0, 2): 0; total the same 2
    activities. Under "Region: North America": Austin (a2 lag 20, a8 lag 2: lower median 2) and
    Toronto (a6 lag 29), not Lyon; the total (2, 20, 29) has median 20 over 3 activities."""
    if unnested:
        monkeypatch.setattr(build, "SOURCES", _unnested_sources())
    france = metric_frame(mcur, "K30", Filters(country=("FR",)), by=("city",))
    assert _by(france, "city_id") == {"lyon-fr": (0.0, 2.0)}
    assert tuple(total_row(france)[["value", "denominator"]]) == (0.0, 2.0)
    america = metric_frame(mcur, "K30", Filters(region=("NA",)), by=("city",))
    assert _by(america, "city_id") == {"austin-us": (2.0, 2.0), "toronto-ca": (29.0, 1.0)}
    assert tuple(total_row(america)[["value", "denominator"]]) == (20.0, 3.0)


def test_a_coarser_place_counts_a_row_only_through_its_cities_the_filter_matches(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    """Under "Country: France, Canada", K30 by region: Europe holds a3 and a8 (both through
    Lyon: lags 0 and 2, lower median 0); North America holds a6 (Toronto, lag 29) and not a8,
    whose North American city (Austin) is in neither country. By country: Canada a6, France a3
    and a8. The total: a3, a6, a8 (lags 0, 2, 29): 2 over 3 activities."""
    filters = Filters(country=("FR", "CA"))
    by_region = metric_frame(mcur, "K30", filters, by=("region",))
    assert _by(by_region, "region") == {"EU": (0.0, 2.0), "NA": (29.0, 1.0)}
    assert tuple(total_row(by_region)[["value", "denominator"]]) == (2.0, 3.0)
    by_country = metric_frame(mcur, "K30", filters, by=("country",))
    assert _by(by_country, "country_iso2") == {"CA": (29.0, 1.0), "FR": (0.0, 2.0)}


def test_a_place_breakdown_without_a_geographic_filter_keeps_every_place() -> None:
    """No geographic filter or city scope: the query reads no kept places (unchanged SQL)."""
    for filters in (Filters(), Filters(network=("innovation",))):
        sql, _ = metric_query("K30", filters, by=("region",))
        assert "_unnested" not in sql and "mart.city " not in sql
    sql, _ = metric_query("K30", Filters(region=("EU",)), by=("region",))
    assert "as _unnested where region in (select region from mart.city" in sql
