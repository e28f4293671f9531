"""The read-only open-data API, `/api/v1/`: a Flask blueprint on the Dash app's own server.

`register(server)` adds it (dashboard.app does). Responses follow CKAN's `datastore_search` shape
(docs/api.md says why); every figure comes from the metric layer (`pipelines.queries`), every
table from the allow-list of `dashboard.access`.
"""

from __future__ import annotations

from flask import Flask

from dashboard.api.routes import api


def register(server: Flask) -> None:
    """Register the /api/v1 blueprint on `server` (once)."""
    if api.name not in server.blueprints:
        server.register_blueprint(api)
