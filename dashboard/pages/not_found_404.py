"""The page of an address no page serves: the app's own page (header, navigation, footer) with a
short note in the reader's language, instead of Dash's bare "404 - Page not found". Dash's router
shows the page of a module named `not_found_404` for an unknown path; the index response then
carries it (dashboard.initial_page) with the status 404."""

from __future__ import annotations

from typing import Any

from dash import dcc, html, register_page

from dashboard import components
from dashboard.i18n import t
from pipelines.metrics.filters import Filters

NOT_FOUND_PATH = "/404"

register_page(__name__, path=NOT_FOUND_PATH, title="Page not found · IURC Impact", charts=False)


def layout(**query: Any) -> html.Div:
    """Return the not-found page in the language of the address, its filters kept in the
    navigation links (a mistyped address keeps the reader's selection)."""
    _, lang = components.state_from_query(query)
    return components.page_shell(
        NOT_FOUND_PATH,
        query,
        [
            html.P(t("app.not_found_text", lang), className="alert alert-warning"),
            dcc.Link(t("city.back", lang), href=components.href("/", Filters(), lang)),
        ],
        heading=t("app.not_found", lang),
        show_filters=False,
    )
