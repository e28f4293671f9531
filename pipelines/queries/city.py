"""One city's profile: who it is, its cooperations and partners, and its figures from the metric layer.

Every figure is a declared metric read for the city scope (`metric_frame(..., city=(city_id,))`),
so its geography basis (D12) is the metric's: activities hosted count at the host city,
participations at the participant's city, outputs and funding at the cities of the output's
cooperation (or its own city). `CITY_FIGURES` names the basis of each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters
from pipelines.queries._sql import fetch, label_col, where
from pipelines.queries.metrics import describe, groups, metric_frame, metric_totals, total_row
from pipelines.queries.practices import take_up_sql

# headline figures of a city profile: key -> metric
CITY_FIGURES = {
    "activities_hosted": "K03",
    "participations": "K04",
    "organisations": "K05",
    "outputs": "outputs",
    "plans_taken_up": "K17",
    # take-up by this city: the practices of other cities it adopted (basis: the adopting city)
    "practices_taken_up": "practices_taken_up",
    "funding_eur": "K20",
}


def city_info(con: duckdb.DuckDBPyConnection, city_id: str, *, lang: str = "en") -> pd.DataFrame:
    """Return the city's identity (empty for an unknown id).

    Columns: city_id, name, country_iso2, country, region, population, population_year.

    Example: ``city_info(con, "turin-it", lang="fr")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select c.city_id, c.name, c.country_iso2, coalesce(r.{lab}, c.country_iso2) as country,
            c.region, c.population, c.population_year
        from mart.city as c
        left join ref.country as r on r.country_iso2 = c.country_iso2
        where c.city_id = ?
        """,
        [city_id],
    )


def city_partners(
    con: duckdb.DuckDBPyConnection, city_id: str, *, lang: str = "en"
) -> pd.DataFrame:
    """Return the city's cooperations, one row per partner city (the city itself left out).

    Columns: cooperation_id, cooperation_name, mode, mode_label, network_label, partner_id,
    partner_name, partner_country_iso2.

    Example: ``city_partners(con, "turin-it")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select c.cooperation_id, c.name as cooperation_name, c.mode, m.{lab} as mode_label,
            n.{lab} as network_label, p.city_id as partner_id, p.name as partner_name,
            p.country_iso2 as partner_country_iso2
        from mart.cooperation_register as c
        cross join unnest(c.city_ids) as u(partner_id)
        join mart.city as p on p.city_id = u.partner_id
        left join ref.cooperation_mode as m on m.mode_id = c.mode
        left join ref.network as n on n.network_id = c.network_id
        where list_contains(c.city_ids, ?) and p.city_id <> ?
        order by m.sort_order, c.name, p.name
        """,
        [city_id, city_id],
    )


def city_figures(
    con: duckdb.DuckDBPyConnection,
    city_id: str,
    filters: Filters,
    *,
    totals: Mapping[str, float | None] | None = None,
) -> pd.DataFrame:
    """Return the profile's headline figures for the city under the filters.

    Columns: key (of CITY_FIGURES), metric, unit, geography (the metric's basis), value (None
    when undefined). `totals` are figures of CITY_FIGURES' metrics the caller already read from
    the metric layer for the same city and filters (a `city_breakdown`'s attrs['total'], the
    recounted total of its frame), by metric id: they are taken as they are, not asked again.

    Example: ``city_figures(con, "austin-us", Filters(), totals={"K03": 12.0})``
    """
    known = {m: v for m, v in (totals or {}).items() if m in CITY_FIGURES.values()}
    asked = [m for m in CITY_FIGURES.values() if m not in known]
    values = {**known, **metric_totals(con, asked, filters, city=(city_id,))}
    rows: list[dict[str, Any]] = []
    for key, metric_id in CITY_FIGURES.items():
        spec = describe(metric_id)
        rows.append(
            {
                "key": key,
                "metric": metric_id,
                "unit": spec["unit"],
                "geography": spec["geography"],
                "value": values[metric_id],
            }
        )
    return pd.DataFrame(rows)


def city_breakdown(
    con: duckdb.DuckDBPyConnection,
    city_id: str,
    filters: Filters,
    metric_id: str,
    by: str,
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """Return one metric for the city broken down by one dimension, its total in attrs['total'].

    Example: ``city_breakdown(con, "turin-it", Filters(), "K04", "stakeholder_type")``
    """
    frame = metric_frame(con, metric_id, filters, by=(by,), city=(city_id,), lang=lang)
    rows = groups(frame)
    total = total_row(frame)["value"] if frame["is_total"].any() else None
    rows.attrs["total"] = None if total is None or pd.isna(total) else float(total)
    return rows


def city_outputs(
    con: duckdb.DuckDBPyConnection,
    city_id: str,
    filters: Filters,
    *,
    lang: str = "en",
    limit: int | None = None,
) -> pd.DataFrame:
    """Return the outputs that count for the city (D12: its cooperations' or its own), with each
    stage date and the evidence link, latest first; the first `limit` of them when given.

    Columns: output_id, title, output_type_label, status, status_label, planned_date,
    developed_date, implemented_date, adopted_date, evidence_url, taken_up_ids, taken_up_names
    (the other cities that adopted it, lists in the same order).

    Example: ``city_outputs(con, "turin-it", Filters(), limit=50)``
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError("limit must be a non-negative integer or None")
    lab = label_col(lang)
    clause, params = where(filters, alias="o", geo="list")
    take_up, take_up_params = take_up_sql(filters, among="listed")
    # the city's outputs are chosen (and cut to `limit`) first; take-up is gathered for those only
    return fetch(
        con,
        f"""
        with listed as (
            select o.output_id, o.title, o.output_type, o.status, o.planned_date,
                o.developed_date, o.implemented_date, o.adopted_date, o.evidence_url,
                o.reference_date
            from mart.output_register as o
            where list_contains(o.city_ids, ?) and {clause}
            order by o.reference_date desc nulls last, o.output_id
            limit ?
        ),
        take_up as ({take_up})
        select o.output_id, o.title, t.{lab} as output_type_label, o.status,
            s.{lab} as status_label, o.planned_date, o.developed_date, o.implemented_date,
            o.adopted_date, o.evidence_url, coalesce(tu.taken_up_ids, []) as taken_up_ids,
            coalesce(tu.taken_up_names, []) as taken_up_names
        from listed as o
        left join take_up as tu on tu.output_id = o.output_id
        left join ref.output_type as t on t.output_type_id = o.output_type
        left join ref.output_status as s on s.status_id = o.status
        order by o.reference_date desc nulls last, o.output_id
        """,
        [city_id, *params, limit, *take_up_params],
    )


def city_network(
    con: duckdb.DuckDBPyConnection, city_id: str, filters: Filters, *, lang: str = "en"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (nodes, edges) of the cooperation network restricted to the city's cooperations
    and their member cities (the shapes of `cooperation_nodes` / `cooperation_edges`).

    Example: ``nodes, edges = city_network(con, "turin-it", Filters())``
    """
    from pipelines.queries.cooperation import cooperation_edges, cooperation_nodes

    edges = cooperation_edges(con, filters, lang=lang, city_id=city_id)
    members = set(edges["city_a"]) | set(edges["city_b"])
    nodes = cooperation_nodes(con, filters, lang=lang)
    return nodes[nodes["city_id"].isin(members)].reset_index(drop=True), edges
