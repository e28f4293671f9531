"""A page's own selection (city, cooperation, search, sort, page) in the URL, and exports that use it.

The shell keeps the global filters in the URL (`components`); pages that also have a selection
put it in the `ids.PM_PARAMS` store (`{param: value}`, '' or None = absent; one store per page, `store_id(page)`). A clientside callback
(assets/20-pages-more.js) then adds those parameters to the address bar after the shell has
written the filters, and `lang_links` keeps them in the language switcher, so a shared or
translated link restores the same view. `layout(**query)` receives them like the filters.

Cards whose data depend on the selection use `card(...)` / `table_card(...)` and
`register_export(card, fetch)`, where `fetch(filters, lang, params) -> DataFrame`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.dcc.express import send_bytes  # dash.dcc re-exports it through a computed __all__

from dashboard import components, ids
from dashboard.aria import aria
from dashboard.i18n import t
from pipelines.metrics.filters import Filters

_EXPORTS: dict[str, Callable[[Filters, str, dict[str, Any]], pd.DataFrame]] = {}


def store_id(page: str) -> dict[str, str]:
    """Return the id of a page's parameter store (one per page, so callbacks never cross pages)."""
    return {"type": ids.PM_PARAMS, "page": page}


def stores(page: str, params: dict[str, Any]) -> html.Div:
    """Return the page-parameter store (initialised from the URL) and its clientside sink."""
    return html.Div(
        [dcc.Store(id=store_id(page), data=params), dcc.Store(id=ids.PM_SINK)], hidden=True
    )


def _first(values: list[Any] | None) -> dict[str, Any]:
    return (values or [None])[0] or {}


def query_suffix(params: dict[str, Any] | None) -> str:
    """Return '&a=1&b=2' for the non-empty params (appended to a filter search string)."""
    pairs = [(k, str(v)) for k, v in (params or {}).items() if v not in (None, "")]
    return ("&" + urlencode(pairs)) if pairs else ""


def link(path: str, filters: Filters, lang: str, params: dict[str, Any] | None) -> str:
    """Return a link to `path` with the filters, the language and the page's parameters."""
    base = components.href(path, filters, lang)
    suffix = query_suffix(params)
    if not suffix:
        return base
    return base + suffix if "?" in base else base + "?" + suffix[1:]


def register_export(
    card: str, fetch: Callable[[Filters, str, dict[str, Any]], pd.DataFrame]
) -> None:
    """Register the function whose frame a selection-dependent card exports."""
    _EXPORTS[card] = fetch


def export_buttons(card: str, lang: str, *, xlsx: bool = False) -> html.Div:
    """Return CSV (and XLSX) buttons whose export also receives the page's parameters."""
    parts = [
        html.Button(
            t("card.download_csv", lang),
            id={"type": ids.PM_CSV, "card": card},
            type="button",
            className="btn btn-sm btn-outline-primary",
        ),
        dcc.Download(id={"type": ids.PM_DOWNLOAD, "card": card}),
    ]
    if xlsx:
        parts += [
            html.Button(
                t("card.download_xlsx", lang),
                id={"type": ids.PM_XLSX, "card": card},
                type="button",
                className="btn btn-sm btn-outline-primary",
            ),
            dcc.Download(id={"type": ids.PM_DOWNLOAD_XLSX, "card": card}),
        ]
    return html.Div(parts, className="card-actions")


def card(
    card_name: str, title: str, lang: str, *, xlsx: bool = False, **kwargs: Any
) -> html.Section:
    """Return `components.chart_card` whose export buttons pass the page's parameters."""
    section = components.chart_card(card_name, title, lang, xlsx=xlsx, **kwargs)
    actions = section.children[-1]
    assert getattr(actions, "className", "") == "card-actions", "chart_card layout changed"
    section.children[-1] = export_buttons(card_name, lang, xlsx=xlsx)
    return section


def table_card(
    card_name: str,
    title: str,
    lang: str,
    body: Any,
    *,
    note: Any = None,
    xlsx: bool = True,
    summary_id: str | None = None,
    param_export: bool = True,
) -> html.Section:
    """Return a card holding a table (no chart): h2, note, live summary, table, export."""
    heading_id = f"{card_name}-heading"
    return html.Section(
        [
            html.H2(title, id=heading_id, className="card-title h5"),
            html.P(note, className="card-note") if note else None,
            html.P(
                t("card.loading", lang),
                id=summary_id,
                className="card-summary",
                **aria(live="polite"),
            )
            if summary_id
            else None,
            body,
            export_buttons(card_name, lang, xlsx=xlsx)
            if param_export
            else components.export_buttons(card_name, lang, xlsx=xlsx),
        ],
        className="card chart-card wide",
        **aria(labelledby=heading_id),
    )


def _export(kind: str, state: dict[str, Any] | None, params: dict[str, Any] | None) -> Any:
    name = ctx.triggered_id["card"]
    if name not in _EXPORTS:
        return dash.no_update
    filters, lang = components.parse_state(state)
    df = _EXPORTS[name](filters, lang, params or {})
    if kind == "csv":
        return send_bytes(components.to_csv_bytes(df), f"iurc-{name}.csv")
    return send_bytes(components.to_xlsx_bytes(df), f"iurc-{name}.xlsx")


@callback(
    Output({"type": ids.PM_DOWNLOAD, "card": MATCH}, "data"),
    Input({"type": ids.PM_CSV, "card": MATCH}, "n_clicks"),
    State(ids.STATE, "data"),
    State({"type": ids.PM_PARAMS, "page": ALL}, "data"),
    prevent_initial_call=True,
)
def export_csv(n_clicks: int | None, state: dict[str, Any], params: list[Any]) -> Any:
    """Send the card's data as CSV (codes and labels) for the filters and the page's selection."""
    return _export("csv", state, _first(params)) if n_clicks else dash.no_update


@callback(
    Output({"type": ids.PM_DOWNLOAD_XLSX, "card": MATCH}, "data"),
    Input({"type": ids.PM_XLSX, "card": MATCH}, "n_clicks"),
    State(ids.STATE, "data"),
    State({"type": ids.PM_PARAMS, "page": ALL}, "data"),
    prevent_initial_call=True,
)
def export_xlsx(n_clicks: int | None, state: dict[str, Any], params: list[Any]) -> Any:
    """Send the card's data as XLSX for the filters and the page's selection."""
    return _export("xlsx", state, _first(params)) if n_clicks else dash.no_update


def lang_hrefs(params: dict[str, Any], state: dict[str, Any] | None, langs: list[str]) -> list[str]:
    """Return the language-switcher links (one per language in `langs`) to the page in the
    `ids.STATE` payload `state`, with its filters and the page's parameters `params`."""
    filters, _ = components.parse_state(state)
    path = (state or {}).get("path") or "/"
    return [link(path, filters, lang, params) for lang in langs]


@callback(
    Output({"type": ids.LANG_LINK, "lang": ALL}, "href", allow_duplicate=True),
    Input({"type": ids.PM_PARAMS, "page": ALL}, "data"),
    Input(ids.STATE, "data"),
    # on load the layout's links already carry the parameters (first_paint.fill_lang_links)
    prevent_initial_call=True,
)
def lang_links(params: list[Any], state: dict[str, Any] | None) -> Any:
    """Keep the page's parameters in the language-switcher links (pages without any: unchanged)."""
    if not params:  # a wildcard multi-output needs one value per output
        return [dash.no_update] * len(ctx.outputs_list)
    return lang_hrefs(_first(params), state, [o["id"]["lang"] for o in ctx.outputs_list])


dash.clientside_callback(
    dash.ClientsideFunction(namespace="iurcPages", function_name="syncParams"),
    Output(ids.PM_SINK, "data"),
    Input(ids.STATE_SINK, "data"),
    Input({"type": ids.PM_PARAMS, "page": ALL}, "data"),
)
