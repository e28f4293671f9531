"""What a page costs to draw, checked on the real server (no timing: requests and headers).

A page arrives whole inside the index response (dashboard.embedded_layout, built by
dashboard.initial_page with its first figures from dashboard.first_paint): no layout, callback-list
or lazy component-chunk request, and no callback request at all before it is drawn. Responses are gzip
compressed; assets are linked by content hash and cached for a year; Plotly's toolbar speaks
French and Spanish and has no "Share chart..." (Plotly Cloud) button; the partial Plotly bundle
draws every chart (the full 4.8 MB one is never fetched). Each graph is drawn once, at its box's
size, and relaid out only when its box changes size.
"""

from __future__ import annotations

import gzip
import json
import re
import urllib.request

import pytest

from benchmarks.browser_trace import DRAW_PROBE
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


# every page, each language once, with a page selection in the URL for some
PAGES = (
    ("/", "fr"),
    ("/participation", "es"),
    ("/cooperation", "en"),
    ("/activities?page=2&sort=title", "fr"),
    ("/practices", "es"),
    ("/sdg", "en"),
    ("/data-quality", "fr"),
    ("/benchmarking", "es"),
    ("/city/malmo-se", "en"),
)
GEO_PART = "/assets/lazy/plotly-4.1.1-geo.min.js?v="
BASE_MAP = "/assets/topojson/world_110m.json"
MAP_DRAWN = (
    "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p._fullLayout"
    " && (p._fullData || []).some(t => t.type === 'scattergeo') && p.querySelector('.geo .countries'))"
)
DRAWN = (
    "() => [...document.querySelectorAll('.dash-graph .js-plotly-plot')]"
    ".filter(p => p._fullLayout && (p.data || []).length).length"
)


def _callback_outputs(request, outputs: list[str]) -> None:
    if request.method == "POST" and "_dash-update-component" in request.url:
        outputs.append(json.loads(request.post_data or "{}").get("output", ""))


def test_pages_arrive_drawn_with_the_layout_and_toolbar_is_translated(
    page, server_url: str
) -> None:
    """Each page comes whole in the index response: no layout or callback-list request, no lazy
    chunk, no router round trip and no callback request at all until it is drawn; client-side
    navigation still goes through the router."""
    checker = PageChecker(page, server_url)
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    for path, lang in PAGES:
        outputs: list[str] = []

        def record(request, outputs=outputs) -> None:
            _callback_outputs(request, outputs)

        page.on("request", record)
        checker.open(path + ("&" if "?" in path else "?") + f"lang={lang}")
        page.remove_listener("request", record)
        assert outputs == [], f"{path}: callbacks on load: {outputs}"
        assert page.locator("main h1").count() == 1, path
        if path.startswith("/activities"):  # the page's selection is in the language links
            hrefs = page.eval_on_selector_all(".lang-link", "els => els.map(e => e.href)")
            assert all("page=2" in h for h in hrefs), hrefs
        if path in ("/", "/participation"):
            assert page.evaluate(DRAWN) >= 2, f"{path}: charts not drawn"
            titles = set(
                page.eval_on_selector_all(
                    ".modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
                )
            )
            assert EXPECTED[lang] in titles, titles
            assert not ENGLISH_TOOLTIPS & titles, titles
            checker.screenshot(f"first-paint-{lang}")
        if path == "/":  # the overview's map: the geo part of Plotly fetched for it, and drawn
            assert [u for u in urls if GEO_PART in u], urls
            assert page.evaluate(MAP_DRAWN), "the map is not drawn"
            # its base map fetched at its hashed URL (cached for a year) beside the map part of
            # Plotly, handed to Plotly: never at Plotly's own unhashed URL
            base_maps = [u.split(server_url, 1)[-1] for u in urls if BASE_MAP in u]
            assert base_maps and all(u.startswith(BASE_MAP + "?v=") for u in base_maps), urls
            assert page.evaluate("Object.keys(window.PlotlyGeoAssets.topojson)") == ["world_110m"]
    # the partial bundle (assets/04-plotly-…-iurc.min.js) draws every chart: no full Plotly;
    # no polyfill for old browsers (regeneratorRuntime, which dcc needs, comes from assets/03-…)
    assert not [u for u in urls if u.split("?")[0].endswith("/plotly.min.js")], urls
    assert not [u for u in urls if "/polyfill@" in u], urls
    # layout and callback list came embedded; dcc's chunks linked in the page (fingerprinted
    # async-graph.v….js), none fetched lazily (async-graph.js) after the layout
    assert not [u for u in urls if re.search(r"/_dash-(layout|dependencies)|/async-\w+\.js", u)]
    assert [u for u in urls if re.search(r"/async-graph\.v[\w.]+\.js", u)], urls
    # a dcc.Link in the navigation: the router answers once, and the new page draws
    outputs = []
    page.on("request", lambda request: _callback_outputs(request, outputs))
    page.click(".nav-link[href^='/participation']")
    page.wait_for_url("**/participation**")
    checker.wait()
    assert sum("_pages_content" in o for o in outputs) == 1, outputs
    assert page.evaluate(DRAWN) >= 2
    assert not checker.errors, checker.errors


def test_plotly_is_loaded_only_once_a_chart_appears(page, server_url: str) -> None:
    """A page that draws no chart (the best practices) does not load Plotly; a link to one that
    does (the overview, with its map) loads it then, and draws every chart, the map and the
    French toolbar as a page that came with Plotly (assets/04-plotly-on-demand.js)."""
    checker = PageChecker(page, server_url)
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    checker.open("/practices?lang=fr")
    assert page.locator("main h1").count() == 1
    assert not [u for u in urls if "plotly" in u and "on-demand" not in u], urls
    assert page.evaluate("typeof window.Plotly.react") == "undefined"  # the stand-in only
    page.click(".nav-link[href^='/?'], .nav-link[href='/']")
    page.wait_for_url(re.compile(r".*/(\?.*)?$"))
    checker.wait()
    page.wait_for_function(MAP_DRAWN, timeout=30_000)
    assert page.evaluate(DRAWN) >= 2
    assert page.evaluate("typeof window.Plotly.react") == "function"
    core = [u for u in urls if "/assets/04-plotly-4.1.1-iurc.min.js?v=" in u]
    assert len(core) == 1, urls  # fetched once, at its hashed address
    titles = set(
        page.eval_on_selector_all(
            ".modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
        )
    )
    assert EXPECTED["fr"] in titles and not ENGLISH_TOOLTIPS & titles, titles
    checker.screenshot("plotly-on-demand-fr")
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
    # the 1.4 MB Plotly bundle too (compressed once per process, dashboard.static_assets)
    name, digest = next(link for link in links if link[0].startswith("04-plotly-4"))
    headers, body = _get(f"{server_url}/assets/{name}?v={digest}")
    assert headers.get("content-encoding") == "gzip" and len(body) < 600_000
    # the map part of Plotly is not linked in the page (assets/07-plotly-geo.js fetches it for
    # a map only, from the page's meta tag): a long cache lifetime too
    assert "plotly-4.1.1-geo" not in "".join(re.findall(r"<script[^>]*>", html))
    geo = re.search(r'<meta name="iurc-plotly-geo" content="([^"]+)"', html)
    assert geo and GEO_PART in geo.group(1), html[:2000]
    headers, body = _get(server_url + geo.group(1))
    assert "immutable" in headers.get("cache-control", "") and len(body) < 120_000
    assert b"scattergeo" in gzip.decompress(body)
    # preloaded by a page whose layout draws a map (the overview), not by the others
    preload = f'<link rel="preload" as="script" href="{geo.group(1)}">'
    assert preload in html
    assert preload not in gzip.decompress(_get(server_url + "/participation")[1]).decode()
    # and its base map (assets/07-plotly-geo.js fetches it from the page's meta tag): cached too
    base_map = re.search(r'<meta name="iurc-plotly-topojson" content="([^"]+)"', html)
    assert base_map and base_map.group(1).startswith(BASE_MAP + "?v="), html[:2000]
    assert f'<link rel="preload" as="fetch" crossorigin href="{base_map.group(1)}">' in html
    headers, body = _get(server_url + base_map.group(1))
    assert "immutable" in headers.get("cache-control", "")
    assert b'"countries"' in gzip.decompress(body)
    headers, _ = _get(f"{server_url}/assets/{name}")  # no (or an old) hash: revalidate
    assert "no-cache" in headers.get("cache-control", "")
    assert "immutable" not in headers.get("cache-control", "")
    # Dash's icon, linked with its version: fetched once, not after every page load
    icon = re.search(r'<link rel="icon" type="image/x-icon" href="([^"]+)">', html)
    assert icon and icon.group(1).startswith("/_favicon.ico?v="), html[:2000]
    headers, body = _get(server_url + icon.group(1))
    assert "max-age=31536000" in headers.get("cache-control", "") and body
    headers, _ = _get(server_url + "/_favicon.ico?v=0.0.1")  # another version: no lifetime
    assert "max-age" not in headers.get("cache-control", "")
    # a page that links no icon (sign-in, submission, API) gets the same one, not a 404
    headers, site_icon = _get(server_url + "/favicon.ico")
    assert (
        headers["content-type"] == "image/x-icon"
        and site_icon == _get(server_url + icon.group(1))[1]
    )


# every graph's drawing (Plotly's) fills its box, within Plotly's own 1 px tolerance
FILLS_BOX = """() => [...document.querySelectorAll('.dash-graph .js-plotly-plot')].every(p => {
    const box = getComputedStyle(p);
    return p._fullLayout && Math.abs(p._fullLayout.width - parseFloat(box.width)) <= 1
        && Math.abs(p._fullLayout.height - parseFloat(box.height)) <= 1;
})"""


def test_each_graph_drawn_once_at_its_size_and_redrawn_when_its_box_changes(dash_page) -> None:
    """A graph drawn at its box's size is not relaid out after (dcc.Graph's two resize calls are
    answered at once: assets/09-plotly-resize.js); a box that does change size (a desktop window
    narrowed to a phone's width) still redraws every graph to fit, with no sideways scroll."""
    page = dash_page.page
    page.add_init_script(DRAW_PROBE)  # counts, per graph, Plotly's passes (browser_trace's)
    dash_page.open("/data-quality")
    passes = page.evaluate("window.__iurcPasses")
    assert len(passes) == 4, passes
    for graph, counts in passes.items():
        assert counts.get("react") == 1 and counts.get("Plots.resize", 0) >= 1, (graph, counts)
        # one layout at the box's size (autosize), one completed draw, no relayout after
        assert counts.get("autosize") == 1 and counts.get("afterplot") == 1, (graph, counts)
        assert not [k for k in counts if k.startswith("relayout")], (graph, counts)
    assert page.evaluate(FILLS_BOX)
    dash_page.screenshot("data-quality-1366-drawn-once")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(FILLS_BOX, timeout=30_000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    dash_page.screenshot("data-quality-narrowed-to-390")


def test_an_address_with_codes_no_filter_offers_draws_once_without_them(
    page, server_url: str
) -> None:
    """An address naming a network code the data lacks ("ET") and a known country: the page is
    drawn for the filters its bar shows (the country only), says which code it left out, and
    runs no callback on load (the bar's drop-downs have nothing to drop); before, the first
    figures were drawn for "ET" (no data) and redrawn for no network once the drop-down dropped
    it."""
    checker = PageChecker(page, server_url)
    outputs: list[str] = []
    page.on("request", lambda request: _callback_outputs(request, outputs))
    checker.open("/participation?network=ET&country=FI&lang=fr")
    assert outputs == [], f"callbacks on load: {outputs}"
    note = page.locator(".filters-left-out")
    assert note.count() == 1
    text = note.inner_text()
    assert "ET" in text and "FI" not in text, text
    # every chart drawn with data (none shows the empty state "no data for … ET")
    graphs = page.locator(".dash-graph").count()
    assert graphs >= 2 and page.evaluate(DRAWN) == graphs
    status = page.locator("#app-filter-status").inner_text()
    assert "Finlande" in status and "ET" not in status, status
    checker.screenshot("left-out-code-fr")
    assert not checker.errors, checker.errors
