"""Validate staged rows in DuckDB: the data contracts compiled to SQL, plus the rules Pandera
cannot make alone (code lists, references, date order, cross-field and set-level rules).

Design (this must scale to 10 million rows, so there are no per-row Python loops):

* The reader stages every file as text in a table ``stage`` (one column per input column, plus
  ``_line``). ``check_stage`` compiles the entity's contract (`schemas.columns`: types, nullability, ranges,
  patterns, lengths, allowed values) and the entity's cross-table rules into one SQL statement
  that types every row and collects *every* failure as ``{column, rule, value}`` structs into a
  table ``checked``. The SQL and Pandera cannot drift apart: both are generated from the
  contract, an unknown check kind is an error, and tests compare both on the same rows.
* Set-level rules run next, on the typed rows: duplicate natural keys within the file (the first
  copy is kept, later copies are quarantined with "duplicate key of line N") and one primary SDG
  per entity (file + warehouse).
* Pandera itself then validates the rows that passed, in chunks (every row of a file up to
  ``PANDERA_FULL_ROWS`` rows; above that, a repeatable sample of ``PANDERA_SAMPLE_ROWS`` rows,
  because the SQL generated from the same model has already applied every rule to every row).
  Anything it finds is added to the row's reasons, so validation is never looser than the model.
* Text is typed here, not by Pandera: whole numbers are an optional sign and digits, numbers
  plain decimals (a decimal comma is accepted in semicolon-separated files), dates ISO
  YYYY-MM-DD, booleans true/false/yes/no/1/0; Pandera then sees typed frames.

Values reach SQL as parameters; identifiers come only from the schema registry (allow-list).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from pipelines import config
from pipelines.warehouse.db import one_row, q
from schemas import Column, Entity
from schemas.columns import Check
from schemas.fields import PATTERN_RULES

PANDERA_FULL_ROWS = 100_000
PANDERA_SAMPLE_ROWS = 20_000
PANDERA_CHUNK_ROWS = 50_000
VALUE_SHOWN_CHARS = 80

INT_RE = r"^[+-]?[0-9]+$"
FLOAT_RE = r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$"
DECIMAL_COMMA_RE = r"^[+-]?[0-9]+,[0-9]+$"
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TRUE_WORDS = ["true", "t", "yes", "y", "1"]
FALSE_WORDS = ["false", "f", "no", "n", "0"]
WHITESPACE = " \t\r\n"

TYPE_RULES = {
    "int": "must be a whole number",
    "float": "must be a number",
    "date": "must be a date YYYY-MM-DD",
    "bool": "must be true or false",
}
REQUIRED_RULE = "is required"


class Params:
    """Collects SQL parameter values and hands out their `$name` placeholders."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"


@dataclass
class Rule:
    """A row rule: `fail` is a SQL condition over the typed row `t` (and joined lookups)."""

    column: str | None
    rule: str
    fail: str
    value: str  # SQL expression shown in the message


@dataclass
class EntitySql:
    """Entity-specific SQL parts added to the compiled model rules."""

    joins: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)  # column -> final SQL expression


def sql_type(kind: str) -> str:
    """Return the DuckDB type of a column kind."""
    return {
        "text": "VARCHAR",
        "int": "BIGINT",
        "float": "DOUBLE",
        "bool": "BOOLEAN",
        "date": "DATE",
    }[kind]


def _display(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_rule_text(check: Check) -> str:
    """Return the readable rule of a contract check (used by the SQL and the Pandera path)."""
    stats = check.statistics or {}
    name = check.name
    if name == "greater_than_or_equal_to":
        return f"must be >= {_display(stats['min_value'])}"
    if name == "less_than_or_equal_to":
        return f"must be <= {_display(stats['max_value'])}"
    if name == "greater_than":
        return f"must be > {_display(stats['min_value'])}"
    if name == "less_than":
        return f"must be < {_display(stats['max_value'])}"
    if name == "in_range":
        return f"must be between {_display(stats['min_value'])} and {_display(stats['max_value'])}"
    if name == "isin":
        return "must be one of " + ", ".join(str(v) for v in stats["allowed_values"])
    if name == "str_matches":
        pattern = stats["pattern"]
        pattern = getattr(pattern, "pattern", pattern)
        return PATTERN_RULES.get(pattern, f"must match {pattern}")
    if name == "str_length":
        lo, hi = stats.get("min_value"), stats.get("max_value")
        if lo and hi:
            return f"must be {lo} to {hi} characters"
        if hi:
            return f"must be at most {hi} characters"
        return f"must be at least {lo} characters"
    raise ValueError(f"check {name} has no SQL form: add it to pipelines.ingest.validate")


def _literal_for(value: Any, kind: str, p: Params) -> str:
    if kind == "date":
        return f"CAST({p(pd.Timestamp(value).date().isoformat())} AS DATE)"
    if kind in ("int", "float"):
        return f"CAST({p(float(value))} AS DOUBLE)" if kind == "float" else p(int(value))
    return p(value)


def check_fail_sql(check: Check, col: str, kind: str, p: Params) -> str:
    """Return the SQL condition that is true when typed column `col` fails the check."""
    stats = check.statistics or {}
    c = f"t.{q(col)}"
    name = check.name
    if name == "greater_than_or_equal_to":
        return f"{c} < {_literal_for(stats['min_value'], kind, p)}"
    if name == "less_than_or_equal_to":
        return f"{c} > {_literal_for(stats['max_value'], kind, p)}"
    if name == "greater_than":
        return f"{c} <= {_literal_for(stats['min_value'], kind, p)}"
    if name == "less_than":
        return f"{c} >= {_literal_for(stats['max_value'], kind, p)}"
    if name == "in_range":
        lo = _literal_for(stats["min_value"], kind, p)
        hi = _literal_for(stats["max_value"], kind, p)
        lo_op = "<" if stats.get("include_min", True) else "<="
        hi_op = ">" if stats.get("include_max", True) else ">="
        return f"({c} {lo_op} {lo} OR {c} {hi_op} {hi})"
    if name == "isin":
        return f"NOT list_contains({p(list(stats['allowed_values']))}, {c})"
    if name == "str_matches":
        pattern = stats["pattern"]
        return f"NOT regexp_full_match({c}, {p(getattr(pattern, 'pattern', pattern))})"
    if name == "str_length":
        parts = []
        if stats.get("min_value") is not None:
            parts.append(f"length({c}) < {p(int(stats['min_value']))}")
        if stats.get("max_value") is not None:
            limit = p(int(stats["max_value"]))
            # strlen (bytes, O(1)) >= length (characters): only long values are counted
            parts.append(f"(strlen({c}) > {limit} AND length({c}) > {limit})")
        return "(" + " OR ".join(parts) + ")"
    raise ValueError(f"check {name} has no SQL form: add it to pipelines.ingest.validate")


def gate_pattern(column: Column) -> str | None:
    """Return the regex that a clean value of this column matches (its type or first pattern).

    Each value is matched against it once; whitespace trimming and the rules that need the regex
    again run only for the values that do not match, so clean data pays one regex per column.
    """
    kind = column.kind
    if kind == "int":
        return INT_RE
    if kind == "float":
        return FLOAT_RE
    if kind == "date":
        return DATE_RE
    if kind == "text":
        for check in column.checks:
            if check.name == "str_matches":
                pattern = check.statistics["pattern"]
                return str(getattr(pattern, "pattern", pattern))
    return None


def typed_sql(
    col: str, kind: str, p: Params, *, decimal_comma: bool = False, gated: bool = False
) -> str:
    """Return the SQL expression typing cleaned text column raw__col (NULL when it does not parse).

    With `gated`, column ok__col says the raw value already matched the type's regex.
    """
    r = q("raw__" + col)
    ok = q("ok__" + col)
    if kind == "text":
        return r
    if kind == "int":
        cast = f"TRY_CAST({r} AS BIGINT)"
        full = f"CASE WHEN regexp_full_match({r}, {p(INT_RE)}) THEN {cast} END"
        return f"CASE WHEN {ok} THEN {cast} ELSE {full} END" if gated else full
    if kind == "float":
        text = r
        if decimal_comma:
            text = (
                f"CASE WHEN regexp_full_match({r}, {p(DECIMAL_COMMA_RE)}) "
                f"THEN replace({r}, ',', '.') ELSE {r} END"
            )
        full = (
            f"CASE WHEN regexp_full_match({text}, {p(FLOAT_RE)}) THEN "
            f"CASE WHEN isfinite(TRY_CAST({text} AS DOUBLE)) THEN TRY_CAST({text} AS DOUBLE) END END"
        )
        fast = f"CASE WHEN isfinite(TRY_CAST({r} AS DOUBLE)) THEN TRY_CAST({r} AS DOUBLE) END"
        return f"CASE WHEN {ok} THEN {fast} ELSE {full} END" if gated else full
    if kind == "date":
        cast = f"TRY_CAST({r} AS DATE)"
        full = f"CASE WHEN regexp_full_match({r}, {p(DATE_RE)}) THEN {cast} END"
        return f"CASE WHEN {ok} THEN {cast} ELSE {full} END" if gated else full
    if kind == "bool":
        return (
            f"CASE WHEN list_contains({p(TRUE_WORDS)}, lower({r})) THEN true "
            f"WHEN list_contains({p(FALSE_WORDS)}, lower({r})) THEN false END"
        )
    raise ValueError(kind)


def model_rules(entity: Entity, p: Params, *, gated: bool = False) -> list[Rule]:
    """Return the rules of the entity's contract: required, type, then each check."""
    rules: list[Rule] = []
    for col, column in entity.fields.items():
        kind = column.kind
        raw = f"t.{q('raw__' + col)}"
        if not column.nullable:
            rules.append(Rule(col, REQUIRED_RULE, f"{raw} IS NULL", "NULL"))
        if kind != "text":
            rules.append(
                Rule(col, TYPE_RULES[kind], f"{raw} IS NOT NULL AND t.{q(col)} IS NULL", raw)
            )
        gate = gate_pattern(column) if gated else None
        for check in column.checks:
            fail = check_fail_sql(check, col, kind, p)
            if check.name == "str_matches" and gate is not None:
                # only values that failed the gate regex are matched again (after trimming)
                fail = f"NOT t.{q('ok__' + col)} AND {fail}"
            rules.append(Rule(col, check_rule_text(check), fail, raw))
    return rules


# ---------------------------------------------------------------- cross-table rules per entity


def _code(col: str, table: str, key: str, what: str, alias: str, joins: list[str]) -> Rule:
    """A code-list rule: t.col must be in table.key (table and key from the allow-list below)."""
    joins.append(
        f"LEFT JOIN (SELECT DISTINCT {q(key)} AS k FROM {table}) {alias} ON {alias}.k = t.{q(col)}"
    )
    return Rule(
        col, f"unknown {what}", f"t.{q(col)} IS NOT NULL AND {alias}.k IS NULL", f"t.{q(col)}"
    )


def _future(
    col: str, p: Params, rule: str = "must not be in the future", when: str = "true"
) -> Rule:
    return Rule(
        col, rule, f"({when}) AND t.{q(col)} > {p_today(p)}", f"CAST(t.{q(col)} AS VARCHAR)"
    )


def _not_before(col: str, other: str) -> Rule:
    return Rule(
        col,
        f"must not be before {other}",
        f"t.{q(col)} < t.{q(other)}",
        f"CAST(t.{q(col)} AS VARCHAR)",
    )


def p_today(p: Params) -> str:
    """Return the placeholder of today's date (one parameter per statement)."""
    if "today" not in p.values:
        p.values["today"] = TODAY.get()
    return "CAST($today AS DATE)"


class _Today:
    """Today's date as ISO text; tests may pin it."""

    value: dt.date | None = None

    def get(self) -> str:
        return (self.value or dt.date.today()).isoformat()


TODAY = _Today()


def _scope_rules(p: Params, joins: list[str]) -> list[Rule]:
    joins.append(
        "LEFT JOIN (SELECT DISTINCT network_id AS k FROM ref.network) sn ON sn.k = t.scope_id"
    )
    joins.append(
        "LEFT JOIN (SELECT DISTINCT cooperation_id AS k FROM core.cooperation) sc ON sc.k = t.scope_id"
    )
    joins.append("LEFT JOIN (SELECT DISTINCT city_id AS k FROM core.city) sy ON sy.k = t.scope_id")
    joins.append(
        "LEFT JOIN (SELECT DISTINCT mode_id AS k FROM ref.cooperation_mode) sm ON sm.k = t.scope_id"
    )
    programme = p(config.PROGRAMME_ID)
    fail = (
        "t.scope_id IS NOT NULL AND CASE t.scope_type "
        f"WHEN 'programme' THEN t.scope_id <> {programme} "
        "WHEN 'network' THEN sn.k IS NULL "
        "WHEN 'mode' THEN sm.k IS NULL "
        "WHEN 'cooperation' THEN sc.k IS NULL "
        "WHEN 'city' THEN sy.k IS NULL ELSE false END"
    )
    return [
        _code("indicator_id", "ref.indicator", "indicator_id", "indicator", "ri", joins),
        Rule(
            "scope_id",
            "unknown scope for scope_type",
            fail,
            "concat(t.scope_type, ' ', t.scope_id)",
        ),
    ]


def entity_sql(entity: Entity, p: Params) -> EntitySql:
    """Return the entity's code-list, reference, date-order and cross-field rules."""
    e = EntitySql()
    j = e.joins
    name = entity.name
    if name == "city":
        j.append("LEFT JOIN ref.country rc ON rc.country_iso2 = t.country_iso2")
        e.rules += [
            Rule(
                "country_iso2",
                "unknown country",
                "t.country_iso2 IS NOT NULL AND rc.country_iso2 IS NULL",
                "t.country_iso2",
            ),
            Rule(
                "region",
                "does not match the country's region",
                "rc.region IS NOT NULL AND t.region <> rc.region",
                "concat(t.region, ' vs ', rc.region)",
            ),
            Rule(
                "population_year",
                "must not be in the future",
                f"t.population_year > year({p_today(p)})",
                "CAST(t.population_year AS VARCHAR)",
            ),
        ]
    elif name == "cooperation":
        e.rules += [
            _code("mode", "ref.cooperation_mode", "mode_id", "cooperation mode", "rm", j),
            _code("network_id", "ref.network", "network_id", "network", "rn", j),
            _not_before("support_end_date", "start_date"),
        ]
    elif name == "cooperation_member":
        e.rules += [
            _code("cooperation_id", "core.cooperation", "cooperation_id", "cooperation", "cc", j),
            _code("city_id", "core.city", "city_id", "city", "cy", j),
        ]
    elif name == "activity":
        j.append("LEFT JOIN ref.subtheme rs ON rs.subtheme_id = t.subtheme_id")
        e.rules += [
            _code(
                "activity_type", "ref.activity_type", "activity_type_id", "activity type", "rat", j
            ),
            _code("modality", "ref.modality", "modality_id", "modality", "rmo", j),
            _code("network_id", "ref.network", "network_id", "network", "rn", j),
            Rule(
                "subtheme_id",
                "unknown subtheme",
                "t.subtheme_id IS NOT NULL AND rs.subtheme_id IS NULL",
                "t.subtheme_id",
            ),
            Rule(
                "subtheme_id",
                "does not belong to network_id",
                "rs.network_id IS NOT NULL AND rs.network_id <> t.network_id",
                "concat(t.subtheme_id, ' in ', t.network_id)",
            ),
            _code(
                "cross_cutting_id",
                "ref.cross_cutting",
                "cross_cutting_id",
                "cross-cutting challenge",
                "rcc",
                j,
            ),
            _code("cooperation_id", "core.cooperation", "cooperation_id", "cooperation", "cc", j),
            _code("host_city_id", "core.city", "city_id", "city", "cy", j),
            _not_before("end_date", "start_date"),
            _future(
                "end_date",
                p,
                "a completed activity cannot end in the future",
                "t.status = 'completed'",
            ),
            _future("reported_date", p),
        ]
    elif name == "participation":
        e.rules += [
            _code("activity_id", "core.activity", "activity_id", "activity", "ca", j),
            _code("city_id", "core.city", "city_id", "city", "cy", j),
            _code(
                "stakeholder_type",
                "ref.stakeholder_type",
                "stakeholder_type_id",
                "stakeholder type",
                "rst",
                j,
            ),
            Rule(
                "women",
                "must not exceed participants",
                "t.women > t.participants",
                "concat(t.women, ' > ', t.participants)",
            ),
            Rule(
                "completions",
                "must not exceed participants",
                "t.completions > t.participants",
                "concat(t.completions, ' > ', t.participants)",
            ),
            Rule(
                "organisations",
                "must be 1 or empty when organisation_id is given (the row is one organisation)",
                "t.organisation_id IS NOT NULL AND t.organisations <> 1",
                "concat(t.organisations, ' organisations for ', t.organisation_id)",
            ),
        ]
    elif name == "output":
        j.append("LEFT JOIN ref.output_status os ON os.status_id = t.status")
        e.rules += [
            _code("output_type", "ref.output_type", "output_type_id", "output type", "rot", j),
            Rule(
                "status",
                "unknown output status",
                "t.status IS NOT NULL AND os.status_id IS NULL",
                "t.status",
            ),
            _code("cooperation_id", "core.cooperation", "cooperation_id", "cooperation", "cc", j),
            _code("city_id", "core.city", "city_id", "city", "cy", j),
            _code("network_id", "ref.network", "network_id", "network", "rn", j),
            _code("activity_id", "core.activity", "activity_id", "activity", "ca", j),
            _code("framework_id", "ref.framework", "framework_id", "framework", "rf", j),
        ]
        e.rules += output_stage_rules(p)
    elif name == "output_adoption":
        j.append("LEFT JOIN core.output oo ON oo.output_id = t.output_id")
        j.append(
            "LEFT JOIN core.cooperation_member ocm "
            "ON ocm.cooperation_id = oo.cooperation_id AND ocm.city_id = t.city_id"
        )
        e.rules += [
            _code("output_id", "core.output", "output_id", "output", "co", j),
            _code("city_id", "core.city", "city_id", "city", "cy", j),
            Rule(
                "city_id",
                "is one of the output's own cities (take-up is by another city)",
                "t.city_id IS NOT NULL AND (oo.city_id = t.city_id OR ocm.city_id IS NOT NULL)",
                "concat(t.city_id, ' in ', t.output_id)",
            ),
            _future("adopted_date", p),
        ]
    elif name == "funding":
        j.append(
            "LEFT JOIN ref.fx_rate fx ON fx.currency = t.currency "
            "AND fx.year = year(t.committed_date)"
        )
        j.append(
            "LEFT JOIN (SELECT DISTINCT currency AS k FROM ref.fx_rate) fc ON fc.k = t.currency"
        )
        converted = (
            "CASE WHEN t.currency = 'EUR' THEN t.amount ELSE t.amount / fx.units_per_eur END"
        )
        e.overrides["amount_eur"] = f"coalesce(t.amount_eur, {converted})"
        e.rules += [
            _code("output_id", "core.output", "output_id", "output", "co", j),
            Rule(
                "currency",
                "unknown currency (not EUR nor in ref.fx_rate)",
                "t.currency IS NOT NULL AND t.currency <> 'EUR' AND fc.k IS NULL",
                "t.currency",
            ),
            Rule(
                "amount_eur",
                "empty and no exchange rate for the currency and year",
                "t.amount_eur IS NULL AND t.raw__amount_eur IS NULL AND t.currency <> 'EUR' "
                "AND fc.k IS NOT NULL AND fx.units_per_eur IS NULL AND t.committed_date IS NOT NULL",
                "concat(t.currency, ' ', year(t.committed_date))",
            ),
            Rule(
                "amount_eur",
                "differs by more than 5 % from amount at the year's exchange rate",
                f"t.amount_eur IS NOT NULL AND ({converted}) IS NOT NULL "
                f"AND abs(t.amount_eur - ({converted})) > 0.05 * abs({converted})",
                f"concat(t.amount_eur, ' vs ', round({converted}, 2))",
            ),
            _code(
                "source_type", "ref.funding_source", "source_type_id", "funding source", "rfs", j
            ),
            _future("committed_date", p),
        ]
    elif name == "target":
        e.rules += _scope_rules(p, j)
    elif name == "observation":
        e.rules += _scope_rules(p, j)
        e.rules += [
            _not_before("period_end", "period_start"),
            _future(
                "period_start",
                p,
                "an actual value cannot start in the future",
                "t.value_kind = 'actual'",
            ),
        ]
    elif name == "sdg_alignment":
        j.append("LEFT JOIN ref.sdg_target rt ON rt.target_id = t.target_id")
        j.append(
            "LEFT JOIN (SELECT DISTINCT activity_id AS k FROM core.activity) ea ON ea.k = t.entity_id"
        )
        j.append(
            "LEFT JOIN (SELECT DISTINCT output_id AS k FROM core.output) eo ON eo.k = t.entity_id"
        )
        j.append(
            "LEFT JOIN (SELECT DISTINCT cooperation_id AS k FROM core.cooperation) ec ON ec.k = t.entity_id"
        )
        e.rules += [
            Rule(
                "entity_id",
                "unknown entity for entity_type",
                "t.entity_id IS NOT NULL AND CASE t.entity_type WHEN 'activity' THEN ea.k IS NULL "
                "WHEN 'output' THEN eo.k IS NULL WHEN 'cooperation' THEN ec.k IS NULL ELSE false END",
                "concat(t.entity_type, ' ', t.entity_id)",
            ),
            _code("goal", "ref.sdg_goal", "goal", "SDG goal", "rg", j),
            Rule(
                "target_id",
                "unknown SDG target",
                "t.target_id IS NOT NULL AND rt.target_id IS NULL",
                "t.target_id",
            ),
            Rule(
                "target_id",
                "does not belong to goal",
                "rt.goal IS NOT NULL AND rt.goal <> t.goal",
                "concat(t.target_id, ' not in goal ', t.goal)",
            ),
        ]
    elif name == "city_context":
        e.rules += [
            _code("city_id", "core.city", "city_id", "city", "cy", j),
            Rule(
                "year",
                "must not be in the future",
                f"t.year > year({p_today(p)})",
                "CAST(t.year AS VARCHAR)",
            ),
        ]
    else:  # pragma: no cover - the registry is the allow-list
        raise ValueError(f"no rules for entity {name}")
    return e


#: output lifecycle stages (ref.output_status ids, in order) and their date columns
OUTPUT_STAGES = ["planned", "developed", "implemented", "adopted"]
ABANDONED = "abandoned"


def output_stage_rules(p: Params) -> list[Rule]:
    """Status/date consistency of outputs: a status needs its own and earlier stage dates, no later
    stage date, and stage dates in order; abandoned accepts any dates. Done stages are not future."""
    rules: list[Rule] = []
    live = f"os.stage IS NOT NULL AND t.status <> {p(ABANDONED)}"
    for index, stage in enumerate(OUTPUT_STAGES):
        col = f"{stage}_date"
        c = f"t.{q(col)}"
        number = f"(SELECT min(stage) FROM ref.output_status WHERE status_id = {p(stage)})"
        rules.append(
            Rule(
                col,
                "required by the status",
                f"{live} AND os.stage >= {number} AND {c} IS NULL",
                "t.status",
            )
        )
        rules.append(
            Rule(
                col,
                "not allowed before the output reaches this stage",
                f"{live} AND os.stage < {number} AND {c} IS NOT NULL",
                f"concat(t.status, ' ', {c})",
            )
        )
        earlier = [f"t.{q(other + '_date')}" for other in OUTPUT_STAGES[:index]]
        if earlier:
            rules.append(
                Rule(
                    col,
                    "must not be before an earlier stage's date",
                    f"{c} < greatest({', '.join(earlier)})",
                    f"CAST({c} AS VARCHAR)",
                )
            )
        if index > 0:
            rules.append(_future(col, p))
    return rules


# ---------------------------------------------------------------- the statement


@dataclass
class CheckResult:
    """Counts of a validation: rows staged, rows passing, rows failing."""

    rows: int
    good: int
    bad: int


def check_sql(
    entity: Entity, present: list[str], *, decimal_comma: bool = False
) -> tuple[str, dict[str, Any]]:
    """Return the SQL (and its parameters) that builds temp table `checked` from `stage`."""
    p = Params()
    columns = entity.fields
    gate_parts = ["s.*"]
    clean_parts = ["g._line", "g._read_reasons"]
    for col, column in columns.items():
        gate = gate_pattern(column)
        ok = q("ok__" + col)
        if col not in present:
            cleaned = "CAST(NULL AS VARCHAR)"
            gate_parts.append(f"false AS {ok}")
        else:
            raw = f"g.{q(col)}"
            trimmed = f"nullif(trim({raw}, {p(WHITESPACE)}), '')"
            if gate is not None:
                gate_parts.append(
                    f"coalesce(regexp_full_match(s.{q(col)}, {p(gate)}), false) AS {ok}"
                )
                cleaned = f"CASE WHEN {ok} THEN {raw} ELSE {trimmed} END"
            else:
                gate_parts.append(f"false AS {ok}")
                # trim only values that start or end with a blank or control character
                cleaned = (
                    f"CASE WHEN ascii({raw}) > 32 AND ascii(right({raw}, 1)) > 32 THEN {raw} "
                    f"ELSE {trimmed} END"
                )
        if col in entity.defaulted and col == "reported_date":
            cleaned = f"coalesce({cleaned}, {p(TODAY.get())})"
        clean_parts.append(f"{cleaned} AS {q('raw__' + col)}")
        clean_parts.append(ok)
    typed_parts = ["c.*"]
    for col, column in columns.items():
        kind = column.kind
        typed = typed_sql(col, kind, p, decimal_comma=decimal_comma, gated=True)
        typed_parts.append(f"{typed} AS {q(col)}")

    rules = model_rules(entity, p, gated=True)
    extra = entity_sql(entity, p)
    rules += extra.rules
    fails = [f"({r.fail})" for r in rules]  # NULL counts as not failing, in OR and CASE
    structs = [
        f"CASE WHEN {fail} THEN {{'column': {p(r.column)}, 'rule': {p(r.rule)}, "
        f"'value': left(CAST(({r.value}) AS VARCHAR), {VALUE_SHOWN_CHARS})}} END"
        for fail, r in zip(fails, rules, strict=True)
    ]
    final_cols = [f"{extra.overrides.get(col, 't.' + q(col))} AS {q(col)}" for col in columns]
    sql = f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        WITH g AS (SELECT {", ".join(gate_parts)} FROM stage s),
        c AS (SELECT {", ".join(clean_parts)} FROM g),
        t AS (SELECT {", ".join(typed_parts)} FROM c)
        SELECT t._line, {", ".join(final_cols)},
            CASE WHEN t._read_reasons IS NOT NULL OR {" OR ".join(fails)}
                THEN list_concat(coalesce(t._read_reasons, []),
                                 list_filter([{", ".join(structs)}], lambda x: x IS NOT NULL))
                ELSE []
            END AS reasons
        FROM t {" ".join(extra.joins)}
    """
    return sql, p.values


def check_stage(
    con: duckdb.DuckDBPyConnection,
    entity: Entity,
    present: list[str],
    *,
    decimal_comma: bool = False,
) -> CheckResult:
    """Type and validate table `stage` into temp table `checked`; return the counts.

    `checked` holds `_line`, every model column typed, and `reasons` (a list of
    {column, rule, value} structs, empty for good rows). `present` lists the model columns the
    file had; absent optional columns are NULL (defaulted ones get their default).
    """
    sql, params = check_sql(entity, present, decimal_comma=decimal_comma)
    con.execute(sql, params)
    set_rules(con, entity)
    rows, bad = one_row(
        con, "SELECT count(*), count(*) FILTER (WHERE len(reasons) > 0) FROM checked"
    )
    return CheckResult(rows=rows, good=rows - bad, bad=bad)


def _add_reasons(con: duckdb.DuckDBPyConnection, extra_table: str) -> None:
    """Append the reasons of table (`_line`, `reasons`) to the matching rows of `checked`."""
    con.execute(
        f"UPDATE checked SET reasons = list_concat(checked.reasons, x.reasons) "
        f"FROM {extra_table} x WHERE checked._line = x._line"
    )


def set_rules(con: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    """Apply the rules over sets of rows: duplicate keys in the file, one primary SDG per entity."""
    fields = entity.fields
    key = [q(k) for k in entity.key]
    required_key = [q(k) for k in entity.key if not fields[k].nullable]
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in required_key) or "true"
    key_list = ", ".join(key)
    label = ",".join(entity.key)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dup_keys AS
        SELECT {key_list}, min(_line) AS first_line
        FROM checked WHERE {not_null}
        GROUP BY ALL HAVING count(*) > 1
        """
    )
    if one_row(con, "SELECT count(*) FROM dup_keys")[0]:
        on = " AND ".join(f"c.{k} IS NOT DISTINCT FROM d.{k}" for k in key)
        shown = " || '|' || ".join(f"coalesce(CAST(c.{k} AS VARCHAR), '')" for k in key)
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE dup_reasons AS
            SELECT c._line, [{{'column': $label, 'rule': 'duplicate key of line ' || d.first_line,
                               'value': left({shown}, {VALUE_SHOWN_CHARS})}}] AS reasons
            FROM checked c JOIN dup_keys d ON {on}
            WHERE c._line > d.first_line
            """,
            {"label": label},
        )
        _add_reasons(con, "dup_reasons")
    if entity.name == "sdg_alignment":
        _one_primary(con, key)


def _one_primary(con: duckdb.DuckDBPyConnection, key: list[str]) -> None:
    """Quarantine primary tags of an entity that would end up with more than one primary goal.

    A rejected tag is no claim, so it does not count; a goal-level and a target-level primary
    tag of the same goal are one primary goal.
    """
    on = " AND ".join(f"w.{k} IS NOT DISTINCT FROM f.{k}" for k in key)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE primary_reasons AS
        WITH file_rows AS (
            SELECT * FROM checked WHERE len(reasons) = 0
        ), kept AS (
            SELECT w.entity_type, w.entity_id, w.goal, w.is_primary, w.status
            FROM core.sdg_alignment w
            WHERE NOT EXISTS (SELECT 1 FROM file_rows f WHERE {on})
            UNION ALL
            SELECT entity_type, entity_id, goal, is_primary, status FROM file_rows
        ), crowded AS (
            SELECT entity_type, entity_id,
                   string_agg(DISTINCT CAST(goal AS VARCHAR), ', ' ORDER BY CAST(goal AS VARCHAR)) AS goals
            FROM kept WHERE is_primary AND status <> 'rejected'
            GROUP BY ALL HAVING count(DISTINCT goal) > 1
        )
        SELECT f._line, [{{'column': 'is_primary',
                           'rule': 'more than one primary SDG for the entity',
                           'value': f.entity_type || ' ' || f.entity_id || ': goals ' || c.goals}}]
               AS reasons
        FROM file_rows f JOIN crowded c USING (entity_type, entity_id)
        WHERE f.is_primary AND f.status <> 'rejected'
        """
    )
    _add_reasons(con, "primary_reasons")


# ---------------------------------------------------------------- Pandera itself


def pandera_failures(entity: Entity, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a typed frame (index = line) with the entity's Pandera schema.

    Returns one row per failure: `_line`, `column`, `rule`, `value` (empty when all pass).
    Pandera is imported here, on the first validation, not when the module is imported.
    """
    from pandera.errors import SchemaErrors

    try:
        entity.schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        out = []
        for case in cases.itertuples(index=False):
            col = case.column if isinstance(case.column, str) else None
            out.append(
                {
                    "_line": None if pd.isna(case.index) else int(case.index),
                    "column": col,
                    "rule": _pandera_rule(entity, col, str(case.check), case.check_number),
                    "value": None
                    if pd.isna(case.failure_case)
                    else str(case.failure_case)[:VALUE_SHOWN_CHARS],
                }
            )
        return pd.DataFrame(out, columns=["_line", "column", "rule", "value"])
    return pd.DataFrame(columns=["_line", "column", "rule", "value"])


def _pandera_rule(entity: Entity, col: str | None, check: str, number: Any) -> str:
    if check == "not_nullable":
        return REQUIRED_RULE
    if col in entity.fields:
        column = entity.fields[col]
        if check.startswith(("coerce_dtype", "dtype")):
            return TYPE_RULES.get(column.kind, check)
        if number is not None and not pd.isna(number) and int(number) < len(column.checks):
            return check_rule_text(column.checks[int(number)])
    return check


def pandera_pass(con: duckdb.DuckDBPyConnection, entity: Entity, good_rows: int) -> int:
    """Run Pandera on the rows that passed the SQL rules; add what it finds; return rows checked.

    Files with at most PANDERA_FULL_ROWS good rows are checked row by row in full; bigger files
    by a repeatable sample of PANDERA_SAMPLE_ROWS rows, because the SQL generated from the same
    model has already applied every rule to every row (a parity check, not the only gate).
    """
    cols = ", ".join(q(c) for c in entity.columns)
    if good_rows <= PANDERA_FULL_ROWS:
        source = "(SELECT * FROM checked WHERE len(reasons) = 0)"
    else:
        source = (
            "(SELECT * FROM checked WHERE len(reasons) = 0 "
            f"USING SAMPLE reservoir({int(PANDERA_SAMPLE_ROWS)} ROWS) REPEATABLE (42))"
        )
    con.execute(f"CREATE OR REPLACE TEMP TABLE pandera_rows AS SELECT _line, {cols} FROM {source}")
    total = one_row(con, "SELECT count(*) FROM pandera_rows")[0]
    found: list[pd.DataFrame] = []
    for offset in range(0, total, PANDERA_CHUNK_ROWS):
        frame = con.execute(
            f"SELECT _line, {cols} FROM pandera_rows ORDER BY _line "
            f"LIMIT {int(PANDERA_CHUNK_ROWS)} OFFSET {int(offset)}"
        ).df()
        frame = frame.set_index("_line")
        frame.index.name = None
        failures = pandera_failures(entity, frame)
        if len(failures):
            found.append(failures)
    con.execute("DROP TABLE IF EXISTS pandera_rows")
    if found:
        failures = pd.concat(found, ignore_index=True).dropna(subset=["_line"])
        failures["_line"] = failures["_line"].astype("int64")
        con.register("pandera_failures_df", failures)
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE pandera_reasons AS
            SELECT _line, list({'column': "column", 'rule': rule, 'value': value}) AS reasons
            FROM pandera_failures_df GROUP BY _line
            """
        )
        con.unregister("pandera_failures_df")
        _add_reasons(con, "pandera_reasons")
    return int(total)
