"""/benchmarking in a browser: every city of the peer group is named on the ranking chart, the
group size is stated, and a city alone in its group gets no score, with the reason."""

from __future__ import annotations

import pytest

from pipelines import queries

pytestmark = pytest.mark.browser

RANKING_TICKS = 'div[aria-labelledby="bench-ranking-heading"] .yaxislayer-above .ytick text'


def test_ranking_names_every_city_of_the_group(dash_page, demo_db) -> None:
    from pipelines.warehouse import db

    con = db.connect_readonly(demo_db)
    try:
        ranking = queries.benchmark_ranking(con, "turin-it", "region", "EU")
    finally:
        con.close()
    assert len(ranking) > 20  # a crowded group: Plotly would thin its labels by default
    page = dash_page.page
    dash_page.open("/benchmarking?city=turin-it&peer=region:EU")
    ticks = page.locator(RANKING_TICKS).all_text_contents()  # SVG: no innerText
    assert len(ticks) == len(ranking)
    assert {t.removeprefix("▶ ") for t in ticks} == set(ranking["name"])
    summary = page.locator("#bench-ranking-heading ~ p.card-summary").inner_text()
    assert summary.startswith(f"{len(ranking)} cities in this peer group")


def test_city_alone_in_its_band_gets_no_score_and_the_reason(dash_page) -> None:
    page = dash_page.page
    dash_page.open("/benchmarking?city=new-york-city-us&peer=population_band:gt_5m")
    verdict = page.locator("#bench-verdict").inner_text()
    assert "no engagement score or rank band" in verdict
    assert "of the 1 city in this peer group" in verdict and "at least 5" in verdict


SCORES_TICKS = 'div[aria-labelledby="bench-scores-heading"] .yaxislayer-above .ytick text'


def test_scores_labels_are_whole_where_the_card_has_room(dash_page) -> None:
    """The scores card draws its graph 400 px high: each indicator's band has room for two lines,
    so its long labels are wrapped whole, not cut with "…" (as for a 300 px graph); each
    figure is laid out for the height its graph is drawn at."""
    page = dash_page.page
    for lang, whole in (
        ("fr", "Participations pour 100 000 habitants"),
        ("en", "Participations per 100,000 inhabitants"),
    ):
        dash_page.open(f"/benchmarking?lang={lang}")
        ticks = page.locator(SCORES_TICKS).all_text_contents()  # lines joined without a space
        assert ticks and not any("…" in t for t in ticks), ticks
        assert whole.replace(" ", "") in [t.replace(" ", "") for t in ticks], ticks
        heights = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
            .map(gd => [gd.layout.height, gd._fullLayout.height,
                        Math.round(gd.getBoundingClientRect().height)])""")
        assert heights and all(h[0] == h[1] == h[2] for h in heights), heights
    dash_page.screenshot("benchmarking-scores-labels")
