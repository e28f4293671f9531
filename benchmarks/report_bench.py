"""Time the periodic KPI report (`iurc report`) on a benchmark warehouse, phase by phase.

    python -m benchmarks.report_bench --db benchmarks/data/iurc-1000000.duckdb

Builds the 2025 programme report as a PDF twice in one process: the first ("cold") build pays
for starting kaleido's headless Chromium and importing WeasyPrint, the second ("warm") is what
a dashboard worker that has built a report before pays. Each phase (figures from the metric
layer, charts as SVG, HTML, PDF) is timed in wall-clock and CPU seconds: on a shared machine the
CPU time says what the work costs, the wall time what a user waited. As in `build_report`, the
browser's start and WeasyPrint's import are set going before the figures are gathered, so a cold
build's charts and PDF phases show what is left of them after that overlap.

Then ("cli") the same report through the command line, `iurc report`, in a fresh process: the
time a programme manager waits, imports included; its CPU counts the child processes (Python
and, when they have exited, the browser's).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import load_average, machine_facts

REPORT_YEAR = 2025
TARGET_S = {"demo": 20.0, "10M": 60.0}  # issue 17's aims


def _timed(fn: Any, *args: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def run(db: Path, *, lang: str = "en") -> dict[str, Any]:
    """Return the cold and warm build times of the 2025 report on `db`, per phase."""
    from dashboard import report, static_charts
    from dashboard.i18n import t
    from pipelines.report.gather import gather
    from pipelines.report.html import render_html
    from pipelines.report.pdf import html_to_pdf, preload
    from pipelines.report.scope import ReportScope
    from pipelines.warehouse import db as dbmod

    def figures(*args: Any) -> Any:
        # as build_report does: the browser boots and WeasyPrint imports while DuckDB answers
        static_charts.start()
        preload()
        return gather(*args)

    scope = ReportScope(REPORT_YEAR)
    con = dbmod.connect_readonly(db)
    result: dict[str, Any] = {
        "period": scope.period_code,
        "lang": lang,
        "load_average_at_start": load_average(),
    }
    try:
        for run_name in ("cold", "warm"):
            phases: dict[str, dict[str, float]] = {}
            data, wall, cpu = _timed(figures, con, scope, lang)
            phases["figures"] = {"wall_s": wall, "cpu_s": cpu}
            ctx, wall, cpu = _timed(report.context, data, lang)
            phases["charts_and_words"] = {"wall_s": wall, "cpu_s": cpu}
            html, wall, cpu = _timed(render_html, ctx, lambda key, **v: t(key, lang, **v))
            phases["html"] = {"wall_s": wall, "cpu_s": cpu}
            pdf, wall, cpu = _timed(html_to_pdf, html)
            phases["pdf"] = {"wall_s": wall, "cpu_s": cpu}
            result[run_name] = {
                "total_wall_s": round(sum(p["wall_s"] for p in phases.values()), 2),
                "total_cpu_s": round(sum(p["cpu_s"] for p in phases.values()), 2),
                "phases": {k: {m: round(v, 2) for m, v in p.items()} for k, p in phases.items()},
                "pdf_bytes": len(pdf),
            }
    finally:
        con.close()
    result["cli"] = run_cli(db, lang=lang)
    result["load_average_at_end"] = load_average()
    return result


def run_cli(db: Path, *, lang: str = "en") -> dict[str, Any]:
    """Return the wall and CPU seconds of `iurc report --period 2025` in a fresh process."""
    iurc = Path(sys.executable).with_name("iurc")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.pdf"
        command = [str(iurc), "report", "--period", str(REPORT_YEAR), "--lang", lang]
        wall = time.perf_counter()
        subprocess.run([*command, "--db", str(db), "--out", str(out)], check=True)
        wall = time.perf_counter() - wall
        size = out.stat().st_size
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "pdf_bytes": size}


def main(argv: list[str] | None = None) -> None:
    """Command line entry point: print the figures as JSON."""
    parser = argparse.ArgumentParser(description="Time the periodic KPI report")
    parser.add_argument("--db", type=Path, required=True, help="warehouse file")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--label", default="", help="name of this warehouse in --out (e.g. demo)")
    parser.add_argument("--out", type=Path, help="JSON file to add the figures to, under --label")
    args = parser.parse_args(argv)
    figures = run(args.db, lang=args.lang)
    print(json.dumps(figures, indent=2))
    if args.out:
        done = json.loads(args.out.read_text()) if args.out.exists() else {}
        done[args.label or args.db.stem] = {"machine": machine_facts(), **figures}
        args.out.write_text(json.dumps(done, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
