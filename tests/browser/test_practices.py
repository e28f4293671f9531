"""The best-practice showcase in the browser: filtered by cross-cutting challenge (URL) and SDG,
exported as CSV. Screenshots: practices-en.png and practices-fr.png."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from pipelines.metrics.filters import Filters
from pipelines.queries.practices import practices

DIGITAL = "digital_transition_smart_city"


def test_showcase_filters_by_challenge_and_sdg_and_exports(dash_page, demo_db: Path):
    page = dash_page.page
    with duckdb.connect(str(demo_db), read_only=True) as con:
        everything = practices(con, Filters())
        digital = practices(con, Filters(challenge=(DIGITAL,)))
        goal = int(next(g for goals in digital["goals"] for g in goals))
        digital_goal = practices(con, Filters(challenge=(DIGITAL,)), goal=goal)
    page.goto(f"{dash_page.base_url}/practices")
    page.wait_for_selector("article.practice", timeout=60_000)
    assert page.locator("article.practice").count() == len(everything)
    evidence = page.locator("article.practice a[target=_blank]").first
    assert evidence.get_attribute("href").startswith("https://")
    assert "noopener" in evidence.get_attribute("rel")
    assert page.locator('article.practice a[href^="/city/"]').count() >= len(everything)
    dash_page.screenshot("practices-en")

    page.goto(f"{dash_page.base_url}/practices?challenge={DIGITAL}&goal={goal}&lang=fr")
    page.wait_for_function(
        "n => document.querySelectorAll('article.practice').length === n",
        arg=len(digital_goal),
        timeout=60_000,
    )
    ids = {a.get_attribute("id") for a in page.locator("article.practice").all()}
    assert ids == {f"practice-{o}" for o in digital_goal["output_id"]}
    dash_page.screenshot("practices-fr")
    with page.expect_download() as download:
        page.click("#prac-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["output_id"] for r in rows] == list(digital_goal["output_id"])
    assert all(not r["title"].startswith(("=", "+", "-", "@")) for r in rows)
