"""`/sdg`: SDG profile in official colours (primary-only or fractional), network × goal heatmap,
goal → target drill-down, target coverage, and tags by method and review status.

Its figures count validated tags (D9) unless the switch includes unreviewed suggestions; the
switch and the tagging-method filter are the declared `review` and `method` filters, so they live
in the URL and reach every query like the filter bar's. With suggestions included, a badge at the
top and every card's summary say so."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
from dash import (
    ALL,
    Input,
    Output,
    State,
    callback,
    ctx,
    dcc,
    html,
    no_update,
    register_page,
    stringify_id,
)
from dash.exceptions import PreventUpdate

from dashboard import components, data, figures, ids, response_cache
from dashboard.i18n import t
from pipelines.metrics.filters import WITH_SUGGESTIONS, Filters

register_page(
    __name__, path="/sdg", name="SDGs", title="SDGs · IURC Impact", order=2, i18n_key="page.sdg"
)

PROFILE_PX = COVERAGE_PX = 480  # px: the card's graph and its figure (labels fitted to it)
HEATMAP_PX = 300
TARGETS_PX = 420
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


def _all(component_id: dict[str, str]) -> dict[str, Any]:
    """Return the wildcard form of one of the page's own dict ids (every such component)."""
    return {**component_id, "page": ALL}


def _tag_controls(filters: Filters, lang: str) -> html.Div:
    """Return the switch (accepted tags only / include suggested) and the tagging-method filter."""
    try:
        methods = data.filter_options(lang).get("method", [])
    except FileNotFoundError:  # no warehouse yet: the page still builds
        methods = []
    return html.Div(
        [
            html.Fieldset(
                [
                    html.Legend(t("sdg.basis", lang), className="form-label h6"),
                    dcc.RadioItems(
                        id=ids.SDG_REVIEW,
                        value="all" if filters.includes_suggestions else "validated",
                        inline=True,
                        className="card-options",
                        options=[
                            {"label": t("sdg.basis.validated", lang), "value": "validated"},
                            {"label": t("sdg.basis.all", lang), "value": "all"},
                        ],
                    ),
                ]
            ),
            html.Div(
                [
                    html.Label(
                        t("filters.method", lang),
                        htmlFor=stringify_id(ids.SDG_TAG_METHOD),
                        className="form-label",
                    ),
                    dcc.Dropdown(
                        id=ids.SDG_TAG_METHOD,
                        options=methods,
                        value=list(filters.method),
                        multi=True,
                        placeholder=t("filters.any", lang),
                    ),
                ],
                className="card-options",
            ),
            html.P(
                _basis_text(filters, lang),
                id=ids.SDG_BASIS,
                className=_basis_class(filters),
                role="status",
            ),
        ],
        className="sdg-basis-controls",
    )


def _basis_text(filters: Filters, lang: str) -> str:
    """Return the sentence saying which tags the page counts (the badge and the figures' note)."""
    if filters.includes_suggestions:
        return t("sdg.basis.note_all", lang)
    return t("sdg.basis.note", lang)


def _basis_class(filters: Filters) -> str:
    return "badge-suggested" if filters.includes_suggestions else "basis-note"


def _tag_card(
    df: pd.DataFrame,
    fig: Any,
    summary: str,
    filters: Filters,
    lang: str,
    columns: dict[str, str],
) -> tuple[Any, ...]:
    """Return the values of a card counting SDG tags (`components.card_values`), the summary
    starting with the badge when suggestions count."""
    fig, summary, table = components.card_values(
        df, fig, summary, lang, filters=filters, columns=columns
    )
    if filters.includes_suggestions:
        badge = t("sdg.basis.badge", lang)
        summary = f"{badge} {summary}"
    return fig, summary, table


def _goal_control(lang: str) -> html.Div:
    try:
        goals = data.sdg_goal_options(lang=lang)
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
    filters, lang = components.state_from_query(query)
    return components.page_shell(
        "/sdg",
        query,
        [
            _tag_controls(filters, lang),
            html.Div(
                [
                    components.chart_card(
                        ids.SDG_PROFILE_CARD,
                        t("sdg.profile", lang),
                        lang,
                        height=PROFILE_PX,
                        controls=_method_control(lang),
                        note=t("sdg.colours_note", lang),
                    ),
                    components.chart_card(
                        ids.SDG_COVERAGE_CARD,
                        t("sdg.coverage", lang),
                        lang,
                        height=COVERAGE_PX,
                        metric="K24",
                    ),
                ],
                className="card-grid two",
            ),
            components.chart_card(
                ids.SDG_HEATMAP_CARD,
                t("sdg.heatmap", lang),
                lang,
                height=HEATMAP_PX,
                xlsx=True,
                wide=True,
            ),
            html.Div(
                [
                    components.chart_card(
                        ids.SDG_TARGETS_CARD,
                        t("sdg.targets", lang),
                        lang,
                        height=TARGETS_PX,
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


@callback(
    Output(ids.STATE, "data", allow_duplicate=True),
    Output({"type": ids.NAV_LINK, "page": ALL}, "href", allow_duplicate=True),
    Output({"type": ids.LANG_LINK, "lang": ALL}, "href", allow_duplicate=True),
    Output(ids.FILTER_STATUS, "children", allow_duplicate=True),
    Output(_all(ids.SDG_BASIS), "children"),
    Output(_all(ids.SDG_BASIS), "className"),
    Output(_all(ids.SDG_REVIEW), "value"),
    Output(_all(ids.SDG_TAG_METHOD), "value"),
    Input(_all(ids.SDG_REVIEW), "value"),
    Input(_all(ids.SDG_TAG_METHOD), "value"),
    Input(ids.F_RESET, "n_clicks"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
)
def set_tag_filters(
    bases: list[Any], method_values: list[Any], reset_clicks: Any, state: dict[str, Any]
) -> tuple[Any, ...]:
    """Write the switch and the method filter into the filter state (URL, links) and the badge.

    "Reset filters" returns the switch to accepted tags and clears the method filter here (the
    bar's reset clears them in the state); the state is then left to the reset. On a page
    without the switch (`bases` empty) nothing changes.
    """
    if not bases:
        raise PreventUpdate
    basis, methods = bases[0], method_values[0] if method_values else []
    filters, lang = components.parse_state(state)
    triggered = list(ctx.triggered_prop_ids.values())
    if reset_clicks and triggered and all(i == ids.F_RESET for i in triggered):
        cleared = Filters()
        return (
            no_update,
            [no_update] * len(ctx.outputs_list[1]),
            [no_update] * len(ctx.outputs_list[2]),
            no_update,
            [_basis_text(cleared, lang)],
            [_basis_class(cleared)],
            ["validated"],
            [[]],
        )
    query = {
        "review": ",".join(WITH_SUGGESTIONS) if basis == "all" else "",
        "method": ",".join(
            m for m in (methods if isinstance(methods, list) else []) if isinstance(m, str)
        ),
    }
    parsed = Filters.from_query(query)  # the URL form validates the values
    filters = dataclasses.replace(filters, review=parsed.review, method=parsed.method)
    new_state, nav, langs = components.state_and_links(filters, state)
    status = components.describe_filters(filters, lang, data.filter_options(lang))
    return (
        new_state,
        nav,
        langs,
        status,
        [_basis_text(filters, lang)],
        [_basis_class(filters)],
        [no_update],
        [no_update],
    )


components.register_export(ids.SDG_PROFILE_CARD, data.sdg_profile)
components.register_export(ids.SDG_HEATMAP_CARD, data.sdg_network_heatmap)
components.register_export(ids.SDG_COVERAGE_CARD, data.sdg_coverage)
components.register_export(ids.SDG_REVIEW_CARD, lambda f, lang: data.sdg_tags_by_method_status(f))
components.register_export(
    ids.SDG_TARGETS_CARD,
    lambda f, lang: data.sdg_targets(f, 11, entity_type="activity", lang=lang),
)


@callback(
    *components.card_outputs(ids.SDG_PROFILE_CARD),
    Input(ids.STATE, "data"),
    Input(ids.SDG_METHOD, "value"),
)
@response_cache.cacheable
def update_profile(state: dict[str, Any], method: str) -> tuple[Any, ...]:
    """Draw activities per SDG goal, counted primary-only or fractionally."""
    filters, lang = components.parse_state(state)
    df = data.sdg_profile(filters, lang=lang, method=method if method in METHODS else "primary")
    df = df[df["value"] > 0]
    axis = t("sdg.activities_share", lang)
    fig = figures.sdg_profile(df, lang, value_title=axis, height=PROFILE_PX)
    summary = figures.summary_total_and_top(df, "label", "value", axis, lang)
    return _tag_card(
        df,
        fig,
        summary,
        filters,
        lang,
        {
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
@response_cache.cacheable
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
        height=HEATMAP_PX,
    )
    summary = figures.summary_heatmap(
        df, "network_label", "goal_label", "value", lang, t("axis.activities", lang)
    )
    return _tag_card(
        df,
        fig,
        summary,
        filters,
        lang,
        {
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
@response_cache.cacheable
def update_targets(state: dict[str, Any], goal: int | None) -> tuple[Any, ...]:
    """Draw the targets of the chosen goal: validated and suggested-only tags."""
    filters, lang = components.parse_state(state)
    df = data.sdg_targets(filters, int(goal or 11), entity_type="activity", lang=lang)
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
        y_title=t("axis.activities", lang),
        height=TARGETS_PX,
    )
    summary = figures.summary_total_and_top(
        df, "target_id", "validated_entities", t("sdg.activities_with_target", lang), lang
    )
    return _tag_card(
        df,
        fig,
        summary,
        filters,
        lang,
        {
            "target_id": t("axis.target", lang),
            "label": t("axis.target", lang),
            "validated_entities": t("sdg.validated", lang),
            "suggested_entities": t("sdg.suggested_only", lang),
        },
    )


@callback(*components.card_outputs(ids.SDG_COVERAGE_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_coverage(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the share of each goal's targets addressed by validated tags."""
    filters, lang = components.parse_state(state)
    df = data.sdg_coverage(filters, lang=lang)
    fig = figures.sdg_profile(
        df.rename(columns={"pct_covered": "pct"}),
        lang,
        value="pct",
        value_title=t("sdg.covered_share", lang),
        percent=True,
        height=COVERAGE_PX,
    )
    summary = figures.summary_total_and_top(
        df, "label", "targets_covered", t("sdg.covered", lang), lang
    )
    return _tag_card(
        df,
        fig,
        summary,
        filters,
        lang,
        {
            "goal": t("axis.goal", lang),
            "label": t("axis.goal", lang),
            "targets_covered": t("sdg.covered", lang),
            "targets_total": t("axis.count", lang),
            "pct_covered": t("axis.share", lang),
        },
    )


@callback(*components.card_outputs(ids.SDG_REVIEW_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_review(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw tag counts by method, stacked by review status."""
    filters, lang = components.parse_state(state)
    df = data.sdg_tags_by_method_status(filters)
    df["method_label"] = [t(f"sdg.tag.{m}", lang) for m in df["method"]]
    df["status_label"] = [t(f"sdg.tag.{s}", lang) for s in df["status"]]
    # the recounted total per status, keyed by the label the legend shows
    df.attrs["legend_totals"] = {
        t(f"sdg.tag.{s}", lang): v for s, v in df.attrs.get("legend_totals", {}).items()
    }
    fig = figures.stacked_bar(
        df,
        "method_label",
        "tags",
        "status_label",
        lang,
        x_title=t("axis.method", lang),
        y_title=t("axis.tags", lang),
        height=components.GRAPH_PX,
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
