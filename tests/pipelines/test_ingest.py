"""ingest_files: exit status, row accounting, quarantine, idempotent re-load, re-sends, dry runs."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.run import ingest_files
from tests.fixtures.ingest import FIXTURE_DIR, fixture_paths, memory_warehouse


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(path: Path, table: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def base_wh(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "wh.duckdb"
    summary = ingest_files(fixture_paths(), db=path)
    assert summary.exit_code == 0
    return path


@pytest.fixture
def wh(base_wh: Path, tmp_path: Path) -> Path:
    path = tmp_path / "wh.duckdb"
    shutil.copyfile(base_wh, path)
    return path


BAD_PARTICIPATIONS = (
    "activity_id,city_id,stakeholder_type,participants,women\n"
    "act-2022-sv-velletri,malmo-se,academia,10,4\n"  # good
    "act-2022-sv-velletri,malmo-se,business,5,9\n"  # women > participants
    "act-nope,malmo-se,academia,-1,\n"  # unknown activity, negative
    "act-2022-webinar-nbs,guelph-ca,business,3,1\n"  # good
)


def test_ingest_all_good_exit_0(base_wh: Path) -> None:
    assert count(base_wh, "core.participation") == 5
    assert count(base_wh, "ops.ingest_run") == len(fixture_paths())


def test_ingest_partial_exit_1_accounts_for_every_row(wh: Path, tmp_path: Path) -> None:
    path = tmp_path / "participations_2024.csv"
    path.write_text(BAD_PARTICIPATIONS, encoding="utf-8")
    summary = ingest_files([path], db=wh)
    report = summary.files[0]
    assert summary.exit_code == 1 and report.status == "partial"
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    con = duckdb.connect(str(wh), read_only=True)
    rows = con.execute(
        "select line, entity, raw_record, reasons, first_column, first_rule, run_id "
        "from ops.quarantine order by line"
    ).fetchall()
    assert [r[0] for r in rows] == [3, 4]
    assert rows[0][1] == "participation"
    assert json.loads(rows[0][2])["women"] == "9"
    assert rows[0][3] == "women: must not exceed participants (9 > 5)"
    assert rows[1][3].split("; ") == [
        "participants: must be >= 0 (-1)",
        "activity_id: unknown activity (act-nope)",
    ]
    assert (rows[1][4], rows[1][5]) == ("participants", "must be >= 0")
    run = con.execute(
        "select run_id, rows_read, rows_loaded, rows_inserted, rows_quarantined, status "
        "from ops.ingest_run where file_name = 'participations_2024.csv'"
    ).fetchone()
    assert run[1:] == (4, 2, 2, 2, "partial") and run[0] == rows[0][6] == report.run_id
    assert (
        con.execute(
            "select count(*) from core.participation where run_id = ?", [report.run_id]
        ).fetchone()[0]
        == 2
    )
    assert str(report.problems[0]) == (
        "participations_2024.csv:3: column 'women': must not exceed participants (9 > 5)"
    )


def test_ingest_rejected_file_leaves_warehouse_byte_identical(wh: Path, tmp_path: Path) -> None:
    before = sha(wh)
    path = tmp_path / "participations.csv"
    path.write_text("activity_id,city_id\nx,y\n", encoding="utf-8")
    summary = ingest_files([path], db=wh)
    assert summary.exit_code == 2 and summary.files[0].status == "rejected"
    assert summary.files[0].rows_read == 0 and not summary.published
    assert (
        "missing required column(s) 'stakeholder_type', 'participants'"
        in summary.files[0].messages[0]
    )
    assert sha(wh) == before


def test_ingest_reload_same_file_changes_nothing(wh: Path, tmp_path: Path) -> None:
    path = tmp_path / "participations_2024.csv"
    path.write_text(BAD_PARTICIPATIONS, encoding="utf-8")
    ingest_files([path], db=wh)
    before = sha(wh)
    runs, quarantined = count(wh, "ops.ingest_run"), count(wh, "ops.quarantine")
    summary = ingest_files([path], db=wh)
    report = summary.files[0]
    assert report.status == "unchanged" and "nothing written" in report.messages[0]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    assert report.rows_unchanged == 2 and report.rows_inserted == report.rows_updated == 0
    assert summary.exit_code == 1  # the file still has bad rows, already in quarantine
    assert not summary.published and sha(wh) == before
    assert (count(wh, "ops.ingest_run"), count(wh, "ops.quarantine")) == (runs, quarantined)


def test_ingest_reload_fixtures_twice_is_idempotent(wh: Path) -> None:
    before = sha(wh)
    summary = ingest_files(fixture_paths(), db=wh)
    assert summary.exit_code == 0
    assert {f.status for f in summary.files} == {"unchanged"}
    assert sha(wh) == before


def test_ingest_conflicting_resend_updates_by_key(wh: Path, tmp_path: Path) -> None:
    original = (FIXTURE_DIR / "cities.csv").read_text(encoding="utf-8")
    resent = original.replace("Guelph,CA,NA,135474", "Guelph,CA,NA,143740")
    path = tmp_path / "cities_2025.csv"
    path.write_text(resent, encoding="utf-8")
    con = duckdb.connect(str(wh), read_only=True)
    old_run = con.execute("select run_id from core.city where city_id = 'velletri-it'").fetchone()[
        0
    ]
    con.close()
    report = ingest_files([path], db=wh).files[0]
    assert (report.rows_inserted, report.rows_updated, report.rows_unchanged) == (0, 1, 3)
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select count(*) from core.city").fetchone()[0] == 4
    assert con.execute(
        "select population, run_id from core.city where city_id = 'guelph-ca'"
    ).fetchone() == (143740, report.run_id)
    assert (
        con.execute("select run_id from core.city where city_id = 'velletri-it'").fetchone()[0]
        == old_run
    )


def test_ingest_resend_with_nullable_key_part_updates_not_duplicates(
    wh: Path, tmp_path: Path
) -> None:
    path = tmp_path / "sdg_alignments_fix.csv"
    path.write_text(
        "entity_type,entity_id,goal,target_id,is_primary,method,score,status\n"
        "activity,act-2022-sv-velletri,2,,false,keyword,0.7,accepted\n",
        encoding="utf-8",
    )
    report = ingest_files([path], db=wh).files[0]
    assert (report.rows_inserted, report.rows_updated) == (0, 1)
    assert count(wh, "core.sdg_alignment") == 4


def test_ingest_header_only_file_loads_nothing_exit_0(wh: Path, tmp_path: Path) -> None:
    before = sha(wh)
    path = tmp_path / "outputs.csv"
    path.write_text("output_id,output_type,title,status,network_id\n", encoding="utf-8")
    summary = ingest_files([path], db=wh)
    assert summary.exit_code == 0 and summary.files[0].status == "empty"
    assert summary.files[0].rows_read == 0
    assert sha(wh) == before


def test_ingest_files_load_in_dependency_order(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    summary = ingest_files(list(reversed(fixture_paths())), db=path)
    assert summary.exit_code == 0
    assert [f.entity for f in summary.files][:3] == ["city", "cooperation", "cooperation_member"]


def test_ingest_one_rejected_file_does_not_block_the_others(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    broken = tmp_path / "activities_broken.json"
    broken.write_text('[{"activity_id": "x"', encoding="utf-8")
    summary = ingest_files([*fixture_paths(), broken], db=path)
    assert summary.exit_code == 2
    by_name = {f.file_name: f for f in summary.files}
    assert by_name["activities_broken.json"].status == "rejected"
    assert by_name["activities.csv"].status == "loaded"
    assert count(path, "core.participation") == 5
    assert count(path, "ops.ingest_run") == len(fixture_paths())


def test_ingest_dry_run_writes_nothing(wh: Path, tmp_path: Path) -> None:
    before = sha(wh)
    path = tmp_path / "participations_2024.csv"
    path.write_text(BAD_PARTICIPATIONS, encoding="utf-8")
    summary = ingest_files([path], db=wh, dry_run=True)
    report = summary.files[0]
    assert summary.dry_run and report.status == "dry_run" and summary.exit_code == 1
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    assert sha(wh) == before
    assert not list(wh.parent.glob("*.tmp"))


def test_ingest_on_open_connection(tmp_path: Path) -> None:
    con = memory_warehouse()
    summary = ingest_files(fixture_paths(), db=con)
    assert summary.exit_code == 0 and summary.db_path is None
    assert con.execute("select count(*) from core.funding").fetchone()[0] == 2


def test_ingest_default_path_from_environment(monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("IURC_DB", str(path))
    summary = ingest_files(FIXTURE_DIR / "cities.csv")
    assert summary.exit_code == 0 and summary.db_path == str(path)
    assert count(path, "core.city") == 4


def test_ingest_rows_read_equals_loaded_plus_quarantined_for_every_fixture(tmp_path: Path) -> None:
    summary = ingest_files(fixture_paths(), db=tmp_path / "wh.duckdb")
    for f in summary.files:
        assert f.rows_read == f.rows_loaded + f.rows_quarantined > 0


def test_ingest_funding_amount_eur_stored(base_wh: Path) -> None:
    con = duckdb.connect(str(base_wh), read_only=True)
    eur = con.execute(
        "select amount_eur from core.funding where funding_id = 'fund-guelph-plan-1'"
    ).fetchone()[0]
    rate = con.execute(
        "select units_per_eur from ref.fx_rate where currency = 'CAD' and year = 2023"
    ).fetchone()[0]
    assert eur == pytest.approx(250000 / rate)


def test_ingest_xlsx_and_json_files(tmp_path: Path, wh: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["city_id", "metric", "year", "value", "unit", "source"])
    ws.append(["guelph-ca", "green_space_share", 2022, 0.31, "share", "City of Guelph"])
    ws.append(["guelph-ca", "bad metric", 2022, 1, None, "x"])
    xlsx = tmp_path / "city_context_2022.xlsx"
    wb.save(xlsx)
    summary = ingest_files([xlsx], db=wh)
    report = summary.files[0]
    assert (report.file_format, report.rows_loaded, report.rows_quarantined) == ("xlsx", 1, 1)
    assert report.problems[0].line == 3 and report.problems[0].column == "metric"


def test_ingest_with_progress_bars(tmp_path: Path) -> None:
    con = memory_warehouse()
    summary = ingest_files(fixture_paths(), db=con, progress=True)
    assert summary.exit_code == 0
    assert summary.rows_read == summary.rows_loaded == sum(f.rows_read for f in summary.files)
    assert set(summary.files[0].timings) == {"read", "check", "pandera", "load"}
