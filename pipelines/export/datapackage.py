"""A Frictionless Data Package (`datapackage.json`) describing a Parquet export, field by field.

Each exported file is a `tabular-data-resource` with a Table Schema: field names and types from
the Parquet file's own columns (DuckDB types mapped to Table Schema types), descriptions from the
data contracts (`schemas.ENTITIES`, the data contracts) or, for a `<code>_label` column, what it
labels; primary keys from the entities' natural keys and, for code lists and marts, a first
`*_id` column that is unique and never null. The package states the licence of the published
data and the sources it comes from (data/reference/SOURCES.md has the details per file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb

from pipelines.warehouse.db import q
from schemas import ENTITIES

PROFILE = "tabular-data-package"
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }
]
SOURCES = [
    {"title": "IURC North America programme records (cities' and cooperations' reports)"},
    {"title": "GeoNames cities15000 (CC BY 4.0)", "path": "https://www.geonames.org/"},
    {
        "title": "open-sdg/sdg-translations: SDG goal and target texts (MIT)",
        "path": "https://github.com/open-sdg/sdg-translations",
    },
    {
        "title": "ECB euro foreign exchange reference rates",
        "path": "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/",
    },
]

# DuckDB type -> Table Schema type
_TYPES = {
    "VARCHAR": "string",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "datetime",
    "TIMESTAMP WITH TIME ZONE": "datetime",
    "DOUBLE": "number",
    "FLOAT": "number",
    "INTEGER": "integer",
    "BIGINT": "integer",
    "SMALLINT": "integer",
    "TINYINT": "integer",
    "HUGEINT": "integer",
}


def field_type(duck_type: str) -> str:
    """Return the Table Schema type of a DuckDB column type (lists are `array`)."""
    if duck_type.endswith("[]"):
        return "array"
    if duck_type.startswith("DECIMAL"):
        return "number"
    return _TYPES.get(duck_type, "string")


def column_descriptions() -> dict[str, str]:
    """Return {column: description} from the data contracts (the first contract naming it wins)."""
    out: dict[str, str] = {}
    for entity in ENTITIES.values():
        for column in entity.contract.columns:
            if column.description:
                out.setdefault(column.name, column.description)
    return out


def _describe(column: str, descriptions: dict[str, str], lang: str) -> str:
    if column in descriptions:
        return descriptions[column]
    if column.endswith("_label"):
        return f"Label ({lang}) of the code in `{column.removesuffix('_label')}`."
    return ""


def primary_key(con: duckdb.DuckDBPyConnection, path: Path, relation: str) -> list[str]:
    """Return the primary key of an exported relation ([] when it has none)."""
    entity = next((e for e in ENTITIES.values() if e.table == relation), None)
    if entity is not None:
        return list(entity.key)
    first = con.execute(
        "select name from parquet_schema(?) where name != 'duckdb_schema' limit 1", [str(path)]
    ).fetchone()
    if first is None or not (first[0].endswith("_id") or first[0] in {"goal", "country_iso2"}):
        return []
    col = q(first[0])
    row = con.execute(
        f"select count(*) = count(distinct {col}) and count({col}) = count(*) from read_parquet(?)",
        [str(path)],
    ).fetchone()
    return [first[0]] if row and row[0] else []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resource(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    relation: str,
    columns: list[tuple[str, str]],
    *,
    definition: str,
    rows: int,
    lang: str,
) -> dict[str, Any]:
    """Return the tabular data resource of one exported Parquet file."""
    descriptions = column_descriptions()
    fields = []
    for name, duck_type in columns:
        item: dict[str, Any] = {"name": name, "type": field_type(duck_type)}
        text = _describe(name, descriptions, lang)
        if text:
            item["description"] = text
        fields.append(item)
    schema: dict[str, Any] = {"fields": fields}
    key = primary_key(con, path, relation)
    if key:
        schema["primaryKey"] = key
    out: dict[str, Any] = {
        "name": relation.lower(),
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
        "rows": rows,
        "schema": schema,
    }
    if definition:
        out["description"] = definition
    return out


def package(
    resources: list[dict[str, Any]], *, lang: str, created: dt.datetime | None = None
) -> dict[str, Any]:
    """Return the data package descriptor holding `resources`."""
    when = (created or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    return {
        "profile": PROFILE,
        "name": "iurc-impact-open-data",
        "title": "IURC Impact: published warehouse export",
        "description": (
            "Marts, code lists and records of the EU's International Urban and Regional "
            f"Cooperation programme in North America, as Parquet; labels in `{lang}`. "
            "See README.md beside this file."
        ),
        "homepage": "https://iurc.eu/",
        "created": when.isoformat().replace("+00:00", "Z"),
        "licenses": LICENSES,
        "sources": SOURCES,
        "keywords": ["IURC", "urban cooperation", "SDG", "European Union", "open data"],
        "resources": resources,
    }


def write(path: Path, descriptor: dict[str, Any]) -> Path:
    """Write the descriptor as indented UTF-8 JSON to `path`; return `path`."""
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
