"""The OpenAPI 3.1 document of /api/v1, generated from the declarations it serves.

Metric ids and their breakdowns come from `pipelines.metrics.catalogue`, the filter parameters
from `pipelines.metrics.filters.FILTERS`, the public marts from `dashboard.access`, the paging
limits from `dashboard.api.params`: a metric, filter or table added there appears here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from dashboard import access
from dashboard.api import params
from pipelines.metrics.catalogue import DIMENSIONS, METRICS
from pipelines.metrics.filters import FILTERS
from pipelines.queries import LANGS

VERSION = "1.0.0"


def _param(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description, **extra}


def _paging() -> list[dict[str, Any]]:
    return [
        _param(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": params.MAX_LIMIT,
                "default": params.DEFAULT_LIMIT,
            },
            f"Records per page (at most {params.MAX_LIMIT}).",
        ),
        _param("offset", {"type": "integer", "minimum": 0, "default": 0}, "Records to skip."),
        _param(
            "_format",
            {"type": "string", "enum": list(params.FORMATS)},
            "json (default) or csv; `Accept: text/csv` also gives CSV.",
        ),
    ]


def _filters() -> list[dict[str, Any]]:
    out = [
        _param("start", {"type": "string", "format": "date"}, "First day of the period."),
        _param("end", {"type": "string", "format": "date"}, "Last day of the period."),
    ]
    for spec in FILTERS:
        where = f" (codes of {spec.ref})" if spec.ref else ""
        out.append(
            _param(
                spec.name,
                {"type": "string"},
                f"Comma-separated {spec.name} codes{where}; the dashboard's URL parameter.",
                example="EU" if spec.name == "region" else None,
            )
        )
    for item in out:
        if item.get("example") is None:
            item.pop("example", None)
    return out


def _responses(page: str, csv: bool = True) -> dict[str, Any]:
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{page}"}}
    }
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "200": {
            "description": "One page (CKAN datastore_search shape).",
            "headers": {
                "ETag": {"schema": {"type": "string"}},
                "Last-Modified": {"schema": {"type": "string"}},
            },
            "content": content,
        },
        "304": {
            "description": "Not modified since the client's copy (If-None-Match / If-Modified-Since)."
        },
        "400": {"description": "A bad parameter, with a message.", "content": error},
        "404": {"description": "Unknown metric, table or path.", "content": error},
        "429": {
            "description": "Too many requests from this client.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": error,
        },
    }


def _schemas() -> dict[str, Any]:
    field = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "type": {"type": "string"}},
        "required": ["id", "type"],
    }
    result = {
        "type": "object",
        "properties": {
            "resource_id": {"type": "string"},
            "fields": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}},
            "records": {"type": "array", "items": {"type": "object"}},
            "records_format": {"const": "objects"},
            "total": {"type": "integer"},
            "total_was_estimated": {"type": "boolean"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "_links": {
                "type": "object",
                "properties": {
                    "start": {"type": "string"},
                    "next": {"type": "string"},
                    "prev": {"type": "string"},
                },
                "required": ["start"],
            },
        },
        "required": ["resource_id", "fields", "records", "total", "limit", "offset", "_links"],
    }
    metric_result = {
        "allOf": [
            {"$ref": "#/components/schemas/Result"},
            {
                "type": "object",
                "properties": {
                    "metric": {"type": "object"},
                    "by": {"type": "array", "items": {"type": "string"}},
                    "filters": {"type": "object"},
                    "value": {"type": ["number", "null"]},
                },
            },
        ]
    }

    def envelope(ref: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "help": {"type": "string"},
                "success": {"const": True},
                "result": {"$ref": f"#/components/schemas/{ref}"},
            },
            "required": ["success", "result"],
        }

    return {
        "Field": field,
        "Result": result,
        "MetricResult": metric_result,
        "Page": envelope("Result"),
        "MetricPage": envelope("MetricResult"),
        "Error": {
            "type": "object",
            "properties": {
                "success": {"const": False},
                "error": {
                    "type": "object",
                    "properties": {"__type": {"type": "string"}, "message": {"type": "string"}},
                    "required": ["__type", "message"],
                },
            },
            "required": ["success", "error"],
        },
    }


@cache
def document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the API (a dict ready for JSON)."""
    dims = sorted({d for m in METRICS.values() for d in m.breakdowns} & set(DIMENSIONS))
    breakdowns = "; ".join(f"{m.id}: {', '.join(m.breakdowns) or 'none'}" for m in METRICS.values())
    marts = ", ".join(sorted(access.PUBLIC_MARTS))
    metric_path = {
        "get": {
            "summary": "A metric per breakdown group and its total",
            "description": (
                "Rows of the finest breakdown first, then the total (`is_total` true): every "
                "level is recounted from the source rows by the metric layer, so a distinct "
                f"count, ratio or median is never added up. Breakdowns per metric: {breakdowns}."
            ),
            "operationId": "metric",
            "parameters": [
                {
                    "name": "metric_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": list(METRICS)},
                },
                _param(
                    "by",
                    {"type": "string"},
                    f"Comma-separated dimensions the metric allows (of: {', '.join(dims)}).",
                    example="network",
                ),
                _param("lang", {"type": "string", "enum": list(LANGS)}, "Language of the labels."),
                *_filters(),
                *_paging(),
            ],
            "responses": _responses("MetricPage"),
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "IURC Impact open data API",
            "version": VERSION,
            "summary": "Read-only metrics and published tables of IURC Impact.",
            "description": (
                "Metrics of the metric layer with their breakdowns and the dashboard's filters, "
                "and the published marts and code lists, as JSON (CKAN datastore_search shape) "
                "or CSV. Public callers get published aggregates only."
            ),
            "license": {"name": "CC-BY-4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/metrics": {
                "get": {
                    "summary": "Every declared metric",
                    "description": "Id, name, unit, additivity, geography and time basis, breakdowns, programme target.",
                    "operationId": "metrics",
                    "parameters": _paging(),
                    "responses": _responses("Page"),
                }
            },
            "/metrics/{metric_id}": metric_path,
            "/tables": {
                "get": {
                    "summary": "The published tables",
                    "description": f"Public marts ({marts}) and every ref.* code list.",
                    "operationId": "tables",
                    "parameters": _paging(),
                    "responses": _responses("Page"),
                }
            },
            "/tables/{name}": {
                "get": {
                    "summary": "Rows of a published table",
                    "description": "Ordered on every column; the filters apply to the columns the table has.",
                    "operationId": "table",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "example": "mart.activity_cube",
                        },
                        *_filters(),
                        *_paging(),
                    ],
                    "responses": _responses("Page"),
                }
            },
            "/bundle": {
                "get": {
                    "summary": "The latest Parquet bundle of the published tables",
                    "description": "A zip of Parquet files with README.md and datapackage.json (Frictionless), made once per publish.",
                    "operationId": "bundle",
                    "responses": {
                        "200": {
                            "description": "The zip.",
                            "content": {
                                "application/zip": {
                                    "schema": {
                                        "type": "string",
                                        "contentMediaType": "application/zip",
                                    }
                                }
                            },
                        },
                        "304": {"description": "Not modified."},
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1 JSON.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
