"""Read a published relation page by page: its columns, one page of rows, and its row count.

The open-data API (`dashboard.api`) serves allow-listed marts and reference tables through these
functions. Identifiers come from DuckDB's catalogue (the relation must exist; its columns are read
from information_schema), values travel as named parameters, and rows are ordered on every column
so that limit/offset pages never overlap or skip a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines.metrics.filters import FILTERS, LIST_COLUMNS, Filters, period_bounds
from pipelines.warehouse.db import q


@dataclass(frozen=True)
class Page:
    """One page of a relation: (column, DuckDB type) pairs, rows as tuples, and the filtered total."""

    columns: list[tuple[str, str]]
    rows: list[tuple[Any, ...]]
    total: int


def relation_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    """Return the (column, DuckDB type) pairs of `schema.name`, in order; [] when it does not exist.

    Example: ``relation_columns(con, "ref.network")[0]  # ('network_id', 'VARCHAR')``
    """
    schema, _, name = relation.partition(".")
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = $schema and table_name = $name order by ordinal_position",
        {"schema": schema, "name": name},
    ).fetchall()


def unfilterable(columns: list[tuple[str, str]], filters: Filters) -> list[str]:
    """Return the names of the set filters that a relation with `columns` cannot apply.

    A code-list filter needs its column (or, for a place, the list column of a relation whose
    rows count for several places); the period needs a `month` column.
    """
    names = {c for c, _ in columns}
    missing = [
        spec.name
        for spec in FILTERS
        if getattr(filters, spec.name)
        and spec.column not in names
        and LIST_COLUMNS.get(spec.column) not in names
    ]
    if (filters.start or filters.end) and "month" not in names:
        missing[:0] = [n for n in ("start", "end") if getattr(filters, n)]
    return missing


def _where(names: set[str], filters: Filters) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = ["true"]
    params: dict[str, Any] = {}
    start, end = period_bounds(filters)
    if start and "month" in names:
        clauses.append("month >= $p_start")
        params["p_start"] = start
    if end and "month" in names:
        clauses.append("month <= $p_end")
        params["p_end"] = end
    for spec in FILTERS:
        values = getattr(filters, spec.name)
        if not values:
            continue
        param = f"p_{spec.name}"
        if spec.column in names:
            clauses.append(f"{q(spec.column)} in (select unnest(${param}::varchar[]))")
        else:  # a list column: the row counts for every place it holds (D12)
            clauses.append(f"list_has_any({q(LIST_COLUMNS[spec.column])}, ${param}::varchar[])")
        params[param] = list(values)
    return " and ".join(clauses), params


def relation_page(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    filters: Filters,
    *,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """Return one page of `relation` restricted by `filters`, ordered on every column.

    A relation that does not exist gives an empty page; a filter it cannot apply raises
    ValueError (see `unfilterable`).

    Example: ``relation_page(con, "mart.activity_cube", Filters(network=("innovation",)), limit=100, offset=0)``
    """
    columns = relation_columns(con, relation)
    if not columns:
        return Page([], [], 0)
    missing = unfilterable(columns, filters)
    if missing:
        raise ValueError(f"{relation} cannot be filtered by {', '.join(missing)}")
    schema, _, name = relation.partition(".")
    source = f"{q(schema)}.{q(name)}"
    cond, params = _where({c for c, _ in columns}, filters)
    row = con.execute(f"select count(*) from {source} where {cond}", params).fetchone()
    total = int(row[0]) if row else 0
    order = ", ".join(f"{q(c)} nulls first" for c, _ in columns)
    rows = con.execute(
        f"select * from {source} where {cond} order by {order} limit $p_limit offset $p_offset",
        {**params, "p_limit": limit, "p_offset": offset},
    ).fetchall()
    return Page(columns, rows, total)


def relations(
    con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = ("mart", "ref")
) -> list[str]:
    """Return 'schema.name' of every table and view in `schemas`, in that schema order, by name.

    Example: ``relations(con, ("mart", "ref"))[:2]  # ['mart.activity_cube', 'mart.calendar']``
    """
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where list_contains($schemas, table_schema) "
        "order by list_position($schemas, table_schema), table_name",
        {"schemas": list(schemas)},
    ).fetchall()
    return [r[0] for r in rows]
