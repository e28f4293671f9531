"""`/activities`: the searchable, sortable activity register, filtered, sorted and paged on the
server (one `LIMIT/OFFSET` query per page, so it stays fast at a million rows), and an export of
the current result (CSV or XLSX, codes and labels, at most 100,000 rows, streamed from DuckDB).

Search, sort column and direction, page and page size live in the URL next to the filters
(`?search=mobility&sort=title&dir=asc&page=3`).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, register_page
from dash.dcc.express import send_bytes  # dash.dcc re-exports it through a computed __all__

from dashboard import components, data, figures, ids, page_params, response_cache
from dashboard.aria import aria
from dashboard.i18n import fmt_number, t
from dashboard.static_tree import Node, StaticTree, node
from pipelines.metrics.filters import Filters
from pipelines.queries import SORT_COLUMNS
from pipelines.queries.challenges import CHALLENGE_MEASURES

register_page(
    __name__,
    path="/activities",
    name="Activities",
    title="Activities · IURC Impact",
    order=5,
    i18n_key="page.activities",
)
PAGE = "activities"
PARAMS = page_params.store_id(PAGE)

# shown column -> (register column holding the text, sort column of queries.SORT_COLUMNS)
COLUMNS: dict[str, tuple[str, str]] = {
    "activity_id": ("activity_id", "activity_id"),
    "title": ("title", "title"),
    "activity_type": ("activity_type_label", "activity_type"),
    "modality": ("modality_label", "modality"),
    "status": ("status", "status"),
    "start_date": ("start_date", "start_date"),
    "end_date": ("end_date", "end_date"),
    "network_id": ("network_label", "network_id"),
    "city_name": ("city_name", "city_name"),
    "cooperation_name": ("cooperation_name", "cooperation_name"),
    "participants": ("participants", "participants"),
    "reported_date": ("reported_date", "reported_date"),
}
# columns a first click sorts largest or newest first (numbers and dates); text sorts A to Z
DESCENDING_FIRST = frozenset({"participants", "start_date", "end_date", "reported_date"})
# columns kept on one line (identifiers and dates), so rows stay one line high at 1366 px
NOWRAP = frozenset({"start_date", "end_date", "reported_date", "participants"})
# text columns drawn on at most two lines (the rest cut with "…", the whole text in the cell's
# `title` and read by screen readers; shown whole when its row has the focus), each at most
# as wide as its class says (assets/20-pages-more.css): every column visible at 1366 px
CLAMPED = {
    "title": "clamp clamp-wide",
    "activity_type": "clamp",
    "network_id": "clamp",
    "city_name": "clamp",
    "cooperation_name": "clamp clamp-mid",
}
SEARCH_DEBOUNCE_S = 0.4  # the register searches as you type, this long after the last key
PAGE_SIZES = (10, 25, 50, 100)
DEFAULTS: dict[str, Any] = {
    "search": "",
    "sort": "start_date",
    "dir": "desc",
    "page": 1,
    "size": 25,
}
MAX_PAGE = 1_000_000  # a forged page number stays a small integer offset


def _stored(stored: Any) -> dict[str, Any]:
    """Return the set values of the page-parameter store (anything else: none)."""
    if not isinstance(stored, dict):
        return {}
    return {k: v for k, v in stored.items() if v is not None}


def clean_params(raw: dict[str, Any] | None) -> dict[str, Any]:
    """Return valid register parameters from URL/store values (unknown values -> defaults)."""
    raw = raw if isinstance(raw, dict) else {}
    sort = raw.get("sort") if _text_in(raw.get("sort"), SORT_COLUMNS) else DEFAULTS["sort"]
    direction = raw.get("dir") if _text_in(raw.get("dir"), ("asc", "desc")) else DEFAULTS["dir"]
    try:
        size = int(raw.get("size") or DEFAULTS["size"])
    except (TypeError, ValueError, OverflowError):
        size = DEFAULTS["size"]
    try:
        page = min(MAX_PAGE, max(1, int(raw.get("page") or 1)))
    except (TypeError, ValueError, OverflowError):
        page = 1
    search = raw.get("search")
    return {
        "search": str(search)[:200] if isinstance(search, (str, int, float)) else "",
        "sort": sort,
        "dir": direction,
        "page": page,
        "size": size if size in PAGE_SIZES else DEFAULTS["size"],
    }


def _text_in(value: Any, allowed: Any) -> bool:
    """Return True when `value` is text and one of `allowed` (a list or dict can never be)."""
    return isinstance(value, str) and value in allowed


def url_params(params: dict[str, Any]) -> dict[str, Any]:
    """Return the parameters to show in the URL: defaults left out (None)."""
    return {k: (None if v == DEFAULTS[k] else v) for k, v in params.items()}


def _sort_label(column: str, params: dict[str, Any], lang: str) -> list[Any]:
    if not _text_in(column, COLUMNS):  # a forged output id
        return []
    label: list[Any] = [t(f"act.col.{column}", lang)]
    if COLUMNS[column][1] == params["sort"]:
        asc = params["dir"] == "asc"
        label += [
            html.Span(" ▲" if asc else " ▼", **aria(hidden="true")),
            html.Span(
                f" ({t('act.sorted_asc' if asc else 'act.sorted_desc', lang)})",
                className="visually-hidden",
            ),
        ]
    return label


def _aria_sort(column: str, params: dict[str, Any]) -> str:
    if not _text_in(column, COLUMNS) or COLUMNS[column][1] != params["sort"]:
        return "none"
    return "ascending" if params["dir"] == "asc" else "descending"


def layout(**query: Any) -> html.Div:
    """Return the register page for the filters, search, sort, page and language in the URL."""
    filters, lang = components.state_from_query(query)
    params = clean_params(query)
    try:  # the first page is in the layout: no callback on load
        shown = register_view(filters, lang, params)
        view: RegisterView | None = shown
        params = shown.params
    except FileNotFoundError:  # no warehouse yet: the page shows its warning
        view = None
    head = html.Thead(
        html.Tr(
            [
                html.Th(
                    html.Button(
                        _sort_label(c, params, lang),
                        id={"type": ids.ACT_SORT, "col": c},
                        type="button",
                        className="sort-button",
                    ),
                    scope="col",
                    id={"type": ids.ACT_SORT_TH, "col": c},
                    **aria(sort=_aria_sort(c, params)),
                )
                for c in COLUMNS
            ]
        )
    )
    table = html.Div(
        html.Table(
            [
                html.Caption([t("page.activities.heading", lang), " — ", t("act.sort_hint", lang)]),
                head,
                StaticTree(tag="tbody", id=ids.ACT_BODY, nodes=view.rows if view else []),
            ],
            className="table table-sm table-striped register",
        ),
        className="table-responsive register-wrap",
        tabIndex="0",
        role="region",
        **aria(label=t("act.table_region", lang)),
    )
    controls = html.Div(
        [
            html.Div(
                [
                    # the hint is part of the label, so screen readers announce it too
                    html.Label(
                        [
                            t("act.search", lang),
                            html.Span(t("act.search_hint", lang), className="search-hint"),
                        ],
                        htmlFor=ids.ACT_SEARCH,
                        className="form-label",
                    ),
                    dcc.Input(
                        id=ids.ACT_SEARCH,
                        type="search",
                        value=params["search"],
                        debounce=SEARCH_DEBOUNCE_S,
                        className="form-control",
                        autoComplete="off",
                        maxLength=200,
                    ),
                ],
                className="selection-control wide",
            ),
            html.Div(
                [
                    html.Label(
                        t("act.page_size", lang), htmlFor=ids.ACT_SIZE, className="form-label"
                    ),
                    dcc.Dropdown(
                        id=ids.ACT_SIZE,
                        value=params["size"],
                        clearable=False,
                        searchable=False,
                        options=[{"label": str(s), "value": s} for s in PAGE_SIZES],
                    ),
                ],
                className="selection-control narrow",
            ),
        ],
        className="selection-bar",
    )
    pager = components.pager(
        (ids.ACT_PREV, ids.ACT_STATUS, ids.ACT_NEXT),
        view.status if view else t("card.loading", lang),
        lang,
        first=view.first_page if view else True,
        last=view.last_page if view else True,
    )
    export = html.Section(
        [
            html.H2(t("act.export", lang), id="act-export-heading", className="card-title h5"),
            html.P(
                t(
                    "act.export_note",
                    lang,
                    max=fmt_number(data.EXPORT_MAX_ROWS, lang),
                    max_xlsx=fmt_number(data.XLSX_MAX_ROWS, lang),
                ),
                className="card-note",
            ),
            html.Div(
                [
                    html.Button(
                        t("card.download_csv", lang),
                        id=ids.ACT_CSV,
                        type="button",
                        className="btn btn-sm btn-outline-primary",
                    ),
                    html.Button(
                        t("card.download_xlsx", lang),
                        id=ids.ACT_XLSX,
                        type="button",
                        className="btn btn-sm btn-outline-primary",
                    ),
                    dcc.Download(id=ids.ACT_DOWNLOAD),
                ],
                className="card-actions",
            ),
            dcc.Loading(
                html.P(
                    id=ids.ACT_EXPORT_NOTE,
                    className="export-status",
                    role="status",
                    **aria(live="polite"),
                ),
                type="dot",
            ),
        ],
        className="card chart-card",
        **aria(labelledby="act-export-heading"),
    )
    return components.page_shell(
        "/activities",
        query,
        [
            page_params.stores(PAGE, url_params(params)),
            html.Section(
                [controls, table, pager],
                className="card chart-card",
                **aria(label=t("page.activities.heading", lang)),
            ),
            export,
            components.chart_card(
                ids.ACT_CHALLENGE_CARD,
                t("act.by_challenge", lang),
                lang,
                note=t("act.by_challenge_note", lang),
                controls=_challenge_measure(lang),
                wide=True,
                xlsx=True,
            ),
        ],
        heading_key="page.activities.heading",
        intro=html.P(t("act.intro", lang), className="scope-note"),
    )


components.register_export(ids.ACT_CHALLENGE_CARD, data.challenge_breakdown)


@callback(
    *components.card_outputs(ids.ACT_CHALLENGE_CARD),
    Input(ids.STATE, "data"),
    Input(ids.ACT_CHALLENGE_MEASURE, "value"),
)
@response_cache.cacheable
def update_by_challenge(state: dict[str, Any], measure: Any) -> tuple[Any, ...]:
    """Draw the chosen measure per cross-cutting challenge; the table holds all three."""
    filters, lang = components.parse_state(state)
    measure = (
        measure if isinstance(measure, str) and measure in CHALLENGE_MEASURES else "activities"
    )
    df = data.challenge_breakdown(filters, lang=lang).copy()
    df["label"] = df["label"].fillna(t("act.no_challenge", lang))
    df["measure_label"] = [t(f"act.measure.{m}", lang) for m in df["measure"]]
    rows = df[~df["is_total"]]
    shown = rows[rows["measure"] == measure]
    fig = figures.bar(
        shown,
        "label",
        "value",
        lang,
        horizontal=True,
        y_title=t(f"act.measure.{measure}", lang),
        height=components.GRAPH_PX,
    )
    return components.card_values(
        rows,
        fig,
        figures.summary_challenges(df, lang),
        lang,
        filters=filters,
        columns={
            "label": t("filters.challenge", lang),
            "measure_label": t("act.measure", lang),
            "value": t("axis.count", lang),
        },
    )


def _challenge_measure(lang: str) -> html.Fieldset:
    options = [{"label": t(f"act.measure.{m}", lang), "value": m} for m in CHALLENGE_MEASURES]
    return components.measure_toggle(
        ids.ACT_CHALLENGE_MEASURE, t("act.measure", lang), options, "activities"
    )


def _cell(column: str, value: Any, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if column == "status":
        return (
            t(f"status.{value}", lang)
            if value in ("planned", "completed", "cancelled", "not_yet_reported")
            else str(value)
        )
    if column == "participants":
        return fmt_number(int(value), lang)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def body_rows(df: pd.DataFrame, lang: str) -> list[Node]:
    """Return the table rows of one page as static nodes (`dashboard.static_tree`: text only,
    never HTML from data): one component draws the page's rows."""
    if df.empty:
        return [node("tr", node("td", t("act.none", lang), colSpan=len(COLUMNS)))]
    # one list per column (the values `to_dict("records")` gives)
    needed = dict.fromkeys([*(src for src, _ in COLUMNS.values()), "city_id"])
    values = {
        c: components.column_values(df[c]) if c in df.columns else [None] * len(df) for c in needed
    }
    rows: list[Node] = []
    for r in range(len(df)):
        texts = {c: _cell(c, values[src][r], lang) for c, (src, _) in COLUMNS.items()}
        shown: dict[str, Node] = dict(texts)
        city_id = values["city_id"][r]
        if isinstance(city_id, str) and city_id:  # the host city's name links to its profile
            shown["city_name"] = node(
                "a", texts["city_name"], href=components.city_href(city_id, lang)
            )
        for c, clamp in CLAMPED.items():
            if texts[c] != "–":  # text only: a `title` attribute is text, never HTML
                shown[c] = node("span", shown[c], className=clamp, title=texts[c])
        cells = [node("td", shown[c], className="nowrap" if c in NOWRAP else None) for c in COLUMNS]
        cells[0] = node("th", texts["activity_id"], scope="row")
        rows.append(node("tr", *cells))
    return rows


def next_params(
    params: dict[str, Any],
    trigger: Any,
    *,
    search: str | None,
    size: int | None,
    total_pages: int | None = None,
) -> dict[str, Any]:
    """Return the register parameters after an interaction (sort, search, paging, filters)."""
    new = dict(params)
    if (
        isinstance(trigger, dict)
        and trigger.get("type") == ids.ACT_SORT
        and _text_in(trigger.get("col"), COLUMNS)
    ):
        sort = COLUMNS[trigger["col"]][1]
        first = "desc" if trigger["col"] in DESCENDING_FIRST else "asc"
        new["dir"] = (
            ("desc" if params["dir"] == "asc" else "asc") if sort == params["sort"] else first
        )
        new["sort"], new["page"] = sort, 1
    elif trigger == ids.ACT_SEARCH:
        text = search if isinstance(search, str) else ""  # an object or list searches nothing
        new["search"], new["page"] = text.strip()[:200], 1
    elif trigger == ids.ACT_SIZE:
        new["size"], new["page"] = size if size in PAGE_SIZES else DEFAULTS["size"], 1
    elif trigger == ids.ACT_PREV:
        new["page"] = max(1, params["page"] - 1)
    elif trigger == ids.ACT_NEXT:
        new["page"] = (
            params["page"] + 1 if total_pages is None else min(total_pages, params["page"] + 1)
        )
    elif trigger == ids.STATE:
        new["page"] = 1
    return new


class RegisterView(NamedTuple):
    """One page of the register: its table rows, status line, the parameters actually shown
    (the page clamped to the last one), and whether it is the first and the last page."""

    rows: list[Node]
    status: str
    params: dict[str, Any]
    first_page: bool
    last_page: bool


def register_view(filters: Filters, lang: str, params: dict[str, Any]) -> RegisterView:
    """Return the register page that `params` designate (a page past the end: the last one)."""
    params = dict(params)
    rows, total = fetch_page(filters, lang, params)
    pages = max(1, math.ceil(total / params["size"]))
    if params["page"] > pages:  # e.g. a shared URL past the end, or Next on the last page
        params["page"] = pages
        rows, total = fetch_page(filters, lang, params)
    first = (params["page"] - 1) * params["size"] + 1 if total else 0
    status = (
        t(
            "act.status_line",
            lang,
            first=fmt_number(first, lang),
            last=fmt_number(min(total, params["page"] * params["size"]), lang),
            total=fmt_number(total, lang),
            page=fmt_number(params["page"], lang),
            pages=fmt_number(pages, lang),
        )
        if total
        else t("act.none", lang)
    )
    return RegisterView(
        body_rows(rows, lang), status, params, params["page"] <= 1, params["page"] >= pages
    )


@callback(
    Output(ids.ACT_BODY, "nodes"),
    Output(ids.ACT_STATUS, "children"),
    Output(PARAMS, "data"),
    Output({"type": ids.ACT_SORT, "col": ALL}, "children"),
    Output({"type": ids.ACT_SORT_TH, "col": ALL}, "aria-sort"),
    Output(ids.ACT_PREV, "disabled"),
    Output(ids.ACT_NEXT, "disabled"),
    Input(ids.STATE, "data"),
    Input(ids.ACT_SEARCH, "value"),
    Input({"type": ids.ACT_SORT, "col": ALL}, "n_clicks"),
    Input(ids.ACT_PREV, "n_clicks"),
    Input(ids.ACT_NEXT, "n_clicks"),
    Input(ids.ACT_SIZE, "value"),
    State(PARAMS, "data"),
    prevent_initial_call=True,  # the layout shows the first page (register_view)
)
@response_cache.cacheable
def update_register(
    state: dict[str, Any],
    search: str | None,
    _sorts: list[Any],
    _prev: int | None,
    _next: int | None,
    size: int | None,
    stored: dict[str, Any] | None,
) -> tuple[Any, ...]:
    """Run one page of the register on the server for the filters, search, sort and page."""
    filters, lang = components.parse_state(state)
    params = clean_params({**DEFAULTS, **_stored(stored)})
    trigger = ctx.triggered_id if ctx.triggered else None
    params = next_params(params, trigger, search=search, size=size)
    view = register_view(filters, lang, params)
    sort_labels = [_sort_label(o["id"]["col"], view.params, lang) for o in ctx.outputs_list[3]]
    aria = [_aria_sort(o["id"]["col"], view.params) for o in ctx.outputs_list[4]]
    return (
        view.rows,
        view.status,
        url_params(view.params),
        sort_labels,
        aria,
        view.first_page,
        view.last_page,
    )


def fetch_page(filters: Filters, lang: str, params: dict[str, Any]) -> tuple[pd.DataFrame, int]:
    """Return the page of rows the parameters designate, and the total row count."""
    return data.activities_page(
        filters,
        lang=lang,
        search=params["search"],
        sort=params["sort"],
        descending=params["dir"] == "desc",
        offset=(params["page"] - 1) * params["size"],
        limit=params["size"],
    )


@callback(
    Output(ids.ACT_DOWNLOAD, "data"),
    Output(ids.ACT_EXPORT_NOTE, "children"),
    Input(ids.ACT_CSV, "n_clicks"),
    Input(ids.ACT_XLSX, "n_clicks"),
    State(ids.STATE, "data"),
    State(PARAMS, "data"),
    prevent_initial_call=True,
)
def export_register(
    _csv: int | None, _xlsx: int | None, state: dict[str, Any], stored: dict[str, Any] | None
) -> tuple[Any, ...]:
    """Send the current filtered, searched, sorted result (at most 100,000 rows)."""
    filters, lang = components.parse_state(state)
    params = clean_params({**DEFAULTS, **_stored(stored)})
    fmt = "xlsx" if ctx.triggered_id == ids.ACT_XLSX else "csv"
    content, rows = data.activities_export(
        filters,
        lang,
        search=params["search"],
        sort=params["sort"],
        descending=params["dir"] == "desc",
        fmt=fmt,
    )
    _, total = fetch_page(filters, lang, {**params, "page": 1})
    note = (
        t("act.export_done", lang, rows=fmt_number(rows, lang))
        if rows >= total
        else t(
            "act.export_capped", lang, rows=fmt_number(rows, lang), total=fmt_number(total, lang)
        )
    )
    return send_bytes(content, f"iurc-activities.{fmt}"), note
