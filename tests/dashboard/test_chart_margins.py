"""Chart margins computed on the server (dashboard.chart_margins): no automargin, labels that fit."""

from __future__ import annotations

import pandas as pd

from dashboard import chart_margins, figures

LONG = "Métropole de Ciudad de México et ses communes associées"


def test_text_width_measures_each_character_and_the_widest_line():
    assert chart_margins.text_width("iii") < chart_margins.text_width("MMM")
    assert chart_margins.text_width("é") == chart_margins.text_width("e")  # accents: no width
    assert chart_margins.text_width("20\u202f000") < chart_margins.text_width("20,000")
    assert chart_margins.text_width("ab<br>abcd") == chart_margins.text_width("abcd")
    assert chart_margins.text_width("Turin", 26) == 2 * chart_margins.text_width("Turin", 13)


def test_long_labels_are_cut_or_wrapped_to_fit():
    cut = chart_margins.shorten(LONG)
    assert cut.endswith("…") and LONG.startswith(cut[:-1])
    assert chart_margins.text_width(cut) <= chart_margins.LABEL_MAX_PX
    assert chart_margins.shorten("Turin") == "Turin"
    wrapped = chart_margins.wrap_label("Manual review by an editor", 110)
    assert wrapped == "Manual review<br>by an editor"
    assert all(chart_margins.text_width(line) <= 110 for line in wrapped.split("<br>"))
    assert chart_margins.wrap_label(LONG, 110).count("<br>") == 1
    # never broken inside a number ("100 000") nor at a no-break space
    french = chart_margins.wrap_label("Participations pour 100 000 habitants", 170)
    assert french == "Participations pour<br>100 000 habitants"
    assert chart_margins.wrap_label("Réseau\u00a0mondial", 60) == "Résea…"  # one word, cut


def test_horizontal_bars_get_a_left_margin_for_their_labels_and_keep_full_names_in_hover():
    df = pd.DataFrame({"label": [LONG, "Turin"], "value": [12_000, 3]})
    fig = figures.bar(df, "label", "value", "fr", horizontal=True, y_title="Participations")
    y, x, margin = fig.layout.yaxis, fig.layout.xaxis, fig.layout.margin
    assert y.automargin is False and x.automargin is False
    assert list(fig.data[0].y) == [LONG, "Turin"]  # the hover's %{y}: the whole name
    assert list(y.tickvals) == [LONG, "Turin"] and y.ticktext[1] == "Turin"
    # two bands with room for two lines each: the long name on two lines, the second one cut
    first, second = y.ticktext[0].split("<br>")
    assert LONG.startswith(first + " ") and second.endswith("…") and second[:-1] in LONG
    widest = chart_margins.text_width(y.ticktext[0])
    assert widest <= chart_margins.LABEL_MAX_PX
    assert widest < margin.l < widest + 30  # the labels fit, with little to spare
    # the x axis: "13 200" and its title "Participations" under it
    assert margin.b >= 13 * 1.3 + chart_margins.TITLE_STANDOFF + 16
    assert margin.t == 10 and margin.r == 10  # one series: no legend


def test_left_labels_go_on_two_lines_only_where_each_band_has_room_for_them():
    names = ["Urban Renewal & Urban Poverty", "Ecological Transition & Green Deal", "Innovation"]
    few = figures.bar(pd.DataFrame({"n": names, "v": [3, 2, 1]}), "n", "v", "en", horizontal=True)
    assert list(few.layout.yaxis.ticktext) == [
        "Urban Renewal & Urban<br>Poverty",
        "Ecological Transition &<br>Green Deal",
        "Innovation",
    ]
    assert list(few.data[0].y) == names  # the hover keeps the whole names
    many = [f"{name} {i}" for i in range(6) for name in names]  # 18 bands in 300 px: one line
    df = pd.DataFrame({"n": many, "v": range(len(many))})
    crowded = figures.bar(df, "n", "v", "en", horizontal=True)
    shown = list(crowded.layout.yaxis.ticktext)
    assert not any("<br>" in label for label in shown)
    assert shown[0].endswith("…") and shown[2] == "Innovation 0"
    bars = [{"type": "bar", "orientation": "h", "x": list(range(len(many))), "y": many}]
    _, tall = chart_margins.fit(bars, {"height": 2000}, "en")  # a graph tall enough for two lines
    assert tall["yaxis"]["ticktext"][0] == "Urban Renewal & Urban<br>Poverty 0"
    _, short = chart_margins.fit(bars, {}, "en")
    assert short["yaxis"]["ticktext"][0] == "Urban Renewal & Urban…"


def test_a_chart_as_high_as_two_line_height_wraps_every_long_label_and_cuts_none():
    goals = [
        "Good health and well-being",
        "Affordable and clean energy",
        "Decent work and economic growth",
        "Industry, innovation and infrastructure",
        "Sustainable cities and communities",
        "Responsible consumption and production",
        "Partnerships for the goals",
    ] + [f"Goal {i}" for i in range(10)]  # 17 goals, as on a city's SDG profile
    for n in (1, 3, 10, 17):
        df = pd.DataFrame({"n": goals[:n], "v": range(1, n + 1)})
        height = chart_margins.two_line_height(n)
        fig = figures.bar(df, "n", "v", "en", horizontal=True, height=height)
        shown = list(fig.layout.yaxis.ticktext or df["n"])
        assert not any("…" in label for label in shown), (n, shown)
        assert n < 3 or "Good health and<br>well-being" in shown
        # a px less per band and the longest names are cut again: it is about the least that fits
        fig = figures.bar(df, "n", "v", "en", horizontal=True, height=height - n)
        assert n < 3 or any("…" in label for label in fig.layout.yaxis.ticktext)
    assert chart_margins.two_line_height(1) == 200  # one output's stage: not a 320 px slab


def test_value_axis_legend_and_colour_bar_get_their_room():
    df = pd.DataFrame({"run": ["#1", "#1", "#2", "#2"], "group": ["Loaded", "Quarantined"] * 2})
    df["value"] = [20_000, 3, 15_000, 1]
    fig = figures.stacked_bar(df, "run", "value", "group", "en", legend_title="Rows")
    # a stack up to 35,003: "38,503" at most on the value axis, left
    assert fig.layout.margin.l >= chart_margins.text_width("38,503")
    assert fig.layout.margin.t >= 13 * 1.3  # the legend, above the plot
    heat = {"type": "heatmap", "x": ["x", "y"], "y": ["a", "b"], "z": [[1200, 0], [0, 5]]}
    _, scaled = chart_margins.fit([heat], {}, "en")
    assert scaled["margin"]["r"] >= chart_margins.COLORBAR_PX + chart_margins.text_width("1,320")
    grid = pd.DataFrame({"r": ["a", "b"], "c": ["x", "y"], "v": [1200, 5]})
    written = figures.heatmap(grid, "r", "c", "v", "en", value_title="Activities")
    assert written.data[0].showscale is False and written.layout.margin.r == 10  # no colour bar
    assert "Activities: %{z}" in written.data[0].hovertemplate


def test_maps_and_empty_states_keep_the_shared_margins():
    empty = figures.empty_figure("en")
    assert dict(empty.layout.margin.to_plotly_json()) == {"l": 10, "r": 10, "t": 10, "b": 10}


def test_a_static_image_gets_its_labels_whole():
    df = pd.DataFrame({"label": [LONG, "Turin"], "value": [12_000, 3]})
    spec = chart_margins.whole_labels(
        figures.bar(df, "label", "value", "fr", horizontal=True).to_dict()
    )
    assert list(spec["layout"]["yaxis"]["ticktext"]) == [LONG, "Turin"]
    assert spec["layout"]["yaxis"]["automargin"] is True


def test_labels_wrap_where_the_graph_as_drawn_has_room():
    # six long categories: 30 px bands in a 300 px graph (one line, cut), 50 px in a 420 px card
    names = [f"Ecological Transition & Green Deal {i}" for i in range(6)]
    df = pd.DataFrame({"n": names, "v": range(6)})
    short = figures.bar(df, "n", "v", "en", horizontal=True)
    tall = figures.bar(df, "n", "v", "en", horizontal=True, height=420)
    assert short.layout.height is None and tall.layout.height == 420
    assert list(short.layout.yaxis.ticktext)[0] == "Ecological Transition &…"
    assert list(tall.layout.yaxis.ticktext)[0] == "Ecological Transition &<br>Green Deal 0"
    assert list(tall.data[0].y) == names  # the hover keeps the whole names
    # the same through every builder that draws categories on the left
    long = pd.DataFrame({"n": names * 2, "g": ["a"] * 6 + ["b"] * 6, "v": range(12)})
    stacked = figures.stacked_bar(long, "n", "v", "g", "en", horizontal=True, height=420)
    assert stacked.layout.height == 420
    assert "<br>" in list(stacked.layout.yaxis.ticktext)[0]
    assert figures.empty_figure("en").layout.height is None  # the card's style draws it


def test_every_card_figure_is_laid_out_for_the_height_its_graph_is_drawn(demo_db):
    """Each page callback's figure carries the height of the graph it fills (the card's style
    height, or the style the callback sets), so its labels are fitted to what is drawn."""
    import dash

    from benchmarks.callbacks import _template_args, _walk, page_callbacks
    from dashboard import components, data
    from dashboard.app import app  # noqa: F401  # registers the pages and their callbacks
    from pipelines.metrics.filters import Filters

    data.configure(demo_db)
    try:
        drawn: dict[str, int] = {}
        for page in dash.page_registry.values():
            if callable(page["layout"]):
                for c in _walk(page["layout"](**_template_args(page))):
                    if isinstance(c, dash.dcc.Graph) and getattr(c, "id", None):
                        drawn[dash.stringify_id(c.id)] = int(str(c.style["height"])[:-2])
        checked = 0
        for cb in page_callbacks():
            outputs = cb.outputs_list if isinstance(cb.outputs_list, list) else [cb.outputs_list]
            result = cb(components.make_state(Filters(), "en", cb.page_path), 0)
            values = result if isinstance(outputs, list) and len(outputs) > 1 else [result]
            by_prop = {
                (dash.stringify_id(o["id"]), o["property"]): v
                for o, v in zip(outputs, values, strict=True)
                if isinstance(o, dict)
            }
            for (ident, prop), fig in by_prop.items():
                if prop != "figure" or ident not in drawn or figures.is_empty(fig):
                    continue
                style = by_prop.get((ident, "style"))
                height = int(style["height"][:-2]) if style else drawn[ident]
                layout = fig["layout"] if isinstance(fig, dict) else fig.layout
                got = layout.get("height") if isinstance(layout, dict) else layout.height
                assert got == height, (cb.name, got, height)
                checked += 1
        assert checked >= 15  # every chart card of the pages
    finally:
        data.clear_cache()
