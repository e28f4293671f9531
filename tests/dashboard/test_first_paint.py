"""First paint from the layout (dashboard.first_paint) and cache warming, on the demo warehouse."""

from __future__ import annotations

from pathlib import Path

import dash
import numpy as np
import plotly
import plotly.graph_objects as go
import pytest
from dash._utils import stringify_id

from dashboard import components, data, figures, first_paint, ids, lean_figures
from dashboard.app import app
from dashboard.pages import overview

ASSETS = Path(__file__).resolve().parents[2] / "dashboard" / "assets"


@pytest.fixture(scope="module")
def demo_data(demo_db: Path):
    data.configure(demo_db)
    yield
    data.configure()


def _entry(name: str) -> dict:
    return next(
        e
        for e in app._callback_list
        if getattr(app.callback_map[e["output"]].get("callback"), "__wrapped__", None)
        and app.callback_map[e["output"]]["callback"].__wrapped__.__qualname__ == name.split(":")[1]
        and app.callback_map[e["output"]]["callback"].__wrapped__.__module__ == name.split(":")[0]
    )


def test_callbacks_filled_by_the_layout_skip_their_initial_call() -> None:
    assert _entry("dashboard.pages.overview:update_network")["prevent_initial_call"] is True
    assert (
        _entry("dashboard.pages.sdg:update_profile")["prevent_initial_call"] is True
    )  # + a toggle
    # has a State and wildcard inputs: its layout shows the first page itself (register_view)
    assert _entry("dashboard.pages.activities:update_register")["prevent_initial_call"] is True
    assert first_paint.parse_outputs('..a.b...{"c":"d"}.e@12ab..') == [
        ("a", "b"),
        ('{"c":"d"}', "e"),
    ]


def test_layout_carries_the_figures_its_callbacks_return(demo_data) -> None:
    page = next(p for p in dash.page_registry.values() if p["path"] == "/")
    with app.server.test_request_context("/"):
        layout = page["layout"](lang="fr")
    found = {stringify_id(c.id): c for c in first_paint._walk(layout) if getattr(c, "id", None)}
    graph = found[stringify_id(components.card_id(ids.CARD_GRAPH, ids.OVERVIEW_NETWORK_CARD))]
    state = found[ids.STATE].data
    expected = overview.update_network(state)[0]
    assert graph.figure.to_json() == expected.to_json()
    assert len(graph.figure.data) >= 1
    summary = found[stringify_id(components.card_id(ids.CARD_SUMMARY, ids.OVERVIEW_NETWORK_CARD))]
    assert summary.children and "…" not in str(summary.children)


def test_warming_fills_the_cache_for_the_default_views(demo_data) -> None:
    data.clear_cache()
    data.warm()
    keys = {key[1] for key in data._cache}
    for query in ("kpi_scorecard", "network_breakdown", "map_points", "data_dates"):
        assert any(query in k for k in keys), (query, sorted(keys))


def test_partial_plotly_bundle_is_the_version_dash_serves() -> None:
    bundle = next(ASSETS.glob("04-plotly-*-iurc.min.js"))
    version = plotly.offline.get_plotlyjs_version()
    assert bundle.name == f"04-plotly-{version}-iurc.min.js"
    assert f'version="{version}"' in bundle.read_text(encoding="utf-8")[:400]


def test_layout_response_holds_the_page_it_was_requested_from(demo_data) -> None:
    """The layout request's Referer names the page: it arrives in the container, with the
    Location set (nothing for the router to do); no or a foreign Referer: Dash's empty container."""
    client = app.server.test_client()
    response = client.get(
        "/_dash-layout", headers={"Referer": "http://localhost/activities?lang=fr&page=2#x"}
    )
    assert response.status_code == 200 and "Referer" in response.headers["Vary"]
    location, content = response.get_json()["props"]["children"]["props"]["children"][:2]
    assert location["props"] == {
        "id": "_pages_location",
        "refresh": "callback-nav",
        "pathname": "/activities",
        "search": "?lang=fr&page=2",
        "hash": "",
        "href": "http://localhost/activities?lang=fr&page=2",
    }
    text = str(content)
    assert "Activités" in text and "Lignes 26 à 50" in text  # French, page 2, rows filled
    for headers in ({}, {"Referer": "http://elsewhere.example/activities"}):
        response = client.get("/_dash-layout", headers=headers)
        location, content = response.get_json()["props"]["children"]["props"]["children"][:2]
        assert "pathname" not in location["props"] and content["props"].get("children") is None
    response = client.get("/_dash-layout", headers={"Referer": "http://localhost/no-such-page"})
    assert "pathname" not in str(response.get_json())
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


def test_figures_go_to_the_browser_without_template_and_with_rounded_coordinates() -> None:
    # the browser's copy of the template (a hashed asset) is the one the server uses
    assert lean_figures.TEMPLATE_ASSET.read_text(encoding="utf-8") == lean_figures.template_script()
    fig = go.Figure(go.Scattergeo(lat=np.array([45.464211, 48.1]), lon=[9.191383, None, -73.5]))
    figures.base_layout(fig, "en")
    sent = lean_figures.browser_figure(fig).to_plotly_json()
    assert "template" not in sent["layout"]
    assert sent["data"][0]["lat"]["dtype"] == "f4" and sent["data"][0]["lon"] == [9.19, None, -73.5]
    own = go.Figure(layout={"template": "plotly"})  # a figure with a template of its own keeps it
    assert "template" in lean_figures.browser_figure(own).to_plotly_json()["layout"]
