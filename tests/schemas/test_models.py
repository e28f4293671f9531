"""The data contracts: registry, descriptions, the Pandera schemas built from them, and good
and bad rows per entity."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd
import pytest
from pandera.errors import SchemaErrors

from pipelines.ingest import validate
from pipelines.warehouse import db
from schemas import ENTITIES, entity_for_file_name
from schemas.columns import Check
from tests.fixtures.ingest.cases import BAD, GOOD, REQUIRED


def frame(entity: str, **changes: object) -> pd.DataFrame:
    row = {**GOOD[entity], **changes}
    df = pd.DataFrame([row])
    for col, column in ENTITIES[entity].fields.items():
        if column.kind == "date":
            df[col] = pd.to_datetime(df[col])
    return df


def failing_columns(entity: str, df: pd.DataFrame) -> set[str]:
    try:
        ENTITIES[entity].schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        return set(exc.failure_cases["column"].dropna())
    return set()


def test_registry_columns_match_the_warehouse_ddl() -> None:
    con = duckdb.connect()
    db.create_schema(con)
    for name, entity in ENTITIES.items():
        cols = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'core' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
        ]
        assert cols == [*entity.columns, "run_id"], name


def test_registry_load_order_and_keys_are_columns() -> None:
    assert [e.order for e in ENTITIES.values()] == sorted(e.order for e in ENTITIES.values())
    for entity in ENTITIES.values():
        assert set(entity.key) <= set(entity.columns)
        assert set(entity.defaulted) <= set(entity.columns)


def test_every_column_has_a_description() -> None:
    for entity in ENTITIES.values():
        for name, column in entity.fields.items():
            assert column.description and len(column.description) > 10, f"{entity.name}.{name}"


def test_every_check_has_a_sql_form_and_readable_rule() -> None:
    for entity in ENTITIES.values():
        for name, column in entity.fields.items():
            kind = column.kind
            for check in column.checks:
                assert validate.check_rule_text(check)
                assert validate.check_fail_sql(check, name, kind, validate.Params())


def test_unknown_check_kind_is_refused() -> None:
    check = Check("custom", {})
    with pytest.raises(ValueError, match="no SQL form"):
        validate.check_fail_sql(check, "x", "int", validate.Params())


@pytest.mark.parametrize(
    ("file_name", "entity"),
    [
        ("cities.csv", "city"),
        ("city_context_2024.xlsx", "city_context"),
        ("cooperations.csv", "cooperation"),
        ("cooperation_members_phase2.csv", "cooperation_member"),
        ("Activities_2024.CSV", "activity"),
        ("participations.json", "participation"),
        ("funding.csv", "funding"),
        ("sdg_alignments.csv", "sdg_alignment"),
    ],
)
def test_entity_from_file_name_takes_longest_prefix(file_name: str, entity: str) -> None:
    assert entity_for_file_name(file_name).name == entity


def test_entity_from_unknown_file_name_is_none() -> None:
    assert entity_for_file_name("budget.csv") is None


@pytest.mark.parametrize("entity", sorted(GOOD))
def test_model_accepts_good_row(entity: str) -> None:
    assert failing_columns(entity, frame(entity)) == set()


@pytest.mark.parametrize(("entity", "column", "value", "rule"), BAD, ids=lambda v: str(v)[:20])
def test_model_rejects_bad_value(entity: str, column: str, value: object, rule: str) -> None:
    assert column in failing_columns(entity, frame(entity, **{column: value}))


@pytest.mark.parametrize(("entity", "column", "value", "rule"), BAD, ids=lambda v: str(v)[:20])
def test_rule_text_names_the_broken_check(
    entity: str, column: str, value: object, rule: str
) -> None:
    df = frame(entity, **{column: value})
    failures = validate.pandera_failures(ENTITIES[entity], df)
    rules = failures.loc[failures["column"] == column, "rule"].tolist()
    assert any(rule in r for r in rules), rules


@pytest.mark.parametrize(("entity", "column"), REQUIRED)
def test_model_requires_column(entity: str, column: str) -> None:
    failures = validate.pandera_failures(ENTITIES[entity], frame(entity, **{column: None}))
    assert (failures["column"] == column).any()
    assert "is required" in failures.loc[failures["column"] == column, "rule"].tolist()


@pytest.mark.parametrize("entity", sorted(GOOD))
def test_model_is_strict_about_extra_columns(entity: str) -> None:
    df = frame(entity).assign(unexpected="x")
    with pytest.raises(SchemaErrors):
        ENTITIES[entity].schema.validate(df, lazy=True)


def test_pandera_schema_is_built_from_the_contract() -> None:
    # one source of truth: the Pandera schema has the contract's columns, order, nullability,
    # descriptions and checks (same names and statistics), strict and coercing
    for entity in ENTITIES.values():
        schema = entity.schema
        assert schema.strict is True and schema.coerce is True
        assert schema.description == entity.description
        assert list(schema.columns) == entity.columns
        for name, column in entity.fields.items():
            built = schema.columns[name]
            assert built.nullable == column.nullable, name
            assert built.description == column.description, name
            assert [(c.name, _set(c.statistics)) for c in built.checks] == [
                (c.name, _set(c.statistics)) for c in column.checks
            ], name


def _set(statistics: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in statistics.items() if v is not None}
