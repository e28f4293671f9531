"""A process that exits while its cache warm-up is inside DuckDB ends cleanly (dashboard.data).

The warm-up runs in a daemon thread. Before `_stop_warming`, a gunicorn worker stopped during a
warm-up aborted ("terminate called after throwing an instance of ''", SIGABRT) or logged an
interrupted layout query: `make loadtest` saw both when it stopped the server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import logging, sys, threading
    logging.basicConfig()
    from dashboard import data

    data.configure(sys.argv[1])
    started = threading.Event()

    def endless_warmer():
        cur = data.cursor()
        started.set()
        cur.execute("select count(*) from range(100000000000)").fetchone()
        print("the warm-up query ended", flush=True)

    data.on_publish(endless_warmer)
    data.start_warming()
    assert started.wait(60), "the warm-up did not start"
    print("exiting", flush=True)
    """
)


def test_exit_during_a_warm_up_stops_it_and_ends_cleanly(demo_db: Path) -> None:
    env = {**os.environ, "IURC_WARM_CACHE": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(demo_db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == ["exiting"]  # interrupted, not run to its end
    assert "Traceback" not in proc.stderr and "terminate" not in proc.stderr, proc.stderr
