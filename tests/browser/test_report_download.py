"""The overview's "Download report": the server builds the periodic KPI report as a PDF for the
current filters and language, and says it is working meanwhile."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from dashboard.i18n import t

pytestmark = pytest.mark.browser


def test_overview_download_report_gives_the_pdf_of_the_filters_and_language(dash_page):
    page = dash_page.page
    dash_page.open("/?start=2025-07-01&end=2025-09-30&network=innovation&lang=fr")
    button = page.locator("#overview-report-button")
    assert button.inner_text() == t("report.download", "fr")
    with page.expect_download(timeout=180_000) as info:
        button.click()
        # while the server builds it, the button is disabled and the page says it is working
        status = page.locator("#overview-report-status")
        assert status.inner_text() == t("report.working", "fr")
    download = info.value
    assert download.suggested_filename == "iurc-report-2025-Q3-innovation-fr.pdf"
    reader = pypdf.PdfReader(Path(download.path()))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata is not None and "T3 2025" in (reader.metadata.title or "")
    assert page.locator("#overview-report-error").inner_text() == ""
    assert not button.is_disabled()
