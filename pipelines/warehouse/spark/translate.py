"""Translate the mart SQL (written once, in DuckDB's dialect) into Spark SQL with sqlglot.

The mart files stay the one definition. This module only changes the dialect, and:

- expands the macros: a call of a scalar macro `mart.keep(a, b)` becomes its body with the
  arguments in place of the parameters, a table macro in a FROM clause becomes a subquery;
  Spark then never needs DuckDB's untyped macros (the lake's DuckDB reader keeps the real ones);
- applies the post-translation rules sqlglot gets wrong (each one tested in
  tests/pipelines/test_spark_translate.py):
  * `list(x ORDER BY k)`: sqlglot emits COLLECT_LIST and silently drops the order. DuckDB's
    `list(distinct x order by x)` becomes `array_sort(collect_set(x))`; any other ordered list
    becomes the values of `array_sort(collect_list(struct(k, x)))`. An aggregate list over no row
    is NULL in DuckDB and an empty array in Spark: the empty array becomes NULL.
  * `list_has_any(a, b)`: sqlglot emits `a && b`, which Spark cannot parse: `arrays_overlap`.
  * `arg_max(v, (a, b))`: the row value becomes `struct(a, b)` (ordered field by field).
  * `quantile_disc(x, p)`: sqlglot emits `percentile_disc(x, p)` (Spark takes one argument) or,
    from the WITHIN GROUP form, the approximate PERCENTILE_APPROX: written
    `percentile_disc(p) within group (order by x)`, the exact discrete quantile.

Rewritten portably in the DuckDB source instead (one text both engines run): `array_length(list)`
rather than `len(list)` (which sqlglot turns into the string LENGTH), `count(case when c then 1
end) over (...)` rather than a windowed FILTER, and an unnest cast in a separate step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from pipelines.warehouse import marts

READ = "duckdb"
WRITE = "spark"


@dataclass(frozen=True)
class Macro:
    """A DuckDB macro mart: its parameters and its parsed body (an expression or a query)."""

    name: str
    params: tuple[str, ...]
    body: exp.Expression
    is_table: bool


def _parse(sql: str) -> exp.Expression:
    tree = sqlglot.parse_one(sql, read=READ)
    if not isinstance(tree, exp.Expression):
        raise ValueError(f"not one SQL expression: {sql[:80]}")
    return tree


def _macro(definition: marts.MartDefinition) -> Macro:
    body = _parse(definition.body)
    return Macro(definition.name, definition.params, body, definition.kind == "macro")


def macros(definitions: list[marts.MartDefinition]) -> dict[str, Macro]:
    """Return the macro marts among `definitions`, by name, parsed from their DuckDB text."""
    return {d.name: _macro(d) for d in definitions if d.kind in ("macro", "scalar_macro")}


def _mart_call(node: exp.Expression) -> tuple[str, list[exp.Expression]] | None:
    """Return (name, arguments) when `node` is a scalar call `mart.name(...)`."""
    if (
        isinstance(node, exp.Dot)
        and isinstance(node.this, exp.Identifier)
        and node.this.name == "mart"
        and isinstance(node.expression, exp.Anonymous)
    ):
        return node.expression.name, list(node.expression.expressions)
    return None


def _substitute(macro: Macro, args: list[exp.Expression]) -> exp.Expression:
    if len(args) != len(macro.params):
        raise ValueError(f"mart.{macro.name} takes {len(macro.params)} arguments, got {len(args)}")
    values = dict(zip(macro.params, args, strict=True))

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            return exp.Paren(this=values[node.name].copy())
        return node

    return macro.body.copy().transform(replace)


def _prefix_ctes(scope: exp.Expr, ctes: list[exp.CTE], prefix: str) -> None:
    """Rename the CTEs `ctes` `prefix__name`, in `scope` (in place; returns nothing).

    Every table in `scope` naming one of them is renamed too and keeps the old name as its alias
    (unless it has one), so the query's column references stay valid. Spark lifts CTEs to one
    top-level WITH, where two CTEs of the same name (a macro's `final`, a nested WITH's) would clash.
    """
    renamed = {id(cte) for cte in ctes}
    names = {cte.alias for cte in ctes}
    for node in list(scope.find_all(exp.CTE, exp.Table)):
        if isinstance(node, exp.CTE) and id(node) in renamed:
            node.set("alias", exp.TableAlias(this=exp.to_identifier(f"{prefix}__{node.alias}")))
        elif isinstance(node, exp.Table) and not node.db and node.name in names:
            old = node.name
            node.set("this", exp.to_identifier(f"{prefix}__{old}"))
            if not node.alias:
                node.set("alias", exp.TableAlias(this=exp.to_identifier(old)))


def expand(
    tree: exp.Expression, known: Mapping[str, Macro], calls: dict[str, int] | None = None
) -> exp.Expression:
    """Return `tree` with every call of a known macro replaced by its body (recursively).

    A table macro's CTEs take the macro's name as prefix, and the call's number from the second
    call of the same macro on (`kpi_scope__final`, `kpi_scope_2__final`): lifted to the top,
    every CTE name stays unique. `calls` counts the calls made so far (shared by the recursion).
    """
    seen = {} if calls is None else calls

    def replace(node: exp.Expression) -> exp.Expression:
        call = _mart_call(node)
        if call and call[0] in known and not known[call[0]].is_table:
            body = _substitute(known[call[0]], call[1])
            return exp.Paren(this=expand(body, known, seen))
        if (
            isinstance(node, exp.Table)
            and node.db == "mart"
            and isinstance(node.this, exp.Anonymous)
            and node.this.name in known
        ):
            macro = known[node.this.name]
            seen[macro.name] = seen.get(macro.name, 0) + 1
            prefix = macro.name if seen[macro.name] == 1 else f"{macro.name}_{seen[macro.name]}"
            body = _substitute(macro, list(node.this.expressions))
            _prefix_ctes(body, list(body.find_all(exp.CTE)), prefix)
            body = expand(body, known, seen)
            alias = node.alias or macro.name
            return exp.Subquery(
                this=body.unnest(), alias=exp.TableAlias(this=exp.to_identifier(alias))
            )
        return node

    return tree.transform(replace)


def _empty_to_null(agg: exp.Expression) -> exp.Expression:
    """CASE WHEN size(agg) = 0 THEN NULL ELSE agg END (DuckDB's list over no row is NULL)."""
    size = exp.Anonymous(this="size", expressions=[agg.copy()])
    return exp.Case(
        ifs=[exp.If(this=exp.EQ(this=size, expression=exp.Literal.number(0)), true=exp.Null())],
        default=agg,
    )


def _collect(kind: str, value: exp.Expression, where: exp.Expression | None) -> exp.Expression:
    agg: exp.Expression = exp.Anonymous(this=kind, expressions=[value])
    return exp.Filter(this=agg, expression=where.copy()) if where is not None else agg


def _ordered_list(node: exp.ArrayAgg, where: exp.Expression | None = None) -> exp.Expression:
    """Return the Spark form of DuckDB's `list([distinct] x [order by ...]) [filter (where ...)]`."""
    inner = node.this
    keys: list[exp.Expression] = []
    if isinstance(inner, exp.Order):
        keys = list(inner.expressions)
        inner = inner.this
    distinct = isinstance(inner, exp.Distinct)
    value = inner.expressions[0] if isinstance(inner, exp.Distinct) else inner
    if any(k.args.get("desc") for k in keys):
        raise ValueError(f"no Spark rule for a descending ordered list: {node.sql(READ)}")
    if not keys:
        return _empty_to_null(_collect("collect_set" if distinct else "collect_list", value, where))
    if distinct:
        if len(keys) != 1 or keys[0].this != value:
            raise ValueError(
                f"no Spark rule for a distinct list ordered by another key: {node.sql(READ)}"
            )
        return _empty_to_null(
            exp.Anonymous(this="array_sort", expressions=[_collect("collect_set", value, where)])
        )
    fields: list[exp.Expression] = [k.this for k in keys] + [value]
    struct = exp.Anonymous(this="struct", expressions=fields)
    ordered = exp.Anonymous(
        this="array_sort", expressions=[_collect("collect_list", struct, where)]
    )
    pick = exp.Lambda(
        this=exp.Dot(
            this=exp.to_identifier("s"), expression=exp.to_identifier(f"col{len(fields)}")
        ),
        expressions=[exp.to_identifier("s")],
    )
    return _empty_to_null(exp.Anonymous(this="transform", expressions=[ordered, pick]))


def _percentile_disc(value: exp.Expression, fraction: exp.Expression) -> exp.Expression:
    """Spark's `percentile_disc(p) within group (order by x)` for DuckDB's `quantile_disc(x, p)`.

    An anonymous call: sqlglot writes its own PercentileDisc node as the approximate
    PERCENTILE_APPROX for Spark, which is not the exact discrete quantile DuckDB computes.
    """
    order = exp.Order(expressions=[exp.Ordered(this=value, nulls_first=False)])
    call = exp.Anonymous(this="percentile_disc", expressions=[fraction])
    return exp.WithinGroup(this=call, expression=order)


def spark_rules(tree: exp.Expression) -> exp.Expression:
    """Return `tree` with the constructs sqlglot mistranslates rewritten for Spark."""

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Filter) and isinstance(node.this, exp.ArrayAgg):
            return _ordered_list(node.this, node.expression)
        if isinstance(node, exp.ArrayAgg):
            return _ordered_list(node)
        if isinstance(node, exp.ArrayOverlaps):  # list_has_any: sqlglot writes `a && b`
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        if isinstance(node, exp.PercentileDisc) and node.expression is not None:
            return _percentile_disc(node.this, node.expression)
        if isinstance(node, exp.ArgMax | exp.ArgMin) and isinstance(node.expression, exp.Tuple):
            # arg_max(v, (a, b)): a row value orders field by field; Spark's is a struct
            key = exp.Anonymous(this="struct", expressions=list(node.expression.expressions))
            return node.__class__(this=node.this, expression=key)
        return node

    return tree.transform(replace)


def flat_name(schema: str, name: str) -> str:
    """Return the one-part name `schema__name` a table of `schema` has under `to_spark(flat=...)`."""
    return f"{schema}__{name}"


def _flatten(tree: exp.Expression, schemas: tuple[str, ...]) -> exp.Expression:
    """Return `tree` with each `schema.table` of `schemas` named `schema__table` (alias `table`)."""

    def rename(node: exp.Expression) -> exp.Expression:
        if (
            isinstance(node, exp.Table)
            and node.db in schemas
            and isinstance(node.this, exp.Identifier)
        ):
            table = node.name
            node.set("this", exp.to_identifier(flat_name(node.db, table)))
            node.set("db", None)
            if not node.alias:
                node.set("alias", exp.TableAlias(this=exp.to_identifier(table)))
        return node

    return tree.transform(rename)


def _prefix_nested_ctes(tree: exp.Expression) -> exp.Expression:
    """Return `tree` with the CTEs of every nested WITH prefixed (`with1__final`), innermost
    first, in place: Spark lifts them to one top-level WITH, where a nested `final` would clash
    with an outer one."""
    nested = [w for w in tree.find_all(exp.With) if w.parent is not tree]
    nested.sort(key=lambda w: -w.depth)
    for number, with_ in enumerate(nested, start=1):
        if with_.parent:
            _prefix_ctes(with_.parent, list(with_.expressions), f"with{number}")
    return tree


def to_spark(sql: str, known: Mapping[str, Macro], flat: tuple[str, ...] = ()) -> str:
    """Return Spark SQL for one DuckDB query, macros expanded and the Spark rules applied.

    `flat`: schemas whose tables are named `schema__table` (`flat_name`): the Spark engine's
    temporary views, which keep the Parquet schema inferred once (a view over `parquet.`path``
    infers it again, with a Spark job, at each reference).
    """
    tree = spark_rules(_prefix_nested_ctes(expand(_parse(sql), known)))
    if flat:
        tree = _flatten(tree, flat)
    return tree.sql(WRITE, comments=False)
