"""Pure functions DataFrame -> plotly Figure (and the text summary read to screen readers).

Never imports dash. Every function takes `lang` for titles, axis labels and number format
(`layout.separators`), and returns `empty_figure` with the reason when the frame is empty.
Colours: the Okabe–Ito palette (readable with every common colour-vision deficiency), except the
SDG goals, which keep their official UN colours and are always labelled with their number.

Generic builders (`bar`, `stacked_bar`, `heatmap`, `city_map`) take column names, so other pages
can reuse them; `summary_*` functions return one or two plain sentences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from _plotly_utils.basevalidators import copy_to_readonly_numpy_array

from dashboard import chart_margins
from dashboard.i18n import PLOTLY_SEPARATORS, fmt_number, fmt_percent, normalise_lang, t

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
REGION_COLOURS = {"EU": "#0072B2", "NA": "#D55E00"}
REGION_SYMBOLS = {"EU": "circle", "NA": "diamond"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


GRID = "#EBF0F8"
_AXIS = {
    "gridcolor": GRID,
    "linecolor": GRID,
    "zerolinecolor": GRID,
    "zerolinewidth": 2,
    "ticks": "",
    "title": {"standoff": 15},
    "automargin": True,  # as plotly_white; each chart's axes turn it off (chart_margins.fit)
}
_COLORBAR = {"outlinewidth": 0, "ticks": ""}
# The parts of Plotly's "plotly_white" that these charts use, plus the shared font and palette.
# Setting template="plotly_white" copied and validated its ~50 trace-type entries on every figure
# (about 8 ms, half the cost of a small chart); this one is a few dozen properties.
TEMPLATE = go.layout.Template(
    layout={
        "autotypenumbers": "strict",
        "font": {"family": FONT, "size": 13, "color": "#1f2328"},
        "colorway": list(OKABE_ITO),
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "font": {"family": FONT}},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "coloraxis": {"colorbar": _COLORBAR},
        "geo": {
            "bgcolor": "white",
            "landcolor": "white",
            "subunitcolor": "#C8D4E3",
            "showland": True,
            "showlakes": True,
            "lakecolor": "white",
        },
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
        "title": {"x": 0.05},
    },
    data={
        "bar": [
            {
                "marker": {
                    "line": {"color": "white", "width": 0.5},
                    "pattern": {"fillmode": "overlay", "size": 10, "solidity": 0.2},
                },
                "error_x": {"color": "#2a3f5f"},
                "error_y": {"color": "#2a3f5f"},
            }
        ],
        "heatmap": [{"colorbar": _COLORBAR}],
        "scatter": [{"fillpattern": {"fillmode": "overlay", "size": 10, "solidity": 0.2}}],
    },
)


TEMPLATE_JSON: dict[str, Any] = TEMPLATE.to_plotly_json()  # what a validated figure holds


def _plain(value: Any) -> Any:
    """Return `value` as a validated figure would hold it: pandas columns and numpy arrays as
    plotly's read-only arrays (sent as typed arrays), None-valued properties left out (setting a
    property to None unsets it), nested dicts and lists walked."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, pd.Series) and (isinstance(value.dtype, np.dtype | pd.StringDtype)):
        # what plotly does with such a column (through narwhals: `to_numpy()`), minus its
        # per-call dispatch; other extension dtypes (nullable, tz-aware) take plotly's own path
        return readonly_array(value.to_numpy())
    if isinstance(value, np.ndarray):
        return readonly_array(value)
    if isinstance(value, pd.Series | pd.Index):
        return copy_to_readonly_numpy_array(value)
    if isinstance(value, list | tuple):
        return [_plain(v) if isinstance(v, dict | list | tuple) else v for v in value]
    return value


def readonly_array(values: np.ndarray) -> np.ndarray:
    """Return a read-only copy of `values` as plotly's `copy_to_readonly_numpy_array` returns it
    for a numpy array (no `kind` asked): numbers keep their dtype (C-contiguous), datetimes and
    objects theirs, anything else (strings, booleans) becomes an object array. The same array,
    without plotly's dataframe-library dispatch (narwhals), about a quarter of a millisecond per
    array: a chart has a few to a few hundred.

    Example:
        >>> readonly_array(np.array(["a", "b"])).dtype, readonly_array(np.array([1, 2])).flags.writeable
        (dtype('O'), False)
    """
    kind = values.dtype.kind
    if kind in "uif":
        out = np.ascontiguousarray(values.copy())
    elif kind in "OM":
        out = values.copy()
    else:
        out = np.array(values, dtype="object")
    out.flags["WRITEABLE"] = False
    return out


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Return `base` updated by `extra` the way plotly's `update_layout` does: nested dicts are
    merged key by key, anything else replaced (neither argument is changed)."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        out[key] = merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out


def shared_layout(lang: str, *, legend_title: str | None = None) -> dict[str, Any]:
    """Return the shared look as a layout dict: template, margins, number separators of `lang`,
    horizontal legend (titled `legend_title` when given)."""
    return {
        "template": TEMPLATE_JSON,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "separators": PLOTLY_SEPARATORS[normalise_lang(lang)],
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "title": {"text": legend_title} if legend_title else None,
        },
    }


def figure(
    data: Sequence[dict[str, Any]],
    layout: dict[str, Any],
    lang: str | None = None,
    *,
    legend_title: str | None = None,
    wide: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Return a plotly Figure of `data` (trace dicts, each with its "type") and `layout`, built
    without plotly's per-property validation (most of a chart's cost); with `lang`, the
    shared look (`shared_layout`) under `layout` and margins that fit its labels
    (`chart_margins.fit`: no automargin redraw in the browser).

    `height`: the px height the graph is drawn at (its card's, e.g. `components.chart_card`'s
    `height`), set as the layout's height, so the margins and the left labels (on two lines
    where each category's band has room) are worked out for the graph as drawn, not for the
    shortest card (`chart_margins.GRAPH_MIN_PX`). Every chart builder below passes it on.

    Example:
        >>> figure([{"type": "bar", "x": ["a"], "y": [1]}], {}, "en", height=420).layout.height
        420

    Every chart of the dashboard and the report is built here. The figure holds and sends the
    same JSON as a validated one (tests/dashboard/test_figures_valid.py validates every figure
    the pages and the report draw and compares the JSON), so write properties in full
    (`{"title": {"text": ...}}`, not `title_text`).
    """
    if height is not None:
        layout = {**layout, "height": height}
    if lang is not None:
        layout = merge(shared_layout(lang, legend_title=legend_title), layout)
        data, layout = chart_margins.fit(data, layout, lang, wide=wide)
    return go.Figure(data=[_plain(trace) for trace in data], layout=_plain(layout), _validate=False)


def base_layout(fig: go.Figure, lang: str, *, legend_title: str | None = None) -> go.Figure:
    """Apply the shared look (`shared_layout`) to a figure built elsewhere; return it."""
    # the template as an object: a dict would be merged into plotly's default template
    fig.update_layout({**shared_layout(lang, legend_title=legend_title), "template": TEMPLATE})
    return fig


EMPTY_META = "iurc-empty"  # layout.meta of the empty state, so a card can recognise it
# an empty-state note is wrapped to lines this wide at its font size (fits a phone-wide card)
EMPTY_NOTE_PX = 300
EMPTY_NOTE_FONT_PX = 15


def empty_figure(lang: str, key: str = "card.empty_hint", *, text: str | None = None) -> go.Figure:
    """Return a figure with no axes and a message saying why there is nothing to draw.

    The message is `text` when given (e.g. `components.empty_reason`), else the text of `key`;
    it is wrapped so that a narrow card shows it whole. The shared empty state of every chart.
    """
    note = {
        "text": chart_margins.wrap_label(
            text if text is not None else t(key, lang),
            EMPTY_NOTE_PX,
            lines=None,
            size=EMPTY_NOTE_FONT_PX,
        ),
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": EMPTY_NOTE_FONT_PX, "color": "#4a5560"},
    }
    layout = {
        "annotations": [note],
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "meta": EMPTY_META,
    }
    return figure([], layout, lang)


def is_empty(figure: Any) -> bool:
    """Return True when `figure` is the empty state of `empty_figure` (a Figure or its dict)."""
    layout = (
        figure.get("layout", {}) if isinstance(figure, dict) else getattr(figure, "layout", None)
    )
    meta = layout.get("meta") if isinstance(layout, dict) else getattr(layout, "meta", None)
    return meta == EMPTY_META


def has_values(df: pd.DataFrame, column: str) -> bool:
    """Return True when `df` has at least one non-zero value in `column` (False if empty).

    A chart of only zeros would draw a meaningless −1…1 axis: it gets the empty state instead.
    """
    if df.empty:
        return False
    values = df[column]
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuf":
        # plain numbers: the same test without pandas' conversion and fill (NaN is no value)
        array = values.to_numpy()
        return bool(np.any((array != 0) & ~np.isnan(array)))
    return bool(pd.to_numeric(values, errors="coerce").fillna(0).any())


def bar(
    df: pd.DataFrame,
    x: str,
    y: str,
    lang: str,
    *,
    x_title: str = "",
    y_title: str = "",
    horizontal: bool = False,
    colour: str = OKABE_ITO[0],
    text: bool = True,
    height: int | None = None,
) -> go.Figure:
    """Return a single-series bar chart of `y` by `x` (horizontal bars: categories on the y axis)."""
    if not has_values(df, y):
        return empty_figure(lang)
    cats, vals = df[x].astype(str), df[y]
    labels = [_fmt(v, lang) for v in vals] if text else None
    trace = {
        "type": "bar",
        "x": vals if horizontal else cats,
        "y": cats if horizontal else vals,
        "orientation": "h" if horizontal else "v",
        "marker": {"color": colour},
        "text": labels,
        "textposition": "auto",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x}<extra></extra>" if horizontal else "%{x}: %{y}<extra></extra>",
    }
    category: dict[str, Any] = {"title": {"text": x_title}}
    value: dict[str, Any] = {"title": {"text": y_title}, **whole_ticks(vals)}
    if horizontal:
        category.update(autorange="reversed")
    axes = (
        {"xaxis": value, "yaxis": category} if horizontal else {"xaxis": category, "yaxis": value}
    )
    return figure([trace], axes, lang, height=height)


def whole_ticks(values: pd.Series) -> dict[str, Any]:
    """Return the value axis's properties when every value is a whole count (no "0.5
    outputs"): integer tick labels, one tick per unit below ten; {} otherwise."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty or not (numbers % 1 == 0).all():
        return {}
    axis: dict[str, Any] = {"tickformat": ",d", "rangemode": "tozero"}
    if numbers.abs().max() < 10:
        axis["dtick"] = 1
    return axis


def stacked_bar(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    lang: str,
    *,
    x_title: str = "",
    y_title: str = "",
    legend_title: str = "",
    horizontal: bool = False,
    colours: dict[str, str] | None = None,
    percent: bool = False,
    stack: bool = True,
    wide: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Return bars of `y` by `x`, stacked by `group` (one Okabe–Ito colour per group, in order).

    `stack=False` sets the groups side by side: for a metric that does not add up across groups
    (a distinct count), whose stacked height would read as a total it is not. `wide`: drawn in a
    card the page's full width (`chart_margins.fit`).
    """
    if not has_values(df, y):
        return empty_figure(lang)
    traces, layout = _group_bars(
        df, x, y, group, lang, x_title, y_title, horizontal, colours, percent, stack
    )
    return figure(traces, layout, lang, legend_title=legend_title, wide=wide, height=height)


_NO_ROWS = np.array([], dtype=np.intp)


def _as_plotted(column: pd.Series) -> pd.Series | np.ndarray:
    # a column as `_plain` sends it (its numpy values), taken apart per group as an array: a
    # pandas `iloc` per group and column cost more than the rest of the chart
    plain = isinstance(column.dtype, np.dtype | pd.StringDtype)
    return column.to_numpy() if plain else column


def _take(values: pd.Series | np.ndarray, rows: Any) -> pd.Series | np.ndarray:
    taken: pd.Series | np.ndarray = (
        values[rows] if isinstance(values, np.ndarray) else values.iloc[rows]
    )
    return taken


def _group_bars(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    lang: str,
    x_title: str,
    y_title: str,
    horizontal: bool,
    colours: dict[str, str] | None,
    percent: bool,
    stack: bool,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Return the traces and layout of `stacked_bar` (one trace per group)."""
    traces = []
    names = df[group].astype(str)
    # each group's rows by position, groups in order of first appearance (one pass over the
    # frame instead of a boolean mask and a string conversion per group)
    positions = names.groupby(names.to_numpy(), sort=False).indices
    all_cats, all_vals = _as_plotted(df[x].astype(str)), _as_plotted(df[y])
    for i, name in enumerate(dict.fromkeys(names)):
        rows = positions.get(name, _NO_ROWS)  # a missing name (NaN) matched no row before either
        cats, vals = _take(all_cats, rows), _take(all_vals, rows)
        traces.append(
            {
                "type": "bar",
                "name": name,
                "x": vals if horizontal else cats,
                "y": cats if horizontal else vals,
                "orientation": "h" if horizontal else "v",
                "marker": {"color": (colours or {}).get(name, OKABE_ITO[i % len(OKABE_ITO)])},
                "hovertemplate": f"{name}<br>%{{{'y' if horizontal else 'x'}}}: "
                f"%{{{'x' if horizontal else 'y'}}}<extra></extra>",
            }
        )
    category: dict[str, Any] = {"title": {"text": x_title}, "type": "category"}
    value: dict[str, Any] = {"title": {"text": y_title}}
    order = list(dict.fromkeys(all_cats))
    if order != _drawn_order(traces, "y" if horizontal else "x"):
        # Plotly places categories in order of appearance trace by trace: a category the first
        # groups lack would go after the others (a month missing from the first stakeholder type
        # drawn after the last month); the frame's own order, which the query sets, is kept
        category.update(categoryorder="array", categoryarray=order)
    if horizontal:
        category.update(autorange="reversed")
    if percent:
        value["ticksuffix"] = "%" if lang == "en" else " %"
    layout = {
        "barmode": ("relative" if not percent else "stack") if stack else "group",
        **(
            {"xaxis": value, "yaxis": category}
            if horizontal
            else {"xaxis": category, "yaxis": value}
        ),
    }
    return traces, layout


def _drawn_order(traces: list[dict[str, Any]], axis: str) -> list[Any]:
    """Return the categories of `axis` ('x' or 'y') in the order Plotly places them: by first
    appearance, trace after trace.

    Example: ``_drawn_order([{"x": ["b"]}, {"x": ["a", "b"]}], "x")  # ['b', 'a']``
    """
    seen: dict[Any, None] = {}
    for trace in traces:
        seen.update(dict.fromkeys(trace[axis]))
    return list(seen)


def log_bars(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    lang: str,
    *,
    y_title: str = "",
    colours: dict[str, str] | None = None,
    height: int | None = None,
) -> go.Figure:
    """Return horizontal bars of `y` by `x`, one bar per `group` side by side, on a log axis,
    each labelled with its value.

    For counts of very different sizes (e.g. rows loaded and rows quarantined per ingest run),
    where a linear axis leaves the small bars invisible. A zero has no bar (a log axis has no 0).
    """
    if not has_values(df, y):
        return empty_figure(lang)
    bars, layout = _group_bars(
        df, x, y, group, lang, "", y_title, True, colours, percent=False, stack=False
    )
    traces = []
    for trace in bars:
        values = [float(v) for v in trace["x"]]
        traces.append(
            {
                **trace,
                # as sent before: the counts themselves unless a zero is left out
                "x": trace["x"] if min(values) > 0 else [v if v > 0 else None for v in values],
                "text": [fmt_number(v, lang, 0) if v > 0 else "" for v in values],
                "textposition": "outside",
                "cliponaxis": False,
            }
        )
    axis: dict[str, Any] = {"type": "log", "dtick": 1, "showexponent": "none"}
    axis["exponentformat"] = "none"
    shown = [float(v) for v in df[y] if float(v) > 0]
    if shown:  # room on the right for the largest bar's label (log axis ranges are in decades)
        axis["range"] = [-0.5, math.log10(max(shown)) + 0.45]
    layout = merge(
        layout,
        {"xaxis": axis, "bargap": 0.25, "bargroupgap": 0.05, "uniformtext": {"minsize": 10}},
    )
    return figure(traces, layout, lang, height=height)


def heatmap(
    df: pd.DataFrame,
    row: str,
    col: str,
    value: str,
    lang: str,
    *,
    row_title: str = "",
    col_title: str = "",
    value_title: str = "",
    height: int | None = None,
) -> go.Figure:
    """Return a heatmap of `value` (rows × columns) in a single-hue blue scale with each cell's
    value written in it (no colour bar) and `value_title` in the hover."""
    if df.empty:
        return empty_figure(lang)
    grid = df.pivot_table(index=row, columns=col, values=value, aggfunc="sum", sort=False).fillna(0)
    text = [[_fmt(v, lang) for v in r] for r in grid.values]
    trace = {
        "type": "heatmap",
        "z": grid.values,
        "x": [str(c) for c in grid.columns],
        "y": [str(r) for r in grid.index],
        "zmin": 0,
        "colorscale": [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]],
        "text": text,
        "texttemplate": "%{text}",
        # every cell has its value written: a colour bar would repeat it and, in a phone-wide
        # card, leave the 17 goal columns a few pixels each
        "showscale": False,
        "hovertemplate": f"%{{y}} × %{{x}}<br>{value_title}: %{{z}}<extra></extra>"
        if value_title
        else "%{y} × %{x}: %{z}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
    }
    layout = {
        "xaxis": {"title": {"text": col_title}, "type": "category", "side": "bottom"},
        "yaxis": {
            "title": {"text": row_title},
            "type": "category",
            "autorange": "reversed",
        },
    }
    return figure([trace], layout, lang, height=height)


# the world base map of the city maps (Natural Earth, served locally), framed on the points
WORLD_GEO: dict[str, Any] = {
    "scope": "world",
    "projection": {"type": "natural earth"},
    "showcountries": True,
    "countrycolor": "#b9c2cc",
    "showland": True,
    "landcolor": "#eef1f4",
    "showocean": True,
    "oceancolor": "#ffffff",
    "lakecolor": "#ffffff",
    "fitbounds": "locations",
    "resolution": 110,
    "showframe": False,
}


# the smallest view a city map zooms to (degrees of longitude, of latitude): one city, or a few
# close together, shown with their surroundings instead of a blank close-up of a few degrees
MIN_VIEW = (40.0, 20.0)


def framed_geo(lats: Any, lons: Any) -> dict[str, Any]:
    """Return the base map's geo layout framed on the points (`lats`, `lons` in degrees): fitted
    to them (WORLD_GEO), or, when they span less than MIN_VIEW both ways, a view of that size
    centred on them (kept within the globe).

    Example: ``framed_geo([61.5], [23.8])["lonaxis"]  # {'range': [3.8, 43.8]}``
    """
    lat = pd.to_numeric(pd.Series(lats, dtype="object"), errors="coerce").dropna()
    lon = pd.to_numeric(pd.Series(lons, dtype="object"), errors="coerce").dropna()
    if lat.empty or lon.empty:
        return WORLD_GEO
    spans = (float(lon.max() - lon.min()), float(lat.max() - lat.min()))
    if spans[0] >= MIN_VIEW[0] or spans[1] >= MIN_VIEW[1]:
        return WORLD_GEO

    def around(low: float, high: float, span: float, bound: float) -> list[float]:
        start = min(max((low + high - span) / 2, -bound), bound - span)
        return [round(start, 2), round(start + span, 2)]

    return {
        **WORLD_GEO,
        "fitbounds": False,
        "lonaxis": {"range": around(float(lon.min()), float(lon.max()), MIN_VIEW[0], 180.0)},
        "lataxis": {"range": around(float(lat.min()), float(lat.max()), MIN_VIEW[1], 90.0)},
    }


def city_map(
    df: pd.DataFrame,
    lang: str,
    *,
    name: str = "name",
    lat: str = "lat",
    lon: str = "lon",
    region: str = "region",
    size: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Return a world map (local Natural Earth base map) of cities, one trace per region.

    Regions differ by colour *and* marker shape, so the map does not rely on colour alone.
    """
    if df.empty:
        return empty_figure(lang)
    traces = []
    max_size = float(df[size].max()) if size and not df[size].empty else 0.0
    for code in ("EU", "NA"):
        part = df[df[region] == code]
        if part.empty:
            continue
        sizes = (8 + 22 * (part[size] / max_size) ** 0.5) if size and max_size else 10
        traces.append(
            {
                "type": "scattergeo",
                "lat": part[lat],
                "lon": part[lon],
                "text": part[name].astype(str),
                "name": t(f"region.{code}", lang),
                "mode": "markers",
                "marker": {
                    "size": sizes,
                    "color": REGION_COLOURS[code],
                    "symbol": REGION_SYMBOLS[code],
                    "line": {"width": 1, "color": "#ffffff"},
                    "opacity": 0.85,
                },
                "customdata": part[size] if size else None,
                "hovertemplate": "%{text}"
                + ("<br>%{customdata:,}" if size else "")
                + "<extra></extra>",
            }
        )
    return figure(traces, {"geo": framed_geo(df[lat], df[lon])}, lang, height=height)


def sdg_profile(
    df: pd.DataFrame,
    lang: str,
    *,
    goal: str = "goal",
    label: str = "label",
    colour: str = "colour_hex",
    value: str = "value",
    value_title: str = "",
    percent: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Return horizontal bars per SDG goal in the official UN colours, labelled 'n · title'."""
    if df.empty:
        return empty_figure(lang)
    cats = [f"{int(g)} · {lbl}" for g, lbl in zip(df[goal], df[label], strict=True)]
    trace = {
        "type": "bar",
        "x": df[value],
        "y": cats,
        "orientation": "h",
        "marker": {"color": list(df[colour])},
        "text": [fmt_percent(v, lang) if percent else _fmt(v, lang) for v in df[value]],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }
    layout = {
        "yaxis": {"autorange": "reversed", "type": "category"},
        "xaxis": {"title": {"text": value_title}},
        "margin": {"r": 48},  # room for the value written after each bar
    }
    return figure([trace], layout, lang, height=height)


def sparkline(values: Sequence[float], colour: str = OKABE_ITO[0]) -> go.Figure:
    """Return a tiny line (no axes) for a KPI card's trend."""
    trace = {
        "type": "scatter",
        "y": list(values),
        "mode": "lines+markers",
        "line": {"color": colour, "width": 2},
        "marker": {"size": 4},
        "hoverinfo": "skip",
    }
    layout = {
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "margin": {"l": 2, "r": 2, "t": 2, "b": 2},
        "template": TEMPLATE_JSON,
        "showlegend": False,
        "height": 48,
    }
    return figure([trace], layout)


def melt(df: pd.DataFrame, key: str, columns: dict[str, str]) -> pd.DataFrame:
    """Return `df` long as (key, group, value): one row per key and column, group = its label."""
    if df.empty:
        return pd.DataFrame({key: [], "group": [], "value": []})
    return pd.concat(
        [
            pd.DataFrame({key: df[key], "group": label, "value": df[col]})
            for col, label in columns.items()
        ],
        ignore_index=True,
    )


def gender_long(df: pd.DataFrame, women: str, men_other: str, undeclared: str) -> pd.DataFrame:
    """Return gender_balance rows as long (label, group, value): women, men/others, undeclared."""
    if df.empty:
        return pd.DataFrame({"label": [], "group": [], "value": []})
    parts = [
        pd.DataFrame({"label": df["label"], "group": women, "value": df["women"]}),
        pd.DataFrame(
            {
                "label": df["label"],
                "group": men_other,
                "value": df["participants_declared"] - df["women"],
            }
        ),
        pd.DataFrame(
            {"label": df["label"], "group": undeclared, "value": df["participants_undeclared"]}
        ),
    ]
    return pd.concat(parts, ignore_index=True)


# ------------------------------------------------------------------ text summaries
def _legend(df: pd.DataFrame, label: str, value: str) -> dict[str, float]:
    """Return category -> figure: the query's recounted legend totals, else the rows themselves
    when each category is one row (never a sum of rows)."""
    legend = df.attrs.get("legend_totals")
    if legend:
        return {str(k): float(v) for k, v in legend.items() if v is not None and not pd.isna(v)}
    if df[label].is_unique:
        return {
            str(k): float(v) for k, v in zip(df[label], df[value], strict=True) if not pd.isna(v)
        }
    return {}


def summary_total_and_top(df: pd.DataFrame, label: str, value: str, title: str, lang: str) -> str:
    """Return 'Title: N in total. Largest: X with n.' for a breakdown.

    The total is the metric's own total for the selection (`df.attrs["total"]`, from the metric
    layer), never a sum of the rows: rows may be distinct counts, or only the top of a list.
    """
    if df.empty:
        return t("card.empty_hint", lang)
    parts = []
    total = df.attrs.get("total")
    if total is not None:
        parts.append(t("sum.total", lang, title=title, total=_fmt(total, lang)))
    legend = _legend(df, label, value)
    if legend:
        top = max(legend, key=lambda k: legend[k])
        if legend[top] > 0:  # "Largest: X with 0" says nothing
            # as the bars write it: a weighted count keeps its decimal ("with 32.5", not 32)
            parts.append(t("sum.largest", lang, label=top, value=_fmt(legend[top], lang)))
    # rows without a recounted total or one row per category (e.g. stacked by status): the
    # chart has data, so point to the table rather than claim there is none
    return " ".join(parts) or t("sum.in_table", lang)


def summary_challenges(df: pd.DataFrame, lang: str) -> str:
    """Return the sentence of the by-challenge card: each measure's total for the selection (the
    metric layer's `is_total` rows, never a sum of the challenges) and its largest challenge."""
    if df.empty:
        return t("card.empty_hint", lang)
    # read column by column: a filtered copy of the whole frame costs ~1 ms per mask
    is_total, measure, value = df["is_total"], df["measure"], df["value"]
    totals = value[is_total].set_axis(measure[is_total])
    parts = [
        t(
            "act.challenge_totals",
            lang,
            activities=fmt_number(totals.get("activities", 0), lang),
            participations=fmt_number(totals.get("participations", 0), lang),
            outputs=fmt_number(totals.get("outputs", 0), lang),
        )
    ]
    acts = np.flatnonzero(~is_total & df["cross_cutting_id"].notna() & (measure == "activities"))
    if len(acts):
        # the same sort as the frame's sort_values("value", ascending=False): ties alike
        first = value.iloc[acts].reset_index(drop=True).sort_values(ascending=False).index[0]
        row = acts[first]
        parts.append(
            t(
                "act.challenge_top",
                lang,
                label=df["label"].iloc[row],
                value=fmt_number(value.iloc[row], lang),
            )
        )
    return " ".join(parts)


def summary_series(df: pd.DataFrame, period: str, value: str, title: str, lang: str) -> str:
    """Return the metric's total for the selection and the span of the series.

    The total comes from `df.attrs["total"]` (the metric layer's recount); the peak is named only
    when each period is one row.
    """
    if df.empty:
        return t("card.empty_hint", lang)
    periods = sorted(df[period].astype(str).unique())
    parts = []
    total = df.attrs.get("total")
    if total is not None:
        parts.append(t("sum.total", lang, title=title, total=_fmt(total, lang)))
    if df[period].is_unique:
        best = df.loc[df[value].idxmax()]  # type: ignore[call-overload]  # pandas-stubs type an idxmax/idxmin label as Hashable
        parts.append(
            t(
                "sum.range",
                lang,
                first=periods[0],
                last=periods[-1],
                peak=str(best[period]),
                value=fmt_number(best[value], lang),
            )
        )
    else:
        parts.append(t("sum.span", lang, first=periods[0], last=periods[-1]))
    return " ".join(parts)


def summary_shares(df: pd.DataFrame, label: str, value: str, lang: str) -> str:
    """Return each category's share of the metric's total, one sentence per category.

    Categories and total come from the metric layer (`attrs`); an additive metric only.
    """
    if df.empty:
        return t("card.empty_hint", lang)
    whole = df.attrs.get("total")
    legend = _legend(df, label, value)
    if not whole or not legend:
        return t("card.empty_hint", lang)
    return " ".join(
        t("sum.share", lang, label=k, pct=fmt_percent(100 * v / whole, lang))
        for k, v in legend.items()
    )


def summary_heatmap(
    df: pd.DataFrame, row: str, col: str, value: str, lang: str, title: str = ""
) -> str:
    """Return the metric layer's total for the selection (`df.attrs["total"]`, when the query
    gives one: never a sum of the cells) and the strongest cell of a heatmap."""
    if df.empty:
        return t("card.empty_hint", lang)
    best = df.loc[df[value].idxmax()]  # type: ignore[call-overload]  # pandas-stubs type an idxmax/idxmin label as Hashable
    total = df.attrs.get("total")
    lead = (
        t("sum.total", lang, title=title, total=fmt_number(total, lang)) + " "
        if total is not None and title
        else ""
    )
    return lead + t(
        "sum.heatmap",
        lang,
        row=str(best[row]),
        col=str(best[col]),
        value=_fmt(best[value], lang),
    )


# ================================================================== pages-more: benchmarking,
# cooperation network, output funnel, data quality
MODE_STYLES: dict[str, tuple[str, str]] = {  # mode -> (colour, dash): never colour alone
    "pairing": ("#009E73", "solid"),
    "trio": ("#CC79A7", "dash"),
    "cluster": ("#E69F00", "dot"),
    "global_network": ("#56B4E9", "dashdot"),
}
SELECTED_COLOUR = "#000000"
FAINT_OPACITY = 0.3  # the other cooperations' lines while one is selected
RANGE_COLOUR = "#c6d3e1"
MEDIAN_COLOUR = "#4a5560"
DIRECT_LINK_MAX_MEMBERS = 3  # pairings and trios are drawn city to city, larger groups via a hub


def _fmt(value: float, lang: str) -> str:
    return fmt_number(value, lang, 0 if float(value).is_integer() else 1)


def benchmark_scores(
    df: pd.DataFrame,
    lang: str,
    *,
    city_label: str,
    median_label: str,
    range_label: str,
    missing_label: str,
    score_title: str = "",
    not_discriminating_label: str | None = None,
    no_score_label: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Return each indicator's city score (dot) against the peer range (bar) and median (tick).

    `df` is `city_benchmark` output: label, score, peer_min_score, peer_median_score,
    peer_max_score (and input_status). A missing score is written as `missing_label` at 0 with a
    hollow cross; with `not_discriminating_label`, inputs whose input_status is
    'not_discriminating' are written so instead (all peers equal: no information, not missing),
    and with `no_score_label` the composite row (no input_status) without a score is written so.
    """
    if df.empty:
        return empty_figure(lang)
    labels = df["label"].astype(str).tolist()
    low = df["peer_min_score"].fillna(0)
    high = df["peer_max_score"].fillna(0)
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": range_label,
            "y": labels,
            "x": high - low,
            "base": low.tolist(),  # as plotly keeps `base`: a list
            "orientation": "h",
            "marker": {"color": RANGE_COLOUR},
            "width": 0.45,
            "customdata": list(zip(low, high, strict=True)),
            "hovertemplate": "%{y}<br>"
            + range_label
            + ": %{customdata[0]:.0f}–%{customdata[1]:.0f}"
            "<extra></extra>",
        },
        {
            "type": "scatter",
            "name": median_label,
            "y": labels,
            "x": df["peer_median_score"],
            "mode": "markers",
            "marker": {
                "symbol": "line-ns-open",
                "size": 22,
                "color": MEDIAN_COLOUR,
                "line": {"width": 3, "color": MEDIAN_COLOUR},
            },
            "hovertemplate": "%{y}<br>" + median_label + ": %{x:.0f}<extra></extra>",
        },
    ]
    scored = df["score"].notna()
    traces.append(
        {
            "type": "scatter",
            "name": city_label,
            "y": [lbl for lbl, ok in zip(labels, scored, strict=True) if ok],
            "x": df.loc[scored, "score"],
            "mode": "markers+text",
            "text": [_fmt(round(v), lang) for v in df.loc[scored, "score"]],
            # beside the dot, not above it: a centred label sat on the median tick when the
            # score equals the median (0 and 0 at 390 px); towards the middle of the axis
            "textposition": [
                "top right" if v < 50 else "top left" for v in df.loc[scored, "score"]
            ],
            "marker": {
                "symbol": "circle",
                "size": 13,
                "color": OKABE_ITO[0],
                "line": {"width": 1.5, "color": "#ffffff"},
            },
            "hovertemplate": "%{y}<br>" + city_label + ": %{x:.1f}<extra></extra>",
        }
    )
    status = (
        df["input_status"].fillna("").astype(str).tolist()
        if not_discriminating_label and "input_status" in df.columns
        else ["missing"] * len(df)
    )
    unscored = [not ok for ok in scored]
    flat = [u and st == "not_discriminating" for u, st in zip(unscored, status, strict=True)]
    # the composite row (no input_status) without a score: no_score_label when given
    composite = [
        u and st == "" and no_score_label is not None
        for u, st in zip(unscored, status, strict=True)
    ]
    missing = [u and not f and not c for u, f, c in zip(unscored, flat, composite, strict=True)]
    for label, rows, symbol in (
        (missing_label, missing, "x-open"),
        (not_discriminating_label, flat, "line-ew-open"),
        (no_score_label, composite, "circle-open"),
    ):
        if any(rows):
            traces.append(
                {
                    "type": "scatter",
                    "name": label,
                    "y": [lbl for lbl, r in zip(labels, rows, strict=True) if r],
                    "x": [0] * int(sum(rows)),
                    "mode": "markers+text",
                    "text": label,
                    "textposition": "middle right",
                    "marker": {"symbol": symbol, "size": 12, "color": OKABE_ITO[5]},
                    "hoverinfo": "skip",
                }
            )
    layout = {
        "xaxis": {"range": [-4, 108], "title": {"text": score_title}, "dtick": 20},
        "yaxis": {"autorange": "reversed", "type": "category"},
    }
    return figure(traces, layout, lang, height=height)


def benchmark_ranking(
    df: pd.DataFrame,
    lang: str,
    *,
    selected_label: str,
    others_label: str,
    missing_label: str,
    score_title: str = "",
    height: int | None = None,
) -> go.Figure:
    """Return the peer group's engagement scores as bars, the selected city marked by colour,
    hatching and an arrow in its label; cities without a score are labelled as missing."""
    if df.empty:
        return empty_figure(lang)
    traces = []
    for selected, name in ((False, others_label), (True, selected_label)):
        part = df[df["is_selected"] == selected]
        if part.empty:
            continue
        names = [f"▶ {n}" if selected else str(n) for n in part["name"]]
        traces.append(
            {
                "type": "bar",
                "name": name,
                "y": names,
                "x": part["score"].fillna(0),
                "orientation": "h",
                "marker": {
                    "color": OKABE_ITO[5] if selected else "#7aa6cf",
                    "pattern": {"shape": "/" if selected else ""},
                },
                "text": [
                    _fmt(round(v), lang) if pd.notna(v) else missing_label for v in part["score"]
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x:.1f}<extra></extra>",
            }
        )
    order = [f"▶ {n}" if s else str(n) for n, s in zip(df["name"], df["is_selected"], strict=True)]
    # every city named: explicit ticks (Plotly thins crowded category labels otherwise); the
    # page makes the graph ranking_height(n) tall so the labels do not overlap
    layout = {
        "yaxis": {
            "categoryorder": "array",
            "categoryarray": order,
            "tickmode": "array",
            "tickvals": order,
            "ticktext": order,
            "autorange": "reversed",
            "type": "category",
        },
        "xaxis": {"range": [0, 112], "title": {"text": score_title}},
        "barmode": "overlay",
    }
    return figure(traces, layout, lang, height=height)


RANKING_ROW_PX = 24  # per city: room for a 12 px label and its bar


def ranking_height(n_cities: int) -> int:
    """Return the pixel height of a ranking chart that names every one of `n_cities` cities."""
    return max(320, RANKING_ROW_PX * n_cities + 120)


def _great_circle_mid(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    import math

    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    bx = math.cos(p2) * math.cos(l2 - l1)
    by = math.cos(p2) * math.sin(l2 - l1)
    lat = math.atan2(math.sin(p1) + math.sin(p2), math.sqrt((math.cos(p1) + bx) ** 2 + by**2))
    lon = l1 + math.atan2(by, math.cos(p1) + bx)
    return math.degrees(lat), (math.degrees(lon) + 540) % 360 - 180


def network_layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (segments, handles) that draw the cooperations on a map, deterministically.

    Pairings and trios link their cities directly; larger groups (clusters, global networks) link
    each member to a hub at the members' mean position. `segments`: cooperation_id, mode,
    lat0, lon0, lat1, lon1. `handles`: one clickable point per cooperation (the hub, or the
    middle of its first link): cooperation_id, cooperation_name, mode, mode_label, lat, lon,
    is_hub, members.
    """
    seg_cols = ["cooperation_id", "mode", "lat0", "lon0", "lat1", "lon1"]
    handle_cols = [
        "cooperation_id",
        "cooperation_name",
        "mode",
        "mode_label",
        "lat",
        "lon",
        "is_hub",
        "members",
    ]
    segments, handles = _layout_rows(nodes, edges)
    return pd.DataFrame(segments, columns=seg_cols), pd.DataFrame(handles, columns=handle_cols)


def _layout_rows(
    nodes: pd.DataFrame, edges: pd.DataFrame
) -> tuple[list[list[Any]], list[list[Any]]]:
    # `network_layout`'s rows as lists (the map draws from them without a frame per mode)
    if edges.empty or nodes.empty:
        return [], []
    pos = {
        c: (float(la), float(lo))
        for c, la, lo in zip(nodes["city_id"], nodes["lat"], nodes["lon"], strict=True)
        if pd.notna(la) and pd.notna(lo)
    }
    segments: list[list[Any]] = []
    handles: list[list[Any]] = []
    edges = edges.sort_values(["cooperation_id", "city_a", "city_b"])  # same input, same drawing
    # a few hundred links: plain Python over the columns, a pandas group per cooperation cost
    # more than the rest of the map
    columns = ("cooperation_id", "cooperation_name", "mode", "mode_label", "city_a", "city_b")
    groups: dict[Any, list[tuple[Any, ...]]] = {}
    for row in zip(*(edges[c].tolist() for c in columns), strict=True):
        if pd.notna(row[0]):  # as groupby: a link without a cooperation belongs to none
            groups.setdefault(row[0], []).append(row)
    for coop_id, group in groups.items():
        first = group[0]
        members = sorted({c for row in group for c in row[4:] if c in pos})
        if len(members) < 2:
            continue
        meta = list(first[:4])
        if len(members) <= DIRECT_LINK_MAX_MEMBERS:
            pairs = [(a, b) for *_, a, b in group if a in pos and b in pos]
            for a, b in pairs:
                segments.append([coop_id, first[2], *pos[a], *pos[b]])
            a, b = pairs[0]
            handles.append([*meta, *_great_circle_mid(*pos[a], *pos[b]), False, len(members)])
        else:
            hub = (
                sum(pos[m][0] for m in members) / len(members),
                sum(pos[m][1] for m in members) / len(members),
            )
            for m in members:
                segments.append([coop_id, first[2], *hub, *pos[m]])
            handles.append([*meta, *hub, True, len(members)])
    return segments, handles


TRUNK_SPACING_DEG = 1.6  # the modes' trunks cross the ocean side by side, this far apart
TRUNK_WIDTHS = (1.2, 3.5)  # fewest .. most cooperations; under the selected line (4)


def bundled_links(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (fans, trunks) that draw the cooperations bundled, deterministically.

    Each region's cities gather at one point (the mean position of the region's cities in
    `nodes`); a city in a cooperation of some mode is joined to its region's point once per mode
    (`fans`: mode, lat0, lon0, lat1, lon1), and each mode whose cooperations span both regions
    crosses between the two points as one trunk (`trunks`: mode, lat0, lon0, lat1, lon1,
    cooperations), the modes side by side. Instead of one arc per link, a map of a hundred
    cooperations then shows a few dozen short lines and four bands.
    """
    fan_cols = ["mode", "lat0", "lon0", "lat1", "lon1"]
    trunk_cols = [*fan_cols, "cooperations"]
    fan_rows, trunk_rows = _bundled_rows(nodes, edges)
    return pd.DataFrame(fan_rows, columns=fan_cols), pd.DataFrame(trunk_rows, columns=trunk_cols)


def _bundled_rows(
    nodes: pd.DataFrame, edges: pd.DataFrame
) -> tuple[list[list[Any]], list[list[Any]]]:
    # `bundled_links`' rows as lists
    placed = nodes.dropna(subset=["lat", "lon"]) if not nodes.empty else nodes
    if edges.empty or placed.empty:
        return [], []
    region = dict(zip(placed["city_id"], placed["region"], strict=True))
    pos = {
        c: (float(la), float(lo))
        for c, la, lo in zip(placed["city_id"], placed["lat"], placed["lon"], strict=True)
    }
    gather = {
        code: (float(part["lat"].mean()), float(part["lon"].mean()))
        for code, part in placed.groupby("region", sort=True)
    }
    # a few hundred links: plain Python is quicker than pandas' per-call overhead here
    members: dict[tuple[str, str], set[str]] = {}
    # over lists: iterating the frame's (Arrow-backed) columns cost a call per cell
    columns = (edges[c].tolist() for c in ("mode", "cooperation_id", "city_a", "city_b"))
    for mode, coop, a, b in zip(*columns, strict=True):
        members.setdefault((str(mode), str(coop)), set()).update(c for c in (a, b) if c in pos)
    fans = sorted({(mode, c) for (mode, _), cities in members.items() for c in cities})
    spans: dict[str, int] = {}
    for (mode, _), cities in members.items():
        if len({region[c] for c in cities}) > 1:
            spans[mode] = spans.get(mode, 0) + 1
    fan_rows = [[mode, *pos[c], *gather[region[c]]] for mode, c in fans]
    trunk_rows = []
    if {"EU", "NA"} <= gather.keys():
        modes = [m for m in MODE_STYLES if m in spans] + sorted(set(spans) - set(MODE_STYLES))
        for i, mode in enumerate(modes):
            shift = (i - (len(modes) - 1) / 2) * TRUNK_SPACING_DEG
            (la0, lo0), (la1, lo1) = gather["EU"], gather["NA"]
            trunk_rows.append([mode, la0 + shift, lo0, la1 + shift, lo1, spans[mode]])
    return fan_rows, trunk_rows


def _lines(segments: list[list[Any]]) -> tuple[list[Any], list[Any]]:
    # rows ending in lat0, lon0, lat1, lon1: one line each, broken by None
    lats: list[Any] = []
    lons: list[Any] = []
    for *_, lat0, lon0, lat1, lon1 in segments:
        lats += [lat0, lat1, None]
        lons += [lon0, lon1, None]
    return lats, lons


def _mode_lines(
    segments: list[list[Any]],
    name: str,
    mode: str,
    line: dict[str, Any],
    opacity: float,
    *,
    showlegend: bool | None = None,
) -> dict[str, Any]:
    """Return the map trace drawing `segments` as lines of one cooperation mode (no hover)."""
    lats, lons = _lines(segments)
    return {
        "type": "scattergeo",
        "lat": lats,
        "lon": lons,
        "mode": "lines",
        "name": name,
        "legendgroup": mode,
        "showlegend": showlegend,
        "line": line,
        "opacity": opacity,
        "hoverinfo": "skip",
    }


def cooperation_network(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    lang: str,
    *,
    selected: str | None = None,
    hub_label: str = "hub",
    selected_label: str = "",
    city_hint: str = "",
    height: int | None = None,
) -> go.Figure:
    """Return the cooperation network on a local world map.

    Cities are markers coloured *and* shaped by region, sized by population (customdata: city
    id; `city_hint`, e.g. "click for its profile", under the name on hover); cooperations are
    bundled (`bundled_links`): each city joins its region's gathering point, one band per mode
    crosses the ocean, one colour and dash style per mode; each cooperation has a clickable
    handle (hub square or link midpoint, customdata: cooperation id); the selected cooperation
    is drawn on top with its own links, in thick black, and the others faint.
    """
    if nodes.empty or edges.empty:
        return empty_figure(lang)
    # plain rows grouped by mode once: a frame filtered per mode cost more than the drawing
    segments, handles = _layout_rows(nodes, edges)
    fan_rows, trunk_rows = _bundled_rows(nodes, edges)
    busiest = float(max(row[5] for row in trunk_rows)) if trunk_rows else 1.0
    low, high = TRUNK_WIDTHS
    traces: list[dict[str, Any]] = []
    for mode, (colour, dash) in MODE_STYLES.items():
        fan_part = [row for row in fan_rows if row[0] == mode]
        if not fan_part:
            continue
        # handles: cooperation_id, name, mode, mode_label, lat, lon, is_hub, members
        hp = [h for h in handles if h[2] == mode]
        name = str(hp[0][3])
        opacity = FAINT_OPACITY if selected else 0.75
        line = {"color": colour, "width": 1.0, "dash": dash}
        traces.append(_mode_lines(fan_part, name, mode, line, opacity))
        for row in trunk_rows:
            if row[0] != mode:
                continue
            # wider the more cooperations cross in this mode
            line = {"color": colour, "width": low + (high - low) * row[5] / busiest, "dash": dash}
            traces.append(_mode_lines([row[:5]], name, mode, line, opacity, showlegend=False))
        traces.append(
            {
                "type": "scattergeo",
                "lat": np.array([h[4] for h in hp], dtype="float64"),
                "lon": np.array([h[5] for h in hp], dtype="float64"),
                "mode": "markers",
                "name": name,
                "legendgroup": mode,
                "showlegend": False,
                "text": np.array([str(h[1]) for h in hp], dtype=object),
                "customdata": np.array([h[0] for h in hp], dtype=object),
                "marker": {
                    "symbol": ["square" if h[6] else "circle" for h in hp],
                    "size": [11 if h[6] else 7 for h in hp],
                    "color": colour,
                    "line": {"width": 1, "color": "#1f2328"},
                },
                "hovertemplate": "%{text}<br>" + name + "<extra></extra>",
            }
        )
    chosen = [row for row in segments if row[0] == selected] if selected else []
    if chosen:
        lats, lons = _lines(chosen)
        name = next(h[1] for h in handles if h[0] == selected)
        traces.append(
            {
                "type": "scattergeo",
                "lat": lats,
                "lon": lons,
                "mode": "lines",
                # "Selected: …" with the language's colon ("Choisie : …" in French)
                "name": t("filters.item", lang, label=selected_label, values=name)
                if selected_label
                else str(name),
                "line": {"color": SELECTED_COLOUR, "width": 4},
                "hoverinfo": "skip",
            }
        )
    max_pop = float(nodes["population"].max() or 0)
    for code in ("EU", "NA"):
        part = nodes[nodes["region"] == code]
        if part.empty:
            continue
        sizes = (8 + 20 * (part["population"].fillna(0) / max_pop) ** 0.5) if max_pop else 10
        traces.append(
            {
                "type": "scattergeo",
                "lat": part["lat"],
                "lon": part["lon"],
                "mode": "markers",
                "name": t(f"region.{code}", lang),
                "text": part["name"].astype(str),
                "customdata": part["city_id"],
                "marker": {
                    "size": sizes,
                    "color": REGION_COLOURS[code],
                    "symbol": REGION_SYMBOLS[code],
                    "line": {"width": 1, "color": "#ffffff"},
                    "opacity": 0.9,
                },
                "hovertemplate": "%{text}"
                + (f"<br>{city_hint}" if city_hint else "")
                + "<extra></extra>",
            }
        )
    layout = {
        "geo": framed_geo(nodes["lat"], nodes["lon"]),
        "clickmode": "event",
        "legend": {"y": -0.02, "yanchor": "top"},
    }
    return figure(traces, layout, lang, height=height)


def output_funnel(
    df: pd.DataFrame, lang: str, *, stage_title: str = "", height: int | None = None
) -> go.Figure:
    """Return a stacked funnel of outputs reaching each lifecycle stage, one band per output type."""
    if df.empty or not df["reached"].sum():
        return empty_figure(lang)
    traces = []
    # one band per output type, in the order the types first appear
    by_type = df.groupby(df["output_type_label"].astype(str), sort=False)
    for i, (key, rows) in enumerate(by_type):
        name, part = str(key), rows.sort_values("stage_order")
        traces.append(
            {
                "type": "funnel",
                "name": name,
                "y": part["stage_label"].astype(str),
                "x": part["reached"],
                "textinfo": "value",
                "marker": {"color": OKABE_ITO[i % len(OKABE_ITO)]},
                "hovertemplate": name + "<br>%{y}: %{x}<extra></extra>",
            }
        )
    return figure(traces, {"yaxis": {"title": {"text": stage_title}}}, lang, height=height)


def quality_scatter(
    df: pd.DataFrame,
    lang: str,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    height: int | None = None,
) -> go.Figure:
    """Return cities as points (x, y), coloured and shaped by region, names on hover."""
    if df.empty or df[[x, y]].dropna().empty:
        return empty_figure(lang)
    traces = []
    for code in ("EU", "NA"):
        part = df[(df["region"] == code) & df[x].notna() & df[y].notna()]
        if part.empty:
            continue
        traces.append(
            {
                "type": "scatter",
                "x": part[x],
                "y": part[y],
                "mode": "markers",
                "name": t(f"region.{code}", lang),
                "text": part["name"].astype(str),
                "marker": {
                    "size": 10,
                    "color": REGION_COLOURS[code],
                    "symbol": REGION_SYMBOLS[code],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                "hovertemplate": "%{text}<br>"
                + x_title
                + ": %{x}<br>"
                + y_title
                + ": %{y:.1f}<extra></extra>",
            }
        )
    layout = {
        "xaxis": {"title": {"text": x_title}, "rangemode": "tozero"},
        "yaxis": {"title": {"text": y_title}},
    }
    return figure(traces, layout, lang, height=height)
