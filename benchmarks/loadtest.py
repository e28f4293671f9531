"""Load test: gunicorn workers serving the demo warehouse under concurrent callback traffic while
ingests publish new data. Run with `make loadtest` (not part of `make test`).

1. Builds the demo warehouse in a temporary folder (`iurc demo`).
2. Starts gunicorn (`dashboard.app:server`, several workers) on 127.0.0.1 with IURC_DB set.
3. Reads `GET /_dash-dependencies` and builds `POST /_dash-update-component` payloads for every
   server-side callback driven by the global filter state (plus the page controls whose values are
   known), with varied filters (networks, regions, countries, periods, languages).
4. N client threads call them for D seconds (bounded: loopback only, a fixed time), while the
   main thread runs three ingests through `ingest_files` (new activities and participations) and,
   after each publish, polls the data-quality runs callback until the new file shows.
5. Prints a table and writes benchmarks/results/loadtest.json: requests served, failures
   (non-200 or a Dash error body), p50/p95/p99 latency, the data-visible latency per ingest, and
   the errors the server logged (tracebacks, crashed workers), read after it was stopped: any
   failure or server error fails the run.

Example: python -m benchmarks.loadtest --clients 50 --duration 60 --workers 4
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "loadtest.json"
STATE_ID = "app-state"
KNOWN_VALUES = {  # page controls whose values the generator can vary
    ("participation-measure", "value"): ["participants", "cities", "organisations"],
    ("sdg-method", "value"): ["primary", "all"],
    ("sdg-goal", "value"): [11, 13, 17, 9],
}
VISIBLE_LIMIT_S = 5.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _parse_one(spec: str) -> dict[str, Any]:
    ident, _, prop = spec.rpartition(".")
    prop = prop.split("@")[0]
    return {"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop}


def parse_outputs(spec: str) -> list[dict[str, Any]] | dict[str, Any]:
    """Return Dash's `outputs` field for a callback's output spec (list for multi-output)."""
    if spec.startswith(".."):
        return [_parse_one(part) for part in spec[2:-2].split("...")]
    return _parse_one(spec)


def usable_callbacks(deps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the server-side callbacks whose inputs the generator can fill (filters + controls)."""
    out = []
    for dep in deps:
        # figure callbacks are prevent_initial_call (the first paint is in the layout) but still
        # answer every filter change, so they are load-tested too
        if dep.get("clientside_function"):
            continue
        inputs = [(i["id"], i["property"]) for i in dep["inputs"]]
        if any(isinstance(i, dict) for i, _ in inputs) or any(
            isinstance(s["id"], dict) and any(isinstance(v, list) for v in s["id"].values())
            for s in dep["state"]
        ):
            continue  # wildcard inputs/states need rendered components: not a filter callback
        if (STATE_ID, "data") not in inputs:
            continue
        if all(i == (STATE_ID, "data") or i in KNOWN_VALUES for i in inputs):
            out.append(dep)
    return out


def payload(dep: dict[str, Any], state: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    """Return a `_dash-update-component` body for one callback and one filter state."""
    inputs = []
    for i in dep["inputs"]:
        key = (i["id"], i["property"])
        value = state if key == (STATE_ID, "data") else rnd.choice(KNOWN_VALUES[key])
        inputs.append({"id": i["id"], "property": i["property"], "value": value})
    return {
        "output": dep["output"],
        "outputs": parse_outputs(dep["output"]),
        "inputs": inputs,
        "changedPropIds": [f"{STATE_ID}.data"],
        "state": [{"id": s["id"], "property": s["property"], "value": None} for s in dep["state"]],
    }


def filter_states(db: Path, count: int, seed: int) -> list[dict[str, Any]]:
    """Return `count` varied app-state values (filters and language) built from the warehouse."""
    from dashboard.components import make_state
    from pipelines.metrics.filters import Filters
    from pipelines.warehouse import db as dbmod

    con = dbmod.connect_readonly(db)
    networks = [r[0] for r in con.execute("SELECT network_id FROM ref.network").fetchall()]
    countries = [
        r[0] for r in con.execute("SELECT DISTINCT country_iso2 FROM core.city").fetchall()
    ]
    modes = [r[0] for r in con.execute("SELECT DISTINCT mode FROM core.cooperation").fetchall()]
    con.close()
    rnd = random.Random(seed)
    states = [make_state(Filters(), "en", "/")]
    for _ in range(count - 1):
        year = rnd.choice([None, 2021, 2022, 2023, 2024])
        filters = Filters(
            start=dt.date(year, 1, 1) if year else None,
            end=dt.date(year + rnd.choice([0, 1]), 12, 31) if year else None,
            network=tuple(sorted(rnd.sample(networks, rnd.choice([0, 0, 1, 2])))),
            region=tuple(rnd.choice([(), (), ("EU",), ("NA",)])),
            country=tuple(sorted(rnd.sample(countries, rnd.choice([0, 0, 0, 1, 2])))),
            mode=tuple(sorted(rnd.sample(modes, rnd.choice([0, 0, 1])))),
        )
        states.append(make_state(filters, rnd.choice(["en", "en", "fr", "es"]), "/"))
    return states


class Stats:
    """Thread-safe request counters and latencies."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.by_callback: dict[str, list[float]] = {}
        self.cache: dict[str, int] = {}  # X-Response-Cache of the answers: hit, miss, off

    def add(self, name: str, seconds: float, error: str | None, cache: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_callback.setdefault(name, []).append(seconds)
            if cache:
                self.cache[cache] = self.cache.get(cache, 0) + 1
            if error:
                self.failures.append(f"{name}: {error}")


def post(conn: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes]:
    """POST a callback body on a kept-alive connection; return (status, body)."""
    status, data, _ = post_cached(conn, body)
    return status, data


def post_cached(conn: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes, str]:
    """POST a callback body; return (status, body, the X-Response-Cache header or '')."""
    conn.request(
        "POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"}
    )
    response = conn.getresponse()
    return response.status, response.read(), response.getheader("X-Response-Cache") or ""


def client(
    port: int,
    bodies: list[tuple[str, bytes]],
    stop: threading.Event,
    stats: Stats,
    seed: int,
    max_requests: int,
) -> None:
    """One virtual user: random callbacks back to back until `stop` (or its request budget)."""
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = 0
    while not stop.is_set() and sent < max_requests:
        name, body = rnd.choice(bodies)
        started = time.perf_counter()
        error = None
        cache = ""
        try:
            status, data, cache = post_cached(conn, body)
            if status != 200:
                error = f"HTTP {status}: {data[:200]!r}"
            elif b'"response"' not in data and b'"multi"' not in data:
                error = f"no Dash response: {data[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        stats.add(name, time.perf_counter() - started, error, cache)
        sent += 1
    conn.close()


def _write_ingest_files(db: Path, folder: Path, n: int, rows: int) -> list[Path]:
    """Write an activities file (new activities) and a participations file for them."""
    from pipelines.warehouse import db as dbmod

    con = dbmod.connect_readonly(db)
    template = con.execute(
        "SELECT network_id, cooperation_id FROM core.activity WHERE cooperation_id IS NOT NULL LIMIT 1"
    ).fetchone()
    cities = [
        r[0] for r in con.execute("SELECT city_id FROM core.city ORDER BY 1 LIMIT 20").fetchall()
    ]
    con.close()
    acts = folder / f"activities_loadtest_{n}.csv"
    parts = folder / f"participations_loadtest_{n}.csv"
    count = max(1, rows // (len(cities) * 2))
    with open(acts, "w", encoding="utf-8") as fh:
        fh.write(
            "activity_id,title,activity_type,modality,status,start_date,end_date,network_id,"
            "cooperation_id,reported_date\n"
        )
        fh.writelines(
            f"act-loadtest-{n}-{i},Load test activity {n}.{i},webinar,online,completed,"
            f"2024-03-0{1 + n},2024-03-0{1 + n},{template[0]},{template[1]},2024-03-10\n"
            for i in range(count)
        )
    with open(parts, "w", encoding="utf-8") as fh:
        fh.write("activity_id,city_id,stakeholder_type,participants,women\n")
        for i in range(count):
            for city in cities:
                fh.write(f"act-loadtest-{n}-{i},{city},academia,{3 + i % 5},{i % 3}\n")
                fh.write(f"act-loadtest-{n}-{i},{city},business,{2 + i % 4},{i % 2}\n")
    return [acts, parts]


def _runs_body(dep: dict[str, Any], state: dict[str, Any]) -> bytes:
    return json.dumps(payload(dep, state, random.Random(0))).encode()


def ingest_and_watch(
    db: Path,
    folder: Path,
    port: int,
    runs_dep: dict[str, Any] | None,
    state: dict[str, Any],
    count: int,
    rows: int,
    gap: float,
    stop: threading.Event,
) -> list[dict[str, Any]]:
    """Run `count` ingests spaced `gap` s apart; after each publish, poll the runs callback over
    HTTP until the new file's name shows; return one record per ingest."""
    from pipelines.ingest.run import ingest_files

    out = []
    for n in range(count):
        if stop.wait(gap):
            break
        files = _write_ingest_files(db, folder, n, rows)
        started = time.perf_counter()
        summary = ingest_files(files, db=db)
        published = time.perf_counter()
        record: dict[str, Any] = {
            "ingest": n,
            "files": [f.name for f in files],
            "exit_code": summary.exit_code,
            "rows_loaded": summary.rows_loaded,
            "ingest_s": round(published - started, 3),
            "visible_s": None,
        }
        if runs_dep is not None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = _runs_body(runs_dep, state)
            needle = files[-1].name.encode()
            while time.perf_counter() - published < 30:
                status, data = post(conn, body)
                if status == 200 and needle in data:
                    record["visible_s"] = round(time.perf_counter() - published, 3)
                    break
                time.sleep(0.05)
            conn.close()
        out.append(record)
    return out


CRASH_LINE = re.compile(r"was sent SIG|terminate called|Fatal Python error|Segmentation fault")


def server_errors(log: str) -> list[str]:
    """Return every error the server logged: each traceback (from "Traceback" up to the next
    one, cut at 3,000 characters) and each line saying a worker crashed (killed by a signal, a
    C++ terminate, a fatal Python error).

    Example: ``server_errors("[..] Worker (pid:9) was sent SIGABRT!")  # that line``
    """
    tracebacks = ["Traceback" + part[:3000] for part in log.split("Traceback")[1:]]
    crashes = [line for line in log.splitlines() if CRASH_LINE.search(line)]
    return tracebacks + crashes


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    """Wait until the server answers `/_dash-layout` (raises if it dies or times out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/_dash-layout")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def main(argv: list[str] | None = None) -> int:
    """Run the load test; return 0 when there were no failures and new data showed within 5 s."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50, help="concurrent virtual users")
    ap.add_argument("--duration", type=float, default=60, help="seconds of load")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    ap.add_argument("--ingests", type=int, default=3, help="ingests published during the load")
    ap.add_argument("--ingest-rows", type=int, default=2000, help="participation rows per ingest")
    ap.add_argument("--scale", type=int, default=20000, help="demo participation rows")
    ap.add_argument("--max-requests", type=int, default=100_000, help="request budget per client")
    ap.add_argument("--db", type=Path, help="copy this warehouse instead of building the demo")
    ap.add_argument("--out", type=Path, default=RESULTS, help="JSON results file")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="iurc-loadtest-"))
    db = tmp / "iurc.duckdb"
    server = None
    try:
        started = time.perf_counter()
        if args.db:
            shutil.copyfile(args.db, db)
        else:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "iurc.cli",
                    "demo",
                    "--db",
                    str(db),
                    "--out",
                    str(tmp / "demo"),
                    "--scale",
                    str(args.scale),
                ],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        print(f"warehouse ready in {time.perf_counter() - started:.1f} s: {db}", file=sys.stderr)
        port = _free_port()
        # the child keeps its own copy of the log descriptor; ours is closed once it started
        with open(tmp / "gunicorn.log", "w") as server_log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--threads",
                    str(args.threads),
                    "--timeout",
                    "120",
                    "--log-level",
                    "warning",
                    "dashboard.app:server",
                ],
                cwd=ROOT,
                env={**os.environ, "IURC_DB": str(db), "IURC_DEBUG": ""},
                stdout=server_log,
                stderr=subprocess.STDOUT,
            )
        wait_ready(port, server)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/_dash-dependencies")
        deps = json.loads(conn.getresponse().read())
        conn.close()
        callbacks = usable_callbacks(deps)
        if not callbacks:
            raise RuntimeError("no filter-driven callbacks found in /_dash-dependencies")
        rnd = random.Random(args.seed)
        states = filter_states(db, 40, args.seed)
        bodies = []
        for dep in callbacks:
            for state in rnd.sample(states, 10):
                bodies.append((dep["output"][:60], json.dumps(payload(dep, state, rnd)).encode()))
        runs_dep = next((d for d in callbacks if '"card":"dq-runs"' in d["output"]), None)

        # warm every worker once (first calls import pages and open the warehouse)
        warm = Stats()
        stop = threading.Event()
        client(port, bodies, stop, warm, args.seed, min(len(bodies), 4 * args.workers * 4))

        stats = Stats()
        threads = [
            threading.Thread(
                target=client,
                args=(port, bodies, stop, stats, args.seed + i, args.max_requests),
                daemon=True,
            )
            for i in range(args.clients)
        ]
        load_started = time.perf_counter()
        for th in threads:
            th.start()
        gap = args.duration / (args.ingests + 1)
        ingests = ingest_and_watch(
            db, tmp, port, runs_dep, states[0], args.ingests, args.ingest_rows, gap, stop
        )
        remaining = args.duration - (time.perf_counter() - load_started)
        if remaining > 0:
            stop.wait(remaining)
        stop.set()
        for th in threads:
            th.join(timeout=120)
        elapsed = time.perf_counter() - load_started
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        log = (tmp / "gunicorn.log").read_text() if (tmp / "gunicorn.log").exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)

    errors = server_errors(log)
    lat = stats.latencies
    visible = [r["visible_s"] for r in ingests]
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "clients": args.clients,
        "duration_s": round(elapsed, 1),
        "workers": args.workers,
        "threads": args.threads,
        "callbacks": len(callbacks),
        "payloads": len(bodies),
        "requests": len(lat),
        "failures": len(stats.failures),
        "failure_examples": stats.failures[:10],
        "throughput_rps": round(len(lat) / elapsed, 1) if elapsed else None,
        "latency_ms": {
            k: round(_percentile(lat, p) * 1000, 1)
            for k, p in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
        },
        "response_cache": {
            **stats.cache,
            "hit_ratio": round(stats.cache.get("hit", 0) / len(lat), 3) if lat else None,
        },
        "p95_ms_by_callback": {
            name: round(_percentile(values, 95) * 1000, 1)
            for name, values in sorted(stats.by_callback.items())
        },
        "ingests": ingests,
        "data_visible_s_max": max((v for v in visible if v is not None), default=None),
        "cpu_count": os.cpu_count(),
        "load_average": list(os.getloadavg()),
        "server_errors_logged": len(errors),
        "server_errors": errors[:5],
    }
    ok = (
        result["failures"] == 0
        and len(ingests) == args.ingests
        and all(r["exit_code"] == 0 for r in ingests)
        and all(v is not None and v <= VISIBLE_LIMIT_S for v in visible)
        and not errors
    )
    result["passed"] = ok
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    rows = [
        ("clients x duration", f"{args.clients} x {result['duration_s']} s"),
        ("gunicorn workers x threads", f"{args.workers} x {args.threads}"),
        ("callbacks exercised", f"{len(callbacks)} ({len(bodies)} payloads)"),
        ("requests served", f"{len(lat):,}"),
        ("failed requests", str(len(stats.failures))),
        ("throughput", f"{result['throughput_rps']} req/s"),
        ("latency p50 / p95 / p99", "{p50} / {p95} / {p99} ms".format(**result["latency_ms"])),
        ("response cache hit ratio", str(result["response_cache"]["hit_ratio"])),
        ("ingests published", f"{sum(r['exit_code'] == 0 for r in ingests)} / {args.ingests}"),
        ("new data visible after", ", ".join(f"{v} s" for v in visible)),
        ("server errors logged", str(len(errors))),
        ("result", "PASS" if ok else "FAIL"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    for failure in stats.failures[:5]:
        print("  failure:", failure)
    for error in result["server_errors"]:
        print("  server error:", error.strip().splitlines()[-1][:300])
    print(f"written {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
