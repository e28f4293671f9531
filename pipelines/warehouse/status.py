"""What the warehouse holds: row counts per table, the last ingest runs, quarantine totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines.warehouse.db import one_row

STATUS_SCHEMAS = ("ref", "core", "ops")


@dataclass
class WarehouseStatus:
    """Row counts per table, the last runs and the quarantined rows per file."""

    tables: list[tuple[str, int]]
    runs: list[dict[str, Any]]
    quarantine: list[tuple[str, int, str]]  # file name, rows, last run id


def warehouse_status(con: duckdb.DuckDBPyConnection, last_runs: int = 10) -> WarehouseStatus:
    """Return the status of the warehouse behind `con` (read-only use)."""
    names = con.execute(
        """
        SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema IN ('ref', 'core', 'ops') AND table_type = 'BASE TABLE'
        ORDER BY CASE table_schema WHEN 'core' THEN 0 WHEN 'ops' THEN 1 ELSE 2 END, table_name
        """
    ).fetchall()
    tables = []
    for schema, table in names:
        # identifiers come from the catalog of our own schemas, not from user input
        count = one_row(con, f'SELECT count(*) FROM "{schema}"."{table}"')[0]
        tables.append((f"{schema}.{table}", int(count)))
    cur = con.execute(
        """
        SELECT run_id, finished_at, file_name, entity, rows_read, rows_loaded, rows_inserted,
               rows_updated, rows_quarantined, status
        FROM ops.ingest_run ORDER BY finished_at DESC, run_id DESC LIMIT $n
        """,
        {"n": last_runs},
    )
    cols = [d[0] for d in cur.description]
    runs = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    quarantine = [
        (f, int(n), r)
        for f, n, r in con.execute(
            """
            SELECT file_name, count(*) AS n, max(run_id) AS last_run
            FROM ops.quarantine GROUP BY file_name ORDER BY n DESC, file_name
            """
        ).fetchall()
    ]
    return WarehouseStatus(tables, runs, quarantine)
