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
    # K30's median: exact, a running count over the timeliness cube's (lag, count) rows (no
    # unnesting of the counts), never PERCENTILE_APPROX
    assert "min(report_lag_days) filter(where 2 * lag_running >= lag_count)" in spark
    assert (
        "sum(activities) over (partition by not report_lag_days is null "
        "order by report_lag_days nulls last) as lag_running"
    ) in spark
    assert "percentile_approx" not in spark and "explode(" not in spark
    # one value of a list filter: a 0-based subscript guarded by a case, several: arrays_overlap
    assert (
        "case when size(((cast(:p_region as array<string>)))) = 1 then "
        "array_contains(regions, ((cast(:p_region as array<string>)))[0]) "
        "else arrays_overlap(regions, ((cast(:p_region as array<string>)))) end"
    ) in spark
    sqlglot.parse_one(spark, read="spark")


def test_a_table_macro_called_twice_gets_distinct_cte_names():
    """Spark lifts the CTEs to one WITH: the second call's are numbered, so no name clashes."""
    known = translate.macros(marts.definitions())
    sql = _spark(
        "select * from mart.cooperation_sustained(null) as a "
        "cross join mart.cooperation_sustained(null) as b",
        known,
    )
    assert "cooperation_sustained__final as (" in sql
    assert "cooperation_sustained_2__final as (" in sql
    sqlglot.parse_one(sql, read="spark")


def test_nested_with_ctes_are_prefixed_so_lifting_them_never_clashes():
    sql = _spark(
        "with final as (select 1 as x) select * from final "
        "union all select * from (with final as (select 2 as x) select * from final)"
    )
    assert "with1__final as (" in sql and "from final" in sql
    assert sql.count(" as (") == 2


def test_the_keyed_scorecard_reads_the_kpi_rules_once_and_has_no_lateral_join():
    """Spark inlines a CTE at each reference: the keyed scorecard (every stored call in one
    query) must name the KPI rows once, or it plans every rule many times; and it has no
    lateral join, whose outer references Spark cannot decorrelate outside WHERE."""
    known = translate.macros(marts.definitions())
    sql = _spark(marts.scorecard_keyed_sql(), known)
    tree = sqlglot.parse_one(sql, read="spark")
    refs: dict[str, int] = {}
    for table in tree.find_all(sqlglot.exp.Table):
        name = table.name.split("__")[-1]  # a nested WITH's CTEs are prefixed: with1__computed
        refs[name] = refs.get(name, 0) + 1
    assert refs["computed"] == 1
    assert refs["computed_or_reported"] == 1
    assert refs[marts.SCORECARD_SCOPES] == 3  # the scorecard's and kpi_actual's calls, the dates
    assert "lateral" not in sql and "mart.kpi_" not in sql


def test_flat_names_point_at_the_engine_views_and_keep_the_qualifiers():
    sql = translate.to_spark(
        "select activity_cube.month from mart.activity_cube join core.city c using (city_id)",
        {},
        flat=("core", "mart"),
    ).lower()
    assert "from mart__activity_cube as activity_cube" in sql and "core__city as c" in sql
    assert "mart." not in sql and "core." not in sql
