"""Metrics on the tiny fixture (tests/metrics/conftest.py), every expected value computed by hand.

Completed activities: a1 (host turin, IT/EU), a2 (austin, US/NA), a3 (lyon, FR/EU), a6 (toronto,
CA/NA), a7 (turin), a8 (no host: participants from austin and lyon). Data as of 2025-03-12 (a6's
reported date, D4).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines.metrics.build import metric_query, metrics_query
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import groups, metric_frame, metric_frames, metric_total, total_row

EU = Filters(region=("EU",))
NA = Filters(region=("NA",))
Y2024 = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


def test_activities_count_at_their_host_or_their_participants_cities(mcur):
    # D12: a8 has no host; it counts in both regions, once in the programme
    assert metric_total(mcur, "K03", Filters()) == 6
    assert metric_total(mcur, "K03", EU) == 4  # a1 a3 a7 + a8 (lyon)
    assert metric_total(mcur, "K03", NA) == 3  # a2 a6 + a8 (austin)
    assert metric_total(mcur, "K03", Filters(country=("FR",))) == 2  # a3, a8


def test_participations_count_at_the_participants_city(mcur):
    # K04 is participant-based: a8's 3 from lyon are EU, its 2 from austin NA
    assert metric_total(mcur, "K04", EU) == (10 + 2 + 4) + (5 + 3)  # turin a1 a2 a7, lyon a3 a8
    # austin a1 a2 a8, toronto a3 a6 (a4 is planned), merida a6
    assert metric_total(mcur, "K04", NA) == (6 + 4 + 8 + 2) + (5 + 3) + 1
    assert metric_total(mcur, "K04", Filters()) == 48 + 5


def test_distinct_count_is_recounted_not_summed(mcur):
    frame = metric_frame(mcur, "K02", Y2024, by=("month",))
    months = groups(frame)
    # 2024: Mar turin+austin, May austin+turin, Jun lyon+toronto, Sep austin+lyon -> 8 city-months
    assert months["value"].sum() == 8
    assert total_row(frame)["value"] == 4  # turin, austin, lyon, toronto


def test_ratio_is_recomputed_at_each_level(mcur):
    frame = metric_frame(mcur, "K08", Filters(), by=("region",))
    rows = groups(frame).set_index("region")
    # EU declared: turin 10+2+4, lyon 5 -> women 4+1+2+2 = 9 of 21 (a8 lyon business undeclared)
    assert rows.loc["EU", "value"] == pytest.approx(100 * 9 / 21)
    # NA declared: austin 6+8+2, toronto 3, merida 1 -> women 3+5+1+1+0 = 10 of 20
    assert rows.loc["NA", "value"] == pytest.approx(100 * 10 / 20)
    assert total_row(frame)["value"] == pytest.approx(100 * 19 / 41)


def test_median_is_recomputed_not_averaged(mcur):
    frame = metric_frame(mcur, "K30", Filters(), by=("network",))
    rows = groups(frame).set_index("network_id")
    # lags: innovation a1 10, a2 20, a6 29, a7 5, a8 2; urban renewal a3 0
    assert rows.loc["innovation", "value"] == 10  # 2 5 10 20 29
    assert rows.loc["urban_renewal", "value"] == 0
    assert total_row(frame)["value"] == 5  # 0 2 5 10 20 29: the lower middle value
    assert metric_total(mcur, "K30.mean", Filters()) == pytest.approx((10 + 20 + 29 + 5 + 2) / 6)
    # weighted over the timeliness cube's (lag, count) rows, a8 in both regions (D12):
    # EU a1 10, a3 0, a7 5, a8 2 -> 0 2 5 10: the lower middle is 2; NA a2 20, a6 29, a8 2 -> 20
    regions = groups(metric_frame(mcur, "K30", Filters(), by=("region",))).set_index("region")
    assert regions.loc["EU", "value"] == 2 and regions.loc["EU", "denominator"] == 4
    assert regions.loc["NA", "value"] == 20 and regions.loc["NA", "denominator"] == 3
    empty = total_row(metric_frame(mcur, "K30", Filters(start=dt.date(2030, 1, 1))))
    assert pd.isna(empty["value"]) and empty["denominator"] == 0  # no activity, no median


def test_index_is_recomputed_per_group(mcur):
    frame = metric_frame(mcur, "K07", Filters(), by=("region",))
    eu = groups(frame).set_index("region").loc["EU", "value"]
    # EU, 'other' left out: government turin 10 + 4, lyon 5 = 19; civil society turin 2;
    # business lyon (a8) 3 -> n = 24
    assert eu == pytest.approx(1 - (19**2 + 2**2 + 3**2) / 24**2)


def test_stock_is_to_date_and_capped_at_the_as_of_date(mcur):
    # K19: o8 adopted 2025-06-01, after the data's as-of date (2025-03-12): not yet reported
    assert metric_total(mcur, "K19", Filters()) == 0
    assert metric_total(mcur, "K19", Filters(end=dt.date(2025, 12, 31))) == 0
    # K20: a running total by quarter, never a sum of running totals
    frame = metric_frame(mcur, "K20", Filters(), by=("quarter",))
    assert list(groups(frame)["value"]) == [100000, 146000]  # 2024Q3, 2025Q1
    assert total_row(frame)["value"] == 146000


def test_funding_sums_euros_exactly_in_any_order():
    """300,000 commitments of 0.10 EUR on the fixture's 146,000: exactly 176,000 on every run,
    to date and in the period (a sum of doubles is off in its last bits, by the plan's order)."""
    import duckdb

    from pipelines.warehouse import marts
    from tests.pipelines.conftest import build_fixture_warehouse

    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    marts.build_marts(con)
    con.execute(
        """
        insert into mart.funding_register
        select f.* replace ('dime-' || i as funding_id, 0.1 as amount_eur)
        from mart.funding_register as f, range(300000) t(i)
        where funding_id = (select min(funding_id) from mart.funding_register)
        """
    )
    runs = {
        (metric_total(con, "K20", Filters()), metric_total(con, "funding.committed", Filters()))
        for _ in range(5)
    }
    assert runs == {(176_000.0, 176_000.0)}
    con.close()


def test_sustained_cooperation_is_evaluated_at_the_period_end_or_as_of(mcur):
    # coop-a: support ended 2023-12-31, sustained from 2024-12-31; a7 ended 2025-01-20
    assert metric_total(mcur, "K22", Filters()) == 100
    assert metric_total(mcur, "K22", Y2024) == 0  # eligible on 2024-12-31, nothing yet
    # coop-b's support ends in 2030: not eligible, so no rate for urban renewal
    assert metric_total(mcur, "K22", Filters(network=("urban_renewal",))) is None


def test_active_cooperations_leave_the_global_network_out(mcur):
    # D1: a6 and a8 belong to no cooperation (global network): 2 cooperations, not more
    assert metric_total(mcur, "K01", Filters()) == 2
    assert metric_total(mcur, "K01", Filters(mode=("global_network",))) == 0


def test_completeness_counts_the_contract_columns(mcur):
    # 8 activities x 14 input columns of the contract; a8 leaves description, subtheme,
    # cross-cutting, cooperation and host empty: 9 of 14
    k29 = metric_frame(mcur, "K29", Filters())
    assert total_row(k29)["denominator"] == 8 * 14
    assert total_row(k29)["numerator"] == 81 + 9


def test_cooperation_completeness_has_five_required_columns(mcur):
    row = mcur.execute(
        "select required_total, optional_total from mart.dq_table_completeness "
        "where table_name = 'cooperation'"
    ).fetchone()
    assert row == (2 * 5, 2 * 2)  # id, mode, name, network, start date; phase, support end


def test_new_outputs_count_those_developed_in_the_period(mcur):
    # developed in 2024: o1 (06-01), o2 (09-01), o3 (07-01), o5 (09-15), o7 (12-01), o8 (11-01);
    # o4 is abandoned and o6 was never developed
    assert metric_total(mcur, "outputs_new", Y2024) == 6
    q3 = Filters(start=dt.date(2024, 7, 1), end=dt.date(2024, 9, 30))
    assert metric_total(mcur, "outputs_new", q3) == 3  # o2, o3, o5
    frame = metric_frame(mcur, "outputs_new", Y2024, by=("network",))
    assert dict(zip(groups(frame)["network_id"], groups(frame)["value"], strict=True)) == {
        "innovation": 3,  # o1, o5, o8
        "urban_renewal": 3,  # o2, o3, o7
    }


def test_levels_over_the_same_rows_share_one_scan_and_are_each_recounted(mcur):
    # the breakdown, its coarser level and the total read the rows once (GROUPING SETS), and
    # each level is still a distinct count of its own (as in the test above: 8 city-months, 4)
    by, levels = ("month", "network"), (("month",),)
    sql, _ = metric_query("K02", Y2024, by=by, levels=levels)
    assert sql.count("grouping sets") == 1 and "union all" not in sql
    frame = metric_frame(mcur, "K02", Y2024, by=by, levels=levels)
    assert sorted(set(frame["level"])) == ["", "month", "month,network"]
    assert frame["is_total"].sum() == 1 and total_row(frame)["level"] == ""
    months = groups(frame, ("month",))
    assert months["network_id"].isna().all()
    assert months["value"].sum() == 8
    assert total_row(frame)["value"] == 4
    # a time grain derived from the rows only adds a column to each row: the total shares the
    # by-year scan (GROUPING SETS) and is still a distinct count of its own, not a sum of years
    sql, _ = metric_query("K02", Y2024, by=("year",))
    assert sql.count("grouping sets") == 1 and "union all" not in sql
    years = metric_frame(mcur, "K02", Y2024, by=("year",))
    assert total_row(years)["value"] == 4 and groups(years)["value"].tolist() == [4]
    # a place of a list-geography source unnests its list (a row per place): its own SELECT
    sql, _ = metric_query("K29", Y2024, by=("city",))
    assert "grouping sets" not in sql and "union all" in sql


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(region=("NA",)), Filters(start=dt.date(2030, 1, 1))]
)
def test_metric_frames_are_each_metrics_own_frame(mcur, filters):
    # one statement for several metrics: each frame has the rows, labels, order and totals of
    # the metric's own frame (a distinct count recounted, never added up across metrics)
    ids = ["K03", "K04", "K02", "K01"]
    frames = metric_frames(mcur, ids, filters, by=("network",), lang="fr")
    assert len(frames) == len(ids)
    for metric_id, frame in zip(ids, frames, strict=True):
        own = metric_frame(mcur, metric_id, filters, by=("network",), lang="fr")
        pd.testing.assert_frame_equal(frame, own, check_dtype=False)
    assert metric_frames(mcur, [], Filters()) == []


def test_metrics_query_aggregates_metrics_of_the_same_rows_in_one_scan():
    # K04, K05 and K08 by city read the same rows of the same cube: one SELECT, one scan
    sql, _, scans = metrics_query(["K04", "K05", "K08"], Filters(), ("city",))
    assert scans == [0, 0, 0]
    assert sql.count("group by grouping sets") == 1
    # K03 (completed activities) and K02 (cities with participants) read other rows: a scan each
    sql, _, scans = metrics_query(["K03", "K02", "K04"], Filters(), ("network",))
    assert scans == [0, 1, 2]


@pytest.mark.parametrize("filters", [Filters(), EU, Filters(start=dt.date(2030, 1, 1))])
def test_metric_frames_of_one_scan_are_each_metrics_own_frame(mcur, filters):
    ids = ["K04", "K05", "K08"]
    frames = metric_frames(mcur, ids, filters, by=("region",), lang="es")
    for metric_id, frame in zip(ids, frames, strict=True):
        own = metric_frame(mcur, metric_id, filters, by=("region",), lang="es")
        pd.testing.assert_frame_equal(frame, own)


def test_metric_frames_of_one_scan_by_hand(mcur):
    k04, k08 = (
        groups(f).set_index("region")
        for f in metric_frames(mcur, ["K04", "K08"], Filters(), by=("region",))
    )
    assert k04.loc["EU", "value"] == (10 + 2 + 4) + (5 + 3)
    assert k04.loc["NA", "value"] == (6 + 4 + 8 + 2) + (5 + 3) + 1
    assert k08.loc["EU", "value"] == pytest.approx(100 * 9 / 21)
    assert k08.loc["NA", "value"] == pytest.approx(100 * 10 / 20)
