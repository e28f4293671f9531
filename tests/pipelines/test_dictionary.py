"""The data dictionary is generated from the schemas, the warehouse and ref.indicator."""

from __future__ import annotations

import duckdb

from pipelines.export import dictionary
from schemas import ENTITIES


def test_dictionary_committed_file_is_up_to_date() -> None:
    committed = dictionary.DICTIONARY_PATH.read_text(encoding="utf-8")
    assert committed == dictionary.render(), (
        "docs/data-dictionary.md is out of date: run `python -m pipelines.export.dictionary`"
    )


def test_dictionary_covers_every_entity_column_table_and_kpi() -> None:
    text = dictionary.render()
    for entity in ENTITIES.values():
        assert f"### {entity.name} → `core.{entity.name}`" in text
        for column in entity.columns:
            assert f"| `{column}` |" in text
    con = duckdb.connect(":memory:")
    from pipelines.warehouse import db

    db.prepare(con)
    tables = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('ref', 'core', 'ops', 'mart')"
    ).fetchall()
    for (table,) in tables:
        assert f"### `{table}`" in text
    for (kpi,) in con.execute("select indicator_id from ref.indicator").fetchall():
        assert f"| `{kpi}` |" in text
    con.close()


def test_dictionary_entity_columns_code_list_from_ref() -> None:
    con = dictionary.reference_connection()
    specs = {s.name: s for s in dictionary.entity_columns(ENTITIES["activity"], con)}
    assert specs["modality"].codes.source == "ref.modality.modality_id"
    codes = {c for c, _ in specs["modality"].codes.values}
    assert codes == {r[0] for r in con.execute("select modality_id from ref.modality").fetchall()}
    assert specs["status"].codes.source == "allowed values"
    assert specs["title"].codes is None
    assert specs["activity_id"].required and not specs["description"].required
    assert not specs["reported_date"].required  # defaulted at load
    assert "must not be before start_date" in specs["end_date"].rules
    con.close()


def test_dictionary_currency_codes_include_eur() -> None:
    con = dictionary.reference_connection()
    specs = {s.name: s for s in dictionary.entity_columns(ENTITIES["funding"], con)}
    assert specs["currency"].codes.values[0][0] == "EUR"
    con.close()


def test_dictionary_scope_id_has_no_single_code_list() -> None:
    con = dictionary.reference_connection()
    specs = {s.name: s for s in dictionary.entity_columns(ENTITIES["target"], con)}
    assert specs["scope_id"].codes is None
    con.close()
