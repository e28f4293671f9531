"""The SDG page's tag-basis switch in the browser (#15 item 5), on the shared demo server.

One test: the page opens on accepted tags (no badge); checking "Include suggested" changes the
coverage figure (K24 counts suggested targets too), marks every SDG card's summary and the page
badge, and writes the `review` filter to the URL; reloading that URL restores the switch; "Reset
filters" returns the switch to accepted tags and clears the tagging-method filter and the URL;
on a page without the switch it clears the bar's filters without a console error.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from pipelines.metrics.filters import WITH_SUGGESTIONS, Filters
from pipelines.queries import metric_total

pytestmark = pytest.mark.browser

BADGE = "[Includes unreviewed suggested tags]"
SDG_CARDS = ("sdg-profile", "sdg-coverage", "sdg-heatmap", "sdg-targets")


def _summaries(page) -> dict[str, str]:
    return {
        card: page.locator(f"section:has(#{card}-heading) .card-summary").inner_text()
        for card in SDG_CARDS
    }


def test_switch_includes_suggestions_and_the_url_restores_it(dash_page, demo_db) -> None:
    page = dash_page.page
    con = duckdb.connect(str(demo_db), read_only=True)
    validated = metric_total(con, "K24", Filters())
    with_suggested = metric_total(con, "K24", Filters(review=WITH_SUGGESTIONS))
    con.close()
    assert with_suggested is not None and validated is not None and with_suggested > validated

    dash_page.open("/sdg")
    before = _summaries(page)
    assert not any(BADGE in s for s in before.values())
    assert page.locator(".sdg-basis-controls > p.basis-note").is_visible()

    page.get_by_label("Include suggested").check()
    page.wait_for_function(
        "(b) => document.querySelector('.sdg-basis-controls > p').className === 'badge-suggested' && "
        "[...document.querySelectorAll('.card-summary')].filter(s => s.textContent.startsWith(b))"
        ".length === 4",
        arg=BADGE,
        timeout=60_000,
    )
    dash_page.wait()
    after = _summaries(page)
    assert all(s.startswith(BADGE) for s in after.values()), after
    assert after["sdg-coverage"] != before["sdg-coverage"]
    query = parse_qs(urlparse(page.url).query)
    assert query["review"] == [",".join(WITH_SUGGESTIONS)]
    dash_page.screenshot("sdg-switch-include-suggested")

    page.reload()
    dash_page.wait()
    assert page.get_by_label("Include suggested").is_checked()
    assert page.locator(".sdg-basis-controls > p.badge-suggested").is_visible()
    assert _summaries(page) == after
    status = page.locator("#app-filter-status").inner_text()
    assert "accepted SDG tags and unreviewed suggestions" in status, status

    page.goto(page.url + "&method=keyword")  # a tagging-method filter too
    dash_page.wait()
    page.get_by_role("button", name="Reset filters").click()
    page.wait_for_function(
        "() => document.querySelector('.sdg-basis-controls > p').className === 'basis-note' && "
        "!location.search.includes('review=') && !location.search.includes('method=')",
        timeout=60_000,
    )
    dash_page.wait()
    assert page.get_by_label("Accepted tags only").is_checked()
    query = parse_qs(urlparse(page.url).query)
    assert "review" not in query and "method" not in query, query
    assert _summaries(page) == before
    dash_page.screenshot("sdg-switch-reset")

    # the switch's callback listens to the bar's reset, which every page has
    dash_page.open("/participation?method=keyword&review=" + ",".join(WITH_SUGGESTIONS))
    page.get_by_role("button", name="Reset filters").click()
    page.wait_for_function("() => !location.search.includes('review=')", timeout=60_000)
    dash_page.wait()
    assert not dash_page.errors, dash_page.errors
