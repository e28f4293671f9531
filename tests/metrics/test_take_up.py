"""Take-up (issue 20): outputs adopted by other cities, counted by the declared distinct-count
metrics on the fixture warehouse plus four hand-written adoptions, and listed on the showcase and
the city profile.

o1 (Turin's plan, coop-a, innovation) taken up by Lyon (2025-03-05) and Toronto (2025-03-10);
o3 (Toronto's pilot, coop-b, urban renewal) by Turin (2024-12-01); o6 (Toronto's policy change,
innovation) by Lyon (2025-02-01); o8 by Mérida on 2025-06-01, after the data's as-of date
(2025-03-12), so counted nowhere "to date" and listed nowhere. The geography is the adopting
city's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from pipelines.metrics.catalogue import METRICS, additive_over
from pipelines.metrics.filters import Filters
from pipelines.queries.city import city_figures, city_outputs
from pipelines.queries.metrics import groups, metric_frame, metric_total
from pipelines.queries.practices import (
    practices,
    practices_listed,
    practices_matched,
    take_up_totals,
)
from pipelines.warehouse import marts
from tests.pipelines.conftest import build_fixture_warehouse

ADOPTIONS = """
insert into core.output_adoption values
    ('o1', 'lyon-fr', '2025-03-05', null, 'fx'),
    ('o1', 'toronto-ca', '2025-03-10', 'https://example.org/toronto', 'fx'),
    ('o3', 'turin-it', '2024-12-01', null, 'fx'),
    ('o6', 'lyon-fr', '2025-02-01', null, 'fx'),
    ('o8', 'merida-mx', '2025-06-01', null, 'fx')
"""
Y2024 = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
TO_SEPT_2025 = Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 9, 30))  # as of 2025-03-12


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    build_fixture_warehouse(connection)
    connection.execute(ADOPTIONS)
    marts.build_marts(connection)
    yield connection
    connection.close()


def _by(con: duckdb.DuckDBPyConnection, metric: str, dim: str, col: str) -> dict[str, float]:
    frame = groups(metric_frame(con, metric, TO_SEPT_2025, by=(dim,)))
    return dict(zip(frame[col], frame["value"], strict=True))


def test_take_up_metrics_count_distinct_outputs_and_adopting_cities_to_date(con) -> None:
    assert metric_total(con, "practices_taken_up", Y2024) == 1  # o3
    assert metric_total(con, "adopting_cities", Y2024) == 1  # Turin
    assert take_up_totals(con, TO_SEPT_2025) == {"practices_taken_up": 3, "adopting_cities": 3}
    # by the adopting city's region: o1 counts in Europe (Lyon) and in North America (Toronto)
    assert _by(con, "practices_taken_up", "region", "region") == {"EU": 3, "NA": 1}
    assert _by(con, "adopting_cities", "region", "region") == {"EU": 2, "NA": 1}
    assert _by(con, "adopting_cities", "network", "network_id") == {
        "innovation": 2,  # Lyon (o1, o6), Toronto (o1)
        "urban_renewal": 1,  # Turin (o3)
    }
    # distinct counts: the regions' 3 + 1 practices are not the total 3, and nothing adds them
    assert not additive_over(METRICS["practices_taken_up"], "region")
    assert metric_total(con, "practices_taken_up", TO_SEPT_2025, city=("lyon-fr",)) == 2
    assert (
        metric_total(con, "practices_taken_up", Filters(region=("NA",), end=TO_SEPT_2025.end)) == 1
    )
    figures = city_figures(con, "lyon-fr", TO_SEPT_2025).set_index("key")
    assert figures.loc["practices_taken_up", "value"] == 2
    assert figures.loc["practices_taken_up", "geography"] == "adopting_city"


def test_showcase_and_profile_name_the_cities_that_took_an_output_up(con) -> None:
    listed = practices(con, Filters()).set_index("output_id")
    assert list(listed.loc["o1", "taken_up_names"]) == ["Lyon", "Toronto"]
    assert list(listed.loc["o1", "taken_up_ids"]) == ["lyon-fr", "toronto-ca"]
    assert list(listed.loc["o5", "taken_up_names"]) == []
    # Mérida's adoption is dated after the as-of date: the take-up metrics leave it out, so
    # does the list (the metrics' own to-date condition)
    assert list(listed.loc["o8", "taken_up_names"]) == []
    turin = city_outputs(con, "turin-it", Filters()).set_index("output_id")
    assert list(turin.loc["o1", "taken_up_names"]) == ["Lyon", "Toronto"]
    # a period ending in February 2025 lists the adoptions up to its end, as the metrics count
    to_feb = Filters(end=dt.date(2025, 2, 28))
    early = practices(con, to_feb).set_index("output_id")["taken_up_names"].map(list)
    assert {k: v for k, v in early.items() if v} == {"o3": ["Torino"], "o6": ["Lyon"]}
    assert take_up_totals(con, to_feb) == {"practices_taken_up": 2, "adopting_cities": 2}


def test_profile_and_showcase_cut_lists_keep_the_take_up_of_what_they_list(con) -> None:
    """The city profile asks for its latest outputs only and the showcase narrows its outputs
    before gathering take-up: the first rows are the full list's first rows, take-up included."""
    full = city_outputs(con, "turin-it", Filters())
    assert len(full) > 1
    first = city_outputs(con, "turin-it", Filters(), limit=1)
    assert first["output_id"].tolist() == full["output_id"].head(1).tolist()
    assert (
        first["taken_up_names"].map(list).tolist()
        == full["taken_up_names"].head(1).map(list).tolist()
    )
    assert city_outputs(con, "turin-it", Filters(), limit=0).empty
    with pytest.raises(ValueError, match="limit"):
        city_outputs(con, "turin-it", Filters(), limit=-1)
    # a search or an SDG goal narrows the showcase; what stays listed keeps its take-up
    found = practices(con, Filters(), search=" plan a ")
    assert found["output_id"].tolist() == ["o1"]
    assert list(found["taken_up_names"].iloc[0]) == ["Lyon", "Toronto"]
    assert practices(con, Filters(), search="torino").shape[0] >= 1  # a city name is searched


def test_showcase_cut_at_its_maximum_still_counts_every_match(
    con, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The showcase lists at most PRACTICES_MAX_ROWS practices; its count is of every match."""
    from pipelines.queries import practices as practices_module

    full = practices(con, Filters())
    assert len(full) > 2 and practices_matched(full) == len(full)  # under the cut: all listed
    monkeypatch.setattr(practices_module, "PRACTICES_MAX_ROWS", 2)
    cut = practices(con, Filters())
    assert cut["output_id"].tolist() == full["output_id"].head(2).tolist()
    assert practices_matched(cut) == len(full)
    searched = practices(con, Filters(), search=" plan a ")  # a search counts its own matches
    assert practices_matched(searched) == 1
    assert practices_matched(practices(con, Filters(), search="no such practice")) == 0


def test_showcase_page_is_that_slice_of_the_list_with_its_take_up(
    con, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of the showcase is that slice of the whole list, its rows whole (cities, goals,
    take-up); past the end it is the last page; it says how long the list is."""
    from pipelines.queries import practices as practices_module

    monkeypatch.setattr(practices_module, "PRACTICES_PAGE_SIZE", 2)
    full = practices(con, Filters())
    assert len(full) > 4  # at least three pages of two
    last = (len(full) + 1) // 2
    for page, rows in (
        (1, full.iloc[0:2]),
        (2, full.iloc[2:4]),
        (last + 5, full.iloc[-2 + len(full) % 2 :]),
    ):
        shown = practices(con, Filters(), page=page)
        assert shown["output_id"].tolist() == rows["output_id"].tolist(), page
        for column in ("city_names", "goals", "taken_up_names"):
            assert shown[column].map(list).tolist() == rows[column].map(list).tolist()
        assert practices_listed(shown) == len(full)
        assert practices_matched(shown) == practices_matched(full)
    o1 = practices(con, Filters(), search=" plan a ", page=1)
    assert o1["output_id"].tolist() == ["o1"] and practices_listed(o1) == 1
    assert list(o1["taken_up_names"].iloc[0]) == ["Lyon", "Toronto"]
    none = practices(con, Filters(), search="no such practice", page=1)
    assert none.empty and practices_listed(none) == 0


OUTPUT_TAGS = """
insert into core.sdg_alignment
    (entity_type, entity_id, goal, target_id, is_primary, method, score, status, run_id) values
    ('output', 'o1', 9, '9.1', true, 'manual', null, 'accepted', 'fx'),
    ('output', 'o1', 9, '9.2', false, 'keyword', 0.8, 'accepted', 'fx'),
    ('output', 'o1', 5, '5.1', false, 'manual', null, 'suggested', 'fx'),
    ('output', 'o3', 12, '12.5', true, 'model', 0.7, 'suggested', 'fx'),
    ('output', 'o3', 2, '2.1', false, 'keyword', 0.5, 'accepted', 'fx')
"""


def test_showcase_lists_each_outputs_validated_goals_from_the_output_goal_mart() -> None:
    """mart.sdg_output_goal: an output's validated goals once each, in order (by hand: o1 9 twice
    accepted and 5 manual, a manual tag counting unless rejected; o3 2 accepted, 12 only an
    unreviewed suggestion; o1's 13 rejected). The showcase lists them."""
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    con.execute(OUTPUT_TAGS)
    marts.build_marts(con)
    rows = con.execute("select output_id, goals from mart.sdg_output_goal order by 1").fetchall()
    assert rows == [("o1", [5, 9]), ("o3", [2])]
    listed = practices(con, Filters())
    goals = dict(zip(listed["output_id"], listed["goals"].map(list), strict=True))
    assert goals["o1"] == [5, 9] and goals["o3"] == [2]
    assert all(goals[o] == [] for o in goals if o not in ("o1", "o3"))
    assert practices(con, Filters(), goal=12)["output_id"].tolist() == []  # a suggestion only
    con.close()
