"""First paint from the layout (dashboard.first_paint) and cache warming, on the demo warehouse."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

import dash
import numpy as np
import plotly
import plotly.graph_objects as go
import pytest
from dash import dcc, html
from dash._utils import stringify_id, to_json

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
    # an address no page serves: the not-found page, in place (dashboard/pages/not_found_404.py)
    response = client.get("/_dash-layout", headers={"Referer": "http://localhost/no-such-page"})
    location, content = response.get_json()["props"]["children"]["props"]["children"][:2]
    assert location["props"]["pathname"] == "/no-such-page"
    assert "Page not found" in str(content) and "404 - Page not found" not in str(content)
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


def _prefill(fn, inputs: tuple, output: str) -> first_paint.Prefill:
    return first_paint.Prefill(fn, inputs, ((output, "children"),), False)


def _toy_layout() -> html.Div:
    return html.Div(
        [dcc.Store(id=ids.STATE, data={"q": ""}), html.Div(id="toy-a"), html.Div(id="toy-b")]
    )


def _children(layout: html.Div, ident: str) -> object:
    return next(c for c in first_paint._walk(layout) if getattr(c, "id", None) == ident).children


def test_independent_first_paint_callbacks_run_beside_each_other() -> None:
    second_started = threading.Event()
    threads: dict[str, str] = {}

    def first(state: dict) -> str:
        threads["a"] = threading.current_thread().name
        # waits for the second: run one after the other, it would wait in vain
        assert second_started.wait(timeout=30), "the second callback did not run beside"
        return "A"

    def second(state: dict) -> str:
        threads["b"] = threading.current_thread().name
        second_started.set()
        assert dash.ctx.outputs_list == {"id": "toy-b", "property": "children"}
        return "B"

    state = ((ids.STATE, "data"),)
    layout = first_paint.fill(
        _toy_layout(), [_prefill(first, state, "toy-a"), _prefill(second, state, "toy-b")]
    )
    assert (_children(layout, "toy-a"), _children(layout, "toy-b")) == ("A", "B")
    assert threads["a"] != threads["b"] and threads["b"].startswith("iurc-prefill")


def test_a_first_paint_callback_reading_another_ones_output_runs_after_it() -> None:
    state = ((ids.STATE, "data"),)
    layout = first_paint.fill(
        _toy_layout(),
        [
            _prefill(lambda s: "A", state, "toy-a"),
            _prefill(lambda s, a: f"after {a}", (*state, ("toy-a", "children")), "toy-b"),
        ],
    )
    assert _children(layout, "toy-b") == "after A"


def test_no_warehouse_leaves_the_first_paint_callbacks_after_it_unfilled() -> None:
    def missing(state: dict) -> str:
        raise FileNotFoundError("no warehouse")

    def skipped(state: dict) -> str:
        raise dash.exceptions.PreventUpdate

    state = ((ids.STATE, "data"),)
    layout = first_paint.fill(
        _toy_layout(), [_prefill(missing, state, "toy-a"), _prefill(lambda s: "B", state, "toy-b")]
    )
    assert (_children(layout, "toy-a"), _children(layout, "toy-b")) == (None, None)
    layout = first_paint.fill(
        _toy_layout(), [_prefill(skipped, state, "toy-a"), _prefill(lambda s: "B", state, "toy-b")]
    )
    assert (_children(layout, "toy-a"), _children(layout, "toy-b")) == (None, "B")


@pytest.mark.parametrize("path", ["/", "/cooperation", "/participation"])
def test_first_paint_callbacks_beside_each_other_fill_what_one_after_another_fills(
    demo_data, monkeypatch, path: str
) -> None:
    page = next(p for p in dash.page_registry.values() if p["path"] == path)

    def layout_json() -> str:
        data.clear_cache()
        with app.server.test_request_context(path):
            return str(to_json(page["layout"](lang="es", network="innovation")))

    together = layout_json()
    monkeypatch.setattr(first_paint, "_pooled", lambda call: partial(first_paint._run, *call))
    assert together == layout_json()
