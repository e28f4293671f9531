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
