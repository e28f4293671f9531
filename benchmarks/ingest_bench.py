"""Validated ingest of the participation file through the real ingest path, against DuckDB's own
`read_csv` loading the same file into a table with no validation (the physical limit here).

Both load into a fresh on-disk DuckDB file. The validated run starts from a warehouse holding
every other entity of the same demo (copied table by table from the benchmark build), so its
reference checks see the real activities and cities.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.common import best_of
from pipelines.warehouse import db as dbmod
from schemas import ENTITIES

FACT = "participation"


def base_warehouse(source: Path, target: Path) -> None:
    """Write at `target` a warehouse with every core table of `source` except participation."""
    con = duckdb.connect(str(target))
    try:
        dbmod.prepare(con, with_marts=False)
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(source)])
        for name in ENTITIES:  # entity names come from the schema registry
            if name != FACT:
                con.execute(f"INSERT INTO core.{name} BY NAME SELECT * FROM src.core.{name}")
        con.execute("DETACH src")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def raw_read_csv_s(csv: Path, workdir: Path, repeat: int = 2) -> float:
    """Return the best time DuckDB's `read_csv` takes to load `csv` into a table (no validation)."""
    runs = iter(range(repeat))

    def load() -> None:
        db = workdir / f"raw-{next(runs)}.duckdb"
        con = duckdb.connect(str(db))
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute("CREATE TABLE participation AS SELECT * FROM read_csv(?)", [str(csv)])
        finally:
            con.close()
        db.unlink()

    return best_of(load, repeat)


def run(bench_db: Path, raw_dir: Path, log=print) -> dict[str, Any]:
    """Time the validated ingest and the raw read_csv of the participation file; return figures."""
    from pipelines.ingest.run import ingest_files

    csv = raw_dir / "participations.csv"
    with tempfile.TemporaryDirectory(prefix="iurc-bench-ingest-", dir=bench_db.parent) as tmp:
        work = Path(tmp)
        raw_s = raw_read_csv_s(csv, work)
        log(f"raw read_csv: {raw_s:.2f} s")
        base = work / "base.duckdb"
        base_warehouse(bench_db, base)
        con = duckdb.connect(str(base))
        try:
            con.execute("SET enable_progress_bar = false")
            start = time.perf_counter()
            summary = ingest_files([csv], db=con)
            wall_s = time.perf_counter() - start
        finally:
            con.close()
    report = summary.files[0]
    if report.exit_code == 2:
        raise RuntimeError(f"participation file rejected: {report.messages}")
    file_s = report.seconds
    log(f"validated ingest: {file_s:.2f} s for {report.rows_read:,} rows")
    return {
        "file": csv.name,
        "file_mb": round(csv.stat().st_size / 1e6, 1),
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rows_quarantined": report.rows_quarantined,
        "ingest_s": round(file_s, 3),
        "ingest_call_s": round(wall_s, 3),
        "raw_read_csv_s": round(raw_s, 3),
        "ingest_rows_per_s": round(report.rows_read / file_s),
        "ingest_vs_raw_duckdb": round(file_s / raw_s, 2),
        "ingest_steps_s": dict(getattr(report, "timings", {}) or {}),
        "note": "ingest_s = read + validate (SQL checks and Pandera) + upsert + quarantine of the file in "
        "one transaction (ingest_files on an open connection); publishing (copy, marts, rename) is "
        "measured apart as marts_publish_s",
    }
