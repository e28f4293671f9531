"""build_marts: file conventions, materialisation and rebuilds."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.warehouse import db, marts


def test_build_marts_on_empty_warehouse_builds_every_file():
    con = db.connect_memory()
    names = marts.build_marts(con)
    assert len(names) == len(marts.mart_files())
    kinds = dict(
        con.execute(
            "select table_name, table_type from information_schema.tables where table_schema = 'mart'"
        ).fetchall()
    )
    assert kinds["participation_cube"] == "BASE TABLE"
    assert kinds["kpi_scorecard"] == "BASE TABLE"
    assert kinds["dq_quarantine"] == "VIEW"


def test_a_rebuild_drops_the_marts_older_code_built_and_this_code_does_not():
    """A renamed mart (mart.sdg_activity_tag, now mart.sdg_activity) left by older code, and a
    view reading it, are dropped by the rebuild; what this code builds and fills stays."""
    con = db.connect_memory()
    marts.build_marts(con)
    con.execute("create table mart.sdg_activity_tag as select 1 as activity_id")
    con.execute("create view mart.old_view as select * from mart.sdg_activity_tag")
    names = marts.build_marts(con)
    left = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'mart'"
        ).fetchall()
    }
    assert "sdg_activity_tag" not in left and "old_view" not in left
    assert {"sdg_activity", "kpi_scorecard", "participation_cube"} <= left
    assert set(names) <= left | {
        r[0]
        for r in con.execute(
            "select function_name from duckdb_functions() where schema_name = 'mart'"
        ).fetchall()
    }


def test_mart_files_follow_conventions():
    for path in marts.mart_files():
        name, _statement = marts._statement(path)
        assert path.name.endswith(f"_{name}.sql")
        text = path.read_text(encoding="utf-8")
        if "scalar_macro" not in text.splitlines()[0]:
            assert "\nwith\n" in text and "\nselect * from final" in text, path.name


def test_bad_header_is_rejected(tmp_path):
    bad = tmp_path / "99_thing.sql"
    bad.write_text("select 1\n", encoding="utf-8")
    with pytest.raises(ValueError):
        marts._statement(bad)


def test_rebuild_reflects_new_rows(mart_con):
    con = duckdb.connect(":memory:")
    from tests.pipelines.conftest import build_fixture_warehouse

    build_fixture_warehouse(con)
    con.execute(
        "insert into core.participation values ('a3', 'lyon-fr', 'academia', 2, 1, 1, null, null, 'x')"
    )
    before = con.execute("select sum(participants) from mart.participation_cube").fetchone()[0]
    marts.build_marts(con)
    after = con.execute("select sum(participants) from mart.participation_cube").fetchone()[0]
    assert (before, after) == (48, 50)


def test_every_mart_is_read_outside_its_own_file():
    """A mart nothing reads is built and published for nobody: every one is named in the code
    (pipelines, dashboard, iurc, notebooks, benchmarks) outside its own SQL file."""
    import re
    from collections import defaultdict
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readers: defaultdict[str, set[Path]] = defaultdict(set)
    for folder in ("pipelines", "dashboard", "iurc", "notebooks", "benchmarks"):
        for pattern in ("*.py", "*.sql", "*.ipynb"):
            for path in (root / folder).rglob(pattern):
                if path.name == "access.py":  # the list of public marts is no reader
                    continue
                for name in set(re.findall(r"\bmart\.([a-z0-9_]+)", path.read_text("utf-8"))):
                    readers[name].add(path)
    unread = [
        path.name for path in marts.mart_files() if not readers[marts._statement(path)[0]] - {path}
    ]
    assert unread == []


def test_a_mart_whose_kind_changed_replaces_the_old_relation():
    # a warehouse built by older code: cooperation_evidence was a view, dq_quarantine a table
    con = duckdb.connect(":memory:")
    from tests.pipelines.conftest import build_fixture_warehouse

    build_fixture_warehouse(con)
    con.execute("drop table mart.cooperation_evidence")
    con.execute("create view mart.cooperation_evidence as select 1 as x")
    con.execute("drop view mart.dq_quarantine")
    con.execute("create table mart.dq_quarantine as select 1 as x")
    marts.build_marts(con, store_scorecards=False)
    kinds = dict(
        con.execute(
            "select table_name, table_type from information_schema.tables where table_schema = 'mart'"
        ).fetchall()
    )
    assert kinds["cooperation_evidence"] == "BASE TABLE"
    assert kinds["dq_quarantine"] == "VIEW"
    assert "first_evidence_date" in con.execute("from mart.cooperation_evidence").df()


def test_output_has_evidence_is_a_link_that_is_not_blank():
    con = duckdb.connect(":memory:")
    from tests.pipelines.conftest import build_fixture_warehouse

    build_fixture_warehouse(con)
    for output_id, url in (("o1", "https://x.org/a.pdf"), ("o2", "   "), ("o3", ""), ("o4", None)):
        con.execute("update core.output set evidence_url = ? where output_id = ?", [url, output_id])
    marts.build_marts(con, store_scorecards=False)
    rows = con.execute(
        "select output_id, has_evidence from mart.output_register "
        "where output_id in ('o1', 'o2', 'o3', 'o4') order by 1"
    ).fetchall()
    assert rows == [("o1", True), ("o2", False), ("o3", False), ("o4", False)]
