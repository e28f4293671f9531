"""Run declared metrics: a figure per breakdown group with its labels, and its recounted total.

`metric_frame` is how every page, notebook, export, report and API reads a figure: the rule comes
from `pipelines.metrics.catalogue`, the SQL from `pipelines.metrics.build`. A chart and its summary
sentence read the same frame: the groups for the chart, the `is_total` row for the sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pipelines.metrics.build import metric_query, metric_totals_query, metrics_query
from pipelines.metrics.catalogue import DIMENSIONS, METRICS, SOURCES, additive_over, metric
from pipelines.metrics.filters import Filters
from pipelines.queries._sql import label_col

_AGGREGATES = ("numerator", "denominator", "value")


def metric_frame(
    con: duckdb.DuckDBPyConnection,
    metric_id: str,
    filters: Filters,
    by: Sequence[str] = (),
    *,
    levels: Sequence[Sequence[str]] = (),
    cooperation: Sequence[str] = (),
    city: Sequence[str] = (),
    goal: Sequence[int] = (),
    lang: str = "en",
) -> pd.DataFrame:
    """Return a metric per breakdown group, with labels, and its total as the last row.

    Columns: one per breakdown (the dimension's column, e.g. network_id, stakeholder_type, month),
    `<column>_label` for breakdowns with labels, numerator, denominator, value, level, is_total.
    Rows of the full breakdown come first, then each coarser `level` (see `metric_query`), then
    the total (is_total true). Every level is aggregated from the source rows: for a distinct
    count, ratio, median or index it is a recount, never the sum of finer rows.

    Example: ``metric_frame(con, "K02", Filters(start=date(2025, 1, 1)), by=("region",))``
    """
    sql, params = metric_query(
        metric_id, filters, by, levels=levels, cooperation=cooperation, city=city, goal=goal
    )
    return con.execute(_labelled(sql, by, lang), params).df()


def _labelled(sql: str, by: Sequence[str], lang: str, first: Sequence[str] = ()) -> str:
    """Return `sql` (a metric's rows, as `metric_query` gives them) with each breakdown's label
    beside its code, in metric_frame's order (`first`: columns of `sql` to order by before)."""
    lab = label_col(lang)
    joins, labels, order = [], [], []
    for i, name in enumerate(by):
        dim = DIMENSIONS[name]
        if dim.ref and dim.key:
            alias = f"l{i}"
            label = dim.label_expr or lab
            joins.append(f"left join {dim.ref} as {alias} on {alias}.{dim.key} = m.{dim.column}")
            labels.append(
                f"coalesce({alias}.{label}, m.{dim.column}::varchar) as {dim.column}_label"
            )
            order.append(
                f"{alias}.sort_order nulls last"
                if dim.ref.startswith("ref.") and name != "country"
                else f"{alias}.{label}"
            )
        order.append(f"m.{dim.column}")
    select = ", ".join(["m.*", *labels])
    ordering = ", ".join(
        [*(f"m.{c}" for c in first), "m.is_total", "length(m.level) desc", "m.level", *order]
    )
    return f"select {select}\nfrom (\n{sql}\n) as m\n{' '.join(joins)}\norder by {ordering}"


def metric_frames(
    con: duckdb.DuckDBPyConnection,
    metric_ids: Sequence[str],
    filters: Filters,
    by: Sequence[str] = (),
    *,
    lang: str = "en",
) -> list[pd.DataFrame]:
    """Return each metric's `metric_frame` (same breakdown, filters and labels), in the order
    of `metric_ids`, from ONE statement: the metrics' own queries side by side
    (`metrics_query`: metrics over the same rows read them once), so a chart of several
    figures per group is one round trip and one plan. Each frame holds that metric's own rows
    (recounted per group and in total, never added up across metrics); a column whose type
    differs between the metrics comes in their common type (e.g. a count as a double).

    Example: ``k03, k04 = metric_frames(con, ["K03", "K04"], Filters(), by=("network",))``
    """
    if not metric_ids:
        return []
    sql, params, scans = metrics_query(metric_ids, filters, by)
    frame = con.execute(_labelled(sql, by, lang, first=("scan",)), params).df()
    scan = frame.pop("scan").to_numpy()
    head = [DIMENSIONS[d].column for d in by]
    labels = [f"{DIMENSIONS[d].column}_label" for d in by]
    tail = ["level", "is_total", *(c for c in labels if c in frame.columns)]
    out = []
    for i, s in enumerate(scans):
        rows = np.flatnonzero(scan == s)
        own = frame.iloc[rows[0] : rows[-1] + 1] if len(rows) else frame.iloc[:0]
        own = own[[*head, *(f"{name}_{i}" for name in _AGGREGATES), *tail]]
        own.columns = pd.Index([*head, *_AGGREGATES, *tail])
        out.append(own.reset_index(drop=True))
    return out


def metric_total(
    con: duckdb.DuckDBPyConnection,
    metric_id: str,
    filters: Filters,
    *,
    cooperation: Sequence[str] = (),
    city: Sequence[str] = (),
    goal: Sequence[int] = (),
) -> float | None:
    """Return a metric's value for these filters (None when undefined, e.g. a ratio over nothing);
    `goal`: over the rows of these SDG goals only (`metric_query`).

    Example: ``metric_total(con, "K04", Filters(network=("innovation",)))  # 1234.0``
    """
    frame = metric_frame(con, metric_id, filters, cooperation=cooperation, city=city, goal=goal)
    value = frame["value"].iloc[-1] if len(frame) else None
    return None if value is None or pd.isna(value) else float(value)


def metric_totals(
    con: duckdb.DuckDBPyConnection,
    metric_ids: Sequence[str],
    filters: Filters,
    *,
    cooperation: Sequence[str] = (),
    city: Sequence[str] = (),
) -> dict[str, float | None]:
    """Return {metric id: value} for several metrics under the same filters, from ONE statement
    (`metric_totals_query`: each `metric_total` of them, None when undefined; metrics over the
    same rows read them once).

    A page that states several headline figures asks once instead of once per figure: one
    round trip, one plan. Example: ``metric_totals(con, ["K03", "K04"], Filters(), city=("turin-it",))``
    """
    if not metric_ids:
        return {}
    sql, params = metric_totals_query(metric_ids, filters, cooperation=cooperation, city=city)
    rows = dict(con.execute(f"select metric_index, value from (\n{sql}\n)", params).fetchall())
    return {
        metric_id: None if rows.get(i) is None or pd.isna(rows[i]) else float(rows[i])
        for i, metric_id in enumerate(metric_ids)
    }


def groups(frame: pd.DataFrame, level: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the rows of one grouping level of a metric frame (default: the finest breakdown).

    Example: ``groups(metric_frame(con, "K04", Filters(), by=("network",)))``
    """
    levels = frame["level"].to_numpy()
    if level is None:
        found = set(levels.tolist())
        wanted = max(found, key=lambda v: len(v.split(",")) if v else 0, default="")
    else:
        wanted = ",".join(level)
    rows = np.flatnonzero((levels == wanted) & ~frame["is_total"].to_numpy(dtype=bool))
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        # a level's rows are one run (a metric frame lists each level's rows together): a
        # slice is a view, where a mask would copy every column (pyarrow strings slowly)
        return frame.iloc[rows[0] : rows[-1] + 1].reset_index(drop=True)
    return frame.take(rows).reset_index(drop=True)


def joined_groups(
    frames: Sequence[pd.DataFrame], columns: Sequence[str], keys: Sequence[str]
) -> pd.DataFrame:
    """Return the finest groups (`groups`) of several metric frames side by side: one row per
    `keys` value found in any frame, ordered by the keys (missing ones last, as a pandas outer
    merge orders them), and one int64 column per frame, named by `columns`: that frame's own
    value, 0 where it has no row or no value. Each column is its own metric's; nothing is added.

    Example: ``joined_groups([k04, k02], ("participants", "cities"), ("country_group",))``
    """
    values: dict[tuple[Any, ...], dict[str, int]] = {}
    for column, frame in zip(columns, frames, strict=True):
        rows = groups(frame)
        found = zip(*(rows[k].tolist() for k in keys), strict=True)
        for key, value in zip(found, rows["value"].tolist(), strict=True):
            values.setdefault(key, {})[column] = 0 if pd.isna(value) else int(value)
    order = sorted(
        values, key=lambda key: [(pd.isna(k), "" if pd.isna(k) else str(k)) for k in key]
    )
    text = "str" if order else object  # the dtype of merged text columns (object when empty)
    return pd.DataFrame(
        {
            **{k: pd.Series([key[i] for key in order], dtype=text) for i, k in enumerate(keys)},
            **{
                c: pd.Series([values[key].get(c, 0) for key in order], dtype="int64")
                for c in columns
            },
        }
    )


def total_row(frame: pd.DataFrame) -> pd.Series:
    """Return the total row of a metric frame (the recounted figure a summary sentence states).

    Example: ``total_row(metric_frame(con, "K02", Filters(), by=("month",)))["value"]``
    """
    row: pd.Series = frame.iloc[np.flatnonzero(frame["is_total"].to_numpy(dtype=bool))[-1]]
    return row


def describe(metric_id: str) -> dict[str, object]:
    """Return a metric's declaration in plain terms: what a reader needs to trust the figure.

    Keys: id, indicator, measure, label, definition, unit, formula (the declared aggregate
    expression, e.g. "sum(participants)"), additivity, geography, time_basis, direction,
    breakdowns, decision, source_relation, unsupported_filters (the global filters its source
    cannot honour: under them it selects nothing), tag_filters (the SDG tag filters that
    restrict it: 'review' means it counts validated tags unless suggestions are included).

    Example: ``describe("K22")["additivity"]  # 'ratio'``
    """
    m = metric(metric_id)
    source = SOURCES[m.source]
    base = SOURCES[source.base] if source.base else source
    return {
        "id": m.id,
        "indicator": m.indicator,
        "measure": m.measure,
        "label": m.label,
        "definition": m.definition,
        "unit": m.unit,
        "formula": m.value,
        "additivity": m.additivity.value,
        "geography": source.geography.value,
        "time_basis": m.time_basis.value,
        "direction": m.direction,
        "breakdowns": list(m.breakdowns),
        "decision": m.decision,
        "source_relation": base.relations[-1].name,
        "unsupported_filters": sorted(source.lacks | base.lacks),
        "tag_filters": sorted(source.tag_filters | base.tag_filters),
    }


def metric_catalogue() -> pd.DataFrame:
    """Return every declared metric as one row of `describe` (the data dictionary's metric table).

    Example: ``metric_catalogue().query("additivity == 'sum'")``
    """
    return pd.DataFrame([describe(mid) for mid in METRICS])


def data_dates(con: duckdb.DuckDBPyConnection) -> dict[str, dt.date | dt.datetime | None]:
    """Return "data as of" (D4: the latest date the data covers) and "loaded on" (publish time).

    Keys: as_of (date), loaded_on (datetime), first (date of the earliest activity month),
    synthetic (True when any loaded file came from a folder marked synthetic — the `SYNTHETIC.md`
    that `iurc demo` writes beside its files —: every page then says so).

    Example: ``data_dates(con)["as_of"]  # date(2025, 10, 31)``
    """
    row = con.execute(
        """
        select
            mart.data_as_of(),
            (select max(finished_at) from ops.ingest_run),
            (select min(month) from mart.activity_register),
            coalesce((select bool_or(synthetic) from ops.ingest_run), false)
        """
    ).fetchone()
    as_of, loaded_on, first, synthetic = row if row else (None, None, None, False)
    return {"as_of": as_of, "loaded_on": loaded_on, "first": first, "synthetic": bool(synthetic)}


def with_totals(
    frame: pd.DataFrame, metric_id: str, by: Sequence[str], legend: str | None = None
) -> pd.DataFrame:
    """Return the finest rows of a metric frame carrying their totals in `attrs`.

    attrs: metric (id), total (the recounted figure for the whole selection, None if
    undefined), additive (whether the rows add up to the total along `by`), legend_totals
    (legend value -> its recounted figure, when `legend` names a coarser level). Summary
    sentences state these, never a sum of the rows.

    Example: ``with_totals(frame, "K04", ("month", "stakeholder_type"), "stakeholder_type")``
    """
    rows = groups(frame)
    total = total_row(frame)["value"] if frame["is_total"].any() else None
    m = metric(metric_id)
    rows.attrs["metric"] = metric_id
    rows.attrs["total"] = None if total is None or pd.isna(total) else float(total)
    rows.attrs["additive"] = all(additive_over(m, d) for d in by)
    if legend is not None:
        column = DIMENSIONS[legend].column
        level = groups(frame, (legend,))
        label = f"{column}_label" if f"{column}_label" in level else column
        rows.attrs["legend_totals"] = dict(zip(level[label], level["value"], strict=True))
    return rows


# the warehouse entity each base source is loaded from (for provenance)
_ENTITIES = {
    "participation": ("participation", "activity"),
    "activity": ("activity", "participation"),
    "timeliness": ("activity",),
    "output": ("output",),
    "funding": ("funding", "output"),
    "sdg_target": ("sdg_alignment",),
    "sdg_goal": ("sdg_alignment", "activity"),
    "sdg_activity": ("sdg_alignment", "activity"),
    "sdg_review": ("sdg_alignment",),
    "cooperation": ("cooperation", "cooperation_member", "activity", "output"),
    "cooperation_member": ("cooperation", "cooperation_member"),
    "organisation": ("participation", "activity"),
}


def metric_entities(metric_id: str) -> tuple[str, ...]:
    """Return the input entities (file kinds) a metric's figures are computed from.

    Example: ``metric_entities("K04")  # ('participation', 'activity')``
    """
    source = SOURCES[metric(metric_id).source]
    return _ENTITIES.get(source.base or source.name, ())


def provenance(con: duckdb.DuckDBPyConnection, metric_id: str) -> pd.DataFrame:
    """Return the ingest runs a metric's figures come from: per file, when it was loaded and how
    many of its rows were loaded and quarantined (newest first).

    Columns: entity, file_name, finished_at, rows_read, rows_loaded, rows_quarantined.

    Example: ``provenance(con, "K04")``
    """
    entities = list(metric_entities(metric_id))
    return con.execute(
        """
        select entity, file_name, finished_at, rows_read, rows_loaded, rows_quarantined
        from ops.ingest_run
        where entity in (select unnest(?::varchar[]))
        order by finished_at desc, file_name
        limit 20
        """,
        [entities],
    ).df()


def main_metric(indicator_id: str) -> str | None:
    """Return the id of the metric that gives a KPI's headline ('main' measure), if declared.

    Example: ``main_metric("K04")  # 'K04'``
    """
    for m in METRICS.values():
        if m.indicator == indicator_id and m.measure == "main":
            return m.id
    return None
