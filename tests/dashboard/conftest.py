"""Fixtures for dashboard unit tests: a real (small) published warehouse file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.warehouse import db


@pytest.fixture
def empty_warehouse(tmp_path: Path) -> Path:
    """Return a published warehouse with the schema, code lists and marts but no facts."""
    path = tmp_path / "iurc.duckdb"
    with db.writer(path):
        pass
    return path
