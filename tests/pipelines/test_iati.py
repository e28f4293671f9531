"""IATI 2.03: the demo's export validates against the shipped XSD, re-imports into a fresh
warehouse with the same records, results and accepted tags; foreign IATI files import element by
element (every activity loaded or quarantined with its path); hostile and 1.x files are refused."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from lxml import etree

from pipelines.export.iati import write_iati
from pipelines.export.iati_schema import schema_errors
from pipelines.ingest.run import ingest_files
from pipelines.metrics.filters import Filters
from pipelines.queries import iati as records
from pipelines.queries.metrics import metric_total
from pipelines.warehouse import db as dbmod
from pipelines.warehouse import marts

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "fixtures" / "iati"
FOREIGN = {
    "iati-activity-standard-example-annotated-v2.03.xml": 1,
    "nl-mfa-xm-dac-7-activities-v2.03.xml": 13,
}
# KPIs computed from the records the IATI file carries (activities, outputs, funding)
RECOUNTED = ("K01", "K03", "K12", "K13", "K15", "K16", "K17", "K18", "K20")


@pytest.fixture(scope="module")
def exported(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse written as one IATI file."""
    out = tmp_path_factory.mktemp("iati") / "demo-iati.xml"
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        write_iati(con, out)
    finally:
        con.close()
    return out


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def reimported(
    demo_db: Path, exported: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[duckdb.DuckDBPyConnection, object]]:
    """A fresh warehouse loaded with the demo's cities (reference data) and the IATI file."""
    con = duckdb.connect(str(tmp_path_factory.mktemp("fresh") / "fresh.duckdb"))
    dbmod.prepare(con, with_marts=False)
    summary = ingest_files([demo_db.parent / "demo" / "cities.csv", exported], db=con)
    marts.build_marts(con)
    yield con, summary
    con.close()


def test_demo_export_validates_against_the_iati_203_xsd(exported: Path) -> None:
    assert schema_errors(exported) == []
    root = etree.parse(str(exported)).getroot()
    assert root.get("version") == "2.03"
    tags = {(t.get("vocabulary"), t.get("code")) for t in root.iter("tag")}
    assert {v for v, _ in tags} <= {"2", "3"}  # SDG goals and targets only
    assert any(v == "3" and "." in c for v, c in tags)
    # sex-disaggregated actuals where the data records women
    assert root.xpath("//actual/dimension[@name='sex' and @value='female']")


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        left.reset_index(drop=True), right.reset_index(drop=True), check_dtype=False
    )


def test_export_then_reimport_gives_the_same_records_results_and_tags(
    demo: duckdb.DuckDBPyConnection, reimported: tuple[duckdb.DuckDBPyConnection, object]
) -> None:
    fresh, summary = reimported
    assert summary.exit_code == 0, [str(p) for f in summary.files for p in f.problems]  # type: ignore[attr-defined]
    for query in (
        records.iati_cooperations,
        records.iati_members,
        records.iati_activities,
        records.iati_outputs,
        records.iati_funding,
        records.iati_targets,
        records.iati_reported_actuals,
        records.iati_accepted_tags,
    ):
        _same(query(demo), query(fresh))
    for kpi in RECOUNTED:
        assert metric_total(fresh, kpi, Filters()) == metric_total(demo, kpi, Filters()), kpi


def test_reference_files_import_element_by_element(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "foreign.duckdb"))
    dbmod.prepare(con, with_marts=False)
    for name, activities in FOREIGN.items():
        summary = ingest_files([REFERENCE / name], db=con)
        assert summary.exit_code == 1  # read, with rows quarantined: nothing refused whole
        reports = {f.entity: f for f in summary.files}
        act = reports["activity"]
        assert act.rows_read == activities == act.rows_loaded + act.rows_quarantined
        for report in summary.files:
            assert report.rows_read == report.rows_loaded + report.rows_quarantined
        paths = {
            r[0]
            for r in con.execute(
                "select location from ops.quarantine where file_name = ? and entity = 'activity'",
                [name],
            ).fetchall()
        }
        expected = {f"/iati-activities/iati-activity[{i}]" for i in range(1, activities + 1)}
        assert paths == expected  # each with its reasons (no IURC activity type, network...)
        assert any("column 'activity_type': is required" in str(p) for p in act.problems)
        assert str(act.problems[0]).startswith(f"{name}:/iati-activities/iati-activity[1]")
    nested = con.execute(
        "select count(*) from ops.quarantine where location like '%/result[%]/indicator[%]%'"
    ).fetchone()
    assert nested is not None and nested[0] > 0
    con.close()


XXE = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;&lol2;</iati-identifier>
</iati-activity></iati-activities>
"""


def test_hostile_and_legacy_files_are_refused_whole(tmp_path: Path) -> None:
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(XXE, encoding="utf-8")
    legacy = tmp_path / "worldbank-v1.xml"
    shutil.copyfile(REFERENCE / "worldbank-activities-v1.0.xml", legacy)
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    dbmod.prepare(con, with_marts=False)
    summary = ingest_files([xxe, legacy], db=con)
    assert summary.exit_code == 2
    assert [f.status for f in summary.files] == ["rejected", "rejected"]
    messages = "\n".join(str(p) for f in summary.files for p in f.problems)
    assert "xxe.xml: file rejected: the XML file declares a DOCTYPE" in messages
    assert "worldbank-v1.xml: file rejected: IATI version 1.0 is not supported" in messages
    assert "root:" not in messages  # /etc/passwd never read
    assert con.execute("select count(*) from ops.ingest_run").fetchone() == (0,)
    con.close()
