"""The human-readable page of the API (`/api/v1/`): every endpoint with its parameters and examples.

Rendered from the OpenAPI document (`dashboard.api.openapi`), every text escaped; styles from the
app's own Bootstrap asset, no script, nothing from another origin. Interface text is translated
(`dashboard.i18n.t`); endpoint descriptions are the OpenAPI document's, in English.
"""

from __future__ import annotations

from html import escape
from typing import Any

from dashboard.i18n import t
from dashboard.static_assets import asset_url

# an example request per path (relative links, so they work on any host)
EXAMPLES = {
    "/metrics": ["/api/v1/metrics", "/api/v1/metrics?_format=csv"],
    "/metrics/{metric_id}": [
        "/api/v1/metrics/K04?by=network",
        "/api/v1/metrics/K02?by=region&start=2024-01-01&end=2024-12-31",
        "/api/v1/metrics/K04?by=month,stakeholder_type&network=innovation&lang=fr&_format=csv",
    ],
    "/tables": ["/api/v1/tables"],
    "/tables/{name}": [
        "/api/v1/tables/ref.network",
        "/api/v1/tables/mart.activity_cube?region=NA&limit=50&offset=50",
    ],
    "/bundle": ["/api/v1/bundle"],
    "/openapi.json": ["/api/v1/openapi.json"],
}


def _parameters(operation: dict[str, Any], lang: str) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td>"
        f"<td>{escape(p.get('description', ''))}</td></tr>"
        for p in operation.get("parameters", [])
        if p["in"] == "query"
    )
    if not rows:
        return ""
    caption = escape(t("api.parameters", lang))
    return (
        f'<table class="table table-sm"><caption>{caption}</caption><tbody>{rows}</tbody></table>'
    )


def page(document: dict[str, Any], lang: str) -> str:
    """Return the API's documentation page as HTML in `lang`."""
    text = {
        "examples": t("api.examples", lang),
        "intro": t("api.intro", lang),
        "convention": t("api.convention", lang),
        "limits": t("api.limits", lang),
        "openapi": t("api.openapi", lang),
        "dashboard": t("api.dashboard", lang),
    }
    text = {k: escape(v) for k, v in text.items()}
    sections = []
    for path, item in document["paths"].items():
        operation = item["get"]
        examples = "".join(
            f'<li><a href="{escape(url)}"><code>{escape(url)}</code></a></li>'
            for url in EXAMPLES.get(path, [])
        )
        sections.append(
            f'<section class="mb-4"><h2 class="h5"><code>GET /api/v1{escape(path)}</code></h2>'
            f"<p>{escape(operation.get('summary', ''))}. {escape(operation.get('description', ''))}</p>"
            f"{_parameters(operation, lang)}"
            f"<p>{text['examples']}</p><ul>{examples}</ul></section>"
        )
    title = escape(t("api.title", lang))
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        f'<link rel="stylesheet" href="{asset_url("00-bootstrap-5.3.9.min.css")}"></head>'
        f'<body><main class="container my-4"><h1 class="h3">{title}</h1>'
        f"<p>{text['intro']}</p>"
        f"<p>{text['convention']}</p>"
        f"<p>{text['limits']}</p>"
        f'<p><a href="/api/v1/openapi.json">{text["openapi"]}</a> · '
        f'<a href="/">{text["dashboard"]}</a></p>'
        f"{''.join(sections)}</main></body></html>"
    )
