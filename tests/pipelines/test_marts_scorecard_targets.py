"""Targets by scope and period in the scorecard (mart.kpi_scorecard_for), on the fixture warehouse.

Fixture targets (conftest.py): K04 programme 42 by 2024-12-31 (a milestone) and 60 by 2025-12-31;
K08 programme 50, K12 programme 4, K30 programme 14 and network innovation 8, all by 2025-12-31.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

END_2025 = dt.date(2025, 12, 31)


def card(cur, indicator_id: str, start=None, end=None, network=(), subtheme=(), mode=()) -> dict:
    """Return the actual 'main' scorecard row of one KPI as a dict."""
    frame = cur.execute(
        """
        select * from mart.kpi_scorecard_for(
            ?::date, ?::date, ?::varchar[], ?::varchar[], [], [], ?::varchar[], [], [], [])
        where indicator_id = ? and measure = 'main' and value_kind = 'actual'
        """,
        [start, end, list(network), list(subtheme), list(mode), indicator_id],
    ).df()
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def test_to_date_rated_against_the_final_target(cur) -> None:
    row = card(cur, "K04")
    assert (row["target_value"], row["target_period_end"].date()) == (60, END_2025)
    assert row["unrated_reason"] is None
    assert row["fallback_target_value"] != row["fallback_target_value"]  # NaN: none needed


def test_year_filter_takes_the_milestone_due_in_it(cur) -> None:
    row = card(cur, "K04", "2024-01-01", "2024-12-31")
    assert row["target_value"] == 42
    # 2024 participations in completed activities: a1 20 + a2 10 + a3 10 = 40; 40 / 42 = 95 %
    assert row["value"] == 40
    assert row["rag"] == "green"


def test_no_milestone_in_the_year_gives_reason_and_programme_fallback(cur) -> None:
    row = card(cur, "K08", "2024-01-01", "2024-12-31")
    assert row["rag"] == "not_rated"
    assert row["unrated_reason"] == "no_milestone"
    assert (row["fallback_target_value"], row["fallback_scope_type"]) == (50, "programme")
    assert row["fallback_target_period_end"].date() == END_2025


def test_network_without_milestone_falls_back_to_its_own_final_target(cur) -> None:
    k30 = card(cur, "K30", "2024-01-01", "2024-12-31", network=["innovation"])
    assert k30["unrated_reason"] == "no_milestone"
    assert (k30["fallback_target_value"], k30["fallback_scope_type"]) == (8, "network")
    assert k30["fallback_scope_id"] == "innovation"
    # K04 has no network target at all: the programme's final target is shown instead
    k04 = card(cur, "K04", "2024-01-01", "2024-12-31", network=["innovation"])
    assert (k04["unrated_reason"], k04["fallback_target_value"]) == ("no_milestone", 60)
    assert k04["fallback_scope_type"] == "programme"


def test_mode_is_a_target_scope(mart_con: duckdb.DuckDBPyConnection) -> None:
    cur = mart_con.cursor()
    cur.begin()
    try:
        cur.execute(
            "insert into core.target values ('K04', 'mode', 'trio', '2025-12-31', null, 20, 't')"
        )
        k04 = card(cur, "K04", mode=["trio"])
        assert (k04["scope_type"], k04["scope_id"]) == ("mode", "trio")
        # coop-b (trio) participations in completed activities: a3 10 of 20 -> 50 % red
        assert (k04["value"], k04["target_value"]) == (10, 20)
        assert k04["pct_achieved"] == pytest.approx(50)
        assert k04["rag"] == "red"
        k08 = card(cur, "K08", mode=["trio"])
        assert (k08["unrated_reason"], k08["fallback_scope_type"]) == ("no_target", "programme")
    finally:
        cur.rollback()


def test_filters_that_are_no_scope_say_so(cur) -> None:
    row = card(cur, "K04", subtheme=["health"])
    assert row["scope_type"] is None
    assert row["unrated_reason"] == "no_scope"
    assert row["fallback_target_value"] == 60
