"""A catalogue of bad inputs through ingest_files: the exit status, a message naming file, line,
column and rule, and nothing lost (rows read = loaded + quarantined; rejected files write nothing)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.run import ingest_files
from tests.fixtures.ingest import loaded_warehouse

P_HEAD = "activity_id,city_id,stakeholder_type,participants,women\n"
GOOD_P = "act-2023-training-malmo,{city},academia,5,2\n"

# (case id, file name, content, exit status, fragments of the first problem, read, quarantined)
CASES = [
    (
        "negative-count",
        "participations_a.csv",
        P_HEAD
        + GOOD_P.format(city="guelph-ca")
        + "act-2023-training-malmo,velletri-it,academia,-5,\n",
        1,
        ["participations_a.csv:3:", "column 'participants'", "must be >= 0 (-5)"],
        2,
        1,
    ),
    (
        "wrong-type",
        "participations_b.csv",
        P_HEAD + "act-2023-training-malmo,velletri-it,business,five,\n",
        1,
        ["participations_b.csv:2:", "column 'participants'", "must be a whole number (five)"],
        1,
        1,
    ),
    (
        "unknown-code",
        "participations_c.csv",
        P_HEAD + "act-2023-training-malmo,velletri-it,wizards,5,\n",
        1,
        [":2:", "column 'stakeholder_type'", "unknown stakeholder type (wizards)"],
        1,
        1,
    ),
    (
        "unknown-city",
        "participations_d.csv",
        P_HEAD + "act-2023-training-malmo,gotham-us,business,5,\n",
        1,
        [":2:", "column 'city_id'", "unknown city (gotham-us)"],
        1,
        1,
    ),
    (
        "unknown-activity",
        "participations_e.csv",
        P_HEAD + "act-9999,velletri-it,business,5,\n",
        1,
        [":2:", "column 'activity_id'", "unknown activity (act-9999)"],
        1,
        1,
    ),
    (
        "women-over-participants",
        "participations_f.csv",
        P_HEAD + "act-2023-training-malmo,velletri-it,other,5,6\n",
        1,
        [":2:", "column 'women'", "must not exceed participants (6 > 5)"],
        1,
        1,
    ),
    (
        "duplicate-in-file",
        "participations_g.csv",
        P_HEAD + GOOD_P.format(city="saanich-ca") * 2,
        1,
        [
            ":3:",
            "column 'activity_id,city_id,stakeholder_type,organisation_id'",
            "duplicate key of line 2",
        ],
        2,
        1,
    ),
    (
        "missing-value",
        "participations_h.csv",
        P_HEAD + "act-2023-training-malmo,,business,5,\n",
        1,
        [":2:", "column 'city_id'", "is required (empty)"],
        1,
        1,
    ),
    (
        "ragged-row",
        "participations_i.csv",
        P_HEAD + "act-2023-training-malmo,velletri-it,business\n",
        1,
        [":2:", "row:", "expected 5 fields, found 3"],
        1,
        1,
    ),
    (
        "end-before-start",
        "activities_a.csv",
        (
            "activity_id,title,activity_type,modality,status,start_date,end_date,network_id\n"
            "act-bad-1,T,webinar,online,completed,2023-05-02,2023-05-01,innovation\n"
        ),
        1,
        [":2:", "column 'end_date'", "must not be before start_date (2023-05-01)"],
        1,
        1,
    ),
    (
        "future-completed",
        "activities_b.csv",
        (
            "activity_id,title,activity_type,modality,status,start_date,end_date,network_id\n"
            "act-bad-2,T,webinar,online,completed,2099-05-01,2099-05-01,innovation\n"
        ),
        1,
        ["column 'end_date'", "a completed activity cannot end in the future"],
        1,
        1,
    ),
    (
        "bad-date",
        "activities_c.csv",
        (
            "activity_id,title,activity_type,modality,status,start_date,end_date,network_id\n"
            "act-bad-3,T,webinar,online,completed,01/05/2023,2023-05-01,innovation\n"
        ),
        1,
        ["column 'start_date'", "must be a date YYYY-MM-DD (01/05/2023)"],
        1,
        1,
    ),
    (
        "target-not-in-goal",
        "sdg_alignments_a.csv",
        (
            "entity_type,entity_id,goal,target_id,is_primary,method,status\n"
            "output,out-trio-guide,11,3.4,false,manual,accepted\n"
        ),
        1,
        ["column 'target_id'", "does not belong to goal (3.4 not in goal 11)"],
        1,
        1,
    ),
    (
        "second-primary",
        "sdg_alignments_b.csv",
        (
            "entity_type,entity_id,goal,is_primary,method,status\n"
            "output,out-guelph-food-plan,13,true,manual,accepted\n"
        ),
        1,
        ["column 'is_primary'", "more than one primary SDG"],
        1,
        1,
    ),
    (
        "unknown-indicator",
        "targets_a.csv",
        "indicator_id,scope_type,scope_id,period_end,target_value\nK99,programme,iurc-na,2024-12-31,3\n",
        1,
        ["column 'indicator_id'", "unknown indicator (K99)"],
        1,
        1,
    ),
    (
        "output-status-dates",
        "outputs_a.csv",
        (
            "output_id,output_type,title,status,network_id,planned_date\n"
            "out-x,pilot,X,implemented,innovation,2022-01-01\n"
        ),
        1,
        ["column 'developed_date'", "required by the status (implemented)"],
        1,
        1,
    ),
    (
        "fx-off",
        "funding_a.csv",
        (
            "funding_id,output_id,amount,currency,amount_eur,source_type,committed_date\n"
            "f-x,out-velletri-pilot,1000,USD,5000,private,2023-03-01\n"
        ),
        1,
        ["column 'amount_eur'", "differs by more than 5 %"],
        1,
        1,
    ),
    (
        "html-sql-formula-text",
        "cities_a.csv",
        (
            'city_id,name,country_iso2,region\nodd-it,"<script>alert(1)</script>\'; DROP TABLE core.city;--",IT,EU\n'
            'eq-it,=HYPERLINK("http://x"),IT,EU\n'
        ),
        0,
        [],
        2,
        0,
    ),
    ("header-only", "cities_b.csv", "city_id,name,country_iso2,region\n", 0, [], 0, 0),
    (
        "semicolon-latin1",
        "cities_c.csv",
        "city_id;name;country_iso2;region\nvaxjo-se;Växjö;SE;EU\n".encode("latin-1"),
        0,
        [],
        1,
        0,
    ),
    (
        "tab-utf16",
        "cities_d.csv",
        "city_id\tname\tcountry_iso2\tregion\nlund-se\tLund\tSE\tEU\n".encode("utf-16"),
        0,
        [],
        1,
        0,
    ),
    (
        "bom-quoted-newline",
        "cities_e.csv",
        codecs.BOM_UTF8 + b'city_id,name,country_iso2,region\nmulti-it,"Two\nlines",IT,EU\n',
        0,
        [],
        1,
        0,
    ),
    # whole-file rejections
    ("empty", "cities_f.csv", b"", 2, ["cities_f.csv: file rejected: empty file"], 0, 0),
    ("garbage", "cities_g.csv", bytes(range(256)) * 20, 2, ["file rejected: binary file"], 0, 0),
    (
        "missing-column",
        "cities_h.csv",
        "city_id,name\na-it,A\n",
        2,
        ["cities_h.csv:1: column 'country_iso2': file rejected: missing required column(s)"],
        0,
        0,
    ),
    (
        "extra-column",
        "cities_i.csv",
        "city_id,name,country_iso2,region,mayor\na-it,A,IT,EU,X\n",
        2,
        ["column 'mayor': file rejected: unknown column(s) 'mayor'"],
        0,
        0,
    ),
    (
        "thousand-columns",
        "cities_j.csv",
        ",".join(f"c{i}" for i in range(1000)) + "\n",
        2,
        ["file rejected: too many columns (1000; at most 200)"],
        0,
        0,
    ),
    (
        "unknown-entity",
        "budget.csv",
        "a,b\n1,2\n",
        2,
        ["budget.csv: file rejected: cannot tell the entity"],
        0,
        0,
    ),
    (
        "truncated-json",
        "cities_k.json",
        '[{"city_id": "a-it", "name": "A"',
        2,
        ["file rejected: not valid JSON"],
        0,
        0,
    ),
    (
        "json-object",
        "cities_l.json",
        json.dumps({"city_id": "a-it"}),
        2,
        ["file rejected: expected a JSON list"],
        0,
        0,
    ),
    (
        "xlsx-not-zip",
        "cities_m.xlsx",
        b"city_id,name\n",
        2,
        ["file rejected: not an XLSX workbook"],
        0,
        0,
    ),
    (
        "unterminated-quote",
        "cities_n.csv",
        'city_id,name,country_iso2,region\na-it,"A,IT,EU\n',
        2,
        ["cities_n.csv:2: file rejected: malformed CSV"],
        0,
        0,
    ),
]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = loaded_warehouse()
    yield connection
    connection.close()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [
        r[0]
        for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('core', 'ops')"
        ).fetchall()
    ]
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


@pytest.mark.parametrize(
    ("name", "content", "exit_code", "fragments", "read", "quarantined"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_input(
    con, tmp_path: Path, name, content, exit_code, fragments, read, quarantined
) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = table_counts(con)
    summary = ingest_files([path], db=con)
    report = summary.files[0]
    assert summary.exit_code == exit_code, [str(p) for p in report.problems]
    assert report.rows_read == read
    assert report.rows_quarantined == quarantined
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    if fragments:
        message = str(report.problems[0])
        for fragment in fragments:
            assert fragment in message, message
    after = table_counts(con)
    if exit_code == 2 or read == 0:
        assert after == before  # nothing written
    else:
        quarantine_rows = con.execute(
            "select count(*) from ops.quarantine where run_id = ?", [report.run_id]
        ).fetchone()[0]
        assert quarantine_rows == quarantined
        assert after["ops.ingest_run"] == before["ops.ingest_run"] + 1


def test_bad_input_text_is_stored_verbatim(con, tmp_path: Path) -> None:
    name = "<img src=x onerror=alert(1)>"
    path = tmp_path / "cities_xss.csv"
    path.write_text(f'city_id,name,country_iso2,region\nxss-it,"{name}",IT,EU\n', encoding="utf-8")
    assert ingest_files([path], db=con).exit_code == 0
    assert con.execute("select name from core.city where city_id = 'xss-it'").fetchone()[0] == name
