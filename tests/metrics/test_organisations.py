"""D6: organisations counted exactly where identified, as a range where partly, as participations
where not at all; on a hand fixture (tests/pipelines/conftest.py with identifiers added).

Identifiers (organisations = 1 on each identified row):
  Turin (IT): a1 local gov 'torino-city', a2 civil society 'torino-ngo', a7 local gov
  'torino-city' -> fully identified: 3 identified participations, 2 distinct organisations.
  Austin (US): a2 local gov 'austin-city' identified; a1 academia 3 and a1 business 2 not.
  Lyon (FR): a3 local gov 1, not identified. Toronto: a3 other 2, a6 business 1; Merida: a6 1.
  (a4 is planned: left out.) Joint activities (cooperation, two countries): a1, a2, a3.
"""

from __future__ import annotations

import duckdb
import pytest

from pipelines.metrics.build import metric_totals_query
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import groups, metric_frame, total_row
from pipelines.queries.participation import organisation_figures
from pipelines.warehouse import marts
from tests.pipelines.conftest import build_fixture_warehouse

IDENTIFIERS = """
update core.participation set organisation_id = 'torino-city', organisations = 1
    where city_id = 'turin-it' and activity_id in ('a1', 'a7');
update core.participation set organisation_id = 'torino-ngo', organisations = 1
    where city_id = 'turin-it' and activity_id = 'a2';
update core.participation set organisation_id = 'austin-city', organisations = 1
    where city_id = 'austin-us' and activity_id = 'a2'
"""


@pytest.fixture(scope="module")
def ocur():
    """An in-memory fixture warehouse whose participations partly carry organisation ids."""
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    con.execute(IDENTIFIERS)
    marts.build_marts(con)
    yield con.cursor()
    con.close()


def test_fully_identified_scope_is_an_exact_distinct_count(ocur):
    italy = organisation_figures(ocur, Filters(country=("IT",)))
    assert italy == {
        "identified": 2,  # torino-city (twice) and torino-ngo
        "unidentified": 0,
        "pct_identified": 100,
        "rule": "exact",
        "low": 2,
        "high": 2,
    }


def test_partly_identified_scope_is_a_range(ocur):
    us = organisation_figures(ocur, Filters(country=("US",)))
    assert (us["rule"], us["low"], us["high"]) == ("range", 1, 1 + 3 + 2)
    assert us["pct_identified"] == pytest.approx(100 * 1 / 6)
    # the programme: 3 identified; unidentified 3 + 2 (Austin) + 1 (Lyon) + 2 + 1 (Toronto) + 1
    everything = organisation_figures(ocur, Filters())
    assert (everything["rule"], everything["low"], everything["high"]) == ("range", 3, 13)
    assert everything["pct_identified"] == pytest.approx(100 * 4 / 14)
    # joint activities (K09): a1 a2 a3 -> torino-city, torino-ngo, austin-city; 3 + 2 + 1 + 2
    joint = organisation_figures(ocur, Filters(), indicator="K09")
    assert (joint["rule"], joint["low"], joint["high"]) == ("range", 3, 11)


def test_unidentified_scope_stays_organisation_participations(ocur):
    france = organisation_figures(ocur, Filters(country=("FR",)))
    assert france["rule"] == "participations"
    assert (france["identified"], france["unidentified"]) == (0, 1)
    assert (france["low"], france["high"]) == (1, 1)  # lower bound (D6) and the K05 sum


def test_identified_organisations_are_recounted_under_a_breakdown(ocur):
    frame = metric_frame(ocur, "K05.identified", Filters(), by=("year",))
    years = groups(frame).set_index("year")["value"]
    # 2024: torino-city, torino-ngo, austin-city; 2025: torino-city again (a7)
    assert list(years) == [3, 1]
    assert total_row(frame)["value"] == 3  # a recount, not 3 + 1
    upper = metric_frame(ocur, "K05.upper_bound", Filters(), by=("region",))
    rows = groups(upper).set_index("region")["value"]
    # EU: 2 identified + Lyon 1; NA: austin-city + 3 + 2 + 2 + 1 + 1
    assert (rows["EU"], rows["NA"], total_row(upper)["value"]) == (3, 10, 13)


def test_totals_over_the_same_rows_are_one_select(ocur):
    parts = ["K05.identified", "K05.unidentified", "K05.pct_identified", "K05.upper_bound"]
    sql, params = metric_totals_query([*parts, "K09.identified"], Filters())
    # K05's four parts read the organisation rows once; K09's (joint only) are other rows
    assert sql.count("mart.organisation_cube") == 2
    rows = ocur.execute(f"select * from ({sql}) order by metric_index", params).fetchall()
    assert rows == [
        (0, 3, None, 3),  # torino-city, torino-ngo, austin-city
        (1, 10, None, 10),  # 3 + 2 (Austin) + 1 (Lyon) + 2 + 1 (Toronto) + 1 (Merida)
        (2, 4, 14, pytest.approx(100 * 4 / 14)),  # identified participations / all
        (3, 13, None, 13),
        (4, 3, None, 3),  # a1 a2 joint: torino-city, torino-ngo, austin-city
    ]


def test_bad_indicator_is_refused(ocur):
    with pytest.raises(ValueError, match="K05 or K09"):
        organisation_figures(ocur, Filters(), indicator="K04")
