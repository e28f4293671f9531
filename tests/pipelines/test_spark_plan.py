"""The keyed scorecard's plan on Spark broadcasts the calls, never a fact source.

Each KPI rule joins its source to the relation of calls on the filters' conditions (a non-equi
join, so a BroadcastNestedLoopJoin). Spark does not know the size of a DataFrame made from Python
rows and used to broadcast the SOURCE instead: at 1 M participation rows the broadcast lost its
task results with the default 1 GB driver heap. `engine._calls_frame` hints the calls; the hint
holds only where the query names the calls' view itself (Spark drops it at a CTE's boundary),
which is how the metric layer's keyed rules join them (tests/pipelines/test_spark_translate.py
counts those references). Runs from `.venv-spark` (`make test-spark`).
"""

from __future__ import annotations

import pytest

from pipelines.warehouse import marts

pytestmark = [pytest.mark.slow, pytest.mark.spark]


def test_a_keyed_rule_inside_a_cte_broadcasts_the_calls_not_the_source():
    from pipelines.warehouse.spark import engine

    # Spark's default autoBroadcastJoinThreshold: the source (1,000 rows) is small enough to
    # broadcast by size, as a lake's Parquet often is by its on-disk estimate
    spark = engine.session("local[1]", {"spark.ui.enabled": "false"}, app="iurc-plan-test")
    try:
        spark.range(1000).selectExpr(
            "id", "cast(id % 7 as string) as network_id"
        ).createOrReplaceTempView("core__participation")
        calls = [(1, ["1"]), (2, [])]
        engine._calls_frame(
            spark, calls, "call int, p_network array<string>"
        ).createOrReplaceTempView(marts.SCORECARD_SCOPES)
        # the shape of a keyed rule (pipelines.metrics.build: `cross join {calls} as k where ...`)
        sql = f"""
            with computed as (
                select k.call, count(*) as n
                from core__participation cross join {marts.SCORECARD_SCOPES} as k
                where size(k.p_network) = 0 or array_contains(k.p_network, network_id)
                group by k.call
            )
            select * from computed order by call
        """
        frame = spark.sql(sql)
        plan = frame._jdf.queryExecution().executedPlan().toString()
        join = next(line for line in plan.splitlines() if "BroadcastNestedLoopJoin" in line)
        assert "BuildRight" in join, plan  # the right side of the join: the calls
        assert [tuple(r) for r in frame.collect()] == [(1, 143), (2, 1000)]
    finally:
        spark.stop()
