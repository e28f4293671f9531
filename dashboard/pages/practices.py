"""`/practices`: the best-practice showcase — outputs that reached implementation or adoption, with
their cities (linked to their profiles), cooperation, network and subtheme, cross-cutting
challenge, SDGs, funding leveraged, stage dates and evidence link; searchable, filtered by the
global filters plus an SDG goal and an output type, exported as CSV (formulas neutralised).

Search, goal, type and the result page live in the URL next to the filters
(`?search=heat&goal=11&type=pilot&page=2`). The catalogue is shown PAGE_SIZE practices at a time
(server-side pages of the cached list): drawing all of its up to 500 practices at once made the
page the slowest of the dashboard at 10 M rows (a 1.6 MB layout, ~17 000 components to draw).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, register_page
from dash.dcc.express import send_bytes  # dash.dcc re-exports it through a computed __all__

from dashboard import components, data, ids, page_params, response_cache, static_tree
from dashboard.aria import aria
from dashboard.i18n import fmt_date, fmt_number, t
from pipelines.metrics.filters import Filters
from pipelines.queries.practices import PRACTICES_PAGE_SIZE, practices_listed, practices_matched
from pipelines.textsafe import safe_link

register_page(
    __name__,
    path="/practices",
    name="Best practices",
    title="Best practices · IURC Impact",
    order=6,
    i18n_key="page.practices",
    charts=False,  # Plotly is not loaded for it (dashboard.embedded_layout)
)
PAGE = "practices"
PARAMS = page_params.store_id(PAGE)
STAGES = ("implemented_date", "adopted_date")
PAGE_SIZE = PRACTICES_PAGE_SIZE
PAGER_IDS = (ids.PRAC_PREV, ids.PRAC_PAGER, ids.PRAC_NEXT)  # Previous, status line, Next
MAX_PAGE = 1_000_000  # a forged page number stays a small integer
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
    """Return valid showcase parameters (search text, SDG goal 1-17, output type, result page
    >= 1) from URL/store."""
    raw = raw if isinstance(raw, dict) else {}
    try:
        page = min(MAX_PAGE, max(1, int(raw.get("page") or 1)))
    except (TypeError, ValueError, OverflowError):
        page = 1
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
        "page": page,
    }


def fetch(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    """Return the showcase rows for the filters and the page's search, goal and type."""
    p = clean_params(params)
    return data.practices_list(
        filters, lang=lang, search=p["search"], goal=p["goal"], output_type=p["type"]
    )


def layout(**query: Any) -> html.Div:
    """Return the showcase for the filters, search, goal, type and language in the URL."""
    filters, lang = components.state_from_query(query)
    params = clean_params(query)
    types = data.output_type_options(lang=lang)
    try:  # the first view is in the layout: no callback round trip on load
        listing, status, pager_status, stored, first, last = practices_view(filters, lang, params)
    except FileNotFoundError:  # no warehouse yet: the page shows its warning
        listing, status, pager_status, stored = None, "", t("card.loading", lang), params
        first = last = True
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
            page_params.stores(PAGE, stored),
            html.Section(
                [
                    controls,
                    html.P(status, id=ids.PRAC_STATUS, role="status", **aria(live="polite")),
                    dcc.Loading(html.Div(listing, id=ids.PRAC_LIST), type="dot"),
                    components.pager(
                        PAGER_IDS,
                        pager_status,
                        lang,
                        first=first,
                        last=last,
                    ),
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


def _label(value: Any) -> str:
    # a missing label (None, or NaN from pandas) shows as a dash, never as "nan"
    return str(value) if isinstance(value, str) and value else "–"


def _date(value: Any, lang: str) -> str:
    return fmt_date(value, lang) if value is not None and pd.notna(value) else "–"


def practice_item(rec: dict[Any, Any], filters: Filters, lang: str) -> html.Article:
    """Return one practice as an article: title, facts, cities linked, the other cities that took
    it up (linked), evidence as a safe link."""
    quick = components.quick  # built without Dash's per-call checks: a page is ~600 components
    cities = components.city_links(rec["city_ids"], rec["city_names"], lang, filters)
    taken_up = components.city_links(rec["taken_up_ids"], rec["taken_up_names"], lang, filters)
    url = safe_link(rec["evidence_url"])
    goals = ", ".join(str(g) for g in rec["goals"]) or "–"
    facts = [
        (t("prac.type", lang), str(rec["output_type_label"])),
        (t("city.col.status", lang), str(rec["status_label"])),
        (t("prac.cooperation", lang), _label(rec["cooperation_name"])),
        (t("filters.network", lang), _label(rec["network_label"])),
        (t("filters.subtheme", lang), _label(rec["subtheme_label"])),
        (t("filters.challenge", lang), _label(rec["challenge_label"])),
        (t("prac.goals", lang), goals),
        (t("city.fig.funding_eur", lang), f"{fmt_number(rec['funding_eur'], lang)} €"),
        (t("city.col.implemented_date", lang), _date(rec["implemented_date"], lang)),
        (t("city.col.adopted_date", lang), _date(rec["adopted_date"], lang)),
    ]
    return quick(
        html.Article,
        [
            quick(html.H2, str(rec["title"]), className="h6"),
            quick(html.P, str(rec["description"]), className="practice-description")
            if isinstance(rec["description"], str) and rec["description"]
            else None,
            quick(html.P, [quick(html.Strong, t("prac.cities", lang) + ": "), *cities]),
            quick(
                html.P,
                [quick(html.Strong, t("prac.taken_up_by", lang) + ": "), *taken_up],
                className="practice-take-up",
            )
            if taken_up
            else None,
            quick(
                html.Dl,
                [part for k, v in facts for part in (quick(html.Dt, k), quick(html.Dd, v))],
                className="practice-facts",
            ),
            components.evidence_link(url, lang)
            if url
            else quick(html.P, t("prac.no_evidence", lang)),
        ],
        className="practice",
        id=f"practice-{rec['output_id']}",
    )


def practices_view(filters: Filters, lang: str, raw: dict[str, Any]) -> tuple[Any, ...]:
    """Return one page of the showcase as the page's outputs: the list of practices, the status
    line (practices listed, take-up totals), the pager line, the URL parameters, and whether
    Previous and Next are disabled (a page past the end shows the last one)."""
    params = clean_params(raw)
    # the take-up totals do not depend on the list: read on the query pool beside it
    pending_take_up = data.in_background(data.take_up_totals, filters)
    # only the page's rows are read in full; the list's length comes with them
    shown = data.practices_list(
        filters,
        lang=lang,
        search=params["search"],
        goal=params["goal"],
        output_type=params["type"],
        page=params["page"],
    )
    listed = practices_listed(shown)
    pages = max(1, math.ceil(listed / PAGE_SIZE))
    page = min(params["page"], pages)
    items = [practice_item(r, filters, lang) for r in shown.to_dict("records")]
    matched = practices_matched(shown)
    if not listed:
        status = t("prac.none", lang)
    elif matched > listed:  # the list is cut at PRACTICES_MAX_ROWS: say how many match in all
        status = t(
            "prac.status_cut",
            lang,
            shown=fmt_number(listed, lang),
            n=fmt_number(matched, lang),
        )
    else:
        status = t("prac.status", lang, n=fmt_number(listed, lang))
    take_up = pending_take_up.result()
    # take-up counts by the adopting city's place: under a region or country filter, the cities
    # there that took practices up (from anywhere), not take-up of the practices listed
    counts = {
        "practices": fmt_number(take_up["practices_taken_up"], lang),
        "cities": fmt_number(take_up["adopting_cities"], lang),
    }
    status += " " + (
        t("prac.take_up_here", lang, **counts)
        if filters.geographic
        else t("prac.take_up", lang, **counts)
    )
    pager_status = (
        t(
            "prac.page_line",
            lang,
            first=fmt_number((page - 1) * PAGE_SIZE + 1, lang),
            last=fmt_number(min(listed, page * PAGE_SIZE), lang),
            total=fmt_number(listed, lang),
            page=fmt_number(page, lang),
            pages=fmt_number(pages, lang),
        )
        if listed
        else ""
    )
    url_params = {
        "search": params["search"] or None,
        "goal": params["goal"],
        "type": params["type"],
        "page": page if page > 1 else None,
    }
    # one StaticTree (dashboard.static_tree): a page of practices was some 600 components
    listing = static_tree.frozen(html.Div(items, className="practice-list"))
    return listing, status, pager_status, url_params, page <= 1, page >= pages


@callback(
    Output(ids.PRAC_LIST, "children"),
    Output(ids.PRAC_STATUS, "children"),
    Output(ids.PRAC_PAGER, "children"),
    Output(PARAMS, "data"),
    Output(ids.PRAC_PREV, "disabled"),
    Output(ids.PRAC_NEXT, "disabled"),
    Input(ids.STATE, "data"),
    Input(ids.PRAC_SEARCH, "value"),
    Input(ids.PRAC_GOAL, "value"),
    Input(ids.PRAC_TYPE, "value"),
    Input(ids.PRAC_PREV, "n_clicks"),
    Input(ids.PRAC_NEXT, "n_clicks"),
    State(PARAMS, "data"),
    prevent_initial_call=True,  # the layout shows the first view (practices_view)
)
@response_cache.cacheable
def update_practices(
    state: dict[str, Any],
    search: Any,
    goal: Any,
    kind: Any,
    _prev: int | None,
    _next: int | None,
    stored: Any,
) -> tuple[Any, ...]:
    """List one page of the practices for the filters, search, SDG goal and output type (a
    change of any of them returns to the first page)."""
    filters, lang = components.parse_state(state)
    page = clean_params(stored if isinstance(stored, dict) else None)["page"]
    trigger = ctx.triggered_id if ctx.triggered else None
    # any change but Previous/Next returns to the first page
    page = components.turned_page(page, trigger, PAGER_IDS) or 1
    return practices_view(
        filters, lang, {"search": search, "goal": goal, "type": kind, "page": page}
    )


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
