"""The `iurc ingest` and `iurc status` commands, end to end on real warehouse files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from iurc.cli import app
from schemas import ENTITIES
from tests.fixtures.ingest import FIXTURE_DIR, fixture_paths

runner = CliRunner()


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    return tmp_path / "wh.duckdb"


def test_cli_ingest_fixtures_fill_every_core_table(wh: Path) -> None:
    result = runner.invoke(app, ["ingest", *map(str, fixture_paths()), "--db", str(wh)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(wh), read_only=True)
    for name in ENTITIES:
        assert con.execute(f"select count(*) from core.{name}").fetchone()[0] > 0, name
    runs = con.execute("select count(*) from ops.ingest_run").fetchone()[0]
    assert runs == len(fixture_paths())
    assert con.execute("select count(*) from ops.quarantine").fetchone()[0] == 0


def test_cli_ingest_reports_file_line_column_and_rule(wh: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", *map(str, fixture_paths()[:4]), "--db", str(wh)])
    bad = tmp_path / "participations_bad.csv"
    bad.write_text(
        "activity_id,city_id,stakeholder_type,participants,women\n"
        "act-2022-sv-velletri,guelph-ca,local_government,6,2\n"
        "act-2022-sv-velletri,velletri-it,business,-4,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", str(bad), "--db", str(wh)])
    assert result.exit_code == 1, result.output
    assert "participations_bad.csv:3: column 'participants': must be >= 0 (-4)" in result.output
    assert "1 quarantined" in result.output
    assert "Traceback" not in result.output


def test_cli_ingest_rejected_file_exits_2_without_traceback(wh: Path, tmp_path: Path) -> None:
    bad = tmp_path / "activities.csv"
    bad.write_bytes(b"\x00\x01\x02binary\xff\xfe")
    result = runner.invoke(app, ["ingest", str(bad), "--db", str(wh)])
    assert result.exit_code == 2
    assert "activities.csv: file rejected: binary file" in result.output
    assert "Traceback" not in result.output
    assert not wh.exists()


def test_cli_ingest_unknown_entity_exits_2(wh: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(FIXTURE_DIR / "cities.csv"), "--entity", "planets", "--db", str(wh)]
    )
    assert result.exit_code == 2
    assert "unknown entity 'planets'" in result.output


def test_cli_ingest_caps_printed_problems(wh: Path, tmp_path: Path) -> None:
    rows = "\n".join(f"c{i}-xx,City {i},XX,EU" for i in range(60))
    bad = tmp_path / "cities_many.csv"
    bad.write_text("city_id,name,country_iso2,region\n" + rows + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(bad), "--db", str(wh)])
    assert result.exit_code == 1
    printed = [line for line in result.output.splitlines() if "unknown country" in line]
    assert len(printed) == 20
    assert "40 more quarantined row(s): see ops.quarantine" in result.output


def test_cli_ingest_dry_run_writes_nothing(wh: Path) -> None:
    result = runner.invoke(
        app, ["ingest", *map(str, fixture_paths()), "--db", str(wh), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was written" in result.output
    assert not wh.exists()


def test_cli_status_prints_tables_runs_and_quarantine(wh: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", *map(str, fixture_paths()), "--db", str(wh)])
    bad = tmp_path / "cities_bad.csv"
    bad.write_text("city_id,name,country_iso2,region\nzz-xx,Zed,XX,EU\n", encoding="utf-8")
    runner.invoke(app, ["ingest", str(bad), "--db", str(wh)])
    result = runner.invoke(app, ["status", "--db", str(wh)])
    assert result.exit_code == 0, result.output
    assert "core.participation" in result.output
    assert "participations.csv" in result.output
    assert "cities_bad.csv" in result.output


def test_cli_status_without_warehouse_exits_2(wh: Path) -> None:
    result = runner.invoke(app, ["status", "--db", str(wh)])
    assert result.exit_code == 2
    assert "no warehouse" in result.output


@pytest.mark.parametrize("command", ["ingest", "status"])
def test_cli_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
