"""The requested page inside the first layout response: no page-router round trip on first load.

With Dash pages, the browser fetches `/_dash-layout` (the page container: an empty content div and a
`dcc.Location` without a value), the Location then reports the address bar's path and query, and
only that second request (`_pages_location` -> `_pages_content`, the router callback) returns the
page. Here `app.layout` is a function: when the layout request names the page it was made from, the
container arrives already holding that page's layout (with its first-paint figures, for the URL's
filters and language), and the Location arrives with the address bar's values, so it reports
nothing and the router does not run. Client-side navigation (dcc.Link, back/forward) still goes
through the router callback, as before.

The layout normally travels inside the index response itself (dashboard.embedded_layout), which
names the page by its own path and query (`request_page`). A separate `/_dash-layout` request (the
embedded one could not be built) reads the page from its `Referer` instead (the document that
fetches it; the app's Referrer-Policy is `same-origin`, so it is sent to the app and to no other
site). Without one (a browser that strips it, a direct request, a proxy that rewrites Host), or for
a path no page serves, the empty container is returned and the router draws the page exactly as
Dash does by default.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import dash
from dash import dcc, html
from dash._pages import _parse_query_string, _path_to_page
from flask import Response, g, has_request_context, request

from dashboard import data

log = logging.getLogger(__name__)

# the ids of dash.page_container's parts (dash/dash.py _ID_*), which the router callback uses
LOCATION, CONTENT, STORE, DUMMY = (
    "_pages_location",
    "_pages_content",
    "_pages_store",
    "_pages_dummy",
)


def address_requested() -> tuple[str, str, str]:
    """Return (href, path, search) of the current request's own address (an index request); the
    href is relative: the Host header is the client's to forge, and is never written in a page
    (the Location compares it with the address bar only after a navigation, which sets it)."""
    query = request.query_string.decode("utf-8", "replace")
    search = f"?{query}" if query else ""
    return request.path + search, request.path, search


def request_page(requested: tuple[str, str, str]) -> None:
    """Make the layout built during this request the one of `requested` (href, path, search)."""
    g.iurc_requested_page = requested


def requested_page() -> tuple[str, str, str] | None:
    """Return (href, path, search) of the page whose layout is being requested: the one named by
    `request_page`, else the request's Referer; None when there is none (no request, no or a
    foreign Referer)."""
    if not has_request_context():
        return None
    named: tuple[str, str, str] | None = g.get("iurc_requested_page")
    if named is not None:
        return named
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not parts.path or parts.netloc != request.host:
        return None
    return referer.split("#", 1)[0], parts.path, f"?{parts.query}" if parts.query else ""


def layout_failed() -> bool:
    """Return True when the requested page's layout could not be drawn during this request."""
    return has_request_context() and bool(g.get("iurc_layout_failed"))


def serves(path: str) -> bool:
    """Return whether a registered page serves `path` (else the not-found page shows).

    Example: serves("/sdg") -> True; serves("/no-such-page") -> False
    """
    page, _ = _path_to_page(dash.get_app().strip_relative_path(path))
    return bool(page)


def page_content(path: str, search: str) -> tuple[Any, str] | None:
    """Return (the page's layout, its title) for `path` and query string `search`, called as the
    router callback calls it: the not-found page's when no registered page serves `path`; None
    when there is none."""
    app = dash.get_app()
    page, variables = _path_to_page(app.strip_relative_path(path))
    if not page:
        page = next(
            (p for m, p in dash.page_registry.items() if m.split(".")[-1] == "not_found_404"), {}
        )
    if not page:
        return None
    layout, title = page.get("layout", ""), page["title"]
    if callable(layout):
        layout = layout(**{**(variables or {}), **_parse_query_string(search)})
    if callable(title):
        title = title(**(variables or {}))
    return layout, title


def draws_charts(path: str) -> bool:
    """Return whether the page serving `path` draws charts: its registry entry's `charts` (a
    bool, or a function of the path's variables returning one), True when not given; False
    when no page serves `path` (the not-found page).

    Example: draws_charts("/practices") -> False
    """
    app = dash.get_app()
    page, variables = _path_to_page(app.strip_relative_path(path))
    if not page:
        return False
    charts = page.get("charts", True)
    return bool(charts(**(variables or {})) if callable(charts) else charts)


def draws_map(path: str) -> bool:
    """Return whether the page serving `path` always draws a map: its registry entry's `maps`
    (False when not given, or when no page serves `path`).

    Example: draws_map("/") -> True
    """
    app = dash.get_app()
    page, _ = _path_to_page(app.strip_relative_path(path))
    return bool(page and page.get("maps", False))


def container(requested: tuple[str, str, str] | None = None) -> html.Div:
    """Return the page container holding the requested page (the Location set to its address),
    or Dash's empty container when there is no request or no page for it."""
    requested = requested if requested is not None else requested_page()
    try:
        content = page_content(requested[1], requested[2]) if requested else None
    except Exception:  # the shell must load: the router then draws (or reports) the page
        if not data.stopping():  # else: a warm-up's query interrupted as the process exits
            log.exception("could not draw %s in the layout response", requested)
        if has_request_context():
            g.iurc_layout_failed = True  # not to be kept (dashboard.response_cache)
        content = None
    if requested is None or content is None:
        return dash.page_container  # type: ignore[no-any-return]
    href, path, search = requested
    layout, title = content
    return html.Div(
        [
            # every location prop set: on mount the Location has nothing to report
            dcc.Location(
                id=LOCATION,
                refresh="callback-nav",
                pathname=path,
                search=search,
                hash="",
                href=href,
            ),
            html.Div(layout, id=CONTENT, disable_n_clicks=True),
            dcc.Store(id=STORE, data={"title": title}),
            html.Div(id=DUMMY, disable_n_clicks=True),
        ]
    )


def app_layout() -> html.Div:
    """Return the app's layout: the page container (with the requested page when known)."""
    return html.Div(container(), className="app-root")


def vary_on_referer(response: Response) -> Response:
    """Mark a layout response as depending on the Referer (no shared cache may reuse it)."""
    response.vary.add("Referer")
    response.cache_control.private = True
    return response
