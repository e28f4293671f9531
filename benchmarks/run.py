"""Run the benchmark suite on a scaled demo warehouse; print a table and write JSON figures.

    python -m benchmarks.run --scale 1000000            # `make bench`
    python -m benchmarks.run --scale 10000000           # `make bench SCALE=10000000`
    python -m benchmarks.run --scale 20000 --out /tmp/b.json --no-browser --combos 30

Steps: build the warehouse with `iurc demo --scale N` into benchmarks/data/ (or `--reuse` an
earlier build of the same scale, republishing its marts); validated ingest of the participation
file vs DuckDB's raw `read_csv`; every page callback in-process (cold cache, 3 rounds over the combinations) vs its SQL alone;
the pandas "whole table in memory" baseline vs the query API, each in its own process; gunicorn
serving the warehouse: page loads in headless Chromium, every callback over HTTP, peak RSS; the
same page timer on bare Dash apps drawing 0, 1 and 5 charts (benchmarks.stack_floor: what Dash
and Plotly alone cost here, the floor under every page).
Targets (10 M participation rows, 2 cores) are recorded beside the figures with pass/fail.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import build as buildmod
from benchmarks import callbacks as cbmod
from benchmarks import combos as combomod
from benchmarks import ingest_bench, report_bench, serving, stack_floor
from benchmarks.common import DATA_DIR, RESULTS, ROOT, load_average, machine_facts
from pipelines.demo.build import DEFAULT_SCALE as DEMO_SCALE

# Page loads in Chromium: each page on this many filter combinations (not among the callbacks'
# ones, so the first visit is cold on the server too), three visits each (cold, second, warm).
PAGE_COMBOS = 5

TARGETS = {
    "callback_p95_ms": 50.0,
    "page_fully_drawn_warm_ms": 1000.0,  # every page, p95 over the filter combinations
    "page_fully_drawn_cold_ms": 1500.0,
    "callback_vs_raw_sql": 1.5,
    "ingest_vs_raw_duckdb": 3.0,
    "dashboard_rss_mb": 500.0,
    "pandas_baseline_speedup": 10.0,
    "report_2025_s": 60.0,  # the periodic KPI report (PDF), warm, at 10 M rows
    "report_2025_demo_s": 20.0,  # the same report on the demo warehouse (issue 17)
}


def _baseline(db: Path, combos: list, workdir: Path) -> dict[str, Any]:
    spec = workdir / "combos.json"
    spec.write_text(json.dumps([f.to_query() for f, _ in combos]))
    out = {}
    for mode in ("pandas", "ours"):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.pandas_baseline",
                "--db",
                str(db),
                "--mode",
                mode,
                str(spec),
            ],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"baseline {mode} failed:\n{proc.stderr[-3000:]}")
        out[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    pandas, ours = out["pandas"], out["ours"]
    agree = pandas.pop("checksums") == ours.pop("checksums")
    return {
        "pandas_baseline_speedup": round(pandas["total_s"] / ours["total_s"], 1),
        "pandas_baseline_speedup_p95": round(
            pandas["per_call"]["p95_ms"] / ours["per_call"]["p95_ms"], 1
        ),
        "results_agree": agree,
        "pandas": pandas,
        "ours": ours,
        "views": "per filter combination: participation over time by stakeholder, by activity type x "
        "modality, EU/CA/US/MX balance, gender by stakeholder, top 15 cities, map points, "
        "network breakdown (participations)",
    }


def _verdicts(result: dict[str, Any]) -> dict[str, Any]:
    cbs = result.get("callbacks", {}).get("in_process", {})
    worst_p95 = max((c["p95_ms"] for c in cbs.values()), default=None)
    worst_ratio = max((c["vs_raw_sql"] for c in cbs.values() if "vs_raw_sql" in c), default=None)
    pages = result.get("page_load_ms", {}).values()
    worst_page = {
        visit: max((p[f"{visit}_fully_drawn"]["p95_ms"] for p in pages), default=None)
        for visit in ("warm", "cold")
    }
    checks = {
        "page_fully_drawn_warm_ms": (
            worst_page["warm"],
            worst_page["warm"] is not None
            and worst_page["warm"] <= TARGETS["page_fully_drawn_warm_ms"],
        ),
        "page_fully_drawn_cold_ms": (
            worst_page["cold"],
            worst_page["cold"] is not None
            and worst_page["cold"] <= TARGETS["page_fully_drawn_cold_ms"],
        ),
        "callback_p95_ms": (
            worst_p95,
            worst_p95 is not None and worst_p95 <= TARGETS["callback_p95_ms"],
        ),
        "callback_vs_raw_sql": (
            worst_ratio,
            worst_ratio is not None and worst_ratio <= TARGETS["callback_vs_raw_sql"],
        ),
        "ingest_vs_raw_duckdb": (
            result.get("ingest_vs_raw_duckdb"),
            (result.get("ingest_vs_raw_duckdb") or 1e9) <= TARGETS["ingest_vs_raw_duckdb"],
        ),
        "dashboard_rss_mb": (
            result.get("dashboard_rss_mb"),
            (result.get("dashboard_rss_mb") or 1e9) <= TARGETS["dashboard_rss_mb"],
        ),
        "pandas_baseline_speedup": (
            result.get("pandas_baseline_speedup"),
            (result.get("pandas_baseline_speedup") or 0) >= TARGETS["pandas_baseline_speedup"],
        ),
        "report_2025_s": (
            result.get("report_2025_s"),
            (result.get("report_2025_s") or 1e9) <= TARGETS["report_2025_s"],
        ),
        "report_2025_demo_s": (
            result.get("report_2025_demo_s"),
            (result.get("report_2025_demo_s") or 1e9) <= TARGETS["report_2025_demo_s"],
        ),
    }
    return {
        k: {
            "target": TARGETS[k],
            "worst" if k.startswith(("callback", "page")) else "value": v,
            "met": ok,
        }
        for k, (v, ok) in checks.items()
    }


def _print_table(result: dict[str, Any]) -> None:
    cbs = result.get("callbacks", {})
    http = cbs.get("http", {}).get("callbacks", {})
    print()
    print(
        f"{'callback':<38}{'p50 ms':>9}{'p95 ms':>9}{'raw p50':>9}{'x raw':>7}{'http p50':>10}{'http p95':>10}"
    )
    for name, c in cbs.get("in_process", {}).items():
        h = http.get(name, {})
        print(
            f"{name:<38}{c['p50_ms']:>9.1f}{c['p95_ms']:>9.1f}{c.get('raw_sql_p50_ms', float('nan')):>9.1f}"
            f"{c.get('vs_raw_sql', float('nan')):>7.2f}{h.get('p50_ms', float('nan')):>10.1f}"
            f"{h.get('p95_ms', float('nan')):>10.1f}"
        )
    for name, h in http.items():
        if name.startswith("layout:"):
            print(f"{name:<38}{'':>34}{h['p50_ms']:>10.1f}{h['p95_ms']:>10.1f}")
    print()
    print(
        f"{'page (p50 ms)':<24}{'cold 1st':>10}{'cold full':>10}{'2nd full':>10}{'warm 1st':>10}"
        f"{'warm full':>10}{'prev full':>10}"
    )
    previous = result.get("previous_run", {}).get("page_fully_drawn_ms", {})
    for path, p in result.get("page_load_ms", {}).items():
        kinds = ("cold_first_chart", "cold_fully_drawn", "second_fully_drawn")
        kinds += ("warm_first_chart", "warm_fully_drawn")
        cells = [p[k]["p50_ms"] if k in p else float("nan") for k in kinds]
        before = previous.get(path)
        print(
            f"{path:<24}"
            + "".join(f"{c:>10.0f}" for c in cells)
            + (f"{before:>10.0f}" if before is not None else f"{'-':>10}")
        )
    for path, p in result.get("stack_floor_ms", {}).items():
        kinds = ("cold_first_chart", "cold_fully_drawn", "second_fully_drawn")
        kinds += ("warm_first_chart", "warm_fully_drawn")
        cells = [p[k]["p50_ms"] if k in p else float("nan") for k in kinds]
        print(f"{'floor ' + path:<24}" + "".join(f"{c:>10.0f}" for c in cells))
    if result.get("previous_run"):
        prev = result["previous_run"]
        print(
            f"(previous run: {prev.get('scale'):,} rows, load average {prev.get('load_average')})"
        )
    print()
    for key in (
        "ingest_rows_per_s",
        "ingest_vs_raw_duckdb",
        "pandas_baseline_speedup",
        "dashboard_rss_mb",
        "report_2025_s",
        "report_2025_demo_s",
    ):
        print(f"{key:<30}{result.get(key)}")
    print()
    for key, v in result.get("targets", {}).items():
        value = v.get("worst", v.get("value"))
        print(
            f"target {key:<28}{'met' if v['met'] else 'MISSED':<8} {value} (target {v['target']})"
        )


def previous_figures(previous: dict[str, Any] | None) -> dict[str, Any]:
    """Return the figures of an earlier result to compare with: its scale, load average, per page
    p50 of fully drawn (warm; the single page-load figure of older runs) and worst callback p95."""
    if not previous:
        return {}
    pages = {}
    for path, p in previous.get("page_load_ms", {}).items():
        pages[path] = p["warm_fully_drawn"]["p50_ms"] if "warm_fully_drawn" in p else p["p50_ms"]
    return {
        "scale": previous.get("scale"),
        "load_average": previous.get("machine", {}).get("load_average_at_start")
        or previous.get("load_average_at_end"),
        "page_fully_drawn_ms": pages,
        "callback_p95_ms": previous.get("targets", {}).get("callback_p95_ms", {}).get("worst"),
    }


def run(
    scale: int,
    out: Path,
    *,
    reuse: bool = False,
    browser: bool = True,
    n_combos: int = 30,
    rounds: int = cbmod.ROUNDS,
    page_combos: int = PAGE_COMBOS,
    data_dir: Path = DATA_DIR,
    pandas_baseline: bool = True,
    report: bool = True,
    ingest: bool = True,
) -> dict[str, Any]:
    """Run every benchmark at `scale`; write the figures to `out` and return them."""
    started = time.perf_counter()
    result: dict[str, Any] = {
        "scale": scale,
        "machine": machine_facts(),
        "targets_at": "10,000,000 rows, 2 cores",
    }
    built = buildmod.build(scale, reuse=reuse, data_dir=data_dir)
    result["build"] = {
        "demo_s": None if built.demo_s is None else round(built.demo_s, 1),
        "marts_publish_s": round(built.marts_s, 2),
        "reused": built.demo_s is None,
    }
    from pipelines.warehouse import db as dbmod

    con = dbmod.connect_readonly(built.db)
    try:
        result["warehouse"] = {
            "file_mb": round(built.db.stat().st_size / 1e6, 1),
            **{
                f"{t}_rows": con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in (
                    "core.participation",
                    "core.activity",
                    "mart.participation_cube",
                    "mart.participation_type_cube",
                    "mart.activity_cube",
                    "mart.sdg_entity_goal",
                )
            },
        }
        combos = combomod.filter_combos(con, n_combos + page_combos)
    finally:
        con.close()
    measured, browser_combos = combos[:n_combos], combos[n_combos:]

    if ingest:
        print("ingest ...", flush=True)
        figures = ingest_bench.run(built.db, built.raw_dir)
        result["ingest"] = figures
        result["ingest_rows_per_s"] = figures["ingest_rows_per_s"]
        result["ingest_vs_raw_duckdb"] = figures["ingest_vs_raw_duckdb"]

    print("callbacks in process ...", flush=True)
    inproc = cbmod.run(built.db, measured, rounds=rounds)
    result["callbacks"] = {
        "in_process": inproc["callbacks"],
        "layouts_in_process": inproc["layouts"],
        "filter_combinations": len(measured),
        "rounds": rounds,
    }

    if pandas_baseline:
        print("pandas baseline ...", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            base = _baseline(built.db, measured, Path(tmp))
        result["pandas_baseline"] = base
        result["pandas_baseline_speedup"] = base["pandas_baseline_speedup"]

    if report:
        print("report ...", flush=True)
        result["report"] = report_bench.run(built.db)
        result["report_2025_s"] = result["report"]["warm"]["total_wall_s"]
        # issue 17 asks for the demo too: its default scale, built once and then reused
        demo = (
            built
            if scale == DEMO_SCALE
            else buildmod.build(DEMO_SCALE, reuse=True, data_dir=data_dir)
        )
        result["report_demo"] = report_bench.run(demo.db)
        result["report_2025_demo_s"] = result["report_demo"]["warm"]["total_wall_s"]

    print("server ...", flush=True)
    callbacks = cbmod.page_callbacks()
    pages = [path for path, _ in cbmod.page_layouts()]
    with serving.gunicorn(built.db) as (url, proc):
        result["dashboard_rss_at_start_mb"] = serving.peak_rss_mb(proc)["worker_peak_mb"]
        if browser:
            loads = serving.page_loads(url, pages, browser_combos)
            result["page_load_ms"] = loads["pages"]
            result["page_errors"] = loads["page_errors"]
        http = serving.exercise(url, callbacks, measured, pages)
        result["callbacks"]["http"] = http
        rss = serving.peak_rss_mb(proc)
    if browser:
        print("stack floor ...", flush=True)
        floor = stack_floor.measure(rounds=page_combos)
        result["stack_floor_ms"] = floor["pages"]
        result["page_errors"] = result.get("page_errors", []) + floor["page_errors"]
    result["dashboard_rss"] = rss
    result["dashboard_rss_mb"] = rss["worker_peak_mb"]
    result["targets"] = _verdicts(result)
    result["load_average_at_end"] = load_average()
    result["seconds"] = round(time.perf_counter() - started, 1)
    if out.exists():
        result["previous_run"] = previous_figures(json.loads(out.read_text()))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    _print_table(result)
    print(f"\nwrote {out} ({result['seconds']} s)")
    return result


def main(argv: list[str] | None = None) -> None:
    """Command line entry point (`make bench`)."""
    parser = argparse.ArgumentParser(
        description="IURC Impact benchmark suite (see benchmarks/run.py)"
    )
    parser.add_argument(
        "--scale", type=int, default=1_000_000, help="participation rows (default 1,000,000)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS,
        help=f"JSON output (default {RESULTS.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse an earlier build of this scale (rebuild marts only)",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the headless-Chromium page loads"
    )
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    parser.add_argument("--no-report", action="store_true", help="skip the KPI report timing")
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingest timing")
    parser.add_argument(
        "--combos",
        type=int,
        default=30,
        help="filter combinations per callback (>= 30 for the figures)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=cbmod.ROUNDS,
        help=f"cold calls of each callback per combination (default {cbmod.ROUNDS})",
    )
    parser.add_argument(
        "--page-combos",
        type=int,
        default=PAGE_COMBOS,
        help=f"filter combinations each page is loaded on in Chromium (default {PAGE_COMBOS})",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=DATA_DIR, help="where builds go (git-ignored)"
    )
    args = parser.parse_args(argv)
    run(
        args.scale,
        args.out,
        reuse=args.reuse,
        browser=not args.no_browser,
        n_combos=args.combos,
        rounds=args.rounds,
        page_combos=args.page_combos,
        data_dir=args.data_dir,
        pandas_baseline=not args.no_pandas,
        report=not args.no_report,
        ingest=not args.no_ingest,
    )


if __name__ == "__main__":
    main()
