"""SDG alignment: profile (primary-only or fractional), network x goal, targets, tag review."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from pipelines.metrics.build import metric_query
from pipelines.metrics.filters import FILTER_BY_NAME, TAG_METHODS, Filters
from pipelines.queries._sql import fetch, label_col, where
from pipelines.queries.metrics import metric_frame, metric_total, with_totals

ENTITY_TYPES = ("activity", "output", "cooperation")
METHODS = ("primary", "fractional")


def _check(entity_type: str, method: str = "primary") -> None:
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"entity_type must be one of {ENTITY_TYPES}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")


def _flags(kind: str, reviews: Sequence[str], methods: Sequence[str]) -> str:
    """Return an SQL test that an (entity, goal) row of mart.sdg_entity_goal has a tag of `kind`
    ('tag': any, 'primary': a primary one) of one of these review bases and methods: an `or` of
    its flag columns (names from the declared codes only; `false` when none is selected)."""
    columns = [
        f"{kind}_{review}_{method}"
        for review in FILTER_BY_NAME["review"].codes
        for method in TAG_METHODS
        if review in reviews and method in methods
    ]
    return "(" + " or ".join(columns) + ")" if columns else "false"


def _entity_goals(
    filters: Filters, entity_type: str, method: str = "fractional", *, valued: bool = False
) -> tuple[str, list[object]]:
    """Return (CTEs `entity_goal`, params): one row per tagged entity and goal under the filters.

    Read from mart.sdg_entity_goal (one row per entity and goal, built at publish), whose flag
    columns say which review bases and methods the entity's tags on the goal have: the tag
    filters are tests on them, not a grouping of every tag per request. The tag filters (review
    basis, method) choose the tags that count (`counted`); `weight` is 1/n over the entity's n
    counted goals (fractional), `is_primary` marks a counted primary tag; `suggested` marks a
    goal whose only tags of the selected methods are unreviewed suggestions. The primary-only
    method does not use `weight` (null then): its window over every entity is the costliest step
    of the query, so it is computed only for the fractional method.
    `valued`: only the rows that give the method a value (a counted primary tag; a counted tag),
    for a figure of the values alone (the heatmap): the others give 0 (primary) or a null weight
    (fractional; the window counts the counted rows only), so the sums are the same, from fewer
    rows.
    """
    clause, params = where(filters, geo="list")
    reviews = filters.tag_codes("review")
    methods = filters.method or TAG_METHODS
    counted = _flags("tag", reviews, methods)
    every = _flags("tag", FILTER_BY_NAME["review"].codes, methods)
    if valued:
        every = _flags("primary", reviews, methods) if method == "primary" else counted
    weight = (
        """case
                    when counted
                        then 1.0 / count(case when counted then 1 end)
                            over (partition by entity_id)
                end"""
        if method == "fractional"
        else "cast(null as double)"
    )
    sql = f"""
        with tag as (
            select
                entity_id,
                goal,
                network_id,
                {_flags("primary", reviews, methods)} as is_primary,
                {counted} as counted,
                {_flags("tag", ("suggested",), methods)}
                    and not {_flags("tag", ("validated",), methods)} as suggested
            from mart.sdg_entity_goal
            where entity_type = ? and {every} and {clause}
        ),
        entity_goal as (
            select
                *,
                {weight} as weight
            from tag
        )"""
    return sql, [entity_type, *params]


def activities_metric(method: str) -> str:
    """Return the id of the metric counting the activities an SDG profile or heatmap of `method`
    accounts for (the total their summary sentences state).

    Example: ``activities_metric("fractional")  # 'sdg.activities_fractional'``
    """
    _check("activity", method)
    return f"sdg.activities_{method}"


def _value(method: str) -> str:
    # primary-only: 1 for each counted primary goal; fractional: 1/n over the counted goals, as
    # decimals, whose sum does not depend on the order of the rows (a sum of doubles did: the
    # same request gave 68,540 or 68,541 for a goal whose 1/n shares add up to 68,540.5). With
    # 24 places a share's own error (1/3 as 0.333…3148) stays far below the 9 places the sums
    # are rounded to, however many rows (with 12, 300,003 thirds fell 1e-7 short of 100,001)
    return (
        "case when is_primary then 1.0 else 0.0 end"
        if method == "primary"
        else "weight::decimal(38, 24)"
    )


def _from_cube(filters: Filters) -> bool:
    """Return whether mart.sdg_goal_cube holds the SDG profile and heatmap for these filters:
    their tag filters are the defaults (validated tags, every tagging method), for which the
    cube's counts and fractional weights were summed at publish."""
    return filters.tag_codes("review") == FILTER_BY_NAME["review"].default and set(
        filters.method or TAG_METHODS
    ) == set(TAG_METHODS)


def _goal_sums(
    filters: Filters, entity_type: str, method: str, *, by: str, name: str, valued: bool = False
) -> tuple[str, list[object]]:
    """Return (CTEs ending with `name`, params): per group of `by` (columns of both marts), the
    method's value (`_value` summed, rounded to 9 decimals) and the entities whose only tags on
    the goal are suggestions (`suggested`), of the tagged entities under the filters.

    Under the default tag filters the cells of mart.sdg_goal_cube are summed (each (entity,
    goal) row is counted in one cell; the weights are exact decimals, so the sums are the
    rows'); otherwise the rows of `_entity_goals` (`valued`: only those giving a value) are.
    """
    if _from_cube(filters):
        clause, params = where(filters, geo="list")
        value = "primary_entities * 1.0" if method == "primary" else "weight"
        sql = f"""
        with {name} as (
            select
                {by},
                round(sum({value}), 9) as value,
                sum(suggested_entities)::bigint as suggested
            from mart.sdg_goal_cube
            where entity_type = ? and {clause}
            group by {by}
        )"""
        return sql, [entity_type, *params]
    ctes, params = _entity_goals(filters, entity_type, method, valued=valued)
    sql = f"""
        {ctes},
        {name} as (
            select
                {by},
                round(sum({_value(method)}), 9) as value,
                count(case when suggested then 1 end)::bigint as suggested
            from entity_goal
            group by {by}
        )"""
    return sql, params


def sdg_profile(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    entity_type: str = "activity",
    method: str = "primary",
    lang: str = "en",
    total: bool = True,
) -> pd.DataFrame:
    """Return the SDG profile (K25): per goal, the entities it accounts for and its share.

    method 'primary': each entity counts once, for its primary goal; 'fractional': an entity
    with n goals gives 1/n to each. Only the tags of the review basis count (validated by
    default: accepted, or manual and not rejected; `Filters.review` may add unreviewed
    suggestions) and of the selected tagging methods. Shares sum to 100 over the 17 goals;
    `suggested` counts entities whose only tags on the goal are unreviewed suggestions.
    Columns: goal, label, colour_hex, value, share, suggested.
    attrs (activities): metric and total, the metric layer's count of the activities profiled
    (sdg.activities_primary or sdg.activities_fractional) that the summary sentence states;
    `total=False` leaves attrs empty (the caller reads `activities_metric(method)` itself, e.g.
    once for the profile and the heatmap of one request).

    Example: ``sdg_profile(con, Filters(review=("suggested", "validated")), method="fractional")``
    """
    _check(entity_type, method)
    lab = label_col(lang)
    ctes, params = _goal_sums(filters, entity_type, method, by="goal", name="e")
    profile = fetch(
        con,
        f"""
        {ctes}
        select
            g.goal,
            g.{lab} as label,
            g.colour_hex,
            coalesce(e.value, 0) as value,
            round(100.0 * coalesce(e.value, 0) / nullif(sum(e.value) over (), 0), 9) as share,
            coalesce(e.suggested, 0) as suggested
        from ref.sdg_goal as g
        left join e on e.goal = g.goal
        order by g.goal
        """,
        params,
    )
    if entity_type == "activity" and total:
        metric_id = activities_metric(method)
        profile.attrs = {"metric": metric_id, "total": metric_total(con, metric_id, filters)}
    return profile


def sdg_network_heatmap(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    entity_type: str = "activity",
    method: str = "primary",
    lang: str = "en",
    total: bool = True,
) -> pd.DataFrame:
    """Return network x goal cells: value and share of the network's entities (tags as in
    `sdg_profile`: the review basis and methods of the filters).

    Columns: network_id, network_label, goal, goal_label, value, share (within the network).
    attrs (activities): metric and total, the metric layer's count of the activities in the
    cells (as for `sdg_profile`) that the summary sentence states; `total=False` leaves attrs
    empty (as for `sdg_profile`).

    Example: ``sdg_network_heatmap(con, Filters(), method="fractional")``
    """
    _check(entity_type, method)
    lab = label_col(lang)
    ctes, params = _goal_sums(
        filters, entity_type, method, by="network_id, goal", name="c", valued=True
    )
    cells = fetch(
        con,
        f"""
        {ctes}
        select
            c.network_id,
            n.{lab} as network_label,
            c.goal,
            g.{lab} as goal_label,
            c.value,
            round(100.0 * c.value / nullif(sum(c.value) over (partition by c.network_id), 0), 9)
            as share
        from c
        left join ref.network as n on n.network_id = c.network_id
        left join ref.sdg_goal as g on g.goal = c.goal
        where c.value > 0
        order by n.sort_order, c.goal
        """,
        params,
    )
    if entity_type == "activity" and total:
        metric_id = activities_metric(method)
        cells.attrs = {"metric": metric_id, "total": metric_total(con, metric_id, filters)}
    return cells


def sdg_targets(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    goal: int,
    *,
    entity_type: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Return the drill-down of one goal: per SDG target, the entities with a validated tag on it
    and those with an unreviewed suggestion on it (both shown, whatever the review basis), of the
    selected tagging methods.

    Columns: target_id, label, validated_entities, suggested_entities.
    attrs (activities): metric and total, the metric layer's count of the activities tagged with
    any target of the goal under the review basis (sdg.activities_with_target for the goal), the
    total the summary sentence states.

    Example: ``sdg_targets(con, Filters(), 11, entity_type="activity").attrs["total"]``
    """
    if entity_type is not None:
        _check(entity_type)
    lab = label_col(lang)
    clause, params = where(filters, alias="t", geo="list", tags=True, skip=("review",))
    targets = fetch(
        con,
        f"""
        with t as (
            select
                t.target_id,
                count(distinct t.entity_id) filter (where t.review = 'validated')::bigint
                    as validated_entities,
                count(distinct t.entity_id) filter (where t.review = 'suggested')::bigint
                    as suggested_entities
            from mart.sdg_tag as t
            where t.goal = ? and t.target_id is not null
              and (?::varchar is null or t.entity_type = ?::varchar)
              and {clause}
            group by 1
        )
        select
            s.target_id,
            s.{lab} as label,
            coalesce(t.validated_entities, 0) as validated_entities,
            coalesce(t.suggested_entities, 0) as suggested_entities
        from ref.sdg_target as s
        left join t on t.target_id = s.target_id
        where s.goal = ?
        order by s.sort_order
        """,
        [int(goal), entity_type, entity_type, *params, int(goal)],
    )
    if entity_type == "activity":
        targets.attrs = {
            "metric": _TARGET_METRIC,
            "total": _goal_activities_with_target(con, filters, int(goal)),
        }
    return targets


_TARGET_METRIC = "sdg.activities_with_target"


def _goal_activities_with_target(
    con: duckdb.DuckDBPyConnection, filters: Filters, goal: int
) -> int:
    """Return the distinct activities tagged with any target of `goal` under the filters' review
    basis and tagging methods (the metric sdg.activities_with_target for that goal; 0 if none).

    Example: ``_goal_activities_with_target(con, Filters(), 11)  # 412``
    """
    # the metric over the goal's rows alone (its total), not the breakdown of every goal
    value = metric_total(con, _TARGET_METRIC, filters, goal=(int(goal),))
    return 0 if value is None else int(value)


def sdg_coverage(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return SDG target coverage (K24) per goal: targets addressed by validated tags / all targets.

    Columns: goal, label, colour_hex, targets_total, targets_covered, pct_covered;
    attrs: total (K24 for the selection: distinct targets, recounted).

    Example: ``sdg_coverage(con, Filters()).attrs["total"]``
    """
    # the metric's rows (per goal, and its recounted total) read in the same statement
    rows, params = metric_query("K24", filters, ("goal",))
    out = con.execute(
        f"""
        with k24 as materialized (
            {rows}
        ),
        covered as (
            select goal, value::bigint as targets_covered from k24 where not is_total
        ),
        per_goal as (
            select goal, count(*) as targets_total from ref.sdg_target group by goal
        )
        select
            g.goal,
            g.{label_col(lang)} as label,
            g.colour_hex,
            p.targets_total,
            coalesce(c.targets_covered, 0) as targets_covered,
            100.0 * coalesce(c.targets_covered, 0) / nullif(p.targets_total, 0) as pct_covered,
            (select value from k24 where is_total) as total
        from ref.sdg_goal as g
        join per_goal as p on p.goal = g.goal
        left join covered as c on c.goal = g.goal
        order by g.goal
        """,
        params,
    ).df()
    total = out.pop("total").iloc[0] if len(out) else None
    out.attrs = {
        "metric": "K24",
        "total": None if total is None or pd.isna(total) else float(total),
    }
    return out


def sdg_tags_by_method_status(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return SDG tag counts by method (manual|keyword|model) and review status (metric sdg.tags).

    Columns: method, status, tags; attrs: total (all tags), legend_totals (per review status).

    Example: ``sdg_tags_by_method_status(con, Filters())``
    """
    by = ("method", "review_status")
    frame = metric_frame(con, "sdg.tags", filters, by=by, levels=[("review_status",)])
    rows = with_totals(frame, "sdg.tags", by, legend="review_status")
    out = rows[["method", "status", "value"]].rename(columns={"value": "tags"})
    out["tags"] = out["tags"].astype("int64")
    out.attrs = rows.attrs
    return out
