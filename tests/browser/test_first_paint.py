"""What a page costs to draw, checked on the real server (no timing: requests and headers).

A page's first figures arrive with its layout (dashboard.first_paint): the only callback request
that carries a chart is none, the page router's answer already holds them. Responses are gzip
compressed; assets are linked by content hash and cached for a year; Plotly's toolbar speaks
French and Spanish and has no "Share chart..." (Plotly Cloud) button; the partial Plotly bundle
draws every chart (the full 4.8 MB one is never fetched).
"""

from __future__ import annotations

import gzip
import json
import re
import urllib.request

import pytest

from tests.browser.conftest import PageChecker

pytestmark = pytest.mark.browser

# Plotly's English toolbar tooltips whose French and Spanish differ (plotly.js 4 strings included)
ENGLISH_TOOLTIPS = {
    "Autoscale",
    "Box Select",
    "Download plot as a PNG",
    "Download plot as JSON",
    "Pan",
    "Reset axes",
    "Reset view",
    "Share chart...",
    "Zoom in",
    "Zoom out",
}
EXPECTED = {"fr": "Télécharger le graphique en fichier PNG", "es": "Descargar gráfica como PNG"}


def _get(url: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_figures_arrive_with_the_layout_and_toolbar_is_translated(page, server_url: str) -> None:
    checker = PageChecker(page, server_url)
    for path, lang in (("/", "fr"), ("/participation", "es")):
        outputs: list[str] = []
        urls: list[str] = []

        def record(request, outputs=outputs, urls=urls) -> None:
            urls.append(request.url)
            if request.method == "POST" and "_dash-update-component" in request.url:
                outputs.append(json.loads(request.post_data or "{}").get("output", ""))

        page.on("request", record)
        checker.open(f"{path}?lang={lang}")
        page.remove_listener("request", record)
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('.dash-graph .js-plotly-plot')]"
            ".filter(p => p._fullLayout && (p.data || []).length).length"
        )
        assert drawn >= 2, f"{path}: charts not drawn"
        assert sum("_pages_content" in o for o in outputs) == 1, outputs
        # the partial bundle (assets/04-plotly-…-iurc.min.js) draws every chart: no full Plotly
        assert not [u for u in urls if u.split("?")[0].endswith("/plotly.min.js")], urls
        figure_requests = [o for o in outputs if "card-graph" in o or ".figure" in o]
        assert not figure_requests, f"{path}: figures fetched by callbacks: {figure_requests}"
        titles = set(
            page.eval_on_selector_all(
                ".modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
            )
        )
        assert EXPECTED[lang] in titles, titles
        assert not ENGLISH_TOOLTIPS & titles, titles
        checker.screenshot(f"first-paint-{lang}")
    assert not checker.errors, checker.errors


def test_responses_compressed_and_assets_cached_by_hash(server_url: str) -> None:
    headers, body = _get(server_url + "/")
    assert headers.get("content-encoding") == "gzip"
    html = gzip.decompress(body).decode()
    links = re.findall(r'/assets/([\w.-]+\.(?:css|js))\?v=([0-9a-f]{16})"', html)
    assert {name for name, _ in links} >= {"10-iurc.css", "05-plotly-locales.js"}, html
    assert "?m=" not in html
    headers, _ = _get(server_url + "/_dash-layout")
    assert headers.get("content-encoding") == "gzip"
    name, digest = next(link for link in links if link[0] == "10-iurc.css")
    headers, body = _get(f"{server_url}/assets/{name}?v={digest}")
    assert headers.get("content-encoding") == "gzip"
    cache = headers.get("cache-control", "")
    assert "max-age=31536000" in cache and "immutable" in cache and "no-cache" not in cache
    assert b".app-" in gzip.decompress(body)
    headers, _ = _get(f"{server_url}/assets/{name}")  # no (or an old) hash: revalidate
    assert "no-cache" in headers.get("cache-control", "")
    assert "immutable" not in headers.get("cache-control", "")
