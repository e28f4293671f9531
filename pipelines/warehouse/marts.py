"""Build the metric marts (`mart.*`): the one definition of every number.

Each `pipelines/warehouse/sql/marts/NN_name.sql` holds one SELECT (import CTEs -> transform -> `select * from
final`) and defines the relation `mart.name`. Files run in name order, so the number prefix orders
dependencies. The first line declares how the relation is materialised:

    -- materialized: view                    a view (cheap, always current)
    -- materialized: table                   a table rebuilt at every publish (speed at scale)
    -- materialized: macro(a, b)             a table macro `mart.name(a, b)` (parameterised SQL)
    -- materialized: scalar_macro(a, b)      a scalar macro; the file holds one expression

`mart.kpi_scorecard` is then filled by ONE query over a temporary table of the stored scopes and
periods (programme, networks and cooperation modes, to date and per year; cooperations and cities
with targets; one row per call, its `mart.kpi_scorecard_for` parameters as columns): the macro
joined laterally to each row (`scorecard_batch_sql`), so the stored scorecard and a scorecard for
any filter combination come from the same SQL, and the stored one is planned once rather than once
per call.
The same calls in the keyed form (`scorecard_keyed_sql`: the macros' text with the call as a key
through every step, no lateral join) are what Spark runs; on DuckDB both give the same rows.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines import config
from pipelines.metrics import build, completeness
from pipelines.metrics.filters import MACRO_PARAMETERS, Filters, macro_args

_HEADER = re.compile(
    r"^--\s*materialized:\s*(?P<kind>view|table|macro|scalar_macro)(\((?P<params>[^)]*)\))?\s*$"
)
_NAME = re.compile(r"^\d+_(?P<name>[a-z][a-z0-9_]*)\.sql$")


def mart_files(directory: Path | None = None) -> list[Path]:
    """Return the mart SQL files in build order."""
    return sorted((directory or config.MARTS_SQL_DIR).glob("*.sql"))


_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def fragments(calls: str = "") -> dict[str, str]:
    """Return the SQL the metric layer generates for `{{ name }}` placeholders in mart files.

    The marts hold no rule of their own where a declaration exists: KPI rules come from the
    metric catalogue, column counts from the data contracts. `calls` (a relation of calls:
    `SCORECARD_SCOPE_COLUMNS`) fills the scorecard macros' keyed placeholders for all its calls at
    once (`scorecard_keyed_sql`); without it they are filled for the macros' own one call.
    """
    return {
        "kpi_computed": build.kpi_computed_sql(calls and _ACTUAL_CALL),
        "kpi_computed_ids": build.kpi_computed_ids_sql(),
        "table_completeness": completeness.table_completeness_sql(),
        "activity_fields_filled": completeness.fields_filled_sql("activity", "a"),
        "activity_fields_total": str(completeness.fields_total("activity")),
        **_keyed_fragments(calls),
    }


# the relation of calls in mart.kpi_actual's body (its first CTE), which the keyed rules join
_ACTUAL_CALL = "actual_call"
_KEYED_FILES = {"kpi_actual": "20_kpi_actual.sql", "kpi_scorecard_for": "21_kpi_scorecard_for.sql"}


def _keyed_fragments(calls: str, computed: str = "") -> dict[str, str]:
    """Return the scorecard macros' keyed placeholders: the relation of calls (`kpi_calls`), the
    final projection (`call_out`: the key dropped from a macro's rows) and mart.kpi_actual's rows
    as the scorecard reads them (`kpi_actual_rows`). `computed`, a relation holding the KPI
    rules' keyed rows already (`build.kpi_computed_parts`, computed apart), replaces the rules."""
    names = [name for name, _ in MACRO_PARAMETERS]
    if not calls:
        params = ", ".join(f"{name}::{kind} as {name}" for name, kind in MACRO_PARAMETERS)
        return {
            "kpi_calls": f"select 0 as call, {params}",
            "call_out": "* exclude (call)",
            "kpi_actual_rows": f"select 0 as call, * from mart.kpi_actual({', '.join(names)})",
        }
    rules = f"select * from {computed}" if computed else build.kpi_computed_sql(_ACTUAL_CALL)
    generated = {
        "kpi_computed": rules,
        "kpi_computed_ids": build.kpi_computed_ids_sql(),
        "kpi_calls": f"select call, {', '.join(names)} from {calls}",
        "call_out": "*",
    }
    actual = parse_mart(config.MARTS_SQL_DIR / _KEYED_FILES["kpi_actual"], generated)
    return {**generated, "kpi_actual_rows": actual.body}


def _fill(text: str, name: str, generated: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in generated:
            raise ValueError(f"{name}: unknown placeholder {{{{ {key} }}}}")
        return generated[key]

    return _PLACEHOLDER.sub(replace, text)


@dataclass(frozen=True)
class MartDefinition:
    """One mart file, parsed: relation name, materialisation kind, macro parameters and SQL body.

    `body` is the SELECT (or, for a scalar macro, the one expression) with the metric layer's
    placeholders filled: the engine-neutral definition both DuckDB and the Spark translator read.
    """

    name: str
    kind: str
    params: tuple[str, ...]
    body: str


def parse_mart(path: Path, generated: dict[str, str] | None = None) -> MartDefinition:
    """Return the parsed definition of one mart file (raises ValueError on a malformed file)."""
    match = _NAME.match(path.name)
    if not match:
        raise ValueError(f"{path.name}: mart files are named NN_relation.sql")
    name = match.group("name")
    text = _fill(path.read_text(encoding="utf-8"), path.name, generated or fragments())
    first, _, body = text.partition("\n")
    header = _HEADER.match(first.strip())
    if not header:
        raise ValueError(
            f"{path.name}: first line must be '-- materialized: view|table|macro(...)|scalar_macro(...)'"
        )
    kind = header.group("kind")
    body = body.strip().rstrip(";")
    if kind == "scalar_macro":
        # a scalar macro file holds one expression; '--' comment lines are dropped
        body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("--"))
    params = tuple(p.strip() for p in (header.group("params") or "").split(",") if p.strip())
    return MartDefinition(name, kind, params, body)


def definitions() -> list[MartDefinition]:
    """Return every mart definition in build order, placeholders filled."""
    generated = fragments()
    return [parse_mart(path, generated) for path in mart_files()]


def _statement(path: Path, generated: dict[str, str] | None = None) -> tuple[str, str]:
    """Return (relation name, DDL statement) for one mart file."""
    return ddl(parse_mart(path, generated))


def ddl(mart: MartDefinition) -> tuple[str, str]:
    """Return (relation name, DuckDB DDL statement) creating one mart definition."""
    name, kind, body, params = mart.name, mart.kind, mart.body, ", ".join(mart.params)
    if kind == "view":
        return name, f"create or replace view mart.{name} as\n{body}"
    if kind == "table":
        return name, f"create or replace table mart.{name} as\n{body}"
    if kind == "macro":
        return name, f"create or replace macro mart.{name}({params}) as table\n{body}"
    return name, f"create or replace macro mart.{name}({params}) as ({body})"


def build_marts(con: duckdb.DuckDBPyConnection, *, store_scorecards: bool = True) -> list[str]:
    """(Re)build every mart on a writable warehouse connection; return the relation names built.

    `store_scorecards=False` (a throw-away copy needing one scorecard) leaves the stored
    scorecards out: `mart.kpi_scorecard` is emptied, so queries compute them live.
    """
    con.execute("create schema if not exists mart")
    kinds = dict(
        con.execute(
            "select table_name, 'table' from duckdb_tables() where schema_name = 'mart' "
            "and database_name = current_database() union all "
            "select view_name, 'view' from duckdb_views() where schema_name = 'mart' "
            "and database_name = current_database()"
        ).fetchall()
    )
    built = []
    for mart in definitions():
        name, statement = ddl(mart)
        if kinds.get(name, mart.kind) != mart.kind:  # e.g. a view of older code now a table
            con.execute(f"drop {kinds[name]} mart.{name}")
        con.execute(statement)
        built.append(name)
    # a relation of older code that this code no longer builds (a mart renamed or removed):
    # dropped, so the exports, the lake and the analysts' queries never read a stale copy
    # (views first: one may read a stale table)
    for name, kind in sorted(kinds.items(), key=lambda item: item[1] != "view"):
        if name not in built and name != "kpi_scorecard":  # kpi_scorecard: filled below
            con.execute(f'drop {kind} if exists mart."{name}"')
    if store_scorecards:
        _fill_scorecard(con)
    elif con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'mart' "
        "and table_name = 'kpi_scorecard'"
    ).fetchall()[0][0]:
        con.execute("delete from mart.kpi_scorecard")
    con.execute("delete from ops.mart_build")
    con.execute("insert into ops.mart_build values (?)", [code_fingerprint()])
    return built


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Return the sha256 (hex) of the warehouse SQL this code builds: the DDL text and every
    mart's statement as generated by the metric layer, so a change to a mart file or to a KPI
    rule's generated SQL gives another fingerprint.

    Example: ``len(code_fingerprint())`` is 64.
    """
    from pipelines.warehouse.db import ddl_sql

    digest = hashlib.sha256(ddl_sql().encode())
    for mart in definitions():
        for part in ddl(mart):
            digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def stale_reason(con: duckdb.DuckDBPyConnection) -> str | None:
    """Return why the marts of the warehouse behind `con` do not match this code (they were
    built by another version, or before versions were recorded), or None when they match.

    Example: ``stale_reason(connect_memory())`` is None.
    """
    try:
        rows = con.execute("select fingerprint from ops.mart_build").fetchall()
    except duckdb.CatalogException:
        rows = []
    if not rows:
        return "its marts were built by an older version of IURC Impact"
    if rows[0][0] != code_fingerprint():
        return "its marts were built by another version of IURC Impact"
    return None


RowSource = Callable[[str], list[tuple[Any, ...]]]


def _scorecard_calls(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Return the stored scorecard calls, read from a DuckDB warehouse (see `scorecard_calls`)."""
    return scorecard_calls(lambda sql: con.execute(sql).fetchall())


def scorecard_calls(rows: RowSource) -> list[tuple[Any, ...]]:
    """Return (scope_type, scope_id, period_type, start, end) for every stored scorecard row set.

    Stored: the programme, each network and each cooperation mode (a target scope of its own:
    the overview's single mode filter), to date and per year; cooperations and cities that
    have targets, to date and per year of a target. Quarters and other scopes are computed on
    demand (`mart.kpi_scorecard_for`): every stored call adds (rows x calls) work to the one
    fill query.
    """
    calls: list[tuple[Any, ...]] = []
    years = rows(
        "select period_start, period_end from mart.calendar where period_type = 'year' order by 1"
    )
    networks = [
        r[0]
        for r in rows(
            "select network_id from ref.network union select network_id from core.cooperation "
            "union select network_id from core.activity order by 1"
        )
    ]
    modes = [r[0] for r in rows("select mode_id from ref.cooperation_mode order by 1")]
    for scope_type, ids in (
        ("programme", [config.PROGRAMME_ID]),
        ("network", networks),
        ("mode", modes),
    ):
        for scope_id in ids:
            calls.append((scope_type, scope_id, "all", None, None))
            calls.extend((scope_type, scope_id, "year", start, end) for start, end in years)
    for scope_type, scope_id in rows(
        """
        select distinct scope_type, scope_id from core.target
        where scope_type in ('cooperation', 'city') order by all
        """
    ):
        calls.append((scope_type, scope_id, "all", None, None))
    for scope_type, scope_id, start, end in rows(
        """
        select distinct t.scope_type, t.scope_id, c.period_start, c.period_end
        from core.target t
        join mart.calendar c
          on c.period_type = 'year' and t.period_end between c.period_start and c.period_end
        where t.scope_type in ('cooperation', 'city')
        order by all
        """
    ):
        calls.append((scope_type, scope_id, "year", start, end))
    return calls


def scorecard_params(call: tuple[Any, ...]) -> dict[str, Any]:
    """Return the named parameters of one `scorecard_calls` call: `period_type`, `period_start`,
    `period_end` (the stored period) and the `MACRO_PARAMETERS` of `mart.kpi_scorecard_for`.

    Example: ``scorecard_params(("network", "innovation", "all", None, None))["p_network"]``
    is ``["innovation"]``.
    """
    scope_type, scope_id, period_type, start, end = call
    filters = Filters(
        start=start,
        end=end,
        network=(scope_id,) if scope_type == "network" else (),
        mode=(scope_id,) if scope_type == "mode" else (),
    )
    args = macro_args(
        filters,
        cooperation=(scope_id,) if scope_type == "cooperation" else (),
        city=(scope_id,) if scope_type == "city" else (),
    )
    params: dict[str, Any] = {"period_type": period_type, "period_start": start, "period_end": end}
    params.update(zip((name for name, _ in MACRO_PARAMETERS), args, strict=True))
    return params


def scorecard_query(call: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    """Return (SQL, named parameters) of the stored scorecard rows of one `scorecard_calls` call.

    One portable text, DuckDB's dialect with `$name` parameters (translated for Spark, `$name`
    becomes `:name`): the live macro for one call, beside which the stored rows are checked.
    Example: ``scorecard_query(("network", "innovation", "all", None, None))[1]["p_network"]``
    is ``["innovation"]``.
    """
    sql = (
        "select $period_type::varchar as period_type, $period_start::date as period_start, "
        f"$period_end::date as period_end, * from {macro_call('kpi_scorecard_for')}"
    )
    return sql, scorecard_params(call)


# The table of stored scorecard calls (one row per `scorecard_calls` call, `scorecard_params`
# as columns) the batch query reads, as a temporary table.
SCORECARD_SCOPES = "kpi_scorecard_scope"
SCORECARD_SCOPE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("call", "integer"),
    ("period_type", "varchar"),
    ("period_start", "date"),
    ("period_end", "date"),
    *MACRO_PARAMETERS,
)


def scorecard_scope_rows(calls: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Return the rows of the scope table (`SCORECARD_SCOPE_COLUMNS`), one per call, in order."""
    rows = []
    for number, call in enumerate(calls):
        params = {"call": number, **scorecard_params(call)}
        rows.append(tuple(params[name] for name, _ in SCORECARD_SCOPE_COLUMNS))
    return rows


def scorecard_batch_sql(rows: list[tuple[Any, ...]], scopes: str = SCORECARD_SCOPES) -> str:
    """Return the ONE query giving the stored scorecard rows of every call in the table `scopes`.

    `rows` are that table's rows (`scorecard_scope_rows`). Each scope row is one call of the live
    macro `mart.kpi_scorecard_for` on the row's own parameters (a lateral join): the same SQL
    text as a scorecard for any filter, planned once for all calls (DuckDB decorrelates it: every
    KPI rule's rows are joined to the scopes and grouped by call) rather than once per call. A
    list parameter empty in every row (e.g. p_subtheme: no stored scope has one) is passed as the
    constant `[]`, so the plan folds its conditions away instead of testing them for every
    (row, scope) pair. Rows come call by call, each call's in the macro's order.
    """
    names = [name for name, _ in SCORECARD_SCOPE_COLUMNS]

    def argument(name: str, kind: str) -> str:
        column = names.index(name)
        if kind.endswith("[]") and not any(row[column] for row in rows):
            return f"[]::{kind}"
        return f"k.{name}"

    args = ", ".join(argument(name, kind) for name, kind in MACRO_PARAMETERS)
    return (
        "select k.period_type, k.period_start, k.period_end, r.*\n"
        f"from {scopes} as k,\n"
        f"lateral (select * from mart.kpi_scorecard_for({args})) as r\n"
        "order by k.call, r.sort_order nulls last, r.indicator_id, r.value_kind, r.measure"
    )


def scorecard_keyed_sql(scopes: str = SCORECARD_SCOPES, computed: str = "") -> str:
    """Return the ONE keyed query giving the stored scorecard rows of every call in `scopes`.

    The table `scopes` holds `scorecard_scope_rows`. The query is mart.kpi_scorecard_for's own
    text (and mart.kpi_actual's inside it, every KPI rule generated by the metric layer in its
    keyed mode), filled for all those calls at once: every source row carries its call's key and
    parameters, every aggregate groups by the key. Unlike `scorecard_batch_sql` it has no lateral
    join, so an engine that decorrelates only WHERE clauses (Spark) runs it; on DuckDB its rows
    equal the lateral batch's. Same columns and order as `scorecard_batch_sql`.

    `computed` names a relation holding the KPI rules' keyed rows for these calls, computed apart
    (the UNION ALL of `scorecard_rule_parts(scopes)`), read in place of the rules' text.
    """
    generated = fragments(scopes)
    if computed:
        generated.update(_keyed_fragments(scopes, computed))
    body = parse_mart(config.MARTS_SQL_DIR / _KEYED_FILES["kpi_scorecard_for"], generated).body
    return (
        "select s.period_type, s.period_start, s.period_end, r.* exclude (call)\n"
        f"from (\n{body}\n) as r\njoin {scopes} as s on s.call = r.call\n"
        "order by r.call, r.sort_order nulls last, r.indicator_id, r.value_kind, r.measure"
    )


def scorecard_rule_parts(scopes: str = SCORECARD_SCOPES) -> dict[str, list[str]]:
    """Return the KPI rules' keyed SELECTs over the calls in `scopes`, grouped by source:
    {source: [SELECT, ...]}. The UNION ALL of every group's SELECTs, in any order, is the rows
    `scorecard_keyed_sql(scopes, computed=...)` reads from `computed`.

    Example: ``"participation" in scorecard_rule_parts()`` is True.
    """
    groups: dict[str, list[str]] = {}
    for source, sql in build.kpi_computed_parts(scopes):
        groups.setdefault(source, []).append(sql)
    return groups


@functools.lru_cache(maxsize=64)
def scorecard_live_sql(computed: str) -> str:
    """Return mart.kpi_scorecard_for's own text as ONE live query for one call (DuckDB, named
    `$parameters`: the `MACRO_PARAMETERS` and those of `computed`).

    `computed` is the KPI rules' rows for that call (`build.kpi_computed_query`), in place of
    the macro's, which must read every filter as a parameter; every other line (targets, RAG,
    fallback targets, K28, the reported rows of mart.kpi_actual) is the macros' own text, filled
    as for the keyed form with a relation of one call whose columns are the parameters. Same
    columns, rows and order as the macro called with those parameters.
    """
    params = ", ".join(f"${name}::{kind} as {name}" for name, kind in MACRO_PARAMETERS)
    generated = {
        **_base_fragments(),
        "kpi_computed": computed,
        "kpi_calls": f"select 0 as call, {params}",
        "call_out": "*",
    }
    actual = parse_mart(config.MARTS_SQL_DIR / _KEYED_FILES["kpi_actual"], generated).body
    generated.update(kpi_actual_rows=actual, call_out="* exclude (call)")
    body = parse_mart(config.MARTS_SQL_DIR / _KEYED_FILES["kpi_scorecard_for"], generated).body
    return _materialized(body, _LIVE_MATERIALIZED)


# The CTEs of the live scorecard DuckDB computes once and reads as a table (`as materialized`)
# instead of planning their text again at every reference (the one call's scope: 7 references,
# the targets, the rated rows) or pushing the scorecard's joins into every KPI rule (`computed`,
# 26 SELECTs): their rows are a few dozen, their planning was most of the statement's. Same
# rows; DuckDB only (the live query), the mart files stay engine-neutral.
_LIVE_MATERIALIZED = (
    "computed",
    "actual_scope",
    "scope",
    "indicator",
    "target",
    "fallback",
    "rated",
)


def _materialized(sql: str, names: tuple[str, ...]) -> str:
    """Return `sql` with the CTEs `names` (each defined once, `name as (` on a line of its own)
    declared `as materialized`. Raises ValueError if one is not defined exactly once.

    Example: ``_materialized("with\nx as (\nselect 1\n)\nselect * from x", ("x",))``
    """
    for name in names:
        sql, found = re.subn(rf"^{name} as \($", f"{name} as materialized (", sql, flags=re.M)
        if found != 1:
            raise ValueError(f"CTE {name!r} is defined {found} times, not once")
    return sql


@functools.lru_cache(maxsize=1)
def _base_fragments() -> dict[str, str]:
    return fragments()


def macro_call(name: str) -> str:
    """Return the call of the mart.kpi_* table macro `name` on the named `MACRO_PARAMETERS`.

    Example: ``macro_call("kpi_actual")`` is ``"mart.kpi_actual($p_start::date, ..., $p_city::varchar[])"``.
    """
    return f"mart.{name}({', '.join(f'${p}::{kind}' for p, kind in MACRO_PARAMETERS)})"


def _fill_scorecard(con: duckdb.DuckDBPyConnection) -> None:
    """Materialise mart.kpi_scorecard: every stored scope and period in one query over a
    temporary table of the calls (`scorecard_batch_sql`)."""
    rows = scorecard_scope_rows(_scorecard_calls(con))
    columns = ", ".join(f"{name} {kind}" for name, kind in SCORECARD_SCOPE_COLUMNS)
    con.execute(f"create or replace temp table {SCORECARD_SCOPES} ({columns})")
    try:
        marks = ", ".join("?" for _ in SCORECARD_SCOPE_COLUMNS)
        con.executemany(f"insert into {SCORECARD_SCOPES} values ({marks})", rows)
        con.execute(f"create or replace table mart.kpi_scorecard as {scorecard_batch_sql(rows)}")
    finally:
        con.execute(f"drop table if exists {SCORECARD_SCOPES}")
