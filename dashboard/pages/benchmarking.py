"""`/benchmarking`: a city's 0–100 scores per indicator against a peer group (its partners, its
network, its region, its population band), the peer median and range, its engagement score and
rank band, the missing-data rule, and context indicators kept apart from performance.

The city and the peer group live in the URL (`?city=turin-it&peer=network:innovation`). The
benchmark covers the programme to date, so the global filters do not apply (the page says so).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, State, callback, dcc, html, register_page

from dashboard import components, data, figures, ids, page_params, response_cache
from dashboard.aria import aria
from dashboard.i18n import fmt_number, t, t_source, t_unit
from pipelines.metrics.filters import Filters
from pipelines.queries import PEER_GROUP_TYPES

register_page(
    __name__,
    path="/benchmarking",
    name="Benchmarking",
    title="Benchmarking · IURC Impact",
    order=3,
    i18n_key="page.benchmarking",
)
PAGE = "benchmarking"
PARAMS = page_params.store_id(PAGE)


def _cities(lang: str) -> pd.DataFrame:
    try:
        return data.benchmark_cities(lang=lang)
    except FileNotFoundError:
        return pd.DataFrame(columns=["city_id", "name", "country"])


def peer_label(row: Any, lang: str) -> str:
    """Return the picker label of a peer group, e.g. 'Its region: Europe (31 cities)'."""
    kind, label = row.peer_group_type, str(row.label)
    if kind == "region":
        label = t(f"region.{row.peer_group_id}", lang)
    elif kind == "population_band":
        label = t(f"band.{row.peer_group_id}", lang)
    return t(f"bench.peer.{kind}", lang, label=label, n=fmt_number(row.n_cities, lang))


def peer_options(city_id: str | None, lang: str) -> list[dict[str, str]]:
    """Return the peer-group choices of a city as {'label', 'value': 'type:id'}."""
    if not city_id:
        return []
    groups = data.benchmark_peer_groups(city_id, lang=lang)
    return [
        {"label": peer_label(r, lang), "value": f"{r.peer_group_type}:{r.peer_group_id}"}
        for r in groups.itertuples()
    ]


SCORES_PX = 480  # the scores chart's graph: its card and its figure (labels fitted to it)
DEFAULT_PEER_TYPE = "region"  # more informative than the 2-city partners group


def default_peer(options: list[dict[str, str]]) -> str | None:
    """Return the peer group to show when none is chosen: the city's region, else the first."""
    regions = [o["value"] for o in options if o["value"].startswith(DEFAULT_PEER_TYPE + ":")]
    return regions[0] if regions else options[0]["value"] if options else None


def parse_peer(value: str | None) -> tuple[str, str | None]:
    """Return (peer_group_type, peer_group_id) from 'type:id' (default: the city's region)."""
    kind, _, group = str(value or "").partition(":")
    return (kind, group or None) if kind in PEER_GROUP_TYPES else (DEFAULT_PEER_TYPE, None)


def _selection(params: dict[str, Any] | None) -> tuple[str | None, str, str | None]:
    params = params or {}
    return (params.get("city") or None, *parse_peer(params.get("peer")))


def layout(**query: Any) -> html.Div:
    """Return the benchmarking page for the city, peer group and language in the URL."""
    _, lang = components.state_from_query(query)
    cities = _cities(lang)
    city = (
        query.get("city")
        if query.get("city") in set(cities["city_id"])
        else (cities["city_id"].iloc[0] if not cities.empty else None)
    )
    options = peer_options(city, lang)
    values = {o["value"] for o in options}
    peer = query.get("peer") if query.get("peer") in values else default_peer(options)
    controls = html.Div(
        [
            html.Div(
                [
                    html.Label(
                        t("bench.city", lang), htmlFor=ids.BENCH_CITY, className="form-label"
                    ),
                    dcc.Dropdown(
                        id=ids.BENCH_CITY,
                        value=city,
                        clearable=False,
                        options=[
                            {"label": f"{r.name} ({r.country})", "value": r.city_id}
                            for r in cities.itertuples()
                        ],
                    ),
                ],
                className="selection-control",
            ),
            html.Div(
                [
                    html.Label(
                        t("bench.peer", lang), htmlFor=ids.BENCH_PEER, className="form-label"
                    ),
                    dcc.Dropdown(
                        id=ids.BENCH_PEER,
                        value=peer,
                        options=options,
                        clearable=False,
                        searchable=False,
                    ),
                ],
                className="selection-control wide",
            ),
        ],
        className="selection-bar",
        role="group",
        **aria(label=t("bench.peer", lang)),
    )
    intro = html.Div(
        [
            html.P(t("bench.scope_note", lang), className="scope-note"),
            controls,
            html.P(t("bench.missing_rule", lang), className="rule-note", id="bench-missing-rule"),
            html.P(t("bench.method_note", lang), className="card-note"),
            html.P(
                t("card.loading", lang),
                id=ids.BENCH_VERDICT,
                className="verdict",
                **aria(live="polite"),
            ),
        ]
    )
    context_body = html.Div(id=ids.BENCH_CONTEXT_TABLE)
    return components.page_shell(
        "/benchmarking",
        query,
        [
            page_params.stores(PAGE, {"city": city, "peer": peer}),
            html.Div(
                [
                    page_params.card(
                        ids.BENCH_SCORES_CARD,
                        t("bench.scores", lang),
                        lang,
                        xlsx=True,
                        height=SCORES_PX,
                        note=t("bench.missing_rule", lang),
                    ),
                    page_params.card(
                        ids.BENCH_RANKING_CARD,
                        t("bench.ranking", lang),
                        lang,
                        xlsx=True,
                        height=520,  # until the ranking's callback sets its own height
                    ),
                ],
                className="card-grid two",
            ),
            page_params.table_card(
                ids.BENCH_CONTEXT_CARD,
                t("bench.context", lang),
                lang,
                context_body,
                note=t("bench.context_note", lang),
                summary_id=ids.BENCH_CONTEXT_SUMMARY,
            ),
        ],
        heading_key="page.benchmarking.heading",
        intro=intro,
        show_filters=False,  # the benchmark covers the programme to date: no filter applies
    )


def _scores(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    city, kind, group = _selection(params)
    return data.city_benchmark(city, kind, group, lang=lang) if city else pd.DataFrame()


def _ranking(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    city, kind, group = _selection(params)
    return data.benchmark_ranking(city, kind, group) if city else pd.DataFrame()


def _context(filters: Filters, lang: str, params: dict[str, Any]) -> pd.DataFrame:
    city, _, _ = _selection(params)
    if not city:
        return pd.DataFrame()
    df = data.city_context(city)
    df.insert(
        1, "metric_label", [t(f"ctx.{m}", lang) if f"ctx.{m}" in _CTX else m for m in df["metric"]]
    )
    return df


_CTX = {
    f"ctx.{m}"
    for m in (
        "population",
        "population_density",
        "gdp_per_capita",
        "co2_per_capita",
        "green_space_share",
    )
}

page_params.register_export(ids.BENCH_SCORES_CARD, _scores)
page_params.register_export(ids.BENCH_RANKING_CARD, _ranking)
page_params.register_export(ids.BENCH_CONTEXT_CARD, _context)


@callback(
    Output(ids.BENCH_PEER, "options"),
    Output(ids.BENCH_PEER, "value"),
    Input(ids.BENCH_CITY, "value"),
    State(ids.BENCH_PEER, "value"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
)
@response_cache.cacheable
def update_peer_choices(
    city: str | None, peer: str | None, state: dict[str, Any]
) -> tuple[Any, ...]:
    """Offer the chosen city's peer groups, keeping the same kind of group when possible."""
    _, lang = components.parse_state(state)
    options = peer_options(city, lang)
    kind = parse_peer(peer)[0]
    same_kind = [o["value"] for o in options if o["value"].startswith(kind + ":")]
    return options, (same_kind[0] if same_kind else default_peer(options))


@callback(
    Output(PARAMS, "data"),
    Input(ids.BENCH_CITY, "value"),
    Input(ids.BENCH_PEER, "value"),
    prevent_initial_call=True,
)
def remember_selection(city: str | None, peer: str | None) -> dict[str, Any]:
    """Keep the city and peer group in the page parameters (hence the URL)."""
    return {"city": city, "peer": peer}


def verdict(df: pd.DataFrame, city_name: str, lang: str) -> str:
    """Return the sentence on the composite score: score, rank band, peer median, or why none."""
    ids = df["input_id"].tolist() if not df.empty else []
    if "K31" not in ids:
        return t("card.empty_hint", lang)
    k = df.iloc[ids.index("K31")]  # the first K31 row (no filtered copy of the whole frame)
    reason = k.get("no_score_reason")
    if pd.isna(k["score"]) and reason == "too_few_peers":
        return t(
            "sum.bench_too_few",
            lang,
            city=city_name,
            scored=fmt_number(k["n_scored_cities"], lang),
            n=fmt_number(k["peer_count"], lang),
            min=fmt_number(k["min_scored_peers"], lang),
        )
    if pd.isna(k["score"]) and reason == "no_discriminating_inputs":
        return t("sum.bench_no_inputs", lang, city=city_name)
    if pd.isna(k["score"]):
        return t(
            "sum.bench_missing",
            lang,
            city=city_name,
            missing=fmt_number(k["n_missing"], lang),
            inputs=fmt_number(k["n_inputs"], lang),
        )
    band = (
        t(f"bench.band.{int(k['rank_band'])}", lang)
        if pd.notna(k["rank_band"])
        else t("bench.band.none", lang)
    )
    return t(
        "sum.bench",
        lang,
        city=city_name,
        score=fmt_number(k["score"], lang),
        band=band,
        n=fmt_number(k["n_scored_cities"], lang),
        median=fmt_number(k["peer_median_score"], lang),
    )


def inputs_summary(df: pd.DataFrame, lang: str) -> str:
    """Return which indicators sit above and below the peer median."""
    if df.empty:
        return t("card.empty_hint", lang)
    # read column by column: filtered copies of the whole frame cost ~1 ms each
    inputs = [i for i, input_id in enumerate(df["input_id"].tolist()) if input_id != "K31"]
    labels = df["label"].tolist()
    score = df["score"].to_numpy(dtype="float64")
    median = df["peer_median_score"].to_numpy(dtype="float64")
    above = [str(labels[i]) for i in inputs if score[i] > median[i]]  # False when either is NaN
    below = [str(labels[i]) for i in inputs if score[i] < median[i]]
    text = t(
        "sum.bench_inputs",
        lang,
        above=", ".join(above) or t("sum.none", lang),
        below=", ".join(below) or t("sum.none", lang),
    )
    if "input_status" in df.columns:
        status = df["input_status"].tolist()
        flat = [str(labels[i]) for i in inputs if status[i] == "not_discriminating"]
        if flat:
            text += " " + t("sum.bench_not_discriminating", lang, inputs=", ".join(flat))
    return text


@callback(
    *components.card_outputs(ids.BENCH_SCORES_CARD),
    Output(ids.BENCH_VERDICT, "children"),
    Input(PARAMS, "data"),
    Input(ids.STATE, "data"),
)
@response_cache.cacheable
def update_scores(params: dict[str, Any], state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw the city's scores per indicator against the peer range and median."""
    filters, lang = components.parse_state(state)
    city, _, _ = _selection(params)
    if city is None:
        return (
            figures.empty_figure(lang, "bench.no_city"),
            t("bench.no_city", lang),
            [],
            t("bench.no_city", lang),
        )
    # the city's name is read on the query pool beside its scores
    pending_cities = data.in_background(data.benchmark_cities, lang=lang)
    df = _scores(filters, lang, params)
    names = pending_cities.result().set_index("city_id")["name"]
    name = str(names.get(city, city))
    fig = figures.benchmark_scores(
        df,
        lang,
        city_label=name,
        median_label=t("bench.peer_median", lang),
        range_label=t("bench.peer_range", lang),
        missing_label=t("bench.missing", lang),
        score_title=t("axis.score", lang),
        not_discriminating_label=t("bench.not_discriminating", lang),
        no_score_label=t("bench.no_score", lang),
        height=SCORES_PX,
    )
    if "input_status" in df.columns:
        df = df.assign(
            status=[
                t(f"bench.status.{v}", lang) if isinstance(v, str) else ""
                for v in df["input_status"]
            ]
        )
    sentence = verdict(df, name, lang)
    summary = sentence + " " + inputs_summary(df, lang) if not df.empty else ""
    return (
        *components.card_values(
            df,
            fig,
            summary,
            lang,
            columns={
                "label": t("axis.kpi", lang),
                "value": t("axis.value", lang),
                "score": t("bench.city_score", lang),
                "status": t("bench.status", lang),
                "peer_median_score": t("bench.peer_median", lang),
                "peer_min_score": t("bench.peer_min", lang),
                "peer_max_score": t("bench.peer_max", lang),
            },
        ),
        sentence,
    )


def ranking_summary(df: pd.DataFrame, lang: str) -> str:
    """Return the group size (cities, scored, minimum), its best score and the selected city's
    rank band."""
    if df.empty:
        return t("card.empty_hint", lang)
    best = df.dropna(subset=["score"])
    chosen = df[df["is_selected"]]
    band = chosen["rank_band"].iloc[0] if not chosen.empty else None
    size = (
        t(
            "sum.ranking_size",
            lang,
            n=fmt_number(df["peer_count"].iloc[0], lang),
            scored=fmt_number(df["n_scored_cities"].iloc[0], lang),
            min=fmt_number(df["min_scored_peers"].iloc[0], lang),
        )
        if "peer_count" in df.columns
        else ""
    )
    if best.empty:
        return size or t("sum.ranking_size", lang, n=fmt_number(len(df), lang), scored="0", min="–")
    text = t(
        "sum.ranking",
        lang,
        n=fmt_number(len(df), lang),
        top=fmt_number(best["score"].max(), lang),
        city=str(best["name"].iloc[0]),
        band=t(f"bench.band.{int(band)}", lang)
        if band is not None and pd.notna(band)
        else t("bench.band.none", lang),
    )
    return f"{size} {text}".strip()


@callback(
    *components.card_outputs(ids.BENCH_RANKING_CARD),
    Output(components.card_id(ids.CARD_GRAPH, ids.BENCH_RANKING_CARD), "style"),
    Input(PARAMS, "data"),
    Input(ids.STATE, "data"),
)
@response_cache.cacheable
def update_ranking(params: dict[str, Any], state: dict[str, Any]) -> tuple[Any, ...]:
    """Draw every city of the peer group by engagement score, the selected one marked, in a
    graph tall enough to name every city."""
    filters, lang = components.parse_state(state)
    df = _ranking(filters, lang, params)
    if not df.empty:
        df["band"] = [
            t(f"bench.band.{int(b)}", lang) if pd.notna(b) else t("bench.band.none", lang)
            for b in df["rank_band"]
        ]
    height = figures.ranking_height(len(df))  # the graph's and its figure's: labels fit it
    fig = figures.benchmark_ranking(
        df,
        lang,
        selected_label=t("bench.selected", lang),
        others_label=t("bench.others", lang),
        missing_label=t("bench.no_score", lang),
        score_title=t("axis.score", lang),
        height=height,
    )
    style = {"height": f"{height}px"}
    return *components.card_values(
        df,
        fig,
        ranking_summary(df, lang),
        lang,
        city_links=True,
        columns={
            "name": t("axis.city", lang),
            "score": t("axis.score", lang),
            "band": t("axis.band", lang),
            "n_missing": t("bench.missing", lang),
        },
    ), style


@callback(
    Output(ids.BENCH_CONTEXT_TABLE, "children"),
    Output(ids.BENCH_CONTEXT_SUMMARY, "children"),
    Input(PARAMS, "data"),
    Input(ids.STATE, "data"),
)
@response_cache.cacheable
def update_context(params: dict[str, Any], state: dict[str, Any]) -> tuple[Any, ...]:
    """List the city's context indicators (latest year each), apart from performance."""
    filters, lang = components.parse_state(state)
    df = _context(filters, lang, params)
    if df.empty:
        return components.data_table(df, lang), t("card.empty_hint", lang)
    df["value_text"] = [fmt_number(v, lang, 0 if float(v).is_integer() else 2) for v in df["value"]]
    df["year"] = df["year"].astype("Int64").astype(str)  # a year, not a quantity: no separator
    df["unit"] = [t_unit(u, lang) for u in df["unit"]]
    df["source"] = [t_source(s, lang) for s in df["source"]]
    city, _, _ = _selection(params)
    name = data.benchmark_cities(lang=lang).set_index("city_id")["name"].get(city, city)
    table = components.data_table(
        df,
        lang,
        columns={
            "metric_label": t("axis.metric", lang),
            "value_text": t("axis.value", lang),
            "unit": t("axis.unit", lang),
            "year": t("axis.year", lang),
            "source": t("axis.source", lang),
        },
        under={"source": "metric_label"},  # on a phone: the source under its indicator
    )
    return table, t("sum.context", lang, n=fmt_number(len(df), lang), city=str(name))
