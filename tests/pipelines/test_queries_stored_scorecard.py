"""kpi_scorecard reads the rows stored at publish for stored scopes: same frame as the macro."""

from __future__ import annotations

import datetime as dt
import math
import shutil

import duckdb
import pandas as pd
import pytest

from pipelines import queries as q
from pipelines.metrics.filters import Filters
from pipelines.queries import overview
from pipelines.warehouse import marts


def _macro_only(cur, filters: Filters, **kwargs) -> pd.DataFrame:
    original = overview._stored_scope
    overview._stored_scope = lambda *a: None
    try:
        return q.kpi_scorecard(cur, filters, **kwargs)
    finally:
        overview._stored_scope = original


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(network=("innovation",)),
        Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
        Filters(network=("innovation",), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
        Filters(mode=("pairing",)),
        Filters(mode=("trio",), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
    ],
)
def test_kpi_scorecard_stored_scope_equals_macro(cur, filters):
    assert overview._stored_scope(filters, None, None) is not None
    stored = q.kpi_scorecard(cur, filters, lang="fr")
    pd.testing.assert_frame_equal(stored, _macro_only(cur, filters, lang="fr"))


def test_kpi_scorecard_stored_scope_only_for_stored_filters():
    assert overview._stored_scope(Filters(region=("EU",)), None, None) is None
    assert overview._stored_scope(Filters(network=("a", "b")), None, None) is None
    assert overview._stored_scope(Filters(start=dt.date(2024, 1, 1)), None, None) is None
    assert overview._stored_scope(Filters(network=("a",)), "coop", None) is None
    assert overview._stored_scope(Filters(), "coop", None)[3:] == ("cooperation", "coop")
    assert overview._stored_scope(Filters(mode=("trio",)), None, None)[3:] == ("mode", "trio")
    assert overview._stored_scope(Filters(mode=("trio", "pairing")), None, None) is None
    assert overview._stored_scope(Filters(mode=("trio",), network=("a",)), None, None) is None
    assert overview._stored_scope(Filters(mode=("trio",), region=("EU",)), None, None) is None
    assert overview._stored_scope(Filters(mode=("trio",)), None, "city") is None


def test_a_single_cooperation_mode_is_stored_with_its_own_target(cur):
    """The overview's one-mode filter is a target scope of its own: its stored rows carry the
    mode as scope (so a mode target rates it), and a mode not stored falls back to the macro."""
    stored = q.kpi_scorecard(cur, Filters(mode=("cluster",)))
    assert set(stored["scope_type"]) == {"mode"} and set(stored["scope_id"]) == {"cluster"}
    unknown = Filters(mode=("no-such-mode",))
    assert overview._stored_scope(unknown, None, None) is not None
    pd.testing.assert_frame_equal(q.kpi_scorecard(cur, unknown), _macro_only(cur, unknown))


@pytest.fixture(scope="module")
def demo_with_local_targets(demo_db, tmp_path_factory):
    """A copy of the demo warehouse with a cooperation and a city target (the demo has only
    programme and network ones), its stored scorecard filled again: every scope type is stored."""
    path = tmp_path_factory.mktemp("stored-scorecard") / "iurc.duckdb"
    shutil.copyfile(demo_db, path)
    con = duckdb.connect(str(path))
    con.execute(
        """
        insert into core.target
        select * replace (s.scope_type as scope_type, s.scope_id as scope_id)
        from core.target,
             (select 'cooperation' as scope_type, min(cooperation_id) as scope_id
              from core.cooperation
              union all
              select 'city', min(host_city_id) from core.activity) as s
        where core.target.scope_type = 'programme'
        """
    )
    marts._fill_scorecard(con)
    yield con
    con.close()


def test_the_stored_scorecard_is_the_live_macro_for_each_kind_of_stored_call(
    demo_with_local_targets,
):
    """One batch query fills mart.kpi_scorecard for every stored call; the rows of one call of
    each scope type and period type equal the live macro's for that call, value for value."""
    con = demo_with_local_targets
    calls = marts._scorecard_calls(con)
    first = {(call[0], call[2]): call for call in reversed(calls)}
    assert set(first) == {
        (scope, period)
        for scope in ("programme", "network", "mode", "cooperation", "city")
        for period in ("all", "year")
    }
    for call in first.values():
        scope_type, scope_id, period_type, start, end = call
        stored = con.execute(
            """
            select * from mart.kpi_scorecard
            where period_type = ? and period_start is not distinct from ?
              and scope_type = ? and scope_id = ?
            """,
            [period_type, start, scope_type, scope_id],
        ).fetchall()
        live = con.execute(*marts.scorecard_query(call)).fetchall()
        assert live and len(stored) == len(live), call
        for got, want in zip(stored, live, strict=True):
            assert [_close(a, b) for a, b in zip(got, want, strict=True)] == [True] * len(want), (
                call,
                got,
                want,
            )
    stored_calls = con.execute(
        "select count(distinct (period_type, period_start, scope_type, scope_id)) "
        "from mart.kpi_scorecard"
    ).fetchall()[0][0]
    assert stored_calls == len(calls)


def _close(a: object, b: object) -> bool:
    """Equal, or floats within 1e-9 relative (a sum's last bits depend on the plan)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return a == b


def _keyed_and_lateral(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Return the stored calls' rows by the keyed query, by the lateral batch and by the keyed
    query over the rules computed apart by source (what Spark runs), on `con`."""
    rows = marts.scorecard_scope_rows(marts._scorecard_calls(con))
    columns = ", ".join(f"{name} {kind}" for name, kind in marts.SCORECARD_SCOPE_COLUMNS)
    con.execute(f"create or replace temp table {marts.SCORECARD_SCOPES} ({columns})")
    marks = ", ".join("?" for _ in marts.SCORECARD_SCOPE_COLUMNS)
    con.executemany(f"insert into {marts.SCORECARD_SCOPES} values ({marks})", rows)
    try:
        keyed = con.execute(marts.scorecard_keyed_sql()).fetchall()
        lateral = con.execute(marts.scorecard_batch_sql(rows)).fetchall()
        groups = marts.scorecard_rule_parts()
        first, *rest = ["\nunion all\n".join(parts) for parts in groups.values()]
        con.execute(f"create or replace temp table rule_rows as {first}")
        for sql in rest:
            con.execute(f"insert into rule_rows {sql}")
        split = con.execute(marts.scorecard_keyed_sql(computed="rule_rows")).fetchall()
    finally:
        con.execute(f"drop table if exists {marts.SCORECARD_SCOPES}")
        con.execute("drop table if exists rule_rows")
    return keyed, lateral, split


def test_the_keyed_scorecard_equals_the_lateral_batch(demo_db, demo_with_local_targets):
    """The keyed text (every call's rows in one query, no lateral join: what Spark runs) gives
    DuckDB's stored scorecard row for row, on the demo and on the copy with a cooperation and a
    city target (every scope type, with its K22 evaluated at each call's own date); so does the
    keyed text over the KPI rules computed apart, one group per source (Spark's split)."""
    demo = duckdb.connect(str(demo_db), read_only=True)
    try:
        for con in (demo, demo_with_local_targets):
            keyed, lateral, split = _keyed_and_lateral(con)
            assert len(keyed) == len(lateral) == len(split) > 0
            for got, want, apart in zip(keyed, lateral, split, strict=True):
                assert [_close(a, b) for a, b in zip(got, want, strict=True)] == [True] * len(
                    want
                ), (got, want)
                assert [_close(a, b) for a, b in zip(apart, want, strict=True)] == [True] * len(
                    want
                ), (apart, want)
    finally:
        demo.close()
