"""`/` Programme overview: KPI scorecard, activity by thematic network, map of participating cities."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any, cast

import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update, register_page
from dash.dcc.express import send_bytes  # dash.dcc re-exports it through a computed __all__

from dashboard import components, data, figures, ids, report, response_cache, static_tree
from dashboard.about import about_metric, run_rows
from dashboard.aria import aria
from dashboard.i18n import fmt_date, fmt_number, fmt_percent, fmt_value, t
from dashboard.static_tree import StaticTree
from dashboard.status import present, scorecard_summary, status_class, status_text, unrated_text
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import main_metric
from pipelines.queries.overview import TREND_KPIS

register_page(
    __name__,
    path="/",
    name="Overview",
    title="Overview · IURC Impact",
    order=0,
    i18n_key="page.overview",
    maps=True,  # its map part of Plotly runs while the layout is built (dashboard.embedded_layout)
)

MAP_PX = 420  # px: the card's graph and its figure (labels fitted to it)
SPARK = "▁▂▃▄▅▆▇█"


def layout(**query: Any) -> html.Div:
    """Return the overview page for the filters and language in the URL."""
    _, lang = components.state_from_query(query)
    return components.page_shell(
        "/",
        query,
        [
            html.Section(
                [
                    html.H2(t("overview.scorecard", lang), id="scorecard-heading", className="h4"),
                    html.P(t("overview.scorecard_intro", lang), className="card-note"),
                    html.P(
                        t("card.loading", lang),
                        id=ids.OVERVIEW_SCORECARD_SUMMARY,
                        className="card-summary",
                        **aria(live="polite"),
                    ),
                    html.Ul(id=ids.OVERVIEW_SCORECARD, className="scorecard"),
                    *components.lazy_table(ids.OVERVIEW_SCORECARD_CARD, lang),
                    components.export_buttons(ids.OVERVIEW_SCORECARD_CARD, lang, xlsx=True),
                    report_button(lang),
                ],
                className="scorecard-section",
                **aria(labelledby="scorecard-heading"),
            ),
            html.Div(
                [
                    components.chart_card(
                        ids.OVERVIEW_NETWORK_CARD, t("overview.by_network", lang), lang
                    ),
                    components.chart_card(
                        ids.OVERVIEW_MAP_CARD,
                        t("overview.map", lang),
                        lang,
                        height=MAP_PX,
                        metric="K02",
                    ),
                ],
                className="card-grid",
            ),
        ],
        heading_key="page.overview.heading",
    )


components.register_export(ids.OVERVIEW_SCORECARD_CARD, data.kpi_scorecard)
components.register_export(ids.OVERVIEW_NETWORK_CARD, data.network_breakdown)
components.register_export(ids.OVERVIEW_MAP_CARD, data.map_points)


def spark_text(values: list[float]) -> str:
    """Return a text sparkline ('▁▃▅█') of values scaled between their min and max."""
    clean = [v for v in values if v is not None and not pd.isna(v)]
    if len(clean) < 2:
        return ""
    low, high = min(clean), max(clean)
    span = (high - low) or 1
    return "".join(SPARK[int((v - low) / span * (len(SPARK) - 1))] for v in clean)


def trend_series(trend: pd.DataFrame) -> dict[str, tuple[list[float], bool]]:
    """Return per KPI the values of its complete periods, in order, and whether the period after
    them is still running (its partial value is not drawn as if the period were over).

    Example: ``trend_series(kpi_trend_frame)["K04"]  # ([12.0, 15.0], True)``
    """
    if trend.empty:
        return {}
    values: dict[str, list[float]] = {}
    running: dict[str, bool] = {}
    # plain lists: a pandas group per KPI cost more than the cards' sparklines
    columns = (trend[c].tolist() for c in ("indicator_id", "value", "complete"))
    for kpi, value, complete in zip(*columns, strict=True):
        key = str(kpi)
        own = values.setdefault(key, [])
        running.setdefault(key, False)
        if complete:
            own.append(value)
        else:
            running[key] = True
    return {key: (own, running[key]) for key, own in values.items()}


def about_figure(
    row: Mapping[str, Any], runs: pd.DataFrame | list[tuple[Any, ...]], lang: str
) -> StaticTree | None:
    """Return the card's "About this figure" (`dashboard.about.about_metric`) with the KPI's
    target and deadline for the card's scope, or why it is not rated."""
    metric_id = main_metric(row["indicator_id"])
    if metric_id is None:
        return None
    target = (
        t(
            "kpi.about.target_value",
            lang,
            value=fmt_value(row["target_value"], row["unit"], lang),
            date=fmt_date(row["target_period_end"], lang),
            scope=t(f"kpi.scope.{row['scope_type']}", lang) if present(row["scope_type"]) else "",
        )
        if present(row["target_value"])
        else unrated_text(row, lang)
    )
    return about_metric(
        metric_id,
        lang,
        runs,
        target=target,
        definition=t(f"metric.{row['indicator_id']}", lang),
    )


def kpi_card(
    row: Mapping[str, Any],
    trend: list[float],
    lang: str,
    runs: pd.DataFrame | list[tuple[Any, ...]] | None = None,
    *,
    partial: bool = False,
    organisations: dict[str, Any] | None = None,
) -> StaticTree:
    """Return one scorecard card: value, target, % achieved, status in text and colour, trend
    over complete periods (`partial`: a later period is still running and left out, said so),
    distinct organisations under decision D6 for K05/K09 (`organisations`, from
    `organisation_figures`), and what the figure means and comes from (one click away)."""
    rag = status_class(row["rag"])
    target = (
        t("kpi.target", lang, value=fmt_value(row["target_value"], row["unit"], lang))
        if pd.notna(row["target_value"])
        else unrated_text(row, lang)
    )
    achieved = (
        t("kpi.achieved", lang, pct=fmt_percent(row["pct_achieved"], lang))
        if pd.notna(row["pct_achieved"])
        else ""
    )
    heading_id = f"kpi-{row['indicator_id']}"
    spark = spark_text(trend)
    body = [
        html.H3(f"{row['indicator_id']} · {row['label']}", id=heading_id),
        html.P(fmt_value(row["value"], row["unit"], lang), className="kpi-value"),
        html.P(
            [
                html.Span(status_text(rag, lang), className="kpi-status"),
                html.Span(f" {achieved}" if achieved else ""),
            ]
        ),
        html.P(target, className="kpi-target"),
        html.P(t("kpi.lower_better", lang), className="kpi-direction")
        if row["direction"] == "lower"
        else None,
        html.P(organisations_text(organisations, lang), className="kpi-organisations")
        if organisations
        else None,
        html.P(
            [
                html.Span(t("kpi.trend", lang) + ": ", className="visually-hidden"),
                html.Span(spark, **aria(hidden="true")),
                html.Span(
                    " → ".join(fmt_number(v, lang) for v in (trend[0], trend[-1])),
                    className="visually-hidden",
                ),
                html.Span(" " + t("kpi.trend_partial", lang), className="kpi-trend-note")
                if partial
                else None,
            ],
            className="kpi-trend",
        )
        if spark
        else None,
    ]
    # the whole card is one StaticTree (dashboard.static_tree), its "About this figure" drawn
    # when first opened: 30 components for the scorecard instead of some 330
    return static_tree.frozen(
        html.Li(
            html.Article(
                [*body, about_figure(row, runs if runs is not None else pd.DataFrame(), lang)],
                **aria(labelledby=heading_id),
            ),
            className=f"kpi-card rag-{rag}",
        )
    )


def organisations_text(figures: dict[str, Any], lang: str) -> str:
    """Return the distinct-organisation sentence of a K05/K09 card under decision D6: the exact
    count when every organisation participation is identified, the range with the identified
    share when some are, the proven minimum when none is."""
    low, high = fmt_number(figures["low"], lang), fmt_number(figures["high"], lang)
    if figures["rule"] == "exact":
        return t("kpi.orgs.exact", lang, n=low)
    if figures["rule"] == "range":
        pct = fmt_percent(figures["pct_identified"], lang, 1)
        return t("kpi.orgs.range", lang, low=low, high=high, pct=pct)
    return t("kpi.orgs.none", lang, low=low)


ORGANISATION_KPIS = ("K05", "K09")


def scorecard_organisations(filters: Filters) -> dict[str, Future[dict[str, Any]]]:
    """Return the D6 organisation figures of K05 and K09 (by indicator id), each being read on
    the query pool (`data.in_background`): they do not depend on the scorecard, so they run
    beside it; the page keeps those of the cards it shows.

    Example: ``scorecard_organisations(Filters())["K05"].result()["rule"]``
    """
    return {
        kpi: data.in_background(data.organisation_figures, filters, indicator=kpi)
        for kpi in ORGANISATION_KPIS
    }


REPORT_FAILED = (ValueError, FileNotFoundError, OSError, RuntimeError)


def report_button(lang: str) -> html.Div:
    """Return the "Download report" button, its download target and its working/error notes."""
    return html.Div(
        [
            html.Button(
                t("report.download", lang),
                id=ids.OVERVIEW_REPORT_BUTTON,
                className="btn btn-outline-primary btn-sm",
                title=t("report.download_help", lang),
            ),
            html.Span(
                t("report.working", lang),
                id=ids.OVERVIEW_REPORT_STATUS,
                className="report-status",
                hidden=True,
                **aria(live="polite"),
            ),
            html.P(id=ids.OVERVIEW_REPORT_ERROR, className="report-error", role="alert"),
            dcc.Download(id=ids.OVERVIEW_REPORT_DOWNLOAD),
        ],
        className="report-download",
    )


@callback(
    Output(ids.OVERVIEW_REPORT_DOWNLOAD, "data"),
    Output(ids.OVERVIEW_REPORT_ERROR, "children"),
    Input(ids.OVERVIEW_REPORT_BUTTON, "n_clicks"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
    running=[
        (Output(ids.OVERVIEW_REPORT_BUTTON, "disabled"), True, False),
        (Output(ids.OVERVIEW_REPORT_STATUS, "hidden"), False, True),
    ],
)
def download_report(n_clicks: int | None, state: dict[str, Any]) -> tuple[Any, str]:
    """Build the periodic KPI report (PDF) for the current filters and language, server-side."""
    if not n_clicks:
        return no_update, ""
    filters, lang = components.parse_state(state)
    scope = report.scope_from_filters(filters, data.data_dates().get("as_of"))
    try:
        pdf = report.build_report(data.cursor(), scope, lang, "pdf")
    except REPORT_FAILED as exc:
        return no_update, t("report.failed", lang, error=str(exc))
    return send_bytes(pdf, report.file_name(scope, lang, "pdf")), ""


@callback(
    Output(ids.OVERVIEW_SCORECARD, "children"),
    Output(ids.OVERVIEW_SCORECARD_SUMMARY, "children"),
    Output(components.card_id(ids.CARD_TABLE_ROWS, ids.OVERVIEW_SCORECARD_CARD), "data"),
    Input(ids.STATE, "data"),
)
@response_cache.cacheable
def update_scorecard(state: dict[str, Any]) -> tuple[Any, ...]:
    """Fill the KPI scorecard for the current filters."""
    filters, lang = components.parse_state(state)
    # The trend of every trend KPI, in parallel with the scorecard (not only the KPIs that turn out
    # to have a value): each KPI's rows do not depend on which others are asked for.
    pending = data.in_background(data.kpi_trend, filters, TREND_KPIS, lang=lang)
    figures_pending = scorecard_organisations(filters)  # K05/K09's D6 figures, also beside it
    runs_pending = data.in_background(data.ingest_runs, limit=200)  # the cards' "About"
    df = data.kpi_scorecard(filters, lang=lang)
    df = df[df["value"].notna()]
    trend = pending.result()
    trend = trend[trend["indicator_id"].isin(df["indicator_id"])]
    series = trend_series(trend)
    runs = run_rows(runs_pending.result())  # once for all the cards' "About this figure"
    shown = set(df["indicator_id"])
    organisations = {kpi: f.result() for kpi, f in figures_pending.items() if kpi in shown}
    cards = []
    # plain dicts (column -> cell): a Series per row cost more than its card
    for row in cast(list[dict[str, Any]], df.to_dict("records")):
        values, partial = series.get(row["indicator_id"], ([], False))
        orgs = organisations.get(row["indicator_id"])
        cards.append(kpi_card(row, values, lang, runs, partial=partial, organisations=orgs))
    table = components.data_table(
        df[["indicator_id", "label", "value", "target_value", "pct_achieved", "rag"]], lang
    )
    return cards, scorecard_summary(df, lang), [html.Summary(t("card.show_table", lang)), table]


@callback(*components.card_outputs(ids.OVERVIEW_NETWORK_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_network(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw completed activities per thematic network."""
    filters, lang = components.parse_state(state)
    df = data.network_breakdown(filters, lang=lang)
    fig = figures.bar(
        df,
        "label",
        "activities",
        lang,
        horizontal=True,
        y_title=t("axis.activities", lang),
        height=components.GRAPH_PX,
    )
    summary = figures.summary_total_and_top(
        df, "label", "activities", t("axis.activities", lang), lang
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "label": t("axis.network", lang),
            "activities": t("axis.activities", lang),
            "participations": t("axis.participations", lang),
            "cities": t("axis.cities", lang),
        },
    )


@callback(*components.card_outputs(ids.OVERVIEW_MAP_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_map(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the participating cities on the local base map."""
    filters, lang = components.parse_state(state)
    df = data.map_points(filters, lang=lang)
    fig = figures.city_map(df, lang, size="participations", height=MAP_PX)
    summary = (
        t(
            "sum.map",
            lang,
            n=fmt_number(df.attrs.get("total"), lang),
            eu=fmt_number(df.attrs.get("regions", {}).get("EU", 0), lang),
            na=fmt_number(df.attrs.get("regions", {}).get("NA", 0), lang),
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
        city_links=True,
        columns={
            "name": t("axis.city", lang),
            "country": t("filters.country", lang),
            "region": t("axis.region", lang),
            "participations": t("axis.participations", lang),
        },
    )
