"""The Dash application: pages from dashboard/pages/, every asset served locally, safe headers.

Run it with `iurc serve [--db PATH] [--host 127.0.0.1] [--port 8050] [--debug]`, or in production
with `gunicorn dashboard.app:server` (the warehouse path then comes from $IURC_DB).
"""

from __future__ import annotations

import logging
import os

from dash import Dash
from dash.exceptions import DependencyException
from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from dashboard import (
    api,
    auth,
    data,
    embedded_layout,
    first_paint,
    initial_page,
    request_checks,
    response_cache,
    sdg_review_page,
    static_assets,
    submit_pages,
)
from pipelines import config

log = logging.getLogger(__name__)

INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        <noscript>IURC Impact needs JavaScript to draw its charts.</noscript>
        {%app_entry%}
        <div class="app-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


def _csp(app: Dash) -> str:
    # Inline scripts (the renderer bootstrap, inline clientside callbacks, the embedded layout's
    # fetch answer) are allowed by hash only; nothing is loaded from another origin.
    hashes = " ".join([*app.csp_hashes(), embedded_layout.script_hash()])  # each quoted
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}",
            "style-src 'self' 'unsafe-inline'",  # Plotly and React set inline styles
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def create_app() -> Dash:
    """Return the configured Dash app (pages registered, assets local, headers set)."""
    app = Dash(
        __package__,
        use_pages=True,
        serve_locally=True,
        external_stylesheets=[],
        external_scripts=[],
        title="IURC Impact",
        update_title=None,  # type: ignore[arg-type]  # documented: None shows no "Updating..." title
        suppress_callback_exceptions=True,
        compress=True,  # gzip through flask-compress (dashboard.static_assets)
        # dcc's chunks linked in the page, not fetched after the layout (dashboard.script_bundles)
        eager_loading=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            # Plotly and the app's additions, in order: for assets/04-plotly-on-demand.js
            {"name": "iurc-plotly", "content": " ".join(static_assets.plotly_urls())},
            # the map part of Plotly, fetched by assets/07-plotly-geo.js for a map only
            {
                "name": "iurc-plotly-geo",
                "content": static_assets.asset_url(static_assets.PLOTLY_GEO),
            },
            # its base map, fetched beside it (assets/07-plotly-geo.js)
            {
                "name": "iurc-plotly-topojson",
                "content": static_assets.asset_url(static_assets.TOPOJSON),
            },
        ],
        assets_ignore=static_assets.ASSETS_IGNORE,  # served, not linked in every page
        # the page meta tags (twitter:url, og:*) are built from the request's Host header,
        # which a client forges at will: leave them out (links in the app are relative)
        include_pages_meta=False,
    )
    app.index_string = INDEX_STRING
    app.layout = initial_page.app_layout  # the requested page comes with the layout
    server: Flask = app.server
    server.config["MAX_CONTENT_LENGTH"] = config.max_upload_bytes()
    csp: dict[str, str] = {}
    layout_path = app.config.routes_pathname_prefix + "_dash-layout"

    @server.after_request
    def security_headers(response: Response) -> Response:
        if "value" not in csp:
            csp["value"] = _csp(app)
        response.headers["Content-Security-Policy"] = csp["value"]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # sent to the app itself only (the layout request names its page, see initial_page)
        response.headers["Referrer-Policy"] = "same-origin"
        if request.path == layout_path:
            initial_page.vary_on_referer(response)
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response

    static_assets.register(app)
    api.register(server)
    dispatch_path = app.config.routes_pathname_prefix + "_dash-update-component"
    auth.init_auth(server, dispatch_path)
    submit_pages.init_pages(server)
    sdg_review_page.init_pages(server)
    _guard_requests(app, server)
    response_cache.install(app)  # after the CSRF and request checks: they run first
    _run_first_request_setup(server)
    first_paint.install(app)
    embedded_layout.install(app)  # the layout comes with the index response
    if os.environ.get("IURC_DB") or os.environ.get("IURC_LAKE"):  # a deployment (gunicorn)
        data.start_warming()
    return app


def _plain(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _guard_requests(app: Dash, server: Flask) -> None:
    """Check every callback request before Dash runs it; answer errors briefly, never 500."""
    dispatch_path = app.config.routes_pathname_prefix + "_dash-update-component"

    @server.before_request
    def check_callback_request() -> Response | None:
        if request.method != "POST" or request.path != dispatch_path:
            return None
        try:
            body = request_checks.parse_body(request.get_data(cache=True))
            request_checks.check_callback_body(body, app.callback_map)
        except request_checks.BadRequest as exc:
            return _plain(f"bad callback request: {exc.message}", exc.status)
        g.iurc_callback_body = body  # checked: the response cache keys on it
        return None

    @server.errorhandler(DependencyException)
    def unknown_component_suite(_exc: DependencyException) -> Response:
        # /_dash-component-suites/ with an unregistered package or path (e.g. a traversal)
        return _plain("not found", 404)

    @server.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        if isinstance(exc, RecursionError):
            return _plain("the request is nested too deeply", 400)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _plain("internal error", 500)


def _run_first_request_setup(server: Flask) -> None:
    # Dash defers its set-up (copying the page callbacks into the callback map, the pages
    # router) to before_request hooks that mark themselves done *before* doing the work, so in
    # a multi-threaded worker a second first request can find the map half-filled and fail with
    # "Callback function not found". Running the hooks once here, single-threaded, avoids it.
    with server.test_request_context("/"):
        server.preprocess_request()


app = create_app()
server = app.server


def main(
    db: str | os.PathLike[str] | None = None,
    host: str = config.DEFAULT_HOST,
    port: int = config.DEFAULT_PORT,
    debug: bool | None = None,
    lake: str | os.PathLike[str] | None = None,
) -> None:
    """Serve the dashboard on host:port over the warehouse at `db`, or a Parquet `lake` (blocks
    until stopped).

    Raises ValueError for debug mode on a host that is not loopback (the debugger runs code).
    On a loopback host cookies may go over plain http unless IURC_COOKIE_SECURE says otherwise.
    """
    debug = config.debug_enabled() if debug is None else debug
    loopback = config.is_loopback(host)
    if debug and not loopback:
        raise ValueError(f"debug mode is refused on {host}: only on a loopback address")
    server.config["SESSION_COOKIE_SECURE"] = config.cookie_secure(default=not loopback)
    if db:
        os.environ["IURC_DB"] = str(config.warehouse_path(db))
    if lake:
        os.environ["IURC_LAKE"] = str(config.lake_path(lake))
    data.configure(db, lake)
    data.start_warming()
    app.run(host=host, port=port, debug=debug, dev_tools_hot_reload=False)


if __name__ == "__main__":
    main()
