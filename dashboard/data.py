"""The dashboard's only door to the warehouse: thin wrappers over `pipelines.queries`.

One process-wide read-only `pipelines.warehouse.db.Warehouse` handle follows re-publication (a cheap stat per
call); each thread gets its own cursor. Results are cached per (query, filters, language,
arguments, warehouse version), so a newly published warehouse is never served from a stale cache.
No module-level DataFrames: the cache holds results of small aggregate queries only, bounded.

Every wrapper returns a pandas DataFrame from SQL that aggregates in DuckDB; the callers never
filter or aggregate whole fact tables in pandas.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import duckdb
import pandas as pd

from dashboard.i18n import t
from pipelines import config
from pipelines.metrics.filters import TAG_FIELDS, Filters
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
    sdg_review,
    tables,
)
from pipelines.textsafe import formula_safe_sql
from pipelines.warehouse.db import Warehouse

CACHE_SIZE = 512
log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_warehouse: Warehouse | None = None
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_warmers: list[Callable[[], None]] = []
_warmed: list[Any] = [None]  # the warehouse version the cache was last warmed for
# Runs a page's independent queries beside each other; each worker thread has its own DuckDB
# cursor (`cursor` hands out one per thread). Threads start on first use.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="iurc-query")
# Warming threads are daemons and the cursor each last took: at exit they are stopped (see
# `_stop_warming`), never cut short by the interpreter's end while inside DuckDB.
_warming: dict[threading.Thread, duckdb.DuckDBPyConnection | None] = {}
_stopping = threading.Event()
STOP_WAIT_S = 10.0


def configure(
    path: str | os.PathLike[str] | None = None, lake: str | os.PathLike[str] | None = None
) -> Warehouse:
    """(Re)point the process-wide handle at `path` (else $IURC_DB, else the default); return it.

    A `lake` (else $IURC_LAKE) serves a Parquet lake's current run instead of the file.
    """
    global _warehouse
    with _lock:
        _warehouse = Warehouse(config.warehouse_path(path), lake=lake)
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
    cur = handle.cursor()
    thread = threading.current_thread()
    if thread in _warming:
        _warming[thread] = cur  # the query `_stop_warming` interrupts at exit
    return cur


def in_background(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """Return a Future of `fn(*args, **kwargs)` (one of this module's cached queries) run on the
    process's query pool, so that a page's independent queries run beside each other and beside
    its drawing; its `result()` is what the call returns (or raises).

    Example: ``in_background(city_figures, "turin-it", Filters()).result()``
    """
    return _POOL.submit(fn, *args, **kwargs)


def _freeze(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return cast(Hashable, value)


def _unshared(result: R) -> R:
    # a copy of what callers could change, so that no caller changes a cached result. A frame's
    # copy is shallow: under pandas 3's copy-on-write a caller's change to it (a cell, a column,
    # attrs, which pandas deep-copies) copies the data first, so the cached frame is never
    # changed, and a hit costs no copy of the data
    if isinstance(result, pd.DataFrame):
        return cast(R, result.copy(deep=False))
    if isinstance(result, tuple):
        return cast(R, tuple(_unshared(item) for item in result))
    if isinstance(result, dict):
        return cast(R, dict(result))
    if isinstance(result, list):
        return cast(R, list(result))
    return result


def export_connection() -> duckdb.DuckDBPyConnection:
    """Return a new read-only connection to the published warehouse (or lake) that may write
    files: the server's own exports (the API bundle) run fixed SQL over allow-listed tables
    through it, never request text. The caller closes it."""
    handle = warehouse()
    if handle.lake is not None:
        from pipelines.warehouse import lake

        return lake.connect(handle.lake)
    from pipelines.warehouse.db import connect_readonly

    return connect_readonly(handle.path)


def cached(fn: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R]) -> Callable[P, R]:
    """Return `fn` (a `pipelines.queries` function taking a cursor first) without its cursor,
    cached per (function, bound arguments, warehouse version); each call returns its own copy.

    Arguments are bound to `fn`'s signature with defaults applied, so `f(x)` and `f(x, lang="en")`
    share one entry; a re-published warehouse is never served from a stale entry.
    """
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        cur = cursor()  # stats the file and reopens it when re-published
        bound = signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        arguments = tuple((k, _freeze(v)) for k, v in list(bound.arguments.items())[1:])
        version = warehouse().version
        _warm_if_new(version)
        key = (fn.__module__, fn.__qualname__, arguments, version)
        return _remember(key, lambda: fn(cur, *args, **kwargs))

    return call


def _remember(key: tuple[Any, ...], compute: Callable[[], R]) -> R:
    """Return a copy of the cached result under `key`, computing and keeping it when missing."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _unshared(cast(R, _cache[key]))
    result = compute()
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return _unshared(result)


def submission_effect(submission_id: int, sha256: str, lang: str = "en") -> pd.DataFrame:
    """Return the KPI scorecard before and after loading a submission
    (`pipelines.app.submissions.kpi_effect`, on a private copy of the published warehouse),
    cached per submission, file (sha256), language and warehouse version: the review page
    computes it once, and again only after a publish."""
    from pipelines.app import submissions

    cursor()  # stats the file: a re-published warehouse has a new version
    handle = warehouse()
    key = ("submission_effect", submission_id, sha256, lang, handle.version)
    return _remember(key, lambda: submissions.kpi_effect(submission_id, handle.path, lang=lang))


def on_publish(warmer: Callable[[], None]) -> None:
    """Register `warmer` (e.g. drawing every page's default view) to run in a background thread
    each time a newly published warehouse is first seen, when IURC_WARM_CACHE allows it."""
    _warmers.append(warmer)


def _warm_if_new(version: Any) -> None:
    with _lock:
        if version == _warmed[0] or not _warmers or not config.warm_cache_enabled():
            return
        _warmed[0] = version
        if _stopping.is_set():
            return
        thread = threading.Thread(target=_warm_in_thread, name="iurc-cache-warm", daemon=True)
        _warming[thread] = None
    thread.start()


def _warm_in_thread() -> None:
    try:
        warm()
    finally:
        with _lock:
            _warming.pop(threading.current_thread(), None)


def stopping() -> bool:
    """Return True once the process is exiting: long background work (warming) returns early.

    Example: ``if data.stopping(): return  # between two pages of a warm-up``
    """
    return _stopping.is_set()


def _stop_warming() -> None:
    # A daemon thread still inside DuckDB when the interpreter ends makes the process abort
    # ("terminate called ... exception not rethrown", a gunicorn worker killed by SIGABRT) or
    # logs an interrupted query: so at exit each warming thread is told to stop, its query is
    # interrupted (again, until it returns: a new query clears the flag), and it is awaited.
    _stopping.set()
    deadline = time.monotonic() + STOP_WAIT_S
    while time.monotonic() < deadline:
        with _lock:
            running = list(_warming.items())
        if not running:
            return
        for thread, cur in running:
            if cur is not None:
                with contextlib.suppress(duckdb.Error):
                    cur.interrupt()
            thread.join(0.05)


# Before the query pool's own exit hook (registered when concurrent.futures was imported, and run
# after this one): a warm-up then stops before the pool refuses its next query. Plain `atexit`
# runs only after the pool and every other non-daemon thread were joined.
threading._register_atexit(_stop_warming)  # type: ignore[attr-defined]


def start_warming() -> None:
    """Open the published warehouse and warm the cache for it in a background thread (if
    IURC_WARM_CACHE allows it and it was not warmed yet); returns at once. No warehouse: nothing."""
    if not config.warm_cache_enabled():
        return
    try:
        cursor()
    except FileNotFoundError:
        return
    _warm_if_new(warehouse().version)


def warm() -> None:
    """Run every registered warmer now (fills the cache for the current warehouse); returns None.

    A warmer that fails (e.g. no warehouse yet) is skipped: the page then fills on first visit.
    """
    for warmer in list(_warmers):
        if _stopping.is_set():
            return
        try:
            warmer()
        except Exception:  # noqa: BLE001 - warming is an optimisation, never an error
            if not _stopping.is_set():  # else: cut short on purpose, the process is exiting
                log.warning("cache warming failed", exc_info=True)


def clear_cache() -> None:
    """Forget every cached result (tests)."""
    with _lock:
        _cache.clear()


# ------------------------------------------------------------------ shell
data_dates = cached(metrics.data_dates)
_FILTER_OPTIONS = {name: cached(query) for name, query in options.FILTER_OPTIONS.items()}
_period_options = cached(options.period_options)


def filter_options(lang: str = "en") -> dict[str, list[dict[str, str]]]:
    """Return {filter field: [{"label", "value"}...]} for the filter bar, labels in `lang`."""
    frames = {name: query(lang=lang) for name, query in _FILTER_OPTIONS.items()}
    return {
        field: [
            {
                "label": _tag_label(str(label), lang) if field in TAG_FIELDS else str(label),
                "value": str(value),
            }
            for value, label in zip(df["value"], df["label"], strict=True)
        ]
        for field, df in frames.items()
    }


def _tag_label(code: str, lang: str) -> str:
    """Return the words for an SDG tag filter code (a method or review basis), else the code."""
    try:
        return t(f"sdg.tag.{code}", lang)
    except KeyError:  # a method the catalogue does not name yet
        return code


def years() -> list[int]:
    """Return the calendar years the data spans (the period filter's choices)."""
    df = _period_options(period_type="year")
    return sorted({int(d.year) for d in pd.to_datetime(df["start"])})


unknown_codes = cached(options.unknown_codes)


# ------------------------------------------------------------------ metrics and tables (API)
metric_frame = cached(metrics.metric_frame)
relations = cached(tables.relations)
relation_columns = cached(tables.relation_columns)


def relation_page(relation: str, filters: Filters, *, limit: int, offset: int) -> tables.Page:
    """Return one page of a published relation, ordered on every column (queries.relation_page).

    Not cached: pages of whole tables are not small aggregates (clients revalidate with ETags).
    """
    return tables.relation_page(cursor(), relation, filters, limit=limit, offset=offset)


# Every query the pages use, cached: the same names and arguments as in `pipelines.queries`,
# without the cursor.
# ------------------------------------------------------------------ overview
kpi_scorecard = cached(overview.kpi_scorecard)
kpi_trend = cached(overview.kpi_trend)
network_breakdown = cached(overview.network_breakdown)


def _map_points(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return `pipelines.queries.overview.map_points` for the filters, its metric frames
    (`MAP_FRAMES`, each cached) read side by side on the query pool.

    Example: ``map_points(Filters(region=("EU",)), lang="fr").attrs["regions"]``
    """
    pending = [
        in_background(metric_frame, metric_id, filters, by=by)
        for metric_id, by in overview.MAP_FRAMES
    ]
    frames = [future.result() for future in pending]
    return overview.map_points(con, filters, lang=lang, frames=frames)


map_points = cached(_map_points)


challenge_breakdown = cached(challenges.challenge_breakdown)
# ------------------------------------------------------------------ city profile
city_info = cached(city.city_info)
city_partners = cached(city.city_partners)
city_figures = cached(city.city_figures)
city_breakdown = cached(city.city_breakdown)
city_outputs = cached(city.city_outputs)
city_network = cached(city.city_network)
# ------------------------------------------------------------------ best-practice showcase
practices_list = cached(practices.practices)
take_up_totals = cached(practices.take_up_totals)
output_type_options = cached(options.output_type_options)
sdg_goal_options = cached(options.sdg_goal_options)
# ------------------------------------------------------------------ participation
participation_over_time = cached(participation.participation_over_time)
participation_by_type_modality = cached(participation.participation_by_type_modality)
_balance_frames = cached(participation.balance_frames)


def _participation_by_region(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return `pipelines.queries.participation.participation_by_region` for the filters (the
    table cached as a whole: a cache hit runs no statement and none of its pandas), its metric
    frames (`BALANCE_FRAMES`, each read cached) read side by side on the query pool.

    Example: ``participation_by_region(Filters(region=("EU",)), lang="fr").attrs["total"]``
    """
    pending = [
        in_background(_balance_frames, filters, *spec, lang=lang)
        for spec in participation.BALANCE_FRAMES
    ]
    frames = [frame for future in pending for frame in future.result()]
    return participation.participation_by_region(con, filters, lang=lang, frames=frames)


participation_by_region = cached(_participation_by_region)


gender_balance = cached(participation.gender_balance)
organisation_figures = cached(participation.organisation_figures)
city_places = cached(participation.city_places)


def _top_cities(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, limit: int = 10, lang: str = "en"
) -> pd.DataFrame:
    """Return `pipelines.queries.participation.top_cities` for the filters, the cities' places
    (`city_places`, cached: the same for every filter) read on the query pool beside its
    metric frames.

    Example: ``top_cities(Filters(region=("NA",)), limit=5).attrs["total"]``
    """
    pending = in_background(city_places)
    frames = metrics.metric_frames(con, participation.TOP_CITY_METRICS, filters, by=("city",))
    return participation.top_cities(
        None, filters, limit=limit, lang=lang, frames=frames, places=pending.result()
    )


top_cities = cached(_top_cities)
# ------------------------------------------------------------------ SDG
metric_total = cached(metrics.metric_total)
metric_totals = cached(metrics.metric_totals)
_sdg_profile = cached(sdg.sdg_profile)
_sdg_network_heatmap = cached(sdg.sdg_network_heatmap)


def _activities_total(filters: Filters, entity_type: str, method: str) -> Future[Any] | None:
    # the total of the activities profiled, one cached `metric_total` shared by the profile and
    # the heatmap of a request (the same metric for the same filters: one statement, not two),
    # read on the query pool beside the frame's own statement
    if entity_type != "activity":
        return None
    return in_background(metric_total, sdg.activities_metric(method), filters)


def _with_activities_total(
    frame: pd.DataFrame, pending: Future[Any] | None, method: str
) -> pd.DataFrame:
    if pending is not None:
        frame.attrs = {"metric": sdg.activities_metric(method), "total": pending.result()}
    return frame


def sdg_profile(
    filters: Filters, *, entity_type: str = "activity", method: str = "primary", lang: str = "en"
) -> pd.DataFrame:
    """Return `pipelines.queries.sdg.sdg_profile` for the filters (cached), its attrs' total read
    through the cached `metric_total` that the heatmap shares, beside the profile's statement.

    Example: ``sdg_profile(Filters(), method="fractional").attrs["total"]``
    """
    pending = _activities_total(filters, entity_type, method)
    frame = _sdg_profile(filters, entity_type=entity_type, method=method, lang=lang, total=False)
    return _with_activities_total(frame, pending, method)


def sdg_network_heatmap(
    filters: Filters, *, entity_type: str = "activity", method: str = "primary", lang: str = "en"
) -> pd.DataFrame:
    """Return `pipelines.queries.sdg.sdg_network_heatmap` for the filters (cached), its attrs'
    total read through the cached `metric_total` that the profile shares, beside the heatmap's
    statement.

    Example: ``sdg_network_heatmap(Filters(), lang="fr").attrs["total"]``
    """
    pending = _activities_total(filters, entity_type, method)
    frame = _sdg_network_heatmap(
        filters, entity_type=entity_type, method=method, lang=lang, total=False
    )
    return _with_activities_total(frame, pending, method)


sdg_targets = cached(sdg.sdg_targets)
sdg_coverage = cached(sdg.sdg_coverage)
sdg_tags_by_method_status = cached(sdg.sdg_tags_by_method_status)
sdg_review_queue = cached(sdg_review.sdg_review_queue)
sdg_goal_targets = cached(sdg_review.sdg_goal_targets)
# ------------------------------------------------------------------ benchmarking
benchmark_cities = cached(benchmark.benchmark_cities)
benchmark_peer_groups = cached(benchmark.benchmark_peer_groups)
city_benchmark = cached(benchmark.city_benchmark)
benchmark_ranking = cached(benchmark.benchmark_ranking)
city_context = cached(benchmark.city_context)
# ------------------------------------------------------------------ cooperation
cooperation_edges = cached(cooperation.cooperation_edges)
cooperation_nodes = cached(cooperation.cooperation_nodes)
cooperation_options = cached(cooperation.cooperation_options)
cooperation_detail = cached(cooperation.cooperation_detail)
cooperation_activities = cached(cooperation.cooperation_activities)
output_funnel = cached(cooperation.output_funnel)
network_figures = cached(cooperation.network_figures)
funnel_figures = cached(cooperation.funnel_figures)
funding_figures = cached(cooperation.funding_figures)
funding_leveraged = cached(cooperation.funding_leveraged)
cooperation_sdg = cached(cooperation.cooperation_sdg)
# ------------------------------------------------------------------ data quality
ingest_runs = cached(quality.ingest_runs)
quarantine_summary = cached(quality.quarantine_summary)
quarantine_page = cached(quality.quarantine_page)
completeness_by_table = cached(quality.completeness_by_table)
_quality_frame = cached(quality.quality_frame)


def _quality_by_city(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return `pipelines.queries.quality.quality_by_city` for the filters (the table cached as a
    whole: a cache hit runs no statement), its metric frames (`QUALITY_FRAMES`: K29, K30 and
    K30's mean by city, each cached) read side by side on the query pool.

    Example: ``quality_by_city(Filters(region=("EU",))).attrs["totals"]["K30"]``
    """
    pending = [in_background(_quality_frame, filters, m) for m in quality.QUALITY_FRAMES]
    return quality.quality_by_city(con, filters, frames=[future.result() for future in pending])


quality_by_city = cached(_quality_by_city)
timeliness = cached(quality.timeliness)
last_report = cached(quality.last_report)
# ------------------------------------------------------------------ activities register
activities_page = cached(activities.activities_page)

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
