"""The overview's "Download report": the server builds the periodic KPI report as a tagged PDF for
the current filters (every declared one, named on the cover) and language, and says it is
working meanwhile."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from dashboard.i18n import t

pytestmark = pytest.mark.browser


def test_overview_download_report_gives_the_pdf_of_the_filters_and_language(dash_page):
    page = dash_page.page
    # the button does not wait for the page's charts: only for the page itself
    page.goto(
        dash_page.base_url + "/?start=2025-07-01&end=2025-09-30&network=innovation&region=EU"
        "&challenge=digital_transition_smart_city&lang=fr"
    )
    button = page.locator("#overview-report-button")
    expect(button).to_have_text(t("report.download", "fr"), timeout=60_000)
    with page.expect_download(timeout=180_000) as info:
        button.click()
        # while the server builds it, the button is disabled and the page says it is working
        status = page.locator("#overview-report-status")
        expect(status).to_be_visible(timeout=30_000)
        expect(status).to_have_text(t("report.working", "fr"))
        expect(button).to_be_disabled()
    download = info.value
    assert download.suggested_filename == "iurc-report-2025-Q3-innovation-filtered-fr.pdf"
    reader = pypdf.PdfReader(Path(download.path()))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and "/StructTreeRoot" in root
    cover = " ".join(reader.pages[0].extract_text().split())
    for label, value in (("filters.region", "Europe"), ("filters.challenge", "Transition")):
        assert f"{t(label, 'fr')} : {value}" in cover or f"{t(label, 'fr')}: {value}" in cover
    assert reader.metadata is not None and "T3 2025" in (reader.metadata.title or "")
    assert page.locator("#overview-report-error").inner_text() == ""
    expect(button).to_be_enabled(timeout=30_000)
    expect(status).to_be_hidden()
