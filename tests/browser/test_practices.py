"""The best-practice showcase in the browser: filtered by cross-cutting challenge (URL) and SDG,
exported as CSV, with each practice's take-up by other cities and the take-up totals of the
metric layer, shown PAGE_SIZE at a time with a pager whose page is kept in the URL.
Screenshots: practices-en.png and practices-fr.png."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from dashboard.i18n import fmt_number
from pipelines.metrics.filters import Filters
from pipelines.queries.practices import PRACTICES_PAGE_SIZE as PAGE_SIZE
from pipelines.queries.practices import practices, take_up_totals

DIGITAL = "digital_transition_smart_city"


def test_showcase_filters_by_challenge_and_sdg_and_exports(dash_page, demo_db: Path):
    page = dash_page.page
    with duckdb.connect(str(demo_db), read_only=True) as con:
        everything = practices(con, Filters())
        digital = practices(con, Filters(challenge=(DIGITAL,)))
        goal = int(next(g for goals in digital["goals"] for g in goals))
        digital_goal = practices(con, Filters(challenge=(DIGITAL,)), goal=goal)
        totals = take_up_totals(con, Filters())
    first_page = everything.iloc[:PAGE_SIZE]
    taken = first_page[first_page["taken_up_names"].map(len) > 0].iloc[0]
    page.goto(f"{dash_page.base_url}/practices")
    page.wait_for_selector("article.practice", timeout=60_000)
    shown = [a.get_attribute("id") for a in page.locator("article.practice").all()]
    assert shown == [f"practice-{o}" for o in first_page["output_id"]]
    evidence = page.locator("article.practice a[target=_blank]").first
    assert evidence.get_attribute("href").startswith("https://")
    assert "noopener" in evidence.get_attribute("rel")
    assert page.locator('article.practice a[href^="/city/"]').count() >= len(first_page)
    # take-up: the other cities that adopted it, linked; the totals are the metric layer's
    take_up = page.locator(f"#practice-{taken['output_id']} .practice-take-up a")
    assert take_up.all_inner_texts() == list(taken["taken_up_names"])
    assert take_up.first.get_attribute("href").startswith(f"/city/{taken['taken_up_ids'][0]}")
    status = page.inner_text("#prac-status")
    assert fmt_number(totals["practices_taken_up"], "en") in status
    assert fmt_number(totals["adopting_cities"], "en") in status
    # every match listed (under the 500 cut): the count alone, not "N of M"
    assert status.startswith(f"{fmt_number(len(everything), 'en')} practices listed."), status
    dash_page.screenshot("practices-en")
    # the pager: the next page in place and in the URL, then back
    assert len(everything) > PAGE_SIZE, "the demo has more practices than one page"
    assert page.is_disabled("#prac-prev")
    assert f"1 to {PAGE_SIZE} of {len(everything)}" in page.inner_text("#prac-pager")
    page.click("#prac-next")
    page.wait_for_selector(f"#practice-{everything['output_id'].iloc[PAGE_SIZE]}", timeout=60_000)
    rest = everything.iloc[PAGE_SIZE : 2 * PAGE_SIZE]["output_id"]
    assert page.locator("article.practice").count() == len(rest)
    page.wait_for_function("() => location.search.includes('page=2')", timeout=30_000)
    page.reload()
    page.wait_for_selector(f"#practice-{rest.iloc[-1]}", timeout=60_000)
    assert page.is_disabled("#prac-next") == (len(everything) <= 2 * PAGE_SIZE)
    page.click("#prac-prev")
    page.wait_for_selector(f"#practice-{first_page['output_id'].iloc[0]}", timeout=60_000)

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
    assert [r["taken_up_names"] for r in rows] == [
        "; ".join(names) for names in digital_goal["taken_up_names"]
    ]
    assert all(not r["title"].startswith(("=", "+", "-", "@")) for r in rows)
