"""Session-wide fixtures shared by every test package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# no background cache warming in the servers and apps the tests start (tests/dashboard/test_first_paint
# calls it directly): a warming thread would race the tests for the warehouse and the cache
os.environ.setdefault("IURC_WARM_CACHE", "0")
# no shared response cache either (tests/dashboard/test_response_cache.py turns it on): tests that
# post the same callback over one demo warehouse with different monkeypatched data must not be
# answered from what an earlier test stored beside it
os.environ.setdefault("IURC_RESPONSE_CACHE", "0")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of a demo warehouse built once per session with `iurc demo --db <tmp>`.

    Its input files are in `demo_db.parent / "demo"`. Treat both as read-only: copy the file
    before writing to it.
    """
    db = tmp_path_factory.mktemp("demo-warehouse") / "iurc.duckdb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "iurc.cli",
            "demo",
            "--db",
            str(db),
            "--out",
            str(db.parent / "demo"),
        ],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert db.exists()
    return db


# Spark on tiny data: one shuffle partition, no adaptive re-planning, interpreted expressions
# (compiling generated Java costs more than running a few thousand rows), no UI
SPARK_TEST_CONF = (
    "spark.sql.shuffle.partitions=1",
    "spark.sql.adaptive.enabled=false",
    "spark.sql.codegen.wholeStage=false",
    "spark.sql.codegen.factoryMode=NO_CODEGEN",
    "spark.ui.enabled=false",
)


@pytest.fixture(scope="session")
def spark_lake(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return (warehouse, lake): `iurc publish --engine spark` of a demo warehouse, once a session.

    Spark runs in local mode on 2 threads with the small-data settings of `SPARK_TEST_CONF`, and
    prints each mart's timings (`--timings`, shown when the test fails). The warehouse is
    the one the lake was published from (compare the lake with it, not with another demo build).
    """
    lake = tmp_path_factory.mktemp("spark-lake")
    conf = [arg for setting in SPARK_TEST_CONF for arg in ("--conf", setting)]
    proc = subprocess.run(
        [sys.executable, "-m", "iurc.cli", "publish", "--engine", "spark", "--master", "local[2]"]
        + ["--lake", str(lake), "--db", str(demo_db), "--timings", *conf],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    log = ROOT / "test-artifacts" / "spark-publish.log"  # each mart's timings, kept for reading
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return demo_db, lake
