""" "About this figure": drawn once per distinct content, each call given its own copy.

Expected text written by hand from the English catalogue and K02's declaration (computed from
participation and activity files)."""

from __future__ import annotations

import pandas as pd
from plotly.io.json import to_json_plotly

from dashboard import about

RUN = ("cities.csv", pd.Timestamp("2025-03-04 10:00"), 1200, 3)
RUNS = [("city", "other.csv", RUN[1], 5, 0), ("participation", *RUN)]


def _parts(box) -> list:
    """Return the nodes of the `<details>` of an "About this figure" block: summary, terms,
    sources heading, sources (dashboard.static_tree nodes: [tag, attributes, children])."""
    assert box.tag == "div" and box.className == "kpi-about-box"
    (details,) = box.nodes
    assert details[0] == "details" and details[1] == {"className": "kpi-about"}
    return details[2]


def _texts(node) -> list:
    return [child[2][0] if len(child[2]) == 1 else child[2] for child in node[2]]


def test_about_metric_by_hand():
    box = about.about_metric("K02", "en", RUNS, target="T", definition="D")
    summary, terms, head, sources = _parts(box)
    assert summary == ["summary", {}, ["About this figure"]]  # drawn at once; the rest once opened
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
    assert described[2] == ["code", {}, ["count(distinct city_id)"]]
    assert head == ["p", {"className": "kpi-about-head"}, ["Sources"]]
    # only the runs of K02's entities: not the city file
    assert _texts(sources) == ["cities.csv: loaded 4 March 2025, 1,200 rows loaded, 3 quarantined"]
    plain = about.about_metric("K02", "en", [])  # no run, no target: said so, no target term
    assert "Target" not in _texts(_parts(plain)[1])[::2]
    assert _parts(plain)[3] == ["p", {}, ["No file loaded yet."]]


def test_about_metric_is_drawn_once_and_each_call_gets_its_own_copy():
    about._drawn.cache_clear()
    first = about.about_metric("K02", "fr", RUNS, target="T")
    _parts(first)[1][2].clear()
    _parts(first)[0][2][0] = "changed"
    again = about.about_metric("K02", "fr", RUNS, target="T")
    assert about._drawn.cache_info().misses == 1 and about._drawn.cache_info().hits == 1
    assert _parts(again)[0][2][0] != "changed"
    assert len(_parts(again)[1][2]) == 14  # 7 terms and their descriptions
    # the copy is what drawing it afresh gives, to the byte Dash sends
    fresh = about._draw("K02", "fr", (RUN,), "T", None)
    assert to_json_plotly(again) == to_json_plotly(fresh)
    # another target or language: another drawing
    other = about.about_metric("K02", "fr", RUNS, target="U")
    assert _texts(_parts(other)[1])[-1] == "U"
    assert about._drawn.cache_info().misses == 2
