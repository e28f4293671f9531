"""A block of static markup drawn as ONE Dash component: text, tables, lists, links, no callbacks.

Dash's renderer wraps every component in its own React machinery (store subscription, props
resolution, loading state): on these machines about a millisecond per component when a page is
drawn (a bare page with a 25 x 11 table of html components: 0.89 s warm, 0.62 s with the table
as one block). `StaticTree` holds such a block as plain nodes and its script
(assets/11-static-tree.js) builds the elements with React directly: the same DOM.

A node is a text (a string, drawn as text: never parsed as HTML) or a list
`[tag, attributes, children]`: `tag` one of TAGS, `attributes` a dict of ATTRIBUTES (and
`aria-*`), `children` a list of nodes. A `details` node draws its first child (its summary) at
once and the others when it is first opened, as dashboard.disclosure's stores do. The script
draws nothing for another tag or attribute, and a link only to an address of this site (a path)
or to http(s): an internal link moves within the app as dcc.Link does (no page reload); a link
with a target opens in a new tab without access to this page (rel="noopener noreferrer").

Example: ``StaticTree(tag="tbody", id="t", nodes=[["tr", {}, [["td", {}, ["1"]]]]])``
"""

from __future__ import annotations

from typing import Any, cast

from dash import dcc
from dash.development.base_component import Component

# what assets/11-static-tree.js draws (it keeps its own copy of both lists; a test compares them)
TAGS = frozenset(
    {"tr", "td", "th", "span", "a", "p", "ul", "ol", "li", "dl", "dt", "dd", "strong", "em"}
    | {"small", "div", "code", "abbr", "time", "br", "article", "h2", "h3", "h4", "section"}
    | {"table", "thead", "tbody", "caption", "details", "summary"}
)
ATTRIBUTES = frozenset(
    {"className", "title", "lang", "colSpan", "rowSpan", "scope", "role", "href", "dateTime"}
    | {"id", "target", "rel"}
)

Node = str | list[Any]


class StaticTree(Component):
    """Static markup under one element (`tag`, default div) drawn by one component: `nodes`
    are its children (see the module docstring)."""

    _children_props: list[str] = []
    _base_nodes: list[str] = []
    _namespace = "dashboard.static_tree"
    _type = "StaticTree"

    def __init__(
        self,
        nodes: list[Node] | None = None,
        tag: str | None = None,
        id: str | dict[str, Any] | None = None,  # noqa: A002 - Dash's name for it
        className: str | None = None,  # noqa: N803 - Dash's name for it
        **kwargs: Any,
    ) -> None:
        self._prop_names = ["nodes", "tag", "id", "className"]
        self._valid_wildcard_attributes: list[str] = []
        self.available_properties = list(self._prop_names)
        self.available_wildcard_properties: list[str] = []
        given = {"nodes": nodes, "tag": tag, "id": id, "className": className}
        super().__init__(**{k: v for k, v in given.items() if v is not None}, **kwargs)  # type: ignore[no-untyped-call]


def node(tag: str, *children: Node, **attributes: Any) -> list[Any]:
    """Return the node `[tag, attributes, children]` (attributes that are None left out).

    Example: ``node("td", "3", className="nowrap")`` is ``["td", {"className": "nowrap"}, ["3"]]``
    """
    if tag not in TAGS:
        raise ValueError(f"not a static tag: {tag}")
    unknown = [k for k in attributes if k not in ATTRIBUTES and not k.startswith("aria-")]
    if unknown:
        raise ValueError(f"not a static attribute: {unknown}")
    return [tag, {k: v for k, v in attributes.items() if v is not None}, list(children)]


def freeze(component: Any) -> list[Node]:
    """Return `component` (html components, dcc.Link, text, None, or a list of them) as nodes.
    Raises ValueError for anything a static block cannot hold: another component (a graph, a
    store, a button…), a tag or a property not drawn (an event counter, a style), so nothing
    is dropped silently.

    Example: ``freeze(html.P(["a ", html.Strong("b")]))`` is
    ``[["p", {}, ["a ", ["strong", {}, ["b"]]]]]``
    """
    if component is None:
        return []
    if isinstance(component, (str, int, float)):
        return [str(component)]
    if isinstance(component, (list, tuple)):
        return [n for c in component for n in freeze(c)]
    if isinstance(component, StaticTree):  # a block inside a larger one: its element
        attributes = {k: getattr(component, k, None) for k in ("className", "id")}
        nodes = getattr(component, "nodes", None) or []
        return [node(getattr(component, "tag", None) or "div", *nodes, **attributes)]
    if not isinstance(component, Component):
        raise ValueError(f"not static content: {component!r}")
    props = dict(component.to_plotly_json()["props"])
    children = freeze(props.pop("children", None))
    if isinstance(component, dcc.Link):
        props.pop("refresh", None)
        return [node("a", *children, **props)]
    if component._namespace != "dash_html_components":
        raise ValueError(f"not static content: {component._type}")
    return [node(component._type.lower(), *children, **props)]


def frozen(component: Component) -> StaticTree:
    """Return `component` (an html component holding static content, see `freeze`) as one
    StaticTree drawing the same element, its class and children (its own id kept as a plain
    element id, not a callback target).

    Example: ``frozen(html.Dl([html.Dt("Year"), html.Dd("2024")], className="facts"))``
    """
    tag, attributes, nodes = cast(list[Any], freeze(component)[0])
    extra = set(attributes) - {"className", "id"}
    if extra:
        raise ValueError(f"a StaticTree's own element takes a class and an id only: {extra}")
    return StaticTree(tag=tag, nodes=nodes, **attributes)
