"""Smoke tests of the Dash app: routes, headers, local assets, limits."""

from __future__ import annotations

import re

import dash
import pytest

from dashboard import app as app_module
from dashboard.app import app, server


def test_app_registers_the_routes():
    paths = {page["path"] for page in dash.page_registry.values()}
    assert {"/", "/participation", "/sdg"} <= paths
    assert all(
        page.get("i18n_key")
        for page in dash.page_registry.values()
        if page["path"] in {"/", "/participation", "/sdg"}
    )


def test_app_serves_index_with_security_headers():
    response = server.test_client().get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert not re.search(r"https?://", csp)
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_app_index_loads_nothing_from_another_origin():
    html = server.test_client().get("/").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "00-bootstrap-5.3.9.min.css" in html and "iurc-a11y.js" in html


def test_app_serves_the_local_base_map():
    response = server.test_client().get("/assets/topojson/world_110m.json")
    assert response.status_code == 200
    assert {"countries", "land", "coastlines"} <= set(response.get_json()["objects"])


def test_app_limits_request_size(monkeypatch):
    assert server.config["MAX_CONTENT_LENGTH"] == app_module.config.max_upload_bytes()
    too_big = b"x" * (server.config["MAX_CONTENT_LENGTH"] + 1)
    response = server.test_client().post(
        "/_dash-update-component", data=too_big, content_type="application/json"
    )
    assert response.status_code == 413


def test_app_debug_off_by_default(monkeypatch):
    monkeypatch.delenv("IURC_DEBUG", raising=False)
    calls = {}
    monkeypatch.setattr(app, "run", lambda **kw: calls.update(kw))
    app_module.main()
    assert calls["debug"] is False and calls["host"] == "127.0.0.1"


@pytest.mark.parametrize("path", ["/", "/participation", "/sdg"])
def test_app_page_layouts_build_without_warehouse(monkeypatch, tmp_path, path):
    monkeypatch.setenv("IURC_DB", str(tmp_path / "missing.duckdb"))
    app_module.data.configure()
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    layout = page["layout"](lang="fr")
    assert "Aucun entrepôt trouvé" in str(layout.to_plotly_json())
    app_module.data.configure()


def test_app_callback_map_complete_before_first_request():
    """Dash's first-request set-up ran at import: concurrent first requests find every callback."""
    from dashboard.app import app

    assert app._got_first_request["setup_server"] and app._got_first_request["pages"]
    outputs = " ".join(app.callback_map)
    for card in ("overview-scorecard", "sdg-heatmap", "dq-tables"):
        assert card in outputs
