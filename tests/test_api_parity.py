"""The dashboard's data layer and the public query API give identical frames for the same filters.

Analysts (notebooks, `pipelines.queries`) and the dashboard (`dashboard.data`) must see the same
numbers. Every public function of `dashboard.data` is either in CASES (compared frame by frame for
several filter combinations) or in NOT_A_QUERY with the reason; a new wrapper fails the
completeness test until it is added here.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from dashboard import data
from pipelines import queries
from pipelines.export import templates
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db

FILTERS = {
    "none": Filters(),
    "network": Filters(network=("innovation",)),
    "eu-2024": Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), region=("EU",)),
    "na-pairing": Filters(country=("CA", "US"), mode=("pairing",)),
    "subtheme-2025": Filters(
        start=dt.date(2025, 1, 1), network=("urban_renewal",), subtheme=("mobility_transport",)
    ),
}
LANG = {"none": "en", "network": "fr", "eu-2024": "es", "na-pairing": "en", "subtheme-2025": "fr"}


class Ctx:
    """Ids the parameterised wrappers need, found in the warehouse itself."""

    def __init__(self, con) -> None:
        cities = queries.benchmark_cities(con)
        self.city_id = "turin-it" if "turin-it" in set(cities.city_id) else cities.city_id.iloc[0]
        # the city with most outputs, so that the profile's output comparisons have rows
        self.output_city_id = con.execute(
            "select unnest(city_ids) as c from mart.output_register group by 1 "
            "order by count(*) desc, c limit 1"
        ).fetchone()[0]
        options = queries.cooperation_options(con, Filters()).cooperation_id
        # the first cooperation with activities and outputs, so that its comparisons have rows
        self.cooperation_id = next(
            (
                cid
                for cid in options
                if len(queries.cooperation_activities(con, cid, Filters()))
                and len(queries.output_funnel(con, Filters(), cooperation_id=cid))
            ),
            options.iloc[0],
        )


Q = queries
# name -> (dashboard call, query call); each gets (filters, lang, ctx) and the query call also con
CASES: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "kpi_scorecard": (
        lambda f, lg, c: data.kpi_scorecard(f, lang=lg),
        lambda con, f, lg, c: Q.kpi_scorecard(con, f, lang=lg),
    ),
    "kpi_trend": (
        lambda f, lg, c: data.kpi_trend(f, ("K03", "K04", "K08"), lang=lg),
        lambda con, f, lg, c: Q.kpi_trend(con, f, ("K03", "K04", "K08"), lang=lg),
    ),
    "network_breakdown": (
        lambda f, lg, c: data.network_breakdown(f, lang=lg),
        lambda con, f, lg, c: Q.network_breakdown(con, f, lang=lg),
    ),
    "map_points": (
        lambda f, lg, c: data.map_points(f, lang=lg),
        lambda con, f, lg, c: Q.map_points(con, f, lang=lg),
    ),
    "participation_over_time": (
        lambda f, lg, c: data.participation_over_time(f, lang=lg, by="region", measure="cities"),
        lambda con, f, lg, c: Q.participation_over_time(
            con, f, by="region", measure="cities", lang=lg
        ),
    ),
    "participation_by_type_modality": (
        lambda f, lg, c: data.participation_by_type_modality(f, lang=lg),
        lambda con, f, lg, c: Q.participation_by_type_modality(con, f, lang=lg),
    ),
    "participation_by_region": (
        lambda f, lg, c: data.participation_by_region(f, lang=lg),
        lambda con, f, lg, c: Q.participation_by_region(con, f, lang=lg),
    ),
    "gender_balance": (
        lambda f, lg, c: data.gender_balance(f, lang=lg, by="stakeholder_type"),
        lambda con, f, lg, c: Q.gender_balance(con, f, by="stakeholder_type", lang=lg),
    ),
    "top_cities": (
        lambda f, lg, c: data.top_cities(f, lang=lg, limit=7),
        lambda con, f, lg, c: Q.top_cities(con, f, limit=7, lang=lg),
    ),
    "city_places": (
        lambda f, lg, c: data.city_places(),
        lambda con, f, lg, c: Q.city_places(con),
    ),
    "sdg_profile": (
        lambda f, lg, c: data.sdg_profile(f, lang=lg, method="fractional", entity_type="output"),
        lambda con, f, lg, c: Q.sdg_profile(
            con, f, entity_type="output", method="fractional", lang=lg
        ),
    ),
    "sdg_network_heatmap": (
        lambda f, lg, c: data.sdg_network_heatmap(f, lang=lg, method="primary"),
        lambda con, f, lg, c: Q.sdg_network_heatmap(con, f, method="primary", lang=lg),
    ),
    "sdg_review_queue": (
        lambda f, lg, c: data.sdg_review_queue(lang=lg),
        lambda con, f, lg, c: Q.sdg_review_queue(con, lang=lg),
    ),
    "sdg_goal_targets": (
        lambda f, lg, c: data.sdg_goal_targets(lang=lg),
        lambda con, f, lg, c: Q.sdg_goal_targets(con, lang=lg),
    ),
    "sdg_targets": (
        lambda f, lg, c: data.sdg_targets(f, 11, lang=lg),
        lambda con, f, lg, c: Q.sdg_targets(con, f, 11, lang=lg),
    ),
    "sdg_coverage": (
        lambda f, lg, c: data.sdg_coverage(f, lang=lg),
        lambda con, f, lg, c: Q.sdg_coverage(con, f, lang=lg),
    ),
    "sdg_tags_by_method_status": (
        lambda f, lg, c: data.sdg_tags_by_method_status(f),
        lambda con, f, lg, c: Q.sdg_tags_by_method_status(con, f),
    ),
    "benchmark_cities": (
        lambda f, lg, c: data.benchmark_cities(lang=lg),
        lambda con, f, lg, c: Q.benchmark_cities(con, lang=lg),
    ),
    "benchmark_peer_groups": (
        lambda f, lg, c: data.benchmark_peer_groups(c.city_id, lang=lg),
        lambda con, f, lg, c: Q.benchmark_peer_groups(con, c.city_id, lang=lg),
    ),
    "city_benchmark": (
        lambda f, lg, c: data.city_benchmark(c.city_id, "region", None, lang=lg),
        lambda con, f, lg, c: Q.city_benchmark(con, c.city_id, "region", None, lang=lg),
    ),
    "benchmark_ranking": (
        lambda f, lg, c: data.benchmark_ranking(c.city_id, "network", None),
        lambda con, f, lg, c: Q.benchmark_ranking(con, c.city_id, "network", None),
    ),
    "city_context": (
        lambda f, lg, c: data.city_context(c.city_id),
        lambda con, f, lg, c: Q.city_context(con, c.city_id),
    ),
    "cooperation_edges": (
        lambda f, lg, c: data.cooperation_edges(f, lang=lg),
        lambda con, f, lg, c: Q.cooperation_edges(con, f, lang=lg),
    ),
    "cooperation_nodes": (
        lambda f, lg, c: data.cooperation_nodes(f, lang=lg),
        lambda con, f, lg, c: Q.cooperation_nodes(con, f, lang=lg),
    ),
    "cooperation_options": (
        lambda f, lg, c: data.cooperation_options(f, lang=lg),
        lambda con, f, lg, c: Q.cooperation_options(con, f, lang=lg),
    ),
    "cooperation_detail": (
        lambda f, lg, c: data.cooperation_detail(c.cooperation_id, lang=lg),
        lambda con, f, lg, c: Q.cooperation_detail(con, c.cooperation_id, lang=lg),
    ),
    "cooperation_activities": (
        lambda f, lg, c: data.cooperation_activities(c.cooperation_id, f, lang=lg),
        lambda con, f, lg, c: Q.cooperation_activities(con, c.cooperation_id, f, lang=lg),
    ),
    "output_funnel": (
        lambda f, lg, c: data.output_funnel(f, cooperation_id=c.cooperation_id, lang=lg),
        lambda con, f, lg, c: Q.output_funnel(con, f, cooperation_id=c.cooperation_id, lang=lg),
    ),
    "funding_leveraged": (
        lambda f, lg, c: data.funding_leveraged(f, cooperation_id=None, lang=lg),
        lambda con, f, lg, c: Q.funding_leveraged(
            con, f, by="source_type", cooperation_id=None, lang=lg
        ),
    ),
    "network_figures": (
        lambda f, lg, c: data.network_figures(f, city_id=c.city_id),
        lambda con, f, lg, c: Q.network_figures(con, f, city_id=c.city_id),
    ),
    "funnel_figures": (
        lambda f, lg, c: data.funnel_figures(f, cooperation_id=c.cooperation_id),
        lambda con, f, lg, c: Q.funnel_figures(con, f, cooperation_id=c.cooperation_id),
    ),
    "funding_figures": (
        lambda f, lg, c: data.funding_figures(f, cooperation_id=None),
        lambda con, f, lg, c: Q.funding_figures(con, f, cooperation_id=None),
    ),
    "cooperation_sdg": (
        lambda f, lg, c: data.cooperation_sdg(c.cooperation_id, lang=lg),
        lambda con, f, lg, c: Q.cooperation_sdg(con, c.cooperation_id, lang=lg),
    ),
    "activities_page": (
        lambda f, lg, c: data.activities_page(
            f, lang=lg, search="visit", sort="participants", offset=5, limit=20
        ),
        lambda con, f, lg, c: Q.activities_page(
            con,
            f,
            search="visit",
            sort="participants",
            descending=True,
            offset=5,
            limit=20,
            lang=lg,
        ),
    ),
    "ingest_runs": (
        lambda f, lg, c: data.ingest_runs(limit=5),
        lambda con, f, lg, c: Q.ingest_runs(con, limit=5),
    ),
    "quarantine_summary": (
        lambda f, lg, c: data.quarantine_summary(by="file"),
        lambda con, f, lg, c: Q.quarantine_summary(con, by="file"),
    ),
    "quarantine_page": (
        lambda f, lg, c: data.quarantine_page(file_name=None, offset=0, limit=5),
        lambda con, f, lg, c: Q.quarantine_page(con, file_name=None, offset=0, limit=5),
    ),
    "completeness_by_table": (
        lambda f, lg, c: data.completeness_by_table(),
        lambda con, f, lg, c: Q.completeness_by_table(con),
    ),
    "quality_by_city": (
        lambda f, lg, c: data.quality_by_city(f),
        lambda con, f, lg, c: Q.quality_by_city(con, f),
    ),
    "timeliness": (lambda f, lg, c: data.timeliness(f), lambda con, f, lg, c: Q.timeliness(con, f)),
    "last_report": (lambda f, lg, c: data.last_report(), lambda con, f, lg, c: Q.last_report(con)),
    "data_dates": (lambda f, lg, c: data.data_dates(), lambda con, f, lg, c: Q.data_dates(con)),
    "metric_frame": (
        lambda f, lg, c: data.metric_frame("K02", f, ("region",), lang=lg),
        lambda con, f, lg, c: Q.metric_frame(con, "K02", f, by=("region",), lang=lg),
    ),
    "relation_page": (
        lambda f, lg, c: data.relation_page("mart.participation_city_cube", f, limit=50, offset=7),
        lambda con, f, lg, c: Q.relation_page(
            con, "mart.participation_city_cube", f, limit=50, offset=7
        ),
    ),
    "relations": (
        lambda f, lg, c: data.relations(("mart", "ref")),
        lambda con, f, lg, c: Q.relations(con, ("mart", "ref")),
    ),
    "relation_columns": (
        lambda f, lg, c: data.relation_columns("mart.activity_cube"),
        lambda con, f, lg, c: Q.relation_columns(con, "mart.activity_cube"),
    ),
    "unknown_codes": (
        lambda f, lg, c: data.unknown_codes(f),
        lambda con, f, lg, c: Q.unknown_codes(con, f),
    ),
    "challenge_breakdown": (
        lambda f, lg, c: data.challenge_breakdown(f, lang=lg),
        lambda con, f, lg, c: Q.challenge_breakdown(con, f, lang=lg),
    ),
    "city_info": (
        lambda f, lg, c: data.city_info(c.city_id, lang=lg),
        lambda con, f, lg, c: Q.city_info(con, c.city_id, lang=lg),
    ),
    "city_partners": (
        lambda f, lg, c: data.city_partners(c.city_id, lang=lg),
        lambda con, f, lg, c: Q.city_partners(con, c.city_id, lang=lg),
    ),
    "city_figures": (
        lambda f, lg, c: data.city_figures(c.output_city_id, f),
        lambda con, f, lg, c: Q.city_figures(con, c.output_city_id, f),
    ),
    "city_breakdown": (
        lambda f, lg, c: data.city_breakdown(c.city_id, f, "K04", "stakeholder_type", lang=lg),
        lambda con, f, lg, c: Q.city_breakdown(
            con, c.city_id, f, "K04", "stakeholder_type", lang=lg
        ),
    ),
    "city_outputs": (
        lambda f, lg, c: data.city_outputs(c.output_city_id, f, lang=lg),
        lambda con, f, lg, c: Q.city_outputs(con, c.output_city_id, f, lang=lg),
    ),
    "city_network": (
        lambda f, lg, c: data.city_network(c.city_id, f, lang=lg)[1],
        lambda con, f, lg, c: Q.city_network(con, c.city_id, f, lang=lg)[1],
    ),
    "practices_list": (
        lambda f, lg, c: data.practices_list(f, lang=lg),
        lambda con, f, lg, c: Q.practices.practices(con, f, lang=lg),
    ),
    "take_up_totals": (
        lambda f, lg, c: data.take_up_totals(f),
        lambda con, f, lg, c: Q.practices.take_up_totals(con, f),
    ),
    "organisation_figures": (
        lambda f, lg, c: data.organisation_figures(f, indicator="K09"),
        lambda con, f, lg, c: Q.organisation_figures(con, f, indicator="K09"),
    ),
    "output_type_options": (
        lambda f, lg, c: data.output_type_options(lang=lg),
        lambda con, f, lg, c: Q.output_type_options(con, lang=lg),
    ),
    "sdg_goal_options": (
        lambda f, lg, c: data.sdg_goal_options(lang=lg),
        lambda con, f, lg, c: Q.sdg_goal_options(con, lang=lg),
    ),
    "metric_total": (
        lambda f, lg, c: data.metric_total("sdg.activities_primary", f),
        lambda con, f, lg, c: Q.metric_total(con, "sdg.activities_primary", f),
    ),
    "metric_totals": (
        lambda f, lg, c: pd.DataFrame([data.metric_totals(["K05", "K20"], f, city=(c.city_id,))]),
        lambda con, f, lg, c: pd.DataFrame(
            [Q.metric_totals(con, ["K05", "K20"], f, city=(c.city_id,))]
        ),
    ),
}

NOT_A_QUERY = {
    "configure": "points the handle at a warehouse",
    "warehouse": "returns the handle",
    "cursor": "returns a cursor",
    "cached": "the cache decorator itself",
    "in_background": "runs a wrapper on the query pool (its answers are compared as they are)",
    "export_connection": "a connection for the server's own file exports",
    "clear_cache": "cache control",
    "filter_options": "compared in test_api_parity_filter_options",
    "years": "compared in test_api_parity_years",
    "activities_export": "compared in test_api_parity_activities_export_rows",
    "activities_export_sql": "SQL text builder used by activities_export",
    "template_bytes": "compared in test_api_parity_template_bytes",
    "template_file_name": "compared in test_api_parity_template_bytes",
    "submission_effect": "a scratch-copy load (submissions.kpi_effect); tests/dashboard/test_data.py",
    "on_publish": "registers a cache warmer; tests/dashboard/test_first_paint.py",
    "start_warming": "starts the cache warmer; tests/dashboard/test_first_paint.py",
    "stopping": "tells warming the process exits; tests/dashboard/test_warming_exit.py",
    "warm": "runs the cache warmers; tests/dashboard/test_first_paint.py",
}


# (case, filters) that give no rows on the demo warehouse, and why; every other comparison must
# have rows, or equal frames would prove nothing
MAY_BE_EMPTY = {
    ("output_funnel", "network"): "the cooperation of Ctx is not in the innovation network",
    ("output_funnel", "subtheme-2025"): "the cooperation of Ctx is not in urban renewal",
    ("funding_leveraged", "na-pairing"): "no demo funding is recorded on a pairing",
    ("city_breakdown", "na-pairing"): "Ctx's city (Turin) is in Europe",
    ("city_outputs", "network"): "the outputs of Ctx's output city are not in innovation",
    ("city_outputs", "na-pairing"): "Ctx's output city is in Europe",
    ("city_outputs", "subtheme-2025"): "Ctx's output city has no mobility output",
    ("city_network", "network"): "Ctx's city has no cooperation in innovation",
    ("practices_list", "na-pairing"): "no demo practice belongs to a North American pairing",
    ("practices_list", "subtheme-2025"): "no demo practice in mobility from 2025",
}


def _has_rows(result: Any) -> bool:
    if isinstance(result, tuple):  # (page frame, total)
        result = result[0]
    if isinstance(result, dict) and not result:  # unknown_codes: every code known
        return True
    if hasattr(result, "rows"):  # a relation page
        return len(result.rows) > 0
    if isinstance(result, pd.DataFrame):
        return len(result) > 0
    return result is not None


@pytest.fixture(scope="module")
def con(demo_db: Path):
    data.configure(demo_db)
    connection = db.connect_readonly(demo_db)
    yield connection
    connection.close()
    data.clear_cache()


@pytest.fixture(scope="module")
def ctx(con) -> Ctx:
    return Ctx(con)


def test_api_parity_every_dashboard_wrapper_is_compared() -> None:
    public = {
        name
        for name, fn in inspect.getmembers(data, inspect.isfunction)
        if (fn.__module__ == data.__name__ or hasattr(fn, "__wrapped__"))
        and not name.startswith("_")
    }
    missing = public - set(CASES) - set(NOT_A_QUERY)
    assert not missing, f"add these dashboard.data functions to the parity test: {sorted(missing)}"


def _assert_same(ours: Any, theirs: Any) -> None:
    if isinstance(theirs, tuple):  # (page frame, total)
        assert ours[1] == theirs[1]
        ours, theirs = ours[0], theirs[0]
    if isinstance(theirs, pd.DataFrame):
        assert_frame_equal(ours, theirs, check_exact=True)
    else:
        assert ours == theirs


@pytest.mark.parametrize("filters_id", list(FILTERS))
@pytest.mark.parametrize("name", list(CASES))
def test_api_parity_dashboard_data_equals_queries(
    con, ctx: Ctx, name: str, filters_id: str
) -> None:
    dashboard_call, query_call = CASES[name]
    filters, lang = FILTERS[filters_id], LANG[filters_id]
    data.clear_cache()
    ours = dashboard_call(filters, lang, ctx)
    cached = dashboard_call(filters, lang, ctx)  # second call comes from the cache: still equal
    theirs = query_call(con, filters, lang, ctx)
    _assert_same(ours, theirs)
    _assert_same(cached, theirs)
    if (name, filters_id) not in MAY_BE_EMPTY:
        assert _has_rows(theirs), f"{name} gives no rows for {filters_id}: nothing was compared"
    else:
        assert filters_id != "none", "every case must give rows without filters"


def test_api_parity_non_trivial(con, demo_db: Path) -> None:
    """The comparison is not between empty frames: the dashboard reads the demo warehouse, which
    gives rows for the main views."""
    assert data.warehouse().path == demo_db.resolve()
    for frame in (
        data.kpi_scorecard(Filters()),
        data.participation_by_region(Filters()),
        data.sdg_profile(Filters()),
        data.cooperation_edges(Filters()),
    ):
        assert len(frame) > 0


def test_api_parity_filter_options(con) -> None:
    from pipelines.metrics.filters import LIST_FIELDS
    from pipelines.queries.options import FILTER_OPTIONS

    assert set(FILTER_OPTIONS) == set(LIST_FIELDS), "every declared filter needs its option list"
    for lang in ("en", "fr"):
        opts = data.filter_options(lang)
        for field, fn in (
            ("network", Q.network_options),
            ("subtheme", Q.subtheme_options),
            ("region", Q.region_options),
            ("country", Q.country_options),
            ("mode", Q.mode_options),
        ):
            frame = fn(con, lang=lang)
            assert [o["value"] for o in opts[field]] == [str(v) for v in frame["value"]]
            assert [o["label"] for o in opts[field]] == [str(v) for v in frame["label"]]


def test_api_parity_years(con) -> None:
    frame = Q.period_options(con, period_type="year")
    assert data.years() == sorted({pd.Timestamp(s).year for s in frame["start"]})


def test_api_parity_activities_export_rows(con) -> None:
    for filters in FILTERS.values():
        _, rows = data.activities_export(filters, "en", search="visit")
        _, total = Q.activities_page(con, filters, search="visit", limit=1)
        assert rows == total


def test_api_parity_template_bytes(con) -> None:
    for entity in ("activity", "participation"):
        assert data.template_bytes(entity, "csv") == templates.template_bytes(entity, "csv")
        assert data.template_file_name(entity, "xlsx") == templates.template_file_name(
            entity, "xlsx"
        )
        assert data.template_bytes(entity, "xlsx")[:2] == b"PK"


def _public_functions() -> list[tuple[str, Any]]:
    found = [
        (f"queries.{n}", getattr(queries, n))
        for n in queries.__all__
        if callable(getattr(queries, n))
    ]
    found += [
        (f"db.{n}", o)
        for n, o in vars(db).items()
        if not n.startswith("_") and callable(o) and getattr(o, "__module__", None) == db.__name__
    ]
    return found


@pytest.mark.parametrize("name,fn", _public_functions(), ids=[n for n, _ in _public_functions()])
def test_api_parity_public_function_documented_with_example(name: str, fn: Any) -> None:
    doc = inspect.getdoc(fn) or ""
    assert doc.strip(), f"{name} has no docstring"
    assert "Example" in doc, f"{name}: add an example to the docstring"
