"""`queries.metric_totals` runs several metrics' totals in one statement, each equal to its own
`metric_total` (sums, distinct counts, a ratio and a median), on the hand-built fixture."""

from __future__ import annotations

import datetime as dt

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
