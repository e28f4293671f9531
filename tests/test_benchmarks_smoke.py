"""Smoke test of the benchmark suite: it runs end to end at a tiny scale and writes valid JSON.

No timing assertions (these machines are noisy): only that every section produced figures of
the right shape. It reuses the session's demo warehouse (built by `iurc demo` at the default
scale) instead of building its own, and skips the browser page loads (the browser tests cover
the pages).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import build, loadtest, stack_floor
from benchmarks import run as bench
from pipelines.demo.build import DEFAULT_SCALE as SCALE


@pytest.mark.slow
def test_benchmarks_run_writes_valid_json(tmp_path: Path, demo_db: Path) -> None:
    data = tmp_path / "data"
    db, raw = build.paths_for(SCALE, data)
    data.mkdir()
    shutil.copyfile(demo_db, db)
    shutil.copytree(demo_db.parent / "demo", raw)
    out = tmp_path / "latest.json"
    bench.run(
        SCALE, out, reuse=True, browser=False, n_combos=2, rounds=2, data_dir=data, report=False
    )
    result = json.loads(out.read_text())
    assert result["scale"] == SCALE
    assert result["warehouse"]["core.participation_rows"] == SCALE
    assert (
        result["ingest"]["rows_read"]
        == result["ingest"]["rows_loaded"] + result["ingest"]["rows_quarantined"]
    )
    assert result["ingest_rows_per_s"] > 0 and result["ingest_vs_raw_duckdb"] > 0
    in_process = result["callbacks"]["in_process"]
    assert in_process, "no dashboard callback was found"
    for name, figures in in_process.items():
        assert figures["n"] == 4 and figures["rounds"] == 2, name  # 2 combinations, 2 rounds
        assert figures["p95_ms"] >= figures["p50_ms"] > 0, name
        assert figures["vs_raw_sql"] > 0, name
    http = result["callbacks"]["http"]
    assert http["failed_requests"] == 0
    assert set(in_process) <= set(http["callbacks"])
    assert result["pandas_baseline"]["results_agree"] is True
    assert result["pandas_baseline_speedup"] > 0
    assert result["dashboard_rss_mb"] > 0
    assert set(result["targets"]) == set(bench.TARGETS)
    for key in ("cores", "ram_gb", "cpu_model", "python", "duckdb", "date"):
        assert result["machine"][key], key


def test_loadtest_counts_tracebacks_and_crashed_workers_as_server_errors() -> None:
    log = (
        "[2026-11-30 23:55:01 +0000] [9151] [WARNING] slow request\n"
        'Traceback (most recent call last):\n  File "x.py", line 1\n'
        "_duckdb.InterruptException: INTERRUPT Error: Interrupted!\n"
        "terminate called after throwing an instance of ''\n"
        "[2026-11-30 23:55:48 +0000] [9151] [WARNING] Worker (pid:9153) was sent SIGABRT!\n"
    )
    errors = loadtest.server_errors(log)
    assert len(errors) == 3
    assert errors[0].startswith("Traceback") and "InterruptException" in errors[0]
    assert errors[1] == "terminate called after throwing an instance of ''"
    assert errors[2].endswith("was sent SIGABRT!")
    assert loadtest.server_errors("[WARNING] slow request\n") == []


def test_stack_floor_apps_link_what_their_build_says() -> None:
    """The floor's bare apps: the stock build links Dash's polyfill and dash_table and no
    Plotly (dcc fetches its own on demand); the lean build links the dashboard's partial
    Plotly bundle and neither of the others; each layout holds exactly its K charts."""
    client = stack_floor.make_server().test_client()
    stock, lean = (client.get(f"/{build}5/").get_data(as_text=True) for build in stack_floor.BUILDS)
    assert "deps/polyfill@" in stock and "dash_table/bundle" in stock
    assert "iurc.min.js" not in stock
    assert "deps/polyfill@" not in lean and "dash_table/bundle" not in lean
    assert stack_floor.LEAN_ASSETS[1] in lean and "async-graph" in lean
    assert "10-iurc.css" not in lean  # nothing of the app's own look
    for path in stack_floor.paths():
        charts = int(path.strip("/")[-1])
        layout = client.get(path + "_dash-layout").get_json()
        graphs = [c for c in layout["props"]["children"] if c["type"] == "Graph"]
        assert len(graphs) == charts, path
        for graph in graphs:
            traces = graph["props"]["figure"]["data"]
            assert [len(t["x"]) for t in traces] == [8, 8], path


@pytest.mark.browser
def test_stack_floor_pages_are_timed_until_drawn() -> None:
    """One round of the floor in headless Chromium, from its command line (its own process:
    Playwright's sync API cannot run beside the browser tests' event loop): every page gets
    each visit's figures and none raised an error (a page that never drew would time out)."""
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.stack_floor", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(run.stdout)
    assert result["page_errors"] == []
    assert set(result["pages"]) == set(stack_floor.paths())
    for path, figures in result["pages"].items():
        for visit in ("cold", "second", "warm"):
            assert figures[f"{visit}_fully_drawn"]["n"] == 1, path
            assert figures[f"{visit}_fully_drawn"]["p50_ms"] > 0, path
