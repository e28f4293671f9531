"""Programme overview: KPI scorecard, trend, network breakdown, map points, data freshness."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from pipelines import config
from pipelines.metrics.filters import Filters
from pipelines.queries._sql import MACRO_PARAMS, fetch, label_col, macro_args, period_bounds, where

PERIOD_TYPES = ("month", "quarter", "year")
TREND_KPIS = ("K02", "K03", "K04", "K08", "K10", "K20")
STEPS = {"month": "1 month", "quarter": "3 months", "year": "1 year"}


def kpi_scorecard(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    cooperation_id: str | None = None,
    city_id: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Return one row per KPI: value, target, % achieved, RAG and forecast for these filters.

    Columns: indicator_id, label, unit, direction, value, numerator, denominator, source,
    target_value, target_period_end, pct_achieved, rag (green|amber|red|not_rated|no_data),
    forecast_value, scope_type, scope_id. A target applies only when the filters amount to a
    target scope (no filter, one network, one cooperation or one city); any other filter gives
    'not_rated'.

    Example: ``kpi_scorecard(con, Filters(network=("innovation",)), lang="fr")``
    """
    lab = label_col(lang)
    stored = _stored_scope(filters, cooperation_id, city_id)
    if stored is not None:
        df = fetch(con, _scorecard_sql(lab, _STORED), list(stored))
        if not df.empty:
            return df
    args = macro_args(
        filters,
        cooperation=(cooperation_id,) if cooperation_id else (),
        city=(city_id,) if city_id else (),
    )
    return fetch(
        con, _scorecard_sql(lab, f"select * from mart.kpi_scorecard_for({MACRO_PARAMS})"), args
    )


# the scorecard rows materialised at publish (mart.kpi_scorecard) for one scope and period
_STORED = """
            select * exclude (period_type, period_start, period_end)
            from mart.kpi_scorecard
            where period_type = ?
              and period_start is not distinct from ?::date
              and period_end is not distinct from ?::date
              and scope_type = ?
              and scope_id = ?
"""


def _stored_scope(
    filters: Filters, cooperation_id: str | None, city_id: str | None
) -> tuple[Any, ...] | None:
    """Return (period_type, start, end, scope_type, scope_id) when the publish step stored the
    scorecard for these filters (the programme, one network, one cooperation or one city; to
    date or one calendar year), else None. The stored rows come from the same macro call."""
    if filters.subtheme or filters.region or filters.country or filters.mode:
        return None
    scopes = [("network", n) for n in filters.network]
    scopes += [("cooperation", cooperation_id)] if cooperation_id else []
    scopes += [("city", city_id)] if city_id else []
    if len(scopes) > 1:
        return None
    scope_type, scope_id = scopes[0] if scopes else ("programme", config.PROGRAMME_ID)
    start, end = period_bounds(filters)
    if start is None and end is None:
        return ("all", None, None, scope_type, scope_id)
    if (
        start is not None
        and end is not None
        and start.year == end.year
        and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    ):
        return ("year", start, end, scope_type, scope_id)
    return None


def _scorecard_sql(lab: str, source: str) -> str:
    """Return the scorecard SELECT over `source` (the stored rows or the macro call)."""
    return f"""
        with s as (
            {source}
        )
        select
            a.indicator_id,
            i.{lab} as label,
            a.unit,
            a.direction,
            a.value,
            a.numerator,
            a.denominator,
            a.source,
            a.target_value,
            a.target_period_end,
            a.pct_achieved,
            a.rag,
            f.value as forecast_value,
            a.scope_type,
            a.scope_id
        from s as a
        left join ref.indicator as i on i.indicator_id = a.indicator_id
        left join s as f
            on f.indicator_id = a.indicator_id and f.value_kind = 'forecast' and f.measure = 'main'
        where a.value_kind = 'actual' and a.measure = 'main'
        order by a.sort_order nulls last, a.indicator_id
        """


def kpi_measures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return every KPI measure (main and secondary, e.g. K10 'pct_completed') for these filters.

    Columns: indicator_id, label, measure, value_kind, source, numerator, denominator, value.

    Example: ``kpi_measures(con, Filters()).query("indicator_id == 'K17'")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select
            k.indicator_id,
            i.{lab} as label,
            k.measure,
            k.value_kind,
            k.source,
            k.numerator,
            k.denominator,
            k.value
        from mart.kpi_actual({MACRO_PARAMS}) as k
        left join ref.indicator as i on i.indicator_id = k.indicator_id
        order by i.sort_order nulls last, k.indicator_id, k.value_kind, k.measure
        """,
        macro_args(filters),
    )


def kpi_trend(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    indicator_ids: tuple[str, ...] = ("K03", "K04"),
    *,
    period_type: str = "quarter",
    lang: str = "en",
) -> pd.DataFrame:
    """Return KPI values per month, quarter or year for any filters (scorecard sparklines).

    Trend KPIs: K02, K03, K04, K08, K10, K20 (see TREND_KPIS; K20 is a running total). Every
    period of the calendar inside the filter period gets a row (0 for counts with no data).
    Columns: indicator_id, label, period_start, value, numerator, denominator.

    Example: ``kpi_trend(con, Filters(network=("innovation",)), ("K04",), period_type="year")``
    """
    if period_type not in PERIOD_TYPES:
        raise ValueError(f"period_type must be one of {PERIOD_TYPES}")
    lab = label_col(lang)
    args = macro_args(filters)[:7]
    start, end = args[0], args[1]
    return fetch(
        con,
        f"""
        with t as (
            select * from mart.kpi_trend_for(
                ?, ?::date, ?::date, ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[]
            )
        ),
        bounds as (
            select
                date_trunc(?, greatest(min(period_start), coalesce(?::date, min(period_start)))) as first,
                least(max(period_end), coalesce(?::date, max(period_end))) as last
            from mart.calendar
        ),
        periods as (
            select unnest(generate_series(first, last, ?::interval))::date as period_start
            from bounds
            where first is not null and first <= last
        ),
        grid as (
            select p.period_start, k.indicator_id
            from periods as p
            cross join (select unnest(?::varchar[]) as indicator_id) as k
        )
        select
            g.indicator_id,
            i.{lab} as label,
            g.period_start,
            case
                when g.indicator_id = 'K08' then t.value
                -- running total: carried forward through periods without commitments
                when g.indicator_id = 'K20' then coalesce((
                    select arg_max(r.value, r.period_start) from t as r
                    where r.indicator_id = 'K20' and r.period_start <= g.period_start
                ), 0)
                else coalesce(t.value, 0)
            end as value,
            t.numerator,
            t.denominator
        from grid as g
        left join t on t.period_start = g.period_start and t.indicator_id = g.indicator_id
        left join ref.indicator as i on i.indicator_id = g.indicator_id
        where g.indicator_id in (select unnest(?::varchar[]))
        order by g.indicator_id, g.period_start
        """,
        [
            period_type,
            *args,
            period_type,
            start,
            end,
            STEPS[period_type],
            [i for i in indicator_ids if i in TREND_KPIS],
            list(TREND_KPIS),
        ],
    )


def network_breakdown(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return per network: completed activities, participations, participating cities, cooperations.

    Columns: network_id, label, activities, participations, cities, cooperations.

    Example: ``network_breakdown(con, Filters(region=("EU",)))``
    """
    lab = label_col(lang)
    pc_where, pc_params = where(filters)
    ac_where, ac_params = where(filters)
    return fetch(
        con,
        f"""
        with p as (
            select
                network_id,
                sum(participants)::bigint as participations,
                count(distinct city_id)::bigint as cities
            from mart.participation_city_cube
            where {pc_where}
            group by network_id
        ),
        a as (
            select
                network_id,
                sum(activities)::bigint as activities,
                count(distinct cooperation_id)::bigint as cooperations
            from mart.activity_cube
            where status = 'completed' and {ac_where}
            group by network_id
        )
        select
            n.network_id,
            n.{lab} as label,
            coalesce(a.activities, 0) as activities,
            coalesce(p.participations, 0) as participations,
            coalesce(p.cities, 0) as cities,
            coalesce(a.cooperations, 0) as cooperations
        from ref.network as n
        left join a on a.network_id = n.network_id
        left join p on p.network_id = n.network_id
        where n.network_id in (select network_id from a union select network_id from p)
        order by n.sort_order
        """,
        [*pc_params, *ac_params],
    )


def map_points(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return participating cities with coordinates and their participations (map markers).

    Columns: city_id, name, country_iso2, country, region, lat, lon, population, participations.

    Example: ``map_points(con, Filters(network=("urban_renewal",)))``
    """
    lab = label_col(lang)
    clause, params = where(filters)
    return fetch(
        con,
        f"""
        with p as (
            select
                city_id,
                sum(participants)::bigint as participations
            from mart.participation_city_cube
            where {clause}
            group by city_id
        )
        select
            c.city_id,
            c.name,
            c.country_iso2,
            co.{lab} as country,
            c.region,
            c.lat,
            c.lon,
            c.population,
            p.participations
        from p
        join mart.city as c on c.city_id = p.city_id
        left join ref.country as co on co.country_iso2 = c.country_iso2
        where c.lat is not null and c.lon is not null
        order by p.participations desc, c.city_id
        """,
        params,
    )


def data_as_of(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """Return when the last ingest run finished (None for an empty warehouse).

    Example: ``data_as_of(con)  # datetime(2026, 11, 3, 9, 12)``
    """
    row = con.execute("select max(finished_at) from mart.dq_ingest_run").fetchone()
    return row[0] if row else None
