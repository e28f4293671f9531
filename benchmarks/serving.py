"""End-to-end figures from a real server: gunicorn serving the benchmark warehouse.

`page_loads` opens every page in headless Chromium (Debian's, driven by Playwright, with the
browser-test harness's flags and wait condition) and times it until every graph is drawn;
`exercise` POSTs every page callback (and each page's layout callback) to `/_dash-update-component`
for every filter combination and times the round trips; `peak_rss_mb` reads the serving
processes' peak resident memory (VmHWM) from /proc.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, mb, proc_status_kb, summary_ms
from pipelines.metrics.filters import Filters

STATE_ID = "app-state"
PAGES_CONTENT = "_pages_location"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    out.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return out


@contextmanager
def gunicorn(
    db: Path | None,
    workers: int = 1,
    threads: int = 4,
    app: str = "dashboard.app:server",
    ready: str = "/_dash-layout",
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `gunicorn APP` (the dashboard unless told) on a free loopback port over `db`; yield
    (url, process) once `ready` answers. `db` None: no warehouse (benchmarks.stack_floor).

    The server's response cache (dashboard.response_cache) starts empty in a folder of its own,
    removed afterwards: a run never reads what an earlier run over the same warehouse stored."""
    port = _free_port()
    cache_dir = tempfile.mkdtemp(prefix="iurc-bench-respcache-")
    log_path = (db.parent if db else Path(cache_dir)) / "bench-server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            app,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={
            **os.environ,
            **({"IURC_DB": str(db)} if db else {}),
            "IURC_DEBUG": "",
            "IURC_RESPONSE_CACHE_DIR": cache_dir,
        },
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(url + ready, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + log_path.read_text())
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(cache_dir, ignore_errors=True)


def peak_rss_mb(proc: subprocess.Popen) -> dict[str, float]:
    """Return peak RSS (VmHWM) of the gunicorn master, of its largest worker, and their sum, in MB."""
    master = proc_status_kb(proc.pid)
    workers = [proc_status_kb(pid) for pid in _children(proc.pid)]
    return {
        "master_mb": mb(master),
        "worker_peak_mb": mb(max(workers, default=0)),
        "total_peak_mb": mb(master + sum(workers)),
        "workers": len(workers),
    }


def _parse_output(spec: str) -> list[dict[str, Any]] | dict[str, Any]:
    def one(part: str) -> dict[str, Any]:
        ident, prop = part.rsplit(".", 1)
        return {"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop}

    if spec.startswith(".."):
        return [one(p) for p in spec[2:-2].split("...")]
    return one(spec)


def _post(url: str, body: dict[str, Any]) -> tuple[float, int]:
    request = urllib.request.Request(
        url + "/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return time.perf_counter() - start, status


def exercise(
    url: str, callbacks: list, combos: list[tuple[Filters, str]], pages: list[str]
) -> dict[str, Any]:
    """POST every page callback and page layout for every combination; return round-trip figures.

    `callbacks` are `benchmarks.callbacks.PageCallback`s (output spec, page, extra input values).
    """
    from dashboard import components

    with urllib.request.urlopen(url + "/_dash-dependencies", timeout=30) as response:
        deps = {d["output"]: d for d in json.load(response)}
    layout_dep = next(
        (d for d in deps.values() if d["inputs"] and d["inputs"][0]["id"] == PAGES_CONTENT), None
    )
    results: dict[str, Any] = {}
    failures = 0
    requests = 0
    if layout_dep is not None:
        for path in pages:
            times = []
            for filters, lang in combos:
                search = components.search_string(filters, lang)
                body = {
                    "output": layout_dep["output"],
                    "outputs": _parse_output(layout_dep["output"]),
                    "inputs": [
                        {"id": PAGES_CONTENT, "property": "pathname", "value": path},
                        {"id": PAGES_CONTENT, "property": "search", "value": search},
                    ],
                    "changedPropIds": [f"{PAGES_CONTENT}.pathname"],
                    "state": [],
                }
                seconds, status = _post(url, body)
                requests += 1
                failures += status != 200
                times.append(seconds)
            results[f"layout:{path}"] = summary_ms(times)
    for cb in callbacks:
        dep = deps.get(cb.output)
        if dep is None:
            continue
        times = []
        for i, (filters, lang) in enumerate(combos):
            values = cb.call_args(components.make_state(filters, lang, cb.page_path), i)
            parts: dict[str, list[Any]] = {"input": [], "state": []}
            for arg, value in zip(cb.args, values, strict=True):
                if arg.matches:  # an ALL wildcard: one entry per matching component
                    parts[arg.kind].append(
                        [
                            {"id": m, "property": arg.prop, "value": v}
                            for m, v in zip(arg.matches, value, strict=True)
                        ]
                    )
                else:
                    parts[arg.kind].append({"id": arg.id, "property": arg.prop, "value": value})
            body = {
                "output": dep["output"],
                "outputs": cb.outputs_list,
                "inputs": parts["input"],
                "state": parts["state"],
                "changedPropIds": [f"{STATE_ID}.data"],
            }
            seconds, status = _post(url, body)
            requests += 1
            failures += status not in (200, 204)
            times.append(seconds)
        results[cb.name] = summary_ms(times)
    return {"callbacks": results, "requests": requests, "failed_requests": failures}


# Each returns performance.now() (ms since the navigation started) once true, else false: what a
# person waits for until the first chart is drawn, and until every chart is drawn with its data.
FULLY_DRAWN = "() => ({wait})() ? performance.now() : false"
FIRST_CHART = """() => ([...document.querySelectorAll('.dash-graph')].some(g => {{
    const plot = g.querySelector('.js-plotly-plot');
    return plot && plot._fullLayout && !g.classList.contains('dash-graph--pending')
        && !plot.classList.contains('dash-graph--pending');
}}) || ({wait})()) ? performance.now() : false"""


# The visits timed per page and filter combination, in one browser profile kept on disk as a
# person's is: the first with nothing cached; the second with the HTTP cache filled (Chromium
# keeps the scripts' compiled code then); the third and later as a returning visitor, the
# compiled code reused too (Chromium's code cache: ~300 ms of Plotly's evaluation becomes ~50 ms
# here). A private window (Playwright's default context) never keeps compiled code: a profile on
# disk is what a returning person has.
VISITS = ("cold", "second", "warm")


def page_loads(url: str, pages: list[str], combos: list[tuple[Filters, str]]) -> dict[str, Any]:
    """Open each page once per combination in headless Chromium, three times in a new browser
    profile (VISITS: cold, second, warm); return per page and visit the time to the first chart
    and to fully drawn (every graph with its data), in ms.

    Cold: a new profile (nothing cached) on a filter combination the server has not drawn yet.
    Second: the same address again (assets and queries cached). Warm: once more, as a returning
    visitor (the scripts' compiled code cached by the browser too).
    """
    from playwright.sync_api import sync_playwright

    from dashboard import components
    from tests.browser.conftest import CHROMIUM_FLAGS, WAIT_FOR_GRAPHS

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("chromium is not installed: run 'make browser'")
    first_js = FIRST_CHART.format(wait=WAIT_FOR_GRAPHS)
    full_js = FULLY_DRAWN.format(wait=WAIT_FOR_GRAPHS)
    times: dict[str, dict[str, list[float]]] = {}
    errors: list[str] = []
    with sync_playwright() as pw:
        for path in pages:
            cell = times.setdefault(path, {})
            for filters, lang in combos:
                with tempfile.TemporaryDirectory(prefix="iurc-profile-") as profile:
                    context = pw.chromium.launch_persistent_context(
                        profile,
                        executable_path=executable,
                        args=CHROMIUM_FLAGS,
                        headless=True,
                        viewport={"width": 1366, "height": 900},
                    )
                    try:
                        for visit in VISITS:
                            page = context.new_page()
                            page.on("pageerror", lambda e: errors.append(str(e)))
                            page.goto(url + path + components.search_string(filters, lang))
                            first = page.wait_for_function(first_js, timeout=120_000, polling="raf")
                            full = page.wait_for_function(full_js, timeout=120_000, polling="raf")
                            cell.setdefault(f"{visit}_first_chart", []).append(
                                first.json_value() / 1e3
                            )
                            cell.setdefault(f"{visit}_fully_drawn", []).append(
                                full.json_value() / 1e3
                            )
                            page.close()
                    finally:
                        context.close()
    results = {
        path: {kind: summary_ms(values) for kind, values in cell.items()}
        for path, cell in times.items()
    }
    return {"pages": results, "page_errors": errors[:10]}
