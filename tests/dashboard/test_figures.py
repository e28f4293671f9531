"""figures.py: pure DataFrame -> Figure functions, tested without a server."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from _plotly_utils.basevalidators import copy_to_readonly_numpy_array

from dashboard import figures


def _annotation_text(fig: go.Figure) -> str:
    return " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)


def test_figures_never_import_dash():
    tree = ast.parse(Path(figures.__file__).read_text(encoding="utf-8"))
    imported = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    imported |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    assert "dash" not in imported


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_figures_empty_frame_says_why(lang):
    fig = figures.bar(pd.DataFrame({"x": [], "y": []}), "x", "y", lang)
    assert not fig.data
    assert _annotation_text(fig) == figures.t("card.empty_hint", lang)


def test_figures_bar_keeps_values_and_order():
    df = pd.DataFrame({"network": ["Green", "Digital"], "n": [5, 3]})
    fig = figures.bar(df, "network", "n", "en", horizontal=True)
    assert list(fig.data[0].y) == ["Green", "Digital"]
    assert list(fig.data[0].x) == [5, 3]
    assert fig.data[0].orientation == "h"


def test_figures_stacked_bar_one_trace_per_group_with_okabe_ito():
    df = pd.DataFrame(
        {"period": ["2024", "2024", "2025"], "who": ["gov", "biz", "gov"], "n": [1, 2, 3]}
    )
    fig = figures.stacked_bar(df, "period", "n", "who", "en")
    assert [tr.name for tr in fig.data] == ["gov", "biz"]
    assert [tr.marker.color for tr in fig.data] == list(figures.OKABE_ITO[:2])
    assert sum(sum(tr.y) for tr in fig.data) == 6


def test_figures_stacked_bar_keeps_the_frames_category_order():
    """The first group lacks 2024-02 (and the second 2024-01): Plotly, by appearance trace after
    trace, would draw 2024-01, 2024-03, 2024-02; the axis keeps the frame's order instead."""
    df = pd.DataFrame(
        {
            "month": ["2024-01", "2024-02", "2024-03", "2024-03"],
            "who": ["gov", "biz", "gov", "biz"],
            "n": [1, 2, 3, 4],
        }
    )
    fig = figures.stacked_bar(df, "month", "n", "who", "en")
    assert [list(tr.x) for tr in fig.data] == [["2024-01", "2024-03"], ["2024-02", "2024-03"]]
    assert fig.layout.xaxis.categoryorder == "array"
    assert list(fig.layout.xaxis.categoryarray) == ["2024-01", "2024-02", "2024-03"]
    horizontal = figures.stacked_bar(df, "month", "n", "who", "en", horizontal=True)
    assert list(horizontal.layout.yaxis.categoryarray) == ["2024-01", "2024-02", "2024-03"]
    # every group has every category, in the frame's order: nothing added to the figure
    full = figures.stacked_bar(df.iloc[[0, 2]], "month", "n", "who", "en")
    assert full.layout.xaxis.categoryorder is None and full.layout.xaxis.categoryarray is None


def test_figures_city_map_frames_one_city_with_its_surroundings():
    """One city (Tampere): fitted to its point, Plotly would show a blank few-degree close-up; the
    map shows MIN_VIEW (40 x 20 degrees) around it instead. Cities far apart keep the fit."""
    one = pd.DataFrame({"name": ["Tampere"], "lat": [61.5], "lon": [23.8], "region": ["EU"]})
    geo = figures.city_map(one, "en").layout.geo
    assert geo.fitbounds is False
    assert list(geo.lonaxis.range) == [3.8, 43.8] and list(geo.lataxis.range) == [51.5, 71.5]
    # near the date line and the pole: a view of the same size, kept within the globe
    edge = figures.framed_geo([85.0, 80.0], [175.0, 170.0])
    assert edge["lonaxis"] == {"range": [140.0, 180.0]}
    assert edge["lataxis"] == {"range": [70.0, 90.0]}
    # Turin and Austin span more than 40 degrees of longitude: fitted to the points as before
    far = figures.framed_geo([45.07, 30.27], [7.69, -97.74])
    assert far is figures.WORLD_GEO and far["fitbounds"] == "locations"
    assert figures.framed_geo([], []) is figures.WORLD_GEO


@pytest.mark.parametrize(("lang", "sep"), [("en", ".,"), ("fr", ",\u202f"), ("es", ",.")])
def test_figures_separators_follow_language(lang, sep):
    df = pd.DataFrame({"x": ["a"], "y": [1234.5]})
    assert figures.bar(df, "x", "y", lang).layout.separators == sep


def test_figures_city_map_marks_regions_by_shape_and_colour():
    df = pd.DataFrame(
        {
            "name": ["Turin", "Austin"],
            "lat": [45.07, 30.27],
            "lon": [7.69, -97.74],
            "region": ["EU", "NA"],
            "participants": [100, 25],
        }
    )
    fig = figures.city_map(df, "fr", size="participants")
    assert [tr.name for tr in fig.data] == ["Europe", "Amérique du Nord"]
    assert {tr.marker.symbol for tr in fig.data} == {"circle", "diamond"}
    assert fig.layout.geo.resolution == 110 and fig.layout.geo.scope == "world"


def test_figures_sdg_profile_uses_official_colours_and_numbers():
    df = pd.DataFrame(
        {
            "goal": [11, 13],
            "label": ["Cities", "Climate"],
            "colour_hex": ["#FD9D24", "#3F7E44"],
            "value": [10, 4],
        }
    )
    fig = figures.sdg_profile(df, "en")
    assert list(fig.data[0].marker.color) == ["#FD9D24", "#3F7E44"]
    assert list(fig.data[0].y) == ["11 · Cities", "13 · Climate"]


def test_figures_heatmap_pivots_rows_and_columns():
    df = pd.DataFrame({"net": ["A", "A", "B"], "goal": ["11", "13", "11"], "n": [1, 2, 3]})
    fig = figures.heatmap(df, "net", "goal", "n", "en")
    assert fig.data[0].z.tolist() == [[1, 2], [3, 0]]


def test_figures_summary_total_and_top_in_french():
    """The total and the largest group are the metric layer's recounts (attrs), not row sums."""
    df = pd.DataFrame({"who": ["a", "b", "a"], "n": [1000, 300, 500]})
    df.attrs = {"total": 1500, "legend_totals": {"a": 1200, "b": 300}}
    text = figures.summary_total_and_top(df, "who", "n", "Participations", "fr")
    assert text == "Participations : 1\u202f500 au total. Le plus élevé : a avec 1\u202f200."


def test_figures_summary_writes_a_weighted_count_as_its_bar_does():
    """A fractional figure (an SDG profile's weighted count) keeps its decimal in the sentence,
    as the bar's label writes it: 'with 32.5', not 'with 32' beside a bar labelled 32.5."""
    df = pd.DataFrame({"goal": ["11 · Cities", "1 · Poverty"], "w": [32.5, 7.7]})
    df.attrs = {"total": 65}
    text = figures.summary_total_and_top(df, "goal", "w", "Items", "es")
    assert text == "Items: 65 en total. El mayor: 11 · Cities con 32,5."
    fig = figures.sdg_profile(
        df.assign(goal_no=[11, 1], colour_hex=["#FD9D24", "#E5243B"], label=["Cities", "Poverty"]),
        "es",
        goal="goal_no",
        value="w",
    )
    assert list(fig.data[0].text) == ["32,5", "7,7"]


def test_figures_summary_never_adds_up_rows():
    """Without the metric's total, no total is stated (the rows may be distinct counts)."""
    df = pd.DataFrame({"who": ["a", "b", "a"], "n": [1000, 300, 500]})
    text = figures.summary_total_and_top(df, "who", "n", "Cities", "en")
    assert "in total" not in text and "1,800" not in text


def test_figures_summary_series_names_peak():
    df = pd.DataFrame({"period": ["2023", "2024", "2025"], "n": [1, 9, 4]})
    text = figures.summary_series(df, "period", "n", "X", "en")
    assert "From 2023 to 2025; peak in 2024 with 9." in text


def test_figures_summary_of_empty_frame_says_why():
    assert figures.summary_shares(pd.DataFrame({"a": [], "n": []}), "a", "n", "es") == figures.t(
        "card.empty_hint", "es"
    )


def _group_bars_by_masks(df, x, y, group):
    """The per-group (name, categories, values) `_group_bars` drew with a boolean mask per group."""
    names = df[group].astype(str)
    out = []
    for name in dict.fromkeys(names):
        part = df[names == name]
        out.append((name, part[x].astype(str).tolist(), part[y].tolist()))
    return out


def test_figures_group_bars_split_rows_as_a_mask_per_group_did():
    df = pd.DataFrame(
        {
            "city": ["b", "a", "c", "a", "d", "e"],
            "n": [5, 1, 2, 7, 3, 4],
            "kind": ["Y", "X", None, "Y", "X", "Z"],  # interleaved groups, one missing
        }
    )
    traces, _ = figures._group_bars(df, "city", "n", "kind", "en", "", "", False, None, False, True)
    got = [(t["name"], list(t["x"]), list(t["y"])) for t in traces]
    want = _group_bars_by_masks(df, "city", "n", "kind")
    assert [g[0] for g in got] == [w[0] for w in want]
    assert [g[1:] for g in got] == [w[1:] for w in want]


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["a", None, "b"]),
        pd.Series([1, 2, 3]),
        pd.Series([1.5, float("nan")]),
        pd.Series(pd.to_datetime(["2020-01-01", None])),
        pd.Series(["x", 1, None], dtype=object),
        pd.Series([True, False]),
        pd.Series(["a", None], dtype="string"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series(pd.to_datetime(["2020-01-01"]).tz_localize("Europe/Paris")),
    ],
)
def test_figures_plain_columns_are_the_arrays_plotly_makes(column):
    got = figures._plain(column)
    want = copy_to_readonly_numpy_array(column)
    assert got.dtype == want.dtype and not got.flags.writeable
    assert [str(v) for v in got] == [str(v) for v in want]


@pytest.mark.parametrize(
    "values",
    [
        np.array([1, 2, 3], dtype="int64"),
        np.array([1, 2], dtype="uint8"),
        np.array([1.5, float("nan")]),
        np.array([[1.0, 2.0], [3.0, 4.0]])[:, 0],  # not contiguous: copied contiguous
        np.array(["a", "bc"]),
        np.array([b"a"]),
        np.array([True, False]),
        np.array(["x", 1, None], dtype=object),
        np.array(["2020-01-01", "NaT"], dtype="datetime64[ns]"),
        np.array([1, 2], dtype="timedelta64[s]"),
        np.array([1 + 2j]),
        np.array([], dtype="float64"),
    ],
)
def test_readonly_array_is_the_array_plotly_makes(values):
    got = figures.readonly_array(values)
    want = copy_to_readonly_numpy_array(values)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert not got.flags.writeable and got.flags.c_contiguous == want.flags.c_contiguous
    assert [str(v) for v in got] == [str(v) for v in want]
    assert got is not values and values.flags.writeable  # a copy: the caller's array unchanged


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        ([0, 0], "int64", False),
        ([0, 3], "int64", True),
        ([float("nan"), 0.0], "float64", False),  # NaN is no value
        ([float("nan"), -0.5], "float64", True),
        ([float("inf")], "float64", True),
        ([0, 2], "uint8", True),
        ([None, 0], "Int64", False),
        ([None, 1], "Float64", True),
        (["0", "x"], object, False),  # text that is no number counts as none
        (["0", "2"], object, True),
        ([True, False], "bool", True),
        ([], "float64", False),
    ],
)
def test_has_values_is_any_number_but_zero(values, dtype, expected):
    assert figures.has_values(pd.DataFrame({"v": pd.Series(values, dtype=dtype)}), "v") is expected


@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", object])
def test_stacked_bar_groups_take_their_own_rows(dtype):
    df = pd.DataFrame(
        {
            "month": ["2024-01", "2024-01", "2024-02", "2024-03"],
            "value": pd.Series([1, 2, 3, 4], dtype=dtype),
            "group": ["a", "b", "a", "b"],
        }
    )
    fig = figures.stacked_bar(df, "month", "value", "group", "en")
    got = {trace.name: (list(trace.x), [int(v) for v in trace.y]) for trace in fig.data}
    assert got == {"a": (["2024-01", "2024-02"], [1, 3]), "b": (["2024-01", "2024-03"], [2, 4])}


def test_summary_challenges_states_the_recounted_totals_and_the_largest_challenge() -> None:
    # by hand: totals are the is_total rows (12 activities, not 5 + 7 + 2); the largest challenge
    # by activities is Beta (7); a row without a challenge (None) is never the largest
    df = pd.DataFrame(
        {
            "cross_cutting_id": ["a", "b", None, "a", None, None],
            "label": ["Alpha", "Beta", "None recorded", "Alpha", None, None],
            "measure": [
                "activities",
                "activities",
                "activities",
                "participations",
                "activities",
                "participations",
            ],
            "metric": ["K03", "K03", "K03", "K04", "K03", "K04"],
            "value": [5.0, 7.0, 9.0, 40.0, 12.0, 40.0],
            "is_total": [False, False, False, False, True, True],
        }
    )
    expected = " ".join(
        [
            figures.t(
                "act.challenge_totals", "en", activities="12", participations="40", outputs="0"
            ),
            figures.t("act.challenge_top", "en", label="Beta", value="7"),
        ]
    )
    assert figures.summary_challenges(df, "en") == expected
    no_rows = df[df["is_total"]].reset_index(drop=True)  # totals only: no largest challenge
    assert "Beta" not in figures.summary_challenges(no_rows, "en")
