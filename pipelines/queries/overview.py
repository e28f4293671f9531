"""Programme overview: KPI scorecard, trend, network breakdown, map points, data freshness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from pipelines import config
from pipelines.metrics import build
from pipelines.metrics.catalogue import metric
from pipelines.metrics.filters import MACRO_PARAMETERS, Filters
from pipelines.metrics.model import Additivity
from pipelines.queries._sql import MACRO_PARAMS, fetch, label_col, macro_args, period_bounds
from pipelines.queries.metrics import (
    data_dates,
    groups,
    joined_groups,
    metric_frame,
    metric_frames,
    total_row,
)
from pipelines.warehouse import marts

PERIOD_TYPES = ("month", "quarter", "year")
TREND_KPIS = ("K02", "K03", "K04", "K08", "K10", "K20")


def kpi_scorecard(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    cooperation_id: str | None = None,
    city_id: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Return one row per KPI: value, target, % achieved, RAG and forecast for these filters.

    Columns: indicator_id, label, unit, direction, value, numerator, denominator, source,
    target_value, target_period_end, pct_achieved, rag (green|amber|red|not_rated|no_data),
    forecast_value, scope_type, scope_id, unrated_reason, fallback_target_value,
    fallback_target_period_end, fallback_scope_type, fallback_scope_id. A target applies only
    when the filters amount to a target scope (no filter, one network, one cooperation mode, one
    cooperation or one city) and one is due in the period; an unrated card says why
    (unrated_reason) and which target a reader can look at instead (fallback_*).

    Example: ``kpi_scorecard(con, Filters(network=("innovation",)), lang="fr")``
    """
    lab = label_col(lang)
    stored = _stored_scope(filters, cooperation_id, city_id)
    if stored is not None:
        df = fetch(con, _scorecard_sql(lab, _STORED), list(stored))
        if not df.empty:
            return df
    return con.execute(*_live_scorecard(lab, filters, cooperation_id, city_id)).df()


def _live_scorecard(
    lab: str, filters: Filters, cooperation_id: str | None, city_id: str | None
) -> tuple[str, dict[str, Any]]:
    """Return (SQL, named parameters) of the page's scorecard for filters not stored: the rows
    of mart.kpi_scorecard_for, from the macro's own text as one live query whose KPI rules read
    the smallest relations covering the set filters (marts.scorecard_live_sql). Only the main
    measures' rules: the page keeps the main rows, and no main row (value, target, RAG, K28)
    depends on another measure's row (each KPI always yields its main row)."""
    scope = {
        "cooperation": (cooperation_id,) if cooperation_id else (),
        "city": (city_id,) if city_id else (),
    }
    computed, params = build.kpi_computed_query(filters, **scope, measures=("main",))
    names = [name for name, _ in MACRO_PARAMETERS]
    params.update(zip(names, macro_args(filters, **scope), strict=True))
    return _scorecard_sql(lab, marts.scorecard_live_sql(computed)), params


# the scorecard rows materialised at publish (mart.kpi_scorecard) for one scope and period
_STORED = """
            select * exclude (period_type, period_start, period_end)
            from mart.kpi_scorecard
            where period_type = ?
              and period_start is not distinct from ?::date
              and period_end is not distinct from ?::date
              and scope_type = ?
              and scope_id = ?
"""


def _stored_scope(
    filters: Filters, cooperation_id: str | None, city_id: str | None
) -> tuple[Any, ...] | None:
    """Return (period_type, start, end, scope_type, scope_id) when the publish step stored the
    scorecard for these filters (the programme, one network, one cooperation mode, one
    cooperation or one city; to date or one calendar year), else None. The stored rows come
    from the same macro call."""
    if filters.subtheme or filters.challenge or filters.region or filters.country:
        return None
    scopes = [("network", n) for n in filters.network]
    scopes += [("mode", m) for m in filters.mode]
    scopes += [("cooperation", cooperation_id)] if cooperation_id else []
    scopes += [("city", city_id)] if city_id else []
    if len(scopes) > 1:
        return None
    scope_type, scope_id = scopes[0] if scopes else ("programme", config.PROGRAMME_ID)
    start, end = period_bounds(filters)
    if start is None and end is None:
        return ("all", None, None, scope_type, scope_id)
    if (
        start is not None
        and end is not None
        and start.year == end.year
        and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    ):
        return ("year", start, end, scope_type, scope_id)
    return None


def _scorecard_sql(lab: str, source: str) -> str:
    """Return the scorecard SELECT over `source` (the stored rows or the macro call)."""
    return f"""
        with s as (
            {source}
        )
        select
            a.indicator_id,
            i.{lab} as label,
            a.unit,
            a.direction,
            a.value,
            a.numerator,
            a.denominator,
            a.source,
            a.target_value,
            a.target_period_end,
            a.pct_achieved,
            a.rag,
            a.forecast_value,
            a.scope_type,
            a.scope_id,
            a.unrated_reason,
            a.fallback_target_value,
            a.fallback_target_period_end,
            a.fallback_scope_type,
            a.fallback_scope_id
        from (
            -- a KPI's forecast beside its value: a window, so that `s` (every KPI rule) is read
            -- and planned once, not a second time for a self-join
            select
                *,
                max(case when value_kind = 'forecast' and measure = 'main' then value end)
                    over (partition by indicator_id) as forecast_value
            from s
        ) as a
        left join ref.indicator as i on i.indicator_id = a.indicator_id
        where a.value_kind = 'actual' and a.measure = 'main'
        order by a.sort_order nulls last, a.indicator_id
        """


def kpi_measures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return every KPI measure (main and secondary, e.g. K10 'pct_completed') for these filters.

    Columns: indicator_id, label, measure, value_kind, source, numerator, denominator, value.

    Example: ``kpi_measures(con, Filters()).query("indicator_id == 'K17'")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select
            k.indicator_id,
            i.{lab} as label,
            k.measure,
            k.value_kind,
            k.source,
            k.numerator,
            k.denominator,
            k.value
        from mart.kpi_actual({MACRO_PARAMS}) as k
        left join ref.indicator as i on i.indicator_id = k.indicator_id
        order by i.sort_order nulls last, k.indicator_id, k.value_kind, k.measure
        """,
        macro_args(filters),
    )


def kpi_trend(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    indicator_ids: tuple[str, ...] = ("K03", "K04"),
    *,
    period_type: str = "quarter",
    lang: str = "en",
) -> pd.DataFrame:
    """Return KPI values per month, quarter or year for any filters (scorecard sparklines).

    Trend KPIs: K02, K03, K04, K08, K10, K20 (see TREND_KPIS; K20 is a running total), each
    from its metric broken down by time. Periods run from the first month of data (or the
    filter start) to the data's as-of month (or the filter end, if earlier); a period with no
    data is 0 for counts, missing for a share; `complete` is False for a period that runs past
    the as-of date (its figure is partial, not a fall).
    Columns: indicator_id, label, period_start, value, numerator, denominator, complete.

    Example: ``kpi_trend(con, Filters(network=("innovation",)), ("K04",), period_type="year")``
    """
    if period_type not in PERIOD_TYPES:
        raise ValueError(f"period_type must be one of {PERIOD_TYPES}")
    dates = data_dates(con)
    as_of, first = dates["as_of"], dates["first"]
    columns = [
        "indicator_id",
        "label",
        "period_start",
        "value",
        "numerator",
        "denominator",
        "complete",
    ]
    if as_of is None or first is None:
        return pd.DataFrame(columns=columns)
    start, end = period_bounds(filters)
    lo = max(first, start) if start else first
    hi = min(as_of, end) if end else as_of
    periods = pd.date_range(
        pd.Timestamp(lo).to_period(_FREQ[period_type]).start_time,
        pd.Timestamp(hi),
        freq=_FREQ_START[period_type],
    )
    labels = dict(
        con.execute(f"select indicator_id, {label_col(lang)} from ref.indicator").fetchall()
    )
    frames = []
    trended = [i for i in indicator_ids if i in TREND_KPIS]
    # every trend KPI's own rows, from one statement (metric_frames)
    for indicator, whole in zip(
        trended, metric_frames(con, trended, filters, by=(period_type,)), strict=True
    ):
        m = metric(indicator)
        frame = groups(whole)
        frame = frame.rename(columns={period_type: "period_start"})
        grid = pd.DataFrame({"period_start": periods.date})
        frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
        out = grid.merge(frame[["period_start", "value", "numerator", "denominator"]], how="left")
        if m.additivity == Additivity.STOCK:
            out["value"] = out["value"].ffill().fillna(0.0)
        elif m.additivity in (Additivity.SUM,) or m.unit == "count":
            out["value"] = out["value"].fillna(0.0)
        out["indicator_id"] = indicator
        out["label"] = labels.get(indicator, indicator)
        out["complete"] = [_period_end(p, period_type) <= as_of for p in out["period_start"]]
        frames.append(out[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_FREQ_START = {"month": "MS", "quarter": "QS", "year": "YS"}


def _period_end(start: dt.date, period_type: str) -> dt.date:
    offset = {
        "month": pd.offsets.MonthEnd(0),
        "quarter": pd.offsets.QuarterEnd(0),
        "year": pd.offsets.YearEnd(0),
    }
    return (pd.Timestamp(start) + offset[period_type]).date()


def network_breakdown(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return per network: completed activities (K03), participations (K04), participating cities
    (K02) and active cooperations (K01), each from its metric.

    Columns: network_id, label, activities, participations, cities, cooperations.

    Example: ``network_breakdown(con, Filters(region=("EU",)))``
    """
    parts = {
        "activities": "K03",
        "participations": "K04",
        "cities": "K02",
        "cooperations": "K01",
    }
    frames = metric_frames(con, list(parts.values()), filters, by=("network",), lang=lang)
    totals = {
        column: float(whole["value"].iloc[-1]) if len(whole) else None
        for column, whole in zip(parts, frames, strict=True)
    }
    out = joined_groups(frames, list(parts), ("network_id", "network_id_label"))
    out = out.rename(columns={"network_id_label": "label"})
    order = dict(con.execute("select network_id, sort_order from ref.network").fetchall())
    out = out[(out[list(parts)] > 0).any(axis=1)]
    out = out.sort_values("network_id", key=lambda s: s.map(order).fillna(99), kind="stable")
    out = out[["network_id", "label", *parts]].reset_index(drop=True)
    # the chart shows activities: its summary states K03's total for the selection
    out.attrs = {"metric": "K03", "total": totals["activities"], "totals": totals}
    return out


# the metric frames the map is drawn from: (metric, breakdown), read independently of each
# other (`map_points(frames=...)`: a caller may read them side by side)
MAP_FRAMES = (("K04", ("city",)), ("K02", ("region",)))


def map_points(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    lang: str = "en",
    frames: Sequence[pd.DataFrame] = (),
) -> pd.DataFrame:
    """Return participating cities with coordinates and their participations (K04 by city).

    Columns: city_id, name, country_iso2, country, region, lat, lon, population, participations.
    attrs: metric ("K02"), total (participating cities, recounted), regions (region -> K02).
    `frames`: the `metric_frame`s of `MAP_FRAMES` for these filters, in that order, when the
    caller has read them (e.g. side by side); else they are read on `con`.

    Example: ``map_points(con, Filters(network=("urban_renewal",))).attrs["regions"]["EU"]``
    """
    if not frames:
        frames = [metric_frame(con, metric_id, filters, by=by) for metric_id, by in MAP_FRAMES]
    frame, cities = groups(frames[0]), frames[1]
    lab = label_col(lang)
    points = fetch(
        con,
        f"""
        with p as (
            select unnest(?::varchar[]) as city_id, unnest(?::bigint[]) as participations
        )
        select
            c.city_id,
            c.name,
            c.country_iso2,
            co.{lab} as country,
            c.region,
            c.lat,
            c.lon,
            c.population,
            p.participations
        from p
        join mart.city as c on c.city_id = p.city_id
        left join ref.country as co on co.country_iso2 = c.country_iso2
        where c.lat is not null and c.lon is not null and p.participations > 0
        order by p.participations desc, c.city_id
        """,
        [frame["city_id"].tolist(), frame["value"].astype("int64").tolist()],
    )
    total = total_row(cities)["value"]
    points.attrs = {
        "metric": "K02",
        "total": None if pd.isna(total) else float(total),
        "regions": {
            str(k): float(v)
            for k, v in groups(cities).set_index("region")["value"].astype(float).items()
        },
    }
    return points


def data_as_of(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """Return the latest date the data covers (D4: the latest reported date of any activity).

    The publish time is `data_dates(con)["loaded_on"]`.

    Example: ``data_as_of(con)  # date(2025, 10, 31)``
    """
    return data_dates(con)["as_of"]
