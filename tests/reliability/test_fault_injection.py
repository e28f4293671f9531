"""Fault injection: kill -9 an ingest at random points; the published warehouse must stay whole.

A helper process imports the ingest code once and forks one child per ingest (so a kill lands
in the load, not in Python's start-up). Each child loads 7,500 activities and 150,000
participations into the small fixture warehouse; the test SIGKILLs it after a random delay
spread over a measured uninterrupted load. After every kill the published file must open, pass an
integrity check (CHECKPOINT and row counts on a copy, a content hash of every core/ops table)
and equal the warehouse before the load, byte for byte; the next ingest must then succeed and
leave no orphan temporary files.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.reliability._support import ROOT, core_digest, file_sha, table_digest

KILLS = 20
ACTIVITIES = 7_500
CITIES = ("guelph-ca", "velletri-it", "malmo-se", "saanich-ca")
TYPES = ("local_government", "academia", "business", "civil_society", "other")

# A fork server: "run <db> <file>..." forks a child that ingests the files and exits with the
# summary's exit code, and prints "pid <n>"; "reap <n>" waits for that child and prints
# "exit <n> <status>". A child stays unreaped (a zombie at worst) until the test asks, so its pid
# cannot be reused by another process while the test may still signal it.
ZYGOTE = r"""
import os, sys
from pipelines.ingest.run import ingest_files
print("ready", flush=True)
for line in sys.stdin:
    verb, *args = line.split()
    if verb == "reap":
        pid = int(args[0])
        _, status = os.waitpid(pid, 0)
        print(f"exit {pid} {status}", flush=True)
        continue
    db, *files = args
    pid = os.fork()
    if pid == 0:
        try:
            code = ingest_files(files, db=db).exit_code
        except BaseException:
            code = 99
        os._exit(code)
    print(f"pid {pid}", flush=True)
"""


def _write_inputs(folder: Path) -> list[Path]:
    acts = folder / "activities_bulk.csv"
    parts = folder / "participations_bulk.csv"
    with open(acts, "w", encoding="utf-8") as fh:
        fh.write(
            "activity_id,title,activity_type,modality,status,start_date,end_date,network_id,"
            "cooperation_id,reported_date\n"
        )
        fh.writelines(
            f"act-bulk-{i},Bulk activity {i},webinar,online,completed,2023-01-02,2023-01-02,"
            "ecological_transition,pair-guelph-velletri,2023-01-10\n"
            for i in range(ACTIVITIES)
        )
    with open(parts, "w", encoding="utf-8") as fh:
        fh.write("activity_id,city_id,stakeholder_type,participants,women,organisations\n")
        for i in range(ACTIVITIES):
            for city in CITIES:
                fh.writelines(
                    f"act-bulk-{i},{city},{kind},{(i % 40) + 2},{(i % 40) // 2},1\n"
                    for kind in TYPES
                )
    return [acts, parts]


class Zygote:
    """The fork server process and its line protocol."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert self.proc.stdout.readline().strip() == "ready"

    def start(self, db: Path, files: list[Path]) -> int:
        """Fork an ingest child; return its pid."""
        self.proc.stdin.write(" ".join(map(str, ["run", db, *files])) + "\n")
        self.proc.stdin.flush()
        kind, pid = self.proc.stdout.readline().split()
        assert kind == "pid"
        return int(pid)

    def wait(self, pid: int) -> int:
        """Reap child `pid` and return its raw wait status."""
        self.proc.stdin.write(f"reap {pid}\n")
        self.proc.stdin.flush()
        kind, got, status = self.proc.stdout.readline().split()
        assert (kind, int(got)) == ("exit", pid)
        return int(status)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _integrity(db: Path, scratch: Path) -> dict[str, tuple[int, int]]:
    """Open the published file, checkpoint a copy of it, and return its content digest."""
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    assert con.execute("SELECT count(*) FROM wh.core.city").fetchone()[0] > 0
    con.close()
    copy = scratch / "check.duckdb"
    shutil.copyfile(db, copy)
    rw = duckdb.connect(str(copy))
    try:
        rw.execute("CHECKPOINT")
        assert rw.execute("PRAGMA database_size").fetchall()
        for schema, table in rw.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('core', 'ops')"
        ).fetchall():
            rw.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()
    finally:
        rw.close()
    copy.unlink()
    return table_digest(db)


@pytest.mark.slow
def test_fault_kill_9_during_ingest_leaves_published_warehouse_whole(
    small_wh: Path, tmp_path: Path
) -> None:
    inputs = _write_inputs(tmp_path)
    folder = tmp_path / "published"
    folder.mkdir()
    db = folder / "iurc.duckdb"
    shutil.copyfile(small_wh, db)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    before_sha, before = file_sha(db), table_digest(db)
    zygote = Zygote()
    try:
        # one uninterrupted load on a copy: its duration spreads the kills, its result is "after"
        calib = tmp_path / "calib" / "iurc.duckdb"
        calib.parent.mkdir()
        shutil.copyfile(db, calib)
        started = time.perf_counter()
        status = zygote.wait(zygote.start(calib, inputs))
        duration = time.perf_counter() - started
        assert os.waitstatus_to_exitcode(status) == 0
        after = core_digest(calib)
        assert after["core.participation"][0] == before["core.participation"][0] + ACTIVITIES * 20
        rnd = random.Random(20240607)
        killed, completed = 0, 0
        delays = []
        for _ in range(KILLS):
            # a random point of the load; a load that finishes first (the machine is faster now
            # than during the calibration) is checked, then tried again with half the delay, so
            # every round ends with a kill and the outcome does not depend on the machine's speed
            delay = rnd.uniform(0.0, duration)
            while True:
                pid = zygote.start(db, inputs)
                time.sleep(delay)  # the kill point itself, not a wait for something to happen
                os.kill(pid, signal.SIGKILL)  # our own child, by id
                status = zygote.wait(pid)
                delays.append(round(delay, 2))
                state = _integrity(db, scratch)
                if os.WIFSIGNALED(status):
                    killed += 1
                    assert state == before, f"killed after {delay:.2f} s: the warehouse changed"
                    assert file_sha(db) == before_sha
                    break
                # finished before the kill landed: the load must then be complete
                completed += 1
                assert core_digest(db) == after
                shutil.copyfile(small_wh, db)
                assert file_sha(db) == before_sha
                delay /= 2
        assert killed == KILLS, (killed, completed, delays)
        print(
            f"\nfault injection: {killed} kills mid-load, {completed} loads finished first; "
            f"load {duration:.2f} s; delays {delays}"
        )
        # the next ingest succeeds, cleans the orphans of the killed writers and publishes all
        status = zygote.wait(zygote.start(db, inputs))
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        zygote.close()
    _integrity(db, scratch)
    assert core_digest(db) == after
    runs = table_digest(db)["ops.ingest_run"][0]
    assert runs == before["ops.ingest_run"][0] + 2
    kept = ("iurc.duckdb", "iurc.duckdb.lock", "iurc.duckdb.snapshots")  # snapshots: #14
    leftovers = [p.name for p in folder.iterdir() if p.name not in kept]
    assert leftovers == [], f"orphan files: {leftovers}"
    snapshots = folder / "iurc.duckdb.snapshots"
    assert all(p.suffix == ".duckdb" for p in snapshots.iterdir())  # no orphan inside either


def test_fault_next_writer_removes_orphan_copies_and_their_wal(wh: Path, tmp_path: Path) -> None:
    # what a kill -9 mid-load leaves beside the published file: the private copy and its WAL
    for suffix in (".dead1.tmp", ".dead2.tmp.wal"):
        (wh.parent / (wh.name + suffix)).write_bytes(b"partial")
    source = tmp_path / "participations_one.csv"
    source.write_text(
        "activity_id,city_id,stakeholder_type,participants\n"
        "act-2022-webinar-nbs,guelph-ca,business,3\n",
        encoding="utf-8",
    )
    from pipelines.ingest.run import ingest_files

    assert ingest_files([source], db=wh).exit_code == 0
    assert sorted(p.name for p in wh.parent.iterdir()) == [
        wh.name,
        wh.name + ".lock",
        wh.name + ".snapshots",  # the file it replaced, kept as a snapshot (#14)
    ]
