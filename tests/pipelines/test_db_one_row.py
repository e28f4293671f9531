"""one_row: the single row of an aggregate query, or a clear error when there is none."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.warehouse.db import one_row


def test_one_row_returns_the_aggregate_row_with_parameters() -> None:
    con = duckdb.connect(":memory:")
    con.execute("create table t as select * from range(5) r(i)")
    assert one_row(con, "select count(*), sum(i) from t where i >= ?", [2]) == (3, 9)


def test_one_row_raises_lookup_error_when_the_query_has_no_row() -> None:
    con = duckdb.connect(":memory:")
    with pytest.raises(LookupError, match="no row"):
        one_row(con, "select 1 where false")
