"""KPI scorecard against hand-computed values on the fixture warehouse (tests/pipelines/conftest.py).

Completed activities: a1 a2 a3 a6 a7; a4 planned; a5 cancelled. Participations of completed
activities (a4's 7 excluded): 10+6+4 (a1) + 8+2 (a2) + 5+5 (a3) + 3+1 (a6) + 4 (a7) = 48.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines import queries as q
from pipelines.metrics.filters import Filters

Y2024 = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
Y2025 = Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))


def measures(cur, filters: Filters) -> dict[tuple[str, str, str], float]:
    df = q.kpi_measures(cur, filters)
    return {(r.indicator_id, r.measure, r.value_kind): r.value for r in df.itertuples()}


# (indicator, measure, expected value) for the whole programme, no filter; arithmetic in comments
ALL_TIME = [
    ("K01", "main", 2),  # coop-a, coop-b have completed activities
    ("K02", "main", 5),  # turin, austin, lyon, toronto, merida
    ("K03", "main", 5),  # a1 a2 a3 a6 a7
    ("K03", "pct_of_plan", 100 * 5 / 6),  # completed / (completed + planned a4); cancelled a5 out
    ("K04", "main", 48),
    ("K05", "main", 15),  # 2+3+2 +1+1 +1+2 +1+1 +1 summed organisations
    ("K05", "lower_bound", 14),  # per city x type max: turin/local_gov max(2, 1) = 2 -> 15 - 1
    ("K06", "main", 100 * 21 / 48),  # government 10+8+5+4 = 27 -> non-government 21
    # 4 groups, 'other' (5) excluded: gov 27, academia 6+1, business 4+3, civil 2 -> n = 43
    ("K07", "main", 1 - (27**2 + 7**2 + 7**2 + 2**2) / 43**2),
    ("K08", "main", 100 * 18 / 39),  # women 4+3+5+1+2+1+0+2 over declared 10+6+8+2+5+3+1+4
    ("K08", "pct_undeclared", 100 * 9 / 48),  # a1 business 4 + a3 other 5 undeclared
    ("K09", "main", 12),  # joint (>=2 countries) a1 2+3+2, a2 1+1, a3 1+2
    ("K10", "main", 10),  # training a2: 8 + 2
    ("K10", "pct_completed", 75),  # 6 completions of the 8 participants reporting completions
    ("K11", "main", 3 / (2 * 5)),  # EU-NA a1 a2 a3 / (2 cooperations x 5 quarters 2024Q1..2025Q1)
    ("K11", "study_visit_person_days", 60),  # a1: 20 participants x 3 days
    ("K12", "main", 2),  # joint action plans o1, o2 developed
    ("K13", "main", 1),  # pilot o3 (o4 abandoned)
    ("K14", "main", 1),  # o8
    ("K15", "main", 1),  # o5 signed
    ("K16", "main", 1),  # o7
    ("K17", "main", 1),  # o1 adopted
    ("K17", "pct_of_k12", 50),  # 1 of 2 joint plans
    ("K18", "main", 1),  # o3 implemented
    ("K18", "pct_of_k13", 100),
    # "to date" is at the data's as-of date (D4: a6 reported 2025-03-12): o8 is adopted later
    ("K19", "main", 0),  # o8 adopted 2025-06-01, after the as-of date
    ("K20", "main", 146000),  # 100000 + 46000 EUR
    ("K21", "main", 0),  # o6 (evidence link) adopted 2025-05-01, after the as-of date
    ("K22", "main", 100),  # coop-a sustained (a7, Jan 2025 >= 2024-12-31); coop-b not eligible
    ("K24", "main", 4),  # 11.2, 9.1, 11.3, 17.17 (4.4 suggested, 13.2 rejected)
    ("K25", "main", 100 * 2 / 6),  # a1, a3 have a validated primary; 6 activities not cancelled
    ("K26", "main", 100 * 2 / 3),  # auto tags: keyword accepted, model suggested, model rejected
    ("K26", "agreement_rate", 50),  # 1 accepted of 2 reviewed
    ("K27", "main", 100 * 1 / 7),  # o7 has a framework; 7 outputs not abandoned
    ("K29", "main", 100 * 81 / 98),  # 9 required + filled optional: 13+12+13+11+11+10+11 of 7 x 14
    ("K30", "main", 10),  # D5: lower median of lags 0, 5, 10, 20, 29
    ("K30", "mean", (10 + 20 + 0 + 29 + 5) / 5),  # the mean beside it
]


@pytest.mark.parametrize(("indicator", "measure", "expected"), ALL_TIME)
def test_kpi_actual_all_time_matches_hand_computed(cur, indicator, measure, expected):
    assert measures(cur, Filters())[(indicator, measure, "actual")] == pytest.approx(expected)


def test_kpi_actual_year_2024_matches_hand_computed(cur):
    m = measures(cur, Y2024)
    assert m[("K03", "main", "actual")] == 3  # a1 a2 a3
    assert m[("K03", "pct_of_plan", "actual")] == pytest.approx(75)  # 3 / (3 + a4)
    assert m[("K04", "main", "actual")] == 40
    assert m[("K11", "main", "actual")] == pytest.approx(3 / (2 * 4))
    assert m[("K20", "main", "actual")] == 100000  # f2 is 2025
    assert m[("K22", "main", "actual")] == 0  # coop-a: nothing in Dec 2024
    assert m[("K30", "main", "actual")] == pytest.approx(10)  # (10 + 20 + 0) / 3


def test_kpi_cumulative_is_running_total_never_summed_across_periods(cur):
    """K12 (cumulative): 2 plans by end 2024 and still 2 by end 2025 -- not 2 + 2 = 4, not 0."""
    k12 = lambda f: measures(cur, f)[("K12", "main", "actual")]
    assert (k12(Y2024), k12(Y2025), k12(Filters())) == (2, 2, 2)
    assert measures(cur, Y2024)[("K17", "main", "actual")] == 0  # o1 adopted 2025-03
    assert measures(cur, Y2025)[("K17", "main", "actual")] == 1


def test_kpi_reported_cumulative_observation_takes_latest_not_sum(cur):
    """K12 forecasts 3 (H1 2024) then 5 (H2 2024): the period value is 5, never 8."""
    assert measures(cur, Y2024)[("K12", "main", "forecast")] == 5


def test_kpi_reported_latest_observation_for_k23(cur):
    """K23 comes only from core.observation: latest actual 70 (not 130, not 65); forecast apart."""
    m = measures(cur, Filters())
    assert m[("K23", "main", "actual")] == 70
    assert m[("K23", "main", "forecast")] == 80


def test_kpi_percentage_is_recomputed_not_averaged(cur):
    """K08 = 18 / 39 = 46.15 %; the mean of row percentages would be 40.7 %."""
    row_shares = [4 / 10, 3 / 6, 5 / 8, 1 / 2, 2 / 5, 1 / 3, 0 / 1, 2 / 4]
    value = measures(cur, Filters())[("K08", "main", "actual")]
    assert value == pytest.approx(100 * 18 / 39)
    assert value != pytest.approx(100 * sum(row_shares) / len(row_shares))


def test_scorecard_targets_pct_and_rag(cur):
    sc = q.kpi_scorecard(cur, Filters()).set_index("indicator_id")
    assert sc.loc["K04", "target_value"] == 60  # latest target: progress to date
    assert sc.loc["K04", "pct_achieved"] == pytest.approx(80)
    assert sc.loc["K04", "rag"] == "amber"
    assert sc.loc["K08", "pct_achieved"] == pytest.approx(100 * (18 / 39 * 100) / 50)
    assert sc.loc["K08", "rag"] == "green"  # 92.3 %
    assert sc.loc["K12", "rag"] == "red"  # 2 of 4
    assert sc.loc["K12", "forecast_value"] == 5
    assert sc.loc["K01", "rag"] == "not_rated"
    assert sc.loc["K28", "value"] == pytest.approx(50)  # green K08, K30 of rated K04 K08 K12 K30


def test_scorecard_lower_is_better_uses_target_over_actual(cur):
    """K30 median (days, lower is better): programme 14 / 10 = 140 % green; innovation's lags
    5, 10, 20, 29 have the lower median 10: 8 / 10 = 80 % amber (a naive actual / target would
    call it 125 % green)."""
    prog = q.kpi_scorecard(cur, Filters()).set_index("indicator_id").loc["K30"]
    assert prog["pct_achieved"] == pytest.approx(100 * 14 / 10)
    assert prog["rag"] == "green"
    inno = (
        q.kpi_scorecard(cur, Filters(network=("innovation",))).set_index("indicator_id").loc["K30"]
    )
    assert inno["value"] == 10
    assert inno["pct_achieved"] == pytest.approx(80)
    assert inno["rag"] == "amber"


def test_scorecard_year_uses_target_due_in_the_period(cur):
    sc = q.kpi_scorecard(cur, Y2024).set_index("indicator_id")
    assert sc.loc["K04", "target_value"] == 42
    assert sc.loc["K04", "pct_achieved"] == pytest.approx(100 * 40 / 42)
    assert sc.loc["K04", "rag"] == "green"
    assert sc.loc["K12", "rag"] == "not_rated"  # its only target is due in 2025


def test_scorecard_subset_filter_is_not_rated(cur):
    sc = q.kpi_scorecard(cur, Filters(country=("IT",))).set_index("indicator_id")
    assert sc["scope_type"].isna().all()
    assert set(sc["rag"]) == {"not_rated"}
    assert sc.loc["K04", "value"] == 10 + 2 + 4  # turin's participations


def test_scorecard_has_a_row_for_every_scorecard_kpi(cur):
    ids = set(q.kpi_scorecard(cur, Filters())["indicator_id"])
    expected = {
        r[0]
        for r in cur.execute(
            "select indicator_id from ref.indicator where family <> 'benchmarking'"
        ).fetchall()
    }
    assert ids == expected


def test_stored_scorecard_matches_the_macro(cur):
    stored = cur.execute(
        """select value from mart.kpi_scorecard where scope_type = 'programme' and period_type = 'year'
           and period_start = '2024-01-01' and indicator_id = 'K04' and measure = 'main'
           and value_kind = 'actual'"""
    ).fetchone()[0]
    assert stored == 40


def test_kpi_trend_per_quarter(cur):
    trend = q.kpi_trend(cur, Filters(), ("K04", "K20"), period_type="quarter")
    k04 = trend[trend["indicator_id"] == "K04"]
    # periods: 2024Q1 (first activity month) .. 2025Q1 (the data's as-of date, 2025-03-12)
    assert list(k04["value"]) == [10 + 6 + 4, 8 + 2 + 5 + 5, 0, 0, 3 + 1 + 4]
    # 2025Q1 runs past the as-of date: marked incomplete, not drawn as a fall
    assert list(k04["complete"]) == [True, True, True, True, False]
    k20 = trend[trend["indicator_id"] == "K20"]
    # running total: f1 100000 in 2024Q3, f2 46000 in 2025Q1; never a sum of running totals
    assert list(k20["value"]) == [0, 0, 100000, 100000, 146000]


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(network=("innovation",)), Filters(country=("US",))]
)
@pytest.mark.parametrize("indicator", ["K02", "K03", "K04", "K08", "K10", "K20"])
def test_kpi_trend_agrees_with_kpi_actual_per_year(cur, filters, indicator):
    """The trend (a metric by year) and the scorecard macro are built from one declaration."""
    trend = q.kpi_trend(cur, filters, (indicator,), period_type="year").set_index("period_start")
    for year in (2024, 2025):
        f = Filters(
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            network=filters.network,
            country=filters.country,
        )
        actual = measures(cur, f)[(indicator, "main", "actual")]
        got = trend.loc[dt.date(year, 1, 1), "value"]
        assert (pd.isna(actual) and pd.isna(got)) or got == pytest.approx(actual), (indicator, year)


def test_stored_scorecard_network_rows(cur):
    row = cur.execute(
        """select value, target_value, rag from mart.kpi_scorecard where scope_type = 'network'
           and scope_id = 'innovation' and period_type = 'all' and indicator_id = 'K30'
           and measure = 'main' and value_kind = 'actual'"""
    ).fetchone()
    assert row == (10, 8, "amber")  # lower median of 5, 10, 20, 29 against 8 days
