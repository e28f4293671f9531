"""Property-based tests of the ingest path on generated rows and files (Hypothesis).

Properties: never a traceback (every file ends with exit status 0, 1 or 2 and a message naming
it), rows are always conserved (read = loaded + quarantined, and the quarantine holds every
rejected row), and re-loading the same file is idempotent (no core row changes, no run added).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest.run import ingest_files
from tests.fixtures.ingest import loaded_warehouse
from tests.reliability._support import assert_no_traceback, run_cli

PART_H = [
    "activity_id",
    "city_id",
    "stakeholder_type",
    "participants",
    "women",
    "organisations",
    "completions",
]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ACTIVITY_IDS = ["act-2022-sv-velletri", "act-2022-webinar-nbs", "act-2023-training-malmo"]
CITY_IDS = ["guelph-ca", "velletri-it", "malmo-se", "saanich-ca"]
TYPES = [
    "local_government",
    "regional_government",
    "academia",
    "business",
    "civil_society",
    "other",
]

# text a person could type into a cell: delimiters, quotes, newlines, accents, markup, formulas
cell_text = st.text(
    alphabet=st.characters(max_codepoint=0x17F, exclude_categories=("Cs",)), max_size=12
) | st.sampled_from(
    ["", " ", '"', "a,b", "a;b", "x\ny", "=1+1", "<b>", "' OR 1=1 --", "NaN", "1e3"]
)
count = st.integers(-3, 50).map(str) | st.integers(10**7, 10**12).map(str) | cell_text


@st.composite
def participation_row(draw) -> list[str]:
    return [
        draw(st.sampled_from(ACTIVITY_IDS) | cell_text),
        draw(st.sampled_from(CITY_IDS) | cell_text),
        draw(st.sampled_from(TYPES) | cell_text),
        draw(st.integers(0, 50).map(str) | count),
        draw(st.just("") | st.integers(0, 10).map(str) | count),
        draw(st.just("") | count),
        draw(st.just("")),
    ]


def _cell(value: str, delimiter: str) -> str:
    if any(ch in value for ch in (delimiter, '"', "\n", "\r")) or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def csv_file(draw) -> tuple[bytes, str]:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    rows = draw(st.lists(participation_row(), min_size=0, max_size=8))
    lines = [delimiter.join(PART_H)] + [
        delimiter.join(_cell(v, delimiter) for v in r) for r in rows
    ]
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    return text.encode(encoding, errors="replace"), encoding


json_value = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**9)
    | st.floats(allow_nan=True)
    | cell_text
    | st.lists(st.integers(), max_size=2)
)


@st.composite
def json_file(draw) -> bytes:
    keys = st.sampled_from(PART_H)
    records = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    k: st.sampled_from(v)
                    for k, v in (
                        ("activity_id", ACTIVITY_IDS),
                        ("city_id", CITY_IDS),
                        ("stakeholder_type", TYPES),
                    )
                }
            ).flatmap(
                lambda base: st.dictionaries(keys, json_value, max_size=4).map(
                    lambda extra: {**base, "participants": 1, **extra}
                )
            )
            | json_value,
            max_size=6,
        )
    )
    return json.dumps(records, allow_nan=True).encode("utf-8")


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = loaded_warehouse()
    yield c
    c.close()


def _core_state(con: duckdb.DuckDBPyConnection) -> tuple:
    return con.execute(
        "SELECT (SELECT count(*) FROM core.participation), "
        "(SELECT coalesce(sum(hash(p)::HUGEINT), 0) FROM core.participation p), "
        "(SELECT count(*) FROM ops.ingest_run), (SELECT count(*) FROM ops.quarantine)"
    ).fetchone()


def _check_conserved(con: duckdb.DuckDBPyConnection, report) -> None:
    assert report.exit_code in (0, 1, 2)
    assert report.messages or report.problems or report.exit_code == 0
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    if report.run_id:
        read, loaded, quarantined = con.execute(
            "SELECT rows_read, rows_loaded, rows_quarantined FROM ops.ingest_run WHERE run_id = ?",
            [report.run_id],
        ).fetchone()
        assert (read, loaded, quarantined) == (
            report.rows_read,
            report.rows_loaded,
            report.rows_quarantined,
        )
        kept = con.execute("SELECT count(*) FROM ops.quarantine WHERE run_id = ?", [report.run_id])
        assert kept.fetchone()[0] == quarantined
    if report.exit_code == 2:
        assert report.rows_read == 0 and report.run_id is None


def _load_twice(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    first = ingest_files([path], db=con).files[0]
    _check_conserved(con, first)
    state = _core_state(con)
    second = ingest_files([path], db=con).files[0]
    _check_conserved(con, second)
    assert second.exit_code == first.exit_code
    assert second.run_id is None, "a re-load of the same file recorded a run"
    assert _core_state(con) == state, "a re-load of the same file changed the warehouse"


@SETTINGS
@given(data=csv_file())
def test_property_csv_rows_conserved_and_reload_idempotent(con, tmp_path_factory, data) -> None:
    content, _ = data
    path = tmp_path_factory.mktemp("prop") / "participations_gen.csv"
    path.write_bytes(content)
    _load_twice(con, path)


@SETTINGS
@given(content=json_file())
def test_property_json_rows_conserved_and_reload_idempotent(con, tmp_path_factory, content) -> None:
    path = tmp_path_factory.mktemp("prop") / "participations_gen.json"
    path.write_bytes(content)
    _load_twice(con, path)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=csv_file() | st.binary(max_size=300).map(lambda b: (b, "bytes")))
def test_property_cli_never_prints_a_traceback(small_wh, tmp_path_factory, data) -> None:
    content, _ = data
    path = tmp_path_factory.mktemp("prop") / "participations_cli.csv"
    path.write_bytes(content)
    result = run_cli(["ingest", str(path), "--db", str(small_wh), "--dry-run"])
    assert result.exception is None, repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    assert_no_traceback(result.output)
    assert path.name in result.output
