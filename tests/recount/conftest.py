"""Fixtures of the recount: the demo warehouse (built once per session) and its raw files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.recount import recount


@pytest.fixture(scope="session")
def demo_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-only connection to the session's demo warehouse."""
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def raw(demo_db: Path, demo_con: duckdb.DuckDBPyConnection) -> recount.Raw:
    """Return the demo input files without the lines the warehouse quarantined."""
    return recount.read_raw(demo_db.parent / "demo", recount.rejected_lines(demo_con))
