"""The data dictionary: what every input column, warehouse table and KPI means.

Everything is derived, never restated: input columns come from the data contracts
(`schemas.ENTITIES`) and the validation rules of `pipelines.ingest.validate`; code lists from `ref.*`;
warehouse columns from DuckDB's information_schema on an in-memory warehouse; KPI definitions from
`ref.indicator`. `render()` returns the Markdown committed as `docs/data-dictionary.md`; a test
fails when the committed file is out of date.

Run `python -m pipelines.export.dictionary` (or `iurc dictionary`) to regenerate the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import config
from pipelines.ingest import validate
from pipelines.warehouse import db, marts
from schemas import ENTITIES, Entity

DICTIONARY_PATH = config.ROOT / "docs" / "data-dictionary.md"

KIND_LABELS = {
    "text": "text",
    "int": "whole number",
    "float": "number",
    "bool": "true/false",
    "date": "date (YYYY-MM-DD)",
}

# A column whose allowed values depend on another column is checked but gets no single code list.
NO_CODE_LIST = {"scope_id"}
# Currencies: EUR plus every currency with a rate in ref.fx_rate (see validate.entity_sql).
EXTRA_CODES = {("currency", "ref.fx_rate"): [("EUR", "euro")]}
# Rules over sets of rows (validate.set_rules), stated per entity.
SET_RULES: dict[str, dict[str, str]] = {
    "sdg_alignment": {"is_primary": "more than one primary SDG for the entity"}
}

_CODE_JOIN = re.compile(
    r'JOIN \(SELECT DISTINCT "?(?P<key>\w+)"? AS k FROM (?P<table>ref\.\w+)\) (?P<alias>\w+) '
    r'ON (?P=alias)\.k = t\."?(?P<col>\w+)"?'
)
_DIRECT_JOIN = re.compile(
    r"JOIN (?P<table>ref\.\w+) (?P<alias>\w+) ON (?P=alias)\.(?P<key>\w+) = t\.\"?(?P<col>\w+)\"?"
)

OPS_DEFINITIONS = {
    "ingest_run": "One row per ingest run of one file: counts read / loaded / quarantined, status, timings.",
    "quarantine": "Every rejected row: file, line, raw record as JSON and every reason ('column: rule (value)').",
}


@dataclass
class CodeList:
    """The allowed values of a coded column: where they come from and (code, label) pairs."""

    source: str
    values: list[tuple[str, str]]


@dataclass
class ColumnSpec:
    """One input column of an entity, as the data contract states it."""

    name: str
    kind: str
    required: bool
    description: str
    rules: list[str] = field(default_factory=list)
    codes: CodeList | None = None

    @property
    def type_label(self) -> str:
        """Return the human name of the column's type."""
        return KIND_LABELS[self.kind]


def code_sources(entity: Entity) -> dict[str, tuple[str, str]]:
    """Return {column: (ref table, key column)} of the entity's code-list rules."""
    joins = validate.entity_sql(entity, validate.Params()).joins
    found: dict[str, tuple[str, str]] = {}
    for join in joins:
        match = _CODE_JOIN.search(join) or _DIRECT_JOIN.search(join)
        if match and match["col"] not in NO_CODE_LIST:
            found.setdefault(match["col"], (match["table"], match["key"]))
    return found


def _ref_values(con: duckdb.DuckDBPyConnection, table: str, key: str) -> list[tuple[str, str]]:
    """Return (code, English label) of a ref table; table and key come from the rule allow-list."""
    schema, name = table.split(".")
    cols = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    }
    if key not in cols:
        raise ValueError(f"{table} has no column {key}")
    label = next((c for c in ("label_en", "title_en", "name") if c in cols), None)
    label_sql = f"any_value({db.q(label)})" if label else "''"
    order = "min(sort_order)" if "sort_order" in cols else db.q(key)
    rows = con.execute(
        f"select {db.q(key)}::varchar, {label_sql}::varchar from {schema}.{db.q(name)} "
        f"group by {db.q(key)} order by {order}, {db.q(key)}"
    ).fetchall()
    return [(code, label or "") for code, label in rows]


def entity_columns(entity: Entity, con: duckdb.DuckDBPyConnection) -> list[ColumnSpec]:
    """Return the entity's input columns with type, required flag, rules and code list.

    `con` needs the `ref.*` tables (any warehouse, or `db.connect_memory()`).

    Example: ``[c.name for c in entity_columns(ENTITIES["activity"], con) if c.codes]``
    """
    required = set(entity.required_columns)
    extra: dict[str, list[str]] = {}
    for rule in validate.entity_sql(entity, validate.Params()).rules:
        if rule.column:
            extra.setdefault(rule.column, []).append(rule.rule)
    for col, text in SET_RULES.get(entity.name, {}).items():
        extra.setdefault(col, []).append(text)
    sources = code_sources(entity)
    specs: list[ColumnSpec] = []
    for name, column in entity.fields.items():
        kind = column.kind
        rules: list[str] = []
        if name in required:
            rules.append(validate.REQUIRED_RULE)
        elif not column.nullable:
            rules.append("optional in files; filled at load")
        if kind != "text":
            rules.append(validate.TYPE_RULES[kind])
        rules += [validate.check_rule_text(check) for check in column.checks]
        rules += extra.get(name, [])
        codes = None
        if name in sources:
            table, key = sources[name]
            values = EXTRA_CODES.get((name, table), []) + _ref_values(con, table, key)
            codes = CodeList(f"{table}.{key}", values)
        else:
            allowed = next(
                (c.statistics["allowed_values"] for c in column.checks if c.name == "isin"), None
            )
            if allowed:
                codes = CodeList("allowed values", [(str(v), "") for v in allowed])
            elif kind == "bool":
                codes = CodeList("true/false", [("true", ""), ("false", "")])
        specs.append(
            ColumnSpec(name, kind, name in required, column.description or "", rules, codes)
        )
    return specs


def reference_connection() -> duckdb.DuckDBPyConnection:
    """Return an in-memory warehouse with the schema and reference data (no marts)."""
    from pipelines.warehouse import reference

    con = duckdb.connect(":memory:")
    db.create_schema(con)
    reference.load_reference(con)
    return con


def mart_definitions() -> dict[str, str]:
    """Return {mart relation: the definition written at the top of its SQL file}."""
    out: dict[str, str] = {}
    for path in marts.mart_files():
        name = re.sub(r"^\d+_", "", path.stem)
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        comment = []
        for line in lines:
            if not line.startswith("--"):
                break
            comment.append(line.lstrip("-").strip())
        out[name] = " ".join(c for c in comment if c)
    return out


def table_definitions() -> dict[str, str]:
    """Return {'schema.table': definition} for core (model), ops and mart relations."""
    defs = {e.table: e.description for e in ENTITIES.values()}
    defs.update({f"ops.{k}": v for k, v in OPS_DEFINITIONS.items()})
    defs.update({f"mart.{k}": v for k, v in mart_definitions().items()})
    defs.setdefault(
        "mart.kpi_scorecard",
        "Stored KPI scorecard: mart.kpi_scorecard_for for every stored scope and period, "
        "in one query over the table of scopes.",
    )
    return defs


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _render_entities(con: duckdb.DuckDBPyConnection) -> list[str]:
    out = [
        "## Input files (one per entity)",
        "",
        (
            "Files are CSV (comma, semicolon or tab; UTF-8 or Latin-1), XLSX or JSON. The entity comes "
            "from the file-name prefix or `--entity`. Templates: `iurc template ENTITY`."
        ),
        "",
    ]
    for entity in ENTITIES.values():
        desc = entity.description
        out += [
            f"### {entity.name} → `{entity.table}`",
            "",
            (
                f"{desc} File-name prefixes: {', '.join(f'`{p}`' for p in entity.prefixes)}. "
                f"Natural key: {', '.join(f'`{k}`' for k in entity.key)} (re-sending a key updates "
                f"the row; a key twice in one file quarantines the later copy). Load order: {entity.order}."
            ),
            "",
            "| column | type | required | rules | description |",
            "|---|---|---|---|---|",
        ]
        specs = entity_columns(entity, con)
        for s in specs:
            rules = "; ".join(s.rules)
            if s.codes:
                rules += f"; code list: {s.codes.source}"
            out.append(
                f"| `{s.name}` | {s.type_label} | {'yes' if s.required else 'no'} | "
                f"{_cell(rules)} | {_cell(s.description)} |"
            )
        out.append("")
    return out


def _render_code_lists(con: duckdb.DuckDBPyConnection) -> list[str]:
    out = ["## Code lists", ""]
    seen: set[str] = set()
    for entity in ENTITIES.values():
        for s in entity_columns(entity, con):
            if (
                not s.codes
                or s.codes.source in ("allowed values", "true/false")
                or s.codes.source in seen
            ):
                continue
            seen.add(s.codes.source)
            out += [f"### `{s.codes.source}`", "", "| code | label (en) |", "|---|---|"]
            out += [f"| `{_cell(code)}` | {_cell(label)} |" for code, label in s.codes.values]
            out.append("")
    return out


def _render_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    defs = table_definitions()
    out = [
        "## Warehouse tables",
        "",
        (
            "Schemas: `ref` code lists, `core` validated facts, `ops` runs and quarantine, `mart` the "
            "one definition of every metric (tables rebuilt at every publish, views and macros)."
        ),
        "",
    ]
    tables = con.execute(
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_schema in ('ref', 'core', 'ops', 'mart') "
        "order by list_position(['ref', 'core', 'ops', 'mart'], table_schema), table_name"
    ).fetchall()
    for schema, name, ttype in tables:
        kind = "view" if ttype == "VIEW" else "table"
        out += [f"### `{schema}.{name}` ({kind})", ""]
        if defs.get(f"{schema}.{name}"):
            out += [_cell(defs[f"{schema}.{name}"]), ""]
        out += ["| column | type | nullable |", "|---|---|---|"]
        cols = con.execute(
            "select column_name, data_type, is_nullable from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
        out += [f"| `{c}` | {t} | {'yes' if n == 'YES' else 'no'} |" for c, t, n in cols]
        out.append("")
    macros = con.execute(
        "select function_name, function_type, parameters from duckdb_functions() "
        "where schema_name = 'mart' and function_type in ('macro', 'table_macro') order by function_name"
    ).fetchall()
    out += [
        "### Macros (`mart.*`)",
        "",
        "| macro | kind | parameters | definition |",
        "|---|---|---|---|",
    ]
    for name, ftype, params in macros:
        kind = "table macro" if ftype == "table_macro" else "scalar macro"
        out.append(
            f"| `mart.{name}` | {kind} | {', '.join(params)} | {_cell(defs.get(f'mart.{name}', ''))} |"
        )
    out.append("")
    return out


def _render_indicators(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select indicator_id, label_en, family, definition, unit, direction, aggregation, "
        "is_cumulative, levels, interreg_code from ref.indicator order by sort_order, indicator_id"
    ).fetchall()
    out = [
        "## KPIs (`ref.indicator`)",
        "",
        (
            "Aggregation rules: `sum` adds values, `count_distinct` counts distinct things, `latest` takes "
            "the latest value (never summed across periods), `ratio` recomputes numerator ÷ denominator "
            "(percentages are never averaged). Cumulative KPIs are never summed across periods."
        ),
        "",
        (
            "Targets (`core.target`): per KPI and scope (programme, network, cooperation mode, "
            "cooperation, city) with a deadline (`period_end`); yearly milestones are targets with "
            "an earlier deadline. A scorecard card is rated against the target of the scope its "
            "filters amount to that is due latest within the selected period (to date: the final "
            "target). Pro-rating a target to a shorter period: no KPI allows it (none by default); "
            "an unrated card carries `unrated_reason` and the fallback target instead."
        ),
        "",
        "| KPI | name | family | definition | unit | direction | aggregation | cumulative | levels | Interreg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            "| "
            + " | ".join(
                [
                    f"`{r[0]}`",
                    _cell(r[1]),
                    _cell(r[2]),
                    _cell(r[3]),
                    _cell(r[4]),
                    _cell(r[5]),
                    _cell(r[6]),
                    "yes" if r[7] else "no",
                    _cell(r[8]),
                    _cell(r[9] or "—"),
                ]
            )
            + " |"
        )
    out.append("")
    return out


def _render_metrics() -> list[str]:
    """Return the metric layer's declarations: every figure's rule, additivity and bases."""
    from pipelines.metrics.catalogue import METRICS, SOURCES

    out = [
        "## Metrics (`pipelines/metrics/catalogue.py`)",
        "",
        (
            "Every figure the product shows is one of these declarations; its SQL is built from it "
            "for the stored scorecard, the dashboard, exports and notebooks. Additivity: `sum` adds "
            "up over any dimension (but a place, when a row counts in several places); "
            "`distinct_count`, `ratio`, `median`, `index` and `bound` are recomputed for every "
            "selection and never added up; `stock` is a total to the period end, never added across "
            "periods. Geography (D12): `host_city` (an activity without a host counts where its "
            "participants come from, so a place breakdown of activities does not add up), "
            "`participant_city`, `cooperation_member` (an output's own city, else its cooperation's "
            "cities); under a region or country filter, a breakdown by city, country or region "
            "lists only the places the filter matches, a row counting in a place through its "
            "cities there that the filter matches, and a city's own figures (its profile) count "
            "nothing when the city is not in the places the filter matches. Time: `period` (dated "
            "in the period), `to_date` "
            "(up to the period end, capped "
            "at the data's as-of date, D4), `as_of` (evaluated at the period end or the as-of date, "
            "whichever is earlier). Settled choices: K12-K21 leave abandoned outputs out (D7 for "
            "K16/K18, and the same for the other output KPIs); the K03 plan leaves cancelled "
            "activities out (D8); K01, K11 and K22 count pairings, trios and clusters (D1); SDG tags "
            "are dated by their entity (an activity's end, an output's first stage date, a "
            "cooperation's start). Organisations (D6): participation rows may carry an "
            "`organisation_id` (one organisation per row). Where every organisation participation "
            "of a selection is identified, K05/K09 are the exact distinct count (`K05.identified`, "
            "the figure a target can rate); where some are, the figure is a range from the identified "
            "organisations (`K05.identified`: the unidentified ones may all be among them) to "
            "`K05.upper_bound` (identified + unidentified participations, each a different "
            "organisation), with the identified share (`K05.pct_identified`), never rated; where "
            'none is, it is "organisation participations" (`K05`, a sum) with `K05.lower_bound` '
            "beside it. `pipelines.queries.organisation_figures` applies the rule; every part is "
            "recounted for each selection, never added up."
        ),
        "",
        "| metric | KPI | measure | unit | additivity | geography | time | breakdowns | decision |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in METRICS.values():
        source = SOURCES[m.source]
        out.append(
            "| "
            + " | ".join(
                [
                    f"`{m.id}`",
                    _cell(m.indicator or "—"),
                    _cell(m.measure),
                    _cell(m.unit),
                    _cell(m.additivity.value),
                    _cell(source.geography.value),
                    _cell(m.time_basis.value),
                    _cell(", ".join(m.breakdowns) or "—"),
                    _cell(m.decision or "—"),
                ]
            )
            + " |"
        )
    out.append("")
    return out


def render() -> str:
    """Return the data dictionary as Markdown (deterministic: same code and reference data, same text).

    Example: ``Path("docs/data-dictionary.md").write_text(render())``
    """
    con = db.connect_memory()
    try:
        parts = [
            "# IURC Impact data dictionary",
            "",
            (
                "Generated by `python -m pipelines.export.dictionary` from the Pandera schemas (`schemas/`), "
                "the validation rules (`pipelines/ingest/validate.py`), the reference data (`data/reference/`) "
                "and the warehouse DDL and marts. Do not edit by hand."
            ),
            "",
            (
                "Contents: [Input files](#input-files-one-per-entity) · [Code lists](#code-lists) · "
                "[Warehouse tables](#warehouse-tables) · [KPIs](#kpis-refindicator) · "
                "[Metrics](#metrics-pipelinesmetricscataloguepy)"
            ),
            "",
        ]
        parts += _render_entities(con)
        parts += _render_code_lists(con)
        parts += _render_tables(con)
        parts += _render_indicators(con)
        parts += _render_metrics()
    finally:
        con.close()
    return "\n".join(parts).rstrip() + "\n"


def write(path: str | Path | None = None) -> Path:
    """Write the dictionary to `path` (default docs/data-dictionary.md); return the path."""
    target = Path(path) if path else DICTIONARY_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write())
