"""Filter option lists (value, label) for the global filters."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from pipelines.metrics.filters import FILTER_BY_NAME, FILTERS, Filters
from pipelines.queries._sql import fetch, label_col


def network_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the thematic networks. Columns: value, label.

    Example: ``network_options(con, lang="es")``
    """
    lab = label_col(lang)
    return fetch(
        con, f"select network_id as value, {lab} as label from ref.network order by sort_order"
    )


def subtheme_options(
    con: duckdb.DuckDBPyConnection, networks: tuple[str, ...] = (), *, lang: str = "en"
) -> pd.DataFrame:
    """Return the subthemes of the chosen networks (all when none). Columns: value, label, network_id.

    Example: ``subtheme_options(con, ("innovation",))``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select
            s.subtheme_id as value,
            s.{lab} as label,
            s.network_id
        from ref.subtheme as s
        join ref.network as n on n.network_id = s.network_id
        where len(?::varchar[]) = 0 or s.network_id in (select unnest(?::varchar[]))
        order by n.sort_order, s.sort_order
        """,
        [list(networks), list(networks)],
    )


def region_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the regions (EU, NA) that have cities. Columns: value, label.

    Example: ``region_options(con)``
    """
    labels = {
        "en": {"EU": "Europe", "NA": "North America"},
        "fr": {"EU": "Europe", "NA": "Amérique du Nord"},
        "es": {"EU": "Europa", "NA": "América del Norte"},
    }.get(lang, {"EU": "Europe", "NA": "North America"})
    df = fetch(
        con, "select distinct region as value from mart.city where region is not null order by 1"
    )
    df["label"] = df["value"].map(labels).fillna(df["value"])
    return df


def country_options(
    con: duckdb.DuckDBPyConnection, regions: tuple[str, ...] = (), *, lang: str = "en"
) -> pd.DataFrame:
    """Return the countries that have cities, in the chosen regions. Columns: value, label, region.

    Example: ``country_options(con, ("NA",), lang="fr")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select distinct
            c.country_iso2 as value,
            coalesce(r.{lab}, c.country_iso2) as label,
            c.region
        from mart.city as c
        left join ref.country as r on r.country_iso2 = c.country_iso2
        where len(?::varchar[]) = 0 or c.region in (select unnest(?::varchar[]))
        order by label
        """,
        [list(regions), list(regions)],
    )


def mode_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the cooperation modes. Columns: value, label.

    Example: ``mode_options(con)``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"select mode_id as value, {lab} as label from ref.cooperation_mode order by sort_order",
    )


def challenge_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the cross-cutting challenges. Columns: value, label.

    Example: ``challenge_options(con, lang="es")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"select cross_cutting_id as value, {lab} as label from ref.cross_cutting "
        "order by sort_order",
    )


def output_type_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the output types. Columns: value, label.

    Example: ``output_type_options(con, lang="fr")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"select output_type_id as value, {lab} as label from ref.output_type order by sort_order",
    )


def period_options(con: duckdb.DuckDBPyConnection, *, period_type: str = "year") -> pd.DataFrame:
    """Return the years (or quarters) that hold activity data, up to the data's as-of date.

    A period after the as-of date (D4) or before the first activity is not offered: its pages
    would be empty. Columns: value (label), start, end.

    Example: ``period_options(con, period_type="quarter")``
    """
    if period_type not in ("year", "quarter"):
        raise ValueError("period_type must be 'year' or 'quarter'")
    return fetch(
        con,
        """
        select label as value, period_start as start, period_end as "end"
        from mart.calendar
        where period_type = ?
          and period_start <= mart.data_as_of()
          and period_end >= (select min(month) from mart.activity_register)
        order by period_start
        """,
        [period_type],
    )


def review_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the SDG tag review bases (the `review` filter's declared codes). Columns: value,
    label (the code; the dashboard words it).

    Example: ``review_options(con)["value"].tolist()  # ['suggested', 'validated']``
    """
    codes = list(FILTER_BY_NAME["review"].codes)
    return pd.DataFrame({"value": codes, "label": codes})


def method_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the SDG tagging methods found in the data (manual, keyword, model...). Columns:
    value, label (the code; the dashboard words it).

    Example: ``method_options(con)``
    """
    return fetch(
        con, "select distinct method as value, method as label from core.sdg_alignment order by 1"
    )


def sdg_goal_options(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the SDG goals that have targets, in order (the goals a goal drill-down offers; the
    rows of `sdg_coverage`, read from the reference tables only). Columns: goal, label.

    Example: ``sdg_goal_options(con, lang="fr")``
    """
    return fetch(
        con,
        f"""
        select g.goal, g.{label_col(lang)} as label
        from ref.sdg_goal as g
        where exists (select 1 from ref.sdg_target as s where s.goal = g.goal)
        order by g.goal
        """,
    )


# the option list of each global filter (pipelines.metrics.filters.FILTERS), by its URL name;
# a filter added to FILTERS adds its option function here (a test checks none is missing)
FILTER_OPTIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "network": network_options,
    "subtheme": subtheme_options,
    "region": region_options,
    "country": country_options,
    "mode": mode_options,
    "challenge": challenge_options,
    "review": review_options,
    "method": method_options,
}


def unknown_codes(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, list[str]]:
    """Return {filter name: the codes of `filters` that are not among its options} (empty: all known).

    Example: ``unknown_codes(con, Filters(network=("nope",)))  # {'network': ['nope']}``
    """
    unknown: dict[str, list[str]] = {}
    for spec in FILTERS:
        wanted = getattr(filters, spec.name)
        if not wanted:
            continue
        known = set(FILTER_OPTIONS[spec.name](con)["value"].astype(str))
        missing = sorted(set(wanted) - known)
        if missing:
            unknown[spec.name] = missing
    return unknown
