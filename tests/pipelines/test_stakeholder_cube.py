"""K09 and K10 read mart.participation_stakeholder_cube (a third of the participation cube's rows
at 10 M) wherever no cooperation or city is asked for, with the same figures, on the hand-built
fixture."""

from __future__ import annotations

import re

from pipelines import queries as q
from pipelines.metrics import build
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import groups, metric_frame


def test_stakeholder_cube_holds_joint_organisations_and_capacity_building(cur):
    rows = cur.execute(
        """select stakeholder_type, sum(joint_organisations_sum), sum(cb_participants)
           from mart.participation_stakeholder_cube group by 1"""
    ).fetchall()
    # joint (a cooperation's activity in two countries or more): a1 (turin, austin: 2 + 3 + 2),
    # a2 (austin, turin: 1 + 1), a3 (lyon, toronto: 1 + 2); a4 (toronto only), a6 (no
    # cooperation) and a7 (turin only) are not. Capacity building: training a2 only (8 + 2)
    assert {r[0]: (r[1], r[2]) for r in rows} == {
        "local_government": (4, 8),
        "academia": (3, 0),
        "business": (2, 0),
        "civil_society": (1, 2),
        "other": (2, 0),
    }


def test_k09_and_k10_read_the_stakeholder_cube_unless_a_cooperation_or_city_is_asked(cur):
    for metric_id in ("K09", "K10"):
        sql, _ = build.metric_query(metric_id, Filters(region=("EU",)), ("stakeholder_type",))
        assert re.findall(r"from (mart\.\w+)", sql) == ["mart.participation_stakeholder_cube"]
        coop, _ = build.metric_query(metric_id, Filters(), (), cooperation=("coop-a",))
        assert "mart.participation_stakeholder_cube" not in coop
    frame = groups(metric_frame(cur, "K10", Filters(), by=("stakeholder_type",)))
    assert dict(zip(frame["stakeholder_type"], frame["value"], strict=True)) == {
        "academia": 0,
        "business": 0,
        "civil_society": 2,
        "local_government": 8,
        "other": 0,
    }
    assert q.metric_total(cur, "K10", Filters(region=("NA",))) == 8  # austin's a2 row
    # the cooperation's figure comes from the full cube: coop-a's joint a1 and a2 (7 + 2)
    assert q.metric_total(cur, "K09", Filters(), cooperation=("coop-a",)) == 9
    assert q.metric_total(cur, "K09", Filters()) == 12
