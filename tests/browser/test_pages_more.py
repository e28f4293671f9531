"""Benchmarking, cooperation, activities register and data quality in headless Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook

from pipelines import queries
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db

pytestmark = pytest.mark.browser

PAGES = ["/benchmarking", "/cooperation", "/activities", "/data-quality"]


def _query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(url).query).items()}


def _summary(page, card: str) -> str:
    return page.locator(f"#{card}-heading ~ p.card-summary").inner_text()


def _pick(page, control_id: str, option: str) -> None:
    page.locator(f"#{control_id}").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


@pytest.fixture(scope="module")
def con(demo_db):
    connection = db.connect_readonly(demo_db)
    yield connection
    connection.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_with_data_and_no_errors(dash_page, path):
    dash_page.open(path)
    page = dash_page.page
    assert page.locator("main h1").count() == 1
    assert page.locator(".dash-fe-error__title, .dash-debug-menu").count() == 0
    points = dash_page.graph_traces()
    assert all(n > 0 for n in points.values()), points
    dash_page.screenshot(f"{path.strip('/')}-en")


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_pages_translated_screenshots(dash_page, lang):
    page = dash_page.page
    for path in PAGES:
        dash_page.open(f"{path}?lang={lang}")
        assert page.evaluate("document.documentElement.lang") == lang
        assert all(n > 0 for n in dash_page.graph_traces().values())
        assert page.get_by_role("button", name="Download CSV").count() == 0
        assert page.get_by_text("Loading…").count() == 0
        dash_page.screenshot(f"{path.strip('/')}-{lang}")


def test_benchmarking_states_rules_and_shared_url_restores_city(dash_page, con):
    page = dash_page.page
    dash_page.open("/benchmarking?city=turin-it&peer=region:EU&lang=fr")
    assert "20 %" in page.locator("#bench-missing-rule").inner_text()
    assert "pas de barre de filtres" in page.locator(".scope-note").inner_text()
    verdict = page.locator("#bench-verdict").inner_text()
    expected = queries.city_benchmark(con, "turin-it", "region", "EU")
    score = expected.loc[expected["input_id"] == "K31", "score"].iloc[0]
    assert verdict.startswith("Turin") and f"{round(score)} sur 100" in verdict
    assert _query(page.url) == {"city": "turin-it", "peer": "region:EU", "lang": "fr"}
    # the context indicators are listed apart from the scores
    assert page.locator("#bench-context-table tbody tr").count() == len(
        queries.city_context(con, "turin-it")
    )


def test_benchmarking_choosing_a_city_updates_url_and_scores(dash_page, con):
    page = dash_page.page
    dash_page.open("/benchmarking?city=turin-it&peer=region:EU")
    before = page.locator("#bench-verdict").inner_text()
    _pick(page, "bench-city", "Austin (United States)")
    page.wait_for_function("() => location.search.includes('city=austin-us')")
    dash_page.wait()
    assert page.locator("#bench-verdict").inner_text() != before
    assert _query(page.url)["peer"] == "region:NA"  # same kind of peer group, the city's own
    assert "Austin" in page.locator("#bench-verdict").inner_text()
    ranking = dash_page.graph_traces()
    assert all(n > 0 for n in ranking.values())


def test_benchmarking_export_has_codes_labels_and_rows(dash_page, con):
    page = dash_page.page
    dash_page.open("/benchmarking?city=turin-it&peer=region:EU")
    with page.expect_download() as info:
        page.locator("#bench-ranking-heading ~ .card-actions button").first.click()
    rows = list(
        csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig")))
    )
    expected = queries.benchmark_ranking(con, "turin-it", "region", "EU")
    assert [r["city_id"] for r in rows] == list(expected["city_id"])
    assert {"city_id", "name", "rank_band_label"} <= set(rows[0])


def test_cooperation_selection_lives_in_url_and_restores(dash_page, con):
    page = dash_page.page
    options = queries.cooperation_options(con, Filters())
    coop = options["cooperation_id"].iloc[-1]
    name = options["name"].iloc[-1]
    dash_page.open(f"/cooperation?coop={coop}&lang=es")
    assert _query(page.url)["coop"] == coop
    assert page.locator("#coop-detail h3").inner_text() == name
    assert name in _summary(page, "coop-network")
    # choosing another cooperation changes the URL and the detail
    other = options[options["cooperation_id"] != coop].iloc[0]
    _pick(
        page,
        "coop-select",
        f"{other['name']} ({queries.cooperation_options(con, Filters(), lang='es').set_index('cooperation_id').loc[other['cooperation_id'], 'mode_label']})",
    )
    page.wait_for_function(f"() => location.search.includes('coop={other['cooperation_id']}')")
    dash_page.wait()
    assert page.locator("#coop-detail h3").inner_text() == other["name"]
    assert _query(page.url)["lang"] == "es"
    # the language links keep the selection
    href = page.get_by_role("link", name="English").get_attribute("href")
    assert f"coop={other['cooperation_id']}" in href


def test_cooperation_filter_changes_network_and_keeps_url(dash_page, con):
    page = dash_page.page
    dash_page.open("/cooperation")
    before = _summary(page, "coop-network")
    _pick(page, "filter-mode", "Trio")
    page.wait_for_function("() => location.search.includes('mode=trio')")
    dash_page.wait()
    after = _summary(page, "coop-network")
    assert after != before
    n = queries.cooperation_options(con, Filters(mode=("trio",)))
    assert after.startswith(f"{len(n)} cooperations")
    query = _query(page.url)
    assert query["mode"] == "trio" and query["coop"] in set(n["cooperation_id"])


def test_cooperation_click_on_map_selects(dash_page):
    page = dash_page.page
    dash_page.open("/cooperation")
    start = _query(page.url).get("coop")
    # click a hub/link handle other than the selected one through Plotly's own event
    page.evaluate("""() => {
        const gd = document.querySelector('.dash-graph .js-plotly-plot');
        const i = gd.data.findIndex(d => d.mode === 'markers' && d.customdata && d.legendgroup);
        const ids = Array.from(gd.data[i].customdata);
        gd.emit('plotly_click', {points: [{curveNumber: i, pointNumber: ids.length - 1,
            customdata: ids[ids.length - 1]}]});
    }""")
    page.wait_for_function(f"() => !location.search.includes('coop={start}')")
    dash_page.wait()
    assert _query(page.url)["coop"] != start


def test_register_searches_sorts_pages_on_server(dash_page, con):
    page = dash_page.page
    dash_page.open("/activities?region=EU")
    page.locator("#act-search").fill("cycling")
    page.locator("#act-search").press("Enter")
    page.wait_for_function("() => location.search.includes('search=cycling')")
    dash_page.wait()
    rows, total = queries.activities_page(
        con, Filters(region=("EU",)), search="cycling", sort="start_date", descending=True, limit=25
    )
    assert f"of {total:,}" in page.locator("#act-status").inner_text()
    ids_shown = page.locator("#act-body th[scope=row]").all_inner_texts()
    assert ids_shown == list(rows["activity_id"])
    # sort by title ascending
    page.locator("#act-body").locator("xpath=..").get_by_role("button", name="Title").click()
    page.wait_for_function("() => location.search.includes('sort=title')")
    dash_page.wait()
    rows, _ = queries.activities_page(
        con, Filters(region=("EU",)), search="cycling", sort="title", descending=False, limit=25
    )
    assert page.locator("#act-body th[scope=row]").all_inner_texts() == list(rows["activity_id"])
    assert page.locator("th[aria-sort=ascending]").count() == 1
    # next page
    if total > 25:
        page.get_by_role("button", name="Next page").click()
        page.wait_for_function("() => location.search.includes('page=2')")
        dash_page.wait()
        rows, _ = queries.activities_page(
            con,
            Filters(region=("EU",)),
            search="cycling",
            sort="title",
            descending=False,
            offset=25,
            limit=25,
        )
        assert page.locator("#act-body th[scope=row]").all_inner_texts() == list(
            rows["activity_id"]
        )
    # the shared URL restores search, sort and page
    url = page.url
    dash_page.open(urlparse(url).path + "?" + urlparse(url).query)
    assert page.locator("#act-search").input_value() == "cycling"
    assert page.locator("th[aria-sort=ascending] button").inner_text().startswith("Title")


def test_register_export_csv_and_xlsx_have_the_filtered_rows(dash_page, con):
    page = dash_page.page
    dash_page.open("/activities?network=innovation&search=webinar&sort=title&dir=asc")
    _, total = queries.activities_page(con, Filters(network=("innovation",)), search="webinar")
    assert total > 0
    with page.expect_download() as info:
        page.locator("#act-csv").click()  # the register's export (the page has a chart card too)
    assert info.value.suggested_filename == "iurc-activities.csv"
    rows = list(
        csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig")))
    )
    assert len(rows) == total
    assert {r["network_id"] for r in rows} == {"innovation"}
    assert rows[0]["network_id_label"] == "Innovation"  # codes and labels
    page.wait_for_function(
        "() => document.querySelector('#act-export-note').textContent.includes('rows')"
    )
    with page.expect_download() as info:
        page.locator("#act-xlsx").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    assert sum(1 for _ in book["activities"].iter_rows(values_only=True)) == total + 1


def test_data_quality_quarantine_pages_and_templates_download(dash_page, con):
    page = dash_page.page
    dash_page.open("/data-quality")
    _, total = queries.quarantine_page(con)
    assert f"of {total}" in page.locator("#dq-quarantine-status").inner_text()
    assert page.locator("#dq-quarantine-body tbody tr").count() == min(total, 20)
    first_file = queries.quarantine_summary(con, by="file")["group_id"].sort_values().iloc[0]
    _pick(page, "dq-quarantine-file", first_file)
    page.wait_for_function("() => location.search.includes('qfile=')")
    dash_page.wait()
    _, in_file = queries.quarantine_page(con, file_name=first_file)
    assert page.locator("#dq-quarantine-body tbody tr").count() == in_file
    with page.expect_download() as info:
        page.get_by_role("button", name="XLSX template: Activities").click()
    assert info.value.suggested_filename == "activities_template.xlsx"
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    assert "activity" in book.sheetnames
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV template: Participations").click()
    header = Path(info.value.path()).read_text(encoding="utf-8").splitlines()[0]
    from schemas import ENTITIES

    assert header.split(",") == list(ENTITIES["participation"].columns)


@pytest.mark.parametrize("path", PAGES)
def test_axe_no_violations(dash_page, path):
    dash_page.open(path)
    result = dash_page.axe_violations()  # any impact, best practice included
    assert not result, "\n".join(result)


def test_cooperation_chart_explains_itself_by_keyboard(dash_page, con):
    """The network card's "About this figure" opens from the keyboard and says, in French, the
    metric's definition, unit and formula and its files; the summary states the layer's totals."""
    from dashboard import ids
    from dashboard.i18n import fmt_number, t

    dash_page.open("/cooperation?lang=fr")
    page = dash_page.page
    card = page.locator(f"section:has(#{ids.COOP_NETWORK_CARD}-heading)")
    about = card.locator("details.kpi-about")
    about.locator("summary").focus()
    page.keyboard.press("Enter")
    assert about.evaluate("e => e.open")
    about.locator("dl").wait_for(timeout=30_000)  # drawn once opened (dashboard.disclosure)
    text = about.inner_text()
    assert t("metric.cooperations", "fr") in text
    assert t("munit.count", "fr") in text and "count(distinct cooperation_id)" in text
    assert "cooperation" in text  # the provenance lists the cooperation files
    figs = queries.network_figures(con, Filters())
    summary = _summary(page, ids.COOP_NETWORK_CARD)
    for key in ("cooperations", "member_cities", "EU", "NA"):
        assert fmt_number(figs[key], "fr") in summary, (key, summary)
    dash_page.screenshot("cooperation-about-fr")
