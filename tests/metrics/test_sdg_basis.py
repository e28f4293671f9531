"""The SDG review basis and tagging-method filters on a hand-computed fixture (issue 15, item 5).

Fixture tags (tests/pipelines/conftest.py SDG); not-cancelled activities: a1 a2 a3 a4 a6 a7 a8 (7).
    a1  11 (11.2) primary manual accepted   ->  validated
    a1   9 (9.1)  keyword accepted          ->  validated
    a2   4 (4.4)  primary model suggested   ->  suggested (unreviewed)
    a2  11 (11.3) manual accepted           ->  validated
    a3  11        primary manual accepted   ->  validated
    o1  13 (13.2) primary model rejected    ->  never counted
    coop-b 17 (17.17) manual accepted       ->  validated
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd
import pytest

from pipelines.metrics.build import _counted_key, _query_mode, metric_query, unhonoured_filters
from pipelines.metrics.catalogue import metric
from pipelines.metrics.filters import TAG_METHODS, WITH_SUGGESTIONS, Filters
from pipelines.queries import sdg
from pipelines.queries.metrics import groups, metric_frame, metric_total, total_row
from pipelines.warehouse import marts

ALL = WITH_SUGGESTIONS  # accepted tags and unreviewed suggestions

# (filters, K24 targets, K25 %, K26 %)
CASES = [
    (Filters(), 4, 100 * 2 / 7, 100 * 2 / 3),  # 11.2 9.1 11.3 17.17; a1 a3; 2 of 3 reviewed
    (Filters(review=ALL), 5, 100 * 3 / 7, 100 * 2 / 3),  # + 4.4; + a2; K26 ignores the basis
    (Filters(method=("manual",)), 3, 100 * 2 / 7, None),  # 11.2 11.3 17.17; no suggested tag
    (Filters(method=("model",)), 0, 0.0, 50.0),  # o1 rejected, a2 unreviewed
    (Filters(review=ALL, method=("model",)), 1, 100 * 1 / 7, 50.0),  # 4.4; a2
]


@pytest.mark.parametrize(("filters", "k24", "k25", "k26"), CASES)
def test_sdg_kpis_under_review_basis_and_method(
    mcur: duckdb.DuckDBPyConnection, filters: Filters, k24: int, k25: float, k26: float | None
) -> None:
    assert metric_total(mcur, "K24", filters) == k24
    assert metric_total(mcur, "K25", filters) == pytest.approx(k25)
    got = metric_total(mcur, "K26", filters)
    assert got is None if k26 is None else got == pytest.approx(k26)
    assert unhonoured_filters("K25", filters) == ()


def test_sdg_profile_under_review_basis_and_method(mcur: duckdb.DuckDBPyConnection) -> None:
    def profile(filters: Filters, method: str) -> dict[int, float]:
        df = sdg.sdg_profile(mcur, filters, method=method)
        return {int(g): float(v) for g, v in zip(df["goal"], df["value"], strict=True) if v}

    assert profile(Filters(), "primary") == {11: 2.0}
    assert profile(Filters(), "fractional") == {9: 0.5, 11: 2.5}  # a1 halves; a2 one validated
    assert profile(Filters(review=ALL), "primary") == {4: 1.0, 11: 2.0}
    assert profile(Filters(review=ALL), "fractional") == {4: 0.5, 9: 0.5, 11: 2.0}
    assert profile(Filters(method=("manual",)), "fractional") == {11: 3.0}
    suggested = sdg.sdg_profile(mcur, Filters())
    assert dict(zip(suggested["goal"], suggested["suggested"], strict=True))[4] == 1
    heat = sdg.sdg_network_heatmap(mcur, Filters(review=ALL))
    assert heat.groupby("goal")["value"].sum().to_dict() == {4: 1.0, 11: 2.0}
    targets = sdg.sdg_targets(mcur, Filters(method=("manual",)), 11)
    shown = targets[targets["validated_entities"] > 0]
    assert shown["target_id"].tolist() == ["11.2", "11.3"]


def test_scorecard_counts_the_default_basis(mcur: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        mcur.execute(
            "select indicator_id, value from mart.kpi_actual(null, null, [], [], [], [], [], [], "
            "[], []) where indicator_id in ('K24', 'K25') and measure = 'main'"
        ).fetchall()
    )
    assert rows == {"K24": 4.0, "K25": pytest.approx(100 * 2 / 7)}


# (filters, goal, activities tagged with a target of the goal): a3's goal-11 tag names no target
TARGET_CASES = [
    (Filters(), 11, 2),  # a1 (11.2), a2 (11.3)
    (Filters(), 9, 1),  # a1 (9.1, keyword accepted)
    (Filters(), 4, 0),  # a2's 4.4 is an unreviewed suggestion
    (Filters(review=ALL), 4, 1),  # ... counted with suggestions
    (Filters(method=("manual",)), 9, 0),  # 9.1 is a keyword tag
    (Filters(review=ALL, method=("model",)), 11, 0),
]


def test_activities_with_a_target_of_the_goal(mcur: duckdb.DuckDBPyConnection) -> None:
    for filters, goal, want in TARGET_CASES:
        got = sdg.sdg_targets(mcur, filters, goal, entity_type="activity")
        assert got.attrs == {"metric": "sdg.activities_with_target", "total": want}, (filters, goal)
    assert unhonoured_filters("sdg.activities_with_target", Filters(review=ALL)) == ()
    assert sdg.sdg_targets(mcur, Filters(), 11).attrs == {}  # every entity type: no activity total


def test_a_goal_scope_counts_the_goals_rows_alone(mcur: duckdb.DuckDBPyConnection) -> None:
    """`goal=`: the metric over one goal's rows is that goal's figure in the breakdown of every
    goal (a recount, as the total of several goals); a metric without goals refuses it."""
    for filters in (Filters(), Filters(review=ALL), Filters(method=("manual",))):
        frame = groups(metric_frame(mcur, "sdg.activities_with_target", filters, by=("goal",)))
        by_goal = dict(zip(frame["goal"].astype(int), frame["value"], strict=True))
        for goal in range(1, 18):
            got = metric_total(mcur, "sdg.activities_with_target", filters, goal=(goal,))
            assert got == by_goal.get(goal, 0.0), (filters, goal)
        both = metric_total(mcur, "sdg.activities_with_target", filters, goal=(9, 11))
        assert both == metric_total(mcur, "sdg.activities_with_target", filters)  # a1 in both
    assert metric_total(mcur, "sdg.activities_with_target", Filters(), goal=(9,)) == 1  # a1
    sql, params = metric_query("sdg.activities_with_target", Filters(), goal=(11,))
    assert params["p_goal"] == [11] and "$p_goal" in sql
    with pytest.raises(ValueError, match="no SDG goal"):
        metric_query("K04", Filters(), goal=(11,))


def test_tags_by_method_and_status_count_every_tag_whatever_the_basis(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    """sdg.tags: the seven fixture tags per method and status; the review basis does not apply."""
    want = {
        ("keyword", "accepted"): 1,  # a1 9.1
        ("manual", "accepted"): 4,  # a1 11.2, a2 11.3, a3 11, coop-b 17.17
        ("model", "rejected"): 1,  # o1 13.2
        ("model", "suggested"): 1,  # a2 4.4
    }
    for filters in (Filters(), Filters(review=ALL)):
        df = sdg.sdg_tags_by_method_status(mcur, filters)
        assert df.set_index(["method", "status"])["tags"].to_dict() == want
        assert df.attrs["total"] == 7
        assert df.attrs["legend_totals"] == {"accepted": 5, "rejected": 1, "suggested": 1}
    assert metric_total(mcur, "sdg.tags", Filters(method=("model",))) == 2


def test_cooperation_sdg_profile_states_the_items_it_shares_out(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    """coop-a: a1 (11 and 9, validated: half each) and a2 (11 validated; 4 only suggested); o1's
    tag is rejected. coop-b: a3 (11) and the cooperation itself (17)."""
    from pipelines.queries.cooperation import cooperation_sdg

    a = cooperation_sdg(mcur, "coop-a")
    assert {int(g): float(v) for g, v in zip(a["goal"], a["value"], strict=True)} == {
        9: 0.5,
        11: 1.5,
    }
    assert a.attrs == {"metric": "sdg.items_tagged", "total": 2}
    assert cooperation_sdg(mcur, "coop-b").attrs["total"] == 2
    # with suggestions a2's goal 4 counts too, but a2 is still one item
    assert metric_total(mcur, "sdg.items_tagged", Filters(review=ALL), cooperation=("coop-a",)) == 2
    assert metric_total(mcur, "sdg.items_tagged", Filters()) == 4  # a1 a2 a3 coop-b


def test_entity_goal_flags_record_each_review_basis_and_method(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    # the flags of mart.sdg_entity_goal the SDG page tests instead of grouping the tags
    rows = mcur.execute(
        "select entity_id, goal, tag_validated_manual, tag_validated_keyword, "
        "tag_suggested_model, primary_validated_manual, primary_suggested_model, "
        "primary_validated_keyword from mart.sdg_entity_goal where entity_type = 'activity' "
        "order by entity_id, goal"
    ).fetchall()
    assert rows == [
        ("a1", 9, False, True, False, False, False, False),
        ("a1", 11, True, False, False, True, False, False),
        ("a2", 4, False, False, True, False, True, False),
        ("a2", 11, True, False, False, False, False, False),
        ("a3", 11, True, False, False, True, False, False),
    ]
    # o1's only tag is rejected: its row has no flag, so no tag filter counts it
    (o1,) = mcur.execute(
        "select tag_validated_model or tag_suggested_model or primary_suggested_model "
        "from mart.sdg_entity_goal where entity_id = 'o1'"
    ).fetchone() or (None,)
    assert o1 is False


@pytest.mark.parametrize(
    ("filters", "method", "cells"),
    [
        (Filters(), "primary", {11: 2.0}),  # a1 a3
        (Filters(review=ALL, method=("model",)), "primary", {4: 1.0}),  # a2's suggestion
        (Filters(method=("keyword",)), "fractional", {9: 1.0}),  # a1's only keyword goal
        (Filters(review=("suggested",)), "fractional", {4: 1.0}),  # a2's only suggestion
    ],
)
def test_heatmap_cells_under_tag_filters(
    mcur: duckdb.DuckDBPyConnection, filters: Filters, method: str, cells: dict[int, float]
) -> None:
    heat = sdg.sdg_network_heatmap(mcur, filters, method=method)
    assert heat.groupby("goal")["value"].sum().to_dict() == cells


# (filters, activities with a counted primary tag, activities with a counted tag): read from the
# flag columns of mart.sdg_entity (a row per entity; sources sdg_goal_primary, sdg_goal), and by
# goal from those of mart.sdg_entity_goal
ACTIVITY_CASES = [
    (Filters(), 2, 3),  # a1 a3 primary; + a2's validated 11.3
    (Filters(review=ALL), 3, 3),  # + a2's suggested primary 4.4
    (Filters(method=("model",)), 0, 0),  # a2's model tag is an unreviewed suggestion
    (Filters(review=ALL, method=("model",)), 1, 1),  # a2
    (Filters(method=("keyword",)), 0, 1),  # a1's 9.1 is not primary
]


@pytest.mark.parametrize(("filters", "primary", "tagged"), ACTIVITY_CASES)
def test_activities_counted_from_the_goal_flags(
    mcur: duckdb.DuckDBPyConnection, filters: Filters, primary: int, tagged: int
) -> None:
    assert metric_total(mcur, "sdg.activities_primary", filters) == primary
    assert metric_total(mcur, "sdg.activities_fractional", filters) == tagged
    for metric_id, want in (
        ("sdg.activities_primary", primary),
        ("sdg.activities_fractional", tagged),
    ):
        # the total row of a breakdown by goal (rows per entity and goal, a distinct count) and by
        # network (rows per entity, a count of them) recount the same entities
        for by in (("goal",), ("network",)):
            frame = metric_frame(mcur, metric_id, filters, by=by)
            assert total_row(frame)["value"] == want, (metric_id, by)
        by_network = groups(metric_frame(mcur, metric_id, filters, by=("network",)))
        assert by_network["value"].sum() == want  # one network per activity: its groups add up


def test_entity_mart_has_a_row_per_entity_with_its_goal_flags(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    """mart.sdg_entity: one row per (entity_type, entity_id), each flag or-ed over its goals."""
    flags = [
        f"{kind}_{review}_{method}"
        for kind in ("tag", "primary")
        for review in ALL
        for method in TAG_METHODS
    ]
    rows, keys = mcur.execute(
        "select count(*), count(distinct (entity_type, entity_id)) from mart.sdg_entity"
    ).fetchone() or (None, None)
    assert rows == keys == 5  # a1 a2 a3 o1 coop-b
    ored = ", ".join(f"bool_or({f})" for f in flags)
    assert (
        mcur.execute(
            f"select entity_type, entity_id, {ored} from mart.sdg_entity_goal group by all "
            f"except select entity_type, entity_id, {', '.join(flags)} from mart.sdg_entity"
        ).fetchall()
        == []
    )
    row = mcur.execute(
        "select primary_validated_manual, tag_validated_keyword, primary_suggested_model "
        "from mart.sdg_entity where entity_id = 'a1'"
    ).fetchone()
    assert row == (True, True, False)  # 11 primary manual, 9 keyword (not primary)


def test_a_distinct_count_over_rows_unique_on_it_is_written_as_a_count() -> None:
    """`count(distinct entity_id)` reads `count(entity_id)` only on mart.sdg_entity (a row per
    entity) and only when the metric's `where` fixes entity_type, the key's other column."""
    mode = _query_mode(Filters(), (), ())[0]
    primary = metric("sdg.activities_primary")
    assert _counted_key(primary, mode, ()) == "entity_id"
    assert _counted_key(primary, mode, ("network",)) == "entity_id"
    assert _counted_key(primary, mode, ("goal",)) is None  # mart.sdg_entity_goal: no key
    assert _counted_key(primary, mode, ("city",)) is None  # a row per place: not unique
    every_type = dataclasses.replace(primary, where="true")
    assert _counted_key(every_type, mode, ()) is None  # an id may recur across entity types
    either = dataclasses.replace(primary, where="entity_type = 'activity' or goal = 1")
    assert _counted_key(either, mode, ()) is None
    keyed = dataclasses.replace(mode, calls="calls")
    assert _counted_key(primary, keyed, ()) is None
    assert _counted_key(metric("K03"), mode, ()) is None  # a relation without a key
    sql, _ = metric_query("sdg.activities_primary", Filters())
    assert "from mart.sdg_entity where" in sql and "count(distinct" not in sql
    sql, _ = metric_query("sdg.activities_primary", Filters(), by=("goal",))
    assert "mart.sdg_entity_goal" in sql and "count(distinct entity_id)" in sql


@pytest.mark.parametrize("method", ["primary", "fractional"])
@pytest.mark.parametrize("filters", [case[0] for case in ACTIVITY_CASES])
def test_heatmap_cells_add_up_to_the_profile(
    mcur: duckdb.DuckDBPyConnection, filters: Filters, method: str
) -> None:
    """The heatmap reads only the rows that give a value (`valued`), the profile every counted
    row: one network per activity, so its cells add up to the profile's goals."""
    profile = sdg.sdg_profile(mcur, filters, method=method)
    want = {int(g): v for g, v in zip(profile["goal"], profile["value"], strict=True) if v}
    heat = sdg.sdg_network_heatmap(mcur, filters, method=method)
    assert (heat["value"] > 0).all()
    assert {int(g): v for g, v in heat.groupby("goal")["value"].sum().items()} == want


def test_cooperation_sdg_profile_sums_the_weights_exactly_in_any_order() -> None:
    """Thirds and quarters: 300,003 thirds are 100,001 and three quarters 0.75, so goal 11 weighs
    exactly 100,001.75 (a sum of doubles is off in its last bits, by order: parallel runs differ)."""
    from pipelines.queries.cooperation import cooperation_sdg
    from tests.pipelines.conftest import build_fixture_warehouse

    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    marts.build_marts(con)
    con.execute(
        """
        insert into mart.sdg_entity_goal (entity_type, entity_id, goal, is_validated, weight,
            cooperation_id)
        select 'activity', 'x' || i, 11, true, 1 / 3, 'coop-x' from range(300003) t(i)
        union all
        select 'activity', 'y' || i, 11, true, 1 / 4, 'coop-x' from range(3) t(i)
        union all
        select 'activity', 'z' || i, 9, true, 1 / 3, 'coop-x' from range(2) t(i)
        """
    )
    runs = {tuple(cooperation_sdg(con, "coop-x")["value"].tolist()) for _ in range(5)}
    # goals 9 and 11, the same every run; shown to 9 places, as the SDG page's sums
    assert runs == {(0.666666667, 100_001.75)}
    con.close()


def test_goal_cube_counts_each_entity_goal_row_once(mcur: duckdb.DuckDBPyConnection) -> None:
    """mart.sdg_goal_cube, summed over the filter dimensions (by hand from the fixture tags):
    a1 9 keyword (weight 1/2) and 11 primary manual (1/2); a2 4 only suggested (no weight) and 11
    manual (1); a3 11 primary (1); o1 13 rejected (nothing); coop-b 17 primary manual (1)."""
    rows = mcur.execute(
        "select entity_type, goal, sum(primary_entities), sum(suggested_entities), "
        "sum(weight)::double from mart.sdg_goal_cube group by all order by all"
    ).fetchall()
    assert rows == [
        ("activity", 4, 0, 1, None),
        ("activity", 9, 0, 0, 0.5),
        ("activity", 11, 2, 0, 2.5),
        ("cooperation", 17, 1, 0, 1.0),
        ("output", 13, 0, 0, None),
    ]


def test_profile_and_heatmap_read_the_cube_under_the_default_tag_filters() -> None:
    assert sdg._from_cube(Filters())
    assert sdg._from_cube(Filters(region=("EU",), review=("validated",)))
    assert sdg._from_cube(Filters(method=TAG_METHODS))
    assert not sdg._from_cube(Filters(review=ALL))
    assert not sdg._from_cube(Filters(method=("manual", "model")))
    sql, params = sdg._goal_sums(
        Filters(network=("innovation",)), "activity", "primary", by="goal", name="e"
    )
    assert "mart.sdg_goal_cube" in sql and "mart.sdg_entity_goal" not in sql
    assert params == ["activity", ["innovation"]]
    sql, _ = sdg._goal_sums(Filters(review=ALL), "activity", "primary", by="goal", name="e")
    assert "mart.sdg_goal_cube" not in sql and "mart.sdg_entity_goal" in sql


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(region=("NA",)),
        Filters(country=("FR", "US")),
        Filters(network=("innovation",)),
        Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)),
        Filters(start=dt.date(2031, 1, 1), end=dt.date(2031, 12, 31)),  # no row
    ],
)
@pytest.mark.parametrize("entity_type", sdg.ENTITY_TYPES)
@pytest.mark.parametrize("method", sdg.METHODS)
def test_cube_gives_the_frames_of_the_entity_goal_rows(
    mcur: duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    filters: Filters,
    entity_type: str,
    method: str,
) -> None:
    """The profile and heatmap from the cube are the frames the (entity, goal) rows give."""
    kwargs = {"entity_type": entity_type, "method": method, "total": False}
    cube = [
        sdg.sdg_profile(mcur, filters, **kwargs),
        sdg.sdg_network_heatmap(mcur, filters, **kwargs),
    ]
    monkeypatch.setattr(sdg, "_from_cube", lambda filters: False)
    rows = [
        sdg.sdg_profile(mcur, filters, **kwargs),
        sdg.sdg_network_heatmap(mcur, filters, **kwargs),
    ]
    for got, want in zip(cube, rows, strict=True):
        pd.testing.assert_frame_equal(got, want)


def test_items_of_a_cooperation_are_counted_from_its_sorted_tags(
    mcur: duckdb.DuckDBPyConnection,
) -> None:
    """sdg.items_tagged with no filter but a cooperation reads mart.sdg_tag_cooperation (every
    tag of mart.sdg_tag, narrow, sorted by cooperation); with a filter, mart.sdg_tag."""
    sql, _ = metric_query("sdg.items_tagged", Filters(), cooperation=("coop-a",))
    assert "mart.sdg_tag_cooperation" in sql
    sql, _ = metric_query("sdg.items_tagged", Filters(region=("EU",)), cooperation=("coop-a",))
    assert "mart.sdg_tag_cooperation" not in sql and "mart.sdg_tag " in sql
    cols = "cooperation_id, entity_type, entity_id, review, method, month"
    tags = mcur.execute(f"select {cols} from mart.sdg_tag order by all").fetchall()
    assert (
        mcur.execute(f"select {cols} from mart.sdg_tag_cooperation order by all").fetchall() == tags
    )
    # coop-a: a1 (9, 11), a2 (4 suggested, 11), o1 (13 rejected): 5 tags, 2 items counted
    assert [t[0] for t in tags].count("coop-a") == 5
    assert metric_total(mcur, "sdg.items_tagged", Filters(), cooperation=("coop-a",)) == 2
    assert metric_total(mcur, "sdg.items_tagged", Filters(), cooperation=("none",)) == 0
