"""`queries.metric_totals` runs several metrics' totals in one statement, each equal to its own
`metric_total` (sums, distinct counts, a ratio and a median), on the hand-built fixture."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines import queries as q
from pipelines.metrics import build
from pipelines.metrics.filters import Filters
from pipelines.queries.city import CITY_FIGURES
from pipelines.queries.metrics import metric_frames


@pytest.mark.parametrize(
    ("filters", "city"),
    [
        (Filters(), ("turin-it",)),
        (Filters(region=("NA",), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)), ()),
        (Filters(network=("innovation",)), ("toronto-ca",)),
    ],
)
def test_metric_totals_in_one_statement_equal_each_metric_total(cur, filters, city):
    ids = [*CITY_FIGURES.values(), "K02", "K22", "K30"]  # sums, distinct counts, ratio, median
    batch = q.metric_totals(cur, ids, filters, city=city)
    assert batch == {m: q.metric_total(cur, m, filters, city=city) for m in ids}
    assert any(v is not None and v > 0 for v in batch.values())


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
        Filters(mode=("x",)),
    ],
)
def test_city_figures_take_a_breakdown_total_as_the_same_figure(cur, filters):
    # the profile passes breakdowns' recounted totals (dashboard.pages.city.HEADLINE_TOTALS):
    # the figures are those asked
    totals = {
        metric_id: q.city_breakdown(cur, "turin-it", filters, metric_id, by).attrs["total"]
        for metric_id, by in (("K03", "year"), ("K04", "year"), ("outputs", "output_status"))
    }
    given = q.city_figures(cur, "turin-it", filters, totals=totals)
    pd.testing.assert_frame_equal(given, q.city_figures(cur, "turin-it", filters))


def test_city_figures_use_given_totals_as_they_are_and_ignore_other_metrics(cur):
    figures = q.city_figures(cur, "turin-it", Filters(), totals={"K03": 7.0, "K02": -1.0})
    values = dict(zip(figures["metric"], figures["value"], strict=True))
    assert values["K03"] == 7.0
    assert "K02" not in values
    assert values["K04"] == q.metric_total(cur, "K04", Filters(), city=("turin-it",))


def test_metric_frames_over_the_same_rows_read_them_once(cur):
    # K04 and K08 both sum the stakeholder cube's rows: one grouping-sets scan for both
    sql, _, _ = build.metrics_query(["K04", "K08", "K03"], Filters(), ("year",))
    assert sql.count("mart.participation_stakeholder_cube") == 1
    k04, k08, k03 = metric_frames(cur, ["K04", "K08", "K03"], Filters(), by=("year",))
    for metric_id, frame in (("K04", k04), ("K08", k08), ("K03", k03)):
        own = q.metric_frame(cur, metric_id, Filters(), by=("year",))
        pd.testing.assert_frame_equal(frame, own)
    # completed activities: 2024 a1 (10+6+4), a2 (8+2), a3 (5+5); 2025 a6 (3+1), a7 (4)
    assert list(k04["value"]) == [40, 8, 48]
    # women over declared: 2024 (4+3+5+1+2) / (10+6+8+2+5); 2025 (1+0+2) / (3+1+4)
    assert list(k08["numerator"]) == [15, 3, 18]
    assert list(k08["denominator"]) == [31, 8, 39]
    assert list(k08["is_total"]) == [False, False, True]
