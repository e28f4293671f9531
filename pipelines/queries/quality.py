"""Data quality: ingest runs, quarantine, completeness (K29) and timeliness (K30)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters
from pipelines.queries._sql import fetch
from pipelines.queries.metrics import groups, metric_frame, total_row
from pipelines.warehouse.db import one_row

QUARANTINE_GROUPS = {"file": "file_name", "run": "run_id", "rule": "first_rule", "entity": "entity"}


def ingest_runs(con: duckdb.DuckDBPyConnection, *, limit: int = 100) -> pd.DataFrame:
    """Return the latest ingest runs, newest first.

    Columns: run_id, started_at, finished_at, file_name, entity, file_format, rows_read,
    rows_loaded, rows_inserted, rows_updated, rows_quarantined, status, message.
    attrs: runs, rows_read, rows_loaded, rows_quarantined: the totals over the runs listed,
    added up in SQL (row counts of distinct runs add up).

    Example: ``ingest_runs(con, limit=10).attrs["rows_quarantined"]``
    """
    sql = "select * from mart.dq_ingest_run order by started_at desc, run_id limit ?"
    n = [max(1, min(int(limit), 10000))]
    runs = fetch(con, sql, n)
    totals = con.execute(
        f"""
        select count(*), coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0),
            coalesce(sum(rows_quarantined), 0)
        from ({sql})
        """,
        n,
    ).fetchone()
    keys = ("runs", "rows_read", "rows_loaded", "rows_quarantined")
    runs.attrs = {k: float(v) for k, v in zip(keys, totals or (0, 0, 0, 0), strict=True)}
    return runs


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
    raw_record, location (IATI files: the record's element path; else null).

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


# the metric frames of the per-city quality table, each broken down by city and read apart from
# the others (`quality_by_city(frames=...)`: a caller may read them side by side)
QUALITY_FRAMES = ("K29", "K30", "K30.mean")


def quality_frame(con: duckdb.DuckDBPyConnection, filters: Filters, metric_id: str) -> pd.DataFrame:
    """Return one of the per-city quality table's metric frames (`QUALITY_FRAMES`): the metric
    layer's frame of the metric broken down by city, with its total row.

    Example: ``quality_frame(con, Filters(region=("EU",)), "K30")``
    """
    if metric_id not in QUALITY_FRAMES:
        raise ValueError(f"metric_id must be one of {QUALITY_FRAMES}")
    return metric_frame(con, metric_id, filters, by=("city",))


def _as_lists(frame: pd.DataFrame, *columns: str) -> list[list[Any]]:
    """Return the frame's columns as lists of Python values, a missing value as None."""
    return [[None if pd.isna(v) else v for v in frame[c].tolist()] for c in columns]


def quality_by_city(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    frames: Sequence[pd.DataFrame] = (),
) -> pd.DataFrame:
    """Return completeness (K29) and timeliness (K30) per city for the filters' period and scope.

    K29 and K30 come from the metric layer broken down by city (an activity counts for its host,
    or without one for its participants' cities, D12); the other columns are the city's own
    record and participation rows. Days since the last report are counted to the data's as-of
    date (D4), not to today.
    Columns: city_id, name, country_iso2, region, pct_filled, pct_gender_declared,
    completed_activities, mean_lag_days, median_lag_days, last_reported_date,
    days_since_last_report. attrs['totals']: K30 and K30.mean over every city for the filters
    (the metric layer's total rows, recounted), metric id -> (value, denominator), which
    `timeliness(..., totals=...)` takes instead of asking them again. `frames`: the
    `quality_frame`s of `QUALITY_FRAMES` for these filters, in that order, that the caller read
    (e.g. side by side on a pool); else they are read here, one after the other.

    Example: ``quality_by_city(con, Filters(region=("NA",))).attrs["totals"]["K30"]``
    """
    if not frames:
        frames = [quality_frame(con, filters, m) for m in QUALITY_FRAMES]
    k29_frame, k30_frame, mean_frame = frames
    k29, k30, mean = groups(k29_frame), groups(k30_frame), groups(mean_frame)
    # K30's overall figures: each frame's total row, recounted from the cube (not the cities')
    totals = {
        m: tuple(float(v) for v in total_row(f)[["value", "denominator"]])
        for m, f in (("K30", k30_frame), ("K30.mean", mean_frame))
    }
    # the cities of K29 and K30 joined to their own record in one statement: the frames' columns
    # travel as lists (NaN as null, so that an undefined figure sorts first, as pandas would)
    city = fetch(
        con,
        """
        with
        k29 as (select unnest(?::varchar[]) as city_id, unnest(?::double[]) as pct_filled),
        k30 as (
            select unnest(?::varchar[]) as city_id, unnest(?::double[]) as median_lag_days,
                unnest(?::double[]) as completed_activities
        ),
        k30_mean as (select unnest(?::varchar[]) as city_id, unnest(?::double[]) as mean_lag_days)
        select
            c.city_id, c.name, c.country_iso2, c.region, k29.pct_filled, c.pct_gender_declared,
            coalesce(k30.completed_activities, 0)::bigint as completed_activities,
            k30_mean.mean_lag_days, k30.median_lag_days, c.last_reported_date,
            datediff('day', c.last_reported_date, mart.data_as_of()) as days_since_last_report
        from mart.dq_city as c
        left join k29 on k29.city_id = c.city_id
        left join k30 on k30.city_id = c.city_id
        left join k30_mean on k30_mean.city_id = c.city_id
        where k29.city_id is not null or k30.city_id is not null
        order by k29.pct_filled asc nulls first, c.name, c.city_id
        """,
        [
            *_as_lists(k29, "city_id", "value"),
            *_as_lists(k30, "city_id", "value", "denominator"),
            *_as_lists(mean, "city_id", "value"),
        ],
    )
    city.attrs["totals"] = totals
    return city


def last_report(con: duckdb.DuckDBPyConnection) -> tuple[Any, Any]:
    """Return (the latest reported date of a completed activity, days from it to the data's
    as-of date, D4), both None when no completed activity has one. The filters do not change it.

    Example: ``last_report(con)  # (datetime.date(2025, 3, 1), 11)``
    """
    last = con.execute(
        "select max(reported_date), datediff('day', max(reported_date), mart.data_as_of()) "
        "from mart.activity_register where status = 'completed'"
    ).fetchone()
    return (last[0], last[1]) if last else (None, None)


def timeliness(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    totals: Mapping[str, tuple[float, float]] | None = None,
    last: tuple[Any, Any] | None = None,
) -> pd.DataFrame:
    """Return K30 for the filters: lower-median (headline, D5) and mean reporting lag in days.

    Columns: activities, mean_lag_days, median_lag_days, last_reported_date,
    days_since_last_report (to the data's as-of date, D4). `totals`: K30 and K30.mean the
    caller already read from the metric layer for the same filters (`quality_by_city`'s
    attrs['totals'], metric id -> (value, denominator)): taken as they are, not asked again.
    `last`: `last_report`'s answer when the caller already has it (e.g. read beside the
    frames): taken as it is, not asked again.

    Example: ``timeliness(con, Filters(network=("innovation",)))``
    """
    known = totals or {}
    median = (
        pd.DataFrame([dict(zip(("value", "denominator"), known["K30"], strict=True))])
        if "K30" in known
        else metric_frame(con, "K30", filters)
    )
    mean = (
        pd.DataFrame([dict(zip(("value", "denominator"), known["K30.mean"], strict=True))])
        if "K30.mean" in known
        else metric_frame(con, "K30.mean", filters)
    )
    last_date, days = last if last is not None else last_report(con)
    return pd.DataFrame(
        [
            {
                "activities": int(median["denominator"].iloc[-1] or 0),
                "mean_lag_days": mean["value"].iloc[-1],
                "median_lag_days": median["value"].iloc[-1],
                "last_reported_date": last_date,
                "days_since_last_report": days,
            }
        ]
    )
