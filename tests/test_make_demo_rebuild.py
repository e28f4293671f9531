"""`make run` builds the demo warehouse again when the warehouse's SQL changed after it was built,
so a pull that adds or changes a mart never serves a warehouse whose marts the code does not match
(the pages would fail on a missing mart)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MART = ROOT / "pipelines" / "warehouse" / "sql" / "marts" / "06_activity_city_cube.sql"


def _dry_run(db: Path) -> list[str]:
    # a make of its own, not a sub-make of `make test` (whose flags would add directory lines)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(
        ["make", "--no-print-directory", "-n", "run", f"DB={db}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_run_rebuilds_a_demo_warehouse_older_than_the_marts_only(tmp_path: Path) -> None:
    db = tmp_path / "iurc.duckdb"
    db.write_bytes(b"")
    sources = [*MART.parent.glob("*.sql"), MART.parents[1] / "ddl.sql"]
    newest = max(p.stat().st_mtime for p in sources)
    os.utime(db, (newest + 60, newest + 60))  # built after every mart: served as it is
    assert not any(" demo --db " in line for line in _dry_run(db))
    os.utime(db, (MART.stat().st_mtime - 60, MART.stat().st_mtime - 60))  # a mart changed since
    lines = _dry_run(db)
    assert any(line.endswith(f" demo --db {db}") for line in lines), lines
    assert lines[-2].endswith(f"refresh --db {db}")  # marts of another version: rebuilt
    assert lines[-1].endswith(f"serve --db {db} --port 8050")
