"""`/cooperation`: pairings, trios, clusters and global networks as a network on a map (cities by
region and population, cooperations as links); the selected cooperation's activities, its outputs
through their lifecycle, its funding leveraged and its SDG profile.

The selection lives in the URL (`?coop=pair-austin-bologna`); clicking a link or a hub on the map
selects too, and clicking a city opens its profile (`/city/<city_id>`). Every global filter chooses the cooperations shown; the selected
cooperation's activities, outputs and funding follow the period filter.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, register_page

from dashboard import components, data, figures, ids, page_params, response_cache
from dashboard.aria import aria
from dashboard.i18n import fmt_date, fmt_eur, fmt_number, fmt_percent, t
from pipelines.metrics.filters import Filters

register_page(
    __name__,
    path="/cooperation",
    name="Cooperation",
    title="Cooperation · IURC Impact",
    order=4,
    i18n_key="page.cooperation",
)
PAGE = "cooperation"
PARAMS = page_params.store_id(PAGE)
NETWORK_PX = 520  # px: the card's graph and its figure (labels fitted to it)


def period_only(filters: Filters) -> Filters:
    """Return the filters reduced to the period (what the selected cooperation's details use)."""
    return Filters(start=filters.start, end=filters.end)


def cooperation_choices(filters: Filters, lang: str) -> list[dict[str, str]]:
    """Return the dropdown options: filtered cooperations labelled 'name (mode)'."""
    df = data.cooperation_options(filters, lang=lang)
    return [
        {"label": f"{r.name} ({r.mode_label})", "value": str(r.cooperation_id)}
        for r in df.itertuples()
    ]


def default_cooperation(filters: Filters, lang: str) -> str | None:
    """Return the filtered cooperation with most completed activities in the period (ties: id)."""
    edges = data.cooperation_edges(filters, lang=lang)
    if edges.empty:
        return None
    per = edges.groupby("cooperation_id")["activities"].max().sort_index()
    return str(per.idxmax())


def choose(
    current: str | None, filters: Filters, lang: str
) -> tuple[list[dict[str, str]], str | None]:
    """Return (options, value): keep `current` when it is still listed, else the default."""
    options = cooperation_choices(filters, lang)
    values = {o["value"] for o in options}
    if current in values:
        return options, current
    return options, default_cooperation(filters, lang) if options else None


def layout(**query: Any) -> html.Div:
    """Return the cooperation page for the filters, selection and language in the URL."""
    filters, lang = components.state_from_query(query)
    try:
        options, coop = choose(query.get("coop"), filters, lang)
    except FileNotFoundError:
        options, coop = [], None
    picker = html.Div(
        [
            html.Label(t("coop.select", lang), htmlFor=ids.COOP_SELECT, className="form-label"),
            dcc.Dropdown(
                id=ids.COOP_SELECT,
                options=options,
                value=coop,
                clearable=False,
                placeholder=t("coop.none", lang),
            ),
        ],
        className="selection-control wide",
    )
    intro = html.Div(
        [
            html.P(t("coop.scope_note", lang), className="scope-note"),
            html.Div(picker, className="selection-bar"),
        ]
    )
    return components.page_shell(
        "/cooperation",
        query,
        [
            page_params.stores(PAGE, {"coop": coop}),
            dcc.Location(id=ids.COOP_NAV, refresh="callback-nav"),
            components.chart_card(
                ids.COOP_NETWORK_CARD,
                t("coop.network", lang),
                lang,
                height=NETWORK_PX,
                wide=True,
                xlsx=True,
                note=t("coop.network_note", lang),
                metric="cooperations",
            ),
            html.Section(
                [
                    html.H2(
                        t("coop.detail", lang), id="coop-detail-heading", className="card-title h5"
                    ),
                    html.Div(id=ids.COOP_DETAIL, **aria(live="polite")),
                ],
                className="card chart-card coop-detail",
                **aria(labelledby="coop-detail-heading"),
            ),
            html.Div(
                [
                    page_params.card(
                        ids.COOP_ACTIVITIES_CARD, t("coop.activities", lang), lang, xlsx=True
                    ),
                    page_params.card(
                        ids.COOP_FUNNEL_CARD,
                        t("coop.funnel", lang),
                        lang,
                        xlsx=True,
                        metric="outputs.planned",
                    ),
                    page_params.card(
                        ids.COOP_FUNDING_CARD,
                        t("coop.funding", lang),
                        lang,
                        metric="funding.committed",
                    ),
                    page_params.card(
                        ids.COOP_SDG_CARD,
                        t("coop.sdg", lang),
                        lang,
                        note=t("sdg.colours_note", lang),
                    ),
                ],
                className="card-grid two",
            ),
        ],
        heading_key="page.cooperation.heading",
        intro=intro,
    )


def _coop(params: dict[str, Any] | None) -> str | None:
    return (params or {}).get("coop") or None


def _activities(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    coop = _coop(params)
    if not coop:
        return pd.DataFrame()
    df = data.cooperation_activities(coop, period_only(filters), lang=lang)
    df["status_label"] = [
        t(f"status.{s}", lang) if f"status.{s}" in _STATUS else s for s in df["status"]
    ]
    return df


_STATUS = {"status.planned", "status.completed", "status.cancelled"}


def _funnel(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    coop = _coop(params)
    return (
        data.output_funnel(period_only(filters), cooperation_id=coop, lang=lang)
        if coop
        else pd.DataFrame()
    )


def _funding(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    coop = _coop(params)
    return (
        data.funding_leveraged(period_only(filters), cooperation_id=coop, lang=lang)
        if coop
        else pd.DataFrame()
    )


def _sdg(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    coop = _coop(params)
    return data.cooperation_sdg(coop, lang=lang) if coop else pd.DataFrame()


components.register_export(ids.COOP_NETWORK_CARD, data.cooperation_edges)
page_params.register_export(ids.COOP_ACTIVITIES_CARD, _activities)
page_params.register_export(ids.COOP_FUNNEL_CARD, _funnel)
page_params.register_export(ids.COOP_FUNDING_CARD, _funding)
page_params.register_export(ids.COOP_SDG_CARD, _sdg)


def clicked_key(point: Any) -> str | None:
    """Return the id a map click carries (a cooperation's or a city's), or None."""
    if (
        not isinstance(point, dict)
        or not isinstance(point.get("points"), list)
        or not point["points"]
    ):
        return None
    first = point["points"][0]
    key = first.get("customdata") if isinstance(first, dict) else None
    if isinstance(key, list):
        key = key[0] if key else None
    return key if isinstance(key, str) and key else None


@callback(
    Output(ids.COOP_NAV, "href"),
    Input(components.card_id(ids.CARD_GRAPH, ids.COOP_NETWORK_CARD), "clickData"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
)
def open_city_profile(click: Any, state: dict[str, Any]) -> Any:
    """Open the profile of a city clicked on the map (a link or hub click selects instead)."""
    filters, lang = components.parse_state(state)
    key = clicked_key(click)
    nodes = data.cooperation_nodes(filters, lang=lang)
    if key is None or key not in set(nodes["city_id"]):
        return dash.no_update
    return components.city_href(key, lang, filters)


def clicked_cooperation(point: dict[str, Any] | None, filters: Filters, lang: str) -> str | None:
    """Return the cooperation a map click designates (a hub's or link's own), or None (a city:
    `open_city_profile` opens its profile)."""
    key = clicked_key(point)
    if key is None:
        return None
    edges = data.cooperation_edges(filters, lang=lang)
    return key if key in set(edges["cooperation_id"]) else None


@callback(
    Output(ids.COOP_SELECT, "options"),
    Output(ids.COOP_SELECT, "value"),
    Input(ids.STATE, "data"),
    Input(components.card_id(ids.CARD_GRAPH, ids.COOP_NETWORK_CARD), "clickData"),
    State(ids.COOP_SELECT, "value"),
    prevent_initial_call=True,
)
@response_cache.cacheable
def update_choices(
    state: dict[str, Any], click: dict[str, Any] | None, current: str | None
) -> tuple[Any, ...]:
    """List the filtered cooperations; a click on the map selects one."""
    filters, lang = components.parse_state(state)
    if ctx.triggered_id != ids.STATE:
        chosen = clicked_cooperation(click, filters, lang)
        return dash.no_update, chosen if chosen else dash.no_update
    return choose(current, filters, lang)


@callback(Output(PARAMS, "data"), Input(ids.COOP_SELECT, "value"), prevent_initial_call=True)
def remember_selection(coop: str | None) -> dict[str, Any]:
    """Keep the selected cooperation in the page parameters (hence the URL)."""
    return {"coop": coop}


def network_summary(figs: dict[str, float], selected: str, lang: str) -> str:
    """Return the number of cooperations and member cities (by region), from the metric layer
    (`data.network_figures`), and the selected cooperation."""
    if not figs["cooperations"]:
        return t("coop.none", lang)
    return t(
        "sum.network",
        lang,
        n=fmt_number(figs["cooperations"], lang),
        cities=fmt_number(figs["member_cities"], lang),
        eu=fmt_number(figs["EU"], lang),
        na=fmt_number(figs["NA"], lang),
        selected=selected,
    )


@callback(
    *components.card_outputs(ids.COOP_NETWORK_CARD), Input(ids.STATE, "data"), Input(PARAMS, "data")
)
@response_cache.cacheable
def update_network(state: dict[str, Any], params: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the cooperations on the map with the selected one highlighted."""
    filters, lang = components.parse_state(state)
    # its three queries beside each other (the figures are read even when there is no edge)
    pending_nodes = data.in_background(data.cooperation_nodes, filters, lang=lang)
    pending_figs = data.in_background(data.network_figures, filters)
    edges = data.cooperation_edges(filters, lang=lang)
    nodes = pending_nodes.result()
    coop = _coop(params)
    names = dict(
        zip(edges["cooperation_id"].tolist(), edges["cooperation_name"].tolist(), strict=True)
    )
    fig = figures.cooperation_network(
        nodes,
        edges,
        lang,
        selected=coop,
        hub_label=t("coop.hub", lang),
        selected_label=t("coop.selected", lang),
        city_hint=t("coop.city_hint", lang),
        height=NETWORK_PX,
    )
    figs = pending_figs.result() if not edges.empty else {"cooperations": 0.0}
    summary = network_summary(figs, str(names.get(coop, "–")), lang)
    # one row per cooperation: its members and activities are the cooperation's own (per edge
    # they repeat), so picking the first edge of each aggregates nothing
    table = edges.drop_duplicates("cooperation_id")[
        [
            "cooperation_id",
            "cooperation_name",
            "mode_label",
            "network_label",
            "members",
            "activities",
        ]
    ]
    return components.card_values(
        table,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "cooperation_name": t("axis.cooperation", lang),
            "mode_label": t("axis.mode", lang),
            "network_label": t("axis.network", lang),
            "members": t("coop.f.members", lang),
            "activities": t("axis.activities", lang),
        },
    )


def _fact(label: str, value: Any) -> list[Any]:
    return [html.Dt(label), html.Dd(value)]


@callback(Output(ids.COOP_DETAIL, "children"), Input(PARAMS, "data"), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_detail(params: dict[str, Any], state: dict[str, Any]) -> Any:
    """Describe the selected cooperation: mode, network, phase, dates, members, totals to date."""
    _, lang = components.parse_state(state)
    coop = _coop(params)
    df = data.cooperation_detail(coop, lang=lang) if coop else pd.DataFrame()
    if df.empty:
        return html.P(t("coop.none", lang))
    r = df.iloc[0]
    facts = [
        *_fact(t("coop.f.mode", lang), str(r["mode_label"])),
        *_fact(t("coop.f.network", lang), str(r["network_label"])),
        *_fact(t("coop.f.phase", lang), str(r["phase"])),
        *_fact(
            t("coop.f.period", lang),
            t(
                "coop.f.period_value",
                lang,
                start=fmt_date(r["start_date"], lang),
                end=fmt_date(r["support_end_date"], lang),
            ),
        ),
        *_fact(
            t("coop.f.members", lang), f"{r['member_names']} ({fmt_number(r['n_members'], lang)})"
        ),
        *_fact(
            t("coop.f.activities", lang),
            f"{fmt_number(r['activities_completed'], lang)} "
            f"({fmt_number(r['activities_planned'], lang)})",
        ),
        *_fact(t("coop.f.participations", lang), fmt_number(r["participations"], lang)),
        *_fact(
            t("coop.f.outputs", lang),
            f"{fmt_number(r['outputs'], lang)} ({fmt_number(r['outputs_adopted'], lang)})",
        ),
        *_fact(t("coop.f.funding", lang), fmt_eur(r["funding_eur"], lang)),
    ]
    return [
        html.H3(str(r["name"]), className="h6"),
        html.Dl(facts, className="facts"),
        html.P(t("coop.to_date", lang), className="card-note"),
    ]


@callback(
    *components.card_outputs(ids.COOP_ACTIVITIES_CARD),
    Input(PARAMS, "data"),
    Input(ids.STATE, "data"),
)
@response_cache.cacheable
def update_activities(params: dict[str, Any], state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the selected cooperation's activities per type, stacked by status."""
    filters, lang = components.parse_state(state)
    df = _activities(filters, lang, params)
    fig = (
        figures.stacked_bar(
            df,
            "label",
            "activities",
            "status_label",
            lang,
            horizontal=True,
            y_title=t("axis.activities", lang),
            legend_title=t("act.col.status", lang),
            height=components.GRAPH_PX,
        )
        if not df.empty
        else figures.empty_figure(lang)
    )
    summary = (
        figures.summary_total_and_top(df, "label", "activities", t("axis.activities", lang), lang)
        if not df.empty
        else ""
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        empty_key="empty.coop_activities",
        columns={
            "label": t("axis.activity_type", lang),
            "status_label": t("act.col.status", lang),
            "activities": t("axis.activities", lang),
            "participants": t("axis.participations", lang),
        },
    )


def funnel_summary(figs: dict[str, float | None], lang: str) -> str:
    """Return outputs planned, implemented and adopted, and the share adopted, as the metric
    layer counts them (`data.funnel_figures`: every output type, recounted)."""
    if not figs["planned"]:
        return t("card.empty_hint", lang)
    return t(
        "sum.funnel",
        lang,
        planned=fmt_number(figs["planned"], lang),
        implemented=fmt_number(figs["implemented"], lang),
        adopted=fmt_number(figs["adopted"], lang),
        pct=fmt_percent(figs["pct_adopted"], lang),
    )


@callback(
    *components.card_outputs(ids.COOP_FUNNEL_CARD), Input(PARAMS, "data"), Input(ids.STATE, "data")
)
@response_cache.cacheable
def update_funnel(params: dict[str, Any], state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the selected cooperation's outputs reaching each lifecycle stage, by output type."""
    filters, lang = components.parse_state(state)
    coop = _coop(params)
    # the totals' query beside the chart's (read even when the chart turns out empty)
    pending_figs = (
        data.in_background(data.funnel_figures, period_only(filters), cooperation_id=coop)
        if coop
        else None
    )
    df = _funnel(filters, lang, params)
    shown = df[df["reached"] > 0] if not df.empty else df
    fig = (
        figures.output_funnel(
            df, lang, stage_title=t("axis.stage", lang), height=components.GRAPH_PX
        )
        if not shown.empty
        else figures.empty_figure(lang)
    )
    return components.card_values(
        shown,
        fig,
        funnel_summary(pending_figs.result(), lang)
        if pending_figs is not None and not shown.empty
        else "",
        lang,
        filters=filters,
        empty_key="empty.coop_outputs",
        columns={
            "output_type_label": t("axis.output_type", lang),
            "stage_label": t("axis.stage", lang),
            "reached": t("axis.outputs", lang),
        },
    )


@callback(
    *components.card_outputs(ids.COOP_FUNDING_CARD), Input(PARAMS, "data"), Input(ids.STATE, "data")
)
@response_cache.cacheable
def update_funding(params: dict[str, Any], state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the selected cooperation's funding leveraged by source type."""
    filters, lang = components.parse_state(state)
    df = _funding(filters, lang, params)
    if not df.empty:
        df["amount_eur"] = df["amount_eur"].round(0)  # whole euros on the bars
    fig = figures.bar(
        df,
        "label",
        "amount_eur",
        lang,
        horizontal=True,
        y_title=t("axis.amount_eur", lang),
        height=components.GRAPH_PX,
    )
    figs = data.funding_figures(period_only(filters), cooperation_id=_coop(params))
    summary = (
        t(
            "sum.funding",
            lang,
            total=fmt_eur(figs["eur"], lang),
            n=fmt_number(figs["commitments"], lang),
            source=str(df["label"].iloc[0]),
        )
        if not df.empty
        else ""
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        empty_key="empty.coop_funding",
        columns={
            "label": t("axis.source_type", lang),
            "amount_eur": t("axis.amount_eur", lang),
            "commitments": t("axis.commitments", lang),
        },
    )


@callback(
    *components.card_outputs(ids.COOP_SDG_CARD), Input(PARAMS, "data"), Input(ids.STATE, "data")
)
@response_cache.cacheable
def update_sdg(params: dict[str, Any], state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the selected cooperation's SDG profile in the official colours."""
    filters, lang = components.parse_state(state)
    df = _sdg(filters, lang, params)
    axis = t("axis.weight", lang)
    fig = figures.sdg_profile(df, lang, value_title=axis, height=components.GRAPH_PX)
    summary = (
        figures.summary_total_and_top(df, "label", "value", t("coop.sdg_items", lang), lang)
        if not df.empty
        else ""
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        empty_key="empty.coop_sdg",
        columns={
            "goal": t("axis.goal", lang),
            "label": t("axis.goal", lang),
            "value": axis,
            "share": t("axis.share", lang),
        },
    )
