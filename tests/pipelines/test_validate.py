"""Row validation in SQL: the compiled model rules (parity with Pandera) and the cross-table,
date-order and set-level rules, on a warehouse holding the hand-written fixtures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.ingest import read, validate
from schemas import ENTITIES
from tests.fixtures.ingest import loaded_warehouse
from tests.fixtures.ingest.cases import BAD, GOOD, REQUIRED, as_text

TODAY = dt.date.today()
NEXT_YEAR = TODAY.replace(year=TODAY.year + 1, day=min(TODAY.day, 28))


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = loaded_warehouse()
    yield connection
    connection.close()


def check_rows(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    entity: str,
    rows: list[dict[str, Any]],
    delimiter: str = ",",
) -> list[list[dict[str, str]]]:
    """Stage rows as a CSV file and validate them; return each row's reasons, in file order."""
    ent = ENTITIES[entity]
    path = tmp_path / f"{ent.prefixes[0]}_case.csv"
    lines = [delimiter.join(ent.columns)]
    for row in rows:
        values = [as_text(row.get(c)) for c in ent.columns]
        lines.append(delimiter.join(f'"{v}"' if delimiter in v or '"' in v else v for v in values))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read.stage_file(con, path)
    validate.check_stage(con, ent, result.columns, decimal_comma=delimiter == ";")
    out = [r[0] for r in con.execute("select reasons from checked order by _line").fetchall()]
    read.drop_stage(con)
    return out


def row(entity: str, **changes: Any) -> dict[str, Any]:
    return {**GOOD[entity], **changes}


def rules_for(reasons: list[dict[str, str]], column: str | None) -> list[str]:
    return [r["rule"] for r in reasons if r["column"] == column]


@pytest.mark.parametrize("entity", sorted(GOOD))
def test_validate_good_row_passes(con, tmp_path, entity: str) -> None:
    assert check_rows(con, tmp_path, entity, [row(entity)]) == [[]]


@pytest.mark.parametrize(("entity", "column", "value", "rule"), BAD, ids=lambda v: str(v)[:20])
def test_validate_sql_matches_pandera_on_bad_value(
    con, tmp_path, entity, column, value, rule
) -> None:
    (reasons,) = check_rows(con, tmp_path, entity, [row(entity, **{column: value})])
    assert any(rule in r for r in rules_for(reasons, column)), reasons


@pytest.mark.parametrize(("entity", "column"), REQUIRED)
def test_validate_required_column_empty(con, tmp_path, entity, column) -> None:
    (reasons,) = check_rows(con, tmp_path, entity, [row(entity, **{column: None})])
    assert rules_for(reasons, column) == ["is required"]


@pytest.mark.parametrize(
    ("entity", "column", "text", "rule"),
    [
        ("participation", "participants", "12.5", "whole number"),
        ("participation", "participants", "1e3", "whole number"),
        ("participation", "participants", "0x10", "whole number"),
        ("participation", "participants", "1_000", "whole number"),
        ("participation", "women", "four", "whole number"),
        ("activity", "start_date", "2022/05/10", "date YYYY-MM-DD"),
        ("activity", "start_date", "10.05.2022", "date YYYY-MM-DD"),
        ("activity", "end_date", "2022-02-30", "date YYYY-MM-DD"),
        ("sdg_alignment", "is_primary", "maybe", "true or false"),
        ("funding", "amount", "1,5", "number"),
        ("funding", "amount", "inf", "number"),
        ("city", "lat", "NaN", "number"),
    ],
)
def test_validate_text_that_does_not_type(con, tmp_path, entity, column, text, rule) -> None:
    (reasons,) = check_rows(con, tmp_path, entity, [row(entity, **{column: text})])
    assert any(rule in r for r in rules_for(reasons, column)), reasons


def test_validate_decimal_comma_in_semicolon_file(con, tmp_path) -> None:
    (reasons,) = check_rows(
        con, tmp_path, "funding", [row("funding", amount="1000,0", amount_eur="1000,0")], ";"
    )
    assert reasons == []
    assert con.execute("select amount from checked").fetchone()[0] == 1000.0


@pytest.mark.parametrize("text", ["true", "TRUE", "yes", "1", "Y"])
def test_validate_boolean_words(con, tmp_path, text) -> None:
    (reasons,) = check_rows(con, tmp_path, "sdg_alignment", [row("sdg_alignment", is_primary=text)])
    assert reasons == []


def test_validate_text_that_looks_like_html_sql_or_formula_is_plain_text(con, tmp_path) -> None:
    title = "<img src=x onerror=alert(1)>'; DROP TABLE core.city; -- =SUM(A1)"
    (reasons,) = check_rows(con, tmp_path, "activity", [row("activity", title=title)])
    assert reasons == []
    assert con.execute("select title from checked").fetchone()[0] == title
    assert con.execute("select count(*) from core.city").fetchone()[0] == 4


CROSS = [
    ("city", {"country_iso2": "XX"}, "country_iso2", "unknown country"),
    ("city", {"region": "EU"}, "region", "does not match the country's region"),
    ("city", {"population_year": TODAY.year + 1}, "population_year", "must not be in the future"),
    ("cooperation", {"mode": "hub"}, "mode", "unknown cooperation mode"),
    ("cooperation", {"network_id": "space"}, "network_id", "unknown network"),
    (
        "cooperation",
        {"support_end_date": dt.date(2020, 1, 1)},
        "support_end_date",
        "must not be before start_date",
    ),
    ("cooperation_member", {"cooperation_id": "nope"}, "cooperation_id", "unknown cooperation"),
    ("cooperation_member", {"city_id": "atlantis-xx"}, "city_id", "unknown city"),
    ("activity", {"activity_type": "party"}, "activity_type", "unknown activity type"),
    ("activity", {"modality": "telepathy"}, "modality", "unknown modality"),
    ("activity", {"network_id": "space"}, "network_id", "unknown network"),
    ("activity", {"subtheme_id": "health"}, "subtheme_id", "does not belong to network_id"),
    ("activity", {"subtheme_id": "knitting"}, "subtheme_id", "unknown subtheme"),
    (
        "activity",
        {"cross_cutting_id": "x_y"},
        "cross_cutting_id",
        "unknown cross-cutting challenge",
    ),
    ("activity", {"cooperation_id": "pair-nope"}, "cooperation_id", "unknown cooperation"),
    ("activity", {"host_city_id": "atlantis-xx"}, "host_city_id", "unknown city"),
    ("activity", {"end_date": dt.date(2022, 5, 1)}, "end_date", "must not be before start_date"),
    (
        "activity",
        {"end_date": NEXT_YEAR},
        "end_date",
        "a completed activity cannot end in the future",
    ),
    ("activity", {"reported_date": NEXT_YEAR}, "reported_date", "must not be in the future"),
    ("participation", {"women": 11}, "women", "must not exceed participants"),
    ("participation", {"completions": 11}, "completions", "must not exceed participants"),
    ("participation", {"activity_id": "act-nope"}, "activity_id", "unknown activity"),
    ("participation", {"city_id": "atlantis-xx"}, "city_id", "unknown city"),
    (
        "participation",
        {"stakeholder_type": "aliens"},
        "stakeholder_type",
        "unknown stakeholder type",
    ),
    ("output", {"output_type": "poem"}, "output_type", "unknown output type"),
    ("output", {"status": "dreamt"}, "status", "unknown output status"),
    ("output", {"framework_id": "magna_carta"}, "framework_id", "unknown framework"),
    ("output", {"activity_id": "act-nope"}, "activity_id", "unknown activity"),
    ("output", {"cooperation_id": "pair-nope"}, "cooperation_id", "unknown cooperation"),
    ("output", {"city_id": "atlantis-xx"}, "city_id", "unknown city"),
    ("output", {"status": "implemented"}, "implemented_date", "required by the status"),
    ("output", {"planned_date": None}, "planned_date", "required by the status"),
    (
        "output",
        {"status": "planned"},
        "developed_date",
        "not allowed before the output reaches this stage",
    ),
    (
        "output",
        {"developed_date": dt.date(2021, 1, 1)},
        "developed_date",
        "must not be before an earlier stage's date",
    ),
    ("output", {"developed_date": NEXT_YEAR}, "developed_date", "must not be in the future"),
    ("funding", {"output_id": "out-nope"}, "output_id", "unknown output"),
    ("funding", {"currency": "XYZ", "amount_eur": None}, "currency", "unknown currency"),
    (
        "funding",
        {"currency": "CAD", "amount_eur": None, "committed_date": dt.date(2010, 1, 1)},
        "amount_eur",
        "no exchange rate",
    ),
    ("funding", {"amount_eur": 1200.0}, "amount_eur", "differs by more than 5 %"),
    ("funding", {"source_type": "lottery"}, "source_type", "unknown funding source"),
    ("funding", {"committed_date": NEXT_YEAR}, "committed_date", "must not be in the future"),
    ("target", {"indicator_id": "K99"}, "indicator_id", "unknown indicator"),
    ("target", {"scope_type": "programme", "scope_id": "other"}, "scope_id", "unknown scope"),
    ("target", {"scope_type": "network", "scope_id": "space"}, "scope_id", "unknown scope"),
    ("target", {"scope_type": "cooperation", "scope_id": "pair-nope"}, "scope_id", "unknown scope"),
    ("target", {"scope_type": "city", "scope_id": "atlantis-xx"}, "scope_id", "unknown scope"),
    ("target", {"scope_type": "mode", "scope_id": "quartet"}, "scope_id", "unknown scope"),
    (
        "participation",
        {"organisation_id": "malmo-se-university", "organisations": 2},
        "organisations",
        "must be 1 or empty when organisation_id is given",
    ),
    (
        "observation",
        {"period_end": dt.date(2022, 12, 31)},
        "period_end",
        "must not be before period_start",
    ),
    (
        "observation",
        {"period_start": NEXT_YEAR, "period_end": NEXT_YEAR},
        "period_start",
        "an actual value cannot start in the future",
    ),
    ("sdg_alignment", {"target_id": "12.5"}, "target_id", "does not belong to goal"),
    ("sdg_alignment", {"target_id": "11.99"}, "target_id", "unknown SDG target"),
    ("sdg_alignment", {"entity_id": "out-nope"}, "entity_id", "unknown entity"),
    ("sdg_alignment", {"entity_type": "activity"}, "entity_id", "unknown entity"),
    (
        "sdg_alignment",
        {"entity_id": "act-2022-sv-velletri", "entity_type": "activity"},
        "is_primary",
        "more than one primary SDG",
    ),
    ("city_context", {"city_id": "atlantis-xx"}, "city_id", "unknown city"),
    ("city_context", {"year": TODAY.year + 1}, "year", "must not be in the future"),
    ("output_adoption", {"output_id": "out-nope"}, "output_id", "unknown output"),
    ("output_adoption", {"city_id": "velletri-it"}, "city_id", "is one of the output's own"),
    ("output_adoption", {"adopted_date": NEXT_YEAR}, "adopted_date", "must not be in the future"),
]


@pytest.mark.parametrize(("entity", "changes", "column", "rule"), CROSS, ids=lambda v: str(v)[:30])
def test_validate_cross_table_rule(con, tmp_path, entity, changes, column, rule) -> None:
    (reasons,) = check_rows(con, tmp_path, entity, [row(entity, **changes)])
    assert any(rule in r for r in rules_for(reasons, column)), reasons


@pytest.mark.parametrize(
    ("entity", "changes"),
    [
        ("activity", {"status": "planned", "end_date": NEXT_YEAR, "start_date": NEXT_YEAR}),
        ("activity", {"subtheme_id": None, "cooperation_id": None, "host_city_id": None}),
        (
            "output",
            {"status": "abandoned", "developed_date": None, "adopted_date": dt.date(2022, 7, 1)},
        ),
        ("output", {"status": "planned", "developed_date": None, "planned_date": NEXT_YEAR}),
        (
            "observation",
            {"value_kind": "forecast", "period_start": NEXT_YEAR, "period_end": NEXT_YEAR},
        ),
        ("funding", {"currency": "CAD", "amount": 1000.0, "amount_eur": None}),
        ("sdg_alignment", {"target_id": None}),
        ("target", {"scope_type": "programme", "scope_id": "iurc-na"}),
        ("target", {"scope_type": "network", "scope_id": "innovation"}),
        ("target", {"scope_type": "mode", "scope_id": "trio"}),
        ("participation", {"organisation_id": "malmo-se-university", "organisations": 1}),
        ("participation", {"organisation_id": "malmo-se-university", "organisations": None}),
    ],
    ids=lambda v: str(v)[:40],
)
def test_validate_allowed_variants_pass(con, tmp_path, entity, changes) -> None:
    assert check_rows(con, tmp_path, entity, [row(entity, **changes)]) == [[]]


def test_validate_amount_eur_is_computed_from_the_year_rate(con, tmp_path) -> None:
    check_rows(
        con, tmp_path, "funding", [row("funding", currency="CAD", amount=1000.0, amount_eur=None)]
    )
    rate = con.execute(
        "select units_per_eur from ref.fx_rate where currency = 'CAD' and year = 2023"
    ).fetchone()[0]
    assert con.execute("select amount_eur from checked").fetchone()[0] == pytest.approx(1000 / rate)


def test_validate_amount_eur_within_five_percent_passes(con, tmp_path) -> None:
    rate = con.execute(
        "select units_per_eur from ref.fx_rate where currency = 'CAD' and year = 2023"
    ).fetchone()[0]
    near = round(1000 / rate * 1.04, 2)
    (reasons,) = check_rows(
        con, tmp_path, "funding", [row("funding", currency="CAD", amount=1000.0, amount_eur=near)]
    )
    assert reasons == []


def test_validate_reported_date_defaults_to_today(con, tmp_path) -> None:
    (reasons,) = check_rows(con, tmp_path, "activity", [row("activity", reported_date=None)])
    assert reasons == []
    assert con.execute("select reported_date from checked").fetchone()[0] == TODAY


def test_validate_duplicate_key_keeps_first_and_names_its_line(con, tmp_path) -> None:
    first = row("participation")
    other = row("participation", city_id="guelph-ca")
    reasons = check_rows(
        con, tmp_path, "participation", [first, other, {**first, "participants": 12}, first]
    )
    assert reasons[0] == [] and reasons[1] == []
    for later in reasons[2:]:
        assert [r["rule"] for r in later] == ["duplicate key of line 2"]
        assert later[0]["column"] == "activity_id,city_id,stakeholder_type,organisation_id"


def test_validate_duplicate_with_nullable_key_part(con, tmp_path) -> None:
    tag = row("sdg_alignment", entity_id="out-trio-guide", target_id=None, is_primary=False)
    reasons = check_rows(con, tmp_path, "sdg_alignment", [tag, tag])
    assert reasons[0] == []
    assert [r["rule"] for r in reasons[1]] == ["duplicate key of line 2"]


def test_validate_participation_rows_of_two_organisations_are_two_keys(con, tmp_path) -> None:
    a = row("participation", organisation_id="malmo-se-university", organisations=1)
    b = row("participation", organisation_id="malmo-se-city-council", organisations=1)
    assert check_rows(con, tmp_path, "participation", [a, b]) == [[], []]
    reasons = check_rows(con, tmp_path, "participation", [a, a])
    assert [r["rule"] for r in reasons[1]] == ["duplicate key of line 2"]


def test_validate_two_primary_goals_in_one_file(con, tmp_path) -> None:
    a = row("sdg_alignment", entity_id="out-trio-guide", goal=11, target_id=None)
    b = row("sdg_alignment", entity_id="out-trio-guide", goal=13, target_id=None)
    reasons = check_rows(con, tmp_path, "sdg_alignment", [a, b])
    for r in reasons:
        assert "more than one primary SDG" in rules_for(r, "is_primary")[0]


def test_validate_rejected_primary_tag_does_not_count(con, tmp_path) -> None:
    a = row("sdg_alignment", entity_id="out-trio-guide", goal=11, target_id=None)
    b = row("sdg_alignment", entity_id="out-trio-guide", goal=13, target_id=None, status="rejected")
    assert check_rows(con, tmp_path, "sdg_alignment", [a, b]) == [[], []]


def test_validate_goal_and_target_primary_of_one_goal_are_one_primary(con, tmp_path) -> None:
    a = row("sdg_alignment", entity_id="out-trio-guide", goal=11, target_id=None)
    b = row("sdg_alignment", entity_id="out-trio-guide", goal=11, target_id="11.2")
    assert check_rows(con, tmp_path, "sdg_alignment", [a, b]) == [[], []]


def test_validate_primary_can_move_by_resending_the_old_tag(con, tmp_path) -> None:
    old = row(
        "sdg_alignment",
        entity_type="activity",
        entity_id="act-2022-sv-velletri",
        goal=12,
        target_id="12.5",
        is_primary=False,
    )
    new = row(
        "sdg_alignment",
        entity_type="activity",
        entity_id="act-2022-sv-velletri",
        goal=11,
        target_id=None,
        is_primary=True,
    )
    assert check_rows(con, tmp_path, "sdg_alignment", [old, new]) == [[], []]


def test_validate_pandera_pass_adds_what_it_finds(con, tmp_path) -> None:
    check_rows(con, tmp_path, "participation", [row("participation")])
    # corrupt a typed value behind the SQL's back: Pandera must still catch it
    con.execute("update checked set participants = -7")
    checked = validate.pandera_pass(con, ENTITIES["participation"], 1)
    assert checked == 1
    (reasons,) = con.execute("select reasons from checked").fetchone()
    assert {"column": "participants", "rule": "must be >= 0", "value": "-7"} in reasons


def test_validate_pandera_samples_big_files(con, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(validate, "PANDERA_FULL_ROWS", 2)
    monkeypatch.setattr(validate, "PANDERA_SAMPLE_ROWS", 3)
    rows = [
        row("participation", city_id=c, stakeholder_type=s)
        for c in ("guelph-ca", "malmo-se")
        for s in ("academia", "business", "other")
    ]
    check_rows(con, tmp_path, "participation", rows)
    assert validate.pandera_pass(con, ENTITIES["participation"], len(rows)) == 3


def test_validate_surrounding_whitespace_is_trimmed(con, tmp_path) -> None:
    padded = row(
        "participation",
        activity_id=" act-2022-sv-velletri",
        city_id="malmo-se\t",
        participants=" 12 ",
        women="4 ",
        stakeholder_type=" academia",
    )
    (reasons,) = check_rows(con, tmp_path, "participation", [padded])
    assert reasons == []
    assert con.execute(
        "select activity_id, city_id, participants, women from checked"
    ).fetchone() == ("act-2022-sv-velletri", "malmo-se", 12, 4)


def test_validate_blank_value_counts_as_empty(con, tmp_path) -> None:
    (reasons,) = check_rows(con, tmp_path, "city", [row("city", name="   ", population="  ")])
    assert rules_for(reasons, "name") == ["is required"]
    assert rules_for(reasons, "population") == []
