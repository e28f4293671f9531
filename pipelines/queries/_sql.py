"""Shared helpers of the query layer: label columns, filter WHERE clauses, period bounds.

Values always travel as `?` parameters; the only identifiers spliced into SQL come from the
allow-lists in this module (label columns, filter columns, sort columns).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters

LANGS = ("en", "fr", "es")

# filter field -> column name in every mart that carries the filter dimensions
FILTER_COLUMNS = {
    "network": "network_id",
    "subtheme": "subtheme_id",
    "region": "region",
    "country": "country_iso2",
    "mode": "mode",
}


def label_col(lang: str) -> str:
    """Return the label column for a language of the allow-list (unknown languages give English)."""
    return f"label_{lang}" if lang in LANGS else "label_en"


def period_bounds(filters: Filters) -> tuple[dt.date | None, dt.date | None]:
    """Return the filter period widened to whole months (marts aggregate by month).

    Example: ``period_bounds(Filters(start=date(2024, 3, 15)))  # (date(2024, 3, 1), None)``
    """
    start = filters.start.replace(day=1) if filters.start else None
    end = None
    if filters.end:
        last = calendar.monthrange(filters.end.year, filters.end.month)[1]
        end = filters.end.replace(day=last)
    return start, end


def where(
    filters: Filters,
    *,
    date_col: str | None = "month",
    alias: str = "",
    skip: tuple[str, ...] = (),
) -> tuple[str, list[Any]]:
    """Return (SQL condition, params) applying the filters to a mart with the standard columns.

    `date_col` is compared with the month-widened period; `skip` names filter fields to ignore.
    """
    prefix = f"{alias}." if alias else ""
    clauses: list[str] = ["true"]
    params: list[Any] = []
    start, end = period_bounds(filters)
    if date_col and start:
        clauses.append(f"{prefix}{date_col} >= ?")
        params.append(start)
    if date_col and end:
        clauses.append(f"{prefix}{date_col} <= ?")
        params.append(end)
    for field, column in FILTER_COLUMNS.items():
        values = getattr(filters, field)
        if values and field not in skip:
            clauses.append(f"{prefix}{column} in (select unnest(?::varchar[]))")
            params.append(list(values))
    return " and ".join(clauses), params


def macro_args(
    filters: Filters, *, cooperation: tuple[str, ...] = (), city: tuple[str, ...] = ()
) -> list[Any]:
    """Return the 9 parameters of the mart.kpi_* macros for these filters."""
    start, end = period_bounds(filters)
    return [
        start,
        end,
        list(filters.network),
        list(filters.subtheme),
        list(filters.region),
        list(filters.country),
        list(filters.mode),
        list(cooperation),
        list(city),
    ]


MACRO_PARAMS = "?::date, ?::date, ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[]"


def fetch(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> pd.DataFrame:
    """Run parameterised SQL and return a DataFrame."""
    return con.execute(sql, params or []).df()
