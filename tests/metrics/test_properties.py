"""Additivity, checked on every declared metric and every breakdown it allows.

For a metric that adds up over a dimension, its groups sum to its total; for any other, the total
is the metric recounted for the whole selection (never the sum of its groups), and the layer
states which is which (`additive_over`).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from pipelines.metrics.catalogue import METRICS, additive_over
from pipelines.metrics.filters import Filters
from pipelines.metrics.model import Additivity
from pipelines.queries.metrics import groups, metric_frame, metric_total, total_row

FILTERS = {
    "all": Filters(),
    "eu": Filters(region=("EU",)),
    "2024": Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
    "innovation": Filters(network=("innovation",)),
}
CASES = [
    (metric_id, dim, name)
    for metric_id, m in METRICS.items()
    for dim in m.breakdowns
    for name in FILTERS
]


def _num(value: object) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


@pytest.mark.parametrize(("metric_id", "dim", "filters"), CASES)
def test_groups_and_total(mcur, metric_id, dim, filters):
    m = METRICS[metric_id]
    frame = metric_frame(mcur, metric_id, FILTERS[filters], by=(dim,))
    total = total_row(frame)["value"]
    recount = metric_total(mcur, metric_id, FILTERS[filters])
    # the total row of a breakdown is the metric itself, recounted
    assert (recount is None and pd.isna(total)) or total == pytest.approx(recount)
    rows = groups(frame)
    if additive_over(m, dim):
        assert math.fsum(_num(v) for v in rows["value"]) == pytest.approx(_num(total))
    if m.additivity == Additivity.STOCK and dim in ("month", "quarter", "year") and len(rows):
        # a running total ends at the stock to date
        assert _num(rows["value"].iloc[-1]) == pytest.approx(_num(total))


def test_a_non_additive_breakdown_really_differs_from_the_sum(mcur):
    """The property above would be vacuous if no metric's groups over-counted: some do."""
    k02 = metric_frame(mcur, "K02", Filters(), by=("stakeholder_type",))
    assert groups(k02)["value"].sum() > total_row(k02)["value"]
    k03 = metric_frame(mcur, "K03", Filters(), by=("network",))
    assert groups(k03)["value"].sum() == total_row(k03)["value"]
    assert not additive_over(METRICS["K02"], "stakeholder_type")
    assert additive_over(METRICS["K03"], "network")


def test_every_catalogue_kpi_is_declared(mcur):
    declared = {m.indicator for m in METRICS.values() if m.indicator and m.measure == "main"}
    kpis = {
        r[0]
        for r in mcur.execute(
            "select indicator_id from ref.indicator where family <> 'benchmarking'"
        ).fetchall()
    }
    # K23 comes only from reported observations; K28 is computed from the rated scorecard
    assert kpis - declared == {"K23", "K28"}


def test_declared_relations_have_their_columns(mcur):
    from pipelines.metrics.catalogue import SOURCES

    for source in SOURCES.values():
        for relation in source.relations:
            schema, name = relation.name.split(".")
            have = {
                r[0]
                for r in mcur.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [schema, name],
                ).fetchall()
            }
            assert relation.columns <= have, (relation.name, sorted(relation.columns - have))
