"""data.py: the warehouse handle, the query wrappers and their cache, on real DuckDB files."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from benchmarks.callbacks import RecordingCursor
from dashboard import data
from pipelines import queries
from pipelines.metrics.build import metric_query
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db


@pytest.fixture
def statements(monkeypatch) -> list[tuple[str, Any]]:
    """Return the (sql, params) of every statement dashboard.data runs from now on (its cursors
    wrapped in the benchmark's RecordingCursor)."""
    log: list[tuple[str, Any]] = []
    real = data.cursor
    monkeypatch.setattr(data, "cursor", lambda: RecordingCursor(real(), log))
    return log


@pytest.fixture
def handle(empty_warehouse):
    data.configure(empty_warehouse)
    yield empty_warehouse
    data.configure()


def test_data_filter_options_from_reference_in_each_language(handle):
    en, fr = data.filter_options("en"), data.filter_options("fr")
    assert {"network", "subtheme", "region", "country", "mode"} <= set(en)
    assert [o["value"] for o in en["network"]] == [o["value"] for o in fr["network"]]
    assert [o["label"] for o in en["mode"]] != [o["label"] for o in fr["mode"]]


def test_data_wrappers_return_what_the_query_api_returns(handle):
    con = db.connect_readonly(handle)
    filters = Filters(region=("EU",))
    got = data.network_breakdown(filters, lang="es")
    assert got.equals(queries.network_breakdown(con, filters, lang="es"))
    assert data.map_points(filters, lang="en").empty  # no facts: an empty frame, not an error


def test_data_follows_republication_without_restart(handle):
    assert data.data_dates()["loaded_on"] is None
    with db.writer(handle) as con:
        con.execute(
            "insert into ops.ingest_run values ('r1', ?, ?, 'f.csv', 'f.csv', 'x', 'city', 'csv',"
            " 0, 0, 0, 0, 0, 'loaded', '', false)",
            [dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 2, 3)],
        )
    assert data.data_dates()["loaded_on"] == dt.datetime(2026, 1, 2, 3)


def test_data_returns_copies_so_callers_cannot_corrupt_the_cache(handle):
    first = data.network_breakdown(Filters(), lang="en")
    first["extra"] = 1
    assert "extra" not in data.network_breakdown(Filters(), lang="en").columns


def test_data_missing_warehouse_raises_file_not_found(tmp_path):
    data.configure(tmp_path / "none.duckdb")
    try:
        with pytest.raises(FileNotFoundError):
            data.data_dates()
    finally:
        data.configure()


def test_data_submission_effect_cached_per_submission_and_warehouse_version(
    handle, tmp_path, monkeypatch
):
    from pipelines.app import submissions

    monkeypatch.setenv("IURC_APP_DB", str(tmp_path / "app" / "app.sqlite"))
    monkeypatch.setenv("IURC_SUBMISSIONS_DIR", str(tmp_path / "submissions"))
    sub = submissions.upload(
        b"city_id,name,country_iso2,region\ntest-it,Test,IT,EU\n", "cities_test.csv", "ana"
    )

    def computed() -> int:
        return sum(1 for key in data._cache if key[0] == "submission_effect")

    first = data.submission_effect(sub.id, sub.sha256, lang="fr")
    assert {"indicator_id", "value_before", "value_after"} <= set(first.columns)
    assert data.submission_effect(sub.id, sub.sha256, lang="fr").equals(first)
    assert computed() == 1  # the second view was served from the cache
    with db.writer(handle):
        pass  # a publish: a new warehouse version
    data.submission_effect(sub.id, sub.sha256, lang="fr")
    assert computed() == 2


def test_data_a_caller_changing_its_frame_never_changes_the_cached_one(demo_db):
    data.configure(demo_db)
    try:
        first = data.network_breakdown(Filters(), lang="en")  # each call gets its own frame
        assert not first.empty
        expected = first.copy(deep=True)
        first.iloc[0, 0] = "changed"
        first["added"] = 1
        first.attrs["total"] = -1
        again = data.network_breakdown(Filters(), lang="en")  # from the cache
        assert again.equals(expected) and again.attrs == expected.attrs
    finally:
        data.configure()


def test_data_sdg_profile_and_heatmap_read_their_total_once(demo_db, statements):
    # the profile and the heatmap of one request state the same metric's total: one statement
    # for both, and the frames (rows and attrs) are the query API's
    data.configure(demo_db)
    try:
        data.clear_cache()
        filters = Filters(network=("innovation",))
        profile = data.sdg_profile(filters, method="fractional", lang="fr")
        heat = data.sdg_network_heatmap(filters, method="fractional", lang="fr")
        total_sql, _ = metric_query("sdg.activities_fractional", filters)
        assert sum(total_sql in sql for sql, _ in statements) == 1
        con = db.connect_readonly(demo_db)
        want = queries.sdg_profile(con, filters, method="fractional", lang="fr")
        assert profile.equals(want) and profile.attrs == want.attrs
        want = queries.sdg_network_heatmap(con, filters, method="fractional", lang="fr")
        assert heat.equals(want) and heat.attrs == want.attrs
        assert profile.attrs["metric"] == "sdg.activities_fractional"
    finally:
        data.configure()


def test_data_balance_and_top_cities_are_cached_whole_and_equal_the_query_api(demo_db, statements):
    # each table is cached whole (a repeat runs neither a statement nor the frames' joining),
    # and the places of the top cities are read once for every filter
    data.configure(demo_db)
    try:
        data.clear_cache()
        con = db.connect_readonly(demo_db)
        for filters in (Filters(), Filters(region=("NA",))):
            balance = data.participation_by_region(filters, lang="fr")
            top = data.top_cities(filters, lang="fr", limit=5)
            want = queries.participation_by_region(con, filters, lang="fr")
            assert balance.equals(want) and balance.attrs == want.attrs
            want = queries.top_cities(con, filters, lang="fr", limit=5)
            assert top.equals(want) and top.attrs == want.attrs
        # 2 filter sets x (2 balance reads + 1 top-cities frame read) + the places once
        assert len(statements) == 2 * 3 + 1
        data.participation_by_region(Filters(), lang="fr")
        data.top_cities(Filters(), lang="fr", limit=5)
        assert len(statements) == 7
        whole = {key[1] for key in data._cache}
        assert {"_participation_by_region", "_top_cities", "city_places"} <= whole
    finally:
        data.configure()
