"""The DuckDB -> Spark SQL translation rules, on small queries (no Spark needed)."""

from __future__ import annotations

import sqlglot

from pipelines.warehouse import marts
from pipelines.warehouse.spark import translate


def _spark(sql: str, known: dict[str, translate.Macro] | None = None) -> str:
    return translate.to_spark(sql, known or {}).lower()


def test_ordered_distinct_list_keeps_its_order_and_is_null_when_empty():
    sql = _spark(
        "select list(distinct c order by c) filter (where c is not null) as cs from t group by k"
    )
    assert "collect_list" not in sql
    assert "array_sort(collect_set(c) filter(where not c is null))" in sql
    assert "case when size(" in sql and "then null" in sql


def test_list_ordered_by_another_key_sorts_structs_and_keeps_the_values():
    sql = _spark("select list(v order by d, e) as vs from t group by k")
    assert "array_sort(collect_list(struct(d, e, v)))" in sql
    assert "s -> s.col3" in sql


def test_scalar_and_table_macros_expand_from_the_mart_definitions():
    known = translate.macros(marts.definitions())
    sql = _spark(
        "select * from mart.cooperation_sustained(null) as s where mart.keep(s.mode, [])", known
    )
    assert "mart.keep" not in sql and "mart.cooperation_sustained" not in sql
    # the macro's CTEs are prefixed: Spark lifts CTEs to the top, where `final` would clash
    assert "cooperation_sustained__final" in sql
    assert "size((array()))" in sql  # array_length(list), never the string LENGTH
    sqlglot.parse_one(sql, read="spark")


def test_every_mart_translates():
    definitions = marts.definitions()
    known = translate.macros(definitions)
    for mart in definitions:
        if mart.kind in ("view", "table"):
            assert " length(" not in _spark(mart.body, known), mart.name


def test_list_has_any_and_arg_max_on_a_row_value_become_spark_functions():
    sql = _spark("select list_has_any(a, b) as x, arg_max(v, (c, d)) as y from t")
    assert "arrays_overlap(a, b)" in sql and "&&" not in sql
    assert "max_by(v, struct(c, d))" in sql


def test_the_stored_scorecard_query_translates_with_bound_parameters():
    """One text per call for both engines: DuckDB's `$name` becomes Spark's `:name`, same casts."""
    sql, params = marts.scorecard_query(("network", "innovation", "all", None, None))
    assert params["p_network"] == ["innovation"] and params["p_city"] == []
    spark = _spark(sql, translate.macros(marts.definitions()))
    assert "$" not in spark and "mart.kpi_" not in spark
    assert "cast(:p_network as array<string>)" in spark
    assert "cast(:period_start as date)" in spark
    # K30's unnest of the timeliness counts: a LATERAL VIEW, not a generator in a FROM list
    assert "lateral view explode(" in spark
    # K30's median: the exact discrete quantile, never PERCENTILE_APPROX
    assert "percentile_disc(0.5) within group (order by report_lag_days nulls last)" in spark
    assert "percentile_approx" not in spark
    sqlglot.parse_one(spark, read="spark")
