"""Fixtures of the API contract tests: Flask's test client on the real app over the demo warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from dashboard import data
from dashboard.api.routes import buckets
from dashboard.app import server
from pipelines.warehouse import db


@pytest.fixture(scope="module")
def api_client(demo_db: Path) -> Iterator[FlaskClient]:
    """Yield a test client of the real app reading the demo warehouse, with a generous rate limit.

    (The rate-limit test sets its own limit for a client address of its own.)
    """
    data.configure(demo_db)
    before = server.config.get("IURC_API_RATE")
    server.config["IURC_API_RATE"] = (1_000_000, 60.0)
    yield server.test_client()
    server.config["IURC_API_RATE"] = before
    buckets.clear()
    data.clear_cache()


@pytest.fixture(scope="session")
def demo_con(demo_db: Path):
    """Yield a read-only connection of our own on the demo warehouse (the reference answers)."""
    con = db.connect_readonly(demo_db)
    yield con
    con.close()
