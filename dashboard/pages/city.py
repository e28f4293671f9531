"""`/city/<city_id>`: one city's profile — its cooperations and partners on the network map, the
activities it hosted and its people attended over time, its stakeholders' participation, its
outputs through their lifecycle with evidence links, funding leveraged, its SDG profile and its
benchmark position. Every figure is a metric of the metric layer for the city scope, each with
the geography basis it is counted on (D12). An unknown id gives a not-found page.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import numpy as np
import pandas as pd
from dash import Input, Output, callback, dcc, html, register_page

from dashboard import chart_margins, components, data, figures, ids, lean_figures, response_cache
from dashboard.aria import aria
from dashboard.i18n import fmt_date, fmt_number, t
from pipelines.metrics.filters import Filters
from pipelines.queries.city import CITY_FIGURES
from pipelines.textsafe import safe_link


def has_profile(city_id: str | None = None, **_: Any) -> bool:
    """Return whether `city_id` names a city of the warehouse (its page draws charts; an unknown
    id gets the not-found page, without).

    Example: has_profile("no-such-city") -> False
    """
    return isinstance(city_id, str) and not data.city_info(city_id).empty


register_page(
    __name__,
    path_template="/city/<city_id>",
    name="City profile",
    title="City profile · IURC Impact",
    charts=has_profile,  # Plotly is loaded for a known city only (dashboard.embedded_layout)
)

STAGES = ("planned_date", "developed_date", "implemented_date", "adopted_date")
GRAPH_PX = 320  # px: a profile graph and its figure (labels fitted to it)
NETWORK_PX = 380
OUTPUTS_SHOWN = 50  # the latest outputs the profile lists (the query cuts the list to them)


def city_path(city_id: str) -> str:
    """Return the profile path of a city (the id as given: it is a slug from the data)."""
    return f"/city/{city_id}"


def city_link(city_id: Any, name: Any, filters: Filters, lang: str) -> Any:
    """Return a link to the city's profile showing its name as text (the name when no id)."""
    if not isinstance(city_id, str) or not city_id:
        return str(name) if name is not None else "–"
    return dcc.Link(str(name), href=components.href(city_path(city_id), filters, lang))


def layout(city_id: str | None = None, **query: Any) -> html.Div:
    """Return the city's profile for the filters and language in the URL, or a not-found page."""
    _, lang = components.state_from_query(query)
    info = data.city_info(city_id, lang=lang) if isinstance(city_id, str) else pd.DataFrame()
    if info.empty:
        return components.page_shell(
            "/city/",
            query,
            [
                html.P(t("city.not_found_text", lang), className="alert alert-warning"),
                dcc.Link(t("city.back", lang), href=components.href("/", Filters(), lang)),
            ],
            heading=t("city.not_found", lang),
        )
    row = info.iloc[0]
    population = (
        t("city.population", lang, n=fmt_number(int(row["population"]), lang))
        if pd.notna(row["population"])
        else ""
    )
    code = str(row["region"])
    region = t(f"region.{code}", lang)
    intro = html.P(
        " · ".join(p for p in (str(row["country"]), region, population) if p),
        className="scope-note",
    )
    return components.page_shell(
        city_path(str(row["city_id"])),
        query,
        [
            dcc.Store(id=ids.CITY_ID, data=str(row["city_id"])),
            dcc.Loading(html.Div(id=ids.CITY_BODY, className="city-profile"), type="dot"),
        ],
        intro=intro,
        heading=str(row["name"]),
    )


def _figure_card(row: dict[Any, Any], lang: str) -> html.Div:
    value = row["value"]
    if value is None or pd.isna(value):
        text = "–"
    elif row["unit"] == "eur":
        text = f"{fmt_number(value, lang)} €"
    else:
        text = fmt_number(value, lang)
    quick = components.quick
    return quick(
        html.Div,
        [
            quick(html.P, text, className="city-figure-value", id=f"city-fig-{row['key']}"),
            quick(html.P, t(f"city.fig.{row['key']}", lang), className="city-figure-label"),
            quick(html.P, t(f"city.basis.{row['geography']}", lang), className="city-figure-basis"),
        ],
        className="city-figure",
        role="listitem",
    )


def _section(title: str, children: list[Any], section_id: str) -> html.Section:
    heading = f"{section_id}-heading"
    return html.Section(
        [html.H2(title, id=heading, className="card-title h5"), *children],
        className="card chart-card wide",
        **aria(labelledby=heading),
    )


def _graph(fig: Any, summary: str, name: str, lang: str) -> list[Any]:
    # drawn as high as the figure was laid out for (its labels fit that height)
    height = fig.layout.height or GRAPH_PX
    return [
        html.Div(
            dcc.Graph(
                figure=lean_figures.browser_figure(fig),
                config=components.graph_config(f"city-{name}", lang),
                style={"height": f"{height}px"},
            ),
            role="figure",
            className="card-graph",
            **aria(label=summary),
        ),
        html.P(summary, className="card-summary"),
    ]


def _partners(partners: pd.DataFrame, filters: Filters, lang: str) -> list[Any]:
    if partners.empty:
        return [html.P(t("city.no_cooperations", lang))]
    items = []
    for coop_id, part in partners.groupby("cooperation_id", sort=False):
        first = part.iloc[0]
        links: list[Any] = []
        for pid, pname in zip(part["partner_id"], part["partner_name"], strict=True):
            links += [", " if links else "", city_link(pid, pname, filters, lang)]
        items.append(
            html.Li(
                [
                    html.Strong(str(first["cooperation_name"])),
                    f" ({first['mode_label']}, {first['network_label']}): ",
                    *links,
                ],
                id=f"city-coop-{coop_id}",
            )
        )
    return [html.Ul(items, className="city-partners")]


def _network(
    network: tuple[pd.DataFrame, pd.DataFrame], figs: dict[str, float], lang: str
) -> list[Any]:
    nodes, edges = network
    fig = figures.cooperation_network(
        nodes, edges, lang, hub_label=t("coop.hub", lang), selected_label="", height=NETWORK_PX
    )
    summary = t(
        "city.network_members",
        lang,
        n=fmt_number(figs["cooperations"], lang),
        cities=fmt_number(figs["member_cities"], lang),
    )
    return _graph(fig, summary, "network", lang)


def _over_time(hosted: pd.DataFrame, attended: pd.DataFrame, lang: str) -> list[Any]:
    hosted_label, attended_label = t("city.hosted", lang), t("city.attended", lang)
    long = pd.DataFrame(
        {
            "year": pd.Series(
                [str(y)[:4] for y in (*hosted["year"], *attended["year"])], dtype=str
            ),
            "value": np.concatenate([hosted["value"].to_numpy(), attended["value"].to_numpy()]),
            "measure": pd.Series(
                [hosted_label] * len(hosted) + [attended_label] * len(attended), dtype=str
            ),
        }
    )
    fig = figures.stacked_bar(
        long,
        "year",
        "value",
        "measure",
        lang,
        stack=False,
        x_title=t("axis.period", lang),
        height=GRAPH_PX,
    )
    summary = t(
        "city.over_time_summary",
        lang,
        hosted=fmt_number(hosted.attrs.get("total") or 0, lang),
        attended=fmt_number(attended.attrs.get("total") or 0, lang),
    )
    return _graph(fig, summary, "over-time", lang)


def _breakdown(df: pd.DataFrame, key: str, lang: str) -> list[Any]:
    column = [c for c in df.columns if c.endswith("_label")]
    label = column[0] if column else df.columns[0]
    df[label] = df[label].astype(str)
    # as high as its categories need: one output's stage is not a bar the card's whole height,
    # and ten SDG names are written on two lines rather than cut
    height = chart_margins.two_line_height(len(df))
    fig = figures.bar(df, label, "value", lang, horizontal=True, height=height)
    summary = figures.summary_total_and_top(df, label, "value", t(f"city.{key}", lang), lang)
    return [
        *_graph(fig, summary, key, lang),
        html.Details(
            [
                html.Summary(t("card.show_table", lang)),
                components.data_table(
                    df,
                    lang,
                    columns={label: t(f"city.{key}", lang), "value": t("axis.count", lang)},
                ),
            ],
            className="card-table",
        ),
    ]


def _outputs(df: pd.DataFrame, filters: Filters, lang: str) -> list[Any]:
    if df.empty:
        return [html.P(t("city.no_outputs", lang))]
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(f"city.col.{c}", lang), scope="col")
                for c in ("title", "type", "status", *STAGES, "taken_up", "evidence")
            ]
        )
    )
    quick = components.quick  # built without Dash's per-call checks: ~500 cells for 50 outputs
    rows = []
    for rec in df.to_dict("records"):
        url = safe_link(rec["evidence_url"])
        evidence: Any = components.evidence_link(url, lang) if url else "–"
        stages = [
            quick(
                html.Td, fmt_date(rec[s], lang) if rec[s] is not None and pd.notna(rec[s]) else "–"
            )
            for s in STAGES
        ]
        rows.append(
            quick(
                html.Tr,
                [
                    quick(html.Th, str(rec["title"]), scope="row"),
                    quick(html.Td, str(rec["output_type_label"])),
                    quick(html.Td, str(rec["status_label"])),
                    *stages,
                    quick(
                        html.Td,
                        components.city_links(
                            rec["taken_up_ids"], rec["taken_up_names"], lang, filters
                        )
                        or "–",
                    ),
                    quick(html.Td, evidence),
                ],
            )
        )
    return [
        html.Div(
            html.Table([head, html.Tbody(rows)], className="table table-sm table-striped"),
            className="table-responsive",
            tabIndex="0",
            role="region",
            **aria(label=t("city.outputs_list", lang)),
        )
    ]


def _benchmark(bench: pd.DataFrame, city_id: str, filters: Filters, lang: str) -> html.P:
    link = dcc.Link(
        t("city.bench_link", lang),
        href=components.href("/benchmarking", filters, lang) + _city_param(city_id, filters, lang),
    )
    composite = bench[bench["input_id"] == "K31"]
    if composite.empty or pd.isna(composite.iloc[0]["score"]):
        return html.P([t("city.bench_none", lang), " ", link], id="city-benchmark")
    row = composite.iloc[0]
    text = t(
        "city.bench_sentence",
        lang,
        score=fmt_number(row["score"], lang, 0),
        band=t(f"bench.band.{int(row['rank_band'])}", lang),
        n=fmt_number(row["peer_count"], lang),
    )
    return html.P([text, " ", link], id="city-benchmark")


def _city_param(city_id: str, filters: Filters, lang: str) -> str:
    return ("&" if components.search_string(filters, lang) else "?") + f"city={city_id}"


# the breakdowns the profile draws: (metric, dimension)
BREAKDOWNS = (
    ("K03", "year"),
    ("K24", "goal"),
    ("K04", "year"),
    ("outputs", "output_status"),
    ("K04", "stakeholder_type"),
)
# headline figures that are the recounted total of a breakdown the profile reads (the same
# metric, city and filters): metric -> that breakdown
HEADLINE_TOTALS = {
    "K03": ("K03", "year"),
    "K04": ("K04", "year"),
    "outputs": ("outputs", "output_status"),
}
# the other headline figures, asked in one statement beside the breakdowns
OTHER_FIGURES = tuple(m for m in CITY_FIGURES.values() if m not in HEADLINE_TOTALS)


def profile_queries(city_id: str, filters: Filters, lang: str) -> dict[Any, Future[Any]]:
    """Return the profile's queries for the city and the filters, each being read on the query
    pool (`data.in_background`): they do not depend on each other, so they run side by side
    while the page draws the sections whose data came first. Keys: "benchmark", "partners",
    "network", "network_figures", "outputs", "figures" (OTHER_FIGURES' values, by metric id),
    and (metric, dimension) of BREAKDOWNS.

    Example: ``profile_queries("turin-it", Filters(), "en")["K03", "year"].result()``
    """
    run = data.in_background
    # the slowest first: the breakdowns scan the largest sources
    pending: dict[Any, Future[Any]] = {}
    pending["figures"] = run(data.metric_totals, OTHER_FIGURES, filters, city=(city_id,))
    for metric_id, by in BREAKDOWNS:
        pending[metric_id, by] = run(
            data.city_breakdown, city_id, filters, metric_id, by, lang=lang
        )
    pending["outputs"] = run(data.city_outputs, city_id, filters, lang=lang, limit=OUTPUTS_SHOWN)
    pending["network"] = run(data.city_network, city_id, filters, lang=lang)
    pending["network_figures"] = run(data.network_figures, filters, city_id=city_id)
    pending["partners"] = run(data.city_partners, city_id, lang=lang)
    pending["benchmark"] = run(data.city_benchmark, city_id, "partners", None, lang=lang)
    return pending


@callback(
    Output(ids.CITY_BODY, "children"),
    Input(ids.STATE, "data"),
    Input(ids.CITY_ID, "data"),
)
@response_cache.cacheable
def update_profile(state: dict[str, Any], city_id: Any) -> list[Any]:
    """Render the profile's sections for the city and the filters."""
    filters, lang = components.parse_state(state)
    if not isinstance(city_id, str):
        return [html.P(t("city.not_found_text", lang))]
    # whether the city exists is read beside the profile's queries, not before them (an unknown
    # id's queries find no rows, and their answers are not used)
    info = data.in_background(data.city_info, city_id, lang=lang)
    pending = profile_queries(city_id, filters, lang)
    if info.result().empty:
        return [html.P(t("city.not_found_text", lang))]

    def got(key: Any) -> Any:
        return pending[key].result()

    # the headline figures: those that are a breakdown's recounted total are not asked again,
    # the others were asked beside the breakdowns
    totals = {m: got(key).attrs["total"] for m, key in HEADLINE_TOTALS.items()}
    totals |= got("figures")
    figs = data.city_figures(city_id, filters, totals=totals)
    return [
        html.Div(
            [_figure_card(r, lang) for r in figs.to_dict("records")],
            className="city-figures",
            role="list",
        ),
        _benchmark(got("benchmark"), city_id, filters, lang),
        html.Div(
            [
                _section(
                    t("city.cooperations", lang),
                    [
                        *_partners(got("partners"), filters, lang),
                        *_network(got("network"), got("network_figures"), lang),
                    ],
                    "city-coop",
                ),
                _section(
                    t("city.over_time", lang),
                    _over_time(got(("K03", "year")), got(("K04", "year")), lang),
                    "city-time",
                ),
                _section(
                    t("city.stakeholders", lang),
                    _breakdown(got(("K04", "stakeholder_type")), "stakeholders", lang),
                    "city-stake",
                ),
                _section(
                    t("city.outputs", lang),
                    [
                        *_breakdown(got(("outputs", "output_status")), "outputs", lang),
                        *_outputs(got("outputs"), filters, lang),
                    ],
                    "city-out",
                ),
                _section(
                    t("city.sdg", lang), _breakdown(got(("K24", "goal")), "sdg", lang), "city-sdg"
                ),
            ],
            className="card-grid",
        ),
    ]
