"""Repeated dashboard requests answered from a cache shared by the server's workers.

A read-only analytics callback (POST /_dash-update-component) whose function is marked
`@cacheable`, and the page layout the index response embeds (dashboard.embedded_layout), are
answered from `dashboard.response_store` when the same request was answered before for the same
published warehouse: the stored response bytes (plain and gzip), so a repeat costs a lookup and
a write instead of the queries, the figures and the JSON. The per-process query cache
(`dashboard.data.cached`) stays behind it: a miss still computes through it.

The key of an entry, and why each part is in it:
* the code generation (`code_generation`: a digest of the dashboard's and pipelines' source,
  SQL and catalogues, and of the Dash and Plotly versions): a new release draws differently,
  and must not serve what the old one drew;
* the warehouse version (inode, mtime, size of the published file): every figure depends on the
  published data; a publish gives a new version, so an old answer is never served after it (and
  the store drops the older publish's entries when the first newer one is stored);
* the caller's role (`dashboard.access.current_role`): what the role may see differs (raw
  records for officers); per-user data is never cached at all (see below);
* the language, read from the filter state (the state is in the key too; the language is named
  on its own so that no state normalisation could ever merge two languages);
* for a callback: its output spec and concrete outputs, its inputs and state as sent, and the
  changed inputs (a callback may answer differently to what triggered it), as canonical JSON
  (keys sorted, no spaces);
* for a layout: the requested address (path and query, as the Location receives it).

What is cached, and what never is:
* only callbacks whose function is marked `@cacheable`: pure functions of their inputs and the
  published warehouse (the filter-driven charts, cards and tables); never a callback that
  writes, reads the session or the user (beyond the role), downloads a file or is gated by role
  (the quarantine's raw records): those are simply not marked;
* only 200 JSON answers: an error, a 204 (PreventUpdate) or anything else is never stored;
* the CSRF check (dashboard.auth) and the request checks (dashboard.request_checks) run before a
  stored answer is served: a hook registered after them, so a forged or oversized body is
  refused exactly as without the cache;
* the submission, review and audit pages are Flask routes, not callbacks: never cached.

A missing entry is computed once: the first request takes the entry's lock (one per key,
shared by the processes, see `ResponseStore.lock`), the others wait and then read what it
stored. After a publish, one process of all warms the default views (`claim_warming`).

IURC_RESPONSE_CACHE=0 turns it off; IURC_RESPONSE_CACHE_DIR and IURC_RESPONSE_CACHE_MB set where
it lives (default: `<warehouse>.respcache/` beside the published warehouse) and its size bound.
Every answer of the dispatcher says `X-Response-Cache: hit`, `miss` (computed, then stored) or
`off` (not cacheable); `benchmarks.loadtest` counts them.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.metadata
import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from dash import Dash
from flask import Flask, Response, g, request

from dashboard import access, components, data, ids, initial_page
from dashboard.response_store import ResponseStore
from pipelines import config

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
HEADER = "X-Response-Cache"
ATTRIBUTE = "response_cacheable"
ROOT = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = (".py", ".sql", ".mo", ".json")
_stores: dict[tuple[Path, int], ResponseStore | None] = {}  # None: the folder cannot be used
_stores_lock = threading.Lock()


def cacheable(fn: F) -> F:
    """Return `fn` marked as a pure function of its inputs and the published warehouse, whose
    answers may be served from the response cache (put it under `@callback`)."""
    setattr(fn, ATTRIBUTE, True)
    return fn


def is_cacheable(callback: Any) -> bool:
    """Return True when a callback map entry's function is marked `@cacheable`."""
    fn = getattr(callback, "__wrapped__", callback)
    return bool(getattr(fn, ATTRIBUTE, False))


@functools.cache
def code_generation() -> str:
    """Return a digest of the code that draws the answers: the dashboard's and pipelines'
    source, SQL and catalogues, and the Dash and Plotly versions (computed once per process)."""
    digest = hashlib.sha256()
    for package in ("dash", "plotly"):
        digest.update(f"{package}={importlib.metadata.version(package)};".encode())
    for folder in ("dashboard", "pipelines"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def store() -> ResponseStore | None:
    """Return the response store of the served warehouse, or None when the cache is off."""
    if not config.response_cache_enabled():
        return None
    handle = data.warehouse()
    folder = config.response_cache_dir(handle.lake or handle.path)
    limit = config.response_cache_bytes()
    with _stores_lock:
        if (folder, limit) not in _stores:
            try:
                _stores[(folder, limit)] = ResponseStore(folder, limit, code_generation())
            except (OSError, sqlite3.Error):  # e.g. a read-only disk: serve without the cache
                log.warning("response cache off: cannot use %s", folder, exc_info=True)
                _stores[(folder, limit)] = None
        return _stores[(folder, limit)]


def published() -> tuple[str, int] | None:
    """Return (the warehouse version as text, its publish time in ns) of the newest published
    warehouse, or None when there is none."""
    try:
        data.cursor()  # stats the file: a re-published warehouse has a new version
    except FileNotFoundError:
        return None
    version = data.warehouse().version
    if version is None:
        return None
    inode, mtime_ns, size = version
    return f"{inode}-{mtime_ns}-{size}", mtime_ns


def _digest(parts: dict[str, Any]) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _language(inputs: Any) -> str:
    """Return the language of the filter-state input among a callback's inputs ('' if none)."""
    for item in inputs if isinstance(inputs, list) else []:
        if isinstance(item, dict) and item.get("id") == ids.STATE:
            return components.parse_state(item.get("value"))[1]
    return ""


def callback_key(body: dict[str, Any], version: str) -> str:
    """Return the cache key of a (checked) callback request for the warehouse `version`."""
    return _digest(
        {
            "kind": "callback",
            "code": code_generation(),
            "warehouse": version,
            "role": access.current_role(),
            "lang": _language(body.get("inputs")),
            "output": body["output"],
            "outputs": body.get("outputs"),
            "inputs": body.get("inputs"),
            "state": body.get("state", []),
            "changed": sorted(body.get("changedPropIds", [])),
        }
    )


def layout_key(href: str, version: str) -> str:
    """Return the cache key of the layout of the page at `href` for the warehouse `version`."""
    return _digest(
        {
            "kind": "layout",
            "code": code_generation(),
            "warehouse": version,
            "role": access.current_role(),
            "href": href,
        }
    )


def layout_json(build: Callable[[], str]) -> str:
    """Return the JSON of the layout being requested (`initial_page.requested_page`): stored,
    else `build()`, stored unless the page could not be drawn. Without a requested page, a
    warehouse or the cache, `build()`."""
    requested = initial_page.requested_page()
    cache = store() if requested is not None else None
    version = published() if cache is not None else None
    if cache is None or version is None or requested is None:
        return build()
    key = layout_key(requested[0], version[0])
    found = cache.get(key, gzip=False)
    if found is None:
        with cache.computing(key):
            found = cache.get(key, gzip=False)
            if found is None:
                text = build()
                if not initial_page.layout_failed():
                    cache.put(key, version[1], text.encode("utf-8"), b"")
                return text
    return found.decode("utf-8")


def claim_warming() -> bool:
    """Return True when this process should warm the default views of the newest publish: the
    first process to ask for it when the cache is on, every process when it is off."""
    cache = store()
    version = published()
    if cache is None or version is None:
        return True
    return cache.claim(f"{code_generation()}:{version[0]}")


def _accepts_gzip() -> bool:
    return request.accept_encodings.quality("gzip") > 0


def _answer(body: bytes, gzipped: bool) -> Response:
    response = Response(body, mimetype="application/json")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"  # flask-compress leaves it as it is
    response.vary.add("Accept-Encoding")
    response.headers[HEADER] = "hit"
    return response


def install(app: Dash) -> None:
    """Serve `app`'s cacheable callbacks from the response cache (see the module docstring).
    Call after the CSRF and request checks are registered: they run first."""
    server: Flask = app.server
    dispatch_path = app.config.routes_pathname_prefix + "_dash-update-component"

    @server.before_request
    def cached_answer() -> Response | None:
        if request.method != "POST" or request.path != dispatch_path:
            return None
        body = g.get("iurc_callback_body")  # parsed and checked by the request checks
        spec = app.callback_map.get(body.get("output")) if isinstance(body, dict) else None
        if spec is None or not is_cacheable(spec.get("callback")):
            return None
        cache = store()
        version = published() if cache is not None else None
        if cache is None or version is None or not isinstance(body, dict):
            return None
        key = callback_key(body, version[0])
        zipped = _accepts_gzip()
        found = cache.get(key, zipped)
        if found is None:
            g.iurc_response_lock = (cache, cache.lock(key))  # released at the request's end
            found = cache.get(key, zipped)  # computed by another request while we waited
        if found is not None:
            return _answer(found, zipped)
        g.iurc_response_entry = (cache, key, version[1])
        return None

    @server.after_request
    def keep_answer(response: Response) -> Response:
        if request.path != dispatch_path or request.method != "POST":
            return response
        entry = g.pop("iurc_response_entry", None)
        if HEADER in response.headers:
            return response
        if entry is None or response.status_code != 200 or response.is_streamed:
            response.headers[HEADER] = "off"
            return response
        cache, key, publish = entry
        body = response.get_data()
        if response.mimetype != "application/json" or "Content-Encoding" in response.headers:
            response.headers[HEADER] = "off"
            return response
        zipped = gzip.compress(body, 6)
        cache.put(key, publish, body, zipped)
        if _accepts_gzip():
            response.set_data(zipped)
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        response.headers[HEADER] = "miss"
        return response

    @server.teardown_request
    def release_lock(_exc: BaseException | None) -> None:
        held = g.pop("iurc_response_lock", None)
        if held is not None:
            held[0].unlock(held[1])
