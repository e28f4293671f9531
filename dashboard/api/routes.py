"""The /api/v1 endpoints: metrics (catalogue and values), published tables, bundle, OpenAPI, docs.

Every figure comes from `pipelines.queries` through `dashboard.data` (the pages' cached door to
the warehouse); every table from the allow-list of `dashboard.access`; every parameter is checked
by `dashboard.api.params` (400 with a message). Responses carry ETag and Last-Modified from the
publish; a client over its rate gets 429 with Retry-After.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, request, send_file
from werkzeug.exceptions import HTTPException

from dashboard import access, data
from dashboard.api import bundle, conditional, docs, openapi, params, shapes
from dashboard.api.errors import error_response, not_found
from dashboard.api.ratelimit import TokenBuckets, retry_after
from dashboard.request_checks import BadRequest
from pipelines import config
from pipelines.export.dictionary import table_definitions
from pipelines.metrics.catalogue import METRICS
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import describe

log = logging.getLogger(__name__)

api = Blueprint("api_v1", __name__, url_prefix="/api/v1")
buckets = TokenBuckets()

METRIC_LIST_PARAMS = frozenset({"limit", "offset", "_format"})
METRIC_PARAMS = params.PAGING | params.FILTER_PARAMS | {"by"}
TABLE_LIST_PARAMS = frozenset({"limit", "offset", "_format"})
TABLE_PARAMS = frozenset({"limit", "offset", "_format"}) | params.FILTER_PARAMS


# ------------------------------------------------------------------ every request
@api.before_request
def limit_rate() -> Response | None:
    """Answer 429 with Retry-After when the client has spent its requests for now."""
    if request.method == "OPTIONS":
        return None
    limit = current_app.config.get("IURC_API_RATE") or config.api_rate_limit()
    wait = buckets.take(request.remote_addr or "unknown", limit)
    if wait:
        return error_response(
            f"too many requests: at most {limit[0]} per {limit[1]:g} s per client",
            429,
            {"Retry-After": retry_after(wait)},
        )
    return None


@api.after_request
def cors(response: Response) -> Response:
    """Allow read-only cross-origin use (GET, HEAD) from any page."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Link, Retry-After"
    return response


@api.errorhandler(BadRequest)
def bad_request(exc: BadRequest) -> Response:
    """Answer a refused parameter with its message (400, or 404 for an unknown name)."""
    return error_response(exc.message, exc.status)


@api.errorhandler(FileNotFoundError)
def no_warehouse(_exc: FileNotFoundError) -> Response:
    """Answer 503 while no warehouse is published."""
    return error_response("no published warehouse yet", 503)


@api.errorhandler(Exception)
def unexpected(exc: Exception) -> Response:
    """Answer any other error as JSON, never a traceback."""
    if isinstance(exc, HTTPException):
        return error_response(exc.description or exc.name, exc.code or 500)
    log.exception("API error on %s", request.full_path)
    return error_response("internal error", 500)


# ------------------------------------------------------------------ helpers
def _publish() -> tuple[str, Any]:
    """Return (publish key, Last-Modified) of the published warehouse."""
    data.cursor()  # follow a re-publish (FileNotFoundError while none)
    loaded_on = data.data_dates()["loaded_on"]
    return f"{data.warehouse().version}|{loaded_on}", conditional.as_http_time(loaded_on)


def _send(fmt: str, build: Callable[[], dict[str, Any]]) -> Response:
    """Answer 304 when the client's copy is current, else the built page as JSON or CSV."""
    key, modified = _publish()
    tag = conditional.etag(key, request, fmt)
    if conditional.not_modified(request, tag, modified):
        return conditional.stamp(Response(status=304), tag, modified)
    payload = build()
    result = payload["result"]
    if fmt == "csv":
        name = result["resource_id"].replace("/", "_")
        response = Response(
            shapes.csv_text(result["fields"], result["records"]), mimetype="text/csv"
        )
        response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        links = result["_links"]
        response.headers["Link"] = ", ".join(
            f'<{links[rel]}>; rel="{rel}"' for rel in ("next", "prev") if rel in links
        )
        if not response.headers["Link"]:
            del response.headers["Link"]
    else:
        response = Response(json.dumps(payload, ensure_ascii=False), mimetype="application/json")
    return conditional.stamp(response, tag, modified)


def _listing(
    resource_id: str,
    fields: list[dict[str, str]],
    records: list[dict[str, Any]],
    limit: int,
    offset: int,
    **extra: Any,
) -> dict[str, Any]:
    """Return the envelope of one page of an in-memory list of records, with paging links."""
    return shapes.page_result(
        resource_id,
        fields,
        records[offset : offset + limit],
        total=len(records),
        limit=limit,
        offset=offset,
        links=shapes.links(request.path, request.args, limit, offset, len(records)),
        **extra,
    )


# ------------------------------------------------------------------ endpoints
@api.get("/")
def home() -> Response:
    """The human-readable description of every endpoint, with examples."""
    params.check_known(request.args, {"lang"})
    lang = params.language(request.args)
    return Response(docs.page(openapi.document(), lang), mimetype="text/html")


@api.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document, generated from the declarations."""
    params.check_known(request.args, ())
    return Response(json.dumps(openapi.document(), indent=1), mimetype="application/json")


def catalogue_records() -> list[dict[str, Any]]:
    """Return one record per declared metric: its declaration and the programme target."""
    scorecard = data.kpi_scorecard(Filters())
    targets = {
        row["indicator_id"]: row for row in shapes.frame_records(scorecard) if row["indicator_id"]
    }
    records = []
    for metric_id in METRICS:
        d = describe(metric_id)
        target = targets.get(d["indicator"]) if d["measure"] == "main" else None
        records.append(
            {
                "id": d["id"],
                "name": d["label"],
                "indicator": d["indicator"],
                "measure": d["measure"],
                "definition": d["definition"],
                "unit": d["unit"],
                "additivity": d["additivity"],
                "geography_basis": d["geography"],
                "time_basis": d["time_basis"],
                "direction": d["direction"],
                "breakdowns": d["breakdowns"],
                "decision": d["decision"],
                "target_value": target["target_value"] if target else None,
                "target_period_end": target["target_period_end"] if target else None,
                "url": f"/api/v1/metrics/{metric_id}",
            }
        )
    return records


CATALOGUE_FIELDS = [
    {"id": "id", "type": "text"},
    {"id": "name", "type": "text"},
    {"id": "indicator", "type": "text"},
    {"id": "measure", "type": "text"},
    {"id": "definition", "type": "text"},
    {"id": "unit", "type": "text"},
    {"id": "additivity", "type": "text"},
    {"id": "geography_basis", "type": "text"},
    {"id": "time_basis", "type": "text"},
    {"id": "direction", "type": "text"},
    {"id": "breakdowns", "type": "_text"},
    {"id": "decision", "type": "text"},
    {"id": "target_value", "type": "float8"},
    {"id": "target_period_end", "type": "date"},
    {"id": "url", "type": "text"},
]


@api.get("/metrics")
def metrics() -> Response:
    """Every declared metric (paged)."""
    args = request.args
    params.check_known(args, METRIC_LIST_PARAMS)
    limit, offset = params.paging(args)
    fmt = params.output_format(args, request.headers.get("Accept", ""))

    def build() -> dict[str, Any]:
        return _listing("metrics", CATALOGUE_FIELDS, catalogue_records(), limit, offset)

    return _send(fmt, build)


@api.get("/metrics/<metric_id>")
def metric_values(metric_id: str) -> Response:
    """One metric per breakdown group and its recounted total, for the filters given."""
    if metric_id not in METRICS:
        raise not_found(f"unknown metric {metric_id!r}; the list is at /api/v1/metrics")
    args = request.args
    params.check_known(args, METRIC_PARAMS)
    limit, offset = params.paging(args)
    fmt = params.output_format(args, request.headers.get("Accept", ""))
    lang = params.language(args)
    by = params.breakdown(args, METRICS[metric_id].breakdowns)
    filters = params.filters(args, data.unknown_codes)

    def build() -> dict[str, Any]:
        try:
            frame = data.metric_frame(metric_id, filters, by, lang=lang)
        except ValueError as exc:  # a breakdown the metric's source cannot give
            raise BadRequest(str(exc)) from None
        records = shapes.frame_records(frame)
        total_row = next((r for r in reversed(records) if r.get("is_total")), None)
        return _listing(
            f"metrics/{metric_id}",
            shapes.frame_fields(frame),
            records,
            limit,
            offset,
            metric={k: shapes.plain(v) for k, v in describe(metric_id).items()},
            by=list(by),
            filters=filters_record(filters),
            value=total_row["value"] if total_row else None,
        )

    return _send(fmt, build)


def filters_record(filters: Filters) -> dict[str, Any]:
    """Return the filters applied, as their URL parameters (the dashboard link's query)."""
    return dict(parse_qsl(filters.to_query()))


def published_tables() -> list[str]:
    """Return the relations the caller may read, marts then code lists."""
    return access.readable_tables(data.relations(("mart", "ref")))


@api.get("/tables")
def tables() -> Response:
    """The published marts and code lists the caller may read (paged)."""
    args = request.args
    params.check_known(args, TABLE_LIST_PARAMS)
    limit, offset = params.paging(args)
    fmt = params.output_format(args, request.headers.get("Accept", ""))

    def build() -> dict[str, Any]:
        definitions = table_definitions()
        records = [
            {
                "name": name,
                "definition": definitions.get(name, ""),
                "columns": [c for c, _ in data.relation_columns(name)],
                "url": f"/api/v1/tables/{name}",
            }
            for name in published_tables()
        ]
        fields = [
            {"id": "name", "type": "text"},
            {"id": "definition", "type": "text"},
            {"id": "columns", "type": "_text"},
            {"id": "url", "type": "text"},
        ]
        return _listing(
            "tables",
            fields,
            records,
            limit,
            offset,
            bundle="/api/v1/bundle",
        )

    return _send(fmt, build)


@api.get("/tables/<name>")
def table_rows(name: str) -> Response:
    """One page of a published table, optionally filtered by the global filters."""
    if not access.can_read_table(name) or name not in published_tables():
        raise not_found(f"no published table {name!r}; the list is at /api/v1/tables")
    args = request.args
    params.check_known(args, TABLE_PARAMS)
    limit, offset = params.paging(args)
    fmt = params.output_format(args, request.headers.get("Accept", ""))
    filters = params.filters(args, data.unknown_codes)

    def build() -> dict[str, Any]:
        try:
            page = data.relation_page(name, filters, limit=limit, offset=offset)
        except ValueError as exc:  # a filter the table has no column for
            raise BadRequest(str(exc)) from None
        columns = [c for c, _ in page.columns]
        return shapes.page_result(
            name,
            [{"id": c, "type": shapes.field_type(t)} for c, t in page.columns],
            shapes.rows_records(columns, page.rows),
            total=page.total,
            limit=limit,
            offset=offset,
            links=shapes.links(request.path, args, limit, offset, page.total),
            filters=filters_record(filters),
        )

    return _send(fmt, build)


@api.get("/bundle")
def bundle_zip() -> Response:
    """The latest Parquet bundle of the published tables (zip with README and datapackage.json)."""
    params.check_known(request.args, ())
    key, modified = _publish()
    tag = conditional.etag(key, request, "zip")
    if conditional.not_modified(request, tag, modified):
        return conditional.stamp(Response(status=304), tag, modified)
    path = bundle.latest(published_tables(), key)
    response = send_file(
        path, mimetype="application/zip", as_attachment=True, download_name=bundle.DOWNLOAD_NAME
    )
    return conditional.stamp(response, tag, modified)


@api.route("/<path:rest>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str) -> Response:
    """Answer 404 (JSON) for a path the API does not have."""
    raise not_found("no such endpoint; the list is at /api/v1/")
