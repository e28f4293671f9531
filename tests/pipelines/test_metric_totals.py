"""`queries.metric_totals` runs several metrics' totals in one statement, each equal to its own
`metric_total` (sums, distinct counts, a ratio and a median), on the hand-built fixture."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines import queries as q
from pipelines.metrics.filters import Filters
from pipelines.queries.city import CITY_FIGURES


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
