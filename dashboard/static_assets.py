"""Static assets with content-hashed URLs and long cache lifetimes; compressed responses.

Dash links each file of `dashboard/assets/` as `/assets/NAME?m=<mtime>`. Here the page's links carry
the file's content hash instead (`?v=<sha256 prefix>`), computed once at start (assets do not
change while serving), and a request naming the current hash is answered with a one-year
`immutable` lifetime: a browser fetches each asset once per release. A request without the hash
(or with an old one) must revalidate. Dash's own component bundles are already fingerprinted by
Dash with a one-year lifetime; its default icon (`/_favicon.ico?v=<Dash version>`, which Dash
serves with no lifetime, so the browser fetched it again after every page load) gets the same
year when it names the running Dash version. Text responses (HTML, JSON, JS, CSS) are compressed by
flask-compress (Dash's `compress=True`), except the assets: those are compressed once per process
and kept (`gzipped_asset`), since recompressing the 1.4 MB Plotly bundle for every new visitor
cost 0.25-0.5 s of server CPU each time.
"""

from __future__ import annotations

import gzip
import hashlib
import pkgutil
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
from dash import Dash
from flask import Flask, Response, request

ASSETS = Path(__file__).parent / "assets"
# the map part of Plotly: served, not linked in every page (Dash's assets_ignore), fetched by
# assets/07-plotly-geo.js for a figure with a map (see assets/licenses/README.md)
PLOTLY_GEO = "lazy/plotly-4.1.1-geo.min.js"
# Plotly itself and the app's additions to it, in the order they run: linked only in a page
# whose layout draws a chart (dashboard.embedded_layout), else loaded by
# assets/04-plotly-on-demand.js when a chart first appears (see there)
PLOTLY_PARTS = (
    "04-plotly-4.1.1-iurc.min.js",
    "05-plotly-locales.js",
    "06-plotly-template.js",
    "07-plotly-geo.js",
    "09-plotly-resize.js",
)
# the asset files Dash must not link in every page (Dash's assets_ignore: a file-name pattern)
ASSETS_IGNORE = (
    "^(?:" + "|".join(re.escape(name) for name in PLOTLY_PARTS) + r"|plotly-[0-9.]+-geo\.min\.js)$"
)
# the base map the map draws on (Plotly's name for it: world at 1:110m), fetched by
# assets/07-plotly-geo.js at its hashed URL (cached for a year) beside the map part of Plotly,
# instead of by Plotly at its first geo draw from config.topojsonURL (unhashed: fetched again on
# every visit, after the map part had loaded)
TOPOJSON = "topojson/world_110m.json"
ONE_YEAR = 31_536_000
_LINK = re.compile(r"/assets/([^\"'?\s]+)\?m=[0-9.]+")


def asset_hashes(folder: Path = ASSETS) -> dict[str, str]:
    """Return {path under the assets folder (with '/'): first 16 hex digits of its SHA-256}."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


_HASHES = asset_hashes()
COMPRESSIBLE = (".js", ".css", ".json", ".svg")
_GZIPPED: dict[str, bytes] = {}
_GZIPPING = threading.Lock()


def gzipped_asset(name: str, body: bytes) -> bytes:
    """Return the asset `name` (content `body`) gzip-compressed, computed on first use and kept
    for the life of the process (assets do not change while serving)."""
    with _GZIPPING:  # one thread compresses; the others wait for its result
        if name not in _GZIPPED:
            _GZIPPED[name] = gzip.compress(body, 9)
        return _GZIPPED[name]


def asset_url(name: str) -> str:
    """Return the hashed URL of the asset `name` (e.g. '10-iurc.css' -> '/assets/10-iurc.css?v=…')."""
    digest = _HASHES.get(name)
    return f"/assets/{name}" + (f"?v={digest}" if digest else "")


def plotly_urls() -> list[str]:
    """Return the hashed URLs of PLOTLY_PARTS, in the order they must run.

    Example: plotly_urls()[0] -> '/assets/04-plotly-4.1.1-iurc.min.js?v=…'
    """
    return [asset_url(name) for name in PLOTLY_PARTS]


def fingerprint_links(html: str) -> str:
    """Return `html` with every Dash asset link (`/assets/X?m=<mtime>`) turned into its hashed URL."""
    return _LINK.sub(lambda m: asset_url(m.group(1)), html)


def register(app: Dash) -> None:
    """Serve `app`'s assets with hashed links and long cache lifetimes, and compress responses."""
    original: Callable[..., str] = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        return fingerprint_links(original(**kwargs))

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]
    server: Flask = app.server
    prefix = app.config.requests_pathname_prefix + "assets/"
    favicon = app.config.requests_pathname_prefix + "_favicon.ico"

    def site_icon() -> Response:
        """Dash's icon at /favicon.ico: a browser asks for it on a page that links no icon (the
        sign-in, submission, review and API pages), which answered 404."""
        icon = Response(pkgutil.get_data("dash", "favicon.ico"), content_type="image/x-icon")
        icon.cache_control.public = True
        icon.cache_control.max_age = 86_400
        return icon

    server.add_url_rule("/favicon.ico", "site_icon", site_icon)

    @server.after_request
    def asset_cache(response: Response) -> Response:
        if request.path == favicon and response.status_code == 200:
            if request.args.get("v") == dash.__version__:  # the page's link: this Dash's icon
                _cache_for_a_year(response)
            return response
        if request.path.startswith(prefix) and response.status_code == 200:
            name = request.path[len(prefix) :]
            # read the (small) file into the response, so that flask-compress gzips it (it
            # leaves streamed files to zstd/br only)
            response.direct_passthrough = False
            response.make_sequence()
            _compress(name, response)
            if _HASHES.get(name) and request.args.get("v") == _HASHES[name]:
                _cache_for_a_year(response)
            else:
                response.cache_control.no_cache = True
        return response


def _cache_for_a_year(response: Response) -> None:
    """Give `response` (of a URL naming its content's version) a one-year immutable lifetime."""
    response.cache_control.no_cache = None
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True


def _compress(name: str, response: Response) -> None:
    """Give a text asset's response its kept gzip body, when the browser accepts gzip."""
    if request.accept_encodings.quality("gzip") <= 0 or not name.endswith(COMPRESSIBLE):
        return
    if name not in _HASHES:  # not one of the files hashed at start
        return
    response.set_data(gzipped_asset(name, response.get_data()))
    response.headers["Content-Encoding"] = "gzip"  # flask-compress leaves it as it is
    etag, weak = response.get_etag()
    if etag and not weak:  # one validator per representation, as flask-compress does
        response.set_etag(f"{etag}:gzip")
    response.vary.add("Accept-Encoding")
