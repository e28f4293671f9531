"""Conditional GET: ETag and Last-Modified from the warehouse's publish, 304 when unchanged.

A published warehouse changes only at publish, so a response is identified by the publish (the
warehouse file's version and the last ingest run's end, "loaded on") and the request (path,
query, format). Clients that send If-None-Match or If-Modified-Since get 304 without the query
running again.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import Request, Response

from dashboard import access


def etag(publish: str, request: Request, fmt: str) -> str:
    """Return the (strong) entity tag of `request`'s response for the publish `publish` and the
    caller's role (what a role may read differs)."""
    key = "\n".join(
        [publish, access.current_role(), request.path, request.query_string.decode("latin-1"), fmt]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def as_http_time(loaded_on: dt.datetime | dt.date | None) -> dt.datetime | None:
    """Return the publish time as an aware UTC datetime, whole seconds (naive means UTC)."""
    if loaded_on is None:
        return None
    if not isinstance(loaded_on, dt.datetime):
        loaded_on = dt.datetime.combine(loaded_on, dt.time())
    if loaded_on.tzinfo is None:
        loaded_on = loaded_on.replace(tzinfo=dt.UTC)
    return loaded_on.astimezone(dt.UTC).replace(microsecond=0)


def not_modified(request: Request, tag: str, modified: dt.datetime | None) -> bool:
    """Return True when the client's copy (If-None-Match, else If-Modified-Since) is current."""
    if request.if_none_match:
        return request.if_none_match.contains(tag) or request.if_none_match.star_tag
    since = request.if_modified_since
    return bool(since and modified and modified <= since)


def stamp(response: Response, tag: str, modified: dt.datetime | None) -> Response:
    """Set ETag, Last-Modified and Cache-Control on `response`; return it."""
    response.set_etag(tag)
    if modified is not None:
        response.last_modified = modified
    # what a signed-in caller reads depends on their role: never from a shared cache
    private = access.current_role() != access.PUBLIC
    response.headers["Cache-Control"] = (
        f"{'private' if private else 'public'}, max-age=0, must-revalidate"
    )
    response.vary.add("Cookie")
    return response
