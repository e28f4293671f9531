"""City profiles, city names linking to them, and the cross-cutting challenge filter in the URL.

Screenshots: test-artifacts/screenshots/city-profile-eu.png (Malmö, EN) and
city-profile-na-fr.png (Ottawa, FR).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.i18n import fmt_number, t
from pipelines.metrics.filters import Filters
from pipelines.queries.city import city_figures, city_info

DIGITAL = "digital_transition_smart_city"
PAGES = (
    "/",
    "/participation",
    "/sdg",
    # /benchmarking has no filter bar: the benchmark covers the programme to date
    "/cooperation",
    "/activities",
    "/data-quality",
    "/city/malmo-se",
)


def _open_profile(dash_page, path: str) -> None:
    dash_page.page.goto(dash_page.base_url + path)
    dash_page.page.wait_for_selector("#city-fig-activities_hosted", timeout=60_000)
    dash_page.wait()


@pytest.mark.parametrize(
    ("city_id", "lang", "shot"),
    [("malmo-se", "en", "city-profile-eu"), ("ottawa-ca", "fr", "city-profile-na-fr")],
)
def test_city_profile_figures_equal_the_metric_layer(dash_page, demo_db: Path, city_id, lang, shot):
    _open_profile(dash_page, f"/city/{city_id}?lang={lang}")
    page = dash_page.page
    with duckdb.connect(str(demo_db), read_only=True) as con:
        name = city_info(con, city_id)["name"].iloc[0]
        expected = city_figures(con, city_id, Filters())
    assert page.inner_text("h1") == name
    for row in expected.itertuples():
        text = fmt_number(row.value, lang) + (" €" if row.unit == "eur" else "")
        assert page.inner_text(f"#city-fig-{row.key}") == text, row.key
    partner = page.locator(".city-partners a").first
    assert partner.get_attribute("href").startswith("/city/")
    assert "/benchmarking" in page.locator("#city-benchmark a").get_attribute("href")
    for link in page.locator(".city-profile a[target=_blank]").all():
        assert link.get_attribute("href").startswith(("https://", "http://"))
        assert "noopener" in link.get_attribute("rel")
    dash_page.screenshot(shot)


def test_city_names_link_to_profiles_and_unknown_city_is_not_found(dash_page):
    page = dash_page.page
    dash_page.open("/activities")
    link = page.locator('#act-body a[href^="/city/"]').first
    name = link.inner_text()
    link.click()
    page.wait_for_selector("#city-fig-activities_hosted", timeout=60_000)
    assert page.inner_text("h1") == name
    dash_page.open("/participation")
    # the cards' data tables are drawn when opened (dashboard.disclosure): none before
    assert page.locator(".card-table table").count() == 0
    for summary in page.locator(".card-table > summary").all():
        summary.click()
    page.wait_for_selector('.card-table a[href^="/city/"]', timeout=30_000)
    assert page.locator(".card-table[open] table").count() == page.locator(".card-table").count()
    page.goto(dash_page.base_url + "/city/no-such-city")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == t("city.not_found", "en")


def test_an_unknown_address_shows_the_apps_not_found_page(dash_page):
    """A mistyped address gets the app's own page in the address's language (header, menu,
    note, a way back), answered 404, with no axe-core violation; not a bare '404' heading."""
    page = dash_page.page
    response = page.goto(dash_page.base_url + "/no-such-page?lang=es&country=FI")
    assert response is not None and response.status == 404
    # the browser reports the document's own 404 status; nothing else may fail
    assert dash_page.errors == [
        "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
    ]
    dash_page.errors.clear()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == t("app.not_found", "es")
    assert t("app.not_found_text", "es") in page.inner_text("main")
    assert "404 - Page not found" not in page.inner_text("body")
    nav = page.locator("nav.app-nav a")
    assert nav.count() >= 8 and all(
        "country=FI" in (a.get_attribute("href") or "") for a in nav.all()
    )
    assert dash_page.axe_violations() == []
    page.locator("main a", has_text=t("city.back", "es")).click()
    page.wait_for_function(
        "gone => document.querySelector('h1')?.innerText !== gone",
        arg=t("app.not_found", "es"),
        timeout=60_000,
    )
    assert page.url.endswith("/?lang=es")


def test_challenge_in_the_url_restores_every_page(dash_page):
    label = t("filters.challenge", "en")
    for path in PAGES:
        dash_page.page.goto(f"{dash_page.base_url}{path}?challenge={DIGITAL}")
        dash_page.page.wait_for_selector("#filter-challenge", timeout=60_000)
        status = dash_page.page.inner_text("#app-filter-status")
        assert label in status and "Digital Transition & Smart City" in status, path
        shown = dash_page.page.inner_text("#filter-challenge")
        assert "Digital Transition & Smart City" in shown, path
    dash_page.wait()
    summary = dash_page.page.inner_text("#city-body")
    assert summary
