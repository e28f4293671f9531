"""Session-wide fixtures shared by every test package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
