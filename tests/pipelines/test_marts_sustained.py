"""K22 sustained cooperation (KPI-CATALOGUE D1, D3): one rule, `mart.cooperation_sustained`.

The fixture warehouse (conftest.py) plus these cooperations, each support ending 2023-06-30, so
sustained from 2024-06-30 (12 calendar months later):

    coop-c  pairing  completed activity ending 2024-06-15: the right month, 15 days too early
    coop-d  pairing  agreement adopted 2024-06-30, exactly on the date
    coop-e  cluster  completed activity ending 2024-09-01, a planned one 2024-08-01
    coop-f  trio     support ended 2024-06-01: sustained from 2025-06-01, after the as-of date
    coop-g  global_network  completed activity ending 2024-09-01: not a cooperation (D1)
    coop-h  pairing  agreement adopted 2024-08-01 but abandoned

coop-a (fixture): support ended 2023-12-31, webinar a7 ended 2025-01-20; coop-b ends 2030.
Data as of (latest reported_date) 2025-03-12.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.warehouse import db, marts, reference
from tests.pipelines import conftest as fx

EXTRA = """
insert into core.cooperation values
    ('coop-c', 'pairing', 'C', 'innovation', 'I', '2022-01-01', '2023-06-30', 'fx'),
    ('coop-d', 'pairing', 'D', 'innovation', 'I', '2022-01-01', '2023-06-30', 'fx'),
    ('coop-e', 'cluster', 'E', 'urban_renewal', 'I', '2022-01-01', '2023-06-30', 'fx'),
    ('coop-f', 'trio', 'F', 'urban_renewal', 'I', '2022-01-01', '2024-06-01', 'fx'),
    ('coop-g', 'global_network', 'G', 'innovation', 'I', '2022-01-01', '2023-06-30', 'fx'),
    ('coop-h', 'pairing', 'H', 'innovation', 'I', '2022-01-01', '2023-06-30', 'fx');
insert into core.cooperation_member values
    ('coop-c', 'turin-it', 'lead', 'fx'), ('coop-c', 'toronto-ca', 'partner', 'fx'),
    ('coop-d', 'lyon-fr', 'lead', 'fx'), ('coop-d', 'austin-us', 'partner', 'fx'),
    ('coop-e', 'lyon-fr', 'lead', 'fx'), ('coop-e', 'toronto-ca', 'partner', 'fx'),
    ('coop-f', 'turin-it', 'lead', 'fx'), ('coop-f', 'austin-us', 'partner', 'fx'),
    ('coop-g', 'turin-it', 'lead', 'fx'), ('coop-g', 'lyon-fr', 'partner', 'fx'),
    ('coop-h', 'lyon-fr', 'lead', 'fx'), ('coop-h', 'toronto-ca', 'partner', 'fx');
insert into core.activity values
    ('c1', 'C late visit', null, 'study_visit', 'in_person', 'completed', '2024-06-10',
        '2024-06-15', 'innovation', null, null, 'coop-c', 'turin-it', '2024-06-20', 'fx'),
    ('e1', 'E follow-up', null, 'webinar', 'online', 'completed', '2024-09-01',
        '2024-09-01', 'urban_renewal', null, null, 'coop-e', 'lyon-fr', '2024-09-02', 'fx'),
    ('e2', 'E planned', null, 'webinar', 'online', 'planned', '2024-08-01',
        '2024-08-01', 'urban_renewal', null, null, 'coop-e', 'lyon-fr', '2024-07-02', 'fx'),
    ('g1', 'G follow-up', null, 'webinar', 'online', 'completed', '2024-09-01',
        '2024-09-01', 'innovation', null, null, 'coop-g', 'turin-it', '2024-09-02', 'fx');
insert into core.output values
    ('od', 'agreement', 'MoU D', 'adopted', 'coop-d', 'lyon-fr', 'innovation', null, null,
        null, '2024-06-01', null, '2024-06-30', null, null, 'fx'),
    ('oh', 'agreement', 'MoU H', 'abandoned', 'coop-h', 'lyon-fr', 'innovation', null, null,
        null, '2024-06-01', null, '2024-08-01', null, null, 'fx')
"""


@pytest.fixture(scope="module")
def scon() -> duckdb.DuckDBPyConnection:
    """The fixture warehouse plus the cooperations above, marts built once."""
    con = duckdb.connect(":memory:")
    db.create_schema(con)
    reference.load_reference(con)
    for statement in (fx.CITIES, fx.COOPERATIONS, fx.ACTIVITIES, fx.PARTICIPATIONS, fx.OUTPUTS):
        con.execute(statement)
    con.execute(EXTRA)
    marts.build_marts(con)
    yield con
    con.close()


def _rule(con: duckdb.DuckDBPyConnection, eval_date: str | None) -> dict[str, tuple]:
    rows = con.execute(
        "select cooperation_id, eligible, sustained from mart.cooperation_sustained(?::date)",
        [eval_date],
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_data_as_of_is_latest_reported_date(scon: duckdb.DuckDBPyConnection) -> None:
    assert scon.execute("select mart.data_as_of()").fetchone()[0] == dt.date(2025, 3, 12)


def test_sustained_rule_compares_dates_not_months(scon: duckdb.DuckDBPyConnection) -> None:
    got = _rule(scon, None)  # evaluated at the as-of date 2025-03-12
    assert got == {
        "coop-a": (True, True),  # a7 ended 2025-01-20 >= 2024-12-31
        "coop-b": (False, False),  # support ends 2030
        "coop-c": (True, False),  # 2024-06-15 < 2024-06-30 although the same month
        "coop-d": (True, True),  # agreement adopted exactly on 2024-06-30
        "coop-e": (True, True),  # completed 2024-09-01; the planned one does not count
        "coop-f": (False, False),  # sustained from 2025-06-01, after 2025-03-12
        "coop-h": (True, False),  # an abandoned agreement is no evidence
    }  # coop-g (global network) is not a cooperation


def test_sustained_rule_ignores_evidence_after_the_evaluation_date(
    scon: duckdb.DuckDBPyConnection,
) -> None:
    got = _rule(scon, "2024-08-31")
    assert got["coop-e"] == (True, False)  # its activity ends 2024-09-01, after 2024-08-31
    assert got["coop-d"] == (True, True)
    assert got["coop-a"] == (False, False)  # sustained from 2024-12-31: not yet eligible


def test_k22_uses_the_rule_at_period_end_or_as_of(scon: duckdb.DuckDBPyConnection) -> None:
    def k22(start, end, network=()):
        return scon.execute(
            """
            select numerator, denominator from mart.kpi_actual(
                ?::date, ?::date, ?::varchar[], [], [], [], [], [], [], [])
            where indicator_id = 'K22' and measure = 'main'
            """,
            [start, end, list(network)],
        ).fetchone()

    assert k22(None, None) == (3, 5)  # a, d, e of a, c, d, e, h
    assert k22("2024-01-01", "2024-12-31") == (2, 5)  # e (2024-09-01), d; a only from 2024-12-31
    assert k22("2024-01-01", "2024-12-31", ["urban_renewal"]) == (1, 1)  # e
    # a period ending after the as-of date is evaluated at the as-of date
    assert k22("2025-01-01", "2025-12-31") == k22(None, None)


def test_benchmark_sustained_input_uses_the_same_rule(scon: duckdb.DuckDBPyConnection) -> None:
    got = dict(
        scon.execute(
            """
            select city_id, value from mart.city_benchmark_input
            where input_id = 'sustained_cooperation'
            """
        ).fetchall()
    )
    # lyon: d, e sustained, h not (coop-b, coop-g not counted) -> 2 of 3
    assert got["lyon-fr"] == pytest.approx(200 / 3)
    # toronto: c no, e yes, h no -> 1 of 3; turin: a yes, c no (coop-f not eligible) -> 1 of 2
    assert got["toronto-ca"] == pytest.approx(100 / 3)
    assert got["turin-it"] == pytest.approx(50)
    assert got["austin-us"] == pytest.approx(100)  # a, d
    assert got["merida-mx"] is None  # only coop-b, not eligible
