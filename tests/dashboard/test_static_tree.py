"""dashboard.static_tree: static markup as nodes, built from html components, refused otherwise."""

from __future__ import annotations

import json
import re

import pytest
from dash import dcc, html

from dashboard import static_assets, static_tree
from dashboard.aria import aria
from dashboard.static_tree import StaticTree, freeze, frozen, node


def test_node_keeps_set_attributes_and_refuses_what_the_script_would_not_draw():
    assert node("td", "3", className="nowrap", title=None) == ["td", {"className": "nowrap"}, ["3"]]
    assert node("tr", node("td", "a"), node("td", "b")) == [
        "tr",
        {},
        [["td", {}, ["a"]], ["td", {}, ["b"]]],
    ]
    assert node("span", "x", **{"aria-hidden": "true"})[1] == {"aria-hidden": "true"}
    with pytest.raises(ValueError, match="not a static tag"):
        node("script", "alert(1)")
    with pytest.raises(ValueError, match="not a static attribute"):
        node("a", "x", onClick="alert(1)")


def test_freeze_turns_html_and_links_into_nodes_text_staying_text():
    hostile = "<img src=x onerror=alert(1)>"
    tree = html.Div(
        [
            html.H3("K02 · Cities", id="kpi-K02"),
            html.P([html.Span(hostile, className="c"), None, 58]),
            dcc.Link("Turin", href="/city/turin-it?lang=fr"),
            html.Span("▁▂", **aria(hidden="true")),
        ],
        className="kpi-body",
    )
    assert freeze(tree) == [
        [
            "div",
            {"className": "kpi-body"},
            [
                ["h3", {"id": "kpi-K02"}, ["K02 · Cities"]],
                ["p", {}, [["span", {"className": "c"}, [hostile]], "58"]],
                ["a", {"href": "/city/turin-it?lang=fr"}, ["Turin"]],
                ["span", {"aria-hidden": "true"}, ["▁▂"]],
            ],
        ]
    ]


@pytest.mark.parametrize(
    "content",
    [
        dcc.Graph(),
        html.Button("x"),
        html.P("x", style={"color": "red"}),
        html.P("x", n_clicks=1),
        html.Img(src="x"),
        [html.P("ok"), dcc.Store(id="s")],
        object(),
    ],
)
def test_freeze_refuses_what_a_static_block_cannot_hold(content):
    with pytest.raises(ValueError):
        freeze(content)


def test_frozen_draws_the_same_element_as_one_component():
    block = frozen(html.Dl([html.Dt("Year"), html.Dd("2024")], className="facts", id="f"))
    assert isinstance(block, StaticTree)
    assert block.to_plotly_json() == {
        "props": {
            "nodes": [["dt", {}, ["Year"]], ["dd", {}, ["2024"]]],
            "tag": "dl",
            "id": "f",
            "className": "facts",
        },
        "type": "StaticTree",
        "namespace": "dashboard.static_tree",
    }
    json.dumps(block.to_plotly_json())  # plain JSON: the response cache and the layout embed it
    with pytest.raises(ValueError, match="class and an id only"):
        frozen(html.Div("x", title="t"))


def test_the_script_draws_the_tags_and_attributes_the_module_allows():
    script = (static_assets.ASSETS / "11-static-tree.js").read_text()

    def listed(name: str) -> set[str]:
        body = re.search(rf"var {name} = \[(.*?)\];", script, re.S)
        assert body, name
        return set(re.findall(r'"([A-Za-z0-9]+)"', body.group(1)))

    assert listed("TAGS") == static_tree.TAGS
    assert listed("ATTRIBUTES") == static_tree.ATTRIBUTES
    assert 'window["dashboard.static_tree"]' in script
    assert StaticTree._namespace == "dashboard.static_tree"


def test_a_block_inside_a_larger_one_is_its_element():
    inner = frozen(html.Div(html.Details([html.Summary("About"), html.P("x")]), className="box"))
    assert freeze(html.Li([html.Span("a"), inner], className="card")) == [
        [
            "li",
            {"className": "card"},
            [
                ["span", {}, ["a"]],
                [
                    "div",
                    {"className": "box"},
                    [["details", {}, [["summary", {}, ["About"]], ["p", {}, ["x"]]]]],
                ],
            ],
        ]
    ]
