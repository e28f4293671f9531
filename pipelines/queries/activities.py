"""The activities register: server-side search, sort and paging."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters
from pipelines.queries._sql import fetch, label_col, where
from pipelines.warehouse.db import one_row

# sortable columns (the allow-list of ORDER BY identifiers)
SORT_COLUMNS = (
    "activity_id",
    "title",
    "activity_type",
    "modality",
    "status",
    "start_date",
    "end_date",
    "network_id",
    "city_name",
    "country_iso2",
    "cooperation_name",
    "participants",
    "reported_date",
)
MAX_LIMIT = 1000


def activities_page(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    search: str = "",
    sort: str = "start_date",
    descending: bool = True,
    offset: int = 0,
    limit: int = 50,
    lang: str = "en",
) -> tuple[pd.DataFrame, int]:
    """Return one page of the filtered, searched, sorted activity register and the total row count.

    `search` matches (case-insensitive substring) the id, title, host city and cooperation name;
    `sort` must be one of SORT_COLUMNS; `limit` is capped at 1000. The period filter applies to the
    month the activity ends in; region and country select the activities that count there (the
    host city, or without one the participants' cities, D12). A planned activity ending after the
    data's as-of date has status 'not_yet_reported'.
    Columns: activity_id, title, activity_type, activity_type_label, modality, modality_label,
    status, start_date, end_date, network_id, network_label, subtheme_id, cooperation_id,
    cooperation_name, mode, city_id, city_name, country_iso2, region, participants, reported_date.

    Example: ``rows, total = activities_page(con, Filters(), search="mobility", sort="title")``
    """
    if sort not in SORT_COLUMNS:
        raise ValueError(f"sort must be one of {SORT_COLUMNS}")
    lab = label_col(lang)
    clause, params = where(filters, alias="a", geo="list")
    search = (search or "").strip().lower()
    if search:
        clause += " and contains(a.search_text, ?)"
        params.append(search)
    direction = "desc" if descending else "asc"
    order = f"sort_key {direction} nulls last, activity_id"
    # The filtered rows' keys (id and sort column only) give both the total and the page's ids
    # (a top-N over two columns, not every column); only the page's rows are then read in full.
    # With a search they are kept once (one scan testing the text); without, reading the register
    # twice (a count, a top-N) costs less than keeping every row's key (at 10 M, about half).
    kept = "materialized" if search else "not materialized"
    page = fetch(
        con,
        f"""
        with f as {kept} (
            select a.activity_id, a.{sort} as sort_key
            from mart.activity_register as a
            where {clause}
        ),
        k as (
            select activity_id, sort_key from f order by {order} limit ? offset ?
        ),
        p as (
            select r.*, k.sort_key
            from k
            join mart.activity_register as r on r.activity_id = k.activity_id
        )
        select
            (select count(*) from f) as total,
            p.activity_id,
            p.title,
            p.activity_type,
            t.{lab} as activity_type_label,
            p.modality,
            m.{lab} as modality_label,
            -- dated after the data's as-of date (D4): not yet reported, rather than "planned"
            case
                when p.status = 'planned' and p.end_date > mart.data_as_of() then 'not_yet_reported'
                else p.status
            end as status,
            p.start_date,
            p.end_date,
            p.network_id,
            n.{lab} as network_label,
            p.subtheme_id,
            p.cooperation_id,
            p.cooperation_name,
            p.mode,
            p.city_id,
            p.city_name,
            p.country_iso2,
            p.region,
            p.participants,
            p.reported_date
        from p
        left join ref.activity_type as t on t.activity_type_id = p.activity_type
        left join ref.modality as m on m.modality_id = p.modality
        left join ref.network as n on n.network_id = p.network_id
        order by p.sort_key {direction} nulls last, p.activity_id
        """,
        [*params, max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))],
    )
    if len(page):
        total = int(page["total"].iloc[0])
    else:  # no row on this page (none match, or past the end): the count alone
        total = one_row(
            con, f"select count(*) from mart.activity_register as a where {clause}", params
        )[0]
    page = page.drop(columns="total")
    return page, int(total)
