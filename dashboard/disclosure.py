"""Disclosures drawn when first opened: a closed `<details>` whose content waits in a store.

A chart card's data table is closed until a person opens it, yet as Dash components its cells
were many of a page's components (the overview: 1,581, of which 392 table cells), each rendered
by React and tracked by Dash's renderer on every load; a callback refills it for new filters.
("About this figure", whose content never changes once drawn, is a `details` node of a
dashboard.static_tree block instead.) Here the content (summary first, as Dash component
data, never HTML) waits in a `dcc.Store` beside its `<details>`, which starts with its summary
only; the clientside callback `iurcDisclosure.fill` (assets/08-lazy-disclosure.js) copies it in on
the first click of the summary (mouse, Enter or Space) and again whenever the store changes
after (a callback refilling it for new filters).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import MATCH, Input, Output, State, dcc, html

from dashboard import ids

# (the <details> id type, its content store's id type): ids are {"type": …, "card": key}
KINDS = ((ids.CARD_TABLE, ids.CARD_TABLE_ROWS),)


def lazy_details(
    kind: tuple[str, str], key: str, summary: Any, content: Any = None, *, className: str = ""
) -> list[Any]:
    """Return [the closed `<details>` showing `summary`, the store holding its full `content`]
    for `key` (unique on its page) of `kind` (one of KINDS); a callback may fill the store
    (Output(store id, "data")) with the content, summary first."""
    details_type, store_type = kind
    return [
        html.Details([summary], id={"type": details_type, "card": key}, className=className),
        dcc.Store(id={"type": store_type, "card": key}, data=content),
    ]


for _details, _store in KINDS:
    dash.clientside_callback(
        dash.ClientsideFunction(namespace="iurcDisclosure", function_name="fill"),
        Output({"type": _details, "card": MATCH}, "children"),
        Input({"type": _details, "card": MATCH}, "n_clicks"),
        Input({"type": _store, "card": MATCH}, "data"),
        State({"type": _details, "card": MATCH}, "children"),
        prevent_initial_call=True,
    )
