"""The overview's "Download report": the server builds the periodic KPI report as a PDF for the
current filters and language, and says it is working meanwhile."""

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
    page.goto(dash_page.base_url + "/?start=2025-07-01&end=2025-09-30&network=innovation&lang=fr")
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
    assert download.suggested_filename == "iurc-report-2025-Q3-innovation-fr.pdf"
    reader = pypdf.PdfReader(Path(download.path()))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata is not None and "T3 2025" in (reader.metadata.title or "")
    assert page.locator("#overview-report-error").inner_text() == ""
    expect(button).to_be_enabled(timeout=30_000)
    expect(status).to_be_hidden()
