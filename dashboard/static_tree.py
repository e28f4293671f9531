"""A block of static markup drawn as ONE Dash component: text, tables, lists, links, no callbacks.

Dash's renderer wraps every component in its own React machinery (store subscription, props
resolution, loading state): on these machines some 1.2 ms per component when a page is drawn,
so a 25-row register (some 400 cells, spans and links) took about 350 ms of a page's drawing.
`StaticTree` holds such a block as plain nodes and its script (assets/11-static-tree.js) builds
the elements with React directly: the same DOM, in a few ms.

A node is a text (a string, drawn as text: never parsed as HTML) or a list
`[tag, attributes, children]`: `tag` one of TAGS, `attributes` a dict of ATTRIBUTES (and
`aria-*`), `children` a list of nodes. The script draws nothing for another tag or attribute, and
a link only to an address of this site (a path) or to http(s): an internal link moves within the
app as dcc.Link does (no page reload).

Example: ``StaticTree(tag="tbody", id="t", nodes=[["tr", {}, [["td", {}, ["1"]]]]])``
"""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component

# what assets/11-static-tree.js draws (it keeps its own copy of both lists; a test compares them)
TAGS = frozenset(
    {"tr", "td", "th", "span", "a", "p", "ul", "ol", "li", "dl", "dt", "dd", "strong", "em"}
    | {"small", "div", "code", "abbr", "time", "br", "article", "h2", "h3", "h4", "section"}
)
ATTRIBUTES = frozenset(
    {"className", "title", "lang", "colSpan", "rowSpan", "scope", "role", "href", "dateTime"}
    | {"id"}
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
