"""A warehouse records which code built its marts; a server and `iurc serve` notice marts built by
another version, and `iurc refresh` rebuilds them, keeping the data."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from iurc.cli import app
from pipelines.warehouse import db as dbmod
from pipelines.warehouse import marts

runner = CliRunner()


def _counts(path: Path) -> dict[str, int]:
    con = dbmod.connect_readonly(path)
    try:
        names = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where database_name = 'wh' and schema_name in ('core', 'ops') "
            "and table_name <> 'mart_build' order by 1"
        ).fetchall()
        return {n: con.execute(f"select count(*) from {n}").fetchone()[0] for (n,) in names}
    finally:
        con.close()


def _reason(path: Path) -> str | None:
    con = dbmod.connect_readonly(path)
    try:
        return marts.stale_reason(con)
    finally:
        con.close()


@pytest.fixture
def older(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo warehouse as an older version left it: another fingerprint, a mart
    that version did not have."""
    path = tmp_path / "older.duckdb"
    shutil.copyfile(demo_db, path)
    con = duckdb.connect(str(path))
    con.execute("update ops.mart_build set fingerprint = 'an older version'")
    con.execute("drop table mart.activity_city_cube")
    con.close()
    return path


def test_a_warehouse_built_by_this_code_matches_it(demo_db: Path) -> None:
    assert _reason(demo_db) is None
    con = dbmod.connect_readonly(demo_db)
    assert con.execute("select fingerprint from ops.mart_build").fetchall() == [
        (marts.code_fingerprint(),)
    ]


def test_serve_refuses_marts_of_another_version_and_refresh_rebuilds_them(
    older: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dashboard.app

    def must_not_serve(**_: object) -> None:
        raise AssertionError("served a warehouse whose marts another version built")

    monkeypatch.setattr(dashboard.app, "main", must_not_serve)
    before = _counts(older)
    assert _reason(older) == "its marts were built by another version of IURC Impact"

    served = runner.invoke(app, ["serve", "--db", str(older)])
    assert served.exit_code == 2
    assert f"run 'iurc refresh --db {older}' first" in served.output

    refreshed = runner.invoke(app, ["refresh", "--db", str(older)])
    assert refreshed.exit_code == 0, refreshed.output
    assert "rebuilt the marts" in refreshed.output
    assert _reason(older) is None
    assert _counts(older) == before  # the data is kept
    con = dbmod.connect_readonly(older)
    assert con.execute("select count(*) from mart.activity_city_cube").fetchone()[0] > 0
    con.close()

    again = runner.invoke(app, ["refresh", "--db", str(older)])
    assert again.exit_code == 0
    assert "nothing to do" in again.output


def test_marts_built_before_fingerprints_were_recorded_are_stale(older: Path) -> None:
    con = duckdb.connect(str(older))
    con.execute("drop table ops.mart_build")
    con.close()
    assert _reason(older) == "its marts were built by an older version of IURC Impact"
    assert dbmod.refresh_marts(older) is True
    assert _reason(older) is None


def test_the_server_handle_says_what_to_run(older: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="pipelines.warehouse.db"):
        dbmod.Warehouse(older).cursor()
    assert f"run 'iurc refresh --db {older}'" in caplog.text
    caplog.clear()
    dbmod.refresh_marts(older)
    with caplog.at_level(logging.ERROR, logger="pipelines.warehouse.db"):
        dbmod.Warehouse(older).cursor()
    assert caplog.text == ""


def test_the_fingerprint_follows_every_mart_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    current = marts.code_fingerprint()
    real = marts.ddl
    first = marts.definitions()[0]

    def changed(mart: marts.MartDefinition) -> tuple[str, str]:
        name, statement = real(mart)
        return name, statement + " " if mart == first else statement

    marts.code_fingerprint.cache_clear()
    monkeypatch.setattr(marts, "ddl", changed)
    try:
        assert marts.code_fingerprint() != current
    finally:
        monkeypatch.undo()
        marts.code_fingerprint.cache_clear()
    assert marts.code_fingerprint() == current


def test_refresh_without_a_warehouse_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["refresh", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no warehouse at" in result.output
