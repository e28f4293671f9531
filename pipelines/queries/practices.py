"""The best-practice showcase: outputs that reached implementation or adoption, as a catalogue.

A practice is an output (action plan, pilot, solution, agreement, knowledge product, policy
change) that is not abandoned and whose lifecycle reached 'implemented' or 'adopted' (the stage
rules of mart.output_register). The global filters apply as to every output (D12: its own city,
else its cooperation's cities); the showcase adds a free-text search, an SDG goal and an output
type. Rows are listed, never added up: funding is each output's own committed total.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from pipelines.metrics.build import to_date_condition
from pipelines.metrics.filters import Filters, period_bounds
from pipelines.queries._sql import fetch, label_col, where
from pipelines.queries.metrics import metric_totals

PRACTICES_MAX_ROWS = 500
PRACTICES_PAGE_SIZE = 20  # practices a page of the showcase shows at a time
TAKE_UP_METRICS = ("practices_taken_up", "adopting_cities")


def practices_matched(df: pd.DataFrame) -> int:
    """Return how many practices matched the query that returned `df` (a `practices` frame),
    counting those beyond its PRACTICES_MAX_ROWS cut."""
    return int(df["matched_count"].iloc[0]) if len(df) else 0


def take_up_sql(filters: Filters, among: str | None = None) -> tuple[str, list[Any]]:
    """Return (CTE body, params): per output, the cities that adopted it (mart.output_adoption),
    by name; only the adoptions the take-up metrics count, i.e. up to the period end and never
    after the data's as-of date (the metrics' own condition, `to_date_condition`). `among` names
    a relation of the calling query (a CTE with an output_id column, never request text) that
    limits the outputs looked at."""
    if among is not None and not among.isidentifier():
        raise ValueError(f"not a relation name: {among!r}")
    dated = to_date_condition(TAKE_UP_METRICS[0], "?", alias="a")
    if among is not None:
        dated += f" and a.output_id in (select output_id from {among})"
    sql = f"""
        select a.output_id,
            list(c.city_id order by c.name) as taken_up_ids,
            list(c.name order by c.name) as taken_up_names
        from mart.output_adoption as a
        join mart.city as c on c.city_id = a.city_id
        where {dated}
        group by 1
    """
    return sql, [period_bounds(filters)[1]]


def practices(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    search: str = "",
    goal: int | None = None,
    output_type: str | None = None,
    lang: str = "en",
    page: int | None = None,
) -> pd.DataFrame:
    """Return the outputs that reached implementation or adoption, latest stage first.

    Columns: output_id, title, description, output_type, output_type_label, status, status_label,
    cooperation_id, cooperation_name, network_label, subtheme_label, challenge_label, city_ids,
    city_names (lists, same order), taken_up_ids, taken_up_names (the other cities that adopted
    it, lists in the same order), goals (validated SDG goals), funding_eur, planned_date,
    developed_date, implemented_date, adopted_date, evidence_url, matched_count (how many
    practices match in all, the same on every row: more than the rows returned when the list is
    cut at PRACTICES_MAX_ROWS; `practices_matched` reads it). At most PRACTICES_MAX_ROWS rows.

    With `page` (1-based), only that page of PRACTICES_PAGE_SIZE rows of the list (the last page
    when `page` is past it), plus listed_count: the rows of the whole list (`practices_listed`).
    City names, goals and take-up are then gathered for that page's rows only.

    Example: ``practices(con, Filters(challenge=("digital_transition_smart_city",)), goal=11)``
    """
    lab = label_col(lang)
    clause, params = where(filters, alias="o", geo="list")
    text = (search or "").strip().lower()[:200]
    take_up, take_up_params = take_up_sql(filters, among="listed" if page is None else "shown")
    # the filters narrow the outputs first; city names, goals and take-up are then gathered only
    # for what is listed (or, with a search, for the matching candidates the text is sought in)
    shown = "listed" if page is None else "shown"
    named_from = "candidate" if text else shown
    search_sql = (
        """
        searched as (
            select b.* from candidate as b
            left join names as nm on nm.output_id = b.output_id
            left join mart.cooperation_register as co on co.cooperation_id = b.cooperation_id
            where contains(lower(concat_ws(' ', b.title, b.description, co.name,
                array_to_string(coalesce(nm.city_names, []), ' '))), ?::varchar)
        ),"""
        if text
        else ""
    )
    names_sql = f"""
        names as (
            select b.output_id,
                list(c.city_id order by c.name) as city_ids,
                list(c.name order by c.name) as city_names
            from {named_from} as b, unnest(b.city_ids) as u(city_id)
            join mart.city as c on c.city_id = u.city_id
            group by 1
        ),"""
    listed_sql = f"""
        listed as (
            select *, count(*) over () as matched_count  -- counted before the limit
            from {"searched" if text else "candidate"}
            order by coalesce(adopted_date, implemented_date) desc nulls last, output_id
            limit {PRACTICES_MAX_ROWS}
        ),"""
    if page is not None:  # the page's rows: the last page when `page` is past the list
        listed_sql += f"""
        numbered as (
            select *,
                row_number() over (
                    order by coalesce(adopted_date, implemented_date) desc nulls last, output_id
                ) as row_no,
                count(*) over () as listed_count
            from listed
        ),
        shown as (
            select * exclude (row_no) from numbered
            where (row_no - 1) // {PRACTICES_PAGE_SIZE} + 1
                = least(?::bigint, (listed_count - 1) // {PRACTICES_PAGE_SIZE} + 1)
        ),"""
    ctes = (names_sql + search_sql + listed_sql) if text else (listed_sql + names_sql)
    return fetch(
        con,
        f"""
        with candidate as (
            select o.output_id, o.title, o.description, o.output_type, o.status,
                o.cooperation_id, o.network_id, o.subtheme_id, o.cross_cutting_id, o.city_ids,
                o.funding_eur, o.planned_date, o.developed_date, o.implemented_date,
                o.adopted_date, o.evidence_url
            from mart.output_register as o
            where not o.is_abandoned
              and (o.reached_implemented or o.reached_adopted)
              and {clause}
              and (?::varchar is null or o.output_type = ?::varchar)
              and (?::integer is null or o.output_id in (
                  select entity_id from mart.sdg_tag
                  where entity_type = 'output' and is_validated and goal = ?::integer))
        ),
        {ctes}
        goals as (
            select output_id, goals from mart.sdg_output_goal
            where output_id in (select output_id from {shown})
        ),
        take_up as ({take_up})
        select
            o.output_id, o.title, o.description, o.output_type, t.{
            lab
        } as output_type_label, o.status,
            s.{lab} as status_label, o.cooperation_id, co.name as cooperation_name,
            n.{lab} as network_label, st.{lab} as subtheme_label, cc.{lab} as challenge_label,
            coalesce(ci.city_ids, []) as city_ids, coalesce(ci.city_names, []) as city_names,
            coalesce(tu.taken_up_ids, []) as taken_up_ids,
            coalesce(tu.taken_up_names, []) as taken_up_names, coalesce(g.goals, []) as goals,
            o.funding_eur, o.planned_date, o.developed_date,
            o.implemented_date, o.adopted_date, o.evidence_url, o.matched_count{
            "" if page is None else ", o.listed_count"
        }
        from {shown} as o
        left join goals as g on g.output_id = o.output_id
        left join names as ci on ci.output_id = o.output_id
        left join take_up as tu on tu.output_id = o.output_id
        left join ref.output_type as t on t.output_type_id = o.output_type
        left join ref.output_status as s on s.status_id = o.status
        left join mart.cooperation_register as co on co.cooperation_id = o.cooperation_id
        left join ref.network as n on n.network_id = o.network_id
        left join ref.subtheme as st on st.subtheme_id = o.subtheme_id
        left join ref.cross_cutting as cc on cc.cross_cutting_id = o.cross_cutting_id
        order by coalesce(o.adopted_date, o.implemented_date) desc nulls last, o.output_id
        """,
        [
            *params,
            *(output_type, output_type, goal, goal),
            *([text] if text else []),
            *([] if page is None else [max(1, page)]),
            *take_up_params,
        ],
    )


def practices_listed(df: pd.DataFrame) -> int:
    """Return how many practices the whole list holds (at most PRACTICES_MAX_ROWS), read from a
    `practices(..., page=N)` frame; 0 when it is empty.

    Example: ``practices_listed(practices(con, Filters(), page=1))``
    """
    return int(df["listed_count"].iloc[0]) if len(df) else 0


def take_up_totals(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, float | None]:
    """Return {metric id: total} of the take-up metrics (practices taken up, cities adopting) for
    the filters, each a distinct count from the metric layer (never added up here).

    Example: ``take_up_totals(con, Filters(region=("NA",)))  # {'practices_taken_up': 4.0, ...}``
    """
    return metric_totals(con, TAKE_UP_METRICS, filters)  # one statement for both
