"""The bad-input catalogue through the real CLI: exit status, message, no traceback, nothing lost,
warehouse untouched on rejection, bounded memory and time for hostile files."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from tests.reliability._support import (
    assert_no_traceback,
    file_sha,
    iurc_cmd,
    query,
    run_cli,
    run_limited,
    table_digest,
)
from tests.reliability.catalogue import CASES, Case

HOSTILE_TIMEOUT_S = 60
HOSTILE_MEM_LIMIT_MB = 2048  # address space; DuckDB and its threads reserve ~1.5 GB of it


def test_catalogue_has_at_least_60_cases_across_formats_and_entities() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    formats = collections.Counter(Path(c.file_name).suffix for c in CASES)
    assert formats[".csv"] >= 30 and formats[".xlsx"] >= 8 and formats[".json"] >= 15
    prefixes = {c.file_name.split("_")[0].split(".")[0] for c in CASES}
    for entity in (
        "cities",
        "cooperations",
        "cooperation",
        "activities",
        "participations",
        "outputs",
        "funding",
        "targets",
        "observations",
        "sdg",
        "city",
    ):
        assert entity in prefixes, entity


def _runs(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT run_id, file_name, rows_read, rows_loaded, rows_quarantined, status "
        "FROM ops.ingest_run ORDER BY finished_at",
    )


def _check_outcome(
    case: Case,
    db: Path,
    path: Path,
    exit_code: int,
    output: str,
    before_sha: str,
    before_digest: dict,
    runs_before: list[tuple],
) -> None:
    assert_no_traceback(output)
    assert exit_code == case.exit, f"{case.id}: exit {exit_code}, expected {case.exit}:\n{output}"
    assert path.name in output, output
    for words in case.expect:
        assert words in output, f"{case.id}: {words!r} not in:\n{output}"
    runs_after = _runs(db)
    new_runs = runs_after[len(runs_before) :]
    if case.exit == 2:
        assert "REJECTED" in output and "file rejected" in output
        assert file_sha(db) == before_sha, "a rejected file changed the published warehouse"
        assert new_runs == []
        return
    assert len(new_runs) <= 1
    if new_runs:
        run_id, name, read, loaded, quarantined, status = new_runs[0]
        assert name == path.name
        assert read == loaded + quarantined, "rows lost"
        kept = query(
            db,
            "SELECT count(*), count(*) FILTER (WHERE reasons <> '' AND line > 0) "
            "FROM ops.quarantine WHERE run_id = ?",
            [run_id],
        )[0]
        assert kept == (quarantined, quarantined), "quarantine does not hold every rejected row"
        if case.rows is not None:
            assert (read, quarantined) == case.rows, (case.id, read, quarantined)
        assert status == ("partial" if quarantined else "loaded")
    elif case.rows is not None and case.rows[0] > 0:
        pytest.fail(f"{case.id}: rows were read but no run was recorded:\n{output}")
    if case.exit == 0 and not new_runs:
        assert table_digest(db) == before_digest
    if case.check_sql:
        sql, params, expected = case.check_sql
        assert query(db, sql, params) == expected


@pytest.mark.parametrize("case", [c for c in CASES if not c.hostile], ids=lambda c: c.id)
def test_catalogue_case_through_cli(case: Case, wh: Path, tmp_path: Path) -> None:
    path = tmp_path / case.file_name
    path.write_bytes(case.data())
    before_sha, before_digest, runs_before = file_sha(wh), table_digest(wh), _runs(wh)
    result = run_cli(["ingest", str(path), "--db", str(wh), *case.args])
    assert result.exception is None, f"{case.id}: {result.exception!r}\n{result.output}"
    _check_outcome(
        case, wh, path, result.exit_code, result.output, before_sha, before_digest, runs_before
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c.hostile], ids=lambda c: c.id)
def test_catalogue_hostile_case_bounded(case: Case, wh: Path, tmp_path: Path) -> None:
    path = tmp_path / case.file_name
    path.write_bytes(case.data())
    before_sha, before_digest, runs_before = file_sha(wh), table_digest(wh), _runs(wh)
    child = run_limited(
        iurc_cmd("ingest", str(path), "--db", str(wh), *case.args),
        timeout=HOSTILE_TIMEOUT_S,
        mem_mb=HOSTILE_MEM_LIMIT_MB,
    )
    output = child.stdout + child.stderr
    assert child.max_rss_mb < case.max_rss_mb, f"{case.id}: peak RSS {child.max_rss_mb:.0f} MB"
    _check_outcome(case, wh, path, child.returncode, output, before_sha, before_digest, runs_before)
    assert not list(wh.parent.glob("*.tmp")), "orphan temp files after the run"
