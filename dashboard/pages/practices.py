"""`/practices`: the best-practice showcase — outputs that reached implementation or adoption, with
their cities (linked to their profiles), cooperation, network and subtheme, cross-cutting
challenge, SDGs, funding leveraged, stage dates and evidence link; searchable, filtered by the
global filters plus an SDG goal and an output type, exported as CSV (formulas neutralised).

Search, goal and type live in the URL next to the filters (`?search=heat&goal=11&type=pilot`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, State, callback, dcc, html, register_page
from dash.dcc.express import send_bytes  # dash.dcc re-exports it through a computed __all__

from dashboard import components, data, ids, page_params, response_cache
from dashboard.aria import aria
from dashboard.i18n import fmt_date, fmt_number, t
from pipelines.metrics.filters import Filters
from pipelines.textsafe import safe_link

register_page(
    __name__,
    path="/practices",
    name="Best practices",
    title="Best practices · IURC Impact",
    order=6,
    i18n_key="page.practices",
)
PAGE = "practices"
PARAMS = page_params.store_id(PAGE)
STAGES = ("implemented_date", "adopted_date")
EXPORT_COLUMNS = (
    "output_id",
    "title",
    "description",
    "output_type",
    "output_type_label",
    "status",
    "cooperation_id",
    "cooperation_name",
    "network_label",
    "subtheme_label",
    "challenge_label",
    "city_ids",
    "city_names",
    "taken_up_ids",
    "taken_up_names",
    "goals",
    "funding_eur",
    "planned_date",
    "developed_date",
    "implemented_date",
    "adopted_date",
    "evidence_url",
)


def clean_params(raw: Any) -> dict[str, Any]:
    """Return valid showcase parameters (search text, SDG goal 1-17, output type) from URL/store."""
    raw = raw if isinstance(raw, dict) else {}
    search = raw.get("search")
    try:
        goal: int | None = int(raw.get("goal") or 0)
    except (TypeError, ValueError, OverflowError):
        goal = None
    kind = raw.get("type")
    return {
        "search": str(search)[:200] if isinstance(search, str | int) else "",
        "goal": goal if goal and 1 <= goal <= 17 else None,
        "type": kind if isinstance(kind, str) and kind.isidentifier() else None,
    }


def fetch(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    """Return the showcase rows for the filters and the page's search, goal and type."""
    p = clean_params(params)
    return data.practices_list(
        filters, lang=lang, search=p["search"], goal=p["goal"], output_type=p["type"]
    )


def layout(**query: Any) -> html.Div:
    """Return the showcase for the filters, search, goal, type and language in the URL."""
    _, lang = components.state_from_query(query)
    params = clean_params(query)
    types = data.output_type_options(lang=lang)
    controls = html.Div(
        [
            _control(
                t("prac.search", lang),
                ids.PRAC_SEARCH,
                dcc.Input(
                    id=ids.PRAC_SEARCH,
                    type="search",
                    value=params["search"],
                    debounce=True,
                    className="form-control",
                    maxLength=200,
                ),
            ),
            _control(
                t("prac.goal", lang),
                ids.PRAC_GOAL,
                dcc.Dropdown(
                    id=ids.PRAC_GOAL,
                    options=[{"label": str(g), "value": g} for g in range(1, 18)],
                    value=params["goal"],
                    placeholder=t("filters.any", lang),
                ),
            ),
            _control(
                t("prac.type", lang),
                ids.PRAC_TYPE,
                dcc.Dropdown(
                    id=ids.PRAC_TYPE,
                    options=[
                        {"label": str(lb), "value": str(v)}
                        for v, lb in zip(types["value"], types["label"], strict=True)
                    ],
                    value=params["type"],
                    placeholder=t("filters.any", lang),
                ),
            ),
            html.Div(
                [
                    html.Button(
                        t("card.download_csv", lang),
                        id=ids.PRAC_CSV,
                        type="button",
                        className="btn btn-sm btn-outline-primary",
                    ),
                    dcc.Download(id=ids.PRAC_DOWNLOAD),
                ],
                className="selection-control",
            ),
        ],
        className="selection-bar",
    )
    return components.page_shell(
        "/practices",
        query,
        [
            page_params.stores(PAGE, params),
            html.Section(
                [
                    controls,
                    html.P(id=ids.PRAC_STATUS, role="status", **aria(live="polite")),
                    dcc.Loading(html.Div(id=ids.PRAC_LIST), type="dot"),
                ],
                className="card chart-card",
                **aria(label=t("page.practices.heading", lang)),
            ),
        ],
        heading_key="page.practices.heading",
        intro=html.P(t("prac.intro", lang), className="scope-note"),
    )


def _control(label: str, control_id: str, control: Any) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="form-label"), control],
        className="selection-control",
    )


def _date(value: Any, lang: str) -> str:
    return fmt_date(value, lang) if value is not None and pd.notna(value) else "–"


def practice_item(rec: dict[Any, Any], filters: Filters, lang: str) -> html.Article:
    """Return one practice as an article: title, facts, cities linked, the other cities that took
    it up (linked), evidence as a safe link."""
    cities = components.city_links(rec["city_ids"], rec["city_names"], lang, filters)
    taken_up = components.city_links(rec["taken_up_ids"], rec["taken_up_names"], lang, filters)
    url = safe_link(rec["evidence_url"])
    goals = ", ".join(str(g) for g in rec["goals"]) or "–"
    facts = [
        (t("prac.type", lang), str(rec["output_type_label"])),
        (t("city.col.status", lang), str(rec["status_label"])),
        (t("prac.cooperation", lang), str(rec["cooperation_name"] or "–")),
        (t("filters.network", lang), str(rec["network_label"] or "–")),
        (t("filters.subtheme", lang), str(rec["subtheme_label"] or "–")),
        (t("filters.challenge", lang), str(rec["challenge_label"] or "–")),
        (t("prac.goals", lang), goals),
        (t("city.fig.funding_eur", lang), f"{fmt_number(rec['funding_eur'], lang)} €"),
        (t("city.col.implemented_date", lang), _date(rec["implemented_date"], lang)),
        (t("city.col.adopted_date", lang), _date(rec["adopted_date"], lang)),
    ]
    return html.Article(
        [
            html.H2(str(rec["title"]), className="h6"),
            html.P(str(rec["description"]), className="practice-description")
            if isinstance(rec["description"], str) and rec["description"]
            else None,
            html.P([html.Strong(t("prac.cities", lang) + ": "), *cities]),
            html.P(
                [html.Strong(t("prac.taken_up_by", lang) + ": "), *taken_up],
                className="practice-take-up",
            )
            if taken_up
            else None,
            html.Dl(
                [part for k, v in facts for part in (html.Dt(k), html.Dd(v))],
                className="practice-facts",
            ),
            html.A(t("city.evidence", lang), href=url, target="_blank", rel="noopener noreferrer")
            if url
            else html.P(t("prac.no_evidence", lang)),
        ],
        className="practice",
        id=f"practice-{rec['output_id']}",
    )


@callback(
    Output(ids.PRAC_LIST, "children"),
    Output(ids.PRAC_STATUS, "children"),
    Output(PARAMS, "data"),
    Input(ids.STATE, "data"),
    Input(ids.PRAC_SEARCH, "value"),
    Input(ids.PRAC_GOAL, "value"),
    Input(ids.PRAC_TYPE, "value"),
)
@response_cache.cacheable
def update_practices(state: dict[str, Any], search: Any, goal: Any, kind: Any) -> tuple[Any, ...]:
    """List the practices for the filters, search, SDG goal and output type."""
    filters, lang = components.parse_state(state)
    params = clean_params({"search": search, "goal": goal, "type": kind})
    df = fetch(filters, lang, params)
    items = [practice_item(r, filters, lang) for r in df.to_dict("records")]
    status = (
        t("prac.status", lang, n=fmt_number(len(df), lang)) if len(df) else t("prac.none", lang)
    )
    take_up = data.take_up_totals(filters)
    status += " " + t(
        "prac.take_up",
        lang,
        practices=fmt_number(take_up["practices_taken_up"], lang),
        cities=fmt_number(take_up["adopting_cities"], lang),
    )
    url_params = {
        "search": params["search"] or None,
        "goal": params["goal"],
        "type": params["type"],
    }
    return html.Div(items, className="practice-list"), status, url_params


@callback(
    Output(ids.PRAC_DOWNLOAD, "data"),
    Input(ids.PRAC_CSV, "n_clicks"),
    State(ids.STATE, "data"),
    State(PARAMS, "data"),
    prevent_initial_call=True,
)
def export_practices(_n: int | None, state: dict[str, Any], stored: Any) -> Any:
    """Send the listed practices as CSV (codes and labels; formulas neutralised)."""
    filters, lang = components.parse_state(state)
    df = fetch(filters, lang, stored if isinstance(stored, dict) else {})
    out = df[list(EXPORT_COLUMNS)].copy()
    for col in ("city_ids", "city_names", "taken_up_ids", "taken_up_names", "goals"):
        out[col] = out[col].map(lambda v: "; ".join(str(x) for x in v))
    return send_bytes(components.to_csv_bytes(out), "iurc-practices.csv")
