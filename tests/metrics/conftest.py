"""The fixture warehouse of tests/pipelines/conftest.py plus one activity without a host city.

a8  (no cooperation, no host) webinar, innovation, completed 2024-09-10, reported 2024-09-12;
    participants: austin-us academia 2 (1 woman, 1 organisation), lyon-fr business 3 (none
    declared, 2 organisations). Under D12 it counts where its participants come from: in the
    US (NA) and in France (EU), so a geographic breakdown of activities does not add up.
"""

from __future__ import annotations

import duckdb
import pytest

from pipelines.warehouse import marts
from tests.pipelines.conftest import build_fixture_warehouse

HOSTLESS = """
insert into core.activity values
    ('a8', 'Open webinar', null, 'webinar', 'online', 'completed', '2024-09-10', '2024-09-10',
        'innovation', null, null, null, null, '2024-09-12', 'fx');
insert into core.participation values
    ('a8', 'austin-us', 'academia', 2, 1, 1, null, 'fx'),
    ('a8', 'lyon-fr', 'business', 3, null, 2, null, 'fx')
"""


@pytest.fixture(scope="session")
def metric_con() -> duckdb.DuckDBPyConnection:
    """A session-wide in-memory fixture warehouse with the host-less activity a8 (read-only)."""
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    con.execute(HOSTLESS)
    marts.build_marts(con)
    yield con
    con.close()


@pytest.fixture()
def mcur(metric_con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor on the metric fixture warehouse for one test."""
    return metric_con.cursor()
