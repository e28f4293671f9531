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
        self.cooperation_id = queries.cooperation_options(con, Filters()).cooperation_id.iloc[0]


Q = queries
# name -> (dashboard call, query call); each gets (filters, lang, ctx) and the query call also con
CASES: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "kpi_scorecard": (
        lambda f, lang, c: data.kpi_scorecard(f, lang),
        lambda con, f, lang, c: Q.kpi_scorecard(con, f, lang=lang),
    ),
    "kpi_trend": (
        lambda f, lang, c: data.kpi_trend(f, ("K03", "K04", "K08"), lang),
        lambda con, f, lang, c: Q.kpi_trend(con, f, ("K03", "K04", "K08"), lang=lang),
    ),
    "network_breakdown": (
        lambda f, lang, c: data.network_breakdown(f, lang),
        lambda con, f, lang, c: Q.network_breakdown(con, f, lang=lang),
    ),
    "map_points": (
        lambda f, lang, c: data.map_points(f, lang),
        lambda con, f, lang, c: Q.map_points(con, f, lang=lang),
    ),
    "participation_over_time": (
        lambda f, lang, c: data.participation_over_time(f, lang, by="region", measure="cities"),
        lambda con, f, lang, c: Q.participation_over_time(
            con, f, by="region", measure="cities", lang=lang
        ),
    ),
    "participation_by_type_modality": (
        lambda f, lang, c: data.participation_by_type_modality(f, lang),
        lambda con, f, lang, c: Q.participation_by_type_modality(con, f, lang=lang),
    ),
    "participation_by_region": (
        lambda f, lang, c: data.participation_by_region(f, lang),
        lambda con, f, lang, c: Q.participation_by_region(con, f, lang=lang),
    ),
    "gender_balance": (
        lambda f, lang, c: data.gender_balance(f, lang, by="stakeholder_type"),
        lambda con, f, lang, c: Q.gender_balance(con, f, by="stakeholder_type", lang=lang),
    ),
    "top_cities": (
        lambda f, lang, c: data.top_cities(f, lang, limit=7),
        lambda con, f, lang, c: Q.top_cities(con, f, limit=7, lang=lang),
    ),
    "sdg_profile": (
        lambda f, lang, c: data.sdg_profile(f, lang, method="fractional", entity_type="output"),
        lambda con, f, lang, c: Q.sdg_profile(
            con, f, entity_type="output", method="fractional", lang=lang
        ),
    ),
    "sdg_network_heatmap": (
        lambda f, lang, c: data.sdg_network_heatmap(f, lang, method="primary"),
        lambda con, f, lang, c: Q.sdg_network_heatmap(con, f, method="primary", lang=lang),
    ),
    "sdg_targets": (
        lambda f, lang, c: data.sdg_targets(f, 11, lang),
        lambda con, f, lang, c: Q.sdg_targets(con, f, 11, lang=lang),
    ),
    "sdg_coverage": (
        lambda f, lang, c: data.sdg_coverage(f, lang),
        lambda con, f, lang, c: Q.sdg_coverage(con, f, lang=lang),
    ),
    "sdg_tags_by_method_status": (
        lambda f, lang, c: data.sdg_tags_by_method_status(f, lang),
        lambda con, f, lang, c: Q.sdg_tags_by_method_status(con, f),
    ),
    "benchmark_cities": (
        lambda f, lang, c: data.benchmark_cities(lang),
        lambda con, f, lang, c: Q.benchmark_cities(con, lang=lang),
    ),
    "benchmark_peer_groups": (
        lambda f, lang, c: data.benchmark_peer_groups(c.city_id, lang),
        lambda con, f, lang, c: Q.benchmark_peer_groups(con, c.city_id, lang=lang),
    ),
    "city_benchmark": (
        lambda f, lang, c: data.city_benchmark(c.city_id, "region", None, lang),
        lambda con, f, lang, c: Q.city_benchmark(con, c.city_id, "region", None, lang=lang),
    ),
    "benchmark_ranking": (
        lambda f, lang, c: data.benchmark_ranking(c.city_id, "network", None),
        lambda con, f, lang, c: Q.benchmark_ranking(con, c.city_id, "network", None),
    ),
    "city_context": (
        lambda f, lang, c: data.city_context(c.city_id),
        lambda con, f, lang, c: Q.city_context(con, c.city_id),
    ),
    "cooperation_edges": (
        lambda f, lang, c: data.cooperation_edges(f, lang),
        lambda con, f, lang, c: Q.cooperation_edges(con, f, lang=lang),
    ),
    "cooperation_nodes": (
        lambda f, lang, c: data.cooperation_nodes(f, lang),
        lambda con, f, lang, c: Q.cooperation_nodes(con, f, lang=lang),
    ),
    "cooperation_options": (
        lambda f, lang, c: data.cooperation_options(f, lang),
        lambda con, f, lang, c: Q.cooperation_options(con, f, lang=lang),
    ),
    "cooperation_detail": (
        lambda f, lang, c: data.cooperation_detail(c.cooperation_id, lang),
        lambda con, f, lang, c: Q.cooperation_detail(con, c.cooperation_id, lang=lang),
    ),
    "cooperation_activities": (
        lambda f, lang, c: data.cooperation_activities(c.cooperation_id, f, lang),
        lambda con, f, lang, c: Q.cooperation_activities(con, c.cooperation_id, f, lang=lang),
    ),
    "output_funnel": (
        lambda f, lang, c: data.output_funnel(f, c.cooperation_id, lang),
        lambda con, f, lang, c: Q.output_funnel(con, f, cooperation_id=c.cooperation_id, lang=lang),
    ),
    "funding_leveraged": (
        lambda f, lang, c: data.funding_leveraged(f, None, lang),
        lambda con, f, lang, c: Q.funding_leveraged(
            con, f, by="source_type", cooperation_id=None, lang=lang
        ),
    ),
    "cooperation_sdg": (
        lambda f, lang, c: data.cooperation_sdg(c.cooperation_id, lang),
        lambda con, f, lang, c: Q.cooperation_sdg(con, c.cooperation_id, lang=lang),
    ),
    "activities_page": (
        lambda f, lang, c: data.activities_page(
            f, lang, search="visit", sort="participants", offset=5, limit=20
        ),
        lambda con, f, lang, c: Q.activities_page(
            con,
            f,
            search="visit",
            sort="participants",
            descending=True,
            offset=5,
            limit=20,
            lang=lang,
        ),
    ),
    "ingest_runs": (
        lambda f, lang, c: data.ingest_runs(limit=5),
        lambda con, f, lang, c: Q.ingest_runs(con, limit=5),
    ),
    "quarantine_summary": (
        lambda f, lang, c: data.quarantine_summary("file"),
        lambda con, f, lang, c: Q.quarantine_summary(con, by="file"),
    ),
    "quarantine_page": (
        lambda f, lang, c: data.quarantine_page(None, offset=0, limit=5),
        lambda con, f, lang, c: Q.quarantine_page(con, file_name=None, offset=0, limit=5),
    ),
    "completeness_by_table": (
        lambda f, lang, c: data.completeness_by_table(),
        lambda con, f, lang, c: Q.completeness_by_table(con),
    ),
    "quality_by_city": (
        lambda f, lang, c: data.quality_by_city(f),
        lambda con, f, lang, c: Q.quality_by_city(con, f),
    ),
    "timeliness": (
        lambda f, lang, c: data.timeliness(f),
        lambda con, f, lang, c: Q.timeliness(con, f),
    ),
    "data_as_of": (lambda f, lang, c: data.data_as_of(), lambda con, f, lang, c: Q.data_as_of(con)),
}

NOT_A_QUERY = {
    "configure": "points the handle at a warehouse",
    "warehouse": "returns the handle",
    "cursor": "returns a cursor",
    "clear_cache": "cache control",
    "filter_options": "compared in test_api_parity_filter_options",
    "years": "compared in test_api_parity_years",
    "activities_export": "compared in test_api_parity_activities_export_rows",
    "activities_export_sql": "SQL text builder used by activities_export",
    "template_bytes": "compared in test_api_parity_template_bytes",
    "template_file_name": "compared in test_api_parity_template_bytes",
}


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
        if fn.__module__ == data.__name__ and not name.startswith("_")
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


def test_api_parity_non_trivial(con) -> None:
    """The comparison is not between empty frames: the demo gives rows for the main views."""
    for frame in (
        data.kpi_scorecard(Filters()),
        data.participation_by_region(Filters()),
        data.sdg_profile(Filters()),
        data.cooperation_edges(Filters()),
    ):
        assert len(frame) > 0


def test_api_parity_filter_options(con) -> None:
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
