"""Shared helpers of the benchmarks: paths, timing statistics, process memory, machine facts."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"


def percentile(values: list[float], pct: float) -> float:
    """Return the pct-th percentile (0-100, linear interpolation) of non-empty `values`."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """Return {n, p50_ms, p95_ms, max_ms, mean_ms} of durations given in seconds."""
    ms = [s * 1000.0 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return (seconds, result) of one call of `fn`."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Return the fastest of `repeat` timed calls of `fn`, in seconds."""
    return min(timed(fn)[0] for _ in range(repeat))


def proc_status_kb(pid: int | str = "self", field: str = "VmHWM") -> int:
    """Return a /proc/<pid>/status memory field in kB (VmHWM = peak RSS, VmRSS = current RSS)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def mb(kb: int) -> float:
    """Return kB as MB (MiB), rounded to one decimal."""
    return round(kb / 1024.0, 1)


def load_average() -> list[float]:
    """Return the 1, 5 and 15-minute load averages (how busy the machine was)."""
    return [round(x, 2) for x in os.getloadavg()]


def machine_facts() -> dict[str, Any]:
    """Return the facts that make figures comparable: CPU, cores, RAM, versions, date, load."""
    import duckdb
    import pandas

    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_kb = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            ram_kb = int(fh.readline().split()[1])
    except OSError:
        pass
    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                check=False,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout.strip()
            or None
        )
    except OSError:
        commit = None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "git_commit": commit,
        "load_average_at_start": load_average(),
    }
