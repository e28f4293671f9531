"""Participation: who takes part, over time, by type, region and gender (K02, K04-K10)."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters
from pipelines.queries._sql import fetch, label_col, where
from pipelines.warehouse.db import one_row

# breakdown name -> (cube column, ref table, ref key); the allow-list of group-by identifiers
BREAKDOWNS = {
    "stakeholder_type": ("stakeholder_type", "stakeholder_type", "stakeholder_type_id"),
    "activity_type": ("activity_type", "activity_type", "activity_type_id"),
    "modality": ("modality", "modality", "modality_id"),
    "network": ("network_id", "network", "network_id"),
    "mode": ("mode", "cooperation_mode", "mode_id"),
    "region": ("region", None, None),
}
# activity type and modality live in the smaller type cube, which has no city or stakeholder
TYPE_CUBE_BREAKDOWNS = ("activity_type", "modality")
# summed measures by these breakdowns read the stakeholder cube (no city, no cooperation); distinct
# cities need the city column of mart.participation_cube
STAKEHOLDER_CUBE_BREAKDOWNS = ("stakeholder_type", "network", "mode", "region")
# measure name -> aggregate over mart.participation_cube (summed vs distinct toggle)
MEASURES = {
    "participants": "sum(participants)::bigint",
    "cities": "count(distinct city_id)::bigint",
    "organisations": "sum(organisations_sum)::bigint",
}


def _breakdown(by: str) -> tuple[str, str | None, str | None]:
    if by not in BREAKDOWNS:
        raise ValueError(f"by must be one of {sorted(BREAKDOWNS)}")
    return BREAKDOWNS[by]


def participation_over_time(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    by: str = "stakeholder_type",
    measure: str = "participants",
    lang: str = "en",
) -> pd.DataFrame:
    """Return participations (or distinct cities, or organisations) per month and group.

    `by`: stakeholder_type | activity_type | modality | network | mode | region;
    `measure`: participants (K04) | cities (K02, distinct per month) | organisations (K05);
    by activity_type or modality only participants are available (ValueError otherwise).
    Columns: month, group_id, label, value.

    Example: ``participation_over_time(con, Filters(), by="stakeholder_type")``
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {sorted(MEASURES)}")
    column, table, key = _breakdown(by)
    cube = "mart.participation_cube"
    if by in TYPE_CUBE_BREAKDOWNS:
        if measure != "participants":
            raise ValueError(f"by={by} supports measure='participants' only")
        cube = "mart.participation_type_cube"
    elif by in STAKEHOLDER_CUBE_BREAKDOWNS and measure != "cities":
        cube = "mart.participation_stakeholder_cube"
    clause, params = where(filters, alias="p")
    lab = label_col(lang)
    label_sql, join_sql, order_sql = "p.group_id", "", "p.group_id"
    if table:
        label_sql = f"coalesce(r.{lab}, p.group_id)"
        join_sql = f"left join ref.{table} as r on r.{key} = p.group_id"
        order_sql = "r.sort_order nulls last, p.group_id"
    return fetch(
        con,
        f"""
        with p as (
            select
                p.month,
                p.{column} as group_id,
                {MEASURES[measure]} as value
            from {cube} as p
            where {clause}
            group by all
        )
        select
            p.month,
            p.group_id,
            {label_sql} as label,
            p.value
        from p
        {join_sql}
        order by p.month, {order_sql}
        """,
        params,
    )


def participation_by_type_modality(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return participations per activity type and modality.

    Columns: activity_type, activity_type_label, modality, modality_label, participants.

    Example: ``participation_by_type_modality(con, Filters(mode=("pairing",)))``
    """
    lab = label_col(lang)
    clause, params = where(filters, alias="p")
    return fetch(
        con,
        f"""
        select
            p.activity_type,
            any_value(t.{lab}) as activity_type_label,
            p.modality,
            any_value(m.{lab}) as modality_label,
            sum(p.participants)::bigint as participants
        from mart.participation_type_cube as p
        left join ref.activity_type as t on t.activity_type_id = p.activity_type
        left join ref.modality as m on m.modality_id = p.modality
        where {clause}
        group by p.activity_type, p.modality
        order by any_value(t.sort_order), any_value(m.sort_order)
        """,
        params,
    )


def participation_by_region(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return the EU vs North America balance: per country group (EU, CA, US, MX) participations,
    distinct cities (K02 split) and organisations.

    Columns: country_group, label, region, participants, cities, organisations, share_participants.

    Example: ``participation_by_region(con, Filters(network=("innovation",)))``
    """
    lab = label_col(lang)
    clause, params = where(filters, alias="p")
    return fetch(
        con,
        f"""
        with g as (
            select
                case when p.region = 'EU' then 'EU' else p.country_iso2 end as country_group,
                any_value(p.region) as region,
                sum(p.participants)::bigint as participants,
                count(distinct p.city_id)::bigint as cities,
                sum(p.organisations_sum)::bigint as organisations
            from mart.participation_city_cube as p
            where {clause}
            group by 1
        )
        select
            g.country_group,
            case when g.country_group = 'EU' then 'EU' else coalesce(c.{lab}, g.country_group) end as label,
            g.region,
            g.participants,
            g.cities,
            g.organisations,
            100.0 * g.participants / nullif(sum(g.participants) over (), 0) as share_participants
        from g
        left join ref.country as c on c.country_iso2 = g.country_group
        order by g.region, g.participants desc
        """,
        params,
    )


def stakeholder_mix(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return participations and share per stakeholder type (K06).

    Columns: stakeholder_type, label, participants, share.

    Example: ``stakeholder_mix(con, Filters(country=("IT",)))``
    """
    lab = label_col(lang)
    clause, params = where(filters, alias="p")
    return fetch(
        con,
        f"""
        with s as (
            select
                p.stakeholder_type,
                sum(p.participants)::bigint as participants
            from mart.participation_stakeholder_cube as p
            where {clause}
            group by 1
        )
        select
            s.stakeholder_type,
            coalesce(r.{lab}, s.stakeholder_type) as label,
            s.participants,
            100.0 * s.participants / nullif(sum(s.participants) over (), 0) as share
        from s
        left join ref.stakeholder_type as r on r.stakeholder_type_id = s.stakeholder_type
        order by r.sort_order nulls last
        """,
        params,
    )


def gender_balance(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, by: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Return the share of women among declared participations (K08) with the undeclared count.

    `by`: None (one row) or a breakdown of `participation_over_time` (e.g. "region"; activity_type
    and modality read the type cube).
    Columns: group_id, label, participants, participants_declared, women, pct_women,
    participants_undeclared, pct_undeclared.

    Example: ``gender_balance(con, Filters(), by="stakeholder_type")``
    """
    lab = label_col(lang)
    clause, params = where(filters, alias="p")
    cube = "mart.participation_stakeholder_cube"
    if by is None:
        column, table, key = "'all'", None, None
    else:
        column, table, key = _breakdown(by)
        column = f"p.{column}"
        if by in TYPE_CUBE_BREAKDOWNS:
            cube = "mart.participation_type_cube"
    label_sql, join_sql, order_sql = "g.group_id", "", "g.group_id"
    if table:
        label_sql = f"coalesce(r.{lab}, g.group_id)"
        join_sql = f"left join ref.{table} as r on r.{key} = g.group_id"
        order_sql = "r.sort_order nulls last, g.group_id"
    return fetch(
        con,
        f"""
        with g as (
            select
                {column} as group_id,
                sum(p.participants)::bigint as participants,
                sum(p.participants_gender_declared)::bigint as participants_declared,
                sum(p.women)::bigint as women
            from {cube} as p
            where {clause}
            group by 1
        )
        select
            g.group_id,
            {label_sql} as label,
            g.participants,
            g.participants_declared,
            g.women,
            100.0 * g.women / nullif(g.participants_declared, 0) as pct_women,
            g.participants - g.participants_declared as participants_undeclared,
            100.0 * (g.participants - g.participants_declared) / nullif(g.participants, 0) as pct_undeclared
        from g
        {join_sql}
        order by {order_sql}
        """,
        params,
    )


def top_cities(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, limit: int = 10, lang: str = "en"
) -> pd.DataFrame:
    """Return the cities with most participations.

    Columns: city_id, name, country_iso2, region, participants, organisations, women, share.

    Example: ``top_cities(con, Filters(region=("NA",)), limit=5)``
    """
    clause, params = where(filters, alias="p")
    return fetch(
        con,
        f"""
        with c as (
            select
                p.city_id,
                sum(p.participants)::bigint as participants,
                sum(p.organisations_sum)::bigint as organisations,
                sum(p.women)::bigint as women
            from mart.participation_city_cube as p
            where {clause}
            group by 1
        )
        select
            c.city_id,
            ci.name,
            ci.country_iso2,
            ci.region,
            c.participants,
            c.organisations,
            c.women,
            100.0 * c.participants / nullif(sum(c.participants) over (), 0) as share
        from c
        left join mart.city as ci on ci.city_id = c.city_id
        order by c.participants desc, c.city_id
        limit ?
        """,
        [*params, max(1, min(int(limit), 1000))],
    )


def participation_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return one row of participation headline figures for these filters.

    Columns: participants (K04), cities (K02), organisations (K05, summed: upper bound),
    organisations_lower_bound, pct_non_government (K06), diversity_index (K07), pct_women (K08),
    pct_undeclared, capacity_participants (K10), pct_completed, person_days.

    Example: ``participation_summary(con, Filters(start=date(2025, 1, 1)))``
    """
    from pipelines.queries.overview import kpi_measures

    measures = kpi_measures(con, filters)
    m = measures[measures["value_kind"] == "actual"].set_index(["indicator_id", "measure"])["value"]

    def get(indicator: str, measure: str = "main") -> float | None:
        value = m.get((indicator, measure))
        return None if value is None or pd.isna(value) else float(value)

    clause, params = where(filters)
    person_days = one_row(
        con,
        f"select coalesce(sum(person_days), 0)::bigint from mart.participation_city_cube where {clause}",
        params,
    )[0]
    return pd.DataFrame(
        [
            {
                "participants": get("K04"),
                "cities": get("K02"),
                "organisations": get("K05"),
                "organisations_lower_bound": get("K05", "lower_bound"),
                "pct_non_government": get("K06"),
                "diversity_index": get("K07"),
                "pct_women": get("K08"),
                "pct_undeclared": get("K08", "pct_undeclared"),
                "capacity_participants": get("K10"),
                "pct_completed": get("K10", "pct_completed"),
                "person_days": int(person_days),
            }
        ]
    )
