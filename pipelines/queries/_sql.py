"""Shared helpers of the query layer: label columns, filter WHERE clauses, period bounds.

Values always travel as `?` parameters; the only identifiers spliced into SQL come from the
allow-lists in this module (label columns, filter columns, sort columns).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from pipelines.metrics.filters import (
    MACRO_PARAMS,
    Filters,
    GeoShape,
    macro_args,
    period_bounds,
    predicate,
)

__all__ = ["LANGS", "MACRO_PARAMS", "fetch", "label_col", "macro_args", "period_bounds", "where"]

LANGS = ("en", "fr", "es")


def label_col(lang: str) -> str:
    """Return the label column for a language of the allow-list (unknown languages give English)."""
    return f"label_{lang}" if lang in LANGS else "label_en"


def where(
    filters: Filters,
    *,
    date_col: str | None = "month",
    alias: str = "",
    skip: tuple[str, ...] = (),
    geo: GeoShape = "scalar",
    tags: bool = False,
) -> tuple[str, list[Any]]:
    """Return (SQL condition, params) applying the filters (see `pipelines.metrics.filters.predicate`)."""
    return predicate(filters, date_col=date_col, alias=alias, skip=skip, geo=geo, tags=tags)


def fetch(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> pd.DataFrame:
    """Run parameterised SQL and return a DataFrame."""
    return con.execute(sql, params or []).df()
