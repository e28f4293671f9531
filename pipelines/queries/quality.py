"""Data quality: ingest runs, quarantine, completeness (K29) and timeliness (K30)."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters
from pipelines.queries._sql import fetch
from pipelines.warehouse.db import one_row

QUARANTINE_GROUPS = {"file": "file_name", "run": "run_id", "rule": "first_rule", "entity": "entity"}


def ingest_runs(con: duckdb.DuckDBPyConnection, *, limit: int = 100) -> pd.DataFrame:
    """Return the latest ingest runs, newest first.

    Columns: run_id, started_at, finished_at, file_name, entity, file_format, rows_read,
    rows_loaded, rows_inserted, rows_updated, rows_quarantined, status, message.

    Example: ``ingest_runs(con, limit=10)``
    """
    return fetch(
        con,
        "select * from mart.dq_ingest_run order by started_at desc, run_id limit ?",
        [max(1, min(int(limit), 10000))],
    )


def quarantine_summary(con: duckdb.DuckDBPyConnection, *, by: str = "file") -> pd.DataFrame:
    """Return quarantined-row counts grouped by file, run, rule (first failing rule) or entity.

    Columns: group_id, rows.

    Example: ``quarantine_summary(con, by="rule")``
    """
    if by not in QUARANTINE_GROUPS:
        raise ValueError(f"by must be one of {sorted(QUARANTINE_GROUPS)}")
    column = QUARANTINE_GROUPS[by]
    return fetch(
        con,
        f"""
        select
            {column} as group_id,
            count(*)::bigint as rows
        from mart.dq_quarantine
        group by 1
        order by rows desc, group_id
        """,
    )


def quarantine_page(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str | None = None,
    file_name: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[pd.DataFrame, int]:
    """Return one page of quarantined rows (newest run first, then line) and the total count.

    Columns: run_id, started_at, file_name, line, entity, first_column, first_rule, reasons,
    raw_record.

    Example: ``rows, total = quarantine_page(con, file_name="activities.csv")``
    """
    clause = "(?::varchar is null or run_id = ?::varchar) and (?::varchar is null or file_name = ?::varchar)"
    params = [run_id, run_id, file_name, file_name]
    total = one_row(con, f"select count(*) from mart.dq_quarantine where {clause}", params)[0]
    page = fetch(
        con,
        f"""
        select *
        from mart.dq_quarantine
        where {clause}
        order by started_at desc nulls last, run_id, file_name, line
        limit ? offset ?
        """,
        [*params, max(1, min(int(limit), 1000)), max(0, int(offset))],
    )
    return page, int(total)


def completeness_by_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return K29 per core table: required/optional cells filled and % filled.

    Columns: table_name, required_total, required_filled, optional_total, optional_filled,
    pct_filled, pct_optional_filled.

    Example: ``completeness_by_table(con)``
    """
    return fetch(con, "select * from mart.dq_table_completeness order by table_name")


def quality_by_city(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return completeness (K29) and timeliness (K30) per city, whole period; region and country
    filters select the cities.

    Columns: city_id, name, country_iso2, region, pct_filled, pct_gender_declared,
    completed_activities, mean_lag_days, median_lag_days, last_reported_date,
    days_since_last_report.

    Example: ``quality_by_city(con, Filters(region=("NA",)))``
    """
    clauses, params = ["true"], []
    if filters.region:
        clauses.append("region in (select unnest(?::varchar[]))")
        params.append(list(filters.region))
    if filters.country:
        clauses.append("country_iso2 in (select unnest(?::varchar[]))")
        params.append(list(filters.country))
    return fetch(
        con,
        f"""
        select
            city_id,
            name,
            country_iso2,
            region,
            pct_filled,
            pct_gender_declared,
            completed_activities,
            mean_lag_days,
            median_lag_days,
            last_reported_date,
            datediff('day', last_reported_date, current_date) as days_since_last_report
        from mart.dq_city
        where {" and ".join(clauses)}
        order by pct_filled, name
        """,
        params,
    )


def timeliness(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return K30 for the filters: mean and lower-median reporting lag (days) and last report.

    Columns: activities, mean_lag_days, median_lag_days, last_reported_date, days_since_last_report.

    Example: ``timeliness(con, Filters(network=("innovation",)))``
    """
    from pipelines.queries._sql import where

    clause, params = where(filters)
    return fetch(
        con,
        f"""
        with l as (
            select
                report_lag_days,
                sum(activities) as n,
                max(last_reported_date) as last_reported_date
            from mart.timeliness_cube
            where {clause}
            group by 1
        ),
        c as (
            select
                *,
                sum(n) over (order by report_lag_days) as cum,
                sum(n) over () as total
            from l
        )
        select
            coalesce(sum(n), 0)::bigint as activities,
            sum(report_lag_days * n) / nullif(sum(n), 0) as mean_lag_days,
            min(report_lag_days) filter (where cum >= total / 2.0) as median_lag_days,
            max(last_reported_date) as last_reported_date,
            datediff('day', max(last_reported_date), current_date) as days_since_last_report
        from c
        """,
        params,
    )
