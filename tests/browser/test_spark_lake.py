"""`iurc publish --engine spark`, then `iurc serve --lake`: the overview shows the DuckDB figures."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PageChecker

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.spark]

# every scorecard card: KPI, value, RAG status, % achieved, target, trend
CARD_TEXT = """() => [...document.querySelectorAll('#overview-scorecard > li')]
    .map(c => c.innerText.replace(/\\s+/g, ' ').trim())"""


def test_overview_on_the_spark_lake_shows_the_duckdb_figures(
    page, server_url, spark_lake, warehouse_server
):
    warehouse, lake_dir = spark_lake
    on_file = PageChecker(page, server_url)
    on_file.open("/")
    expected = page.evaluate(CARD_TEXT)
    with warehouse_server(warehouse, ("--lake", str(lake_dir))) as lake_url:
        on_lake = PageChecker(page, lake_url)
        on_lake.open("/")
        shown = page.evaluate(CARD_TEXT)
        on_lake.screenshot("overview-spark-lake")
    assert expected and shown == expected
    assert not on_file.errors and not on_lake.errors
