"""The dashboard as a person sees it: 390 px phones without sideways scroll, empty states that say
why, the register's search and sort, the data-quality runs, the map's city click, and axe-core
(every impact, best practice included) on the pages the other modules do not check."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/participation",
    "/sdg",
    "/benchmarking",
    "/cooperation",
    "/activities",
    "/data-quality",
    "/practices",
    "/city/turin-it",
]
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_every_page_fits_390px_and_is_screenshotted(dash_page):
    page = dash_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    for path in PAGES:
        dash_page.open(path)
        assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 390 px"
        # charts resized to their card
        widths = page.evaluate(
            "() => [...document.querySelectorAll('.js-plotly-plot .main-svg')]"
            ".map(s => s.getBoundingClientRect().right)"
        )
        assert all(w <= 390 for w in widths), (path, widths)
        assert not dash_page.texts_outside_graphs(), (path, dash_page.texts_outside_graphs())
        # a fact list (the selected cooperation's) puts each label above its value, which gets
        # the card's width, not the few letters a line a label column beside it left
        values = page.evaluate(
            "() => [...document.querySelectorAll('.facts dd')]"
            ".map(d => d.getBoundingClientRect().width)"
        )
        assert all(w >= 250 for w in values), (path, values)
        assert values or path != "/cooperation", "the selected cooperation's facts are missing"
        if path == "/":  # the filter bar folds away behind a keyboard-operable toggle
            toggle = page.locator("#filter-toggle")
            assert toggle.inner_text() == "Filters"
            assert toggle.get_attribute("aria-expanded") == "false"
            assert not page.locator("#filter-panel").is_visible()
            dash_page.screenshot("overview-390-filters-folded")
            toggle.focus()
            page.keyboard.press("Enter")
            page.wait_for_function(
                "() => document.querySelector('#filter-toggle').ariaExpanded === 'true'"
            )
            assert page.locator("#filter-panel").is_visible()
            assert page.evaluate(OVERFLOW) <= 0, "the open filter bar scrolls sideways"
            violations = dash_page.axe_violations()
            assert not violations, violations
        if path == "/benchmarking":  # the context table reads whole, source included
            context = page.evaluate("""() => {
                const box = document.querySelector('#bench-context-table .table-responsive');
                const right = box.getBoundingClientRect().right;
                const sources = [...box.querySelectorAll('tbody tr')].map(r => [...r.cells]
                    .filter(c => c.offsetParent !== null).map(c => c.innerText).join(' '));
                const cells = [...box.querySelectorAll('td, th')].filter(c => c.offsetParent);
                return [box.scrollWidth - box.clientWidth, sources,
                        cells.filter(c => c.getBoundingClientRect().right > right + 1).length,
                        box.querySelector('table').getAttribute('role')]; }""")
            overflow, rows, outside, role = context
            assert overflow <= 0 and outside == 0, context  # no sideways scroll in its box
            assert rows and all("Source" in r for r in rows), rows  # each row's source shown
            assert role is None  # still a native table (header cells scoped)
            violations = dash_page.axe_violations()
            assert not violations, violations
        name = path.strip("/").replace("/", "-") or "overview"
        dash_page.screenshot(f"{name}-390")


def test_no_chart_text_clipped_at_390px_in_french(dash_page):
    """French labels are the longest: every page's tick labels, axis titles, legends and values
    written on bars stay inside their chart at 390 px (margins computed on the server)."""
    dash_page.page.set_viewport_size({"width": 390, "height": 844})
    for path in PAGES:
        dash_page.open(f"{path}?lang=fr")
        assert not dash_page.texts_outside_graphs(), (path, dash_page.texts_outside_graphs())
        name = path.strip("/").replace("/", "-") or "overview"
        dash_page.screenshot(f"{name}-fr-390")


def test_axe_clean_on_city_practices_and_translated_pages(dash_page):
    for path in ("/practices", "/city/turin-it", "/activities?lang=fr", "/data-quality?lang=es"):
        dash_page.open(path)
        violations = dash_page.axe_violations()
        assert not violations, (path, violations)
    dash_page.screenshot("data-quality-es")


def test_empty_state_says_why_and_benchmarking_has_no_filter_bar(dash_page):
    page = dash_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    dash_page.open("/participation?start=2099-01-01")
    summaries = page.locator("p.card-summary").all_inner_texts()
    assert summaries and all(
        s.startswith("No data for period") and "2099" in s and "Clear this filter" in s
        for s in summaries
    ), summaries
    # no axis drawn, and every line of the chart's note fits inside its card
    assert page.locator(".js-plotly-plot .xtick, .js-plotly-plot .ytick").count() == 0
    clipped = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => {
        const box = p.getBoundingClientRect();
        return [...p.querySelectorAll('.annotation-text tspan, .annotation-text')].some(t => {
            const r = t.getBoundingClientRect();
            return r.width && (r.left < box.left - 1 || r.right > box.right + 1);
        });
    }).length""")
    assert clipped == 0
    dash_page.screenshot("participation-empty-390")
    # the folded filter bar says how many filters are active
    assert page.locator("#filter-toggle").inner_text() == "Filters · active: 1"
    dash_page.open("/benchmarking?network=innovation")
    assert page.locator(".filter-bar").count() == 0
    assert "network=innovation" in page.get_by_role("link", name="Overview").get_attribute("href")


# a busy page: 20 tasks of 150 ms back to back, so the keys typed meanwhile arrive in bursts
BUSY_PAGE = """() => { let n = 0; const busy = () => { const end = performance.now() + 150;
    while (performance.now() < end) {} if (++n < 20) setTimeout(busy, 0); }; setTimeout(busy, 0); }"""


def test_search_box_keeps_the_keys_in_order_on_a_busy_page(dash_page):
    """Dash 4's debounced dcc.Input moved the caret back behind keys typed while the page was
    busy ("cycling" became "ccingly"); assets/iurc.js turns that restore off."""
    page = dash_page.page
    dash_page.open("/activities")
    page.locator("#act-search").click()
    page.evaluate(BUSY_PAGE)
    page.keyboard.type("cycling")
    expect(page.locator("#act-search")).to_have_value("cycling")
    page.wait_for_function("() => location.search.includes('search=cycling')")


def test_register_searches_as_you_type_and_sorts_numbers_descending(dash_page):
    page = dash_page.page
    dash_page.open("/activities")
    assert page.get_by_text("Results update as you type.").is_visible()
    page.locator("#act-search").press_sequentially("cycl")  # no Enter
    expect(page.locator("#act-search")).to_have_value("cycl")
    page.wait_for_function("() => location.search.includes('search=cycl')")
    dash_page.wait()
    page.get_by_role("button", name="Participants").click()
    page.wait_for_function("() => location.search.includes('sort=participants')")
    dash_page.wait()
    th = page.locator("th[aria-sort]:not([aria-sort='none'])")
    assert th.get_attribute("aria-sort") == "descending"
    # identifiers and dates stay on one line at 1366 px (one line box per cell's text)
    lines = page.evaluate("""() => [...document.querySelectorAll('#act-body th, #act-body td.nowrap')]
        .map(c => { const r = document.createRange(); r.selectNodeContents(c);
                    return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; })""")
    assert lines and set(lines) == {1}, lines


REGISTER_FIT = """() => {
    const box = document.querySelector('.register-wrap');
    const rows = [...box.querySelectorAll('tbody tr')];
    const lines = rows.flatMap(r => [...r.cells].map(c => {
        const h = parseFloat(getComputedStyle(c).lineHeight);
        const inner = c.firstElementChild || c;
        return Math.round(inner.getBoundingClientRect().height / h); }));
    const clamps = [...box.querySelectorAll('.clamp')];
    return {overflow: box.scrollWidth - box.clientWidth, rows: rows.length,
            tallest: Math.max(...lines),
            titled: clamps.filter(s => s.title === s.textContent).length, clamps: clamps.length,
            cut: clamps.filter(s => s.scrollHeight > s.clientHeight + 1).length};
}"""


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_register_rows_are_compact_and_every_column_visible_at_1366px(dash_page, lang):
    """Long titles and cooperation names take at most two lines (the whole text in the cell's
    title, read by screen readers, and shown when the row has the focus), so the rows stay
    compact and all twelve columns fit the 1366 px page without scrolling the table's box."""
    page = dash_page.page
    page.set_viewport_size({"width": 1366, "height": 900})
    dash_page.open(f"/activities?lang={lang}")
    fit = page.evaluate(REGISTER_FIT)
    assert fit["overflow"] <= 0, fit  # the last column is not hidden past the box's edge
    assert fit["rows"] == 25 and fit["tallest"] <= 2, fit
    assert fit["clamps"] and fit["titled"] == fit["clamps"], fit  # the whole text in the title
    assert fit["cut"] > 0, fit  # the demo has names longer than two lines: they are cut
    statuses = page.locator("#act-body td:nth-child(5)").all_inner_texts()
    assert "not_yet_reported" not in statuses  # a status in words, not its code
    # a row with the keyboard focus (its city link) shows its texts whole
    link = page.locator("#act-body tr a").first
    link.focus()
    row = link.locator("xpath=ancestor::tr[1]")
    cut = row.evaluate(
        "r => [...r.querySelectorAll('.clamp')]"
        ".filter(s => s.scrollHeight > s.clientHeight + 1).length"
    )
    assert cut == 0
    dash_page.screenshot(f"activities-register-{lang}-1366")


def test_runs_on_log_axis_and_map_city_opens_profile(dash_page):
    page = dash_page.page
    dash_page.open("/data-quality")
    runs = page.evaluate("""() => {
        const gd = document.querySelector('#dq-runs-heading ~ .card-graph .js-plotly-plot');
        return [gd._fullLayout.xaxis.type,
                gd.calcdata.map(cd => cd.filter(p => p.s > 0).length)];
    }""")
    assert runs[0] == "log" and all(n > 0 for n in runs[1]), runs  # loaded and quarantined seen
    dash_page.open("/cooperation")
    city = page.evaluate("""() => {
        const gd = document.querySelector('.dash-graph .js-plotly-plot');
        const i = gd.data.findIndex(d => d.mode === 'markers' && !d.legendgroup && d.customdata);
        const id = Array.from(gd.data[i].customdata)[0];
        gd.emit('plotly_click', {points: [{curveNumber: i, pointNumber: 0, customdata: id}]});
        return id;
    }""")
    page.wait_for_function(f"() => location.pathname === '/city/{city}'")
    dash_page.wait()
    assert urlparse(page.url).path == f"/city/{city}"
    assert page.locator("main h1").count() == 1
