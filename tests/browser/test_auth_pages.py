"""Sign-in, submission and review in the browser, per role, on the shared demo server (#14).

One test walks the whole loop: the public sees no raw quarantined record and a sign-in link;
a city editor signs in (the dashboard's callbacks then carry the CSRF header the Dash renderer
takes from the cookie), uploads a file with one bad row, reads the validation report and sends
it; a programme officer sees the KPI scorecard before and after, rejects it with a reason (so
the shared demo warehouse is not changed), and sees the raw records the public does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FILE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "submissions"
    / "activities_velletri_2025.csv"
)


WAIT_MS = 120_000  # a loaded 2-core machine can take a while to draw a page


def _sign_in(dash_page, name: str, password: str) -> None:
    page = dash_page.page
    page.goto(dash_page.base_url + "/signin?lang=en")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(dash_page.base_url + "/?lang=en", timeout=WAIT_MS)


def _quarantine_headers(dash_page) -> list[str]:
    """Open the data-quality page; return the quarantine table's headers once its rows are in."""
    page = dash_page.page
    page.goto(dash_page.base_url + "/data-quality")
    page.wait_for_selector("#dq-quarantine-body tbody tr", timeout=WAIT_MS)
    return page.locator("#dq-quarantine-body th").all_inner_texts()


def test_roles_in_the_browser(dash_page, seeded_users) -> None:
    page = dash_page.page
    page.set_default_timeout(WAIT_MS)
    assert "Record as read" not in _quarantine_headers(dash_page)
    assert page.locator(".account-nav a", has_text="Sign in").count() == 1
    # a city editor: signed in, the dashboard's callbacks still run (they carry the CSRF header)
    _sign_in(dash_page, "editor", seeded_users["editor"][2])
    assert "Record as read" not in _quarantine_headers(dash_page)
    assert page.locator(".account-nav a", has_text="Submit data").count() == 1
    page.goto(dash_page.base_url + "/submit?lang=fr")
    page.set_input_files("#file", str(FILE))
    page.click("#upload")
    page.wait_for_selector(".submission-report", timeout=WAIT_MS)
    assert page.locator(".rows-accepted").inner_text() == "1"
    assert page.locator(".rows-quarantined").inner_text() == "1"
    problem = page.locator("table.problems tbody tr").first.inner_text()
    assert "3" in problem and "end_date" in problem and "start_date" in problem
    dash_page.screenshot("auth-submit-report-fr")
    page.click("#send-for-review")
    page.wait_for_selector(".sub-status:has-text('En attente')", timeout=WAIT_MS)
    submission = page.url.split("/submit/")[1].split("?")[0]
    # a programme officer: before/after, reject with a reason, raw records visible
    page.goto(dash_page.base_url + "/signout?lang=en")
    page.click("button[type=submit]")
    page.wait_for_url(dash_page.base_url + "/?lang=en", timeout=WAIT_MS)
    _sign_in(dash_page, "officer", seeded_users["officer"][2])
    page.goto(dash_page.base_url + f"/review/{submission}?lang=en", timeout=WAIT_MS)
    effect = page.locator("table.kpi-effect tbody tr")
    assert effect.count() > 10
    dash_page.screenshot("auth-review-officer")
    page.fill("#comment", "Dates of the study visit are reversed.")
    page.click("#reject")
    page.wait_for_selector(".sub-status:has-text('Rejected')", timeout=WAIT_MS)
    page.goto(dash_page.base_url + "/audit?lang=en")
    assert page.locator(".audit-log tbody tr", has_text="rejected").count() >= 1
    assert "Record as read" in _quarantine_headers(dash_page)
