"""The first response carries the page: its layout and the callback list inside the index HTML.

By default Dash's front end first evaluates its scripts, then asks the server for `/_dash-layout`
and `/_dash-dependencies`, and only then draws: the server's work on the layout (the page's first
figures) starts after the browser has parsed every script. Here the index response is streamed in
two parts: first the page shell with its script tags (the browser starts downloading and
evaluating them at once), then, once built for this request's own path and query, the layout and
the callback list as inert JSON data blocks (`<script type="application/json">`, never run nor read
as HTML), followed by a small constant script that answers the renderer's two requests from those
blocks, each once, and Dash's renderer. Server and browser work in parallel, and no round trip is
left before the first draw. A layout with a map also preloads the map part of Plotly and its
base map (assets/07-plotly-geo.js fetches both at the map's first draw, by then from the cache).
A page that always draws a map (its registry entry's `maps`, e.g. the overview) preloads them in
the shell instead, before Plotly's scripts: assets/07-plotly-geo.js, seeing the preload, loads
and runs the map part and reads the base map at once, while the server builds the layout, rather
than when the layout has arrived and the browser is drawing. The response is compressed here
(gzip, flushed after each part), since flask-compress would hold a streamed response back until
its end.

If the layout cannot be built, its block is left out and the renderer fetches `/_dash-layout` as
usual (the Referer fallback of dashboard.initial_page). The index is per address: `private`,
revalidated on every visit.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import zlib
from collections.abc import Callable, Iterator

from dash import Dash
from dash._utils import to_json
from flask import Response, request, stream_with_context

from dashboard import initial_page, response_cache, script_bundles, static_assets

log = logging.getLogger(__name__)

RENDERER_TAG = '<script id="_dash-renderer"'
MAP_TRACE = '"type":"scattergeo"'  # a figure in the layout draws a map
GRAPH = '"type":"Graph","namespace":"dash_core_components"'  # the layout draws a chart
GEO_URL = static_assets.asset_url(static_assets.PLOTLY_GEO)
TOPOJSON_URL = static_assets.asset_url(static_assets.TOPOJSON)
BLOCK_CLASS = "iurc-preloaded"

# Answers the renderer's GET of each embedded path once, from its data block, then leaves fetch
# as it was. The JSON is passed as text: the renderer parses it as it would the server's response.
BOOTSTRAP = (
    "(function(){var blocks={},left=0,fetch0=window.fetch;"
    "document.querySelectorAll('script." + BLOCK_CLASS + "').forEach(function(s){"
    "blocks[s.getAttribute('data-path')]=s.textContent;left++;});"
    "if(!left)return;"
    "window.fetch=function(input,init){"
    "var url=new URL(typeof input==='string'?input:input.url,location.href),"
    "method=((init&&init.method)||'GET').toUpperCase(),body=blocks[url.pathname];"
    "if(method!=='GET'||url.origin!==location.origin||body===undefined)"
    "return fetch0.apply(this,arguments);"
    "delete blocks[url.pathname];if(--left===0)window.fetch=fetch0;"
    "return Promise.resolve(new Response(body,{status:200,"
    "headers:{'Content-Type':'application/json'}}));};})();"
)


def script_hash() -> str:
    """Return the CSP source expression ('sha256-…', quoted) that allows the BOOTSTRAP script."""
    digest = hashlib.sha256(BOOTSTRAP.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def script_json(text: str) -> str:
    """Return JSON text `text` safe inside an HTML `<script>` element: every `<`, `>` and `&`
    written as a JSON escape (\\u003c …), so no `</script>` or `<!--` can end or alter the block;
    the parsed value is unchanged."""
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def data_block(path: str, json_text: str) -> str:
    """Return the inert `<script type="application/json">` element holding the response to `path`."""
    return (
        f'<script type="application/json" class="{BLOCK_CLASS}" '
        f'data-path="{html.escape(path, quote=True)}">{script_json(json_text)}</script>'
    )


def layout_text(app: Dash) -> str:
    """Return the JSON of the layout for the requested page (initial_page.requested_page), from
    the response cache when it was built before for the same publish, role and address."""
    return response_cache.layout_json(lambda: str(to_json(app.get_layout())))


def plotly_tags() -> str:
    """Return the script elements of Plotly and the app's additions to it, in the order they run
    (dashboard.static_assets.PLOTLY_PARTS), for a page that draws charts."""
    return "".join(
        f'<script src="{html.escape(url)}"></script>' for url in static_assets.plotly_urls()
    )


def _draws_charts(path: str) -> bool:
    """Return whether the page at `path` draws charts (initial_page.draws_charts); True when that
    cannot be told (Plotly linked, as before)."""
    try:
        return initial_page.draws_charts(path)
    except Exception:
        log.exception("could not tell whether %s draws charts", path)
        return True


def geo_preloads() -> str:
    """Return the preload links of Plotly's map part and of its base map (as
    assets/07-plotly-geo.js fetches them: a script, and a same-origin fetch()).

    Example: ``'rel="preload" as="script"' in geo_preloads()`` -> True
    """
    return (
        f'<link rel="preload" as="script" href="{html.escape(GEO_URL)}">'
        f'<link rel="preload" as="fetch" crossorigin href="{html.escape(TOPOJSON_URL)}">'
    )


def _draws_map(path: str) -> bool:
    """Return whether the page at `path` always draws a map (initial_page.draws_map); False when
    that cannot be told (the layout's own map, if any, is preloaded as before)."""
    try:
        return initial_page.draws_map(path)
    except Exception:
        log.exception("could not tell whether %s draws a map", path)
        return False


def _blocks(app: Dash, plotly_linked: bool, geo_linked: bool = False) -> str:
    """Return the data blocks for this request's page (each left out if it cannot be built),
    Plotly's script elements when the layout draws a chart and they are not `plotly_linked`, and
    the map part's preloads when the layout draws a map and they are not `geo_linked`."""
    prefix = app.config.requests_pathname_prefix  # the paths the browser asks for
    out = []
    parts: dict[str, Callable[[], str]] = {
        "_dash-layout": lambda: layout_text(app),
        "_dash-dependencies": lambda: app.dependencies().get_data(as_text=True),
    }
    for name, build in parts.items():
        try:
            text = build()
        except Exception:  # the renderer then asks the server, as Dash does by default
            log.exception("could not embed %s for %s", name, request.full_path)
            continue
        out.append(data_block(prefix + name, text))
        if name == "_dash-layout" and not plotly_linked and GRAPH in text:
            out.append(plotly_tags())  # a page said to draw none that does: before the renderer
        if name == "_dash-layout" and MAP_TRACE in text and not geo_linked:
            out.append(geo_preloads())  # fetched while the scripts run
    return "".join(out)


def _gzip(parts: Iterator[str]) -> Iterator[bytes]:
    """Yield `parts` gzip-compressed, each flushed at once (the browser reads it before the next)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    for part in parts:
        yield compressor.compress(part.encode("utf-8")) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()


def install(app: Dash) -> None:
    """Make `app`'s index response stream the page shell, then the requested page's layout and
    the callback list embedded (see the module docstring)."""
    shell: Callable[..., str] = app.index

    def index(*args: object, **kwargs: object) -> Response:
        page = script_bundles.drop_unused(shell(*args, **kwargs))
        head, sep, tail = page.partition(RENDERER_TAG)
        requested = initial_page.address_requested()

        def parts() -> Iterator[str]:
            # Plotly is run while the server builds the layout, for a page that draws charts;
            # elsewhere assets/04-plotly-on-demand.js loads it if a chart appears
            charts = _draws_charts(requested[1])
            # a page that always draws a map runs its map part then too (before Plotly's tags:
            # assets/07-plotly-geo.js starts loading it when it sees the preload)
            geo = charts and _draws_map(requested[1])
            yield head + (geo_preloads() if geo else "") + (plotly_tags() if charts else "")
            initial_page.request_page(requested)
            yield _blocks(app, charts, geo) + f"<script>{BOOTSTRAP}</script>" + sep + tail

        gzip = request.accept_encodings.quality("gzip") > 0
        body = stream_with_context(_gzip(parts()) if gzip else (p.encode() for p in parts()))
        # an address no page serves: the not-found page, answered as such
        status = 200 if initial_page.serves(requested[1]) else 404
        response = Response(body, status=status, mimetype="text/html")
        if gzip:
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        response.cache_control.private = True
        response.cache_control.no_cache = True
        return response

    app.index = index  # type: ignore[method-assign]
