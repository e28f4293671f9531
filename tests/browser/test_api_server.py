"""/api/v1 on the real running server: HTTP headers, a 304, and a KPI card's value equal to the API's."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from dashboard.i18n import fmt_value
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        return urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as exc:  # 304 / 4xx arrive as errors
        return exc


def test_api_on_the_running_server_matches_the_overview_card(server_url: str, page) -> None:
    url = f"{server_url}/api/v1/metrics/K03?network=innovation"
    response = _get(url)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.read())
    value, unit = body["result"]["value"], body["result"]["metric"]["unit"]
    etag = response.headers["ETag"]
    assert response.headers["Last-Modified"] and response.headers["Access-Control-Allow-Origin"]
    assert _get(url, {"If-None-Match": etag}).status == 304
    bad = _get(f"{server_url}/api/v1/metrics/K03?start=not-a-date")
    assert bad.status == 400 and "YYYY-MM-DD" in json.loads(bad.read())["error"]["message"]

    # the card alone is waited for (not every graph of the page): the figure is what is compared
    page.goto(f"{server_url}/?network=innovation")
    card = page.locator('[aria-labelledby="kpi-K03"] .kpi-value')
    card.wait_for(timeout=120_000)
    assert card.inner_text().strip() == fmt_value(value, unit, "en")

    page.goto(f"{server_url}/api/v1/")
    assert page.locator("h1").inner_text() == "IURC Impact open data API"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"), full_page=True)
