"""Hostile text in the data stays text: a city, a cooperation and an activity carrying HTML/JS
payloads are shown literally on the register, benchmarking and cooperation pages, the SDG review
queue (its evidence highlighted inside the payload), and a quarantined row's reasons on the
data-quality page (its raw record is not served to anonymous clients); no dialog opens, no
injected element exists, no console error."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from pipelines.ingest.run import ingest_files
from pipelines.warehouse import db

pytestmark = pytest.mark.browser

CITY = "<img src=x onerror=alert(1)>"
TITLE = "<script>alert(2)</script>"
RAW = "<img src=x onerror=alert(3)>"
COOP = f"{CITY} – Turin"
CITY_ID = "xss-us"
COOP_ID = "pair-xss-turin"
CITIES_FILE = "cities_xss.csv"  # its own file name: the quarantine table can be filtered to it

FILES = {
    CITIES_FILE: [
        "city_id,name,country_iso2,region,population,population_year,lat,lon,geonames_id",
        f'{CITY_ID},"{CITY}",US,NA,500000,2020,40.0,-60.0,',
        f'xss-bad-us,"{RAW}",US,XX,1000,2020,41.0,-61.0,',  # region XX: quarantined
    ],
    "cooperations_xss.csv": [
        "cooperation_id,mode,name,network_id,phase,start_date,support_end_date",
        f'{COOP_ID},pairing,"{COOP}",innovation,pilot,2023-01-01,2024-12-31',
    ],
    "cooperation_members_xss.csv": [
        "cooperation_id,city_id,role",
        f"{COOP_ID},{CITY_ID},lead",
        f"{COOP_ID},turin-it,partner",
    ],
    "activities_xss.csv": [
        (
            "activity_id,title,description,activity_type,modality,status,start_date,end_date,"
            "network_id,subtheme_id,cross_cutting_id,cooperation_id,host_city_id,reported_date"
        ),
        (
            f'act-xss-1,"{TITLE}","{RAW}",training,in_person,completed,2024-03-01,2024-03-02,'
            f"innovation,,,{COOP_ID},{CITY_ID},2024-03-10"
        ),
    ],
    # an unreviewed suggestion on the hostile activity: its evidence matches inside the payload
    "sdg_alignments_xss.csv": [
        "entity_type,entity_id,goal,target_id,is_primary,method,score,status,evidence,method_version",
        'activity,act-xss-1,9,,false,keyword,0.999,suggested,"img src; script",tfidf-1+rules-1',
    ],
    "participations_xss.csv": [
        "activity_id,city_id,stakeholder_type,participants,women,organisations,completions",
        f"act-xss-1,{CITY_ID},local_government,12,6,3,10",
        "act-xss-1,turin-it,academia,4,2,1,4",
    ],
}


@pytest.fixture(scope="module")
def xss_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the demo warehouse with the hostile rows ingested (one quarantined)."""
    root = tmp_path_factory.mktemp("xss")
    target = root / "iurc.duckdb"
    shutil.copyfile(demo_db, target)
    paths = []
    for name, lines in FILES.items():
        path = root / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    summary = ingest_files(paths, db=target)
    by_file = {f.file_name: f for f in summary.files}
    assert by_file[CITIES_FILE].rows_quarantined == 1, by_file[CITIES_FILE].messages
    assert all(f.rows_loaded == len(FILES[n]) - 1 for n, f in by_file.items() if n != CITIES_FILE)
    con = db.connect_readonly(target)
    try:
        assert con.execute(
            "select name from core.city where city_id = ?", [CITY_ID]
        ).fetchone() == (CITY,)
        raw = con.execute(
            "select raw_record from ops.quarantine where file_name = ?", [CITIES_FILE]
        ).fetchone()[0]
        assert RAW in raw
    finally:
        con.close()
    return target


@pytest.fixture(scope="module")
def server_url(xss_db: Path, warehouse_server) -> Iterator[str]:
    """Serve the hostile warehouse (overrides the harness's demo server for this module)."""
    with warehouse_server(xss_db) as url:
        yield url


@pytest.fixture
def dialogs(page) -> list[str]:
    """Record every dialog (alert/confirm/prompt) the page opens, dismissing it."""
    seen: list[str] = []

    def record(dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


def _assert_inert(page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script", has_text="alert(").count() == 0
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('*')].filter("
            "e => e.hasAttribute('onerror')).length"
        )
        == 0
    )


def test_hostile_names_are_text_in_the_register(dash_page, dialogs):
    page = dash_page.page
    dash_page.open("/activities?search=%3Cimg")
    rows = page.locator("#act-body tr")
    assert rows.count() == 1
    cells = rows.first.inner_text()
    assert TITLE in cells and CITY in cells
    assert page.get_by_text(TITLE, exact=True).count() >= 1
    dash_page.screenshot("xss-activities")
    _assert_inert(page, dialogs)


def test_hostile_city_is_text_in_the_benchmark(dash_page, dialogs):
    page = dash_page.page
    dash_page.open(f"/benchmarking?city={CITY_ID}")
    assert f"{CITY} (United States)" in page.locator("#bench-city").inner_text()
    assert page.locator("#bench-verdict").inner_text().startswith(CITY)
    # no peer group in the URL: the city's region is the default
    assert parse_qs(urlparse(page.url).query)["peer"] == ["region:NA"]
    # the ranking's axis labels are SVG text written by Plotly; a name this long is cut with "…"
    # (chart_margins.shorten: the hover has it whole), so the tick shows the name's first part
    ticks = page.locator("section:has(#bench-ranking-heading) .ytick text").all_text_contents()
    hostile = [tick for tick in ticks if "<img src=x" in tick]
    assert len(hostile) == 1, ticks
    assert hostile[0].endswith("…") and CITY.startswith(hostile[0].removeprefix("▶ ")[:-1])
    _assert_inert(page, dialogs)


def test_hostile_names_are_text_on_the_map_and_picker(dash_page, dialogs):
    page = dash_page.page
    dash_page.open(f"/cooperation?coop={COOP_ID}")
    assert COOP in page.locator("#coop-select").inner_text()
    # tall enough for the whole map: the filter bar (with the challenge filter) and the account
    # links push it below a 900 px fold, and a mouse cannot hover what is off screen
    page.set_viewport_size({"width": 1366, "height": 1600})
    # hover the hostile city's marker: Plotly writes the name into the SVG hover label as text
    box = page.evaluate(
        """(name) => {
        for (const el of document.querySelectorAll('.scattergeo .point')) {
            const d = el.__data__;
            if (d && d.tx === name) { const r = el.getBoundingClientRect();
                return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }
        }
        return null; }""",
        CITY,
    )
    assert box is not None, "hostile city not drawn on the map"
    page.mouse.move(box["x"], box["y"])
    label = page.locator(".hoverlayer .hovertext")
    label.first.wait_for(timeout=5_000)
    assert CITY in label.first.text_content()
    _assert_inert(page, dialogs)


def test_hostile_quarantined_row_is_text_without_its_raw_record(dash_page, dialogs):
    page = dash_page.page
    dash_page.open(f"/data-quality?qfile={CITIES_FILE}")
    table = page.locator("#dq-quarantine-body")
    table.get_by_text(CITIES_FILE).first.wait_for(timeout=10_000)
    text = table.inner_text()
    assert "region" in text  # the reason is shown
    assert RAW not in text  # the raw record is not served to an anonymous client (#19)
    _assert_inert(page, dialogs)


def test_hostile_text_is_text_in_the_sdg_review_queue(page, server_url, xss_db, dialogs):
    from pipelines.app import users
    from tests.browser.conftest import app_state_env

    with pytest.MonkeyPatch.context() as mp:
        for key, value in app_state_env(xss_db).items():
            mp.setenv(key, value)
        if users.get("xss-officer") is None:
            users.add("xss-officer", "officer-password-1", "programme_officer")
    page.goto(server_url + "/signin?lang=en")
    page.fill("#username", "xss-officer")
    page.fill("#password", "officer-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(server_url + "/?lang=en", timeout=120_000)
    page.goto(server_url + "/review/sdg?lang=en&min_score=0.999")
    item = page.locator(".sdg-item", has=page.locator("code", has_text="act-xss-1"))
    text = item.locator(".sdg-text")
    assert TITLE in text.inner_text() and RAW in text.inner_text()
    assert item.locator("mark.evidence", has_text="img src").count() == 1
    assert item.locator("mark.evidence", has_text="script").count() == 2
    _assert_inert(page, dialogs)
