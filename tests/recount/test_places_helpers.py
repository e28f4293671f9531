"""The helpers of `places.py` on a tiny programme whose answers were counted by hand.

Three cities: fi1 (FI, EU), ca1 and ca2 (CA, NA); one pairing "co" of fi1 and ca1.
Activities: A1 hosted in fi1, completed, lag 10 days; A2 host-less, completed, lag 30 days,
with participants from ca1, ca2 and fi1; A3 hosted in ca1, planned; A4 hosted in ca2, cancelled.
Outputs: O1 of fi1, implemented; O2 of "co" without a city, planned. Data as of 2024-04-01 (A2 reported).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.recount import places, recount
from tests.recount.recount import Raw, Scope

T = pd.Timestamp
NAT = pd.NaT


def _frame(columns: str, *rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns.split())


@pytest.fixture()
def tiny() -> Raw:
    """Return the tiny programme of the module docstring."""
    return Raw(
        cities=_frame(
            "city_id country_iso2 region",
            ("fi1", "FI", "EU"),
            ("ca1", "CA", "NA"),
            ("ca2", "CA", "NA"),
        ),
        cooperations=_frame(
            "cooperation_id mode network_id start_date support_end_date",
            ("co", "pairing", "net", T("2023-01-01"), NAT),
        ),
        members=_frame("cooperation_id city_id", ("co", "fi1"), ("co", "ca1")),
        activities=_frame(
            "activity_id cooperation_id network_id host_city_id status activity_type modality "
            "start_date end_date reported_date",
            ("A1", "co", "net", "fi1", "completed", "workshop", "online", *_days(10, 20)),
            ("A2", "co", "net", None, "completed", "workshop", "online", *_days(61, 91)),
            ("A3", "co", "net", "ca1", "planned", "workshop", "online", *_days(300, None)),
            ("A4", None, "net", "ca2", "cancelled", "workshop", "online", *_days(31, None)),
        ),
        participations=_frame(
            "activity_id city_id stakeholder_type participants women organisations completions "
            "organisation_id",
            ("A1", "fi1", "academia", 5, 2, 1, None, None),
            ("A1", "ca1", "academia", 3, 1, 1, None, None),
            ("A2", "ca1", "business", 4, 2, 1, None, None),
            ("A2", "ca2", "business", 2, 1, 1, None, None),
            ("A2", "fi1", "business", 1, 0, 1, None, None),
        ),
        outputs=_frame(
            "output_id cooperation_id city_id network_id output_type status planned_date "
            "developed_date implemented_date adopted_date evidence_url",
            ("O1", "co", "fi1", "net", "pilot", "implemented", *_stages(0, 20, 40), None),
            ("O2", "co", None, "net", "action_plan", "planned", *_stages(5), None),
        ),
        funding=_frame(
            "funding_id output_id amount_eur committed_date",
            ("F1", "O1", 100.5, T("2024-02-01")),
            ("F2", "O2", 50.0, T("2024-03-01")),
        ),
        sdg=_frame(
            "entity_type entity_id goal target_id is_primary method status",
            ("activity", "A1", 11, "11.1", False, "manual", "accepted"),
            ("activity", "A2", 11, "11.1", False, "keyword", "suggested"),
            ("activity", "A2", 11, "11.2", False, "manual", "accepted"),
            ("activity", "A4", 11, "11.2", False, "manual", "accepted"),
        ),
    )


def _days(end: int, reported: int | None) -> tuple:
    """Return (start, end, reported) dates: `end` and `reported` days after 2024-01-01."""
    day0 = T("2024-01-01")
    return (
        day0,
        day0 + pd.Timedelta(days=end),
        NAT if reported is None else day0 + pd.Timedelta(days=reported),
    )


def _stages(*days: int) -> tuple:
    """Return the four stage dates, the first ones `days` after 2024-01-01, the rest empty."""
    dates = [T("2024-01-01") + pd.Timedelta(days=d) for d in days]
    return tuple(dates + [NAT] * (4 - len(dates)))


@pytest.fixture()
def adoptions() -> pd.DataFrame:
    """O1 taken up by ca2, and by ca1 after the data's as-of date; O2 taken up by fi1."""
    return _frame(
        "output_id city_id adopted_date",
        ("O1", "ca2", T("2024-04-01")),
        ("O1", "ca1", T("2024-07-01")),
        ("O2", "fi1", T("2024-01-15")),
    )


def test_activity_places_host_else_participants(tiny: Raw) -> None:
    pairs = set(places.activity_places(tiny).itertuples(index=False, name=None))
    assert pairs == {
        ("A1", "fi1"),
        ("A2", "ca1"),
        ("A2", "ca2"),
        ("A2", "fi1"),
        ("A3", "ca1"),
        ("A4", "ca2"),
    }


def test_quality_table_lists_only_the_places_the_filter_matches(tiny: Raw) -> None:
    everywhere = places.quality_table(tiny, Scope())
    assert everywhere.loc["fi1", ["completed_activities", "median_lag_days"]].tolist() == [2, 10]
    assert everywhere.loc["fi1", "mean_lag_days"] == 20
    canada = places.quality_table(tiny, Scope(country=("CA",)))
    assert sorted(canada.index) == ["ca1", "ca2"]  # A2 also counts in fi1, not listed here
    assert canada["completed_activities"].to_dict() == {"ca1": 1, "ca2": 1}
    assert canada["median_lag_days"].to_dict() == {"ca1": 30, "ca2": 30}


def test_by_place_recounts_each_place(tiny: Raw) -> None:
    def done(s: Scope) -> float:
        return len(recount.completed(tiny, s))

    assert places.by_place(done, tiny, Scope(), "country_iso2") == {"FI": 2, "CA": 1}
    assert places.by_place(done, tiny, Scope(), "region") == {"EU": 2, "NA": 1}
    assert places.by_place(done, tiny, Scope(country=("CA",)), "region") == {"NA": 1}


def test_in_city_selects_one_city(tiny: Raw) -> None:
    one, scope = places.in_city(tiny, "ca2")
    assert recount._geo_cities(one, scope) == {"ca2"}
    assert len(recount.completed(one, scope)) == 1  # A2, through its participant from ca2


def test_take_up_to_the_as_of_date_at_the_adopting_city(tiny: Raw, adoptions) -> None:
    assert places.take_up_totals(tiny, adoptions, Scope()) == {
        "practices_taken_up": 2,
        "adopting_cities": 2,
    }
    north_america = places.take_up_totals(tiny, adoptions, Scope(region=("NA",)))
    assert north_america == {"practices_taken_up": 1, "adopting_cities": 1}
    march = places.take_up(tiny, adoptions, Scope(end=dt.date(2024, 3, 31)))
    assert march["city_id"].tolist() == ["fi1"]


def test_practices_implemented_not_abandoned(tiny: Raw) -> None:
    assert places.practices(tiny, Scope())["output_id"].tolist() == ["O1"]
    assert places.practices(tiny, Scope(country=("CA",))).empty


def test_activity_register_total_any_status(tiny: Raw) -> None:
    assert places.activity_register_total(tiny, Scope()) == 4
    assert places.activity_register_total(tiny, Scope(country=("CA",))) == 3  # A2, A3, A4
    year = Scope(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30))
    assert places.activity_register_total(tiny, year) == 3  # A3 ends in October


def test_outputs_to_date_at_the_cooperation_cities(tiny: Raw) -> None:
    assert places.outputs_to_date(tiny, Scope()) == 2
    assert places.outputs_to_date(tiny, Scope(region=("NA",))) == 1  # O2, through ca1
    assert places.outputs_to_date(tiny, Scope(end=dt.date(2024, 1, 3))) == 1  # O1 from Jan 1


def test_sdg_target_counts_not_cancelled(tiny: Raw) -> None:
    got = places.sdg_target_counts(tiny, Scope(), 11)
    assert got.to_dict("index") == {
        "11.1": {"validated_entities": 1, "suggested_entities": 1},
        "11.2": {"validated_entities": 1, "suggested_entities": 0},  # A4 is cancelled
    }


def test_cooperation_summary(tiny: Raw) -> None:
    assert places.cooperation_summary(tiny, "co") == {
        "n_members": 2,
        "activities_completed": 2,
        "activities_planned": 1,
        "participations": 15,
        "outputs": 2,
        "outputs_planned": 1,
        "outputs_developed": 0,
        "outputs_implemented": 1,
        "outputs_adopted": 0,
        "outputs_abandoned": 0,
        "funding_eur": 150.5,
    }


def test_city_profile_outside_the_filter_is_empty(tiny: Raw, adoptions) -> None:
    inside = places.city_profile(tiny, adoptions, "ca2", Scope())
    assert (inside["activities_hosted"], inside["participations"]) == (1, 2)
    assert (inside["outputs"], inside["practices_taken_up"]) == (0, 1)
    outside = places.city_profile(tiny, adoptions, "ca2", Scope(region=("EU",)))
    assert outside["activities_hosted"] == outside["participations"] == 0
