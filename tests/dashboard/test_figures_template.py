"""The shared chart template: the plotly_white look the charts use, at a fraction of its cost."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio
import pytest

from dashboard import figures

WHITE = pio.templates["plotly_white"]


def _plain(value):
    return value.to_plotly_json() if hasattr(value, "to_plotly_json") else value


def _figures():
    bars = pd.DataFrame({"k": ["a", "b"], "g": ["x", "y"], "v": [3, 4]})
    cities = pd.DataFrame(
        {"name": ["Turin"], "lat": [45.1], "lon": [7.7], "region": ["EU"], "n": [5]}
    )
    return {
        "bar": figures.bar(bars, "k", "v", "en"),
        "stacked_bar": figures.stacked_bar(bars, "k", "v", "g", "fr", horizontal=True),
        "heatmap": figures.heatmap(bars, "k", "g", "v", "es"),
        "city_map": figures.city_map(cities, "en", size="n"),
        "empty": figures.empty_figure("en"),
        "sparkline": figures.sparkline([1, 2, 3]),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_figures_template_is_the_shared_one(name):
    layout = _figures()[name].layout
    assert layout.template.to_plotly_json() == figures.TEMPLATE.to_plotly_json()
    assert layout.template.layout.plot_bgcolor == "white"
    assert list(layout.template.layout.colorway) == list(figures.OKABE_ITO)
    assert layout.template.layout.font.family == figures.FONT


def test_figures_template_keeps_the_plotly_white_look():
    ours, theirs = figures.TEMPLATE.layout, WHITE.layout
    for key in (
        "autotypenumbers",
        "paper_bgcolor",
        "plot_bgcolor",
        "hovermode",
        "xaxis",
        "yaxis",
        "geo",
        "coloraxis",
        "annotationdefaults",
        "title",
    ):
        assert _plain(ours[key]) == _plain(theirs[key]), key
    assert ours.hoverlabel.align == theirs.hoverlabel.align
    assert figures.TEMPLATE.data.bar[0].to_plotly_json() == WHITE.data.bar[0].to_plotly_json()


def test_figures_template_carries_only_the_trace_types_the_charts_use():
    # the per-figure copy of the template is what made every chart slow
    used = {t for t, entries in figures.TEMPLATE.data.to_plotly_json().items() if entries}
    assert used <= {"bar", "heatmap", "scatter"}
