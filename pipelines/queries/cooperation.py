"""Cooperation network (nodes, edges, one cooperation's detail), output funnel and funding."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters
from pipelines.queries._sql import fetch, label_col, where
from pipelines.queries.metrics import groups, metric_frame, metric_total, metric_totals, total_row

STAGES = ("planned", "developed", "implemented", "adopted")
FUNDING_BY = {"source_type": "source_type", "cooperation": "cooperation_id", "month": "month"}


def _cooperation_where(filters: Filters) -> tuple[str, list[Any]]:
    # a cooperation matches region/country filters through any member city
    clauses, params = ["true"], []
    if filters.network:
        clauses.append("network_id in (select unnest(?::varchar[]))")
        params.append(list(filters.network))
    if filters.mode:
        clauses.append("mode in (select unnest(?::varchar[]))")
        params.append(list(filters.mode))
    if filters.region:
        clauses.append("list_has_any(regions, ?::varchar[])")
        params.append(list(filters.region))
    if filters.country:
        clauses.append("list_has_any(countries, ?::varchar[])")
        params.append(list(filters.country))
    return " and ".join(clauses), params


def cooperation_edges(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    lang: str = "en",
    city_id: str | None = None,
) -> pd.DataFrame:
    """Return cooperation links between member cities, with completed joint activities in the period.

    Columns: cooperation_id, cooperation_name, mode, mode_label, network_id, network_label,
    city_a, city_b, activities, members (the cooperation's member cities). With `city_id`, the
    links of the cooperations that city is a member of only (the city profile's network): their
    activities are the only ones added up.

    Example: ``cooperation_edges(con, Filters(mode=("trio",)), city_id="turin-it")``
    """
    lab = label_col(lang)
    coop_where, coop_params = _cooperation_where(filters)
    own = ""
    if city_id is not None:
        coop_where += " and list_contains(city_ids, ?)"
        coop_params.append(city_id)
        own = " and cooperation_id in (select cooperation_id from c)"
    act_where, act_params = where(
        Filters(
            start=filters.start,
            end=filters.end,
            subtheme=filters.subtheme,
            challenge=filters.challenge,
        )
    )
    return fetch(
        con,
        f"""
        with c as (
            select cooperation_id, n_members
            from mart.cooperation_register
            where {coop_where}
        ),
        a as (
            select
                cooperation_id,
                sum(activities)::bigint as activities
            from mart.activity_cube
            where status = 'completed' and cooperation_id is not null and {act_where}{own}
            group by 1
        )
        select
            e.cooperation_id,
            e.cooperation_name,
            e.mode,
            m.{lab} as mode_label,
            e.network_id,
            n.{lab} as network_label,
            e.city_a,
            e.city_b,
            coalesce(a.activities, 0) as activities,
            c.n_members as members
        from mart.cooperation_edge as e
        join c on c.cooperation_id = e.cooperation_id
        left join a on a.cooperation_id = e.cooperation_id
        left join ref.cooperation_mode as m on m.mode_id = e.mode
        left join ref.network as n on n.network_id = e.network_id
        order by e.cooperation_id, e.city_a, e.city_b
        """,
        [*coop_params, *act_params],
    )


def cooperation_nodes(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return the member cities of the filtered cooperations (graph nodes).

    Columns: city_id, name, country_iso2, country, region, population, lat, lon, cooperations.

    Example: ``cooperation_nodes(con, Filters(network=("innovation",)))``
    """
    lab = label_col(lang)
    coop_where, coop_params = _cooperation_where(filters)
    return fetch(
        con,
        f"""
        with m as (
            select
                unnest(city_ids) as city_id,
                cooperation_id
            from mart.cooperation_register
            where {coop_where}
        )
        select
            c.city_id,
            c.name,
            c.country_iso2,
            co.{lab} as country,
            c.region,
            c.population,
            c.lat,
            c.lon,
            count(distinct m.cooperation_id)::bigint as cooperations
        from m
        join mart.city as c on c.city_id = m.city_id
        left join ref.country as co on co.country_iso2 = c.country_iso2
        group by all
        order by c.region, c.name
        """,
        coop_params,
    )


def cooperation_options(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return the filtered cooperations (picker options).

    Columns: cooperation_id, name, mode, mode_label, network_id.

    Example: ``cooperation_options(con, Filters())``
    """
    lab = label_col(lang)
    coop_where, coop_params = _cooperation_where(filters)
    return fetch(
        con,
        f"""
        select
            c.cooperation_id,
            c.name,
            c.mode,
            m.{lab} as mode_label,
            c.network_id
        from mart.cooperation_register as c
        left join ref.cooperation_mode as m on m.mode_id = c.mode
        where {coop_where}
        order by c.name
        """,
        coop_params,
    )


def cooperation_detail(
    con: duckdb.DuckDBPyConnection, cooperation_id: str, *, lang: str = "en"
) -> pd.DataFrame:
    """Return one cooperation's summary row (empty frame when unknown).

    Columns: cooperation_id, name, mode, mode_label, network_id, network_label, phase, start_date,
    support_end_date, n_members, member_names, activities_completed, activities_planned,
    participations, outputs, outputs_planned, outputs_developed, outputs_implemented,
    outputs_adopted, outputs_abandoned, funding_eur, primary_goals.

    Example: ``cooperation_detail(con, "turin-austin")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select
            s.cooperation_id,
            s.name,
            s.mode,
            m.{lab} as mode_label,
            s.network_id,
            n.{lab} as network_label,
            s.phase,
            s.start_date,
            s.support_end_date,
            s.n_members,
            (select string_agg(c.name, ', ' order by c.name) from mart.city as c
             where list_contains(s.city_ids, c.city_id)) as member_names,
            s.activities_completed,
            s.activities_planned,
            s.participations,
            s.outputs,
            s.outputs_planned,
            s.outputs_developed,
            s.outputs_implemented,
            s.outputs_adopted,
            s.outputs_abandoned,
            s.funding_eur,
            s.primary_goals
        from mart.cooperation_summary as s
        left join ref.cooperation_mode as m on m.mode_id = s.mode
        left join ref.network as n on n.network_id = s.network_id
        where s.cooperation_id = ?
        """,
        [cooperation_id],
    )


def cooperation_activities(
    con: duckdb.DuckDBPyConnection, cooperation_id: str, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return one cooperation's activities by type and status in the period.

    Columns: activity_type, label, status, activities, participants.

    Example: ``cooperation_activities(con, "turin-austin", Filters())``
    """
    lab = label_col(lang)
    clause, params = where(Filters(start=filters.start, end=filters.end), alias="a")
    return fetch(
        con,
        f"""
        select
            a.activity_type,
            any_value(t.{lab}) as label,
            a.status,
            sum(a.activities)::bigint as activities,
            sum(a.participants)::bigint as participants
        from mart.activity_cube as a
        left join ref.activity_type as t on t.activity_type_id = a.activity_type
        where a.cooperation_id = ? and {clause}
        group by a.activity_type, a.status
        order by any_value(t.sort_order), a.status
        """,
        [cooperation_id, *params],
    )


def cooperation_sdg(
    con: duckdb.DuckDBPyConnection, cooperation_id: str, *, lang: str = "en"
) -> pd.DataFrame:
    """Return one cooperation's SDG profile over its own, its activities' and outputs' validated
    tags (fractional weights).

    Columns: goal, label, colour_hex, value, share.
    attrs: metric and total, the metric layer's count of the items profiled (sdg.items_tagged:
    an item's weights add up to 1, so they are the profile's total weight).

    Example: ``cooperation_sdg(con, "turin-austin")``
    """
    lab = label_col(lang)
    profile = fetch(
        con,
        f"""
        with e as (
            -- a parallel sum of doubles differs in its last bits from run to run (at 10 M by
            -- more than 1e-9: 16,073.8 or 16,073.9 shown). Summed as decimals with 24 places,
            -- it is the exact sum of the weights as stored, whatever the order; rounded to 9
            -- places, a weight's own error (1/3 stored as 0.333…3148) is gone, so three
            -- thirds are 1 and a true 1,176.75 is shown 1,176.8
            select goal, cast(round(sum(cast(weight as decimal(38, 24))), 9) as double) as value
            from mart.sdg_entity_goal
            where cooperation_id = ? and is_validated
            group by goal
        )
        select
            g.goal,
            g.{lab} as label,
            g.colour_hex,
            e.value,
            round(100.0 * e.value / nullif(sum(e.value) over (), 0), 9) as share
        from e
        join ref.sdg_goal as g on g.goal = e.goal
        order by g.goal
        """,
        [cooperation_id],
    )
    total = metric_total(con, "sdg.items_tagged", Filters(), cooperation=(cooperation_id,))
    profile.attrs = {"metric": "sdg.items_tagged", "total": total}
    return profile


def output_funnel(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    cooperation_id: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Return outputs by type and lifecycle stage reached, with attrition from the previous stage.

    A stage counts as reached when dated or when the status is at or past it; abandoned outputs
    keep the stages they reached. Period: the output's first dated stage.
    Columns: output_type, output_type_label, stage, stage_label, stage_order, reached,
    attrition_pct (share lost since the previous stage), abandoned.

    Example: ``output_funnel(con, Filters(network=("innovation",)))``
    """
    lab = label_col(lang)
    clause, params = where(filters, alias="o", geo="list")
    return fetch(
        con,
        f"""
        with o as (
            select
                o.output_type,
                count(*) filter (where o.reached_planned) as planned,
                count(*) filter (where o.reached_developed) as developed,
                count(*) filter (where o.reached_implemented) as implemented,
                count(*) filter (where o.reached_adopted) as adopted,
                count(*) filter (where o.is_abandoned) as abandoned
            from mart.output_register as o
            where (?::varchar is null or o.cooperation_id = ?::varchar) and {clause}
            group by 1
        ),
        long as (
            select output_type, 'planned' as stage, 1 as stage_order, planned as reached, abandoned from o
            union all select output_type, 'developed', 2, developed, abandoned from o
            union all select output_type, 'implemented', 3, implemented, abandoned from o
            union all select output_type, 'adopted', 4, adopted, abandoned from o
        )
        select
            l.output_type,
            t.{lab} as output_type_label,
            l.stage,
            s.{lab} as stage_label,
            l.stage_order,
            l.reached::bigint as reached,
            100.0 * (1 - l.reached / nullif(lag(l.reached) over (partition by l.output_type order by l.stage_order), 0))
                as attrition_pct,
            l.abandoned::bigint as abandoned
        from long as l
        left join ref.output_type as t on t.output_type_id = l.output_type
        left join ref.output_status as s on s.status_id = l.stage
        order by t.sort_order nulls last, l.stage_order
        """,
        [cooperation_id, cooperation_id, *params],
    )


def funding_leveraged(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    by: str = "source_type",
    cooperation_id: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Return funding leveraged (K20, EUR) committed in the period, by source type, cooperation or
    month.

    Columns: group_id, label, amount_eur, commitments.

    Example: ``funding_leveraged(con, Filters(), by="month")``
    """
    if by not in FUNDING_BY:
        raise ValueError(f"by must be one of {sorted(FUNDING_BY)}")
    lab = label_col(lang)
    clause, params = where(filters, alias="f", geo="list")
    column = FUNDING_BY[by]
    label_sql = {
        "source_type": f"coalesce(s.{lab}, g.group_id::varchar)",
        "cooperation": "coalesce(c.name, g.group_id::varchar)",
        "month": "strftime(g.group_id::date, '%Y-%m')",
    }[by]
    return fetch(
        con,
        f"""
        with g as (
            select
                f.{column} as group_id,
                sum(f.amount_eur) as amount_eur,
                count(*)::bigint as commitments
            from mart.funding_register as f
            where (?::varchar is null or f.cooperation_id = ?::varchar) and {clause}
            group by 1
        )
        select
            g.group_id::varchar as group_id,
            {label_sql} as label,
            g.amount_eur,
            g.commitments
        from g
        left join ref.funding_source as s on s.source_type_id = g.group_id::varchar
        left join mart.cooperation_register as c on c.cooperation_id = g.group_id::varchar
        order by {"g.group_id" if by == "month" else "g.amount_eur desc"}
        """,
        [cooperation_id, cooperation_id, *params],
    )


def map_filters(filters: Filters) -> Filters:
    """Return the filters the cooperation network map honours: network, mode, region, country
    (cooperations are drawn whatever the period, sub-theme or challenge of their activities)."""
    return Filters(
        network=filters.network, mode=filters.mode, region=filters.region, country=filters.country
    )


def network_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, city_id: str | None = None
) -> dict[str, float]:
    """Return the network map's figures from the metric layer: cooperations, member_cities, and
    member cities per region (EU, NA), each recounted (distinct counts, never added up).

    With `city_id`, only the cooperations that city is a member of (the city profile's network).

    Example: ``network_figures(con, Filters(network=("innovation",)))["member_cities"]``
    """
    scope = map_filters(filters)
    city = [city_id] if city_id else []
    frame = metric_frame(con, "member_cities", scope, by=("member_region",), city=city)
    regions = groups(frame).set_index("member_region")["value"]
    total = total_row(frame)["value"]
    return {
        "cooperations": metric_total(con, "cooperations", scope, city=city) or 0.0,
        "member_cities": 0.0 if pd.isna(total) else float(total),
        "EU": float(regions.get("EU", 0.0)),
        "NA": float(regions.get("NA", 0.0)),
    }


def funnel_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, cooperation_id: str | None = None
) -> dict[str, float | None]:
    """Return the output funnel's totals from the metric layer: outputs reaching each stage
    (keys of STAGES, over every output type) and pct_adopted (adopted ÷ planned, None over none).

    Example: ``funnel_figures(con, Filters(), cooperation_id="pair-austin-bologna")["adopted"]``
    """
    coop = [cooperation_id] if cooperation_id else []
    ids = [f"outputs.{stage}" for stage in STAGES]
    values = metric_totals(con, [*ids, "outputs.pct_adopted"], filters, cooperation=coop)
    out: dict[str, float | None] = {
        stage: values[metric_id] or 0.0 for stage, metric_id in zip(STAGES, ids, strict=True)
    }
    out["pct_adopted"] = values["outputs.pct_adopted"]
    return out


def funding_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, cooperation_id: str | None = None
) -> dict[str, float]:
    """Return funding committed in the period (EUR) and the number of commitments, from the
    metric layer, for the whole selection or one cooperation.

    Example: ``funding_figures(con, Filters(), cooperation_id="pair-austin-bologna")["eur"]``
    """
    coop = [cooperation_id] if cooperation_id else []
    values = metric_totals(
        con, ["funding.committed", "funding.commitments"], filters, cooperation=coop
    )
    return {
        "eur": values["funding.committed"] or 0.0,
        "commitments": values["funding.commitments"] or 0.0,
    }
