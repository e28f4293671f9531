"""Write validated rows: upsert good rows into core.<entity> by natural key, keep bad rows in
ops.quarantine with every reason. Works on the temp tables `stage` and `checked` that
`read.stage_file` and `validate.check_stage` leave on the connection.

The DDL has no primary keys (bulk loads of millions of rows would pay for ART indexes), so the
loader enforces keys: a row whose key exists and whose other columns differ replaces the stored
row (updated); an identical row is left alone (unchanged, keeping its original run_id); a new key
is inserted. Nullable key parts (e.g. sdg_alignment.target_id) compare with IS NOT DISTINCT FROM.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.warehouse.db import one_row, q
from schemas import Entity

REASON_SQL = (
    "array_to_string(list_transform(reasons, lambda r: concat(coalesce(r.\"column\", 'row'), ': ', "
    "r.rule, ' (', coalesce(r.value, 'empty'), ')')), '; ')"
)


@dataclass
class UpsertCounts:
    """Rows inserted, updated and left unchanged by an upsert."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def loaded(self) -> int:
        """Return the rows that passed validation (inserted + updated + unchanged)."""
        return self.inserted + self.updated + self.unchanged


def _key_match(entity: Entity, a: str, b: str) -> str:
    """Return the key join condition: '=' for required parts, IS NOT DISTINCT FROM for nullable."""
    columns = entity.fields
    return " AND ".join(
        f"{a}.{q(k)} IS NOT DISTINCT FROM {b}.{q(k)}"
        if columns[k].nullable
        else f"{a}.{q(k)} = {b}.{q(k)}"
        for k in entity.key
    )


def upsert(con: duckdb.DuckDBPyConnection, entity: Entity, run_id: str) -> UpsertCounts:
    """Upsert the good rows of `checked` into core.<entity>; return the counts."""
    table = f"core.{entity.name}"  # entity names come from the schema registry
    cols = entity.columns
    col_list = ", ".join(q(c) for c in cols)
    good = one_row(con, "SELECT count(*) FROM checked WHERE len(reasons) = 0")[0]
    if good == 0:
        return UpsertCounts()
    stored = one_row(con, f"SELECT count(*) FROM {table}")[0]
    if stored == 0:
        con.execute(
            f"INSERT INTO {table} ({col_list}, run_id) "
            f"SELECT {col_list}, $run FROM checked WHERE len(reasons) = 0",
            {"run": run_id},
        )
        return UpsertCounts(inserted=good)
    key_on = _key_match(entity, "g", "w")
    values = [c for c in cols if c not in entity.key]
    changed = " OR ".join(f"g.{q(c)} IS DISTINCT FROM w.{q(c)}" for c in values) or "false"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE matched AS
        SELECT g._line, bool_or({changed}) AS changed
        FROM checked g JOIN {table} w ON {key_on}
        WHERE len(g.reasons) = 0
        GROUP BY g._line
        """
    )
    updated, unchanged = one_row(
        con,
        "SELECT count(*) FILTER (WHERE changed), count(*) FILTER (WHERE NOT changed) FROM matched",
    )
    if updated:
        key_using = _key_match(entity, "w", "g")
        con.execute(
            f"""
            DELETE FROM {table} w USING (
                SELECT c.* FROM checked c JOIN matched m USING (_line) WHERE m.changed
            ) g WHERE {key_using}
            """
        )
    con.execute(
        f"""
        INSERT INTO {table} ({col_list}, run_id)
        SELECT {col_list}, $run FROM checked c
        WHERE len(c.reasons) = 0
          AND NOT EXISTS (SELECT 1 FROM matched m WHERE m._line = c._line AND NOT m.changed)
        """,
        {"run": run_id},
    )
    return UpsertCounts(inserted=good - updated - unchanged, updated=updated, unchanged=unchanged)


def quarantine(
    con: duckdb.DuckDBPyConnection,
    entity: Entity,
    present: list[str],
    run_id: str,
    file_name: str,
) -> int:
    """Copy every failing row of `checked`, as read, into ops.quarantine; return the count.

    Rows of an IATI file also keep their element path (`location`, from `stage_location`).
    """
    location, join = _location_join(con)
    if present:
        raw = "to_json(struct_pack(" + ", ".join(f"{q(c)} := s.{q(c)}" for c in present) + "))"
    else:
        raw = "'{}'"
    con.execute(
        f"""
        INSERT INTO ops.quarantine
            (run_id, file_name, line, entity, raw_record, reasons, first_column, first_rule,
             location)
        SELECT $run, $file, c._line, $entity, CAST({raw} AS VARCHAR), {REASON_SQL},
               c.reasons[1]."column", c.reasons[1].rule, {location}
        FROM checked c JOIN stage s USING (_line){join}
        WHERE len(c.reasons) > 0
        ORDER BY c._line
        """,
        {"run": run_id, "file": file_name, "entity": entity.name},
    )
    return int(one_row(con, "SELECT count(*) FROM checked WHERE len(reasons) > 0")[0])


def _location_join(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """Return (location expression, join) for `checked` c: the element path of an IATI record
    when `stage_location` exists, else NULL."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'stage_location' AND temporary"
    ).fetchone()
    if found and found[0]:
        return "l.location", " LEFT JOIN stage_location l ON l._line = c._line"
    return "CAST(NULL AS VARCHAR)", ""


def problems(
    con: duckdb.DuckDBPyConnection, limit: int
) -> list[tuple[int, str | None, str, str | None, str | None]]:
    """Return up to `limit` failures of `checked` as (line, column, rule, value, location), by
    line; location is the element path of an IATI record, else None."""
    location, join = _location_join(con)
    rows = con.execute(
        f"SELECT c._line, c.reasons, {location} FROM checked c{join} "
        "WHERE len(c.reasons) > 0 ORDER BY c._line LIMIT $n",
        {"n": limit},
    ).fetchall()
    out = [
        (line, r["column"], r["rule"], r["value"], where)
        for line, reasons, where in rows
        for r in reasons
    ]
    return out[:limit]
