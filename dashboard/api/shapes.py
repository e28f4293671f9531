"""The response shapes: CKAN `datastore_search` results as JSON, and the same records as CSV.

A page is `{"help", "success": true, "result": {"resource_id", "fields": [{"id", "type"}],
"records": [{...}], "total", "limit", "offset", "records_format": "objects", "_links": {"start",
"next", "prev"}}}`; `next` is present while rows remain and `prev` after the first page (CKAN
gives `start` and `next`). CSV cells are neutralised with `pipelines.textsafe.formula_safe`.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from werkzeug.datastructures import MultiDict

from pipelines.textsafe import formula_safe

# DuckDB type -> CKAN datastore field type (PostgreSQL names, as CKAN reports them)
_DUCK_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "bool",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp",
    "DOUBLE": "float8",
    "FLOAT": "float8",
    "INTEGER": "int4",
    "BIGINT": "int8",
    "SMALLINT": "int4",
    "TINYINT": "int4",
    "HUGEINT": "numeric",
}


def field_type(duck_type: str) -> str:
    """Return the CKAN field type of a DuckDB column type (lists are `_<type>` arrays)."""
    if duck_type.endswith("[]"):
        return "_" + field_type(duck_type[:-2])
    if duck_type.startswith("DECIMAL"):
        return "numeric"
    return _DUCK_TYPES.get(duck_type, "text")


def frame_fields(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Return the CKAN fields of a DataFrame's columns, from their dtypes."""
    out = []
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            kind = "bool"
        elif pd.api.types.is_integer_dtype(dtype):
            kind = "int8"
        elif pd.api.types.is_float_dtype(dtype):
            kind = "float8"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            kind = "date"
        else:
            kind = "text"
        out.append({"id": str(name), "type": kind})
    return out


def plain(value: Any) -> Any:
    """Return `value` as a JSON value: dates ISO, decimals and numpy numbers as numbers, NaN None."""
    if value is None:
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        is_day = value == value.normalize()
        return value.date().isoformat() if is_day else value.isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a DataFrame's rows as JSON-ready dicts (see `plain`)."""
    columns = [str(c) for c in frame.columns]
    return [
        {c: plain(v) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def rows_records(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Return DuckDB result rows as JSON-ready dicts keyed by `columns`."""
    return [{c: plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def _url(path: str, args: MultiDict[str, str], **changes: int | None) -> str:
    pairs = [(k, v) for k, v in args.items(multi=True) if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(pairs)
    return f"{path}?{query}" if query else path


def links(
    path: str, args: MultiDict[str, str], limit: int, offset: int, total: int
) -> dict[str, str]:
    """Return CKAN's `_links`: start, plus next while rows remain and prev after the first page.

    Links are relative to the server (never built from the Host header).
    """
    out = {"start": _url(path, args, offset=None)}
    if offset + limit < total:
        out["next"] = _url(path, args, offset=offset + limit)
    if offset > 0:
        out["prev"] = _url(path, args, offset=max(0, offset - limit) or None)
    return out


def page_result(
    resource_id: str,
    fields: list[dict[str, str]],
    records: list[dict[str, Any]],
    *,
    total: int,
    limit: int,
    offset: int,
    links: dict[str, str],
    **extra: Any,
) -> dict[str, Any]:
    """Return the CKAN datastore_search envelope of one page of records."""
    result = {
        "resource_id": resource_id,
        "fields": fields,
        "records": records,
        "records_format": "objects",
        "total": total,
        "total_was_estimated": False,
        "limit": limit,
        "offset": offset,
        "_links": links,
        **extra,
    }
    return {"help": "/api/v1/", "success": True, "result": result}


def csv_text(fields: list[dict[str, str]], records: list[dict[str, Any]]) -> str:
    """Return the records as CSV (header of field ids); formula-like text cells are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [f["id"] for f in fields]
    writer.writerow([formula_safe(n) for n in names])
    for record in records:
        writer.writerow([_csv_cell(record.get(n)) for n in names])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join("" if v is None else str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return formula_safe(value)
