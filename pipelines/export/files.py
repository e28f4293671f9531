"""Export the warehouse for analysts without Python: every mart and core table as CSV or Parquet.

Files are written by DuckDB's own COPY (no pandas round trip). Each coded column (network_id,
activity_type, mode, stakeholder_type, country_iso2, goal, indicator_id, ...) is followed by a
`<column>_label` column in the chosen language, so files carry codes *and* labels. In CSV files,
text cells starting with = + - @ tab or CR get a leading apostrophe, so a spreadsheet never runs
them as formulas. A README.md describes every file: definition, row count and columns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.export import datapackage, dictionary
from pipelines.queries._sql import LANGS, label_col
from pipelines.textsafe import formula_safe_sql
from pipelines.warehouse import db as dbmod
from pipelines.warehouse.db import one_row, q
from schemas import ENTITIES

FORMATS = ("csv", "parquet")
SCHEMAS = ("mart", "core")
# a cell starting with one of these is a formula to a spreadsheet
# columns whose code means different lists in different tables get no label
AMBIGUOUS = {"status", "scope_id"}


@dataclass
class ExportedFile:
    """One file written by the export."""

    path: Path
    relation: str
    rows: int
    columns: list[tuple[str, str]]
    definition: str


def label_sources() -> dict[str, tuple[str, str]]:
    """Return {code column: (ref table, key column)} from the validation code-list rules."""
    found: dict[str, tuple[str, str]] = {}
    for entity in ENTITIES.values():
        for col, source in dictionary.code_sources(entity).items():
            if col not in AMBIGUOUS:
                found.setdefault(col, source)
    return found


def _columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    schema, name = table.split(".")
    return any(c == column for c, _ in _columns(con, schema, name))


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Return the (schema, name) of every mart and core relation, marts first."""
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('mart', 'core') order by table_schema desc, table_name"
    ).fetchall()


def select_sql(
    con: duckdb.DuckDBPyConnection, schema: str, name: str, *, lang: str, csv: bool
) -> str:
    """Return the SELECT of one relation with label columns (and formula neutralising for CSV).

    Identifiers come from information_schema and the code-list allow-list only.
    """
    sources = label_sources()
    lab = label_col(lang)
    items: list[str] = []
    joins: list[str] = []
    for i, (column, dtype) in enumerate(_columns(con, schema, name)):
        value = f"t.{q(column)}"
        if csv and dtype == "VARCHAR":
            value = formula_safe_sql(value)
        items.append(f"{value} as {q(column)}")
        source = sources.get(column)
        if source and schema != "ref" and _has_column(con, source[0], lab):
            table, key = source
            alias = f"l{i}"
            joins.append(
                f"left join (select {q(key)} as k, any_value({q(lab)}) as v from {table} group by 1) "
                f"as {alias} on {alias}.k = t.{q(column)}"
            )
            label = f"{alias}.v"
            if csv:
                label = formula_safe_sql(label)
            items.append(f"{label} as {q(column + '_label')}")
    return f"select {', '.join(items)} from {schema}.{q(name)} as t {' '.join(joins)}"


def export_warehouse(
    con: duckdb.DuckDBPyConnection,
    out_dir: str | os.PathLike[str],
    *,
    fmt: str = "csv",
    lang: str = "en",
    only: list[str] | None = None,
) -> list[ExportedFile]:
    """Write every mart and core relation to out_dir as `<schema>.<name>.<fmt>` plus README.md.

    `only` ('schema.name', ...) exports those relations instead (e.g. the API's public tables).
    A Parquet export also gets `datapackage.json` (Frictionless Data Package, one Table Schema
    per file). Returns the files written, in README order.

    Example: ``export_warehouse(db.connect_readonly(), "export/", fmt="parquet", lang="fr")``
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    definitions = dictionary.table_definitions()
    written: list[ExportedFile] = []
    options = "(format csv, header true)" if fmt == "csv" else "(format parquet)"
    chosen = relations(con) if only is None else [_split(r) for r in only]
    resources = []
    for schema, name in chosen:
        path = out / f"{schema}.{name}.{fmt}"
        sql = select_sql(con, schema, name, lang=lang, csv=fmt == "csv")
        con.execute(f"copy ({sql}) to ? {options}", [str(path)])
        rows = one_row(con, f"select count(*) from {schema}.{q(name)}")[0]
        columns = con.execute(f"describe ({sql})").fetchall()
        exported = ExportedFile(
            path,
            f"{schema}.{name}",
            int(rows),
            [(c[0], c[1]) for c in columns],
            definitions.get(f"{schema}.{name}", ""),
        )
        written.append(exported)
        if fmt == "parquet":
            resources.append(
                datapackage.resource(
                    con,
                    path,
                    exported.relation,
                    exported.columns,
                    definition=exported.definition,
                    rows=exported.rows,
                    lang=lang,
                )
            )
    (out / "README.md").write_text(readme(written, fmt=fmt, lang=lang), encoding="utf-8")
    if fmt == "parquet":
        datapackage.write(out / "datapackage.json", datapackage.package(resources, lang=lang))
    return written


def _split(relation: str) -> tuple[str, str]:
    schema, _, name = relation.partition(".")
    if not name:
        raise ValueError(f"relation must be schema.name, not {relation!r}")
    return schema, name


def readme(files: list[ExportedFile], *, fmt: str, lang: str) -> str:
    """Return the README.md describing every exported file."""
    lines = [
        "# IURC Impact warehouse export",
        "",
        (
            f"Format: {fmt.upper()}; labels in `{lang}`. One file per relation: `mart.*` (the one "
            "definition of every metric) and `core.*` (validated input records). A column ending in "
            "`_label` gives the label of the code column before it."
        ),
    ]
    if fmt == "csv":
        lines.append(
            "CSV text cells that start with = + - @ tab or carriage return carry a leading "
            "apostrophe (') so spreadsheets do not run them as formulas."
        )
    lines += [
        "",
        "Full column rules and KPI definitions: docs/data-dictionary.md."
        + (
            " `datapackage.json` describes every file (Frictionless Table Schema)."
            if fmt == "parquet"
            else ""
        ),
        "",
        "| file | rows | definition |",
        "|---|---|---|",
    ]
    lines += [
        f"| [{f.path.name}](#{f.relation.replace('.', '')}) | {f.rows:,} | "
        f"{f.definition.replace('|', '/')} |"
        for f in files
    ]
    for f in files:
        lines += ["", f"## {f.relation}", "", f"File `{f.path.name}`, {f.rows:,} rows.", ""]
        if f.definition:
            lines += [f.definition, ""]
        lines += ["| column | type |", "|---|---|"]
        lines += [f"| `{c}` | {t} |" for c, t in f.columns]
    return "\n".join(lines) + "\n"


def export_path(
    db: str | os.PathLike[str] | None,
    out_dir: str | os.PathLike[str],
    *,
    fmt: str = "csv",
    lang: str = "en",
) -> list[ExportedFile]:
    """Open the published warehouse read-only and export it (see `export_warehouse`)."""
    con = dbmod.connect_readonly(db)
    try:
        return export_warehouse(con, out_dir, fmt=fmt, lang=lang)
    finally:
        con.close()
