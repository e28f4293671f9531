"""Compare two copies of the marts, row for row: the warehouse's own and a lake run's.

Used by the Spark parity test and available to operators after `iurc publish --engine spark`.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipelines.warehouse import lake

REL_TOL = 1e-9


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | Decimal) or isinstance(b, float | Decimal):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=1e-12)
    return bool(a == b)


def mart_differences(db: Path, run_dir: Path, limit: int = 3) -> dict[str, list[str]]:
    """Return {mart: differences} between the warehouse `db` and the lake run (empty: equal).

    Every mart table or view of the warehouse must be in the run with the same columns and the
    same rows, after a deterministic sort on every column; lists compare as ordered lists, numbers
    to a relative 1e-9.
    """
    con = duckdb.connect(":memory:")
    con.execute("attach ? as wh (read_only)", [str(db)])
    names = [
        r[0]
        for r in con.execute(
            """
            select table_name from duckdb_tables() where database_name = 'wh' and schema_name = 'mart'
            union select view_name from duckdb_views()
            where database_name = 'wh' and schema_name = 'mart' and not internal
            order by 1
            """
        ).fetchall()
    ]
    found = {name for _, name, _ in lake.tables(run_dir, schemas=("mart",))}
    diffs: dict[str, list[str]] = {}
    for name in names:
        if name not in found:
            diffs[name] = ["missing from the lake"]
            continue
        files = lake.parquet_files(lake.table_dir(run_dir, "mart", name))
        ours = con.execute(f'select * from wh.mart."{name}" order by all')
        cols = [d[0] for d in ours.description]
        expected = ours.fetchall()
        columns = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
        theirs = con.execute(
            f"select {columns} from read_parquet($files) order by all",
            {"files": files},
        ).fetchall()
        problems = []
        if len(expected) != len(theirs):
            problems.append(f"{len(expected)} rows in DuckDB, {len(theirs)} in the lake")
        for row_a, row_b in zip(expected, theirs, strict=False):
            for col, a, b in zip(cols, row_a, row_b, strict=True):
                if not _same(a, b):
                    problems.append(f"{col}: {a!r} != {b!r}")
            if len(problems) >= limit:
                break
        if problems:
            diffs[name] = problems
    return diffs
