"""The cross-cutting challenge as a filter and a breakdown, on the tiny fixture, by hand.

Challenges set on top of the fixture: a1 and a7 digital, a3 energy; the other completed
activities (a2, a6, a8) record none. Output o1 comes from a1, so it is digital; the others have no
activity and so no challenge.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from pipelines.metrics.build import unhonoured_filters
from pipelines.metrics.filters import Filters
from pipelines.queries.challenges import challenge_breakdown
from pipelines.queries.metrics import describe, groups, metric_frame, metric_total
from pipelines.warehouse import marts
from tests.metrics.conftest import HOSTLESS
from tests.pipelines.conftest import build_fixture_warehouse

DIGITAL, ENERGY = "digital_transition_smart_city", "energy_transition_climate_change"


@pytest.fixture(scope="module")
def ccur() -> Iterator[duckdb.DuckDBPyConnection]:
    """The metric fixture warehouse with challenges on a1, a3 and a7."""
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    con.execute(HOSTLESS)
    con.execute(
        "update core.activity set cross_cutting_id = case activity_id "
        f"when 'a1' then '{DIGITAL}' when 'a7' then '{DIGITAL}' when 'a3' then '{ENERGY}' end"
    )
    marts.build_marts(con)
    yield con.cursor()
    con.close()


def test_challenge_filter_restricts_activities_participations_outputs_and_funding(ccur):
    digital = Filters(challenge=(DIGITAL,))
    assert metric_total(ccur, "K03", digital) == 2  # a1, a7
    assert metric_total(ccur, "K04", digital) == (10 + 6 + 4) + 4  # a1, a7
    assert metric_total(ccur, "K02", digital) == 2  # turin, austin
    assert metric_total(ccur, "outputs", digital) == 1  # o1
    assert metric_total(ccur, "K20", digital) == 100000  # f1 on o1


def test_challenge_breakdown_rows_and_recounted_totals(ccur):
    k04 = groups(metric_frame(ccur, "K04", Filters(), by=("challenge",)))
    by = dict(zip(k04["cross_cutting_id"].fillna("-"), k04["value"], strict=True))
    assert by == {DIGITAL: 24, ENERGY: 10, "-": 19}  # a2 10, a6 4, a8 5
    frame = challenge_breakdown(ccur, Filters())
    totals = frame[frame["is_total"]].set_index("measure")["value"].to_dict()
    assert totals == {"activities": 6, "participations": 53, "outputs": 8}
    # distinct cities are recounted across challenges, not added up: digital turin+austin,
    # energy lyon+toronto, none austin+turin+toronto+merida+lyon -> 9 city-groups, 5 cities
    k02 = metric_frame(ccur, "K02", Filters(), by=("challenge",))
    assert groups(k02)["value"].sum() == 2 + 2 + 5
    assert k02["value"].iloc[-1] == 5


def test_source_without_challenge_says_so(ccur):
    digital = Filters(challenge=(DIGITAL,))
    assert unhonoured_filters("K22", digital) == ("challenge",)
    assert unhonoured_filters("K04", digital) == ()
    assert "challenge" in describe("K22")["unsupported_filters"]
    assert not metric_total(ccur, "K22", digital)  # selects nothing, never the unfiltered value
