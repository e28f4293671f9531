"""The overview scorecard runs its two queries concurrently without changing what it shows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pandas.testing import assert_frame_equal

from dashboard import components, data
from pipelines import queries
from pipelines.metrics.filters import Filters
from pipelines.queries.overview import TREND_KPIS
from pipelines.warehouse import db

FILTERS = [
    Filters(),
    Filters(network=("innovation",)),
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), region=("EU",)),
    Filters(country=("CA", "US"), mode=("pairing",)),
]


@pytest.fixture(scope="module", autouse=True)
def app():
    """The Dash app, created before any page module is imported (register_page needs it)."""
    from dashboard import app as module

    return module.app


@pytest.fixture(scope="module")
def warehouse(demo_db):
    data.configure(demo_db)
    yield demo_db
    data.clear_cache()


@pytest.mark.parametrize("filters", FILTERS)
def test_overview_trend_rows_do_not_depend_on_the_kpis_asked_for(demo_db, filters):
    # update_scorecard asks for every trend KPI before it knows which KPIs have a value
    con = db.connect_readonly(demo_db)
    try:
        every = queries.kpi_trend(con, filters, TREND_KPIS, lang="fr")
        for subset in (("K04",), ("K03", "K20"), ("K01", "K08", "K10")):
            some = queries.kpi_trend(con, filters, subset, lang="fr")
            assert not some.empty
            part = every[every["indicator_id"].isin(subset)].reset_index(drop=True)
            assert_frame_equal(part, some)
    finally:
        con.close()


def _sequential_cards(filters: Filters, lang: str) -> list:
    from dashboard.pages import overview

    df = data.kpi_scorecard(filters, lang=lang)
    df = df[df["value"].notna()]
    trend = data.kpi_trend(filters, tuple(df["indicator_id"]), lang=lang)
    series = trend.groupby("indicator_id")["value"].apply(list).to_dict()
    runs = data.ingest_runs(limit=200)
    return [
        overview.kpi_card(row, series.get(row["indicator_id"], []), lang, runs)
        for _, row in df.iterrows()
    ]


@pytest.mark.parametrize("filters", FILTERS)
def test_overview_scorecard_cards_equal_the_sequential_queries(warehouse, filters):
    from dashboard.pages import overview

    data.clear_cache()
    cards, _, _ = overview.update_scorecard(components.make_state(filters, "es", "/"))
    data.clear_cache()
    expected = _sequential_cards(filters, "es")
    assert any(c.className.startswith("kpi-card") for c in cards)
    assert json.dumps([c.to_plotly_json() for c in cards], default=str) == json.dumps(
        [c.to_plotly_json() for c in expected], default=str
    )
    assert "▁" in json.dumps([c.to_plotly_json() for c in cards], default=str, ensure_ascii=False)
