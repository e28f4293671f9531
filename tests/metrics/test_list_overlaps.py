"""A list filter of several values on a list column: a live query tests each value with its own
`list_contains` (as many as the filter holds), the macro `list_has_any`; the rows they keep are
the rows holding any of the values."""

from __future__ import annotations

import duckdb

from pipelines.metrics import build
from pipelines.metrics.filters import Filters

ROWS = [(1, ["FR"]), (2, ["DE", "IT"]), (3, ["IT"]), (4, None), (5, []), (6, ["US", "FR", "DE"])]


def _kept(condition: str, params: dict) -> list[int]:
    con = duckdb.connect(":memory:")
    con.execute("create table t (id integer, countries varchar[])")
    con.executemany("insert into t values (?, ?)", ROWS)
    return [
        r[0]
        for r in con.execute(f"select id from t where {condition} order by id", params).fetchall()
    ]


def test_several_values_are_one_list_contains_each():
    mode, params = build._query_mode(Filters(country=("FR", "DE")), (), ())
    condition = build._overlaps("countries", "$p_country", mode)
    assert condition.count("list_contains(countries, $p_country[") == 2
    assert "list_bool_or" not in condition and "list_has_any" not in condition
    assert _kept(condition, {"p_country": params["p_country"]}) == [1, 2, 6]


def test_one_value_and_the_macro_keep_the_same_rows():
    mode, params = build._query_mode(Filters(country=("IT",)), (), ())
    one = build._overlaps("countries", "$p_country", mode)
    assert _kept(one, {"p_country": params["p_country"]}) == [2, 3]
    macro = build._overlaps("countries", "$p_country", build.MACRO_MODE)
    assert "list_has_any" in macro
    assert _kept(macro, {"p_country": ["FR", "DE"]}) == [1, 2, 6]
    assert _kept(macro, {"p_country": []}) == [1, 2, 3, 4, 5, 6]
