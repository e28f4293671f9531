"""kpi_scorecard reads the rows stored at publish for stored scopes: same frame as the macro."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines import queries as q
from pipelines.metrics.filters import Filters
from pipelines.queries import overview


def _macro_only(cur, filters: Filters, **kwargs) -> pd.DataFrame:
    original = overview._stored_scope
    overview._stored_scope = lambda *a: None
    try:
        return q.kpi_scorecard(cur, filters, **kwargs)
    finally:
        overview._stored_scope = original


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(network=("innovation",)),
        Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
        Filters(network=("innovation",), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
    ],
)
def test_kpi_scorecard_stored_scope_equals_macro(cur, filters):
    assert overview._stored_scope(filters, None, None) is not None
    stored = q.kpi_scorecard(cur, filters, lang="fr")
    pd.testing.assert_frame_equal(stored, _macro_only(cur, filters, lang="fr"))


def test_kpi_scorecard_stored_scope_only_for_stored_filters():
    assert overview._stored_scope(Filters(region=("EU",)), None, None) is None
    assert overview._stored_scope(Filters(network=("a", "b")), None, None) is None
    assert overview._stored_scope(Filters(start=dt.date(2024, 1, 1)), None, None) is None
    assert overview._stored_scope(Filters(network=("a",)), "coop", None) is None
    assert overview._stored_scope(Filters(), "coop", None)[3:] == ("cooperation", "coop")
