"""Mart build time on Spark (local mode) beside DuckDB, on a scaled demo warehouse.

    python -m benchmarks.spark_bench --scale 1000000        # `make bench ENGINE=spark`
    python -m benchmarks.spark_bench --scale 10000000 --reuse
    python -m benchmarks.spark_bench --scale 10000000 --reuse --export-only   # DuckDB + export,
    python -m benchmarks.spark_bench --scale 10000000 --reuse-lake            # then Spark from it

Steps: build (or `--reuse`) the warehouse with `iurc demo --scale N` (benchmarks/build.py); time
DuckDB's mart build (a writer session: copy, build every mart, publish); then publish the same
warehouse as a Parquet lake with the Spark engine (`lake.publish`), timing the Parquet export of
the core tables, the Spark session start and the Spark mart build apart. Writes
benchmarks/results/spark.json after every step and mart (`"complete": false` until the end). On 2 cores Spark is expected to be slower than DuckDB: the point is
that the same marts run on an engine that scales out.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks import build as buildmod
from benchmarks.common import DATA_DIR, ROOT, load_average, machine_facts

OUT = ROOT / "benchmarks" / "results" / "spark.json"


def _exported(out: Path, scale: int) -> dict[str, Any] | None:
    """Return the figures of an earlier `--export-only` run of `scale` in `out` whose lake run
    directory still exists (its DuckDB and export figures, `lake_run`), or None."""
    if not out.exists():
        return None
    earlier: dict[str, Any] = json.loads(out.read_text())
    run_dir = earlier.get("lake_run")
    if earlier.get("scale") != scale or not run_dir or not Path(run_dir).is_dir():
        return None
    return {k: earlier[k] for k in ("duckdb_marts_s", "parquet_export_s", "lake_run")}


def run(
    scale: int,
    out: Path,
    *,
    reuse: bool = False,
    master: str = "local[*]",
    export_only: bool = False,
    reuse_lake: bool = False,
) -> dict[str, Any]:
    """Time the DuckDB and Spark mart builds at `scale`; write the figures to `out`; return them.

    `export_only` stops after the Parquet export (the DuckDB figures and `lake_run` recorded);
    `reuse_lake` then starts from that export, carrying its figures, instead of redoing both.
    """
    from pipelines.warehouse import lake

    result: dict[str, Any] = {"scale": scale, "complete": False, "master": master}
    result["machine"] = machine_facts()

    def save() -> None:  # after every step: a run stopped half-way keeps what it measured
        result["load_average_now"] = load_average()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, default=str) + "\n")

    lake_dir = DATA_DIR / f"lake-{scale}"
    earlier = _exported(out, scale) if reuse_lake else None
    if earlier:
        result.update(earlier, export_reused=True)
        run_dir = Path(earlier["lake_run"])
    else:
        # build() always ends with one writer session (every mart rebuilt and published): its
        # time is DuckDB's mart build; a second session would only repeat it
        built = buildmod.build(scale, reuse=reuse, data_dir=DATA_DIR)
        result["duckdb_marts_s"] = round(built.marts_s, 2)
        save()
        shutil.rmtree(lake_dir, ignore_errors=True)
        lake_dir.mkdir(parents=True)
        run_dir = lake.new_run(lake_dir)
        import duckdb

        start = time.perf_counter()
        con = duckdb.connect(str(built.db), read_only=True)
        lake.export_tables(con, run_dir)
        con.close()
        result["parquet_export_s"] = round(time.perf_counter() - start, 2)
        result["lake_run"] = str(run_dir)
        save()
        if export_only:
            return result

    from pipelines.warehouse.spark import engine

    start = time.perf_counter()
    spark = engine.session(master)
    result["spark_session_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    # per mart: seconds to analyse, seconds to optimise, execute and write
    result["spark_mart_timings"] = {}

    def mart_written(timing: tuple[str, float, float]) -> None:
        name, analysed, executed = timing
        result["spark_mart_timings"][name] = [round(analysed, 2), round(executed, 2)]
        result["spark_marts_so_far_s"] = round(time.perf_counter() - start, 2)
        save()

    marts = engine.build_marts(spark, run_dir, mart_written)
    result["spark_marts_s"] = round(time.perf_counter() - start, 2)
    del result["spark_marts_so_far_s"]
    result["spark_marts"] = len(marts)
    lake.switch(lake_dir, run_dir)
    spark.stop()
    result["spark_vs_duckdb"] = round(result["spark_marts_s"] / result["duckdb_marts_s"], 1)
    result["complete"] = True
    save()
    for key in ("duckdb_marts_s", "parquet_export_s", "spark_session_s", "spark_marts_s"):
        print(f"{key:>20}  {result[key]}")
    print(f"wrote {out}")
    return result


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the Spark benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="participation rows")
    parser.add_argument("--reuse", action="store_true", help="reuse an earlier build of the scale")
    parser.add_argument("--master", default="local[*]", help="Spark master URL")
    parser.add_argument(
        "--export-only", action="store_true", help="stop after the DuckDB marts and Parquet export"
    )
    parser.add_argument(
        "--reuse-lake", action="store_true", help="start from an earlier --export-only run's lake"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="JSON result file")
    args = parser.parse_args(argv)
    run(
        args.scale,
        args.out,
        reuse=args.reuse,
        master=args.master,
        export_only=args.export_only,
        reuse_lake=args.reuse_lake,
    )


if __name__ == "__main__":
    main()
