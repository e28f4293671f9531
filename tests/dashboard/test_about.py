""" "About this figure": drawn once per distinct content, each call given its own copy.

Expected text written by hand from the English catalogue and K02's declaration (computed from
participation and activity files)."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard import about

RUN = ("cities.csv", pd.Timestamp("2025-03-04 10:00"), 1200, 3)
RUNS = [("city", "other.csv", RUN[1], 5, 0), ("participation", *RUN)]


def _texts(node) -> list:
    return [child.children for child in node.children]


def test_about_metric_by_hand():
    box = about.about_metric("K02", "en", RUNS, target="T", definition="D", key="kpi-K02")
    details, store = box.children
    assert isinstance(store, dcc.Store) and store.id == {"type": "about-content", "card": "kpi-K02"}
    summary, terms, head, sources = store.data
    assert details.children == [summary] and summary.children == "About this figure"
    assert _texts(terms)[::2] == [
        "Definition",
        "Unit",
        "Formula",
        "How it combines",
        "Where it is counted",
        "When it is counted",
        "Target",
    ]
    described = _texts(terms)[1::2]
    assert described[0] == "D" and described[-1] == "T"
    assert (
        isinstance(described[2], html.Code) and described[2].children == "count(distinct city_id)"
    )
    assert head.children == "Sources"
    # only the runs of K02's entities: not the city file
    assert _texts(sources) == ["cities.csv: loaded 4 March 2025, 1,200 rows loaded, 3 quarantined"]
    plain = about.about_metric("K02", "en", [])  # no run, no target: said so, no target term
    assert plain.children[1].id["card"] == "K02"
    assert "Target" not in _texts(plain.children[1].data[1])[::2]
    assert plain.children[1].data[3].children == "No file loaded yet."


def test_about_metric_is_drawn_once_and_each_call_gets_its_own_copy():
    about._drawn.cache_clear()
    first = about.about_metric("K02", "fr", RUNS, target="T", key="kpi-K02")
    first.children[1].data[1].children.clear()
    first.children[0].children[0].children = "changed"
    again = about.about_metric("K02", "fr", RUNS, target="T", key="kpi-K02")
    assert about._drawn.cache_info().misses == 1 and about._drawn.cache_info().hits == 1
    assert again.children[0].children[0].children != "changed"
    assert len(again.children[1].data[1].children) == 14  # 7 terms and their descriptions
    # the copy is what drawing it afresh gives, to the byte Dash sends
    fresh = about._draw("K02", "fr", (RUN,), "T", None, "kpi-K02")
    assert to_json_plotly(again) == to_json_plotly(fresh)
    # another target or language: another drawing
    other = about.about_metric("K02", "fr", RUNS, target="U", key="kpi-K02")
    assert _texts(other.children[1].data[1])[-1] == "U"
    assert about._drawn.cache_info().misses == 2
