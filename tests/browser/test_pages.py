"""The dashboard in headless Chromium, against the real server on a demo warehouse."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from pipelines import queries
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db

pytestmark = pytest.mark.browser

PAGES = ["/", "/participation", "/sdg"]


def _query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(url).query).items()}


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_with_data_no_errors_and_no_axe_violations(dash_page, path):
    dash_page.open(path)
    page = dash_page.page
    assert page.locator("main h1").count() == 1
    assert page.locator(".dash-fe-error__title, .dash-debug-menu").count() == 0
    points = dash_page.graph_traces()
    assert points and all(n > 0 for n in points.values()), points
    assert page.evaluate("document.documentElement.lang") == "en"
    name = path.strip("/") or "overview"
    dash_page.screenshot(f"{name}-en")
    # axe-core (WCAG 2.1 A/AA + best practice): no violation of any impact
    violations = dash_page.axe_violations()
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_pages_translated_screenshots(dash_page, lang):
    page = dash_page.page
    for path in PAGES:
        dash_page.open(f"{path}?lang={lang}")
        assert page.evaluate("document.documentElement.lang") == lang
        assert all(n > 0 for n in dash_page.graph_traces().values())
        dash_page.screenshot(f"{path.strip('/') or 'overview'}-{lang}")
    # no English interface text left on the last page: button and link labels are translated
    assert page.get_by_role("button", name="Download CSV").count() == 0
    assert page.get_by_text("Show the data as a table").count() == 0


def test_filter_change_updates_figures_and_url(dash_page):
    page = dash_page.page
    dash_page.open("/participation")
    before = page.locator("#participation-time-heading ~ p.card-summary").inner_text()
    before_points = dash_page.graph_traces()
    # an opened data table follows the filters (drawn from its store, dashboard.disclosure)
    cities = page.locator("#participation-cities-heading ~ .card-table")
    cities.locator("summary").click()
    cities.locator("table").wait_for(timeout=30_000)
    cities_before = cities.locator("table").inner_text()
    # keyboard only: the dropdown button opens with Enter, arrows move, Enter selects
    page.locator("#filter-region").focus()
    page.keyboard.press("Enter")
    page.get_by_role("option", name="North America").wait_for()
    for key in ("ArrowDown", "ArrowDown"):
        page.keyboard.press(key)
    page.wait_for_function("() => document.activeElement.value === 'NA'")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('region=NA')")
    dash_page.wait()
    after = page.locator("#participation-time-heading ~ p.card-summary").inner_text()
    assert after != before
    assert _query(page.url) == {"region": "NA"}
    assert "North America" in page.locator("#app-filter-status").inner_text()
    balance = page.locator("#participation-balance-heading ~ p.card-summary").inner_text()
    assert "Europe" not in balance and "North America: 100%" in balance
    after_points = dash_page.graph_traces()
    assert after_points != before_points
    assert cities.evaluate("e => e.open") and cities.locator("table").inner_text() != cities_before
    # nav links carry the filters to the other pages
    assert "region=NA" in page.get_by_role("link", name="Overview").get_attribute("href")


def test_shared_url_restores_view(dash_page):
    page = dash_page.page
    dash_page.open("/participation?region=EU&network=innovation&lang=fr")
    assert page.evaluate("document.documentElement.lang") == "fr"
    status = page.locator("#app-filter-status").inner_text()
    assert "Innovation" in status and "Europe" in status
    assert page.locator("#filter-region").inner_text().strip().startswith("Europe")
    balance = page.locator("#participation-balance-heading ~ p.card-summary").inner_text()
    assert "Europe : 100" in balance
    assert _query(page.url) == {"region": "EU", "network": "innovation", "lang": "fr"}


def test_export_downloads_expected_rows(dash_page, demo_db):
    page = dash_page.page
    dash_page.open("/?region=NA")
    with page.expect_download() as info:
        page.locator("#overview-network-heading ~ .card-actions button").first.click()
    download = info.value
    assert download.suggested_filename == "iurc-overview-network.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    con = db.connect_readonly(demo_db)
    expected = queries.network_breakdown(con, Filters(region=("NA",)))
    assert [r["network_id"] for r in rows] == list(expected["network_id"])
    assert [int(r["activities"]) for r in rows] == list(expected["activities"])
    assert {"network_id", "label"} <= set(rows[0])  # codes and labels


def test_language_switch_keeps_url(dash_page):
    page = dash_page.page
    dash_page.open("/sdg?network=innovation")
    page.get_by_role("link", name="Español").click()
    page.wait_for_function("() => document.documentElement.lang === 'es'")
    dash_page.wait()
    assert urlparse(page.url).path == "/sdg"
    assert _query(page.url) == {"network": "innovation", "lang": "es"}
    assert page.locator("main h1").inner_text() == "Objetivos de Desarrollo Sostenible"
    assert "Innovación" in page.locator("#app-filter-status").inner_text()


def test_keyboard_skip_link_and_focus(dash_page):
    page = dash_page.page
    dash_page.open("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator("h1, h2, h3").first.evaluate("e => e.tagName") == "H1"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_no_request_leaves_the_server(page, server_url):
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url[:10]))
    page.goto(server_url + "/")
    page.wait_for_selector(".js-plotly-plot .geo")  # the map's base layer loaded locally
    page.wait_for_timeout(500)
    assert hosts <= {"127.0.0.1", "data:image/"}, hosts


def test_gunicorn_serves_the_app(demo_db):
    """Production entry point: gunicorn dashboard.app:server with the warehouse from IURC_DB."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.browser.conftest import ROOT, _free_port

    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "dashboard.app:server",
        ],
        cwd=ROOT,
        env={**os.environ, "IURC_DB": str(demo_db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:  # up: the callback list answers at once
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_dash-dependencies", timeout=2
                ):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        # the index carries the page's layout (dashboard.embedded_layout): as long as building it
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sdg?lang=es", timeout=120) as r:
            body, headers = r.read().decode(), r.headers
        assert "_dash-renderer" in body or "dash_renderer" in body
        assert "iurc-preloaded" in body  # the /sdg layout came with it
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still busy: do not leave it running
            proc.kill()
            proc.wait()
