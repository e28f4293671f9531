"""Publishing under pressure: readers keep working during an ingest in another process, and an
ingest killed with SIGKILL mid-load leaves the published warehouse exactly as it was."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.run import ingest_files
from pipelines.warehouse import db
from tests.fixtures.ingest import fixture_paths

ROOT = Path(__file__).resolve().parents[2]
IURC = [sys.executable, "-m", "iurc.cli"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base_wh(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "wh.duckdb"
    assert ingest_files(fixture_paths(), db=path).exit_code == 0
    return path


@pytest.fixture(scope="module")
def big_activities(tmp_path_factory) -> Path:
    """A valid activities file big enough that loading it takes a few seconds."""
    path = tmp_path_factory.mktemp("big") / "activities_big.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "activity_id",
                "title",
                "activity_type",
                "modality",
                "status",
                "start_date",
                "end_date",
                "network_id",
                "subtheme_id",
                "host_city_id",
            ]
        )
        for i in range(400_000):
            writer.writerow(
                [
                    f"big-{i:07d}",
                    f"Webinar {i}",
                    "webinar",
                    "online",
                    "completed",
                    "2023-03-01",
                    "2023-03-01",
                    "innovation",
                    "health",
                    "guelph-ca",
                ]
            )
    return path


def start_ingest(path: Path, wh: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*IURC, "ingest", str(path), "--db", str(wh)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_mid_load(proc: subprocess.Popen, wh: Path, timeout: float = 600) -> None:
    """Return once the ingest writes into its private copy (the copy's WAL file exists).

    Waits on that condition (and on the process, which must not end first), not on a timer.
    """
    deadline = time.monotonic() + timeout
    while not list(wh.parent.glob(wh.name + ".*.tmp.wal")):
        try:
            proc.wait(timeout=0.02)
        except subprocess.TimeoutExpired:
            assert time.monotonic() < deadline, "the ingest never started writing its copy"
        else:
            out, err = proc.communicate()
            pytest.fail(f"the ingest ended before its load was seen: {out}{err}")


def count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select count(*) from core.activity").fetchone()[0]


@pytest.mark.slow
def test_readers_keep_working_during_ingest_and_then_see_new_data(
    base_wh: Path, big_activities: Path, tmp_path: Path
) -> None:
    wh = tmp_path / "wh.duckdb"
    shutil.copyfile(base_wh, wh)
    handle = db.Warehouse(wh)
    raw = duckdb.connect(str(wh), read_only=True)
    assert count(handle.cursor()) == 3
    proc = start_ingest(big_activities, wh)
    try:
        wait_until_mid_load(proc, wh)
        # the writer is frozen mid-load (holding its locks and its half-written copy): readers of
        # the published file, old and new, still work and see the data as it was
        os.kill(proc.pid, signal.SIGSTOP)
        assert list(tmp_path.glob("wh.duckdb.*.tmp.wal")), "the copy was published already"
        assert count(handle.cursor()) == 3
        assert count(raw) == 3
        during = db.connect_readonly(wh)
        assert count(during) == 3
        during.close()
        os.kill(proc.pid, signal.SIGCONT)
        out, err = proc.communicate(timeout=900)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out + err
    assert count(handle.cursor()) == 400_003
    assert count(raw) == 3  # old snapshot
    fresh = db.connect_readonly(wh)
    assert count(fresh) == 400_003
    raw.close()


def runs(wh: Path) -> int:
    """Return the number of ingest runs recorded in the warehouse at `wh`."""
    con = db.connect_readonly(wh)
    try:
        return int(con.execute("select count(*) from ops.ingest_run").fetchone()[0])
    finally:
        con.close()


@pytest.mark.slow
def test_ingest_killed_mid_load_leaves_published_warehouse_unchanged(
    base_wh: Path, big_activities: Path, tmp_path: Path
) -> None:
    wh = tmp_path / "wh.duckdb"
    shutil.copyfile(base_wh, wh)
    before = sha(wh)
    runs_before = runs(wh)
    proc = start_ingest(big_activities, wh)
    try:
        wait_until_mid_load(proc, wh)
        os.kill(proc.pid, signal.SIGKILL)  # our own child, by id, while it writes its copy
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert list(tmp_path.glob("wh.duckdb.*.tmp")), "no private copy was left: not killed mid-load"
    assert sha(wh) == before
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select count(*) from core.activity").fetchone()[0] == 3
    con.close()
    # the next ingest succeeds and clears the orphaned private copy
    retry = subprocess.run(
        [*IURC, "ingest", str(fixture_paths()[3]), "--db", str(wh)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert not list(tmp_path.glob("wh.duckdb.*.tmp"))
    # the killed ingest recorded nothing; the retry re-reads a file already loaded: no new run
    assert runs(wh) == runs_before
