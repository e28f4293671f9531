"""`/participation`: who takes part — over time by stakeholder type, by activity type and modality,
Europe vs North America, gender balance with the undeclared count, top cities; a toggle between
summed participations and distinct cities or organisations.

This page is the reference pattern for new pages: layout from `components.page_shell`, one chart
card per question, callbacks of a few lines calling `data.*` then `figures.*`.
"""

from __future__ import annotations

from typing import Any

from dash import Input, callback, html, register_page

from dashboard import components, data, figures, ids, response_cache
from dashboard.i18n import fmt_number, fmt_percent, t

register_page(
    __name__,
    path="/participation",
    name="Participation",
    title="Participation · IURC Impact",
    order=1,
    i18n_key="page.participation",
)

CITIES_PX = 420  # px: the card's graph and its figure (labels fitted to it)
MEASURES = ("participants", "cities", "organisations")
MEASURE_AXIS = {
    "participants": "axis.participations",
    "cities": "axis.cities",
    "organisations": "axis.organisations",
}


def _measure_control(lang: str) -> html.Fieldset:
    return components.measure_toggle(
        ids.PART_MEASURE,
        t("part.measure", lang),
        [
            {"label": t("part.measure.participations", lang), "value": "participants"},
            {"label": t("axis.cities", lang), "value": "cities"},
            {"label": t("axis.organisations", lang), "value": "organisations"},
        ],
        "participants",
    )


def layout(**query: Any) -> html.Div:
    """Return the participation page for the filters and language in the URL."""
    _, lang = components.state_from_query(query)
    return components.page_shell(
        "/participation",
        query,
        [
            html.Div(
                [
                    components.chart_card(
                        ids.PART_TIME_CARD,
                        t("part.over_time", lang),
                        lang,
                        controls=_measure_control(lang),
                        wide=True,
                        xlsx=True,
                        metric="K04",
                    ),
                    components.chart_card(
                        ids.PART_TYPE_CARD, t("part.by_type", lang), lang, xlsx=True, metric="K04"
                    ),
                    components.chart_card(
                        ids.PART_BALANCE_CARD, t("part.balance", lang), lang, metric="K04"
                    ),
                    components.chart_card(
                        ids.PART_GENDER_CARD, t("part.gender", lang), lang, metric="K08"
                    ),
                    components.chart_card(
                        ids.PART_CITIES_CARD,
                        t("part.top_cities", lang),
                        lang,
                        xlsx=True,
                        height=CITIES_PX,
                    ),
                ],
                className="card-grid",
            ),
        ],
        heading_key="page.participation.heading",
    )


components.register_export(ids.PART_TIME_CARD, data.participation_over_time)
components.register_export(ids.PART_TYPE_CARD, data.participation_by_type_modality)
components.register_export(ids.PART_BALANCE_CARD, data.participation_by_region)
components.register_export(
    ids.PART_GENDER_CARD, lambda f, lang: data.gender_balance(f, lang=lang, by="stakeholder_type")
)
components.register_export(
    ids.PART_CITIES_CARD, lambda f, lang: data.top_cities(f, lang=lang, limit=25)
)


@callback(
    *components.card_outputs(ids.PART_TIME_CARD),
    Input(ids.STATE, "data"),
    Input(ids.PART_MEASURE, "value"),
)
@response_cache.cacheable
def update_over_time(state: dict[str, Any], measure: str) -> tuple[Any, ...]:
    """Draw the chosen measure per month, stacked by stakeholder type."""
    filters, lang = components.parse_state(state)
    measure = measure if measure in MEASURES else "participants"
    df = data.participation_over_time(filters, lang=lang, measure=measure)
    df["period"] = df["month"].astype(str).str[:7]
    axis = t(MEASURE_AXIS[measure], lang)
    fig = figures.stacked_bar(
        df,
        "period",
        "value",
        "label",
        lang,
        x_title=t("axis.period", lang),
        y_title=axis,
        legend_title=t("axis.stakeholder", lang),
        stack=bool(df.attrs.get("additive")),
        wide=True,
        height=components.GRAPH_PX,
    )
    # total and largest group are the metric's recounts (a city counts once however many months)
    summary = figures.summary_total_and_top(df, "label", "value", axis, lang)
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "period": t("axis.period", lang),
            "label": t("axis.stakeholder", lang),
            "value": axis,
        },
    )


@callback(*components.card_outputs(ids.PART_TYPE_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_by_type(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw participations per activity type, stacked by modality."""
    filters, lang = components.parse_state(state)
    df = data.participation_by_type_modality(filters, lang=lang)
    fig = figures.stacked_bar(
        df,
        "activity_type_label",
        "participants",
        "modality_label",
        lang,
        horizontal=True,
        y_title=t("axis.participations", lang),
        legend_title=t("axis.modality", lang),
        height=components.GRAPH_PX,
    )
    summary = figures.summary_total_and_top(
        df, "activity_type_label", "participants", t("axis.participations", lang), lang
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "activity_type_label": t("axis.activity_type", lang),
            "modality_label": t("axis.modality", lang),
            "participants": t("axis.participations", lang),
        },
    )


@callback(*components.card_outputs(ids.PART_BALANCE_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_balance(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw participations per country group (EU, Canada, United States, Mexico)."""
    filters, lang = components.parse_state(state)
    df = data.participation_by_region(filters, lang=lang)
    df = df[df["region"].isin(["EU", "NA"])]
    df["label"] = df["label"].where(df["country_group"] != "EU", t("region.EU", lang))
    df["region_label"] = [t(f"region.{r}", lang) for r in df["region"]]
    fig = figures.stacked_bar(
        df,
        "label",
        "participants",
        "region_label",
        lang,
        y_title=t("axis.participations", lang),
        legend_title=t("axis.region", lang),
        colours={
            t("region.EU", lang): figures.REGION_COLOURS["EU"],
            t("region.NA", lang): figures.REGION_COLOURS["NA"],
        },
        height=components.GRAPH_PX,
    )
    # shares of Europe and North America, from the metric's per-region totals
    regions = df.attrs.get("legend_totals", {})
    shares = df.assign(share_label=df["region_label"])
    shares.attrs = {
        **df.attrs,
        "legend_totals": {
            t(f"region.{r}", lang): v for r, v in regions.items() if r in ("EU", "NA")
        },
    }
    summary = figures.summary_shares(shares, "share_label", "participants", lang)
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "label": t("axis.region", lang),
            "participants": t("axis.participations", lang),
            "cities": t("axis.cities", lang),
            "organisations": t("axis.organisations", lang),
        },
    )


@callback(*components.card_outputs(ids.PART_GENDER_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_gender(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw women, men and others, and undeclared participations per stakeholder type."""
    filters, lang = components.parse_state(state)
    df = data.gender_balance(filters, lang=lang, by="stakeholder_type")
    long = figures.gender_long(
        df, t("part.women", lang), t("part.men_other", lang), t("part.undeclared", lang)
    )
    fig = figures.stacked_bar(
        long,
        "label",
        "value",
        "group",
        lang,
        horizontal=True,
        y_title=t("axis.participations", lang),
        colours={
            t("part.women", lang): figures.OKABE_ITO[3],
            t("part.men_other", lang): figures.OKABE_ITO[0],
            t("part.undeclared", lang): "#8c959f",
        },
        height=components.GRAPH_PX,
    )
    # K08 and the undeclared count for the whole selection, recounted by the metric layer
    pct_women = df.attrs.get("pct_women")
    summary = (
        t(
            "sum.gender",
            lang,
            pct=fmt_percent(pct_women, lang),
            undeclared=fmt_number(df.attrs.get("participants_undeclared", 0), lang),
        )
        if pct_women is not None
        else ""
    )
    return components.card_values(
        df,
        fig,
        summary,
        lang,
        filters=filters,
        columns={
            "label": t("axis.stakeholder", lang),
            "women": t("part.women", lang),
            "participants_declared": t("axis.participations", lang),
            "participants_undeclared": t("part.undeclared", lang),
        },
    )


@callback(*components.card_outputs(ids.PART_CITIES_CARD), Input(ids.STATE, "data"))
@response_cache.cacheable
def update_top_cities(state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the fifteen cities with most participations."""
    filters, lang = components.parse_state(state)
    df = data.top_cities(filters, lang=lang, limit=15)
    fig = figures.bar(
        df,
        "name",
        "participants",
        lang,
        horizontal=True,
        y_title=t("axis.participations", lang),
        height=CITIES_PX,
    )
    # the total of the whole selection (every city), not of the cities listed
    summary = figures.summary_total_and_top(
        df, "name", "participants", t("axis.participations", lang), lang
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
            "country_iso2": t("filters.country", lang),
            "participants": t("axis.participations", lang),
            "organisations": t("axis.organisations", lang),
        },
    )
