"""The dashboard's only door to the warehouse: thin wrappers over `pipelines.queries`.

One process-wide read-only `pipelines.warehouse.db.Warehouse` handle follows re-publication (a cheap stat per
call); each thread gets its own cursor. Results are cached per (query, filters, language,
arguments, warehouse version), so a newly published warehouse is never served from a stale cache.
No module-level DataFrames: the cache holds results of small aggregate queries only, bounded.

Every wrapper returns a pandas DataFrame from SQL that aggregates in DuckDB; the callers never
filter or aggregate whole fact tables in pandas.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from pipelines import config
from pipelines.metrics.filters import Filters
from pipelines.queries import (  # pages-more
    activities,
    benchmark,
    challenges,
    city,
    cooperation,
    metrics,
    options,
    overview,
    participation,
    practices,
    quality,
    sdg,
)
from pipelines.textsafe import formula_safe_sql
from pipelines.warehouse.db import Warehouse

CACHE_SIZE = 512

_lock = threading.Lock()
_warehouse: Warehouse | None = None
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()


def configure(path: str | os.PathLike[str] | None = None) -> Warehouse:
    """(Re)point the process-wide handle at `path` (else $IURC_DB, else the default); return it."""
    global _warehouse
    with _lock:
        _warehouse = Warehouse(config.warehouse_path(path))
        _cache.clear()
        return _warehouse


def warehouse() -> Warehouse:
    """Return the process-wide read-only warehouse handle, creating it on first use."""
    return _warehouse if _warehouse is not None else configure()


def cursor() -> duckdb.DuckDBPyConnection:
    """Return this thread's cursor on the newest published warehouse (FileNotFoundError if none)."""
    handle = warehouse()
    if not handle.path.exists():
        raise FileNotFoundError(f"no warehouse at {handle.path}")
    return handle.cursor()


def _cached(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    cur = cursor()  # stats the file and reopens it when re-published
    key = (fn.__module__, fn.__name__, args, tuple(sorted(kwargs.items())), warehouse().version)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = fn(cur, *args, **kwargs)
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _frame(fn: Callable[..., pd.DataFrame], *args: Any, **kwargs: Any) -> pd.DataFrame:
    # a copy, so that no caller can change a cached frame
    frame: pd.DataFrame = _cached(fn, *args, **kwargs).copy()
    return frame


def clear_cache() -> None:
    """Forget every cached result (tests)."""
    with _lock:
        _cache.clear()


# ------------------------------------------------------------------ shell
def data_dates() -> dict[str, Any]:
    """Return "data as of" (latest date the data covers), "loaded on" (publish time), synthetic."""
    return dict(_cached(metrics.data_dates))


def filter_options(lang: str = "en") -> dict[str, list[dict[str, str]]]:
    """Return {filter field: [{"label", "value"}...]} for the filter bar, labels in `lang`."""
    frames = {
        "network": _cached(options.network_options, lang=lang),
        "subtheme": _cached(options.subtheme_options, lang=lang),
        "region": _cached(options.region_options, lang=lang),
        "country": _cached(options.country_options, lang=lang),
        "mode": _cached(options.mode_options, lang=lang),
        "challenge": _cached(options.challenge_options, lang=lang),
    }
    return {
        field: [
            {"label": str(label), "value": str(value)}
            for value, label in zip(df["value"], df["label"], strict=True)
        ]
        for field, df in frames.items()
    }


def years() -> list[int]:
    """Return the calendar years the data spans (the period filter's choices)."""
    df = _cached(options.period_options, period_type="year")
    return sorted({int(d.year) for d in pd.to_datetime(df["start"])})


# ------------------------------------------------------------------ overview
def kpi_scorecard(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return one row per KPI: value, target, % achieved, RAG (see queries.overview)."""
    return _frame(overview.kpi_scorecard, filters, lang=lang)


def kpi_trend(filters: Filters, indicator_ids: tuple[str, ...], lang: str = "en") -> pd.DataFrame:
    """Return KPI values per quarter for the given indicators."""
    return _frame(overview.kpi_trend, filters, tuple(indicator_ids), lang=lang)


def network_breakdown(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return activities, participations, cities and cooperations per network."""
    return _frame(overview.network_breakdown, filters, lang=lang)


def map_points(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return participating cities with coordinates and participations."""
    return _frame(overview.map_points, filters, lang=lang)


def challenge_breakdown(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return activities, participations and outputs by cross-cutting challenge, with totals."""
    return _frame(challenges.challenge_breakdown, filters, lang=lang)


# ------------------------------------------------------------------ city profile
def city_info(city_id: str, lang: str = "en") -> pd.DataFrame:
    """Return the city's identity row (empty for an unknown id)."""
    return _frame(city.city_info, city_id, lang=lang)


def city_partners(city_id: str, lang: str = "en") -> pd.DataFrame:
    """Return the city's cooperations, one row per partner city."""
    return _frame(city.city_partners, city_id, lang=lang)


def city_figures(city_id: str, filters: Filters) -> pd.DataFrame:
    """Return the city profile's headline figures with their geography basis."""
    return _frame(city.city_figures, city_id, filters)


def city_breakdown(
    city_id: str, filters: Filters, metric_id: str, by: str, lang: str = "en"
) -> pd.DataFrame:
    """Return one metric for the city by one dimension (total in attrs['total'])."""
    return _frame(city.city_breakdown, city_id, filters, metric_id, by, lang=lang)


def city_outputs(city_id: str, filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return the outputs that count for the city, with stage dates and evidence links."""
    return _frame(city.city_outputs, city_id, filters, lang=lang)


def city_network(
    city_id: str, filters: Filters, lang: str = "en"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (nodes, edges) of the city's cooperations (copies of the cached frames)."""
    nodes, edges = _cached(city.city_network, city_id, filters, lang=lang)
    return nodes.copy(), edges.copy()


def practices_list(
    filters: Filters,
    lang: str = "en",
    *,
    search: str = "",
    goal: int | None = None,
    output_type: str | None = None,
) -> pd.DataFrame:
    """Return the best-practice showcase rows (outputs implemented or adopted)."""
    return _frame(
        practices.practices, filters, search=search, goal=goal, output_type=output_type, lang=lang
    )


def output_type_options(lang: str = "en") -> pd.DataFrame:
    """Return the output types (value, label) for the showcase's type control."""
    return _frame(options.output_type_options, lang=lang)


# ------------------------------------------------------------------ participation
def participation_over_time(
    filters: Filters,
    lang: str = "en",
    *,
    by: str = "stakeholder_type",
    measure: str = "participants",
) -> pd.DataFrame:
    """Return participations (or distinct cities/organisations) per month and group."""
    return _frame(participation.participation_over_time, filters, by=by, measure=measure, lang=lang)


def participation_by_type_modality(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return participations per activity type and modality."""
    return _frame(participation.participation_by_type_modality, filters, lang=lang)


def participation_by_region(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return participations, cities and organisations per country group (EU, CA, US, MX)."""
    return _frame(participation.participation_by_region, filters, lang=lang)


def gender_balance(filters: Filters, lang: str = "en", *, by: str | None = None) -> pd.DataFrame:
    """Return the share of women among declared participations, with the undeclared count."""
    return _frame(participation.gender_balance, filters, by=by, lang=lang)


def top_cities(filters: Filters, lang: str = "en", *, limit: int = 10) -> pd.DataFrame:
    """Return the cities with most participations."""
    return _frame(participation.top_cities, filters, limit=limit, lang=lang)


# ------------------------------------------------------------------ SDG
def sdg_profile(
    filters: Filters, lang: str = "en", *, method: str = "primary", entity_type: str = "activity"
) -> pd.DataFrame:
    """Return the SDG profile per goal (primary-only or fractional), with official colours."""
    return _frame(sdg.sdg_profile, filters, entity_type=entity_type, method=method, lang=lang)


def sdg_network_heatmap(
    filters: Filters, lang: str = "en", *, method: str = "primary"
) -> pd.DataFrame:
    """Return network × goal cells (value and share within the network)."""
    return _frame(sdg.sdg_network_heatmap, filters, method=method, lang=lang)


def sdg_targets(filters: Filters, goal: int, lang: str = "en") -> pd.DataFrame:
    """Return the targets of one goal with validated and suggested-only tags."""
    return _frame(sdg.sdg_targets, filters, int(goal), lang=lang)


def sdg_coverage(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return SDG target coverage per goal."""
    return _frame(sdg.sdg_coverage, filters, lang=lang)


def sdg_tags_by_method_status(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return tag counts by method and review status."""
    return _frame(sdg.sdg_tags_by_method_status, filters)


# ================================================================== pages-more: benchmarking,
# cooperation, activities register, data quality
def _pair(
    fn: Callable[..., tuple[pd.DataFrame, int]], *args: Any, **kwargs: Any
) -> tuple[pd.DataFrame, int]:
    rows, total = _cached(fn, *args, **kwargs)
    return rows.copy(), total


# ------------------------------------------------------------------ benchmarking
def benchmark_cities(lang: str = "en") -> pd.DataFrame:
    """Return the cities that can be benchmarked (city_id, name, country, region, population)."""
    return _frame(benchmark.benchmark_cities, lang=lang)


def benchmark_peer_groups(city_id: str, lang: str = "en") -> pd.DataFrame:
    """Return the peer groups of a city (peer_group_type, peer_group_id, label, n_cities)."""
    return _frame(benchmark.benchmark_peer_groups, city_id, lang=lang)


def city_benchmark(
    city_id: str, peer_group_type: str, peer_group_id: str | None, lang: str = "en"
) -> pd.DataFrame:
    """Return the city's 0-100 score per input against its peers, and the composite K31 row."""
    return _frame(benchmark.city_benchmark, city_id, peer_group_type, peer_group_id, lang=lang)


def benchmark_ranking(
    city_id: str, peer_group_type: str, peer_group_id: str | None
) -> pd.DataFrame:
    """Return every city of the peer group with its composite score and rank band."""
    return _frame(benchmark.benchmark_ranking, city_id, peer_group_type, peer_group_id)


def city_context(city_id: str) -> pd.DataFrame:
    """Return the city's context indicators (latest year per metric; not performance)."""
    return _frame(benchmark.city_context, city_id)


# ------------------------------------------------------------------ cooperation
def cooperation_edges(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return cooperation links between member cities with completed activities in the period."""
    return _frame(cooperation.cooperation_edges, filters, lang=lang)


def cooperation_nodes(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return the member cities of the filtered cooperations with coordinates and population."""
    return _frame(cooperation.cooperation_nodes, filters, lang=lang)


def cooperation_options(filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return the filtered cooperations (cooperation_id, name, mode, mode_label, network_id)."""
    return _frame(cooperation.cooperation_options, filters, lang=lang)


def cooperation_detail(cooperation_id: str, lang: str = "en") -> pd.DataFrame:
    """Return one cooperation's summary row (empty when unknown)."""
    return _frame(cooperation.cooperation_detail, cooperation_id, lang=lang)


def cooperation_activities(cooperation_id: str, filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Return one cooperation's activities by type and status in the period."""
    return _frame(cooperation.cooperation_activities, cooperation_id, filters, lang=lang)


def output_funnel(
    filters: Filters, cooperation_id: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Return outputs by type and lifecycle stage reached (one cooperation's when given)."""
    return _frame(cooperation.output_funnel, filters, cooperation_id=cooperation_id, lang=lang)


def funding_leveraged(
    filters: Filters, cooperation_id: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Return funding leveraged (EUR) by source type (one cooperation's when given)."""
    return _frame(
        cooperation.funding_leveraged,
        filters,
        by="source_type",
        cooperation_id=cooperation_id,
        lang=lang,
    )


def cooperation_sdg(cooperation_id: str, lang: str = "en") -> pd.DataFrame:
    """Return one cooperation's SDG profile (validated tags, fractional), official colours."""
    return _frame(cooperation.cooperation_sdg, cooperation_id, lang=lang)


# ------------------------------------------------------------------ activities register
EXPORT_MAX_ROWS = 100_000
XLSX_MAX_ROWS = 20_000  # openpyxl writes ~3,000 rows/s: keep an XLSX export under ~10 s
# coded register column -> (ref table, key column) whose label follows it in the export
_EXPORT_LABELS = {
    "activity_type": ("ref.activity_type", "activity_type_id"),
    "modality": ("ref.modality", "modality_id"),
    "network_id": ("ref.network", "network_id"),
    "subtheme_id": ("ref.subtheme", "subtheme_id"),
    "mode": ("ref.cooperation_mode", "mode_id"),
    "country_iso2": ("ref.country", "country_iso2"),
}
_EXPORT_COLUMNS = (
    "activity_id",
    "title",
    "activity_type",
    "modality",
    "status",
    "start_date",
    "end_date",
    "network_id",
    "subtheme_id",
    "cooperation_id",
    "cooperation_name",
    "mode",
    "city_id",
    "city_name",
    "country_iso2",
    "region",
    "participants",
    "reported_date",
)
_FREE_TEXT = {"activity_id", "title", "cooperation_id", "cooperation_name", "city_id", "city_name"}


def activities_page(
    filters: Filters,
    lang: str = "en",
    *,
    search: str = "",
    sort: str = "start_date",
    descending: bool = True,
    offset: int = 0,
    limit: int = 50,
) -> tuple[pd.DataFrame, int]:
    """Return one page of the filtered, searched, sorted register and the total row count."""
    return _pair(
        activities.activities_page,
        filters,
        search=search,
        sort=sort,
        descending=bool(descending),
        offset=int(offset),
        limit=int(limit),
        lang=lang,
    )


def _neutral(expr: str) -> str:
    return formula_safe_sql(expr)


def activities_export_sql(
    filters: Filters,
    lang: str,
    *,
    search: str = "",
    sort: str = "start_date",
    descending: bool = True,
    limit: int = EXPORT_MAX_ROWS,
) -> tuple[str, list[Any]]:
    """Return (SQL, params) selecting the register as exported: codes, labels, neutralised text.

    The same filters, search and order as `activities_page`; identifiers come from the
    allow-lists above and `queries.SORT_COLUMNS`, values travel as parameters.
    """
    from pipelines.queries._sql import label_col, where

    if sort not in activities.SORT_COLUMNS:
        raise ValueError(f"sort must be one of {activities.SORT_COLUMNS}")
    lab = label_col(lang)
    clause, params = where(filters, alias="a")
    search = (search or "").strip().lower()
    if search:
        clause += " and contains(a.search_text, ?)"
        params.append(search)
    items, joins = [], []
    for i, column in enumerate(_EXPORT_COLUMNS):
        value = f"a.{column}"
        items.append(f"{_neutral(value) if column in _FREE_TEXT else value} as {column}")
        if column in _EXPORT_LABELS:
            table, key = _EXPORT_LABELS[column]
            alias = f"l{i}"
            joins.append(f"left join {table} as {alias} on {alias}.{key} = a.{column}")
            items.append(f"{_neutral(f'{alias}.{lab}')} as {column}_label")
    direction = "desc" if descending else "asc"
    sql = (
        f"select {', '.join(items)} from mart.activity_register as a {' '.join(joins)} "
        f"where {clause} order by a.{sort} {direction} nulls last, a.activity_id limit ?"
    )
    return sql, [*params, max(1, min(int(limit), EXPORT_MAX_ROWS))]


def activities_export(
    filters: Filters,
    lang: str = "en",
    *,
    search: str = "",
    sort: str = "start_date",
    descending: bool = True,
    fmt: str = "csv",
    limit: int = EXPORT_MAX_ROWS,
) -> tuple[bytes, int]:
    """Return (file bytes, rows) of the filtered register, at most `limit` rows (XLSX: at most
    `XLSX_MAX_ROWS`), as CSV or XLSX.

    Rows stream from DuckDB in Arrow batches (never one DataFrame of the whole register); text
    that a spreadsheet would run as a formula gets a leading apostrophe in SQL.
    """
    import io

    import pyarrow.csv as pacsv

    if fmt not in {"csv", "xlsx"}:
        raise ValueError("fmt must be csv or xlsx")
    if fmt == "xlsx":
        limit = min(limit, XLSX_MAX_ROWS)
    sql, params = activities_export_sql(
        filters, lang, search=search, sort=sort, descending=descending, limit=limit
    )
    reader = cursor().sql(sql, params=params).to_arrow_reader(10_000)
    buffer = io.BytesIO()
    rows = 0
    if fmt == "csv":
        buffer.write("\ufeff".encode("utf-8"))  # BOM: spreadsheets then read accents right
        with pacsv.CSVWriter(buffer, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                rows += batch.num_rows
        return buffer.getvalue(), rows
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("activities")
    sheet.append(reader.schema.names)
    for batch in reader:
        for record in zip(*(column.to_pylist() for column in batch.columns), strict=True):
            sheet.append(list(record))  # already neutralised: no cell starts with '='
        rows += batch.num_rows
    book.save(buffer)
    return buffer.getvalue(), rows


# ------------------------------------------------------------------ data quality
def ingest_runs(limit: int = 100) -> pd.DataFrame:
    """Return the latest ingest runs, newest first."""
    return _frame(quality.ingest_runs, limit=limit)


def quarantine_summary(by: str = "rule") -> pd.DataFrame:
    """Return quarantined-row counts by file, run, rule or entity (group_id, rows)."""
    return _frame(quality.quarantine_summary, by=by)


def quarantine_page(
    file_name: str | None = None, *, offset: int = 0, limit: int = 20
) -> tuple[pd.DataFrame, int]:
    """Return one page of quarantined rows (with every reason) and the total count."""
    return _pair(
        quality.quarantine_page, file_name=file_name or None, offset=int(offset), limit=int(limit)
    )


def completeness_by_table() -> pd.DataFrame:
    """Return K29 per core table: required and optional cells filled."""
    return _frame(quality.completeness_by_table)


def quality_by_city(filters: Filters) -> pd.DataFrame:
    """Return completeness and timeliness per city (region and country filters apply)."""
    return _frame(quality.quality_by_city, filters)


def timeliness(filters: Filters) -> pd.DataFrame:
    """Return K30 for the filters: mean and median reporting lag and the last report."""
    return _frame(quality.timeliness, filters)


def template_bytes(entity: str, fmt: str) -> bytes:
    """Return the input template of an entity (CSV header, or XLSX with codes and dropdowns)."""
    from pipelines.export import templates

    if fmt == "csv":
        return templates.template_bytes(entity, "csv")
    return templates.template_bytes(entity, fmt, con=cursor())


def template_file_name(entity: str, fmt: str) -> str:
    """Return the template's file name, e.g. 'activities_template.xlsx'."""
    from pipelines.export import templates

    return templates.template_file_name(entity, fmt)
