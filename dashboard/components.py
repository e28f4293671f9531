"""Reusable building blocks of every page: the page shell, the global filter bar, chart cards, export.

How a page is built (see `dashboard/pages/participation.py` for a complete example)::

    register_page(__name__, path="/x", name="X", order=3, i18n_key="page.x")

    def layout(**query) -> Component:
        filters, lang = components.state_from_query(query)
        return components.page_shell("/x", query, [
            components.chart_card(ids.X_CARD, t("x.title", lang), lang, xlsx=True),
        ])

    components.register_export(ids.X_CARD, data.x_query)          # export re-runs the query

    @callback(*components.card_outputs(ids.X_CARD), Input(ids.STATE, "data"))
    def update_x(state):
        filters, lang = components.parse_state(state)
        df = data.x_query(filters, lang=lang)
        return components.card_values(df, figures.x(df, lang), figures.x_summary(df, lang), lang)

State flow: the URL query string is the truth. `layout(**query)` renders the filter bar from it and
puts `{"q", "lang", "search", "title"}` in the `ids.STATE` store. Changing a filter runs
`sync_filters` (here), which rewrites the store, the nav/language links and the aria-live status;
a clientside callback (assets/iurc.js) then writes the URL with `history.replaceState` (no page
re-render, focus stays where it was) and sets `<html lang>`. Every page callback takes
`Input(ids.STATE, "data")` and nothing else global, so any view is a shareable link.

Security: text from data is passed as component children (escaped by React), never as HTML or
Markdown; exports neutralise cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, cast

import dash
import pandas as pd
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html, stringify_id
from dash.dcc.express import send_bytes  # dash.dcc re-exports it through a computed __all__
from dash.dependencies import Wildcard
from dash.development.base_component import Component
from pandas.api.extensions import ExtensionDtype

# pandas' own boxing of a cell by `to_dict`, so that `column_values` gives the same values
from pandas.core.dtypes.cast import maybe_box_native  # type: ignore[attr-defined]

from dashboard import data, disclosure, figures, ids, lean_figures
from dashboard.about import about_metric
from dashboard.aria import aria
from dashboard.i18n import LANG_NAMES, LANGS, N_, fmt_date, fmt_number, normalise_lang, t
from dashboard.static_tree import Node, StaticTree, node
from pipelines.metrics.build import unhonoured_filters
from pipelines.metrics.catalogue import METRICS
from pipelines.metrics.filters import LIST_FIELDS, Filters
from pipelines.textsafe import escape_controls, formula_safe

TABLE_MAX_ROWS = 50
C = TypeVar("C", bound=Component)
# why a card is empty when no filter is set: per card kind (`card_values(empty_key=...)`)
EMPTY_KEYS = (
    N_("empty.none_recorded"),
    N_("empty.coop_activities"),
    N_("empty.coop_outputs"),
    N_("empty.coop_funding"),
    N_("empty.coop_sdg"),
)


# card constant -> function(filters, lang) -> DataFrame that the card's export re-runs
class Fetch(Protocol):
    """A card's export query: the filters, the language by keyword, a DataFrame back."""

    def __call__(self, filters: Filters, *, lang: str) -> pd.DataFrame: ...


_EXPORTS: dict[str, Fetch] = {}

# filter field -> control id, in display order
FILTER_FIELDS: dict[str, str] = {
    "network": ids.F_NETWORK,
    "subtheme": ids.F_SUBTHEME,
    "region": ids.F_REGION,
    "country": ids.F_COUNTRY,
    "mode": ids.F_MODE,
    "challenge": ids.F_CHALLENGE,
}


# ------------------------------------------------------------------ URL state
def state_from_query(query: dict[str, Any]) -> tuple[Filters, str]:
    """Return (Filters, lang) from the query parameters a page's `layout(**query)` receives,
    without the codes no filter option offers (`known_filters`)."""
    lang = normalise_lang(query.get("lang"))
    return known_filters(_asked_filters(query), _stored_options(lang)), lang


def _asked_filters(query: dict[str, Any]) -> Filters:
    """Return the Filters an address asks for, every code kept (valid or not)."""
    return Filters.from_query({k: v for k, v in query.items() if k != "lang"})


def known_filters(filters: Filters, options: dict[str, list[dict[str, str]]]) -> Filters:
    """Return `filters` keeping, of each list filter, only the codes among its `options` (the
    filter bar's choices): what the bar's drop-downs keep of an address's values, so a page's
    first figures are drawn for the filters it then shows. A filter with no entry in `options`
    (no warehouse yet) is kept as it is.

    Example: ``known_filters(Filters(network=("ET", "innovation")), {"network": [{"label":
    "Innovation", "value": "innovation"}]})  # Filters(network=('innovation',))``
    """
    kept: dict[str, Any] = {}
    for field, choices in options.items():
        if field in LIST_FIELDS and getattr(filters, field):
            offered = {o["value"] for o in choices}
            kept[field] = tuple(v for v in getattr(filters, field) if v in offered)
    return dataclasses.replace(filters, **kept) if kept else filters


def search_string(filters: Filters, lang: str) -> str:
    """Return the URL search part ('?...' or '') for filters and language (lang omitted if 'en')."""
    query = filters.to_query()
    if lang != "en":
        query = f"{query}&lang={lang}" if query else f"lang={lang}"
    return f"?{query}" if query else ""


def make_state(filters: Filters, lang: str, path: str = "/", title: str = "") -> dict[str, str]:
    """Return the `ids.STATE` store payload: filters, language, URL search, page path and title."""
    return {
        "q": filters.to_query(),
        "lang": lang,
        "search": search_string(filters, lang),
        "path": path,
        "title": title,
    }


def parse_state(state: dict[str, Any] | None) -> tuple[Filters, str]:
    """Return (Filters, lang) from the `ids.STATE` store payload (every page callback's input).

    A payload of the wrong shape (a list, a string, NaN, a non-text `q`) gives the defaults:
    no filter, the default language.
    """
    if not isinstance(state, dict):
        state = {}
    query = state.get("q")
    lang = state.get("lang")
    return (
        Filters.from_query(query if isinstance(query, str) else ""),
        normalise_lang(lang if isinstance(lang, str) else None),
    )


def href(path: str, filters: Filters, lang: str) -> str:
    """Return a link to `path` keeping the filters and the language ('/' for a bad path)."""
    if not isinstance(path, str) or not path.startswith("/") or not path.isprintable():
        path = "/"  # e.g. a forged link id: never let it reach the page or fail the callback
    return str(dash.get_relative_path(path)) + search_string(filters, lang)


# ------------------------------------------------------------------ shell
def _pages() -> list[dict[str, Any]]:
    return sorted(
        (p for p in dash.page_registry.values() if p.get("i18n_key")),
        key=lambda p: p.get("order", 99),
    )


def navbar(current_path: str, filters: Filters, lang: str) -> html.Nav:
    """Return the main navigation built from `dash.page_registry`, the current page marked."""
    items = []
    for page in _pages():
        current = page["path"] == current_path
        # dcc.Link takes no aria-current: the current page is announced by hidden text
        label: list[str | html.Span] = [t(page["i18n_key"], lang)]
        if current:
            label.append(
                html.Span(f" ({t('app.current_page', lang)})", className="visually-hidden")
            )
        items.append(
            html.Li(
                dcc.Link(
                    label,
                    href=href(page["path"], filters, lang),
                    id={"type": ids.NAV_LINK, "page": page["path"]},
                    className="nav-link" + (" active" if current else ""),
                ),
                className="nav-item",
            )
        )
    return html.Nav(
        html.Ul(items, className="nav nav-pills flex-wrap"),
        **aria(label=t("app.nav_label", lang)),
        className="app-nav",
    )


def language_switcher(current_path: str, filters: Filters, lang: str) -> html.Nav:
    """Return links to the same view in each language (each name in its own language)."""
    links = []
    for code in LANGS:
        current = code == lang
        links.append(
            html.Li(
                dcc.Link(
                    html.Span(LANG_NAMES[code], lang=code),
                    href=href(current_path, filters, code),
                    id={"type": ids.LANG_LINK, "lang": code},
                    className="lang-link" + (" active" if current else ""),
                ),
                className="lang-item" + (" current" if current else ""),
            )
        )
    return html.Nav(
        html.Ul(links, className="lang-list"),
        **aria(label=t("app.lang_label", lang)),
        className="lang-switcher",
    )


def account_nav(lang: str) -> html.Nav:
    """Return the account links the caller may use (submit, review, audit, sign in or out)."""
    from dashboard.web_shell import nav_links

    return html.Nav(
        html.Ul(
            [
                html.Li(html.A(label, href=link, className="account-link"), className="lang-item")
                for link, label in nav_links(lang)[1:]  # the first is the dashboard itself
            ],
            className="lang-list",
        ),
        **aria(label=t("auth.account_label", lang)),
        className="account-nav",
    )


def _dropdown_labels(lang: str) -> dcc.Dropdown.Labels:
    keys = (
        "select_all",
        "deselect_all",
        "selected_count",
        "search",
        "clear_search",
        "clear_selection",
        "no_options_found",
    )
    # selected_count keeps its {num_selected} placeholder for the component to fill;
    # the keys above are exactly those of the Labels TypedDict
    return cast(dcc.Dropdown.Labels, {k: t(f"dropdown.{k}", lang) for k in keys})


def _year_options(years: Sequence[int], current: Any, suffix: str) -> list[dict[str, str]]:
    options = [{"label": str(y), "value": f"{y}-{suffix}"} for y in years]
    if current and current.isoformat() not in {o["value"] for o in options}:
        options.append({"label": current.isoformat(), "value": current.isoformat()})
    return options


def _control(label: str, control_id: str, control: Any) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=control_id, id=f"{control_id}-label", className="form-label"),
            control,
        ],
        className="filter-control",
        role="group",
        **aria(labelledby=f"{control_id}-label"),
    )


def filter_bar(
    filters: Filters, lang: str, options: dict[str, list[dict[str, str]]], years: Sequence[int]
) -> html.Section:
    """Return the global filter bar initialised from `filters`; options come from `data`."""
    labels = _dropdown_labels(lang)
    controls = [
        _control(
            t("filters.start", lang),
            ids.F_START,
            dcc.Dropdown(
                id=ids.F_START,
                options=_year_options(years, filters.start, "01-01"),
                value=filters.start.isoformat() if filters.start else None,
                placeholder=t("filters.any", lang),
                labels=labels,
                searchable=False,
            ),
        ),
        _control(
            t("filters.end", lang),
            ids.F_END,
            dcc.Dropdown(
                id=ids.F_END,
                options=_year_options(years, filters.end, "12-31"),
                value=filters.end.isoformat() if filters.end else None,
                placeholder=t("filters.any", lang),
                labels=labels,
                searchable=False,
            ),
        ),
    ]
    for field, control_id in FILTER_FIELDS.items():
        controls.append(
            _control(
                t(f"filters.{field}", lang),
                control_id,
                dcc.Dropdown(
                    id=control_id,
                    options=options.get(field, []),
                    value=list(getattr(filters, field)),
                    multi=True,
                    placeholder=t("filters.any", lang),
                    labels=labels,
                ),
            )
        )
    controls.append(
        html.Div(
            html.Button(
                t("filters.reset", lang),
                id=ids.F_RESET,
                type="button",
                className="btn btn-outline-secondary",
            ),
            className="filter-control filter-reset",
        )
    )
    # named by aria-label, not a heading: the page's h1 comes first in the heading outline
    return html.Section(
        [
            # on a phone the controls fold away behind this button (hidden on wider screens)
            html.Button(
                filter_toggle_label(filters, lang),
                id=ids.F_TOGGLE,
                type="button",
                className="filter-toggle btn btn-sm btn-outline-secondary",
                **aria(expanded="false", controls=ids.F_PANEL),
            ),
            html.Div(controls, id=ids.F_PANEL, className="filter-grid"),
            html.P(
                describe_filters(filters, lang, options),
                id=ids.FILTER_STATUS,
                className="filter-status",
                role="status",
                **aria(live="polite"),
            ),
        ],
        className="filter-bar",
        **aria(label=t("filters.heading", lang)),
    )


def filter_toggle_label(filters: Filters, lang: str) -> str:
    """Return the phone filter toggle's text: "Filters", with the number of active filters."""
    active = bool(filters.start or filters.end) + sum(
        bool(getattr(filters, f)) for f in LIST_FIELDS
    )
    return t("filters.toggle_active", lang, n=active) if active else t("filters.toggle", lang)


def _option_labels(options: Any) -> dict[str, str]:
    """Return {value: label} of drop-down options sent by the client (other shapes skipped)."""
    if not isinstance(options, list):
        return {}
    return {
        o["value"]: o["label"]
        for o in options
        if isinstance(o, dict)
        and isinstance(o.get("value"), str)
        and isinstance(o.get("label"), str)
    }


def describe_filters(filters: Filters, lang: str, options: dict[str, list[dict[str, str]]]) -> str:
    """Return a sentence naming the active filters with their labels (read by screen readers).

    `options` are the filter bar's options (labels as the client shows them).
    """
    items = _filter_items(filters, lang, options)
    if not items:
        return t("filters.none_active", lang)
    text = t("filters.active", lang, items="; ".join(items))
    if any(unhonoured_filters(m, filters) for m in METRICS):
        # e.g. a challenge: cooperation-wide figures (K22) cannot honour it and show no data
        text += " " + t("filters.unhonoured", lang)
    return text


def page_shell(
    path: str,
    query: dict[str, Any],
    children: list[Any],
    heading_key: str | None = None,
    intro: Any = None,
    *,
    heading: str | None = None,
    show_filters: bool = True,
) -> html.Div:
    """Return a whole page: skip link, header with language switcher and nav, filters, main, footer.

    `path` is the page's registered path, `query` the kwargs of `layout(**query)`, `children` the
    page body (chart cards, sections). The page heading (h1) comes from `heading_key`, or is
    `heading` (text, e.g. a city's name) for a page outside the navigation. `show_filters=False`
    leaves the global filter bar out, for a page whose figures honour none of its filters (the
    filters stay in the URL and in the navigation links, for the next page).
    """
    filters, lang = state_from_query(query)
    page = next((p for p in _pages() if p["path"] == path), None)
    page_key = page["i18n_key"] if page else "app.not_found"
    if heading is None:
        heading = t(heading_key or page_key, lang)
        title = f"{t(page_key, lang)} · {t('app.name', lang)}"
    else:
        title = f"{heading} · {t('app.name', lang)}"
    try:
        options, years, dates = data.filter_options(lang=lang), data.years(), data.data_dates()
        warning: html.P | html.Div | None = None
    except FileNotFoundError:
        options, years, dates = {}, [], {}
        warning = html.P(t("app.no_warehouse", lang), className="alert alert-warning", role="alert")
    as_of, loaded_on = dates.get("as_of"), dates.get("loaded_on")
    as_of_text = (
        t("app.data_as_of", lang, date=fmt_date(as_of, lang))
        + (" · " + t("app.loaded_on", lang, date=fmt_date(loaded_on, lang)) if loaded_on else "")
        if as_of
        else t("app.data_as_of_none", lang)
    )
    if dates.get("synthetic"):
        demo = html.P(
            t("app.synthetic", lang), className="alert alert-info demo-banner", role="note"
        )
        warning = html.Div([warning, demo]) if warning else demo
    left_out = _left_out(_asked_filters(query), filters, lang)
    if left_out:
        warning = html.Div([warning, left_out]) if warning else left_out
    return html.Div(
        [
            html.A(t("app.skip", lang), href="#" + ids.MAIN, className="skip-link"),
            dcc.Store(id=ids.STATE, data=make_state(filters, lang, path, title)),
            dcc.Store(id=ids.STATE_SINK),
            html.Header(
                [
                    html.Div(
                        [
                            html.Div(
                                [
                                    html.P(t("app.name", lang), className="app-name"),
                                    html.P(t("app.tagline", lang), className="app-tagline"),
                                ],
                                className="app-brand",
                            ),
                            language_switcher(path, filters, lang),
                            account_nav(lang),
                        ],
                        className="app-header-top",
                    ),
                    navbar(path, filters, lang),
                ],
                className="app-header",
            ),
            filter_bar(filters, lang, options, years) if show_filters else None,
            html.Main(
                [
                    html.Div(
                        [
                            html.H1(heading),
                            html.P(as_of_text, id=ids.DATA_AS_OF, className="data-as-of"),
                        ],
                        className="page-heading",
                    ),
                    warning,
                    intro,
                    *children,
                ],
                id=ids.MAIN,
                tabIndex="-1",
                className="app-main",
            ),
            html.Footer(html.P(t("app.footer", lang)), className="app-footer"),
        ],
        className="app-page",
        lang=lang,
    )


def _left_out(asked: Filters, kept: Filters, lang: str) -> html.P | None:
    """Return a note naming the codes of the address that no filter option offers (left out of
    `kept`, the filters in force), or None when every code asked for is kept."""
    items = [
        t("filters.item", lang, label=t(f"filters.{field}", lang), values=", ".join(codes))
        for field in LIST_FIELDS
        if (codes := [v for v in getattr(asked, field) if v not in getattr(kept, field)])
    ]
    if not items:
        return None
    return html.P(
        t("filters.left_out", lang, items="; ".join(items)),
        className="alert alert-warning filters-left-out",
        role="note",
    )


def pager(
    ids_: tuple[str, str, str], status: Any, lang: str, *, first: bool, last: bool
) -> html.Nav:
    """Return a result pager: Previous and Next buttons (ids_[0], ids_[2], disabled on the first
    and last page) around a polite status line (ids_[1]) showing `status`."""
    prev_id, status_id, next_id = ids_

    def button(label: str, ident: str, disabled: bool) -> html.Button:
        return html.Button(
            label,
            id=ident,
            disabled=disabled,
            type="button",
            className="btn btn-sm btn-outline-primary",
        )

    return html.Nav(
        [
            button(t("act.prev", lang), prev_id, first),
            html.P(
                status, id=status_id, className="pager-status", role="status", **aria(live="polite")
            ),
            button(t("act.next", lang), next_id, last),
        ],
        className="pager",
        **aria(label=t("act.pager", lang)),
    )


def turned_page(page: int, trigger: Any, ids_: tuple[str, str, str]) -> int | None:
    """Return the page a `pager` (ids_ as given to it) moves to when its Previous or Next button
    is the callback's `trigger` (never below 1); None when the trigger is not one of them."""
    if trigger == ids_[0]:
        return max(1, page - 1)
    if trigger == ids_[2]:
        return page + 1
    return None


# ------------------------------------------------------------------ chart cards
def card_id(part: str, card: str | Wildcard) -> dict[str, str | Wildcard]:
    """Return the dict id of one part (ids.CARD_*) of a chart card."""
    return {"type": part, "card": card}


def graph_config(filename: str, lang: str = "en") -> dcc.Graph.Config:
    """Return the dcc.Graph config: local base maps, no Plotly logo, image export name, and
    Plotly's own texts (modebar) in `lang` (locales served from assets/05-plotly-locales.js)."""
    return {
        "locale": normalise_lang(lang),
        "topojsonURL": dash.get_asset_url("topojson/"),
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"filename": f"iurc-{filename}", "format": "png", "scale": 2},
        # sendChartToCloud ("Share chart...") would upload the chart to Plotly Cloud: offline app
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud"],
    }


GRAPH_PX = 360  # a chart card's graph height unless the page sets one (and its figure's)


def chart_card(
    card: str,
    title: str,
    lang: str,
    *,
    xlsx: bool = False,
    controls: Any = None,
    height: int = GRAPH_PX,
    note: str | None = None,
    wide: bool = False,
    metric: str | None = None,
) -> html.Section:
    """Return a chart card: h2 title, graph, text summary (aria-live), data table, CSV/XLSX export,
    and with `metric` (a declared metric id) the figure's "About this figure".

    The graph is drawn `height` px high: give the card's figure the same `height` (each page
    names it once: `GRAPH_PX` or a constant of its own), so its labels fit the graph as drawn.

    Fill it with `card_outputs(card)` / `card_values(...)`; make the export work with
    `register_export(card, fetch)`.
    """
    heading_id = f"{card}-heading"
    summary_id = card_id(ids.CARD_SUMMARY, card)
    return html.Section(
        [
            html.H2(title, id=heading_id, className="card-title h5"),
            controls,
            html.P(note, className="card-note") if note else None,
            html.Div(
                dcc.Graph(
                    id=card_id(ids.CARD_GRAPH, card),
                    config=graph_config(card, lang),
                    style={"height": f"{height}px"},
                ),
                role="figure",
                className="card-graph",
                **aria(labelledby=heading_id, describedby=stringify_id(summary_id)),
            ),
            html.P(
                t("card.loading", lang),
                id=summary_id,
                className="card-summary",
                **aria(live="polite"),
            ),
            *lazy_table(card, lang),
            about_metric(metric, lang) if metric else None,
            export_buttons(card, lang, xlsx=xlsx),
        ],
        className="card chart-card" + (" wide" if wide else ""),
        **aria(labelledby=heading_id),
    )


def measure_toggle(
    control_id: str, legend: str, options: list[dict[str, str]], value: str
) -> html.Fieldset:
    """Return a card's inline radio group choosing the measure a chart draws."""
    return html.Fieldset(
        [
            html.Legend(legend, className="form-label h6"),
            dcc.RadioItems(
                id=control_id, options=options, value=value, inline=True, className="card-options"
            ),
        ],
        className="measure-toggle",
    )


def export_buttons(card: str, lang: str, *, xlsx: bool = False) -> html.Div:
    """Return the "Download CSV" (and XLSX) buttons of a card with their dcc.Download targets."""
    parts = [
        html.Button(
            t("card.download_csv", lang),
            id=card_id(ids.CARD_CSV, card),
            type="button",
            className="btn btn-sm btn-outline-primary",
        ),
        dcc.Download(id=card_id(ids.CARD_DOWNLOAD, card)),
    ]
    if xlsx:
        parts += [
            html.Button(
                t("card.download_xlsx", lang),
                id=card_id(ids.CARD_XLSX, card),
                type="button",
                className="btn btn-sm btn-outline-primary",
            ),
            dcc.Download(id=card_id(ids.CARD_DOWNLOAD_XLSX, card)),
        ]
    return html.Div(parts, className="card-actions")


def card_outputs(card: str) -> list[Output]:
    """Return the Outputs a card's callback fills: figure, summary text, table children."""
    return [
        Output(card_id(ids.CARD_GRAPH, card), "figure"),
        Output(card_id(ids.CARD_SUMMARY, card), "children"),
        Output(card_id(ids.CARD_TABLE_ROWS, card), "data"),
    ]


def lazy_table(card: str, lang: str) -> list[Any]:
    """Return a card's "Show the table" disclosure and the store its callback fills with the
    disclosure's content, summary and table (`card_outputs`): drawn in when first opened
    (dashboard.disclosure)."""
    summary = html.Summary(t("card.show_table", lang))
    return disclosure.lazy_details(disclosure.KINDS[0], card, summary, className="card-table")


def card_values(
    df: pd.DataFrame,
    figure: Any,
    summary: str,
    lang: str,
    *,
    columns: dict[str, str] | None = None,
    city_links: bool = False,
    filters: Filters | None = None,
    empty_key: str = "empty.none_recorded",
) -> tuple[Any, str, list[Any]]:
    """Return (figure, summary, table children) for `card_outputs`; empty frames say why.

    With `filters` (the filters the card's query honours), an empty frame, or one whose numbers
    are all zero, or whose chart is empty, gets the shared empty state: `empty_reason` as the summary and as the chart's
    note, with no axes. Without them, an empty frame keeps `figure` with the generic hint.
    `city_links`: the `name` column links to each row's city profile (`city_id`).
    """
    if filters is not None and (not has_numbers(df) or figures.is_empty(figure)):
        summary = empty_reason(filters, lang, empty_key)
        figure = figures.empty_figure(lang, text=summary)
    elif df.empty:
        summary = t("card.empty_hint", lang)
    links = {"name": "city_id"} if city_links else None
    return (
        lean_figures.browser_figure(figure),
        summary,
        [
            html.Summary(t("card.show_table", lang)),
            data_table(df, lang, columns=columns, links=links),
        ],
    )


def has_numbers(df: pd.DataFrame) -> bool:
    """Return True when `df` has rows and, if it has numeric columns, some number is not zero."""
    if df.empty:
        return False
    numbers = df.select_dtypes("number")
    return numbers.shape[1] == 0 or bool(numbers.fillna(0).to_numpy().any())


def active_filter_items(filters: Filters, lang: str) -> list[str]:
    """Return one 'Label: values' text per active filter (the period first), labels in `lang`."""
    return _filter_items(filters, lang, _stored_options(lang))


def _stored_options(lang: str) -> dict[str, list[dict[str, str]]]:
    """Return the warehouse's filter options, or none when no warehouse is published yet."""
    try:
        return data.filter_options(lang=lang)
    except FileNotFoundError:
        return {}


def _period_item(filters: Filters, lang: str) -> str:
    """Return the period filter in words: both bounds, from a start to today, or up to an end
    (one template each, so "to today" and "up to" read naturally in every language)."""
    if filters.start and filters.end:
        start, end = fmt_date(filters.start, lang), fmt_date(filters.end, lang)
        return t("filters.period", lang, start=start, end=end)
    if filters.start:
        return t("filters.period_to_today", lang, start=fmt_date(filters.start, lang))
    return t("filters.period_up_to", lang, end=fmt_date(filters.end, lang))


def _filter_items(
    filters: Filters, lang: str, options: dict[str, list[dict[str, str]]]
) -> list[str]:
    items = []
    if filters.start or filters.end:
        items.append(_period_item(filters, lang))
    for field in LIST_FIELDS:
        values = getattr(filters, field)
        if field == "review" and values:
            # the SDG switch's basis in words, not its codes ("Suggested, Validated")
            items.append(
                t("filters.review.all", lang)
                if filters.includes_suggestions
                else t("filters.review.validated", lang)
            )
        elif values:
            names = _option_labels(options.get(field) or _stored_options(lang).get(field))
            items.append(
                t(
                    "filters.item",
                    lang,
                    label=t(f"filters.{field}", lang),
                    values=", ".join(names.get(v, v) for v in values),
                )
            )
    return items


def empty_reason(filters: Filters, lang: str, none_key: str = "empty.none_recorded") -> str:
    """Return why a card has nothing to show: the text of `none_key` when no filter is set
    (nothing is recorded, e.g. a cooperation without activities), else the filters that empty it.
    """
    items = active_filter_items(filters, lang)
    if not items:
        return t(none_key, lang)
    if len(items) == 1:
        return t("empty.one_filter", lang, item=items[0])
    return t("empty.filters", lang, items="; ".join(items))


def city_href(city_id: str, lang: str, filters: Filters | None = None) -> str:
    """Return the link to a city's profile page, keeping the language (and filters if given)."""
    return href(f"/city/{city_id}", filters or Filters(), lang)


def city_links(city_ids: Any, names: Any, lang: str, filters: Filters | None = None) -> list[Any]:
    """Return the cities as comma-separated links to their profiles (names as text, never HTML)."""
    links: list[Any] = []
    for city_id, name in zip(city_ids, names, strict=True):
        links += [
            ", " if links else "",
            quick(dcc.Link, str(name), href=city_href(city_id, lang, filters)),
        ]
    return links


def _cell(value: Any, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (hasattr(value, "dtype") and "int" in str(value.dtype)):
        return fmt_number(int(value), lang)
    if isinstance(value, float):
        return fmt_number(value, lang, 0 if float(value).is_integer() else 2)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def column_values(column: pd.Series) -> list[Any]:
    """Return a column's values as `DataFrame.to_dict("records")` gives them (Python scalars,
    timestamps as Timestamps, missing values as pandas gives them).

    Example:
        >>> column_values(pd.Series([1, 2], dtype="Int64"))
        [1, 2]
    """
    values = column.tolist()
    if column.dtype == object or isinstance(column.dtype, ExtensionDtype):
        return [maybe_box_native(v) for v in values]  # as to_dict does for these columns
    return values


# the per-instance attributes Dash's generated __init__ sets besides the properties
_COMPONENT_META_KEYS = frozenset(
    (
        "_prop_names",
        "_valid_wildcard_attributes",
        "available_properties",
        "available_wildcard_properties",
    )
)
_component_meta: dict[type, dict[str, Any]] = {}


def quick(cls: type[C], children: Any, **props: Any) -> C:
    """Return `cls(children, **props)` (a Dash component class) built without Dash's per-call
    argument checks: the first call of each class is checked and built by Dash, the others copy
    its per-instance attributes and set the properties. Its JSON is the checked one's; only for
    properties valid for `cls` (only the first call of a class is checked): the many small
    components of a list of practices or a city's links.

    Example:
        >>> quick(html.Td, "1", className="x").to_plotly_json() == html.Td("1", className="x").to_plotly_json()
        True
    """
    meta = _component_meta.get(cls)
    if meta is None:
        checked = cast(C, cast(Any, cls)(children, **props))  # generated: children first
        _component_meta[cls] = {
            k: v for k, v in checked.__dict__.items() if k in _COMPONENT_META_KEYS
        }
        return checked
    made = cls.__new__(cls)
    made.__dict__.update(meta)
    made.__dict__["children"] = children
    made.__dict__.update(props)
    return made


def evidence_link(url: str, lang: str) -> html.A:
    """Return the link to an output's evidence (`url`, already checked by
    `pipelines.textsafe.safe_link`), opened in a new tab without access to this page.

    Example: ``evidence_link("https://example.org/report.pdf", "fr")``
    """
    return quick(
        html.A, t("city.evidence", lang), href=url, target="_blank", rel="noopener noreferrer"
    )


def data_table(
    df: pd.DataFrame,
    lang: str,
    *,
    columns: dict[str, str] | None = None,
    max_rows: int = TABLE_MAX_ROWS,
    links: dict[str, str] | None = None,
    under: dict[str, str] | None = None,
) -> html.Div | html.P:
    """Return an accessible HTML table of `df` (header cells scoped; first `max_rows` rows).

    `columns` maps column -> header text (translated); by default every column, named as is.
    `links` maps a shown column -> the column of city ids whose profile its cells link to.
    `under` maps a shown column -> the shown column under whose cells it is written on a phone
    (at most 600 px wide: its own column is hidden there, and its copy everywhere else, so a
    screen reader reads it once), e.g. a long source under its indicator: the table keeps its
    rows compact and needs no sideways scroll.
    Values are rendered as text, never as HTML.

    Example:
        >>> data_table(pd.DataFrame({"a": [1]}), "en").children[0].tag
        'table'
    """
    if df.empty:
        return html.P(t("card.empty", lang))
    columns = columns or {c: c for c in df.columns}
    cols = [c for c in columns if c in df.columns]
    under = {c: u for c, u in (under or {}).items() if c in cols and u in cols and c != u}
    # the moved columns' own cells, hidden on a phone (no class on the others: lighter JSON)
    narrow: dict[str, dict[str, Any]] = {
        c: {"className": "narrow-hidden"} if c in under else {} for c in cols
    }
    head = node(
        "thead", node("tr", *[node("th", columns[c], scope="col", **narrow[c]) for c in cols])
    )
    links = {c: k for c, k in (links or {}).items() if c in cols and k in df.columns}
    rows = []
    shown_rows = df.head(max_rows)
    # one Python list per needed column (as `to_dict("records")` gives its values, without its
    # per-row dict); the table is one StaticTree (dashboard.static_tree), not a few hundred
    # components for Dash's renderer to draw
    needed = list(dict.fromkeys([*cols, *links.values()]))
    values = {c: column_values(shown_rows[c]) for c in needed}
    moved_under = {c: [m for m, u in under.items() if u == c] for c in cols}
    for r in range(len(shown_rows)):
        cells = []
        for c in cols:
            text = _cell(values[c][r], lang)
            target = values[links[c]][r] if c in links else None
            shown: list[Node] = [
                node("a", text, href=city_href(target, lang))
                if isinstance(target, str) and target
                else text
            ]
            for moved in moved_under[c]:
                label = node("span", columns[moved], className="cell-under-label")
                shown.append(
                    node("span", label, _cell(values[moved][r], lang), className="cell-under")
                )
            cells.append(node("td", *shown, **narrow[c]))
        rows.append(node("tr", *cells))
    parts: list[StaticTree | html.P] = [
        StaticTree(
            tag="table",
            className="table table-sm table-striped",
            nodes=[head, node("tbody", *rows)],
        )
    ]
    if len(df) > max_rows:
        parts.append(
            html.P(
                t(
                    "card.table_truncated",
                    lang,
                    shown=fmt_number(max_rows, lang),
                    total=fmt_number(len(df), lang),
                ),
                className="card-note",
            )
        )
    return html.Div(
        parts,
        className="table-responsive",
        tabIndex="0",
        role="region",
        **aria(label=t("card.show_table", lang)),
    )


# ------------------------------------------------------------------ export
def register_export(card: str, fetch: Fetch) -> None:
    """Register the function whose frame a card's CSV/XLSX export downloads."""
    _EXPORTS[card] = fetch


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of `df` whose text cells starting with = + - @ tab or CR are prefixed by '.

    Spreadsheets run such cells as formulas (CSV injection); numbers are left as numbers.
    Control and bidirectional characters are shown escaped (`pipelines.textsafe`).
    """
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            continue
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            continue
        out[col] = out[col].map(_export_cell)
    return out


def _export_cell(value: Any) -> Any:
    """Return a text cell made inert: controls and bidi escaped (line breaks kept), no formula."""
    if not isinstance(value, str):
        return value
    shown = escape_controls(value, keep="\n\t")
    return "'" + shown if formula_safe(value) != value else shown


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Return `df` as neutralised UTF-8 CSV with a BOM (so spreadsheets read accents right)."""
    return neutralise(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """Return `df` as a neutralised XLSX workbook (no cell is ever stored as a formula)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(df).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


@callback(
    Output(card_id(ids.CARD_DOWNLOAD, MATCH), "data"),
    Input(card_id(ids.CARD_CSV, MATCH), "n_clicks"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
)
def export_csv(n_clicks: int | None, state: dict[str, Any]) -> Any:
    """Send the card's data as CSV (codes and labels), for the current filters."""
    card = ctx.triggered_id["card"]
    if not n_clicks or card not in _EXPORTS:
        return dash.no_update
    filters, lang = parse_state(state)
    return send_bytes(to_csv_bytes(_EXPORTS[card](filters, lang=lang)), f"iurc-{card}.csv")


@callback(
    Output(card_id(ids.CARD_DOWNLOAD_XLSX, MATCH), "data"),
    Input(card_id(ids.CARD_XLSX, MATCH), "n_clicks"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
)
def export_xlsx(n_clicks: int | None, state: dict[str, Any]) -> Any:
    """Send the card's data as XLSX, for the current filters."""
    card = ctx.triggered_id["card"]
    if not n_clicks or card not in _EXPORTS:
        return dash.no_update
    filters, lang = parse_state(state)
    return send_bytes(to_xlsx_bytes(_EXPORTS[card](filters, lang=lang)), f"iurc-{card}.xlsx")


# ------------------------------------------------------------------ filter sync
def filters_from_controls(
    start: str | None, end: str | None, lists: dict[str, Sequence[str] | None]
) -> Filters:
    """Return Filters from the filter-bar control values (through the URL form, so it validates)."""
    query: dict[str, str] = {"start": _text(start), "end": _text(end)}
    query.update({field: ",".join(_texts(values)) for field, values in lists.items()})
    return Filters.from_query(query)


def keep_page_filters(filters: Filters, current: Filters) -> Filters:
    """Return `filters` with the declared filters the bar has no control for (the SDG tag filters,
    set on their page) taken from `current`, so changing a bar filter keeps them."""
    kept = {f: getattr(current, f) for f in LIST_FIELDS if f not in FILTER_FIELDS}
    return dataclasses.replace(filters, **kept)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(values: Any) -> list[str]:
    """Return the text items of a multi-select value (a lone string counts as one item)."""
    if isinstance(values, str):
        return [values]
    if not isinstance(values, (list, tuple)):
        return []
    return [v for v in values if isinstance(v, str)]


@callback(
    Output(ids.STATE, "data"),
    Output({"type": ids.NAV_LINK, "page": ALL}, "href"),
    Output({"type": ids.LANG_LINK, "lang": ALL}, "href"),
    Output(ids.FILTER_STATUS, "children"),
    Output(ids.F_TOGGLE, "children"),
    *[Input(c, "value") for c in ids.FILTER_CONTROLS],
    State(ids.STATE, "data"),
    *[State(c, "options") for c in FILTER_FIELDS.values()],
    prevent_initial_call=True,
)
def sync_filters(
    start: Any, end: Any, *rest: Any
) -> tuple[dict[str, str], list[str], list[str], str, str]:
    """Write the filter state to the store, the nav/language links, the live status text and the
    phone filter toggle's count.

    `rest` is one value per FILTER_FIELDS control, the state store, then each control's options.
    """
    n = len(FILTER_FIELDS)
    values, raw_state, option_lists = rest[:n], rest[n], rest[n + 1 :]
    current, lang = parse_state(raw_state)
    filters = filters_from_controls(start, end, dict(zip(FILTER_FIELDS, values, strict=True)))
    filters = keep_page_filters(filters, current)
    options = dict(zip(FILTER_FIELDS, option_lists, strict=True))
    new_state, nav, langs = state_and_links(filters, raw_state)
    return (
        new_state,
        nav,
        langs,
        describe_filters(filters, lang, options),
        filter_toggle_label(filters, lang),
    )


def _path_and_title(raw_state: Any) -> tuple[str, str]:
    """Return the page path ("/" when unknown) and title kept in an `ids.STATE` payload."""
    state: Any = raw_state if isinstance(raw_state, dict) else {}
    path = state.get("path") if isinstance(state.get("path"), str) else "/"
    title = state.get("title") if isinstance(state.get("title"), str) else ""
    return path or "/", title


def state_and_links(
    filters: Filters, raw_state: Any
) -> tuple[dict[str, str], list[str], list[str]]:
    """Return the `ids.STATE` payload for new `filters` (language, path and title kept from
    `raw_state`) and the hrefs of the callback's nav and language links (outputs 2 and 3)."""
    _, lang = parse_state(raw_state)
    path, title = _path_and_title(raw_state)
    nav = [href(o["id"]["page"], filters, lang) for o in ctx.outputs_list[1]]
    langs = [href(path, filters, o["id"]["lang"]) for o in ctx.outputs_list[2]]
    return make_state(filters, lang, path or "/", title), nav, langs


@callback(
    *[Output(c, "value") for c in ids.FILTER_CONTROLS],
    Output(ids.STATE, "data", allow_duplicate=True),
    Input(ids.F_RESET, "n_clicks"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
)
def reset_filters(n_clicks: int | None, raw_state: Any) -> tuple[Any, ...]:
    """Return cleared filter controls and a filter state with no filter at all: the bar's and the
    page's own (the SDG review basis and tagging method, which the bar keeps otherwise)."""
    _, lang = parse_state(raw_state)
    cleared = make_state(Filters(), lang, *_path_and_title(raw_state))
    return (None, None, *([] for _ in FILTER_FIELDS), cleared)


dash.clientside_callback(
    dash.ClientsideFunction(namespace="iurc", function_name="toggleFilters"),
    Output(ids.F_TOGGLE, "aria-expanded"),
    Input(ids.F_TOGGLE, "n_clicks"),
    State(ids.F_TOGGLE, "aria-expanded"),
    prevent_initial_call=True,
)

dash.clientside_callback(
    dash.ClientsideFunction(namespace="iurc", function_name="syncUrl"),
    Output(ids.STATE_SINK, "data"),
    Input(ids.STATE, "data"),
)
