"""`/data-quality`: ingest runs, quarantined rows with every reason (paged on the server),
completeness by table, completeness and timeliness by city, and the input templates to download.

Runs, quarantine and completeness by table cover every load (the global filters do not apply,
as the page says); completeness and timeliness by city follow the region and country filters,
timeliness all filters. The quarantine's file choice and page live in the URL (`?qfile=&qpage=`).
"""

from __future__ import annotations

import math
from typing import Any

import dash
import pandas as pd
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html, register_page
from dash.dcc.express import send_bytes  # dash.dcc re-exports it through a computed __all__

from dashboard import access, components, data, figures, ids, page_params, response_cache
from dashboard.aria import aria
from dashboard.i18n import fmt_date, fmt_number, fmt_percent, t, t_reason, t_reasons
from pipelines.metrics.filters import Filters
from pipelines.textsafe import safe_text
from schemas import ENTITIES

register_page(
    __name__,
    path="/data-quality",
    name="Data quality",
    title="Data quality · IURC Impact",
    order=6,
    i18n_key="page.data_quality",
)
PAGE = "data-quality"
PARAMS = page_params.store_id(PAGE)

RUNS_PX = RULES_PX = 420  # px: the card's graph and its figure (labels fitted to it)
QUARANTINE_PAGE_SIZE = 20
QUARANTINE_PAGER = (
    ids.DQ_QUAR_PREV,
    ids.DQ_QUAR_STATUS,
    ids.DQ_QUAR_NEXT,
)  # Previous, status, Next
MAX_PAGE = 1_000_000  # a forged page number stays a small integer offset
QUARANTINE_EXPORT_ROWS = 1000
TEMPLATE_FORMATS = ("csv", "xlsx")


def _files() -> list[str]:
    try:
        return sorted(str(v) for v in data.quarantine_summary(by="file")["group_id"])
    except FileNotFoundError:
        return []


def clean_params(raw: dict[str, Any] | None, files: list[str]) -> dict[str, Any]:
    """Return valid quarantine parameters (file among those quarantined, page >= 1)."""
    raw = raw if isinstance(raw, dict) else {}
    try:
        page = min(MAX_PAGE, max(1, int(raw.get("qpage") or 1)))
    except (TypeError, ValueError, OverflowError):
        page = 1
    qfile = raw.get("qfile") if raw.get("qfile") in files else None
    return {"qfile": qfile, "qpage": page if page > 1 else None}


def _templates(lang: str) -> html.Section:
    items = []
    for name in ENTITIES:
        entity = t(f"entity.{name}", lang)
        buttons = []
        for fmt in TEMPLATE_FORMATS:
            key = {"entity": name, "fmt": fmt}
            buttons += [
                html.Button(
                    fmt.upper(),
                    id={"type": ids.DQ_TEMPLATE, **key},
                    type="button",
                    className="btn btn-sm btn-outline-primary",
                    **aria(label=t(f"dq.template_{fmt}", lang, entity=entity)),
                ),
                dcc.Download(id={"type": ids.DQ_TEMPLATE_DOWNLOAD, **key}),
            ]
        items.append(
            html.Li(
                [
                    html.Span(entity, className="template-name"),
                    html.Span(buttons, className="card-actions"),
                ]
            )
        )
    return html.Section(
        [
            html.H2(t("dq.templates", lang), id="dq-templates-heading", className="card-title h5"),
            html.P(t("dq.templates_note", lang), className="card-note"),
            html.Ul(items, className="template-list"),
        ],
        className="card chart-card wide",
        **aria(labelledby="dq-templates-heading"),
    )


def layout(**query: Any) -> html.Div:
    """Return the data-quality page for the filters, quarantine choice and language in the URL."""
    _, lang = components.state_from_query(query)
    files = _files()
    params = clean_params(query, files)
    try:  # the first page is in the layout: no callback on load
        table, status, params, no_prev, no_next = quarantine_view(
            params["qfile"], params["qpage"] or 1, lang
        )
    except FileNotFoundError:  # no warehouse yet: the page shows its warning
        table, status, no_prev, no_next = None, t("card.loading", lang), True, True
    quarantine_body = html.Div(
        [
            html.Div(
                [
                    html.Label(
                        t("dq.file", lang), htmlFor=ids.DQ_QUAR_FILE, className="form-label"
                    ),
                    dcc.Dropdown(
                        id=ids.DQ_QUAR_FILE,
                        value=params["qfile"],
                        searchable=False,
                        placeholder=t("dq.all_files", lang),
                        options=[{"label": f, "value": f} for f in files],
                    ),
                ],
                className="selection-control wide",
            ),
            html.Div(
                table,
                id=ids.DQ_QUAR_BODY,
                className="table-responsive register-wrap",
                tabIndex="0",
                role="region",
                **aria(label=t("dq.table_region", lang)),
            ),
            components.pager(
                QUARANTINE_PAGER,
                status,
                lang,
                first=no_prev,
                last=no_next,
            ),
        ]
    )
    return components.page_shell(
        "/data-quality",
        query,
        [
            page_params.stores(PAGE, params),
            html.Div(
                [
                    components.chart_card(
                        ids.DQ_RUNS_CARD, t("dq.runs", lang), lang, xlsx=True, height=RUNS_PX
                    ),
                    components.chart_card(
                        ids.DQ_RULES_CARD, t("dq.rules", lang), lang, height=RULES_PX
                    ),
                ],
                className="card-grid two",
            ),
            page_params.table_card(
                ids.DQ_QUAR_CARD,
                t("dq.quarantine", lang),
                lang,
                quarantine_body,
                note=t("dq.quarantine_note", lang),
            ),
            html.Div(
                [
                    components.chart_card(
                        ids.DQ_TABLES_CARD, t("dq.tables", lang), lang, xlsx=True
                    ),
                    components.chart_card(ids.DQ_CITY_CARD, t("dq.city", lang), lang, xlsx=True),
                ],
                className="card-grid two",
            ),
            _templates(lang),
        ],
        heading_key="page.data_quality.heading",
        intro=html.P(t("dq.scope_note", lang), className="scope-note"),
    )


def _quarantine_export(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    qfile = params.get("qfile") if isinstance(params.get("qfile"), str) else None
    rows, _ = data.quarantine_page(file_name=qfile, offset=0, limit=QUARANTINE_EXPORT_ROWS)
    return access.without_raw_records(rows)


components.register_export(ids.DQ_RUNS_CARD, lambda f, lang: data.ingest_runs())
components.register_export(ids.DQ_RULES_CARD, lambda f, lang: data.quarantine_summary(by="rule"))
components.register_export(ids.DQ_TABLES_CARD, lambda f, lang: data.completeness_by_table())
components.register_export(ids.DQ_CITY_CARD, lambda f, lang: data.quality_by_city(f))
page_params.register_export(ids.DQ_QUAR_CARD, _quarantine_export)


def run_labels(df: pd.DataFrame) -> list[str]:
    """Return a label per run: the file name, with the start time when a file was loaded twice."""
    twice = df["file_name"].duplicated(keep=False)
    return [
        f"{f} · {s:%Y-%m-%d %H:%M}" if d else str(f)
        for f, s, d in zip(df["file_name"], df["started_at"], twice, strict=True)
    ]


@callback(*components.card_outputs(ids.DQ_RUNS_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_runs(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw rows loaded and quarantined for the latest runs (newest first)."""
    _, lang = components.parse_state(state)
    df = data.ingest_runs(limit=100)
    shown = df.head(20).copy()
    if not shown.empty:
        shown["run"] = run_labels(shown)
        shown["status_label"] = [
            t(f"dq.run.{s}", lang) if s in ("loaded", "partial") else s for s in shown["status"]
        ]
    long = (
        figures.melt(
            shown,
            "run",
            {"rows_loaded": t("dq.loaded", lang), "rows_quarantined": t("dq.quarantined", lang)},
        )
        if not shown.empty
        else shown
    )
    # loaded rows run to thousands and quarantined ones to a few: side by side on a log axis,
    # each labelled, so both are seen
    fig = figures.log_bars(
        long,
        "run",
        "value",
        "group",
        lang,
        y_title=t("dq.rows_log", lang),
        colours={
            t("dq.loaded", lang): figures.OKABE_ITO[0],
            t("dq.quarantined", lang): figures.OKABE_ITO[5],
        },
        height=RUNS_PX,
    )
    summary = (
        t(
            "sum.runs",
            lang,
            n=fmt_number(df.attrs["runs"], lang),
            read=fmt_number(df.attrs["rows_read"], lang),
            loaded=fmt_number(df.attrs["rows_loaded"], lang),
            quarantined=fmt_number(df.attrs["rows_quarantined"], lang),
        )
        if not df.empty
        else ""
    )
    return components.card_values(
        shown,
        fig,
        summary,
        lang,
        columns={
            "file_name": t("dq.file", lang),
            "entity": t("dq.entity", lang),
            "started_at": t("dq.started", lang),
            "rows_read": t("dq.read", lang),
            "rows_loaded": t("dq.loaded", lang),
            "rows_quarantined": t("dq.quarantined", lang),
            "status_label": t("dq.run_status", lang),
        },
    )


@callback(*components.card_outputs(ids.DQ_RULES_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_rules(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw quarantined rows per first failing rule."""
    _, lang = components.parse_state(state)
    df = data.quarantine_summary(by="rule")
    df.insert(1, "rule_label", [t_reason(r, lang) for r in df["group_id"]])
    fig = (
        figures.bar(
            df,
            "rule_label",
            "rows",
            lang,
            horizontal=True,
            y_title=t("dq.quarantined", lang),
            colour=figures.OKABE_ITO[5],
            height=RULES_PX,
        )
        if not df.empty
        else figures.empty_figure(lang, "dq.no_quarantine")
    )
    summary = (
        figures.summary_total_and_top(df, "rule_label", "rows", t("dq.quarantined", lang), lang)
        if not df.empty
        else t("dq.no_quarantine", lang)
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        columns={"rule_label": t("dq.rule", lang), "rows": t("dq.quarantined", lang)},
    )


QUARANTINE_CELL_CHARS = 300


def _cell(value: Any, column: str, lang: str) -> Any:
    """Return a quarantine cell's text: reasons with their rules in `lang`, others as read."""
    return t_reasons(value, lang) if column == "reasons" and value is not None else value


def quarantine_table(df: pd.DataFrame, lang: str) -> Any:
    """Return the quarantined rows as an accessible table of inert text (controls escaped).

    Reasons are stored in English; their rules are shown in `lang`, columns and values as read.
    The raw record column is shown only to callers `access.can_see_raw_records()` allows.
    """
    if df.empty:
        return html.P(t("dq.no_quarantine", lang))
    columns = {
        "file_name": "dq.file",
        "line": "dq.line",
        "entity": "dq.entity",
        "reasons": "dq.reasons",
    }
    if "location" in df.columns and df["location"].notna().any():  # rows of IATI files
        columns = {"file_name": "dq.file", "location": "dq.location", **columns}
    if access.can_see_raw_records() and "raw_record" in df.columns:
        columns["raw_record"] = "dq.raw"
    head = html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in columns.values()]))
    rows = [
        html.Tr(
            [
                html.Td(shown if c != "raw_record" else html.Code(shown))
                for c in columns
                for shown in [safe_text(_cell(r.get(c), c, lang), QUARANTINE_CELL_CHARS)]
            ]
        )
        for r in df.to_dict("records")
    ]
    return html.Table([head, html.Tbody(rows)], className="table table-sm table-striped register")


def quarantine_view(qfile: str | None, page: int, lang: str) -> tuple[Any, ...]:
    """Return one page of quarantined rows for `qfile` (None: every file) as the quarantine
    callback's outputs: the table, the status line, the URL parameters, and whether Previous and
    Next are disabled (a page past the end shows the last one)."""
    page = min(page, MAX_PAGE)
    rows, total = data.quarantine_page(
        file_name=qfile,
        offset=(page - 1) * QUARANTINE_PAGE_SIZE,
        limit=QUARANTINE_PAGE_SIZE,
    )
    pages = max(1, math.ceil(total / QUARANTINE_PAGE_SIZE))
    if page > pages:
        page = pages
        rows, total = data.quarantine_page(
            file_name=qfile,
            offset=(page - 1) * QUARANTINE_PAGE_SIZE,
            limit=QUARANTINE_PAGE_SIZE,
        )
    first = (page - 1) * QUARANTINE_PAGE_SIZE + 1
    status = (
        t(
            "act.status_line",
            lang,
            first=fmt_number(first, lang),
            last=fmt_number(min(total, page * QUARANTINE_PAGE_SIZE), lang),
            total=fmt_number(total, lang),
            page=fmt_number(page, lang),
            pages=fmt_number(pages, lang),
        )
        if total
        else t("dq.no_quarantine", lang)
    )
    params = {"qfile": qfile, "qpage": page if page > 1 else None}
    return quarantine_table(rows, lang), status, params, page <= 1, page >= pages


@callback(
    Output(ids.DQ_QUAR_BODY, "children"),
    Output(ids.DQ_QUAR_STATUS, "children"),
    Output(PARAMS, "data"),
    Output(ids.DQ_QUAR_PREV, "disabled"),
    Output(ids.DQ_QUAR_NEXT, "disabled"),
    Input(ids.STATE, "data"),
    Input(ids.DQ_QUAR_FILE, "value"),
    Input(ids.DQ_QUAR_PREV, "n_clicks"),
    Input(ids.DQ_QUAR_NEXT, "n_clicks"),
    State(PARAMS, "data"),
    prevent_initial_call=True,  # the layout shows the first page (quarantine_view)
)
def update_quarantine(
    state: dict[str, Any],
    qfile: str | None,
    _prev: int | None,
    _next: int | None,
    stored: dict[str, Any] | None,
) -> tuple[Any, ...]:
    """Show one page of quarantined rows (server-side), for the chosen file."""
    _, lang = components.parse_state(state)
    qfile = qfile if isinstance(qfile, str) else None
    page = clean_params(stored if isinstance(stored, dict) else None, [])["qpage"] or 1
    trigger = ctx.triggered_id if ctx.triggered else None
    turned = components.turned_page(page, trigger, QUARANTINE_PAGER)
    page = 1 if trigger == ids.DQ_QUAR_FILE else page if turned is None else turned
    return quarantine_view(qfile or None, page, lang)


@callback(*components.card_outputs(ids.DQ_TABLES_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_tables(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the share of cells filled per core table (K29)."""
    _, lang = components.parse_state(state)
    df = data.completeness_by_table()
    df.insert(
        1, "table_label", [t(f"entity.{n}", lang) if n in ENTITIES else n for n in df["table_name"]]
    )
    fig = figures.bar(
        df,
        "table_label",
        "pct_filled",
        lang,
        horizontal=True,
        y_title=t("dq.required", lang),
        height=components.GRAPH_PX,
    )
    low = df.loc[df["pct_filled"].idxmin()] if not df.empty else None  # type: ignore[call-overload]  # pandas-stubs type an idxmax/idxmin label as Hashable
    summary = (
        t(
            "sum.table_quality",
            lang,
            n=fmt_number(len(df), lang),
            table=str(low["table_label"]),
            pct=fmt_percent(low["pct_filled"], lang),
        )
        if low is not None
        else ""
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        columns={
            "table_label": t("dq.table", lang),
            "pct_filled": t("dq.required", lang),
            "pct_optional_filled": t("dq.optional", lang),
        },
    )


def timeliness_sentence(df: pd.DataFrame, lang: str) -> str:
    """Return the K30 sentence: activities, mean and median reporting lag, last report."""
    if df.empty or not int(df["activities"].iloc[0] or 0):
        return t("card.empty_hint", lang)
    r = df.iloc[0]
    return t(
        "sum.timeliness",
        lang,
        n=fmt_number(r["activities"], lang),
        mean=fmt_number(r["mean_lag_days"], lang),
        median=fmt_number(r["median_lag_days"], lang),
        date=fmt_date(r["last_reported_date"], lang),
    )


@callback(*components.card_outputs(ids.DQ_CITY_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_city(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw each city's completeness against its median reporting lag; state K30 overall."""
    filters, lang = components.parse_state(state)
    # the latest report does not depend on the filters: read beside the city table's frames
    last = data.in_background(data.last_report)
    df = data.quality_by_city(filters)
    fig = figures.quality_scatter(
        df,
        lang,
        x="median_lag_days",
        y="pct_filled",
        x_title=t("dq.lag", lang),
        y_title=t("dq.required", lang),
        height=components.GRAPH_PX,
    )
    summary = ""
    if not df.empty:
        low = df.loc[df["pct_filled"].idxmin()]  # type: ignore[call-overload]  # pandas-stubs type an idxmax/idxmin label as Hashable
        summary = " ".join(
            [
                timeliness_sentence(
                    data.timeliness(filters, totals=df.attrs["totals"], last=last.result()),
                    lang=lang,
                ),
                t(
                    "sum.city_quality",
                    lang,
                    n=fmt_number(len(df), lang),
                    city=str(low["name"]),
                    pct=fmt_percent(low["pct_filled"], lang),
                ),
            ]
        )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        city_links=True,
        columns={
            "name": t("axis.city", lang),
            "country_iso2": t("axis.country", lang),
            "pct_filled": t("dq.required", lang),
            "pct_gender_declared": t("dq.gender_declared", lang),
            "completed_activities": t("dq.completed", lang),
            "median_lag_days": t("dq.lag", lang),
            "last_reported_date": t("dq.last_report", lang),
        },
    )


@callback(
    Output({"type": ids.DQ_TEMPLATE_DOWNLOAD, "entity": MATCH, "fmt": MATCH}, "data"),
    Input({"type": ids.DQ_TEMPLATE, "entity": MATCH, "fmt": MATCH}, "n_clicks"),
    prevent_initial_call=True,
)
def download_template(n_clicks: int | None) -> Any:
    """Send the input template of the entity in the format of the button pressed."""
    if not n_clicks:
        return dash.no_update
    entity, fmt = ctx.triggered_id["entity"], ctx.triggered_id["fmt"]
    if entity not in ENTITIES or fmt not in TEMPLATE_FORMATS:
        return dash.no_update
    return send_bytes(data.template_bytes(entity, fmt), data.template_file_name(entity, fmt))
