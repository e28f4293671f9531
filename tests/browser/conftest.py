"""Browser-test harness: a demo warehouse, the real server on a free port, Debian's Chromium.

Session fixtures: `demo_db` builds a demo warehouse once (`iurc demo --db <tmp>`), `server_url`
starts `iurc serve` on 127.0.0.1:<free port> as a subprocess and waits for it (a module with a
warehouse of its own overrides `server_url` using `warehouse_server`). Playwright drives Debian's
`chromium` (browser downloads do not work offline). `open_page` opens a URL, waits until Dash has
rendered and every graph has drawn, and fails the test on any console error.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IURC = [sys.executable, "-m", "iurc.cli"]
SERVER_LOGS: list[Path] = []  # this worker's server logs, quoted when a browser test fails


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of a demo warehouse built once per session through the real CLI."""
    db = tmp_path_factory.mktemp("warehouse") / "iurc.duckdb"
    prebuilt = os.environ.get("IURC_TEST_DB")  # reuse a warehouse built earlier (local runs)
    if prebuilt:
        shutil.copyfile(prebuilt, db)
        return db
    proc = subprocess.run(
        [*IURC, "demo", "--db", str(db), "--out", str(db.parent / "demo")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert db.exists()
    return db


def app_state_env(db: Path) -> dict[str, str]:
    """Return the environment that keeps a test server's users, uploads and keys beside `db`."""
    return {
        "IURC_APP_DB": str(db.parent / "app" / "app.sqlite"),
        "IURC_SUBMISSIONS_DIR": str(db.parent / "submissions"),
    }


@contextmanager
def serve_warehouse(db: Path, extra_args: tuple[str, ...] = ()) -> Iterator[str]:
    """Run `iurc serve` on a free loopback port over the warehouse `db`; yield its base URL.

    `extra_args` are added to the command line (e.g. ``("--lake", DIR)`` to serve a lake).

    The server's output goes to `server.log` next to `db`; the process is stopped on exit.
    """
    port = _free_port()
    log_path = db.parent / ("server.log" if not extra_args else f"server-{port}.log")
    log = log_path.open("w")
    SERVER_LOGS.append(log_path)
    proc = subprocess.Popen(
        [*IURC, "serve", "--db", str(db), "--port", str(port), *extra_args],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        # the response cache on, as in production (tests/conftest.py turns it off for in-process apps)
        env={**os.environ, "IURC_DEBUG": "", "IURC_RESPONSE_CACHE": "1", **app_state_env(db)},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_dash-layout", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            raise RuntimeError("server did not start:\n" + log_path.read_text())
        time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server_url(demo_db: Path) -> Iterator[str]:
    """Start `iurc serve` on a free loopback port over the demo warehouse; yield its base URL.

    A test module with a warehouse of its own overrides this fixture with `serve_warehouse`.
    """
    with serve_warehouse(demo_db) as url:
        yield url


BROWSER_USERS = {
    "editor": ("city_editor", ("turin-it",), "editor-password-1"),
    "officer": ("programme_officer", (), "officer-password-1"),
}


@pytest.fixture(scope="session")
def seeded_users(demo_db: Path, server_url: str) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """Add the BROWSER_USERS accounts to the users database of the `server_url` server."""
    from pipelines.app import users

    with pytest.MonkeyPatch.context() as mp:
        for key, value in app_state_env(demo_db).items():
            mp.setenv(key, value)
        for name, (role, cities, password) in BROWSER_USERS.items():
            if users.get(name) is None:
                users.add(name, password, role, cities)
    return BROWSER_USERS


@pytest.fixture(scope="session")
def warehouse_server():
    """Return `serve_warehouse(db)`, for a test module that serves a warehouse of its own."""
    return serve_warehouse


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium headless with the flags that work in this sandbox."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: run 'make browser' (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Use a desktop-sized viewport and accept downloads."""
    return {
        **browser_context_args,
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


WAIT_FOR_GRAPHS = """() => {
    const root = document.querySelector('#react-entry-point');
    if (!root || document.querySelector('[data-dash-is-loading="true"]')) return false;
    if (window.store && window.store.getState().isLoading) return false;  // a callback in flight
    const graphs = [...document.querySelectorAll('.dash-graph')];
    if (!document.querySelector('main')) return false;
    // dcc.Graph marks its container pending while its code loads, and its plot div (the
    // .js-plotly-plot) while Plotly draws or resizes it: Plotly sets _fullLayout as a draw
    // starts, so a graph counts as drawn once neither is pending (a map: its geometry drawn too)
    return graphs.every(g => {
        const plot = g.querySelector('.js-plotly-plot');
        return plot && plot._fullLayout && !g.classList.contains('dash-graph--pending')
            && !plot.classList.contains('dash-graph--pending');
    }) && [...document.querySelectorAll('.card-summary')].every(s => s.textContent.trim() && !s.textContent.includes('…'));
}"""


class PageChecker:
    """Open dashboard pages, wait until drawn, and collect console errors."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.callbacks: list[str] = []  # what each callback request was for, answered or not
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._sent)
        page.on("requestfinished", self._answered)
        page.on("requestfailed", lambda r: self._answered(r, failed=True))

    @staticmethod
    def _is_callback(request) -> bool:
        return "_dash-update-component" in request.url

    def _sent(self, request) -> None:
        if self._is_callback(request):
            self.callbacks.append(f"sent {(request.post_data or '')[:160]}")

    def _answered(self, request, failed: bool = False) -> None:
        if self._is_callback(request):
            response = None if failed else request.response()
            status = "failed" if response is None else response.status
            ms = request.timing.get("responseEnd", -1)
            self.callbacks.append(f"answered {status} after {ms:.0f} ms")

    def diagnosis(self) -> str:
        """Return what a failed browser test needs to be understood: the address, the callback
        requests with their answers, and the console errors."""
        try:
            url = self.page.url
        except Exception as exc:  # noqa: BLE001 - the page may be closed already
            url = f"(no page: {exc})"
        return "\n".join([f"url: {url}", *self.callbacks[-30:], *self.errors[-10:]])

    def open(self, path: str) -> None:
        """Go to `path` and wait until every graph is drawn."""
        self.page.goto(self.base_url + path)
        self.wait()

    def wait(self) -> None:
        """Wait until Dash is idle and every graph has drawn."""
        self.page.wait_for_function(WAIT_FOR_GRAPHS, timeout=30_000)
        self.page.wait_for_timeout(150)
        self.page.wait_for_function(WAIT_FOR_GRAPHS, timeout=30_000)

    def graph_traces(self) -> dict[str, int]:
        """Return {graph id: number of points drawn} for every graph on the page."""
        return self.page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.dash-graph')].map(g => {
            const plot = g.querySelector('.js-plotly-plot');
            // calcdata: what Plotly actually computed to draw (data arrays may arrive as bdata)
            const n = (plot.calcdata || []).reduce((s, cd) => s + (cd[0] && cd[0].z ? cd[0].z.length : cd.length), 0);
            return [g.id, n];
        }))""")

    def axe_violations(self) -> list[str]:
        """Return axe-core's violations of any impact (WCAG 2.1 A/AA and best practice)."""
        # evaluate() runs through the DevTools protocol, outside the page's CSP (which, rightly,
        # refuses inline scripts)
        self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        return self.page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']});
            return r.violations.map(v => v.impact + ' ' + v.id + ': '
                + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""")

    def texts_outside_graphs(self) -> list[str]:
        """Return each chart text (tick label, axis title, legend entry, value written on a bar
        or point) whose box is not wholly inside its graph's drawing: clipped when drawn."""
        return self.page.evaluate("""() => {
            const out = [];
            const texts = '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, '
                + '.legendtext, .legendtitletext, .bartext, .textpoint text';
            for (const g of document.querySelectorAll('.dash-graph')) {
                const svg = g.querySelector('.main-svg');
                if (!svg) continue;
                const box = svg.getBoundingClientRect();
                for (const el of g.querySelectorAll(texts)) {
                    const r = el.getBoundingClientRect();
                    if (!r.width || !r.height) continue;  // not drawn (hidden, empty)
                    if (r.left < box.left - 1 || r.right > box.right + 1
                        || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
                        out.push(`${g.id}: "${el.textContent}" at ${Math.round(r.left - box.left)}`
                            + `..${Math.round(r.right - box.left)} x, ${Math.round(r.top - box.top)}`
                            + `..${Math.round(r.bottom - box.top)} y in ${Math.round(box.width)}`
                            + ` x ${Math.round(box.height)}`);
                    }
                }
            }
            return out;
        }""")

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot to test-artifacts/screenshots/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def dash_page(page, server_url: str, request: pytest.FixtureRequest) -> Iterator[PageChecker]:
    """Yield a PageChecker on a fresh browser page; fail the test on any console error."""
    checker = PageChecker(page, server_url)
    request.node.iurc_page_checker = checker
    yield checker
    assert not checker.errors, f"console errors: {checker.errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """On a failed browser test, add the page's callback requests and the server log's tail."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    checker = getattr(item, "iurc_page_checker", None)
    if checker is not None:
        report.sections.append(("browser page", checker.diagnosis()))
    for log_path in SERVER_LOGS[-3:]:
        tail = log_path.read_text(errors="replace").splitlines()[-40:]
        report.sections.append((f"server log {log_path.parent.name}", "\n".join(tail)))
