"""The overview scorecard runs its two queries concurrently without changing what it shows."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
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
    runs = data.ingest_runs(limit=200)
    cards = []
    for _, row in df.iterrows():
        mine = trend[trend["indicator_id"] == row["indicator_id"]]
        values = mine.loc[mine["complete"], "value"].tolist()
        partial = bool((~mine["complete"]).any())
        orgs = None
        if row["indicator_id"] in ("K05", "K09"):
            orgs = data.organisation_figures(filters, indicator=row["indicator_id"])
        cards.append(
            overview.kpi_card(row, values, lang, runs, partial=partial, organisations=orgs)
        )
    return cards


def test_trend_series_leaves_out_a_running_period_and_says_so():
    from dashboard.pages import overview

    trend = pd.DataFrame(
        {
            "indicator_id": ["K03", "K03", "K03", "K04", "K04"],
            "value": [1.0, 4.0, 2.0, 5.0, 6.0],
            "complete": [True, True, False, True, True],
        }
    )
    assert overview.trend_series(trend) == {"K03": ([1.0, 4.0], True), "K04": ([5.0, 6.0], False)}
    row = pd.Series(
        {
            "indicator_id": "K03",
            "label": "x",
            "value": 2.0,
            "unit": "count",
            "rag": "none",
            "target_value": None,
            "pct_achieved": None,
            "direction": "higher",
        }
    )
    text = json.dumps(
        overview.kpi_card(row, [1.0, 4.0], "fr", partial=True).to_plotly_json(), default=str
    )
    assert "kpi-trend-note" in text
    assert "kpi-trend-note" not in json.dumps(
        overview.kpi_card(row, [1.0, 4.0], "fr").to_plotly_json(), default=str
    )


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


def test_organisation_cards_state_the_d6_figures(warehouse):
    """K05/K09 cards carry the distinct-organisation sentence of decision D6, with the metric
    layer's figures: the demo identifies most organisation participations, so a range."""
    from dashboard.pages import overview

    data.clear_cache()
    filters = Filters(region=("EU",))
    cards, _, _ = overview.update_scorecard(components.make_state(filters, "en", "/"))
    # a card is one StaticTree: li > article > h3, as nodes [tag, attributes, children]
    text = {c.nodes[0][2][0][2][0]: json.dumps(c.to_plotly_json(), default=str) for c in cards}
    k05 = next(v for k, v in text.items() if k.startswith("K05"))
    figures = queries.organisation_figures(db.connect_readonly(warehouse), filters)
    assert figures["rule"] == "range" and figures["low"] < figures["high"]
    sentence = overview.organisations_text(figures, "en")
    assert sentence in k05
    assert f"{figures['low']:,.0f}" in sentence and f"{figures['high']:,.0f}" in sentence
    assert not any(
        "Distinct organisations" in v for k, v in text.items() if k[:3] not in ("K05", "K09")
    )
