"""The live scorecard (mart.kpi_scorecard_for, a macro) gives, for a filter, the value each KPI's
own metric gives as a live query: the two are built from one declaration in two modes (macro and
query), whose list filters take different paths for one value and for several.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from pipelines import queries
from pipelines.metrics.catalogue import METRICS
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import metric_total
from pipelines.queries.overview import _stored_scope

LIVE = [
    Filters(region=("EU",)),  # one value of a list filter
    Filters(country=("FR", "US")),  # several values
    # half a year: a year of one mode is stored at publish
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30), mode=("pairing",)),
]


@pytest.mark.parametrize("filters", LIVE, ids=["region", "countries", "year-mode"])
def test_live_scorecard_equals_each_kpis_metric(mcur, filters):
    assert _stored_scope(filters, None, None) is None  # the live macro, not the stored rows
    card = queries.kpi_scorecard(mcur, filters).set_index("indicator_id")["value"]
    checked = 0
    for m in METRICS.values():
        if m.indicator and m.measure == "main":
            expected = metric_total(mcur, m.id, filters)
            got = card.get(m.indicator)
            if expected is None:
                assert got is None or math.isnan(got), m.id
            else:
                assert got == pytest.approx(expected), m.id
            checked += 1
    assert checked >= 25
