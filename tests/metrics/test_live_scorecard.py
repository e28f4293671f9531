"""The live scorecard (filters not stored): mart.kpi_scorecard_for's own text as one query whose KPI
rules come from `build.kpi_computed_query`. Same frame as the macro; each KPI read from the smallest
relation covering the set filters; KPIs over the same rows aggregated in one SELECT, each measure
still from the rows. Expected values on the tiny fixture (tests/metrics/conftest.py) by hand."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pandas as pd
import pytest

from pipelines.metrics import build
from pipelines.metrics.catalogue import METRICS
from pipelines.metrics.filters import MACRO_PARAMS, Filters, macro_args
from pipelines.queries import overview
from pipelines.warehouse import db, marts

CASES = [
    (Filters(), None, None),
    (Filters(region=("EU",)), None, None),
    (Filters(country=("IT", "CA")), None, None),
    (Filters(network=("innovation", "urban_renewal")), None, None),
    (
        Filters(subtheme=("health",), start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)),
        None,
        None,
    ),
    (Filters(mode=("trio",)), None, None),
    (Filters(challenge=("digital_transition_smart_city",)), None, None),
    (Filters(region=("NA",), start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31)), None, None),
    (Filters(), "coop-a", None),
    (Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)), None, "toronto-ca"),
    # the macro leaves the tag filters to their declared defaults: so does the live query
    (Filters(review=("suggested", "validated"), method=("keyword",)), None, None),
]


def _macro(con: duckdb.DuckDBPyConnection, filters: Filters, coop, city) -> pd.DataFrame:
    """The scorecard frame as the page read it before: the macro called with every filter."""
    args = macro_args(filters, cooperation=(coop,) if coop else (), city=(city,) if city else ())
    sql = overview._scorecard_sql(
        "label_en", f"select * from mart.kpi_scorecard_for({MACRO_PARAMS})"
    )
    return con.execute(sql, args).df()


def _live(con: duckdb.DuckDBPyConnection, filters: Filters, coop, city) -> pd.DataFrame:
    return con.execute(*overview._live_scorecard("label_en", filters, coop, city)).df()


def test_live_scorecard_equals_the_macro_on_the_fixture(mcur):
    for filters, coop, city in CASES:
        pd.testing.assert_frame_equal(
            _live(mcur, filters, coop, city), _macro(mcur, filters, coop, city)
        )


def test_live_scorecard_values_by_hand(mcur):
    eu = _live(mcur, Filters(region=("EU",)), None, None).set_index("indicator_id")
    # K04 and K08 aggregated in one SELECT over the stakeholder roll-up, each from the rows
    assert eu.loc["K04", "value"] == (10 + 2 + 4) + (5 + 3)  # turin a1 a2 a7, lyon a3 a8
    assert eu.loc["K08", "value"] == pytest.approx(100 * 9 / 21)
    assert eu.loc["K03", "value"] == 4  # a1 a3 a7 + a8 (lyon): D12, not added up from cities
    na = _live(mcur, Filters(region=("NA",)), None, None).set_index("indicator_id")
    assert na.loc["K04", "value"] == (6 + 4 + 8 + 2) + (5 + 3) + 1
    assert na.loc["K08", "value"] == pytest.approx(100 * 10 / 20)
    assert na.loc["K03", "value"] == 3  # a2 a6 + a8 (austin)


def test_live_scorecard_materializes_the_ctes_it_reads_again():
    """The live text is the macros' text with the rules' rows, the call's scope, the targets
    and the rated rows declared `as materialized` (planned once, not at every reference): each
    named CTE once, and nothing else changed."""
    computed, _ = build.kpi_computed_query(Filters(region=("EU",)))
    sql = marts.scorecard_live_sql(computed)
    for name in ("computed", "scope", "actual_scope", "target", "fallback", "rated"):
        assert len(re.findall(rf"^{name} as materialized \($", sql, flags=re.M)) == 1, name
    plain = sql.replace(" as materialized (", " as (")
    assert "materialized" not in plain and "computed as (" in plain


def test_materialized_refuses_a_cte_not_defined_once():
    with pytest.raises(ValueError, match="'y' is defined 0 times"):
        marts._materialized("with\nx as (\nselect 1\n)\nselect * from x", ("y",))
    twice = "with\nx as (\nselect 1\n),\ny as (\nwith\nx as (\nselect 2\n)\nselect * from x\n)\n"
    with pytest.raises(ValueError, match="'x' is defined 2 times"):
        marts._materialized(twice + "select * from y", ("x",))


def _relations(sql: str) -> list[str]:
    return re.findall(r"from (mart\.\w+)", sql)


def test_each_kpi_reads_the_smallest_relation_that_covers_the_filters():
    region, params = build.kpi_computed_query(Filters(region=("EU",)))
    assert "mart.participation_stakeholder_cube" in _relations(region)
    assert params["p_region"] == ["EU"] and "p_network" not in params  # unset: no predicate
    # the macro takes every filter as a parameter: only the full cube has all their columns
    assert "mart.participation_stakeholder_cube" not in _relations(build.kpi_computed_sql())
    # a cooperation scope needs cooperation_id: the roll-ups without it are never read
    coop, params = build.kpi_computed_query(Filters(region=("EU",)), cooperation=("coop-a",))
    assert "mart.participation_stakeholder_cube" not in _relations(coop)
    assert params["p_cooperation"] == ["coop-a"] and params["p_region"] == ["EU"]
    # K02 counts distinct cities: never read from a roll-up without city_id
    k02 = next(p for p in region.split("\nunion all\n") if "'K02'" in p)
    assert _relations(k02) == ["mart.participation_city_cube"]


def test_kpis_over_the_same_rows_share_one_select():
    sql, _ = build.kpi_computed_query(Filters())
    parts = sql.split("\nunion all\n")
    shared = next(p for p in parts if "'K04'" in p)
    assert "'K08'" in shared and "'K06'" in shared  # same rows: one scan, one aggregate
    # a distinct count of other rows (K02: participants > 0) keeps its own SELECT
    assert "'K02'" not in shared
    computed = sum(1 for m in METRICS.values() if m.indicator)
    assert len(parts) < computed and len(_relations(sql)) < computed


def test_live_scorecard_equals_the_macro_on_the_demo(demo_db):
    con = db.connect_readonly(demo_db)
    try:
        country = con.execute("select min(country_iso2) from mart.city").fetchone()[0]
        coop = con.execute("select min(cooperation_id) from mart.cooperation_register").fetchone()
        for filters, c in [
            (Filters(region=("NA",), mode=("pairing", "cluster")), None),
            (
                Filters(country=(country,), start=dt.date(2024, 4, 1), end=dt.date(2025, 9, 30)),
                None,
            ),
            (Filters(subtheme=("health",)), coop[0]),
        ]:
            expected = _macro(con, filters, c, None)
            assert expected["value"].notna().sum() > 10  # a scorecard with figures
            pd.testing.assert_frame_equal(_live(con, filters, c, None), expected)
    finally:
        con.close()


def test_main_measures_only_are_the_main_rows_of_every_measure(mcur):
    """The page's live scorecard computes the main measures only (`measures=("main",)`): the
    same main rows as the rules of every measure, without e.g. K05's lower bound."""
    filters = Filters(region=("NA",))
    every, params = build.kpi_computed_query(filters)
    main, main_params = build.kpi_computed_query(filters, measures=("main",))
    assert "'lower_bound'" in every and "'lower_bound'" not in main
    rows = mcur.execute(f"select * from ({every}) where measure = 'main'", params).df()
    only = mcur.execute(main, main_params).df()
    order = ["indicator_id", "measure"]
    pd.testing.assert_frame_equal(
        only.sort_values(order, ignore_index=True), rows.sort_values(order, ignore_index=True)
    )
    k04 = only.set_index("indicator_id").loc["K04", "value"]
    assert k04 == (6 + 4 + 8 + 2) + (5 + 3) + 1  # as test_live_scorecard_values_by_hand
