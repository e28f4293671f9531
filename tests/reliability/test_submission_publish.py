"""Approving submissions publishes through the one serialised writer, and nothing is lost (#14).

On one small warehouse (module fixture): a simulated full disk refuses to publish and leaves the
previous warehouse serving; a `kill -9` of a process in the middle of an approval leaves the
warehouse as it was and the submission pending (approving it again then works); two approvals
released at the same moment by a barrier both publish, one after the other; every publish keeps
the file it replaced as a snapshot, which `iurc restore` publishes again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iurc.cli import app as cli
from pipelines.app import audit, submissions
from pipelines.warehouse import db

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def env(small_wh: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point the warehouse, the app database and the submissions folder at a private folder."""
    base = tmp_path_factory.mktemp("submission-publish")
    wh = base / "iurc.duckdb"
    shutil.copyfile(small_wh, wh)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IURC_DB", str(wh))
        mp.setenv("IURC_APP_DB", str(base / "app" / "app.sqlite"))
        mp.setenv("IURC_SUBMISSIONS_DIR", str(base / "submissions"))
        yield wh


def _pending(name: str, user: str = "ed") -> submissions.Submission:
    path = FIXTURES / name
    sub = submissions.upload(path.read_bytes(), name, user, ("velletri-it",))
    assert sub.exit_code in (0, 1), sub.report
    return submissions.submit(sub.id, user)


def _count(wh: Path, sql: str) -> int:
    con = db.connect_readonly(wh)
    try:
        return int(db.one_row(con, sql)[0])
    finally:
        con.close()


def test_full_disk_refuses_and_the_previous_warehouse_keeps_serving(env: Path, monkeypatch) -> None:
    sub = _pending("participations_malmo_2025.csv")
    before = _sha(env)
    reader = db.Warehouse(env)
    served = reader.cursor().execute("select count(*) from core.participation").fetchone()
    monkeypatch.setattr(
        shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**12, 10**12, 0)
    )
    with pytest.raises(db.DiskSpaceError):
        submissions.approve(sub.id, "officer")
    monkeypatch.undo()
    assert _sha(env) == before
    assert submissions.get(sub.id).status == "pending"
    assert reader.cursor().execute("select count(*) from core.participation").fetchone() == served
    assert not list(env.parent.glob("*.tmp"))


CHILD = """
import sys, threading
from pipelines.warehouse import marts
from pipelines.app import submissions

def stop_here(*args, **kwargs):  # inside the writer: rows loaded in the copy, not yet published
    print("inside", flush=True)
    threading.Event().wait()

marts.build_marts = stop_here
submissions.approve(int(sys.argv[1]), "officer")
"""


def test_kill_9_during_an_approval_leaves_the_warehouse_and_the_submission_pending(
    env: Path,
) -> None:
    sub = next(s for s in submissions.all_submissions("pending"))
    before = _sha(env)
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(sub.id)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "inside"  # blocks until the child is mid-approval
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _sha(env) == before
    assert submissions.get(sub.id).status == "pending"
    assert (
        _count(
            env,
            "select count(*) from ops.ingest_run where file_name = 'participations_malmo_2025.csv'",
        )
        == 0
    )
    submissions.approve(sub.id, "officer", "after the crash")  # the lock was released with it
    assert submissions.get(sub.id).status == "approved"
    assert (
        _count(
            env,
            "select count(*) from ops.ingest_run where file_name = 'participations_malmo_2025.csv'",
        )
        == 1
    )
    assert not list(env.parent.glob("*.tmp"))


def test_two_approvals_at_the_same_moment_both_publish_in_order(env: Path) -> None:
    first = _pending("activities_velletri_2025.csv")
    second = _pending("activities_guelph_2025.csv", user="gu")
    runs_before = _count(env, "select count(*) from ops.ingest_run")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(submission_id: int) -> None:
        barrier.wait()
        try:
            submissions.approve(submission_id, "officer")
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=approve, args=(s.id,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {submissions.get(s.id).status for s in (first, second)} == {"approved"}
    assert _count(env, "select count(*) from core.activity where activity_id like 'act-sub-%'") == 2
    con = db.connect_readonly(env)
    runs = con.execute(
        "select file_name from ops.ingest_run order by finished_at desc limit 2"
    ).fetchall()
    con.close()
    assert _count(env, "select count(*) from ops.ingest_run") == runs_before + 2
    log = audit.entries()
    approved = log[log["action"] == "approved"]["file_name"].tolist()[:2]  # newest first
    assert [r[0] for r in runs] == approved  # published in the order they were approved


def test_snapshots_are_kept_and_restore_publishes_one_again(env: Path) -> None:
    snaps = db.list_snapshots(env)
    assert len(snaps) >= 3  # one per publish above
    runner = CliRunner()
    listed = runner.invoke(cli, ["snapshots", "--db", str(env)])
    assert listed.exit_code == 0 and snaps[0].stem in listed.output
    # the oldest snapshot is the warehouse before any approval: no submitted activity in it
    restored = runner.invoke(cli, ["restore", snaps[0].stem, "--db", str(env)])
    assert restored.exit_code == 0, restored.output
    assert _sha(env) == _sha(snaps[0])
    assert _count(env, "select count(*) from core.activity where activity_id like 'act-sub-%'") == 0
    refused = runner.invoke(cli, ["restore", "no-such-run", "--db", str(env)])
    assert refused.exit_code == 2 and "no snapshot" in refused.output
    log = audit.entries()
    assert (log["action"] == "restore").any() and set(log["via"]) >= {"web", "cli"}


def test_hardened_reader_reaches_no_file_and_cannot_lift_its_limits(env: Path) -> None:
    cur = db.Warehouse(env).cursor()
    for sql in (
        "select * from read_csv('/etc/passwd')",
        "copy (select 1) to '/tmp/iurc-hardened-test.csv'",
        "attach '/tmp/iurc-other.duckdb' as other",
        "set enable_external_access = true",
        "set memory_limit = '100GB'",
    ):
        with pytest.raises(Exception):  # noqa: B017, PT011 - DuckDB raises several kinds
            cur.execute(sql)
    threads = cur.execute("select current_setting('threads')").fetchone()
    assert threads is not None and int(threads[0]) == 2
