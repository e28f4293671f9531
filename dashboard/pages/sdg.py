"""`/sdg`: SDG profile in official colours (primary-only or fractional), network × goal heatmap,
goal → target drill-down, target coverage, and tags by method and review status."""

from __future__ import annotations

from typing import Any

from dash import Input, callback, dcc, html, register_page

from dashboard import components, data, figures, ids
from dashboard.i18n import t
from pipelines.metrics.filters import Filters

register_page(
    __name__, path="/sdg", name="SDGs", title="SDGs · IURC Impact", order=2, i18n_key="page.sdg"
)

METHODS = ("primary", "fractional")


def _method_control(lang: str) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(t("sdg.method", lang), className="form-label h6"),
            dcc.RadioItems(
                id=ids.SDG_METHOD,
                value="primary",
                inline=True,
                className="card-options",
                options=[{"label": t(f"sdg.method.{m}", lang), "value": m} for m in METHODS],
            ),
        ]
    )


def _goal_control(lang: str) -> html.Div:
    try:
        goals = data.sdg_coverage(Filters(), lang=lang)
        options = [
            {"label": f"{goal} · {label}", "value": int(goal)}
            for goal, label in zip(goals["goal"], goals["label"], strict=True)
        ]
    except FileNotFoundError:
        options = []
    return html.Div(
        [
            html.Label(t("sdg.goal_select", lang), htmlFor=ids.SDG_GOAL, className="form-label"),
            dcc.Dropdown(id=ids.SDG_GOAL, options=options, value=11, clearable=False),
        ],
        className="card-options",
    )


def layout(**query: Any) -> html.Div:
    """Return the SDG page for the filters and language in the URL."""
    _, lang = components.state_from_query(query)
    return components.page_shell(
        "/sdg",
        query,
        [
            html.Div(
                [
                    components.chart_card(
                        ids.SDG_PROFILE_CARD,
                        t("sdg.profile", lang),
                        lang,
                        height=480,
                        controls=_method_control(lang),
                        note=t("sdg.colours_note", lang),
                    ),
                    components.chart_card(
                        ids.SDG_COVERAGE_CARD,
                        t("sdg.coverage", lang),
                        lang,
                        height=480,
                        metric="K24",
                    ),
                ],
                className="card-grid two",
            ),
            components.chart_card(
                ids.SDG_HEATMAP_CARD, t("sdg.heatmap", lang), lang, height=300, xlsx=True, wide=True
            ),
            html.Div(
                [
                    components.chart_card(
                        ids.SDG_TARGETS_CARD,
                        t("sdg.targets", lang),
                        lang,
                        height=420,
                        controls=_goal_control(lang),
                        xlsx=True,
                    ),
                    components.chart_card(ids.SDG_REVIEW_CARD, t("sdg.review", lang), lang),
                ],
                className="card-grid two",
            ),
        ],
        heading_key="page.sdg.heading",
    )


components.register_export(ids.SDG_PROFILE_CARD, data.sdg_profile)
components.register_export(ids.SDG_HEATMAP_CARD, data.sdg_network_heatmap)
components.register_export(ids.SDG_COVERAGE_CARD, data.sdg_coverage)
components.register_export(ids.SDG_REVIEW_CARD, lambda f, lang: data.sdg_tags_by_method_status(f))
components.register_export(ids.SDG_TARGETS_CARD, lambda f, lang: data.sdg_targets(f, 11, lang=lang))


@callback(
    *components.card_outputs(ids.SDG_PROFILE_CARD),
    Input(ids.STATE, "data"),
    Input(ids.SDG_METHOD, "value"),
)
def update_profile(state: dict[str, Any], method: str) -> tuple[Any, ...]:
    """Draw activities per SDG goal, counted primary-only or fractionally."""
    filters, lang = components.parse_state(state)
    df = data.sdg_profile(filters, lang=lang, method=method if method in METHODS else "primary")
    df = df[df["value"] > 0]
    axis = t("sdg.activities_share", lang)
    fig = figures.sdg_profile(df, lang, value_title=axis)
    summary = figures.summary_total_and_top(df, "label", "value", axis, lang)
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "goal": t("axis.goal", lang),
            "label": t("axis.goal", lang),
            "value": axis,
            "share": t("axis.share", lang),
        },
    )


@callback(
    *components.card_outputs(ids.SDG_HEATMAP_CARD),
    Input(ids.STATE, "data"),
    Input(ids.SDG_METHOD, "value"),
)
def update_heatmap(state: dict[str, Any], method: str) -> tuple[Any, ...]:
    """Draw thematic network × SDG goal."""
    filters, lang = components.parse_state(state)
    df = data.sdg_network_heatmap(
        filters, lang=lang, method=method if method in METHODS else "primary"
    )
    df = df[df["value"] > 0]
    df = df.sort_values("goal")
    df["goal"] = df["goal"].astype(int).astype(str)
    fig = figures.heatmap(
        df,
        "network_label",
        "goal",
        "value",
        lang,
        row_title=t("axis.network", lang),
        col_title=t("axis.goal", lang),
        value_title=t("axis.activities", lang),
    )
    summary = figures.summary_heatmap(
        df, "network_label", "goal_label", "value", lang, t("axis.activities", lang)
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "network_label": t("axis.network", lang),
            "goal": t("axis.goal", lang),
            "goal_label": t("axis.goal", lang),
            "value": t("axis.activities", lang),
        },
    )


@callback(
    *components.card_outputs(ids.SDG_TARGETS_CARD),
    Input(ids.STATE, "data"),
    Input(ids.SDG_GOAL, "value"),
)
def update_targets(state: dict[str, Any], goal: int | None) -> tuple[Any, ...]:
    """Draw the targets of the chosen goal: validated and suggested-only tags."""
    filters, lang = components.parse_state(state)
    df = data.sdg_targets(filters, int(goal or 11), lang=lang)
    df = df[(df["validated_entities"] + df["suggested_entities"]) > 0]
    long = figures.melt(
        df,
        "target_id",
        {
            "validated_entities": t("sdg.validated", lang),
            "suggested_entities": t("sdg.suggested_only", lang),
        },
    )
    fig = figures.stacked_bar(
        long,
        "target_id",
        "value",
        "group",
        lang,
        horizontal=True,
        x_title=t("axis.target", lang),
        y_title=t("axis.tags", lang),
    )
    summary = figures.summary_total_and_top(
        df, "target_id", "validated_entities", t("sdg.validated", lang), lang
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "target_id": t("axis.target", lang),
            "label": t("axis.target", lang),
            "validated_entities": t("sdg.validated", lang),
            "suggested_entities": t("sdg.suggested_only", lang),
        },
    )


@callback(*components.card_outputs(ids.SDG_COVERAGE_CARD), Input(ids.STATE, "data"))
def update_coverage(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the share of each goal's targets addressed by validated tags."""
    filters, lang = components.parse_state(state)
    df = data.sdg_coverage(filters, lang=lang)
    fig = figures.sdg_profile(
        df.rename(columns={"pct_covered": "pct"}),
        lang,
        value="pct",
        value_title=t("sdg.covered", lang),
        percent=True,
    )
    summary = figures.summary_total_and_top(
        df, "label", "targets_covered", t("sdg.covered", lang), lang
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "goal": t("axis.goal", lang),
            "label": t("axis.goal", lang),
            "targets_covered": t("sdg.covered", lang),
            "targets_total": t("axis.count", lang),
            "pct_covered": t("axis.share", lang),
        },
    )


@callback(*components.card_outputs(ids.SDG_REVIEW_CARD), Input(ids.STATE, "data"))
def update_review(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw tag counts by method, stacked by review status."""
    filters, lang = components.parse_state(state)
    df = data.sdg_tags_by_method_status(filters)
    df["method_label"] = [t(f"sdg.tag.{m}", lang) for m in df["method"]]
    df["status_label"] = [t(f"sdg.tag.{s}", lang) for s in df["status"]]
    fig = figures.stacked_bar(
        df,
        "method_label",
        "tags",
        "status_label",
        lang,
        x_title=t("axis.method", lang),
        y_title=t("axis.tags", lang),
    )
    summary = figures.summary_shares(df, "status_label", "tags", lang)
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "method_label": t("axis.method", lang),
            "status_label": t("axis.status", lang),
            "tags": t("axis.tags", lang),
        },
    )
