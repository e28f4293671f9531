"""The cooperation page's metrics on the tiny fixture (tests/metrics/conftest.py), by hand.

Cooperations: coop-a pairing, innovation: turin (IT, EU) + austin (US, NA); coop-b trio, urban
renewal: lyon (FR, EU) + toronto (CA, NA) + merida (NA). Outputs (month of the first dated stage):
o1 action plan 2024-02 adopted (coop-a); o2 action plan 2024-03 developed (coop-b); o3 pilot
2024-04 implemented (coop-b); o4 pilot 2024-04 abandoned after developed (coop-a); o5 agreement
2024-09 adopted (coop-a); o6 policy change 2025-01 adopted (no cooperation); o7 knowledge product
2024-12 developed (coop-b); o8 solution 2024-11 adopted (coop-a). Funding: f1 100,000 € 2024-07
(o1), f2 46,000 € 2025-02 (o8), both coop-a.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.metrics.filters import Filters
from pipelines.queries.cooperation import funding_figures, funnel_figures, network_figures
from pipelines.queries.metrics import groups, metric_frame, total_row

Y2024 = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


def test_cooperations_and_member_cities_are_recounted(mcur):
    assert network_figures(mcur, Filters()) == {
        "cooperations": 2,
        "member_cities": 5,
        "EU": 2,  # turin, lyon
        "NA": 3,  # austin, toronto, merida
    }
    # by member region: both cooperations have an EU and a NA member: 2 + 2 groups, 2 in all
    frame = metric_frame(mcur, "cooperations", Filters(), by=("member_region",))
    assert list(groups(frame)["value"]) == [2, 2]
    assert total_row(frame)["value"] == 2


def test_a_place_selects_cooperations_through_any_member(mcur):
    # Italy: coop-a (turin), with all its members (turin, austin)
    assert network_figures(mcur, Filters(country=("IT",))) == {
        "cooperations": 1,
        "member_cities": 2,
        "EU": 1,
        "NA": 1,
    }
    # the period and the sub-theme do not change the map (cooperations whatever their activity)
    assert network_figures(mcur, Y2024) == network_figures(mcur, Filters())
    # one city's cooperations: lyon is in coop-b, with toronto and merida
    assert network_figures(mcur, Filters(), city_id="lyon-fr") == {
        "cooperations": 1,
        "member_cities": 3,
        "EU": 1,
        "NA": 2,
    }


def test_funnel_counts_each_stage_reached(mcur):
    # 2024: o1 o2 o3 o4 o5 o7 o8 planned; all seven developed (o4 before it was abandoned);
    # implemented o3 o8 (dated) and o1 o5 (adopted status); adopted o1 o5 o8
    assert funnel_figures(mcur, Y2024) == {
        "planned": 7,
        "developed": 7,
        "implemented": 4,
        "adopted": 3,
        "pct_adopted": pytest.approx(100 * 3 / 7),
    }
    # coop-a over all time: o1 o4 o5 o8; implemented o1 o5 o8; adopted o1 o5 o8
    coop_a = funnel_figures(mcur, Filters(), cooperation_id="coop-a")
    assert [coop_a[k] for k in ("planned", "developed", "implemented", "adopted")] == [4, 4, 3, 3]
    assert coop_a["pct_adopted"] == pytest.approx(75.0)
    # nothing in the period: no share (not 0 %)
    empty = funnel_figures(mcur, Filters(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)))
    assert empty["planned"] == 0 and empty["pct_adopted"] is None


def test_funnel_stage_adds_up_over_output_types(mcur):
    frame = metric_frame(mcur, "outputs.planned", Y2024, by=("output_type",))
    rows = groups(frame).set_index("output_type")["value"].to_dict()
    assert rows == {
        "action_plan": 2,
        "pilot": 2,
        "solution": 1,
        "agreement": 1,
        "knowledge_product": 1,
    }
    assert total_row(frame)["value"] == 7 == sum(rows.values())
    # a ratio by output type is recomputed per type: pilots 0 of 2 adopted, plans 1 of 2
    pct = groups(metric_frame(mcur, "outputs.pct_adopted", Y2024, by=("output_type",)))
    by_type = pct.set_index("output_type")["value"]
    assert by_type["pilot"] == 0 and by_type["action_plan"] == 50


def test_funding_committed_is_a_flow_in_the_period(mcur):
    assert funding_figures(mcur, Filters(), cooperation_id="coop-a") == {
        "eur": 146000,
        "commitments": 2,
    }
    assert funding_figures(mcur, Y2024) == {"eur": 100000, "commitments": 1}
    assert funding_figures(mcur, Filters(), cooperation_id="coop-b") == {"eur": 0, "commitments": 0}
